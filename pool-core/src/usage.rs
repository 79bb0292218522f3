//! Capacity monitoring.

use core::time::Duration;

/// A snapshot of a pool's occupancy and history, from `Pool::usage` or `SyncPool::usage`.
///
/// For a [`SyncPool`](crate::SyncPool) the fields are read one after another while other threads
/// may be acquiring, so they are each exact but not necessarily from the same instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Usage {
    /// Slots held by live guards, including guards that were leaked with `mem::forget`.
    pub in_use: usize,
    /// The fixed number of slots.
    pub capacity: usize,
    /// The largest `in_use` ever reached.
    pub high_water_mark: usize,
    /// Successful acquires since construction.
    pub total_acquires: u64,
    /// Acquires refused: with [`PoolError::Exhausted`](crate::PoolError::Exhausted), with
    /// [`PoolError::NoAdjacentSlots`](crate::PoolError::NoAdjacentSlots), or with
    /// [`PoolError::TimedOut`](crate::PoolError::TimedOut) after a wait. A waiting acquire that
    /// gets its slot is not a refusal: it counts in `waits`.
    pub times_exhausted: u64,
    /// Waiting acquires (`SyncPool::acquire_blocking`, `acquire_timeout`, `acquire_async` and
    /// their owned forms) that found the pool empty and had to wait, once each however long
    /// they waited.
    pub waits: u64,
    /// The total time those acquires spent waiting.
    pub wait_time: Duration,
}

impl Usage {
    /// Slots free to be acquired now.
    pub const fn available(&self) -> usize {
        self.capacity - self.in_use
    }
}
