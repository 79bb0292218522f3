//! The one error type of pool-core: every pool operation and, through `From`, every lane-block
//! operation returns it, so `?` works across both.

use core::time::Duration;

use crate::LaneError;

/// Why a pool refused to hand out a slot, or a lane block refused a row.
///
/// Every variant is `Copy` and carries plain numbers, so building, returning and matching on an
/// error never allocates: the exhausted path is as allocation-free as the happy path.
///
/// [`LaneError`] converts into it, so one function can fill blocks and acquire them with `?`:
///
/// ```
/// use pool_core::{LaneBlock, Pool, PoolError};
///
/// fn load<B: LaneBlock>(pool: &Pool<B>, rows: Vec<B::Row>) -> Result<usize, PoolError> {
///     let mut block = pool.acquire()?; // PoolError
///     for row in rows {
///         block.push(row)?; // LaneError, converted
///     }
///     Ok(block.len())
/// }
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum PoolError {
    /// Every slot is held by a live guard. The pool never grows.
    #[error(
        "pool exhausted: all {capacity} slots are in use; drop a guard to return its slot, \
         or build the pool with a larger capacity"
    )]
    Exhausted {
        /// The pool's fixed capacity.
        capacity: usize,
    },
    /// A slice acquire (`Pool::acquire_slice`) found no run of adjacent free slots as long as
    /// it asked for.
    #[error(
        "no {requested} adjacent free slots: the longest run of free slots is {longest} \
         (capacity {capacity}); drop guards to free slots, or acquire a shorter slice"
    )]
    NoAdjacentSlots {
        /// The number of adjacent slots asked for.
        requested: usize,
        /// The longest run of adjacent free slots there was.
        longest: usize,
        /// The pool's fixed capacity.
        capacity: usize,
    },
    /// A waiting acquire with a time limit (`SyncPool::acquire_timeout`) saw no slot come back
    /// in time.
    #[error(
        "timed out after {timeout:?} waiting for a slot: all {capacity} slots stayed in use; \
         wait longer, return guards sooner, or build the pool with a larger capacity"
    )]
    TimedOut {
        /// The pool's fixed capacity.
        capacity: usize,
        /// How long the acquire waited.
        timeout: Duration,
    },
    /// A size-checked acquire asked for more lanes than the buffer type has.
    #[error(
        "invalid size: {requested} lanes requested but the buffer holds at most {max}; \
         split the run into chunks of at most {max}"
    )]
    InvalidSize {
        /// The number of lanes asked for.
        requested: usize,
        /// The buffer type's lane count.
        max: usize,
    },
    /// A lane block refused a row (from `?` on a [`LaneError`]).
    #[error(transparent)]
    Lane(#[from] LaneError),
}
