//! The hot path's unit of work, built from knhk-pipeline's public API: load one predicate run
//! (at most 8 triples) into a block, evaluate one hook on it, take a receipt. Once with the
//! pipeline's pools, once with a block and a receipt allocated per run and dropped after.
//! Shared by the `pooling` bench and the `hot_path` example (cachegrind), so both measure the
//! same code. [`PipelineBatch`] runs the same batch through the pipeline's own code
//! (`Pipeline::execute_encoded`), to show what the step above leaves out.

use std::hint::black_box;
use std::io;
use std::sync::Arc;

use knhk_pipeline::block::{EncodedTriple, RunTriple, RunTripleLanes, HOT_LANES};
use knhk_pipeline::emit::WriterSink;
use knhk_pipeline::generate::SplitMix64;
use knhk_pipeline::hooks::HookSpec;
use knhk_pipeline::ingest::Term;
use knhk_pipeline::kernels::{self, Portable};
use knhk_pipeline::ops::{Args, Filter, Kernel};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::provenance::receipt::{BlockDigest, Receipt};
use lanepool::SyncPool;

/// IRI-tagged ids (tag 1 in the top 4 bits), as the dictionary hands them out.
const IRI: u64 = 0x1000_0000_0000_0000;
/// The subject the hook asks about: one of the 8 subjects every run draws from.
pub const HOOK_SUBJECT: u64 = IRI | 3;

/// A staged batch as the pipeline holds it after its sort: pre-encoded triples grouped by
/// predicate, `runs` runs of 1 to 12 triples (a run longer than 8 continues in a second block).
pub fn staged_batch(runs: u64) -> Vec<RunTriple> {
    let mut rng = SplitMix64::new(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    let mut staged = Vec::new();
    for run in 0..runs {
        for _ in 0..1 + run % 12 {
            let r = next();
            staged.push(RunTriple {
                s: IRI | (r % 8),
                p: IRI | (1 << 20) | run,
                o: IRI | (2 << 20) | (r >> 40),
            });
        }
    }
    staged
}

/// The batch split as the pipeline's load splits it: each run into chunks of at most 8 lanes.
pub fn chunks(staged: &[RunTriple]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    while start < staged.len() {
        let predicate = staged[start].p;
        let len = staged[start..]
            .iter()
            .take_while(|t| t.p == predicate)
            .count();
        for chunk_start in (start..start + len).step_by(HOT_LANES) {
            ranges.push(chunk_start..(chunk_start + HOT_LANES).min(start + len));
        }
        start += len;
    }
    ranges
}

/// The hook: `ask_sp` on [`HOOK_SUBJECT`] (the subject-equality kernel).
pub fn hook_args() -> Args {
    Args {
        subject: Filter::equal(HOOK_SUBJECT),
        ..Args::default()
    }
}

/// What the receipt carries: the pipeline's (with the BLAKE3 action hash over the block's
/// triples), or only its counts, to show what the hash costs beside the allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReceiptKind {
    /// As the pipeline makes it: the block's digest, then `Receipt::for_block` (BLAKE3).
    Hashed,
    /// Hook, predicate, lanes, result and seq only.
    CountsOnly,
}

/// Fills `receipt` for hook 0 on `block` with `matched` lanes, as the pipeline does.
#[inline(always)]
fn write_receipt(
    receipt: &mut Receipt,
    block: &RunTripleLanes,
    matched: u64,
    seq: u64,
    kind: ReceiptKind,
) {
    let result = u64::from(matched.count_ones());
    *receipt = match kind {
        ReceiptKind::Hashed => Receipt {
            seq,
            ..Receipt::for_block(0, &BlockDigest::of(block), result)
        },
        ReceiptKind::CountsOnly => Receipt {
            seq,
            predicate: *block.p(),
            lanes: block.len() as u64,
            result,
            ..Receipt::IDENTITY
        },
    };
}

/// The pipeline's pools (a `SyncPool` of blocks and one of receipts, taken with
/// `acquire_owned_for`/`acquire_owned` as `Pipeline` takes them).
pub struct Pooled {
    blocks: Arc<SyncPool<RunTripleLanes>>,
    receipts: Arc<SyncPool<Receipt>>,
}

impl Pooled {
    /// KNHK's original pool sizes (the pipeline's defaults): 16 blocks, 1024 receipts.
    pub fn new() -> Self {
        Self {
            blocks: Arc::new(SyncPool::with_default(16)),
            receipts: Arc::new(SyncPool::with_default(1024)),
        }
    }

    /// Loads `chunk` (one run's triples, at most 8) into a pooled block, evaluates the hook,
    /// takes a pooled receipt; both guards go home on return. Returns the receipt's result.
    #[inline(always)]
    pub fn step(&mut self, chunk: &[RunTriple], args: &Args, seq: u64, kind: ReceiptKind) -> u64 {
        let mut block = self
            .blocks
            .acquire_owned_for(chunk.len())
            .expect("one block held at a time");
        black_box(&mut *block);
        block.fill_from(chunk);
        let matched = kernels::evaluate(Portable, Kernel::Subject, &*block, args).hot;
        let mut receipt = self
            .receipts
            .acquire_owned()
            .expect("one receipt held at a time");
        write_receipt(&mut receipt, &block, matched, seq, kind);
        black_box(&*receipt).result
    }
}

impl Default for Pooled {
    fn default() -> Self {
        Self::new()
    }
}

/// What pooling replaces: a block and a receipt allocated for the run (`Box::new`) and
/// dropped after it. Otherwise the same work as [`Pooled::step`].
#[inline(always)]
pub fn allocated_step(chunk: &[RunTriple], args: &Args, seq: u64, kind: ReceiptKind) -> u64 {
    let mut block = Box::new(RunTripleLanes::new());
    black_box(&mut *block);
    block.fill_from(chunk);
    let matched = kernels::evaluate(Portable, Kernel::Subject, &*block, args).hot;
    let mut receipt = Box::new(Receipt::IDENTITY);
    write_receipt(&mut receipt, &block, matched, seq, kind);
    black_box(&*receipt).result
}

/// The pipeline itself on the same batch: [`Pipeline::execute_encoded`] over the batch's
/// triples, encoded with the pipeline's dictionary, with an `ask_sp` hook on
/// [`HOOK_SUBJECT`]'s term bound to each of the batch's predicates, so that, as in
/// [`Pooled::step`], every block is evaluated by one hook and receipted. One call is one batch:
/// the sort, every block's load from the pool, both reflex passes, the receipts, the
/// lockchain's beats and commits, emitted to a sink that writes nothing.
pub struct PipelineBatch {
    pipeline: Pipeline,
    triples: Vec<EncodedTriple>,
    sink: WriterSink<io::Sink, io::Sink>,
}

impl PipelineBatch {
    /// The batch of [`staged_batch`]`(runs)`, its ids re-issued by the pipeline's dictionary.
    pub fn new(runs: u64) -> Self {
        let staged = staged_batch(runs);
        let iri = |id: u64| format!("http://example.org/t{:x}", id & ((1 << 60) - 1));
        let mut pipeline = Pipeline::new(PipelineConfig {
            batch_triples: staged.len(),
            ..PipelineConfig::default()
        });
        let mut predicates: Vec<u64> = staged.iter().map(|t| t.p).collect();
        predicates.dedup();
        for (i, p) in predicates.iter().enumerate() {
            pipeline
                .register_hook(&HookSpec {
                    name: format!("ask-{i}"),
                    kind: "ask_sp".into(),
                    predicate: format!("<{}>", iri(*p)),
                    subject: Some(format!("<{}>", iri(HOOK_SUBJECT))),
                    ..HookSpec::default()
                })
                .expect("a valid hook");
        }
        let dictionary = pipeline.dictionary_mut();
        let scope = dictionary.begin_document().expect("a scope");
        let mut id = |raw: u64| {
            dictionary
                .encode(scope, Term::Iri(&iri(raw)))
                .expect("room in the dictionary")
                .to_u64()
        };
        let triples = staged
            .iter()
            .map(|t| EncodedTriple {
                s: id(t.s),
                p: id(t.p),
                o: id(t.o),
            })
            .collect();
        Self {
            pipeline,
            triples,
            sink: WriterSink::new(None, None),
        }
    }

    /// Runs the batch once; returns the receipts made (one per block: the runs of
    /// [`Pooled::step`] this batch does).
    pub fn run(&mut self) -> u64 {
        let summary = self
            .pipeline
            .execute_encoded(self.triples.iter().copied(), &mut self.sink)
            .expect("ids from the pipeline's dictionary, a sink that cannot fail");
        summary.receipts
    }
}
