//! `knhk hooks`: reads a hook file, checks every hook as `knhk run` would, and prints each as
//! the op and constants it runs as, in hook-file syntax: a `sparql` hook as what it compiled
//! to, a `kind` hook as written.

use std::io::Write;
use std::path::PathBuf;

use crate::hooks::{compile_hook, HookSpec, DEFAULT_MAX_HOOK_FILE_BYTES};
use crate::pipeline::{Pipeline, PipelineConfig};

use super::error::CliError;
use super::input::read_hooks;
use super::run::located;

/// Options of `knhk hooks`.
#[derive(Clone, Debug, Default)]
pub struct HooksOptions {
    /// The hook file; `None` for the bundled hooks.
    pub hooks: Option<PathBuf>,
}

/// `knhk hooks`: prints each hook of the file as the op and constants it runs as, as a hook
/// file would write them (so the output is itself a hook file).
///
/// # Errors
///
/// The first hook that does not compile or register, with its place in the file, as for
/// `knhk run`; or a failed write.
pub fn hooks(options: &HooksOptions, stdout: &mut dyn Write) -> Result<(), CliError> {
    let (specs, spans, _) = read_hooks(options.hooks.as_deref(), DEFAULT_MAX_HOOK_FILE_BYTES)?;
    // Registering checks every term and name exactly as a run does; the pools stay minimal.
    let mut pipeline = Pipeline::new(PipelineConfig {
        block_capacity: 1,
        receipt_capacity: 1,
        ..PipelineConfig::default()
    });
    let mut text = String::new();
    for (index, spec) in specs.iter().enumerate() {
        let compiled = compile_hook(spec).map_err(|error| located(&spans, index, error))?;
        pipeline
            .register_hook(spec)
            .map_err(|error| located(&spans, index, error))?;
        if index > 0 {
            text.push('\n');
        }
        write_hook(&mut text, &compiled, spec.sparql.is_some());
    }
    stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        .map_err(|error| CliError::Write {
            what: "the hooks",
            error,
        })
}

/// One hook in hook-file syntax, each string quoted as TOML needs.
fn write_hook(out: &mut String, spec: &HookSpec, from_sparql: bool) {
    use std::fmt::Write as _;
    let quoted = |text: &str| toml::Value::String(text.to_owned()).to_string();
    if from_sparql {
        out.push_str("# compiled from `sparql`\n");
    }
    let _ = writeln!(out, "[[hook]]");
    let _ = writeln!(out, "name = {}", quoted(&spec.name));
    let _ = writeln!(out, "kind = {}", quoted(&spec.kind));
    let _ = writeln!(out, "predicate = {}", quoted(&spec.predicate));
    let terms = [
        ("subject", &spec.subject),
        ("object", &spec.object),
        ("value", &spec.value),
        ("datatype", &spec.datatype),
        ("construct_predicate", &spec.construct_predicate),
        ("construct_object", &spec.construct_object),
    ];
    for (key, value) in terms {
        if let Some(value) = value {
            let _ = writeln!(out, "{key} = {}", quoted(value));
        }
    }
    if let Some(k) = spec.k {
        let _ = writeln!(out, "k = {k}");
    }
    if let Some(min) = spec.min {
        let _ = writeln!(out, "min = {min}");
    }
}
