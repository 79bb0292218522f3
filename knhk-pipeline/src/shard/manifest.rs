//! The shard manifest: what one part of an input was, and what running it gave, in one JSON
//! object that `knhk merge` combines with the other parts'.
//!
//! | key | what |
//! |---|---|
//! | `format`, `version` | [`MANIFEST_FORMAT`] and [`MANIFEST_VERSION`] |
//! | `lockchain_version` | the receipts' encodings ([`LOCKCHAIN_VERSION`]) |
//! | `input` | the input's name, its size in bytes and its `identity` ([`input_identity`]) |
//! | `hooks` | the hook file's name and the keyed BLAKE3 of its bytes ([`hooks_hash`]) |
//! | `shard` | `{index, count}` for `--shard i/n`, `null` for a `--byte-range` |
//! | `owned` | the byte range the part owns (see [`super::range`]) |
//! | `read` | the bytes it read (`start`, `end`) and their keyed BLAKE3 `hash` |
//! | `counts` | the run's counts (triples, blocks, receipts...), summed by a merge |
//! | `hooks_results` | per hook, in the hook file's order: its name, kind and threshold `k`, and its receipts merged with [`Receipt::merge`] (`result`, `lanes`, `receipts`, `hash`: the merged `a_hash`; `ticks`, measured) |
//! | `lockchain` | the receipts file's `head` (the last commit's hash), its `commits` and `commits_root`, the Merkle root over the commit hashes in order |
//! | `measured` | wall time in microseconds and hot-path heap operations (not reproduced) |
//!
//! The manifest's hash ([`Manifest::hash`]) is the keyed BLAKE3 ([`MANIFEST_KEY_V1`]) of its
//! compact JSON as serde writes this type (keys in the order above): the leaf of the merged
//! root ([`super::merged`]). Nothing here is tied to files: a stream's partition and an
//! offset range of one epoch fit the same shape (`input` names the partition, `owned` and
//! `read` the offsets).
//!
//! [`Receipt::merge`]: crate::provenance::receipt::Receipt::merge

use std::io::{self, Read, Seek, SeekFrom};

use serde::{Deserialize, Serialize};

use super::range::{ByteRange, ShardIndex};
use crate::provenance::lockchain::LOCKCHAIN_VERSION;
use crate::provenance::receipt::Receipt;
use crate::provenance::Hash256;

/// The `format` of a shard manifest.
pub const MANIFEST_FORMAT: &str = "knhk-shard-manifest";
/// The version of the manifest's shape and hashes.
pub const MANIFEST_VERSION: u64 = 1;
/// Key of a manifest's hash.
pub const MANIFEST_KEY_V1: [u8; 32] = *b"knhk.manifest.v1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// Key of an input's identity.
pub const INPUT_KEY_V1: [u8; 32] = *b"knhk.input.v1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// Key of the hash of the bytes a part read.
pub const READ_KEY_V1: [u8; 32] = *b"knhk.read.v1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// Key of a hook file's hash.
pub const HOOKS_KEY_V1: [u8; 32] = *b"knhk.hooks.v1\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// Bytes of the head and of the tail an input's identity hashes.
pub const IDENTITY_SAMPLE: u64 = 64 << 10;

/// Hashes as 64 lowercase hex digits in JSON.
pub(crate) mod hex_hash {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::provenance::receipts_file::fields::HexHash;
    use crate::provenance::Hash256;

    pub fn serialize<S: Serializer>(hash: &Hash256, s: S) -> Result<S::Ok, S::Error> {
        HexHash(*hash).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash256, D::Error> {
        Ok(HexHash::deserialize(d)?.0)
    }
}

/// Which input a part belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputIdentity {
    /// The path as the run was given it (for messages; not compared).
    pub name: String,
    /// Its size in bytes.
    pub bytes: u64,
    /// [`input_identity`]: what parts of one input share.
    #[serde(with = "hex_hash")]
    pub identity: Hash256,
}

/// The hook file a part ran with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookFileIdentity {
    /// The path as given (for messages; not compared).
    pub name: String,
    /// [`hooks_hash`] of its bytes.
    #[serde(with = "hex_hash")]
    pub hash: Hash256,
}

/// The bytes a part read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadBytes {
    /// The first byte read.
    pub start: u64,
    /// One past the last.
    pub end: u64,
    /// Keyed BLAKE3 ([`READ_KEY_V1`]) of the bytes.
    #[serde(with = "hex_hash")]
    pub hash: Hash256,
}

impl ReadBytes {
    /// The range read.
    pub fn range(&self) -> ByteRange {
        ByteRange {
            start: self.start,
            end: self.end,
        }
    }
}

/// Evaluations parked on the warm path, by cause (as in the run's summary).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParkedCounts {
    /// Every parked evaluation.
    pub total: u64,
    /// Of ops that write actions.
    pub warm_op: u64,
    /// Of hooks over the tick budget.
    pub over_budget: u64,
    /// Of blocks only the dictionary could decide.
    pub warm_lookup: u64,
}

/// A run's counts: a merge sums each.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    /// Statements read.
    pub triples_ingested: u64,
    /// Triples loaded.
    pub triples_loaded: u64,
    /// Malformed statements skipped.
    pub skipped_invalid: u64,
    /// Predicate runs loaded.
    pub runs: u64,
    /// Blocks filled.
    pub blocks: u64,
    /// Hook evaluations.
    pub hooks_evaluated: u64,
    /// Receipts emitted.
    pub receipts: u64,
    /// Triples constructed.
    pub actions: u64,
    /// Parked evaluations.
    pub parked: ParkedCounts,
    /// Pool drains mid-batch.
    pub pool_drains: u64,
}

impl Counts {
    /// Both counts summed, field by field.
    #[must_use]
    pub fn sum(&self, other: &Counts) -> Counts {
        let parked = ParkedCounts {
            total: self.parked.total + other.parked.total,
            warm_op: self.parked.warm_op + other.parked.warm_op,
            over_budget: self.parked.over_budget + other.parked.over_budget,
            warm_lookup: self.parked.warm_lookup + other.parked.warm_lookup,
        };
        Counts {
            triples_ingested: self.triples_ingested + other.triples_ingested,
            triples_loaded: self.triples_loaded + other.triples_loaded,
            skipped_invalid: self.skipped_invalid + other.skipped_invalid,
            runs: self.runs + other.runs,
            blocks: self.blocks + other.blocks,
            hooks_evaluated: self.hooks_evaluated + other.hooks_evaluated,
            receipts: self.receipts + other.receipts,
            actions: self.actions + other.actions,
            parked,
            pool_drains: self.pool_drains + other.pool_drains,
        }
    }
}

/// One hook's receipts in a part, merged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HookResult {
    /// The hook's name.
    pub name: String,
    /// Its op's name (`count_sp_le`, ...).
    pub kind: String,
    /// Its threshold (`count_*`; 0 for other ops): with `kind`, when it fires.
    pub k: u64,
    /// The merged receipt's `result`: triples that matched.
    pub result: u64,
    /// The merged receipt's `lanes`: triples evaluated.
    pub lanes: u64,
    /// Receipts merged.
    pub receipts: u64,
    /// The merged receipt's `a_hash`.
    #[serde(with = "hex_hash")]
    pub hash: Hash256,
    /// Mean ticks per evaluation (measured; a merge keeps the max).
    pub ticks: u64,
}

impl HookResult {
    /// The merged receipt this entry holds (identifying fields aside), for [`Receipt::merge`].
    pub fn receipt(&self, hook: u32) -> Receipt {
        Receipt {
            hook,
            lanes: self.lanes,
            result: self.result,
            ticks: self.ticks,
            a_hash: self.hash,
            ..Receipt::IDENTITY
        }
    }
}

/// The end of a part's lockchain: what ties its receipts file to the manifest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainEnd {
    /// The last commit's hash.
    #[serde(with = "hex_hash")]
    pub head: Hash256,
    /// Commits made.
    pub commits: u64,
    /// The Merkle root (the lockchain's tree, leaves the commit hashes in order).
    #[serde(with = "hex_hash")]
    pub commits_root: Hash256,
}

/// What was measured, not reproduced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measured {
    /// Wall time of the run, in microseconds.
    pub elapsed_us: u64,
    /// Heap operations from load through the receipts, if counted.
    pub hot_path_allocations: Option<u64>,
}

/// One part's manifest (see the [module docs](self)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// [`MANIFEST_FORMAT`].
    pub format: String,
    /// [`MANIFEST_VERSION`].
    pub version: u64,
    /// [`LOCKCHAIN_VERSION`].
    pub lockchain_version: u64,
    /// The input.
    pub input: InputIdentity,
    /// The hook file.
    pub hooks: HookFileIdentity,
    /// `--shard i/n`, or `None` for a byte range given as it is.
    pub shard: Option<ShardIndex>,
    /// The byte range owned.
    pub owned: ByteRange,
    /// The bytes read.
    pub read: ReadBytes,
    /// The run's counts.
    pub counts: Counts,
    /// Each hook's merged receipt, in the hook file's order.
    pub hooks_results: Vec<HookResult>,
    /// The receipts' lockchain.
    pub lockchain: ChainEnd,
    /// What was measured.
    pub measured: Measured,
}

impl Manifest {
    /// A manifest of the current format and versions; the caller fills in the rest.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        input: InputIdentity,
        hooks: HookFileIdentity,
        shard: Option<ShardIndex>,
        owned: ByteRange,
        read: ReadBytes,
        counts: Counts,
        hooks_results: Vec<HookResult>,
        lockchain: ChainEnd,
        measured: Measured,
    ) -> Manifest {
        Manifest {
            format: MANIFEST_FORMAT.to_owned(),
            version: MANIFEST_VERSION,
            lockchain_version: LOCKCHAIN_VERSION,
            input,
            hooks,
            shard,
            owned,
            read,
            counts,
            hooks_results,
            lockchain,
            measured,
        }
    }

    /// The manifest as one line of compact JSON (what [`Manifest::hash`] hashes).
    pub fn to_json(&self) -> String {
        // A struct of strings, integers and options: serializing it cannot fail.
        serde_json::to_string(self).expect("a manifest serializes")
    }

    /// The keyed BLAKE3 ([`MANIFEST_KEY_V1`]) of [`Manifest::to_json`]: the manifest's leaf in
    /// the merged root.
    pub fn hash(&self) -> Hash256 {
        *blake3::keyed_hash(&MANIFEST_KEY_V1, self.to_json().as_bytes()).as_bytes()
    }

    /// Where the part sits in the input, for messages: `shard 3/16 (bytes a..b)`.
    pub fn describe(&self) -> String {
        match self.shard {
            Some(shard) => format!("shard {shard} ({})", self.owned),
            None => format!("byte range {}:{}", self.owned.start, self.owned.end),
        }
    }
}

/// The identity of an input file every part computes alike, without reading it whole: the
/// keyed BLAKE3 ([`INPUT_KEY_V1`]) of its size (`u64`, little-endian), its first and its last
/// [`IDENTITY_SAMPLE`] bytes (the whole file when shorter). Copies of one file on several
/// workers agree; a different dump differs in size, head or tail. Each part's `read.hash`
/// covers the bytes between.
///
/// # Errors
///
/// Seeking or reading failed.
pub fn input_identity<F: Read + Seek>(file: &mut F, size: u64) -> io::Result<Hash256> {
    let mut hasher = blake3::Hasher::new_keyed(&INPUT_KEY_V1);
    hasher.update(&size.to_le_bytes());
    let head = size.min(IDENTITY_SAMPLE);
    file.seek(SeekFrom::Start(0))?;
    io::copy(&mut file.by_ref().take(head), &mut hasher)?;
    let tail = size.min(IDENTITY_SAMPLE);
    file.seek(SeekFrom::Start(size - tail))?;
    io::copy(&mut file.by_ref().take(tail), &mut hasher)?;
    Ok(*hasher.finalize().as_bytes())
}

/// The keyed BLAKE3 ([`HOOKS_KEY_V1`]) of a hook file's bytes.
pub fn hooks_hash(bytes: &[u8]) -> Hash256 {
    *blake3::keyed_hash(&HOOKS_KEY_V1, bytes).as_bytes()
}
