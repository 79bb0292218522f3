//! What a `knhk` command can fail with ([`CliError`]), and how the binary exits on it.

use std::io;

use crate::hooks::{HookError, HookFileLocation};
use crate::ingest::IngestError;
use crate::pipeline::PipelineError;

use super::input::InputError;
use super::output::OutputError;
use super::provenance::ProvenanceCliError;

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
    Provenance(#[from] ProvenanceCliError),
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
    /// The input could not be opened.
    #[error(transparent)]
    Input(#[from] InputError),
    /// `knhk gen --triples` above [`MAX_TRIPLES`](crate::generate::MAX_TRIPLES).
    #[error("--triples {triples} is too many: the generator keeps about 0.6 bytes of counters per triple, so it writes at most {max} triples")]
    TooManyTriples {
        /// The count asked for.
        triples: u64,
        /// The most it writes.
        max: u64,
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
        let error = match self {
            CliError::Write { error, .. } => error,
            CliError::Provenance(ProvenanceCliError::Write(error)) => error,
            _ => return false,
        };
        error.kind() == io::ErrorKind::BrokenPipe
    }
}
