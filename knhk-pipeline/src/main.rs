//! `knhk`: run the KNHK pipeline on RDF files, or generate a synthetic dataset. A thin shell
//! over the `knhk_pipeline` library: clap parses the arguments into the options of one
//! [`knhk_pipeline::cli`] function per subcommand, and this file prints its error.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use knhk_pipeline::cli::provenance::DEFAULT_MAX_PROOF_BYTES;
use knhk_pipeline::cli::provenance::{self, ProveOptions, VerifyOptions};
use knhk_pipeline::cli::{
    self, CliError, GenOptions, HooksOptions, Input, RunOptions, BROKEN_PIPE_EXIT,
};
use knhk_pipeline::generate::GenerateOptions;
use knhk_pipeline::hooks::DEFAULT_MAX_HOOK_FILE_BYTES;
use knhk_pipeline::ingest::{Format, IngestOptions};
use knhk_pipeline::pipeline::PipelineConfig;
use knhk_pipeline::provenance::receipts_file::DEFAULT_MAX_RECORD_BYTES;
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
    /// Check a receipts file's lockchain; with --input, also that a re-run gives exactly it.
    Verify(VerifyArgs),
    /// Print the inclusion proof of one receipt in its commit, as JSON.
    Prove(ProveArgs),
    /// Check a hook file; print each hook as the op and constants it runs as (SPARQL compiled).
    Hooks(HooksArgs),
}

#[derive(clap::Args)]
struct HooksArgs {
    /// Hook file (TOML); without it, the bundled sample hooks.
    file: Option<PathBuf>,
}

#[derive(clap::Args)]
struct VerifyArgs {
    /// The receipts file (JSON Lines, as `knhk run --receipts` writes it).
    #[arg(long, required_unless_present = "proof", conflicts_with = "proof")]
    receipts: Option<PathBuf>,
    /// Also re-run the pipeline on this data and compare every receipt and commit (ticks
    /// aside); read as `knhk run` reads it (compressed, `-` for standard input).
    #[arg(long, requires = "receipts")]
    input: Option<PathBuf>,
    /// Hook file for the re-run; without it, the bundled sample hooks.
    #[arg(long, requires = "input")]
    hooks: Option<PathBuf>,
    /// The input's syntax, when its extension does not say.
    #[arg(long, value_enum, requires = "input")]
    format: Option<FormatArg>,
    /// Base IRI for relative IRIs in Turtle [default: the file's own file:// URI].
    #[arg(long, requires = "input")]
    base: Option<String>,
    /// The re-run skips malformed statements (give it if the run did).
    #[arg(long, requires = "input")]
    skip_invalid: bool,
    /// Longest N-Triples line of the input, in bytes.
    #[arg(long, requires = "input", default_value_t = IngestOptions::DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Longest Turtle statement of the input, in bytes.
    #[arg(long, requires = "input", default_value_t = IngestOptions::DEFAULT_MAX_STATEMENT_BYTES)]
    max_statement_bytes: usize,
    /// Most bytes of the hook file read.
    #[arg(long, default_value_t = DEFAULT_MAX_HOOK_FILE_BYTES)]
    max_hook_file_bytes: u64,
    /// Longest line of the receipts file, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: usize,
    /// Check an inclusion proof (from `knhk prove`) on its own.
    #[arg(long)]
    proof: Option<PathBuf>,
    /// Most bytes of the proof read.
    #[arg(long, default_value_t = DEFAULT_MAX_PROOF_BYTES)]
    max_proof_bytes: u64,
}

#[derive(clap::Args)]
struct ProveArgs {
    /// The receipts file.
    #[arg(long)]
    receipts: PathBuf,
    /// The `seq` of the receipt to prove.
    #[arg(long)]
    seq: u64,
    /// Longest line of the receipts file, in bytes.
    #[arg(long, default_value_t = DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: usize,
}

#[derive(clap::Args)]
struct RunArgs {
    /// N-Triples (.nt, .ntriples) or Turtle (.ttl, .turtle) file, optionally compressed
    /// (.gz, .zst); `-` reads standard input (N-Triples unless --format says otherwise);
    /// without it, the bundled sample dataset.
    file: Option<PathBuf>,
    /// Hook file (TOML); without it, the bundled sample hooks.
    #[arg(long)]
    hooks: Option<PathBuf>,
    /// Most bytes of the hook file read.
    #[arg(long, default_value_t = DEFAULT_MAX_HOOK_FILE_BYTES)]
    max_hook_file_bytes: u64,
    /// Write receipts here as JSON Lines (replaced only when the run succeeds).
    #[arg(long)]
    receipts: Option<PathBuf>,
    /// Write constructed triples here as N-Triples (replaced only when the run succeeds).
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
    /// Base IRI for relative IRIs in Turtle [default: the file's own file:// URI; standard
    /// input has none].
    #[arg(long)]
    base: Option<String>,
    /// Longest N-Triples line, in bytes.
    #[arg(long, default_value_t = IngestOptions::DEFAULT_MAX_LINE_BYTES)]
    max_line_bytes: usize,
    /// Longest Turtle statement (and so token), in bytes.
    #[arg(long, default_value_t = IngestOptions::DEFAULT_MAX_STATEMENT_BYTES)]
    max_statement_bytes: usize,
    /// Threads for N-Triples: parsing is spread over them, ids and outputs stay those of a
    /// one-thread run; above 1 the input is also read ahead on a thread of its own; 1 spawns
    /// none [default: the CPUs available].
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=1024))]
    threads: Option<u32>,
    /// Blocks in the block pool (at most what fits in 1 GiB).
    #[arg(long, default_value_t = PipelineConfig::default().block_capacity)]
    blocks: usize,
    /// Receipts in the receipt pool (at most what fits in 1 GiB).
    #[arg(long = "receipt-pool", default_value_t = PipelineConfig::default().receipt_capacity)]
    receipt_pool: usize,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    /// N-Triples.
    #[value(alias = "ntriples")]
    Nt,
    /// Turtle.
    #[value(alias = "turtle")]
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
    /// Write here instead of stdout (replaced only when complete).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

impl From<FormatArg> for Format {
    fn from(format: FormatArg) -> Self {
        match format {
            FormatArg::Nt => Format::NTriples,
            FormatArg::Ttl => Format::Turtle,
        }
    }
}

impl From<RunArgs> for RunOptions {
    fn from(args: RunArgs) -> Self {
        RunOptions {
            input: Input::from_arg(args.file),
            format: args.format.map(Format::from),
            hooks: args.hooks,
            max_hook_file_bytes: args.max_hook_file_bytes,
            receipts: args.receipts,
            actions: args.actions,
            json: args.json,
            ingest: IngestOptions {
                base_iri: args.base,
                skip_invalid: args.skip_invalid,
                max_line_bytes: args.max_line_bytes,
                max_statement_bytes: args.max_statement_bytes,
                threads: args
                    .threads
                    .map_or_else(IngestOptions::available_threads, |n| n as usize),
                ..IngestOptions::default()
            },
            blocks: args.blocks,
            receipt_pool: args.receipt_pool,
        }
    }
}

impl From<GenArgs> for GenOptions {
    fn from(args: GenArgs) -> Self {
        GenOptions {
            generate: GenerateOptions {
                triples: args.triples,
                seed: args.seed,
            },
            output: args.output,
        }
    }
}

impl From<VerifyArgs> for VerifyOptions {
    fn from(args: VerifyArgs) -> Self {
        VerifyOptions {
            receipts: args.receipts,
            input: args.input.map(|path| Input::from_arg(Some(path))),
            hooks: args.hooks,
            format: args.format.map(Format::from),
            ingest: IngestOptions {
                base_iri: args.base,
                skip_invalid: args.skip_invalid,
                max_line_bytes: args.max_line_bytes,
                max_statement_bytes: args.max_statement_bytes,
                ..IngestOptions::default()
            },
            proof: args.proof,
            max_record_bytes: args.max_record_bytes,
            max_proof_bytes: args.max_proof_bytes,
            max_hook_file_bytes: args.max_hook_file_bytes,
        }
    }
}

impl From<ProveArgs> for ProveOptions {
    fn from(args: ProveArgs) -> Self {
        ProveOptions {
            receipts: args.receipts,
            seq: args.seq,
            max_record_bytes: args.max_record_bytes,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Without it (it cannot fail short of a system without threads), an interrupted command
    // still leaves every earlier file as it was; only its temporary file would stay.
    let _ = cli::exit_cleanly_on_interrupt();
    let stdout = &mut io::stdout().lock();
    let outcome: Result<(), CliError> = match cli.command {
        Command::Run(args) => cli::run(&args.into(), stdout).map(drop),
        Command::Gen(args) => cli::gen(&args.into(), stdout),
        Command::Verify(args) => provenance::verify(&args.into(), stdout).map_err(CliError::from),
        Command::Prove(args) => provenance::prove(&args.into(), stdout).map_err(CliError::from),
        Command::Hooks(args) => cli::hooks(&HooksOptions { hooks: args.file }, stdout),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away: stop quietly, as `cat` does.
        Err(error) if error.is_broken_pipe() => ExitCode::from(BROKEN_PIPE_EXIT),
        Err(error) => {
            // A closed stderr must not turn an error into a panic: ignore a failed write.
            let _ = writeln!(io::stderr(), "knhk: error: {error}");
            ExitCode::FAILURE
        }
    }
}
