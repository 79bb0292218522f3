//! The line-at-a-time read: each line of each cut parsed and handed to the callback at once,
//! before the next line is parsed, on the calling thread.

use std::io::Read;
use std::sync::Arc;

use super::cutter::{for_each_line, Cut, Cutter};
use super::error::{column_of, line_too_long, LineError, NTriplesError};
use super::grammar::parse_line;
use crate::ingest::{
    handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind, Triple,
};

/// The N-Triples reader: whole lines from a [`Cutter`], each parsed by [`parse_line`] with one
/// scratch buffer for decoded escapes, reused for the whole input.
pub(crate) struct Scanner<'o, R> {
    cutter: Cutter<R>,
    file: Arc<str>,
    options: &'o IngestOptions,
    scratch: String,
}

impl<'o, R: Read> Scanner<'o, R> {
    pub(crate) fn new(reader: R, file: Arc<str>, options: &'o IngestOptions) -> Self {
        Self {
            cutter: Cutter::new(reader, options),
            file,
            options,
            scratch: String::new(),
        }
    }

    pub(crate) fn run<E, F, S>(mut self, mut f: F, mut on_skipped: S) -> Result<IngestReport, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        let mut report = IngestReport::default();
        let skip = self.options.skip_invalid;
        let limit = self.options.max_line_bytes;
        let file = &self.file;
        let scratch = &mut self.scratch;
        let mut cut = Cut::default();
        let mut number = 0;
        loop {
            self.cutter.fill(&mut cut);
            let mut stopped = Ok(());
            for_each_line(cut.lines(), cut.after_cr, |start, end| {
                number += 1;
                let line = &cut.lines()[start..end];
                let error = if line.len() > limit {
                    line_too_long(limit)
                } else {
                    match parse_line(line, scratch) {
                        Ok(Some(triple)) => {
                            report.triples += 1;
                            stopped = f(triple);
                            return stopped.is_ok();
                        }
                        Ok(None) => return true,
                        Err(error) => error,
                    }
                };
                let error = syntax_error(file, number, line, error);
                stopped =
                    handle_invalid(error, skip, &mut report, &mut on_skipped).map_err(E::from);
                stopped.is_ok()
            });
            stopped?;
            if let Some(column) = cut.too_long_column {
                number += 1;
                let error = IngestError::Syntax {
                    file: file.clone(),
                    line: number,
                    column,
                    kind: SyntaxErrorKind::NTriples(NTriplesError::LineTooLong { limit }),
                };
                handle_invalid(error, skip, &mut report, &mut on_skipped)?;
            }
            if let Some(error) = cut.io_error.take() {
                return Err(IngestError::Io {
                    file: file.clone(),
                    error,
                }
                .into());
            }
            if cut.last {
                return Ok(report);
            }
        }
    }
}

fn syntax_error(
    file: &Arc<str>,
    line_number: u64,
    line: &[u8],
    (pos, kind): LineError,
) -> IngestError {
    IngestError::Syntax {
        file: file.clone(),
        line: line_number,
        column: column_of(line, pos),
        kind: SyntaxErrorKind::NTriples(kind),
    }
}
