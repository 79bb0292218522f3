//! The `knhk` command line, run as a user would.

use std::path::PathBuf;
use std::process::{Command, Output};

mod common;
use common::{knhk, receipts_ticks_aside};

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
    let records = std::fs::read_to_string(&receipts).unwrap();
    // Lockchain commit lines are interleaved with the receipts (see `knhk_pipeline::provenance::lockchain`).
    let receipt_lines: Vec<&str> = records
        .lines()
        .filter(|l| l.starts_with(r#"{"seq":"#))
        .collect();
    assert_eq!(
        receipt_lines.len() as u64,
        summary["receipts"].as_u64().unwrap()
    );
    for line in receipt_lines {
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

fn scratch_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn stderr_of(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const ONE_TRIPLE: &[u8] = b"<http://e/a> <http://e/p> <http://e/b> .\n";

#[test]
fn an_output_that_is_the_input_is_refused_and_the_input_kept() {
    let dir = scratch_dir("output-is-input");
    let input = dir.join("x.nt");
    std::fs::write(&input, ONE_TRIPLE).unwrap();
    // The same file spelled three ways.
    for spelling in ["x.nt", "./x.nt", "../x.nt"] {
        let receipts = if spelling == "../x.nt" {
            std::fs::create_dir_all(dir.join("sub")).unwrap();
            dir.join("sub").join(spelling)
        } else {
            dir.join(spelling)
        };
        let output = knhk(&[
            "run",
            input.to_str().unwrap(),
            "--receipts",
            receipts.to_str().unwrap(),
        ]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
        assert!(
            stderr_of(&output).contains("is the same file as input"),
            "{}",
            stderr_of(&output)
        );
        assert_eq!(std::fs::read(&input).unwrap(), ONE_TRIPLE);
    }
    // A hook file is an input too.
    let hooks = dir.join("hooks.toml");
    std::fs::write(&hooks, knhk_pipeline::SAMPLE_HOOKS).unwrap();
    let output = knhk(&[
        "run",
        "--hooks",
        hooks.to_str().unwrap(),
        "--actions",
        hooks.to_str().unwrap(),
    ]);
    assert!(!output.status.success());
    assert_eq!(
        std::fs::read_to_string(&hooks).unwrap(),
        knhk_pipeline::SAMPLE_HOOKS
    );
}

#[test]
fn two_outputs_naming_one_file_are_refused() {
    let dir = scratch_dir("same-outputs");
    let out = dir.join("out");
    let other_spelling = dir.join(".").join("out");
    let output = knhk(&[
        "run",
        "--receipts",
        out.to_str().unwrap(),
        "--actions",
        other_spelling.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("are the same file"),
        "{}",
        stderr_of(&output)
    );
    assert!(!out.exists(), "nothing is created");
}

#[test]
fn a_failed_run_leaves_earlier_outputs_exactly_as_they_were() {
    let dir = scratch_dir("failed-run");
    let receipts = dir.join("receipts.jsonl");
    let actions = dir.join("actions.nt");
    let args = |input: &str| {
        knhk(&[
            "run",
            input,
            "--receipts",
            receipts.to_str().unwrap(),
            "--actions",
            actions.to_str().unwrap(),
        ])
    };
    let good = dir.join("good.nt");
    std::fs::write(&good, knhk_pipeline::SAMPLE_DATA).unwrap();
    assert!(args(good.to_str().unwrap()).status.success());
    let (before_receipts, before_actions) = (
        std::fs::read(&receipts).unwrap(),
        std::fs::read(&actions).unwrap(),
    );
    assert!(!before_receipts.is_empty() && !before_actions.is_empty());
    // Valid data first (enough to emit receipts and actions), then a bad line at the end.
    let bad = dir.join("bad.nt");
    std::fs::write(
        &bad,
        format!(
            "{}<http://e/a> <http://e/p> oops .\n",
            knhk_pipeline::SAMPLE_DATA
        ),
    )
    .unwrap();
    let output = args(bad.to_str().unwrap());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains(":2009:"),
        "{}",
        stderr_of(&output)
    );
    assert_eq!(std::fs::read(&receipts).unwrap(), before_receipts);
    assert_eq!(std::fs::read(&actions).unwrap(), before_actions);
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|name| name.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

fn knhk_with_stdin(args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run knhk");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_dash_reads_standard_input_and_the_summary_names_the_input() {
    let two = b"<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/q> \"x\" .\n";
    let summary = json_summary(&knhk_with_stdin(&["run", "-", "--json"], two));
    assert_eq!(summary["input"], "<stdin>");
    assert_eq!(summary["triples_loaded"], 2);
    let ttl = b"@prefix e: <http://e/> .\ne:a e:p e:b , e:c .\n";
    let summary = json_summary(&knhk_with_stdin(
        &["run", "-", "--format", "turtle", "--json"],
        ttl,
    ));
    assert_eq!(summary["triples_loaded"], 2);
    // Standard input has no base IRI: a relative one fails and says how to give one.
    let output = knhk_with_stdin(&["run", "-", "--format", "ttl"], b"<a> <b> <c> .\n");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("<stdin>:1:1:") && stderr_of(&output).contains("--base"),
        "{}",
        stderr_of(&output)
    );
    let output = knhk_with_stdin(
        &[
            "run",
            "-",
            "--format",
            "ttl",
            "--base",
            "http://e/",
            "--json",
        ],
        b"<a> <b> <c> .\n",
    );
    assert_eq!(json_summary(&output)["triples_loaded"], 1);
    // Without FILE, the bundled sample, and the summary says so.
    assert_eq!(
        json_summary(&knhk(&["run", "--json"]))["input"],
        "data/sample.nt (bundled)"
    );
}

#[test]
fn oversized_pools_are_refused_with_the_size_and_the_bound() {
    for blocks in ["2147483648", "100000000", "18446744073709551615"] {
        let output = knhk(&["run", "--blocks", blocks]);
        assert_eq!(output.status.code(), Some(1), "{}", stderr_of(&output));
        let stderr = stderr_of(&output);
        assert!(
            stderr.contains(&format!("--blocks {blocks} is too large"))
                && stderr.contains("the limit is"),
            "{stderr}"
        );
    }
    let output = knhk(&["run", "--receipt-pool", "1000000000"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr_of(&output).contains("--receipt-pool 1000000000 is too large"));
}

#[test]
fn a_closed_pipe_ends_gen_and_run_quietly() {
    let sh = |script: &str| {
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .env("KNHK", env!("CARGO_BIN_EXE_knhk"))
            .output()
            .unwrap()
    };
    for script in [
        r#""$KNHK" gen --triples 1000000 2>&1 | head -1"#,
        r#""$KNHK" gen --triples 1000000 | head -1"#,
    ] {
        let output = sh(script);
        let text = String::from_utf8_lossy(&output.stdout);
        assert!(!text.contains("panicked"), "{script}: {text}");
        assert!(!text.contains("error"), "{script}: {text}");
    }
    // The exit status, seen directly: 141 (as for a process killed by SIGPIPE), not 101.
    let mut child = Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(["gen", "--triples", "1000000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(141));
    assert!(output.stderr.is_empty(), "{}", stderr_of(&output));
    // `run` whose reader is gone before the summary is printed.
    for args in [&["run"][..], &["run", "--json"][..]] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_knhk"))
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        assert_eq!(output.status.code(), Some(141), "{args:?}");
        assert!(output.stderr.is_empty(), "{}", stderr_of(&output));
    }
}

#[test]
fn a_directory_is_named_as_one() {
    let dir = scratch_dir("directory");
    let output = knhk(&["run", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr_of(&output).contains("is a directory"),
        "{}",
        stderr_of(&output)
    );
}

#[test]
fn hooks_whose_predicate_never_occurs_are_reported() {
    let dir = scratch_dir("unmatched-hooks");
    let data = dir.join("d.nt");
    std::fs::write(&data, ONE_TRIPLE).unwrap();
    let hooks = dir.join("hooks.toml");
    std::fs::write(
        &hooks,
        "[[hook]]\nname = \"seen\"\nkind = \"ask_sp\"\npredicate = \"<http://e/p>\"\nsubject = \"<http://e/a>\"\n\n[[hook]]\nname = \"typo\"\nkind = \"ask_sp\"\npredicate = \"<http://e/pp>\"\nsubject = \"<http://e/a>\"\n",
    )
    .unwrap();
    let args = [
        "run",
        data.to_str().unwrap(),
        "--hooks",
        hooks.to_str().unwrap(),
    ];
    let summary = json_summary(&knhk(&[&args[..], &["--json"]].concat()));
    assert_eq!(summary["hooks_never_matched"], serde_json::json!(["typo"]));
    let human = String::from_utf8(knhk(&args).stdout).unwrap();
    assert!(human.contains("hooks never matched   typo"), "{human}");
}

#[test]
fn actions_from_turtle_blank_nodes_are_byte_identical_across_runs() {
    let dir = scratch_dir("reproducible");
    let data = dir.join("d.ttl");
    std::fs::write(
        &data,
        "@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n[ foaf:knows [ foaf:name \"b\" ] ] .\n[] foaf:knows <http://e/c> .\n",
    )
    .unwrap();
    let hooks = dir.join("hooks.toml");
    std::fs::write(
        &hooks,
        "[[hook]]\nname = \"knower\"\nkind = \"construct8\"\npredicate = \"<http://xmlns.com/foaf/0.1/knows>\"\nconstruct_predicate = \"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>\"\nconstruct_object = \"<http://xmlns.com/foaf/0.1/Person>\"\n",
    )
    .unwrap();
    let run = |n: u32| {
        let receipts = dir.join(format!("r{n}.jsonl"));
        let actions = dir.join(format!("a{n}.nt"));
        let output = knhk(&[
            "run",
            data.to_str().unwrap(),
            "--hooks",
            hooks.to_str().unwrap(),
            "--receipts",
            receipts.to_str().unwrap(),
            "--actions",
            actions.to_str().unwrap(),
        ]);
        assert!(output.status.success(), "{}", stderr_of(&output));
        (
            receipts_ticks_aside(&std::fs::read_to_string(receipts).unwrap()),
            std::fs::read(actions).unwrap(),
        )
    };
    let first = run(1);
    // Ticks are measured, so they (and the commits' hash of them) differ between runs.
    assert_eq!(first, run(2));
    let actions = String::from_utf8(first.1).unwrap();
    assert_eq!(actions.lines().count(), 2, "{actions}");
    assert!(actions.lines().all(|l| l.starts_with("_:")), "{actions}");
}

#[test]
fn a_long_ntriples_line_names_its_place_and_the_flag_that_raises_the_limit() {
    let dir = scratch_dir("long-line");
    let data = dir.join("d.nt");
    let long = format!(
        "{}<http://e/a> <http://e/p> \"{}\" .\n",
        String::from_utf8_lossy(ONE_TRIPLE),
        "x".repeat(4000)
    );
    std::fs::write(&data, &long).unwrap();
    let output = knhk(&["run", data.to_str().unwrap(), "--max-line-bytes", "1000"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    assert!(
        stderr.contains(&format!("{}:2:", data.display())),
        "{stderr}"
    );
    assert!(stderr.contains("--max-line-bytes"), "{stderr}");
    let summary = json_summary(&knhk(&[
        "run",
        data.to_str().unwrap(),
        "--max-line-bytes",
        "5000",
        "--json",
    ]));
    assert_eq!(summary["triples_loaded"], 2);
}

#[test]
fn the_json_summary_is_the_serialized_summary_type() {
    let summary = json_summary(&knhk(&["run", "--json"]));
    let mut fields: Vec<String> = summary.as_object().unwrap().keys().cloned().collect();
    fields.sort();
    // Exactly the fields of `Summary` as serde writes them, plus the report's own two: a
    // field added to `Summary` appears in `--json` with no change to the CLI.
    let serialized = serde_json::to_value(knhk_pipeline::pipeline::Summary::default()).unwrap();
    let mut expected: Vec<String> = serialized.as_object().unwrap().keys().cloned().collect();
    expected.extend(["input".to_owned(), "hooks_never_matched".to_owned()]);
    expected.sort();
    assert_eq!(fields, expected);
}

#[test]
fn hook_file_errors_point_at_the_column_in_the_hook_file_and_name_the_hook_once() {
    let dir = scratch_dir("hook-columns");
    let hooks = dir.join("hooks.toml");
    std::fs::write(
        &hooks,
        "[[hook]]\nname = \"fine\"\nkind = \"ask_sp\"\npredicate = \"<http://e/p>\"\nsubject = \"<http://e/a>\"\n\n[[hook]]\nname = \"bad-subject\"\nkind = \"ask_sp\"\npredicate = \"<http://e/p>\"\nsubject = \"<http://e/a b>\"\n",
    )
    .unwrap();
    let output = knhk(&["run", "--hooks", hooks.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = stderr_of(&output);
    // Line 11 is `subject = "<http://e/a b>"`; the space is column 23.
    assert!(
        stderr.starts_with(&format!(
            "knhk: error: {}:11:23: hook `bad-subject`: `subject` is not a valid term: ",
            hooks.display()
        )),
        "{stderr}"
    );
    assert_eq!(stderr.matches("bad-subject").count(), 1, "{stderr}");
    std::fs::write(
        &hooks,
        "[[hook]]\nname = \"b\"\nkind = \"ask_spx\"\npredicate = \"<http://e/p>\"\n",
    )
    .unwrap();
    let stderr = stderr_of(&knhk(&["run", "--hooks", hooks.to_str().unwrap()]));
    assert!(
        stderr.contains(&format!("{}:3:8: hook `b`: unknown kind", hooks.display())),
        "{stderr}"
    );
}

#[cfg(unix)]
#[test]
fn special_files_links_and_permissions_are_handled_like_any_careful_tool() {
    use std::os::unix::fs::{symlink, PermissionsExt};
    // /dev/null as both outputs: written in place, never replaced by a regular file.
    let output = knhk(&["run", "--receipts", "/dev/null", "--actions", "/dev/null"]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(!null.is_file(), "/dev/null is still a device");

    let dir = scratch_dir("links");
    let real = dir.join("real.jsonl");
    std::fs::write(&real, "old\n").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).unwrap();
    let link = dir.join("link.jsonl");
    symlink(&real, &link).unwrap();
    let output = knhk(&["run", "--receipts", link.to_str().unwrap()]);
    assert!(output.status.success(), "{}", stderr_of(&output));
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link is kept"
    );
    let written = std::fs::read_to_string(&real).unwrap();
    assert!(written.starts_with("{\"seq\":0"), "{written}");
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the replaced file keeps its permissions");

    // A link to the input is the input.
    let data = dir.join("d.nt");
    std::fs::write(&data, ONE_TRIPLE).unwrap();
    let data_link = dir.join("d-link.nt");
    symlink(&data, &data_link).unwrap();
    let output = knhk(&[
        "run",
        data.to_str().unwrap(),
        "--actions",
        data_link.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(std::fs::read(&data).unwrap(), ONE_TRIPLE);
}

#[test]
fn threads_flag_changes_nothing_but_the_speed() {
    let dir = scratch_dir("threads");
    let data = dir.join("data.nt");
    assert!(knhk(&[
        "gen",
        "--triples",
        "20000",
        "--seed",
        "3",
        "-o",
        data.to_str().unwrap()
    ])
    .status
    .success());
    let mut outputs = Vec::new();
    for threads in ["1", "2", "5"] {
        let receipts = dir.join(format!("receipts-{threads}.jsonl"));
        let actions = dir.join(format!("actions-{threads}.nt"));
        let mut summary = json_summary(&knhk(&[
            "run",
            "--json",
            "--threads",
            threads,
            data.to_str().unwrap(),
            "--receipts",
            receipts.to_str().unwrap(),
            "--actions",
            actions.to_str().unwrap(),
        ]));
        let fields = summary.as_object_mut().unwrap();
        for timing in ["elapsed_ms", "triples_per_sec", "hooks", "parked"] {
            fields.remove(timing);
        }
        outputs.push((
            summary,
            receipts_ticks_aside(&std::fs::read_to_string(&receipts).unwrap()),
            std::fs::read(&actions).unwrap(),
        ));
    }
    assert!(!outputs[0].1.is_empty());
    assert_eq!(outputs[1], outputs[0], "--threads 2 against --threads 1");
    assert_eq!(outputs[2], outputs[0], "--threads 5 against --threads 1");
    let zero = knhk(&["run", "--threads", "0", data.to_str().unwrap()]);
    assert!(!zero.status.success());
    assert!(String::from_utf8_lossy(&zero.stderr).contains("--threads"));
}
