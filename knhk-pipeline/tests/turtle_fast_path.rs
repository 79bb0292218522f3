//! The Turtle fast path against oxttl alone: with the fast path on, every document gives the
//! same triples in the same order with the same blank node labels, the same error (file,
//! line, column, message), and in skip mode the same triples, skip count and errors, as with
//! every statement going through oxttl. Checked over every W3C Turtle test file, the
//! broken-Turtle corpus, the LV2 specifications (`apt-get install lv2-dev`), generated data
//! written as serdi writes it
//! and as grouped Turtle, and random documents mixing every form the fast path takes with
//! forms it declines, valid and mutated.
//!
//! And the fast path must actually be taken: on generated data no statement but the
//! directives may reach oxttl, so a regression to all-oxttl fails here rather than only
//! being slow.

use std::fmt::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::ingest::{file_uri, IngestError, IngestOptions, Triple};
use knhk_pipeline::ingest::{read_with_stats, FastPathMode, TurtleStats};
use proptest::prelude::*;

mod common;
use common::turtle_files;

const W3C_TURTLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rdf-tests/rdf-turtle");
const W3C_BASE: &str = "http://www.w3.org/2013/TurtleTests/";
const LV2_ROOT: &str = "/usr/lib/lv2";
const BROKEN: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/turtle-broken");

/// Everything a read tells: its triples as N-Triples lines (in order, labels as given), the
/// skip count and each skipped error, or the error that stopped it.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    triples: Vec<String>,
    skipped: u64,
    errors: Vec<String>,
    stopped: Option<String>,
}

fn read(
    doc: &[u8],
    base: Option<&str>,
    skip_invalid: bool,
    mode: FastPathMode,
) -> (Outcome, TurtleStats) {
    let options = IngestOptions {
        base_iri: base.map(str::to_owned),
        skip_invalid,
        ..IngestOptions::default()
    };
    let mut triples = Vec::new();
    let mut errors = Vec::new();
    let result = read_with_stats(
        doc,
        "doc.ttl",
        &options,
        mode,
        |t: Triple<'_>| {
            triples.push(t.to_string());
            Ok::<(), IngestError>(())
        },
        |e| errors.push(e.to_string()),
    );
    match result {
        Ok((report, stats)) => {
            assert_eq!(
                report.triples,
                triples.len() as u64,
                "the report counts every triple"
            );
            (
                Outcome {
                    triples,
                    skipped: report.skipped,
                    errors,
                    stopped: None,
                },
                stats,
            )
        }
        Err(e) => (
            Outcome {
                triples,
                skipped: 0,
                errors,
                stopped: Some(e.to_string()),
            },
            TurtleStats::default(),
        ),
    }
}

/// Reads `doc` both ways, strict and skipping, and fails unless they agree. Returns the fast
/// path's statistics of the skipping read (which reads to the end).
fn same_both_ways(name: &str, doc: &[u8], base: Option<&str>) -> TurtleStats {
    let mut fast_stats = TurtleStats::default();
    for skip in [false, true] {
        let (fast, stats) = read(doc, base, skip, FastPathMode::On);
        let (reference, reference_stats) = read(doc, base, skip, FastPathMode::Off);
        assert_eq!(reference_stats.fast_statements, 0, "{name}: off means off");
        if fast != reference {
            panic!(
                "{name} (skip_invalid {skip}): the fast path reads it otherwise than oxttl\n\
                 --- document ---\n{}\n--- fast path ---\n{fast:#?}\n--- oxttl ---\n{reference:#?}",
                String::from_utf8_lossy(doc)
            );
        }
        if skip {
            fast_stats = stats;
        }
    }
    fast_stats
}

#[test]
fn every_w3c_turtle_file_reads_the_same_with_and_without_the_fast_path() {
    let mut files = Vec::new();
    turtle_files(Path::new(W3C_TURTLE), &mut files);
    assert!(
        files.len() > 250,
        "the vendored suite is there: {}",
        files.len()
    );
    let mut total = TurtleStats::default();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let doc = std::fs::read(path).expect("read test file");
        let base = format!("{W3C_BASE}{name}");
        let stats = same_both_ways(&name, &doc, Some(&base));
        total.fast_statements += stats.fast_statements;
        total.oxttl_statements += stats.oxttl_statements;
    }
    eprintln!("W3C Turtle suite: {total:?}");
    // The suite is mostly about the forms the fast path declines, but not only.
    assert!(total.fast_statements > 200, "{total:?}");
}

#[test]
fn the_broken_corpus_reads_the_same_with_and_without_the_fast_path() {
    // Strict: the same first error; skip mode: the same triples kept, skips and errors.
    let mut files = Vec::new();
    turtle_files(Path::new(BROKEN), &mut files);
    assert!(files.len() >= 7, "{files:?}");
    let mut total = TurtleStats::default();
    for path in &files {
        let doc = std::fs::read(path).expect("read broken file");
        let base = file_uri(path).expect("file URI");
        let stats = same_both_ways(&path.display().to_string(), &doc, Some(&base));
        total.fast_statements += stats.fast_statements;
        total.oxttl_statements += stats.oxttl_statements;
    }
    eprintln!("broken corpus: {total:?}");
}

#[test]
fn every_lv2_file_reads_the_same_with_and_without_the_fast_path() {
    if !Path::new(LV2_ROOT).is_dir() {
        let why = format!("needs {LV2_ROOT}; install it with `apt-get install lv2-dev`");
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set, so this must run: {why}"
        );
        eprintln!("SKIPPED {why}");
        return;
    }
    let mut files = Vec::new();
    turtle_files(Path::new(LV2_ROOT), &mut files);
    assert!(!files.is_empty(), "no .ttl under {LV2_ROOT}");
    let mut total = TurtleStats::default();
    for path in &files {
        let doc = std::fs::read(path).expect("read LV2 file");
        let base = file_uri(path).expect("file URI");
        let stats = same_both_ways(&path.display().to_string(), &doc, Some(&base));
        total.fast_statements += stats.fast_statements;
        total.oxttl_statements += stats.oxttl_statements;
    }
    eprintln!("LV2 ({} files): {total:?}", files.len());
    assert!(total.fast_statements > 0, "{total:?}");
}

fn generated_ntriples(triples: u64) -> Vec<u8> {
    let mut nt = Vec::new();
    generate(&GenerateOptions { triples, seed: 7 }, &mut nt).expect("generate");
    nt
}

/// `knhk gen` output as grouped Turtle, using every list form: triples of one subject in one
/// statement (`;`), objects of one predicate in one list (`,`), `a`, prefixed names for some
/// vocabularies, bare integers, and the rest as N-Triples writes it.
fn grouped_turtle(nt: &[u8]) -> (Vec<u8>, u64) {
    let text = std::str::from_utf8(nt).expect("generated N-Triples is UTF-8");
    let mut rows: Vec<(&str, &str, &str)> = text
        .lines()
        .map(|line| {
            let line = line.strip_suffix(" .").expect("N-Triples line");
            let (s, rest) = line.split_once(' ').expect("subject");
            let (p, o) = rest.split_once(' ').expect("predicate");
            (s, p, o)
        })
        .collect();
    rows.sort();
    rows.dedup();
    let short = |iri: &str| -> String {
        for (prefix, ns) in [
            ("foaf", "<http://xmlns.com/foaf/0.1/"),
            ("schema", "<http://schema.org/"),
            ("", "<http://example.org/vocab/"),
        ] {
            if let Some(local) = iri.strip_prefix(ns) {
                return format!("{prefix}:{}", local.trim_end_matches('>'));
            }
        }
        if iri == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>" {
            return "a".to_owned();
        }
        iri.to_owned()
    };
    let object = |o: &str| -> String {
        if let Some(n) = o
            .strip_prefix('"')
            .and_then(|o| o.strip_suffix("\"^^<http://www.w3.org/2001/XMLSchema#integer>"))
        {
            return n.to_owned();
        }
        o.to_owned()
    };
    let mut out = String::from(
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\nPREFIX schema: <http://schema.org/>\n@prefix : <http://example.org/vocab/> .\n# generated\n",
    );
    let directives = 3;
    let mut i = 0;
    while i < rows.len() {
        let subject = rows[i].0;
        let _ = write!(out, "{subject}");
        let mut first_predicate = true;
        while i < rows.len() && rows[i].0 == subject {
            let predicate = rows[i].1;
            let _ = write!(
                out,
                "{}\n    {} ",
                if first_predicate { "" } else { " ;" },
                short(predicate)
            );
            first_predicate = false;
            let mut first_object = true;
            while i < rows.len() && rows[i].0 == subject && rows[i].1 == predicate {
                let o = rows[i].2;
                let written = if o.starts_with('<') {
                    o.to_owned()
                } else {
                    object(o)
                };
                let _ = write!(out, "{}{written}", if first_object { "" } else { ", " });
                first_object = false;
                i += 1;
            }
        }
        out.push_str(" .\n\n");
    }
    (out.into_bytes(), directives)
}

#[test]
fn generated_turtle_takes_the_fast_path_for_every_statement_but_the_directives() {
    let nt = generated_ntriples(20_000);
    let (ttl, directives) = grouped_turtle(&nt);
    let stats = same_both_ways("grouped generated Turtle", &ttl, None);
    assert_eq!(stats.oxttl_statements, directives, "{stats:?}");
    assert!(stats.fast_statements > 1000, "{stats:?}");
    let (fast, _) = read(&ttl, None, false, FastPathMode::On);
    assert!(fast.stopped.is_none(), "{:?}", fast.stopped);
    assert!(fast.triples.len() > 19_000, "{}", fast.triples.len());

    // As serdi writes it (the benchmark's input), when serdi is installed.
    let Ok(mut serdi) = Command::new("serdi")
        .args(["-i", "ntriples", "-o", "turtle", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
    else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set: serdi must be installed"
        );
        eprintln!("SKIPPED the serdi-written half: `apt-get install serdi`");
        return;
    };
    let mut stdin = serdi.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        use std::io::Write as _;
        stdin.write_all(&nt).expect("feed serdi");
    });
    let output = serdi.wait_with_output().expect("serdi runs");
    writer.join().expect("writer thread");
    assert!(output.status.success());
    let stats = same_both_ways("serdi-written generated Turtle", &output.stdout, None);
    assert_eq!(stats.oxttl_statements, 0, "{stats:?}");
    assert!(stats.fast_statements > 19_000, "{stats:?}");
}

/// A SPARQL-style `BASE` written against its IRI (`BASE<../c/>`, no space) is a directive: the
/// fast path must resolve the relative IRIs after it against the new base, as oxttl does,
/// also after an error the reader recovered from (found by the mutation property below).
#[test]
fn a_base_written_against_its_iri_changes_the_base_for_the_fast_path_too() {
    for recovered in [
        "",
        "<http://example.org/s> <http://example.org/p> \"x\"\" .\n",
    ] {
        for base in [
            "BASE<../c/>",
            "base<../c/>",
            "BASE#note\n<../c/>",
            "BASE <../c/>",
        ] {
            let doc = format!(
                "{recovered}{base}\n[] <http://example.org/p> <http://example.org/o> ; .\n\
                 <http://example.org/z> <#p> <d> .\n"
            );
            same_both_ways(&doc, doc.as_bytes(), Some("http://doc.example/"));
            let (fast, _) = read(
                doc.as_bytes(),
                Some("http://doc.example/"),
                true,
                FastPathMode::On,
            );
            assert!(
                fast.triples
                    .iter()
                    .any(|t| t.contains("<http://doc.example/c/#p>")),
                "{doc}: {fast:#?}"
            );
        }
    }
}

#[test]
fn every_form_the_fast_path_takes_gives_oxttls_triples() {
    let doc = r#"@prefix ex: <http://example.org/> .
@prefix : <http://example.org/empty#> .
@base <http://base.example/dir/> .
ex:s ex:p ex:o , ex:o2 ; a ex:Class ; ex:q "plain" , 'single' , """long "quoted" text
over lines""" , '''long 'single'
''' .
<s> <p> <../up> , <#frag> , <?q=1> , <//host/x> , <http://a.example/./dot/../seg> .
_:b1 ex:p _:x , _:0 , _:b.c , _:abc .
ex:s ex:p "esc\t\n\"\\\u00e9\U0001F600" , "é" , "x"@en , "x"@EN-gb , "x"@zh-Hant-TW , "x"@es-419 .
ex:s ex:p "t"^^ex:dt , "t"^^<http://example.org/dt> , "s"^^<http://www.w3.org/2001/XMLSchema#string> .
ex:s ex:p 1 , -2 , +3 , 4.5 , -.5 , 1e3 , 1.5E-3 , 0.0 , true , false .
ex:a\.b ex:p\~q ex:%41b , ex:a:b , :x , ex: .
ex:s ex:p ex:o;;ex:q ex:o;.
ex:s ex:p ex:o . # a comment
ex:s ex:p [ ex:q ex:r ] , ( 1 2 ) , [] .
[ ex:p ex:o ] ex:q ex:r .
PREFIX ex2: <http://example.org/2/>
BASE <http://other.example/>
ex2:s ex2:p <rel> .
ex:s ex:p "x"@en-a-bbb , "y"@i-klingon , "x"@abcdefgh .
ex:s ex:p ex:o.
ex:s ex:p "x" @en , "y"
  ^^ ex:dt , "z"^^
<http://example.org/dt> , "w" # c
 @de .
ex:s ex:p 5.
"#;
    let stats = same_both_ways("every form", doc.as_bytes(), Some("http://doc.example/"));
    assert!(stats.fast_statements >= 10, "{stats:?}");

    // IRIs on an authority the fast path has just seen (so it remembers it), each with
    // something to check after it; the invalid ones stop the strict read, skip mode goes on.
    let mut doc = String::new();
    for tail in [
        "/a", "/a/./b", "/a/../b", "/.hidden", "/a.b", "", "?q=1", "#f", "#f#g", "/%41", "/%zz",
        "/%4", "/\u{e9}", "/a%2", ":8080/x", ".other/x", "/a b", "/[x]", "/a?b/./c", "/a#b?c",
        "/\\u0041",
    ] {
        let _ = writeln!(
            doc,
            "<http://example.org/s> <http://example.org/p> <http://example.org{tail}> ."
        );
    }
    for base in [None, Some("http://doc.example/")] {
        same_both_ways("IRIs on a remembered authority", doc.as_bytes(), base);
    }
}

/// Pieces of Turtle the random documents are made of.
fn subject() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<http://example.org/s>".to_owned()),
        Just("<s1>".to_owned()),
        Just("ex:s".to_owned()),
        Just("ex:s\\-1".to_owned()),
        Just(":s".to_owned()),
        Just("_:b1".to_owned()),
        Just("_:x".to_owned()),
        Just("_:x.y".to_owned()),
        Just("[ ex:p ex:o ]".to_owned()),
        Just("[ ex:p \"x\" ]".to_owned()),
        Just("[]".to_owned()),
        Just("( ex:a 1 )".to_owned()),
        Just("undeclared:s".to_owned()),
        Just("ex:caf\u{e9}".to_owned()),
        Just("_:n\u{e9}".to_owned()),
        Just("<http://example.org/\u{e9}t\u{e9}>".to_owned()),
        Just("<http://example.org/\\u00E9>".to_owned()),
    ]
}

fn predicate() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<http://example.org/p>".to_owned()),
        Just("ex:p".to_owned()),
        Just("a".to_owned()),
        Just("<#p>".to_owned()),
        Just("ex:p%20q".to_owned()),
    ]
}

fn object() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<http://example.org/o>".to_owned()),
        Just("<../o>".to_owned()),
        Just("<http://example.org/a/./b>".to_owned()),
        Just("<http://[::1]/x>".to_owned()),
        Just("ex:o".to_owned()),
        Just("ex:o.".to_owned()),
        Just("_:b1".to_owned()),
        Just("_:ab12".to_owned()),
        Just("\"text\"".to_owned()),
        Just("\"a\\\"b\\u00E9\\n\"".to_owned()),
        Just("'single'".to_owned()),
        Just("\"\"\"long\n\"two\"\"\"\"".to_owned()),
        Just("'''x''y'''".to_owned()),
        Just("\"\"".to_owned()),
        Just("\"x\"@en".to_owned()),
        Just("\"x\"@en-US".to_owned()),
        Just("\"x\"@de-1996".to_owned()),
        Just("\"x\"^^ex:dt".to_owned()),
        Just("\"x\"^^<http://example.org/dt>".to_owned()),
        Just("\"1\"^^<http://www.w3.org/2001/XMLSchema#integer>".to_owned()),
        Just("42".to_owned()),
        Just("-1.5".to_owned()),
        Just("2E10".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("[]".to_owned()),
        Just("[ a ex:C ]".to_owned()),
        Just("[ ex:p \"x\" ]".to_owned()),
        Just("[ ex:p \"x\" ; ]".to_owned()),
        Just("[ ex:p 'x' , _:b1 ; a ex:C ]".to_owned()),
        Just("[ ex:q [ ex:r \"y\"@en ] , [ ex:s \"z\" ] ]".to_owned()),
        Just("[ ex:q [ ex:r [] ] ]".to_owned()),
        Just("[ ex:p \"x\" .".to_owned()),
        Just("( )".to_owned()),
        Just("( \"a\" ex:b )".to_owned()),
        Just("\"\u{e9}t\u{e9}\"".to_owned()),
        Just("ex:a:b".to_owned()),
        Just("ex:\\/x".to_owned()),
        Just("host://h/x".to_owned()),
        Just("\"x\"@EN-gb".to_owned()),
        Just("\"x\"@en--ltr".to_owned()),
        Just("1.e3".to_owned()),
        Just(".5".to_owned()),
        Just("\"x\"^^<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>".to_owned()),
    ]
}

fn spacing() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => Just(" ".to_owned()),
        1 => Just("\n\t".to_owned()),
        1 => Just("  # note\n".to_owned()),
        1 => Just("\r\n".to_owned()),
    ]
}

fn statement() -> impl Strategy<Value = String> {
    let object_list = prop::collection::vec((object(), spacing()), 1..4);
    let predicate_list = prop::collection::vec((predicate(), spacing(), object_list), 1..4);
    (subject(), spacing(), predicate_list, any::<bool>()).prop_map(
        |(s, sp, predicates, trailing)| {
            let mut out = format!("{s}{sp}");
            for (i, (p, sp, objects)) in predicates.iter().enumerate() {
                if i > 0 {
                    out.push_str(" ;\n  ");
                }
                out.push_str(p);
                out.push_str(sp);
                for (j, (o, sp)) in objects.iter().enumerate() {
                    if j > 0 {
                        out.push_str(" ,");
                        out.push_str(sp);
                    }
                    out.push_str(o);
                }
            }
            if trailing {
                out.push_str(" ;");
            }
            out.push_str(" .\n");
            out
        },
    )
}

fn directive() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("@prefix ex: <http://example.org/> .\n".to_owned()),
        Just("PREFIX ex: <http://other.example/ns#>\n".to_owned()),
        Just("@prefix : <http://example.org/empty/> .\n".to_owned()),
        Just("@base <http://base.example/a/b> .\n".to_owned()),
        Just("BASE <../c/>\n".to_owned()),
        Just("@prefix host: <http:> .\n".to_owned()),
        // Read from their text by the fast path: each must give oxttl's prefix or base.
        Just("@prefix ex: <rel/ns#> .\n".to_owned()),
        Just("@prefix ex:<http://example.org/\\u0041/>.# c\n".to_owned()),
        Just("prefix ex: <http://example.org/lower/>\n".to_owned()),
        Just("@base <sub/> . # c\n".to_owned()),
        Just("@prefix e.x-1: <http://example.org/dots/> .\n".to_owned()),
        Just("@PREFIX ex: <http://example.org/upper/> .\n".to_owned()),
        Just("@prefix \u{e9}x: <http://example.org/accent/> .\n".to_owned()),
        // Statements with no space between them, taken and declined in turn.
        Just("<http://example.org/s>ex:p ex:o.<http://example.org/t> ex:p ( 1 ) .<http://example.org/u> ex:p ex:o .\n".to_owned()),
    ]
}

fn document() -> impl Strategy<Value = String> {
    let part = prop_oneof![1 => directive(), 5 => statement()];
    prop::collection::vec(part, 1..12).prop_map(|parts| {
        let mut doc = String::from("@prefix ex: <http://example.org/> .\n");
        for p in parts {
            doc.push_str(&p);
        }
        doc
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_documents_read_the_same_with_and_without_the_fast_path(
        doc in document(),
        base in prop_oneof![Just(None), Just(Some("http://doc.example/x/y"))],
    ) {
        same_both_ways("random document", doc.as_bytes(), base);
    }

    #[test]
    fn mutated_documents_read_the_same_with_and_without_the_fast_path(
        doc in document(),
        at in any::<prop::sample::Index>(),
        byte in prop_oneof![
            Just(b'.'), Just(b'"'), Just(b'<'), Just(b'>'), Just(b';'), Just(b','),
            Just(b' '), Just(b'\n'), Just(b'\\'), Just(b'#'), Just(b':'), Just(0xFF),
        ],
        delete in any::<bool>(),
    ) {
        let mut bytes = doc.into_bytes();
        let i = at.index(bytes.len());
        if delete {
            bytes.remove(i);
        } else {
            bytes.insert(i, byte);
        }
        same_both_ways("mutated document", &bytes, Some("http://doc.example/"));
    }
}
