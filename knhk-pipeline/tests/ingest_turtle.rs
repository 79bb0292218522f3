//! The Turtle adapter over oxttl: terms, base IRI, error locations and skip-invalid recovery.
//! Backs a "nothing valid is lost" line of the README's "Guarantees" (`knhk-pipeline/README.md`).

use knhk_pipeline::ingest::{
    Format, IngestError, IngestOptions, Literal, SyntaxErrorKind, Term, TripleReader, TurtleError,
};

fn read(doc: &str, options: IngestOptions) -> Result<(Vec<String>, u64, u64), IngestError> {
    let mut out = Vec::new();
    let report = TripleReader::new(doc.as_bytes(), Format::Turtle, options)
        .with_source_name("doc.ttl")
        .for_each_triple(|t| out.push(t.to_string()))?;
    Ok((out, report.triples, report.skipped))
}

#[test]
fn prefixed_names_literals_and_blank_nodes_come_out_as_terms() {
    let doc = r#"@prefix ex: <http://ex.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:s ex:p "a", "b"@EN, "c"^^xsd:string, 42 ; ex:q [ ex:r true ] ."#;
    let mut objects = Vec::new();
    TripleReader::new(doc.as_bytes(), Format::Turtle, IngestOptions::default())
        .for_each_triple(|t| {
            if let Term::Literal(l) = t.object {
                objects.push((
                    l.value().to_owned(),
                    l.datatype().to_owned(),
                    l.language().map(str::to_owned),
                ));
            }
        })
        .unwrap();
    let xsd = |local: &str| format!("http://www.w3.org/2001/XMLSchema#{local}");
    let rdf_lang = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString".to_owned();
    assert_eq!(
        objects,
        [
            ("a".into(), xsd("string"), None),
            // oxttl lowercases language tags (RDF 1.1 allows it).
            ("b".into(), rdf_lang, Some("en".into())),
            ("c".into(), xsd("string"), None),
            ("42".into(), xsd("integer"), None),
            ("true".into(), xsd("boolean"), None),
        ]
    );
    assert_eq!(Literal::typed("c", &xsd("string")), Literal::simple("c"));
}

#[test]
fn relative_iris_resolve_against_the_base_option() {
    let options = IngestOptions {
        base_iri: Some("http://base.org/dir/file.ttl".into()),
        ..IngestOptions::default()
    };
    let (triples, _, _) = read("<s> <../p> <#o> .", options).unwrap();
    assert_eq!(
        triples,
        ["<http://base.org/dir/s> <http://base.org/p> <http://base.org/dir/file.ttl#o> ."]
    );
}

#[test]
fn relative_iri_without_base_is_an_error() {
    let error = read(
        "<s> <http://ex.org/p> <http://ex.org/o> .",
        IngestOptions::default(),
    )
    .unwrap_err();
    assert_eq!(error.location(), Some((1, 1)));
}

#[test]
fn invalid_base_iri_is_rejected_up_front() {
    let options = IngestOptions {
        base_iri: Some("not a base".into()),
        ..IngestOptions::default()
    };
    assert!(matches!(
        read("", options),
        Err(IngestError::InvalidBaseIri { .. })
    ));
}

#[test]
fn syntax_error_names_file_line_and_column() {
    let doc = "@prefix ex: <http://ex.org/> .\nex:s ex:p ex:o .\nex:s ex:p \"unclosed .\n";
    let error = read(doc, IngestOptions::default()).unwrap_err();
    match &error {
        IngestError::Syntax {
            file,
            line,
            column,
            kind: SyntaxErrorKind::Turtle(_),
        } => {
            assert_eq!((&**file, *line, *column), ("doc.ttl", 3, 11));
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(error.to_string().starts_with("doc.ttl:3:11: "), "{error}");
}

#[test]
fn skip_invalid_costs_at_most_the_broken_statement() {
    let skipping = || IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    let line = |s: &str| format!("<http://ex.org/{s}> <http://ex.org/p> <http://ex.org/o> .");
    // A bad IRI: that statement only.
    let doc = "@prefix ex: <http://ex.org/> .\nex:a ex:p ex:o .\nex:b ex:p <bad iri> .\nex:c ex:p ex:o .\nex:d ex:p ex:o .\n";
    assert!(read(doc, IngestOptions::default()).is_err());
    let (triples, count, skipped) = read(doc, skipping()).unwrap();
    assert_eq!(triples, [line("a"), line("c"), line("d")]);
    assert_eq!((count, skipped), (3, 1));
    // A token too many: the triple completed before the error is kept (as serdi keeps it),
    // and the next statement is not lost (oxttl's own recovery lost `ex:c` here).
    let doc = "@prefix ex: <http://ex.org/> .\nex:a ex:p ex:o .\nex:b ex:p ex:o ex:extra .\nex:c ex:p ex:o .\nex:d ex:p ex:o .\n";
    let (triples, count, skipped) = read(doc, skipping()).unwrap();
    assert_eq!(triples, [line("a"), line("b"), line("c"), line("d")]);
    assert_eq!((count, skipped), (4, 1));
}

#[test]
fn an_unterminated_string_costs_one_statement_not_the_thousand_after_it() {
    let mut doc = String::from(
        "@prefix ex: <http://ex.org/> .\nex:a ex:p \"fine\" .\nex:b ex:p \"never closed .\n",
    );
    for i in 0..1000 {
        doc.push_str(&format!("ex:s{i} ex:p \"v{i}\" .\n"));
    }
    let options = IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    let (_, count, skipped) = read(&doc, options).unwrap();
    // serdi -l reads 1001 here; before this reader we read 1.
    assert_eq!((count, skipped), (1001, 1));
}

#[test]
fn a_string_left_open_at_a_line_end_ends_there_and_the_next_lines_are_read() {
    // Every later statement was lost until a line holding a quote.
    let doc = "@prefix ex: <http://example.org/> .\nex:b ex:p \"never closed .\nex:c1 ex:p ex:o1 .\nex:c2 ex:p ex:o2 .\n";
    let skipping = IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    let (triples, count, skipped) = read(doc, skipping).unwrap();
    let c = |n: u8| {
        format!("<http://example.org/c{n}> <http://example.org/p> <http://example.org/o{n}> .")
    };
    assert_eq!(triples, [c(1), c(2)]);
    assert_eq!((count, skipped), (2, 1));
    let error = read(doc, IngestOptions::default()).unwrap_err();
    assert!(
        matches!(
            &error,
            IngestError::Syntax {
                line: 2,
                column: 11,
                kind: SyntaxErrorKind::Turtle(TurtleError::UnterminatedString),
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn a_relative_iri_without_a_base_names_the_base_flag() {
    let error = read("<a> <b> <c> .\n", IngestOptions::default()).unwrap_err();
    let message = error.to_string();
    assert!(message.starts_with("doc.ttl:1:1: "), "{message}");
    assert!(message.contains("--base"), "{message}");
}

#[test]
fn a_file_resolves_relative_iris_against_its_own_uri() {
    let dir = std::env::temp_dir().join(format!("knhk turtle base {}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("spec.ttl");
    std::fs::write(&path, "<> <#name> <other.ttl#x> .\n").unwrap();
    let mut out = Vec::new();
    TripleReader::open(&path, IngestOptions::default())
        .unwrap()
        .for_each_triple(|t| out.push(t.to_string()))
        .unwrap();
    let uri = knhk_pipeline::ingest::file_uri(&path).unwrap();
    assert!(
        uri.starts_with("file:///") && uri.contains("knhk%20turtle%20base"),
        "{uri}"
    );
    let dir_uri = uri.trim_end_matches("spec.ttl");
    assert_eq!(
        out,
        [format!("<{uri}> <{uri}#name> <{dir_uri}other.ttl#x> .")]
    );
    // --base overrides it.
    let options = IngestOptions {
        base_iri: Some("http://example.org/doc".into()),
        ..IngestOptions::default()
    };
    let mut out = Vec::new();
    TripleReader::open(&path, options)
        .unwrap()
        .for_each_triple(|t| out.push(t.to_string()))
        .unwrap();
    assert_eq!(
        out,
        ["<http://example.org/doc> <http://example.org/doc#name> <http://example.org/other.ttl#x> ."]
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn anonymous_blank_nodes_get_the_same_labels_on_every_read_and_never_merge_with_named_ones() {
    let doc = "@prefix ex: <http://ex.org/> .\nex:a ex:p [ ex:q [ ex:r 1 ] ] .\n_:b1 ex:p _:x .\n_:1 ex:p ( ex:c ) .\n";
    let first = read(doc, IngestOptions::default()).unwrap().0;
    let second = read(doc, IngestOptions::default()).unwrap().0;
    assert_eq!(first, second);
    let blanks: std::collections::BTreeSet<&str> = first
        .iter()
        .flat_map(|t| t.split(' '))
        .filter(|term| term.starts_with("_:"))
        .collect();
    // Two property lists, `_:b1`, `_:x`, `_:1` and one list node: six distinct nodes.
    assert_eq!(blanks.len(), 6, "{first:#?}");
    assert!(
        blanks.contains("_:x"),
        "labels from the document are kept: {blanks:?}"
    );
}

#[test]
fn a_statement_over_the_limit_names_its_place_and_the_flag() {
    let doc = format!(
        "<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/p> \"{}\" .\n<http://e/c> <http://e/p> <http://e/d> .\n",
        "x".repeat(5000)
    );
    let options = |skip_invalid| IngestOptions {
        skip_invalid,
        max_statement_bytes: 1000,
        ..IngestOptions::default()
    };
    let error = read(&doc, options(false)).unwrap_err().to_string();
    assert!(error.starts_with("doc.ttl:2:1: "), "{error}");
    assert!(error.contains("--max-statement-bytes"), "{error}");
    let (_, count, skipped) = read(&doc, options(true)).unwrap();
    assert_eq!((count, skipped), (2, 1));
}

#[test]
fn a_byte_order_mark_is_skipped_in_both_formats() {
    let nt = "\u{FEFF}<http://e/a> <http://e/p> <http://e/b> .\n";
    for format in [Format::NTriples, Format::Turtle] {
        let mut count = 0;
        TripleReader::new(nt.as_bytes(), format, IngestOptions::default())
            .for_each_triple(|_| count += 1)
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert_eq!(count, 1);
    }
}

#[test]
fn compressed_files_are_read_and_errors_point_into_the_decompressed_text() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("knhk-compressed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = "<http://e/a> <http://e/p> <http://e/b> .\n<http://e/c> <http://e/p> \"x\" .\n";
    let bad = "<http://e/a> <http://e/p> <http://e/b> .\n<http://e/c> <http://e/p> oops .\n";
    let gzip = |text: &str| {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder.write_all(text.as_bytes()).unwrap();
        encoder.finish().unwrap()
    };
    let zstd = |text: &str| {
        ruzstd::encoding::compress_to_vec(
            text.as_bytes(),
            ruzstd::encoding::CompressionLevel::Fastest,
        )
    };
    for (name, bytes, bad_bytes) in [
        ("data.nt.gz", gzip(good), gzip(bad)),
        ("data.ttl.gz", gzip(good), gzip(bad)),
        ("data.ntriples.zst", zstd(good), zstd(bad)),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let mut count = 0;
        TripleReader::open(&path, IngestOptions::default())
            .unwrap()
            .for_each_triple(|_| count += 1)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(count, 2, "{name}");
        std::fs::write(&path, bad_bytes).unwrap();
        let error = TripleReader::open(&path, IngestOptions::default())
            .unwrap()
            .for_each_triple(|_| {})
            .unwrap_err();
        assert_eq!(error.location(), Some((2, 27)), "{name}: {error}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn ttl_extension_selects_turtle() {
    assert_eq!(Format::from_path("a/b.TTL".as_ref()), Some(Format::Turtle));
    assert_eq!(Format::from_path("b.nt".as_ref()), Some(Format::NTriples));
    assert_eq!(Format::from_path("b.nq".as_ref()), None);
    assert_eq!(Format::from_path("b.turtle".as_ref()), Some(Format::Turtle));
    assert_eq!(
        Format::from_path("b.ntriples".as_ref()),
        Some(Format::NTriples)
    );
    assert_eq!(Format::from_path("b.ttl.gz".as_ref()), Some(Format::Turtle));
    assert_eq!(
        Format::from_path("b.nt.zst".as_ref()),
        Some(Format::NTriples)
    );
}

#[test]
fn skip_mode_survives_every_single_byte_mutation_without_panicking() {
    let doc = r#"@prefix ex: <http://ex.org/> .
@base <http://base.org/dir/> .
PREFIX p2: <http://p2.org/>
ex:a ex:p "s", 'q', """long
. "x" """ , 1.5, -2, 3e1, true ; ex:q [ ex:r ( 1 2 ) ] .
<rel> a ex:C . # comment . with dot
_:b1 ex:p _:x . p2:c ex:p ex:d.ex:e .
ex:f ex:p "lang"@en-GB , "t"^^ex:dt .
"#;
    // At each position: the byte deleted, and one inserted (cycling through the characters
    // that open or close something); every other position uses the small statement limit.
    let inserts = [
        b'"', b'<', b'.', b'\\', b'[', b'(', b'#', b'\n', b'\'', b'>',
    ];
    let mut runs = 0;
    for pos in 0..doc.len() {
        let bytes = doc.as_bytes();
        let insert = [inserts[pos % inserts.len()]];
        let variants = [
            [&bytes[..pos], &bytes[pos + 1..]].concat(),
            [&bytes[..pos], &insert[..], &bytes[pos..]].concat(),
        ];
        for variant in variants {
            let options = IngestOptions {
                skip_invalid: true,
                max_statement_bytes: if pos % 2 == 0 { usize::MAX } else { 40 },
                ..IngestOptions::default()
            };
            let mut triples = 0;
            let report = TripleReader::new(variant.as_slice(), Format::Turtle, options)
                .for_each_triple(|_| triples += 1)
                .expect("skip mode reads to the end");
            assert_eq!(report.triples, triples);
            runs += 1;
        }
    }
    assert!(runs > 500);
}

#[test]
fn a_token_larger_than_oxttls_own_16_mib_buffer_loads() {
    // oxttl's reader stops at 16 MiB per token, with no line or column; fed by statement,
    // the only limit is ours (IngestOptions::max_statement_bytes, 256 MiB by default).
    let value = "x".repeat(17 << 20);
    let doc = format!("<http://e/a> <http://e/p> \"{value}\" .\n<http://e/b> <http://e/p> 1 .\n");
    let mut lengths = Vec::new();
    TripleReader::new(doc.as_bytes(), Format::Turtle, IngestOptions::default())
        .for_each_triple(|t| {
            if let Term::Literal(l) = t.object {
                lengths.push(l.value().len());
            }
        })
        .unwrap();
    assert_eq!(lengths, [17 << 20, 1]);
}
