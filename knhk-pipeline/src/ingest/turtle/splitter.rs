//! The statement splitter: reads the input in blocks and cuts it into statements, following
//! IRIs, strings, comments and escapes just far enough to find the `.` that ends each one (see
//! the [parent module](super)). It also maps byte offsets to line and column.

use std::cell::Cell;
use std::io::{self, Read};

use crate::ingest::scan::byte_set;
use crate::ingest::term::IRI_FORBIDDEN_PUNCTUATION;

/// Bytes read from the input per call.
const READ_CHUNK: usize = 64 << 10;

/// One statement's place in the input, in absolute byte offsets: `[start, end)`, from the end
/// of the statement before (so leading space and comments included).
#[derive(Clone, Copy, Debug)]
pub(super) struct Statement {
    pub(super) start: u64,
    pub(super) end: u64,
    /// Where its first token starts.
    pub(super) first_token: u64,
    /// Longer than the limit: its bytes were dropped while scanning for its end.
    pub(super) oversized: bool,
    /// The line and column of its first token, taken before its bytes were dropped (an
    /// oversized statement's are).
    pub(super) first_token_position: Option<(u64, u64)>,
    /// Where the first IRI left unclosed (by a space, line break or one of `<"{}|^``) starts.
    pub(super) broken_iri: Option<u64>,
    /// Where the first one-line string left unclosed at a line break starts (its quote):
    /// oxttl would read on for the quote into the statements that follow.
    pub(super) broken_string: Option<u64>,
    /// A `@prefix`/`@base` or `PREFIX`/`BASE` directive: the only statements that change
    /// the prefixes or the base.
    pub(super) directive: bool,
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
    /// limit, its first unclosed IRI, and its first one-line string unclosed at a line end.
    start: u64,
    begun: bool,
    first_token: u64,
    sparql_directive: bool,
    directive: bool,
    oversized: bool,
    iri_start: u64,
    broken_iri: Option<u64>,
    string_start: u64,
    broken_string: Option<u64>,
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
                                // An unclosed string: the line break ends it, so the
                                // next line is read as statements again (as serdi does).
                                b'\n' | b'\r' => {
                                    self.lex = Lex::Normal;
                                    self.broken_string.get_or_insert(self.string_start);
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
                            // A keyword ends where a token or a comment can start: at white
                            // space, and for `BASE` at its IRI (`BASE<../c/>` is a directive).
                            let keyword = |k: &[u8]| {
                                word.len() >= k.len()
                                    && word[..k.len()].eq_ignore_ascii_case(k)
                                    && word.get(k.len()).is_none_or(|&c| {
                                        c.is_ascii_whitespace() || c == b'<' || c == b'#'
                                    })
                            };
                            self.sparql_directive = keyword(b"PREFIX") || keyword(b"BASE");
                            self.directive = self.sparql_directive || buf[i] == b'@';
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
                                self.string_start = origin + i as u64;
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

/// Cuts the input into statements; see the [parent module](super).
pub(super) struct Splitter<R> {
    reader: R,
    limit: usize,
    /// Input bytes from absolute offset `buf_origin` on: the first `filled` are read; the
    /// rest is room for the next read, zeroed once when the buffer grew, not before each read.
    buf: Vec<u8>,
    filled: usize,
    buf_origin: u64,
    pub(super) eof: bool,
    state: ScanState,
    /// Bytes before this offset are no longer needed.
    keep_from: u64,
    /// Where the statement being read starts (its first token), once it is over the limit.
    oversized_at: Option<(u64, u64)>,
    /// The position of `buf_origin`, and a later one where the last lookup ended (errors come
    /// in order, so each lookup scans on from the one before).
    origin_position: Position,
    cursor: Cell<Position>,
}

impl<R: Read> Splitter<R> {
    pub(super) fn new(reader: R, limit: usize) -> Self {
        let first = Position {
            offset: 0,
            line: 1,
            column: 1,
        };
        Self {
            reader,
            limit,
            buf: Vec::new(),
            filled: 0,
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
                directive: false,
                oversized: false,
                iri_start: 0,
                broken_iri: None,
                string_start: 0,
                broken_string: None,
            },
            keep_from: 0,
            oversized_at: None,
            origin_position: first,
            cursor: Cell::new(first),
        }
    }

    /// The bytes read and not yet dropped.
    fn held(&self) -> &[u8] {
        &self.buf[..self.filled]
    }

    pub(super) fn bytes(&self, from: u64, to: u64) -> &[u8] {
        &self.held()[(from - self.buf_origin) as usize..(to - self.buf_origin) as usize]
    }

    /// The bytes `[from, to)` if they are all still held (the text of a statement before an
    /// oversized one is dropped while scanning it).
    fn retained(&self, from: u64, to: u64) -> Option<&[u8]> {
        let start = usize::try_from(from.checked_sub(self.buf_origin)?).ok()?;
        let end = usize::try_from(to.checked_sub(self.buf_origin)?).ok()?;
        self.held().get(start..end)
    }

    /// Where the next statement starts, if nothing of it has been scanned yet.
    pub(super) fn statement_start(&self) -> Option<u64> {
        let state = &self.state;
        (state.scan == state.start && !state.begun && state.lex == Lex::Normal && !state.oversized)
            .then_some(state.start)
    }

    /// Every byte held from `from` on.
    pub(super) fn held_from(&self, from: u64) -> &[u8] {
        &self.held()[(from - self.buf_origin) as usize..]
    }

    /// Moves past a statement read without the splitter (by the fast path), which ends at
    /// `end` with its `.`.
    pub(super) fn skip_statement(&mut self, end: u64) {
        let state = &mut self.state;
        state.scan = end;
        state.start = end;
        state.previous = b'.';
        state.broken_iri = None;
        state.broken_string = None;
        self.keep_from(end);
    }

    pub(super) fn keep_from(&mut self, from: u64) {
        self.keep_from = self.keep_from.max(from);
    }

    /// Line and column of absolute offset `at` (clamped to the bytes held).
    pub(super) fn position_of(&self, at: u64) -> (u64, u64) {
        let held_end = self.buf_origin + self.filled as u64;
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
    pub(super) fn buffered_statement(&mut self) -> Option<Statement> {
        let end = match self
            .state
            .scan(&self.buf[..self.filled], self.buf_origin, self.eof)
        {
            Some(end) => end,
            None if self.eof && self.state.begun => self.buf_origin + self.filled as u64,
            None => return None,
        };
        let state = &mut self.state;
        let statement = Statement {
            start: state.start,
            end,
            first_token: state.first_token,
            oversized: state.oversized || end - state.start > self.limit as u64,
            first_token_position: self.oversized_at.take(),
            broken_iri: state.broken_iri.take(),
            broken_string: state.broken_string.take(),
            directive: std::mem::take(&mut state.directive),
        };
        state.start = end;
        state.begun = false;
        state.sparql_directive = false;
        state.oversized = false;
        Some(statement)
    }

    /// Whether the whole input has been read and cut.
    pub(super) fn is_done(&self) -> bool {
        self.eof && self.state.scan == self.buf_origin + self.filled as u64 && !self.state.begun
    }

    /// Where the statement being read starts, if it is already over the limit (its end not
    /// yet found).
    pub(super) fn oversized_at(&self) -> Option<(u64, u64)> {
        self.oversized_at.filter(|_| self.state.oversized)
    }

    /// Reads more input, first dropping bytes nobody needs any more.
    pub(super) fn fill(&mut self) -> io::Result<()> {
        if !self.state.oversized && self.state.scan - self.state.start > self.limit as u64 {
            // Its position is taken while its bytes are still held.
            let first = if self.state.begun {
                self.state.first_token
            } else {
                self.state.start
            };
            self.oversized_at = Some(self.position_of(first));
            self.state.oversized = true;
        }
        let state = &mut self.state;
        // An oversized statement is only scanned for its end, so its bytes go as they come.
        let drop_to = if state.oversized {
            state.scan
        } else {
            self.keep_from.min(state.start)
        };
        let drop = drop_to.saturating_sub(self.buf_origin) as usize;
        if drop > 0 && drop >= self.filled / 2 {
            let cursor = self.cursor.get();
            let from = if cursor.offset >= self.buf_origin && cursor.offset <= drop_to {
                cursor
            } else {
                self.origin_position
            };
            self.origin_position = from.advance(self.bytes(from.offset, drop_to));
            self.cursor.set(self.origin_position);
            self.buf.copy_within(drop..self.filled, 0);
            self.filled -= drop;
            self.buf_origin += drop as u64;
        }
        let len = self.filled;
        if self.buf.len() < len + READ_CHUNK {
            self.buf.resize(len + READ_CHUNK, 0);
        }
        loop {
            match self.reader.read(&mut self.buf[len..len + READ_CHUNK]) {
                Ok(n) => {
                    self.filled = len + n;
                    self.eof = n == 0;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Where parsing may resume inside the statement `[start, end)` broken at `at`: the start
    /// of `at`'s own line when only spaces precede `at` on it, then every later line start
    /// before `end` (at most `max`).
    pub(super) fn line_starts(&self, start: u64, at: u64, end: u64, max: usize) -> Vec<u64> {
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
