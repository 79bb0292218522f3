//! The slot held: [`SyncGuard`] borrows the pool, [`OwnedGuard`] holds it by [`Arc`]. Dropping
//! either resets the value and gives the slot back to the releasing thread's magazine.

use core::marker::PhantomData;
use core::mem::ManuallyDrop;
use core::ptr::NonNull;
use std::sync::Arc;

use super::SyncPool;
use crate::unwind::OnUnwind;
use crate::value_access::value_access;
use crate::Reset;

/// Exclusive access to one slot of a [`SyncPool`], borrowing the pool; returns the slot on drop.
///
/// `Send` when `T: Send`, `Sync` when `T: Sync`. Leaking it with `mem::forget` is safe: the slot
/// stays counted as in use.
#[must_use = "dropping the guard returns the slot to the pool at once"]
pub struct SyncGuard<'a, T: Reset> {
    pool: &'a SyncPool<T>,
    index: u32,
    value: NonNull<T>,
    _owns: PhantomData<&'a mut T>,
}

/// Exclusive access to one slot of a [`SyncPool`] held by [`Arc`]: `'static`, so it can be sent
/// through a channel or stored; the slot still returns to its pool on drop, on whatever thread.
///
/// `Send` when `T: Send`, `Sync` when `T: Sync`. Leaking it leaks the slot and one reference to
/// the pool, which then is never freed; that is safe.
#[must_use = "dropping the guard returns the slot to the pool at once"]
pub struct OwnedGuard<T: Reset> {
    pool: Arc<SyncPool<T>>,
    index: u32,
    value: NonNull<T>,
}

// SAFETY (all four): a guard is the only handle to its slot's value (the module invariant), so
// it behaves like `&mut T` (for `SyncGuard`) or `Box<T>` (for `OwnedGuard`): sending it moves
// the exclusive access, which needs `T: Send`; sharing it shares `&T`, which needs `T: Sync`.
// The pool handle itself is `Send + Sync` when `T: Send`.
unsafe impl<T: Reset + Send> Send for SyncGuard<'_, T> {}
unsafe impl<T: Reset + Send + Sync> Sync for SyncGuard<'_, T> {}
unsafe impl<T: Reset + Send> Send for OwnedGuard<T> {}
unsafe impl<T: Reset + Send + Sync> Sync for OwnedGuard<T> {}

value_access!(SyncGuard<'a>);
value_access!(OwnedGuard);

impl<T: Reset> SyncGuard<'_, T> {
    /// Takes the value out of the guard for good. The slot gets a fresh value from the pool's
    /// constructor (so this allocates whatever the constructor allocates) and goes back to the
    /// pool at once: the pool keeps its capacity. An associated function, called as
    /// `SyncGuard::take(guard)`, so that it never hides a method of `T`.
    ///
    /// If the constructor panics, the guard is dropped as usual and the panic goes on.
    pub fn take(guard: Self) -> T {
        let fresh = (guard.pool.init)();
        let guard = ManuallyDrop::new(guard);
        // SAFETY: the guard owns slot `index` exclusively (the module invariant) and gives it
        // up with this call; the value is initialised.
        let value = unsafe { guard.value.as_ptr().replace(fresh) };
        guard.pool.put_cached(guard.index);
        value
    }
}

impl<T: Reset> OwnedGuard<T> {
    /// As [`SyncGuard::take`]: the value, for good; the slot gets a fresh one from the
    /// pool's constructor (which may allocate) and goes back to the pool at once.
    pub fn take(guard: Self) -> T {
        let fresh = (guard.pool.init)();
        let guard = ManuallyDrop::new(guard);
        // SAFETY: as in `SyncGuard::take`.
        let value = unsafe { guard.value.as_ptr().replace(fresh) };
        guard.pool.put_cached(guard.index);
        // SAFETY: `guard` is never dropped (`ManuallyDrop`), so its `Arc` is read out once and
        // dropped here: the reference the guard held goes away with it.
        drop(unsafe { core::ptr::read(&guard.pool) });
        value
    }
}

impl<T: Reset> Drop for SyncGuard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        self.pool.give_back(self.index, self.value);
    }
}

impl<T: Reset> Drop for OwnedGuard<T> {
    #[inline]
    fn drop(&mut self) {
        self.pool.give_back(self.index, self.value);
    }
}

impl<T: Reset> SyncPool<T> {
    #[inline]
    pub(super) fn guard(&self, index: u32, value: NonNull<T>) -> SyncGuard<'_, T> {
        SyncGuard {
            pool: self,
            index,
            value,
            _owns: PhantomData,
        }
    }

    #[inline]
    pub(super) fn owned_guard(self: &Arc<Self>, index: u32, value: NonNull<T>) -> OwnedGuard<T> {
        OwnedGuard {
            pool: Arc::clone(self),
            index,
            value,
        }
    }

    /// Resets the value and returns its slot to this thread's cache; keeps the slot, marked
    /// stale on the stack (caches hold no stale slot), if `reset` panics.
    #[inline]
    fn give_back(&self, index: u32, value: NonNull<T>) {
        let keep_slot = OnUnwind::arm(|| self.push(index, true));
        // SAFETY: the caller's guard owns slot `index` exclusively (the module invariant) and
        // drops its reference with this call; the value is initialised.
        unsafe { &mut *value.as_ptr() }.reset();
        keep_slot.disarm();
        self.put_cached(index);
    }
}
