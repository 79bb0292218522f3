//! Behaviour of the single-thread `Pool` and its guard.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;

use pool_core::{Pool, PoolError};

mod common;
use common::{numbering, DropCounter, Fragile, Numbered};

fn numbered_pool(capacity: usize) -> Pool<Numbered> {
    Pool::new(capacity, numbering())
}

common::single_thread_contract!(numbered_pool);

#[test]
fn pool_drops_every_value_once_even_if_a_guard_was_forgotten() {
    let drops = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&drops);
    let pool = Pool::new(3, move || DropCounter(Arc::clone(&counter)));
    std::mem::forget(pool.acquire().unwrap());
    drop(pool.acquire().unwrap());
    assert_eq!(drops.load(Ordering::Relaxed), 0);
    drop(pool);
    assert_eq!(drops.load(Ordering::Relaxed), 3);
}

#[test]
fn panic_in_reset_keeps_the_slot_and_never_hands_out_the_half_reset_value() {
    let built = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&built);
    let pool = Pool::new(1, move || Fragile {
        generation: counter.fetch_add(1, Ordering::Relaxed),
        ..Fragile::default()
    });
    let mut guard = pool.acquire().unwrap();
    guard.poison = true;
    let outcome = panic::catch_unwind(AssertUnwindSafe(|| drop(guard)));
    assert!(
        outcome.is_err(),
        "the panic reaches the code that dropped the guard"
    );
    assert_eq!(pool.usage().in_use, 0, "the slot is back");

    let fresh = pool.acquire().unwrap();
    assert_eq!(
        fresh.generation, 1,
        "the value was rebuilt from the constructor"
    );
    assert!(!fresh.half_reset && !fresh.poison);
    assert_eq!(built.load(Ordering::Relaxed), 2);
    drop(fresh);
    // A rebuilt slot is an ordinary slot again: no further rebuilds.
    assert_eq!(pool.acquire().unwrap().generation, 1);
}

#[test]
fn panic_in_the_rebuild_keeps_the_slot_stale_until_a_rebuild_succeeds() {
    let calls = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&calls);
    let pool = Pool::new(1, move || {
        let call = counter.fetch_add(1, Ordering::Relaxed);
        assert!(call != 1, "constructor failed on its second call");
        Fragile {
            generation: call,
            ..Fragile::default()
        }
    });
    let mut guard = pool.acquire().unwrap();
    guard.poison = true;
    assert!(panic::catch_unwind(AssertUnwindSafe(|| drop(guard))).is_err());
    // The rebuild panics: the acquire fails by panicking, and the slot is still there.
    assert!(panic::catch_unwind(AssertUnwindSafe(|| pool.acquire().map(|_| ()))).is_err());
    assert_eq!(pool.usage().in_use, 0);
    let rebuilt = pool.acquire().unwrap();
    assert_eq!(rebuilt.generation, 2);
    assert!(!rebuilt.half_reset);
}

#[test]
fn errors_say_what_happened_and_what_to_do() {
    let exhausted = PoolError::Exhausted { capacity: 16 }.to_string();
    assert_eq!(
        exhausted,
        "pool exhausted: all 16 slots are in use; drop a guard to return its slot, \
         or build the pool with a larger capacity"
    );
    let invalid = PoolError::InvalidSize {
        requested: 9,
        max: 8,
    }
    .to_string();
    assert!(
        invalid.contains("9 lanes requested") && invalid.contains("at most 8"),
        "{invalid}"
    );
}

#[test]
fn pool_of_vecs_keeps_capacity_across_reuse() {
    let pool: Pool<Vec<u8>> = Pool::new(1, || Vec::with_capacity(64));
    let mut v = pool.acquire().unwrap();
    v.extend_from_slice(&[1, 2, 3]);
    let ptr = v.as_ptr();
    drop(v);
    let v = pool.acquire().unwrap();
    assert!(v.is_empty());
    assert_eq!(v.as_ptr(), ptr);
    assert!(v.capacity() >= 64);
}

#[test]
fn debug_shows_usage_and_guards_show_their_value() {
    let pool = numbered_pool(1);
    let guard = pool.acquire().unwrap();
    assert_eq!(format!("{guard:?}"), "Numbered { id: 0, dirty: false }");
    assert!(format!("{pool:?}").contains("in_use: 1"));
}

#[test]
fn constructor_may_capture_thread_local_state() {
    use std::rc::Rc;
    let config = Rc::new(64usize);
    let pool = Pool::with_constructor(2, move || Vec::<u8>::with_capacity(*config));
    assert!(pool.acquire().unwrap().capacity() >= 64);
}

#[test]
fn pool_is_send_when_its_values_and_constructor_are() {
    fn assert_send<T: Send>(_: &T) {}
    let pool = Pool::new(1, || vec![0u8; 4]);
    assert_send(&pool);
    let moved = std::thread::spawn(move || pool.acquire().map(|v| v.len()).unwrap());
    assert_eq!(moved.join().unwrap(), 4);
}

#[test]
fn first_acquire_gets_the_constructed_value_without_a_reset() {
    let pool = Pool::new(1, || vec![1u8, 2, 3]);
    assert_eq!(*pool.acquire().unwrap(), [1, 2, 3], "as built");
    assert!(pool.acquire().unwrap().is_empty(), "reset on the way back");
}

#[test]
fn pool_of_t_names_a_pool_built_from_a_capturing_closure() {
    struct Holder {
        pool: Pool<Vec<u8>>,
    }
    let size = 16;
    let holder = Holder {
        pool: Pool::new(1, move || Vec::with_capacity(size)),
    };
    assert!(holder.pool.acquire().unwrap().capacity() >= 16);
    let by_default: Pool<Vec<u8>> = Pool::with_default(1);
    let pools: [Pool<Vec<u8>>; 2] = [holder.pool, by_default];
    assert!(pools.iter().all(|pool| pool.capacity() == 1));
}

#[test]
fn a_constructor_that_borrows_a_local_is_kept_unboxed() {
    let template = vec![7u8; 3];
    let pool = Pool::with_constructor(1, || template.clone());
    assert_eq!(*pool.acquire().unwrap(), [7, 7, 7]);
}
