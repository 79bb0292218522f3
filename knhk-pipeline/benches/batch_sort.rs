//! The load stage's batch sort: a default-sized batch (8192 triples) of a generated dataset's
//! encoded triples put in `(p, s, o)` order, by the comparison sort the pipeline used before
//! (`sort_unstable_by_key` on the tuple) and by [`sort_into_runs`] (radix on the predicate,
//! then a `u128` key per run). Both give the same order (checked before timing).
//!
//! Results, the command and the machine are in BENCHMARKS.md ("End to end and ingest").

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use knhk_pipeline::block::{sort_into_runs, RunTriple};
use knhk_pipeline::dictionary::Dictionary;
use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::PipelineConfig;

fn encoded_batch() -> Vec<RunTriple> {
    let batch = PipelineConfig::default().batch_triples;
    let mut data = Vec::new();
    let options = GenerateOptions {
        triples: batch as u64,
        seed: 7,
    };
    generate(&options, &mut data).expect("generating into memory cannot fail");
    let mut dictionary = Dictionary::new();
    let scope = dictionary.begin_document().unwrap();
    let mut triples = Vec::with_capacity(batch);
    TripleReader::new(&data[..], Format::NTriples, IngestOptions::default())
        .for_each_triple(|t| {
            let mut id = |term| dictionary.encode(scope, term).unwrap().to_u64();
            triples.push(RunTriple {
                s: id(t.subject),
                p: id(t.predicate),
                o: id(t.object),
            });
        })
        .expect("the generator writes valid N-Triples");
    triples
}

fn batch_sort(c: &mut Criterion) {
    let batch = encoded_batch();
    let mut expected = batch.clone();
    expected.sort_unstable_by_key(|t| (t.p, t.s, t.o));
    let mut sorted = batch.clone();
    sort_into_runs(&mut sorted, &mut Vec::with_capacity(batch.len()));
    assert_eq!(sorted, expected, "both sorts give the (p, s, o) order");

    let mut group = c.benchmark_group("batch_sort");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("sort_unstable_by_key_p_s_o", |b| {
        b.iter_batched_ref(
            || batch.clone(),
            |triples| triples.sort_unstable_by_key(|t| (t.p, t.s, t.o)),
            BatchSize::SmallInput,
        )
    });
    let mut scratch = Vec::with_capacity(batch.len());
    group.bench_function("sort_into_runs", |b| {
        b.iter_batched_ref(
            || batch.clone(),
            |triples| sort_into_runs(black_box(triples), &mut scratch),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_secs(1))
        .measurement_time(std::time::Duration::from_secs(3))
        .sample_size(30);
    targets = batch_sort
}
criterion_main!(benches);
