//! Hook files: TOML text to [`HookSpec`]s.

use std::io::Read;
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
/// [`HookError::Read`], [`HookError::TooLarge`] or [`HookError::Toml`].
pub fn read_hook_file(path: &Path) -> Result<Vec<HookSpec>, HookError> {
    let (name, text) = read_text(path)?;
    parse_hook_file(&text, &name)
}

/// The most bytes of a hook file read by default: far more than any hand-written file
/// (100,000 hooks take about 20 MB), and a bound on memory for an endless or wrong file.
pub const DEFAULT_MAX_HOOK_FILE_BYTES: u64 = 64 << 20;

/// A hook file's name, as errors show it, and its text, read up to
/// [`DEFAULT_MAX_HOOK_FILE_BYTES`].
fn read_text(path: &Path) -> Result<(String, String), HookError> {
    let name = path.display().to_string();
    let text = std::fs::File::open(path)
        .map_err(|error| HookError::Read {
            path: name.clone(),
            error,
        })
        .and_then(|file| read_hook_text(file, &name, DEFAULT_MAX_HOOK_FILE_BYTES))?;
    Ok((name, text))
}

/// A hook file's text, from a reader already open on it: the one place hook files are read.
/// At most `max_bytes` are read, so an endless or huge file is an error, not unbounded
/// memory.
///
/// # Errors
///
/// [`HookError::Read`] (reading failed, or the text is not UTF-8) or [`HookError::TooLarge`].
pub fn read_hook_text(reader: impl Read, name: &str, max_bytes: u64) -> Result<String, HookError> {
    let mut text = String::new();
    reader
        .take(max_bytes.saturating_add(1))
        .read_to_string(&mut text)
        .map_err(|error| HookError::Read {
            path: name.to_owned(),
            error,
        })?;
    if text.len() as u64 > max_bytes {
        return Err(HookError::TooLarge {
            path: name.to_owned(),
            max_bytes,
        });
    }
    Ok(text)
}
