//! A loom model of `SyncPool`: every interleaving of a few threads acquiring and returning
//! slots. Run with `RUSTFLAGS="--cfg loom" cargo test -p pool-core --release --test loom`.
//!
//! Under loom a pool has two thread caches of two slots each (a magazine), and threads are
//! numbered in spawn order from the model's main thread (0): so the main thread and the second
//! spawned thread share cache 0, the first spawned thread has cache 1, and the models cover
//! stealing from another thread's cache, two threads on one cache, a magazine holding several
//! slots, and a release that displaces the oldest slot of a full magazine onto the stack.
#![cfg(loom)]

use loom::sync::Arc;
use loom::thread;
use pool_core::{PoolError, SyncPool};

mod common;
use common::Slot;

/// Two threads race for one slot: whoever gets it sees a reset value, the other may be refused,
/// and the slot is back afterwards. Loom reports a data race on the value if the hand-over
/// lacked a happens-before edge.
#[test]
fn one_slot_is_never_held_twice() {
    loom::model(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(1));
        let workers: Vec<_> = (1..=2u64)
            .map(|id| {
                let pool = pool.clone();
                thread::spawn(move || match pool.acquire() {
                    Ok(mut guard) => {
                        assert_eq!(guard.value, 0, "handed out without its reset");
                        guard.value = id;
                    }
                    Err(error) => assert_eq!(error, PoolError::Exhausted { capacity: 1 }),
                })
            })
            .collect();
        for worker in workers {
            worker.join().unwrap();
        }
        assert_eq!(pool.usage().in_use, 0);
        assert_eq!(pool.acquire().unwrap().value, 0);
    });
}

/// The ABA shape: while one thread pops, another pops twice and pushes back. The stack must
/// stay consistent: afterwards exactly the pool's slots can be taken, each once.
#[test]
fn interleaved_pops_and_pushes_keep_the_stack_consistent() {
    // Bounding preemptions keeps the run to seconds; loom's docs find 2 to 3 catches most bugs.
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(3));
        let other = pool.clone();
        let juggler = thread::spawn(move || {
            let a = other.acquire().unwrap();
            let b = other.acquire();
            drop(a);
            drop(b);
        });
        let single = pool.acquire().map(|mut guard| guard.value = 9);
        juggler.join().unwrap();
        assert!(single.is_ok(), "three slots cover at most three holders");
        let all: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
        assert!(pool.acquire().is_err());
        assert!(all.iter().all(|guard| guard.value == 0));
    });
}

/// The hand-over to a waiter: one thread holds the only slot and returns it while another
/// waits for it. In every interleaving the waiter gets the slot (a lost wake-up would leave it
/// asleep, which loom reports as a deadlock), and the pool ends with nobody flagged as waiting.
#[test]
fn a_blocked_waiter_always_gets_the_returned_slot() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(1));
        let mut held = pool.acquire().unwrap();
        held.value = 5;
        let waiter = {
            let pool = pool.clone();
            thread::spawn(move || {
                let guard = pool.acquire_blocking().unwrap();
                assert_eq!(guard.value, 0, "handed over without its reset");
            })
        };
        drop(held);
        waiter.join().unwrap();
        let usage = pool.usage();
        assert_eq!(usage.in_use, 0);
        assert!(usage.waits <= 1);
        assert_eq!(usage.times_exhausted, 0);
    });
}

/// Two waiters, one slot returned twice over: the second waiter must not be stranded when the
/// first leaves and takes the waiting flag down (the re-flag path of the last waiter out).
#[test]
fn two_waiters_are_both_served_by_one_slot_in_turn() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(2);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(1));
        let held = pool.acquire().unwrap();
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let pool = pool.clone();
                thread::spawn(move || {
                    let mut guard = pool.acquire_blocking().unwrap();
                    guard.value = 1;
                })
            })
            .collect();
        drop(held);
        for waiter in waiters {
            waiter.join().unwrap();
        }
        assert_eq!(pool.usage().in_use, 0);
    });
}

/// A thread returns a slot into its cache while another, finding the stack empty, steals: the
/// slot is handed to one holder at a time, and is never lost: afterwards every slot can be
/// taken, and nothing is counted in use.
#[test]
fn a_slot_returned_into_a_cache_is_stolen_by_one_thread_at_a_time() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(2));
        let mut first = pool.acquire().unwrap();
        first.value = 1;
        let returner = {
            let pool = pool.clone();
            // Cache 1: a guard returned here lands in a cache the main thread does not own.
            // It may be refused: the main thread can hold both slots by then.
            thread::spawn(move || match pool.acquire() {
                Ok(mut guard) => {
                    assert_eq!(guard.value, 0, "handed out without its reset");
                    guard.value = 2;
                }
                Err(error) => assert_eq!(error, PoolError::Exhausted { capacity: 2 }),
            })
        };
        drop(first);
        // Cache 0 holds `first`'s slot; the other slot is with the returner or in cache 1.
        let taken: Vec<_> = (0..2).filter_map(|_| pool.acquire().ok()).collect();
        for guard in &taken {
            assert_eq!(guard.value, 0, "handed out without its reset");
        }
        returner.join().unwrap();
        drop(taken);
        let usage = pool.usage();
        assert_eq!(usage.in_use, 0);
        assert_eq!(pool.available(), 2);
        let all: Vec<_> = (0..2).map(|_| pool.acquire().unwrap()).collect();
        assert!(pool.acquire().is_err());
        drop(all);
        assert_eq!(pool.usage().total_acquires, 2 + usage.total_acquires);
    });
}

/// Two releases into one magazine (the second into the word above the first), while a thread
/// on another cache waits: the waiter is woken by a release that touches only a cache word, and
/// is served whichever slot it gets.
#[test]
fn a_waiter_is_woken_by_releases_into_a_magazine() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(2);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(2));
        let a = pool.acquire().unwrap();
        let b = pool.acquire().unwrap();
        let waiter = {
            let pool = pool.clone();
            thread::spawn(move || {
                let mut guard = pool.acquire_blocking().unwrap();
                assert_eq!(guard.value, 0, "handed over without its reset");
                guard.value = 3;
            })
        };
        drop(a); // into cache 0, word 0
        drop(b); // into cache 0, word 1: the magazine holds both, nothing reaches the stack
        waiter.join().unwrap();
        assert_eq!(pool.usage().in_use, 0);
        assert_eq!(pool.available(), 2);
    });
}

/// Waits (under loom's scheduler) until `flag` is up.
fn wait_for(flag: &loom::sync::atomic::AtomicBool) {
    while !flag.load(loom::sync::atomic::Ordering::Acquire) {
        thread::yield_now();
    }
}

/// The leapfrog that a scan of the stack and the caches, one word at a time, would get wrong:
/// while the main thread looks, slot A is released into the cache it already passed, and only
/// then is slot B taken from a cache it has not reached. A slot was free at every instant, so
/// the acquire must not be refused.
#[test]
fn acquire_is_not_refused_while_a_slot_is_free_throughout() {
    use loom::sync::atomic::{AtomicBool, Ordering::Release};

    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        // A std `Arc`, which owned guards hold; loom does not need to track its count.
        let pool = std::sync::Arc::new(SyncPool::<Slot>::with_default(2));
        let a = pool.acquire_owned().unwrap();
        let b = pool.acquire_owned().unwrap();
        let b_cached = Arc::new(AtomicBool::new(false));
        let a_released = Arc::new(AtomicBool::new(false));
        // Thread 1, cache 1: returns B into its cache, then takes a slot once A is back.
        let taker = {
            let (pool, b_cached, a_released) = (pool.clone(), b_cached.clone(), a_released.clone());
            thread::spawn(move || {
                drop(b);
                b_cached.store(true, Release);
                wait_for(&a_released);
                pool.acquire().ok().map(|guard| guard.value)
            })
        };
        // Thread 2, cache 0 (shared with the main thread): returns A.
        let releaser = {
            let a_released = a_released.clone();
            thread::spawn(move || {
                drop(a);
                a_released.store(true, Release);
            })
        };
        wait_for(&b_cached);
        let mine = pool.acquire();
        assert!(mine.is_ok(), "refused while a slot was free throughout");
        // The taker holds whatever it got until it returns.
        let _ = taker.join().unwrap();
        releaser.join().unwrap();
        drop(mine);
        assert_eq!(pool.usage().in_use, 0);
    });
}

/// Exhaustion stays honest with several slots parked in another thread's magazine: thread 1
/// returns both slots into its cache (words 0 and 1) while the main thread acquires. The first
/// acquire after slot A is back must succeed, and once thread 1 is done both slots must be
/// taken (the second only from the upper word of the other magazine) before a refusal.
#[test]
fn slots_in_another_threads_magazine_are_taken_before_refusing() {
    use loom::sync::atomic::{AtomicBool, Ordering::Release};

    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        let pool = std::sync::Arc::new(SyncPool::<Slot>::with_default(2));
        let mut a = pool.acquire_owned().unwrap();
        let mut b = pool.acquire_owned().unwrap();
        (a.value, b.value) = (1, 2);
        let a_released = Arc::new(AtomicBool::new(false));
        // Thread 1, cache 1: returns A, then B, into its magazine.
        let returner = {
            let a_released = a_released.clone();
            thread::spawn(move || {
                drop(a);
                a_released.store(true, Release);
                drop(b);
            })
        };
        wait_for(&a_released);
        let first = pool.acquire();
        assert!(first.is_ok(), "refused while slot A was free");
        returner.join().unwrap();
        let second = pool.acquire();
        assert!(
            second.is_ok(),
            "refused while slot B sat in thread 1's magazine"
        );
        assert_eq!(
            pool.acquire().unwrap_err(),
            PoolError::Exhausted { capacity: 2 }
        );
        for guard in [&first, &second] {
            assert_eq!(
                guard.as_ref().unwrap().value,
                0,
                "handed out without its reset"
            );
        }
        drop((first, second));
        assert_eq!(pool.usage().in_use, 0);
        assert_eq!(pool.available(), 2);
    });
}

/// A thread steals from a magazine while its owner fills it past full: the third release
/// displaces the oldest slot (word 0) onto the stack at the moment the thief may take that
/// very slot. Either way each slot has one holder at a time (loom reports a data race on the
/// value otherwise), and afterwards exactly the pool's three slots can be taken, each once:
/// none lost, none duplicated.
#[test]
fn a_steal_racing_a_displacing_release_neither_loses_nor_duplicates_a_slot() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(2);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(3));
        let held: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
        // Thread 1, cache 1, whose cache and the stack are empty: it can only steal.
        let thief = {
            let pool = pool.clone();
            thread::spawn(move || {
                if let Ok(mut guard) = pool.acquire() {
                    assert_eq!(guard.value, 0, "handed out without its reset");
                    guard.value = 7;
                }
            })
        };
        for mut guard in held {
            guard.value = 1;
            drop(guard); // words 0, 1, then 0 again, displacing the first
        }
        thief.join().unwrap();
        assert_eq!(pool.usage().in_use, 0);
        assert_eq!(pool.available(), 3);
        let mut all: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
        assert!(pool.acquire().is_err(), "a slot was duplicated");
        for (i, guard) in all.iter().enumerate() {
            let others = &all[..i];
            assert!(
                others.iter().all(|other| !std::ptr::eq(&**other, &**guard)),
                "a slot was handed out twice"
            );
        }
        for guard in &mut all {
            assert_eq!(guard.value, 0, "handed out without its reset");
            guard.value = 9;
        }
    });
}

/// The async hand-over: a task blocked in `acquire_async` (on loom's executor) gets the slot
/// another thread returns, in every interleaving of its join, its last try and the release.
#[test]
fn an_async_waiter_always_gets_the_returned_slot() {
    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(3);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(1));
        let mut held = pool.acquire().unwrap();
        held.value = 4;
        let waiter = {
            let pool = pool.clone();
            thread::spawn(move || {
                let guard = loom::future::block_on(pool.acquire_async()).unwrap();
                assert_eq!(guard.value, 0, "handed over without its reset");
            })
        };
        drop(held);
        waiter.join().unwrap();
        let usage = pool.usage();
        assert_eq!((usage.in_use, usage.total_acquires), (0, 2), "{usage:?}");
    });
}

/// A waiting future cancelled while the slot may be on its way to it: polled once, then
/// dropped, while the main thread returns the slot and then blocks for it. Whatever was handed
/// to the cancelled future goes on to the main thread (which otherwise sleeps forever: a
/// deadlock loom reports), and afterwards the slot is free.
#[test]
fn a_cancelled_async_wait_passes_its_slot_on() {
    use std::future::Future as _;
    use std::task::{Context, Waker};

    let mut model = loom::model::Builder::new();
    model.preemption_bound = Some(2);
    model.check(|| {
        let pool = Arc::new(SyncPool::<Slot>::with_default(1));
        let held = pool.acquire().unwrap();
        let canceller = {
            let pool = pool.clone();
            thread::spawn(move || {
                let mut waiting = Box::pin(pool.acquire_async());
                let polled = waiting
                    .as_mut()
                    .poll(&mut Context::from_waker(Waker::noop()));
                drop(polled); // a guard got at once goes home, as does one handed over
                drop(waiting);
            })
        };
        drop(held);
        let mine = pool.acquire_blocking().unwrap();
        assert_eq!(mine.value, 0, "handed over without its reset");
        drop(mine);
        canceller.join().unwrap();
        assert_eq!(pool.available(), 1);
        assert_eq!(pool.usage().in_use, 0);
    });
}
