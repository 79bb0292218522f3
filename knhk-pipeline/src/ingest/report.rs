//! What a completed read saw, and the one place that decides to skip a bad statement or stop.

use super::error::IngestError;

/// What a completed read saw.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Triples handed to the callback.
    pub triples: u64,
    /// Statements skipped as malformed (only with [`IngestOptions::skip_invalid`](crate::ingest::IngestOptions::skip_invalid)): invalid
    /// lines for N-Triples, syntax errors recovered from for Turtle.
    pub skipped: u64,
    /// The first skipped error, kept so that nothing is lost silently.
    pub first_error: Option<IngestError>,
}

/// Shared skip-or-stop decision: in skip mode the error is counted and kept, otherwise it
/// ends the read.
pub(crate) fn handle_invalid<S: FnMut(&IngestError)>(
    error: IngestError,
    skip_invalid: bool,
    report: &mut IngestReport,
    on_skipped: &mut S,
) -> Result<(), IngestError> {
    if !skip_invalid {
        return Err(error);
    }
    report.skipped += 1;
    on_skipped(&error);
    if report.first_error.is_none() {
        report.first_error = Some(error);
    }
    Ok(())
}
