//! The offline check: every line read, every derived value recomputed from the lines before.

use std::io::BufRead;
use std::ops::RangeInclusive;

use super::{first_failed, Check, Verified, VerifyError};
use crate::provenance::lockchain::{TicksHasher, BEATS_PER_PULSE, LOCKCHAIN_VERSION};
use crate::provenance::merkle::merkle_root;
use crate::provenance::receipt::span_id;
use crate::provenance::receipts_file::{
    CommitRecord, ReceiptRecord, Record, RecordId, Records, Value,
};
use crate::provenance::Hash256;

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

/// The `Field` errors of the record on one line.
#[derive(Clone, Copy)]
struct Fields {
    line: usize,
    record: RecordId,
}

impl Fields {
    fn error(
        self,
        field: &'static str,
        expected: Value,
        found: Value,
        why: &'static str,
    ) -> VerifyError {
        VerifyError::Field {
            line: self.line,
            record: self.record,
            field,
            expected,
            found,
            why,
        }
    }

    /// The first of `checks` whose values differ, as an error.
    fn agree<T: PartialEq + Copy>(
        self,
        checks: &[Check<T>],
        value: fn(T) -> Value,
    ) -> Result<(), VerifyError> {
        match first_failed(checks, value) {
            Some((field, expected, found, why)) => Err(self.error(field, expected, found, why)),
            None => Ok(()),
        }
    }

    /// An error unless `found` lies in `range`; the nearest value in it was expected.
    fn within(
        self,
        field: &'static str,
        found: u64,
        range: RangeInclusive<u64>,
        why: &'static str,
    ) -> Result<(), VerifyError> {
        if range.contains(&found) {
            return Ok(());
        }
        let nearest = found.clamp(*range.start(), *range.end());
        Err(self.error(field, Value::Number(nearest), Value::Number(found), why))
    }
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

    fn check_receipt(&mut self, line: usize, record: &ReceiptRecord) -> Result<(), VerifyError> {
        let r = &record.receipt;
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
        let at = Fields { line, record: id };
        at.within(
            "cycle",
            r.cycle,
            self.last_cycle..=u64::MAX,
            ": beats never go back (at least the previous receipt's cycle was expected)",
        )?;
        let derived = span_id(r.shard, r.cycle, r.seq);
        if derived != r.span_id && self.span_mismatch.is_none() {
            self.span_mismatch = Some(at.error(
                "span_id",
                Value::Id(derived),
                Value::Id(r.span_id),
                ": span ids derive from shard, cycle and seq",
            ));
        }
        at.within("lanes", r.lanes, 1..=8, ": a block has 1 to 8 active lanes")?;
        self.leaves.push(record.leaf_hash());
        self.ticks.push(r.ticks);
        self.first_line.get_or_insert(line);
        self.last_line = line;
        self.last_cycle = r.cycle;
        self.next_seq += 1;
        self.receipts += 1;
        Ok(())
    }

    fn check_commit(&mut self, line: usize, record: &CommitRecord) -> Result<(), VerifyError> {
        let c = &record.commit;
        let id = RecordId::Commit { index: c.index };
        let index = self.commits;
        let at = Fields { line, record: id };
        at.agree(
            &[
                ("version", LOCKCHAIN_VERSION, record.version, ""),
                (
                    "commit",
                    index,
                    c.index,
                    ": commits are numbered from 0 without gaps",
                ),
                ("first_cycle", index * BEATS_PER_PULSE, c.first_cycle, ""),
            ],
            Value::Number,
        )?;
        if !c.end {
            let pulse = ": a pulse commit covers 8 beats";
            at.agree(&[("beats", BEATS_PER_PULSE, c.beats, pulse)], Value::Number)?;
        } else {
            let most = ": a commit covers at most 8 beats";
            at.within("beats", c.beats, 0..=BEATS_PER_PULSE, most)?;
        }
        let receipts_before = self.receipts - self.leaves.len() as u64;
        if !self.leaves.is_empty() {
            // At least the beats up to the last receipt's.
            let least = self.last_cycle + 1 - c.first_cycle.min(self.last_cycle + 1);
            let later = ": a receipt it covers has a later cycle";
            at.within("beats", c.beats, least..=u64::MAX, later)?;
        }
        let blocks = ": each beat loads a block of 1 to 8 triples";
        at.within("triples", c.triples, c.beats..=8 * c.beats, blocks)?;
        at.agree(
            &[
                ("first_seq", receipts_before, c.first_seq, ""),
                (
                    "receipts",
                    self.leaves.len() as u64,
                    c.receipts,
                    ": the receipts between the previous commit and this one",
                ),
            ],
            Value::Number,
        )?;
        let covered = |field, expected, found| VerifyError::Covered {
            line,
            commit: c.index,
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
        at.agree(
            &[
                (
                    "prev",
                    self.prev,
                    c.prev,
                    ": the previous commit's hash (the chain is broken here)",
                ),
                (
                    "hash",
                    c.compute_hash(),
                    c.hash,
                    ": the hash of this commit's fields (a field of this commit was edited)",
                ),
            ],
            Value::Hash,
        )?;
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

/// Verifies a receipts file offline (see the [module docs](super)).
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
