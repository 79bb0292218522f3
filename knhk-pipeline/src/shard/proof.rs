//! Inclusion proofs across parts: one receipt, up to the merged root.
//!
//! `knhk prove --merged MERGED --receipts FILE --seq N` prints a [`MergedProof`]: the
//! receipt's own inclusion proof in its commit ([`crate::provenance::proof`]), the audit path
//! from that commit's hash to the root over its part's commit hashes (`commits_root`, in the
//! part's manifest), the part's manifest, and the audit path from the manifest's hash to the
//! merged root. `knhk verify --proof` checks it alone ([`check_merged_proof`]): receipt →
//! commit → part → merged root.

// As in `provenance::proof`: errors carry the values by value, once per proof.
#![allow(clippy::result_large_err)]

use std::io::{self, BufRead};

use serde::{Deserialize, Serialize};

use crate::provenance::merkle::{audit_path, root_from_audit_path};
use crate::provenance::proof::{check_proof, prove, InclusionProof, ProofError, ProvenReceipt};
use crate::provenance::receipts_file::fields::hex_hashes;
use crate::provenance::receipts_file::Value;
use crate::provenance::Hash256;

use super::manifest::{hex_hash, Manifest};
use super::merged::{MergedManifest, MERGED_VERSION};
use super::verify::digest_receipts;

/// The proof of one receipt up to a merged root (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MergedProof {
    /// [`MERGED_VERSION`].
    pub merged_version: u64,
    /// The receipt in its commit.
    pub receipt: InclusionProof,
    /// From the commit's hash to the part's `commits_root`.
    #[serde(with = "hex_hashes")]
    pub commit_path: Vec<Hash256>,
    /// The part's manifest.
    pub manifest: Manifest,
    /// The part's place among the parts, from 0.
    pub part_index: u64,
    /// Parts merged.
    pub parts: u64,
    /// From the manifest's hash to the merged root.
    #[serde(with = "hex_hashes")]
    pub part_path: Vec<Hash256>,
    /// The merged root.
    #[serde(with = "hex_hash")]
    pub merged_root: Hash256,
}

/// What a checked merged proof shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvenMerged {
    /// The receipt in its commit.
    pub receipt: ProvenReceipt,
    /// The part's place.
    pub part_index: u64,
    /// Parts merged.
    pub parts: u64,
    /// The merged root reached.
    pub merged_root: Hash256,
}

/// Why a merged proof could not be made or does not hold.
#[derive(Debug, thiserror::Error)]
pub enum MergedProofError {
    /// The receipt's own proof.
    #[error(transparent)]
    Receipt(#[from] ProofError),
    /// The receipts file could not be read from its start again.
    #[error("cannot read it again: {0}")]
    Reread(#[from] io::Error),
    /// The receipts file is of no part of the merged manifest.
    #[error("its chain head {head} is the head of no part in the merged manifest: the receipts were changed or come from another run")]
    NoPart {
        /// Its head.
        head: Value,
    },
    /// The proof is not JSON of its shape.
    #[error("not a merged inclusion proof: {0}")]
    Malformed(#[from] serde_json::Error),
    /// Another version.
    #[error("merged_version is {found}, but this knhk reads {expected}")]
    Version {
        /// The proof's.
        found: u64,
        /// This knhk's.
        expected: u64,
    },
    /// The commit does not lead to the part's commit root.
    #[error("commit {commit}'s path leads to {found}, but the manifest's commits_root is {expected}: the commit, the path or the manifest was changed")]
    CommitsRoot {
        /// The commit.
        commit: u64,
        /// The root reached (or none, for a path of the wrong shape).
        found: String,
        /// The manifest's.
        expected: Value,
    },
    /// The manifest does not lead to the merged root.
    #[error("the manifest of part {part} leads to merged root {found}, but the proof names {expected}: the manifest, the path or the root was changed")]
    MergedRoot {
        /// The part.
        part: u64,
        /// The root reached (or none).
        found: String,
        /// The proof's root.
        expected: Value,
    },
}

/// Makes the merged proof of receipt `seq` of a part's receipts file (read twice: `open`
/// gives a reader from its start each time).
///
/// # Errors
///
/// The file does not verify, holds no such receipt, or is of no part of `merged`.
pub fn prove_merged<R: BufRead>(
    merged: &MergedManifest,
    mut open: impl FnMut() -> io::Result<R>,
    seq: u64,
) -> Result<MergedProof, MergedProofError> {
    let receipt = prove(open()?, seq)?;
    let digest = digest_receipts(open()?).map_err(ProofError::from)?;
    let root = digest.commits_root();
    let part_index = merged
        .manifests
        .iter()
        .position(|m| m.lockchain.head == digest.head && m.lockchain.commits_root == root)
        .ok_or(MergedProofError::NoPart {
            head: Value::Hash(digest.head),
        })?;
    let commit = receipt.commit.commit.index as usize;
    let leaves: Vec<Hash256> = merged.manifests.iter().map(Manifest::hash).collect();
    Ok(MergedProof {
        merged_version: MERGED_VERSION,
        commit_path: audit_path(&digest.commit_hashes, commit).unwrap_or_default(),
        receipt,
        manifest: merged.manifests[part_index].clone(),
        part_index: part_index as u64,
        parts: leaves.len() as u64,
        part_path: audit_path(&leaves, part_index).unwrap_or_default(),
        merged_root: merged.root,
    })
}

/// Checks a merged proof on its own.
///
/// # Errors
///
/// The first link that does not hold.
pub fn check_merged_proof(proof: &MergedProof) -> Result<ProvenMerged, MergedProofError> {
    if proof.merged_version != MERGED_VERSION {
        return Err(MergedProofError::Version {
            found: proof.merged_version,
            expected: MERGED_VERSION,
        });
    }
    let receipt = check_proof(&proof.receipt)?;
    let chain = &proof.manifest.lockchain;
    let shown = |root: Option<Hash256>| {
        root.map_or_else(
            || "nothing (a path of the wrong length)".to_owned(),
            |r| Value::Hash(r).to_string(),
        )
    };
    let commits_root = root_from_audit_path(
        &receipt.commit_hash,
        receipt.commit,
        chain.commits,
        &proof.commit_path,
    );
    if commits_root != Some(chain.commits_root) {
        return Err(MergedProofError::CommitsRoot {
            commit: receipt.commit,
            found: shown(commits_root),
            expected: Value::Hash(chain.commits_root),
        });
    }
    let merged_root = root_from_audit_path(
        &proof.manifest.hash(),
        proof.part_index,
        proof.parts,
        &proof.part_path,
    );
    if merged_root != Some(proof.merged_root) {
        return Err(MergedProofError::MergedRoot {
            part: proof.part_index,
            found: shown(merged_root),
            expected: Value::Hash(proof.merged_root),
        });
    }
    Ok(ProvenMerged {
        receipt,
        part_index: proof.part_index,
        parts: proof.parts,
        merged_root: proof.merged_root,
    })
}

/// Reads a merged proof.
///
/// # Errors
///
/// [`MergedProofError::Malformed`].
pub fn parse_merged_proof(text: &str) -> Result<MergedProof, MergedProofError> {
    Ok(serde_json::from_str(text)?)
}
