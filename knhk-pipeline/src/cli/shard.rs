//! `knhk run --shard I/N` (or `--byte-range START:END`, or `--manifest FILE` alone for the
//! whole file): run one part of an N-Triples file and write its manifest, through the
//! library's [`crate::shard`] module.

use std::io::Write;
use std::path::Path;

use crate::emit::WriterSink;
use crate::hooks::HookError;
use crate::pipeline::Pipeline;
use crate::shard::{hooks_hash, run_part, HookFileIdentity, Part, PartInput, ShardError};

use super::error::CliError;
use super::output::AtomicFile;
use super::run::{print_report, Input, RunOptions, RunReport};

/// Runs the part `options` name on `pipeline` (its hooks registered), writes the outputs and
/// the manifest only on success, and prints the summary.
///
/// # Errors
///
/// A [`CliError`]; on any error no output path has been changed.
pub(super) fn run(
    options: &RunOptions,
    pipeline: &mut Pipeline,
    stdout: &mut dyn Write,
) -> Result<RunReport, CliError> {
    let Input::File(path) = &options.input else {
        return Err(ShardError::NotAFile {
            input: options.input.describe(),
        }
        .into());
    };
    let part = options.part.unwrap_or(Part::WHOLE);
    let input = PartInput::open(path, part, options.format)?;
    let hooks = hook_file_identity(options.hooks.as_deref())?;
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
    let manifest_file = options
        .manifest
        .as_deref()
        .map(AtomicFile::create)
        .transpose()?;
    let (summary, manifest) = run_part(pipeline, input, hooks, options.ingest.clone(), &mut sink)?;
    let (receipts, actions) = sink.into_inner();
    for output in [receipts, actions].into_iter().flatten() {
        output.commit()?;
    }
    if let Some(mut file) = manifest_file {
        let written = writeln!(file, "{}", manifest.to_json());
        written.map_err(|error| super::output::OutputError::Commit {
            path: file.path().to_owned(),
            error,
        })?;
        file.commit()?;
    }
    let report = RunReport {
        input: format!("{} ({})", options.input.describe(), manifest.describe()),
        summary,
        hooks_never_matched: pipeline
            .hooks_never_matched()
            .map(|hook| hook.name.clone())
            .collect(),
    };
    print_report(options.json, &report, stdout)?;
    Ok(report)
}

/// The hook file's name and the hash of its bytes (the bundled hooks when `None`).
fn hook_file_identity(path: Option<&Path>) -> Result<HookFileIdentity, HookError> {
    Ok(match path {
        Some(path) => HookFileIdentity {
            name: path.display().to_string(),
            hash: hooks_hash(&std::fs::read(path).map_err(|error| HookError::Read {
                path: path.display().to_string(),
                error,
            })?),
        },
        None => HookFileIdentity {
            name: "data/hooks.toml (bundled)".to_owned(),
            hash: hooks_hash(crate::SAMPLE_HOOKS.as_bytes()),
        },
    })
}
