//! Inclusion proofs: one receipt, shown to a third party with the commit that covers it and
//! the audit path from its leaf to the commit's Merkle root (RFC 6962 / RFC 9162, at most
//! ⌈log2 n⌉ hashes for a commit of `n` receipts), checkable without the rest of the file.
//!
//! `knhk prove --receipts FILE --seq N` prints an [`InclusionProof`] as JSON:
//!
//! ```json
//! {
//!   "version": 3,
//!   "receipt": { "seq": 5, "cycle": 1, "...": "the receipt's line, as an object" },
//!   "leaf_index": 5,
//!   "tree_size": 32,
//!   "audit_path": ["<64 hex digits>", "..."],
//!   "commit": { "commit": 0, "...": "the commit's line, as an object" }
//! }
//! ```
//!
//! `knhk verify --proof FILE` ([`check_proof`]) recomputes the receipt's leaf hash and span id,
//! walks the audit path up to a root, compares it with the commit's `root`, and recomputes the
//! commit's `hash` from its fields. The commit's `hash` then ties the receipt to the chain: a
//! reader who trusts that hash (for example the head of a chain they verified or were given)
//! trusts the receipt.

// As in `verify`: errors carry the values by value, once per proof.
#![allow(clippy::result_large_err)]

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::batch_hash::Hash256;
use super::lockchain::LOCKCHAIN_VERSION;
use super::merkle::{audit_path, root_from_audit_path};
use super::receipt::span_id;
use super::receipts_file::fields::hex_hashes;
use super::receipts_file::{CommitRecord, ReceiptRecord, Record, Records, Value};
use super::verify::{first_failed, Verifier, VerifyError};

/// The inclusion proof of one receipt in its commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The encodings' version ([`LOCKCHAIN_VERSION`]).
    pub version: u64,
    /// The receipt, as its line.
    pub receipt: ReceiptRecord,
    /// Its leaf's index in the commit's tree: `receipt.seq - commit.first_seq`.
    pub leaf_index: u64,
    /// The tree's leaves: `commit.receipts`.
    pub tree_size: u64,
    /// Sibling hashes from the leaf up to the root.
    #[serde(with = "hex_hashes")]
    pub audit_path: Vec<Hash256>,
    /// The commit that covers the receipt, as its line.
    pub commit: CommitRecord,
}

/// What a checked proof shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvenReceipt {
    /// The receipt's `seq`.
    pub seq: u64,
    /// Its leaf index.
    pub leaf_index: u64,
    /// Leaves in the tree.
    pub tree_size: u64,
    /// The commit's index.
    pub commit: u64,
    /// The commit's hash.
    pub commit_hash: Hash256,
}

/// Why a proof could not be made or does not hold.
#[derive(Debug, thiserror::Error)]
pub enum ProofError {
    /// The receipts file does not verify (a proof is only made from a sound file).
    #[error(transparent)]
    Verify(#[from] VerifyError),
    /// No receipt has that `seq`.
    #[error("no receipt has seq {seq}: the file holds {}", HeldReceipts(*receipts))]
    NoSuchReceipt {
        /// The `seq` asked for.
        seq: u64,
        /// Receipts in the file.
        receipts: u64,
    },
    /// The proof is not JSON of the expected shape.
    #[error("not an inclusion proof: {0}")]
    Malformed(#[from] serde_json::Error),
    /// A field of the proof differs from what the rest of it gives.
    #[error("{field} is {found}, but {expected} was expected{why}")]
    Field {
        /// The field.
        field: &'static str,
        /// What the rest of the proof gives.
        expected: Value,
        /// What the proof says.
        found: Value,
        /// What it means, starting with ": ", or empty.
        why: &'static str,
    },
    /// The audit path cannot belong to a tree of the proof's size.
    #[error(
        "the audit path has {hashes} hashes, which cannot lead from leaf {leaf_index} to the root \
         of a tree of {tree_size} leaves"
    )]
    PathShape {
        /// Hashes in the path.
        hashes: usize,
        /// The leaf index.
        leaf_index: u64,
        /// The tree size.
        tree_size: u64,
    },
    /// The audit path leads to another root: the receipt or a path hash was changed.
    #[error(
        "the receipt's audit path leads to root {found}, but the commit's root is {expected}: the \
         receipt or the path was changed"
    )]
    Root {
        /// The commit's root.
        expected: Value,
        /// The root the path gives.
        found: Value,
    },
}

/// How many receipts a file holds and their `seq` range, for [`ProofError::NoSuchReceipt`].
struct HeldReceipts(u64);

impl std::fmt::Display for HeldReceipts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            0 => f.write_str("no receipts"),
            1 => f.write_str("1 receipt (seq 0)"),
            n => write!(f, "{n} receipts (seq 0 to {})", n - 1),
        }
    }
}

/// Makes the inclusion proof of receipt `seq` from a receipts file, which is verified offline
/// on the way (see [`super::verify`]).
///
/// # Errors
///
/// [`ProofError::Verify`] if the file does not verify, [`ProofError::NoSuchReceipt`] if no
/// receipt has that `seq`.
pub fn prove<R: BufRead>(file: R, seq: u64) -> Result<InclusionProof, ProofError> {
    let mut verifier = Verifier::new();
    let mut pulse: Vec<ReceiptRecord> = Vec::new();
    let mut proof = None;
    for item in Records::new(file) {
        let (line, record) = item.map_err(VerifyError::from)?;
        verifier.check(line, &record)?;
        match record {
            Record::Receipt(receipt) => pulse.push(receipt),
            Record::Commit(commit) => {
                if let Some(index) = pulse.iter().position(|r| r.receipt.seq == seq) {
                    let leaves: Vec<Hash256> = pulse.iter().map(ReceiptRecord::leaf_hash).collect();
                    proof = Some(InclusionProof {
                        version: LOCKCHAIN_VERSION,
                        receipt: pulse.swap_remove(index),
                        leaf_index: index as u64,
                        tree_size: leaves.len() as u64,
                        audit_path: audit_path(&leaves, index).unwrap_or_default(),
                        commit,
                    });
                }
                pulse.clear();
            }
        }
    }
    let verified = verifier.finish()?;
    proof.ok_or(ProofError::NoSuchReceipt {
        seq,
        receipts: verified.receipts,
    })
}

/// Parses a proof document.
///
/// # Errors
///
/// [`ProofError::Malformed`].
pub fn parse_proof(text: &str) -> Result<InclusionProof, ProofError> {
    Ok(serde_json::from_str(text)?)
}

fn field(field: &'static str, expected: Value, found: Value, why: &'static str) -> ProofError {
    ProofError::Field {
        field,
        expected,
        found,
        why,
    }
}

/// Checks a proof on its own (see the [module docs](self)).
///
/// # Errors
///
/// The first thing that does not hold.
pub fn check_proof(proof: &InclusionProof) -> Result<ProvenReceipt, ProofError> {
    let (r, c) = (&proof.receipt.receipt, &proof.commit.commit);
    let holds = |failed: Option<(&'static str, Value, Value, &'static str)>| match failed {
        Some((name, expected, found, why)) => Err(field(name, expected, found, why)),
        None => Ok(()),
    };
    let version = &[
        ("version", LOCKCHAIN_VERSION, proof.version, ""),
        (
            "commit.version",
            LOCKCHAIN_VERSION,
            proof.commit.version,
            "",
        ),
    ];
    holds(first_failed(version, Value::Number))?;
    let hash = ": the hash of the commit's fields (a field of the commit was changed)";
    holds(first_failed(
        &[("commit.hash", c.compute_hash(), c.hash, hash)],
        Value::Hash,
    ))?;
    let place = &[
        (
            "tree_size",
            c.receipts,
            proof.tree_size,
            ": the receipts the commit covers",
        ),
        (
            "leaf_index",
            r.seq.wrapping_sub(c.first_seq),
            proof.leaf_index,
            ": the receipt's seq less the commit's first_seq",
        ),
    ];
    holds(first_failed(place, Value::Number))?;
    if !(c.first_cycle..c.first_cycle + c.beats).contains(&r.cycle) {
        return Err(field(
            "receipt.cycle",
            Value::Number(c.first_cycle),
            Value::Number(r.cycle),
            ": a cycle within the commit's beats",
        ));
    }
    let span = ": span ids derive from shard, cycle and seq";
    let derived = span_id(r.shard, r.cycle, r.seq);
    holds(first_failed(
        &[("receipt.span_id", derived, r.span_id, span)],
        Value::Id,
    ))?;
    let root = root_from_audit_path(
        &proof.receipt.leaf_hash(),
        proof.leaf_index,
        proof.tree_size,
        &proof.audit_path,
    )
    .ok_or(ProofError::PathShape {
        hashes: proof.audit_path.len(),
        leaf_index: proof.leaf_index,
        tree_size: proof.tree_size,
    })?;
    if root != c.root {
        return Err(ProofError::Root {
            expected: Value::Hash(c.root),
            found: Value::Hash(root),
        });
    }
    Ok(ProvenReceipt {
        seq: r.seq,
        leaf_index: proof.leaf_index,
        tree_size: proof.tree_size,
        commit: c.index,
        commit_hash: c.hash,
    })
}
