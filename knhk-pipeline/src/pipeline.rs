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
//! kernel over all its blocks in a row, reading the tick counter ([`lanepool::arch::ticks`]:
//! `rdtsc` on x86_64, else a monotonic clock in ns) before and after, and records the amortised
//! ticks per evaluation (less the counter's own cost) in each receipt's `ticks`. The second
//! pass, `Pipeline::evaluate_run`, finishes each block: warm-path lookups, actions,
//! receipts. An evaluation is **parked** (done in that second pass, still receipted and
//! counted, nothing dropped) when its op writes actions (`select_sp`, `construct8`), when its
//! hook has proved over the [`TICK_BUDGET`], or when lanes need the dictionary (a numeric
//! literal that is not an inline integer, a datatype its tag does not name); [`Parked`] counts
//! each cause. A hook proves over budget when the median of its last [`BUDGET_WINDOW`] measured
//! batches (amortised ticks per evaluation, after a warm-up batch) is over it: a median, so
//! that a batch the OS descheduled or a neighbour's cache traffic slowed does not park a hook.
//! A parked hook is measured again every [`PROBE_EVERY`]th batch and returns to the hot path
//! when a window's median is back within budget. [`HookOutcome::ticks`] is the mean, which
//! those slow batches do raise.
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

use std::cell::Cell;
use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use lanepool::{alloc_count, arch};
use lanepool::{OwnedGuard, PoolError, SyncPool, Usage};
use serde::Serialize;

use crate::block::{group_into_runs, EncodedTriple, RunTriple, RunTripleLanes, HOT_LANES};
use crate::dictionary::{Dictionary, DictionaryError, DocumentScope, TermHash, TermId};
use crate::emit::{EmitError, Sink};
use crate::hooks::{encode_hook, Hook, HookError, HookRegistry, HookSpec};
use crate::ingest::{Format, IngestError, TripleReader};
use crate::kernels::{self, LaneMatch};
use crate::ops::{Args, Kernel, Writes};
use crate::provenance::lockchain::{leaf_hashes, LeafBuffers, Lockchain, ReceiptView};
use crate::provenance::receipt::{
    action_hashes, add_hashes, ActionBuffers, BlockDigest, DigestBuffers, Receipt,
};
use crate::provenance::Hash256;
use lanepool::arch::{LaneIsa, LaneWork, Portable};

/// The tick budget of one hot-path evaluation (amortised; see the [module docs](self)).
pub const TICK_BUDGET: u64 = 8;

/// Measured batches of a hook whose median decides whether it is over budget.
pub const BUDGET_WINDOW: usize = 32;

/// A parked hook's batches that pass before one is measured again, so a hook that was over
/// budget for a while (a cold start, a noisy neighbour) can return to the hot path.
pub const PROBE_EVERY: u64 = 8;

/// Pool sizes and batch size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipelineConfig {
    /// Blocks in the block pool (the seed's 16).
    pub block_capacity: usize,
    /// Receipts in the receipt pool (the seed's 1024).
    pub receipt_capacity: usize,
    /// Triples staged before a batch is loaded and evaluated.
    pub batch_triples: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            block_capacity: 16,
            receipt_capacity: 1024,
            batch_triples: 8192,
        }
    }
}

/// Evaluations done on the warm path, by cause; each counts once, under its first cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Parked {
    /// Every parked evaluation.
    pub total: u64,
    /// Of ops that write actions (`select_sp`, `construct8`).
    pub warm_op: u64,
    /// Of hooks whose measured mean is over [`TICK_BUDGET`].
    pub over_budget: u64,
    /// Of hot hooks whose block had lanes only the dictionary could decide.
    pub warm_lookup: u64,
}

impl std::fmt::Display for Parked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (warm op {}, over budget {}, warm lookup {})",
            self.total, self.warm_op, self.over_budget, self.warm_lookup
        )
    }
}

/// A hook's outcome over the whole run: the merge of its receipts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HookOutcome {
    /// The hook's name.
    pub name: String,
    /// Its op's name.
    pub kind: &'static str,
    /// Triples that matched, over the whole input.
    pub result: u64,
    /// Whether the hook fires on `result`.
    pub fired: bool,
    /// Receipts merged into `result` (one per block of its predicate).
    pub receipts: u64,
    /// Mean ticks per evaluation: over the hot pass's batches, or, for a warm op, over its
    /// parked evaluations (see the module docs).
    pub ticks: u64,
}

/// What a run of the pipeline did. `triples_ingested == triples_loaded + skipped_invalid`.
/// Serializes (serde) to the object `knhk run --json` prints, one field per count.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Statements read: valid triples plus skipped invalid ones.
    pub triples_ingested: u64,
    /// Triples loaded into blocks.
    pub triples_loaded: u64,
    /// Malformed statements skipped (with `skip_invalid`).
    pub skipped_invalid: u64,
    /// Predicate runs loaded (a predicate's triples within one batch form one run).
    pub runs: u64,
    /// Blocks filled.
    pub blocks: u64,
    /// Hook evaluations.
    pub hooks_evaluated: u64,
    /// Receipts emitted.
    pub receipts: u64,
    /// Triples constructed by hooks and emitted.
    pub actions: u64,
    /// Evaluations parked on the warm path, by cause.
    pub parked: Parked,
    /// Times a pool ran out mid-batch and the pipeline drained before going on.
    pub pool_drains: u64,
    /// Every hook's whole-run outcome, in registration order.
    pub hooks: Vec<HookOutcome>,
    /// Heap operations from load through the receipts; `None` when the program does not use
    /// [`lanepool::alloc_count::CountingAllocator`], so nothing was measured.
    pub hot_path_allocations: Option<u64>,
    /// Wall time of the run, in milliseconds.
    pub elapsed_ms: f64,
    /// `triples_ingested` per second of `elapsed_ms`.
    pub triples_per_sec: f64,
}

/// Why a run of the pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Reading or parsing the input failed (syntax errors carry file, line and column).
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The dictionary could not take a term.
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
    /// A pool refused for a reason draining cannot fix (a bug: reported, not hidden).
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// The sink failed.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// A pre-encoded triple ([`Pipeline::execute_encoded`]) holds an id this pipeline's
    /// dictionary did not issue.
    #[error(
        "encoded triple {index}: its {position} {id:#x} is not an id this pipeline's dictionary \
         issued (encode terms with Pipeline::dictionary_mut)"
    )]
    ForeignId {
        /// The triple's 0-based position in the input.
        index: u64,
        /// `subject`, `predicate` or `object`.
        position: &'static str,
        /// The raw id.
        id: u64,
    },
}

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
    /// The hot pass's answers: `hot[block * hooks_per_predicate + slot]`.
    hot: Vec<HotAnswer>,
    /// The most hooks bound to one predicate.
    hooks_per_predicate: usize,
    next_seq: u64,
    /// The run's beats, pulses and commits (provenance).
    chain: Lockchain,
}

/// A hook's running state over one `execute`.
#[derive(Clone, Copy, Debug)]
struct HookState {
    /// The merge of its receipts so far.
    merged: Receipt,
    receipts: u64,
    /// Ticks (less the counter's overhead) and evaluations of the hot pass's plausible
    /// batches, over the run: one counter read is coarse (a virtualised counter may step by 25
    /// ticks), so only a sum over many batches resolves a few ticks per evaluation.
    hot_ticks: u64,
    hot_evaluations: u64,
    /// Amortised ticks per evaluation of the current window's batches.
    window: [u16; BUDGET_WINDOW],
    window_len: usize,
    /// Whether the hook's first batch (cold code and branch predictors) has run.
    warmed: bool,
    /// Whether the last full window was over the budget: the hook is parked.
    over_budget: bool,
    /// Batches skipped while parked; every [`PROBE_EVERY`]th is measured again.
    skipped: u64,
    /// Ticks and count of the evaluations timed one by one (parked).
    parked_ticks: u64,
    parked_evaluations: u64,
}

/// Amortised ticks per evaluation above which a batch is left out of the mean (the thread
/// was most likely descheduled); the median of the window still counts it.
const IMPLAUSIBLE_TICKS: u64 = 1000;

impl HookState {
    /// Records one measured batch, and decides at the end of each window whether the hook is
    /// over the budget: the median of the window's batches.
    fn record(&mut self, spent: u64, evaluations: u64) {
        if !self.warmed {
            self.warmed = true;
            return;
        }
        let per_evaluation = spent.div_ceil(evaluations.max(1));
        if per_evaluation <= IMPLAUSIBLE_TICKS {
            self.hot_ticks = self.hot_ticks.saturating_add(spent);
            self.hot_evaluations += evaluations;
        }
        self.window[self.window_len] = u16::try_from(per_evaluation).unwrap_or(u16::MAX);
        self.window_len += 1;
        if self.window_len == BUDGET_WINDOW {
            self.window.sort_unstable();
            self.over_budget = u64::from(self.window[BUDGET_WINDOW / 2]) > TICK_BUDGET;
            self.window_len = 0;
        }
    }

    /// Whether the hot pass skips this batch of the hook (it is parked), counting the skip.
    fn skips_batch(&mut self) -> bool {
        if !self.over_budget {
            return false;
        }
        self.skipped += 1;
        self.skipped % PROBE_EVERY != 0
    }

    /// Mean ticks per evaluation, rounded up: of the hot pass, or of parked evaluations for a
    /// hook the hot pass never ran.
    fn mean_ticks(&self) -> u64 {
        if self.hot_evaluations > 0 {
            self.hot_ticks.div_ceil(self.hot_evaluations)
        } else {
            self.parked_ticks
                .checked_div(self.parked_evaluations)
                .unwrap_or(0)
        }
    }
}

impl Default for HookState {
    fn default() -> Self {
        HookState {
            merged: Receipt::IDENTITY,
            receipts: 0,
            hot_ticks: 0,
            hot_evaluations: 0,
            window: [0; BUDGET_WINDOW],
            window_len: 0,
            warmed: false,
            over_budget: false,
            skipped: 0,
            parked_ticks: 0,
            parked_evaluations: 0,
        }
    }
}

/// One hot-pass answer, waiting for its block's second pass.
#[derive(Clone, Copy, Debug, Default)]
struct HotAnswer {
    lanes: LaneMatch,
    ticks: u64,
    fresh: bool,
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
        self.hooks_per_predicate = self
            .hooks_per_predicate
            .max(self.hooks.for_predicate(hook.predicate).len());
        self.hot.resize(
            self.config.block_capacity * self.hooks_per_predicate,
            HotAnswer::default(),
        );
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

    fn execute_inner<R: Read, S: Sink>(
        &mut self,
        reader: TripleReader<R>,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let scope = self.dictionary.begin_document()?;
        let report = if reader.format() == Format::NTriples {
            // Terms are hashed where they are parsed (on the worker threads, if any) and
            // interned here in input order, so ids do not depend on the schedule.
            // The triple `SLOT_AHEAD` places on gets its table lines prefetched, the one
            // `RECORD_AHEAD` on (lines cached by now) its records, so lookups rarely wait.
            // Only subjects and objects: a batch's few predicates stay cached anyway.
            const SLOT_AHEAD: usize = 8;
            const RECORD_AHEAD: usize = 4;
            let hasher = self.dictionary.term_hasher();
            // What the look-ahead saw last, for `f` (which holds the dictionary) to prefetch.
            // Near a chunk's end nothing is shown: prefetching the last hints again is harmless.
            let slots_ahead = Cell::new([TermHash::default(); 2]);
            let records_ahead = Cell::new([TermHash::default(); 2]);
            reader.try_for_each_prepared_triple_looking_ahead(
                |term| hasher.hash(term),
                &[SLOT_AHEAD, RECORD_AHEAD],
                |distance, &[hs, _, ho]: &[TermHash; 3]| {
                    if distance == SLOT_AHEAD {
                        slots_ahead.set([hs, ho]);
                    } else {
                        records_ahead.set([hs, ho]);
                    }
                },
                |triple, [hs, hp, ho]| {
                    let dictionary = &mut self.dictionary;
                    for hash in &slots_ahead.get() {
                        dictionary.prefetch_slot(scope, hash);
                    }
                    for hash in &records_ahead.get() {
                        dictionary.prefetch_record(scope, hash);
                    }
                    let s = dictionary.encode_hashed(scope, triple.subject, hs)?;
                    let p = dictionary.encode_hashed(scope, triple.predicate, hp)?;
                    let o = dictionary.encode_hashed(scope, triple.object, ho)?;
                    self.stage([s, p, o], sink, run)
                },
                |_skipped| {},
            )?
        } else {
            reader.try_for_each_triple(
                |triple| {
                    let dictionary = &mut self.dictionary;
                    let s = dictionary.encode(scope, triple.subject)?;
                    let p = dictionary.encode(scope, triple.predicate)?;
                    let o = dictionary.encode(scope, triple.object)?;
                    self.stage([s, p, o], sink, run)
                },
                |_skipped| {},
            )?
        };
        self.flush_batch(sink, run)?;
        let end = self.chain.commit_end();
        sink.commit(&end)?;
        sink.finish()?;
        run.summary.skipped_invalid = report.skipped;
        run.summary.triples_ingested = report.triples + report.skipped;
        Ok(())
    }

    /// Stages one encoded triple, flushing the batch when it is full.
    #[inline]
    fn stage<S: Sink>(
        &mut self,
        [s, p, o]: [TermId; 3],
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        self.staging.push(RunTriple {
            s: s.to_u64(),
            p: p.to_u64(),
            o: o.to_u64(),
        });
        if self.staging.len() == self.config.batch_triples {
            self.flush_batch(sink, run)?;
        }
        Ok(())
    }

    fn execute_encoded_inner<I: IntoIterator<Item = EncodedTriple>, S: Sink>(
        &mut self,
        triples: I,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let mut index = 0;
        // A batch has few predicates: one checked is not checked again for the next triple.
        let mut checked_predicate = None;
        for triple in triples {
            for (position, id) in [
                ("subject", triple.s),
                ("predicate", triple.p),
                ("object", triple.o),
            ] {
                if position == "predicate" && checked_predicate == Some(id) {
                    continue;
                }
                if TermId::from_u64(id)
                    .and_then(|term| self.dictionary.decode(term))
                    .is_none()
                {
                    return Err(PipelineError::ForeignId {
                        index,
                        position,
                        id,
                    });
                }
            }
            checked_predicate = Some(triple.p);
            self.staging.push(RunTriple::from(triple));
            index += 1;
            run.summary.triples_ingested = index;
            if self.staging.len() == self.config.batch_triples {
                self.flush_batch(sink, run)?;
            }
        }
        self.flush_batch(sink, run)?;
        let end = self.chain.commit_end();
        sink.commit(&end)?;
        sink.finish()?;
        Ok(())
    }

    /// Load, reflex and emit one staged batch: the measured hot path.
    fn flush_batch<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        let before = alloc_count::heap_ops();
        let result = self
            .load_batch(sink, run)
            .and_then(|()| self.drain(sink, run));
        run.hot_heap_ops += alloc_count::heap_ops() - before;
        self.staging.clear();
        result
    }

    /// Groups the batch by predicate and loads each run into blocks.
    fn load_batch<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        // Predicate runs in input order: deterministic, with no allocation.
        group_into_runs(&mut self.staging, &mut self.sort_scratch);
        let mut start = 0;
        while start < self.staging.len() {
            let len = run_end(&self.staging, start, |t| t.p) - start;
            run.summary.runs += 1;
            for chunk_start in (start..start + len).step_by(HOT_LANES) {
                let chunk_end = (chunk_start + HOT_LANES).min(start + len);
                let mut block = self.acquire_block(chunk_end - chunk_start, sink, run)?;
                // Every triple of the chunk has the run's predicate: the block takes them all.
                let taken = block.fill_from(&self.staging[chunk_start..chunk_end]);
                debug_assert_eq!(
                    taken,
                    chunk_end - chunk_start,
                    "a run chunk always fits its block"
                );
                run.summary.blocks += 1;
                run.summary.triples_loaded += taken as u64;
                self.held_blocks.push(block);
            }
            start += len;
        }
        Ok(())
    }

    fn acquire_block<S: Sink>(
        &mut self,
        lanes: usize,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<OwnedGuard<RunTripleLanes>, PipelineError> {
        match self.blocks.acquire_owned_for(lanes) {
            Err(PoolError::Exhausted { .. }) => {
                run.summary.pool_drains += 1;
                self.drain(sink, run)?;
                Ok(self.blocks.acquire_owned_for(lanes)?)
            }
            other => Ok(other?),
        }
    }

    /// Reflex over every held block (the hot pass, the blocks' digests, then each block's
    /// second pass), then emit the held receipts; every guard goes home.
    fn drain<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        let mut held = std::mem::take(&mut self.held_blocks);
        self.hot_pass(&held);
        // Within the capacity reserved at construction: no allocation.
        self.digests.resize(held.len(), BlockDigest::default());
        BlockDigest::of_each(&held, &mut self.digests, &mut self.digest_buffers);
        // The held blocks are sorted by predicate: one run of them at a time.
        let mut start = 0;
        let mut result = Ok(());
        while start < held.len() && result.is_ok() {
            let end = run_end(&held, start, |block| *block.p());
            result = self.evaluate_run(start, &held[start..end], sink, run);
            start = end;
        }
        held.clear();
        self.held_blocks = held;
        result?;
        emit_receipts(
            &mut self.held_receipts,
            &self.digests,
            &self.hooks,
            &mut self.hook_states,
            &mut self.chain,
            sink,
            run,
        )
    }

    /// Runs each hot hook's kernel over its consecutive held blocks (they are sorted by
    /// predicate), timed as one batch, and keeps the answers and amortised ticks for
    /// [`evaluate_run`](Self::evaluate_run).
    fn hot_pass(&mut self, held: &[OwnedGuard<RunTripleLanes>]) {
        let Pipeline {
            hooks,
            hook_states,
            hot,
            hooks_per_predicate,
            ..
        } = self;
        let mut start = 0;
        while start < held.len() {
            let predicate = *held[start].p();
            let end = run_end(held, start, |block| *block.p());
            for (slot, &index) in hooks.for_predicate(predicate).iter().enumerate() {
                let hook = &hooks.hooks()[index as usize];
                let state = &mut hook_states[index as usize];
                let spec = hook.kind.spec();
                if spec.is_warm() || state.skips_batch() {
                    continue;
                }
                let stride = *hooks_per_predicate;
                let (began, ended) = arch::with_best_lanes(HotBatch {
                    kernel: spec.kernel,
                    args: &hook.args,
                    blocks: &held[start..end],
                    answers: &mut hot[start * stride..],
                    stride,
                    slot,
                });
                let evaluations = (end - start) as u64;
                let ticks = arch::amortised(began, ended, evaluations);
                for position in start..end {
                    let answer = &mut hot[position * stride + slot];
                    answer.ticks = ticks;
                    answer.fresh = true;
                }
                let spent = ended
                    .saturating_sub(began)
                    .saturating_sub(arch::tick_overhead());
                state.record(spent, evaluations);
            }
            start = end;
        }
    }

    /// Finishes the evaluation of every hook bound to the predicate of `blocks`, a run of held
    /// blocks of one predicate from position `first` on, block by block: takes the hot pass's
    /// answer or evaluates a parked hook now, resolves warm lanes with the dictionary, writes
    /// actions, and receipts the block's result (merged into the hook's whole-run result; its
    /// action hash is added at emission); then the block's beat. The hooks of the predicate are
    /// looked up once for the run.
    fn evaluate_run<S: Sink>(
        &mut self,
        first: usize,
        blocks: &[OwnedGuard<RunTripleLanes>],
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let Pipeline {
            hooks,
            dictionary,
            receipts,
            held_receipts,
            digests,
            hook_states,
            hot,
            hooks_per_predicate,
            next_seq,
            chain,
            ..
        } = self;
        let Some(predicate) = blocks.first().map(|block| *block.p()) else {
            return Ok(());
        };
        let indices = hooks.for_predicate(predicate);
        for (position, block) in (first..).zip(blocks) {
            let block: &RunTripleLanes = block;
            let digest = &digests[position];
            for (slot, &index) in indices.iter().enumerate() {
                let hook = &hooks.hooks()[index as usize];
                let spec = hook.kind.spec();
                let answer = &mut hot[position * *hooks_per_predicate + slot];
                // A parked evaluation is timed here; a hot one was timed in its batch.
                let began = if answer.fresh { 0 } else { arch::ticks() };
                let (lanes, measured) = if answer.fresh {
                    answer.fresh = false;
                    (answer.lanes, Some(answer.ticks))
                } else {
                    run.summary.parked.total += 1;
                    if spec.is_warm() {
                        run.summary.parked.warm_op += 1;
                    } else {
                        run.summary.parked.over_budget += 1;
                    }
                    (
                        kernels::evaluate(Portable, spec.kernel, block, &hook.args),
                        None,
                    )
                };
                let mut matched = lanes.hot;
                if lanes.warm != 0 {
                    if measured.is_some() {
                        run.summary.parked.total += 1;
                        run.summary.parked.warm_lookup += 1;
                    }
                    matched |= kernels::warm::resolve(
                        spec.kernel,
                        &hook.args,
                        block,
                        lanes.warm,
                        dictionary,
                    );
                }
                let written = write_actions(spec.writes, hook, block, matched, dictionary, sink)?;
                run.summary.actions += written;
                run.summary.hooks_evaluated += 1;
                let ticks = measured.unwrap_or_else(|| arch::amortised(began, arch::ticks(), 1));

                let mut receipt = match receipts.acquire_owned() {
                    Err(PoolError::Exhausted { .. }) => {
                        run.summary.pool_drains += 1;
                        emit_receipts(
                            held_receipts,
                            digests,
                            hooks,
                            hook_states,
                            chain,
                            sink,
                            run,
                        )?;
                        receipts.acquire_owned()?
                    }
                    other => other?,
                };
                // The action hash is left at 0 (the merge's identity) until emission.
                *receipt = Receipt {
                    seq: *next_seq,
                    hook: index,
                    predicate: digest.predicate,
                    lanes: u64::from(digest.lanes),
                    result: u64::from(matched.count_ones()),
                    ticks,
                    ..Receipt::IDENTITY
                };
                chain.stamp(&mut receipt);
                *next_seq += 1;
                let state = &mut hook_states[index as usize];
                state.merged = state.merged.merge(&receipt);
                state.receipts += 1;
                if measured.is_none() {
                    state.parked_ticks = state.parked_ticks.saturating_add(ticks);
                    state.parked_evaluations += 1;
                }
                held_receipts.receipts.push((receipt, position));
            }
            chain.beat(digest);
        }
        Ok(())
    }
}

/// One hook's kernel over consecutive blocks of its predicate: the hot pass's timed batch.
struct HotBatch<'a> {
    kernel: Kernel,
    args: &'a Args,
    blocks: &'a [OwnedGuard<RunTripleLanes>],
    /// The answers of the batch's first block onwards, `stride` per block.
    answers: &'a mut [HotAnswer],
    stride: usize,
    slot: usize,
}

impl LaneWork for HotBatch<'_> {
    /// The tick counter before and after the kernels.
    type Output = (u64, u64);

    #[inline(always)]
    fn run<I: LaneIsa>(self, isa: I) -> (u64, u64) {
        let began = arch::ticks();
        for (block, answers) in self.blocks.iter().zip(self.answers.chunks_mut(self.stride)) {
            answers[self.slot].lanes = kernels::evaluate(isa, self.kernel, &**block, self.args);
        }
        (began, arch::ticks())
    }
}

/// Writes the actions of a warm op for the lanes in `matched`; returns how many.
fn write_actions<S: Sink>(
    writes: Writes,
    hook: &Hook,
    block: &RunTripleLanes,
    matched: u64,
    dictionary: &Dictionary,
    sink: &mut S,
) -> Result<u64, PipelineError> {
    let (p, o) = match (writes, hook.args.construct) {
        (Writes::Nothing, _) => return Ok(0),
        (Writes::Triple, _) => (*block.p(), None),
        (Writes::Constructed, Some((p, o))) => (p, Some(o)),
        // A construct8 hook always has both constants (the hook file requires them).
        (Writes::Constructed, None) => return Ok(0),
    };
    let mut left = matched;
    while left != 0 {
        let lane = left.trailing_zeros() as usize;
        left &= left - 1;
        let triple = EncodedTriple {
            s: block.s_lanes()[lane],
            p,
            o: o.unwrap_or(block.o_lanes()[lane]),
        };
        sink.action(triple, dictionary)?;
    }
    Ok(u64::from(matched.count_ones()))
}

/// Emits and returns every held receipt (returned even when the sink fails), each pulse's
/// commit right after its last receipt. First the receipts' action hashes (from their blocks'
/// `digests`; each also added to its hook's merged result), then their Merkle leaves, are
/// hashed eight at a time ([`crate::provenance::batch_hash`]) into `hashes`.
fn emit_receipts<S: Sink>(
    held: &mut HeldReceipts,
    digests: &[BlockDigest],
    hooks: &HookRegistry,
    hook_states: &mut [HookState],
    chain: &mut Lockchain,
    sink: &mut S,
    run: &mut Run,
) -> Result<(), PipelineError> {
    fn view<'a>(hooks: &'a HookRegistry, receipt: &'a Receipt) -> ReceiptView<'a> {
        let hook = &hooks.hooks()[receipt.hook as usize];
        ReceiptView {
            receipt,
            hook: &hook.name,
            kind: hook.kind.name(),
        }
    }
    let HeldReceipts {
        receipts: held,
        hashes,
        action_buffers,
        leaf_buffers,
    } = held;
    // At most the receipt pool's capacity, reserved at construction: no allocation.
    hashes.resize(held.len(), [0; 32]);
    action_hashes(
        held.iter()
            .map(|(receipt, block)| (receipt.hook, &digests[*block], receipt.result)),
        hashes,
        action_buffers,
    );
    for ((receipt, _), a_hash) in held.iter_mut().zip(hashes.iter()) {
        receipt.a_hash = *a_hash;
        let merged = &mut hook_states[receipt.hook as usize].merged;
        merged.a_hash = add_hashes(&merged.a_hash, a_hash);
    }
    leaf_hashes(
        held.iter().map(|(receipt, _)| view(hooks, receipt)),
        hashes,
        leaf_buffers,
    );
    let result = held
        .iter()
        .zip(hashes.iter())
        .try_for_each(|((receipt, _), leaf)| {
            while let Some(commit) = chain.ready_commit(receipt.cycle) {
                sink.commit(&commit)?;
            }
            chain.absorb_leaf(view(hooks, receipt), *leaf);
            sink.receipt(receipt, &hooks.hooks()[receipt.hook as usize])
        })
        .and_then(|()| {
            while let Some(commit) = chain.ready_commit(u64::MAX) {
                sink.commit(&commit)?;
            }
            Ok(())
        });
    if result.is_ok() {
        run.summary.receipts += held.len() as u64;
    }
    held.clear();
    Ok(result?)
}

/// Receipts not yet emitted, each with its block's position among the held blocks (its action
/// hash is computed at emission, from that block's digest), and room for their hashes.
struct HeldReceipts {
    receipts: Vec<(OwnedGuard<Receipt>, usize)>,
    /// The receipts' action hashes, then their leaves, as they are emitted.
    hashes: Vec<Hash256>,
    action_buffers: ActionBuffers,
    leaf_buffers: LeafBuffers,
}

impl HeldReceipts {
    fn with_capacity(receipts: usize) -> Self {
        Self {
            receipts: Vec::with_capacity(receipts),
            hashes: Vec::with_capacity(receipts),
            action_buffers: ActionBuffers::default(),
            leaf_buffers: LeafBuffers::default(),
        }
    }

    /// Returns every receipt to its pool.
    fn clear(&mut self) {
        self.receipts.clear();
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

/// Counters of one `execute` call.
struct Run {
    summary: Summary,
    hot_heap_ops: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A warmed-up hook after `batches` batches of 16 evaluations at `ticks` each.
    fn measured(batches: usize, ticks: u64) -> HookState {
        let mut state = HookState {
            warmed: true,
            ..HookState::default()
        };
        for _ in 0..batches {
            state.record(ticks * 16, 16);
        }
        state
    }

    #[test]
    fn a_hook_is_over_budget_only_after_a_full_window() {
        assert!(
            !measured(BUDGET_WINDOW - 1, 10).over_budget,
            "the window is not full"
        );
        assert!(measured(BUDGET_WINDOW, 9).over_budget);
        assert!(
            !measured(BUDGET_WINDOW, 8).over_budget,
            "the budget itself is within it"
        );
    }

    #[test]
    fn the_first_batch_is_a_warm_up_and_does_not_count() {
        let mut state = HookState::default();
        state.record(100_000, 1);
        assert_eq!((state.hot_evaluations, state.window_len), (0, 0));
        assert!(state.warmed);
    }

    #[test]
    fn slow_batches_do_not_park_a_hook_unless_most_are_slow() {
        let mut state = measured(BUDGET_WINDOW - 8, 3);
        for _ in 0..8 {
            state.record(5_000 * 16, 16); // descheduled, or a neighbour's cache traffic
        }
        assert!(!state.over_budget);
        assert_eq!(
            state.hot_ticks,
            (BUDGET_WINDOW as u64 - 8) * 3 * 16,
            "left out of the mean"
        );
        let mut slow = measured(1, 3);
        for _ in 0..BUDGET_WINDOW {
            slow.record(50 * 16, 16);
        }
        assert!(
            slow.over_budget,
            "most batches slow: the hook itself is slow"
        );
    }

    #[test]
    fn a_parked_hook_is_probed_and_returns_when_back_within_budget() {
        let mut state = measured(BUDGET_WINDOW, 20);
        assert!(state.over_budget);
        let probes = (0..PROBE_EVERY * 100)
            .filter(|_| !state.skips_batch())
            .count() as u64;
        assert_eq!(probes, 100);
        for _ in 0..BUDGET_WINDOW {
            state.record(2 * 16, 16);
        }
        assert!(!state.over_budget);
        assert!(!state.skips_batch());
    }

    #[test]
    fn mean_ticks_rounds_up_and_falls_back_to_parked_evaluations() {
        let state = HookState {
            hot_ticks: 10,
            hot_evaluations: 4,
            ..HookState::default()
        };
        assert_eq!(state.mean_ticks(), 3);
        let warm = HookState {
            parked_ticks: 90,
            parked_evaluations: 3,
            ..HookState::default()
        };
        assert_eq!(warm.mean_ticks(), 30);
        assert_eq!(HookState::default().mean_ticks(), 0);
    }

    #[test]
    fn parked_reads_as_a_total_with_its_causes() {
        let parked = Parked {
            total: 5,
            warm_op: 3,
            over_budget: 1,
            warm_lookup: 1,
        };
        assert_eq!(
            parked.to_string(),
            "5 (warm op 3, over budget 1, warm lookup 1)"
        );
    }
}
