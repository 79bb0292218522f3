//! Reading a receipts file back: its receipt and commit lines as owned records, with their
//! line numbers. The cold path of `knhk verify` and `knhk prove`.

use std::io::BufRead;

use serde::Deserialize;

use super::{CommitRecord, ReceiptRecord};

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
            Record::Receipt(r) => RecordId::Receipt { seq: r.receipt.seq },
            Record::Commit(c) => RecordId::Commit {
                index: c.commit.index,
            },
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
