//! Turtle through our own fast path for the common statements, and oxttl's low-level parser,
//! fed whole statements by our own statement splitter, for the rest; a syntax error costs at
//! most the statement it is in.
//!
//! # Fast path
//! Each statement is first offered to the fast path (`turtle/fast.rs`), which parses `subject verb
//! object` statements with `;` and `,` lists of IRIs, prefixed names, blank node labels,
//! `[ ... ]`, `a`, strings, language tags, datatypes, numbers and booleans straight from the
//! buffer, and gives exactly the triples oxttl gives, in its order and with the same labels.
//! It declines anything else (directives, collections, non-ASCII names, unusual language
//! tags) and anything invalid, having emitted
//! nothing, and the statement goes to oxttl as below, so errors, positions and recovery are
//! oxttl's. A run of declined statements goes to one oxttl parser; the statement after it
//! that the fast path takes ends that parser, and the next declined one starts a new parser
//! carrying the prefixes and base (oxttl reads the directives; the fast path copies them).
//! After a statement whose one-line string the splitter closed at a line break, oxttl may
//! still be inside the string, so the fast path waits until oxttl is replaced at a statement
//! boundary (error recovery). [`read_with_stats`] says how many statements took each path.
//!
//! # Statements
//! The statement splitter reads the input in 64 KiB blocks and cuts it into statements: it
//! follows IRIs, short and long strings, comments and escapes just far enough to find the `.`
//! that ends a statement (a `.` that is not inside a name, a number, a string or an IRI), or
//! the end of a SPARQL-style `PREFIX`/`BASE` directive. The statements complete in a block go
//! to the parser together. Memory holds the block, the statement still being read and the one
//! before it (for error positions); a statement longer than
//! [`IngestOptions::max_statement_bytes`] is an error, and its bytes are not kept. Line and
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

mod fast;

use std::cell::Cell;
use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::io::{self, Read};
use std::sync::Arc;

use oxrdf::{BlankNode, NamedOrBlankNode, Term as OxTerm, Triple as OxTriple};
use oxttl::turtle::LowLevelTurtleParser;
use oxttl::{TurtleParser, TurtleSyntaxError};

use self::fast::{FastPath, Outcome};
use super::scan::byte_set;
use super::term::{Literal, Term, Triple, IRI_FORBIDDEN_PUNCTUATION};
use super::{
    handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind, TurtleError,
};

/// Longest statement the fast path waits for more input on; a longer one goes to oxttl
/// (the fast path starts again from the statement's start each time).
const FAST_MAX_STATEMENT: usize = 1 << 20;
/// How many line starts inside a broken statement are tried as resume points.
const MAX_RESUME_CANDIDATES: usize = 32;
/// Bytes read from the input per call.
const READ_CHUNK: usize = 64 << 10;

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

/// Reads Turtle as [`TripleReader`] does, and also says which statements took which path.
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
    f: F,
    on_skipped: S,
) -> Result<(IngestReport, TurtleStats), E>
where
    R: Read,
    E: From<IngestError>,
    F: FnMut(Triple<'_>) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    run_with(
        super::source::SkipBom::new(reader),
        file.into(),
        options,
        mode,
        f,
        on_skipped,
    )
}

pub(crate) fn run<R, E, F, S>(
    reader: R,
    file: Arc<str>,
    options: &IngestOptions,
    f: F,
    on_skipped: S,
) -> Result<IngestReport, E>
where
    R: Read,
    E: From<IngestError>,
    F: FnMut(Triple<'_>) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    run_with(reader, file, options, FastPathMode::On, f, on_skipped).map(|(report, _)| report)
}

fn run_with<R, E, F, S>(
    reader: R,
    file: Arc<str>,
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
        resynced: false,
    };
    let mut stats = TurtleStats::default();
    let mut fast = (mode == FastPathMode::On).then(|| {
        let mut fast = FastPath::new();
        fast.sync(&parser);
        fast
    });
    // Whether `parser` is reading a run of statements: it holds the input from `origin` to
    // the current statement with no gap. A statement the fast path takes ends the run (the
    // parser is ended, and a new one forked for the next statement it is given).
    let mut live = true;
    // Whether a live parser is known to be at a statement boundary: not after a statement
    // whose one-line string the splitter closed at a line break (oxttl reads on for the
    // quote), until the parser is replaced by one that starts at a boundary.
    let mut in_sync = true;
    let skip = options.skip_invalid;
    loop {
        if let Some(fast) = fast.as_mut().filter(|_| !live || in_sync) {
            if let Some(from) = state.splitter.statement_start() {
                let held = state.splitter.held_from(from);
                let eof = state.splitter.eof;
                let too_long = held.len() > FAST_MAX_STATEMENT.min(options.max_statement_bytes);
                match fast.statement(held, eof) {
                    // Over the limit, it goes to the splitter, which reports it.
                    Outcome::Parsed(len) if len <= options.max_statement_bytes => {
                        if live {
                            // oxttl finishes its statements first (and reads any directive).
                            parser.end();
                            state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
                            live = false;
                            if fast.sync(&parser) {
                                continue;
                            }
                        }
                        let end = from + len as u64;
                        // Its pieces are lent as `str`: a statement that is not UTF-8 goes
                        // to oxttl, which says where it goes wrong.
                        if let Ok(text) =
                            simdutf8::basic::from_utf8(state.splitter.bytes(from, end))
                        {
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
            continue;
        };
        stats.oxttl_statements += 1;
        if statement.unclosed_string {
            in_sync = false;
        }
        state.resynced = false;
        if !live {
            parser = state.fork(&parser)?;
            state.origin = statement.start;
            state.fed.clear();
            live = true;
        }
        if statement.oversized || statement.broken_iri.is_some() {
            // This statement will not reach the parser, which is then replaced: first let it
            // finish the one before, whose last token may wait for a byte of lookahead. (The
            // extra byte shifts no position: this parser reads nothing after it.)
            parser.extend_from_slice(b"\n");
            state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
            parser = state.special(&parser, statement, options, &mut f, &mut on_skipped)?;
            in_sync = true;
            if let Some(fast) = fast.as_mut() {
                fast.sync(&parser);
            }
            continue;
        }
        state.fed.push_back(statement);
        parser.extend_from_slice(state.splitter.bytes(statement.start, statement.end));
        state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
        // Only the last statement can still be waiting (for a byte of lookahead).
        while state.fed.len() > 1 {
            state.fed.pop_front();
        }
        if let Some(last) = state.fed.front() {
            state.splitter.keep_from(last.start);
        }
        // (A statement re-fed after the recovery may have left it inside a string again.)
        if state.resynced && !statement.unclosed_string {
            in_sync = true;
        }
        if let Some(fast) = fast.as_mut() {
            // A directive changes what the fast path must know.
            fast.sync(&parser);
        }
    }
}

fn fresh_parser(
    base: Option<&str>,
    prefixes: &[(String, String)],
) -> Result<LowLevelTurtleParser, String> {
    let mut parser = TurtleParser::new();
    if let Some(base) = base {
        parser = parser.with_base_iri(base).map_err(|e| e.to_string())?;
    }
    for (name, iri) in prefixes {
        parser = parser
            .with_prefix(name.as_str(), iri.as_str())
            .map_err(|e| e.to_string())?;
    }
    Ok(parser.low_level())
}

/// Everything the read loop carries besides the parser.
struct ReadState<R> {
    splitter: Splitter<R>,
    file: Arc<str>,
    has_base: bool,
    /// Absolute byte offset where the current parser's input starts.
    origin: u64,
    /// The statements fed to the current parser that an error may still point into.
    fed: VecDeque<Statement>,
    report: IngestReport,
    blanks: BlankLabels,
    /// Set when the parser was replaced by one that starts at a statement boundary (after an
    /// error, or a statement it was not given).
    resynced: bool,
}

impl<R: Read> ReadState<R> {
    /// A syntax error at absolute byte offset `at`.
    fn syntax_error(&self, at: u64, kind: TurtleError) -> IngestError {
        let (line, column) = self.splitter.position_of(at);
        IngestError::Syntax {
            file: self.file.clone(),
            line,
            column,
            kind: SyntaxErrorKind::Turtle(kind),
        }
    }

    /// Handles a statement the parser is not given: one over the size limit, or one with an
    /// unclosed IRI. Returns the parser to go on with, starting after the statement.
    fn special<E, F, S>(
        &mut self,
        parser: &LowLevelTurtleParser,
        statement: Statement,
        options: &IngestOptions,
        f: &mut F,
        on_skipped: &mut S,
    ) -> Result<LowLevelTurtleParser, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        self.fed.clear();
        if statement.oversized {
            let error = self.syntax_error(
                statement.first_token,
                TurtleError::StatementTooLong {
                    limit: options.max_statement_bytes,
                },
            );
            handle_invalid(error, options.skip_invalid, &mut self.report, on_skipped)?;
            self.origin = statement.end;
            self.resynced = true;
            return Ok(self.fork(parser)?);
        }
        let iri_at = statement.broken_iri.unwrap_or(statement.start);
        // oxttl reads an unclosed IRI on into the statements that follow, so this one is not
        // given to it: the triples completed before the IRI are kept (as serdi keeps them),
        // the error is ours, and recovery goes on from inside the statement.
        let mut before = self.fork(parser)?;
        before.extend_from_slice(self.splitter.bytes(statement.start, iri_at));
        while let Some(Ok(triple)) = before.parse_next() {
            self.report.triples += 1;
            self.blanks.lend(&triple, &mut *f)?;
        }
        let error = self.syntax_error(iri_at, TurtleError::UnterminatedIri);
        handle_invalid(error, options.skip_invalid, &mut self.report, on_skipped)?;
        self.fed.push_back(statement);
        self.splitter.keep_from(statement.start);
        self.recover(parser, iri_at, f)
    }

    /// A parser that carries on from `parser`'s prefixes and base.
    fn fork(&self, parser: &LowLevelTurtleParser) -> Result<LowLevelTurtleParser, IngestError> {
        let prefixes: Vec<(String, String)> = parser
            .prefixes()
            .map(|(name, iri)| (name.to_owned(), iri.to_owned()))
            .collect();
        fresh_parser(parser.base_iri(), &prefixes).map_err(|reason| IngestError::InvalidBaseIri {
            iri: parser.base_iri().unwrap_or_default().to_owned(),
            reason,
        })
    }

    /// Hands every triple the parser can produce to `f`; on a syntax error, reports it and
    /// (in skip mode) recovers as the module docs say.
    fn drain<E, F, S>(
        &mut self,
        parser: &mut LowLevelTurtleParser,
        skip: bool,
        f: &mut F,
        on_skipped: &mut S,
    ) -> Result<(), E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        while let Some(item) = parser.parse_next() {
            match item {
                Ok(triple) => {
                    self.report.triples += 1;
                    self.blanks.lend(&triple, &mut *f)?;
                }
                Err(e) => {
                    let at = self.origin + e.location().start.offset;
                    let error = self.error_at(at, &e);
                    handle_invalid(error, skip, &mut self.report, on_skipped)?;
                    *parser = self.recover(parser, at, f)?;
                }
            }
        }
        Ok(())
    }

    fn error_at(&self, at: u64, e: &TurtleSyntaxError) -> IngestError {
        let message = e.message().to_owned();
        let kind = if !self.has_base && message.contains("No scheme found") {
            TurtleError::RelativeIriWithoutBase { message }
        } else {
            TurtleError::Syntax(message)
        };
        self.syntax_error(at, kind)
    }

    /// Drops what is left of the broken statement holding byte `at` and returns the parser
    /// to go on with, which starts right after that statement.
    fn recover<E, F>(
        &mut self,
        parser: &LowLevelTurtleParser,
        at: u64,
        f: &mut F,
    ) -> Result<LowLevelTurtleParser, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
    {
        let index = self.fed.iter().rposition(|s| s.start <= at).unwrap_or(0);
        let Some(broken) = self.fed.get(index).copied() else {
            self.origin = at;
            return Ok(self.fork(parser)?);
        };
        let mut resumed = None;
        let candidates =
            self.splitter
                .line_starts(broken.start, at, broken.end, MAX_RESUME_CANDIDATES);
        for from in candidates {
            // Parse the rest of the statement from this line on, to its very end; keep it
            // only if it is clean.
            let mut trial = self.fork(parser)?;
            trial.extend_from_slice(self.splitter.bytes(from, broken.end));
            trial.end();
            let mut triples = Vec::new();
            let clean = loop {
                match trial.parse_next() {
                    Some(Ok(triple)) => triples.push(triple),
                    Some(Err(_)) => break false,
                    None => break true,
                }
            };
            if clean {
                for triple in &triples {
                    self.report.triples += 1;
                    self.blanks.lend(triple, &mut *f)?;
                }
                resumed = Some(self.fork(&trial)?);
                break;
            }
        }
        self.resynced = true;
        let mut next = match resumed {
            Some(next) => next,
            None => self.fork(parser)?,
        };
        self.origin = broken.end;
        // The statements after the broken one were fed to the old parser; feed them again.
        self.fed.drain(..=index);
        if let (Some(first), Some(last)) = (self.fed.front(), self.fed.back()) {
            next.extend_from_slice(self.splitter.bytes(first.start, last.end));
        }
        Ok(next)
    }
}

/// Deterministic labels for the blank nodes oxttl names at random (see the module docs).
#[derive(Default)]
pub(super) struct BlankLabels {
    counters: HashMap<u128, u64>,
    subject: String,
    object: String,
}

impl BlankLabels {
    fn label<'s>(
        counters: &mut HashMap<u128, u64>,
        out: &'s mut String,
        node: &BlankNode,
    ) -> &'s str {
        out.clear();
        match node.as_ref().unique_id() {
            Some(id) => {
                let next = counters.len() as u64 + 1;
                let n = *counters.entry(id).or_insert(next);
                let _ = write!(out, "{n:x}");
            }
            None => out.push_str(node.as_str()),
        }
        out
    }

    /// Lends `triple` to `f` as a borrowed [`Triple`].
    fn lend<E, F>(&mut self, triple: &OxTriple, f: &mut F) -> Result<(), E>
    where
        F: FnMut(Triple<'_>) -> Result<(), E>,
    {
        let BlankLabels {
            counters,
            subject: subject_label,
            object: object_label,
        } = self;
        let subject = match &triple.subject {
            NamedOrBlankNode::NamedNode(n) => Term::Iri(n.as_str()),
            NamedOrBlankNode::BlankNode(b) => {
                Term::BlankNode(Self::label(counters, subject_label, b))
            }
        };
        let object = match &triple.object {
            OxTerm::NamedNode(n) => Term::Iri(n.as_str()),
            OxTerm::BlankNode(b) => Term::BlankNode(Self::label(counters, object_label, b)),
            OxTerm::Literal(l) => Term::Literal(match l.language() {
                Some(language) => Literal::lang_tagged(l.value(), language),
                None => Literal::typed(l.value(), l.datatype().as_str()),
            }),
        };
        f(Triple {
            subject,
            predicate: Term::Iri(triple.predicate.as_str()),
            object,
        })
    }
}

/// One statement's place in the input, in absolute byte offsets: `[start, end)`, from the end
/// of the statement before (so leading space and comments included).
#[derive(Clone, Copy, Debug)]
struct Statement {
    start: u64,
    end: u64,
    /// Where its first token starts.
    first_token: u64,
    /// Longer than the limit: its bytes were dropped while scanning for its end.
    oversized: bool,
    /// Where the first IRI left unclosed (by a space, line break or one of `<"{}|^``) starts.
    broken_iri: Option<u64>,
    /// A one-line string was left unclosed at a line break: oxttl reads on past the
    /// statement's end, so it may still be inside it.
    unclosed_string: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    Normal,
    Iri,
    /// A one-line string; the quote byte.
    Short(u8),
    /// A `"""` or `\'\'\'` string; the quote byte.
    Long(u8),
    Comment,
}

/// A place in the input: absolute byte offset, 1-based line and column (code points).
#[derive(Clone, Copy, Debug)]
struct Position {
    offset: u64,
    line: u64,
    column: u64,
}

impl Position {
    /// The position after `bytes`, which start here. Lines end at `\n`; a column counts
    /// the bytes that start a UTF-8 character.
    fn advance(self, bytes: &[u8]) -> Position {
        let offset = self.offset + bytes.len() as u64;
        let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
        match memchr::memrchr(b'\n', bytes) {
            None => Position {
                offset,
                line: self.line,
                column: self.column + chars(bytes),
            },
            Some(last) => Position {
                offset,
                line: self.line + memchr::memchr_iter(b'\n', bytes).count() as u64,
                column: 1 + chars(&bytes[last + 1..]),
            },
        }
    }
}

/// Bytes that end a run of ordinary IRI bytes: `>`, `\\`, and what no IRI may hold.
const IRI_STOP: [bool; 256] = {
    let mut table = byte_set(IRI_FORBIDDEN_PUNCTUATION);
    let mut b = 0;
    while b <= b' ' as usize {
        table[b] = true;
        b += 1;
    }
    table
};

/// Bytes that need a decision outside strings, IRIs and comments.
const NORMAL_STOP: [bool; 256] = byte_set(b"#<\"'\\.");

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b"_-:%\\.".contains(&b)
}

/// Where the scan is, kept between calls (the buffer may move under it).
struct ScanState {
    /// Next byte to scan (absolute).
    scan: u64,
    lex: Lex,
    /// The byte before `scan`, for when the buffer no longer holds it.
    previous: u8,
    /// The current statement: where it starts, whether anything but space and comments has
    /// been seen (and where), whether it is a SPARQL-style directive, whether it outgrew the
    /// limit, and its first unclosed IRI.
    start: u64,
    begun: bool,
    first_token: u64,
    sparql_directive: bool,
    oversized: bool,
    iri_start: u64,
    broken_iri: Option<u64>,
    unclosed_string: bool,
}

impl ScanState {
    /// Scans `buf` (which starts at absolute offset `origin`) from `scan`; `Some(end)` when a
    /// statement ends there, `None` when more input is needed (or the input is done).
    fn scan(&mut self, buf: &[u8], origin: u64, eof: bool) -> Option<u64> {
        let n = buf.len();
        let mut i = (self.scan - origin) as usize;
        // Whether deciding needs `k` bytes past `i` that are not read yet.
        let need = |i: usize, k: usize| i + k >= n && !eof;
        let end = loop {
            if i >= n {
                break None;
            }
            match self.lex {
                Lex::Comment => match memchr::memchr2(b'\n', b'\r', &buf[i..]) {
                    Some(k) => {
                        i += k;
                        self.lex = Lex::Normal;
                    }
                    None => i = n,
                },
                Lex::Iri => {
                    match buf[i..].iter().position(|&b| IRI_STOP[usize::from(b)]) {
                        Some(k) => i += k,
                        None => {
                            i = n;
                            continue;
                        }
                    }
                    match buf[i] {
                        b'>' => {
                            self.lex = Lex::Normal;
                            i += 1;
                            if self.sparql_directive {
                                break Some(i);
                            }
                        }
                        b'\\' => {
                            if need(i, 1) {
                                break None;
                            }
                            i = (i + 2).min(n);
                        }
                        _ => {
                            // An unclosed IRI: the byte is read as normal text.
                            self.lex = Lex::Normal;
                            self.broken_iri.get_or_insert(self.iri_start);
                        }
                    }
                }
                Lex::Short(quote) => {
                    let stop = buf[i..]
                        .iter()
                        .position(|&b| b == quote || b == b'\\' || b == b'\n' || b == b'\r');
                    match stop {
                        None => i = n,
                        Some(k) => {
                            i += k;
                            match buf[i] {
                                b'\\' => {
                                    if need(i, 1) {
                                        break None;
                                    }
                                    // An escaped line break is no escape: the string ends.
                                    let next = buf.get(i + 1).copied().unwrap_or(b' ');
                                    i += if next == b'\n' || next == b'\r' { 1 } else { 2 };
                                }
                                // An unclosed string: the line break ends it.
                                b'\n' | b'\r' => {
                                    self.lex = Lex::Normal;
                                    self.unclosed_string = true;
                                }
                                _ => {
                                    self.lex = Lex::Normal;
                                    i += 1;
                                }
                            }
                        }
                    }
                }
                Lex::Long(quote) => match memchr::memchr2(quote, b'\\', &buf[i..]) {
                    None => i = n,
                    Some(k) => {
                        i += k;
                        if need(i, 2) {
                            break None;
                        }
                        if buf[i] == b'\\' {
                            i = (i + 2).min(n);
                        } else if buf.get(i + 1) == Some(&quote) && buf.get(i + 2) == Some(&quote) {
                            self.lex = Lex::Normal;
                            i += 3;
                        } else {
                            i += 1;
                        }
                    }
                },
                Lex::Normal => {
                    if !self.begun {
                        match buf[i..].iter().position(|b| !b.is_ascii_whitespace()) {
                            Some(k) => i += k,
                            None => {
                                i = n;
                                continue;
                            }
                        }
                        if buf[i] != b'#' {
                            if need(i, 6) {
                                break None;
                            }
                            self.begun = true;
                            self.first_token = origin + i as u64;
                            let word = &buf[i..(i + 7).min(n)];
                            let keyword = |k: &[u8]| {
                                word.len() >= k.len()
                                    && word[..k.len()].eq_ignore_ascii_case(k)
                                    && word.get(k.len()).is_none_or(|c| c.is_ascii_whitespace())
                            };
                            self.sparql_directive = keyword(b"PREFIX") || keyword(b"BASE");
                        }
                    }
                    match buf[i..].iter().position(|&b| NORMAL_STOP[usize::from(b)]) {
                        Some(k) => i += k,
                        None => {
                            i = n;
                            continue;
                        }
                    }
                    let b = buf[i];
                    match b {
                        b'#' => {
                            self.lex = Lex::Comment;
                            i += 1;
                        }
                        b'<' => {
                            self.lex = Lex::Iri;
                            self.iri_start = origin + i as u64;
                            i += 1;
                        }
                        b'"' | b'\'' => {
                            if need(i, 2) {
                                break None;
                            }
                            if buf.get(i + 1) == Some(&b) && buf.get(i + 2) == Some(&b) {
                                self.lex = Lex::Long(b);
                                i += 3;
                            } else {
                                self.lex = Lex::Short(b);
                                i += 1;
                            }
                        }
                        // An escape in a local name (`ex:a\.b`): the next byte is a name byte.
                        b'\\' => {
                            if need(i, 1) {
                                break None;
                            }
                            i = (i + 2).min(n);
                        }
                        _ => {
                            // A `.`: it ends the statement unless it is inside a name or a
                            // number.
                            if need(i, 1) {
                                break None;
                            }
                            let previous = if i > 0 { buf[i - 1] } else { self.previous };
                            let next = buf.get(i + 1).copied().unwrap_or(b' ');
                            let in_token = if is_name_byte(previous) {
                                is_name_byte(next)
                            } else {
                                next.is_ascii_digit()
                            };
                            i += 1;
                            if !in_token {
                                break Some(i);
                            }
                        }
                    }
                }
            }
        };
        if i > 0 {
            self.previous = buf[i - 1];
        }
        self.scan = origin + i as u64;
        end.map(|end| origin + end as u64)
    }
}

/// Cuts the input into statements; see the module docs.
struct Splitter<R> {
    reader: R,
    limit: usize,
    /// Input bytes from absolute offset `buf_origin` on.
    buf: Vec<u8>,
    buf_origin: u64,
    eof: bool,
    state: ScanState,
    /// Bytes before this offset are no longer needed.
    keep_from: u64,
    /// The position of `buf_origin`, and a later one where the last lookup ended (errors come
    /// in order, so each lookup scans on from the one before).
    origin_position: Position,
    cursor: Cell<Position>,
}

impl<R: Read> Splitter<R> {
    fn new(reader: R, limit: usize) -> Self {
        let first = Position {
            offset: 0,
            line: 1,
            column: 1,
        };
        Self {
            reader,
            limit,
            buf: Vec::new(),
            buf_origin: 0,
            eof: false,
            state: ScanState {
                scan: 0,
                lex: Lex::Normal,
                previous: b' ',
                start: 0,
                begun: false,
                first_token: 0,
                sparql_directive: false,
                oversized: false,
                iri_start: 0,
                broken_iri: None,
                unclosed_string: false,
            },
            keep_from: 0,
            origin_position: first,
            cursor: Cell::new(first),
        }
    }

    fn bytes(&self, from: u64, to: u64) -> &[u8] {
        &self.buf[(from - self.buf_origin) as usize..(to - self.buf_origin) as usize]
    }

    /// The bytes `[from, to)` if they are all still held (the text of a statement before an
    /// oversized one is dropped while scanning it).
    fn retained(&self, from: u64, to: u64) -> Option<&[u8]> {
        let start = usize::try_from(from.checked_sub(self.buf_origin)?).ok()?;
        let end = usize::try_from(to.checked_sub(self.buf_origin)?).ok()?;
        self.buf.get(start..end)
    }

    /// Where the next statement starts, if nothing of it has been scanned yet.
    fn statement_start(&self) -> Option<u64> {
        let state = &self.state;
        (state.scan == state.start && !state.begun && state.lex == Lex::Normal && !state.oversized)
            .then_some(state.start)
    }

    /// Every byte held from `from` on.
    fn held_from(&self, from: u64) -> &[u8] {
        &self.buf[(from - self.buf_origin) as usize..]
    }

    /// Moves past a statement read without the splitter (by the fast path), which ends at
    /// `end` with its `.`.
    fn skip_statement(&mut self, end: u64) {
        let state = &mut self.state;
        state.scan = end;
        state.start = end;
        state.previous = b'.';
        state.broken_iri = None;
        self.keep_from(end);
    }

    fn keep_from(&mut self, from: u64) {
        self.keep_from = self.keep_from.max(from);
    }

    /// Line and column of absolute offset `at` (clamped to the bytes held).
    fn position_of(&self, at: u64) -> (u64, u64) {
        let held_end = self.buf_origin + self.buf.len() as u64;
        let at = at.clamp(self.buf_origin, held_end);
        let cursor = self.cursor.get();
        let from = if cursor.offset >= self.buf_origin && cursor.offset <= at {
            cursor
        } else {
            self.origin_position
        };
        let position = from.advance(self.bytes(from.offset, at));
        self.cursor.set(position);
        (position.line, position.column)
    }

    /// The next statement if it is complete in the buffer (or, at the end of the input, the
    /// last one, without its `.`, for the parser to report).
    fn buffered_statement(&mut self) -> Option<Statement> {
        let end = match self.state.scan(&self.buf, self.buf_origin, self.eof) {
            Some(end) => end,
            None if self.eof && self.state.begun => self.buf_origin + self.buf.len() as u64,
            None => return None,
        };
        let state = &mut self.state;
        let statement = Statement {
            start: state.start,
            end,
            first_token: state.first_token,
            oversized: state.oversized || end - state.start > self.limit as u64,
            broken_iri: state.broken_iri.take(),
            unclosed_string: std::mem::take(&mut state.unclosed_string),
        };
        state.start = end;
        state.begun = false;
        state.sparql_directive = false;
        state.oversized = false;
        Some(statement)
    }

    /// Whether the whole input has been read and cut.
    fn is_done(&self) -> bool {
        self.eof && self.state.scan == self.buf_origin + self.buf.len() as u64 && !self.state.begun
    }

    /// Reads more input, first dropping bytes nobody needs any more.
    fn fill(&mut self) -> io::Result<()> {
        let state = &mut self.state;
        if !state.oversized && state.scan - state.start > self.limit as u64 {
            state.oversized = true;
        }
        // An oversized statement is only scanned for its end, so its bytes go as they come.
        let drop_to = if state.oversized {
            state.scan
        } else {
            self.keep_from.min(state.start)
        };
        let drop = drop_to.saturating_sub(self.buf_origin) as usize;
        if drop > 0 && drop >= self.buf.len() / 2 {
            let cursor = self.cursor.get();
            let from = if cursor.offset >= self.buf_origin && cursor.offset <= drop_to {
                cursor
            } else {
                self.origin_position
            };
            self.origin_position = from.advance(self.bytes(from.offset, drop_to));
            self.cursor.set(self.origin_position);
            self.buf.drain(..drop);
            self.buf_origin += drop as u64;
        }
        let len = self.buf.len();
        self.buf.resize(len + READ_CHUNK, 0);
        loop {
            match self.reader.read(&mut self.buf[len..]) {
                Ok(n) => {
                    self.buf.truncate(len + n);
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.buf.truncate(len);
                    return Err(e);
                }
            }
        }
    }

    /// Where parsing may resume inside the statement `[start, end)` broken at `at`: the start
    /// of `at`'s own line when only spaces precede `at` on it, then every later line start
    /// before `end` (at most `max`).
    fn line_starts(&self, start: u64, at: u64, end: u64, max: usize) -> Vec<u64> {
        let Some(text) = self.retained(start, end) else {
            return Vec::new();
        };
        let at_index = (at.clamp(start, end) - start) as usize;
        let mut found = Vec::new();
        let line_start = text[..at_index]
            .iter()
            .rposition(|&b| b == b'\n' || b == b'\r')
            .map_or(0, |i| i + 1);
        if line_start > 0
            && text[line_start..at_index]
                .iter()
                .all(|b| *b == b' ' || *b == b'\t')
        {
            found.push(start + line_start as u64);
        }
        for (i, &b) in text.iter().enumerate().skip(at_index) {
            if found.len() >= max {
                break;
            }
            if (b == b'\n' || b == b'\r') && i + 1 < text.len() {
                let next = text[i + 1];
                if next != b'\n' && next != b'\r' {
                    found.push(start + i as u64 + 1);
                }
            }
        }
        found
    }
}
