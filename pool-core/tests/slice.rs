//! `Pool::acquire_slice`: adjacent slots as one slice, returned with the first on top, found
//! again after out-of-order returns, refused with the longest run when there is none.

use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use pool_core::{Guard, Pool, PoolError};

mod common;
use common::{numbering, Fragile, Numbered};

/// A pool whose value in slot `i` has `id == i` (built in slot order).
fn numbered_pool(capacity: usize) -> Pool<Numbered> {
    Pool::new(capacity, numbering())
}

fn ids(values: &[Numbered]) -> Vec<usize> {
    values.iter().map(|value| value.id).collect()
}

#[test]
fn a_slice_is_adjacent_slots_in_slot_order() {
    let pool = numbered_pool(8);
    let slice = pool.acquire_slice(5).unwrap();
    assert_eq!(ids(&slice), [0, 1, 2, 3, 4]);
    let step = core::ptr::from_ref(&slice[1]) as usize - core::ptr::from_ref(&slice[0]) as usize;
    assert_eq!(step, size_of::<Numbered>(), "one array, no gaps");
    assert_eq!(pool.available(), 3);
    // The slots after it are still single slots.
    assert_eq!(pool.acquire().unwrap().id, 5);
}

#[test]
fn a_returned_slice_is_reset_and_taken_again_first_slot_on_top() {
    let pool = numbered_pool(8);
    let _first = pool.acquire().unwrap();
    let mut slice = pool.acquire_slice(4).unwrap();
    assert_eq!(ids(&slice), [1, 2, 3, 4]);
    for value in slice.iter_mut() {
        value.dirty = true;
    }
    drop(slice);
    assert_eq!(pool.available(), 7);
    let again = pool.acquire_slice(4).unwrap();
    assert_eq!(
        ids(&again),
        [1, 2, 3, 4],
        "the same slots, by the fast path"
    );
    assert!(
        again.iter().all(|value| !value.dirty),
        "every value was reset"
    );
    drop(again);
    assert_eq!(
        pool.acquire().unwrap().id,
        1,
        "the slice's first slot is on top"
    );
}

#[test]
fn refused_without_a_long_enough_run_naming_the_longest_and_taking_nothing() {
    let pool = numbered_pool(8);
    let singles: Vec<Guard<'_, Numbered>> = (0..8).map(|_| pool.acquire().unwrap()).collect();
    // Free slots 0, 1, 3, 4, 5 and 7: runs of 2, 3 and 1.
    let held: Vec<_> = singles
        .into_iter()
        .filter(|guard| [2, 6].contains(&guard.id))
        .collect();
    assert_eq!(pool.available(), 6);
    let refused = pool.acquire_slice(4).unwrap_err();
    assert_eq!(
        refused,
        PoolError::NoAdjacentSlots {
            requested: 4,
            longest: 3,
            capacity: 8
        }
    );
    assert_eq!(
        refused.to_string(),
        "no 4 adjacent free slots: the longest run of free slots is 3 (capacity 8); drop \
         guards to free slots, or acquire a shorter slice"
    );
    let usage = pool.usage();
    assert_eq!((usage.in_use, usage.times_exhausted), (2, 1));
    assert!(matches!(
        pool.acquire_slice(9),
        Err(PoolError::NoAdjacentSlots { requested: 9, .. })
    ));

    // The lowest run long enough: 3, 4, 5 for three; then 0, 1 for two.
    let three = pool.acquire_slice(3).unwrap();
    assert_eq!(ids(&three), [3, 4, 5]);
    let two = pool.acquire_slice(2).unwrap();
    assert_eq!(ids(&two), [0, 1]);
    assert_eq!(pool.acquire().unwrap().id, 7, "the one slot left");
    drop(held);
}

#[test]
fn found_again_after_single_guards_return_in_any_order() {
    let pool = numbered_pool(16);
    let mut singles: Vec<Guard<'_, Numbered>> = (0..16).map(|_| pool.acquire().unwrap()).collect();
    // Return them scrambled: the free list is in no useful order.
    let mut order: Vec<usize> = (0..16).map(|i| (i * 7 + 3) % 16).collect();
    order.sort_by_key(|&i| (i * 5) % 16);
    for &i in order.iter().rev() {
        drop(singles.remove(singles.iter().position(|g| g.id == i).unwrap()));
    }
    assert_eq!(pool.available(), 16);
    let all = pool.acquire_slice(16).unwrap();
    assert_eq!(ids(&all), (0..16).collect::<Vec<_>>());
}

#[test]
fn slices_and_single_guards_never_share_or_lose_a_slot() {
    let pool = numbered_pool(32);
    let mut singles: Vec<Guard<'_, Numbered>> = Vec::new();
    let mut slices = Vec::new();
    let mut x = 0x9e37_79b9_u32;
    let rounds = if cfg!(miri) { 60 } else { 2_000 };
    for _ in 0..rounds {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        match x % 5 {
            0 | 1 => {
                if let Ok(guard) = pool.acquire() {
                    singles.push(guard);
                }
            }
            2 => match pool.acquire_slice((x >> 8) as usize % 7) {
                Ok(slice) => {
                    let slice_ids = ids(&slice);
                    assert!(
                        slice_ids.windows(2).all(|w| w[1] == w[0] + 1),
                        "{slice_ids:?}"
                    );
                    slices.push(slice);
                }
                Err(PoolError::NoAdjacentSlots { longest, .. }) => {
                    assert!(longest < (x >> 8) as usize % 7);
                }
                Err(other) => panic!("{other}"),
            },
            3 if !singles.is_empty() => {
                drop(singles.swap_remove((x >> 8) as usize % singles.len()))
            }
            _ if !slices.is_empty() => drop(slices.swap_remove((x >> 8) as usize % slices.len())),
            _ => {}
        }
        let mut held: Vec<usize> = singles.iter().map(|g| g.id).collect();
        held.extend(slices.iter().flat_map(|s| ids(s)));
        let count = held.len();
        held.sort_unstable();
        held.dedup();
        assert_eq!(held.len(), count, "a slot held twice");
        assert_eq!(pool.usage().in_use, count);
        assert_eq!(pool.available(), 32 - count);
    }
    drop((singles, slices));
    assert_eq!(
        pool.acquire_slice(32).unwrap().len(),
        32,
        "every slot came back"
    );
}

#[test]
fn usage_counts_every_slot_of_a_slice() {
    let pool = numbered_pool(8);
    let empty = pool.acquire_slice(0).unwrap();
    assert!(empty.is_empty());
    drop(empty);
    let slice = pool.acquire_slice(6).unwrap();
    let usage = pool.usage();
    assert_eq!(
        (usage.in_use, usage.high_water_mark, usage.total_acquires),
        (6, 6, 6)
    );
    drop(slice);
    assert_eq!(pool.usage().in_use, 0);
}

#[test]
fn a_panic_in_reset_keeps_every_slot_and_rebuilds_those_not_reset() {
    let built = Arc::new(AtomicU32::new(0));
    let counter = Arc::clone(&built);
    let pool = Pool::new(6, move || Fragile {
        generation: counter.fetch_add(1, Ordering::Relaxed),
        ..Fragile::default()
    });
    let mut slice = pool.acquire_slice(6).unwrap();
    // Drop resets from the last slot down: 5 and 4 are reset, 3 panics, 0 to 2 are not reached.
    slice[3].poison = true;
    assert!(panic::catch_unwind(AssertUnwindSafe(|| drop(slice))).is_err());
    assert_eq!(pool.usage().in_use, 0, "every slot is back");
    assert_eq!(built.load(Ordering::Relaxed), 6);

    let again = pool.acquire_slice(6).unwrap();
    let generations: Vec<u32> = again.iter().map(|value| value.generation).collect();
    assert_eq!(
        generations,
        [9, 8, 7, 6, 4, 5],
        "slots 3 down to 0 rebuilt (in the order they went back), 4 and 5 kept"
    );
    assert!(again.iter().all(|value| !value.poison));
}
