//! The re-run comparison: the pipeline run again on the data, each record it emits compared
//! with the file's, field by field, ticks aside.

use std::io::{BufRead, Read};

use super::VerifyError;
use crate::emit::{EmitError, Sink};
use crate::hooks::{Hook, HookSpec};
use crate::ingest::TripleReader;
use crate::pipeline::{Pipeline, PipelineConfig};
use crate::provenance::lockchain::{Commit, ReceiptView};
use crate::provenance::receipt::Receipt;
use crate::provenance::receipts_file::{CommitRecord, ReceiptRecord, Record, RecordId, Records};

/// Re-runs the pipeline on `data` with `hooks` and checks that it gives exactly the records of
/// `file`, in order, ticks aside (`ticks` and `ticks_hash` are measurements, not provenance).
/// Pool sizes do not matter, but `batch_triples` does (it decides where runs are cut into
/// blocks): pass the one the file was made with (`knhk` uses
/// [`PipelineConfig::default`]'s). Run [`super::verify_records`] first: this compares, it does not
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
                    ReceiptRecord::first_difference(&ReceiptView::new(r, hook), &f.view())
                }
                (Expected::Commit(c), Record::Commit(f)) => {
                    CommitRecord::first_difference(&CommitRecord::new(c), f)
                }
                _ => {
                    self.first_difference = Some(VerifyError::RerunRecord {
                        line,
                        expected: expected_id,
                        found: found.id(),
                    });
                    return;
                }
            }
            .map(|(field, expected, on_line)| VerifyError::Rerun {
                line,
                record: found.id(),
                field,
                expected,
                found: on_line,
            }),
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
