//! `examples/spark/knhk_spark.py` on a real Spark (pyspark, `local[2]`): one task per shard,
//! then `knhk merge`, gives one unsharded run's summary. Needs pyspark and a JDK (`.ci/run`
//! installs them into `target/venv`); without them this test says why and skips, and with
//! `CI` set it fails instead.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_owned()
}

/// The Python that has pyspark: `$KNHK_PYTHON`, else the venv under the target directory.
fn python() -> PathBuf {
    if let Some(python) = std::env::var_os("KNHK_PYTHON") {
        return python.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from);
    target.join("venv/bin/python")
}

/// Whether pyspark and java are here; if not, says why, and fails under CI.
fn spark_present(python: &Path) -> bool {
    let pyspark = Command::new(python)
        .args(["-c", "import pyspark"])
        .output()
        .is_ok_and(|o| o.status.success());
    let java = Command::new("java").arg("-version").output().is_ok();
    if pyspark && java {
        return true;
    }
    let why = format!(
        "needs pyspark in {} ({}) and java ({}); `.ci/run` installs both \
         (python3 -m venv target/venv && target/venv/bin/pip install pyspark; \
         apt-get install openjdk-17-jre-headless)",
        python.display(),
        if pyspark { "found" } else { "missing" },
        if java { "found" } else { "missing" },
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set, so this must run: {why}"
    );
    eprintln!("SKIPPED {why}");
    false
}

fn knhk(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "knhk {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn spark_local_2_over_shards_gives_one_unsharded_runs_summary() {
    let python = python();
    if !spark_present(&python) {
        return;
    }
    let dir = std::env::temp_dir().join(format!("knhk-spark-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("data.nt");
    let hooks = workspace().join("knhk-pipeline/data/hooks.toml");
    let (data_arg, hooks_arg) = (data.to_str().unwrap(), hooks.to_str().unwrap());
    knhk(&[
        "gen",
        "--triples",
        "50000",
        "--seed",
        "7",
        "--output",
        data_arg,
    ]);
    let whole: Value =
        serde_json::from_str(&knhk(&["run", data_arg, "--hooks", hooks_arg, "--json"])).unwrap();

    let output = Command::new(&python)
        .arg(workspace().join("examples/spark/knhk_spark.py"))
        .args([data_arg, "--shards", "6", "--master", "local[2]", "--json"])
        .args([
            "--hooks",
            hooks_arg,
            "--work",
            dir.join("work").to_str().unwrap(),
        ])
        .args(["--knhk", env!("CARGO_BIN_EXE_knhk")])
        .env("SPARK_LOCAL_IP", "127.0.0.1")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "knhk_spark.py failed: {stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let merged: Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));

    assert!(merged["input"]
        .as_str()
        .unwrap()
        .ends_with("(6 parts merged)"));
    for key in ["triples_ingested", "triples_loaded", "skipped_invalid"] {
        assert_eq!(merged[key], whole[key], "{key}");
    }
    let (found, expected) = (
        merged["hooks"].as_array().unwrap(),
        whole["hooks"].as_array().unwrap(),
    );
    assert_eq!(found.len(), expected.len());
    for (found, expected) in found.iter().zip(expected) {
        assert_eq!(found["name"], expected["name"]);
        assert_eq!(found["result"], expected["result"], "{}", expected["name"]);
        assert_eq!(found["fired"], expected["fired"], "{}", expected["name"]);
    }
    // The merged manifest the script wrote verifies against the six shards' receipts.
    let work = dir.join("work");
    let mut args = vec![
        "verify".to_owned(),
        "--merged".into(),
        work.join("merged.json").display().to_string(),
        "--receipts".into(),
    ];
    args.extend((0..6).map(|i| work.join(format!("r-{i}.jsonl")).display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert!(knhk(&args).starts_with("ok: "));
    std::fs::remove_dir_all(&dir).unwrap();
}
