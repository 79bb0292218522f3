//! A chunk of whole lines, parsed in place: its triples (with what `prepare` made of their
//! terms) and its errors, ready to be handed out in order.
//!
//! The chunk is checked as UTF-8 once; each line is then read by the fast path
//! ([`fast_line`](super::fast_line)) when it has the usual shape, else by the grammar, which
//! finds the line's end as it parses. A rejected line is cut out and parsed again on its own, so its error (kind and column) is
//! the one the line-at-a-time reader reports. `prepare` runs in a second pass over the parsed
//! triples, once the chunk's text is final: two short loops, each keeping its state in
//! registers, where one loop doing both spilled it. Chunk buffers, parsed-triple lists and
//! scratch strings are reused from one chunk to the next.

use lanepool::Reset;
use memchr::memchr2;

use super::cutter::{for_each_line, next_line_start, Cut};
use super::error::{column_of, line_too_long, NTriplesError};
use super::fast_line::fast_line;
use super::grammar::{parse_line_pieces, parse_pieces};
use super::pieces::TripleSpans;
use super::repeats::{Repeat, RepeatTable};
use crate::arch;
use crate::ingest::scan::PortableScan;
use crate::ingest::{IngestOptions, Term};

/// A bad line of a chunk, with its line number inside the chunk (1-based).
#[derive(Clone, Copy)]
pub(crate) struct ChunkError {
    pub(super) line: u64,
    pub(super) column: u64,
    pub(super) kind: NTriplesError,
    /// Triples of the chunk that come before it.
    pub(super) before: usize,
}

/// A chunk of input and, once a worker has seen it, its parse. Pooled: every buffer keeps its
/// capacity from one use to the next.
pub(crate) struct Chunk<H> {
    /// The lines as read; after parsing, its buffer is a spare.
    pub(super) cut: Cut,
    /// The chunk's text once checked as UTF-8 (the bytes moved in, not copied); for a chunk
    /// with invalid UTF-8, the text of its valid lines. After parsing, the decoded escapes
    /// follow it, so every term is a range of it.
    pub(super) text: String,
    /// Each parsed triple's ranges in `text`, in input order.
    pub(super) triples: Vec<TripleSpans>,
    /// What `prepare` made of each parsed triple's subject, predicate and object.
    pub(super) prepared: Vec<[H; 3]>,
    /// Decoded escapes of the whole chunk.
    scratch: String,
    /// Where each triple's terms repeat earlier ones of the chunk, when the read asks for
    /// it; else empty.
    pub(super) marks: Vec<[Repeat; 3]>,
    /// Lines in the chunk.
    pub(super) lines: u64,
    pub(super) errors: Vec<ChunkError>,
}

impl<H> Default for Chunk<H> {
    fn default() -> Self {
        Self {
            cut: Cut::default(),
            text: String::new(),
            triples: Vec::new(),
            prepared: Vec::new(),
            scratch: String::new(),
            marks: Vec::new(),
            lines: 0,
            errors: Vec::new(),
        }
    }
}

impl<H> Reset for Chunk<H> {
    fn reset(&mut self) {
        // The parsed text's buffer becomes the next read buffer (its bytes stay: reads
        // overwrite them), and the spare the text's.
        let text = std::mem::take(&mut self.text).into_bytes();
        self.cut.filled = 0;
        let mut spare = std::mem::replace(&mut self.cut.bytes, text);
        spare.clear();
        // An empty buffer is always UTF-8.
        self.text = String::from_utf8(spare).unwrap_or_default();
        self.cut.after_cr = false;
        self.cut.clear_marks();
        self.triples.clear();
        self.prepared.clear();
        self.marks.clear();
        self.scratch.clear();
        self.lines = 0;
        self.errors.clear();
    }
}

/// Marks the repeats among a chunk's prepared terms ([`RepeatTable::mark`] for the read's
/// `H`): run once a chunk, after `prepare`.
pub(crate) type MarkChunk<H> =
    fn(&mut RepeatTable, &str, &[TripleSpans], &[[H; 3]], &mut Vec<[Repeat; 3]>);

/// What a worker needs besides the chunk.
pub(super) struct ParseSettings<'p, P, H> {
    pub(super) prepare: &'p P,
    /// Set when the read marks repeats.
    pub(super) mark: Option<MarkChunk<H>>,
    pub(super) limit: usize,
    pub(super) skip_invalid: bool,
}

impl<'p, P, H> ParseSettings<'p, P, H> {
    pub(super) fn new(prepare: &'p P, mark: Option<MarkChunk<H>>, options: &IngestOptions) -> Self {
        Self {
            prepare,
            mark,
            limit: options.max_line_bytes,
            skip_invalid: options.skip_invalid,
        }
    }
}

/// Parses a chunk: its lines, its errors, `prepare` on each triple's terms, and (if the
/// settings say so) the marks of its repeats, found with `repeats` (the parsing thread's own
/// table). Compiled for the CPU's best instruction set ([`arch::with_best_isa`]): the byte
/// scans of the grammar then test 32 bytes per vector instruction instead of 16.
pub(super) fn parse_chunk<H, P>(
    chunk: &mut Chunk<H>,
    settings: &ParseSettings<'_, P, H>,
    repeats: &mut RepeatTable,
) where
    P: Fn(Term<'_>) -> H,
{
    arch::with_best_isa(
        #[inline(always)]
        || parse_chunk_here(chunk, settings, repeats),
    );
}

/// [`parse_chunk`], inlined into the instruction set's copy.
#[inline(always)]
fn parse_chunk_here<H, P>(
    chunk: &mut Chunk<H>,
    settings: &ParseSettings<'_, P, H>,
    repeats: &mut RepeatTable,
) where
    P: Fn(Term<'_>) -> H,
{
    let mut bytes = std::mem::take(&mut chunk.cut.bytes);
    bytes.truncate(chunk.cut.filled);
    let valid = match arch::string_from_utf8(bytes) {
        Ok(text) => {
            let mut spare = std::mem::replace(&mut chunk.text, text).into_bytes();
            spare.clear();
            chunk.cut.bytes = spare;
            true
        }
        Err(bytes) => {
            chunk.cut.bytes = bytes;
            chunk.text.clear();
            false
        }
    };
    let Chunk {
        cut:
            Cut {
                bytes,
                after_cr,
                too_long_column,
                ..
            },
        text,
        triples,
        prepared,
        marks,
        scratch,
        lines,
        errors,
    } = chunk;
    let mut stopped = false;
    let mut fail = |lines: u64, column: u64, kind: NTriplesError, before: usize| {
        errors.push(ChunkError {
            line: lines,
            column,
            kind,
            before,
        });
        settings.skip_invalid
    };
    if valid {
        // The common case: the chunk is UTF-8 as a whole, so no line is checked again, and
        // the parser finds each line's end as it goes. A line it rejects (or one over the
        // limit) is cut out and read on its own, line at a time, so its error is the
        // single-threaded scanner's.
        let text = text.as_str();
        let bytes = text.as_bytes();
        let mut start = usize::from(*after_cr && bytes.first() == Some(&b'\n'));
        // Asked once a chunk, not once a term.
        let scan = arch::Avx2Scan::detect();
        while start < bytes.len() {
            *lines += 1;
            let fast = match scan {
                Some(avx2) => fast_line(bytes, start, avx2),
                None => fast_line(bytes, start, PortableScan),
            };
            if let Some((spans, end)) = fast {
                if end - start <= settings.limit {
                    triples.push(spans);
                    start = next_line_start(bytes, end);
                    continue;
                }
            }
            let scratch_len = scratch.len();
            let end = match parse_pieces(text, start, scratch, scan) {
                Ok(line) if line.end - start <= settings.limit => {
                    if let Some(pieces) = line.triple {
                        triples.push(pieces.spans(0, text.len()));
                    }
                    line.end
                }
                _ => {
                    scratch.truncate(scratch_len);
                    let end = memchr2(b'\n', b'\r', &bytes[start..])
                        .map_or(bytes.len(), |off| start + off);
                    let line = &text[start..end];
                    let error = if line.len() > settings.limit {
                        line_too_long(settings.limit)
                    } else {
                        match parse_line_pieces(line, scratch) {
                            Ok(parsed) => {
                                // Not reached: a line that parses on its own parses in place.
                                if let Some(pieces) = parsed.triple {
                                    triples.push(pieces.spans(start, text.len()));
                                }
                                start = next_line_start(bytes, end);
                                continue;
                            }
                            Err(error) => error,
                        }
                    };
                    let column = column_of(line.as_bytes(), error.0);
                    if !fail(*lines, column, error.1, triples.len()) {
                        stopped = true;
                        break;
                    }
                    end
                }
            };
            start = next_line_start(bytes, end);
        }
    } else {
        // Some line is not UTF-8: check line by line, gathering the good lines' text.
        for_each_line(bytes, *after_cr, |start, end| {
            *lines += 1;
            let raw = &bytes[start..end];
            let error = if raw.len() > settings.limit {
                line_too_long(settings.limit)
            } else {
                match std::str::from_utf8(raw) {
                    Err(e) => (e.valid_up_to(), NTriplesError::InvalidUtf8),
                    Ok(line) => {
                        let base = text.len();
                        text.push_str(line);
                        match parse_line_pieces(line, scratch) {
                            Ok(parsed) => {
                                if let Some(pieces) = parsed.triple {
                                    triples.push(pieces.spans(base, 0));
                                }
                                return true;
                            }
                            Err(error) => error,
                        }
                    }
                }
            };
            let column = column_of(raw, error.0);
            let go_on = fail(*lines, column, error.1, triples.len());
            stopped = !go_on;
            go_on
        });
    }
    if !valid {
        // The text grew line by line: only now is it known where the scratch will start.
        for spans in triples.iter_mut() {
            spans.rebase_scratch(text.len());
        }
    }
    text.push_str(scratch);
    let prepare = settings.prepare;
    // A loop here rather than `extend`, whose own function would be compiled apart from the
    // instruction set this one runs with (the terms' hash inlines here).
    prepared.reserve(triples.len());
    for spans in triples.iter() {
        let triple = spans.resolve(text);
        prepared.push([
            prepare(triple.subject),
            prepare(triple.predicate),
            prepare(triple.object),
        ]);
    }
    if let Some(mark) = settings.mark {
        mark(repeats, text, triples, prepared, marks);
    }
    if let (Some(column), false) = (*too_long_column, stopped) {
        *lines += 1;
        let limit = settings.limit;
        fail(
            *lines,
            column,
            NTriplesError::LineTooLong { limit },
            triples.len(),
        );
    }
}
