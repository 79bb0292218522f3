//! Pins what the pipeline produces on a fixed input, so that performance work (the dictionary's
//! hash and layout, the scanner, the batch sort) cannot change a result unnoticed: the ids the
//! dictionary issues, and every receipt and action of a run, are digested and compared with
//! the digests the pipeline produced before that work.
//!
//! The digests cover the receipt fields every receipt layout has (`seq`, `hook`, `predicate`,
//! `result`; not timing or provenance fields). How the batch was grouped into blocks is pinned
//! by the per-block counts and by a `construct8` hook without a subject, which emits one action
//! per triple of its predicate in load order. A deliberate change to ids updates these
//! constants. The lockchain's head (the last commit's hash, which chains every receipt's leaf,
//! action hash and block digest) pins the provenance encoding: it changes with
//! `LOCKCHAIN_VERSION`, deliberately.

use knhk_pipeline::block::EncodedTriple;
use knhk_pipeline::dictionary::{Dictionary, TermId};
use knhk_pipeline::emit::{EmitError, Sink};
use knhk_pipeline::hooks::Hook;
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::provenance::lockchain::{Commit, LOCKCHAIN_VERSION};
use knhk_pipeline::provenance::receipt::Receipt;

mod common;
use common::{generated, hook};

const IDS_DIGEST: &str = "44966df9d2732964ce2f6e96e1ab528585855c9fca4b4e37786aafc21eb49968";
// Re-pinned when lockchain version 3 stopped sorting each predicate run by `(s, o)`: runs keep
// input order, so blocks hold other triples and receipts other results (the same runs, blocks,
// receipts and actions in number, and every hook's merged result unchanged).
const RUN_DIGEST: &str = "d495e3461e651fa6edeb47b203ba2863d2823e640311697bf36e6fd8da29bb6d";
// The lockchain's head on the same run, version 3 (pinned when version 3 replaced 2).
const CHAIN_HEAD_V3: &str = "a99b958e321c992e651cd3dffcbb38b246d70a04de397df84afee7f491e5723d";

/// Hashes each receipt's deterministic fields and each action's ids and text, in order.
struct DigestSink {
    hasher: blake3::Hasher,
    receipts: u64,
    actions: u64,
    head: [u8; 32],
}

impl Sink for DigestSink {
    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        self.head = commit.hash;
        Ok(())
    }

    fn receipt(&mut self, r: &Receipt, _: &Hook) -> Result<(), EmitError> {
        self.receipts += 1;
        for field in [r.seq, u64::from(r.hook), r.predicate, r.result] {
            self.hasher.update(&field.to_le_bytes());
        }
        Ok(())
    }

    fn action(&mut self, a: EncodedTriple, dictionary: &Dictionary) -> Result<(), EmitError> {
        self.actions += 1;
        for id in [a.s, a.p, a.o] {
            self.hasher.update(&id.to_le_bytes());
            let text = dictionary
                .display(TermId::from_u64(id).unwrap())
                .unwrap()
                .to_string();
            self.hasher.update(text.as_bytes());
        }
        Ok(())
    }
}

fn digest_or_report(name: &str, actual: &str, expected: &str) {
    assert_eq!(
        actual, expected,
        "{name} changed: ids, grouping or receipts differ from the pinned run"
    );
}

#[test]
fn dictionary_ids_of_a_generated_dataset_are_unchanged() {
    let data = generated(50_000);
    let mut dictionary = Dictionary::new();
    let scope = dictionary.begin_document().unwrap();
    let mut hasher = blake3::Hasher::new();
    TripleReader::new(&data[..], Format::NTriples, IngestOptions::default())
        .for_each_triple(|t| {
            for term in [t.subject, t.predicate, t.object] {
                let id = dictionary.encode(scope, term).unwrap();
                hasher.update(&id.to_u64().to_le_bytes());
            }
        })
        .unwrap();
    hasher.update(&(dictionary.len() as u64).to_le_bytes());
    hasher.update(&(dictionary.text_bytes() as u64).to_le_bytes());
    digest_or_report("ids", &hasher.finalize().to_hex(), IDS_DIGEST);
}

#[test]
fn receipts_and_actions_of_a_generated_run_are_unchanged() {
    let data = generated(50_000);
    // Small pools and batches: runs split across batches and pools park, as on large inputs.
    let mut pipeline = Pipeline::new(PipelineConfig {
        block_capacity: 4,
        receipt_capacity: 16,
        batch_triples: 1000,
    });
    let knows = "<http://xmlns.com/foaf/0.1/knows>";
    let person = "<http://example.org/person/13>";
    for spec in [
        hook("knows-any", "ask_sp", knows, Some(person)),
        hook(
            "purchases",
            "count_sp_ge",
            "<http://schema.org/purchased>",
            Some(person),
        ),
        hook("ages", "ask_sp", "<http://schema.org/age>", Some(person)),
        hook("knowers", "construct8", knows, None),
    ] {
        pipeline.register_hook(&spec).unwrap();
    }
    let mut sink = DigestSink {
        hasher: blake3::Hasher::new(),
        receipts: 0,
        actions: 0,
        head: [0; 32],
    };
    let reader = TripleReader::new(&data[..], Format::NTriples, IngestOptions::default());
    let summary = pipeline.execute(reader, &mut sink).unwrap();
    assert_eq!(summary.triples_loaded, 50_000);
    assert!(
        sink.receipts > 1000 && sink.actions > 1000,
        "hooks fire: {summary:?}"
    );
    for count in [summary.runs, summary.blocks, sink.receipts, sink.actions] {
        sink.hasher.update(&count.to_le_bytes());
    }
    let head = blake3::Hash::from_bytes(sink.head).to_hex();
    digest_or_report("run", &sink.hasher.finalize().to_hex(), RUN_DIGEST);
    assert_eq!(LOCKCHAIN_VERSION, 3, "a new version pins its own head");
    digest_or_report("lockchain head", &head, CHAIN_HEAD_V3);
}
