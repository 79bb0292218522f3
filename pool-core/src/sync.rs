//! [`SyncPool`]: the lock-free pool for many threads, with [`SyncGuard`] and [`OwnedGuard`].
//!
//! The free list is a Treiber stack of slot indices. `head` packs a 32-bit tag above the 32-bit
//! index of the top slot (`NIL` when empty); `next[i]` links slot `i` to the slot below it, and
//! carries the `STALE` bit when the slot's value must be rebuilt before it is handed out again.
//!
//! The hot path does two atomic read-modify-writes per round trip (the pop and the push CAS)
//! and nothing else shared: each slot's acquire and release counters are written only by the
//! slot's current owner (plain load + store), and [`SyncPool::usage`] sums them. The high-water
//! mark needs no counter of its own: slots start on the stack in index order, and a slot that
//! was never used stays below every used one, so slot `k` is first popped only when slots
//! `0..k` are all in use. The number of slots ever used is therefore the high-water mark.
//!
//! Invariants, relied on by every `unsafe` block in this module:
//! - A slot index is either on the free stack or owned by exactly one live (or leaked) guard.
//!   So a guard's access to its slot's value is exclusive.
//! - Popping increments the tag. A popper that read `head = (tag, A)` and `next[A] = B` can
//!   only succeed if no pop happened since; a push alone cannot bring `A` back to the top
//!   (it is already there), so the stale-`next` ABA case cannot commit. The 32-bit tag would
//!   have to wrap (2^32 pops) while one thread sits between its load and its CAS.
//! - Pushing publishes the slot with `Release`; popping takes it with `Acquire`. So everything
//!   the previous owner wrote to the value (and `reset` wrote) happens-before the next owner's
//!   first access.
//! - Every slot's value is initialised from construction until the pool drops.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;
use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::Arc;

use crate::primitives::{AtomicU32, AtomicU64, ValueCell};
use crate::unwind::OnUnwind;
use crate::{Lanes, PoolError, Reset, Usage, MAX_CAPACITY};

const NIL: u32 = u32::MAX >> 1;
const STALE: u32 = 1 << 31;
const INDEX_MASK: u64 = u32::MAX as u64;
const ONE_TAG: u64 = 1 << 32;

/// A fixed-capacity, lock-free LIFO object pool shared by many threads.
///
/// The same contract as [`Pool`](crate::Pool): every slot is built in [`SyncPool::new`], the pool
/// never allocates or grows afterwards, acquire takes `&self` and hands out the slot returned last,
/// and dropping a guard resets the value and returns the slot. `SyncPool<T>` is `Send + Sync`
/// when `T: Send`.
///
/// Two guards: [`SyncGuard`] borrows the pool; [`OwnedGuard`] holds it by [`Arc`], is `'static`,
/// and can travel through a channel to another thread and still return home on drop.
///
/// ```
/// use std::sync::Arc;
/// use std::thread;
/// use pool_core::{Reset, SyncPool};
///
/// #[derive(Default)]
/// struct Block([u64; 8]);
/// impl Reset for Block {
///     fn reset(&mut self) { self.0 = [0; 8] }
/// }
///
/// let pool = Arc::new(SyncPool::<Block>::with_default(4));
/// let mut block = pool.acquire_owned()?;
/// block.0[0] = 7;
/// let worker = thread::spawn(move || block.0[0]); // the guard goes home on the worker's drop
/// assert_eq!(worker.join().unwrap(), 7);
/// assert_eq!(pool.usage().in_use, 0);
/// # Ok::<(), pool_core::PoolError>(())
/// ```
pub struct SyncPool<T: Reset> {
    /// The values alone, so a cache-line-aligned `T` is not padded by bookkeeping.
    values: Box<[ValueCell<T>]>,
    /// Free-stack links: the slot below, or `NIL`, plus the `STALE` bit.
    next: Box<[AtomicU32]>,
    counters: Box<[SlotCounters]>,
    head: AtomicU64,
    times_exhausted: AtomicU64,
    init: Box<dyn Fn() -> T + Send + Sync>,
}

/// Per-slot counts, written only by the slot's owner, so no read-modify-write is needed: the
/// next owner sees them through the free stack's release/acquire hand-over.
struct SlotCounters {
    acquires: AtomicU64,
    releases: AtomicU64,
}

// SAFETY: a `SyncPool` hands each value to one guard at a time (the module invariant), like a
// `Mutex`, so sharing the pool only ever moves `T`s between threads: `T: Send` suffices. The
// other fields are atomics and a `Send + Sync` closure.
unsafe impl<T: Reset + Send> Sync for SyncPool<T> {}

impl<T: Reset> SyncPool<T> {
    /// Builds a pool of `capacity` slots, each initialised by `init`.
    ///
    /// `init` is kept to rebuild a slot whose [`Reset::reset`] panicked.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds [`MAX_CAPACITY`], or if `init` panics.
    pub fn new(capacity: usize, init: impl Fn() -> T + Send + Sync + 'static) -> Self {
        assert!(
            capacity <= MAX_CAPACITY,
            "pool capacity {capacity} exceeds {MAX_CAPACITY}"
        );
        // Slot 0 on top, linked down to the last slot, as in `Pool`.
        let values = (0..capacity).map(|_| ValueCell::new(init())).collect();
        let next = (1..=capacity as u32)
            .map(|below| {
                AtomicU32::new(if (below as usize) < capacity {
                    below
                } else {
                    NIL
                })
            })
            .collect();
        let counters = (0..capacity)
            .map(|_| SlotCounters {
                acquires: AtomicU64::new(0),
                releases: AtomicU64::new(0),
            })
            .collect();
        let top = if capacity == 0 { NIL } else { 0 };
        SyncPool {
            values,
            next,
            counters,
            head: AtomicU64::new(u64::from(top)),
            times_exhausted: AtomicU64::new(0),
            init: Box::new(init),
        }
    }

    /// Builds a pool of `capacity` slots, each `T::default()`.
    pub fn with_default(capacity: usize) -> Self
    where
        T: Default + 'static,
    {
        Self::new(capacity, T::default)
    }

    /// The fixed number of slots.
    pub fn capacity(&self) -> usize {
        self.values.len()
    }

    /// Takes the most recently returned free slot, as a guard that borrows the pool.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every slot is held by a guard.
    #[inline]
    pub fn acquire(&self) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take()?;
        Ok(SyncGuard {
            pool: self,
            index,
            value,
            _owns: PhantomData,
        })
    }

    /// Like [`acquire`](SyncPool::acquire), after checking that a run of `lanes` rows fits.
    ///
    /// # Errors
    ///
    /// [`PoolError::InvalidSize`] when `lanes > T::LANES`, else as [`acquire`](SyncPool::acquire).
    #[inline]
    pub fn acquire_for(&self, lanes: usize) -> Result<SyncGuard<'_, T>, PoolError>
    where
        T: Lanes,
    {
        check_lanes::<T>(lanes)?;
        self.acquire()
    }

    /// Takes the most recently returned free slot, as a `'static` guard that keeps the pool
    /// alive through its [`Arc`].
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every slot is held by a guard.
    #[inline]
    pub fn acquire_owned(self: &Arc<Self>) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take()?;
        Ok(OwnedGuard {
            pool: Arc::clone(self),
            index,
            value,
        })
    }

    /// Like [`acquire_owned`](SyncPool::acquire_owned), after checking that a run of `lanes`
    /// rows fits.
    ///
    /// # Errors
    ///
    /// [`PoolError::InvalidSize`] when `lanes > T::LANES`, else as
    /// [`acquire_owned`](SyncPool::acquire_owned).
    #[inline]
    pub fn acquire_owned_for(self: &Arc<Self>, lanes: usize) -> Result<OwnedGuard<T>, PoolError>
    where
        T: Lanes,
    {
        check_lanes::<T>(lanes)?;
        self.acquire_owned()
    }

    /// A snapshot of occupancy and history, summed over the slots (O(capacity)). Exact when
    /// no other thread is acquiring or returning meanwhile; otherwise each slot is read at a
    /// slightly different instant.
    pub fn usage(&self) -> Usage {
        let (mut acquires, mut releases, mut ever_used) = (0u64, 0u64, 0usize);
        for counters in self.counters.iter() {
            let slot_acquires = counters.acquires.load(Relaxed);
            acquires += slot_acquires;
            releases += counters.releases.load(Relaxed);
            ever_used += usize::from(slot_acquires > 0);
        }
        Usage {
            in_use: usize::try_from(acquires.saturating_sub(releases)).unwrap_or(usize::MAX),
            capacity: self.values.len(),
            high_water_mark: ever_used,
            total_acquires: acquires,
            times_exhausted: self.times_exhausted.load(Relaxed),
        }
    }

    /// Pops a slot and does the bookkeeping shared by both guards.
    #[inline]
    fn take(&self) -> Result<(u32, NonNull<T>), PoolError> {
        let Some((index, stale)) = self.pop() else {
            return Err(self.refuse_exhausted());
        };
        let counters = &self.counters[index as usize];
        counters
            .acquires
            .store(counters.acquires.load(Relaxed) + 1, Relaxed);
        let cell = &self.values[index as usize];
        if stale {
            self.rebuild(index, cell);
        }
        // `UnsafeCell::get` never returns null.
        let value = NonNull::new(cell.owner_ptr()).expect("slot pointer is never null");
        Ok((index, value))
    }

    /// Pops the top slot: its index, and whether it is stale.
    #[inline]
    fn pop(&self) -> Option<(u32, bool)> {
        let mut head = self.head.load(Acquire);
        loop {
            let index = (head & INDEX_MASK) as u32;
            if index == NIL {
                return None;
            }
            // May be outdated if another thread pops concurrently; then the CAS fails. If the
            // CAS succeeds, no pop happened since, so this is what the slot's last push wrote.
            let link = self.next[index as usize].load(Relaxed);
            let popped = (head & !INDEX_MASK).wrapping_add(ONE_TAG) | u64::from(link & !STALE);
            match self
                .head
                .compare_exchange_weak(head, popped, Acquire, Acquire)
            {
                Ok(_) => return Some((index, link & STALE != 0)),
                Err(current) => head = current,
            }
        }
    }

    /// Pushes slot `index`, marked stale if `stale`.
    #[inline]
    fn push(&self, index: u32, stale: bool) {
        let link = &self.next[index as usize];
        let stale_bit = if stale { STALE } else { 0 };
        let mut head = self.head.load(Relaxed);
        loop {
            link.store((head & INDEX_MASK) as u32 | stale_bit, Relaxed);
            let pushed = (head & !INDEX_MASK) | u64::from(index);
            match self
                .head
                .compare_exchange_weak(head, pushed, Release, Relaxed)
            {
                Ok(_) => return,
                Err(current) => head = current,
            }
        }
    }

    /// Resets the value and returns its slot; keeps the slot, marked stale, if `reset` panics.
    #[inline]
    fn give_back(&self, index: u32, value: NonNull<T>) {
        let keep_slot = OnUnwind::arm(|| self.release(index, true));
        // SAFETY: the caller's guard owns slot `index` exclusively (the module invariant) and
        // drops its reference with this call; the value is initialised.
        unsafe { &mut *value.as_ptr() }.reset();
        keep_slot.disarm();
        self.release(index, false);
    }

    #[inline]
    fn release(&self, index: u32, stale: bool) {
        let counters = &self.counters[index as usize];
        counters
            .releases
            .store(counters.releases.load(Relaxed) + 1, Relaxed);
        self.push(index, stale);
    }

    #[cold]
    fn refuse_exhausted(&self) -> PoolError {
        self.times_exhausted.fetch_add(1, Relaxed);
        PoolError::Exhausted {
            capacity: self.values.len(),
        }
    }

    /// Replaces the value of a slot whose reset panicked. If `init` panics too, the slot goes
    /// back to the free list, still stale.
    #[cold]
    #[inline(never)]
    fn rebuild(&self, index: u32, cell: &ValueCell<T>) {
        let keep_slot = OnUnwind::arm(|| self.release(index, true));
        let fresh = (self.init)();
        // SAFETY: `index` was just popped, so this thread owns the slot exclusively.
        unsafe { *cell.owner_ptr() = fresh };
        keep_slot.disarm();
    }
}

fn check_lanes<T: Lanes>(lanes: usize) -> Result<(), PoolError> {
    if lanes > T::LANES {
        return Err(PoolError::InvalidSize {
            requested: lanes,
            max: T::LANES,
        });
    }
    Ok(())
}

impl<T: Reset> fmt::Debug for SyncPool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncPool")
            .field("usage", &self.usage())
            .finish_non_exhaustive()
    }
}

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

macro_rules! guard_access {
    ($guard:ident $(<$lt:lifetime>)?) => {
        impl<$($lt,)? T: Reset> Deref for $guard<$($lt,)? T> {
            type Target = T;

            #[inline]
            fn deref(&self) -> &T {
                // SAFETY: the guard owns its slot exclusively (the module invariant), the value
                // is initialised, and the pool outlives the guard.
                unsafe { self.value.as_ref() }
            }
        }

        impl<$($lt,)? T: Reset> DerefMut for $guard<$($lt,)? T> {
            #[inline]
            fn deref_mut(&mut self) -> &mut T {
                // SAFETY: as in `deref`; `&mut self` makes this the only reference handed out.
                unsafe { self.value.as_mut() }
            }
        }

        impl<$($lt,)? T: Reset> Drop for $guard<$($lt,)? T> {
            #[inline]
            fn drop(&mut self) {
                self.pool.give_back(self.index, self.value);
            }
        }

        impl<$($lt,)? T: Reset + fmt::Debug> fmt::Debug for $guard<$($lt,)? T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&**self, f)
            }
        }
    };
}

guard_access!(SyncGuard<'a>);
guard_access!(OwnedGuard);
