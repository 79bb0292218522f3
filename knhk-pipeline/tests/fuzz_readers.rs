//! Every reader of outside input over seeded random mutations of valid input (flipped,
//! inserted, deleted and repeated bytes, cut ends), a few hundred cases each with a fixed seed,
//! so each run of the suite tries the same cases: N-Triples (one thread and several), Turtle
//! strict and with recovery, hook files, receipts files and inclusion proofs. None may panic;
//! a read keeps its books (`triples_ingested == triples_loaded + skipped_invalid`); and Turtle
//! recovery loses no triple that `serdi -l` reads from a statement the mutation left alone.
//! Backs the "never panics" and "nothing lost" lines of the README's "Guarantees"
//! (`knhk-pipeline/README.md`).
//!
//! serdi comes from apt (`.ci/run` installs it); without it the serdi comparison prints why it
//! skips, and with `CI` set it fails instead.

use std::collections::BTreeSet;
use std::process::Command;

use knhk_pipeline::emit::{MemorySink, WriterSink};
use knhk_pipeline::hooks::{parse_hook_file, parse_hook_file_with_spans};
use knhk_pipeline::ingest::{Format, IngestError, IngestOptions, Term, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::provenance::lockchain::TicksHasher;
use knhk_pipeline::provenance::proof::{check_proof, parse_proof, prove, InclusionProof};
use knhk_pipeline::provenance::receipts_file::{parse_record, Record, Records};
use knhk_pipeline::provenance::verify::verify_records;
use knhk_pipeline::{SAMPLE_DATA, SAMPLE_HOOKS};

/// SplitMix64: small, seeded, the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Bytes that mean something to one of the grammars, and a few that never may.
const TOKENS: &[u8] = b".;,<>\"'#:\\_[](){}@^ \n\r\t\x00\xff\xc3e5-";

/// One to three random edits inside `[from, to)` of `input`.
fn mutate(input: &[u8], from: usize, to: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = input.to_vec();
    let mut end = to.min(out.len());
    for _ in 0..1 + rng.below(3) {
        if end <= from {
            break;
        }
        let at = from + rng.below(end - from);
        match rng.below(6) {
            0 => out[at] ^= 1 << rng.below(8),
            1 => {
                out.insert(at, TOKENS[rng.below(TOKENS.len())]);
                end += 1;
            }
            2 => {
                let n = (1 + rng.below(8)).min(end - at);
                out.drain(at..at + n);
                end -= n;
            }
            3 => {
                let n = (1 + rng.below(16)).min(end - at);
                let piece = out[at..at + n].to_vec();
                out.splice(at..at, piece);
                end += n;
            }
            4 => out[at] = TOKENS[rng.below(TOKENS.len())],
            _ => {
                // Cut short here (only the whole input's end).
                if to >= input.len() {
                    out.truncate(at);
                    end = at;
                } else {
                    out[at] = b'"';
                }
            }
        }
    }
    out
}

/// Runs the pipeline over `data` in skip mode and checks its books.
fn pipeline_keeps_its_books(data: &[u8], format: Format, threads: usize, case: usize) -> u64 {
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    for spec in parse_hook_file(SAMPLE_HOOKS, "hooks.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    let options = IngestOptions {
        skip_invalid: true,
        threads,
        base_iri: Some("http://base.example/".into()),
        ..IngestOptions::default()
    };
    let reader = TripleReader::new(data, format, options);
    let mut sink = MemorySink::default();
    let summary = pipeline
        .execute(reader, &mut sink)
        .unwrap_or_else(|e| panic!("case {case}: skip mode reads on: {e}"));
    assert_eq!(
        summary.triples_ingested,
        summary.triples_loaded + summary.skipped_invalid,
        "case {case}: the books balance"
    );
    summary.triples_loaded
}

#[test]
fn mutated_ntriples_never_panics_and_keeps_its_books_with_any_thread_count() {
    let mut rng = Rng(0x6E74);
    let data = SAMPLE_DATA.as_bytes();
    for case in 0..60 {
        let mutated = mutate(data, 0, data.len(), &mut rng);
        let one = pipeline_keeps_its_books(&mutated, Format::NTriples, 1, case);
        let three = pipeline_keeps_its_books(&mutated, Format::NTriples, 3, case);
        assert_eq!(one, three, "case {case}: the thread count changes nothing");
        // Strict: an error or the same triples, never a panic.
        let strict = TripleReader::new(&mutated[..], Format::NTriples, IngestOptions::default())
            .for_each_triple(|_| {});
        if let Ok(report) = strict {
            assert_eq!(report.triples, one, "case {case}");
        }
    }
}

/// A Turtle document of one statement a line, each about its own subject `ex:sN`, in the
/// forms the fast path and oxttl take.
fn turtle_document(statements: usize) -> String {
    let mut doc = String::from("@prefix ex: <http://example.org/> .\n");
    for i in 0..statements {
        doc.push_str(&match i % 6 {
            0 => format!("ex:s{i} ex:p \"value {i}\" .\n"),
            1 => format!("ex:s{i} ex:p <http://example.org/o{i}> ; ex:q {i} .\n"),
            2 => format!("ex:s{i} a ex:C , ex:D ; ex:r 'single {i}'@en .\n"),
            3 => format!("<http://example.org/s{i}> ex:p ex:o{i} , \"x\"^^ex:dt .\n"),
            4 => format!("ex:s{i} ex:p ( ex:a ex:b ) .\n"),
            _ => format!("ex:s{i} ex:p [ ex:q ex:o{i} ] .\n"),
        });
    }
    doc
}

/// Our skip-mode reading: each triple about `ex:sN` (blank nodes as `_:`), as N-Triples.
fn ours(doc: &[u8], base: &str) -> BTreeSet<String> {
    let options = IngestOptions {
        skip_invalid: true,
        base_iri: Some(base.to_owned()),
        ..IngestOptions::default()
    };
    triple_lines(TripleReader::new(doc, Format::Turtle, options))
}

fn serdi_present() -> bool {
    if Command::new("serdi").arg("-v").output().is_ok() {
        return true;
    }
    let why = "the serdi comparison needs serdi; install it with `apt-get install serdi`";
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set, so this must run: {why}"
    );
    eprintln!("SKIPPED {why}");
    false
}

/// serdi's reading of the file at `path` (lax: `serdi -l`), as N-Triples lines (blank nodes
/// as `_:`).
fn serdi(path: &std::path::Path, base: &str, lax: bool) -> BTreeSet<String> {
    let output = Command::new("serdi")
        .args(if lax { &["-l"][..] } else { &[][..] })
        .args(["-q", "-i", "turtle", "-o", "ntriples"])
        .arg(path)
        .arg(base)
        .output()
        .expect("run serdi");
    // serdi writes what it half-read too: only lines that are whole N-Triples count.
    let options = IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    triple_lines(TripleReader::new(
        output.stdout.as_slice(),
        Format::NTriples,
        options,
    ))
}

/// Every triple `reader` reads (in skip mode), as an N-Triples line with blank nodes as `_:`.
fn triple_lines(reader: TripleReader<impl std::io::Read>) -> BTreeSet<String> {
    let show = |term: Term<'_>| match term {
        Term::BlankNode(_) => "_:".to_owned(),
        other => other.to_string(),
    };
    let mut triples = BTreeSet::new();
    reader
        .for_each_triple(|t| {
            triples.insert(format!(
                "{} {} {}",
                show(t.subject),
                show(t.predicate),
                show(t.object)
            ));
        })
        .expect("skip mode reads on");
    triples
}

#[test]
fn mutated_turtle_never_panics_strict_or_skipping_and_keeps_its_books() {
    let mut rng = Rng(0x7474);
    let doc = turtle_document(60);
    for case in 0..120 {
        let mutated = mutate(doc.as_bytes(), 0, doc.len(), &mut rng);
        pipeline_keeps_its_books(&mutated, Format::Turtle, 1, case);
        // Strict: an error or triples, never a panic.
        let options = IngestOptions {
            base_iri: Some("http://base.example/".into()),
            ..IngestOptions::default()
        };
        let strict =
            TripleReader::new(&mutated[..], Format::Turtle, options).for_each_triple(|_| {});
        if let Err(error) = strict {
            assert!(
                matches!(error, IngestError::Syntax { line, .. } if line >= 1),
                "case {case}: {error}"
            );
        }
    }
}

#[test]
fn turtle_recovery_loses_no_triple_serdi_reads_outside_the_mutated_statement() {
    if !serdi_present() {
        return;
    }
    let mut rng = Rng(0x5e7d);
    let doc = turtle_document(40);
    let lines: Vec<&str> = doc.split_inclusive('\n').collect();
    let dir = std::env::temp_dir().join(format!("knhk-fuzz-serdi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mutated.ttl");
    let others_path = dir.join("others.ttl");
    let base = "http://base.example/";
    let mut compared = 0;
    for case in 0..150 {
        // One statement (a line, past the prefix) is mutated; the others are left alone.
        let line = 1 + rng.below(lines.len() - 1);
        let from: usize = lines[..line].iter().map(|l| l.len()).sum();
        let to = from + lines[line].len() - 1;
        let mutated = mutate(doc.as_bytes(), from, to, &mut rng);
        std::fs::write(&path, &mutated).unwrap();
        // The triples of the statements left alone: serdi's strict reading without the line.
        let others: String = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != line)
            .map(|(_, l)| *l)
            .collect();
        std::fs::write(&others_path, others).unwrap();
        let others = serdi(&others_path, base, false);
        let theirs = serdi(&path, base, true);
        let ours = ours(&mutated, base);
        let lost: Vec<&String> = theirs
            .iter()
            .filter(|t| others.contains(*t) && !ours.contains(*t))
            .collect();
        assert!(
            lost.is_empty(),
            "case {case}: line {} mutated; triples of other statements that serdi -l reads and \
             we lose: {lost:#?}\n--- document ---\n{}",
            line + 1,
            String::from_utf8_lossy(&mutated)
        );
        compared += theirs.len();
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(compared > 1000, "serdi read {compared} triples in all");
}

#[test]
fn mutated_hook_files_never_panic_and_errors_point_into_the_file() {
    let mut rng = Rng(0x686f);
    let text = SAMPLE_HOOKS.as_bytes();
    let lines = SAMPLE_HOOKS.lines().count() as u64 + 1;
    for case in 0..300 {
        let mutated = mutate(text, 0, text.len(), &mut rng);
        let Ok(mutated) = String::from_utf8(mutated) else {
            continue;
        };
        let Ok((specs, spans)) = parse_hook_file_with_spans(&mutated, "hooks.toml") else {
            continue;
        };
        let mut pipeline = Pipeline::new(PipelineConfig::default());
        for (index, spec) in specs.iter().enumerate() {
            if let Err(error) = pipeline.register_hook(spec) {
                let at = spans
                    .locate(index, &error)
                    .expect("a hook's error has a place");
                assert!(at.line >= 1 && at.line <= lines + 16, "case {case}: {at}");
            }
        }
    }
}

/// The bundled run's receipts file, with every receipt's ticks (measured, so different on
/// each run) set to 0 and the ticks hashes to match: the same text on every run, so the same
/// seed gives the same cases.
fn sample_receipts() -> String {
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    for spec in parse_hook_file(SAMPLE_HOOKS, "hooks.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    let reader = TripleReader::new(
        SAMPLE_DATA.as_bytes(),
        Format::NTriples,
        IngestOptions::default(),
    );
    let mut sink = WriterSink::new(Some(Vec::new()), None::<Vec<u8>>);
    pipeline.execute(reader, &mut sink).unwrap();
    let text = String::from_utf8(sink.into_inner().0.unwrap()).unwrap();
    let mut ticks = TicksHasher::default();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        match parse_record(line, i + 1).unwrap() {
            Record::Receipt(mut receipt) => {
                receipt.receipt.ticks = 0;
                ticks.push(0);
                out.push_str(&serde_json::to_string(&receipt).unwrap());
            }
            Record::Commit(mut commit) => {
                commit.commit.ticks_hash = ticks.finish();
                ticks.clear();
                out.push_str(&serde_json::to_string(&commit).unwrap());
            }
        }
        out.push('\n');
    }
    out
}

#[test]
fn mutated_receipts_files_never_panic_and_a_changed_record_never_verifies() {
    let mut rng = Rng(0x7263);
    let receipts = sample_receipts();
    assert_eq!(receipts, sample_receipts(), "the same text on every run");
    verify_records(receipts.as_bytes()).unwrap();
    let records = |text: &[u8]| -> Vec<String> {
        Records::new(text)
            .filter_map(Result::ok)
            .map(|r| format!("{r:?}"))
            .collect()
    };
    let original = records(receipts.as_bytes());
    for case in 0..200 {
        let mutated = mutate(receipts.as_bytes(), 0, receipts.len(), &mut rng);
        let verified = verify_records(&mutated[..]);
        // What reads as other records than the original's must not verify.
        if verified.is_ok() {
            assert_eq!(
                records(&mutated),
                original,
                "case {case}: an edited receipts file verified"
            );
        }
    }
}

#[test]
fn mutated_proofs_never_panic_and_a_changed_proof_never_checks() {
    let mut rng = Rng(0x7072);
    let receipts = sample_receipts();
    let proof = prove(receipts.as_bytes(), 3).unwrap();
    let text = serde_json::to_string_pretty(&proof).unwrap();
    assert!(check_proof(&parse_proof(&text).unwrap()).is_ok());
    for case in 0..300 {
        let mutated = mutate(text.as_bytes(), 0, text.len(), &mut rng);
        let Ok(mutated) = String::from_utf8(mutated) else {
            continue;
        };
        let Ok(parsed) = parse_proof(&mutated) else {
            continue;
        };
        if check_proof(&parsed).is_ok() {
            // Ticks are measured, not proven: a proof does not cover them.
            let proven = |proof: &InclusionProof| {
                let mut proof = proof.clone();
                proof.receipt.receipt.ticks = 0;
                proof.commit.commit.ticks_hash = [0; 32];
                serde_json::to_value(&proof).unwrap()
            };
            assert_eq!(
                proven(&parsed),
                proven(&proof),
                "case {case}: an edited proof checked"
            );
        }
    }
}
