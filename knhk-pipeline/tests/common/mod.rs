//! Helpers shared by this crate's integration tests (each test file is its own crate, so a
//! helper one of them does not call is not dead code).
#![allow(dead_code)]

pub mod receipts;
pub mod shard_cases;
pub mod sparql_cases;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::hooks::HookSpec;
use knhk_pipeline::ingest::IngestError;
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};

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

/// `foaf:knows`, a predicate of the generated graph.
pub const KNOWS: &str = "<http://xmlns.com/foaf/0.1/knows>";
/// A person of the generated graph who knows and buys.
pub const PERSON_13: &str = "<http://example.org/person/13>";

/// A pipeline with small pools and batches, so that runs split across batches and pools
/// park, as on large inputs.
pub fn small_pools_pipeline() -> Pipeline {
    Pipeline::new(PipelineConfig {
        block_capacity: 4,
        receipt_capacity: 16,
        batch_triples: 1000,
    })
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

/// SplitMix64: deterministic, no crate needed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// A callback's own error: it had enough. Like any callback's error type, it takes ingest
/// errors (carried, never inspected).
#[derive(Debug)]
pub enum Stop {
    Enough,
    Ingest(IngestError),
}

impl From<IngestError> for Stop {
    fn from(error: IngestError) -> Self {
        Stop::Ingest(error)
    }
}

/// Counts a call in `count`: [`Stop::Enough`] on call number `at`.
pub fn count_until(count: &mut u64, at: u64) -> Result<(), Stop> {
    *count += 1;
    if *count == at {
        return Err(Stop::Enough);
    }
    Ok(())
}
