//! `knhk verify` and `knhk prove`, run as a user would: the bundled run verifies with and
//! without `--input`; tampered files and proofs exit non-zero naming the place.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::{knhk, receipts_ticks_aside};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-provenance-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn sample_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/sample.nt")
}

fn sample_hooks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/hooks.toml")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// `knhk run` on the bundled data with `extra` arguments; returns the receipts file.
fn run_bundled(name: &str, extra: &[&str]) -> PathBuf {
    let receipts = scratch(name);
    let mut args = vec!["run", "--receipts", path(&receipts)];
    args.extend_from_slice(extra);
    let output = knhk(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    receipts
}

fn verify_fails(receipts: &Path, extra: &[&str]) -> String {
    let mut args = vec!["verify", "--receipts", path(receipts)];
    args.extend_from_slice(extra);
    let output = knhk(&args);
    assert!(!output.status.success(), "verify accepted a tampered file");
    assert_eq!(output.status.code(), Some(1));
    stderr(&output)
}

fn edit_lines(from: &Path, to: &str, edit: impl FnOnce(&mut Vec<String>)) -> PathBuf {
    let mut lines: Vec<String> = std::fs::read_to_string(from)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    edit(&mut lines);
    let path = scratch(to);
    std::fs::write(
        &path,
        lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
    )
    .unwrap();
    path
}

/// `knhk verify --receipts RECEIPTS --input (the bundled data)`, then `more` arguments.
fn verify_against_sample(receipts: &Path, more: &[&str]) -> Output {
    let data = sample_data();
    let mut args = vec![
        "verify",
        "--receipts",
        path(receipts),
        "--input",
        path(&data),
    ];
    args.extend_from_slice(more);
    knhk(&args)
}

#[test]
fn the_bundled_run_verifies_with_and_without_input() {
    let receipts = run_bundled("bundled.jsonl", &[]);
    let offline = knhk(&["verify", "--receipts", path(&receipts)]);
    assert!(offline.status.success(), "{}", stderr(&offline));
    assert!(stdout(&offline).starts_with("ok: "), "{}", stdout(&offline));

    let rerun = verify_against_sample(&receipts, &["--hooks", path(&sample_hooks())]);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
    assert!(stdout(&rerun).contains("gives exactly these receipts and commits"));
}

#[test]
fn three_blocks_change_no_byte_but_ticks() {
    let default = run_bundled("default.jsonl", &[]);
    let small = run_bundled("blocks3.jsonl", &["--blocks", "3", "--receipt-pool", "5"]);
    let strip = |p: &Path| receipts_ticks_aside(&std::fs::read_to_string(p).unwrap());
    assert_eq!(strip(&default), strip(&small));
    // The re-run (default pools) accepts the file written with 3 blocks.
    let rerun = verify_against_sample(&small, &[]);
    assert!(rerun.status.success(), "{}", stderr(&rerun));
}

/// 1-based line number of the first commit line.
fn first_commit_line(receipts: &Path) -> usize {
    1 + std::fs::read_to_string(receipts)
        .unwrap()
        .lines()
        .position(|l| l.starts_with(r#"{"commit":"#))
        .unwrap()
}

#[test]
fn tampered_files_fail_naming_the_line() {
    let receipts = run_bundled("original.jsonl", &[]);
    let commit = first_commit_line(&receipts);
    assert!(commit > 12, "the first pulse has receipts to tamper with");

    let changed_hash = edit_lines(&receipts, "a_hash.jsonl", |lines| {
        let at = lines[3].find(r#""a_hash":""#).unwrap() + 10;
        let digit = if &lines[3][at..at + 1] == "0" {
            "1"
        } else {
            "0"
        };
        lines[3].replace_range(at..at + 1, digit);
    });
    let message = verify_fails(&changed_hash, &[]);
    assert!(
        message.contains(&format!("line {commit}: commit 0: root is")),
        "{message}"
    );
    assert!(
        message.contains(&format!("(lines 1..={})", commit - 1)),
        "{message}"
    );

    let deleted = edit_lines(&receipts, "deleted.jsonl", |lines| {
        lines.remove(6);
    });
    let message = verify_fails(&deleted, &[]);
    assert!(
        message.contains("line 7: receipt seq 7 where seq 6 comes next"),
        "{message}"
    );

    let swapped = edit_lines(&receipts, "swapped.jsonl", |lines| lines.swap(10, 11));
    let message = verify_fails(&swapped, &[]);
    assert!(
        message.contains("line 11: receipt seq 11 where seq 10"),
        "{message}"
    );

    let edited_commit = edit_lines(&receipts, "commit.jsonl", |lines| {
        let line = &mut lines[commit - 1];
        let at = line.find(r#""blocks_hash":""#).unwrap() + 15;
        let digit = if &line[at..at + 1] == "0" { "1" } else { "0" };
        line.replace_range(at..at + 1, digit);
    });
    let message = verify_fails(&edited_commit, &[]);
    assert!(
        message.contains(&format!("line {commit}: commit 0: hash is")),
        "{message}"
    );
}

#[test]
fn a_changed_input_triple_fails_the_rerun() {
    let receipts = run_bundled("for-input.jsonl", &[]);
    let data = std::fs::read_to_string(sample_data()).unwrap();
    let changed = data.replacen(
        "<http://example.org/bob> <http://schema.org/age> \"34\"",
        "<http://example.org/bob> <http://schema.org/age> \"33\"",
        1,
    );
    assert_ne!(changed, data);
    let input = scratch("changed.nt");
    std::fs::write(&input, changed).unwrap();
    let message = verify_fails(&receipts, &["--input", path(&input)]);
    assert!(
        message.contains("result is 1, but the re-run on the data gives 0"),
        "{message}"
    );
    assert!(message.contains(": receipt seq "), "{message}");
}

#[test]
fn a_proof_verifies_alone_and_fails_when_changed() {
    let receipts = run_bundled("to-prove.jsonl", &[]);
    // A receipt of the second commit: the first commit's line holds its receipts' count.
    let first_pulse = first_commit_line(&receipts) as u64 - 1;
    let seq = first_pulse + 3;
    let output = knhk(&[
        "prove",
        "--receipts",
        path(&receipts),
        "--seq",
        &seq.to_string(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let proof: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(proof["receipt"]["seq"], seq);
    assert_eq!(proof["commit"]["commit"], 1);
    assert_eq!(proof["leaf_index"], 3);
    let tree_size = proof["tree_size"].as_u64().unwrap();
    let hashes = proof["audit_path"].as_array().unwrap().len() as u64;
    assert!(
        1u64 << hashes >= tree_size,
        "{hashes} hashes for {tree_size} leaves"
    );

    let proof_file = scratch("proof.json");
    std::fs::write(&proof_file, &output.stdout).unwrap();
    let checked = knhk(&["verify", "--proof", path(&proof_file)]);
    assert!(checked.status.success(), "{}", stderr(&checked));
    assert!(stdout(&checked).starts_with(&format!("ok: receipt seq {seq} is leaf 3 of")));

    let mut changed = proof.clone();
    changed["receipt"]["result"] = serde_json::json!(7);
    std::fs::write(&proof_file, changed.to_string()).unwrap();
    let rejected = knhk(&["verify", "--proof", path(&proof_file)]);
    assert_eq!(rejected.status.code(), Some(1));
    assert!(
        stderr(&rejected).contains("audit path leads to root"),
        "{}",
        stderr(&rejected)
    );

    let missing = knhk(&["prove", "--receipts", path(&receipts), "--seq", "100000"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(stderr(&missing).contains("no receipt has seq 100000"));
}

#[test]
fn verify_needs_a_receipts_file_or_a_proof() {
    let output = knhk(&["verify"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let output = knhk(&["verify", "--receipts", "/nonexistent/receipts.jsonl"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("/nonexistent/receipts.jsonl: cannot open"));
}
