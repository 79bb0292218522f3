//! Turtle through oxttl's low-level parser, fed one statement at a time by our own statement
//! splitter, so that a syntax error costs at most the statement it is in.
//!
//! # Statements
//! The statement splitter reads the input and cuts it into statements: it follows IRIs, short
//! and long strings, comments and escapes just far enough to find the `.` that ends a
//! statement (a `.` that is not inside a name, a number, a string or an IRI), or the end of a
//! SPARQL-style `PREFIX`/`BASE` directive. Only the statement being parsed (and the one before it, for
//! error positions) is held in memory, at most [`IngestOptions::max_statement_bytes`] each.
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

use std::collections::{HashMap, VecDeque};
use std::fmt::Write as _;
use std::io::{self, Read};
use std::sync::Arc;

use oxrdf::{BlankNode, NamedOrBlankNode, Term as OxTerm, Triple as OxTriple};
use oxttl::turtle::LowLevelTurtleParser;
use oxttl::{TurtleParser, TurtleSyntaxError};

use super::term::{Literal, Term, Triple};
use super::{
    handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind, TurtleError,
};

/// How many line starts inside a broken statement are tried as resume points.
const MAX_RESUME_CANDIDATES: usize = 32;
/// Bytes read from the input per call.
const READ_CHUNK: usize = 64 << 10;

pub(crate) fn run<R, E, F, S>(
    reader: R,
    file: Arc<str>,
    options: &IngestOptions,
    mut f: F,
    mut on_skipped: S,
) -> Result<IngestReport, E>
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
    };
    let skip = options.skip_invalid;
    loop {
        let next = state
            .splitter
            .next_statement()
            .map_err(|error| IngestError::Io {
                file: state.file.clone(),
                error,
            })?;
        let Some(statement) = next else {
            parser.end();
            state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
            return Ok(state.report);
        };
        if statement.oversized || statement.broken_iri.is_some() {
            // This statement will not reach the parser, which is then replaced: first let it
            // finish the one before, whose last token may wait for a byte of lookahead. (The
            // extra byte shifts no position: this parser reads nothing after it.)
            parser.extend_from_slice(b"\n");
            state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
        }
        if statement.oversized {
            let error = state.syntax_error(
                statement.first_token,
                TurtleError::StatementTooLong {
                    limit: options.max_statement_bytes,
                },
            );
            handle_invalid(error, skip, &mut state.report, &mut on_skipped)?;
            // Whatever the parser still holds is the `.` of the statement before.
            parser = state.fork(&parser)?;
            state.origin = statement.end;
            state.fed.clear();
            continue;
        }
        if let Some(iri_at) = statement.broken_iri {
            // oxttl reads an unclosed IRI on into the statements that follow, so this one is
            // not given to it: the triples completed before the IRI are kept (as serdi keeps
            // them), the error is ours, and recovery goes on from inside the statement.
            let mut before = state.fork(&parser)?;
            before.extend_from_slice(state.splitter.bytes(statement.start, iri_at));
            while let Some(Ok(triple)) = before.parse_next() {
                state.report.triples += 1;
                state.blanks.lend(&triple, &mut f)?;
            }
            let position =
                state
                    .splitter
                    .position_after(statement.start, statement.start_position, iri_at);
            let error = state.syntax_error(position, TurtleError::UnterminatedIri);
            handle_invalid(error, skip, &mut state.report, &mut on_skipped)?;
            state.push_fed(statement);
            parser = state.recover(&parser, iri_at, &mut f)?;
            continue;
        }
        parser.extend_from_slice(state.splitter.bytes(statement.start, statement.end));
        state.push_fed(statement);
        state.drain(&mut parser, skip, &mut f, &mut on_skipped)?;
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
}

impl<R: Read> ReadState<R> {
    fn syntax_error(&self, (line, column): (u64, u64), kind: TurtleError) -> IngestError {
        IngestError::Syntax {
            file: self.file.clone(),
            line,
            column,
            kind: SyntaxErrorKind::Turtle(kind),
        }
    }

    fn push_fed(&mut self, statement: Statement) {
        self.fed.push_back(statement);
        if self.fed.len() > 2 {
            self.fed.pop_front();
        }
        self.splitter.keep_from(self.fed[0].start);
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
        let from = self
            .fed
            .iter()
            .rev()
            .find(|s| s.start <= at)
            .or(self.fed.front());
        let position = match from {
            Some(s) => self.splitter.position_after(s.start, s.start_position, at),
            None => (1, 1),
        };
        self.syntax_error(position, kind)
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
        let mut next = match resumed {
            Some(next) => next,
            None => self.fork(parser)?,
        };
        self.origin = broken.end;
        // The statements after the broken one were fed to the old parser; feed them again.
        self.fed.drain(..=index);
        for statement in &self.fed {
            match self.splitter.retained(statement.start, statement.end) {
                Some(bytes) => next.extend_from_slice(bytes),
                // Dropped while an oversized statement was scanned: the caller replaces this
                // parser right away, so nothing is lost by not feeding it.
                None => break,
            }
        }
        Ok(next)
    }
}

/// Deterministic labels for the blank nodes oxttl names at random (see the module docs).
#[derive(Default)]
struct BlankLabels {
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

/// One statement's place in the input: absolute byte offsets `[start, end)`, and the 1-based
/// line and column (in code points) of `start`.
#[derive(Clone, Copy, Debug)]
struct Statement {
    start: u64,
    end: u64,
    start_position: (u64, u64),
    /// Longer than the limit: its bytes were dropped while scanning for its end.
    oversized: bool,
    /// Line and column of its first token.
    first_token: (u64, u64),
    /// Where the first IRI left unclosed (by a space, line break or `<"{}|^``) starts.
    broken_iri: Option<u64>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Lex {
    Normal,
    Iri,
    /// A one-line string; the quote byte.
    Short(u8),
    /// A `"""` or `'''` string; the quote byte.
    Long(u8),
    Comment,
}

/// Cuts the input into statements; see the module docs.
struct Splitter<R> {
    reader: R,
    limit: usize,
    /// Input bytes from absolute offset `buf_origin` on.
    buf: Vec<u8>,
    buf_origin: u64,
    eof: bool,
    /// Next byte to scan (absolute), and the line and column there.
    scan: u64,
    line: u64,
    column: u64,
    lex: Lex,
    /// The last byte scanned outside strings, IRIs and comments.
    prev: u8,
    /// The current statement: where it starts, whether anything but space and comments has
    /// been seen, whether it is a SPARQL-style directive, and whether it outgrew the limit.
    start: u64,
    start_position: (u64, u64),
    begun: bool,
    sparql_directive: bool,
    oversized: bool,
    iri_start: u64,
    broken_iri: Option<u64>,
    first_token: (u64, u64),
    /// Bytes before this offset are no longer needed.
    keep_from: u64,
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80 || b"_-:%\\.".contains(&b)
}

fn ends_iri(b: u8) -> bool {
    b <= b' ' || b"<\"{}|^`".contains(&b)
}

impl<R: Read> Splitter<R> {
    fn new(reader: R, limit: usize) -> Self {
        Self {
            reader,
            limit,
            buf: Vec::new(),
            buf_origin: 0,
            eof: false,
            scan: 0,
            line: 1,
            column: 1,
            lex: Lex::Normal,
            prev: b' ',
            start: 0,
            start_position: (1, 1),
            begun: false,
            sparql_directive: false,
            oversized: false,
            iri_start: 0,
            broken_iri: None,
            first_token: (1, 1),
            keep_from: 0,
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

    fn byte(&self, at: u64) -> Option<u8> {
        let index = at.checked_sub(self.buf_origin)? as usize;
        self.buf.get(index).copied()
    }

    /// The byte `n` places after the scan position, if read yet.
    fn ahead(&self, n: u64) -> Option<u8> {
        self.byte(self.scan + n)
    }

    /// Whether deciding needs the byte `n` places ahead and it is not read yet (at the end
    /// of the input there is nothing more to wait for).
    fn need_more(&self, n: u64) -> bool {
        self.ahead(n).is_none() && !self.eof
    }

    fn keep_from(&mut self, from: u64) {
        self.keep_from = self.keep_from.max(from);
    }

    /// Reads more input, first dropping bytes nobody needs any more.
    fn fill(&mut self) -> io::Result<()> {
        let mut drop_to = self.keep_from.min(self.start);
        if self.oversized {
            drop_to = self.scan;
        }
        let drop = (drop_to.saturating_sub(self.buf_origin)) as usize;
        if drop > 0 && drop >= self.buf.len() / 2 {
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

    /// Advances over one byte at `scan`.
    fn step(&mut self, b: u8) {
        self.scan += 1;
        if b == b'\n' {
            self.line += 1;
            self.column = 1;
        } else if b & 0xC0 != 0x80 {
            self.column += 1;
        }
    }

    /// The next statement, or `None` at the end of the input. A final statement without its
    /// `.` is returned as it is, for the parser to report.
    fn next_statement(&mut self) -> io::Result<Option<Statement>> {
        loop {
            match self.scan_statement() {
                Some(end) => {
                    let statement = Statement {
                        start: self.start,
                        end,
                        start_position: self.start_position,
                        oversized: self.oversized || end - self.start > self.limit as u64,
                        broken_iri: self.broken_iri.take(),
                        first_token: self.first_token,
                    };
                    self.start = end;
                    self.start_position = (self.line, self.column);
                    self.begun = false;
                    self.sparql_directive = false;
                    self.oversized = false;
                    return Ok(Some(statement));
                }
                None if self.eof => {
                    if self.begun {
                        self.begun = false;
                        return Ok(Some(Statement {
                            start: self.start,
                            end: self.scan,
                            start_position: self.start_position,
                            oversized: self.oversized,
                            broken_iri: self.broken_iri.take(),
                            first_token: self.first_token,
                        }));
                    }
                    return Ok(None);
                }
                None => {
                    if !self.oversized && self.scan - self.start > self.limit as u64 {
                        self.oversized = true;
                    }
                    self.fill()?;
                }
            }
        }
    }

    /// Scans buffered bytes; `Some(end)` when a statement ends there, `None` when more input
    /// is needed (or the input is done).
    fn scan_statement(&mut self) -> Option<u64> {
        loop {
            let b = self.byte(self.scan)?;
            match self.lex {
                Lex::Comment => {
                    if b == b'\n' || b == b'\r' {
                        self.lex = Lex::Normal;
                        continue;
                    }
                    self.step(b);
                }
                Lex::Iri => {
                    if b == b'>' {
                        self.lex = Lex::Normal;
                        self.prev = b;
                        self.step(b);
                        if self.sparql_directive {
                            return Some(self.scan);
                        }
                    } else if ends_iri(b) {
                        // An unterminated IRI: the byte is read as normal text.
                        self.lex = Lex::Normal;
                        self.broken_iri.get_or_insert(self.iri_start);
                    } else if b == b'\\' {
                        if self.need_more(1) {
                            return None;
                        }
                        self.step(b);
                    } else {
                        self.step(b);
                    }
                }
                Lex::Short(quote) => {
                    if b == b'\n' || b == b'\r' {
                        // An unterminated string: the line break ends it.
                        self.lex = Lex::Normal;
                        continue;
                    }
                    if b == b'\\' {
                        if self.need_more(1) {
                            return None;
                        }
                        self.step(b);
                        match self.ahead(0) {
                            Some(next) if next != b'\n' && next != b'\r' => self.step(next),
                            _ => {}
                        }
                        continue;
                    }
                    if b == quote {
                        self.lex = Lex::Normal;
                        self.prev = b;
                    }
                    self.step(b);
                }
                Lex::Long(quote) => {
                    if b == b'\\' {
                        if self.need_more(1) {
                            return None;
                        }
                        self.step(b);
                        if let Some(next) = self.ahead(0) {
                            self.step(next);
                        }
                        continue;
                    }
                    if b == quote {
                        if self.need_more(2) {
                            return None;
                        }
                        if self.ahead(1) == Some(quote) && self.ahead(2) == Some(quote) {
                            for _ in 0..3 {
                                self.step(quote);
                            }
                            self.lex = Lex::Normal;
                            self.prev = quote;
                            continue;
                        }
                    }
                    self.step(b);
                }
                Lex::Normal => {
                    if b.is_ascii_whitespace() {
                        self.prev = b;
                        self.step(b);
                        continue;
                    }
                    if b == b'#' {
                        self.lex = Lex::Comment;
                        self.step(b);
                        continue;
                    }
                    if !self.begun {
                        self.begun = true;
                        self.first_token = (self.line, self.column);
                        if self.need_more(6) {
                            return None;
                        }
                        let word: Vec<u8> = (0..7).filter_map(|n| self.ahead(n)).collect();
                        let keyword = |k: &[u8]| {
                            word.len() >= k.len()
                                && word[..k.len()].eq_ignore_ascii_case(k)
                                && word.get(k.len()).is_none_or(|c| c.is_ascii_whitespace())
                        };
                        self.sparql_directive = keyword(b"PREFIX") || keyword(b"BASE");
                    }
                    match b {
                        b'<' => {
                            self.lex = Lex::Iri;
                            self.iri_start = self.scan;
                        }
                        b'"' | b'\'' => {
                            if self.need_more(2) {
                                return None;
                            }
                            if self.ahead(1) == Some(b) && self.ahead(2) == Some(b) {
                                self.lex = Lex::Long(b);
                                self.step(b);
                                self.step(b);
                            } else {
                                self.lex = Lex::Short(b);
                            }
                        }
                        b'\\' => {
                            // An escape in a local name (`ex:a\.b`): the next byte is a name byte.
                            if self.need_more(1) {
                                return None;
                            }
                            self.step(b);
                            if let Some(next) = self.ahead(0) {
                                self.prev = next;
                                self.step(next);
                            }
                            continue;
                        }
                        b'.' => {
                            if self.need_more(1) {
                                return None;
                            }
                            let next = self.ahead(1).unwrap_or(b' ');
                            let in_token = if is_name_byte(self.prev) {
                                is_name_byte(next)
                            } else {
                                next.is_ascii_digit()
                            };
                            if !in_token {
                                self.prev = b;
                                self.step(b);
                                return Some(self.scan);
                            }
                        }
                        _ => {}
                    }
                    self.prev = b;
                    self.step(b);
                }
            }
        }
    }

    /// Line and column of absolute offset `at`, counting from `from` at `position`.
    fn position_after(&self, from: u64, position: (u64, u64), at: u64) -> (u64, u64) {
        let (mut line, mut column) = position;
        let from = from.max(self.buf_origin);
        let to = at.min(self.buf_origin + self.buf.len() as u64).max(from);
        for &b in self.bytes(from, to) {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
        }
        (line, column)
    }

    /// Where parsing may resume inside the statement `[start, end)` broken at `at`: the start
    /// of `at`'s own line when only spaces precede `at` on it, then every later line start
    /// before `end` (at most `max`).
    fn line_starts(&self, start: u64, at: u64, end: u64, max: usize) -> Vec<u64> {
        let at = at.clamp(start, end);
        let mut found = Vec::new();
        let Some(text) = self.retained(start, end) else {
            return Vec::new();
        };
        let at_index = (at - start) as usize;
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
