//! Reading a receipts file back: its receipt and commit lines as owned records, with their
//! line numbers (the format is in [`super::lockchain`]). The cold path of `knhk verify` and
//! `knhk prove`; the pipeline writes lines with [`crate::emit`], without allocating.

use std::io::BufRead;

use serde::{Deserialize, Serialize};

use super::batch_hash::Hash256;
use super::lockchain::{leaf_hash, Commit, ReceiptView, LOCKCHAIN_VERSION};
use super::receipt::Receipt;
use crate::hooks::Hook;

/// A receipt line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceiptRecord {
    /// Position in the run's receipts.
    pub seq: u64,
    /// The beat.
    pub cycle: u64,
    /// The shard.
    pub shard: u32,
    /// The hook's name.
    pub hook: String,
    /// The hook's kind.
    pub kind: String,
    /// The run's predicate id.
    pub predicate: u64,
    /// Active lanes.
    pub lanes: u64,
    /// The block's result.
    pub result: u64,
    /// Timestamp-counter ticks.
    pub ticks: u64,
    /// Span id, as 16 hex digits.
    #[serde(with = "hex_u64")]
    pub span_id: u64,
    /// Action hash, as 64 hex digits.
    #[serde(with = "hex_hash")]
    pub a_hash: Hash256,
}

impl ReceiptRecord {
    /// The record of `receipt`, made by `hook`.
    pub fn new(receipt: &Receipt, hook: &Hook) -> Self {
        Self {
            seq: receipt.seq,
            cycle: receipt.cycle,
            shard: receipt.shard,
            hook: hook.name.clone(),
            kind: hook.kind.name().to_owned(),
            predicate: receipt.predicate,
            lanes: receipt.lanes,
            result: receipt.result,
            ticks: receipt.ticks,
            span_id: receipt.span_id,
            a_hash: receipt.a_hash,
        }
    }

    /// The fields as a [`Receipt`]; its hook index, which lines do not carry, is 0.
    pub fn receipt(&self) -> Receipt {
        Receipt {
            seq: self.seq,
            cycle: self.cycle,
            shard: self.shard,
            hook: 0,
            predicate: self.predicate,
            lanes: self.lanes,
            result: self.result,
            ticks: self.ticks,
            span_id: self.span_id,
            a_hash: self.a_hash,
        }
    }

    /// Its Merkle leaf hash.
    pub fn leaf_hash(&self) -> Hash256 {
        leaf_hash(ReceiptView {
            receipt: &self.receipt(),
            hook: &self.hook,
            kind: &self.kind,
        })
    }
}

/// A commit line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CommitRecord {
    /// The commit's index.
    pub commit: u64,
    /// The encodings' version ([`LOCKCHAIN_VERSION`]).
    pub version: u64,
    /// Whether it is the end-of-input commit.
    pub end: bool,
    /// First beat covered.
    pub first_cycle: u64,
    /// Beats covered.
    pub beats: u64,
    /// `seq` of the first receipt covered.
    pub first_seq: u64,
    /// Receipts covered.
    pub receipts: u64,
    /// Triples loaded in the beats covered.
    pub triples: u64,
    /// Hash of the blocks loaded.
    #[serde(with = "hex_hash")]
    pub blocks_hash: Hash256,
    /// Merkle root over the receipts covered.
    #[serde(with = "hex_hash")]
    pub root: Hash256,
    /// Hash of the covered receipts' ticks.
    #[serde(with = "hex_hash")]
    pub ticks_hash: Hash256,
    /// The previous commit's hash.
    #[serde(with = "hex_hash")]
    pub prev: Hash256,
    /// This commit's hash.
    #[serde(with = "hex_hash")]
    pub hash: Hash256,
}

impl From<&Commit> for CommitRecord {
    fn from(c: &Commit) -> Self {
        Self {
            commit: c.index,
            version: LOCKCHAIN_VERSION,
            end: c.end,
            first_cycle: c.first_cycle,
            beats: c.beats,
            first_seq: c.first_seq,
            receipts: c.receipts,
            triples: c.triples,
            blocks_hash: c.blocks_hash,
            root: c.root,
            ticks_hash: c.ticks_hash,
            prev: c.prev,
            hash: c.hash,
        }
    }
}

impl CommitRecord {
    /// The fields as a [`Commit`] (the version is not part of it).
    pub fn to_commit(&self) -> Commit {
        Commit {
            index: self.commit,
            end: self.end,
            first_cycle: self.first_cycle,
            beats: self.beats,
            first_seq: self.first_seq,
            receipts: self.receipts,
            triples: self.triples,
            blocks_hash: self.blocks_hash,
            root: self.root,
            ticks_hash: self.ticks_hash,
            prev: self.prev,
            hash: self.hash,
        }
    }
}

/// One line of a receipts file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Record {
    /// A receipt line.
    Receipt(ReceiptRecord),
    /// A commit line.
    Commit(CommitRecord),
}

/// Which record, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordId {
    /// The receipt with this `seq`.
    Receipt {
        /// Its `seq`.
        seq: u64,
    },
    /// The commit with this index.
    Commit {
        /// Its index.
        index: u64,
    },
}

impl std::fmt::Display for RecordId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RecordId::Receipt { seq } => write!(f, "receipt seq {seq}"),
            RecordId::Commit { index } => write!(f, "commit {index}"),
        }
    }
}

impl Record {
    /// Which record this is.
    pub fn id(&self) -> RecordId {
        match self {
            Record::Receipt(r) => RecordId::Receipt { seq: r.seq },
            Record::Commit(c) => RecordId::Commit { index: c.commit },
        }
    }
}

/// Why a line could not be read as a record.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// Reading failed.
    #[error("line {line}: cannot read: {error}")]
    Io {
        /// 1-based line number.
        line: usize,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// The line is not a receipt or commit record of this format.
    #[error("line {line}: not a receipt or commit record: {error}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What serde_json found wrong (missing, unknown or mistyped keys, bad JSON).
        #[source]
        error: serde_json::Error,
    },
    /// A JSON object with neither a `seq` nor a `commit` key.
    #[error("line {line}: neither a receipt (no \"seq\" key) nor a commit (no \"commit\" key)")]
    UnknownRecord {
        /// 1-based line number.
        line: usize,
    },
}

/// Parses one line (without its newline); `line` is its 1-based number, for errors.
///
/// # Errors
///
/// [`RecordError::Malformed`] or [`RecordError::UnknownRecord`].
pub fn parse_record(text: &str, line: usize) -> Result<Record, RecordError> {
    /// Which keys the object has, skipping every value.
    #[derive(Deserialize)]
    struct Probe {
        commit: Option<serde::de::IgnoredAny>,
        seq: Option<serde::de::IgnoredAny>,
    }
    let malformed = |error| RecordError::Malformed { line, error };
    let probe: Probe = serde_json::from_str(text).map_err(malformed)?;
    if probe.commit.is_some() {
        Ok(Record::Commit(
            serde_json::from_str(text).map_err(malformed)?,
        ))
    } else if probe.seq.is_some() {
        Ok(Record::Receipt(
            serde_json::from_str(text).map_err(malformed)?,
        ))
    } else {
        Err(RecordError::UnknownRecord { line })
    }
}

/// The records of a receipts file, one per line, with 1-based line numbers.
#[derive(Debug)]
pub struct Records<R> {
    input: R,
    line: usize,
    buffer: String,
}

impl<R: BufRead> Records<R> {
    /// Reads records from `input`.
    pub fn new(input: R) -> Self {
        Self {
            input,
            line: 0,
            buffer: String::new(),
        }
    }

    /// The number of the last line read.
    pub fn line(&self) -> usize {
        self.line
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<(usize, Record), RecordError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.buffer.clear();
        let line = self.line + 1;
        match self.input.read_line(&mut self.buffer) {
            Ok(0) => None,
            Ok(_) => {
                self.line = line;
                let text = self.buffer.trim_end_matches(['\n', '\r']);
                Some(parse_record(text, line).map(|record| (line, record)))
            }
            Err(error) => Some(Err(RecordError::Io { line, error })),
        }
    }
}

/// Hashes as 64 lowercase hex digits.
pub(crate) mod hex_hash {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use crate::provenance::Hash256;

    pub fn serialize<S: Serializer>(hash: &Hash256, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&blake3::Hash::from_bytes(*hash).to_hex())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Hash256, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        blake3::Hash::from_hex(&*text)
            .map(|hash| *hash.as_bytes())
            .map_err(|_| D::Error::custom("expected a hash: 64 hex digits"))
    }
}

/// Lists of hashes, each as 64 lowercase hex digits.
pub(crate) mod hex_hashes {
    use serde::ser::SerializeSeq;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    use crate::provenance::Hash256;

    pub fn serialize<S: Serializer>(hashes: &[Hash256], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(hashes.len()))?;
        for hash in hashes {
            seq.serialize_element(blake3::Hash::from_bytes(*hash).to_hex().as_str())?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash256>, D::Error> {
        Vec::<String>::deserialize(d)?
            .into_iter()
            .map(|text| {
                blake3::Hash::from_hex(&text)
                    .map(|hash| *hash.as_bytes())
                    .map_err(|_| D::Error::custom("expected a hash: 64 hex digits"))
            })
            .collect()
    }
}

/// 64-bit ids as exactly 16 lowercase hex digits.
pub(crate) mod hex_u64 {
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(id: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{id:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        if text.len() != 16 {
            return Err(D::Error::custom("expected a span id: 16 hex digits"));
        }
        u64::from_str_radix(&text, 16)
            .map_err(|_| D::Error::custom("expected a span id: 16 hex digits"))
    }
}
