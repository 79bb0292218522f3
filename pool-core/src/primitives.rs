//! The atomics, cell, lock and thread parking behind [`SyncPool`](crate::SyncPool): std's
//! normally, loom's under `--cfg loom` so the model checker can explore every interleaving.

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize};
#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};
#[cfg(loom)]
pub(crate) use loom::thread::{current as current_thread, park, Thread};
#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize};
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};
#[cfg(not(loom))]
pub(crate) use std::thread::{current as current_thread, park, park_timeout, Thread};

/// Loom does not model time: a timed park is a park (and may return spuriously, as any park).
#[cfg(loom)]
pub(crate) fn park_timeout(_timeout: core::time::Duration) {
    park();
}

/// A number for the calling thread, handed out in order of first use (0, 1, 2, ...): the
/// [`SyncPool`](crate::SyncPool) cache a thread uses is this number modulo the cache count, so
/// threads started together get different caches. Allocation-free (a `const` thread local
/// without a destructor), one TLS read after the first call.
#[cfg(not(loom))]
#[inline]
pub(crate) fn thread_number() -> usize {
    use core::cell::Cell;
    use core::sync::atomic::Ordering::Relaxed;

    const UNSET: usize = usize::MAX;
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    thread_local! {
        static NUMBER: Cell<usize> = const { Cell::new(UNSET) };
    }
    NUMBER
        .try_with(|number| match number.get() {
            UNSET => {
                // Only an id: it orders nothing, and wrapping past 2^64 threads is harmless.
                let fresh = NEXT.fetch_add(1, Relaxed) & !(1 << (usize::BITS - 1));
                number.set(fresh);
                fresh
            }
            known => known,
        })
        // Only while the thread's TLS is torn down; any cache is correct, just shared.
        .unwrap_or(0)
}

/// Under loom, numbered per execution (loom's `lazy_static` and thread locals are reset for
/// each interleaving), so every execution maps threads to caches the same way.
#[cfg(loom)]
pub(crate) fn thread_number() -> usize {
    loom::lazy_static! {
        static ref NEXT: AtomicUsize = AtomicUsize::new(0);
    }
    loom::thread_local! {
        static NUMBER: usize = NEXT.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
    }
    NUMBER.with(|number| *number)
}

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
