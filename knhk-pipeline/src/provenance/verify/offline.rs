//! The offline check: every line read, every derived value recomputed from the lines before.

use std::collections::HashMap;
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
    /// The current pulse's receipts: when its commit's root does not hold, the one that
    /// disagrees with its hook is named at its own line.
    pulse: Vec<PulseReceipt>,
    /// Each hook's kind and predicate, as the receipts of pulses whose root held give them.
    hooks: HashMap<String, (String, u64)>,
}

/// What a receipt says of its hook.
#[derive(Debug)]
struct PulseReceipt {
    line: usize,
    seq: u64,
    hook: String,
    kind: String,
    predicate: u64,
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
        let count = ": a block's match count is at most its active lanes";
        at.within("result", r.result, 0..=r.lanes, count)?;
        self.pulse.push(PulseReceipt {
            line,
            seq: r.seq,
            hook: record.hook.clone(),
            kind: record.kind.clone(),
            predicate: r.predicate,
        });
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
            return Err(self
                .edited_receipt(line, c.index)
                .unwrap_or_else(|| covered("root", root, c.root)));
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
        for receipt in self.pulse.drain(..) {
            self.hooks
                .entry(receipt.hook)
                .or_insert((receipt.kind, receipt.predicate));
        }
        self.ticks = TicksHasher::default();
        self.first_line = None;
        // The next pulse's receipts start at its first beat, whatever this one's last was.
        self.last_cycle = (index + 1) * BEATS_PER_PULSE;
        Ok(())
    }

    /// The one receipt of the current pulse that disagrees with its hook, when the pulse's
    /// root does not hold: a `kind` or `predicate` other than what verified pulses give for
    /// the hook (else what all its other receipts in this pulse give, at least two of them).
    /// `None` when no receipt, or more than one, does: the commit is then reported.
    fn edited_receipt(&self, commit_line: usize, commit: u64) -> Option<VerifyError> {
        let mut found = self
            .pulse
            .iter()
            .filter_map(|receipt| self.disagreement(receipt, commit_line, commit));
        let edited = found.next()?;
        found.next().is_none().then_some(edited)
    }

    fn disagreement(
        &self,
        receipt: &PulseReceipt,
        commit_line: usize,
        commit: u64,
    ) -> Option<VerifyError> {
        let edited = |field, expected, found| VerifyError::EditedReceipt {
            line: receipt.line,
            seq: receipt.seq,
            field,
            expected,
            found,
            commit,
            commit_line,
        };
        let (kind, predicate) = match self.hooks.get(&receipt.hook) {
            Some((kind, predicate)) => (kind.as_str(), *predicate),
            None => self.agreed_in_pulse(receipt)?,
        };
        if receipt.kind != kind {
            return Some(edited(
                "kind",
                Value::Text(kind.to_owned()),
                Value::Text(receipt.kind.clone()),
            ));
        }
        (receipt.predicate != predicate).then(|| {
            edited(
                "predicate",
                Value::Number(predicate),
                Value::Number(receipt.predicate),
            )
        })
    }

    /// The kind and predicate that every other receipt of `receipt`'s hook in this pulse
    /// gives, when there are at least two of them.
    fn agreed_in_pulse(&self, receipt: &PulseReceipt) -> Option<(&str, u64)> {
        let mut others = self
            .pulse
            .iter()
            .filter(|other| other.hook == receipt.hook && other.line != receipt.line);
        let first = others.next()?;
        let mut count = 1;
        for other in others {
            if other.kind != first.kind || other.predicate != first.predicate {
                return None;
            }
            count += 1;
        }
        (count >= 2).then_some((first.kind.as_str(), first.predicate))
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
