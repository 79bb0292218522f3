//! An edited receipt is named at its own line whenever the file can tell which one it is: a
//! commit's root only says that one of its receipts changed, but a receipt whose `kind` or
//! `predicate` disagrees with every other receipt of its hook, or whose `result` exceeds its
//! `lanes`, is the one.

use std::path::PathBuf;

mod common;
use common::knhk;

fn receipts_of_the_bundled_run() -> (PathBuf, Vec<String>) {
    let dir = std::env::temp_dir().join(format!("knhk-edited-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let receipts = dir.join("r.jsonl");
    let run = knhk(&["run", "--receipts", receipts.to_str().unwrap()]);
    assert!(run.status.success());
    let lines = std::fs::read_to_string(&receipts)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    (dir, lines)
}

/// `verify`'s message on the file with line `line` (1-based) edited by `edit`.
fn verify_with_edit(
    dir: &std::path::Path,
    lines: &[String],
    line: usize,
    edit: impl Fn(&str) -> String,
) -> String {
    let mut edited = lines.to_vec();
    let before = edited[line - 1].clone();
    edited[line - 1] = edit(&before);
    assert_ne!(edited[line - 1], before, "the edit changes the line");
    let path = dir.join(format!("edited-{line}.jsonl"));
    std::fs::write(&path, edited.join("\n") + "\n").unwrap();
    let output = knhk(&["verify", "--receipts", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn seq_of(line: &str) -> u64 {
    let record: serde_json::Value = serde_json::from_str(line).unwrap();
    record["seq"].as_u64().unwrap()
}

/// Swaps `ask_sp` and `ask_spo`: a valid op either way.
fn other_ask(text: &str) -> String {
    if text.contains("\"kind\":\"ask_spo\"") {
        text.replacen("\"kind\":\"ask_spo\"", "\"kind\":\"ask_sp\"", 1)
    } else {
        text.replacen("\"kind\":\"ask_sp\"", "\"kind\":\"ask_spo\"", 1)
    }
}

#[test]
fn a_receipt_that_disagrees_with_its_hook_is_named_at_its_line() {
    let (dir, lines) = receipts_of_the_bundled_run();
    let first_commit = 1 + lines
        .iter()
        .position(|l| l.contains("\"commit\":"))
        .unwrap();
    // A receipt of hook `alice-knows-bob` in the first pulse (nothing verified before it)
    // and one in the second (the first pulse verified).
    let of_hook = |after: usize| {
        1 + after
            + lines[after..]
                .iter()
                .position(|l| l.contains("\"hook\":\"alice-knows-bob\""))
                .unwrap()
    };
    for line in [of_hook(0), of_hook(first_commit)] {
        let at = format!("line {line}: receipt seq {}: ", seq_of(&lines[line - 1]));
        let kind = verify_with_edit(&dir, &lines, line, other_ask);
        assert!(kind.contains(&format!("{at}kind is")), "{kind}");
        let predicate = verify_with_edit(&dir, &lines, line, |text| {
            text.replacen("\"predicate\":", "\"predicate\":1", 1)
        });
        assert!(
            predicate.contains(&format!("{at}predicate is")),
            "{predicate}"
        );
        let unknown = verify_with_edit(&dir, &lines, line, |text| {
            text.replacen("\"kind\":\"ask_sp", "\"kind\":\"ask_sq", 1)
        });
        assert!(unknown.contains(&format!("{at}kind is")), "{unknown}");
        let result = verify_with_edit(&dir, &lines, line, |text| {
            text.replacen("\"result\":", "\"result\":9", 1)
        });
        assert!(result.contains(&format!("{at}result is")), "{result}");
    }
    // An edit that no other line contradicts is reported at the commit, with the range.
    let line = of_hook(first_commit);
    let a_hash = verify_with_edit(&dir, &lines, line, |text| {
        let at = text.find("\"a_hash\":\"").unwrap() + "\"a_hash\":\"".len();
        let digit = if &text[at..=at] == "0" { "1" } else { "0" };
        format!("{}{digit}{}", &text[..at], &text[at + 1..])
    });
    let second_commit = 1
        + first_commit
        + lines[first_commit..]
            .iter()
            .position(|l| l.contains("\"commit\":"))
            .unwrap();
    assert!(
        a_hash.contains(&format!("line {second_commit}: commit 1: root is")),
        "{a_hash}"
    );
}
