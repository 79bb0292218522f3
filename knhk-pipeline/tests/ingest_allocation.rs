//! The scanner's hot loop allocates nothing per triple: allocations while reading do not grow
//! with the number of triples (only the buffers' one-time growth is counted), on valid input
//! and on skipped invalid lines alike.

use knhk_pipeline::ingest::{Format, IngestOptions, Term, TripleReader};
use lanepool::alloc_count::{heap_ops_during, is_counting, CountingAllocator};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn document(lines: usize) -> String {
    let mut doc = String::new();
    for i in 0..lines {
        // Escapes in IRIs and literals exercise the scratch buffer too.
        doc.push_str(&format!(
            "<http://ex.org/s{i}> <http://ex.org/\\u0070> \"v{i} \\u00E9\\n\"@en .\n_:b{i} <http://ex.org/p> <http://ex.org/o{i}> .\n"
        ));
    }
    doc
}

fn allocations_while_scanning(doc: &str, options: IngestOptions) -> (u64, u64) {
    let mut checksum = 0usize;
    let mut triples = 0;
    assert!(is_counting());
    let heap_ops = heap_ops_during(|| {
        let report = TripleReader::new(doc.as_bytes(), Format::NTriples, options)
            .for_each_triple(|t| {
                if let Term::Literal(l) = t.object {
                    checksum += l.value().len();
                }
            })
            .unwrap();
        triples = report.triples;
    });
    assert!(checksum > 0 || triples == 0);
    (heap_ops, triples)
}

#[test]
fn scanning_allocates_nothing_per_triple() {
    // Both inputs are larger than the read block, so the buffer grows the same way for both.
    let (small, small_triples) =
        allocations_while_scanning(&document(5_000), IngestOptions::default());
    let (large, large_triples) =
        allocations_while_scanning(&document(50_000), IngestOptions::default());
    assert_eq!((small_triples, large_triples), (10_000, 100_000));
    assert_eq!(
        large, small,
        "5k lines: {small} heap operations, 50k lines: {large}"
    );
    assert!(large < 16, "{large} heap operations for 100k triples");
}

#[test]
fn skipping_invalid_lines_allocates_nothing_per_line() {
    let bad = |n: usize| "<http://ex.org/s> <http://ex.org/p> oops .\n".repeat(n);
    let options = IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    let (small, _) = allocations_while_scanning(&bad(10_000), options.clone());
    let (large, _) = allocations_while_scanning(&bad(40_000), options);
    assert_eq!(
        large, small,
        "10k bad lines: {small} heap operations, 40k: {large}"
    );
}
