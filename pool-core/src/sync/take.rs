//! An acquire through both levels of the free list: this thread's magazine, the stack, then
//! every other magazine, with the proof that ties them.
//!
//! Exhaustion stays honest: a cached slot is free, counted in [`SyncPool::available`], and any
//! thread takes it before refusing. An acquire refuses only when it saw, at one instant during
//! the call, the stack and every cache word empty, that is, every slot held by a guard: after
//! the stack and each cache word in turn came up empty, it collects all those words twice (loads
//! only) and refuses only if both collects are empty and their acquire counters equal (see
//! `empty_collect`); otherwise it looks again. A displacing release never empties a cache word
//! (it puts its own slot there), so a slot in flight to the stack is never missed either.

use core::ptr::NonNull;
use core::sync::atomic::Ordering::{Acquire, Relaxed};

use super::magazine::{Cache, MAGAZINE};
use super::stack::{INDEX_MASK, NIL};
use super::SyncPool;
use crate::primitives::ValueCell;
use crate::unwind::OnUnwind;
use crate::{PoolError, Reset};

impl<T: Reset> SyncPool<T> {
    /// Pops a slot and does the bookkeeping shared by both guards, or counts a refusal.
    #[inline]
    pub(super) fn take(&self) -> Result<(u32, NonNull<T>), PoolError> {
        match self.try_take() {
            Some(slot) => Ok(slot),
            None => Err(self.refuse_exhausted()),
        }
    }

    /// Takes this thread's cached slot, else pops one (rebuilding it if stale), else steals a
    /// cached one; `None` when the stack and every cache were empty.
    #[inline]
    pub(super) fn try_take(&self) -> Option<(u32, NonNull<T>)> {
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

    /// If `head` and every cache hold no slot, the sum of their acquire counters (the pop count and
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

    #[cold]
    pub(super) fn refuse_exhausted(&self) -> PoolError {
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
