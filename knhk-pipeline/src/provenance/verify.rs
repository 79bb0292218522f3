//! `knhk verify`: check a receipts file against its own lockchain, and optionally against a
//! re-run of the pipeline on the data and hooks that are said to have produced it.
//!
//! Offline ([`verify_records`]), every line is read and every derived value recomputed: each
//! receipt's `seq` follows the previous one, its `cycle` lies in the beats of the commit that
//! follows it and its `span_id` is the one its place derives; each commit's index, beats,
//! `first_seq`, receipt count, Merkle `root`, `ticks_hash`, `prev` link and `hash` are what the
//! receipts and the previous commit give; the file ends with the end-of-input commit. The first
//! record that differs is reported with its line number and what differs. What cannot be
//! checked offline is what the file does not hold: the triples behind `a_hash` and
//! `blocks_hash`. [`verify_rerun`] checks those by running the pipeline on the data with the
//! hooks and comparing every record, field by field, ticks aside.

// Errors carry both values (hashes included) by value, so reporting allocates nothing; at a
// few hundred bytes they are returned once per file, never in a loop that would feel it.
#![allow(clippy::result_large_err)]

use std::fmt;
use std::io::{BufRead, Read};

use super::batch_hash::Hash256;
use super::lockchain::{Commit, TicksHasher, BEATS_PER_PULSE, LOCKCHAIN_VERSION};
use super::merkle::merkle_root;
use super::receipt::{span_id, Receipt};
use super::records::{CommitRecord, ReceiptRecord, Record, RecordError, RecordId, Records};
use crate::emit::{EmitError, Sink};
use crate::hooks::{Hook, HookError, HookSpec};
use crate::ingest::TripleReader;
use crate::pipeline::{Pipeline, PipelineConfig, PipelineError};

/// A field's value, in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A count or id.
    Number(u64),
    /// A flag.
    Flag(bool),
    /// A 64-bit id shown as 16 hex digits.
    Id(u64),
    /// A hash.
    Hash(Hash256),
    /// A name.
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Id(id) => write!(f, "{id:016x}"),
            Value::Hash(hash) => write!(f, "{}", blake3::Hash::from_bytes(*hash).to_hex()),
            Value::Text(text) => write!(f, "{text:?}"),
        }
    }
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

/// The offline check as a state machine fed one record at a time, so a file of any size is
/// checked in the space of one pulse.
#[derive(Debug, Default)]
pub struct Verifier {
    lines: usize,
    receipts: u64,
    commits: u64,
    next_seq: u64,
    last_cycle: u64,
    prev: Hash256,
    ended: bool,
    /// The current pulse: its receipts' leaves, ticks and lines.
    leaves: Vec<Hash256>,
    ticks: TicksHasher,
    first_line: Option<usize>,
    last_line: usize,
    /// A receipt of the current pulse whose span id is not the derived one: reported at the
    /// pulse's commit line after its `version` is checked (a file of another encoding version
    /// derives span ids differently, and should be told so), or at the next error, whichever
    /// comes first; it is still the first difference and names its own line.
    span_mismatch: Option<VerifyError>,
}

fn field(
    line: usize,
    record: RecordId,
    name: &'static str,
    expected: Value,
    found: Value,
    why: &'static str,
) -> VerifyError {
    VerifyError::Field {
        line,
        record,
        field: name,
        expected,
        found,
        why,
    }
}

/// `Err(field(...))` unless `expected == found`.
macro_rules! check {
    ($line:expr, $record:expr, $name:literal, $kind:ident, $expected:expr, $found:expr, $why:expr) => {
        if $expected != $found {
            return Err(field(
                $line,
                $record,
                $name,
                Value::$kind($expected),
                Value::$kind($found),
                $why,
            ));
        }
    };
}

impl Verifier {
    /// A verifier expecting the start of a run.
    pub fn new() -> Self {
        Self::default()
    }

    /// Checks the record on line `line`.
    ///
    /// # Errors
    ///
    /// The first thing on this line that differs from what the lines before it give.
    pub fn check(&mut self, line: usize, record: &Record) -> Result<(), VerifyError> {
        self.lines = line;
        if self.ended {
            return Err(VerifyError::AfterEnd {
                line,
                record: record.id(),
            });
        }
        let result = match record {
            Record::Receipt(receipt) => self.check_receipt(line, receipt),
            Record::Commit(commit) => self.check_commit(line, commit),
        };
        match (result, self.span_mismatch.take()) {
            (
                result @ Err(VerifyError::Field {
                    field: "version", ..
                }),
                _,
            ) => result,
            (result, None) => result,
            (Ok(()), Some(mismatch)) if matches!(record, Record::Receipt(_)) => {
                self.span_mismatch = Some(mismatch);
                Ok(())
            }
            (_, Some(mismatch)) => Err(mismatch),
        }
    }

    fn check_receipt(&mut self, line: usize, r: &ReceiptRecord) -> Result<(), VerifyError> {
        let id = RecordId::Receipt { seq: r.seq };
        if r.seq != self.next_seq {
            return Err(VerifyError::OutOfOrder {
                line,
                expected: self.next_seq,
                found: r.seq,
            });
        }
        if r.cycle / BEATS_PER_PULSE != self.commits {
            return Err(VerifyError::OutsidePulse {
                line,
                seq: r.seq,
                cycle: r.cycle,
                commit: self.commits,
            });
        }
        if r.cycle < self.last_cycle {
            return Err(field(
                line,
                id,
                "cycle",
                Value::Number(self.last_cycle),
                Value::Number(r.cycle),
                ": beats never go back (at least the previous receipt's cycle was expected)",
            ));
        }
        let derived = span_id(r.shard, r.cycle, r.seq);
        if derived != r.span_id && self.span_mismatch.is_none() {
            self.span_mismatch = Some(field(
                line,
                id,
                "span_id",
                Value::Id(derived),
                Value::Id(r.span_id),
                ": span ids derive from shard, cycle and seq",
            ));
        }
        if !(1..=8).contains(&r.lanes) {
            return Err(field(
                line,
                id,
                "lanes",
                Value::Number(r.lanes.clamp(1, 8)),
                Value::Number(r.lanes),
                ": a block has 1 to 8 active lanes",
            ));
        }
        self.leaves.push(r.leaf_hash());
        self.ticks.push(r.ticks);
        self.first_line.get_or_insert(line);
        self.last_line = line;
        self.last_cycle = r.cycle;
        self.next_seq += 1;
        self.receipts += 1;
        Ok(())
    }

    fn check_commit(&mut self, line: usize, c: &CommitRecord) -> Result<(), VerifyError> {
        let id = RecordId::Commit { index: c.commit };
        let index = self.commits;
        check!(
            line,
            id,
            "version",
            Number,
            LOCKCHAIN_VERSION,
            c.version,
            ""
        );
        check!(
            line,
            id,
            "commit",
            Number,
            index,
            c.commit,
            ": commits are numbered from 0 without gaps"
        );
        check!(
            line,
            id,
            "first_cycle",
            Number,
            index * BEATS_PER_PULSE,
            c.first_cycle,
            ""
        );
        if !c.end {
            check!(
                line,
                id,
                "beats",
                Number,
                BEATS_PER_PULSE,
                c.beats,
                ": a pulse commit covers 8 beats"
            );
        } else if c.beats > BEATS_PER_PULSE {
            return Err(field(
                line,
                id,
                "beats",
                Value::Number(BEATS_PER_PULSE),
                Value::Number(c.beats),
                ": a commit covers at most 8 beats",
            ));
        }
        let receipts_before = self.receipts - self.leaves.len() as u64;
        if !self.leaves.is_empty() && self.last_cycle >= c.first_cycle + c.beats {
            return Err(field(
                line,
                id,
                "beats",
                Value::Number(self.last_cycle + 1 - c.first_cycle),
                Value::Number(c.beats),
                ": a receipt it covers has a later cycle",
            ));
        }
        if c.triples < c.beats || c.triples > 8 * c.beats {
            return Err(field(
                line,
                id,
                "triples",
                Value::Number(c.triples.clamp(c.beats, 8 * c.beats)),
                Value::Number(c.triples),
                ": each beat loads a block of 1 to 8 triples",
            ));
        }
        check!(
            line,
            id,
            "first_seq",
            Number,
            receipts_before,
            c.first_seq,
            ""
        );
        check!(
            line,
            id,
            "receipts",
            Number,
            self.leaves.len() as u64,
            c.receipts,
            ": the receipts between the previous commit and this one"
        );
        let covered = |field, expected, found| VerifyError::Covered {
            line,
            commit: c.commit,
            field,
            receipts: c.receipts,
            first_line: self.first_line.unwrap_or(line),
            last_line: self.last_line.max(self.first_line.unwrap_or(line)),
            expected: Value::Hash(expected),
            found: Value::Hash(found),
        };
        let root = merkle_root(&self.leaves);
        if root != c.root {
            return Err(covered("root", root, c.root));
        }
        let ticks = self.ticks.finish();
        if ticks != c.ticks_hash {
            return Err(covered("ticks_hash", ticks, c.ticks_hash));
        }
        check!(
            line,
            id,
            "prev",
            Hash,
            self.prev,
            c.prev,
            ": the previous commit's hash (the chain is broken here)"
        );
        check!(
            line,
            id,
            "hash",
            Hash,
            c.to_commit().compute_hash(),
            c.hash,
            ": the hash of this commit's fields (a field of this commit was edited)"
        );
        self.prev = c.hash;
        self.commits += 1;
        self.ended = c.end;
        self.leaves.clear();
        self.ticks = TicksHasher::default();
        self.first_line = None;
        // The next pulse's receipts start at its first beat, whatever this one's last was.
        self.last_cycle = (index + 1) * BEATS_PER_PULSE;
        Ok(())
    }

    /// Ends the file.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Truncated`] if the end-of-input commit was not the last record.
    pub fn finish(&mut self) -> Result<Verified, VerifyError> {
        if let Some(mismatch) = self.span_mismatch.take() {
            return Err(mismatch);
        }
        if !self.ended {
            return Err(VerifyError::Truncated { line: self.lines });
        }
        Ok(Verified {
            lines: self.lines,
            receipts: self.receipts,
            commits: self.commits,
            head: self.prev,
        })
    }
}

/// Verifies a receipts file offline (see the [module docs](self)).
///
/// # Errors
///
/// The first line that cannot be read or that differs, with what differs.
pub fn verify_records<R: BufRead>(file: R) -> Result<Verified, VerifyError> {
    let mut verifier = Verifier::new();
    for item in Records::new(file) {
        let (line, record) = item?;
        verifier.check(line, &record)?;
    }
    verifier.finish()
}

/// Re-runs the pipeline on `data` with `hooks` and checks that it gives exactly the records of
/// `file`, in order, ticks aside (`ticks` and `ticks_hash` are measurements, not provenance).
/// Pool sizes do not matter, but `batch_triples` does (it decides where runs are cut into
/// blocks): pass the one the file was made with (`knhk` uses
/// [`PipelineConfig::default`]'s). Run [`verify_records`] first: this compares, it does not
/// recompute the file's own hashes.
///
/// # Errors
///
/// The first record that differs, with the field; or why the re-run could not be made.
pub fn verify_rerun<F: BufRead, R: Read>(
    file: F,
    data: TripleReader<R>,
    hooks: &[HookSpec],
    batch_triples: usize,
) -> Result<(), VerifyError> {
    let mut pipeline = Pipeline::new(PipelineConfig {
        batch_triples,
        ..PipelineConfig::default()
    });
    for spec in hooks {
        pipeline.register_hook(spec)?;
    }
    let mut sink = ComparingSink {
        file: Records::new(file),
        first_difference: None,
    };
    pipeline.execute(data, &mut sink)?;
    if let Some(difference) = sink.first_difference {
        return Err(difference);
    }
    match sink.file.next() {
        None => Ok(()),
        Some(Err(error)) => Err(error.into()),
        Some(Ok((line, record))) => Err(VerifyError::RerunExtra {
            line,
            found: record.id(),
        }),
    }
}

/// A sink that compares what the re-run emits with the file's next record, keeping the first
/// difference (and then ignoring the rest of the run).
struct ComparingSink<F> {
    file: Records<F>,
    first_difference: Option<VerifyError>,
}

impl<F: BufRead> ComparingSink<F> {
    fn compare(&mut self, expected: Expected<'_>) {
        if self.first_difference.is_some() {
            return;
        }
        let expected_id = match expected {
            Expected::Receipt(r, _) => RecordId::Receipt { seq: r.seq },
            Expected::Commit(c) => RecordId::Commit { index: c.index },
        };
        let difference = match self.file.next() {
            None => Some(VerifyError::RerunMissing {
                line: self.file.line() + 1,
                expected: expected_id,
            }),
            Some(Err(error)) => Some(error.into()),
            Some(Ok((line, found))) => match (expected, &found) {
                (Expected::Receipt(r, hook), Record::Receipt(f)) => {
                    compare_receipt(line, r, hook, f)
                }
                (Expected::Commit(c), Record::Commit(f)) => compare_commit(line, c, f),
                _ => Some(VerifyError::RerunRecord {
                    line,
                    expected: expected_id,
                    found: found.id(),
                }),
            },
        };
        self.first_difference = difference;
    }
}

#[derive(Clone, Copy)]
enum Expected<'a> {
    Receipt(&'a Receipt, &'a Hook),
    Commit(&'a Commit),
}

impl<F: BufRead> Sink for ComparingSink<F> {
    fn receipt(&mut self, receipt: &Receipt, hook: &Hook) -> Result<(), EmitError> {
        self.compare(Expected::Receipt(receipt, hook));
        Ok(())
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        self.compare(Expected::Commit(commit));
        Ok(())
    }

    fn action(
        &mut self,
        _: crate::block::EncodedTriple,
        _: &crate::dictionary::Dictionary,
    ) -> Result<(), EmitError> {
        Ok(())
    }
}

/// The first field (ticks aside) in which the file's receipt differs from the re-run's.
fn compare_receipt(
    line: usize,
    r: &Receipt,
    hook: &Hook,
    f: &ReceiptRecord,
) -> Option<VerifyError> {
    let record = RecordId::Receipt { seq: f.seq };
    let differ = |field, expected, found| {
        Some(VerifyError::Rerun {
            line,
            record,
            field,
            expected,
            found,
        })
    };
    let numbers = [
        ("seq", r.seq, f.seq),
        ("cycle", r.cycle, f.cycle),
        ("shard", u64::from(r.shard), u64::from(f.shard)),
        ("predicate", r.predicate, f.predicate),
        ("lanes", r.lanes, f.lanes),
        ("result", r.result, f.result),
    ];
    if let Some(&(name, expected, found)) = numbers.iter().find(|(_, e, f)| e != f) {
        return differ(name, Value::Number(expected), Value::Number(found));
    }
    if hook.name != f.hook {
        return differ(
            "hook",
            Value::Text(hook.name.clone()),
            Value::Text(f.hook.clone()),
        );
    }
    if hook.kind.name() != f.kind {
        return differ(
            "kind",
            Value::Text(hook.kind.name().to_owned()),
            Value::Text(f.kind.clone()),
        );
    }
    if r.span_id != f.span_id {
        return differ("span_id", Value::Id(r.span_id), Value::Id(f.span_id));
    }
    if r.a_hash != f.a_hash {
        return differ("a_hash", Value::Hash(r.a_hash), Value::Hash(f.a_hash));
    }
    None
}

/// The first field (`ticks_hash` aside) in which the file's commit differs from the re-run's.
fn compare_commit(line: usize, c: &Commit, f: &CommitRecord) -> Option<VerifyError> {
    let record = RecordId::Commit { index: f.commit };
    let differ = |field, expected, found| {
        Some(VerifyError::Rerun {
            line,
            record,
            field,
            expected,
            found,
        })
    };
    let numbers = [
        ("commit", c.index, f.commit),
        ("version", LOCKCHAIN_VERSION, f.version),
        ("first_cycle", c.first_cycle, f.first_cycle),
        ("beats", c.beats, f.beats),
        ("first_seq", c.first_seq, f.first_seq),
        ("receipts", c.receipts, f.receipts),
        ("triples", c.triples, f.triples),
    ];
    if let Some(&(name, expected, found)) = numbers.iter().find(|(_, e, f)| e != f) {
        return differ(name, Value::Number(expected), Value::Number(found));
    }
    if c.end != f.end {
        return differ("end", Value::Flag(c.end), Value::Flag(f.end));
    }
    let hashes = [
        ("blocks_hash", c.blocks_hash, f.blocks_hash),
        ("root", c.root, f.root),
        ("prev", c.prev, f.prev),
        ("hash", c.hash, f.hash),
    ];
    if let Some(&(name, expected, found)) = hashes.iter().find(|(_, e, f)| e != f) {
        return differ(name, Value::Hash(expected), Value::Hash(found));
    }
    None
}
