//! The load stage's grouping into predicate runs: a default-sized batch (8192 triples) of a
//! generated dataset's encoded triples grouped by predicate, each run in batch order, by the
//! standard library's stable sort on the predicate (`sort_by_key`, what a user would write) and
//! by [`group_into_runs`] (a counting pass over a small predicate table, then one move). Both
//! give the same order (checked before timing). The `(p, s, o)` comparison sort of lockchain
//! version 2 and earlier is timed beside them.
//!
//! Results, the command and the machine are in BENCHMARKS.md (the batch sort).

mod common;

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use knhk_pipeline::block::{group_into_runs, RunTriple};
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
    expected.sort_by_key(|t| t.p);
    let mut grouped = batch.clone();
    group_into_runs(&mut grouped, &mut Vec::with_capacity(batch.len()));
    assert_eq!(grouped, expected, "grouping keeps each run in batch order");

    let mut group = c.benchmark_group("batch_sort");
    group.throughput(Throughput::Elements(batch.len() as u64));
    group.bench_function("sort_by_key_p_stable", |b| {
        b.iter_batched_ref(
            || batch.clone(),
            |triples| black_box(triples).sort_by_key(|t| t.p),
            BatchSize::SmallInput,
        )
    });
    // What version 2 did (each run also ordered by subject and object), for comparison.
    group.bench_function("sort_unstable_by_key_p_s_o", |b| {
        b.iter_batched_ref(
            || batch.clone(),
            |triples| black_box(triples).sort_unstable_by_key(|t| (t.p, t.s, t.o)),
            BatchSize::SmallInput,
        )
    });
    let mut scratch = Vec::with_capacity(batch.len());
    group.bench_function("group_into_runs", |b| {
        b.iter_batched_ref(
            || batch.clone(),
            |triples| group_into_runs(black_box(triples), &mut scratch),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::short_runs();
    targets = batch_sort
}
criterion_main!(benches);
