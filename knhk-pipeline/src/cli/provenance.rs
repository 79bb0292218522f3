//! The `knhk verify` and `knhk prove` commands as library functions: the binary only parses
//! arguments into [`VerifyOptions`] or [`ProveOptions`] and prints the error.

// Errors carry `VerifyError` and `ProofError` by value (see `verify`).
#![allow(clippy::result_large_err)]

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::hooks::HookError;
use crate::ingest::{Format, IngestOptions};
use crate::pipeline::PipelineConfig;
use crate::provenance::proof::{self, ProofError};
use crate::provenance::receipts_file::{LineLimit, Value};
use crate::provenance::verify::{self, VerifyError};

use super::input::{read_hooks, Input, InputError};

/// What `knhk verify` checks.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// The receipts file (ignored when `proof` is set).
    pub receipts: Option<PathBuf>,
    /// Data to re-run the pipeline on, opened as `knhk run` opens it; `None`: the offline
    /// check only.
    pub input: Option<Input>,
    /// Hook file for the re-run; `None`: the bundled sample hooks.
    pub hooks: Option<PathBuf>,
    /// The input's syntax; `None`: from its extension.
    pub format: Option<Format>,
    /// How the re-run reads the input (base IRI, skipping malformed statements).
    pub ingest: IngestOptions,
    /// An inclusion proof to check on its own.
    pub proof: Option<PathBuf>,
    /// The longest receipts-file line read.
    pub max_record_bytes: usize,
    /// The most bytes of a proof read.
    pub max_proof_bytes: u64,
    /// The most bytes of the hook file read.
    pub max_hook_file_bytes: u64,
}

/// What `knhk prove` proves.
#[derive(Clone, Debug)]
pub struct ProveOptions {
    /// The receipts file.
    pub receipts: PathBuf,
    /// The `seq` of the receipt.
    pub seq: u64,
    /// The longest receipts-file line read.
    pub max_record_bytes: usize,
}

/// Why `knhk verify` or `knhk prove` failed.
#[derive(Debug, thiserror::Error)]
pub enum ProvenanceCliError {
    /// A file could not be opened.
    #[error("{path}: cannot open: {error}")]
    Open {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// A file could not be opened or read.
    #[error("{path}: cannot read: {error}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// The receipts file cannot be read a second time for the re-run (a pipe).
    #[error("{path}: cannot read it again for the re-run: {error}; give a regular file")]
    Reread {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// A proof file is longer than the limit (an endless or wrong file).
    #[error("{path}: proof longer than {max_bytes} bytes; raise the limit with --max-proof-bytes")]
    ProofTooLarge {
        /// The file.
        path: PathBuf,
        /// The limit, in bytes.
        max_bytes: u64,
    },
    /// Neither a receipts file nor a proof was given.
    #[error("give --receipts FILE or --proof FILE")]
    NothingToVerify,
    /// The input of the re-run could not be opened.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The hook file is wrong.
    #[error(transparent)]
    Hooks(#[from] HookError),
    /// The receipts file does not verify (or its re-run differs).
    #[error("{path}: {error}")]
    Verify {
        /// The receipts file.
        path: PathBuf,
        /// What differs, and where.
        #[source]
        error: VerifyError,
    },
    /// The proof could not be made, or does not hold.
    #[error("{path}: {error}")]
    Proof {
        /// The receipts file or the proof.
        path: PathBuf,
        /// What is wrong.
        #[source]
        error: ProofError,
    },
    /// Writing to standard output failed.
    #[error("cannot write the result: {0}")]
    Write(#[source] io::Error),
}

fn open(path: &Path) -> Result<File, ProvenanceCliError> {
    File::open(path).map_err(|error| ProvenanceCliError::Open {
        path: path.to_owned(),
        error,
    })
}

/// A receipts file's lines, read from `file`'s current position, each at most `max_bytes`.
fn records(file: File, max_bytes: usize) -> LineLimit<BufReader<File>> {
    LineLimit::new(BufReader::with_capacity(64 << 10, file), max_bytes)
}

/// The most bytes of a proof read by default: a proof holds one receipt, one commit and a
/// hash per level of its tree, a few kilobytes.
pub const DEFAULT_MAX_PROOF_BYTES: u64 = 1 << 20;

/// A proof file's text, at most `max_bytes` of it.
fn read_proof(path: &Path, max_bytes: u64) -> Result<String, ProvenanceCliError> {
    let read_error = |error| ProvenanceCliError::Read {
        path: path.to_owned(),
        error,
    };
    let mut text = String::new();
    open(path)?
        .take(max_bytes.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(read_error)?;
    if text.len() as u64 > max_bytes {
        return Err(ProvenanceCliError::ProofTooLarge {
            path: path.to_owned(),
            max_bytes,
        });
    }
    Ok(text)
}

/// `knhk verify`: checks a receipts file offline and, with an input, against a re-run; or
/// checks a proof alone. Writes one `ok: ...` line per check that holds.
///
/// # Errors
///
/// The first check that fails, naming the file, the line and what differs.
pub fn verify(options: &VerifyOptions, out: &mut dyn Write) -> Result<(), ProvenanceCliError> {
    let written = |result: io::Result<()>| result.map_err(ProvenanceCliError::Write);
    if let Some(path) = &options.proof {
        let failed = |error| ProvenanceCliError::Proof {
            path: path.clone(),
            error,
        };
        let text = read_proof(path, options.max_proof_bytes)?;
        let parsed = proof::parse_proof(&text).map_err(failed)?;
        let proven = proof::check_proof(&parsed).map_err(failed)?;
        return written(writeln!(
            out,
            "ok: receipt seq {} is leaf {} of {} in commit {} (hash {})",
            proven.seq,
            proven.leaf_index,
            proven.tree_size,
            proven.commit,
            Value::Hash(proven.commit_hash)
        ));
    }
    let receipts = options
        .receipts
        .as_ref()
        .ok_or(ProvenanceCliError::NothingToVerify)?;
    let failed = |error| ProvenanceCliError::Verify {
        path: receipts.clone(),
        error,
    };
    // Opened once: the re-run reads the same open file again from its start.
    let mut file = open(receipts)?;
    let first_pass = file.try_clone().map_err(|error| ProvenanceCliError::Open {
        path: receipts.clone(),
        error,
    })?;
    let verified =
        verify::verify_records(records(first_pass, options.max_record_bytes)).map_err(failed)?;
    written(writeln!(
        out,
        "ok: {}: {} receipts and {} commits hold together; chain head {}",
        receipts.display(),
        verified.receipts,
        verified.commits,
        Value::Hash(verified.head)
    ))?;
    let Some(input) = &options.input else {
        return Ok(());
    };
    let (hooks, _, _) = read_hooks(options.hooks.as_deref(), options.max_hook_file_bytes)?;
    let data = input.open(options.format, options.ingest.clone())?;
    file.seek(SeekFrom::Start(0))
        .map_err(|error| ProvenanceCliError::Reread {
            path: receipts.clone(),
            error,
        })?;
    verify::verify_rerun(
        records(file, options.max_record_bytes),
        data.reader,
        &hooks,
        PipelineConfig::default().batch_triples,
    )
    .map_err(failed)?;
    data.progress.finish_and_clear();
    written(writeln!(
        out,
        "ok: re-running {} gives exactly these receipts and commits (ticks aside)",
        input.describe()
    ))
}

/// `knhk prove`: writes the inclusion proof of one receipt as pretty-printed JSON.
///
/// # Errors
///
/// The receipts file does not verify, no receipt has that `seq`, or writing failed.
pub fn prove(options: &ProveOptions, out: &mut dyn Write) -> Result<(), ProvenanceCliError> {
    let file = records(open(&options.receipts)?, options.max_record_bytes);
    let proof = proof::prove(file, options.seq).map_err(|error| ProvenanceCliError::Proof {
        path: options.receipts.clone(),
        error,
    })?;
    serde_json::to_writer_pretty(&mut *out, &proof)
        .map_err(|error| ProvenanceCliError::Write(error.into()))?;
    writeln!(out).map_err(ProvenanceCliError::Write)
}
