//! Waiting for a slot when none is free: blocking, with a timeout, or as a future.
//!
//! A waiting acquire registers with `slot_freed` (an `event_listener::Event`), counts
//! itself in `waiting`, sets [`WAITERS`] in `head`, and tries once more before it sleeps. A
//! release onto the stack learns from its own push CAS whether the bit was set; when it was, it
//! wakes one more waiter. The last waiter to leave clears the bit, and if another waiter arrived
//! meanwhile it sets the bit again and wakes a waiter if a slot came back while the bit was down.
//! All three steps are read-modify-writes of `head`, so they are totally ordered with the pushes:
//! no release can slip between a waiter's last try and its sleep.
//!
//! A release into an empty cache word reads `head` after its CAS on the word and wakes a waiter
//! if the bit is up (a displacing release wakes through its push). It cannot miss a waiter: the
//! waiter's last try (and the re-flagging check) *reads every cache word with a
//! read-modify-write* (`fetch_add(0)`) after raising the bit. Both sides are read-modify-writes
//! of the same cache word, so one comes first: if the waiter's, the release's CAS reads from it
//! (acquire) and so sees the bit; if the release's, the waiter sees the slot.

use core::ptr::NonNull;
use core::sync::atomic::Ordering::{AcqRel, Acquire, Relaxed};
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use event_listener::{IntoNotification as _, Listener as _};

use super::stack::{INDEX_MASK, NIL, WAITERS};
use super::{OwnedGuard, SyncGuard, SyncPool};
#[cfg(doc)]
use crate::Usage;
use crate::{PoolError, Reset};

impl<T: Reset> SyncPool<T> {
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

    /// A slot came back while a waiter is flagged: wake one more waiter for it.
    #[cold]
    #[inline(never)]
    pub(super) fn wake_one(&self) {
        self.slot_freed.notify(1.additional());
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
