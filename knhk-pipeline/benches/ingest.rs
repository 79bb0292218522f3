//! N-Triples parsing alone (no dictionary, no pipeline): a generated dataset (the `knhk gen`
//! graph, 50 000 triples, about 5 MB) read from memory by
//!
//! - `knhk_chunked`: [`TripleReader::try_for_each_prepared_triple`] with one thread, the path
//!   `knhk run --threads 1` takes (chunks parsed in place), `prepare` doing nothing;
//! - `knhk_chunked_hashed`: the same with the dictionary's term hash as `prepare`, the work the
//!   pipeline's parse worker does per triple;
//! - `knhk_line_scanner`: [`TripleReader::for_each_triple`], the line-at-a-time scanner;
//! - `oxttl`: oxttl's `NTriplesParser` over the slice, the parser a user of the field would
//!   pick (it also checks the finer IRI and language-tag syntax).
//!
//! All four see the same triples (counted before timing). Throughput is in input bytes. The
//! four are kept out of line so that callgrind can count instructions per call (the machine
//! is shared and noisy; instruction counts are not).
//! Results, the command and the machine are in BENCHMARKS.md (the N-Triples parse).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use knhk_pipeline::dictionary::{Dictionary, TermHasher};
use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::ingest::{Format, IngestError, IngestOptions, TripleReader};
use oxttl::NTriplesParser;

const TRIPLES: u64 = 50_000;

fn one_thread() -> IngestOptions {
    IngestOptions {
        threads: 1,
        ..IngestOptions::default()
    }
}

#[inline(never)]
fn knhk_chunked(data: &[u8]) -> u64 {
    TripleReader::new(data, Format::NTriples, one_thread())
        .try_for_each_prepared_triple(
            |_| (),
            |triple, _| {
                black_box(triple);
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
        .expect("the generator writes valid N-Triples")
        .triples
}

#[inline(never)]
fn knhk_chunked_hashed(data: &[u8], hasher: &TermHasher) -> u64 {
    TripleReader::new(data, Format::NTriples, one_thread())
        .try_for_each_prepared_triple(
            |term| hasher.hash(term),
            |triple, hashes| {
                black_box((triple, hashes));
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
        .expect("the generator writes valid N-Triples")
        .triples
}

#[inline(never)]
fn knhk_line_scanner(data: &[u8]) -> u64 {
    TripleReader::new(data, Format::NTriples, one_thread())
        .for_each_triple(|triple| {
            black_box(triple);
        })
        .expect("the generator writes valid N-Triples")
        .triples
}

#[inline(never)]
fn oxttl(data: &[u8]) -> u64 {
    let mut triples = 0;
    for triple in NTriplesParser::new().for_slice(data) {
        black_box(triple.expect("the generator writes valid N-Triples"));
        triples += 1;
    }
    triples
}

fn ntriples_parse(c: &mut Criterion) {
    let mut data = Vec::new();
    let options = GenerateOptions {
        triples: TRIPLES,
        seed: 7,
    };
    generate(&options, &mut data).expect("generating into memory cannot fail");
    let hasher = Dictionary::new().term_hasher();
    for count in [
        knhk_chunked(&data),
        knhk_chunked_hashed(&data, &hasher),
        knhk_line_scanner(&data),
        oxttl(&data),
    ] {
        assert_eq!(count, TRIPLES, "every parser sees every triple");
    }

    let mut group = c.benchmark_group("ntriples_parse");
    group.throughput(Throughput::Bytes(data.len() as u64));
    group.bench_function("knhk_chunked", |b| b.iter(|| knhk_chunked(&data)));
    group.bench_function("knhk_chunked_hashed", |b| {
        b.iter(|| knhk_chunked_hashed(&data, &hasher))
    });
    group.bench_function("knhk_line_scanner", |b| b.iter(|| knhk_line_scanner(&data)));
    group.bench_function("oxttl", |b| b.iter(|| oxttl(&data)));
    group.finish();
}

criterion_group!(benches, ntriples_parse);
criterion_main!(benches);
