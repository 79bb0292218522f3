//! Receipts, commits and `verify`: the bundled run verifies offline and against a re-run; every
//! tampering is caught at the line where it happened; the output does not depend on pool sizes
//! (ticks aside); inclusion proofs hold alone and fail when anything in them changes.

// `VerifyError` carries the differing values inline (no allocation when reporting).
#![allow(clippy::result_large_err)]

use knhk_pipeline::emit::WriterSink;
use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::hooks::{parse_hook_file, HookSpec};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig, Summary};
use knhk_pipeline::provenance::lockchain::{TicksHasher, BEATS_PER_PULSE, LOCKCHAIN_VERSION};
use knhk_pipeline::provenance::proof::{check_proof, parse_proof, prove, ProofError};
use knhk_pipeline::provenance::receipts_file::{parse_record, CommitRecord, Record, RecordId};
use knhk_pipeline::provenance::verify::{verify_records, verify_rerun, VerifyError};
use knhk_pipeline::{SAMPLE_DATA, SAMPLE_HOOKS};

mod common;

/// Asserts that `result` is an error matching `pattern`, then checks `then` with its bindings.
macro_rules! assert_error {
    ($result:expr, $pattern:pat $(=> $then:expr)?) => {
        match $result {
            Err($pattern) => {
                $($then;)?
            }
            other => panic!("{other:?}"),
        }
    };
}
use common::receipts_ticks_aside;

fn hooks() -> Vec<HookSpec> {
    parse_hook_file(SAMPLE_HOOKS, "hooks.toml").unwrap()
}

fn reader(data: &str) -> TripleReader<&[u8]> {
    TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default())
}

/// Runs the pipeline and returns the summary and the receipts file's lines.
fn receipts_file(config: PipelineConfig, data: &str) -> (Summary, Vec<String>) {
    let mut pipeline = Pipeline::new(config);
    for spec in hooks() {
        pipeline.register_hook(&spec).unwrap();
    }
    let mut sink = WriterSink::new(Some(Vec::new()), None::<Vec<u8>>);
    let summary = pipeline.execute(reader(data), &mut sink).unwrap();
    let text = String::from_utf8(sink.into_inner().0.unwrap()).unwrap();
    (summary, text.lines().map(str::to_owned).collect())
}

fn sample() -> (Summary, Vec<String>) {
    receipts_file(PipelineConfig::default(), SAMPLE_DATA)
}

/// The bundled data with its first `from` replaced by `to` (which must be there).
fn sample_edited(from: &str, to: &str) -> String {
    let edited = SAMPLE_DATA.replacen(from, to, 1);
    assert_ne!(edited, SAMPLE_DATA, "{from:?} is in the bundled data");
    edited
}

fn joined(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn verify(lines: &[String]) -> Result<knhk_pipeline::provenance::verify::Verified, VerifyError> {
    verify_records(joined(lines).as_bytes())
}

fn rerun(lines: &[String], data: &str) -> Result<(), VerifyError> {
    verify_rerun(
        joined(lines).as_bytes(),
        reader(data),
        &hooks(),
        PipelineConfig::default().batch_triples,
    )
}

fn records(lines: &[String]) -> Vec<Record> {
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| parse_record(l, i + 1).unwrap())
        .collect()
}

/// 0-based index of the first commit line.
fn first_commit(lines: &[String]) -> usize {
    lines
        .iter()
        .position(|l| l.starts_with(r#"{"commit":"#))
        .unwrap()
}

fn commit_line(commit: &CommitRecord) -> String {
    serde_json::to_string(commit).unwrap()
}

#[test]
fn the_bundled_run_verifies_offline_and_against_a_rerun() {
    let (summary, lines) = sample();
    let verified = verify(&lines).unwrap();
    assert_eq!(verified.receipts, summary.receipts);
    assert_eq!(verified.lines, lines.len());
    assert_eq!(verified.commits, summary.blocks / BEATS_PER_PULSE + 1);
    let Record::Commit(last) = records(&lines).pop().unwrap() else {
        panic!("the last line is a commit");
    };
    assert!(last.commit.end);
    assert_eq!(verified.head, last.commit.hash);
    rerun(&lines, SAMPLE_DATA).unwrap();
}

#[test]
fn commits_cover_every_loaded_triple_block_and_receipt() {
    let (summary, lines) = sample();
    let commits: Vec<CommitRecord> = records(&lines)
        .into_iter()
        .filter_map(|r| match r {
            Record::Commit(c) => Some(c),
            Record::Receipt(_) => None,
        })
        .collect();
    assert_eq!(
        commits.iter().map(|c| c.commit.triples).sum::<u64>(),
        summary.triples_loaded
    );
    assert_eq!(
        commits.iter().map(|c| c.commit.beats).sum::<u64>(),
        summary.blocks
    );
    assert_eq!(
        commits.iter().map(|c| c.commit.receipts).sum::<u64>(),
        summary.receipts
    );
    assert!(commits[..commits.len() - 1]
        .iter()
        .all(|c| c.commit.beats == 8 && !c.commit.end));
    assert!(commits
        .windows(2)
        .all(|w| w[1].commit.prev == w[0].commit.hash));
    assert_eq!(commits[0].commit.prev, [0; 32]);
}

#[test]
fn written_lines_are_exactly_the_documented_records() {
    // The hand-written JSON (`emit`, no allocation) and the serde records agree key for key.
    let (_, lines) = sample();
    for (i, line) in lines.iter().enumerate() {
        let again = match parse_record(line, i + 1).unwrap() {
            Record::Receipt(r) => serde_json::to_string(&r).unwrap(),
            Record::Commit(c) => serde_json::to_string(&c).unwrap(),
        };
        assert_eq!(&again, line);
    }
}

#[test]
fn a_changed_a_hash_is_caught_at_the_commit_that_covers_it() {
    let (_, mut lines) = sample();
    let target = 4;
    let Record::Receipt(mut receipt) = parse_record(&lines[target], target + 1).unwrap() else {
        panic!()
    };
    receipt.receipt.a_hash[0] ^= 1;
    lines[target] = serde_json::to_string(&receipt).unwrap();
    let commit = first_commit(&lines);
    assert_error!(
        verify(&lines),
        VerifyError::Covered {
            line,
            field: "root",
            first_line,
            last_line,
            ..
        } => {
            assert_eq!(line, commit + 1);
            assert!((first_line..=last_line).contains(&(target + 1)));
        }
    );
}

#[test]
fn a_deleted_receipt_is_caught_where_it_was() {
    let (_, mut lines) = sample();
    lines.remove(6);
    assert_error!(
        verify(&lines),
        VerifyError::OutOfOrder {
            line: 7,
            expected: 6,
            found: 7,
        }
    );
}

#[test]
fn swapped_receipts_are_caught_where_the_order_breaks() {
    let (_, mut lines) = sample();
    lines.swap(2, 3);
    assert_error!(
        verify(&lines),
        VerifyError::OutOfOrder {
            line: 3,
            expected: 2,
            found: 3,
        }
    );
    // Two receipts of different pulses, renumbered so `seq` looks right: the roots differ.
    let (_, mut lines) = sample();
    let first = first_commit(&lines);
    let (a, b) = (first - 1, first + 1);
    let parse = |l: &String, n| match parse_record(l, n).unwrap() {
        Record::Receipt(r) => r,
        Record::Commit(_) => panic!(),
    };
    let (mut ra, mut rb) = (parse(&lines[a], a + 1), parse(&lines[b], b + 1));
    std::mem::swap(&mut ra.receipt.seq, &mut rb.receipt.seq);
    std::mem::swap(&mut ra.receipt.span_id, &mut rb.receipt.span_id);
    std::mem::swap(&mut ra.receipt.cycle, &mut rb.receipt.cycle);
    lines[a] = serde_json::to_string(&rb).unwrap();
    lines[b] = serde_json::to_string(&ra).unwrap();
    assert_error!(
        verify(&lines),
        VerifyError::Covered {
            line,
            field: "root",
            ..
        } => assert_eq!(line, first + 1)
    );
}

#[test]
fn an_edited_commit_is_caught_at_its_line_or_at_the_next_link() {
    let (_, lines) = sample();
    let at = first_commit(&lines);
    let Record::Commit(original) = parse_record(&lines[at], at + 1).unwrap() else {
        panic!()
    };

    // A field edited: its own hash no longer matches.
    let mut edited = lines.clone();
    let mut commit = original;
    commit.commit.blocks_hash[5] ^= 0x10;
    edited[at] = commit_line(&commit);
    assert_error!(
        verify(&edited),
        VerifyError::Field {
            line,
            record: RecordId::Commit { index: 0 },
            field: "hash",
            ..
        } => assert_eq!(line, at + 1)
    );

    // Edited and re-hashed: the next commit's link to it breaks.
    commit.commit.hash = commit.commit.compute_hash();
    edited[at] = commit_line(&commit);
    let next = at + 1 + first_commit(&edited[at + 1..]);
    assert_error!(
        verify(&edited),
        VerifyError::Field {
            line,
            record: RecordId::Commit { index: 1 },
            field: "prev",
            ..
        } => assert_eq!(line, next + 1)
    );

    // A root edited and re-hashed: the receipts it covers give another root.
    let mut commit = original;
    commit.commit.root[0] ^= 1;
    commit.commit.hash = commit.commit.compute_hash();
    edited[at] = commit_line(&commit);
    assert!(matches!(
        verify(&edited),
        Err(VerifyError::Covered { field: "root", line, .. }) if line == at + 1
    ));

    // A removed commit line: the next pulse's receipts are out of place.
    let mut edited = lines.clone();
    edited.remove(at);
    assert_error!(
        verify(&edited),
        VerifyError::OutsidePulse {
            line, commit: 0, ..
        } => assert_eq!(line, at + 1)
    );
}

#[test]
fn edited_ticks_are_caught_offline_but_a_rerun_ignores_ticks() {
    let (_, lines) = sample();
    let at = first_commit(&lines);
    let mut edited = lines.clone();
    let Record::Receipt(mut receipt) = parse_record(&edited[1], 2).unwrap() else {
        panic!()
    };
    receipt.receipt.ticks += 1000;
    edited[1] = serde_json::to_string(&receipt).unwrap();
    assert_error!(
        verify(&edited),
        VerifyError::Covered {
            line,
            field: "ticks_hash",
            ..
        } => assert_eq!(line, at + 1)
    );
    // Ticks from another machine, with their ticks hash: the file holds together, and the
    // re-run, whose ticks are its own, still accepts it.
    let mut ticks = TicksHasher::default();
    for line in &edited[..at] {
        let Record::Receipt(r) = parse_record(line, 0).unwrap() else {
            panic!()
        };
        ticks.push(r.receipt.ticks);
    }
    let Record::Commit(mut commit) = parse_record(&edited[at], at + 1).unwrap() else {
        panic!()
    };
    commit.commit.ticks_hash = ticks.finish();
    edited[at] = commit_line(&commit);
    verify(&edited).unwrap();
    rerun(&edited, SAMPLE_DATA).unwrap();
}

#[test]
fn a_cut_short_file_and_a_line_after_the_end_are_caught() {
    let (_, lines) = sample();
    let cut = &lines[..lines.len() - 1];
    assert!(matches!(verify(cut), Err(VerifyError::Truncated { line }) if line == cut.len()));
    let at = first_commit(&lines);
    assert!(matches!(
        verify(&lines[..=at]),
        Err(VerifyError::Truncated { .. })
    ));
    let mut longer = lines.clone();
    longer.push(lines[0].clone());
    assert!(matches!(
        verify(&longer),
        Err(VerifyError::AfterEnd { line, .. }) if line == longer.len()
    ));
    assert!(matches!(
        verify(&[]),
        Err(VerifyError::Truncated { line: 0 })
    ));
}

#[test]
fn a_malformed_line_is_reported_with_its_number() {
    let (_, mut lines) = sample();
    lines[9] = lines[9].replace(r#""lanes":"#, r#""lanez":"#);
    let error = verify(&lines).unwrap_err();
    assert!(error.to_string().starts_with("line 10: "), "{error}");
    lines[9] = "{}".into();
    assert!(matches!(
        verify(&lines),
        Err(VerifyError::Record(
            knhk_pipeline::provenance::receipts_file::RecordError::UnknownRecord { line: 10 }
        ))
    ));
}

#[test]
fn a_changed_input_triple_fails_the_rerun() {
    let (_, lines) = sample();
    // A triple no hook reads: only the commit over its block differs.
    let unread = sample_edited(
        "<http://example.org/product/13> <http://schema.org/rating> \"87\"",
        "<http://example.org/product/13> <http://schema.org/rating> \"88\"",
    );
    assert_error!(
        rerun(&lines, &unread),
        VerifyError::Rerun {
            record: RecordId::Commit { .. },
            field: "blocks_hash",
            ..
        }
    );
    // A triple a hook reads: its receipt differs.
    let read = sample_edited(
        "<http://example.org/bob> <http://schema.org/age> \"34\"",
        "<http://example.org/bob> <http://schema.org/age> \"35\"",
    );
    assert_error!(
        rerun(&lines, &read),
        VerifyError::Rerun {
            line,
            record: RecordId::Receipt { seq },
            field: "result",
            ..
        } => {
            let Record::Receipt(r) = parse_record(&lines[line - 1], line).unwrap() else {
                panic!()
            };
            assert_eq!((r.receipt.seq, r.hook.as_str()), (seq, "bob-is-34"));
        }
    );
    // A triple fewer: the file goes on after the re-run or differs before.
    let dropped: String = SAMPLE_DATA
        .lines()
        .skip(1)
        .map(|l| format!("{l}\n"))
        .collect();
    assert!(rerun(&lines, &dropped).is_err());
}

#[test]
fn a_rerun_with_other_hooks_fails() {
    let (_, lines) = sample();
    let mut other = hooks();
    other.pop();
    let batch = PipelineConfig::default().batch_triples;
    let error = verify_rerun(
        joined(&lines).as_bytes(),
        reader(SAMPLE_DATA),
        &other,
        batch,
    )
    .unwrap_err();
    assert!(error.to_string().starts_with("line "), "{error}");
}

#[test]
fn same_input_and_hooks_give_identical_records_whatever_the_pools() {
    let mut data = Vec::new();
    generate(
        &GenerateOptions {
            triples: 20_000,
            seed: 5,
        },
        &mut data,
    )
    .unwrap();
    let data = String::from_utf8(data).unwrap();
    let (baseline_summary, baseline) = receipts_file(PipelineConfig::default(), &data);
    assert!(baseline_summary.receipts > 100 && baseline_summary.blocks > 100);
    verify(&baseline).unwrap();
    for config in common::receipts::stressed_configs(3) {
        let (_, lines) = receipts_file(config, &data);
        if config.batch_triples == 8192 {
            // Only the pool sizes differ: the same blocks in the same beats.
            assert_eq!(
                receipts_ticks_aside(&lines.join("\n")),
                receipts_ticks_aside(&baseline.join("\n")),
                "{config:?}"
            );
        }
        verify(&lines).unwrap();
        // Another batch size cuts runs elsewhere: a re-run needs the same one.
        let rerun_with =
            |batch| verify_rerun(joined(&lines).as_bytes(), reader(&data), &hooks(), batch);
        rerun_with(config.batch_triples).unwrap();
        if config.batch_triples < 8192 {
            assert!(rerun_with(8192).is_err(), "{config:?}");
        }
    }
    rerun(&baseline, &data).unwrap();
}

#[test]
fn each_execute_is_a_run_of_its_own() {
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    for spec in hooks() {
        pipeline.register_hook(&spec).unwrap();
    }
    let mut run = || {
        let mut sink = WriterSink::new(Some(Vec::new()), None::<Vec<u8>>);
        pipeline.execute(reader(SAMPLE_DATA), &mut sink).unwrap();
        String::from_utf8(sink.into_inner().0.unwrap()).unwrap()
    };
    let (first, second) = (run(), run());
    let lines: Vec<String> = second.lines().map(str::to_owned).collect();
    assert_eq!(receipts_ticks_aside(&first), receipts_ticks_aside(&second));
    verify(&lines).unwrap();
}

#[test]
fn an_empty_input_still_ends_its_chain() {
    let (summary, lines) = receipts_file(PipelineConfig::default(), "");
    assert_eq!(summary.receipts, 0);
    assert_eq!(lines.len(), 1);
    let verified = verify(&lines).unwrap();
    assert_eq!((verified.receipts, verified.commits), (0, 1));
    rerun(&lines, "").unwrap();
}

#[test]
fn every_receipt_has_a_proof_that_holds_alone() {
    let (summary, lines) = sample();
    let file = joined(&lines);
    for seq in 0..summary.receipts {
        let proof = prove(file.as_bytes(), seq).unwrap();
        let json = serde_json::to_string_pretty(&proof).unwrap();
        let parsed = parse_proof(&json).unwrap();
        assert_eq!(parsed, proof);
        let proven = check_proof(&parsed).unwrap();
        assert_eq!(proven.seq, seq);
        let bound = usize::BITS - (proof.tree_size as usize).saturating_sub(1).leading_zeros();
        assert!(proof.audit_path.len() <= bound as usize);
    }
    assert!(matches!(
        prove(file.as_bytes(), summary.receipts),
        Err(ProofError::NoSuchReceipt { .. })
    ));
}

#[test]
fn a_changed_proof_is_rejected() {
    let (_, lines) = sample();
    let file = joined(&lines);
    let proof = prove(file.as_bytes(), 9).unwrap();
    check_proof(&proof).unwrap();

    let mut p = proof.clone();
    p.receipt.receipt.result += 1;
    assert!(matches!(check_proof(&p), Err(ProofError::Root { .. })));

    let mut p = proof.clone();
    p.audit_path[0][3] ^= 4;
    assert!(matches!(check_proof(&p), Err(ProofError::Root { .. })));

    let mut p = proof.clone();
    p.audit_path.pop();
    assert!(matches!(check_proof(&p), Err(ProofError::PathShape { .. })));

    let mut p = proof.clone();
    p.leaf_index += 1;
    assert!(matches!(
        check_proof(&p),
        Err(ProofError::Field {
            field: "leaf_index",
            ..
        })
    ));

    let mut p = proof.clone();
    p.commit.commit.root[0] ^= 1;
    assert!(matches!(
        check_proof(&p),
        Err(ProofError::Field {
            field: "commit.hash",
            ..
        })
    ));

    let mut p = proof.clone();
    p.receipt.receipt.span_id ^= 1;
    assert!(matches!(
        check_proof(&p),
        Err(ProofError::Field {
            field: "receipt.span_id",
            ..
        })
    ));

    // No proof comes out of a tampered file.
    let mut tampered = lines.clone();
    tampered.swap(1, 2);
    assert!(matches!(
        prove(joined(&tampered).as_bytes(), 9),
        Err(ProofError::Verify(VerifyError::OutOfOrder { line: 2, .. }))
    ));
}

#[test]
fn a_file_of_another_encoding_version_is_told_so_before_its_span_ids() {
    // Another version derives span ids (and every hash) differently: the commit's version is
    // what is reported, though the receipts before it come first in the file.
    let (_, mut lines) = sample();
    let at = first_commit(&lines);
    let mut first: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    first["span_id"] = serde_json::Value::from("0123456789abcdef");
    lines[0] = first.to_string();
    // Version 2 hashes the same bytes as 3 but grouped blocks differently: refused as 1 is.
    let current = format!("\"version\":{LOCKCHAIN_VERSION}");
    assert!(lines[at].contains(&current), "{}", lines[at]);
    for version in 1..LOCKCHAIN_VERSION {
        let mut older = lines.clone();
        older[at] = older[at].replace(&current, &format!("\"version\":{version}"));
        match verify(&older) {
            Err(
                error @ VerifyError::Field {
                    line,
                    field: "version",
                    ..
                },
            ) => {
                assert_eq!(line, at + 1);
                let message = error.to_string();
                let said = format!("version is {version}, but {LOCKCHAIN_VERSION} was expected");
                assert!(message.contains(&said), "{message}");
            }
            other => panic!("version {version}: {other:?}"),
        }
    }
    // Of this version, the edited span id is the first difference, at its own line.
    assert_error!(
        verify(&lines),
        VerifyError::Field {
            line: 1,
            field: "span_id",
            ..
        }
    );
}
