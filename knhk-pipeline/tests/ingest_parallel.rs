//! Multi-threaded N-Triples ingest (`IngestOptions::threads` > 1) promises the single-threaded
//! read's results exactly, whatever the thread count and wherever the chunks are cut: the
//! same triples in the same order (and the same prepared hashes), the same first error with
//! the same line and column, the same skipped lines, the same line-length limit; and through
//! the pipeline, the same ids, receipts (ticks aside), commits (tick digest aside), actions
//! and counts. Tiny chunk sizes put chunk boundaries everywhere: inside terms, between `\r`
//! and `\n`, inside multi-byte characters and inside over-long lines.

use std::fs;
use std::path::Path;

use knhk_pipeline::dictionary::{Dictionary, IdTag, TermHash, TermHasher, TermId, PAYLOAD_BITS};
use knhk_pipeline::emit::MemorySink;
use knhk_pipeline::ingest::{Format, IngestError, IngestOptions, IngestReport, Term, TripleReader};
use knhk_pipeline::pipeline::Summary;

mod common;
use common::{count_until, generated, hook, small_pools_pipeline, Stop, KNOWS, PERSON_13};

const W3C_NTRIPLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rdf-tests/rdf-n-triples");

/// Everything a read hands out, in order.
#[derive(Debug, PartialEq)]
struct Outcome {
    triples: Vec<(String, [TermHash; 3])>,
    skipped: Vec<String>,
    /// `(triples, skipped, first error)` of the report, or the error that ended the read.
    result: Result<(u64, u64, Option<String>), String>,
}

/// What `read` hands out: the triples it pushes, the errors it skips, and its result.
fn outcome(
    read: impl FnOnce(
        &mut Vec<(String, [TermHash; 3])>,
        &mut Vec<String>,
    ) -> Result<IngestReport, IngestError>,
) -> Outcome {
    let mut triples = Vec::new();
    let mut skipped = Vec::new();
    let result = read(&mut triples, &mut skipped)
        .map(|r| (r.triples, r.skipped, r.first_error.map(|e| e.to_string())))
        .map_err(|e| e.to_string());
    Outcome {
        triples,
        skipped,
        result,
    }
}

fn reader(data: &[u8], options: IngestOptions) -> TripleReader<&[u8]> {
    TripleReader::new(data, Format::NTriples, options).with_source_name("data.nt")
}

fn read(data: &[u8], options: IngestOptions, hasher: &TermHasher) -> Outcome {
    outcome(|triples, skipped| {
        reader(data, options).try_for_each_prepared_triple(
            |term| hasher.hash(term),
            |triple, hashes| {
                triples.push((format!("{triple:?}"), hashes));
                Ok(())
            },
            |error| skipped.push(error.to_string()),
        )
    })
}

/// [`read`] through the line-at-a-time scanner (`try_for_each_triple`), hashing inline: the
/// reference every chunked read (one thread or many) must match.
fn read_by_lines(data: &[u8], options: IngestOptions, hasher: &TermHasher) -> Outcome {
    outcome(|triples, skipped| {
        reader(data, options).try_for_each_triple(
            |triple| {
                let hashes = [
                    hasher.hash(triple.subject),
                    hasher.hash(triple.predicate),
                    hasher.hash(triple.object),
                ];
                triples.push((format!("{triple:?}"), hashes));
                Ok(())
            },
            |error| skipped.push(error.to_string()),
        )
    })
}

fn options(threads: usize, chunk_bytes: usize, skip_invalid: bool) -> IngestOptions {
    IngestOptions {
        threads,
        chunk_bytes,
        skip_invalid,
        ..IngestOptions::default()
    }
}

/// Reads `data` line by line, and in chunks with 1 (no thread spawned), 2, 3 and 8 threads at
/// each chunk size, with and without skipping, and requires the same outcome. Returns the
/// line-by-line outcomes.
fn assert_same_as_one_thread(
    name: &str,
    data: &[u8],
    chunk_sizes: &[usize],
    base: IngestOptions,
) -> [Outcome; 2] {
    let hasher = Dictionary::new().term_hasher();
    [false, true].map(|skip_invalid| {
        let single = IngestOptions {
            skip_invalid,
            threads: 1,
            ..base.clone()
        };
        let expected = read_by_lines(data, single, &hasher);
        for threads in [1, 2, 3, 8] {
            for &chunk_bytes in chunk_sizes {
                let parallel = IngestOptions {
                    skip_invalid,
                    threads,
                    chunk_bytes,
                    ..base.clone()
                };
                let actual = read(data, parallel, &hasher);
                assert!(
                    actual == expected,
                    "{name}: {threads} threads, {chunk_bytes}-byte chunks, skip {skip_invalid}:\n\
                     got {:?}\nexpected {:?}",
                    actual.result,
                    expected.result
                );
            }
        }
        expected
    })
}

const SMALL_CHUNKS: &[usize] = &[1, 2, 3, 5, 8, 13, 64, 1000];

/// Every line break written `\r\n` (or `\r` alone).
fn with_line_breaks(data: &[u8], line_break: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() * 2);
    for &b in data {
        if b == b'\n' {
            out.extend_from_slice(line_break);
        } else {
            out.push(b);
        }
    }
    out
}

/// Good and bad lines of every kind, blank lines, comments and each line-break style.
const MIXED: &[u8] =
    b"\xEF\xBB\xBF<http://a.example/s> <http://a.example/p> <http://a.example/o> .\r\n\
\r\n\
# a comment line\n\
_:b1 <http://a.example/p> \"caf\xC3\xA9 \\u00E9\\n\"@en-GB .\r\
<http://a.example/s> <http://a.example/p> \"42\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n\
<http://a.example/s> <http://a.example/p> <relative> .\n\
<http://a.example/\\u0073> <http://a.example/p> _:b1 . # trailing comment\n\
<http://a.example/s> <http://a.example/p> \"unterminated .\r\n\
\n\
<http://a.example/s> <http://a.example/p> \"bad \xFF utf8\" .\n\
<http://a.example/s> <http://a.example/p> \"x\"@EN .\n\
<http://a.example/s> <http://a.example/p> \"\xF0\x9F\x98\x80\" .\r\r\n\
   \t\n\
<http://a.example/s> <http://a.example/p> \"no dot\"\n\
_:b2 <http://a.example/p> \"last line, no break\" .";

#[test]
fn generated_data_reads_the_same_with_any_threads_and_chunk_size() {
    let data = generated(3_000);
    let [strict, _] = assert_same_as_one_thread(
        "generated",
        &data,
        &[7, 64, 4096, 1 << 20],
        IngestOptions::default(),
    );
    assert_eq!(strict.result, Ok((3_000, 0, None)));
    assert_eq!(strict.triples.len(), 3_000);
}

#[test]
fn crlf_and_cr_line_breaks_read_the_same_with_chunks_cut_between_cr_and_lf() {
    let data = generated(300);
    for line_break in [&b"\r\n"[..], b"\r"] {
        let mut data = with_line_breaks(&data, line_break);
        // A bad last line: its number shows whether every line break counted once.
        data.extend_from_slice(b"oops");
        let [strict, _] =
            assert_same_as_one_thread("line breaks", &data, SMALL_CHUNKS, IngestOptions::default());
        assert_eq!(
            strict.result,
            Err("data.nt:301:1: expected a subject (<IRI> or _:label), found 'o'".into())
        );
        assert_eq!(strict.triples.len(), 300);
    }
}

#[test]
fn mixed_good_and_bad_lines_give_the_same_first_error_and_the_same_skips() {
    let [strict, skipping] =
        assert_same_as_one_thread("mixed", MIXED, SMALL_CHUNKS, IngestOptions::default());
    // The first error stops the strict read after the triples before it.
    assert_eq!(
        strict.result,
        Err("data.nt:6:43: relative IRI: N-Triples needs absolute IRIs (scheme:...)".into())
    );
    assert_eq!(strict.triples.len(), 3);
    // Skipping: relative IRI, unterminated string, bad UTF-8, missing dot.
    assert_eq!(skipping.skipped.len(), 4, "{:?}", skipping.skipped);
    assert_eq!(skipping.result.as_ref().map(|r| (r.0, r.1)), Ok((7, 4)));
}

#[test]
fn the_line_limit_is_enforced_alike_on_lines_longer_than_a_chunk() {
    let short = "<http://a.example/s> <http://a.example/p> \"x\" .";
    let long = format!(
        "<http://a.example/s> <http://a.example/p> \"{}\" .",
        "é".repeat(60)
    );
    // Long lines first, between, at the end without a break, followed by `\r\n` and `\r`.
    let longer = format!(
        "<http://a.example/s> <http://a.example/p> \"{}\" .",
        "z".repeat(300)
    );
    let data = format!(
        "{long}\n{short}\r\n{long}\r\n{short}\n{long}\r{short}\n\n{longer}\n{short}\n{long}"
    );
    let limit = IngestOptions {
        max_line_bytes: short.len() + 5,
        ..IngestOptions::default()
    };
    let [strict, skipping] =
        assert_same_as_one_thread("long lines", data.as_bytes(), SMALL_CHUNKS, limit);
    assert_eq!(
        strict.result,
        Err(format!(
            "data.nt:1:{}: line longer than {} bytes; raise the limit with --max-line-bytes (IngestOptions::max_line_bytes)",
            // The column counts code points up to the limit: 43 ASCII bytes, then the 52-byte
            // limit falls inside the fifth 'é', so 5 more characters have started.
            43 + 5 + 1,
            short.len() + 5
        ))
    );
    assert_eq!(skipping.result.as_ref().map(|r| (r.0, r.1)), Ok((4, 5)));
    // A limit the lines fit: chunks smaller than a line grow to hold it.
    let roomy = IngestOptions {
        max_line_bytes: 1000,
        ..IngestOptions::default()
    };
    let [strict, _] = assert_same_as_one_thread("roomy", data.as_bytes(), SMALL_CHUNKS, roomy);
    assert_eq!(strict.result.as_ref().map(|r| r.0), Ok(9));
}

#[test]
fn the_w3c_ntriples_suite_reads_the_same_with_any_threads() {
    let mut files: Vec<_> = fs::read_dir(W3C_NTRIPLES)
        .expect("the vendored W3C N-Triples suite")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "nt"))
        .collect();
    files.sort();
    assert!(files.len() > 60, "the suite's tests: {}", files.len());
    let (mut positive, mut negative) = (0, 0);
    for path in &files {
        let data = fs::read(path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy();
        let [strict, _] =
            assert_same_as_one_thread(&name, &data, &[1, 3, 16, 4096], IngestOptions::default());
        if name.contains("bad") {
            assert!(strict.result.is_err(), "{name} is a negative test");
            negative += 1;
        } else {
            assert!(strict.result.is_ok(), "{name}: {:?}", strict.result);
            positive += 1;
        }
    }
    assert!(
        positive > 30 && negative > 20,
        "{positive} positive, {negative} negative"
    );
}

#[test]
fn an_empty_input_and_a_lone_line_break_read_alike() {
    for data in [
        &b""[..],
        b"\n",
        b"\r",
        b"\r\n",
        b"# only a comment",
        b"\xEF\xBB\xBF",
    ] {
        assert_same_as_one_thread("tiny", data, SMALL_CHUNKS, IngestOptions::default());
    }
}

/// A run's results without the fields that measure time.
#[derive(Debug, PartialEq)]
struct RunResult {
    sink: MemorySink,
    counts: [u64; 8],
    hooks: Vec<(String, u64, bool, u64)>,
    dictionary: (usize, usize),
    /// Every id the dictionary gave, with its term.
    ids: Vec<(u64, String)>,
}

/// Every stored id of `dictionary` (each entry index under the tag it was stored with) and
/// its term, in id order.
fn issued_ids(dictionary: &Dictionary) -> Vec<(u64, String)> {
    let mut ids = Vec::new();
    for index in 0..dictionary.len() as u64 {
        for tag in 1..=IdTag::Double as u64 {
            let Some(id) = TermId::from_u64(tag << PAYLOAD_BITS | index) else {
                continue;
            };
            if let Some(term) = dictionary.display(id) {
                ids.push((id.to_u64(), term.to_string()));
            }
        }
    }
    ids
}

fn run_pipeline(data: &[u8], options: IngestOptions) -> RunResult {
    let mut pipeline = small_pools_pipeline();
    let purchased = "<http://schema.org/purchased>";
    for spec in [
        hook("knows-any", "ask_sp", KNOWS, Some(PERSON_13)),
        hook("purchases", "count_sp_ge", purchased, Some(PERSON_13)),
        hook("knowers", "construct8", KNOWS, None),
    ] {
        pipeline.register_hook(&spec).unwrap();
    }
    let mut sink = MemorySink::default();
    let reader = TripleReader::new(data, Format::NTriples, options);
    let summary: Summary = pipeline.execute(reader, &mut sink).unwrap();
    for receipt in &mut sink.receipts {
        receipt.ticks = 0;
    }
    for commit in &mut sink.commits {
        commit.ticks_hash = Default::default();
    }
    RunResult {
        sink,
        counts: [
            summary.triples_ingested,
            summary.triples_loaded,
            summary.skipped_invalid,
            summary.runs,
            summary.blocks,
            summary.hooks_evaluated,
            summary.receipts,
            summary.actions,
        ],
        hooks: summary
            .hooks
            .iter()
            .map(|h| (h.name.clone(), h.result, h.fired, h.receipts))
            .collect(),
        dictionary: (
            pipeline.dictionary().len(),
            pipeline.dictionary().text_bytes(),
        ),
        ids: issued_ids(pipeline.dictionary()),
    }
}

#[test]
fn receipts_actions_ids_and_counts_are_identical_for_1_2_3_and_8_threads() {
    let mut data = generated(20_000);
    // A few bad lines, skipped alike.
    data.extend_from_slice(b"<http://a.example/s> <http://a.example/p> <bad iri> .\n");
    data.extend_from_slice(&generated(2_000));
    data.extend_from_slice(b"_:x <http://xmlns.com/foaf/0.1/knows> _:y .\r\nnot a triple\r\n");
    let skipping = |threads, chunk_bytes| IngestOptions {
        skip_invalid: true,
        ..options(threads, chunk_bytes, true)
    };
    let expected = run_pipeline(&data, skipping(1, IngestOptions::DEFAULT_CHUNK_BYTES));
    assert_eq!(expected.counts[2], 2, "two lines skipped");
    assert!(!expected.sink.actions.is_empty() && !expected.sink.receipts.is_empty());
    for threads in [2, 3, 8] {
        for chunk_bytes in [64, 999, IngestOptions::DEFAULT_CHUNK_BYTES] {
            let actual = run_pipeline(&data, skipping(threads, chunk_bytes));
            assert!(
                actual == expected,
                "{threads} threads, {chunk_bytes}-byte chunks: counts {:?} vs {:?}",
                actual.counts,
                expected.counts
            );
        }
    }
}

/// With worker threads the pipeline looks each distinct term of a chunk up once and copies
/// its id for the term's repeats in the chunk (marked by the workers): the ids are those of
/// one thread, for terms that repeat within a chunk and across chunks, and for terms alike in
/// text but not in kind, language tag or datatype.
#[test]
fn ids_of_terms_repeated_within_chunks_are_those_of_one_thread_for_1_to_4_threads() {
    let look_alikes = br#"<http://a.example/s> <http://a.example/p> <http://a.example/x> .
<http://a.example/s> <http://a.example/p> "http://a.example/x" .
<http://a.example/s> <http://a.example/p> "http://a.example/x"@en .
<http://a.example/s> <http://a.example/p> "http://a.example/x"@EN .
<http://a.example/s> <http://a.example/p> "http://a.example/x"^^<http://a.example/t> .
<http://a.example/s> <http://a.example/p> "http://a.example/x"^^<http://a.example/u> .
<http://a.example/s> <http://a.example/p> "http://a.example/x"^^<http://www.w3.org/2001/XMLSchema#string> .
_:x <http://a.example/p> _:y .
_:y <http://a.example/p> _:x .
<http://a.example/x> <http://a.example/x> <http://a.example/x> .
<http://a.example/\u0078> <http://a.example/p> "\u0078" .
"#;
    let mut data = generated(5_000);
    for _ in 0..3 {
        data.extend_from_slice(look_alikes);
    }
    data.extend_from_slice(&generated(1_000));
    let expected = run_pipeline(&data, options(1, IngestOptions::DEFAULT_CHUNK_BYTES, false));
    assert!(expected.ids.len() > 1_000);
    assert!(expected
        .ids
        .iter()
        .any(|(_, term)| term == "\"http://a.example/x\"@en"));
    for threads in 1..=4 {
        for chunk_bytes in [64, 700, IngestOptions::DEFAULT_CHUNK_BYTES] {
            let actual = run_pipeline(&data, options(threads, chunk_bytes, false));
            assert!(
                actual == expected,
                "{threads} threads, {chunk_bytes}-byte chunks: counts {:?} vs {:?}, {} ids vs {}",
                actual.counts,
                expected.counts,
                actual.ids.len(),
                expected.ids.len()
            );
        }
    }
}

#[test]
fn compressed_input_reads_the_same_with_threads() {
    // The decompressor stays on the reading thread; its output is chunked as any other.
    let data = generated(2_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.nt.gz");
    let mut encoder =
        flate2::write::GzEncoder::new(fs::File::create(&path).unwrap(), Default::default());
    std::io::Write::write_all(&mut encoder, &data).unwrap();
    encoder.finish().unwrap();
    let hasher = Dictionary::new().term_hasher();
    let read_file = |path: &Path, options: IngestOptions| {
        let mut triples = Vec::new();
        TripleReader::open(path, options)
            .unwrap()
            .try_for_each_prepared_triple(
                |term| hasher.hash(term),
                |triple, _| {
                    triples.push(format!("{triple:?}"));
                    Ok::<(), IngestError>(())
                },
                |_| {},
            )
            .unwrap();
        triples
    };
    let expected = read_file(&path, options(1, 0, false));
    assert_eq!(expected.len(), 2_000);
    assert_eq!(read_file(&path, options(3, 500, false)), expected);
}

#[test]
fn a_panic_on_a_worker_thread_reaches_the_caller_instead_of_hanging() {
    let data = generated(2_000);
    let outcome = std::panic::catch_unwind(|| {
        TripleReader::new(&data[..], Format::NTriples, options(3, 256, false))
            .try_for_each_prepared_triple(
                |term| {
                    assert!(
                        format!("{term:?}") != "Iri(\"http://example.org/person/13\")",
                        "prepare fails on one term"
                    );
                    0u8
                },
                |_, _| Ok::<(), IngestError>(()),
                |_| {},
            )
    });
    assert!(outcome.is_err(), "the worker's panic is raised again");
}

#[test]
fn an_error_from_the_callback_stops_the_read_and_the_workers() {
    let data = generated(5_000);
    let mut seen = 0;
    let result = TripleReader::new(&data[..], Format::NTriples, options(3, 128, false))
        .try_for_each_prepared_triple(|_| (), |_, _| count_until(&mut seen, 1_000), |_| {});
    assert!(matches!(result, Err(Stop::Enough)));
    assert_eq!(seen, 1_000);
}

/// A chunk's lines are parsed in place, each scan stopping at the line's break: lines whose
/// terms are left open (or that end where a term might go on) must fail or pass exactly as
/// they do on their own, whatever follows on the next line, with each kind of line break.
#[test]
fn scans_that_could_run_on_into_the_next_line_read_alike() {
    let lines: &[&str] = &[
        "<http://a.example/s> <http://a.example/p> \"open literal",
        "\" .",
        "<http://a.example/s> <http://a.example/p> \"esc\\\"aped and open",
        "\\\" <http://a.example/o> .",
        "<http://a.example/s> <http://a.example/p> <http://a.example/open",
        "> .",
        "<http://a.example/s> <http://a.example/p> <http://a.example/o\\u0041",
        "<http://a.example/s> <http://a.example/p> _:label",
        ". # a dot on the next line",
        "<http://a.example/s> <http://a.example/p> \"tagged\"@en",
        "-GB .",
        "<http://a.example/s> <http://a.example/p> \"typed\"^^",
        "<http://a.example/t> .",
        "<http://a.example/s> <http://a.example/p> \"x\" .   # comment \" < >",
        "   # a comment line",
        "  \t ",
        "",
        "<http://a.example/s> <http://a.example/p> \"x\"",
        "<http://a.example/s> <http://a.example/p> \"the last\" .\t",
    ];
    for line_break in ["\n", "\r\n", "\r"] {
        for ending in ["", line_break] {
            let data = lines.join(line_break) + ending;
            let chunk_sizes = [1, 7, 64, 1000, 1 << 16];
            let [strict, skipping] = assert_same_as_one_thread(
                "open terms",
                data.as_bytes(),
                &chunk_sizes,
                IngestOptions::default(),
            );
            assert!(strict.result.is_err(), "{:?}", strict.result);
            assert_eq!(
                skipping.result.as_ref().map(|r| (r.0, r.1)),
                Ok((2, 14)),
                "{:?}",
                skipping.skipped
            );
        }
    }
}

/// The look-ahead shows the calling thread, before each triple, what was prepared for the
/// triples `d` places later in the same chunk, at any thread count; `distances` is read as
/// each chunk starts, so `f` can turn it off for the chunks that follow (the pipeline does,
/// while its dictionary fits in the cache) and on again.
#[test]
fn the_look_ahead_shows_what_comes_and_follows_its_distances_chunk_by_chunk() {
    use std::cell::{Cell, RefCell};

    let text: String = (0..400)
        .map(|i| format!("<http://e/s{i}> <http://e/p> \"{i}\" .\n"))
        .collect();
    for threads in [1, 2] {
        let options = IngestOptions {
            threads,
            chunk_bytes: 512,
            ..IngestOptions::default()
        };
        const AHEAD: &[usize] = &[1, 3];
        let distances = Cell::new(AHEAD);
        // (triple the look-ahead was shown before, distance, what it was shown)
        let shown = RefCell::new(Vec::new());
        let delivered = Cell::new(0usize);
        TripleReader::new(text.as_bytes(), Format::NTriples, options)
            .try_for_each_prepared_triple_looking_ahead(
                |term| match term {
                    Term::Iri(iri) => iri.strip_prefix("http://e/s")?.parse::<u64>().ok(),
                    _ => None,
                },
                &distances,
                |distance, later: &[Option<u64>; 3]| {
                    shown
                        .borrow_mut()
                        .push((delivered.get(), distance, later[0]));
                },
                |_triple, [s, _, _]| {
                    let index = delivered.get();
                    assert_eq!(s, Some(index as u64));
                    delivered.set(index + 1);
                    // Off from the 100th triple to the 300th.
                    distances.set(if (100..300).contains(&index) {
                        &[]
                    } else {
                        AHEAD
                    });
                    Ok::<(), IngestError>(())
                },
                |_| {},
            )
            .unwrap();
        assert_eq!(delivered.get(), 400);
        let shown = shown.into_inner();
        for &(before, distance, later) in &shown {
            assert_eq!(later, Some((before + distance) as u64), "{threads} threads");
        }
        let shown_before = |range: std::ops::Range<usize>| {
            shown
                .iter()
                .filter(|(before, ..)| range.contains(before))
                .count()
        };
        assert!(shown_before(0..90) > 100, "{threads} threads");
        assert!(shown_before(310..390) > 100, "{threads} threads");
        // Off from the first chunk that starts after the 100th triple until the first that
        // starts after the 300th: chunks of 512 bytes hold about 12 of these lines.
        assert_eq!(shown_before(130..290), 0, "{threads} threads");
    }
}
