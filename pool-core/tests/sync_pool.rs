//! Behaviour of the lock-free `SyncPool` and its guards.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Barrier};
use std::thread;

use pool_core::{OwnedGuard, PoolError, Reset, SyncPool};

mod common;
use common::{numbering, DropCounter, Fragile, Numbered};

fn numbered_pool(capacity: usize) -> SyncPool<Numbered> {
    SyncPool::new(capacity, numbering())
}

common::single_thread_contract!(numbered_pool);

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn pool_and_guards_are_send_and_sync_for_send_sync_values() {
    assert_send_sync::<SyncPool<Numbered>>();
    assert_send_sync::<OwnedGuard<Numbered>>();
    assert_send_sync::<pool_core::SyncGuard<'static, Numbered>>();
}

#[test]
fn owned_acquire_for_refuses_runs_longer_than_the_lane_count() {
    let pool = Arc::new(numbered_pool(1));
    assert!(matches!(
        pool.acquire_owned_for(9),
        Err(PoolError::InvalidSize {
            requested: 9,
            max: 8
        })
    ));
    assert!(pool.acquire_owned_for(8).is_ok());
    assert_eq!(pool.usage().total_acquires, 1);
}

#[test]
fn owned_guard_sent_through_a_channel_returns_home_on_drop() {
    let pool = Arc::new(numbered_pool(2));
    let (tx, rx) = mpsc::channel();
    let mut guard = pool.acquire_owned().unwrap();
    guard.dirty = true;
    let id = guard.id;
    tx.send(guard).unwrap();
    let worker = thread::spawn(move || {
        let guard = rx.recv().unwrap();
        assert!(guard.dirty);
    });
    worker.join().unwrap();
    assert_eq!(pool.usage().in_use, 0);
    // The worker's slot sits in the worker's cache; this thread still gets it, reset.
    let both = [pool.acquire().unwrap(), pool.acquire().unwrap()];
    let back = both.iter().find(|guard| guard.id == id).unwrap();
    assert!(!back.dirty);
}

#[test]
fn owned_guard_keeps_the_pool_alive_after_the_last_arc_is_dropped() {
    let pool = Arc::new(numbered_pool(1));
    let guard = pool.acquire_owned().unwrap();
    let weak = Arc::downgrade(&pool);
    drop(pool);
    assert!(weak.upgrade().is_some());
    drop(guard);
    assert!(weak.upgrade().is_none());
}

/// Many threads hammer a small pool; every slot is owned by one thread at a time, none is lost,
/// and the counters add up.
#[test]
fn concurrent_acquires_never_share_a_slot_and_lose_none() {
    const THREADS: usize = 4;
    const ROUNDS: usize = if cfg!(miri) { 50 } else { 20_000 };
    let pool = Arc::new(SyncPool::new(3, Owned::free));
    let barrier = Arc::new(Barrier::new(THREADS));
    let acquired = Arc::new(AtomicU32::new(0));
    on_threads(THREADS, |thread_id| {
        barrier.wait();
        for _ in 0..ROUNDS {
            let Ok(guard) = pool.acquire() else { continue };
            acquired.fetch_add(1, Ordering::Relaxed);
            guard.take_for(thread_id);
            std::hint::spin_loop();
            guard.give_back_from(thread_id);
        }
    });
    let usage = pool.usage();
    assert_eq!(usage.in_use, 0);
    assert_eq!(
        usage.total_acquires,
        u64::from(acquired.load(Ordering::Relaxed))
    );
    assert_eq!(
        usage.total_acquires + usage.times_exhausted,
        (THREADS * ROUNDS) as u64,
        "every attempt either acquired or was refused"
    );
    assert!(usage.high_water_mark <= 3);
    let all: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
    assert_eq!(all.len(), 3, "no slot was lost");
}

/// Records which thread holds it, so two holders at once are caught.
struct Owned {
    holder: AtomicUsize,
}

impl Owned {
    fn free() -> Self {
        Owned {
            holder: AtomicUsize::new(usize::MAX),
        }
    }

    /// Marks the value held by `thread_id`; panics if another thread holds it.
    fn take_for(&self, thread_id: usize) {
        let previous = self.holder.swap(thread_id, Ordering::Relaxed);
        assert_eq!(previous, usize::MAX, "slot was already held");
    }

    /// Marks the value free again; panics if `thread_id` did not hold it.
    fn give_back_from(&self, thread_id: usize) {
        assert_eq!(self.holder.swap(usize::MAX, Ordering::Relaxed), thread_id);
    }
}

impl Reset for Owned {
    fn reset(&mut self) {}
}

/// Runs `work(thread_id)` on `count` threads at once and waits for all of them; a panic in one
/// fails the test.
fn on_threads(count: usize, work: impl Fn(usize) + Sync) {
    thread::scope(|scope| {
        for thread_id in 0..count {
            let work = &work;
            scope.spawn(move || work(thread_id));
        }
    });
}

#[test]
fn panic_in_reset_keeps_the_slot_and_rebuilds_the_value() {
    let built = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&built);
    let pool = SyncPool::new(1, move || Fragile {
        generation: counter.fetch_add(1, Ordering::Relaxed),
        ..Fragile::default()
    });
    let mut guard = pool.acquire().unwrap();
    guard.poison = true;
    assert!(panic::catch_unwind(AssertUnwindSafe(|| drop(guard))).is_err());
    assert_eq!(pool.usage().in_use, 0);
    let fresh = pool.acquire().unwrap();
    assert_eq!(fresh.generation, 1);
    assert!(!fresh.poison);
}

#[test]
fn available_follows_every_acquire_and_release() {
    let pool = Arc::new(numbered_pool(5));
    assert_eq!(pool.available(), 5);
    let a = pool.acquire().unwrap();
    let b = pool.acquire_owned().unwrap();
    assert_eq!(pool.available(), 3);
    drop(a);
    assert_eq!(pool.available(), 4);
    let rest: Vec<_> = (0..4).map(|_| pool.acquire().unwrap()).collect();
    assert_eq!(pool.available(), 0);
    drop(b);
    assert_eq!(pool.available(), 1);
    drop(rest);
    assert_eq!(pool.available(), 5);
    assert_eq!(numbered_pool(0).available(), 0);
}

#[test]
fn usage_stays_exact_after_slots_return_out_of_order_from_many_threads() {
    let pool = Arc::new(numbered_pool(16));
    let workers: Vec<_> = (0..4)
        .map(|_| {
            let pool = Arc::clone(&pool);
            thread::spawn(move || {
                for round in 0..if cfg!(miri) { 10 } else { 1_000 } {
                    let guards: Vec<_> = (0..round % 4 + 1)
                        .filter_map(|_| pool.acquire().ok())
                        .collect();
                    drop(guards);
                }
            })
        })
        .collect();
    let held = pool.acquire().unwrap();
    for worker in workers {
        worker.join().unwrap();
    }
    let usage = pool.usage();
    assert_eq!(usage.in_use, 1);
    assert_eq!(pool.available(), 15);
    assert!(usage.high_water_mark >= 1 && usage.high_water_mark <= 16);
    assert_eq!(
        usage.total_acquires + usage.times_exhausted,
        1 + (0..4u64)
            .map(|_| (0..if cfg!(miri) { 10 } else { 1_000 })
                .map(|r| r % 4 + 1)
                .sum::<u64>())
            .sum::<u64>()
    );
    drop(held);
    assert_eq!(pool.usage().in_use, 0);
}

/// Parks one slot in the cache of each of `threads` short-lived threads (each acquires and
/// returns one slot), and returns the ids they parked.
fn park_slots_in_other_threads(pool: &Arc<SyncPool<Numbered>>, threads: usize) -> Vec<usize> {
    (0..threads)
        .map(|_| {
            let pool = Arc::clone(pool);
            thread::spawn(move || pool.acquire().unwrap().id)
                .join()
                .unwrap()
        })
        .collect()
}

#[test]
fn slots_cached_by_other_threads_are_taken_before_refusing() {
    let pool = Arc::new(numbered_pool(4));
    let parked = park_slots_in_other_threads(&pool, 4);
    assert_eq!(pool.available(), 4, "cached slots count as free");
    let all: Vec<_> = (0..4).map(|_| pool.acquire().unwrap()).collect();
    let mut ids: Vec<_> = all.iter().map(|guard| guard.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [0, 1, 2, 3]);
    assert!(parked.iter().all(|id| ids.contains(id)));
    assert_eq!(
        pool.acquire().unwrap_err(),
        PoolError::Exhausted { capacity: 4 }
    );
    let usage = pool.usage();
    assert_eq!((usage.in_use, usage.times_exhausted), (4, 1));
}

#[test]
fn usage_is_exact_while_slots_sit_in_thread_caches() {
    let pool = Arc::new(numbered_pool(8));
    let held: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
    park_slots_in_other_threads(&pool, 3);
    let usage = pool.usage();
    assert_eq!(usage.in_use, 3);
    assert_eq!(pool.available(), 5);
    assert_eq!(usage.total_acquires, 6);
    drop(held);
    let usage = pool.usage();
    assert_eq!((usage.in_use, usage.total_acquires), (0, 6));
    assert!(usage.high_water_mark >= 3 && usage.high_water_mark <= 6);
}

/// A thread that returns several guards gets them back newest first, whether they all fit in
/// its cache or some overflowed onto the shared stack.
#[test]
fn several_slots_returned_by_one_thread_come_back_newest_first() {
    for held in 1..=8 {
        let pool = numbered_pool(8);
        let guards: Vec<_> = (0..held).map(|_| pool.acquire().unwrap()).collect();
        let returned: Vec<_> = guards.iter().map(|guard| guard.id).collect();
        drop(guards); // in order: the last one returned is `returned[held - 1]`
        let again: Vec<_> = (0..held).map(|_| pool.acquire().unwrap()).collect();
        let mut newest_first: Vec<_> = again.iter().map(|guard| guard.id).collect();
        newest_first.reverse();
        assert_eq!(newest_first, returned, "holding {held}");
        drop(again);
        assert_eq!(pool.usage().in_use, 0);
        assert_eq!(pool.available(), 8);
    }
}

/// Parks `count` slots in the cache of one short-lived thread (it acquires them all, then
/// returns them), and returns their ids.
fn park_slots_in_one_thread(pool: &Arc<SyncPool<Numbered>>, count: usize) -> Vec<usize> {
    let pool = Arc::clone(pool);
    thread::spawn(move || {
        let held: Vec<_> = (0..count).map(|_| pool.acquire().unwrap()).collect();
        held.iter().map(|guard| guard.id).collect()
    })
    .join()
    .unwrap()
}

#[test]
fn several_slots_cached_by_one_other_thread_are_taken_before_refusing() {
    for capacity in 1..=6 {
        let pool = Arc::new(numbered_pool(capacity));
        let parked = park_slots_in_one_thread(&pool, capacity);
        assert_eq!(pool.available(), capacity, "cached slots count as free");
        assert_eq!(pool.usage().in_use, 0);
        let all: Vec<_> = (0..capacity).map(|_| pool.acquire().unwrap()).collect();
        let mut ids: Vec<_> = all.iter().map(|guard| guard.id).collect();
        ids.sort_unstable();
        let mut parked = parked.clone();
        parked.sort_unstable();
        assert_eq!(ids, parked);
        assert_eq!(
            pool.acquire().unwrap_err(),
            PoolError::Exhausted { capacity }
        );
        let usage = pool.usage();
        assert_eq!(usage.in_use, capacity);
        assert_eq!(usage.total_acquires, 2 * capacity as u64);
    }
}

#[test]
fn dropping_the_pool_drops_every_value_once_with_slots_parked_in_caches() {
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&drops);
    let pool = Arc::new(SyncPool::new(12, move || DropCounter(Arc::clone(&counter))));
    // Three threads each park a few slots; the main thread parks some and holds one.
    for count in [1, 3, 4] {
        let pool = Arc::clone(&pool);
        thread::spawn(move || {
            drop(
                (0..count)
                    .map(|_| pool.acquire().unwrap())
                    .collect::<Vec<_>>(),
            )
        })
        .join()
        .unwrap();
    }
    drop((0..2).map(|_| pool.acquire().unwrap()).collect::<Vec<_>>());
    let owned = pool.acquire_owned().unwrap();
    assert_eq!(pool.usage().in_use, 1);
    drop(pool);
    assert_eq!(
        drops.load(Ordering::Relaxed),
        0,
        "the owned guard keeps the pool alive"
    );
    drop(owned);
    assert_eq!(drops.load(Ordering::Relaxed), 12);
}

/// Three threads each hold one or two guards at once, many times over, on a pool of six: no
/// slot is ever handed to two holders, and afterwards every slot is free and accounted for.
#[test]
fn threads_holding_several_guards_never_share_a_slot() {
    const ROUNDS: usize = if cfg!(miri) { 30 } else { 20_000 };
    let pool = Arc::new(SyncPool::new(6, Owned::free));
    on_threads(3, |thread_id| {
        for round in 0..ROUNDS {
            let held: Vec<_> = (0..1 + round % 2)
                .filter_map(|_| pool.acquire().ok())
                .collect();
            for guard in &held {
                guard.take_for(thread_id);
            }
            for guard in &held {
                guard.give_back_from(thread_id);
            }
        }
    });
    let usage = pool.usage();
    assert_eq!(usage.in_use, 0);
    assert_eq!(
        usage.times_exhausted, 0,
        "3 threads holding at most 2 each fit in 6"
    );
    assert_eq!(pool.available(), 6);
    let all: Vec<_> = (0..6).map(|_| pool.acquire().unwrap()).collect();
    assert!(pool.acquire().is_err());
    drop(all);
}
