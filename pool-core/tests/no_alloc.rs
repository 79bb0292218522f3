//! After construction, acquiring and returning never touch the heap: proven with a counting
//! global allocator, over 1,000,000 cycles per pool, the exhausted path included.

use std::future::Future as _;
use std::hint::black_box;
use std::sync::Arc;

use pool_core::alloc_count::{heap_ops_during, CountingAllocator};
use pool_core::{Lanes, Pool, PoolError, Reset, SyncPool};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const CYCLES: u32 = if cfg!(miri) { 1_000 } else { 1_000_000 };

#[derive(Default)]
#[repr(C, align(64))]
struct Block {
    s: [u64; 8],
    p: [u64; 8],
    o: [u64; 8],
}

impl Reset for Block {
    fn reset(&mut self) {
        self.s[0] = 0;
    }
}

impl Lanes for Block {
    const LANES: usize = 8;
}

#[test]
fn pool_round_trips_and_both_refusals_never_allocate() {
    let pool: Pool<Block> = Pool::with_default(4);
    let ops = heap_ops_during(|| {
        for i in 0..CYCLES {
            let mut a = pool.acquire().unwrap();
            a.s[(i % 8) as usize] = u64::from(i);
            let b = pool.acquire_for(8).unwrap();
            let too_long = pool.acquire_for(9);
            assert!(matches!(
                too_long,
                Err(PoolError::InvalidSize {
                    requested: 9,
                    max: 8
                })
            ));
            black_box((&*a, &*b));
            if i % 16 == 0 {
                // Exhaust the pool and take the refusal path.
                let c = pool.acquire().unwrap();
                let d = pool.acquire().unwrap();
                let refused = pool.acquire();
                assert!(matches!(refused, Err(PoolError::Exhausted { capacity: 4 })));
                black_box((c.o[1], d.p[2]));
            }
        }
    });
    assert_eq!(
        ops, 0,
        "heap operations during {CYCLES} acquire/return cycles"
    );
    assert!(pool.usage().times_exhausted > 0);
}

#[test]
fn slices_on_the_fast_path_the_sorting_path_and_refused_never_allocate() {
    let pool: Pool<Block> = Pool::with_default(16);
    let ops = heap_ops_during(|| {
        for i in 0..CYCLES / 16 {
            // Fast path: the slice's slots are on top, first slot first.
            let mut slice = pool.acquire_slice(12).unwrap();
            slice[(i % 12) as usize].s[0] = u64::from(i);
            drop(slice);
            // Single guards returned out of order leave the free list unsorted.
            let (a, b, c) = (pool.acquire(), pool.acquire(), pool.acquire());
            drop((b, c, a));
            let held = pool.acquire().unwrap();
            let refused = pool.acquire_slice(16);
            assert!(matches!(refused, Err(PoolError::NoAdjacentSlots { .. })));
            let sorted = pool.acquire_slice(15).unwrap();
            black_box((&*held, &*sorted));
        }
    });
    assert_eq!(ops, 0, "heap operations during slice acquires and returns");
}

#[test]
fn sync_pool_round_trips_refusals_and_owned_guards_never_allocate() {
    let pool = Arc::new(SyncPool::<Block>::with_default(2));
    let ops = heap_ops_during(|| {
        for i in 0..CYCLES {
            let mut a = pool.acquire().unwrap();
            a.p[(i % 8) as usize] = u64::from(i);
            let b = pool.acquire_owned().unwrap();
            let refused = pool.acquire();
            assert!(matches!(refused, Err(PoolError::Exhausted { capacity: 2 })));
            black_box((&*a, &*b));
        }
    });
    assert_eq!(
        ops, 0,
        "heap operations during {CYCLES} acquire/return cycles"
    );
    assert_eq!(pool.usage().times_exhausted, u64::from(CYCLES));
}

#[test]
fn the_counter_sees_allocations() {
    // Guards against a vacuous pass: the counter must notice a real allocation.
    let ops = heap_ops_during(|| drop(black_box(Box::new(Block::default()))));
    assert_eq!(ops, 2);
}

#[test]
fn waiting_acquires_that_find_a_slot_and_releases_after_a_wait_never_allocate() {
    let pool = Arc::new(SyncPool::<Block>::with_default(2));
    // One real wait first (timed out), so the waiter machinery has run once.
    let held: Vec<_> = (0..2).map(|_| pool.acquire().unwrap()).collect();
    assert!(pool
        .acquire_timeout(std::time::Duration::from_millis(1))
        .is_err());
    drop(held);
    let ops = heap_ops_during(|| {
        for i in 0..CYCLES {
            let mut a = pool.acquire_blocking().unwrap();
            a.s[(i % 8) as usize] = u64::from(i);
            let b = pool
                .acquire_owned_timeout(std::time::Duration::ZERO)
                .unwrap();
            black_box((&*a, &*b));
        }
    });
    assert_eq!(ops, 0, "heap operations during {CYCLES} waiting acquires");
    assert_eq!(pool.usage().waits, 1);
}

/// Threads and slots of the contended waiting tests: twice as many threads as slots, so most
/// acquires wait.
const THREADS: usize = if cfg!(miri) { 3 } else { 8 };
const SHARED_SLOTS: usize = if cfg!(miri) { 1 } else { 4 };
const WAITS_PER_THREAD: u32 = if cfg!(miri) { 20 } else { 5_000 };

/// Runs `work` on `THREADS` threads at once and answers each thread's heap operations during it.
fn heap_ops_per_thread(work: impl Fn(usize) + Sync) -> Vec<u64> {
    heap_ops_per_thread_with(|| (), |thread, ()| work(thread))
}

/// [`heap_ops_per_thread`], each thread first building what its `work` needs with `setup`,
/// outside the counted section.
fn heap_ops_per_thread_with<S>(
    setup: impl Fn() -> S + Sync,
    work: impl Fn(usize, &S) + Sync,
) -> Vec<u64> {
    std::thread::scope(|scope| {
        let (setup, work) = (&setup, &work);
        let threads: Vec<_> = (0..THREADS)
            .map(|thread| {
                scope.spawn(move || {
                    let state = setup();
                    heap_ops_during(|| work(thread, &state))
                })
            })
            .collect();
        threads.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

/// Holds the block across a yield, so the other threads find the pool empty and wait.
fn hold(block: &mut Block, round: u32) {
    block.s[(round % 8) as usize] = u64::from(round);
    std::thread::yield_now();
    black_box(&*block);
}

#[test]
fn blocking_waits_under_contention_never_allocate() {
    let pool = SyncPool::<Block>::with_default(SHARED_SLOTS);
    let ops = heap_ops_per_thread(|_| {
        for round in 0..WAITS_PER_THREAD {
            hold(&mut pool.acquire_blocking().unwrap(), round);
        }
    });
    assert_eq!(ops, vec![0; THREADS], "heap operations per thread");
    let usage = pool.usage();
    assert!(usage.waits > 0, "nobody waited: {usage:?}");
    assert_eq!(usage.in_use, 0);
}

#[test]
fn timed_waits_that_time_out_or_succeed_under_contention_never_allocate() {
    let pool = SyncPool::<Block>::with_default(SHARED_SLOTS);
    let ops = heap_ops_per_thread(|_| {
        for round in 0..WAITS_PER_THREAD {
            // Short enough that some waits time out, long enough that others succeed.
            let timeout = std::time::Duration::from_micros(u64::from(round % 3) * 20);
            match pool.acquire_timeout(timeout) {
                Ok(mut block) => hold(&mut block, round),
                Err(error) => assert!(matches!(error, PoolError::TimedOut { .. })),
            }
        }
    });
    assert_eq!(ops, vec![0; THREADS], "heap operations per thread");
    // Miri's clock makes every wait succeed; the next test times out every wait.
    assert!(
        cfg!(miri) || pool.usage().times_exhausted > 0,
        "no wait timed out"
    );
}

#[test]
fn waits_that_all_time_out_never_allocate() {
    let pool = SyncPool::<Block>::with_default(SHARED_SLOTS);
    let held: Vec<_> = (0..SHARED_SLOTS).map(|_| pool.acquire().unwrap()).collect();
    let rounds = WAITS_PER_THREAD / 50;
    let ops = heap_ops_per_thread(|_| {
        for _ in 0..rounds {
            let timeout = std::time::Duration::from_micros(10);
            assert!(pool.acquire_timeout(timeout).is_err());
        }
    });
    assert_eq!(ops, vec![0; THREADS], "heap operations per thread");
    assert_eq!(
        pool.usage().times_exhausted,
        u64::from(rounds) * THREADS as u64
    );
    drop(held);
}

/// Wakes a parked thread; built once per thread, outside the counted section.
struct Unpark(std::thread::Thread);

impl std::task::Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

fn thread_waker() -> std::task::Waker {
    std::task::Waker::from(Arc::new(Unpark(std::thread::current())))
}

/// Polls `future` to completion with `waker`, parking between polls.
fn block_on<F: std::future::Future>(waker: &std::task::Waker, future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(waker);
    loop {
        if let std::task::Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        std::thread::park();
    }
}

#[test]
fn async_waits_under_contention_never_allocate() {
    let pool = Arc::new(SyncPool::<Block>::with_default(SHARED_SLOTS));
    let ops = heap_ops_per_thread_with(thread_waker, |_, waker| {
        for round in 0..WAITS_PER_THREAD {
            if round % 2 == 0 {
                let block = block_on(waker, pool.acquire_owned_async());
                hold(&mut block.unwrap(), round);
            } else {
                hold(&mut block_on(waker, pool.acquire_async()).unwrap(), round);
            }
        }
    });
    assert_eq!(ops, vec![0; THREADS], "heap operations per thread");
    assert!(pool.usage().waits > 0, "nobody waited");
}

#[test]
fn cancelled_async_waits_under_contention_never_allocate() {
    let pool = SyncPool::<Block>::with_default(SHARED_SLOTS);
    let ops = heap_ops_per_thread_with(thread_waker, |_, waker| {
        let mut cx = std::task::Context::from_waker(waker);
        for round in 0..WAITS_PER_THREAD {
            // Polled once, then cancelled: a wait that may have been handed a slot already,
            // which then goes on to the next waiter.
            let mut waiting = std::pin::pin!(pool.acquire_async());
            match waiting.as_mut().poll(&mut cx) {
                std::task::Poll::Ready(block) => hold(&mut block.unwrap(), round),
                std::task::Poll::Pending => std::thread::yield_now(),
            }
        }
    });
    assert_eq!(ops, vec![0; THREADS], "heap operations per thread");
    let usage = pool.usage();
    assert!(usage.waits > 0, "nobody waited: {usage:?}");
    assert_eq!(usage.in_use, 0, "a cancelled wait kept a slot: {usage:?}");
}
