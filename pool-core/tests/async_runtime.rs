//! The async acquires on a real runtime: their futures are `Send` and `Sync` (checked at
//! compile time), so `tokio::spawn` on the multi-threaded runtime takes them, and waiting tasks
//! are served first come, first served.
#![cfg(not(miri))] // tokio's runtime is beyond Miri's reach; `waiting.rs` covers the futures there

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use pool_core::SyncPool;

mod common;
use common::waits::Waits;
use common::Slot;

/// Compiles only if both waiting futures can cross threads (`Send`) and be shared (`Sync`).
#[test]
fn waiting_futures_are_send_and_sync() {
    fn send_and_sync<F: Send + Sync>(_: &F) {}
    let pool = Arc::new(SyncPool::<Slot>::with_default(1));
    send_and_sync(&pool.acquire_async());
    send_and_sync(&pool.acquire_owned_async());
}

/// 64 tasks on tokio's multi-threaded runtime share 4 blocks: every task gets a block 100
/// times, never one another task holds, and every block comes home.
#[test]
fn sixty_four_tokio_tasks_share_four_blocks() {
    const TASKS: usize = 64;
    const ROUNDS: usize = 100;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .build()
        .unwrap();
    let pool = Arc::new(SyncPool::<Slot>::with_default(4));
    let held = Arc::new(AtomicUsize::new(0));
    runtime.block_on(async {
        let tasks: Vec<_> = (0..TASKS)
            .map(|task| {
                let (pool, held) = (Arc::clone(&pool), Arc::clone(&held));
                tokio::spawn(async move {
                    for round in 0..ROUNDS {
                        let mut block = pool.acquire_owned_async().await.unwrap();
                        assert_eq!(block.value, 0, "handed out without its reset");
                        block.value = (task * ROUNDS + round) as u64 + 1;
                        assert!(held.fetch_add(1, Ordering::SeqCst) < 4, "a fifth holder");
                        tokio::task::yield_now().await;
                        held.fetch_sub(1, Ordering::SeqCst);
                        let borrowed = pool.acquire_async();
                        drop(block);
                        drop(borrowed.await.unwrap());
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
    });
    let usage = pool.usage();
    assert_eq!(usage.in_use, 0, "{usage:?}");
    assert_eq!(
        usage.total_acquires,
        (2 * TASKS * ROUNDS) as u64,
        "{usage:?}"
    );
    assert_eq!(usage.times_exhausted, 0, "{usage:?}");
}

/// The set-up: 8 tasks on one thread share 2 blocks, each acquiring 1,000 times and
/// holding its block across a yield. A released block goes to the longest waiter, so no
/// waiter sees more than the pool's capacity of later arrivals served first, and none waits
/// for more grants than there are other tasks.
#[test]
fn waiting_tasks_are_served_in_arrival_order() {
    const TASKS: usize = 8;
    const CAPACITY: usize = 2;
    const ACQUIRES: usize = 1_000;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let pool = Arc::new(SyncPool::<Slot>::with_default(CAPACITY));
    let waits = Rc::new(RefCell::new(Waits::default()));
    let local = tokio::task::LocalSet::new();
    local.block_on(&runtime, async {
        let tasks: Vec<_> = (0..TASKS)
            .map(|_| {
                let (pool, waits) = (Arc::clone(&pool), Rc::clone(&waits));
                tokio::task::spawn_local(async move {
                    for _ in 0..ACQUIRES {
                        let ticket = waits.borrow_mut().arrive();
                        let block = pool.acquire_async().await.unwrap();
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
    let waits = waits.borrow();
    assert!(
        waits.worst_passed_over <= CAPACITY as u64,
        "a waiter saw {} later arrivals served first",
        waits.worst_passed_over
    );
    assert!(
        waits.worst_wait() < TASKS as u64,
        "a waiter waited for {} grants to others",
        waits.worst_wait()
    );
    assert_eq!(pool.usage().total_acquires, (TASKS * ACQUIRES) as u64);
}
