//! Waiting for a slot when none is free: blocking, with a timeout, or as a future
//! ([`acquiring.rs`](super::acquiring)), all through one queue of waiters
//! ([`waiters.rs`](super::waiters)), served first come, first served.
//!
//! A waiting acquire puts its node at the back of the queue and raises [`WAITERS`] in `head`,
//! both with the queue's lock held, then tries once more before it sleeps. The bit is up exactly
//! while the queue holds a node: it is raised and taken down only with the lock held.
//!
//! A release that sees the bit hands a slot over: it takes a free slot (the one it just
//! returned, normally: the top of its own cache), unlinks the first node, writes the slot into
//! it and wakes its waiter. So a slot that comes back while anyone waits goes to the longest
//! waiter, not to whichever acquire runs next; only an acquire that runs in the few
//! instructions between a release and its hand-over can take the slot first (and a thread that
//! joins the queue takes a slot its last try finds). If the queue emptied meanwhile, the
//! release puts the slot back (and does not count that take in [`Usage::total_acquires`]).
//!
//! No release misses a waiter. A release onto the stack learns from its own push CAS whether
//! the bit was up, and the raising `fetch_or` is a read-modify-write of `head` too, so one comes
//! first: if the push, the waiter's last try pops the slot; if the raise, the push sees the bit.
//! A release into an empty cache word reads `head` after its CAS on the word, and the waiter's
//! last try *reads every cache word with a read-modify-write* (`steal`) after raising the bit.
//! Both sides are read-modify-writes of the same word, so one comes first: if the waiter's, the
//! release's CAS reads from it (acquire) and so sees the bit (taken down only when the queue
//! emptied, that is, when this waiter was served or left); if the release's, the waiter sees
//! the slot.
//!
//! Waiting allocates nothing: the node lives in the waiter (a pinned stack slot for a blocked
//! thread, the future itself for an async acquire), a blocked thread is unparked through its
//! `Thread` handle, and a task through a clone of its `Waker`.

use core::pin::{pin, Pin};
use core::ptr::NonNull;
use core::sync::atomic::Ordering::{AcqRel, Relaxed};
use core::task::{Context, Poll};
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use super::stack::WAITERS;
use super::waiters::{Waiter, Wakeup};
use super::{OwnedGuard, SyncGuard, SyncPool};
use crate::primitives::{current_thread, park, park_timeout};
#[cfg(doc)]
use crate::Usage;
use crate::{PoolError, Reset};

impl<T: Reset> SyncPool<T> {
    /// Takes a free slot, blocking the thread until a guard returns one if none is free.
    /// Waiting acquires are served in the order they started waiting.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] only for a pool of capacity 0, which would wait forever.
    #[inline]
    pub fn acquire_blocking(&self) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take_or_wait(None)?;
        Ok(self.guard(index, value))
    }

    /// Takes a free slot, blocking the thread for at most `timeout` until a guard returns one.
    ///
    /// # Errors
    ///
    /// [`PoolError::TimedOut`] when no slot came back in time (counted in
    /// [`Usage::times_exhausted`]); [`PoolError::Exhausted`] for a pool of capacity 0.
    #[inline]
    pub fn acquire_timeout(&self, timeout: Duration) -> Result<SyncGuard<'_, T>, PoolError> {
        let (index, value) = self.take_or_wait(Some(timeout))?;
        Ok(self.guard(index, value))
    }

    /// [`acquire_blocking`](SyncPool::acquire_blocking), as an [`OwnedGuard`].
    ///
    /// # Errors
    ///
    /// As [`acquire_blocking`](SyncPool::acquire_blocking).
    #[inline]
    pub fn acquire_owned_blocking(self: &Arc<Self>) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take_or_wait(None)?;
        Ok(self.owned_guard(index, value))
    }

    /// [`acquire_timeout`](SyncPool::acquire_timeout), as an [`OwnedGuard`].
    ///
    /// # Errors
    ///
    /// As [`acquire_timeout`](SyncPool::acquire_timeout).
    #[inline]
    pub fn acquire_owned_timeout(
        self: &Arc<Self>,
        timeout: Duration,
    ) -> Result<OwnedGuard<T>, PoolError> {
        let (index, value) = self.take_or_wait(Some(timeout))?;
        Ok(self.owned_guard(index, value))
    }

    /// A free slot at once if there is one (inline, as cheap as `acquire`), else the wait.
    #[inline]
    fn take_or_wait(&self, timeout: Option<Duration>) -> Result<(u32, NonNull<T>), PoolError> {
        match self.try_take() {
            Some(slot) => Ok(slot),
            None => self.take_waiting(timeout),
        }
    }

    /// The blocking wait: until a release hands this thread a slot, or until `timeout` passed.
    #[cold]
    #[inline(never)]
    fn take_waiting(&self, timeout: Option<Duration>) -> Result<(u32, NonNull<T>), PoolError> {
        let mut waiting = pin!(Waiting::new(self));
        let started = match waiting.as_mut().join(Wakeup::Thread(current_thread())) {
            Joined::Served(slot) => return slot,
            Joined::Waiting(started) => started,
        };
        // A timeout too long to add to now is no deadline at all.
        let deadline = timeout.and_then(|timeout| started.checked_add(timeout));
        loop {
            if let Some(slot) = waiting.as_mut().handed() {
                return Ok(slot);
            }
            let Some(deadline) = deadline else {
                park();
                continue;
            };
            let now = Instant::now();
            if now >= deadline {
                // A slot handed over at the last moment is still ours; so is one left free.
                if let Some(slot) = waiting.as_mut().leave().or_else(|| self.try_take()) {
                    return Ok(slot);
                }
                self.times_exhausted.fetch_add(1, Relaxed);
                return Err(PoolError::TimedOut {
                    capacity: self.values.len(),
                    timeout: timeout.unwrap_or_default(),
                });
            }
            park_timeout(deadline - now);
        }
    }

    /// A slot came back while the queue holds a waiter: hand a free slot (normally that one) to
    /// the first waiter and wake it.
    #[cold]
    #[inline(never)]
    pub(super) fn wake_one(&self) {
        // Taken before locking: a stale slot's rebuild runs the user's constructor, which must
        // not run under the lock.
        let Some((index, _)) = self.try_take() else {
            return; // another acquire took it first; its release comes back here
        };
        let handed = {
            let mut queue = self.waiters.lock();
            let handed = queue.hand_to_first(index);
            if queue.is_empty() {
                self.top.head.fetch_and(!WAITERS, AcqRel);
            }
            handed
        };
        match handed {
            Ok(Some(wakeup)) => wakeup.wake(),
            Ok(None) => {}
            // Every waiter left meanwhile: the slot goes back (and to a newcomer, if one came).
            Err(index) => self.put_back_untaken(index),
        }
    }

    /// Returns slot `index`, taken for a waiter that no longer wants it, as a release would
    /// (handing it to the next waiter, if any), without counting its take as an acquire.
    fn put_back_untaken(&self, index: u32) {
        self.takes_undone.fetch_add(1, Relaxed);
        self.put_cached(index);
    }

    /// Slot `index`, which this thread now owns, with its value's pointer.
    fn owned_slot(&self, index: u32) -> (u32, NonNull<T>) {
        // `UnsafeCell::get` never returns null.
        let value =
            NonNull::new(self.value(index).owner_ptr()).expect("slot pointer is never null");
        (index, value)
    }
}

/// What joining the queue came to.
pub(super) enum Joined<T> {
    /// Its last try found a slot (or the pool refused): the waiter is done.
    Served(Result<(u32, NonNull<T>), PoolError>),
    /// It waits, since this instant.
    Waiting(Instant),
}

/// One waiting acquire: its node in the pool's queue, and when it started waiting. Pinned once
/// it joins, since the queue points at its node; dropping it leaves the queue and passes a slot
/// handed to it on to the next waiter, so a cancelled wait keeps nothing.
pub(super) struct Waiting<'a, T: Reset> {
    pool: &'a SyncPool<T>,
    node: Waiter,
    /// When it joined the queue; `None` before and once it left.
    since: Option<Instant>,
}

impl<'a, T: Reset> Waiting<'a, T> {
    pub(super) fn new(pool: &'a SyncPool<T>) -> Self {
        Waiting {
            pool,
            node: Waiter::new(),
            since: None,
        }
    }

    pub(super) fn pool(&self) -> &'a SyncPool<T> {
        self.pool
    }

    /// Whether it joined the queue and has not left it.
    pub(super) fn is_waiting(&self) -> bool {
        self.since.is_some()
    }

    /// The pool, the node and the start time, behind the pin: the queue keeps pointers to the
    /// node, so it must not move.
    fn parts(self: Pin<&mut Self>) -> (&'a SyncPool<T>, &Waiter, &mut Option<Instant>) {
        // SAFETY: nothing is moved out of `self`; the node is only ever used by reference.
        let this = unsafe { self.get_unchecked_mut() };
        (this.pool, &this.node, &mut this.since)
    }

    /// Counts the wait, joins the back of the queue (to be woken by `wakeup`) and raises the
    /// bit, then tries once more: a slot released before the bit went up is found by this try,
    /// one released after it is handed to the queue.
    pub(super) fn join(mut self: Pin<&mut Self>, wakeup: Wakeup) -> Joined<T> {
        let (pool, node, since) = self.as_mut().parts();
        if pool.values.is_empty() {
            return Joined::Served(Err(pool.refuse_exhausted()));
        }
        debug_assert!(since.is_none(), "joined twice");
        pool.waits.fetch_add(1, Relaxed);
        let started = Instant::now();
        *since = Some(started);
        {
            let mut queue = pool.waiters.lock();
            // SAFETY: `node` is pinned (reached through `Pin`) and stays linked at most until
            // `leave`, which `Drop` calls before the node goes away.
            unsafe { queue.push_back(node, wakeup) };
            pool.top.head.fetch_or(WAITERS, AcqRel);
        }
        let Some(slot) = pool.try_take() else {
            return Joined::Waiting(started);
        };
        // A release may have handed this waiter a slot meanwhile too: that one goes on.
        if let Some((extra, _)) = self.leave() {
            pool.put_back_untaken(extra);
        }
        Joined::Served(Ok(slot))
    }

    /// The slot a release handed over, if one did; the wait is then over.
    pub(super) fn handed(mut self: Pin<&mut Self>) -> Option<(u32, NonNull<T>)> {
        let (pool, node, _) = self.as_mut().parts();
        // SAFETY: `node` joined this pool's queue (or none).
        let index = unsafe { pool.waiters.lock().take_handed(node) }?;
        self.stop_clock();
        Some(pool.owned_slot(index))
    }

    /// As [`handed`](Self::handed), for a task polled with `waker`: a task still waiting will
    /// be woken through `waker` (the queue keeps a clone when it differs from the last one).
    pub(super) fn poll_handed(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<(u32, NonNull<T>)> {
        let (pool, node, _) = self.as_mut().parts();
        // SAFETY: `node` joined this pool's queue (or none).
        let handed = unsafe { pool.waiters.lock().poll_handed(node, cx.waker()) };
        match handed {
            Some(index) => {
                self.stop_clock();
                Poll::Ready(pool.owned_slot(index))
            }
            None => Poll::Pending,
        }
    }

    /// Leaves the queue: the slot a release handed over meanwhile, if one did.
    pub(super) fn leave(mut self: Pin<&mut Self>) -> Option<(u32, NonNull<T>)> {
        let (pool, node, since) = self.as_mut().parts();
        if since.is_none() {
            return None;
        }
        let handed = {
            let mut queue = pool.waiters.lock();
            // SAFETY: `node` joined this pool's queue.
            let left = unsafe { queue.remove(node) };
            if left.is_ok() && queue.is_empty() {
                pool.top.head.fetch_and(!WAITERS, AcqRel);
            }
            left.err().flatten()
        };
        self.stop_clock();
        handed.map(|index| pool.owned_slot(index))
    }

    /// Adds the time waited to the pool's count; the wait is over.
    fn stop_clock(self: Pin<&mut Self>) {
        let (pool, _, since) = self.parts();
        if let Some(started) = since.take() {
            let waited = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
            pool.wait_nanos.fetch_add(waited, Relaxed);
        }
    }
}

impl<T: Reset> Drop for Waiting<'_, T> {
    fn drop(&mut self) {
        // SAFETY: `self` is dropped in place, never moved again: pinning it for the call is
        // sound whether or not it was pinned before.
        let this = unsafe { Pin::new_unchecked(&mut *self) };
        // A cancelled wait keeps nothing: a slot handed to it goes on to the next waiter.
        if let Some((index, _)) = this.leave() {
            self.pool.put_back_untaken(index);
        }
    }
}
