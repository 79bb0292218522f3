//! Helpers shared by this crate's integration tests (each test file is its own crate, so a
//! helper one of them does not call is not dead code).
#![allow(dead_code)]

pub mod receipts;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::hooks::HookSpec;

/// `knhk gen --triples N --seed 7`, in memory.
pub fn generated(triples: u64) -> Vec<u8> {
    let mut data = Vec::new();
    generate(&GenerateOptions { triples, seed: 7 }, &mut data).unwrap();
    data
}

/// A hook spec with what its kind requires: `count_sp_ge` gets `min = 1`, `construct8` writes
/// `?s rdf:type foaf:Agent`.
pub fn hook(name: &str, kind: &str, predicate: &str, subject: Option<&str>) -> HookSpec {
    HookSpec {
        name: name.into(),
        kind: kind.into(),
        predicate: predicate.into(),
        subject: subject.map(Into::into),
        min: (kind == "count_sp_ge").then_some(1),
        construct_predicate: (kind == "construct8")
            .then(|| "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>".into()),
        construct_object: (kind == "construct8")
            .then(|| "<http://xmlns.com/foaf/0.1/Agent>".into()),
        ..HookSpec::default()
    }
}

/// Every `.ttl` file below `dir`, in a stable (sorted) order.
pub fn turtle_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read dir")
        .map(|e| e.expect("dir entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            turtle_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "ttl") {
            found.push(path);
        }
    }
}

/// A receipts file's records without `ticks` and `ticks_hash`, the measured (so not
/// reproducible) fields.
pub fn receipts_ticks_aside(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .map(|line| {
            let mut record: serde_json::Value = serde_json::from_str(line).unwrap();
            let fields = record.as_object_mut().unwrap();
            fields.remove("ticks");
            fields.remove("ticks_hash");
            record
        })
        .collect()
}

/// Runs the `knhk` binary built for these tests.
pub fn knhk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(args)
        .output()
        .expect("run knhk")
}
