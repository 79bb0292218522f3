//! Waiting acquires on `SyncPool`: blocking, with a time limit, and async (on a minimal
//! executor written here, since the futures must work without any runtime).

use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::task::{Context, Poll, Wake, Waker};
use std::thread;
use std::time::{Duration, Instant};

use pool_core::{PoolError, SyncPool};

mod common;
use common::Slot;

/// Wakes a parked thread, and counts its wake-ups.
struct ThreadWaker {
    thread: thread::Thread,
    wakes: AtomicUsize,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.wakes.fetch_add(1, Ordering::SeqCst);
        self.thread.unpark();
    }
}

fn thread_waker() -> (Arc<ThreadWaker>, Waker) {
    let waker = Arc::new(ThreadWaker {
        thread: thread::current(),
        wakes: AtomicUsize::new(0),
    });
    (Arc::clone(&waker), Waker::from(waker))
}

/// The smallest executor: poll, park until woken, poll again.
fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let (_, waker) = thread_waker();
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread::park();
    }
}

/// A thread that blocks on `pool` and answers the value of the slot it gets; returns once the
/// thread has had time to fall asleep.
fn spawn_blocked_waiter(pool: &Arc<SyncPool<Slot>>) -> thread::JoinHandle<u64> {
    let (started_tx, started_rx) = mpsc::channel();
    let waiter = {
        let pool = Arc::clone(pool);
        thread::spawn(move || {
            started_tx.send(()).unwrap();
            let guard = pool.acquire_blocking().unwrap();
            guard.value
        })
    };
    started_rx.recv().unwrap();
    thread::sleep(Duration::from_millis(20));
    waiter
}

/// Drops `held` (a guard: it goes home) on another thread after `delay`.
fn drop_later<T: Send + 'static>(held: T, delay: Duration) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        thread::sleep(delay);
        drop(held);
    })
}

#[test]
fn blocking_acquire_waits_for_a_returned_slot() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(1));
    let mut held = pool.acquire_owned().unwrap();
    held.value = 7;
    let waiter = spawn_blocked_waiter(&pool);
    drop(held);
    assert_eq!(waiter.join().unwrap(), 0, "the waiter gets the slot, reset");
    let usage = pool.usage();
    assert_eq!(usage.in_use, 0);
    assert_eq!(usage.total_acquires, 2);
}

#[test]
fn a_wait_counts_once_as_a_wait_and_never_as_a_refusal() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(1));
    let held = pool.acquire_owned().unwrap();
    let releaser = drop_later(held, Duration::from_millis(30));
    let guard = pool.acquire_owned_blocking().unwrap();
    releaser.join().unwrap();
    drop(guard);
    let usage = pool.usage();
    assert_eq!(usage.times_exhausted, 0, "{usage:?}");
    assert_eq!(usage.waits, 1, "{usage:?}");
    assert!(usage.wait_time >= Duration::from_millis(10), "{usage:?}");
    assert!(usage.wait_time < Duration::from_secs(30), "{usage:?}");
}

#[test]
fn a_free_slot_is_taken_without_waiting() {
    let pool = SyncPool::<Slot>::with_default(2);
    let _a = pool.acquire_blocking().unwrap();
    let _b = pool.acquire_timeout(Duration::ZERO).unwrap();
    let _c = block_on(async {
        drop(_a);
        pool.acquire_async().await.unwrap()
    });
    assert_eq!(pool.usage().waits, 0);
}

#[test]
fn timeout_gives_up_with_timed_out_and_counts_one_refusal() {
    let pool = SyncPool::<Slot>::with_default(2);
    let _held: Vec<_> = (0..2).map(|_| pool.acquire().unwrap()).collect();
    let started = Instant::now();
    let error = pool.acquire_timeout(Duration::from_millis(20)).unwrap_err();
    assert!(started.elapsed() >= Duration::from_millis(20));
    assert_eq!(
        error,
        PoolError::TimedOut {
            capacity: 2,
            timeout: Duration::from_millis(20)
        }
    );
    assert!(
        error.to_string().contains("timed out after 20ms"),
        "{error}"
    );
    let usage = pool.usage();
    assert_eq!((usage.times_exhausted, usage.waits), (1, 1), "{usage:?}");
}

#[test]
fn timeout_returns_the_slot_when_it_comes_back_in_time() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(1));
    let held = pool.acquire_owned().unwrap();
    let releaser = drop_later(held, Duration::from_millis(10));
    let guard = pool.acquire_owned_timeout(Duration::from_secs(60));
    assert!(guard.is_ok());
    releaser.join().unwrap();
}

#[test]
fn a_timeout_too_long_for_the_clock_waits_like_blocking() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(1));
    let held = pool.acquire_owned().unwrap();
    let releaser = drop_later(held, Duration::from_millis(10));
    assert!(pool.acquire_timeout(Duration::MAX).is_ok());
    releaser.join().unwrap();
}

#[test]
fn an_empty_pool_refuses_instead_of_waiting_forever() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(0));
    let exhausted = PoolError::Exhausted { capacity: 0 };
    assert_eq!(pool.acquire_blocking().unwrap_err(), exhausted);
    assert_eq!(pool.acquire_owned_blocking().unwrap_err(), exhausted);
    assert_eq!(block_on(pool.acquire_async()).unwrap_err(), exhausted);
}

#[test]
fn async_acquire_is_woken_by_a_release_on_another_thread() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(1));
    let mut held = pool.acquire_owned().unwrap();
    held.value = 3;
    let releaser = drop_later(held, Duration::from_millis(10));
    let guard = block_on(pool.acquire_owned_async()).unwrap();
    assert_eq!(guard.value, 0);
    releaser.join().unwrap();
    assert_eq!(pool.usage().waits, 1);
}

#[test]
fn async_acquire_waits_without_polling() {
    let pool = SyncPool::<Slot>::with_default(1);
    let held = pool.acquire().unwrap();
    let (counter, waker) = thread_waker();
    let mut cx = Context::from_waker(&waker);
    let mut waiting = pin!(pool.acquire_async());
    assert!(waiting.as_mut().poll(&mut cx).is_pending());
    assert!(waiting.as_mut().poll(&mut cx).is_pending());
    assert_eq!(
        counter.wakes.load(Ordering::SeqCst),
        0,
        "nothing came back yet"
    );
    drop(held);
    assert_eq!(
        counter.wakes.load(Ordering::SeqCst),
        1,
        "the release woke it"
    );
    assert!(matches!(waiting.as_mut().poll(&mut cx), Poll::Ready(Ok(_))));
}

#[test]
fn a_dropped_waiting_future_keeps_no_slot_and_passes_its_wake_up_on() {
    let pool = SyncPool::<Slot>::with_default(1);
    let held = pool.acquire().unwrap();
    let (first_wakes, first_waker) = thread_waker();
    let (second_wakes, second_waker) = thread_waker();
    let mut first = Box::pin(pool.acquire_async());
    let mut second = pin!(pool.acquire_async());
    assert!(first
        .as_mut()
        .poll(&mut Context::from_waker(&first_waker))
        .is_pending());
    assert!(second
        .as_mut()
        .poll(&mut Context::from_waker(&second_waker))
        .is_pending());
    drop(held); // hands the slot to the first waiter and wakes it...
    assert_eq!(first_wakes.wakes.load(Ordering::SeqCst), 1);
    assert_eq!(second_wakes.wakes.load(Ordering::SeqCst), 0);
    drop(first); // ...which is cancelled before it runs: its slot goes to the second
    assert_eq!(second_wakes.wakes.load(Ordering::SeqCst), 1);
    assert_eq!(pool.usage().in_use, 1, "handed to the second waiter");
    let guard = second
        .as_mut()
        .poll(&mut Context::from_waker(&second_waker));
    assert!(matches!(guard, Poll::Ready(Ok(_))));
    drop(guard);
    assert_eq!(pool.available(), 1, "the cancelled waiter holds nothing");
    assert_eq!(
        pool.usage().total_acquires,
        2,
        "the hand-over is one acquire"
    );
}

#[test]
fn after_the_last_waiter_leaves_releases_wake_nobody() {
    let pool = SyncPool::<Slot>::with_default(1);
    let held = pool.acquire().unwrap();
    assert!(pool.acquire_timeout(Duration::from_millis(1)).is_err());
    drop(held);
    // Nobody waits: a future polled now finds the slot at once.
    let (wakes, waker) = thread_waker();
    let guard = pin!(pool.acquire_async())
        .as_mut()
        .poll(&mut Context::from_waker(&waker));
    assert!(matches!(guard, Poll::Ready(Ok(_))));
    assert_eq!(wakes.wakes.load(Ordering::SeqCst), 0);
}

#[test]
fn many_waiters_each_get_a_slot_as_slots_come_back() {
    const WAITERS: usize = if cfg!(miri) { 3 } else { 8 };
    let pool = Arc::new(SyncPool::<Slot>::with_default(2));
    let held: Vec<_> = (0..2).map(|_| pool.acquire_owned().unwrap()).collect();
    let served = Arc::new(AtomicUsize::new(0));
    let waiters: Vec<_> = (0..WAITERS)
        .map(|i| {
            let (pool, served) = (Arc::clone(&pool), Arc::clone(&served));
            thread::spawn(move || {
                let mut guard = if i % 2 == 0 {
                    pool.acquire_owned_blocking().unwrap()
                } else {
                    block_on(pool.acquire_owned_async()).unwrap()
                };
                assert_eq!(guard.value, 0);
                guard.value = i as u64 + 1;
                served.fetch_add(1, Ordering::SeqCst);
            })
        })
        .collect();
    thread::sleep(Duration::from_millis(10));
    drop(held);
    for waiter in waiters {
        waiter.join().unwrap();
    }
    assert_eq!(served.load(Ordering::SeqCst), WAITERS);
    let usage = pool.usage();
    assert_eq!(usage.in_use, 0);
    assert_eq!(usage.times_exhausted, 0, "{usage:?}");
}

/// With several slots, a returned slot goes to the releasing thread's own cache, not the shared
/// stack: a thread blocked on the pool is still woken and takes it from there.
#[test]
fn a_slot_returned_into_the_releasers_cache_wakes_a_waiter() {
    let pool = Arc::new(SyncPool::<Slot>::with_default(4));
    let mut held: Vec<_> = (0..4).map(|_| pool.acquire_owned().unwrap()).collect();
    held[0].value = 9;
    let waiter = spawn_blocked_waiter(&pool);
    drop(held.remove(0));
    assert_eq!(waiter.join().unwrap(), 0, "the waiter gets the slot, reset");
    drop(held);
    let usage = pool.usage();
    assert_eq!((usage.in_use, usage.total_acquires), (0, 5));
}
