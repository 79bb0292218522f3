//! The steady-state hot path alone, for `valgrind --tool=cachegrind` and `--tool=callgrind`:
//! a pre-encoded, predicate-sorted batch of 8,192 triples (no parsing, no dictionary) is loaded
//! run by run into blocks, one hook is evaluated on each block and a receipt taken, `rounds`
//! times over. Everything the hot path touches is set up before the first round, so a profile
//! of the whole process is the loop's plus a fixed start-up cost: a run of 0 rounds measures
//! that cost alone, to subtract.
//!
//! ```text
//! cargo build --release -p knhk-pipeline --example hot_path
//! valgrind --tool=cachegrind target/release/examples/hot_path pooled hashed 200
//! ```
//!
//! Arguments: `pooled` or `allocated` (a `Box` per block and per receipt) or `pipeline` (the
//! same batch through `Pipeline::execute_encoded`, the pipeline's own code), `hashed` (receipts
//! as the pipeline makes them, with the BLAKE3 action hash) or `counts` (counts only), and the
//! number of rounds over the batch. It prints the heap operations the rounds made (a counting
//! global allocator): none pooled, 4 per block allocated. BENCHMARKS.md has the results.

mod steps;

use std::hint::black_box;

use lanepool::alloc_count::{heap_ops, CountingAllocator};
use steps::{allocated_step, chunks, hook_args, staged_batch, PipelineBatch, Pooled, ReceiptKind};

// Counts this thread's heap operations, so the run reports what the rounds allocated.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: hot_path pooled|allocated|pipeline hashed|counts ROUNDS";
    let pooled = match args.first().map(String::as_str) {
        Some("pooled") => true,
        Some("allocated") => false,
        Some("pipeline") => return pipeline(&args, usage),
        _ => return eprintln!("{usage}"),
    };
    let kind = match args.get(1).map(String::as_str) {
        Some("hashed") => ReceiptKind::Hashed,
        Some("counts") => ReceiptKind::CountsOnly,
        _ => return eprintln!("{usage}"),
    };
    let Some(rounds) = args.get(2).and_then(|n| n.parse::<u64>().ok()) else {
        return eprintln!("{usage}");
    };

    // About 8,192 triples, as in one of the pipeline's batches.
    let staged = staged_batch(1_260);
    let ranges = chunks(&staged);
    let hook = hook_args();
    let mut pools = Pooled::new();
    let mut seq = 0u64;
    let mut matched = 0u64;
    let heap_ops_before = heap_ops();
    for _ in 0..rounds {
        for range in &ranges {
            let chunk = black_box(&staged[range.clone()]);
            matched += if pooled {
                pools.step(chunk, &hook, seq, kind)
            } else {
                allocated_step(chunk, &hook, seq, kind)
            };
            seq += 1;
        }
    }
    let heap_ops_in_rounds = heap_ops() - heap_ops_before;
    println!(
        "{} triples in {} blocks per round, {rounds} rounds: {seq} evaluations, {matched} matches, \
         {heap_ops_in_rounds} heap operations in the rounds",
        staged.len(),
        ranges.len()
    );
}

/// `hot_path pipeline hashed ROUNDS`: the same batch through `Pipeline::execute_encoded`, the
/// pipeline's own code (its receipts are always hashed).
fn pipeline(args: &[String], usage: &str) {
    let (Some("hashed"), Some(rounds)) = (
        args.get(1).map(String::as_str),
        args.get(2).and_then(|n| n.parse::<u64>().ok()),
    ) else {
        return eprintln!("{usage}");
    };
    let mut batch = PipelineBatch::new(1_260);
    let heap_ops_before = heap_ops();
    let receipts: u64 = (0..rounds).map(|_| batch.run()).sum();
    let heap_ops_in_rounds = heap_ops() - heap_ops_before;
    println!(
        "pipeline, {rounds} rounds: {receipts} receipts, {heap_ops_in_rounds} heap operations in \
         the rounds (the summary's hook list and the run's start)"
    );
}
