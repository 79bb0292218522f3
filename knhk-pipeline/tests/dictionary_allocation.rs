//! Encoding a term the dictionary already holds allocates nothing.

use knhk_pipeline::dictionary::Dictionary;
use knhk_pipeline::ingest::{Literal, Term, XSD_INTEGER};
use lanepool::alloc_count::{heap_ops_during, is_counting, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[test]
fn encoding_known_terms_allocates_nothing() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let texts: Vec<String> = (0..1000).map(|i| format!("http://ex.org/{i}")).collect();
    let terms: Vec<Term<'_>> = texts
        .iter()
        .flat_map(|t| {
            [
                Term::Iri(t),
                Term::BlankNode(&t[14..]),
                Term::Literal(Literal::simple(t)),
                Term::Literal(Literal::lang_tagged(t, "EN-gb")),
                Term::Literal(Literal::typed(t, "http://ex.org/dt")),
                Term::Literal(Literal::typed(&t[14..], XSD_INTEGER)),
            ]
        })
        .collect();
    let first: Vec<_> = terms
        .iter()
        .map(|t| dict.encode(scope, *t).unwrap())
        .collect();
    let mut again = Vec::with_capacity(terms.len());
    assert!(is_counting());
    let heap_ops = heap_ops_during(|| {
        for t in &terms {
            again.push(dict.encode(scope, *t).unwrap());
        }
    });
    assert_eq!(heap_ops, 0, "re-encoding known terms allocated");
    assert_eq!(first, again);
}
