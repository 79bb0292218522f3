//! The `knhk verify` and `knhk prove` commands as library functions: the binary only parses
//! arguments into [`VerifyOptions`] or [`ProveOptions`] and prints the error.

// Errors carry `VerifyError` and `ProofError` by value (see `verify`).
#![allow(clippy::result_large_err)]

use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};

use crate::hooks::{parse_hook_file, read_hook_file, HookError};
use crate::ingest::{Format, IngestOptions, TripleReader};
use crate::pipeline::PipelineConfig;
use crate::provenance::proof::{self, ProofError};
use crate::provenance::receipts_file::Value;
use crate::provenance::verify::{self, VerifyError};

/// What `knhk verify` checks.
#[derive(Clone, Debug, Default)]
pub struct VerifyOptions {
    /// The receipts file (ignored when `proof` is set).
    pub receipts: Option<PathBuf>,
    /// Data to re-run the pipeline on; `None`: the offline check only.
    pub input: Option<PathBuf>,
    /// Hook file for the re-run; `None`: the bundled sample hooks.
    pub hooks: Option<PathBuf>,
    /// The input's syntax; `None`: from its extension.
    pub format: Option<Format>,
    /// How the re-run reads the input (base IRI, skipping malformed statements).
    pub ingest: IngestOptions,
    /// An inclusion proof to check on its own.
    pub proof: Option<PathBuf>,
}

/// What `knhk prove` proves.
#[derive(Clone, Debug)]
pub struct ProveOptions {
    /// The receipts file.
    pub receipts: PathBuf,
    /// The `seq` of the receipt.
    pub seq: u64,
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
    /// Neither a receipts file nor a proof was given.
    #[error("give --receipts FILE or --proof FILE")]
    NothingToVerify,
    /// The input's format is not given and its extension does not say.
    #[error("{path}: unknown RDF format: use a .nt or .ttl extension or --format")]
    UnknownFormat {
        /// The input.
        path: PathBuf,
    },
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

fn open(path: &Path) -> Result<BufReader<File>, ProvenanceCliError> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|error| ProvenanceCliError::Open {
            path: path.to_owned(),
            error,
        })
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
        let text = std::fs::read_to_string(path).map_err(|error| ProvenanceCliError::Read {
            path: path.clone(),
            error,
        })?;
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
    let verified = verify::verify_records(open(receipts)?).map_err(failed)?;
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
    let format = match options.format {
        Some(format) => format,
        None => Format::from_path(input).ok_or_else(|| ProvenanceCliError::UnknownFormat {
            path: input.clone(),
        })?,
    };
    let hooks = match &options.hooks {
        Some(path) => read_hook_file(path)?,
        None => parse_hook_file(crate::SAMPLE_HOOKS, "data/hooks.toml (bundled)")?,
    };
    let data = TripleReader::new(open(input)?, format, options.ingest.clone())
        .with_source_name(input.display().to_string());
    verify::verify_rerun(
        open(receipts)?,
        data,
        &hooks,
        PipelineConfig::default().batch_triples,
    )
    .map_err(failed)?;
    written(writeln!(
        out,
        "ok: re-running {} gives exactly these receipts and commits (ticks aside)",
        input.display()
    ))
}

/// `knhk prove`: writes the inclusion proof of one receipt as pretty-printed JSON.
///
/// # Errors
///
/// The receipts file does not verify, no receipt has that `seq`, or writing failed.
pub fn prove(options: &ProveOptions, out: &mut dyn Write) -> Result<(), ProvenanceCliError> {
    let proof = proof::prove(open(&options.receipts)?, options.seq).map_err(|error| {
        ProvenanceCliError::Proof {
            path: options.receipts.clone(),
            error,
        }
    })?;
    serde_json::to_writer_pretty(&mut *out, &proof)
        .map_err(|error| ProvenanceCliError::Write(error.into()))?;
    writeln!(out).map_err(ProvenanceCliError::Write)
}
