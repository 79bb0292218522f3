//! Hook files: TOML text to [`HookSpec`]s.

use std::path::Path;

use serde::Deserialize;

use super::error::HookError;
use super::spans::HookFileSpans;

/// A hook as written in a hook file, before its terms are encoded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookSpec {
    /// Unique name.
    pub name: String,
    /// The op's name, e.g. `ask_sp` (see [`crate::ops`]); empty for a `sparql` hook.
    #[serde(default)]
    pub kind: String,
    /// The predicate, in N-Triples syntax; empty for a `sparql` hook.
    #[serde(default)]
    pub predicate: String,
    /// The hook as a SPARQL query, in place of `kind`, `predicate` and the constants (see
    /// [`compile_sparql`](super::compile_sparql)).
    #[serde(default)]
    pub sparql: Option<String>,
    /// `subject`: a term.
    #[serde(default)]
    pub subject: Option<String>,
    /// `object`: a term.
    #[serde(default)]
    pub object: Option<String>,
    /// `k`: the threshold of the `count_*` ops.
    #[serde(default)]
    pub k: Option<u64>,
    /// `min`: `count_sp_ge`'s threshold under its first name (give `k` or `min`).
    #[serde(default)]
    pub min: Option<u32>,
    /// `value`: a numeric literal (`compare_o_*`).
    #[serde(default)]
    pub value: Option<String>,
    /// `datatype`: an IRI (`validate_datatype_*`).
    #[serde(default)]
    pub datatype: Option<String>,
    /// Predicate of constructed triples (`construct8` only).
    #[serde(default)]
    pub construct_predicate: Option<String>,
    /// Object of constructed triples (`construct8` only).
    #[serde(default)]
    pub construct_object: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct HookFile {
    #[serde(default)]
    hook: Vec<HookSpec>,
}

/// Parses a hook file's text and records where each field is written (see
/// [`HookFileSpans::locate`]).
///
/// # Errors
///
/// As for [`parse_hook_file`].
pub fn parse_hook_file_with_spans(
    text: &str,
    source_name: &str,
) -> Result<(Vec<HookSpec>, HookFileSpans), HookError> {
    let specs = parse_hook_file(text, source_name)?;
    Ok((specs, HookFileSpans::read(text, source_name)))
}

/// Reads a hook file and records where each field is written.
///
/// # Errors
///
/// As for [`read_hook_file`].
pub fn read_hook_file_with_spans(path: &Path) -> Result<(Vec<HookSpec>, HookFileSpans), HookError> {
    let (name, text) = read_text(path)?;
    parse_hook_file_with_spans(&text, &name)
}

/// Parses a hook file's text.
///
/// # Errors
///
/// [`HookError::Toml`] with toml's message (which gives line and column).
pub fn parse_hook_file(text: &str, source_name: &str) -> Result<Vec<HookSpec>, HookError> {
    toml::from_str::<HookFile>(text)
        .map(|file| file.hook)
        .map_err(|error| HookError::Toml {
            source_name: source_name.to_owned(),
            message: error.to_string(),
        })
}

/// Reads and parses a hook file.
///
/// # Errors
///
/// [`HookError::Read`] or [`HookError::Toml`].
pub fn read_hook_file(path: &Path) -> Result<Vec<HookSpec>, HookError> {
    let (name, text) = read_text(path)?;
    parse_hook_file(&text, &name)
}

/// A hook file's name, as errors show it, and its text: the one place hook files are read.
fn read_text(path: &Path) -> Result<(String, String), HookError> {
    let name = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((name, text)),
        Err(error) => Err(HookError::Read { path: name, error }),
    }
}
