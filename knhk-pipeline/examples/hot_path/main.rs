//! The steady-state hot path alone, for `valgrind --tool=cachegrind` and `--tool=callgrind`:
//! a pre-encoded, predicate-sorted batch of 8,192 triples (no parsing, no dictionary) is loaded
//! run by run into blocks, one hook is evaluated on each block and a receipt taken, `rounds`
//! times over. Everything the hot path touches is set up before the first round, so a profile
//! of the whole process is the loop's, bar a fixed start-up cost (cg_annotate shows it apart).
//!
//! ```text
//! cargo build --release -p knhk-pipeline --example hot_path
//! valgrind --tool=cachegrind target/release/examples/hot_path pooled hashed 200
//! ```
//!
//! Arguments: `pooled` or `allocated` (a `Box` per block and per receipt), `hashed` (receipts
//! as the pipeline makes them, with the BLAKE3 action hash) or `counts` (counts only), and the
//! number of rounds over the batch. BENCHMARKS.md (`## The seed's claims`) has the results.

mod steps;

use std::hint::black_box;

use knhk_pipeline::block::EncodedTripleLanes;
use steps::{allocated_step, chunks, hook_args, staged_batch, Pooled, ReceiptKind};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: hot_path pooled|allocated hashed|counts ROUNDS";
    let pooled = match args.first().map(String::as_str) {
        Some("pooled") => true,
        Some("allocated") => false,
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
    let mut record = EncodedTripleLanes::new();
    let mut seq = 0u64;
    let mut matched = 0u64;
    for _ in 0..rounds {
        for range in &ranges {
            let chunk = black_box(&staged[range.clone()]);
            matched += if pooled {
                pools.step(chunk, &hook, seq, kind)
            } else {
                allocated_step(&mut record, chunk, &hook, seq, kind)
            };
            seq += 1;
        }
    }
    println!(
        "{} triples in {} blocks per round, {rounds} rounds: {seq} evaluations, {matched} matches",
        staged.len(),
        ranges.len()
    );
}
