//! What both pools share about slots: the capacity limit, the stale bit of a free-list entry, and
//! the lane-count check of the size-checked acquires.

use core::mem::MaybeUninit;

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

/// A type that can be built directly where it will live, field by field, so that a large value
/// (a lane block of hundreds of kilobytes) is never built on the stack and moved: what
/// [`Pool::new_in_place`](crate::Pool::new_in_place) and
/// [`SyncPool::new_in_place`](crate::SyncPool::new_in_place) use.
///
/// `#[derive(SoA)]` implements it for every block through pool-core's `soa_build_in_place!`
/// macro, whose expansion the compiler checks to name every field with its exact type.
///
/// # Safety
///
/// `build_in_place` must leave a valid `Self` at `place`: every field initialised.
pub unsafe trait BuildInPlace: Sized {
    /// Initialises `*place` in place.
    ///
    /// # Safety
    ///
    /// `place` must be valid for writes of one `Self` and aligned for it; what it holds before
    /// is overwritten without being dropped.
    unsafe fn build_in_place(place: *mut Self);
}

/// `capacity` values of `T`, each built where it lives in one allocation.
///
/// If a build panics, the values already built are dropped and the allocation freed; the one
/// half-built value is neither dropped nor read (what its finished fields own leaks).
pub(crate) fn boxed_in_place<T: BuildInPlace>(capacity: usize) -> Box<[T]> {
    /// Drops the first `built` slots if dropped itself, that is, if a build unwinds.
    struct Built<'a, T> {
        slots: &'a mut [MaybeUninit<T>],
        built: usize,
    }

    impl<T> Drop for Built<'_, T> {
        fn drop(&mut self) {
            for slot in &mut self.slots[..self.built] {
                // SAFETY: the first `built` slots were built completely (`built` counts only
                // returned builds) and nothing else refers to them.
                unsafe { slot.assume_init_drop() };
            }
        }
    }

    let mut slots = Box::<[T]>::new_uninit_slice(capacity);
    let mut progress = Built {
        slots: &mut slots,
        built: 0,
    };
    while progress.built < capacity {
        let slot = &mut progress.slots[progress.built];
        // SAFETY: `slot` is one element of an allocation for `[T]`, so it is valid for writes
        // of a `T` and aligned for it.
        unsafe { T::build_in_place(slot.as_mut_ptr()) };
        progress.built += 1;
    }
    core::mem::forget(progress);
    // SAFETY: the loop built every slot, and `build_in_place` leaves a valid `T` (its contract).
    unsafe { slots.assume_init() }
}

/// Builds `T` in place at `place`, for [`soa_build_in_place!`](crate::__soa_build_in_place):
/// every field of `Self` is named in an exhaustive pattern (so the compiler rejects a missing
/// field), each lane array is written element by element at its typed address, and each other
/// field whole.
#[doc(hidden)]
#[macro_export]
macro_rules! __soa_build_in_place {
    (
        impl [$($generics:tt)*] for [$($ty:tt)*] where [$($bounds:tt)*] {
            lanes { $($lane:ident: [$elem:ty; $lanes:expr] = $lane_init:expr,)* }
            fields { $($field:ident: $field_ty:ty = $field_init:expr,)* }
        }
    ) => {
        // SAFETY: `build_in_place` initialises every field of `Self`: the pattern below names
        // each of them (a missing one is a compile error), and each is written through a raw
        // pointer whose type the compiler checks against the field's declaration.
        #[automatically_derived]
        unsafe impl $($generics)* $crate::__private::BuildInPlace for $($ty)* where $($bounds)* {
            unsafe fn build_in_place(__place: *mut Self) {
                let _ = |__value: &Self| {
                    let Self { $($lane: _,)* $($field: _,)* } = __value;
                };
                $(
                    // SAFETY: `__place` is valid for writes of `Self` (the caller's contract),
                    // so this field is too; `&raw mut` creates no reference to the
                    // uninitialised value.
                    let __lanes: *mut [$elem; $lanes] = unsafe { &raw mut (*__place).$lane };
                    let __first = __lanes.cast::<$elem>();
                    for __index in 0..$lanes {
                        // SAFETY: `__index < $lanes`, so this is an element of the lane array.
                        // Unaligned writes: correct whatever the struct's `repr`.
                        unsafe { __first.add(__index).write_unaligned($lane_init) };
                    }
                )*
                $(
                    // SAFETY: as for the lanes; one whole field.
                    let __field: *mut $field_ty = unsafe { &raw mut (*__place).$field };
                    // SAFETY: the field is valid for writes (above).
                    unsafe { __field.write_unaligned($field_init) };
                )*
            }
        }
    };
}
