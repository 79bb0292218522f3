//! `knhk run --shard`, `knhk merge`, `knhk verify --merged` and `knhk prove --merged`, run as
//! a user would: the merged summary is one unsharded run's, `fired` is decided again from
//! the merged results, every refusal names its culprit, and every tampering is caught.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::shard_cases::{split_hook_file, twice_at_both_ends, TWICE};
use common::{generated, knhk};
use serde_json::Value;

fn dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-shard-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn scratch(name: &str) -> PathBuf {
    dir().join(name)
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn ok(args: &[&str]) -> String {
    let output = knhk(args);
    assert!(
        output.status.success(),
        "knhk {args:?}: {}",
        stderr(&output)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fails(args: &[&str]) -> String {
    let output = knhk(args);
    assert!(!output.status.success(), "knhk {args:?} succeeded");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    stderr(&output)
}

/// The generated graph with `twice` at both ends, and the sample hooks plus the split hooks.
fn data_and_hooks() -> (PathBuf, PathBuf) {
    let data = scratch("data.nt");
    let hooks = scratch("hooks.toml");
    if !data.exists() {
        std::fs::write(&data, twice_at_both_ends(20_000)).unwrap();
        std::fs::write(&hooks, split_hook_file()).unwrap();
    }
    (data, hooks)
}

/// Runs the `n` shards of `data` with `hooks`; returns the manifests, receipts files and
/// each shard's `--json` summary.
fn run_shards(
    tag: &str,
    data: &Path,
    hooks: &Path,
    n: u32,
) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Value>) {
    let (mut manifests, mut receipts, mut summaries) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..n {
        let manifest = scratch(&format!("{tag}-m-{i}.json"));
        let receipt = scratch(&format!("{tag}-r-{i}.jsonl"));
        let shard = format!("{i}/{n}");
        let out = ok(&[
            "run",
            p(data),
            "--shard",
            &shard,
            "--hooks",
            p(hooks),
            "--receipts",
            p(&receipt),
            "--manifest",
            p(&manifest),
            "--json",
        ]);
        summaries.push(serde_json::from_str(&out).unwrap());
        manifests.push(manifest);
        receipts.push(receipt);
    }
    (manifests, receipts, summaries)
}

fn merge_json(manifests: &[PathBuf], output: &Path) -> Value {
    let mut args = vec!["merge", "--json", "--output", p(output)];
    args.extend(manifests.iter().map(|m| p(m)));
    serde_json::from_str(&ok(&args)).unwrap()
}

fn hook<'v>(summary: &'v Value, name: &str) -> &'v Value {
    summary["hooks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["name"] == name)
        .unwrap()
}

#[test]
fn merged_summary_is_one_unsharded_run_and_fired_is_decided_again() {
    let (data, hooks) = data_and_hooks();
    let whole: Value =
        serde_json::from_str(&ok(&["run", p(&data), "--hooks", p(&hooks), "--json"])).unwrap();
    for n in [1, 2, 5] {
        let (manifests, _, shards) = run_shards(&format!("eq{n}"), &data, &hooks, n);
        let merged = merge_json(&manifests, &scratch(&format!("eq{n}-merged.json")));
        for key in ["triples_ingested", "triples_loaded", "skipped_invalid"] {
            assert_eq!(merged[key], whole[key], "{key}, {n} shards");
        }
        // Counted by the binary's counting allocator in every shard: the manifest's sink
        // keeps the hot path free of allocation.
        assert_eq!(merged["hot_path_allocations"], 0, "{n} shards");
        let hooks = whole["hooks"].as_array().unwrap();
        assert_eq!(merged["hooks"].as_array().unwrap().len(), hooks.len());
        for expected in hooks {
            let name = expected["name"].as_str().unwrap();
            let found = hook(&merged, name);
            assert_eq!(found["result"], expected["result"], "{name}, {n} shards");
            assert_eq!(found["fired"], expected["fired"], "{name}, {n} shards");
        }
        if n == 2 {
            // The halves alone decide these hooks the other way: an OR of them would be wrong.
            for name in ["twice-is-unique", "twice-knows-at-most-one"] {
                assert!(
                    shards.iter().all(|s| hook(s, name)["fired"] == true),
                    "{name}"
                );
                assert_eq!(hook(&merged, name)["fired"], false, "{name}");
            }
            let name = "twice-knows-exactly-two";
            assert!(shards.iter().all(|s| hook(s, name)["fired"] == false));
            assert_eq!(hook(&merged, name)["fired"], true);
        }
    }
}

#[test]
fn what_cannot_be_split_is_refused_with_what_to_do() {
    let turtle = scratch("data.ttl");
    std::fs::write(&turtle, "<http://a> <http://b> <http://c> .\n").unwrap();
    let message = fails(&["run", p(&turtle), "--shard", "0/2"]);
    assert!(
        message.contains("Turtle cannot be split by byte range"),
        "{message}"
    );
    assert!(message.contains("convert it to N-Triples"), "{message}");
    for (name, what) in [("data.nt.gz", "gzip"), ("data.nt.zst", "zstd")] {
        let path = scratch(name);
        std::fs::write(&path, b"not read").unwrap();
        let message = fails(&["run", p(&path), "--shard", "1/4"]);
        assert!(
            message.contains(&format!("a {what} file cannot be split by byte range")),
            "{message}"
        );
        assert!(
            message.contains("decompress it first, or split the dump into several files"),
            "{message}"
        );
    }
    let unknown = scratch("data.txt");
    std::fs::write(&unknown, TWICE).unwrap();
    let message = fails(&["run", p(&unknown), "--shard", "0/2"]);
    assert!(message.contains("unknown RDF format"), "{message}");
    ok(&["run", p(&unknown), "--shard", "0/2", "--format", "nt"]);
    let message = fails(&["run", "-", "--shard", "0/2"]);
    assert!(message.contains("only a file can be split"), "{message}");
    // A usage error: clap's exit status 2.
    let output = knhk(&["run", "--shard", "2/2"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("the index must be below the number of shards"));
}

/// Two shards of the data with the given hook file; the manifests.
fn two_shards(tag: &str) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (data, hooks) = data_and_hooks();
    let (m, r, _) = run_shards(tag, &data, &hooks, 2);
    (m, r)
}

fn merge_fails(manifests: &[&Path]) -> String {
    let mut args = vec!["merge"];
    args.extend(manifests.iter().map(|m| p(m)));
    fails(&args)
}

#[test]
fn merge_refuses_parts_that_do_not_belong_together_naming_the_culprit() {
    let (data, hooks) = data_and_hooks();
    let (m, _) = two_shards("refuse");

    // A part of another input.
    let other = scratch("other.nt");
    std::fs::write(&other, generated(500)).unwrap();
    let other_manifest = scratch("refuse-other.json");
    ok(&[
        "run",
        p(&other),
        "--shard",
        "1/2",
        "--hooks",
        p(&hooks),
        "--manifest",
        p(&other_manifest),
    ]);
    let message = merge_fails(&[&m[0], &other_manifest]);
    assert!(
        message.contains(&format!(
            "{}: a part of another input",
            other_manifest.display()
        )),
        "{message}"
    );

    // Another hook file.
    let other_hooks_manifest = scratch("refuse-hooks.json");
    ok(&[
        "run",
        p(&data),
        "--shard",
        "1/2",
        "--manifest",
        p(&other_hooks_manifest),
    ]);
    let message = merge_fails(&[&m[0], &other_hooks_manifest]);
    assert!(
        message.contains(&format!(
            "{}: run with another hook file",
            other_hooks_manifest.display()
        )),
        "{message}"
    );

    // Another version.
    let old = scratch("refuse-version.json");
    let text = std::fs::read_to_string(&m[1]).unwrap();
    std::fs::write(&old, text.replacen("\"version\":1,", "\"version\":7,", 1)).unwrap();
    let message = merge_fails(&[&m[0], &old]);
    assert!(
        message.contains(&format!(
            "{}: version is 7, but this knhk reads 1",
            old.display()
        )),
        "{message}"
    );

    // A shard given twice.
    let copy = scratch("refuse-copy.json");
    std::fs::copy(&m[0], &copy).unwrap();
    let message = merge_fails(&[&m[0], &m[1], &copy]);
    assert!(message.contains("shard 0/2 was given twice"), "{message}");
    assert!(
        message.contains(p(&copy)) && message.contains(p(&m[0])),
        "{message}"
    );

    // A missing shard.
    let message = merge_fails(&[&m[1]]);
    assert!(message.contains("shard 0/2 is missing"), "{message}");

    // A split into another number of shards.
    let third = scratch("refuse-third.json");
    ok(&[
        "run",
        p(&data),
        "--shard",
        "2/3",
        "--hooks",
        p(&hooks),
        "--manifest",
        p(&third),
    ]);
    let message = merge_fails(&[&m[0], &m[1], &third]);
    assert!(
        message.contains(&format!("{} is shard 2/3", third.display())),
        "{message}"
    );
    assert!(message.contains("is shard 0/2 (bytes 0.."), "{message}");
}

#[test]
fn merge_refuses_byte_ranges_that_do_not_tile_the_input() {
    let (data, hooks) = data_and_hooks();
    let size = std::fs::metadata(&data).unwrap().len();
    let range = |tag: &str, start: u64, end: u64| {
        let manifest = scratch(&format!("tile-{tag}.json"));
        let range = format!("{start}:{end}");
        ok(&[
            "run",
            p(&data),
            "--byte-range",
            &range,
            "--hooks",
            p(&hooks),
            "--manifest",
            p(&manifest),
        ]);
        manifest
    };
    let half = size / 2;
    let (first, second) = (range("a", 0, half), range("b", half, size));
    let merged = scratch("tile-merged.json");
    let summary = merge_json(&[second.clone(), first.clone()], &merged);
    assert_eq!(summary["triples_loaded"], 20_002);

    let gap = range("gap", half + 100, size);
    let message = merge_fails(&[&first, &gap]);
    assert!(
        message.contains(&format!(
            "bytes {half}..{} of the input are owned by no part",
            half + 100
        )),
        "{message}"
    );
    assert!(message.contains(p(&gap)), "{message}");

    let overlap = range("overlap", half - 100, size);
    let message = merge_fails(&[&first, &overlap]);
    assert!(
        message.contains(&format!(
            "{} (byte range {}:{size}) overlaps",
            overlap.display(),
            half - 100
        )),
        "{message}"
    );

    let message = merge_fails(&[&first, &second, &second]);
    assert!(message.contains("was given twice"), "{message}");

    let message = merge_fails(&[&first]);
    assert!(
        message.contains(&format!(
            "bytes {half}..{size} of the input are owned by no part (after {})",
            first.display()
        )),
        "{message}"
    );
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

fn write_lines(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn verify_merged(merged: &Path, receipts: &[&Path]) -> Output {
    let mut args = vec!["verify", "--merged", p(merged), "--receipts"];
    args.extend(receipts.iter().map(|r| p(r)));
    knhk(&args)
}

fn verify_merged_fails(merged: &Path, receipts: &[&Path]) -> String {
    let output = verify_merged(merged, receipts);
    assert!(
        !output.status.success(),
        "verify --merged accepted a tampered file"
    );
    stderr(&output)
}

#[test]
fn verify_merged_checks_the_root_and_every_shards_receipts_and_catches_tampering() {
    let (data, hooks) = data_and_hooks();
    let (m, r, _) = run_shards("verify", &data, &hooks, 3);
    let merged = scratch("verify-merged.json");
    merge_json(&m, &merged);
    let receipts: Vec<&Path> = r.iter().map(PathBuf::as_path).collect();
    // Any order of receipts files: each is matched by its chain head.
    let reversed: Vec<&Path> = receipts.iter().rev().copied().collect();
    let output = verify_merged(&merged, &reversed);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(String::from_utf8_lossy(&output.stdout).contains("3 parts merge to root"));

    let original = lines(&merged);
    let tampered = scratch("verify-tampered.json");

    // A part's manifest changed: found by its line.
    let mut edited = original.clone();
    edited[2] = edited[2].replacen("\"triples_loaded\":", "\"triples_loaded\":1", 1);
    write_lines(&tampered, &edited);
    let message = verify_merged_fails(&tampered, &receipts);
    assert!(message.contains("line 3 (shard 1/3"), "{message}");
    assert!(message.contains("the manifest was changed"), "{message}");

    // The shards' order changed.
    let mut edited = original.clone();
    edited.swap(1, 2);
    let (a, b) = (
        edited[1].trim_end_matches(',').to_owned(),
        edited[2].trim_end_matches(',').to_owned(),
    );
    edited[1] = a + ",";
    edited[2] = b + ",";
    write_lines(&tampered, &edited);
    let message = verify_merged_fails(&tampered, &receipts);
    assert!(
        message.contains("line 3: shard 0/3") && message.contains("out of order"),
        "{message}"
    );

    // A merged count or the root changed.
    let mut edited = original.clone();
    edited[0] = edited[0].replacen(
        "\"counts\":{\"triples_ingested\":",
        "\"counts\":{\"triples_ingested\":9",
        1,
    );
    write_lines(&tampered, &edited);
    let message = verify_merged_fails(&tampered, &receipts);
    assert!(message.contains("line 1: counts is"), "{message}");
    let mut edited = original.clone();
    let root_at = edited[0].find("\"root\":\"").unwrap() + 8;
    let flipped = if &edited[0][root_at..root_at + 1] == "0" {
        "1"
    } else {
        "0"
    };
    edited[0].replace_range(root_at..root_at + 1, flipped);
    write_lines(&tampered, &edited);
    let message = verify_merged_fails(&tampered, &receipts);
    assert!(message.contains("line 1: root is"), "{message}");

    // A shard's receipts changed.
    let receipts_tampered = scratch("verify-r-tampered.jsonl");
    let mut edited = lines(&r[1]);
    let at = edited
        .iter()
        .position(|l| l.contains("\"result\":0"))
        .unwrap();
    edited[at] = edited[at].replacen("\"result\":0", "\"result\":1", 1);
    write_lines(&receipts_tampered, &edited);
    let message = verify_merged_fails(&merged, &[receipts[0], &receipts_tampered, receipts[2]]);
    // The receipts verifier names the commit that covers the edited receipt, and its lines.
    assert!(
        message.contains(&format!("{}: line ", receipts_tampered.display())),
        "{message}"
    );
    assert!(message.contains("one of them was edited"), "{message}");

    // A shard's manifest changed before the merge: its receipts say otherwise.
    let forged = scratch("verify-forged-m1.json");
    let text = std::fs::read_to_string(&m[1]).unwrap();
    std::fs::write(
        &forged,
        text.replacen("\"triples_loaded\":", "\"triples_loaded\":1", 1),
    )
    .unwrap();
    let forged_merged = scratch("verify-forged-merged.json");
    merge_json(&[m[0].clone(), forged, m[2].clone()], &forged_merged);
    let message = verify_merged_fails(&forged_merged, &receipts);
    assert!(
        message.contains(&format!(
            "{}: the triples its commits cover is",
            r[1].display()
        )),
        "{message}"
    );
    assert!(message.contains("line 3 (shard 1/3"), "{message}");

    // A shard's receipts file missing, or another run's.
    let message = verify_merged_fails(&merged, &[receipts[0], receipts[2]]);
    assert!(
        message.contains("line 3: no receipts file given for shard 1/3"),
        "{message}"
    );
    let (_, other, _) = run_shards("verify-other", &data, &hooks, 2);
    let message = verify_merged_fails(&merged, &[receipts[0], &other[1], receipts[2]]);
    assert!(
        message.contains(&format!("{}: line", other[1].display()))
            && message.contains("is the head of no part"),
        "{message}"
    );
}

#[test]
fn prove_merged_links_a_receipt_to_the_merged_root_and_verify_checks_it_alone() {
    let (data, hooks) = data_and_hooks();
    let (m, r, _) = run_shards("prove", &data, &hooks, 3);
    let merged = scratch("prove-merged.json");
    let summary = merge_json(&m, &merged);
    let proof = scratch("prove-proof.json");
    let text = ok(&[
        "prove",
        "--merged",
        p(&merged),
        "--receipts",
        p(&r[2]),
        "--seq",
        "40",
    ]);
    std::fs::write(&proof, &text).unwrap();
    let out = ok(&["verify", "--proof", p(&proof)]);
    let root = serde_json::from_str::<Value>(&std::fs::read_to_string(&merged).unwrap()).unwrap()
        ["root"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        out.contains("receipt seq 40") && out.contains("part 2 of 3") && out.contains(&root),
        "{out}"
    );
    assert!(summary["receipts"].as_u64().unwrap() > 40);

    let tampered = scratch("prove-tampered.json");
    let proof_value: Value = serde_json::from_str(&text).unwrap();
    let mut edited = proof_value.clone();
    edited["manifest"]["counts"]["triples_loaded"] = Value::from(1);
    std::fs::write(&tampered, edited.to_string()).unwrap();
    let message = fails(&["verify", "--proof", p(&tampered)]);
    assert!(
        message.contains(p(&tampered))
            && message.contains("the manifest of part 2 leads to merged root"),
        "{message}"
    );

    let mut edited = proof_value.clone();
    edited["part_index"] = Value::from(1);
    std::fs::write(&tampered, edited.to_string()).unwrap();
    let message = fails(&["verify", "--proof", p(&tampered)]);
    assert!(message.contains("leads to merged root"), "{message}");

    let mut edited = proof_value;
    edited["manifest"]["lockchain"]["commits"] = Value::from(1_000_000);
    std::fs::write(&tampered, edited.to_string()).unwrap();
    let message = fails(&["verify", "--proof", p(&tampered)]);
    assert!(message.contains("commits_root"), "{message}");

    // A receipts file of no part.
    let (_, other, _) = run_shards("prove-other", &data, &hooks, 2);
    let message = fails(&[
        "prove",
        "--merged",
        p(&merged),
        "--receipts",
        p(&other[0]),
        "--seq",
        "1",
    ]);
    assert!(message.contains("is the head of no part"), "{message}");
}

#[test]
fn the_manifest_and_the_merged_manifest_follow_the_safe_output_rules() {
    let (data, _) = data_and_hooks();
    let message = fails(&["run", p(&data), "--shard", "0/2", "--manifest", p(&data)]);
    assert!(
        message.contains("--manifest") && message.contains("refusing to overwrite an input"),
        "{message}"
    );
    let receipts = scratch("safe-r.jsonl");
    let message = fails(&[
        "run",
        p(&data),
        "--shard",
        "0/2",
        "--receipts",
        p(&receipts),
        "--manifest",
        p(&receipts),
    ]);
    assert!(message.contains("are the same file"), "{message}");
    let (m, _) = two_shards("safe");
    let before = std::fs::read(&m[0]).unwrap();
    let message = fails(&["merge", p(&m[0]), p(&m[1]), "--output", p(&m[0])]);
    assert!(
        message.contains("refusing to overwrite an input"),
        "{message}"
    );
    assert_eq!(std::fs::read(&m[0]).unwrap(), before);
    // A failed run leaves an earlier manifest as it was.
    let message = fails(&[
        "run",
        p(&data),
        "--shard",
        "0/2",
        "--hooks",
        "/nonexistent.toml",
        "--manifest",
        p(&m[0]),
    ]);
    assert!(message.contains("nonexistent"), "{message}");
    assert_eq!(std::fs::read(&m[0]).unwrap(), before);
}

#[test]
fn a_syntax_error_names_its_byte_offset_in_the_whole_file_and_its_line_in_the_shard() {
    let mut bytes = generated(2_000);
    let bad_line = "<http://example.org/bad> <http://example.org/p> \"unterminated .\n";
    let at = bytes.len() - 10 * 97;
    let at = at + bytes[at..].iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.splice(at..at, bad_line.bytes());
    let data = scratch("bad.nt");
    std::fs::write(&data, &bytes).unwrap();
    let size = bytes.len() as u64;
    // Shard 1 of 2 reads from the first line start at or after the middle.
    let middle = size as usize / 2;
    let start = middle
        + bytes[middle - 1..]
            .iter()
            .position(|&b| b == b'\n')
            .unwrap();
    let line = bytes[start..at].iter().filter(|&&b| b == b'\n').count() + 1;
    // The literal's opening quote is where the error points: column 49.
    let offset = at + 48;
    for threads in ["1", "2"] {
        let message = fails(&["run", p(&data), "--shard", "1/2", "--threads", threads]);
        let expected = format!("byte {offset} (line {line} of shard 1/2, which reads bytes {start}..{size}), column 49");
        assert!(
            message.contains(&expected),
            "{message}\nexpected {expected}"
        );
    }
}
