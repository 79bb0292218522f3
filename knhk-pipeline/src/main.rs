//! `knhk`: run the KNHK pipeline on RDF files, or generate a synthetic dataset. A thin shell
//! over the `knhk_pipeline` library.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use knhk_pipeline::emit::WriterSink;
use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::hooks::{parse_hook_file, read_hook_file, HookSpec};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig, Summary};
use lanepool::alloc_count::CountingAllocator;

// Counts heap operations so the summary's `hot_path_allocations` is measured, not claimed.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

#[derive(Parser)]
#[command(
    name = "knhk",
    version,
    about = "The KNHK pipeline: RDF in, hook receipts and constructed triples out, on pooled 8-lane blocks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Ingest RDF, load it into pooled 8-lane blocks, evaluate hooks, emit receipts and actions.
    Run(RunArgs),
    /// Write a deterministic synthetic N-Triples dataset (a social and product graph).
    Gen(GenArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// N-Triples (.nt) or Turtle (.ttl) file; without it, the bundled sample dataset.
    file: Option<PathBuf>,
    /// Hook file (TOML); without it, the bundled sample hooks.
    #[arg(long)]
    hooks: Option<PathBuf>,
    /// Write receipts here as JSON Lines.
    #[arg(long)]
    receipts: Option<PathBuf>,
    /// Write constructed triples here as N-Triples.
    #[arg(long)]
    actions: Option<PathBuf>,
    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
    /// Count and skip malformed statements instead of stopping at the first.
    #[arg(long)]
    skip_invalid: bool,
    /// The input's syntax, when its extension does not say.
    #[arg(long, value_enum)]
    format: Option<FormatArg>,
    /// Base IRI for relative IRIs in Turtle.
    #[arg(long)]
    base: Option<String>,
    /// Blocks in the block pool.
    #[arg(long, default_value_t = PipelineConfig::default().block_capacity)]
    blocks: usize,
    /// Receipts in the receipt pool.
    #[arg(long = "receipt-pool", default_value_t = PipelineConfig::default().receipt_capacity)]
    receipt_pool: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// N-Triples.
    Nt,
    /// Turtle.
    Ttl,
}

#[derive(clap::Args)]
struct GenArgs {
    /// How many triples.
    #[arg(long)]
    triples: u64,
    /// Seed: the same seed always gives the same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write here instead of stdout.
    #[arg(long, short)]
    output: Option<PathBuf>,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Run(args) => run(&args),
        Command::Gen(args) => gen(&args),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("knhk: error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &RunArgs) -> Result<(), String> {
    if args.blocks == 0 || args.receipt_pool == 0 {
        return Err("--blocks and --receipt-pool must be at least 1".into());
    }
    let config = PipelineConfig {
        block_capacity: args.blocks,
        receipt_capacity: args.receipt_pool,
        ..PipelineConfig::default()
    };
    let mut pipeline = Pipeline::new(config);
    for spec in hook_specs(args.hooks.as_deref())? {
        pipeline.register_hook(&spec).map_err(|e| e.to_string())?;
    }
    let options = IngestOptions {
        base_iri: args.base.clone(),
        skip_invalid: args.skip_invalid,
        ..IngestOptions::default()
    };
    let mut sink = WriterSink::new(
        create(args.receipts.as_deref())?,
        create(args.actions.as_deref())?,
    );

    let summary = match &args.file {
        None => {
            let reader = TripleReader::new(
                knhk_pipeline::SAMPLE_DATA.as_bytes(),
                Format::NTriples,
                options,
            )
            .with_source_name("data/sample.nt (bundled)");
            pipeline.execute(reader, &mut sink)
        }
        Some(path) => {
            let format = match args.format {
                Some(FormatArg::Nt) => Format::NTriples,
                Some(FormatArg::Ttl) => Format::Turtle,
                None => Format::from_path(path).ok_or_else(|| {
                    format!(
                        "{}: unknown RDF format: use a .nt or .ttl extension or --format",
                        path.display()
                    )
                })?,
            };
            let file =
                File::open(path).map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
            let progress = progress_bar(file.metadata().map(|m| m.len()).unwrap_or(0));
            let reader = TripleReader::new(progress.wrap_read(file), format, options)
                .with_source_name(path.display().to_string());
            let result = pipeline.execute(reader, &mut sink);
            progress.finish_and_clear();
            result
        }
    }
    .map_err(|e| e.to_string())?;

    let mut stdout = io::stdout().lock();
    if args.json {
        print_json(&mut stdout, &summary)
    } else {
        print_human(&mut stdout, &summary)
    }
    .map_err(|e| format!("cannot write the summary: {e}"))
}

fn hook_specs(path: Option<&Path>) -> Result<Vec<HookSpec>, String> {
    match path {
        Some(path) => read_hook_file(path),
        None => parse_hook_file(knhk_pipeline::SAMPLE_HOOKS, "data/hooks.toml (bundled)"),
    }
    .map_err(|e| e.to_string())
}

fn create(path: Option<&Path>) -> Result<Option<BufWriter<File>>, String> {
    path.map(|path| {
        File::create(path)
            .map(BufWriter::new)
            .map_err(|e| format!("{}: cannot create: {e}", path.display()))
    })
    .transpose()
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

fn print_human(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    let allocations = s
        .hot_path_allocations
        .map_or_else(|| "not measured".to_owned(), |n| n.to_string());
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
    )
}

fn print_json(out: &mut impl Write, s: &Summary) -> io::Result<()> {
    let value = serde_json::json!({
        "triples_ingested": s.triples_ingested,
        "triples_loaded": s.triples_loaded,
        "skipped_invalid": s.skipped_invalid,
        "runs": s.runs,
        "blocks": s.blocks,
        "hooks_evaluated": s.hooks_evaluated,
        "receipts": s.receipts,
        "actions": s.actions,
        "parked": s.parked,
        "pool_drains": s.pool_drains,
        "hooks": s.hooks,
        "hot_path_allocations": s.hot_path_allocations,
        "elapsed_ms": s.elapsed_ms,
        "triples_per_sec": s.triples_per_sec,
    });
    serde_json::to_writer(&mut *out, &value)?;
    writeln!(out)
}

fn gen(args: &GenArgs) -> Result<(), String> {
    let options = GenerateOptions {
        triples: args.triples,
        seed: args.seed,
    };
    let result = match &args.output {
        Some(path) => {
            let file = File::create(path)
                .map_err(|e| format!("{}: cannot create: {e}", path.display()))?;
            generate(&options, BufWriter::new(file))
        }
        None => generate(&options, BufWriter::new(io::stdout().lock())),
    };
    result
        .map(drop)
        .map_err(|e| format!("cannot write the dataset: {e}"))
}
