//! Capacity monitoring.

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
    /// Acquires refused with [`PoolError::Exhausted`](crate::PoolError::Exhausted).
    pub times_exhausted: u64,
}

impl Usage {
    /// Slots free to be acquired now.
    pub const fn available(&self) -> usize {
        self.capacity - self.in_use
    }
}
