//! The size limits of a read: an N-Triples line over `max_line_bytes` (`--max-line-bytes`)
//! and a Turtle statement over `max_statement_bytes` (`--max-statement-bytes`) are errors at
//! the statement's place, and, unless errors are skipped, the read stops there, without
//! reading on to the end of an endless line or statement, whatever the thread count.
//! Backs the limit lines of the README's "Guarantees" (`knhk-pipeline/README.md`).

use std::io::Read;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use knhk_pipeline::ingest::{
    Format, IngestError, IngestOptions, NTriplesError, SyntaxErrorKind, TripleReader, TurtleError,
};

/// `head`, then `x` without end (well: up to `STREAM_BYTES`), counting the bytes read.
struct Endless {
    head: &'static [u8],
    given: usize,
    read: Arc<AtomicUsize>,
}

/// How far an endless input goes before it ends after all: far past any limit used here.
const STREAM_BYTES: usize = 64 << 20;

impl Read for Endless {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = buf.len().min(STREAM_BYTES - self.given);
        for (i, b) in buf[..n].iter_mut().enumerate() {
            *b = self.head.get(self.given + i).copied().unwrap_or(b'x');
        }
        self.given += n;
        self.read.store(self.given, Ordering::Relaxed);
        Ok(n)
    }
}

fn endless(head: &'static [u8]) -> (Endless, Arc<AtomicUsize>) {
    let read = Arc::new(AtomicUsize::new(0));
    let input = Endless {
        head,
        given: 0,
        read: read.clone(),
    };
    (input, read)
}

/// The error a strict read of `input` stops with.
fn first_error(input: impl Read + Send, format: Format, options: IngestOptions) -> IngestError {
    TripleReader::new(input, format, options)
        .with_source_name("in")
        .try_for_each_prepared_triple(|_| (), |_, _| Ok::<(), IngestError>(()), |_| {})
        .expect_err("the limit is an error")
}

#[test]
fn an_endless_ntriples_line_stops_the_read_at_the_limit_whatever_the_thread_count() {
    for threads in [1, 2, 4] {
        let (input, read) = endless(b"<http://e/s> <http://e/p> <http://e/o> .\n");
        let options = IngestOptions {
            max_line_bytes: 100_000,
            threads,
            ..IngestOptions::default()
        };
        let error = first_error(input, Format::NTriples, options);
        assert!(
            matches!(
                error,
                IngestError::Syntax {
                    line: 2,
                    column: 100_001,
                    kind: SyntaxErrorKind::NTriples(NTriplesError::LineTooLong { limit: 100_000 }),
                    ..
                }
            ),
            "{threads} threads: {error}"
        );
        // The chunks already cut ahead at most, never the rest of the line.
        assert!(
            read.load(Ordering::Relaxed) < 16 << 20,
            "{threads} threads: read {} bytes",
            read.load(Ordering::Relaxed)
        );
    }
}

#[test]
fn an_endless_turtle_statement_stops_the_read_at_the_limit_and_names_its_start() {
    let (input, read) = endless(b"@prefix ex: <http://e/> .\nex:a ex:p ex:o .\n  ex:s ex:p \"");
    let options = IngestOptions {
        max_statement_bytes: 100_000,
        ..IngestOptions::default()
    };
    let error = first_error(input, Format::Turtle, options);
    assert!(
        matches!(
            error,
            IngestError::Syntax {
                line: 3,
                column: 3,
                kind: SyntaxErrorKind::Turtle(TurtleError::StatementTooLong { limit: 100_000 }),
                ..
            }
        ),
        "{error}"
    );
    assert!(
        read.load(Ordering::Relaxed) < 16 << 20,
        "read {} bytes",
        read.load(Ordering::Relaxed)
    );
}

#[test]
fn a_turtle_statement_over_the_limit_is_reported_at_its_start_and_skipped_whole() {
    let mut doc = String::from("@prefix ex: <http://e/> .\nex:a ex:p ex:o .\nex:s ex:p \"");
    doc.push_str(&"x".repeat(1_000_000));
    doc.push_str("\" .\nex:b ex:p ex:o .\n");
    let options = |skip_invalid| IngestOptions {
        max_statement_bytes: 1000,
        skip_invalid,
        ..IngestOptions::default()
    };
    // It was reported at 3:983044, deep inside the literal, where the buffer then started.
    let error = first_error(doc.as_bytes(), Format::Turtle, options(false));
    assert!(
        matches!(
            error,
            IngestError::Syntax {
                line: 3,
                column: 1,
                kind: SyntaxErrorKind::Turtle(TurtleError::StatementTooLong { limit: 1000 }),
                ..
            }
        ),
        "{error}"
    );
    let mut triples = Vec::new();
    let report = TripleReader::new(doc.as_bytes(), Format::Turtle, options(true))
        .for_each_triple(|t| triples.push(t.subject.to_string()))
        .unwrap();
    assert_eq!(triples, ["<http://e/a>", "<http://e/b>"]);
    assert_eq!((report.triples, report.skipped), (2, 1));
    let first = report.first_error.expect("kept").to_string();
    assert!(
        first.contains(":3:1: statement longer than 1000 bytes"),
        "{first}"
    );
}
