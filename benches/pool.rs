//! Acquire/release round trips of `lanepool::{Pool, SyncPool}` against a bare `Vec` stack,
//! `Box::new`, and the pooling crates people reach for: lifeguard, object-pool, opool, heapless
//! (object pool), sharded-slab, and a crossbeam `ArrayQueue` used as a pool.
//!
//! Every iteration acquires one [`Block`], writes one lane and reads another through
//! `std::hint::black_box` (so neither the access nor the round trip can be optimised away), and
//! releases it. Nobody resets anything: `Block`'s `Reset`/`Recycleable`/`Clear`/`PoolAllocator`
//! hooks are all empty, so every contender does only its bookkeeping.
//!
//! Peers that keep their objects *by value* (lifeguard, object-pool, opool) move the 192-byte
//! block out of and back into their storage on every round trip; the `*_boxed` variants pool a
//! `Box<Block>` instead (an 8-byte move), which is the fair best case for them. lanepool, the
//! bare stack, heapless and sharded-slab never move the block.
//!
//! Groups:
//! - `acquire_release`: one thread, one round trip per element.
//! - `contended_2_threads`: two threads hammering one shared pool of 16; the reported time is
//!   the wall time of one iteration *per thread* (both threads run `iters` iterations at once),
//!   and the throughput counts both threads' iterations. An iteration is one round trip, or, in
//!   the `*_2_held` and `*_4_held` entries, two (four) blocks acquired together and all
//!   released.
//!
//! Run with `cargo bench --bench pool`; results, the command and the machine are in
//! BENCHMARKS.md (`## pool`).

use std::hint::black_box;
use std::sync::{Arc, Barrier, Once};
use std::thread;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use crossbeam_queue::ArrayQueue;
use heapless::pool::object::ObjectBlock;
use lanepool::{Pool, Reset, SyncPool};
use lifeguard::{MaxSize, Recycleable, StartingSize};
use opool::PoolAllocator;

/// Slots in every pool (and blocks on the bare stack).
const CAPACITY: usize = 16;

/// The pooled object: three cache lines of lanes, 64-byte aligned.
#[repr(C, align(64))]
///
/// `pub` only because heapless's `object_pool!` declares a `pub` pool type naming it.
#[derive(Clone, Default)]
pub struct Block {
    s: [u64; 8],
    p: [u64; 8],
    o: [u64; 8],
}

const _: () = assert!(size_of::<Block>() == 192 && align_of::<Block>() == 64);

impl Block {
    const ZERO: Block = Block {
        s: [0; 8],
        p: [0; 8],
        o: [0; 8],
    };
}

// No contender resets: the bench measures pool bookkeeping only.
impl Reset for Block {
    fn reset(&mut self) {}
}

impl Recycleable for Block {
    fn new() -> Self {
        Block::default()
    }
    fn reset(&mut self) {}
}

impl Recycleable for Box<Block> {
    fn new() -> Self {
        Box::default()
    }
    fn reset(&mut self) {}
}

impl sharded_slab::Clear for Block {
    fn clear(&mut self) {}
}

/// opool's allocator for `Block` (its `reset` defaults to a no-op).
struct BlockAlloc;

impl PoolAllocator<Block> for BlockAlloc {
    fn allocate(&self) -> Block {
        Block::default()
    }
}

impl PoolAllocator<Box<Block>> for BlockAlloc {
    fn allocate(&self) -> Box<Block> {
        Box::default()
    }
}

/// The per-iteration work: write the lane picked by `i`, read another, on a block the compiler
/// knows nothing about.
#[inline(always)]
fn touch(block: &mut Block, i: u64) -> u64 {
    let block = black_box(block);
    block.s[(i & 7) as usize] = i;
    block.p[(i.wrapping_add(3) & 7) as usize] ^ block.o[(i.wrapping_add(5) & 7) as usize]
}

mod heapless_blocks {
    use super::Block;
    heapless::object_pool!(HeaplessBlocks: Block);
}
use heapless_blocks::HeaplessBlocks;

/// Hands `CAPACITY` static blocks to the heapless pool, once per process.
fn heapless_setup() {
    static SETUP: Once = Once::new();
    SETUP.call_once(|| {
        static mut BLOCKS: [ObjectBlock<Block>; CAPACITY] =
            [const { ObjectBlock::new(Block::ZERO) }; CAPACITY];
        let blocks = &raw mut BLOCKS;
        // SAFETY: `SETUP` runs this once, so this is the only reference ever made to `BLOCKS`.
        let blocks: &'static mut [ObjectBlock<Block>; CAPACITY] = unsafe { &mut *blocks };
        for block in blocks {
            HeaplessBlocks.manage(block);
        }
    });
}

/// Runs `routine(i)` for the counter `i = 1, 2, ...` as criterion's measured routine.
fn bench_counted(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    mut routine: impl FnMut(u64) -> u64,
) {
    let mut i = 0u64;
    group.bench_function(id, |b| {
        b.iter(|| {
            i = i.wrapping_add(1);
            black_box(routine(i))
        })
    });
}

fn acquire_release(c: &mut Criterion) {
    let mut group = c.benchmark_group("acquire_release");
    group.throughput(Throughput::Elements(1));

    // The floor: a Vec of boxes used as a stack; no guard, no bookkeeping.
    let mut stack: Vec<Box<Block>> = (0..CAPACITY).map(|_| Box::default()).collect();
    bench_counted(&mut group, "bare_stack", |i| {
        let mut block = stack.pop().expect("stack is never empty here");
        let r = touch(&mut block, i);
        stack.push(block);
        r
    });

    let pool: Pool<Block> = Pool::with_default(CAPACITY);
    bench_counted(&mut group, "lanepool_Pool", |i| {
        let mut guard = pool.acquire().expect("pool is never exhausted here");
        touch(&mut guard, i)
    });

    let sync_pool = Arc::new(SyncPool::<Block>::with_default(CAPACITY));
    bench_counted(&mut group, "lanepool_SyncPool", |i| {
        let mut guard = sync_pool.acquire().expect("pool is never exhausted here");
        touch(&mut guard, i)
    });
    bench_counted(&mut group, "lanepool_SyncPool_owned", |i| {
        let mut guard = sync_pool
            .acquire_owned()
            .expect("pool is never exhausted here");
        touch(&mut guard, i)
    });
    // A waiting acquire that finds a slot: the price of `acquire_blocking` when nobody waits.
    bench_counted(&mut group, "lanepool_SyncPool_blocking", |i| {
        let mut guard = sync_pool
            .acquire_blocking()
            .expect("pool is never exhausted here");
        touch(&mut guard, i)
    });

    bench_counted(&mut group, "box_new", |i| {
        let mut block = Box::<Block>::default();
        touch(&mut block, i)
    });

    let lifeguard_pool = lifeguard::pool::<Block>()
        .with(StartingSize(CAPACITY))
        .with(MaxSize(CAPACITY))
        .build();
    bench_counted(&mut group, "lifeguard", |i| {
        let mut value = lifeguard_pool.new();
        touch(&mut value, i)
    });
    let lifeguard_boxed = lifeguard::pool::<Box<Block>>()
        .with(StartingSize(CAPACITY))
        .with(MaxSize(CAPACITY))
        .build();
    bench_counted(&mut group, "lifeguard_boxed", |i| {
        let mut value = lifeguard_boxed.new();
        touch(&mut value, i)
    });

    let object_pool = object_pool::Pool::new(CAPACITY, Block::default);
    bench_counted(&mut group, "object_pool", |i| {
        let mut value = object_pool.try_pull().expect("pool is never empty here");
        touch(&mut value, i)
    });
    let object_pool_boxed = object_pool::Pool::new(CAPACITY, Box::<Block>::default);
    bench_counted(&mut group, "object_pool_boxed", |i| {
        let mut value = object_pool_boxed
            .try_pull()
            .expect("pool is never empty here");
        touch(&mut value, i)
    });

    let opool_local = opool::LocalPool::<_, Block>::new_prefilled(CAPACITY, BlockAlloc);
    bench_counted(&mut group, "opool_LocalPool", |i| {
        let mut value = opool_local.try_get().expect("pool is never empty here");
        touch(&mut value, i)
    });
    let opool_local_boxed = opool::LocalPool::<_, Box<Block>>::new_prefilled(CAPACITY, BlockAlloc);
    bench_counted(&mut group, "opool_LocalPool_boxed", |i| {
        let mut value = opool_local_boxed
            .try_get()
            .expect("pool is never empty here");
        touch(&mut value, i)
    });
    let opool_sync = opool::Pool::<_, Block>::new_prefilled(CAPACITY, BlockAlloc);
    bench_counted(&mut group, "opool_Pool", |i| {
        let mut value = opool_sync.try_get().expect("pool is never empty here");
        touch(&mut value, i)
    });
    let opool_sync_boxed = opool::Pool::<_, Box<Block>>::new_prefilled(CAPACITY, BlockAlloc);
    bench_counted(&mut group, "opool_Pool_boxed", |i| {
        let mut value = opool_sync_boxed
            .try_get()
            .expect("pool is never empty here");
        touch(&mut value, i)
    });

    heapless_setup();
    bench_counted(&mut group, "heapless_object_pool", |i| {
        let mut object = HeaplessBlocks.request().expect("pool is never empty here");
        touch(&mut object, i)
    });

    // sharded-slab: `create` hands out a cleared slot; the slot is only freed by `clear(key)`
    // once the guard is gone.
    let slab_pool: sharded_slab::Pool<Block> = sharded_slab::Pool::new();
    bench_counted(&mut group, "sharded_slab", |i| {
        let mut value = slab_pool.create().expect("the shard has room");
        let r = touch(&mut value, i);
        let key = value.key();
        drop(value);
        slab_pool.clear(key);
        r
    });

    let queue: ArrayQueue<Box<Block>> = ArrayQueue::new(CAPACITY);
    for _ in 0..CAPACITY {
        queue.push(Box::default()).ok().expect("queue has room");
    }
    bench_counted(&mut group, "crossbeam_ArrayQueue_boxed", |i| {
        let mut block = queue.pop().expect("queue is never empty here");
        let r = touch(&mut block, i);
        queue.push(block).ok().expect("queue has room");
        r
    });

    group.finish();
}

/// Runs `op(i)` for `i in 0..iters` on two threads at once, started together by a barrier, and
/// returns the wall time of the slower thread.
fn two_threads(iters: u64, op: &(impl Fn(u64) -> u64 + Sync)) -> Duration {
    let barrier = Barrier::new(2);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    barrier.wait();
                    let start = Instant::now();
                    for i in 0..iters {
                        black_box(op(i));
                    }
                    start.elapsed()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("worker panicked"))
            .max()
            .unwrap_or_default()
    })
}

/// Measures `op` on two threads at once: criterion's time per iteration is [`two_threads`]'s.
fn bench_two_threads(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    op: &(impl Fn(u64) -> u64 + Sync),
) {
    group.bench_function(id, |b| b.iter_custom(|iters| two_threads(iters, op)));
}

fn contended_2_threads(c: &mut Criterion) {
    let mut group = c.benchmark_group("contended_2_threads");
    // Two round trips (one per thread) per measured iteration.
    group.throughput(Throughput::Elements(2));

    let sync_pool = SyncPool::<Block>::with_default(CAPACITY);
    let op = |i| {
        touch(
            &mut sync_pool.acquire().expect("pool is never exhausted here"),
            i,
        )
    };
    bench_two_threads(&mut group, "lanepool_SyncPool", &op);

    let object_pool = object_pool::Pool::new(CAPACITY, Block::default);
    let op = |i| {
        touch(
            &mut object_pool.try_pull().expect("pool is never empty here"),
            i,
        )
    };
    bench_two_threads(&mut group, "object_pool", &op);

    let object_pool_boxed = object_pool::Pool::new(CAPACITY, Box::<Block>::default);
    let op = |i| {
        touch(
            &mut object_pool_boxed
                .try_pull()
                .expect("pool is never empty here"),
            i,
        )
    };
    bench_two_threads(&mut group, "object_pool_boxed", &op);

    let queue: ArrayQueue<Box<Block>> = ArrayQueue::new(CAPACITY);
    for _ in 0..CAPACITY {
        queue.push(Box::default()).ok().expect("queue has room");
    }
    let op = |i| {
        let mut block = queue.pop().expect("queue is never empty here");
        let r = touch(&mut block, i);
        queue.push(block).ok().expect("queue has room");
        r
    };
    bench_two_threads(&mut group, "crossbeam_ArrayQueue_boxed", &op);

    let owned_pool = Arc::new(SyncPool::<Block>::with_default(CAPACITY));
    let op = |i| {
        touch(
            &mut owned_pool
                .acquire_owned()
                .expect("pool is never exhausted here"),
            i,
        )
    };
    bench_two_threads(&mut group, "lanepool_SyncPool_owned", &op);

    let opool_sync_boxed = opool::Pool::<_, Box<Block>>::new_prefilled(CAPACITY, BlockAlloc);
    let op = |i| {
        touch(
            &mut opool_sync_boxed
                .try_get()
                .expect("pool is never empty here"),
            i,
        )
    };
    bench_two_threads(&mut group, "opool_Pool_boxed", &op);

    // Several blocks held at once per iteration (all acquired, touched, then all released):
    // each thread's cache must hold that many slots to keep the shared stack out of the loop.
    held_at_once(&mut group);

    group.finish();
}

/// Several blocks acquired together, touched, and released (the last acquired first), per
/// iteration and thread: lanepool's `SyncPool` against object-pool's boxed pool (the issue's
/// peer). Written out by hand: an array built with `array::from_fn` costs more than the pools.
fn held_at_once(group: &mut BenchmarkGroup<'_, WallTime>) {
    let sync_pool = SyncPool::<Block>::with_default(CAPACITY);
    let acquire = || sync_pool.acquire().expect("pool is never exhausted here");
    let op = |i| {
        let (mut a, mut b) = (acquire(), acquire());
        touch(&mut a, i) ^ touch(&mut b, i)
    };
    bench_two_threads(group, "lanepool_SyncPool_2_held", &op);
    let op = |i| {
        let (mut a, mut b, mut c, mut d) = (acquire(), acquire(), acquire(), acquire());
        touch(&mut a, i) ^ touch(&mut b, i) ^ touch(&mut c, i) ^ touch(&mut d, i)
    };
    bench_two_threads(group, "lanepool_SyncPool_4_held", &op);

    let object_pool_boxed = object_pool::Pool::new(CAPACITY, Box::<Block>::default);
    let pull = || {
        object_pool_boxed
            .try_pull()
            .expect("pool is never empty here")
    };
    let op = |i| {
        let (mut a, mut b) = (pull(), pull());
        touch(&mut a, i) ^ touch(&mut b, i)
    };
    bench_two_threads(group, "object_pool_boxed_2_held", &op);
    let op = |i| {
        let (mut a, mut b, mut c, mut d) = (pull(), pull(), pull(), pull());
        touch(&mut a, i) ^ touch(&mut b, i) ^ touch(&mut c, i) ^ touch(&mut d, i)
    };
    bench_two_threads(group, "object_pool_boxed_4_held", &op);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(50);
    targets = acquire_release, contended_2_threads
}
criterion_main!(benches);
