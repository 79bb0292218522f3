//! `knhk run --shard I/N` (or `--byte-range START:END`, or `--manifest FILE` alone for the
//! whole file): run one part of an N-Triples file and write its manifest, through the
//! library's [`crate::shard`] module. The input and the hook file are opened once each, as
//! `knhk run` opens them, and compared with the outputs before any is created.

use std::io::Write;
use std::path::Path;

use crate::hooks::{parse_hook_file_with_spans, HookError, HookFileSpans, HookSpec};
use crate::shard::{hooks_hash, run_part, HookFileIdentity, Part, PartInput, ShardError};

use super::error::CliError;
use super::input::{read_hook_source, Input};
use super::output::{check_paths, AtomicFile, InputIdentity, OutputError};
use super::run::{output_sink, pipeline_with_hooks, print_report, RunOptions, RunReport};

/// Runs the part `options` name, writes the outputs and the manifest only on success, and
/// prints the summary.
///
/// # Errors
///
/// A [`CliError`]; on any error no output path has been changed.
pub(super) fn run(options: &RunOptions, stdout: &mut dyn Write) -> Result<RunReport, CliError> {
    let (specs, spans, hooks_identity, hooks) =
        read_hooks_hashed(options.hooks.as_deref(), options.max_hook_file_bytes)?;
    let Input::File(path) = &options.input else {
        return Err(ShardError::NotAFile {
            input: options.input.describe(),
        }
        .into());
    };
    let input = PartInput::open(path, options.part.unwrap_or(Part::WHOLE), options.format)?;
    let inputs: Vec<_> = [
        Some(InputIdentity::of_file("input", path, input.file())),
        hooks_identity,
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut outputs: Vec<(&'static str, &Path)> = Vec::new();
    for (flag, path) in [
        ("--receipts", &options.receipts),
        ("--actions", &options.actions),
        ("--manifest", &options.manifest),
    ] {
        if let Some(path) = path {
            outputs.push((flag, path));
        }
    }
    check_paths(&inputs, &outputs)?;

    let mut pipeline = pipeline_with_hooks(options, &specs, &spans)?;
    let mut sink = output_sink(options)?;
    let manifest_file = options
        .manifest
        .as_deref()
        .map(AtomicFile::create)
        .transpose()?;
    let (summary, manifest) = run_part(
        &mut pipeline,
        input,
        hooks,
        options.ingest.clone(),
        &mut sink,
    )?;
    let (receipts, actions) = sink.into_inner();
    for output in [receipts, actions].into_iter().flatten() {
        output.commit()?;
    }
    if let Some(mut file) = manifest_file {
        writeln!(file, "{}", manifest.to_json()).map_err(|error| OutputError::Commit {
            path: file.path().to_owned(),
            error,
        })?;
        file.commit()?;
    }
    let report = RunReport::new(
        format!("{} ({})", options.input.describe(), manifest.describe()),
        summary,
        &pipeline,
    );
    print_report(options.json, &report, stdout)?;
    Ok(report)
}

/// The hook file read once (as `knhk run` reads it, at most `max_bytes`): its hooks, their
/// places, what was opened, and its name and the hash of its bytes for the manifest. The
/// bundled hooks when `path` is `None`.
fn read_hooks_hashed(
    path: Option<&Path>,
    max_bytes: u64,
) -> Result<
    (
        Vec<HookSpec>,
        HookFileSpans,
        Option<InputIdentity>,
        HookFileIdentity,
    ),
    HookError,
> {
    let source = read_hook_source(path, max_bytes)?;
    let (specs, spans) = parse_hook_file_with_spans(&source.text, &source.name)?;
    let hooks = HookFileIdentity {
        hash: hooks_hash(source.text.as_bytes()),
        name: source.name,
    };
    Ok((specs, spans, source.identity, hooks))
}
