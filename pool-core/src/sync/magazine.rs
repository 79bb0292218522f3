//! The per-thread caches in front of the stack: magazines of a few slots, one CAS per acquire
//! and per release.
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
//! a one-slot cache, so every argument about the caches (here, in `take.rs` and `wait.rs`) is
//! per word.

use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed, Release};

use super::stack::{INDEX_MASK, NIL, ONE_ACQUIRE, WAITERS};
use super::SyncPool;
use crate::primitives::{thread_number, AtomicU32, AtomicU64};
use crate::Reset;

/// How many slots one cache holds: a thread that holds up to this many guards at once and
/// returns them never touches the shared stack in steady state. Four covers the common
/// "a few blocks in flight per thread" patterns while the words still share one cache line;
/// see BENCHMARKS.md ("## pool") for the measurement. A power of two. Loom models two.
pub(super) const MAGAZINE: usize = if cfg!(loom) { 2 } else { 4 };

/// One thread's cache, a magazine of [`MAGAZINE`] words. Each word holds a free slot (or `NIL`)
/// in its low half and counts the takes from it in its high half, exactly as a one-slot cache
/// would: every argument about a cache word in these docs holds for each word alone.
/// Aligned to two cache lines, since x86 prefetches lines in pairs.
#[repr(align(128))]
pub(super) struct Cache {
    pub(super) words: [AtomicU64; MAGAZINE],
    /// The word the next release goes into (modulo [`MAGAZINE`]); the last release went into
    /// the one below. Only a hint for LIFO order: correctness rests on the words' CASes, so it
    /// is read and written with plain (relaxed) loads and stores.
    pub(super) top: AtomicU32,
}

impl Cache {
    pub(super) fn new() -> Self {
        Cache {
            words: core::array::from_fn(|_| AtomicU64::new(u64::from(NIL))),
            top: AtomicU32::new(0),
        }
    }

    /// The word at ring position `position`.
    #[inline(always)]
    pub(super) fn word(&self, position: u32) -> &AtomicU64 {
        // `MAGAZINE` is a power of two: a mask, and in bounds, so no check is emitted.
        &self.words[position as usize % MAGAZINE]
    }
}

/// The most caches a pool has; past this, threads share caches.
const MAX_CACHES: usize = 64;

/// How many caches a pool of `capacity` gets: two per CPU (so threads numbered at random
/// rarely share one), at most one per slot, a power of two. Loom models two.
pub(super) fn cache_count(capacity: usize) -> usize {
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

impl<T: Reset> SyncPool<T> {
    /// Every word of every cache.
    pub(super) fn cache_words(&self) -> impl Iterator<Item = &AtomicU64> {
        self.caches.iter().flat_map(|cache| &cache.words)
    }

    /// The calling thread's cache.
    #[inline(always)]
    pub(super) fn own_cache(&self) -> &Cache {
        // `caches.len()` is a power of two, so the mask keeps the index in bounds.
        &self.caches[thread_number() & (self.caches.len() - 1)]
    }

    /// Takes the slot in cache word `cached`, which held `word` a moment ago, counting the take.
    #[inline(always)]
    pub(super) fn take_cached(&self, cached: &AtomicU64, mut word: u64) -> Option<u32> {
        loop {
            let index = (word & INDEX_MASK) as u32;
            if index == NIL {
                return None;
            }
            let taken = (word & !INDEX_MASK).wrapping_add(ONE_ACQUIRE) | u64::from(NIL);
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
    pub(super) fn put_cached(&self, index: u32) {
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

    /// Takes a slot from any cache. Reads each word with a read-modify-write, which a waiter
    /// relies on (see the module docs): a release into a cache after this read sees `WAITERS`.
    #[cold]
    pub(super) fn steal(&self) -> Option<u32> {
        self.cache_words()
            .find_map(|word| self.take_cached(word, word.fetch_add(0, AcqRel)))
    }
}
