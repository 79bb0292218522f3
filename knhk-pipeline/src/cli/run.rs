//! `knhk run`: check every path before touching any, run the pipeline with outputs going to
//! temporary files, rename them into place only on success, print the summary.

use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;

use crate::block::EncodedTripleLanes;
use crate::emit::WriterSink;
use crate::hooks::{
    parse_hook_file_with_spans, read_hook_file_with_spans, HookError, HookFileSpans, HookSpec,
};
use crate::ingest::{
    file_uri, open_file, Compression, Format, IngestError, IngestOptions, ReadAhead, TripleReader,
};
use crate::pipeline::{Pipeline, PipelineConfig, Summary};
use crate::provenance::receipt::Receipt;
use crate::shard::Part;

use super::error::{CliError, MAX_POOL_BYTES};
use super::output::{check_paths, AtomicFile};

/// Which input `knhk run` reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// The bundled sample dataset (N-Triples).
    Bundled,
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File(PathBuf),
}

impl Input {
    /// `-` is standard input, anything else a file.
    pub fn from_arg(arg: Option<PathBuf>) -> Input {
        match arg {
            None => Input::Bundled,
            Some(path) if path.as_os_str() == "-" => Input::Stdin,
            Some(path) => Input::File(path),
        }
    }

    /// How errors and the summary name it.
    pub fn describe(&self) -> String {
        match self {
            Input::Bundled => "data/sample.nt (bundled)".to_owned(),
            Input::Stdin => "<stdin>".to_owned(),
            Input::File(path) => path.display().to_string(),
        }
    }
}

/// Options of `knhk run`.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// What to read.
    pub input: Input,
    /// The syntax, when the file name does not say (standard input: N-Triples by default).
    pub format: Option<Format>,
    /// Hook file; `None` for the bundled hooks.
    pub hooks: Option<PathBuf>,
    /// Receipts output (JSON Lines).
    pub receipts: Option<PathBuf>,
    /// Actions output (N-Triples).
    pub actions: Option<PathBuf>,
    /// Print the summary as JSON.
    pub json: bool,
    /// How to read the input: base IRI (a file's default is its own `file://` URI), skipping
    /// malformed statements, size limits, and threads. With [`IngestOptions::threads`] above
    /// 1, a file or standard input is also read ahead on a thread of its own ([`ReadAhead`]).
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

    let mut inputs: Vec<(&'static str, &Path)> = Vec::new();
    if let Input::File(path) = &options.input {
        inputs.push(("input", path));
    }
    if let Some(hooks) = &options.hooks {
        inputs.push(("--hooks", hooks));
    }
    let mut outputs: Vec<(&'static str, &Path)> = Vec::new();
    if let Some(path) = &options.receipts {
        outputs.push(("--receipts", path));
    }
    if let Some(path) = &options.actions {
        outputs.push(("--actions", path));
    }
    if let Some(path) = &options.manifest {
        outputs.push(("--manifest", path));
    }
    check_paths(&inputs, &outputs)?;

    let config = PipelineConfig {
        block_capacity: options.blocks,
        receipt_capacity: options.receipt_pool,
        ..PipelineConfig::default()
    };
    let mut pipeline = Pipeline::new(config);
    let (specs, spans) = hook_specs(options.hooks.as_deref())?;
    for (index, spec) in specs.iter().enumerate() {
        pipeline
            .register_hook(spec)
            .map_err(|error| match spans.locate(index, &error) {
                Some(at) => CliError::HookAt {
                    at: Box::new(at),
                    error: Box::new(error),
                },
                None => CliError::Hook(error),
            })?;
    }

    if options.part.is_some() || options.manifest.is_some() {
        return super::shard::run(options, &mut pipeline, stdout);
    }

    let mut ingest = options.ingest.clone();
    let mut progress = ProgressBar::hidden();
    // With more than one thread, reading (and decompressing) runs on a thread of its own, so
    // the calling thread, which interns, loads and drains, does not wait in `read`. With one
    // thread nothing is spawned.
    let read_ahead = ingest.threads > 1;
    let reader: Box<dyn Read> = match &options.input {
        Input::Bundled => Box::new(crate::SAMPLE_DATA.as_bytes()),
        Input::Stdin if read_ahead => Box::new(start_read_ahead(io::stdin(), &options.input)?),
        Input::Stdin => Box::new(io::stdin().lock()),
        Input::File(path) => {
            let file = open_file(path)?;
            if ingest.base_iri.is_none() {
                ingest.base_iri = Some(file_uri(path)?);
            }
            progress = progress_bar(file.metadata().map(|m| m.len()).unwrap_or(0));
            let input = progress.wrap_read(file);
            let compression = Compression::from_path(path);
            let cannot_open = |error| IngestError::Open {
                path: path.clone(),
                error,
            };
            if read_ahead {
                let decoder = compression.send_decoder(input).map_err(cannot_open)?;
                Box::new(start_read_ahead(decoder, &options.input)?)
            } else {
                compression.decoder(input).map_err(cannot_open)?
            }
        }
    };
    let format = match (&options.input, options.format) {
        (_, Some(format)) => format,
        (Input::File(path), None) => {
            Format::from_path(path).ok_or_else(|| CliError::UnknownFormat { path: path.clone() })?
        }
        (_, None) => Format::NTriples,
    };

    let mut sink = WriterSink::new(
        options
            .receipts
            .as_deref()
            .map(AtomicFile::create)
            .transpose()?,
        options
            .actions
            .as_deref()
            .map(AtomicFile::create)
            .transpose()?,
    );
    let reader =
        TripleReader::new(reader, format, ingest).with_source_name(options.input.describe());
    let summary = pipeline.execute(reader, &mut sink);
    progress.finish_and_clear();
    let summary = summary?;
    let (receipts, actions) = sink.into_inner();
    for output in [receipts, actions].into_iter().flatten() {
        output.commit()?;
    }

    let report = RunReport {
        input: options.input.describe(),
        summary,
        hooks_never_matched: pipeline
            .hooks_never_matched()
            .map(|hook| hook.name.clone())
            .collect(),
    };
    print_report(options.json, &report, stdout)?;
    Ok(report)
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

/// Starts a [`ReadAhead`] on `reader`; a thread that cannot be spawned is a read error.
fn start_read_ahead<R: Read + Send + 'static>(
    reader: R,
    input: &Input,
) -> Result<ReadAhead, IngestError> {
    ReadAhead::new(reader).map_err(|error| IngestError::Io {
        file: input.describe().into(),
        error,
    })
}

fn hook_specs(path: Option<&Path>) -> Result<(Vec<HookSpec>, HookFileSpans), HookError> {
    match path {
        Some(path) => read_hook_file_with_spans(path),
        None => parse_hook_file_with_spans(crate::SAMPLE_HOOKS, "data/hooks.toml (bundled)"),
    }
}

/// A byte progress bar on stderr for inputs over 8 MiB, only when stderr is a terminal.
fn progress_bar(bytes: u64) -> ProgressBar {
    if !io::stderr().is_terminal() || bytes < 8 << 20 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes);
    if let Ok(style) =
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta})")
    {
        bar.set_style(style);
    }
    bar
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
