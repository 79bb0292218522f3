//! What both pools share about slots: the capacity limit, the stale bit of a free-list entry, and
//! the lane-count check of the size-checked acquires.

use crate::{Lanes, PoolError};

/// The largest capacity a pool can be built with: slot indices are 31-bit.
pub const MAX_CAPACITY: usize = (1 << 31) - 1;

/// Free-list entry bit: the slot's `reset` panicked, so its value is rebuilt on the next
/// acquire. Kept beside the slot index, which acquire loads anyway, so the check costs no extra
/// memory access.
pub(crate) const STALE: u32 = 1 << 31;

/// Refuses a run of `lanes` rows that would not fit in one `T`.
#[inline]
pub(crate) fn check_lanes<T: Lanes>(lanes: usize) -> Result<(), PoolError> {
    if lanes > T::LANES {
        return Err(PoolError::InvalidSize {
            requested: lanes,
            max: T::LANES,
        });
    }
    Ok(())
}

/// Panics unless `capacity` is a valid pool size.
pub(crate) fn check_capacity(capacity: usize) {
    assert!(
        capacity <= MAX_CAPACITY,
        "pool capacity {capacity} exceeds {MAX_CAPACITY}"
    );
}
