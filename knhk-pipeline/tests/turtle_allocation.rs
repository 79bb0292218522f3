//! The Turtle fast path allocates nothing per statement: heap operations while reading do not
//! grow with the number of statements (beyond the buffers' one-time growth and the doubling of
//! the blank node table), for every form the fast path takes. Prefix directives cost a
//! constant number of heap operations each, however many came before (a copy of every prefix
//! after each directive would make them quadratic). Backs a "linear in the
//! input" line of the README's "Guarantees" (`knhk-pipeline/README.md`).

use knhk_pipeline::ingest::{read_with_stats, FastPathMode};
use knhk_pipeline::ingest::{IngestError, IngestOptions, Term};
use lanepool::alloc_count::{heap_ops_during, is_counting, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

const DIRECTIVES: u64 = 2;

fn document(statements: usize) -> String {
    let mut doc =
        String::from("@prefix ex: <http://ex.org/> .\nPREFIX schema: <http://schema.org/>\n");
    for i in 0..statements {
        // Prefixed names, escapes in IRIs and strings, language tags to lowercase, numbers,
        // labels the reader renames (`b1`...), an anonymous node, relative IRIs.
        doc.push_str(&format!(
            "ex:s{i} a ex:C ; ex:p \"v{i} \\u00E9\\n\"@en , 'x'@EN-gb , \"\"\"long\n{i}\"\"\" ;\n  \
             <http://ex.org/\\u0071> <http://ex.org/o{i}> , _:b{i} , {i} , -1.5e3 , true ;\n  \
             schema:name [ ex:r \"y\" ] , <rel/{i}> .\n"
        ));
    }
    doc
}

/// Heap operations during a read of `statements` statements, and the triples read.
fn heap_ops_reading(statements: usize) -> (u64, u64) {
    let doc = document(statements);
    let options = IngestOptions {
        base_iri: Some("http://base.example/".to_owned()),
        ..IngestOptions::default()
    };
    let mut checksum = 0usize;
    let mut triples = 0;
    assert!(is_counting());
    let heap_ops = heap_ops_during(|| {
        let (report, stats) = read_with_stats(
            doc.as_bytes(),
            "doc.ttl",
            &options,
            FastPathMode::On,
            |t| {
                if let Term::Literal(l) = t.object {
                    checksum += l.value().len();
                }
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(stats.oxttl_statements, DIRECTIVES, "{stats:?}");
        assert_eq!(stats.fast_statements, statements as u64, "{stats:?}");
        triples = report.triples;
    });
    assert!(checksum > 0);
    (heap_ops, triples)
}

#[test]
fn the_fast_path_allocates_nothing_per_statement() {
    let (small, small_triples) = heap_ops_reading(1_000);
    let (large, large_triples) = heap_ops_reading(8_000);
    assert_eq!(large_triples, 8 * small_triples);
    // 7 000 more statements, 84 000 more triples: a handful more heap operations for the
    // buffers and the blank node table, which grow by doubling.
    assert!(
        large <= small + 40,
        "{small} heap operations for 1 000 statements, {large} for 8 000"
    );
}

/// Heap operations during a read of `prefixes` distinct prefix directives and one triple
/// that uses the first and the last; `interleaved`: each directive followed by a triple that
/// uses it.
fn heap_ops_reading_prefixes(prefixes: usize, interleaved: bool) -> u64 {
    let mut doc = String::new();
    for i in 0..prefixes {
        if i % 2 == 0 {
            doc.push_str(&format!("@prefix p{i}: <http://example.org/ns{i}/> .\n"));
        } else {
            doc.push_str(&format!("PREFIX p{i}: <http://example.org/ns{i}/>\n"));
        }
        if interleaved {
            doc.push_str(&format!("p{i}:s p{i}:p p{i}:o .\n"));
        }
    }
    doc.push_str(&format!("p0:s p0:p p{}:o .\n", prefixes - 1));
    let mut objects = Vec::new();
    let heap_ops = heap_ops_during(|| {
        let (report, stats) = read_with_stats(
            doc.as_bytes(),
            "doc.ttl",
            &IngestOptions::default(),
            FastPathMode::On,
            |t| {
                if let Term::Iri(o) = t.object {
                    objects.push(o.len());
                }
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
        .unwrap();
        let statements = if interleaved { prefixes + 1 } else { 1 };
        assert_eq!(report.triples, statements as u64);
        assert_eq!(stats.fast_statements, statements as u64, "{stats:?}");
    });
    assert!(!objects.is_empty());
    heap_ops
}

#[test]
fn each_prefix_directive_costs_the_same_however_many_came_before() {
    // Directives in a row, and each followed by a statement the fast path takes (oxttl, which
    // reads the directives, was once replaced by a copy of every prefix after each).
    for interleaved in [false, true] {
        let small = heap_ops_reading_prefixes(1_000, interleaved);
        let large = heap_ops_reading_prefixes(4_000, interleaved);
        // Four times the directives: four times the heap operations (plus the tables'
        // doubling), not sixteen.
        assert!(
            large <= 5 * small,
            "interleaved {interleaved}: {small} heap operations for 1 000 prefixes, {large} for 4 000"
        );
    }
}
