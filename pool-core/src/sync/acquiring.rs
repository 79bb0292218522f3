//! The futures of the async acquires, [`Acquiring`] and [`AcquiringOwned`]: a first try, then
//! a place in the pool's queue of waiters (`wait.rs`), kept in the future itself.

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::ptr::NonNull;
use core::task::{Context, Poll};
use std::sync::Arc;

use super::wait::{Joined, Waiting};
use super::waiters::Wakeup;
use super::{OwnedGuard, SyncGuard, SyncPool};
use crate::{PoolError, Reset};

impl<T: Reset> SyncPool<T> {
    /// Takes a free slot, waiting asynchronously until a guard returns one if none is free.
    ///
    /// Works with any executor (it needs no runtime), and the future is `Send` and `Sync` when
    /// `T: Send`, so multi-threaded runtimes take it (`tokio::spawn`). Waiting acquires are
    /// served in the order they started waiting, and waiting allocates nothing: the future
    /// holds its own place in the queue. Cancel-safe: dropping the future before it completes
    /// holds no slot, and a slot that was handed to it goes to the next waiter.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] only for a pool of capacity 0, which would wait forever.
    pub fn acquire_async(&self) -> Acquiring<'_, T> {
        Acquiring {
            wait: Waiting::new(self),
        }
    }

    /// [`acquire_async`](SyncPool::acquire_async), as an [`OwnedGuard`]: the usual way to hand
    /// blocks to async workers with backpressure.
    ///
    /// # Errors
    ///
    /// As [`acquire_async`](SyncPool::acquire_async).
    pub fn acquire_owned_async(self: &Arc<Self>) -> AcquiringOwned<'_, T> {
        AcquiringOwned {
            pool: self,
            wait: Waiting::new(self),
        }
    }
}

/// The future of [`SyncPool::acquire_async`]: a [`SyncGuard`] once a slot is free.
///
/// `Send` and `Sync` when `T: Send`.
#[must_use = "futures do nothing unless polled"]
pub struct Acquiring<'a, T: Reset> {
    wait: Waiting<'a, T>,
}

/// The future of [`SyncPool::acquire_owned_async`]: an [`OwnedGuard`] once a slot is free.
///
/// `Send` and `Sync` when `T: Send`.
#[must_use = "futures do nothing unless polled"]
pub struct AcquiringOwned<'a, T: Reset> {
    pool: &'a Arc<SyncPool<T>>,
    wait: Waiting<'a, T>,
}

/// A free slot, or a place in the queue and then the slot a release hands over.
fn poll_take<T: Reset>(
    mut wait: Pin<&mut Waiting<'_, T>>,
    cx: &mut Context<'_>,
) -> Poll<Result<(u32, NonNull<T>), PoolError>> {
    if wait.is_waiting() {
        return wait.poll_handed(cx).map(Ok);
    }
    if let Some(slot) = wait.pool().try_take() {
        return Poll::Ready(Ok(slot));
    }
    match wait.as_mut().join(Wakeup::Task(cx.waker().clone())) {
        Joined::Served(slot) => Poll::Ready(slot),
        Joined::Waiting(_) => Poll::Pending,
    }
}

impl<'a, T: Reset> Future for Acquiring<'a, T> {
    type Output = Result<SyncGuard<'a, T>, PoolError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        // SAFETY: a projection to the one field, which is never moved out.
        let wait = unsafe { self.map_unchecked_mut(|this| &mut this.wait) };
        let pool = wait.pool();
        poll_take(wait, cx).map_ok(|(index, value)| pool.guard(index, value))
    }
}

impl<'a, T: Reset> Future for AcquiringOwned<'a, T> {
    type Output = Result<OwnedGuard<T>, PoolError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let pool = self.pool;
        // SAFETY: a projection to the `wait` field, which is never moved out.
        let wait = unsafe { self.map_unchecked_mut(|this| &mut this.wait) };
        poll_take(wait, cx).map_ok(|(index, value)| pool.owned_guard(index, value))
    }
}

impl<T: Reset> fmt::Debug for Acquiring<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acquiring")
            .field("waiting", &self.wait.is_waiting())
            .finish_non_exhaustive()
    }
}

impl<T: Reset> fmt::Debug for AcquiringOwned<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AcquiringOwned")
            .field("waiting", &self.wait.is_waiting())
            .finish_non_exhaustive()
    }
}
