//! From load through the receipts the pipeline makes no heap allocation: proven with a counting
//! global allocator over 10,000 predicate runs after a warm-up.

use knhk_pipeline::emit::WriterSink;
use knhk_pipeline::hooks::HookSpec;
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use lanepool::alloc_count::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn steady_state_from_load_through_receipts_allocates_nothing() {
    // 10,000 predicates, each a run of 1 to 12 triples (some spill into a second block).
    let mut data = String::new();
    for run in 0..10_000u32 {
        for lane in 0..(1 + run % 12) {
            data.push_str(&format!("<http://e/s{lane}> <http://e/p{run}> \"{run}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n"));
        }
    }
    let mut pipeline = Pipeline::new(PipelineConfig {
        block_capacity: 16,
        receipt_capacity: 64,
        batch_triples: 4096,
    });
    for (name, kind, predicate) in [
        ("ask", "ask_sp", "<http://e/p7>"),
        ("count", "count_sp_ge", "<http://e/p9>"),
        ("build", "construct8", "<http://e/p11>"),
    ] {
        pipeline
            .register_hook(&HookSpec {
                name: name.into(),
                kind: kind.into(),
                predicate: predicate.into(),
                subject: (kind != "construct8").then(|| "<http://e/s0>".into()),
                min: (kind == "count_sp_ge").then_some(1),
                construct_predicate: (kind == "construct8").then(|| "<http://e/seen>".into()),
                construct_object: (kind == "construct8").then(|| "\"yes\"".into()),
                ..HookSpec::default()
            })
            .unwrap();
    }
    let mut execute = || {
        let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
        let mut sink = WriterSink::new(Some(std::io::sink()), Some(std::io::sink()));
        pipeline.execute(reader, &mut sink).unwrap()
    };
    let warm_up = execute();
    let summary = execute();
    // A run split by a batch boundary counts once per batch.
    assert!(summary.runs >= 10_000, "{summary:?}");
    assert!(
        summary.blocks > 10_000,
        "some runs continue in a second block"
    );
    assert!(summary.hooks_evaluated > 0 && summary.actions > 0);
    assert_eq!(warm_up.hot_path_allocations, Some(0));
    assert_eq!(
        summary.hot_path_allocations,
        Some(0),
        "heap operations from load through the receipts"
    );
}
