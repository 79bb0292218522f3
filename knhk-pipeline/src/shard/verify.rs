//! `knhk verify --merged`: a merged manifest against itself and against every part's
//! receipts file.
//!
//! The parts' manifests it holds are merged again, in the order they are written (so a
//! change of order shows), and everything the merge gives (the merged root, counts, hook
//! results and `fired`) must equal what the file says. Then each receipts file is verified
//! offline ([`crate::provenance::verify`]) and must end in the chain head of exactly one part,
//! with that part's commit root, receipt count, triples loaded and blocks (what its commits
//! cover) and, per hook, the merge of its receipts.

// Errors carry the receipts verifier's error by value, as `provenance::verify` does.
#![allow(clippy::result_large_err)]

use std::io::BufRead;

use crate::provenance::merkle::MerkleAccumulator;
use crate::provenance::receipt::Receipt;
use crate::provenance::receipts_file::{Record, Records, Value};
use crate::provenance::verify::{Verifier, VerifyError};
use crate::provenance::Hash256;

use super::manifest::{HookResult, Manifest};
use super::merge::{merge_in_order, MergeError, Named};
use super::merged::{MergedManifest, MergedSyntaxError, FIRST_MANIFEST_LINE};

/// Why a merged manifest or a part's receipts do not verify. Each names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum MergedVerifyError {
    /// The merged manifest is not JSON of its shape.
    #[error("{path}: {error}")]
    Syntax {
        /// The merged manifest.
        path: String,
        /// Where and what.
        #[source]
        error: MergedSyntaxError,
    },
    /// A part's manifest is not the one whose hash line 1 lists.
    #[error("{path}: line {line} ({part}): the manifest hashes to {found}, but line 1 lists {listed}: the manifest was changed")]
    PartHash {
        /// The merged manifest.
        path: String,
        /// The part's line.
        line: usize,
        /// The part.
        part: String,
        /// Its hash.
        found: Value,
        /// What line 1 lists.
        listed: String,
    },
    /// The parts it holds do not merge.
    #[error(transparent)]
    Merge(#[from] MergeError),
    /// A merged value differs from what its parts give.
    #[error("{path}: line 1: {field} is {found}, but its parts merge to {expected}: the merged manifest was changed")]
    Header {
        /// The merged manifest.
        path: String,
        /// The key.
        field: String,
        /// What the file says.
        found: String,
        /// What the parts give.
        expected: String,
    },
    /// A receipts file does not verify on its own.
    #[error("{path}: {error}")]
    Receipts {
        /// The receipts file.
        path: String,
        /// Where and what.
        #[source]
        error: VerifyError,
    },
    /// A receipts file whose chain ends in no part's head.
    #[error("{path}: line {line}: its chain head {head} is the head of no part in {merged} (or of one matched by another receipts file already): the receipts were changed or come from another run")]
    NoPart {
        /// The receipts file.
        path: String,
        /// Its last line.
        line: usize,
        /// Its head.
        head: Value,
        /// The merged manifest.
        merged: String,
    },
    /// A receipts file that differs from its part's manifest.
    #[error("{path}: {what} is {found}, but {merged} line {line} ({part}) says {expected}: the receipts or the manifest were changed")]
    Differs {
        /// The receipts file.
        path: String,
        /// What differs.
        what: String,
        /// What the receipts give.
        found: String,
        /// The merged manifest.
        merged: String,
        /// The part's line.
        line: usize,
        /// The part.
        part: String,
        /// What the manifest says.
        expected: String,
    },
    /// A part whose receipts file was not given.
    #[error("{merged} line {line}: no receipts file given for {part} (chain head {head}): give every part's receipts file")]
    MissingReceipts {
        /// The merged manifest.
        merged: String,
        /// The part's line.
        line: usize,
        /// The part.
        part: String,
        /// Its head.
        head: Value,
    },
}

/// What a receipts file holds, summed up: its chain's end and each hook's receipts merged.
#[derive(Clone, Debug, Default)]
pub struct ReceiptsDigest {
    /// Lines read.
    pub lines: usize,
    /// Receipts.
    pub receipts: u64,
    /// The last commit's hash.
    pub head: Hash256,
    /// The commits' hashes, in order.
    pub commit_hashes: Vec<Hash256>,
    /// Triples loaded, summed over the commits.
    pub triples: u64,
    /// Beats (blocks loaded), summed over the commits.
    pub beats: u64,
    /// Per hook name: its receipts merged, and how many.
    pub hooks: Vec<(String, Receipt, u64)>,
}

impl ReceiptsDigest {
    /// The Merkle root over the commit hashes.
    pub fn commits_root(&self) -> Hash256 {
        let mut tree = MerkleAccumulator::default();
        for hash in &self.commit_hashes {
            tree.push(*hash);
        }
        tree.root()
    }
}

/// Verifies a receipts file offline and sums it up.
///
/// # Errors
///
/// The receipts verifier's first error, with its line.
pub fn digest_receipts<R: BufRead>(file: R) -> Result<ReceiptsDigest, VerifyError> {
    let mut verifier = Verifier::new();
    let mut digest = ReceiptsDigest::default();
    for item in Records::new(file) {
        let (line, record) = item?;
        verifier.check(line, &record)?;
        match record {
            Record::Receipt(r) => {
                match digest.hooks.iter_mut().find(|(name, _, _)| *name == r.hook) {
                    Some((_, merged, count)) => {
                        *merged = merged.merge(&r.receipt);
                        *count += 1;
                    }
                    None => digest.hooks.push((r.hook.clone(), r.receipt, 1)),
                }
            }
            Record::Commit(c) => {
                digest.commit_hashes.push(c.commit.hash);
                digest.triples += c.commit.triples;
                digest.beats += c.commit.beats;
            }
        }
    }
    let verified = verifier.finish()?;
    digest.lines = verified.lines;
    digest.receipts = verified.receipts;
    digest.head = verified.head;
    Ok(digest)
}

/// What a verified merged manifest holds.
#[derive(Clone, Debug)]
pub struct MergedVerified {
    /// The merged manifest.
    pub merged: MergedManifest,
    /// Receipts files checked.
    pub receipts_files: usize,
}

/// The names of a merged manifest's parts: `PATH line L (shard i/n ...)`.
pub fn part_names(path: &str, text: &str, merged: &MergedManifest) -> Vec<Named> {
    merged
        .manifests
        .iter()
        .enumerate()
        .map(|(index, manifest)| Named {
            name: format!("{path} line {}", part_line(text, index)),
            manifest: manifest.clone(),
        })
        .collect()
}

fn part_line(text: &str, index: usize) -> usize {
    MergedManifest::line_of(text, index).unwrap_or(FIRST_MANIFEST_LINE + index)
}

/// Checks a merged manifest (`text`, read from `path`) against its parts and against the
/// parts' receipts files (`(path, reader)` each, in any order).
///
/// # Errors
///
/// The first thing that does not hold, naming the file and line.
pub fn verify_merged<R: BufRead>(
    path: &str,
    text: &str,
    receipts: Vec<(String, R)>,
) -> Result<MergedVerified, MergedVerifyError> {
    let merged = MergedManifest::parse(text).map_err(|error| MergedVerifyError::Syntax {
        path: path.to_owned(),
        error,
    })?;
    // Order and tiling first (a swap of two lines is reported as such), then each part's
    // hash, then what they merge to.
    let again = merge_in_order(part_names(path, text, &merged))?;
    for (index, manifest) in merged.manifests.iter().enumerate() {
        let hash = manifest.hash();
        let listed = merged.part_hashes.get(index).copied();
        if listed != Some(hash) {
            return Err(MergedVerifyError::PartHash {
                path: path.to_owned(),
                line: part_line(text, index),
                part: manifest.describe(),
                found: Value::Hash(hash),
                listed: listed.map_or_else(|| "no hash".to_owned(), |h| Value::Hash(h).to_string()),
            });
        }
    }
    if let Some((field, found, expected)) = first_difference(&merged, &again) {
        return Err(MergedVerifyError::Header {
            path: path.to_owned(),
            field,
            found,
            expected,
        });
    }
    let mut matched = vec![false; merged.manifests.len()];
    let files = receipts.len();
    for (receipts_path, reader) in receipts {
        let digest = digest_receipts(reader).map_err(|error| MergedVerifyError::Receipts {
            path: receipts_path.clone(),
            error,
        })?;
        let index = merged
            .manifests
            .iter()
            .enumerate()
            .position(|(index, m)| !matched[index] && m.lockchain.head == digest.head)
            .ok_or_else(|| MergedVerifyError::NoPart {
                path: receipts_path.clone(),
                line: digest.lines,
                head: Value::Hash(digest.head),
                merged: path.to_owned(),
            })?;
        matched[index] = true;
        let manifest = &merged.manifests[index];
        check_part(&receipts_path, &digest, manifest).map_err(|(what, found, expected)| {
            MergedVerifyError::Differs {
                path: receipts_path.clone(),
                what,
                found,
                merged: path.to_owned(),
                line: part_line(text, index),
                part: manifest.describe(),
                expected,
            }
        })?;
    }
    if let Some(index) = matched.iter().position(|m| !m) {
        let manifest = &merged.manifests[index];
        return Err(MergedVerifyError::MissingReceipts {
            merged: path.to_owned(),
            line: part_line(text, index),
            part: manifest.describe(),
            head: Value::Hash(manifest.lockchain.head),
        });
    }
    Ok(MergedVerified {
        merged,
        receipts_files: files,
    })
}

/// The first key of the merged values (not the parts) whose value differs.
fn first_difference(
    found: &MergedManifest,
    expected: &MergedManifest,
) -> Option<(String, String, String)> {
    let header = |m: &MergedManifest| {
        let mut value = serde_json::to_value(MergedManifest {
            manifests: Vec::new(),
            ..m.clone()
        })
        .expect("a merged manifest serializes");
        value
            .as_object_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    };
    let (found, expected) = (header(found), header(expected));
    expected.iter().find_map(|(key, value)| {
        let other = found.get(key).cloned().unwrap_or_default();
        (other != *value).then(|| (key.clone(), other.to_string(), value.to_string()))
    })
}

type Difference = (String, String, String);

/// A receipts file against its part's manifest.
fn check_part(_path: &str, digest: &ReceiptsDigest, manifest: &Manifest) -> Result<(), Difference> {
    let chain = &manifest.lockchain;
    let hex = |hash: &Hash256| Value::Hash(*hash).to_string();
    if digest.commit_hashes.len() as u64 != chain.commits {
        return Err((
            "the number of commits".into(),
            digest.commit_hashes.len().to_string(),
            chain.commits.to_string(),
        ));
    }
    let root = digest.commits_root();
    if root != chain.commits_root {
        return Err((
            "the root over its commits".into(),
            hex(&root),
            hex(&chain.commits_root),
        ));
    }
    let counts = [
        (
            "the number of receipts",
            digest.receipts,
            manifest.counts.receipts,
        ),
        (
            "the triples its commits cover",
            digest.triples,
            manifest.counts.triples_loaded,
        ),
        (
            "the beats (blocks) its commits cover",
            digest.beats,
            manifest.counts.blocks,
        ),
    ];
    for (what, found, expected) in counts {
        if found != expected {
            return Err((what.into(), found.to_string(), expected.to_string()));
        }
    }
    for hook in &manifest.hooks_results {
        let (merged, count) = digest
            .hooks
            .iter()
            .find(|(name, _, _)| *name == hook.name)
            .map_or((Receipt::IDENTITY, 0), |(_, merged, count)| {
                (*merged, *count)
            });
        check_hook(hook, &merged, count)?;
    }
    Ok(())
}

fn check_hook(hook: &HookResult, merged: &Receipt, count: u64) -> Result<(), Difference> {
    let what = |field: &str| format!("hook {}'s merged {field}", hook.name);
    let numbers = [
        ("result", merged.result, hook.result),
        ("lanes", merged.lanes, hook.lanes),
        ("receipt count", count, hook.receipts),
    ];
    for (field, found, expected) in numbers {
        if found != expected {
            return Err((what(field), found.to_string(), expected.to_string()));
        }
    }
    if merged.a_hash != hook.hash {
        return Err((
            what("a_hash"),
            Value::Hash(merged.a_hash).to_string(),
            Value::Hash(hook.hash).to_string(),
        ));
    }
    Ok(())
}
