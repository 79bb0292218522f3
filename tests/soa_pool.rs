//! Derived blocks in `Pool` and `SyncPool`: acquire, size-checked acquire, reset on return.

use std::sync::Arc;

use lanepool::{Lanes, Pool, PoolError, Reset, SoA, SyncPool};

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
struct Edge {
    from: u32,
    to: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 4, reset = "zero")]
struct Sample {
    value: i64,
    weight: f32,
}

fn edge(i: u32) -> Edge {
    Edge { from: i, to: i + 1 }
}

#[test]
fn pool_hands_out_empty_blocks_up_to_capacity() {
    let pool = EdgeLanes::pool(2);
    assert_eq!(pool.capacity(), 2);
    let a = pool.acquire().unwrap();
    let _b = pool.acquire().unwrap();
    assert!(a.is_empty());
    assert_eq!(
        pool.acquire().unwrap_err(),
        PoolError::Exhausted { capacity: 2 }
    );
}

#[test]
fn returned_block_is_cleared_and_handed_out_next() {
    let pool = EdgeLanes::pool(2);
    let mut guard: EdgeGuard<'_> = pool.acquire().unwrap();
    guard.fill_from(&[edge(1), edge(2), edge(3)]);
    let address = guard.from_lanes().as_ptr();
    drop(guard);
    let again = pool.acquire().unwrap();
    assert_eq!(
        again.from_lanes().as_ptr(),
        address,
        "LIFO: the block just returned"
    );
    assert!(again.is_empty());
    assert_eq!(
        again.from_lanes()[..3],
        [1, 2, 3],
        "the default reset is O(1): lanes stay stale"
    );
}

#[test]
fn zero_reset_sets_every_lane_back_to_default() {
    let pool = SampleLanes::pool(1);
    let mut guard = pool.acquire().unwrap();
    guard.fill_from(
        &[Sample {
            value: -3,
            weight: 0.5,
        }; 4],
    );
    guard.weight_lanes_mut()[3] = 9.0;
    drop(guard);
    let again = pool.acquire().unwrap();
    assert!(again.is_empty());
    assert_eq!(again.value_lanes(), &[0; 4]);
    assert_eq!(again.weight_lanes(), &[0.0; 4]);
}

#[test]
fn reset_trait_clears_a_block_directly() {
    let mut block = EdgeLanes::new();
    block.push(edge(1)).unwrap();
    Reset::reset(&mut block);
    assert!(block.is_empty());
}

#[test]
fn acquire_for_refuses_runs_longer_than_the_lanes() {
    assert_eq!(<EdgeLanes as Lanes>::LANES, 8);
    let pool = EdgeLanes::pool(1);
    let too_long = |requested, max| PoolError::InvalidSize { requested, max };
    assert!(pool.acquire_for(8).is_ok());
    assert_eq!(pool.acquire_for(9).unwrap_err(), too_long(9, 8));
    let sync = SampleLanes::sync_pool(1);
    assert_eq!(sync.acquire_for(5).unwrap_err(), too_long(5, 4));
    assert!(sync.acquire_for(4).is_ok());
}

#[test]
fn explicit_pool_types_accept_derived_blocks() {
    let pool: Pool<EdgeLanes> = Pool::with_default(1);
    let sync: SyncPool<EdgeLanes> = SyncPool::new(1, EdgeLanes::new);
    pool.acquire().unwrap().push(edge(1)).unwrap();
    sync.acquire().unwrap().push(edge(1)).unwrap();
    assert!(pool.acquire().unwrap().is_empty());
    assert!(sync.acquire().unwrap().is_empty());
}

#[test]
fn sync_pool_fills_blocks_from_many_threads() {
    let pool = Arc::new(EdgeLanes::sync_pool(4));
    let threads: Vec<_> = (0..4u32)
        .map(|t| {
            let pool = Arc::clone(&pool);
            std::thread::spawn(move || {
                for round in 0..100u32 {
                    let mut block: EdgeSyncGuard<'_> = pool.acquire().unwrap();
                    assert!(block.is_empty(), "every block comes back cleared");
                    let rows: Vec<Edge> = (0..8).map(|i| edge(t * 1000 + round + i)).collect();
                    assert_eq!(block.fill_from(&rows), 8);
                    assert_eq!(block.iter().collect::<Vec<_>>(), rows);
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    assert_eq!(pool.usage().total_acquires, 400);
}

#[test]
fn owned_guard_alias_outlives_the_borrow_of_the_pool() {
    let pool = Arc::new(EdgeLanes::sync_pool(1));
    let mut owned: EdgeOwnedGuard = pool.acquire_owned().unwrap();
    drop(pool);
    owned.push(edge(7)).unwrap();
    assert_eq!(owned.to(), &[8]);
}
