//! Receipts with their lockchain stay allocation-free in steady state: stamping, leaf hashing,
//! block hashing, Merkle roots and commit records, measured with a counting global allocator.

use std::io::Write;

use knhk_pipeline::block::EncodedTriple;
use knhk_pipeline::dictionary::Dictionary;
use knhk_pipeline::emit::{EmitError, Sink};
use knhk_pipeline::hooks::{Hook, HookSpec};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::provenance::lockchain::Commit;
use knhk_pipeline::provenance::receipt::Receipt;
use knhk_pipeline::provenance::receipts_file::{write_commit_json, write_receipt_json};
use lanepool::alloc_count::CountingAllocator;

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Formats every record as the receipts file would, into a reused buffer, and counts them.
#[derive(Default)]
struct CountingSink {
    line: Vec<u8>,
    receipts: u64,
    commits: u64,
    end_commits: u64,
}

impl Sink for CountingSink {
    fn receipt(&mut self, receipt: &Receipt, hook: &Hook) -> Result<(), EmitError> {
        self.line.clear();
        write_receipt_json(&mut self.line, receipt, hook).unwrap();
        self.receipts += 1;
        Ok(())
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        self.line.clear();
        write_commit_json(&mut self.line, commit).unwrap();
        std::io::sink().write_all(&self.line).unwrap();
        self.commits += 1;
        self.end_commits += u64::from(commit.end);
        Ok(())
    }

    fn action(&mut self, _: EncodedTriple, _: &Dictionary) -> Result<(), EmitError> {
        Ok(())
    }
}

#[test]
fn receipts_and_commits_allocate_nothing_in_steady_state() {
    // Small pools (receipts go out mid-block, pulses span drains) and a large block pool
    // (many pulses complete before their receipts go out and wait for them).
    for (block_capacity, receipt_capacity) in [(5, 16), (64, 4096)] {
        steady_state(PipelineConfig {
            block_capacity,
            receipt_capacity,
            batch_triples: 1024,
        });
    }
}

fn steady_state(config: PipelineConfig) {
    let mut data = String::new();
    for run in 0..3_000u32 {
        for lane in 0..(1 + run % 12) {
            data.push_str(&format!(
                "<http://e/s{lane}> <http://e/p{}> <http://e/o{run}> .\n",
                run % 40
            ));
        }
    }
    let mut pipeline = Pipeline::new(config);
    for (i, kind) in ["ask_sp", "count_sp_ge", "construct8"].iter().enumerate() {
        for predicate in 0..40 {
            pipeline
                .register_hook(&HookSpec {
                    name: format!("{kind}-{predicate}"),
                    kind: (*kind).into(),
                    predicate: format!("<http://e/p{predicate}>"),
                    subject: (i < 2).then(|| "<http://e/s0>".into()),
                    min: (i == 1).then_some(1),
                    construct_predicate: (i == 2).then(|| "<http://e/seen>".into()),
                    construct_object: (i == 2).then(|| "\"yes\"".into()),
                    ..HookSpec::default()
                })
                .unwrap();
        }
    }
    let mut sink = CountingSink {
        line: Vec::with_capacity(1024),
        ..CountingSink::default()
    };
    for round in 0..2 {
        let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
        let summary = pipeline.execute(reader, &mut sink).unwrap();
        assert_eq!(
            summary.hot_path_allocations,
            Some(0),
            "{config:?}, round {round}: {summary:?}"
        );
        assert!(summary.receipts > 1_000);
    }
    assert!(sink.commits > 200, "{} commits", sink.commits);
    assert_eq!(sink.end_commits, 2, "one end-of-input commit per execute");
}
