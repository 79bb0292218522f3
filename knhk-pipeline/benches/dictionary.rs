//! The dictionary's hash and the dictionary itself, on the terms of a generated dataset.
//!
//! - `term_hash`: hashing `(key word, text)` as the dictionary does, with each keyed hash a
//!   user would pick: std's SipHash (`RandomState`), foldhash's fast and quality variants, and
//!   aHash. All are seeded at random per process.
//! - `dictionary_encode`: encoding every term of the dataset, into a fresh dictionary (each
//!   distinct term stored once) and again once all are known (lookups only), against the map
//!   a user would write: std's `HashMap<(u8, String), u64>` with SipHash; and the known terms
//!   through `encode_hashed` with their hashes computed beforehand, as the pipeline interns.
//!
//! Results, the command and the machine are in BENCHMARKS.md ("End to end and ingest").

mod common;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use knhk_pipeline::dictionary::Dictionary;
use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::ingest::{Format, IngestOptions, Term, TripleReader};

/// Every term of a 20 000-triple generated dataset, in input order, as owned values.
#[derive(Clone)]
enum OwnedTerm {
    Iri(String),
    Blank(String),
    Literal(String, Option<String>, String),
}

impl OwnedTerm {
    fn term(&self) -> Term<'_> {
        use knhk_pipeline::ingest::Literal;
        match self {
            OwnedTerm::Iri(iri) => Term::Iri(iri),
            OwnedTerm::Blank(label) => Term::BlankNode(label),
            OwnedTerm::Literal(value, Some(language), _) => {
                Term::Literal(Literal::lang_tagged(value, language))
            }
            OwnedTerm::Literal(value, None, datatype) => {
                Term::Literal(Literal::typed(value, datatype))
            }
        }
    }

    /// What the dictionary hashes: a key word (here the kind) and the main text.
    fn key(&self) -> (u64, &str) {
        match self {
            OwnedTerm::Iri(iri) => (1, iri),
            OwnedTerm::Blank(label) => (2, label),
            OwnedTerm::Literal(value, _, _) => (3, value),
        }
    }
}

fn dataset_terms() -> Vec<OwnedTerm> {
    let mut data = Vec::new();
    generate(
        &GenerateOptions {
            triples: 20_000,
            seed: 7,
        },
        &mut data,
    )
    .expect("generating into memory cannot fail");
    let mut terms = Vec::new();
    TripleReader::new(&data[..], Format::NTriples, IngestOptions::default())
        .for_each_triple(|t| {
            for term in [t.subject, t.predicate, t.object] {
                terms.push(match term {
                    Term::Iri(iri) => OwnedTerm::Iri(iri.to_owned()),
                    Term::BlankNode(label) => OwnedTerm::Blank(label.to_owned()),
                    Term::Literal(l) => OwnedTerm::Literal(
                        l.value().to_owned(),
                        l.language().map(str::to_owned),
                        l.datatype().to_owned(),
                    ),
                })
            }
        })
        .expect("the generator writes valid N-Triples");
    terms
}

/// Hashes every key as the dictionary does (`write_u64` then `write` of the text). Not
/// inlined, so callgrind can count its instructions per hasher.
#[inline(never)]
fn hash_all<S: BuildHasher>(state: &S, keys: &[(u64, &str)]) -> u64 {
    let mut sum = 0u64;
    for &(key, text) in keys {
        let mut hasher = state.build_hasher();
        hasher.write_u64(key);
        hasher.write(text.as_bytes());
        sum = sum.wrapping_add(hasher.finish());
    }
    sum
}

fn term_hash(c: &mut Criterion) {
    let terms = dataset_terms();
    let keys: Vec<(u64, &str)> = terms.iter().map(OwnedTerm::key).collect();
    let mut group = c.benchmark_group("term_hash");
    group.throughput(Throughput::Elements(keys.len() as u64));
    group.bench_function("std_siphash", |b| {
        let state = std::hash::RandomState::new();
        b.iter(|| hash_all(&state, black_box(&keys)))
    });
    group.bench_function("foldhash_fast", |b| {
        let state = foldhash::fast::RandomState::default();
        b.iter(|| hash_all(&state, black_box(&keys)))
    });
    group.bench_function("foldhash_quality", |b| {
        let state = foldhash::quality::RandomState::default();
        b.iter(|| hash_all(&state, black_box(&keys)))
    });
    group.bench_function("ahash", |b| {
        let state = ahash::RandomState::new();
        b.iter(|| hash_all(&state, black_box(&keys)))
    });
    group.finish();
}

fn dictionary_encode(c: &mut Criterion) {
    let owned = dataset_terms();
    let terms: Vec<Term<'_>> = owned.iter().map(OwnedTerm::term).collect();
    let mut group = c.benchmark_group("dictionary_encode");
    group.throughput(Throughput::Elements(terms.len() as u64));
    group.bench_function("knhk_fresh", |b| {
        b.iter(|| {
            let mut dictionary = Dictionary::new();
            let scope = dictionary.begin_document().unwrap();
            for &term in &terms {
                black_box(dictionary.encode(scope, black_box(term)).unwrap());
            }
            dictionary.len()
        })
    });
    group.bench_function("std_hashmap_fresh", |b| {
        b.iter(|| {
            let mut map: HashMap<(u8, String), u64> = HashMap::new();
            for term in &owned {
                let (kind, text) = term.key();
                let next = map.len() as u64;
                black_box(*map.entry((kind as u8, text.to_owned())).or_insert(next));
            }
            map.len()
        })
    });
    let mut dictionary = Dictionary::new();
    let scope = dictionary.begin_document().unwrap();
    for &term in &terms {
        dictionary.encode(scope, term).unwrap();
    }
    group.bench_function("knhk_known", |b| {
        b.iter(|| {
            for &term in &terms {
                black_box(dictionary.encode(scope, black_box(term)).unwrap());
            }
        })
    });
    // The pipeline's N-Triples path: terms hashed beforehand (on the parser threads), then
    // interned in order; the lookups alone, as the interning thread does them.
    let hasher = dictionary.term_hasher();
    let hashed: Vec<_> = terms
        .iter()
        .map(|&term| (term, hasher.hash(term)))
        .collect();
    group.bench_function("knhk_known_hashed", |b| {
        b.iter(|| {
            for &(term, hash) in &hashed {
                black_box(
                    dictionary
                        .encode_hashed(scope, black_box(term), hash)
                        .unwrap(),
                );
            }
        })
    });
    let mut map: HashMap<(u8, String), u64> = HashMap::new();
    for term in &owned {
        let (kind, text) = term.key();
        let next = map.len() as u64;
        map.entry((kind as u8, text.to_owned())).or_insert(next);
    }
    group.bench_function("std_hashmap_known", |b| {
        let mut key = (0u8, String::new());
        b.iter(|| {
            for term in &owned {
                // A user's map needs an owned key to look up: reuse one buffer.
                let (kind, text) = term.key();
                key.0 = kind as u8;
                key.1.clear();
                key.1.push_str(text);
                black_box(map.get(&key));
            }
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = common::short_runs();
    targets = term_hash, dictionary_encode
}
criterion_main!(benches);
