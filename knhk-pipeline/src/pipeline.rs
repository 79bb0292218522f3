//! [`Pipeline`]: ingest → transform → load → reflex → emit, on pooled blocks and receipts.
//!
//! Ingest streams triples; transform encodes each to ids and stages it. Every
//! [`PipelineConfig::batch_triples`] triples (and at the end) the staged batch is sorted by
//! predicate and *loaded*: each predicate's run goes into 8-lane blocks taken from the block
//! pool, a run longer than 8 continuing in the next block. *Reflex* evaluates the hooks bound
//! to each block's predicate, taking a receipt from the receipt pool per evaluation; *emit*
//! delivers actions as they are constructed and receipts when the held ones are drained.
//!
//! When either pool runs out mid-batch, the pipeline drains (evaluates the blocks it holds,
//! emits the receipts, returns every guard) and goes on: no input is too large and nothing is
//! lost. Every guard goes home on every path, errors included. From load through the receipts
//! nothing allocates: the staging buffer and the lists of held guards are sized when the
//! pipeline is built.

use std::io::Read;
use std::sync::Arc;
use std::time::Instant;

use lanepool::alloc_count;
use lanepool::{OwnedGuard, PoolError, SyncPool, Usage};

use crate::block::{sort_into_runs, EncodedTriple, EncodedTripleLanes, HOT_LANES};
use crate::dictionary::{Dictionary, DictionaryError, DocumentScope};
use crate::emit::{EmitError, Sink};
use crate::hooks::{encode_hook, Hook, HookError, HookKind, HookRegistry, HookSpec};
use crate::ingest::{IngestError, TripleReader};
use crate::kernels;
use crate::receipt::Receipt;

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

/// What a run of the pipeline did. `triples_ingested == triples_loaded + skipped_invalid`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
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
    /// Times loading paused on an exhausted pool and drained before going on.
    pub parked: u64,
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
    blocks: Arc<SyncPool<EncodedTripleLanes>>,
    receipts: Arc<SyncPool<Receipt>>,
    /// Encoded triples of the current batch.
    staging: Vec<EncodedTriple>,
    /// The batch sort's other buffer, as large as `staging` (they may trade places).
    sort_scratch: Vec<EncodedTriple>,
    held_blocks: Vec<OwnedGuard<EncodedTripleLanes>>,
    held_receipts: Vec<OwnedGuard<Receipt>>,
    next_seq: u64,
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
            held_receipts: Vec::with_capacity(config.receipt_capacity),
            next_seq: 0,
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
        Ok(&self.hooks.hooks()[index as usize])
    }

    /// The registered hooks.
    pub fn hooks(&self) -> &HookRegistry {
        &self.hooks
    }

    /// The term dictionary (to decode ids in receipts and actions).
    pub fn dictionary(&self) -> &Dictionary {
        &self.dictionary
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
        let started = Instant::now();
        let measuring = alloc_count::is_counting();
        let mut run = Run {
            summary: Summary::default(),
            hot_heap_ops: 0,
        };
        let result = self.execute_inner(reader, sink, &mut run);
        // Every guard goes home, on the error path too.
        self.staging.clear();
        self.held_blocks.clear();
        self.held_receipts.clear();
        result?;
        let mut summary = run.summary;
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
        let report = reader.try_for_each_triple(
            |triple| {
                let s = self.dictionary.encode(scope, triple.subject)?.to_u64();
                let p = self.dictionary.encode(scope, triple.predicate)?.to_u64();
                let o = self.dictionary.encode(scope, triple.object)?.to_u64();
                self.staging.push(EncodedTriple { s, p, o });
                if self.staging.len() == self.config.batch_triples {
                    self.flush_batch(sink, run)?;
                }
                Ok::<(), PipelineError>(())
            },
            |_skipped| {},
        )?;
        self.flush_batch(sink, run)?;
        sink.finish()?;
        run.summary.skipped_invalid = report.skipped;
        run.summary.triples_ingested = report.triples + report.skipped;
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
        // (p, s, o) order, deterministic, with no allocation.
        sort_into_runs(&mut self.staging, &mut self.sort_scratch);
        let mut start = 0;
        while start < self.staging.len() {
            let predicate = self.staging[start].p;
            let len = self.staging[start..]
                .iter()
                .take_while(|t| t.p == predicate)
                .count();
            run.summary.runs += 1;
            for chunk_start in (start..start + len).step_by(HOT_LANES) {
                let chunk_end = (chunk_start + HOT_LANES).min(start + len);
                let mut block = self.acquire_block(chunk_end - chunk_start, sink, run)?;
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
    ) -> Result<OwnedGuard<EncodedTripleLanes>, PipelineError> {
        match self.blocks.acquire_owned_for(lanes) {
            Err(PoolError::Exhausted { .. }) => {
                run.summary.parked += 1;
                self.drain(sink, run)?;
                Ok(self.blocks.acquire_owned_for(lanes)?)
            }
            other => Ok(other?),
        }
    }

    /// Reflex over every held block, then emit the held receipts; every guard goes home.
    fn drain<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        let mut held = std::mem::take(&mut self.held_blocks);
        let result = held
            .iter()
            .try_for_each(|block| self.reflex(block, sink, run));
        held.clear();
        self.held_blocks = held;
        result?;
        emit_receipts(&mut self.held_receipts, &self.hooks, sink, run)
    }

    /// Evaluates the hooks bound to the block's predicate.
    fn reflex<S: Sink>(
        &mut self,
        block: &EncodedTripleLanes,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let Pipeline {
            hooks,
            dictionary,
            receipts,
            held_receipts,
            next_seq,
            ..
        } = self;
        let predicate = block.p_lanes()[0];
        for &index in hooks.for_predicate(predicate) {
            let hook = &hooks.hooks()[index as usize];
            let mut constructed = [[0u64; 3]; HOT_LANES];
            let (result, built) = match hook.kind {
                HookKind::AskSp { subject } => {
                    let hit = kernels::ask_sp(block, subject, predicate);
                    (u64::from(hit), 0)
                }
                HookKind::AskSpo { subject, object } => {
                    let hit = kernels::ask_spo(block, subject, predicate, object);
                    (u64::from(hit), 0)
                }
                HookKind::CountSpGe { subject, .. } => {
                    let count = kernels::count_sp(block, subject, predicate);
                    (u64::from(count), 0)
                }
                HookKind::Construct8 {
                    subject,
                    construct_predicate,
                    construct_object,
                } => {
                    let built = kernels::construct8(
                        block,
                        predicate,
                        subject,
                        construct_predicate,
                        construct_object,
                        &mut constructed,
                    );
                    (built as u64, built)
                }
            };
            for &[s, p, o] in &constructed[..built] {
                sink.action(EncodedTriple { s, p, o }, dictionary)?;
            }
            run.summary.actions += built as u64;
            run.summary.hooks_evaluated += 1;

            let mut receipt = match receipts.acquire_owned() {
                Err(PoolError::Exhausted { .. }) => {
                    run.summary.parked += 1;
                    emit_receipts(held_receipts, hooks, sink, run)?;
                    receipts.acquire_owned()?
                }
                other => other?,
            };
            *receipt = Receipt {
                seq: *next_seq,
                ..Receipt::for_block(index, block, result)
            };
            *next_seq += 1;
            held_receipts.push(receipt);
        }
        Ok(())
    }
}

/// Emits and returns every held receipt (returned even when the sink fails).
fn emit_receipts<S: Sink>(
    held: &mut Vec<OwnedGuard<Receipt>>,
    hooks: &HookRegistry,
    sink: &mut S,
    run: &mut Run,
) -> Result<(), PipelineError> {
    let result = held
        .iter()
        .try_for_each(|receipt| sink.receipt(receipt, &hooks.hooks()[receipt.hook as usize]));
    if result.is_ok() {
        run.summary.receipts += held.len() as u64;
    }
    held.clear();
    Ok(result?)
}

/// Counters of one `execute` call.
struct Run {
    summary: Summary,
    hot_heap_ops: u64,
}
