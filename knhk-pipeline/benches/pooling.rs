//! The pooling gain KNHK claims ("8 to 7 ticks"): load one predicate run into a block, evaluate one
//! hook, take a receipt, with the pipeline's pooled blocks and receipts against a block and a
//! receipt allocated per run (`Box::new`, dropped after), in one group. Each iteration does one run
//! of a pre-encoded, predicate-sorted batch (1 to 8 lanes, cycling through the batch's 1,680
//! chunks). `hashed` receipts are the pipeline's (BLAKE3 action hash over the block); `counts_only`
//! leaves the hash out, to show the allocation's share without it.
//! `pipeline_execute_encoded_hashed` runs the same batch through the pipeline itself
//! (`Pipeline::execute_encoded`), which has no allocated counterpart: its rate, in blocks, is what
//! the pooled step costs inside the real pipeline. Results are in BENCHMARKS.md.

#[path = "../examples/hot_path/steps.rs"]
mod steps;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use steps::{allocated_step, chunks, hook_args, staged_batch, PipelineBatch, Pooled, ReceiptKind};

fn pooling_gain(c: &mut Criterion) {
    let staged = staged_batch(1_260);
    let ranges = chunks(&staged);
    let hook = hook_args();
    let mut group = c.benchmark_group("load_evaluate_receipt_one_run");
    group.throughput(Throughput::Elements(1));
    for (name, kind) in [
        ("hashed", ReceiptKind::Hashed),
        ("counts_only", ReceiptKind::CountsOnly),
    ] {
        let mut pools = Pooled::new();
        let mut next = 0;
        group.bench_function(format!("pooled_{name}"), |b| {
            b.iter(|| {
                let range = ranges[next].clone();
                next = (next + 1) % ranges.len();
                pools.step(black_box(&staged[range]), &hook, next as u64, kind)
            })
        });
        let mut next = 0;
        group.bench_function(format!("allocated_{name}"), |b| {
            b.iter(|| {
                let range = ranges[next].clone();
                next = (next + 1) % ranges.len();
                allocated_step(black_box(&staged[range]), &hook, next as u64, kind)
            })
        });
    }
    // The pipeline's own code on the same batch (`execute_encoded`: sort, load, both reflex
    // passes, receipts, lockchain), one batch per iteration; `Throughput` is its blocks, so
    // criterion's rate is runs per second, comparable with `pooled_hashed`.
    let mut pipeline = PipelineBatch::new(1_260);
    let blocks = pipeline.run();
    assert_eq!(blocks, ranges.len() as u64, "one receipt per block");
    group.throughput(Throughput::Elements(blocks));
    group.bench_function("pipeline_execute_encoded_hashed", |b| {
        b.iter(|| pipeline.run())
    });
    group.finish();
}

criterion_group!(benches, pooling_gain);
criterion_main!(benches);
