//! The `knhk` command line, run as a user would.

use std::path::PathBuf;
use std::process::{Command, Output};

fn knhk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(args)
        .output()
        .expect("run knhk")
}

fn scratch(name: &str, contents: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

fn json_summary(output: &Output) -> serde_json::Value {
    assert!(
        output.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("one JSON object on stdout")
}

#[test]
fn run_without_arguments_processes_the_bundled_sample() {
    let summary = json_summary(&knhk(&["run", "--json"]));
    for field in [
        "triples_ingested",
        "triples_loaded",
        "skipped_invalid",
        "runs",
        "blocks",
        "hooks_evaluated",
        "receipts",
        "actions",
        "parked",
        "hot_path_allocations",
        "elapsed_ms",
        "triples_per_sec",
    ] {
        assert!(
            summary.get(field).is_some(),
            "summary lacks {field}: {summary}"
        );
    }
    assert_eq!(summary["triples_ingested"], 2008);
    assert_eq!(summary["triples_loaded"], 2008);
    assert_eq!(
        summary["hot_path_allocations"], 0,
        "the CLI counts allocations and finds none"
    );
    assert_eq!(summary["actions"], 3);
}

#[test]
fn human_summary_names_every_count() {
    let output = knhk(&["run"]);
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    for label in [
        "triples ingested",
        "triples loaded",
        "receipts",
        "hot-path allocations  0",
        "throughput",
    ] {
        assert!(text.contains(label), "missing {label:?} in\n{text}");
    }
}

#[test]
fn malformed_input_fails_with_file_line_and_column_on_stderr() {
    let path = scratch(
        "bad.nt",
        b"<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/p> <http://e/b>\n",
    );
    let output = knhk(&["run", path.to_str().unwrap()]);
    assert!(!output.status.success());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        stderr.contains(&format!("{}:2:", path.display())),
        "{stderr}"
    );
    assert!(output.stdout.is_empty());
}

#[test]
fn skip_invalid_counts_bad_lines_and_keeps_the_books_balanced() {
    let path = scratch(
        "mixed.nt",
        b"<http://e/a> <http://e/p> <http://e/b> .\nbroken\n<http://e/c> <http://e/p> \"x\" .\n",
    );
    let summary = json_summary(&knhk(&[
        "run",
        path.to_str().unwrap(),
        "--skip-invalid",
        "--json",
    ]));
    assert_eq!(summary["skipped_invalid"], 1);
    assert_eq!(summary["triples_loaded"], 2);
    assert_eq!(summary["triples_ingested"], 3);
}

#[test]
fn receipts_and_actions_are_written_to_files() {
    let receipts = std::env::temp_dir().join(format!("knhk-receipts-{}.jsonl", std::process::id()));
    let actions = std::env::temp_dir().join(format!("knhk-actions-{}.nt", std::process::id()));
    let summary = json_summary(&knhk(&[
        "run",
        "--json",
        "--receipts",
        receipts.to_str().unwrap(),
        "--actions",
        actions.to_str().unwrap(),
    ]));
    let receipt_lines = std::fs::read_to_string(&receipts).unwrap();
    assert_eq!(
        receipt_lines.lines().count() as u64,
        summary["receipts"].as_u64().unwrap()
    );
    for line in receipt_lines.lines() {
        let receipt: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            receipt["hook"].is_string()
                && receipt["result"].is_u64()
                && receipt["a_hash"].as_str().unwrap().len() == 64
        );
    }
    let action_lines = std::fs::read_to_string(&actions).unwrap();
    assert_eq!(action_lines.lines().count(), 3);
    assert!(action_lines.lines().all(|l| l
        == "<http://example.org/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Agent> ."));
}

#[test]
fn turtle_input_is_chosen_by_extension() {
    let path = scratch(
        "data.ttl",
        b"@prefix e: <http://e/> .\ne:a e:p e:b , e:c ; e:q 7 .\n",
    );
    let summary = json_summary(&knhk(&["run", path.to_str().unwrap(), "--json"]));
    assert_eq!(summary["triples_loaded"], 3);
}

#[test]
fn gen_is_deterministic_and_its_output_runs() {
    let first = knhk(&["gen", "--triples", "500", "--seed", "3"]);
    let second = knhk(&["gen", "--triples", "500", "--seed", "3"]);
    assert!(first.status.success());
    assert_eq!(first.stdout, second.stdout);
    assert_eq!(first.stdout.iter().filter(|&&b| b == b'\n').count(), 500);
    let path = scratch("gen.nt", &first.stdout);
    let summary = json_summary(&knhk(&[
        "run",
        path.to_str().unwrap(),
        "--json",
        "--blocks",
        "2",
        "--receipt-pool",
        "4",
    ]));
    assert_eq!(summary["triples_loaded"], 500);
}

#[test]
fn missing_file_and_bad_flags_fail_clearly() {
    let output = knhk(&["run", "/nonexistent/data.nt"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot open"));
    let output = knhk(&["run", "--blocks", "0"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("at least 1"));
}
