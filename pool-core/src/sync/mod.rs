//! [`SyncPool`]: the lock-free pool for many threads, with [`SyncGuard`] and [`OwnedGuard`], and
//! its waiting acquires.
//!
//! Files, in the order a slot moves through them:
//! - `stack.rs`: the shared free list, a Treiber stack of slot indices in which every slot
//!   starts; the ABA argument for its pops.
//! - `magazine.rs`: the per-thread caches in front of the stack, where a release puts its slot
//!   and the same thread's next acquire finds it.
//! - `take.rs`: an acquire through both, own magazine, stack, then every other magazine, with
//!   the proof that ties them: a refusal means every slot was held at one instant.
//! - `wait.rs`: when none is free, waiting for one (blocking, with a timeout, async), served
//!   first come, first served, and why a release into a magazine or onto the stack never
//!   misses a waiter.
//! - `waiters.rs`: the queue of waiting acquires, an intrusive list of nodes that live in the
//!   waiters themselves, so waiting allocates nothing.
//! - `acquiring.rs`: the futures of the async acquires, which keep their node.
//! - `guard.rs`: the slot held, as [`SyncGuard`] or [`OwnedGuard`]; dropping one resets the
//!   value and gives the slot back to the releasing thread's magazine.
//!
//! Every count in [`Usage`] is cheap to read (O(caches × [`MAGAZINE`](magazine::MAGAZINE)), a
//! fixed bound): the pop count in `head` counts pops and each cache word's high half counts its
//! takes (with `acquires_wrapped` counting their wrap-arounds), the depth plus the occupied
//! cache words give the free slots, and `ever_used` is the high-water mark: slots start on the
//! stack in index order, a cached slot was popped before, and a slot that was never used stays
//! below every used one, so slot `k` is first popped only when slots `0..k` are all in use.
//!
//! Invariants, relied on by every `unsafe` block in this module and its files:
//! - A slot index is in exactly one place: on the free stack, in one cache word, or owned by one
//!   live (or leaked) guard, or by one waiter (a slot handed over sits in the waiter's node, or
//!   in the releasing thread on its way there). Moving it is one successful CAS (or a pop, or a
//!   hand-over under the waiters' lock), so a guard's access to its slot's value is exclusive.
//! - Popping increments the pop count. A popper that read `head = (pops, A)` and `next[A] = B`
//!   can only succeed if no pop happened since; a push alone cannot bring `A` back to the top
//!   (it is already there), so the stale-`next` ABA case cannot commit. The 32-bit pop count
//!   would have to wrap (2^32 pops) while one thread sits between its load and its CAS.
//! - Pushing or caching publishes the slot with `Release`; popping or taking it from a cache
//!   does so with `Acquire` (and a displaced slot is acquired from the cache before it is
//!   pushed); a slot handed to a waiter passes through the waiters' lock after that acquire. So
//!   everything the previous owner wrote to the value (and `reset` wrote) happens-before the
//!   next owner's first access.
//! - Every slot's value is initialised from construction until the pool drops.

mod acquiring;
mod guard;
mod magazine;
mod stack;
mod take;
mod wait;
mod waiters;

use core::fmt;
use core::sync::atomic::Ordering::{Acquire, Relaxed};
use core::time::Duration;
use std::sync::Arc;

use crate::primitives::{AtomicU32, AtomicU64, ValueCell};
use crate::slot::{check_capacity, check_lanes, BuildInPlace};
use crate::{Lanes, PoolError, Reset, Usage};

pub use acquiring::{Acquiring, AcquiringOwned};
pub use guard::{OwnedGuard, SyncGuard};
use magazine::{cache_count, Cache};
use stack::{Top, DEPTH_SHIFT, INDEX_MASK, NIL};
use waiters::Waiters;

/// A fixed-capacity, lock-free LIFO object pool shared by many threads.
///
/// The same contract as [`Pool`](crate::Pool): every slot is built in [`SyncPool::new`], the pool
/// never allocates or grows afterwards, acquire takes `&self` and hands out the slot the same
/// thread returned last (the one most likely in its CPU's cache), and dropping a guard resets the
/// value and returns the slot. `SyncPool<T>` is `Send + Sync` when `T: Send`.
///
/// Threads that acquire and release at the same time do not contend: each returns slots to a
/// small cache of its own (a magazine of up to four slots, so a thread may hold up to four guards
/// at once; see the module docs), which other threads still take from before refusing, so a
/// free slot is never lost to exhaustion and [`usage`](SyncPool::usage) is exact whenever no
/// guard is moving.
///
/// Two guards: [`SyncGuard`] borrows the pool; [`OwnedGuard`] holds it by [`Arc`], is `'static`,
/// and can travel through a channel to another thread and still return home on drop.
///
/// # Waiting for a slot
///
/// [`acquire`](SyncPool::acquire) refuses at once when every slot is in use. For backpressure,
/// wait instead: [`acquire_blocking`](SyncPool::acquire_blocking) and
/// [`acquire_timeout`](SyncPool::acquire_timeout) block the thread,
/// [`acquire_async`](SyncPool::acquire_async) is a future for any async runtime, and each has an
/// owned form. Waiters are served first come, first served: while anyone waits, a slot that
/// comes back is handed to the longest waiter, so an acquire that waits is passed over by at
/// most the few acquires that raced it, never starved by threads or tasks that release and
/// acquire again. Waiting allocates nothing, and a waiting future that is dropped keeps no slot
/// (one handed to it goes to the next waiter). Waiting costs the release path nothing while
/// nobody waits. [`Usage`] counts waits and time spent waiting, not refusals.
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
///
/// // Backpressure: a producer waits for a worker to return a block.
/// let held: Vec<_> = (0..4).map(|_| pool.acquire_owned()).collect::<Result<_, _>>()?;
/// let worker = thread::spawn(move || drop(held));
/// let block = pool.acquire_owned_blocking()?; // sleeps until the worker's drop
/// worker.join().unwrap();
/// drop(block);
/// # Ok::<(), pool_core::PoolError>(())
/// ```
pub struct SyncPool<T: Reset> {
    /// The values alone, so a cache-line-aligned `T` is not padded by bookkeeping.
    values: Box<[ValueCell<T>]>,
    /// Free-stack links and depths: see the module docs.
    next: Box<[AtomicU64]>,
    top: Top,
    /// How many times the pop count in `head` wrapped around.
    acquires_wrapped: AtomicU64,
    times_exhausted: AtomicU64,
    /// The per-thread caches in front of the stack: a power of two of them.
    caches: Box<[Cache]>,
    waits: AtomicU64,
    wait_nanos: AtomicU64,
    /// Slots taken to hand to a waiter that had left, and put back: not acquires.
    takes_undone: AtomicU64,
    /// Waiting acquires, oldest first.
    waiters: Waiters,
    init: Box<dyn Fn() -> T + Send + Sync>,
}

// SAFETY: a `SyncPool` hands each value to one guard at a time (the module invariant), like a
// `Mutex`, so sharing the pool only ever moves `T`s between threads: `T: Send` suffices. The
// other fields are atomics, the waiters' queue (behind a lock) and a `Send + Sync` closure.
unsafe impl<T: Reset + Send> Sync for SyncPool<T> {}

impl<T: Reset> SyncPool<T> {
    /// Builds a pool of `capacity` slots, each initialised by `init`.
    ///
    /// Each slot holds `init()`'s value as built until its first guard returns it: the first
    /// acquire of a slot gets it without a [`Reset::reset`]. `init` is kept to rebuild a slot
    /// whose [`Reset::reset`] panicked.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds [`MAX_CAPACITY`](crate::MAX_CAPACITY), or if `init` panics.
    pub fn new(capacity: usize, init: impl Fn() -> T + Send + Sync + 'static) -> Self {
        check_capacity(capacity);
        let values = (0..capacity).map(|_| ValueCell::new(init())).collect();
        Self::from_values(values, Box::new(init))
    }

    /// Builds a pool of `capacity` slots, each built where it lives, never on the stack: for
    /// values too large to build and move (derived lane blocks use it, through
    /// `Lanes::sync_pool`). `T::default` is kept to rebuild a slot whose reset panicked.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds [`MAX_CAPACITY`](crate::MAX_CAPACITY), or if building a value
    /// panics.
    pub fn new_in_place(capacity: usize) -> Self
    where
        T: BuildInPlace + Default + 'static,
    {
        check_capacity(capacity);
        Self::from_values(ValueCell::boxed_in_place(capacity), Box::new(T::default))
    }

    fn from_values(values: Box<[ValueCell<T>]>, init: Box<dyn Fn() -> T + Send + Sync>) -> Self {
        let capacity = values.len();
        // Slot 0 on top, linked down to the last slot, as in `Pool`.
        let next = (0..capacity as u32)
            .map(|index| {
                let below = index + 1;
                let link = if (below as usize) < capacity {
                    below
                } else {
                    NIL
                };
                let depth = capacity as u64 - u64::from(index);
                AtomicU64::new(depth << DEPTH_SHIFT | u64::from(link))
            })
            .collect();
        let top = if capacity == 0 { NIL } else { 0 };
        SyncPool {
            values,
            next,
            top: Top {
                head: AtomicU64::new(u64::from(top)),
                ever_used: AtomicU32::new(0),
            },
            acquires_wrapped: AtomicU64::new(0),
            times_exhausted: AtomicU64::new(0),
            caches: (0..cache_count(capacity)).map(|_| Cache::new()).collect(),
            waits: AtomicU64::new(0),
            wait_nanos: AtomicU64::new(0),
            takes_undone: AtomicU64::new(0),
            waiters: Waiters::new(),
            init,
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

    /// Slots free to be acquired now, in O(1). Other threads may change it at any moment.
    ///
    /// Counts the slots threads keep cached: they are free, and any acquire takes them. The
    /// cost does not grow with the capacity: two words of the stack and the cache words, four
    /// per cache and at most two caches per CPU (a few dozen loads on a small machine).
    pub fn available(&self) -> usize {
        let cached = self
            .cache_words()
            .filter(|word| word.load(Acquire) & INDEX_MASK != u64::from(NIL))
            .count();
        // A slot moving from a cache to the stack meanwhile may be seen in both.
        (self.stacked() + cached).min(self.values.len())
    }

    /// Slot `index`'s value cell; unchecked, as [`link`](Self::link).
    #[inline(always)]
    fn value(&self, index: u32) -> &ValueCell<T> {
        debug_assert!((index as usize) < self.values.len());
        // SAFETY: as in `link`; `values.len() == next.len()`.
        unsafe { self.values.get_unchecked(index as usize) }
    }

    /// Takes the slot this thread returned last if it is still cached, else the most recently
    /// returned free slot, as a guard that borrows the pool.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every slot is held by a guard.
    #[inline]
    pub fn acquire(&self) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take()?;
        Ok(self.guard(index, value))
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

    /// Takes a free slot as [`acquire`](SyncPool::acquire) does, as a `'static` guard that keeps
    /// the pool alive through its [`Arc`].
    ///
    /// Each owned guard clones the `Arc` and drops the clone on its way home: two
    /// read-modify-writes of the one reference count that every thread shares. Threads that
    /// acquire in a tight loop at the same time therefore contend on that count where
    /// [`acquire`](SyncPool::acquire)'s borrowing guards do not; when the threads can borrow the
    /// pool (scoped threads, a pool that outlives the workers), prefer `acquire`.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every slot is held by a guard.
    #[inline]
    pub fn acquire_owned(self: &Arc<Self>) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take()?;
        Ok(self.owned_guard(index, value))
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

    /// A snapshot of occupancy and history, in O(1). Each field is exact, but while other
    /// threads acquire and return slots they are read at slightly different instants.
    pub fn usage(&self) -> Usage {
        let capacity = self.values.len();
        Usage {
            in_use: capacity - self.available(),
            capacity,
            high_water_mark: self.top.ever_used.load(Relaxed) as usize,
            total_acquires: self.total_acquires(),
            times_exhausted: self.times_exhausted.load(Relaxed),
            waits: self.waits.load(Relaxed),
            wait_time: Duration::from_nanos(self.wait_nanos.load(Relaxed)),
        }
    }

    /// Pops counted in `head` and takes counted by the caches, plus 2^32 for each time one of
    /// those counters wrapped, less the takes put back unused. (Within the few instructions
    /// between a wrapping acquire and its count, this reads 2^32 low.)
    fn total_acquires(&self) -> u64 {
        loop {
            let wrapped = self.acquires_wrapped.load(Acquire);
            let pops = self.top.head.load(Acquire) >> 32;
            let taken: u64 = self
                .cache_words()
                .map(|word| word.load(Acquire) >> 32)
                .sum();
            if self.acquires_wrapped.load(Acquire) == wrapped {
                let undone = self.takes_undone.load(Relaxed);
                return ((wrapped << 32) + pops + taken).saturating_sub(undone);
            }
        }
    }
}

impl<T: Reset> fmt::Debug for SyncPool<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SyncPool")
            .field("usage", &self.usage())
            .finish_non_exhaustive()
    }
}
