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

/// A document of `lines` lines of one length, a few subjects and objects repeating: with
/// chunks of a whole number of lines every chunk holds as many triples as the others.
fn uniform_document(lines: usize) -> (String, usize) {
    let mut doc = String::new();
    for i in 0..lines {
        doc.push_str(&format!(
            "<http://ex.org/s{:06}> <http://ex.org/p{}> <http://ex.org/o{:06}> .\n",
            i % 700,
            i % 3,
            i % 50
        ));
    }
    let line = doc.len() / lines;
    (doc, line)
}

/// Marking repeats on the worker (the pipeline's read with threads): the table of each chunk
/// buffer is allocated when the buffer first holds a chunk, never again a chunk. Counted on the
/// worker itself: `prepare` runs there and reads that thread's count, so the count from its
/// first call to its last covers every chunk but the last's marking.
#[test]
fn marking_repeats_allocates_nothing_per_chunk_on_the_worker() {
    use std::sync::atomic::{AtomicU64, Ordering};
    assert!(is_counting());
    let hasher = knhk_pipeline::dictionary::Dictionary::new().term_hasher();
    let worker_heap_ops = |lines: usize| {
        let (doc, line) = uniform_document(lines);
        let options = IngestOptions {
            threads: 2,
            chunk_bytes: line * 100,
            ..IngestOptions::default()
        };
        let first = AtomicU64::new(u64::MAX);
        let last = AtomicU64::new(0);
        let mut repeats = 0u64;
        TripleReader::new(doc.as_bytes(), Format::NTriples, options)
            .try_for_each_marked_triple_looking_ahead(
                |term| {
                    let now = lanepool::alloc_count::heap_ops();
                    let _ =
                        first.compare_exchange(u64::MAX, now, Ordering::Relaxed, Ordering::Relaxed);
                    last.store(now, Ordering::Relaxed);
                    hasher.hash(term)
                },
                &std::cell::Cell::new(&[]),
                |_, _| {},
                |parsed, _| {
                    let marks = parsed.repeats();
                    let again = marks.iter().filter(|r| r.repeat_of().is_some());
                    repeats += again.count() as u64;
                    Ok::<(), knhk_pipeline::ingest::IngestError>(())
                },
                |_| {},
            )
            .unwrap();
        assert!(repeats > lines as u64, "{repeats} repeats");
        last.into_inner() - first.into_inner()
    };
    let small = worker_heap_ops(2_000);
    let large = worker_heap_ops(20_000);
    // A chunk's wait on a channel may allocate now and then, whatever the chunk: 180 more
    // chunks cost a handful more at most, where an allocation a chunk would cost 180.
    assert!(
        large <= small + 16,
        "20 chunks: {small} heap operations, 200: {large}"
    );
    assert!(
        small > 0,
        "the buffers and tables of the first chunks are counted"
    );
}
