//! The N-Triples scanner on valid and malformed input: terms, locations, skipping, limits.

use std::io::{self, Read};

mod common;
use common::{count_until, Stop};

use knhk_pipeline::ingest::{
    Format, Found, IngestError, IngestOptions, IngestReport, Literal, NTriplesError, Term,
    TripleReader, XSD_INTEGER,
};

fn reader(doc: &[u8]) -> TripleReader<&[u8]> {
    TripleReader::new(doc, Format::NTriples, IngestOptions::default()).with_source_name("test.nt")
}

/// All triples as N-Triples lines.
fn scan(doc: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    reader(doc)
        .for_each_triple(|t| out.push(t.to_string()))
        .unwrap_or_else(|e| panic!("{e}"));
    out
}

/// `(line, column, reason)` of the error that stops the scan.
fn error_of(doc: &[u8]) -> (u64, u64, NTriplesError) {
    let error = reader(doc)
        .for_each_triple(|_| {})
        .expect_err("must be rejected");
    let (line, column) = error.location().expect("syntax error");
    (
        line,
        column,
        error.ntriples_error().expect("N-Triples reason"),
    )
}

/// Checks that each document is rejected on its first line, at the column and for the reason
/// given.
fn assert_first_line_errors(cases: &[(String, u64, NTriplesError)]) {
    for (doc, column, reason) in cases {
        assert_eq!(error_of(doc.as_bytes()), (1, *column, *reason), "{doc}");
    }
}

/// What an error says it found: the character `c`.
fn found(c: char) -> Found {
    Found(Some(c))
}

const S: &str = "<http://ex.org/s>";
const P: &str = "<http://ex.org/p>";

#[test]
fn empty_input_reads_zero_triples() {
    let report = reader(b"")
        .for_each_triple(|_| panic!("no triple expected"))
        .unwrap();
    assert_eq!((report.triples, report.skipped), (0, 0));
}

#[test]
fn blank_and_comment_lines_yield_nothing() {
    assert!(scan(b"\n  \t\n# comment\n\t# indented comment\r\n").is_empty());
}

#[test]
fn terms_come_out_decoded_and_borrowed_views_compare_as_rdf_terms() {
    let doc = format!(
        "{S} {P} \"A\\u0042\\U00000043\\t\\\"\\\\\" .\n_:b1 {P} \"x\"@en-GB .\n{S} {P} \"7\"^^<{XSD_INTEGER}> .\n{S} {P} \"s\"^^<http://www.w3.org/2001/XMLSchema#string> .\n<http://ex.org/\\u00E9> {P} _:b.2 .\n"
    );
    let mut terms = Vec::new();
    reader(doc.as_bytes())
        .for_each_triple(|t| {
            terms.push(format!("{:?}|{:?}", t.subject, t.object));
        })
        .unwrap();
    assert_eq!(
        terms,
        [
            format!(
                "{:?}|{:?}",
                Term::Iri("http://ex.org/s"),
                Term::Literal(Literal::simple("ABC\t\"\\"))
            ),
            format!(
                "{:?}|{:?}",
                Term::BlankNode("b1"),
                Term::Literal(Literal::lang_tagged("x", "en-GB"))
            ),
            format!(
                "{:?}|{:?}",
                Term::Iri("http://ex.org/s"),
                Term::Literal(Literal::typed("7", XSD_INTEGER))
            ),
            format!(
                "{:?}|{:?}",
                Term::Iri("http://ex.org/s"),
                Term::Literal(Literal::simple("s"))
            ),
            format!(
                "{:?}|{:?}",
                Term::Iri("http://ex.org/\u{e9}"),
                Term::BlankNode("b.2")
            ),
        ]
    );
}

#[test]
fn escaped_and_literal_forms_give_the_same_term() {
    let escaped = scan(format!("{S} {P} \"\\u0041\" .").as_bytes());
    let plain = scan(format!("{S} {P} \"A\" .").as_bytes());
    let typed =
        scan(format!("{S} {P} \"A\"^^<http://www.w3.org/2001/XMLSchema#string> .").as_bytes());
    assert_eq!(escaped, plain);
    assert_eq!(typed, plain);
    assert_eq!(
        Literal::typed("a", "http://www.w3.org/2001/XMLSchema#string"),
        Literal::simple("a")
    );
}

#[test]
fn crlf_lone_cr_and_missing_final_newline_all_end_lines() {
    let doc = format!("{S} {P} _:a .\r\n{S} {P} _:b .\r{S} {P} _:c .\n{S} {P} _:d .");
    assert_eq!(scan(doc.as_bytes()).len(), 4);
    // Line numbers: \r\n is one break, a lone \r is one break.
    let bad = format!("{S} {P} _:a .\r\n{S} {P} _:b .\r{S} {P} oops .\n");
    assert_eq!(error_of(bad.as_bytes()).0, 3);
}

#[test]
fn truncated_line_reports_missing_object_at_line_end() {
    let doc = format!("{S} {P} _:a .\n{S} {P}");
    let col = (S.len() + 1 + P.len() + 1) as u64;
    assert_eq!(
        error_of(doc.as_bytes()),
        (2, col, NTriplesError::ExpectedObject { found: Found(None) })
    );
}

#[test]
fn truncated_iri_and_string_point_at_their_opening_delimiter() {
    let open = (S.len() + 1 + P.len() + 2) as u64;
    assert_eq!(
        error_of(format!("{S} {P} <http://ex.org/o").as_bytes()),
        (1, open, NTriplesError::UnterminatedIri)
    );
    assert_eq!(
        error_of(format!("{S} {P} \"abc\n").as_bytes()),
        (1, open, NTriplesError::UnterminatedString)
    );
    // An escaped quote does not close the string.
    assert_eq!(
        error_of(format!("{S} {P} \"abc\\\" .").as_bytes()),
        (1, open, NTriplesError::UnterminatedString)
    );
}

#[test]
fn missing_final_dot_is_reported_after_the_object() {
    let doc = format!("{S} {P} <http://ex.org/o>\n");
    let col = (S.len() + P.len() + "<http://ex.org/o>".len() + 3) as u64;
    assert_eq!(
        error_of(doc.as_bytes()),
        (1, col, NTriplesError::ExpectedDot { found: Found(None) })
    );
    let glued = format!("{S} {P} <http://ex.org/o> ; .");
    assert_eq!(
        error_of(glued.as_bytes()),
        (
            1,
            col + 1,
            NTriplesError::ExpectedDot {
                found: Found(Some(';'))
            }
        )
    );
}

#[test]
fn two_triples_on_one_line_are_rejected_after_the_first_dot() {
    let doc = format!("{S} {P} _:a . {S} {P} _:b .");
    let col = (S.len() + P.len() + 9) as u64;
    assert_eq!(
        error_of(doc.as_bytes()),
        (
            1,
            col,
            NTriplesError::ExpectedEndOfLine {
                found: Found(Some('<'))
            }
        )
    );
}

#[test]
fn bad_string_escapes_point_at_the_backslash() {
    let at = (S.len() + P.len() + 5) as u64; // after `S P "a`
    let line = |lit: &str| format!("{S} {P} \"a{lit}\" .");
    assert_first_line_errors(&[
        (line("\\z"), at, NTriplesError::BadStringEscape),
        (line("\\u00G1"), at, NTriplesError::BadHexEscape),
        (line("\\U0000004"), at, NTriplesError::BadHexEscape),
        (line("\\uD800"), at, NTriplesError::InvalidCodePoint),
        (line("\\U00110000"), at, NTriplesError::InvalidCodePoint),
    ]);
}

#[test]
fn bad_iris_are_rejected_with_their_position() {
    let lang_string = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>";
    assert_first_line_errors(&[
        // A space inside the IRI: column of the space.
        (
            "<http://ex.org/a b> <http://ex.org/p> <http://ex.org/o> .".into(),
            17,
            NTriplesError::ForbiddenIriCharacter { found: found(' ') },
        ),
        // No angle brackets at all.
        (
            "http://ex.org/s <http://ex.org/p> <http://ex.org/o> .".into(),
            1,
            NTriplesError::ExpectedSubject { found: found('h') },
        ),
        // Relative IRIs, in every position: column of the `<`.
        (format!("<s> {P} _:o ."), 1, NTriplesError::RelativeIri),
        (format!("{S} <p> _:o ."), 19, NTriplesError::RelativeIri),
        (format!("{S} {P} <o> ."), 37, NTriplesError::RelativeIri),
        (
            format!("{S} {P} \"x\"^^<dt> ."),
            42,
            NTriplesError::RelativeIri,
        ),
        // Escapes: only \u and \U, and not to a forbidden character.
        (
            "<http://ex.org/\\n> <http://ex.org/p> _:o .".into(),
            16,
            NTriplesError::BadIriEscape,
        ),
        (
            "<http://ex.org/\\u0020> <http://ex.org/p> _:o .".into(),
            16,
            NTriplesError::ForbiddenIriCharacter { found: found(' ') },
        ),
        // rdf:langString needs a tag.
        (
            format!("{S} {P} \"x\"^^{lang_string} ."),
            42,
            NTriplesError::LangStringWithoutTag,
        ),
    ]);
}

#[test]
fn columns_count_code_points_not_bytes() {
    // `é` is two bytes; the relative IRI's `<` is the 37th character but the 38th byte.
    let doc = "<http://ex.org/\u{e9}> <http://ex.org/p> <o> .";
    assert_eq!(
        error_of(doc.as_bytes()),
        (1, 37, NTriplesError::RelativeIri)
    );
}

#[test]
fn invalid_utf8_is_located_at_the_first_bad_byte() {
    let mut doc = format!("{S} {P} _:a .\n{S} {P} \"caf\u{e9}").into_bytes();
    doc.extend_from_slice(b"\xC3(\" .\n");
    let col = (S.len() + P.len() + 2 + "\"caf\u{e9}".chars().count() + 1) as u64;
    assert_eq!(error_of(&doc), (2, col, NTriplesError::InvalidUtf8));
    assert_eq!(error_of(b"\xff"), (1, 1, NTriplesError::InvalidUtf8));
}

#[test]
fn nul_bytes_outside_literals_are_errors() {
    assert_eq!(
        error_of(b"<http://ex.org/\x00s> <http://ex.org/p> _:o ."),
        (
            1,
            16,
            NTriplesError::ForbiddenIriCharacter {
                found: Found(Some('\0'))
            }
        )
    );
    assert_eq!(
        error_of(b"<http://ex.org/s>\x00<http://ex.org/p> _:o ."),
        (
            1,
            18,
            NTriplesError::ExpectedPredicate {
                found: Found(Some('\0'))
            }
        )
    );
    assert_eq!(
        error_of(b"\x00\x00\x00"),
        (
            1,
            1,
            NTriplesError::ExpectedSubject {
                found: Found(Some('\0'))
            }
        )
    );
    // The grammar allows U+0000 raw inside a string literal ([^#x22#x5C#xA#xD]).
    assert_eq!(
        scan(b"<http://ex.org/s> <http://ex.org/p> \"a\x00b\" .").len(),
        1
    );
}

#[test]
fn bad_blank_node_labels_and_language_tags_are_rejected() {
    assert_first_line_errors(&[
        (
            format!("_::a {P} _:o ."),
            3,
            NTriplesError::BadBlankNodeLabel { found: found(':') },
        ),
        (
            format!("_:a:b {P} _:o ."),
            4,
            NTriplesError::ExpectedPredicate { found: found(':') },
        ),
        // Column of the `@`.
        (
            format!("{S} {P} \"x\"@1 ."),
            40,
            NTriplesError::BadLanguageTag,
        ),
        (
            format!("{S} {P} \"x\"@en- ."),
            40,
            NTriplesError::BadLanguageTag,
        ),
    ]);
    // A label may hold dots but not end with one: the dot then ends the triple.
    assert_eq!(
        scan(format!("{S} {P} _:a.b.").as_bytes()),
        [format!("{S} {P} _:a.b .")]
    );
}

#[test]
fn turtle_only_syntax_is_rejected() {
    for doc in [
        "@prefix ex: <http://ex.org/> .".to_owned(),
        format!("{S} {P} 1 ."),
        format!("{S} {P} \"\"\"long\"\"\" ."),
        format!("{S} {P} 'single' ."),
        format!("{S} {P} _:a, _:b ."),
    ] {
        assert!(
            reader(doc.as_bytes()).for_each_triple(|_| {}).is_err(),
            "{doc}"
        );
    }
}

#[test]
fn ten_megabyte_line_is_read_in_linear_time() {
    let value = "x".repeat(10 << 20);
    let doc = format!("{S} {P} \"{value}\" .\n{S} {P} _:after .\n");
    let mut lengths = Vec::new();
    reader(doc.as_bytes())
        .for_each_triple(|t| {
            if let Term::Literal(l) = t.object {
                lengths.push(l.value().len());
            }
        })
        .unwrap();
    assert_eq!(lengths, [10 << 20]);
}

#[test]
fn line_over_the_limit_is_an_error_and_can_be_skipped() {
    let long = format!("{S} {P} \"{}\" .\n", "y".repeat(5000));
    let doc = format!("{S} {P} _:a .\n{long}{S} {P} _:b .\n");
    let options = IngestOptions {
        max_line_bytes: 1000,
        ..IngestOptions::default()
    };
    let error = TripleReader::new(doc.as_bytes(), Format::NTriples, options.clone())
        .for_each_triple(|_| {})
        .unwrap_err();
    assert_eq!(error.location(), Some((2, 1001)));
    assert_eq!(
        error.ntriples_error(),
        Some(NTriplesError::LineTooLong { limit: 1000 })
    );

    let skipping = IngestOptions {
        skip_invalid: true,
        ..options
    };
    let mut objects = Vec::new();
    let report = TripleReader::new(doc.as_bytes(), Format::NTriples, skipping)
        .for_each_triple(|t| objects.push(t.object.to_string()))
        .unwrap();
    assert_eq!(objects, ["_:a", "_:b"]);
    assert_eq!((report.triples, report.skipped), (2, 1));
}

#[test]
fn skip_invalid_counts_bad_lines_keeps_the_first_and_reports_each() {
    let doc =
        format!("{S} {P} _:a .\n{S} {P} bad .\n{S} {P} _:b .\n<rel> {P} _:c .\n{S} {P} _:d .");
    let options = IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    let mut seen = Vec::new();
    let mut skipped_lines = Vec::new();
    let report: IngestReport = TripleReader::new(doc.as_bytes(), Format::NTriples, options)
        .try_for_each_triple(
            |t| {
                seen.push(t.object.to_string());
                Ok::<(), IngestError>(())
            },
            |e| skipped_lines.push(e.location().unwrap().0),
        )
        .unwrap();
    assert_eq!(seen, ["_:a", "_:b", "_:d"]);
    assert_eq!((report.triples, report.skipped), (3, 2));
    assert_eq!(skipped_lines, [2, 4]);
    let first = report.first_error.expect("first error kept");
    assert_eq!(first.location(), Some((2, 37)));
}

#[test]
fn error_message_names_file_line_and_column() {
    let error = reader(b"\n<http://ex.org/s> <http://ex.org/p> x .")
        .for_each_triple(|_| {})
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "test.nt:2:37: expected an object (<IRI>, _:label or \"literal\"), found 'x'"
    );
}

/// Hands out at most `chunk` bytes per read, to split lines, escapes and `\r\n` across reads.
struct Trickle<'a> {
    data: &'a [u8],
    chunk: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.chunk.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn input_split_at_any_byte_reads_the_same() {
    let mut doc = String::new();
    for i in 0..300 {
        doc.push_str(&format!(
            "{S} {P} \"v{i} \\u00E9\u{1F600}\"@en .\r\n_:b{i} {P} <http://ex.org/{i}> .\r"
        ));
    }
    let whole = scan(doc.as_bytes());
    for chunk in [1, 2, 3, 7, 64, 4096] {
        let mut split = Vec::new();
        TripleReader::new(
            Trickle {
                data: doc.as_bytes(),
                chunk,
            },
            Format::NTriples,
            IngestOptions::default(),
        )
        .for_each_triple(|t| split.push(t.to_string()))
        .unwrap();
        assert_eq!(split, whole, "chunk {chunk}");
    }
    assert_eq!(whole.len(), 600);
}

struct FailingReader;

impl Read for FailingReader {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::other("disk on fire"))
    }
}

#[test]
fn read_failure_is_an_io_error_naming_the_source() {
    let error = TripleReader::new(FailingReader, Format::NTriples, IngestOptions::default())
        .with_source_name("broken.nt")
        .for_each_triple(|_| {})
        .unwrap_err();
    assert!(
        matches!(&error, IngestError::Io { file, .. } if &**file == "broken.nt"),
        "{error}"
    );
}

#[test]
fn callback_error_stops_the_read_and_is_returned() {
    let doc = format!("{S} {P} _:a .\n{S} {P} _:b .\n{S} {P} _:c .\n");
    let mut count = 0;
    let result = reader(doc.as_bytes()).try_for_each_triple(|_| count_until(&mut count, 2), |_| {});
    assert!(matches!(result, Err(Stop::Enough)));
    assert_eq!(count, 2);
}

#[test]
fn files_are_opened_by_extension_and_named_in_errors() {
    let dir = std::env::temp_dir().join(format!("knhk-ingest-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let nt = dir.join("data.NT");
    std::fs::write(&nt, format!("{S} {P} _:a .\n{S} {P} oops .\n")).unwrap();
    let error = TripleReader::open(&nt, IngestOptions::default())
        .unwrap()
        .for_each_triple(|_| {})
        .unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}:2:37: ", nt.display())),
        "{error}"
    );

    let other = dir.join("data.rdf");
    std::fs::write(&other, "").unwrap();
    assert!(matches!(
        TripleReader::open(&other, IngestOptions::default()),
        Err(IngestError::UnknownFormat { .. })
    ));
    assert!(matches!(
        TripleReader::open(dir.join("missing.nt"), IngestOptions::default()),
        Err(IngestError::Open { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}
