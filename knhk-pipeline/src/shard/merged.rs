//! The merged manifest: the merged counts and hook results of a whole input, the parts'
//! manifests in the input's order, and the **merged root** over them.
//!
//! The merged root is a Merkle tree of the lockchain's shape and node key
//! ([`crate::provenance::merkle`]) whose leaves are the parts' manifest hashes
//! ([`super::manifest::Manifest::hash`], their own key) in the input's order. Each manifest
//! holds its receipts file's chain head and the root over its commit hashes, so one root
//! stands for every receipt of every part: `knhk prove --merged` walks from one receipt to it
//! ([`super::proof`]).
//!
//! The file is one JSON object, laid out so each part has a line of its own: line 1 holds
//! every key but `manifests`, then each manifest is one line, in order, and the last line
//! closes the array and the object. Messages about part `k` name its line, `k + 2`.

use serde::{Deserialize, Serialize};

use super::manifest::{hex_hash, Counts, HookFileIdentity, InputIdentity, Manifest, Measured};
use crate::provenance::receipts_file::fields::hex_hashes;
use crate::provenance::Hash256;

/// The `format` of a merged manifest.
pub const MERGED_FORMAT: &str = "knhk-merged-manifest";
/// The version of its shape.
pub const MERGED_VERSION: u64 = 1;

/// One hook over the whole input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergedHook {
    /// The hook's name.
    pub name: String,
    /// Its op's name.
    pub kind: String,
    /// Its threshold.
    pub k: u64,
    /// Triples that matched over the whole input: the sum of the parts' results.
    pub result: u64,
    /// Whether it fires on `result`, decided again from it.
    pub fired: bool,
    /// Triples evaluated.
    pub lanes: u64,
    /// Receipts over all parts.
    pub receipts: u64,
    /// The parts' merged receipts' `a_hash`, merged.
    #[serde(with = "hex_hash")]
    pub hash: Hash256,
    /// The largest of the parts' mean ticks (measured).
    pub ticks: u64,
}

/// A merged manifest (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergedManifest {
    /// [`MERGED_FORMAT`].
    pub format: String,
    /// [`MERGED_VERSION`].
    pub version: u64,
    /// The input.
    pub input: InputIdentity,
    /// The hook file.
    pub hooks: HookFileIdentity,
    /// Parts merged.
    pub parts: u64,
    /// The merged root.
    #[serde(with = "hex_hash")]
    pub root: Hash256,
    /// Each part's manifest hash, in order: the merged root's leaves (so a changed manifest
    /// is found by its line).
    #[serde(with = "hex_hashes")]
    pub part_hashes: Vec<Hash256>,
    /// The parts' counts, summed.
    pub counts: Counts,
    /// Each hook over the whole input.
    pub hooks_results: Vec<MergedHook>,
    /// The longest part's wall time; heap operations summed.
    pub measured: Measured,
    /// The parts' manifests, in the input's order (last: one a line).
    pub manifests: Vec<Manifest>,
}

/// Where the first manifest's line is.
pub const FIRST_MANIFEST_LINE: usize = 2;

/// Why a merged manifest could not be read.
#[derive(Debug, thiserror::Error)]
#[error("line {line}, column {column}: not a merged manifest: {error}")]
pub struct MergedSyntaxError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// serde's description.
    #[source]
    pub error: serde_json::Error,
}

impl MergedManifest {
    /// The file's text (see the [module docs](self)).
    pub fn to_text(&self) -> String {
        let header = MergedManifest {
            manifests: Vec::new(),
            ..self.clone()
        };
        // Strings, integers and options only: cannot fail.
        let mut text = serde_json::to_string(&header).expect("a merged manifest serializes");
        // `manifests` is the last key: open its array at the end of line 1.
        let closed = text.len() - "[]}".len();
        text.truncate(closed);
        text.push_str("[\n");
        for (index, manifest) in self.manifests.iter().enumerate() {
            text.push_str(&manifest.to_json());
            text.push_str(if index + 1 < self.manifests.len() {
                ",\n"
            } else {
                "\n"
            });
        }
        text.push_str("]}\n");
        text
    }

    /// Reads a merged manifest's text.
    ///
    /// # Errors
    ///
    /// [`MergedSyntaxError`] with the line and column.
    pub fn parse(text: &str) -> Result<MergedManifest, MergedSyntaxError> {
        serde_json::from_str(text).map_err(|error| MergedSyntaxError {
            line: error.line(),
            column: error.column(),
            error,
        })
    }

    /// The 1-based line of part `index`, if the text keeps the layout it was written in.
    pub fn line_of(text: &str, index: usize) -> Option<usize> {
        let prefix = format!("{{\"format\":\"{}\"", super::manifest::MANIFEST_FORMAT);
        text.lines()
            .enumerate()
            .filter(|(_, line)| line.trim_start().starts_with(&prefix))
            .nth(index)
            .map(|(at, _)| at + 1)
    }
}
