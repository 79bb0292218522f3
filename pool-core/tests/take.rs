//! Taking a value out of a guard for good: the caller keeps the value, the slot gets a fresh
//! one from the pool's constructor, and the pool keeps its capacity, for all three guards.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use pool_core::{Guard, OwnedGuard, Pool, SyncGuard, SyncPool};

mod common;
use common::{numbering, DropCounter, Numbered};

#[test]
fn a_taken_value_leaves_the_pool_and_its_slot_is_built_anew() {
    let pool = Pool::new(2, numbering());
    let mut first = pool.acquire().unwrap();
    first.dirty = true;
    let kept: Numbered = Guard::take(first);
    assert_eq!(
        (kept.id, kept.dirty),
        (0, true),
        "the value as the guard left it"
    );
    assert_eq!(pool.usage().in_use, 0, "the slot came back");
    let all: Vec<_> = (0..2).map(|_| pool.acquire().unwrap()).collect();
    let mut ids: Vec<_> = all.iter().map(|guard| guard.id).collect();
    ids.sort_unstable();
    assert_eq!(ids, [1, 2], "slot 0 was rebuilt by the constructor (id 2)");
    assert!(all.iter().all(|guard| !guard.dirty));
}

#[test]
fn a_value_taken_from_a_sync_guard_leaves_the_pool_and_its_slot_is_built_anew() {
    let pool = SyncPool::new(1, numbering());
    let mut guard = pool.acquire().unwrap();
    guard.dirty = true;
    let kept = SyncGuard::take(guard);
    assert_eq!((kept.id, kept.dirty), (0, true));
    let fresh = pool.acquire().unwrap();
    assert_eq!((fresh.id, fresh.dirty), (1, false));
    drop(fresh);
    assert_eq!(pool.usage().in_use, 0);
}

#[test]
fn a_value_taken_from_an_owned_guard_leaves_the_pool_and_releases_the_pool() {
    let pool = Arc::new(SyncPool::new(1, numbering()));
    let guard = pool.acquire_owned().unwrap();
    let kept = std::thread::spawn(move || OwnedGuard::take(guard))
        .join()
        .unwrap();
    assert_eq!(kept.id, 0);
    assert_eq!(
        Arc::strong_count(&pool),
        1,
        "the guard's reference went with it"
    );
    assert_eq!(pool.acquire().unwrap().id, 1);
}

#[test]
fn a_taken_value_is_dropped_once_by_its_new_owner_and_never_by_the_pool() {
    let drops = Arc::new(AtomicUsize::new(0));
    let taken = {
        let counter = Arc::clone(&drops);
        let pool = Pool::new(1, move || DropCounter(Arc::clone(&counter)));
        let taken = Guard::take(pool.acquire().unwrap());
        assert_eq!(drops.load(Ordering::Relaxed), 0);
        taken
    };
    assert_eq!(
        drops.load(Ordering::Relaxed),
        1,
        "the pool dropped its fresh value"
    );
    drop(taken);
    assert_eq!(drops.load(Ordering::Relaxed), 2);
}

#[test]
fn a_waiter_gets_the_slot_of_a_taken_value() {
    let pool = Arc::new(SyncPool::new(1, numbering()));
    let guard = pool.acquire_owned().unwrap();
    let waiter = {
        let pool = Arc::clone(&pool);
        std::thread::spawn(move || pool.acquire_owned_blocking().unwrap().id)
    };
    std::thread::sleep(std::time::Duration::from_millis(if cfg!(miri) {
        1
    } else {
        20
    }));
    let kept = OwnedGuard::take(guard);
    assert_eq!(kept.id, 0);
    assert_eq!(
        waiter.join().unwrap(),
        1,
        "the rebuilt slot went to the waiter"
    );
}
