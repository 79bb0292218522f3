//! `knhk verify`: check a receipts file against its own lockchain, and optionally against a
//! re-run of the pipeline on the data and hooks that are said to have produced it.
//!
//! Offline ([`verify_records`], `offline.rs`), every line is read and every derived value recomputed: each
//! receipt's `seq` follows the previous one, its `cycle` lies in the beats of the commit that
//! follows it and its `span_id` is the one its place derives; each commit's index, beats,
//! `first_seq`, receipt count, Merkle `root`, `ticks_hash`, `prev` link and `hash` are what the
//! receipts and the previous commit give; the file ends with the end-of-input commit. The first
//! record that differs is reported with its line number and what differs. What cannot be
//! checked offline is what the file does not hold: the triples behind `a_hash` and
//! `blocks_hash`. [`verify_rerun`] (`rerun.rs`) checks those by running the pipeline on the
//! data with the hooks and comparing every record, field by field, ticks aside.

// Errors carry both values (hashes included) by value, so reporting allocates nothing; at a
// few hundred bytes they are returned once per file, never in a loop that would feel it.
#![allow(clippy::result_large_err)]

mod offline;
mod rerun;

pub use offline::{verify_records, Verifier};
pub use rerun::verify_rerun;

use super::lockchain::BEATS_PER_PULSE;
use super::receipts_file::{RecordError, RecordId, Value};
use super::Hash256;
use crate::hooks::HookError;
use crate::pipeline::PipelineError;

/// A field's check: its key, the value expected, the value found, and what a difference
/// means (starting with ": ", or empty).
pub(crate) type Check<T> = (&'static str, T, T, &'static str);

/// The first of `checks` whose values differ: its key, both values and what it means.
pub(crate) fn first_failed<T: PartialEq + Copy>(
    checks: &[Check<T>],
    value: fn(T) -> Value,
) -> Option<(&'static str, Value, Value, &'static str)> {
    checks
        .iter()
        .find(|(_, expected, found, _)| expected != found)
        .map(|&(field, expected, found, why)| (field, value(expected), value(found), why))
}

/// Why a receipts file failed verification. Every variant names the line.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// A line could not be read as a record.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// A receipt is not the next in `seq` order.
    #[error(
        "line {line}: receipt seq {found} where seq {expected} comes next: a receipt was deleted, \
         inserted or moved"
    )]
    OutOfOrder {
        /// 1-based line number.
        line: usize,
        /// The `seq` that comes next.
        expected: u64,
        /// The `seq` on the line.
        found: u64,
    },
    /// A receipt's beat does not belong to the commit that follows it.
    #[error(
        "line {line}: receipt seq {seq} has cycle {cycle}, but the receipts here belong to \
         commit {commit} (cycles {first}..{end}): a commit line is missing or the receipt was moved",
        first = commit * BEATS_PER_PULSE,
        end = (commit + 1) * BEATS_PER_PULSE
    )]
    OutsidePulse {
        /// 1-based line number.
        line: usize,
        /// The receipt's `seq`.
        seq: u64,
        /// The receipt's `cycle`.
        cycle: u64,
        /// The index of the commit the receipts at this place belong to.
        commit: u64,
    },
    /// A field differs from what it is recomputed to be.
    #[error("line {line}: {record}: {field} is {found}, but {expected} was expected{why}")]
    Field {
        /// 1-based line number.
        line: usize,
        /// Which record.
        record: RecordId,
        /// The field's key.
        field: &'static str,
        /// The recomputed value.
        expected: Value,
        /// The value on the line.
        found: Value,
        /// What it means, starting with ": ", or empty.
        why: &'static str,
    },
    /// A commit's root or ticks hash is not what its receipts give.
    #[error(
        "line {line}: commit {commit}: {field} is {found}, but the {receipts} receipts it covers \
         (lines {first_line}..={last_line}) give {expected}: one of them was edited"
    )]
    Covered {
        /// 1-based line number of the commit.
        line: usize,
        /// The commit's index.
        commit: u64,
        /// `root` or `ticks_hash`.
        field: &'static str,
        /// How many receipts it covers.
        receipts: u64,
        /// Line of the first receipt covered (the commit's line when none).
        first_line: usize,
        /// Line of the last receipt covered.
        last_line: usize,
        /// The recomputed value.
        expected: Value,
        /// The value on the line.
        found: Value,
    },
    /// A commit's root is not what its receipts give, and one receipt disagrees with the
    /// other receipts of its hook: that one was edited.
    #[error(
        "line {line}: receipt seq {seq}: {field} is {found}, but {expected} was expected: the \
         other receipts of its hook say so, and the root of commit {commit} (line {commit_line}) \
         does not cover this receipt as written: it was edited"
    )]
    EditedReceipt {
        /// 1-based line number of the receipt.
        line: usize,
        /// The receipt's `seq`.
        seq: u64,
        /// `kind` or `predicate`.
        field: &'static str,
        /// What the hook's other receipts give.
        expected: Value,
        /// The value on the line.
        found: Value,
        /// The index of the commit whose root fails.
        commit: u64,
        /// Its line.
        commit_line: usize,
    },
    /// A record follows the end-of-input commit.
    #[error("line {line}: {record} follows the end-of-input commit")]
    AfterEnd {
        /// 1-based line number.
        line: usize,
        /// Which record.
        record: RecordId,
    },
    /// The file ends without the end-of-input commit.
    #[error(
        "line {line}: the file ends without the end-of-input commit (\"end\":true): it was cut \
         short or a commit was removed"
    )]
    Truncated {
        /// The last line (0 for an empty file).
        line: usize,
    },
    /// A record differs from the re-run's.
    #[error(
        "line {line}: {record}: {field} is {found}, but the re-run on the data gives {expected}: \
         these receipts are not what this data and these hooks produce"
    )]
    Rerun {
        /// 1-based line number.
        line: usize,
        /// Which record.
        record: RecordId,
        /// The field's key.
        field: &'static str,
        /// The re-run's value.
        expected: Value,
        /// The value on the line.
        found: Value,
    },
    /// The file has a different record where the re-run has another.
    #[error("line {line}: the file has {found} where the re-run on the data gives {expected}")]
    RerunRecord {
        /// 1-based line number.
        line: usize,
        /// The re-run's record.
        expected: RecordId,
        /// The file's record.
        found: RecordId,
    },
    /// The file ends before the re-run does.
    #[error("line {line}: the file ends, but the re-run on the data goes on with {expected}")]
    RerunMissing {
        /// The line the record would be on.
        line: usize,
        /// The re-run's record.
        expected: RecordId,
    },
    /// The file goes on after the re-run ends.
    #[error("line {line}: the file has {found}, but the re-run on the data ended before it")]
    RerunExtra {
        /// 1-based line number.
        line: usize,
        /// The file's record.
        found: RecordId,
    },
    /// A hook could not be registered for the re-run.
    #[error(transparent)]
    Hook(#[from] HookError),
    /// The re-run failed.
    #[error("re-running the pipeline: {0}")]
    Pipeline(#[from] PipelineError),
}

/// What a verified file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Lines (records) read.
    pub lines: usize,
    /// Receipt lines.
    pub receipts: u64,
    /// Commit lines.
    pub commits: u64,
    /// The last commit's hash: the head of the chain.
    pub head: Hash256,
}
