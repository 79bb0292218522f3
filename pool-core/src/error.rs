//! The one error type of pool-core.

/// Why a pool refused to hand out a slot.
///
/// Every variant is `Copy` and carries plain numbers, so building, returning and matching on an
/// error never allocates: the exhausted path is as allocation-free as the happy path.
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
}
