//! Turtle through our own fast path for the common statements, and oxttl's low-level parser,
//! fed whole statements by our own statement splitter, for the rest; a syntax error costs at
//! most the statement it is in.
//!
//! # Fast path
//! Each statement is first offered to the fast path (`turtle/fast/`), which parses `subject verb
//! object` statements with `;` and `,` lists of IRIs, prefixed names, blank node labels,
//! `[ ... ]`, `a`, strings, language tags, datatypes, numbers and booleans straight from the
//! buffer, and gives exactly the triples oxttl gives, in its order and with the same labels.
//! It declines anything else (directives, collections, non-ASCII names, unusual language
//! tags) and anything invalid, having emitted
//! nothing, and the statement goes to oxttl as below, so errors, positions and recovery are
//! oxttl's. Declined statements go to one oxttl parser, which skips the statements the fast
//! path takes: before the fast path emits, the parser is given the statement's leading space
//! as its byte of lookahead and drained, so triples come out in input order (a statement
//! with no leading space ends the parser instead, and the next declined one starts a new one
//! carrying the prefixes and base, a copy of every prefix). oxttl reads the directives; the
//! fast path takes each one from its text, or, when it cannot, copies all of oxttl's.
//! [`read_with_stats`] says how many statements took each path.
//!
//! # Statements
//! The statement splitter reads the input in 64 KiB blocks and cuts it into statements: it
//! follows IRIs, short and long strings, comments and escapes just far enough to find the `.`
//! that ends a statement (a `.` that is not inside a name, a number, a string or an IRI), or
//! the end of a SPARQL-style `PREFIX`/`BASE` directive. A one-line string (`"` or `'`) that
//! is still open at a line end ends there, as an IRI ends at a space: the next line is read
//! as statements again, as line-based tools such as serdi read it. The statements complete in a block go
//! to the parser together. Memory holds the block, the statement still being read and the one
//! before it (for error positions); a statement longer than
//! [`IngestOptions::max_statement_bytes`] is an error at its first token, and its bytes are
//! not kept: unless errors are skipped, the read stops at the limit (an endless statement
//! cannot hold it up); skipped, it is read on to its end and dropped. Line and
//! column are computed only when an error needs them.
//!
//! # Errors and recovery
//! oxttl's error positions are mapped to the line and column of the whole input. Without
//! [`IngestOptions::skip_invalid`] the first error ends the read. With it, the error is
//! counted and the reader resumes with a fresh oxttl parser that keeps the prefixes and base
//! seen so far:
//! - at the next line start inside the broken statement (after the error) from which the
//!   rest of the statement parses cleanly, as line-based tools such as serdi recover (so a
//!   missing `.` or an unterminated string costs only its own line's statement);
//! - otherwise at the `.` that ends the broken statement.
//!
//! A statement with an unclosed IRI or one-line string is not given to oxttl, which would
//! read on for the closing `>` or quote into the statements that follow: its text before the
//! break is, the error is ours, and recovery goes on from the break.
//!
//! Triples of the broken statement completed before the error are kept (they were read, as
//! serdi reads them); nothing after the broken statement is lost.
//!
//! # Base IRI and blank nodes
//! Relative IRIs resolve against [`IngestOptions::base_iri`] and `@base`; without a base a
//! relative IRI is [`TurtleError::RelativeIriWithoutBase`]. oxttl names anonymous blank nodes
//! (`[ ]`, collections) with random ids; they are renamed to the hexadecimal of a counter in
//! order of first appearance (`1`, `2`, ... `a`...), so the same document always gives the
//! same labels. Labels written in the document are kept, except those oxrdf also reads as a
//! number (lowercase hexadecimal without a leading zero, such as `b1`), which share the
//! counter's naming and are renamed by it too: the renaming stays one-to-one.
//!
//! oxttl builds owned triples (it allocates per triple); each one is lent to the callback as a
//! [`Triple`] and then dropped. A read error (I/O) always stops the read.
//!
//! # Files, in the order data flows
//! - `splitter.rs`: reads the input in blocks and cuts it into statements.
//! - `fast/`: the fast path, offered each statement first.
//! - this file: the read loop, which gives the rest to oxttl.
//! - `recovery.rs`: oxttl's errors at the input's line and column, and recovery after them.
//! - `blank_labels.rs`: the labels blank nodes get as triples are handed out, on either path.
//!
//! [`TurtleError::RelativeIriWithoutBase`]: super::TurtleError::RelativeIriWithoutBase

mod blank_labels;
mod fast;
mod recovery;
mod splitter;

use std::collections::VecDeque;
use std::io::Read;
use std::sync::Arc;

use self::blank_labels::BlankLabels;
use self::fast::{FastPath, Outcome};
use self::recovery::{fresh_parser, ReadState};
use self::splitter::Splitter;
use super::{IngestError, IngestOptions, IngestReport, Triple, TurtleError};

/// Longest statement the fast path waits for more input on; a longer one goes to oxttl
/// (the fast path starts again from the statement's start each time).
const FAST_MAX_STATEMENT: usize = 1 << 20;

/// Which path the statements of a Turtle read took.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TurtleStats {
    /// Statements parsed by the fast path.
    pub fast_statements: u64,
    /// Statements given to oxttl: those the fast path declined (or all, with it off).
    pub oxttl_statements: u64,
}

/// Whether [`read_with_stats`] tries the fast path first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FastPathMode {
    /// The fast path first, oxttl for what it declines (what [`TripleReader`] does).
    ///
    /// [`TripleReader`]: super::TripleReader
    On,
    /// Every statement through oxttl: the reference the fast path is tested against.
    Off,
}

/// Reads Turtle (as [`TripleReader`] does, with [`FastPathMode::On`]), and also says which
/// statements took which path.
///
/// # Errors
///
/// As [`TripleReader::try_for_each_triple`].
///
/// [`TripleReader`]: super::TripleReader
/// [`TripleReader::try_for_each_triple`]: super::TripleReader::try_for_each_triple
pub fn read_with_stats<R, E, F, S>(
    reader: R,
    file: impl Into<Arc<str>>,
    options: &IngestOptions,
    mode: FastPathMode,
    mut f: F,
    mut on_skipped: S,
) -> Result<(IngestReport, TurtleStats), E>
where
    R: Read,
    E: From<IngestError>,
    F: FnMut(Triple<'_>) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    let reader = super::source::SkipBom::new(reader, true);
    let file = file.into();
    let base = options.base_iri.as_deref();
    let mut parser = fresh_parser(base, &[]).map_err(|reason| IngestError::InvalidBaseIri {
        iri: base.unwrap_or_default().to_owned(),
        reason,
    })?;
    let mut state = ReadState {
        splitter: Splitter::new(reader, options.max_statement_bytes),
        file,
        has_base: base.is_some(),
        origin: 0,
        fed: VecDeque::new(),
        report: IngestReport::default(),
        blanks: BlankLabels::default(),
    };
    let mut stats = TurtleStats::default();
    let mut fast = (mode == FastPathMode::On).then(|| {
        let mut fast = FastPath::new();
        fast.sync(&parser);
        fast
    });
    // Whether `parser` is reading: it holds the input from `origin` on, but for the
    // statements the fast path took, which `origin` is moved past. When it cannot go on past
    // one (see below), it is ended, and a new one forked for the next statement it is given:
    // a fork copies every prefix, so this is kept for the rare cases.
    let mut live = true;
    // Whether every statement given to `parser` has been drained after a byte of lookahead
    // (its last token may wait for one), so that a statement the fast path takes comes out
    // after them, in input order.
    let mut caught_up = true;
    // How many more oxttl statements the fast path takes its prefixes and base after from
    // oxttl (a pass over every prefix): after a directive it could not read from its text,
    // or an error (recovery may resume on a directive), and after the next statement, as
    // oxttl may still wait for a byte of lookahead before it reads the directive.
    let mut syncs_owed = 0u8;
    let skip = options.skip_invalid;
    loop {
        if let Some(fast) = fast.as_mut() {
            if let Some(from) = state.splitter.statement_start() {
                let held = state.splitter.held_from(from);
                let eof = state.splitter.eof;
                let too_long = held.len() > FAST_MAX_STATEMENT.min(options.max_statement_bytes);
                match fast.statement(held, eof) {
                    // Over the limit, it goes to the splitter, which reports it.
                    Outcome::Parsed(len) if len <= options.max_statement_bytes => {
                        let end = from + len as u64;
                        // Its pieces are lent as `str`: a statement that is not UTF-8 goes
                        // to oxttl, which says where it goes wrong.
                        let utf8 = simdutf8::basic::from_utf8(state.splitter.bytes(from, end));
                        // The usual case, oxttl caught up: the text checked is the text lent,
                        // without a second check.
                        if let (Ok(text), false) = (utf8, live && !caught_up) {
                            if live {
                                state.origin += end - from;
                            }
                            state.report.triples +=
                                fast.emit(text, &mut state.blanks.counters, &mut f)?;
                            stats.fast_statements += 1;
                            state.splitter.skip_statement(end);
                            state.fed.clear();
                            continue;
                        }
                        if utf8.is_ok() {
                            // Where the bytes oxttl is not given start.
                            let mut gap = from;
                            if live && !caught_up {
                                // oxttl finishes its statements first (and reads any
                                // directive). The statement's leading space gives it its byte
                                // of lookahead, and it goes on after the statement; else (or
                                // if it had to recover, or the fast path must copy its
                                // prefixes and read the statement again) it is ended.
                                let first = state.splitter.bytes(from, from + 1)[0];
                                let skipped = state.report.skipped;
                                if syncs_owed == 0 && matches!(first, b' ' | b'\t' | b'\n' | b'\r')
                                {
                                    parser.extend_from_slice(&[first]);
                                    state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
                                    gap = from + 1;
                                }
                                if gap == from || state.report.skipped != skipped {
                                    parser.end();
                                    state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
                                    live = false;
                                    if syncs_owed > 0 {
                                        syncs_owed = 0;
                                        if fast.sync(&parser) {
                                            continue;
                                        }
                                    }
                                }
                                caught_up = true;
                            }
                            if live {
                                // The next byte oxttl is given is the one at `end`.
                                state.origin += end - gap;
                            }
                            let text = simdutf8::basic::from_utf8(state.splitter.bytes(from, end))
                                .expect("checked above");
                            state.report.triples +=
                                fast.emit(text, &mut state.blanks.counters, &mut f)?;
                            stats.fast_statements += 1;
                            state.splitter.skip_statement(end);
                            state.fed.clear();
                            continue;
                        }
                    }
                    Outcome::NeedMore if !eof && !too_long => {
                        state.splitter.fill().map_err(|error| IngestError::Io {
                            file: state.file.clone(),
                            error,
                        })?;
                        continue;
                    }
                    Outcome::Parsed(_) | Outcome::NeedMore | Outcome::Declined => {}
                }
            }
        }
        let Some(statement) = state.splitter.buffered_statement() else {
            if state.splitter.is_done() {
                if live {
                    parser.end();
                    state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
                }
                return Ok((state.report, stats));
            }
            state.splitter.fill().map_err(|error| IngestError::Io {
                file: state.file.clone(),
                error,
            })?;
            if let (false, Some(at)) = (skip, state.splitter.oversized_at()) {
                // The error ends the read: reported at the limit, without reading on to the
                // statement's end (which may never come).
                let kind = TurtleError::StatementTooLong {
                    limit: options.max_statement_bytes,
                };
                return Err(state.syntax_error_at(at, kind).into());
            }
            continue;
        };
        stats.oxttl_statements += 1;
        if !live {
            parser = state.fork(&parser)?;
            state.origin = statement.start;
            state.fed.clear();
            live = true;
        }
        caught_up = false;
        if statement.oversized
            || statement.broken_iri.is_some()
            || statement.broken_string.is_some()
        {
            // This statement will not reach the parser, which is then replaced: first let it
            // finish the one before, whose last token may wait for a byte of lookahead. (The
            // extra byte shifts no position: this parser reads nothing after it.)
            parser.extend_from_slice(b"\n");
            state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
            parser = state.special(&parser, statement, options, &mut f, &mut on_skipped)?;
            if let Some(fast) = fast.as_mut() {
                fast.sync(&parser);
            }
            continue;
        }
        state.fed.push_back(statement);
        parser.extend_from_slice(state.splitter.bytes(statement.start, statement.end));
        let skipped = state.report.skipped;
        state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
        // Only the last statement can still be waiting (for a byte of lookahead).
        while state.fed.len() > 1 {
            state.fed.pop_front();
        }
        if let Some(last) = state.fed.front() {
            state.splitter.keep_from(last.start);
        }
        if let Some(fast) = fast.as_mut() {
            // Only a directive changes what the fast path must know; one oxttl read cleanly
            // is taken from its text, in constant time.
            let clean = state.report.skipped == skipped;
            let text = state.splitter.bytes(statement.start, statement.end);
            if !clean || (statement.directive && !fast.declare(text)) {
                syncs_owed = 2;
            }
            if syncs_owed > 0 {
                syncs_owed -= 1;
                fast.sync(&parser);
            }
        }
    }
}
