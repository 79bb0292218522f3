//! The offline check: every line read, every derived value recomputed from the lines before.

use std::io::BufRead;

use super::{Verified, VerifyError};
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
        check!(
            line,
            id,
            "version",
            Number,
            LOCKCHAIN_VERSION,
            record.version,
            ""
        );
        check!(
            line,
            id,
            "commit",
            Number,
            index,
            c.index,
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
            c.compute_hash(),
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
