//! The atomics and cell behind [`SyncPool`](crate::SyncPool): std's normally, loom's under
//! `--cfg loom` so the model checker can explore every interleaving.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize};

/// An `UnsafeCell` whose accesses loom tracks, so a slot handed to two threads at once is
/// reported as a data race by the model.
#[cfg(not(loom))]
#[repr(transparent)]
pub(crate) struct ValueCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> ValueCell<T> {
    pub(crate) fn new(value: T) -> Self {
        ValueCell(core::cell::UnsafeCell::new(value))
    }

    /// `capacity` cells, each value built where it lives.
    pub(crate) fn boxed_in_place(capacity: usize) -> Box<[Self]>
    where
        T: crate::slot::BuildInPlace,
    {
        let values = crate::slot::boxed_in_place::<T>(capacity);
        // SAFETY: `ValueCell<T>` and `UnsafeCell<T>` are `repr(transparent)` over `T`, so the
        // allocation of `[T]` is one of `[ValueCell<T>]` with the same length.
        unsafe { Box::from_raw(Box::into_raw(values) as *mut [Self]) }
    }

    /// A pointer to the value, for the slot's current owner.
    #[inline]
    pub(crate) fn owner_ptr(&self) -> *mut T {
        self.0.get()
    }
}

#[cfg(loom)]
pub(crate) struct ValueCell<T>(loom::cell::UnsafeCell<T>);

#[cfg(loom)]
impl<T> ValueCell<T> {
    pub(crate) fn new(value: T) -> Self {
        ValueCell(loom::cell::UnsafeCell::new(value))
    }

    /// Loom's cell is not layout-compatible with `T`: built by value, which the model's small
    /// values allow.
    pub(crate) fn boxed_in_place(capacity: usize) -> Box<[Self]>
    where
        T: crate::slot::BuildInPlace + Default,
    {
        (0..capacity).map(|_| Self::new(T::default())).collect()
    }

    /// Records a write access at hand-over time, which is where two owners would collide.
    pub(crate) fn owner_ptr(&self) -> *mut T {
        self.0.with_mut(|ptr| ptr)
    }
}
