//! `knhk merge`, `knhk verify --merged` and `knhk prove --merged`: the parts' manifests into
//! one merged manifest and summary, and the merged root checked and proven, through the
//! library's [`crate::shard`] module.

// Errors carry the verifier's and the proof's errors by value, as `provenance.rs` does.
#![allow(clippy::result_large_err)]

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::ops::OpKind;
use crate::pipeline::{HookOutcome, Parked, Summary};
use crate::provenance::receipts_file::{LineLimit, Value, DEFAULT_MAX_RECORD_BYTES};
use crate::shard::{
    check_merged_proof, merge as merge_parts, parse_merged_proof, prove_merged,
    verify_merged as verify_parts, Manifest, MergeError, MergedManifest, MergedProofError,
    MergedVerifyError, Named,
};

use super::error::CliError;
use super::output::{check_paths, AtomicFile, InputIdentity, OutputError};
use super::run::{print_report, RunReport};

/// Options of `knhk merge`.
#[derive(Clone, Debug, Default)]
pub struct MergeOptions {
    /// The parts' manifests, in any order.
    pub manifests: Vec<PathBuf>,
    /// Write the merged manifest here.
    pub output: Option<PathBuf>,
    /// Print the summary as JSON (the shape of `knhk run --json`'s).
    pub json: bool,
}

/// Why `knhk merge`, `verify --merged` or `prove --merged` failed.
#[derive(Debug, thiserror::Error)]
pub enum MergeCliError {
    /// A file could not be read.
    #[error("{}: cannot read: {error}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// A manifest is not JSON of its shape.
    #[error("{}: line {line}, column {column}: not a shard manifest: {error}", path.display())]
    Manifest {
        /// The file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde's description.
        #[source]
        error: serde_json::Error,
    },
    /// The manifests do not merge.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// The merged manifest or a receipts file does not verify.
    #[error(transparent)]
    Verify(#[from] MergedVerifyError),
    /// The proof could not be made or does not hold.
    #[error("{}: {error}", path.display())]
    Proof {
        /// The receipts file or the proof.
        path: PathBuf,
        /// What is wrong.
        #[source]
        error: MergedProofError,
    },
    /// A file is larger than any this command reads.
    #[error("{}: larger than {max_bytes} bytes: not a file this command reads", path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// The limit.
        max_bytes: u64,
    },
    /// Writing to standard output failed.
    #[error("cannot write the result: {0}")]
    Write(#[source] io::Error),
}

/// The most bytes of a manifest, a merged manifest or a merged proof read: a manifest is a
/// few kilobytes, so this holds the merge of some hundred thousand parts.
pub const MAX_MANIFEST_BYTES: u64 = 1 << 30;

fn open(path: &Path) -> Result<File, MergeCliError> {
    File::open(path).map_err(|error| MergeCliError::Read {
        path: path.to_owned(),
        error,
    })
}

/// The text of an opened file, at most [`MAX_MANIFEST_BYTES`] of it.
fn read_text(path: &Path, file: &File) -> Result<String, MergeCliError> {
    let mut text = String::new();
    file.take(MAX_MANIFEST_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|error| MergeCliError::Read {
            path: path.to_owned(),
            error,
        })?;
    if text.len() as u64 > MAX_MANIFEST_BYTES {
        return Err(MergeCliError::TooLarge {
            path: path.to_owned(),
            max_bytes: MAX_MANIFEST_BYTES,
        });
    }
    Ok(text)
}

fn read(path: &Path) -> Result<String, MergeCliError> {
    read_text(path, &open(path)?)
}

/// A receipts file's lines, from its start, each at most [`DEFAULT_MAX_RECORD_BYTES`].
fn records(file: &File) -> io::Result<LineLimit<BufReader<File>>> {
    let mut file = file.try_clone()?;
    file.seek(SeekFrom::Start(0))?;
    Ok(LineLimit::new(
        BufReader::with_capacity(64 << 10, file),
        DEFAULT_MAX_RECORD_BYTES,
    ))
}

/// `knhk merge`: reads the manifests, merges them, writes the merged manifest (only on
/// success) and prints the summary.
///
/// # Errors
///
/// A [`CliError`] naming the manifest at fault; no output is changed then.
pub fn merge(options: &MergeOptions, stdout: &mut dyn Write) -> Result<MergedManifest, CliError> {
    // Each manifest opened once, and compared with the output before it is created.
    let files = options
        .manifests
        .iter()
        .map(|path| open(path))
        .collect::<Result<Vec<_>, _>>()?;
    let inputs: Vec<InputIdentity> = options
        .manifests
        .iter()
        .zip(&files)
        .map(|(path, file)| InputIdentity::of_file("manifest", path, file))
        .collect();
    let outputs: Vec<(&'static str, &Path)> = options
        .output
        .iter()
        .map(|p| ("--output", p.as_path()))
        .collect();
    check_paths(&inputs, &outputs)?;
    let mut parts = Vec::with_capacity(options.manifests.len());
    for (path, file) in options.manifests.iter().zip(&files) {
        let manifest: Manifest =
            serde_json::from_str(&read_text(path, file)?).map_err(|error| {
                MergeCliError::Manifest {
                    path: path.clone(),
                    line: error.line(),
                    column: error.column(),
                    error,
                }
            })?;
        parts.push(Named {
            name: path.display().to_string(),
            manifest,
        });
    }
    let merged = merge_parts(parts).map_err(MergeCliError::from)?;
    if let Some(path) = &options.output {
        let mut file = AtomicFile::create(path)?;
        file.write_all(merged.to_text().as_bytes())
            .map_err(|error| OutputError::Commit {
                path: path.clone(),
                error,
            })?;
        file.commit()?;
    }
    let report = report_of(&merged);
    print_report(options.json, &report, stdout)?;
    if !options.json {
        writeln!(
            stdout,
            "parts                 {}\nmerged root           {}",
            merged.parts,
            Value::Hash(merged.root)
        )
        .map_err(MergeCliError::Write)?;
    }
    Ok(merged)
}

/// The summary `knhk run --json` would print, from a merged manifest.
pub fn report_of(merged: &MergedManifest) -> RunReport {
    let c = &merged.counts;
    let elapsed_ms = merged.measured.elapsed_us as f64 / 1000.0;
    let hooks: Vec<HookOutcome> = merged
        .hooks_results
        .iter()
        .map(|hook| HookOutcome {
            name: hook.name.clone(),
            kind: OpKind::from_name(&hook.kind).map_or("unknown", OpKind::name),
            result: hook.result,
            fired: hook.fired,
            receipts: hook.receipts,
            ticks: hook.ticks,
        })
        .collect();
    RunReport {
        input: format!("{} ({} parts merged)", merged.input.name, merged.parts),
        hooks_never_matched: hooks
            .iter()
            .filter(|hook| hook.receipts == 0)
            .map(|hook| hook.name.clone())
            .collect(),
        summary: Summary {
            triples_ingested: c.triples_ingested,
            triples_loaded: c.triples_loaded,
            skipped_invalid: c.skipped_invalid,
            runs: c.runs,
            blocks: c.blocks,
            hooks_evaluated: c.hooks_evaluated,
            receipts: c.receipts,
            actions: c.actions,
            parked: Parked {
                total: c.parked.total,
                warm_op: c.parked.warm_op,
                over_budget: c.parked.over_budget,
                warm_lookup: c.parked.warm_lookup,
            },
            pool_drains: c.pool_drains,
            hooks,
            hot_path_allocations: merged.measured.hot_path_allocations,
            elapsed_ms,
            triples_per_sec: if elapsed_ms > 0.0 {
                c.triples_ingested as f64 / (elapsed_ms / 1000.0)
            } else {
                0.0
            },
        },
    }
}

/// `knhk verify --merged MERGED --receipts FILE...`: the merged manifest against its parts,
/// and every part's receipts file against its manifest.
///
/// # Errors
///
/// The first thing that does not hold, naming the file and line.
pub fn verify_merged(
    merged: &Path,
    receipts: &[PathBuf],
    stdout: &mut dyn Write,
) -> Result<(), CliError> {
    let text = read(merged)?;
    let files = receipts
        .iter()
        .map(|path| {
            let lines = records(&open(path)?).map_err(|error| MergeCliError::Read {
                path: path.clone(),
                error,
            })?;
            Ok((path.display().to_string(), lines))
        })
        .collect::<Result<Vec<_>, MergeCliError>>()?;
    let verified =
        verify_parts(&merged.display().to_string(), &text, files).map_err(MergeCliError::from)?;
    writeln!(
        stdout,
        "ok: {}: {} parts merge to root {}; {} receipts files verify and end in their parts' chain heads",
        merged.display(),
        verified.merged.parts,
        Value::Hash(verified.merged.root),
        verified.receipts_files
    )
    .map_err(|error| MergeCliError::Write(error).into())
}

/// `knhk prove --merged MERGED --receipts FILE --seq N`: the proof of one receipt up to the
/// merged root, as pretty-printed JSON.
///
/// # Errors
///
/// The files do not verify, or no receipt has that `seq`.
pub fn prove_merged_receipt(
    merged: &Path,
    receipts: &Path,
    seq: u64,
    stdout: &mut dyn Write,
) -> Result<(), CliError> {
    let text = read(merged)?;
    let merged_manifest = MergedManifest::parse(&text).map_err(|error| {
        MergeCliError::Verify(MergedVerifyError::Syntax {
            path: merged.display().to_string(),
            error,
        })
    })?;
    // Opened once, walked twice (the receipt's proof, then the commits).
    let file = open(receipts)?;
    let proof = prove_merged(&merged_manifest, || records(&file), seq).map_err(|error| {
        MergeCliError::Proof {
            path: receipts.to_owned(),
            error,
        }
    })?;
    serde_json::to_writer_pretty(&mut *stdout, &proof)
        .map_err(io::Error::from)
        .and_then(|()| writeln!(stdout))
        .map_err(|error| MergeCliError::Write(error).into())
}

/// Whether the file at `path` is a merged inclusion proof (rather than one receipt's).
pub fn is_merged_proof(path: &Path) -> bool {
    read(path).is_ok_and(|text| {
        serde_json::from_str::<serde_json::Value>(&text)
            .is_ok_and(|value| value.get("merged_root").is_some())
    })
}

/// `knhk verify --proof FILE` for a merged proof: checks it alone.
///
/// # Errors
///
/// The first link that does not hold.
pub fn verify_merged_proof(path: &Path, stdout: &mut dyn Write) -> Result<(), CliError> {
    let failed = |error| MergeCliError::Proof {
        path: path.to_owned(),
        error,
    };
    let proof = parse_merged_proof(&read(path)?).map_err(failed)?;
    let proven = check_merged_proof(&proof).map_err(failed)?;
    writeln!(
        stdout,
        "ok: receipt seq {} is leaf {} of {} in commit {} of part {} of {}, under merged root {}",
        proven.receipt.seq,
        proven.receipt.leaf_index,
        proven.receipt.tree_size,
        proven.receipt.commit,
        proven.part_index,
        proven.parts,
        Value::Hash(proven.merged_root)
    )
    .map_err(|error| MergeCliError::Write(error).into())
}
