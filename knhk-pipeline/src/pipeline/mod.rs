//! [`Pipeline`]: ingest → transform → load → reflex → emit, on pooled blocks and receipts.
//!
//! Ingest streams triples; transform encodes each to ids and stages it. Every
//! [`PipelineConfig::batch_triples`] triples (and at the end) the staged batch is grouped by
//! predicate (runs in predicate-id order, each run's triples in input order:
//! [`crate::block::group_into_runs`]) and *loaded*: each predicate's run goes into 8-lane
//! blocks taken from the block pool, a run longer than 8 continuing in the next block.
//! *Reflex* evaluates the hooks bound to each block's predicate ([`crate::ops`] says what each
//! op computes), taking a receipt from the receipt pool per evaluation; *emit* delivers actions
//! as they are written and receipts when the held ones are drained.
//!
//! # Results over whole runs
//!
//! Each evaluation of a hook on a block yields a receipt whose `result` is the block's match
//! count. A hook's result is the merge ([`Receipt::merge`]) of all its receipts over the whole
//! input, however it was split into blocks, batches or pool refills, and the hook fires (or not)
//! on that merged result: [`Summary::hooks`].
//!
//! # Ticks, the budget and parking
//!
//! Reflex runs in two passes over the blocks it holds. The *hot pass* runs each hot hook's
//! kernel over all its blocks in a row, all the hot hooks of a kernel family (lookups, value
//! tests: [`crate::kernels::Shape`]) in the drain back to back, whatever their predicate,
//! reading the tick counter ([`crate::arch::ticks`]: `rdtsc` on x86_64, else a monotonic clock
//! in ns) before and after them, and records the amortised ticks per evaluation (less the
//! counter's own cost) in each receipt's `ticks`; each hook gets the share of the batch's ticks
//! of its evaluations. The second
//! pass, `Pipeline::evaluate_run`, finishes each block: warm-path lookups, actions,
//! receipts. An evaluation is **parked** (done in that second pass, still receipted and
//! counted, nothing dropped) when its op writes actions (`select_sp`, `construct8`), when its
//! hook has proved over the [`TICK_BUDGET`], or when lanes need the dictionary (a numeric
//! literal that is not an inline integer, a datatype its tag does not name); [`Parked`] counts
//! each cause. A hook proves over budget when a window of its measured batches (after a
//! warm-up batch, and after its first window, which holds the run's warm-up and counts only
//! in its mean), at least [`BUDGET_WINDOW`] batches and [`BUDGET_WINDOW_EVALUATIONS`]
//! evaluations, took more than the budget per evaluation: their ticks, less the
//! counter's cost per batch, over their evaluations, the measure [`HookOutcome::ticks`]
//! reports over the whole run; a batch that was interrupted or descheduled
//! (`budget::batch_interrupted`) counts in neither. A parked hook is measured again every
//! [`PROBE_EVERY`]th batch and returns to the hot path when a window is back within budget.
//!
//! Provenance: every loaded block is one beat of the run's [`Lockchain`]; as receipts go out,
//! each pulse of 8 beats gets its commit right after its last receipt, and the input's end a
//! final commit (see [`crate::provenance::lockchain`]). Each `execute` (or `execute_encoded`) is one run:
//! `seq`, the beat counter and the chain start from 0.
//!
//! When either pool runs out mid-batch, the pipeline drains (evaluates the blocks it holds,
//! emits the receipts, returns every guard) and goes on: no input is too large and nothing is
//! lost ([`Summary::pool_drains`] counts these). Every guard goes home on every path, errors
//! included. From load through the receipts nothing allocates: the staging buffer, the lists
//! of held guards and the per-hook state are sized when the pipeline is built or a hook
//! registered.
//!
//! # Files, in the order data flows through them
//!
//! - `config.rs`: [`PipelineConfig`], the pool and batch sizes.
//! - `mod.rs` (here): [`Pipeline`] itself, hook registration, and one run around a body.
//! - `load.rs`: ingest and encode (or take pre-encoded triples), stage, group the batch by
//!   predicate and load it into pooled blocks.
//! - `reflex.rs`: the hot pass (each hot hook's kernel over its blocks, timed) and each
//!   block's second pass (parked evaluations, warm lanes, actions, receipts).
//! - `budget.rs`: the tick budget, and the per-hook state machine that parks a hook over it
//!   and probes it back.
//! - `drain.rs`: draining the held blocks and emitting the held receipts with their commits.
//! - `summary.rs`: what a run did ([`Summary`]); `error.rs`: why it stopped
//!   ([`PipelineError`]).

mod budget;
mod config;
mod drain;
mod error;
mod load;
mod reflex;
mod summary;

use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use lanepool::alloc_count;
use lanepool::{OwnedGuard, SyncPool, Usage};

use crate::block::{EncodedTriple, RunTriple, RunTripleLanes};
use crate::dictionary::{Dictionary, DocumentScope};
use crate::emit::Sink;
use crate::hooks::{encode_hook, Hook, HookError, HookRegistry, HookSpec};
use crate::ingest::TripleReader;
use crate::kernels::{LaneMatch, LaneTest};
use crate::provenance::lockchain::Lockchain;
use crate::provenance::receipt::{BlockDigest, DigestBuffers, Receipt};

use budget::HookState;
pub use budget::{BUDGET_WINDOW, BUDGET_WINDOW_EVALUATIONS, PROBE_EVERY, TICK_BUDGET};
pub use config::PipelineConfig;
use drain::HeldReceipts;
pub use error::PipelineError;
use reflex::{HotAnswer, HotRun};
use summary::Run;
pub use summary::{HookOutcome, Parked, Summary};

/// The KNHK pipeline; see the [module docs](self).
///
/// ```
/// use knhk_pipeline::emit::MemorySink;
/// use knhk_pipeline::hooks::HookSpec;
/// use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
/// use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
///
/// let mut pipeline = Pipeline::new(PipelineConfig::default());
/// pipeline.register_hook(&HookSpec {
///     name: "alice-knows".into(),
///     kind: "ask_sp".into(),
///     predicate: "<http://xmlns.com/foaf/0.1/knows>".into(),
///     subject: Some("<http://example.org/alice>".into()),
///     ..HookSpec::default()
/// })?;
///
/// let data = "<http://example.org/alice> <http://xmlns.com/foaf/0.1/knows> <http://example.org/bob> .\n";
/// let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
/// let mut sink = MemorySink::default();
/// let summary = pipeline.execute(reader, &mut sink)?;
///
/// assert_eq!(summary.triples_loaded, 1);
/// assert_eq!(sink.receipts.len(), 1);
/// assert_eq!(sink.receipts[0].result, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Pipeline {
    config: PipelineConfig,
    dictionary: Dictionary,
    hook_scope: Option<DocumentScope>,
    hooks: HookRegistry,
    blocks: Arc<SyncPool<RunTripleLanes>>,
    receipts: Arc<SyncPool<Receipt>>,
    /// Encoded triples of the current batch.
    staging: Vec<RunTriple>,
    /// The batch sort's other buffer, as large as `staging` (they may trade places).
    sort_scratch: Vec<RunTriple>,
    held_blocks: Vec<OwnedGuard<RunTripleLanes>>,
    /// The digests of the drain's held blocks, in their order (hashed eight at a time).
    digests: Vec<BlockDigest>,
    digest_buffers: DigestBuffers,
    held_receipts: HeldReceipts,
    /// Per hook, in registration order.
    hook_states: Vec<HookState>,
    /// Each hook's kernel with its constants, made once at registration, in registration order.
    lane_tests: Vec<LaneTest>,
    /// The hooks of one hot-pass batch, each with its run: at most `hooks_per_predicate` per
    /// held block.
    hot_group: Vec<HotRun>,
    /// A hot-pass batch's answers as its kernels write them: one after another, in the order
    /// of the batch's runs and of their blocks.
    hot_lanes: Vec<LaneMatch>,
    /// The hot pass's answers: `hot[block * hooks_per_predicate + slot]`.
    hot: Vec<HotAnswer>,
    /// The most hooks bound to one predicate.
    hooks_per_predicate: usize,
    next_seq: u64,
    /// The run's beats, pulses and commits (provenance).
    chain: Lockchain,
}

impl std::fmt::Debug for Pipeline {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pipeline")
            .field("config", &self.config)
            .field("hooks", &self.hooks)
            .field("blocks", &self.blocks.usage())
            .field("receipts", &self.receipts.usage())
            .finish_non_exhaustive()
    }
}

impl Pipeline {
    /// Builds the pipeline: both pools and every buffer are allocated here, once.
    ///
    /// # Panics
    ///
    /// If a capacity is 0 (nothing could ever be loaded or receipted).
    pub fn new(config: PipelineConfig) -> Self {
        assert!(
            config.block_capacity > 0 && config.receipt_capacity > 0 && config.batch_triples > 0,
            "pipeline pools and batch need a capacity of at least 1: {config:?}"
        );
        Self {
            config,
            dictionary: Dictionary::new(),
            hook_scope: None,
            hooks: HookRegistry::default(),
            blocks: Arc::new(SyncPool::with_default(config.block_capacity)),
            receipts: Arc::new(SyncPool::with_default(config.receipt_capacity)),
            staging: Vec::with_capacity(config.batch_triples),
            sort_scratch: Vec::with_capacity(config.batch_triples),
            held_blocks: Vec::with_capacity(config.block_capacity),
            digests: Vec::with_capacity(config.block_capacity),
            digest_buffers: DigestBuffers::default(),
            held_receipts: HeldReceipts::with_capacity(config.receipt_capacity),
            hook_states: Vec::new(),
            lane_tests: Vec::new(),
            hot_group: Vec::new(),
            hot_lanes: Vec::new(),
            hot: Vec::new(),
            hooks_per_predicate: 0,
            next_seq: 0,
            chain: Lockchain::with_capacity(config.block_capacity),
        }
    }

    /// Encodes and registers a hook (the cold path).
    ///
    /// # Errors
    ///
    /// A [`HookError`] naming the hook and what is wrong.
    pub fn register_hook(&mut self, spec: &HookSpec) -> Result<&Hook, HookError> {
        let scope = match self.hook_scope {
            Some(scope) => scope,
            None => *self.hook_scope.insert(self.dictionary.begin_document()?),
        };
        let hook = encode_hook(spec, &mut self.dictionary, scope)?;
        let index = self.hooks.register(hook)?;
        let hook = &self.hooks.hooks()[index as usize];
        // Size the per-hook state and the hot pass's answers now, not on the hot path.
        self.hook_states.push(HookState::default());
        self.lane_tests
            .push(LaneTest::of(hook.kind.spec().kernel, &hook.args));
        self.hooks_per_predicate = self
            .hooks_per_predicate
            .max(self.hooks.for_predicate(hook.predicate).len());
        self.hot.resize(
            self.config.block_capacity * self.hooks_per_predicate,
            HotAnswer::default(),
        );
        let evaluations = self.config.block_capacity * self.hooks_per_predicate;
        self.hot_group
            .reserve(evaluations.saturating_sub(self.hot_group.len()));
        self.hot_lanes.resize(evaluations, LaneMatch::default());

        Ok(hook)
    }

    /// The registered hooks.
    pub fn hooks(&self) -> &HookRegistry {
        &self.hooks
    }

    /// The hooks whose predicate occurred in no triple of the last [`Pipeline::execute`]: they
    /// were never evaluated, which usually means a typo in the hook file's predicate.
    pub fn hooks_never_matched(&self) -> impl Iterator<Item = &Hook> {
        self.hooks
            .hooks()
            .iter()
            .zip(&self.hook_states)
            .filter(|(_, state)| state.receipts == 0)
            .map(|(hook, _)| hook)
    }

    /// The term dictionary (to decode ids in receipts and actions).
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
    }

    /// The term dictionary, to encode the terms of triples for [`Pipeline::execute_encoded`]
    /// (begin a [`DocumentScope`] for them; hooks live in a scope of their own).
    pub fn dictionary_mut(&mut self) -> &mut Dictionary {
        &mut self.dictionary
    }

    /// The block pool's usage.
    pub fn block_usage(&self) -> Usage {
        self.blocks.usage()
    }

    /// The receipt pool's usage.
    pub fn receipt_usage(&self) -> Usage {
        self.receipts.usage()
    }

    /// Runs every triple of `reader` through the pipeline into `sink`.
    ///
    /// Blank nodes are scoped to this input: the same label in two `execute` calls names two
    /// nodes.
    ///
    /// # Errors
    ///
    /// The first ingest, dictionary or sink error. Whatever the outcome, every block and receipt
    /// guard is back in its pool when this returns.
    pub fn execute<R: Read, S: Sink>(
        &mut self,
        reader: TripleReader<R>,
        sink: &mut S,
    ) -> Result<Summary, PipelineError> {
        self.run(sink, |pipeline, sink, run| {
            pipeline.execute_inner(reader, sink, run)
        })
    }

    /// Runs triples already encoded with this pipeline's dictionary through load, reflex and
    /// emit into `sink`, exactly as [`Pipeline::execute`] runs parsed ones (same batches,
    /// blocks, receipts, lockchain and summary; `skipped_invalid` is 0): the pipeline without
    /// parsing, for callers that keep their data encoded, and for benches of the hot path.
    /// Encode terms with [`Pipeline::dictionary_mut`]; ids stay valid across runs.
    ///
    /// ```
    /// use knhk_pipeline::block::EncodedTriple;
    /// use knhk_pipeline::emit::MemorySink;
    /// use knhk_pipeline::hooks::HookSpec;
    /// use knhk_pipeline::ingest::Term;
    /// use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
    ///
    /// let mut pipeline = Pipeline::new(PipelineConfig::default());
    /// pipeline.register_hook(&HookSpec {
    ///     name: "alice-knows".into(),
    ///     kind: "ask_sp".into(),
    ///     predicate: "<http://xmlns.com/foaf/0.1/knows>".into(),
    ///     subject: Some("<http://example.org/alice>".into()),
    ///     ..HookSpec::default()
    /// })?;
    /// let dictionary = pipeline.dictionary_mut();
    /// let scope = dictionary.begin_document()?;
    /// let mut id = |iri| dictionary.encode(scope, Term::Iri(iri)).map(|id| id.to_u64());
    /// let triple = EncodedTriple {
    ///     s: id("http://example.org/alice")?,
    ///     p: id("http://xmlns.com/foaf/0.1/knows")?,
    ///     o: id("http://example.org/bob")?,
    /// };
    /// let mut sink = MemorySink::default();
    /// let summary = pipeline.execute_encoded([triple], &mut sink)?;
    /// assert_eq!((summary.triples_loaded, sink.receipts[0].result), (1, 1));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PipelineError::ForeignId`] for the first triple holding an id the dictionary did not
    /// issue (checked as each triple is staged; the batches before it were run and emitted),
    /// or the first sink error. Whatever the outcome, every block and receipt guard is back in
    /// its pool when this returns.
    pub fn execute_encoded<I, S>(
        &mut self,
        triples: I,
        sink: &mut S,
    ) -> Result<Summary, PipelineError>
    where
        I: IntoIterator<Item = EncodedTriple>,
        S: Sink,
    {
        self.run(sink, |pipeline, sink, run| {
            pipeline.execute_encoded_inner(triples, sink, run)
        })
    }

    /// One run (`seq`, beats and the chain from 0) of `body` over `sink`, then the summary.
    fn run<S: Sink>(
        &mut self,
        sink: &mut S,
        body: impl FnOnce(&mut Self, &mut S, &mut Run) -> Result<(), PipelineError>,
    ) -> Result<Summary, PipelineError> {
        let started = Instant::now();
        let measuring = alloc_count::is_counting();
        let mut run = Run {
            summary: Summary::default(),
            hot_heap_ops: 0,
        };
        self.next_seq = 0;
        self.chain.reset();
        self.hook_states.fill(HookState::default());
        let result = body(self, sink, &mut run);
        // Every guard goes home, on the error path too, and no answer of a drain that an error
        // cut short survives into the next run.
        self.staging.clear();
        self.held_blocks.clear();
        self.held_receipts.clear();
        self.hot.fill(HotAnswer::default());
        result?;
        let mut summary = run.summary;
        summary.hooks = self
            .hooks
            .hooks()
            .iter()
            .zip(&self.hook_states)
            .map(|(hook, state)| HookOutcome {
                name: hook.name.clone(),
                kind: hook.kind.name(),
                result: state.merged.result,
                fired: hook.fires(state.merged.result),
                receipts: state.receipts,
                ticks: state.mean_ticks(),
            })
            .collect();
        summary.hot_path_allocations = measuring.then_some(run.hot_heap_ops);
        summary.elapsed_ms = started.elapsed().as_secs_f64() * 1e3;
        summary.triples_per_sec = if summary.elapsed_ms > 0.0 {
            summary.triples_ingested as f64 / (summary.elapsed_ms / 1e3)
        } else {
            0.0
        };
        Ok(summary)
    }
}

/// The end of the predicate run that starts at `start`: the first index past it whose item's
/// predicate differs (items are grouped by predicate).
fn run_end<T>(items: &[T], start: usize, predicate: fn(&T) -> u64) -> usize {
    let first = predicate(&items[start]);
    start
        + items[start..]
            .iter()
            .take_while(|item| predicate(item) == first)
            .count()
}
