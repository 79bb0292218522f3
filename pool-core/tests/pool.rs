//! Behaviour of the single-thread `Pool` and its guard.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::Arc;

use pool_core::{Lanes, Pool, PoolError, Reset};

mod common;
use common::{numbering, DropCounter, Numbered};

fn numbered_pool(capacity: usize) -> Pool<Numbered, impl Fn() -> Numbered> {
    Pool::new(capacity, numbering())
}

#[test]
fn returned_slot_is_handed_out_next() {
    let pool = numbered_pool(4);
    let a = pool.acquire().unwrap();
    let b = pool.acquire().unwrap();
    let (a_id, b_id) = (a.id, b.id);
    drop(a);
    drop(b);
    // b went back last, so it comes out first; then a.
    assert_eq!(pool.acquire().unwrap().id, b_id);
    let first = pool.acquire().unwrap();
    let second = pool.acquire().unwrap();
    assert_eq!(first.id, b_id);
    assert_eq!(second.id, a_id);
}

#[test]
fn fresh_pool_hands_out_slots_in_construction_order() {
    let pool = numbered_pool(3);
    let guards: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
    assert_eq!(guards.iter().map(|g| g.id).collect::<Vec<_>>(), [0, 1, 2]);
}

#[test]
fn value_is_reset_when_its_guard_drops() {
    let pool = numbered_pool(1);
    let mut guard = pool.acquire().unwrap();
    guard.dirty = true;
    drop(guard);
    assert!(!pool.acquire().unwrap().dirty);
}

/// A large pool; smaller under Miri, which interprets every instruction.
const LARGE: usize = if cfg!(miri) { 1_000 } else { 100_000 };

#[test]
fn every_capacity_hands_out_exactly_its_slots_then_refuses() {
    for capacity in [1, 2, 63, 64, 65, LARGE] {
        let pool = numbered_pool(capacity);
        let guards: Vec<_> = (0..capacity).map(|_| pool.acquire().unwrap()).collect();
        let mut ids: Vec<_> = guards.iter().map(|g| g.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            capacity,
            "capacity {capacity}: every slot is distinct"
        );
        assert_eq!(
            pool.acquire().unwrap_err(),
            PoolError::Exhausted { capacity }
        );
        assert_eq!(pool.usage().in_use, capacity);
        drop(guards);
        assert_eq!(pool.usage().in_use, 0);
        assert_eq!(pool.available(), capacity);
    }
}

#[test]
fn capacity_zero_is_an_empty_pool_that_always_refuses() {
    let pool = numbered_pool(0);
    assert_eq!(pool.capacity(), 0);
    for _ in 0..3 {
        assert_eq!(
            pool.acquire().unwrap_err(),
            PoolError::Exhausted { capacity: 0 }
        );
    }
    assert_eq!(pool.usage().times_exhausted, 3);
}

#[test]
fn exhausted_pool_recovers_when_a_guard_drops() {
    let pool = numbered_pool(2);
    let a = pool.acquire().unwrap();
    let _b = pool.acquire().unwrap();
    let a_id = a.id;
    assert!(matches!(
        pool.acquire(),
        Err(PoolError::Exhausted { capacity: 2 })
    ));
    drop(a);
    assert_eq!(pool.acquire().unwrap().id, a_id);
}

#[test]
fn usage_tracks_in_use_high_water_acquires_and_refusals() {
    let pool = numbered_pool(3);
    {
        let _a = pool.acquire().unwrap();
        let _b = pool.acquire().unwrap();
        let usage = pool.usage();
        assert_eq!((usage.in_use, usage.capacity, usage.available()), (2, 3, 1));
    }
    let _c = pool.acquire().unwrap();
    let _d = pool.acquire().unwrap();
    let _e = pool.acquire().unwrap();
    let _ = pool.acquire();
    let usage = pool.usage();
    assert_eq!(usage.in_use, 3);
    assert_eq!(usage.high_water_mark, 3);
    assert_eq!(usage.total_acquires, 5);
    assert_eq!(usage.times_exhausted, 1);
}

#[test]
fn high_water_mark_keeps_the_peak_after_guards_return() {
    let pool = numbered_pool(8);
    let guards: Vec<_> = (0..5).map(|_| pool.acquire().unwrap()).collect();
    drop(guards);
    let _one = pool.acquire().unwrap();
    assert_eq!(pool.usage().high_water_mark, 5);
    assert_eq!(pool.usage().in_use, 1);
}

#[derive(Debug)]
struct EightLanes;
impl Reset for EightLanes {
    fn reset(&mut self) {}
}
impl Lanes for EightLanes {
    const LANES: usize = 8;
}

#[test]
fn acquire_for_refuses_runs_longer_than_the_lane_count() {
    let pool = Pool::new(1, || EightLanes);
    assert!(pool.acquire_for(0).is_ok());
    assert!(pool.acquire_for(8).is_ok());
    assert_eq!(
        pool.acquire_for(9).unwrap_err(),
        PoolError::InvalidSize {
            requested: 9,
            max: 8
        }
    );
    // A refused size neither takes a slot nor counts as exhaustion.
    let usage = pool.usage();
    assert_eq!(
        (usage.in_use, usage.total_acquires, usage.times_exhausted),
        (0, 2, 0)
    );
}

#[test]
fn acquire_for_reports_exhaustion_after_the_size_check() {
    let pool = Pool::new(1, || EightLanes);
    let _held = pool.acquire_for(8).unwrap();
    assert_eq!(
        pool.acquire_for(8).unwrap_err(),
        PoolError::Exhausted { capacity: 1 }
    );
    assert!(matches!(
        pool.acquire_for(9),
        Err(PoolError::InvalidSize { .. })
    ));
}

#[test]
fn forgotten_guard_keeps_its_slot_counted_as_in_use() {
    let pool = numbered_pool(2);
    std::mem::forget(pool.acquire().unwrap());
    assert_eq!(pool.usage().in_use, 1);
    let a = pool.acquire().unwrap();
    assert_eq!(
        pool.acquire().unwrap_err(),
        PoolError::Exhausted { capacity: 2 }
    );
    drop(a);
    assert_eq!(pool.usage().in_use, 1);
}

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

/// Panics in `reset` whenever `poison` is set.
#[derive(Debug, Default)]
struct Fragile {
    generation: u32,
    half_reset: bool,
    poison: bool,
}

impl Reset for Fragile {
    fn reset(&mut self) {
        self.half_reset = true;
        assert!(!self.poison, "reset failed half way");
        self.half_reset = false;
    }
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
    let pool = Pool::new(2, move || Vec::<u8>::with_capacity(*config));
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
fn a_struct_field_can_hold_a_pool_built_from_a_capturing_closure() {
    struct Holder {
        pool: Pool<Vec<u8>, Box<dyn Fn() -> Vec<u8>>>,
    }
    let size = 16;
    let holder = Holder {
        pool: Pool::new(1, Box::new(move || Vec::with_capacity(size))),
    };
    assert!(holder.pool.acquire().unwrap().capacity() >= 16);
}
