//! Building pool slots in place (`BuildInPlace`, through `soa_build_in_place!`), under Miri too:
//! every field written, lane arrays element by element, and a panicking build leaks instead of
//! exposing a half-built value.

use std::sync::atomic::{AtomicUsize, Ordering};

use pool_core::{Pool, Reset, SyncPool};

#[derive(Debug)]
#[repr(C, align(64))]
struct Block {
    kind: u16,
    len: usize,
    ids: [u32; 8],
    names: [Option<&'static str>; 8],
}

static BUILT_LANES: AtomicUsize = AtomicUsize::new(0);

fn counted_id() -> u32 {
    BUILT_LANES.fetch_add(1, Ordering::Relaxed);
    7
}

pool_core::__soa_build_in_place! {
    impl [] for [Block] where [] {
        lanes {
            ids: [u32; 8] = counted_id(),
            names: [Option<&'static str>; 8] = Some("fresh"),
        }
        fields { kind: u16 = 3, len: usize = 0, }
    }
}

impl Default for Block {
    fn default() -> Self {
        Block {
            kind: 3,
            len: 0,
            ids: [7; 8],
            names: [Some("fresh"); 8],
        }
    }
}

impl Reset for Block {
    fn reset(&mut self) {
        self.len = 0;
    }
}

#[test]
fn every_field_and_lane_is_built_where_it_lives() {
    let before = BUILT_LANES.load(Ordering::Relaxed);
    let pool: Pool<Block> = Pool::new_in_place(3);
    assert_eq!(
        BUILT_LANES.load(Ordering::Relaxed) - before,
        3 * 8,
        "one call per lane"
    );
    let guards: Vec<_> = (0..3).map(|_| pool.acquire().unwrap()).collect();
    for block in &guards {
        assert_eq!((block.kind, block.len), (3, 0));
        assert_eq!(block.ids, [7; 8]);
        assert_eq!(block.names, [Some("fresh"); 8]);
        assert_eq!(&**block as *const Block as usize % 64, 0);
    }
}

#[test]
fn sync_pool_builds_in_place_too() {
    let pool: SyncPool<Block> = SyncPool::new_in_place(2);
    let mut a = pool.acquire().unwrap();
    a.ids[0] = 1;
    let b = pool.acquire().unwrap();
    assert_eq!(b.names[7], Some("fresh"));
    drop(a);
    assert_eq!(
        pool.acquire().unwrap().ids[0],
        1,
        "reset keeps the lanes, as this Reset says"
    );
}

#[test]
fn zero_capacity_in_place_pools_are_empty() {
    assert!(Pool::<Block>::new_in_place(0).acquire().is_err());
    assert_eq!(SyncPool::<Block>::new_in_place(0).available(), 0);
}

/// Counts drops, to see which values a failed build drops.
static DROPS: AtomicUsize = AtomicUsize::new(0);
static BUILDS: AtomicUsize = AtomicUsize::new(0);

struct Counted;

impl Drop for Counted {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::Relaxed);
    }
}

fn counted() -> Counted {
    // Slot 0 takes builds 0 and 1; slot 1 panics on its first lane (build 2).
    let build = BUILDS.fetch_add(1, Ordering::Relaxed);
    if build == 2 {
        panic!("the second slot's first lane");
    }
    Counted
}

struct Fragile {
    lanes: [Counted; 2],
}

pool_core::__soa_build_in_place! {
    impl [] for [Fragile] where [] {
        lanes { lanes: [Counted; 2] = counted(), }
        fields {}
    }
}

impl Default for Fragile {
    fn default() -> Self {
        Fragile {
            lanes: [Counted, Counted],
        }
    }
}

impl Reset for Fragile {
    fn reset(&mut self) {}
}

#[test]
fn a_panicking_build_drops_the_values_already_built_and_nothing_half_built() {
    let result = std::panic::catch_unwind(|| Pool::<Fragile>::new_in_place(3));
    assert!(result.is_err());
    assert_eq!(
        DROPS.load(Ordering::Relaxed),
        2,
        "slot 0's two lanes; slot 1 had none built"
    );
}
