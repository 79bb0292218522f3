//! Uncontended acquire/release round trips for counting instructions with callgrind, where
//! wall-clock timings on a loaded machine are too noisy to compare builds:
//!
//! ```sh
//! cargo bench --bench round_trip_instructions --no-run   # prints the binary's path
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null BINARY sync_pool 1000000
//! ```
//!
//! Run each case with two counts (say 1,000,000 and 2,000,000): the difference of the two
//! totals divided by the difference of the counts is the instructions per round trip, with
//! start-up and pool construction cancelled out. Results are in BENCHMARKS.md (`## Fair
//! waiting`).

use std::hint::black_box;
use std::sync::Arc;

use lanepool::{Pool, Reset, SyncPool};

/// The `Block` of benches/pool.rs: three cache lines, no reset.
#[derive(Default)]
#[repr(C, align(64))]
struct Block {
    s: [u64; 8],
    p: [u64; 8],
    o: [u64; 8],
}

impl Reset for Block {
    fn reset(&mut self) {}
}

fn touch(block: &mut Block, i: u64) -> u64 {
    block.s[(i % 8) as usize] = i;
    black_box(block.p[1]) ^ black_box(block.o[2])
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(case), Some(count)) = (args.next(), args.next()) else {
        eprintln!("usage: round_trip_instructions pool|sync_pool|sync_pool_owned|sync_pool_blocking|sync_pool_2_threads COUNT");
        std::process::exit(2);
    };
    let count: u64 = count.parse().expect("COUNT is a number");
    let mut sum = 0;
    match case.as_str() {
        "pool" => {
            let pool = Pool::<Block>::with_default(16);
            for i in 0..count {
                sum ^= touch(&mut black_box(&pool).acquire().unwrap(), i);
            }
        }
        "sync_pool" => {
            let pool = SyncPool::<Block>::with_default(16);
            for i in 0..count {
                sum ^= touch(&mut black_box(&pool).acquire().unwrap(), i);
            }
        }
        "sync_pool_owned" => {
            let pool = Arc::new(SyncPool::<Block>::with_default(16));
            for i in 0..count {
                sum ^= touch(&mut black_box(&pool).acquire_owned().unwrap(), i);
            }
        }
        "sync_pool_blocking" => {
            let pool = SyncPool::<Block>::with_default(16);
            for i in 0..count {
                sum ^= touch(&mut black_box(&pool).acquire_blocking().unwrap(), i);
            }
        }
        "sync_pool_2_threads" => {
            // Valgrind runs one thread at a time, so this counts the shared-pool path (the
            // caches, steals, the stack) rather than timing contention.
            let pool = SyncPool::<Block>::with_default(16);
            sum = std::thread::scope(|scope| {
                let workers: Vec<_> = (0..2)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut sum = 0;
                            for i in 0..count {
                                sum ^= touch(&mut black_box(&pool).acquire().unwrap(), i);
                            }
                            sum
                        })
                    })
                    .collect();
                workers
                    .into_iter()
                    .map(|w| w.join().unwrap())
                    .fold(0, |a, b| a ^ b)
            });
        }
        other => {
            eprintln!("unknown case {other}");
            std::process::exit(2);
        }
    }
    black_box(sum);
}
