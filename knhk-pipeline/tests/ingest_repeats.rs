//! Repeats marked within a chunk (`TripleReader::try_for_each_marked_triple_looking_ahead`,
//! `ParsedTriple::repeats`): with worker threads every term whose prepared value has a key is
//! marked as the first
//! appearance of a distinct term of its chunk (numbered 0, 1, 2... in order) or as a repeat
//! of the earlier term with that number, which it equals; terms that share a key but differ
//! (in text, kind, language or datatype) stay apart; with one thread nothing is marked.

use std::cell::Cell;
use std::collections::HashMap;

use knhk_pipeline::ingest::{
    Format, IngestError, IngestOptions, MarkRepeats, Repeat, Term, TripleReader,
};

mod common;
use common::generated;

/// A prepared term whose key the test chooses, so that keys can collide at will.
#[derive(Clone, Copy, Debug)]
struct Keyed(Option<u64>);

impl MarkRepeats for Keyed {
    fn repeat_key(&self) -> Option<u64> {
        self.0
    }
}

/// Lines that look alike: one text as an IRI, a blank node label's look-alike, literals of
/// several kinds, language tags in two cases, datatypes, and escapes decoded to equal text.
const LOOK_ALIKES: &str = r#"<http://a.example/s> <http://a.example/p> <http://a.example/x> .
<http://a.example/s> <http://a.example/p> "http://a.example/x" .
<http://a.example/s> <http://a.example/p> "http://a.example/x"@en .
<http://a.example/s> <http://a.example/p> "http://a.example/x"@EN .
<http://a.example/s> <http://a.example/p> "http://a.example/x"@en .
<http://a.example/s> <http://a.example/p> "http://a.example/x"^^<http://a.example/t> .
<http://a.example/s> <http://a.example/p> "http://a.example/x"^^<http://a.example/u> .
<http://a.example/s> <http://a.example/p> "http://a.example/x"^^<http://a.example/t> .
_:x <http://a.example/p> _:y .
_:y <http://a.example/p> _:x .
<http://a.example/x> <http://a.example/x> <http://a.example/x> .
<http://a.example/\u0078> <http://a.example/p> "\u0078" .
<http://a.example/s> <http://a.example/p> "x" .
<http://a.example/s> <http://a.example/p> "7"^^<http://www.w3.org/2001/XMLSchema#integer> .
"#;

/// Every term of `data` in order (as its `Debug` text) with its mark, read with `key`.
fn marks(data: &[u8], threads: usize, chunk_bytes: usize, key: KeyOf) -> Vec<(String, Repeat)> {
    read_marks(Format::NTriples, data, threads, chunk_bytes, key)
}

type KeyOf = fn(Term<'_>) -> Option<u64>;

/// [`marks`] in `format`.
fn read_marks(
    format: Format,
    data: &[u8],
    threads: usize,
    chunk_bytes: usize,
    key: KeyOf,
) -> Vec<(String, Repeat)> {
    let options = IngestOptions {
        threads,
        chunk_bytes,
        ..IngestOptions::default()
    };
    let mut seen = Vec::new();
    TripleReader::new(data, format, options)
        .try_for_each_marked_triple_looking_ahead(
            |term| Keyed(key(term)),
            &Cell::new(&[]),
            |_, _| {},
            |parsed, _| {
                // Each term read on its own is the one of the whole triple.
                let triple = parsed.triple();
                let terms = [parsed.subject(), parsed.predicate(), parsed.object()];
                assert_eq!(terms, [triple.subject, triple.predicate, triple.object]);
                for (term, repeat) in terms.into_iter().zip(parsed.repeats()) {
                    seen.push((format!("{term:?}"), repeat));
                }
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
        .unwrap();
    seen
}

/// Checks `marks` against term equality: a chunk starts at the first appearance numbered 0;
/// within it each distinct term is numbered in order at its first appearance, and every later
/// appearance is a repeat of that number. Returns how many repeats were marked.
fn check_marks(marks: &[(String, Repeat)], keyed: impl Fn(&str) -> bool) -> usize {
    let mut chunk: HashMap<&str, usize> = HashMap::new();
    let mut repeats = 0;
    for (at, (term, repeat)) in marks.iter().enumerate() {
        if !keyed(term) {
            assert_eq!(*repeat, Repeat::UNMARKED, "term {at} {term} has no key");
            continue;
        }
        if let Some(number) = repeat.first_number() {
            if number == 0 {
                chunk.clear();
            }
            assert!(
                !chunk.contains_key(term.as_str()),
                "term {at} {term} repeats"
            );
            assert_eq!(number, chunk.len(), "term {at} {term}: numbered in order");
            chunk.insert(term, number);
        } else {
            let number = repeat.repeat_of().expect("every keyed term is marked");
            assert_eq!(chunk.get(term.as_str()), Some(&number), "term {at} {term}");
            repeats += 1;
        }
    }
    repeats
}

fn data() -> Vec<u8> {
    let mut data = generated(3_000);
    for _ in 0..3 {
        data.extend_from_slice(LOOK_ALIKES.as_bytes());
    }
    data.extend_from_slice(&generated(500));
    data
}

/// The keys a test may give: a real hash, one key for every term (each lookup a collision),
/// and the text's length (many collisions, some true repeats).
fn keys() -> [KeyOf; 3] {
    [
        |term| {
            use std::hash::{BuildHasher, RandomState};
            thread_local!(static STATE: RandomState = RandomState::new());
            Some(STATE.with(|state| state.hash_one(term)))
        },
        |_| Some(7),
        |term| {
            Some(match term {
                Term::Iri(text) | Term::BlankNode(text) => text.len() as u64,
                Term::Literal(literal) => literal.value().len() as u64,
            })
        },
    ]
}

#[test]
fn each_distinct_term_of_a_chunk_is_numbered_once_and_its_repeats_point_to_it() {
    let data = data();
    for key in keys() {
        for threads in [2, 3, 4] {
            for chunk_bytes in [1, 64, 999, IngestOptions::DEFAULT_CHUNK_BYTES] {
                let marked = marks(&data, threads, chunk_bytes, key);
                assert_eq!(marked.len(), (3_000 + 500 + 3 * 14) * 3);
                let repeats = check_marks(&marked, |_| true);
                if chunk_bytes == IngestOptions::DEFAULT_CHUNK_BYTES {
                    // Predicates alone repeat in nearly every triple.
                    assert!(
                        repeats > marked.len() / 3,
                        "{threads} threads: {repeats} repeats"
                    );
                }
            }
        }
    }
}

#[test]
fn terms_without_a_key_and_reads_on_one_thread_stay_unmarked() {
    let data = data();
    let no_literals = |term: Term<'_>| match term {
        Term::Literal(_) => None,
        _ => Some(1),
    };
    let marked = marks(&data, 2, 999, no_literals);
    check_marks(&marked, |term| !term.starts_with("Literal"));
    for key in keys() {
        let unmarked = marks(&data, 1, 999, key);
        assert!(unmarked
            .iter()
            .all(|(_, repeat)| *repeat == Repeat::UNMARKED));
    }
}
