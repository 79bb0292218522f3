//! Delivery: a parsed chunk's triples and errors handed to the caller's callbacks, in input
//! order, with line numbers counted across chunks and the running report.

use std::cell::Cell;
use std::sync::Arc;

use super::chunk::Chunk;
use super::parsed::ParsedTriple;
use super::repeats::Repeat;
use crate::ingest::{handle_invalid, IngestError, IngestReport, SyntaxErrorKind, Triple};

/// What the reading thread is shown of triples still to come; see
/// [`TripleReader::try_for_each_prepared_triple_looking_ahead`].
///
/// [`TripleReader::try_for_each_prepared_triple_looking_ahead`]: crate::ingest::TripleReader::try_for_each_prepared_triple_looking_ahead
pub(crate) struct LookAhead<'d, L> {
    pub(crate) distances: &'d Cell<&'d [usize]>,
    pub(crate) call: L,
}

/// The callback each parsed triple goes to, with what `prepare` made of its terms: the
/// caller's `f`, given the triple's terms ([`Resolved`]) or the triple as parsed
/// ([`AsParsed`]).
pub(crate) trait OnTriple<H, E> {
    fn triple(&mut self, triple: ParsedTriple<'_>, prepared: [H; 3]) -> Result<(), E>;
}

/// An `f` that takes the triple's terms.
pub(crate) struct Resolved<F>(pub(crate) F);

impl<H, E, F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>> OnTriple<H, E> for Resolved<F> {
    #[inline(always)]
    fn triple(&mut self, triple: ParsedTriple<'_>, prepared: [H; 3]) -> Result<(), E> {
        (self.0)(triple.triple(), prepared)
    }
}

/// An `f` that takes the triple as parsed, reading the terms it needs.
pub(crate) struct AsParsed<F>(pub(crate) F);

impl<H, E, F: FnMut(ParsedTriple<'_>, [H; 3]) -> Result<(), E>> OnTriple<H, E> for AsParsed<F> {
    #[inline(always)]
    fn triple(&mut self, triple: ParsedTriple<'_>, prepared: [H; 3]) -> Result<(), E> {
        (self.0)(triple, prepared)
    }
}

/// The callbacks parsed chunks go to, and what delivery keeps between chunks.
pub(crate) struct Delivery<'d, L, F, S> {
    file: Arc<str>,
    skip_invalid: bool,
    report: IngestReport,
    /// Lines in the chunks delivered so far: the next chunk's line numbers start after them.
    line_base: u64,
    ahead: LookAhead<'d, L>,
    f: F,
    on_skipped: S,
}

impl<'d, L, F, S> Delivery<'d, L, F, S> {
    pub(crate) fn new(
        file: Arc<str>,
        skip_invalid: bool,
        ahead: LookAhead<'d, L>,
        f: F,
        on_skipped: S,
    ) -> Self {
        Self {
            file,
            skip_invalid,
            report: IngestReport::default(),
            line_base: 0,
            ahead,
            f,
            on_skipped,
        }
    }
}

/// Where the chunk loops ([`run`](super::parallel::run)) send each parsed chunk, in input
/// order.
pub(crate) trait Deliver<H, E> {
    /// The name of the source, for an error of the loop's own.
    fn file(&self) -> &Arc<str>;

    /// Hands a parsed chunk's triples and errors to the callbacks, in their order; `true`
    /// when it was the last chunk.
    fn deliver(&mut self, chunk: &mut Chunk<H>) -> Result<bool, E>;

    /// What the read saw, once the last chunk is delivered.
    fn report(self) -> IngestReport;
}

impl<H, L, E, F, S> Deliver<H, E> for Delivery<'_, L, F, S>
where
    H: Copy,
    L: FnMut(usize, &[H; 3]),
    E: From<IngestError>,
    F: OnTriple<H, E>,
    S: FnMut(&IngestError),
{
    fn file(&self) -> &Arc<str> {
        &self.file
    }

    fn deliver(&mut self, chunk: &mut Chunk<H>) -> Result<bool, E> {
        let Delivery {
            file,
            skip_invalid,
            report,
            line_base,
            ahead,
            f,
            on_skipped,
        } = self;
        let text = chunk.text.as_str();
        let spans = chunk.triples.as_slice();
        let prepared = chunk.prepared.as_slice();
        let marks = chunk.marks.as_slice();
        let distances = ahead.distances.get();
        let mut each = |range: std::ops::Range<usize>, report: &mut IngestReport| {
            for at in range {
                for &distance in distances {
                    if let Some(later) = prepared.get(at + distance) {
                        (ahead.call)(distance, later);
                    }
                }
                report.triples += 1;
                // A read that marks no repeats leaves `marks` empty: every term unmarked.
                let repeats = marks.get(at).copied().unwrap_or([Repeat::UNMARKED; 3]);
                let triple = ParsedTriple::in_text(&spans[at], text, repeats);
                f.triple(triple, prepared[at])?;
            }
            Ok::<(), E>(())
        };
        let mut from = 0;
        for error in &chunk.errors {
            each(from..error.before, report)?;
            from = error.before;
            let error = IngestError::Syntax {
                file: file.clone(),
                line: *line_base + error.line,
                column: error.column,
                kind: SyntaxErrorKind::NTriples(error.kind),
            };
            handle_invalid(error, *skip_invalid, report, on_skipped)?;
        }
        each(from..spans.len(), report)?;
        if let Some(error) = chunk.cut.io_error.take() {
            return Err(IngestError::Io {
                file: file.clone(),
                error,
            }
            .into());
        }
        *line_base += chunk.lines;
        Ok(chunk.cut.last)
    }

    fn report(self) -> IngestReport {
        self.report
    }
}
