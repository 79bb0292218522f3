//! The shared free list: a Treiber stack of slot indices, where every slot starts and where the
//! magazines overflow to.
//!
//! The free list is a Treiber stack of slot indices. `head` packs a 32-bit pop count above the
//! [`WAITERS`] bit and the 31-bit index of the top slot (`NIL` when empty). `next[i]` holds, for
//! slot `i` while it is on the stack, the slot below it (or `NIL`) with the `STALE` bit when the
//! value must be rebuilt before it is handed out again, and in its high half the stack's depth at
//! `i` (the number of free slots from `i` down). So [`SyncPool::available`] reads two words.
//!
//! Popping increments the pop count, which is what makes a pop safe against ABA (see the
//! invariants in the [parent module](super)).

use core::sync::atomic::Ordering::{Acquire, Relaxed, Release};

use super::SyncPool;
use crate::primitives::{AtomicU32, AtomicU64};
use crate::slot::STALE;
use crate::Reset;

/// The empty-stack index; slot indices are below it.
pub(super) const NIL: u32 = (1 << 31) - 1;
pub(super) const INDEX_MASK: u64 = NIL as u64;
/// `head` bit: the queue of waiting acquires is not empty, so a release hands a slot to its
/// first waiter (`wait.rs`).
pub(super) const WAITERS: u64 = 1 << 31;
/// One more acquire in a word's high-half counter: `head`'s pops, a cache word's takes.
pub(super) const ONE_ACQUIRE: u64 = 1 << 32;
/// `next[i]` keeps the link (and [`STALE`]) in its low half, the depth in its high half.
pub(super) const DEPTH_SHIFT: u32 = 32;

/// The words every acquire touches, on one cache line.
#[repr(align(64))]
pub(super) struct Top {
    pub(super) head: AtomicU64,
    /// One past the highest slot index ever popped: the high-water mark.
    pub(super) ever_used: AtomicU32,
}

impl<T: Reset> SyncPool<T> {
    /// Slots on the free stack.
    pub(super) fn stacked(&self) -> usize {
        let head = self.top.head.load(Acquire);
        let index = (head & INDEX_MASK) as u32;
        if index == NIL {
            return 0;
        }
        // The depth stored when `index` was pushed; if it has been popped since, this is the
        // count from a moment ago, which is all a concurrent reader can get anyway.
        (self.link(index).load(Relaxed) >> DEPTH_SHIFT) as usize
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

    /// Pops the top slot: its index, and whether it is stale.
    #[inline]
    pub(super) fn pop(&self) -> Option<(u32, bool)> {
        let mut head = self.top.head.load(Acquire);
        loop {
            let index = (head & INDEX_MASK) as u32;
            if index == NIL {
                return None;
            }
            // May be outdated if another thread pops concurrently; then the CAS fails. If the
            // CAS succeeds, no pop happened since, so this is what the slot's last push wrote.
            let link = self.link(index).load(Relaxed) as u32;
            // Keeps the WAITERS bit; the pop count counts this pop.
            let popped = (head & !INDEX_MASK).wrapping_add(ONE_ACQUIRE) | u64::from(link & !STALE);
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
    pub(super) fn push(&self, index: u32, stale: bool) {
        let link = self.link(index);
        let stale_bit = if stale { STALE } else { 0 };
        // `Acquire`, to read the depth the top slot's pusher wrote before publishing it.
        let mut head = self.top.head.load(Acquire);
        loop {
            let below = (head & INDEX_MASK) as u32;
            let depth_below = if below == NIL {
                0
            } else {
                // If `below` is popped and pushed again meanwhile, the pop count changes and the CAS
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
}
