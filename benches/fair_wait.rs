//! Worst-case wait under contention, counted, not timed: 8 tasks on one thread share 2 blocks,
//! each acquiring 1,000 times and holding its block across a yield, on tokio's current-thread
//! runtime. For every acquire that had to wait, the bench counts the blocks granted to other
//! tasks while it waited, and how many of those went to tasks that started waiting after it
//! (it was passed over). The same set-up runs against lanepool's `SyncPool::acquire_async`,
//! tokio's `Semaphore` (2 permits) and deadpool's unmanaged pool of 2.
//!
//! Counts depend only on the order the runtime polls tasks in, not on the machine or its load.
//! Run with `cargo bench --bench fair_wait`; the table is in BENCHMARKS.md (`## Fair waiting`).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;

use lanepool::{Reset, SyncPool};

const TASKS: usize = 8;
const BLOCKS: usize = 2;
const ACQUIRES: usize = 1_000;

#[derive(Default)]
struct Block(#[allow(dead_code)] [u64; 8]);

impl Reset for Block {
    fn reset(&mut self) {}
}

// The counting the fairness test asserts on, shared so both count alike.
#[path = "../pool-core/tests/common/waits.rs"]
mod waits;
use waits::Waits;

/// Runs the set-up with `acquire` (which answers something that holds a block until dropped)
/// and prints one row.
fn measure<A, F, G>(name: &str, acquire: A)
where
    A: Fn() -> F + Clone + 'static,
    F: Future<Output = G>,
    G: 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let waits = Rc::new(RefCell::new(Waits::default()));
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let (acquire, waits) = (acquire.clone(), Rc::clone(&waits));
                tokio::task::spawn_local(async move {
                    for _ in 0..ACQUIRES {
                        let ticket = waits.borrow_mut().arrive();
                        let block = acquire().await;
                        waits.borrow_mut().granted(ticket);
                        tokio::task::yield_now().await;
                        drop(block);
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let mut waits = Rc::into_inner(waits).unwrap().into_inner();
    waits.all_waits.sort_unstable();
    let percentile = |p: usize| waits.all_waits[(waits.all_waits.len() - 1) * p / 100];
    println!(
        "| {name} | {} | {} | {} | {} |",
        percentile(50),
        percentile(99),
        waits.worst_wait(),
        waits.worst_passed_over
    );
}

fn main() {
    println!("{TASKS} tasks, {BLOCKS} blocks, {ACQUIRES} acquires each, one thread");
    println!("| pool | median wait | p99 wait | worst wait | worst passed over |");
    println!("|---|---|---|---|---|");
    let pool = Arc::new(SyncPool::<Block>::with_default(BLOCKS));
    measure("lanepool `SyncPool::acquire_owned_async`", move || {
        let pool = Arc::clone(&pool);
        async move { pool.acquire_owned_async().await.unwrap() }
    });
    let semaphore = Arc::new(tokio::sync::Semaphore::new(BLOCKS));
    measure("tokio `Semaphore::acquire_owned`", move || {
        Arc::clone(&semaphore).acquire_owned()
    });
    let deadpool =
        deadpool::unmanaged::Pool::from((0..BLOCKS).map(|_| Block::default()).collect::<Vec<_>>());
    measure("deadpool `unmanaged::Pool::get`", move || {
        let pool = deadpool.clone();
        async move { pool.get().await.unwrap() }
    });
}
