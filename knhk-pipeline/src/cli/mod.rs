//! What the `knhk` commands do. `main.rs` only parses arguments (clap) and prints errors;
//! each subcommand is one function taking its options, so a new subcommand is a new options
//! struct and function, and everything is testable as a library. This module exists for the
//! `knhk` binary (a separate crate target, which can reach only public items): it is public
//! but hidden from the docs, and not part of the library's API.
//!
//! Files, in the order a command runs:
//! - `run.rs`: `knhk run`: [`RunOptions`] in, the pipeline over the input, [`RunReport`] out.
//! - `gen.rs`: `knhk gen`: the synthetic dataset.
//! - `provenance.rs`: `knhk verify` and `knhk prove`.
//! - `output.rs`: output files that refuse to overwrite an input and appear only on success.
//! - `mod.rs` (here): [`CliError`], what any command can fail with, and the pool-size checks.

// `CliError` carries the provenance errors by value (about 150 bytes) rather than boxed: the
// error path allocates nothing, and a command returns it once.
#![allow(clippy::result_large_err)]

use std::io;
use std::path::PathBuf;

use crate::hooks::{HookError, HookFileLocation};
use crate::ingest::IngestError;
use crate::pipeline::PipelineError;

mod gen;
pub mod output;
pub mod provenance;
mod run;

pub use gen::{gen, GenOptions};
use output::OutputError;
pub use run::{run, Input, RunOptions, RunReport};

/// The most memory one pool may take: `--blocks` and `--receipt-pool` are checked against
/// it, so a typo such as `--blocks 100000000` is an error naming the size, not a 25 GB
/// allocation that aborts.
pub const MAX_POOL_BYTES: u64 = 1 << 30;

/// Exit status for output cut short by a closed pipe: 128 + SIGPIPE, what a shell reports
/// for `cat` killed by the same pipe. Nothing is printed.
pub const BROKEN_PIPE_EXIT: u8 = 141;

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Reading the input or running the pipeline failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// Opening the input failed.
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The hook file is wrong.
    #[error(transparent)]
    Hook(#[from] HookError),
    /// A hook in the hook file is wrong, at this place.
    #[error("{at}: {error}")]
    HookAt {
        /// Where in the hook file.
        at: Box<HookFileLocation>,
        /// What is wrong.
        #[source]
        error: Box<HookError>,
    },
    /// An output path is unsafe or could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// `knhk verify` found a difference, or `knhk prove` could not build the proof.
    #[error(transparent)]
    Provenance(#[from] provenance::ProvenanceCliError),
    /// A pool size is 0.
    #[error("{flag} must be at least 1")]
    PoolEmpty {
        /// The flag.
        flag: &'static str,
    },
    /// A pool would take more memory than [`MAX_POOL_BYTES`].
    #[error("{flag} {count} is too large: it would take {bytes} bytes ({per_item} per item); the limit is {max} ({} MiB of pool memory)", MAX_POOL_BYTES >> 20)]
    PoolTooLarge {
        /// The flag.
        flag: &'static str,
        /// The size asked for.
        count: usize,
        /// Bytes it would take.
        bytes: u128,
        /// Bytes per pooled item.
        per_item: usize,
        /// The largest size allowed.
        max: u64,
    },
    /// The file name names no known format and `--format` was not given.
    #[error("{}: unknown RDF format: use a .nt, .ntriples, .ttl or .turtle extension (optionally .gz or .zst) or --format", path.display())]
    UnknownFormat {
        /// The path.
        path: PathBuf,
    },
    /// Writing to standard output failed.
    #[error("cannot write {what}: {error}")]
    Write {
        /// What was being written.
        what: &'static str,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
}

impl CliError {
    /// Whether the error is a closed pipe on standard output: the reader went away, which
    /// ends the program quietly rather than with an error message.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, CliError::Write { error, .. } if error.kind() == io::ErrorKind::BrokenPipe)
    }
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
