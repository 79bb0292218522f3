//! `knhk run`: check every path before touching any, run the pipeline with outputs going to
//! temporary files, rename them into place only on success, print the summary.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::block::EncodedTripleLanes;
use crate::emit::WriterSink;
use crate::hooks::{HookError, HookFileSpans, HookSpec};
use crate::ingest::{Format, IngestOptions};
use crate::pipeline::{Pipeline, PipelineConfig, Summary};
use crate::provenance::receipt::Receipt;
use crate::shard::Part;

use super::error::{CliError, MAX_POOL_BYTES};
use super::input::{read_hooks, Input};
use super::output::{check_paths, AtomicFile};

/// Options of `knhk run`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// What to read.
    pub input: Input,
    /// The syntax, when the file name does not say (standard input: N-Triples by default).
    pub format: Option<Format>,
    /// Hook file; `None` for the bundled hooks.
    pub hooks: Option<PathBuf>,
    /// The most bytes of the hook file read.
    pub max_hook_file_bytes: u64,
    /// Receipts output (JSON Lines).
    pub receipts: Option<PathBuf>,
    /// Actions output (N-Triples).
    pub actions: Option<PathBuf>,
    /// Print the summary as JSON.
    pub json: bool,
    /// How to read the input: base IRI (a file's default is its own `file://` URI), skipping
    /// malformed statements, size limits, and threads. With [`IngestOptions::threads`] above
    /// 1, a file or standard input is also read ahead on a thread of its own
    /// ([`ReadAhead`](crate::ingest::ReadAhead)).
    pub ingest: IngestOptions,
    /// Blocks in the block pool.
    pub blocks: usize,
    /// Receipts in the receipt pool.
    pub receipt_pool: usize,
    /// Run only this part of an N-Triples file (see [`crate::shard`]).
    pub part: Option<Part>,
    /// Write the part's manifest here (the whole file's, without `part`).
    pub manifest: Option<PathBuf>,
}

/// The `--json` summary: the pipeline's [`Summary`], which input was read, and the hooks
/// whose predicate never occurred in it.
#[derive(Debug, Serialize)]
pub struct RunReport {
    /// The input read: a path, `<stdin>`, or the bundled sample.
    pub input: String,
    /// The pipeline's counts.
    #[serde(flatten)]
    pub summary: Summary,
    /// Names of hooks never evaluated because their predicate did not occur.
    pub hooks_never_matched: Vec<String>,
}

impl RunReport {
    /// The report of a run over `input` that `pipeline` made `summary` of.
    pub(super) fn new(input: String, summary: Summary, pipeline: &Pipeline) -> Self {
        RunReport {
            input,
            summary,
            hooks_never_matched: pipeline
                .hooks_never_matched()
                .map(|hook| hook.name.clone())
                .collect(),
        }
    }
}

/// `knhk run`: checks every path before touching any, runs the pipeline with outputs going
/// to temporary files, renames them into place only on success, then prints the summary to
/// `stdout`.
///
/// # Errors
///
/// A [`CliError`] saying what and where; on any error no output path has been changed.
pub fn run(options: &RunOptions, stdout: &mut dyn Write) -> Result<RunReport, CliError> {
    check_pool_size::<EncodedTripleLanes>("--blocks", options.blocks)?;
    check_pool_size::<Receipt>("--receipt-pool", options.receipt_pool)?;
    if options.part.is_some() || options.manifest.is_some() {
        return super::shard::run(options, stdout);
    }

    // Every input is opened once, before any output: what was opened (a file, standard
    // input) is what no output may be.
    let (specs, spans, hooks_identity) =
        read_hooks(options.hooks.as_deref(), options.max_hook_file_bytes)?;
    let input = options.input.open(options.format, options.ingest.clone())?;
    let inputs: Vec<_> = [input.identity, hooks_identity]
        .into_iter()
        .flatten()
        .collect();
    let mut outputs: Vec<(&'static str, &Path)> = Vec::new();
    if let Some(path) = &options.receipts {
        outputs.push(("--receipts", path));
    }
    if let Some(path) = &options.actions {
        outputs.push(("--actions", path));
    }
    check_paths(&inputs, &outputs)?;

    let mut pipeline = pipeline_with_hooks(options, &specs, &spans)?;

    let mut sink = output_sink(options)?;
    let summary = pipeline.execute(input.reader, &mut sink);
    input.progress.finish_and_clear();
    let summary = summary?;
    let (receipts, actions) = sink.into_inner();
    for output in [receipts, actions].into_iter().flatten() {
        output.commit()?;
    }

    let report = RunReport::new(options.input.describe(), summary, &pipeline);
    print_report(options.json, &report, stdout)?;
    Ok(report)
}

/// The pipeline with `options`' pool sizes and the hooks registered; a hook that cannot be
/// is named at its place in the hook file.
///
/// # Errors
///
/// [`CliError::HookAt`] or [`CliError::Hook`].
pub(super) fn pipeline_with_hooks(
    options: &RunOptions,
    specs: &[HookSpec],
    spans: &HookFileSpans,
) -> Result<Pipeline, CliError> {
    let config = PipelineConfig {
        block_capacity: options.blocks,
        receipt_capacity: options.receipt_pool,
        ..PipelineConfig::default()
    };
    let mut pipeline = Pipeline::new(config);
    for (index, spec) in specs.iter().enumerate() {
        pipeline
            .register_hook(spec)
            .map_err(|error| located(spans, index, error))?;
    }
    Ok(pipeline)
}

/// Prints the summary, as one JSON object with `json`.
///
/// # Errors
///
/// [`CliError::Write`].
pub(super) fn print_report(
    json: bool,
    report: &RunReport,
    stdout: &mut dyn Write,
) -> Result<(), CliError> {
    let printed = if json {
        serde_json::to_writer(&mut *stdout, report)
            .map_err(io::Error::from)
            .and_then(|()| writeln!(stdout))
    } else {
        print_human(stdout, report)
    };
    printed
        .and_then(|()| stdout.flush())
        .map_err(|error| CliError::Write {
            what: "the summary",
            error,
        })
}

/// The receipts and actions outputs options name, each a temporary file until the run
/// succeeds.
pub(super) fn output_sink(
    options: &RunOptions,
) -> Result<WriterSink<AtomicFile, AtomicFile>, CliError> {
    let create = |path: &Option<PathBuf>| path.as_deref().map(AtomicFile::create).transpose();
    Ok(WriterSink::new(
        create(&options.receipts)?,
        create(&options.actions)?,
    ))
}

/// A hook's error, with its place in the hook file when the spans know it.
pub(super) fn located(spans: &HookFileSpans, index: usize, error: HookError) -> CliError {
    match spans.locate(index, &error) {
        Some(at) => CliError::HookAt {
            at: Box::new(at),
            error: Box::new(error),
        },
        None => CliError::Hook(error),
    }
}

fn print_human(out: &mut dyn Write, report: &RunReport) -> io::Result<()> {
    let s = &report.summary;
    let allocations = s
        .hot_path_allocations
        .map_or_else(|| "not measured".to_owned(), |n| n.to_string());
    writeln!(out, "input                 {}", report.input)?;
    writeln!(out, "triples ingested      {}", s.triples_ingested)?;
    writeln!(out, "triples loaded        {}", s.triples_loaded)?;
    writeln!(out, "skipped (invalid)     {}", s.skipped_invalid)?;
    writeln!(out, "runs                  {}", s.runs)?;
    writeln!(out, "blocks                {}", s.blocks)?;
    writeln!(out, "hooks evaluated       {}", s.hooks_evaluated)?;
    writeln!(out, "receipts              {}", s.receipts)?;
    writeln!(out, "actions               {}", s.actions)?;
    writeln!(out, "parked                {}", s.parked)?;
    writeln!(out, "pool drains           {}", s.pool_drains)?;
    writeln!(out, "hot-path allocations  {allocations}")?;
    writeln!(out, "elapsed               {:.3} ms", s.elapsed_ms)?;
    writeln!(
        out,
        "throughput            {:.0} triples/s",
        s.triples_per_sec
    )?;
    for hook in &s.hooks {
        writeln!(
            out,
            "hook                  {} ({}): result {}, {} ({} receipts, {} ticks)",
            hook.name,
            hook.kind,
            hook.result,
            if hook.fired { "fired" } else { "did not fire" },
            hook.receipts,
            hook.ticks
        )?;
    }
    if !report.hooks_never_matched.is_empty() {
        writeln!(
            out,
            "hooks never matched   {} (their predicate does not occur in the input)",
            report.hooks_never_matched.join(", ")
        )?;
    }
    Ok(())
}

/// Bytes one pooled item takes: the value, the pool's link and counters per slot, and the
/// pipeline's slot in its list of held guards.
fn per_item_bytes<T: lanepool::Reset>() -> usize {
    std::mem::size_of::<T>()
        + std::mem::size_of::<u32>()
        + 2 * std::mem::size_of::<u64>()
        + std::mem::size_of::<lanepool::OwnedGuard<T>>()
}

/// Checks a pool size against [`MAX_POOL_BYTES`] (and the pool's own capacity limit).
///
/// # Errors
///
/// [`CliError::PoolEmpty`] or [`CliError::PoolTooLarge`].
fn check_pool_size<T: lanepool::Reset>(flag: &'static str, count: usize) -> Result<(), CliError> {
    if count == 0 {
        return Err(CliError::PoolEmpty { flag });
    }
    let per_item = per_item_bytes::<T>();
    let max = (MAX_POOL_BYTES / per_item as u64).min(lanepool::MAX_CAPACITY as u64);
    if count as u64 > max {
        return Err(CliError::PoolTooLarge {
            flag,
            count,
            bytes: count as u128 * per_item as u128,
            per_item,
            max,
        });
    }
    Ok(())
}
