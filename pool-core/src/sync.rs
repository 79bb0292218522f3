//! [`SyncPool`]: the lock-free pool for many threads, with [`SyncGuard`] and [`OwnedGuard`], and
//! its waiting acquires.
//!
//! The free list is a Treiber stack of slot indices. `head` packs a 32-bit tag above the
//! [`WAITERS`] bit and the 31-bit index of the top slot (`NIL` when empty). `next[i]` holds, for
//! slot `i` while it is on the stack, the slot below it (or `NIL`) with the `STALE` bit when the
//! value must be rebuilt before it is handed out again, and in its high half the stack's depth at
//! `i` (the number of free slots from `i` down). So [`SyncPool::available`] reads two words.
//!
//! In front of the stack sit the caches: a small fixed array of them, each on its own pair of
//! cache lines, and a thread uses cache `thread_number() % caches` (threads are numbered in
//! order of first use, so threads started together get different caches). A cache is a
//! magazine of [`MAGAZINE`] words used as a ring, plus a `top` position. Each word holds one
//! free slot index (or `NIL`) in its low half and, in its high half, how many acquires took a
//! slot from it. A release puts its slot in the word at `top` (one CAS) and advances `top`; if
//! that word was occupied (the magazine is full, and that word holds its oldest slot), the slot
//! it displaces goes onto the stack. An acquire takes the word below `top` (one CAS) and moves
//! `top` down; if that word is empty it tries the rest of its magazine from the top down, then
//! pops the stack, then steals from every word of every cache. So a thread that holds up to
//! [`MAGAZINE`] guards at once and returns them touches only its own cache's line (one CAS per
//! acquire and per release) and reads `head` (which then rarely changes): threads do not fight
//! over `head`. Order stays LIFO per thread: what a thread returned last it gets first, and
//! what overflowed onto the stack is older than what stayed in the magazine.
//!
//! `top` is a hint, not a lock: it is read and written with plain relaxed accesses, threads that
//! share a cache may race on it, and a steal can leave a hole below it. None of that can lose or
//! duplicate a slot, since every move of a slot is a CAS on one word; a wrong `top` only costs a
//! displacement to the stack or a scan of the magazine. Each word on its own behaves exactly like
//! the one-slot cache before it, so every argument below is per word.
//!
//! Every count in [`Usage`] is cheap to read (O(caches × [`MAGAZINE`]), a fixed bound): the tag
//! counts pops and each cache word's high half counts its takes (with `acquires_wrapped`
//! counting their wrap-arounds), the depth plus the occupied cache words give the free slots,
//! and `ever_used` is the high-water mark: slots
//! start on the stack in index order, a cached slot was popped before, and a slot that was
//! never used stays below every used one, so slot `k` is first popped only when slots `0..k` are
//! all in use.
//!
//! Exhaustion stays honest: a cached slot is free, counted in [`SyncPool::available`], and any
//! thread takes it before refusing. An acquire refuses only when it saw, at one instant during
//! the call, the stack and every cache word empty, that is, every slot held by a guard: after
//! the stack and each cache word in turn came up empty, it collects all those words twice (loads
//! only) and refuses only if both collects are empty and their acquire counters equal (see
//! `empty_collect`); otherwise it looks again. A displacing release never empties a cache word
//! (it puts its own slot there), so a slot in flight to the stack is never missed either.
//!
//! Waiting: a waiting acquire registers with `slot_freed` (an `event_listener::Event`), counts
//! itself in `waiting`, sets [`WAITERS`] in `head`, and tries once more before it sleeps. A
//! release onto the stack learns from its own push CAS whether the bit was set; when it was, it
//! wakes one more waiter. The last waiter to leave clears the bit, and if another waiter arrived
//! meanwhile it sets the bit again and wakes a waiter if a slot came back while the bit was down.
//! All three steps are read-modify-writes of `head`, so they are totally ordered with the pushes:
//! no release can slip between a waiter's last try and its sleep.
//!
//! A release into an empty cache word reads `head` after its CAS on the word and wakes a waiter
//! if the bit is up (a displacing release wakes through its push). It cannot miss a waiter: the waiter's last try (and the re-flagging check) *reads
//! every cache word with a read-modify-write* (`fetch_add(0)`) after raising the bit. Both sides are
//! read-modify-writes of the same cache word, so one comes first: if the waiter's, the release's
//! CAS reads from it (acquire) and so sees the bit; if the release's, the waiter sees the slot.
//!
//! Invariants, relied on by every `unsafe` block in this module:
//! - A slot index is in exactly one place: on the free stack, in one cache word, or owned by one
//!   live (or leaked) guard. Moving it is one successful CAS (or a pop), so a guard's access to
//!   its slot's value is exclusive.
//! - Popping increments the tag. A popper that read `head = (tag, A)` and `next[A] = B` can
//!   only succeed if no pop happened since; a push alone cannot bring `A` back to the top
//!   (it is already there), so the stale-`next` ABA case cannot commit. The 32-bit tag would
//!   have to wrap (2^32 pops) while one thread sits between its load and its CAS.
//! - Pushing or caching publishes the slot with `Release`; popping or taking it from a cache
//!   does so with `Acquire` (and a displaced slot is acquired from the cache before it is
//!   pushed). So everything the previous owner wrote to the value (and `reset` wrote) happens-
//!   before the next owner's first access.
//! - Every slot's value is initialised from construction until the pool drops.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use event_listener::{Event, IntoNotification as _, Listener as _};

use crate::primitives::{thread_number, AtomicU32, AtomicU64, AtomicUsize, ValueCell};
use crate::slot::{check_capacity, check_lanes, BuildInPlace, STALE};
use crate::unwind::OnUnwind;
use crate::{Lanes, PoolError, Reset, Usage};

/// The empty-stack index; slot indices are below it.
const NIL: u32 = (1 << 31) - 1;
const INDEX_MASK: u64 = NIL as u64;
/// `head` bit: some acquire is waiting for a slot, so a release must wake one.
const WAITERS: u64 = 1 << 31;
const ONE_TAG: u64 = 1 << 32;
/// `next[i]` keeps the link (and [`STALE`]) in its low half, the depth in its high half.
const DEPTH_SHIFT: u32 = 32;

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
/// owned form. A woken waiter takes the slot that came back; a waiting future that is dropped
/// keeps no slot and passes its wake-up on to the next waiter. Waiting costs the release path
/// nothing while nobody waits. [`Usage`] counts waits and time spent waiting, not refusals.
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
    /// How many times the tag (the pop count) wrapped around.
    acquires_wrapped: AtomicU64,
    times_exhausted: AtomicU64,
    /// The per-thread caches in front of the stack: a power of two of them.
    caches: Box<[Cache]>,
    /// Waiting acquires now asleep or about to be.
    waiting: AtomicUsize,
    waits: AtomicU64,
    wait_nanos: AtomicU64,
    slot_freed: Event,
    init: Box<dyn Fn() -> T + Send + Sync>,
}

/// How many slots one cache holds: a thread that holds up to this many guards at once and
/// returns them never touches the shared stack in steady state. Four covers the common
/// "a few blocks in flight per thread" patterns while the words still share one cache line;
/// see BENCHMARKS.md ("## pool") for the measurement. A power of two. Loom models two.
const MAGAZINE: usize = if cfg!(loom) { 2 } else { 4 };

/// One thread's cache, a magazine of [`MAGAZINE`] words. Each word holds a free slot (or `NIL`)
/// in its low half and counts the takes from it in its high half, exactly as a one-slot cache
/// would: every argument about a cache word in the module docs holds for each word alone.
/// Aligned to two cache lines, since x86 prefetches lines in pairs.
#[repr(align(128))]
struct Cache {
    words: [AtomicU64; MAGAZINE],
    /// The word the next release goes into (modulo [`MAGAZINE`]); the last release went into
    /// the one below. Only a hint for LIFO order: correctness rests on the words' CASes, so it
    /// is read and written with plain (relaxed) loads and stores.
    top: AtomicU32,
}

impl Cache {
    fn new() -> Self {
        Cache {
            words: core::array::from_fn(|_| AtomicU64::new(u64::from(NIL))),
            top: AtomicU32::new(0),
        }
    }

    /// The word at ring position `position`.
    #[inline(always)]
    fn word(&self, position: u32) -> &AtomicU64 {
        // `MAGAZINE` is a power of two: a mask, and in bounds, so no check is emitted.
        &self.words[position as usize % MAGAZINE]
    }
}

/// The most caches a pool has; past this, threads share caches.
const MAX_CACHES: usize = 64;

/// How many caches a pool of `capacity` gets: two per CPU (so threads numbered at random
/// rarely share one), at most one per slot, a power of two. Loom models two.
fn cache_count(capacity: usize) -> usize {
    if cfg!(loom) {
        return 2;
    }
    // Miri cannot read the CPU count (the cgroup files are isolated): model two CPUs.
    static CPUS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let cpus = *CPUS.get_or_init(|| {
        if cfg!(miri) {
            2
        } else {
            std::thread::available_parallelism().map_or(1, usize::from)
        }
    });
    let wanted = (2 * cpus).min(capacity).clamp(1, MAX_CACHES);
    // The largest power of two not above `wanted`.
    1 << (usize::BITS - 1 - wanted.leading_zeros())
}

/// The words every acquire touches, on one cache line.
#[repr(align(64))]
struct Top {
    head: AtomicU64,
    /// One past the highest slot index ever popped: the high-water mark.
    ever_used: AtomicU32,
}

// SAFETY: a `SyncPool` hands each value to one guard at a time (the module invariant), like a
// `Mutex`, so sharing the pool only ever moves `T`s between threads: `T: Send` suffices. The
// other fields are atomics, an `Event` and a `Send + Sync` closure.
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
            waiting: AtomicUsize::new(0),
            waits: AtomicU64::new(0),
            wait_nanos: AtomicU64::new(0),
            slot_freed: Event::new(),
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

    /// Slots on the free stack.
    fn stacked(&self) -> usize {
        let head = self.top.head.load(Acquire);
        let index = (head & INDEX_MASK) as u32;
        if index == NIL {
            return 0;
        }
        // The depth stored when `index` was pushed; if it has been popped since, this is the
        // count from a moment ago, which is all a concurrent reader can get anyway.
        (self.link(index).load(Relaxed) >> DEPTH_SHIFT) as usize
    }

    /// Every word of every cache.
    fn cache_words(&self) -> impl Iterator<Item = &AtomicU64> {
        self.caches.iter().flat_map(|cache| &cache.words)
    }

    /// The calling thread's cache.
    #[inline(always)]
    fn own_cache(&self) -> &Cache {
        // `caches.len()` is a power of two, so the mask keeps the index in bounds.
        &self.caches[thread_number() & (self.caches.len() - 1)]
    }

    /// Slot `index`'s free-stack word. Unchecked: every index the pool handles (on the stack, in
    /// `head`, in a guard) is below the capacity, by construction.
    #[inline(always)]
    fn link(&self, index: u32) -> &AtomicU64 {
        debug_assert!((index as usize) < self.next.len());
        // SAFETY: `index < capacity == next.len()`: indices come from the free stack or a guard,
        // and only indices below the capacity are ever put there (`new`, `push`).
        unsafe { self.next.get_unchecked(index as usize) }
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

    /// Takes a free slot, blocking the thread until a guard returns one if none is free.
    #[inline]
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] only for a pool of capacity 0, which would wait forever.
    pub fn acquire_blocking(&self) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take_or_wait(None)?;
        Ok(self.guard(index, value))
    }

    /// Takes a free slot, blocking the thread for at most `timeout` until a guard returns one.
    #[inline]
    ///
    /// # Errors
    ///
    /// [`PoolError::TimedOut`] when no slot came back in time (counted in
    /// [`Usage::times_exhausted`]); [`PoolError::Exhausted`] for a pool of capacity 0.
    pub fn acquire_timeout(&self, timeout: Duration) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take_or_wait(Some(timeout))?;
        Ok(self.guard(index, value))
    }

    /// Takes a free slot, waiting asynchronously until a guard returns one if none is free.
    ///
    /// Works with any executor (it needs no runtime). Cancel-safe: dropping the future before
    /// it completes holds no slot, and a wake-up it had received goes to the next waiter.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] only for a pool of capacity 0, which would wait forever.
    pub async fn acquire_async(&self) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take_async().await?;
        Ok(self.guard(index, value))
    }

    /// [`acquire_blocking`](SyncPool::acquire_blocking), as an [`OwnedGuard`].
    #[inline]
    ///
    /// # Errors
    ///
    /// As [`acquire_blocking`](SyncPool::acquire_blocking).
    pub fn acquire_owned_blocking(self: &Arc<Self>) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take_or_wait(None)?;
        Ok(self.owned_guard(index, value))
    }

    /// [`acquire_timeout`](SyncPool::acquire_timeout), as an [`OwnedGuard`].
    #[inline]
    ///
    /// # Errors
    ///
    /// As [`acquire_timeout`](SyncPool::acquire_timeout).
    pub fn acquire_owned_timeout(
        self: &Arc<Self>,
        timeout: Duration,
    ) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take_or_wait(Some(timeout))?;
        Ok(self.owned_guard(index, value))
    }

    /// [`acquire_async`](SyncPool::acquire_async), as an [`OwnedGuard`]: the usual way to hand
    /// blocks to async workers with backpressure.
    ///
    /// # Errors
    ///
    /// As [`acquire_async`](SyncPool::acquire_async).
    pub async fn acquire_owned_async(self: &Arc<Self>) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take_async().await?;
        Ok(self.owned_guard(index, value))
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

    /// Pops counted by the tag and takes counted by the caches, plus 2^32 for each time one of
    /// those counters wrapped. (Within the few instructions between a wrapping acquire and its
    /// count, this reads 2^32 low.)
    fn total_acquires(&self) -> u64 {
        loop {
            let wrapped = self.acquires_wrapped.load(Acquire);
            let tag = self.top.head.load(Acquire) >> 32;
            let taken: u64 = self
                .cache_words()
                .map(|word| word.load(Acquire) >> 32)
                .sum();
            if self.acquires_wrapped.load(Acquire) == wrapped {
                return (wrapped << 32) + tag + taken;
            }
        }
    }

    #[inline]
    fn guard(&self, index: u32, value: NonNull<T>) -> SyncGuard<'_, T> {
        SyncGuard {
            pool: self,
            index,
            value,
            _owns: PhantomData,
        }
    }

    #[inline]
    fn owned_guard(self: &Arc<Self>, index: u32, value: NonNull<T>) -> OwnedGuard<T> {
        OwnedGuard {
            pool: Arc::clone(self),
            index,
            value,
        }
    }

    /// Pops a slot and does the bookkeeping shared by both guards, or counts a refusal.
    #[inline]
    fn take(&self) -> Result<(u32, NonNull<T>), PoolError> {
        match self.try_take() {
            Some(slot) => Ok(slot),
            None => Err(self.refuse_exhausted()),
        }
    }

    /// Takes this thread's cached slot, else pops one (rebuilding it if stale), else steals a
    /// cached one; `None` when the stack and every cache were empty.
    #[inline]
    fn try_take(&self) -> Option<(u32, NonNull<T>)> {
        let own = self.own_cache();
        // The word this thread (or one sharing its cache) filled last: LIFO.
        let top = own.top.load(Relaxed).wrapping_sub(1);
        let word = own.word(top);
        let index = match self.take_cached(word, word.load(Relaxed)) {
            Some(index) => {
                own.top.store(top, Relaxed);
                index
            }
            None => self.take_shared(own, top)?,
        };
        // `UnsafeCell::get` never returns null.
        let value =
            NonNull::new(self.value(index).owner_ptr()).expect("slot pointer is never null");
        Some((index, value))
    }

    /// The slow path of [`try_take`](Self::try_take), after the word at `top` of this thread's
    /// cache `own` came up empty: the rest of `own` from the top down, the stack, then every
    /// cache, until a slot is found or the pool is seen empty at one instant.
    #[inline(never)]
    fn take_shared(&self, own: &Cache, top: u32) -> Option<u32> {
        for below in 1..MAGAZINE as u32 {
            let position = top.wrapping_sub(below);
            let word = own.word(position);
            if let Some(index) = self.take_cached(word, word.load(Relaxed)) {
                own.top.store(position, Relaxed);
                return Some(index);
            }
        }
        let mut last_empty = None;
        loop {
            if let Some((index, stale)) = self.pop() {
                if stale {
                    self.rebuild(index, self.value(index));
                }
                return Some(index);
            }
            if let Some(index) = self.steal() {
                return Some(index);
            }
            // Each word was empty when read, but not all at one instant: a slot released into a
            // word already passed would be missed. Two equal empty collects prove such an instant.
            let empty = self.empty_collect();
            if empty.is_some() && empty == last_empty {
                return None;
            }
            last_empty = empty;
        }
    }

    /// If `head` and every cache hold no slot, the sum of their acquire counters (the tag and
    /// the caches' high halves), else `None`. An empty word becomes non-empty only by a release,
    /// and empty again only by a pop or take, which advances its counter. So two collects that
    /// both find every word empty with the same sum saw no word change in between: at the instant
    /// between them, every slot was held by a guard.
    #[cold]
    fn empty_collect(&self) -> Option<u64> {
        let head = self.top.head.load(Acquire);
        if head & INDEX_MASK != u64::from(NIL) {
            return None;
        }
        self.cache_words().try_fold(head >> 32, |sum, word| {
            let word = word.load(Acquire);
            (word & INDEX_MASK == u64::from(NIL)).then_some(sum + (word >> 32))
        })
    }

    /// Takes a slot from any cache. Reads each word with a read-modify-write, which a waiter
    /// relies on (see the module docs): a release into a cache after this read sees `WAITERS`.
    #[cold]
    fn steal(&self) -> Option<u32> {
        self.cache_words()
            .find_map(|word| self.take_cached(word, word.fetch_add(0, AcqRel)))
    }

    /// Takes the slot in cache word `cached`, which held `word` a moment ago, counting the take.
    #[inline(always)]
    fn take_cached(&self, cached: &AtomicU64, mut word: u64) -> Option<u32> {
        loop {
            let index = (word & INDEX_MASK) as u32;
            if index == NIL {
                return None;
            }
            let taken = (word & !INDEX_MASK).wrapping_add(ONE_TAG) | u64::from(NIL);
            // `Acquire`: the releaser's writes to the value happen-before ours.
            match cached.compare_exchange_weak(word, taken, Acquire, Relaxed) {
                Ok(_) => {
                    if taken >> 32 == 0 {
                        self.acquires_wrapped.fetch_add(1, Release);
                    }
                    return Some(index);
                }
                Err(current) => word = current,
            }
        }
    }

    /// Puts slot `index` on top of this thread's cache, pushing the slot it displaces (the
    /// oldest, when the magazine is full) onto the stack, and wakes a waiter if one is flagged.
    #[inline]
    fn put_cached(&self, index: u32) {
        let cache = self.own_cache();
        let top = cache.top.load(Relaxed);
        let cached = cache.word(top);
        let mut word = cached.load(Relaxed);
        loop {
            let put = (word & !INDEX_MASK) | u64::from(index);
            // `Release` publishes the value to the next taker; `Acquire` orders a waiter's
            // earlier read-modify-write of this word (and its `WAITERS`) before our `head` read.
            match cached.compare_exchange_weak(word, put, AcqRel, Relaxed) {
                Ok(_) => break,
                Err(current) => word = current,
            }
        }
        cache.top.store(top.wrapping_add(1), Relaxed);
        let displaced = (word & INDEX_MASK) as u32;
        if displaced != NIL {
            // `push` wakes a flagged waiter, which then finds `displaced` on the stack.
            self.push(displaced, false);
        } else if self.top.head.load(Relaxed) & WAITERS != 0 {
            self.wake_one();
        }
    }

    /// Whether any cache holds a slot, read with read-modify-writes as [`steal`](Self::steal)
    /// does, for the last waiter's re-flagging check.
    fn any_cached(&self) -> bool {
        self.cache_words()
            .any(|word| word.fetch_add(0, AcqRel) & INDEX_MASK != u64::from(NIL))
    }

    /// A free slot at once if there is one (inline, as cheap as `acquire`), else the wait.
    #[inline]
    fn take_or_wait(&self, timeout: Option<Duration>) -> Result<(u32, NonNull<T>), PoolError> {
        match self.try_take() {
            Some(slot) => Ok(slot),
            None => self.take_waiting(timeout),
        }
    }

    /// The blocking wait: until a slot is free, or until `timeout` has passed.
    #[cold]
    #[inline(never)]
    fn take_waiting(&self, timeout: Option<Duration>) -> Result<(u32, NonNull<T>), PoolError> {
        let wait = self.begin_wait()?;
        // A timeout too long to add to now is no deadline at all.
        let deadline = timeout.and_then(|timeout| wait.started.checked_add(timeout));
        loop {
            let listener = match wait.try_take_or_listen() {
                Ok(slot) => return Ok(slot),
                Err(listener) => listener,
            };
            let Some(deadline) = deadline else {
                listener.wait();
                continue;
            };
            if listener.wait_deadline(deadline).is_none() {
                // Dropping the listener passed on any wake-up it got meanwhile; a slot that came
                // back at the last moment is still ours to take.
                return self.try_take().ok_or_else(|| {
                    self.times_exhausted.fetch_add(1, Relaxed);
                    PoolError::TimedOut {
                        capacity: self.values.len(),
                        timeout: timeout.unwrap_or_default(),
                    }
                });
            }
        }
    }

    /// The async wait. Cancel-safe: dropping it drops `wait` (leaving the waiters) and the
    /// listener (which passes a wake-up it received on to another waiter).
    async fn take_async(&self) -> Result<(u32, NonNull<T>), PoolError> {
        if let Some(slot) = self.try_take() {
            return Ok(slot);
        }
        let wait = self.begin_wait()?;
        loop {
            match wait.try_take_or_listen() {
                Ok(slot) => return Ok(slot),
                Err(listener) => listener.await,
            }
        }
    }

    /// Joins the waiters: from here until the [`Wait`] drops, releases wake waiters.
    #[cold]
    fn begin_wait(&self) -> Result<Wait<'_, T>, PoolError> {
        if self.values.is_empty() {
            return Err(self.refuse_exhausted());
        }
        self.waits.fetch_add(1, Relaxed);
        self.waiting.fetch_add(1, AcqRel);
        Ok(Wait {
            pool: self,
            started: Instant::now(),
        })
    }

    /// Pops the top slot: its index, and whether it is stale.
    #[inline]
    fn pop(&self) -> Option<(u32, bool)> {
        let mut head = self.top.head.load(Acquire);
        loop {
            let index = (head & INDEX_MASK) as u32;
            if index == NIL {
                return None;
            }
            // May be outdated if another thread pops concurrently; then the CAS fails. If the
            // CAS succeeds, no pop happened since, so this is what the slot's last push wrote.
            let link = self.link(index).load(Relaxed) as u32;
            // Keeps the WAITERS bit; the tag counts this pop.
            let popped = (head & !INDEX_MASK).wrapping_add(ONE_TAG) | u64::from(link & !STALE);
            match self
                .top
                .head
                .compare_exchange_weak(head, popped, Acquire, Acquire)
            {
                Ok(_) => {
                    if popped >> 32 == 0 {
                        self.acquires_wrapped.fetch_add(1, Release);
                    }
                    if index >= self.top.ever_used.load(Relaxed) {
                        self.top.ever_used.fetch_max(index + 1, Relaxed);
                    }
                    return Some((index, link & STALE != 0));
                }
                Err(current) => head = current,
            }
        }
    }

    /// Pushes slot `index`, marked stale if `stale`, and wakes a waiter if one is flagged.
    #[inline]
    fn push(&self, index: u32, stale: bool) {
        let link = self.link(index);
        let stale_bit = if stale { STALE } else { 0 };
        // `Acquire`, to read the depth the top slot's pusher wrote before publishing it.
        let mut head = self.top.head.load(Acquire);
        loop {
            let below = (head & INDEX_MASK) as u32;
            let depth_below = if below == NIL {
                0
            } else {
                // If `below` is popped and pushed again meanwhile, the tag changes and the CAS
                // fails, so a successful push stored the depth of the stack it sits on.
                self.link(below).load(Relaxed) >> DEPTH_SHIFT
            };
            link.store(
                (depth_below + 1) << DEPTH_SHIFT | u64::from(below | stale_bit),
                Relaxed,
            );
            let pushed = (head & !INDEX_MASK) | u64::from(index);
            match self
                .top
                .head
                .compare_exchange_weak(head, pushed, Release, Acquire)
            {
                Ok(_) => {
                    if head & WAITERS != 0 {
                        self.wake_one();
                    }
                    return;
                }
                Err(current) => head = current,
            }
        }
    }

    /// A slot came back while a waiter is flagged: wake one more waiter for it.
    #[cold]
    #[inline(never)]
    fn wake_one(&self) {
        self.slot_freed.notify(1.additional());
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
        let keep_slot = OnUnwind::arm(|| self.push(index, true));
        let fresh = (self.init)();
        // SAFETY: `index` was just popped, so this thread owns the slot exclusively.
        unsafe { *cell.owner_ptr() = fresh };
        keep_slot.disarm();
    }
}

/// One waiting acquire, from its first failed try until it leaves (with a slot, timed out, or
/// dropped as a future). Its drop keeps the [`WAITERS`] bit right.
struct Wait<'a, T: Reset> {
    pool: &'a SyncPool<T>,
    started: Instant,
}

impl<T: Reset> Wait<'_, T> {
    /// Registers for a wake-up, flags the waiters, and tries once more: a slot pushed before the
    /// flag went up is found by this try, one pushed after it sends a wake-up to the listener.
    fn try_take_or_listen(&self) -> Result<(u32, NonNull<T>), event_listener::EventListener> {
        let pool = self.pool;
        let listener = pool.slot_freed.listen();
        pool.top.head.fetch_or(WAITERS, AcqRel);
        match pool.try_take() {
            // Dropping the listener hands a wake-up it may have received to another waiter.
            Some(slot) => Ok(slot),
            None => Err(listener),
        }
    }
}

impl<T: Reset> Drop for Wait<'_, T> {
    fn drop(&mut self) {
        let pool = self.pool;
        let waited = u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        pool.wait_nanos.fetch_add(waited, Relaxed);
        if pool.waiting.fetch_sub(1, AcqRel) != 1 {
            return;
        }
        // The last waiter left: take the bit down so releases go back to reading nothing.
        pool.top.head.fetch_and(!WAITERS, AcqRel);
        // A waiter that joined before the bit went down had set it already, and lost it: set it
        // again, and wake a waiter for any slot pushed while it was down. (This load sees such a
        // waiter: its `waiting` increment came before its `fetch_or`, which our `fetch_and` read.)
        if pool.waiting.load(Acquire) > 0 {
            let head = pool.top.head.fetch_or(WAITERS, AcqRel);
            if head & INDEX_MASK != u64::from(NIL) || pool.any_cached() {
                pool.wake_one();
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
