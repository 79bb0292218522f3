//! The N-Triples 1.1 scanner: byte-level, one line at a time, allocation-free per triple.
//!
//! # How it reads
//! Input is read in large blocks into one buffer; each line is parsed in place and its terms
//! borrow the buffer. A line is first checked as UTF-8 as a whole (simdutf8, SIMD), so the
//! parser can then work on bytes and slice `&str`s at ASCII delimiters. IRIs are scanned 32
//! bytes at a time (two SSE2 blocks) for their end or a forbidden byte, literals the same way
//! for their end, a backslash or a line break. Escapes
//! (`\uXXXX`, `\UXXXXXXXX` and, in literals, `\t \b \n \r \f \" \' \\`) are decoded into one
//! scratch `String` reused across lines, and only for terms that contain a backslash, so
//! `"\u0041"` and `"A"` give the same term.
//!
//! A line longer than the buffer grows it by doubling (no rescan of the bytes already searched
//! for the line end), so a 10 MB line costs linear time; past
//! [`IngestOptions::max_line_bytes`] the line is an error.
//!
//! # What it accepts
//! The N-Triples 1.1 grammar: `IRIREF` (no `<>"{}|^`\` or space/control characters, raw or
//! through `UCHAR`), which must be absolute (`scheme:`); `BLANK_NODE_LABEL` with the `PN_CHARS`
//! rules (no `:`; a trailing `.` ends the label); `STRING_LITERAL_QUOTE` with a `LANGTAG`
//! (`[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`) or `^^IRIREF`; spaces and tabs between terms (optional,
//! also around `^^` and before `@`, as the grammar allows between terminals); comments; blank
//! lines; line breaks `\n`, `\r\n` or `\r` (EOL is `[#xD#xA]+`; `\r\n` counts as one line);
//! a last line without a line break. A literal typed `rdf:langString` without a tag is
//! rejected, as RDF 1.1 requires.
//!
//! What it does not check, unlike oxttl's strict mode: the finer RFC 3987 structure of IRIs
//! (e.g. `%` followed by two hex digits, the form of an authority) and BCP 47 well-formedness
//! of language tags beyond the N-Triples `LANGTAG` production. A raw U+0000 inside a string
//! literal is accepted because the grammar allows it (`[^#x22#x5C#xA#xD]`); anywhere else a
//! NUL byte is an error.
//!
//! Errors carry a [`NTriplesError`]: a small `Copy` enum, so that reporting (or skipping) a
//! bad line allocates nothing; the source name is an `Arc<str>` clone.

use std::io::{self, Read};
use std::sync::Arc;

use memchr::memchr2;

use super::scan::{find_iri_stop, find_string_stop};
use super::term::{is_forbidden_in_iri, Literal, Term, Triple, RDF_LANG_STRING};
use super::{handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind};

/// First size of the read buffer: small, so that reading many tiny inputs stays cheap.
const FIRST_BUFFER: usize = 8 << 10;
/// Size the buffer grows to while reads keep filling it: large reads for large inputs.
/// Lines longer than this grow it further, up to the line limit.
const BLOCK_BUFFER: usize = 256 << 10;

/// A character found where something else was expected; `None` is the end of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found(pub Option<char>);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("end of line"),
            Some(c) if c.is_control() || c == ' ' => write!(f, "U+{:04X}", u32::from(c)),
            Some(c) => write!(f, "'{c}'"),
        }
    }
}

/// What is wrong with an N-Triples line. The error's column points at the character named in
/// each variant's doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NTriplesError {
    /// Bytes that are not UTF-8 (column: the first bad byte).
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// The line holds more than the configured number of bytes (column: where the limit hit).
    #[error("line longer than {limit} bytes; raise the limit with --max-line-bytes (IngestOptions::max_line_bytes)")]
    LineTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// No subject at the start of a statement (column: what was found).
    #[error("expected a subject (<IRI> or _:label), found {found}")]
    ExpectedSubject {
        /// What was found.
        found: Found,
    },
    /// No predicate IRI after the subject (column: what was found).
    #[error("expected a predicate <IRI>, found {found}")]
    ExpectedPredicate {
        /// What was found.
        found: Found,
    },
    /// No object after the predicate (column: what was found).
    #[error("expected an object (<IRI>, _:label or \"literal\"), found {found}")]
    ExpectedObject {
        /// What was found.
        found: Found,
    },
    /// The statement does not end with `.` (column: what was found).
    #[error("expected '.' to end the triple, found {found}")]
    ExpectedDot {
        /// What was found.
        found: Found,
    },
    /// Something other than a comment follows the `.` on the same line (column: that).
    #[error("expected end of line after '.', found {found} (one triple per line)")]
    ExpectedEndOfLine {
        /// What was found.
        found: Found,
    },
    /// No `>` before the end of the line (column: the `<`).
    #[error("IRI not closed by '>' before the end of the line")]
    UnterminatedIri,
    /// A character IRIREF forbids, raw or escaped (column: the character or its escape).
    #[error("character {found} is not allowed in an IRI")]
    ForbiddenIriCharacter {
        /// The character.
        found: Found,
    },
    /// The IRI has no scheme (column: the `<`).
    #[error("relative IRI: N-Triples needs absolute IRIs (scheme:...)")]
    RelativeIri,
    /// A backslash in an IRI not followed by `u` or `U` (column: the backslash).
    #[error("only \\uXXXX and \\UXXXXXXXX escapes are allowed in IRIs")]
    BadIriEscape,
    /// A backslash in a literal not followed by a valid escape letter (column: the backslash).
    #[error("invalid escape in string: expected one of \\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX \\UXXXXXXXX")]
    BadStringEscape,
    /// `\u` or `\U` not followed by enough hex digits (column: the backslash).
    #[error("\\u needs 4 and \\U needs 8 hexadecimal digits")]
    BadHexEscape,
    /// A `\u`/`\U` escape naming a surrogate or a value beyond U+10FFFF (column: the backslash).
    #[error("escape does not name a Unicode scalar value")]
    InvalidCodePoint,
    /// No closing `"` before the end of the line (column: the opening `"`).
    #[error("string literal not closed by '\"' before the end of the line")]
    UnterminatedString,
    /// `@` not followed by a `LANGTAG` (column: the `@`).
    #[error("invalid language tag: expected [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*")]
    BadLanguageTag,
    /// `^` not followed by `^<IRI>` (column: the first `^`).
    #[error("expected ^^<datatype IRI>")]
    BadDatatype,
    /// `^^rdf:langString` without a language tag (column: the datatype's `<`).
    #[error("a literal typed rdf:langString needs a language tag")]
    LangStringWithoutTag,
    /// `_:` not followed by a valid label (column: the offending character).
    #[error("invalid blank node label: found {found}")]
    BadBlankNodeLabel {
        /// What was found.
        found: Found,
    },
}

/// A parsed piece of text: in the line itself, or decoded into the scratch buffer.
#[derive(Clone, Copy)]
enum Piece {
    Line(usize, usize),
    Scratch(usize, usize),
}

impl Piece {
    fn resolve<'a>(self, line: &'a str, scratch: &'a str) -> &'a str {
        match self {
            Piece::Line(a, b) => &line[a..b],
            Piece::Scratch(a, b) => &scratch[a..b],
        }
    }
}

#[derive(Clone, Copy)]
enum ObjectPiece {
    Iri(Piece),
    Blank(Piece),
    Simple(Piece),
    Lang(Piece, Piece),
    Typed(Piece, Piece),
}

/// An error inside a line: byte offset in the line and what is wrong.
pub(crate) type LineError = (usize, NTriplesError);

const fn is_pn_chars_base(c: char) -> bool {
    matches!(c,
        'A'..='Z' | 'a'..='z'
        | '\u{00C0}'..='\u{00D6}' | '\u{00D8}'..='\u{00F6}' | '\u{00F8}'..='\u{02FF}'
        | '\u{0370}'..='\u{037D}' | '\u{037F}'..='\u{1FFF}' | '\u{200C}'..='\u{200D}'
        | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}' | '\u{3001}'..='\u{D7FF}'
        | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}' | '\u{10000}'..='\u{EFFFF}')
}

const fn is_pn_chars(c: char) -> bool {
    is_pn_chars_base(c)
        || matches!(c, '_' | '-' | '0'..='9' | '\u{00B7}' | '\u{0300}'..='\u{036F}' | '\u{203F}'..='\u{2040}')
}

/// Column (1-based, in code points) of byte `pos` in `line`. Counts non-continuation bytes,
/// so it works on the invalid-UTF-8 prefix too.
pub(crate) fn column_of(line: &[u8], pos: usize) -> u64 {
    let pos = pos.min(line.len());
    line[..pos].iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64 + 1
}

/// The buffered line reader: reads the input in large blocks into one buffer and hands out
/// one line at a time, without its line break, numbered from 1. It knows line breaks and the
/// length limit, nothing of the grammar (that is [`parse_line`]).
struct LineReader<R> {
    reader: R,
    buf: Vec<u8>,
    /// Unconsumed data is `buf[start..end]`.
    start: usize,
    end: usize,
    /// Where the search for the current line's end resumes, so a line that needs several
    /// reads is searched once overall.
    scan: usize,
    eof: bool,
    /// The last read filled all the free space: more input is likely, so read bigger blocks.
    last_read_filled: bool,
    /// The number of the last line handed out.
    line: u64,
    /// The last line ended with `\r`: a `\n` right after it completes one `\r\n` break.
    after_cr: bool,
    /// The last line handed out was too long: its rest is still to be dropped.
    discard_rest: bool,
    max_line_bytes: usize,
}

/// What [`LineReader::next_line`] found.
enum NextLine<'b> {
    /// A whole line (its 1-based number and its bytes, without the line break).
    Line(u64, &'b [u8]),
    /// A line longer than the limit: its number and first `max_line_bytes` bytes (the rest
    /// is dropped).
    TooLong(u64, &'b [u8]),
    /// The input ended.
    End,
}

impl<R: Read> LineReader<R> {
    fn new(reader: R, max_line_bytes: usize) -> Self {
        Self {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            scan: 0,
            eof: false,
            last_read_filled: false,
            line: 0,
            after_cr: false,
            discard_rest: false,
            max_line_bytes,
        }
    }

    /// Reads more input after `buf[..end]`, first moving the unconsumed bytes to the front and
    /// growing the buffer when it is full (doubling, so a long line costs linear time).
    fn fill(&mut self) -> io::Result<()> {
        let shift = self.start;
        if shift > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= shift;
            self.scan -= shift;
            self.start = 0;
        }
        let grow_block = self.last_read_filled && self.buf.len() < BLOCK_BUFFER;
        if self.end == self.buf.len() || grow_block {
            let wanted = (self.buf.len() * 2).max(FIRST_BUFFER);
            // One byte past the limit is enough to know the line is too long.
            let cap = self.max_line_bytes.saturating_add(1).max(self.end + 1);
            self.buf.resize(wanted.min(cap).max(self.buf.len()), 0);
        }
        loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(());
                }
                Ok(n) => {
                    self.last_read_filled = self.end + n == self.buf.len();
                    self.end += n;
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }

    /// Drops input up to and including the next line break.
    fn discard_rest_of_line(&mut self) -> io::Result<()> {
        loop {
            if let Some(off) = memchr2(b'\n', b'\r', &self.buf[self.start..self.end]) {
                let t = self.start + off;
                self.after_cr = self.buf[t] == b'\r';
                self.start = t + 1;
                self.scan = self.start;
                return Ok(());
            }
            self.start = self.end;
            self.scan = self.end;
            if self.eof {
                return Ok(());
            }
            self.fill()?;
        }
    }

    /// The next line. Line breaks are `\n`, `\r\n` or `\r`; a last line needs none.
    fn next_line(&mut self) -> io::Result<NextLine<'_>> {
        if std::mem::take(&mut self.discard_rest) {
            self.discard_rest_of_line()?;
        }
        let limit = self.max_line_bytes;
        loop {
            if self.after_cr {
                if self.start == self.end && !self.eof {
                    self.fill()?;
                    continue;
                }
                if self.start < self.end && self.buf[self.start] == b'\n' {
                    self.start += 1;
                }
                self.after_cr = false;
                self.scan = self.start;
            }
            let search_end = self
                .end
                .min(self.start.saturating_add(limit).saturating_add(1));
            let line_end = match memchr2(b'\n', b'\r', &self.buf[self.scan..search_end]) {
                Some(off) => Some(self.scan + off),
                None if self.eof => {
                    if self.start == self.end {
                        return Ok(NextLine::End);
                    }
                    Some(self.end)
                }
                None => None,
            };
            let line_start = self.start;
            match line_end {
                Some(t) if t - line_start <= limit => {
                    if t < self.end {
                        self.after_cr = self.buf[t] == b'\r';
                        self.start = t + 1;
                    } else {
                        self.start = t;
                    }
                    self.scan = self.start;
                    self.line += 1;
                    return Ok(NextLine::Line(self.line, &self.buf[line_start..t]));
                }
                _ if self.end - line_start > limit => {
                    self.start = line_start + limit;
                    self.scan = self.start;
                    self.discard_rest = true;
                    self.line += 1;
                    return Ok(NextLine::TooLong(
                        self.line,
                        &self.buf[line_start..line_start + limit],
                    ));
                }
                _ => {
                    self.scan = search_end;
                    self.fill()?;
                }
            }
        }
    }
}

/// The N-Triples reader: lines from a [`LineReader`], each parsed by [`parse_line`] with one
/// scratch buffer for decoded escapes, reused for the whole input.
pub(crate) struct Scanner<'o, R> {
    lines: LineReader<R>,
    file: Arc<str>,
    options: &'o IngestOptions,
    scratch: String,
}

impl<'o, R: Read> Scanner<'o, R> {
    pub(crate) fn new(reader: R, file: Arc<str>, options: &'o IngestOptions) -> Self {
        Self {
            lines: LineReader::new(reader, options.max_line_bytes),
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
        loop {
            let next = self.lines.next_line().map_err(|error| IngestError::Io {
                file: self.file.clone(),
                error,
            })?;
            let (number, line, error) = match next {
                NextLine::End => return Ok(report),
                NextLine::TooLong(number, line) => {
                    (number, line, (limit, NTriplesError::LineTooLong { limit }))
                }
                NextLine::Line(number, line) => match parse_line(line, &mut self.scratch) {
                    Ok(Some(triple)) => {
                        report.triples += 1;
                        f(triple)?;
                        continue;
                    }
                    Ok(None) => continue,
                    Err(error) => (number, line, error),
                },
            };
            let error = syntax_error(&self.file, number, line, error);
            handle_invalid(error, skip, &mut report, &mut on_skipped)?;
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

/// Parses one line (without its line break). `Ok(None)` for a blank or comment-only line.
fn parse_line<'a>(
    bytes: &'a [u8],
    scratch: &'a mut String,
) -> Result<Option<Triple<'a>>, LineError> {
    // simdutf8's fast validator says only yes or no; std's finds where a bad line goes wrong.
    let line = match simdutf8::basic::from_utf8(bytes) {
        Ok(line) => line,
        Err(_) => match std::str::from_utf8(bytes) {
            Ok(line) => line,
            Err(e) => return Err((e.valid_up_to(), NTriplesError::InvalidUtf8)),
        },
    };
    scratch.clear();
    let Some(pieces) = parse_pieces(line, 0, scratch)?.triple else {
        return Ok(None);
    };
    Ok(Some(pieces.resolve(line, 0, scratch)))
}

/// A parsed triple as places in its line (or chunk) and in the scratch buffer.
#[derive(Clone, Copy)]
pub(crate) struct TriplePieces {
    /// `Ok(iri)` or `Err(blank node label)`.
    subject: Result<Piece, Piece>,
    predicate: Piece,
    object: ObjectPiece,
}

impl TriplePieces {
    /// The triple, with line pieces read from `text[base..]` and the others from `scratch`.
    #[inline(always)]
    pub(crate) fn resolve<'a>(&self, text: &'a str, base: usize, scratch: &'a str) -> Triple<'a> {
        let r = |piece: Piece| match piece {
            Piece::Line(a, b) => &text[base + a..base + b],
            Piece::Scratch(a, b) => &scratch[a..b],
        };
        Triple {
            subject: match self.subject {
                Ok(iri) => Term::Iri(r(iri)),
                Err(label) => Term::BlankNode(r(label)),
            },
            predicate: Term::Iri(r(self.predicate)),
            object: match self.object {
                ObjectPiece::Iri(iri) => Term::Iri(r(iri)),
                ObjectPiece::Blank(label) => Term::BlankNode(r(label)),
                ObjectPiece::Simple(value) => Term::Literal(Literal::simple(r(value))),
                ObjectPiece::Lang(value, lang) => {
                    Term::Literal(Literal::lang_tagged(r(value), r(lang)))
                }
                ObjectPiece::Typed(value, datatype) => {
                    Term::Literal(Literal::typed(r(value), r(datatype)))
                }
            },
        }
    }
}

/// A parsed triple as byte ranges into one text: its chunk's text, with the chunk's decoded
/// escapes appended after it (see [`TriplePieces::spans`]).
#[derive(Clone, Copy, Debug)]
pub(crate) struct TripleSpans {
    /// Subject, predicate, object value, object language tag or datatype.
    ranges: [(usize, usize); 4],
    /// Bit 0: the subject is a blank node; bits 1..: the object's kind (see `OBJECT_*`).
    shape: u8,
    /// Bit `i`: `ranges[i]` is in the scratch buffer, at `scratch_base` 0.
    in_scratch: u8,
}

const OBJECT_IRI: u8 = 0;
const OBJECT_BLANK: u8 = 1;
const OBJECT_SIMPLE: u8 = 2;
const OBJECT_LANG: u8 = 3;
const OBJECT_TYPED: u8 = 4;

impl TriplePieces {
    /// The triple's ranges in a text holding its line at `base` and the scratch buffer at
    /// `scratch_base`.
    #[inline(always)]
    pub(crate) fn spans(&self, base: usize, scratch_base: usize) -> TripleSpans {
        let mut in_scratch = 0;
        let mut range = |i: u8, piece: Piece| match piece {
            Piece::Line(a, b) => (base + a, base + b),
            Piece::Scratch(a, b) => {
                in_scratch |= 1 << i;
                (scratch_base + a, scratch_base + b)
            }
        };
        let (subject, blank_subject) = match self.subject {
            Ok(iri) => (range(0, iri), 0),
            Err(label) => (range(0, label), 1),
        };
        let predicate = range(1, self.predicate);
        let (object, annotation, kind) = match self.object {
            ObjectPiece::Iri(iri) => (range(2, iri), (0, 0), OBJECT_IRI),
            ObjectPiece::Blank(label) => (range(2, label), (0, 0), OBJECT_BLANK),
            ObjectPiece::Simple(value) => (range(2, value), (0, 0), OBJECT_SIMPLE),
            ObjectPiece::Lang(value, lang) => (range(2, value), range(3, lang), OBJECT_LANG),
            ObjectPiece::Typed(value, datatype) => {
                (range(2, value), range(3, datatype), OBJECT_TYPED)
            }
        };
        TripleSpans {
            ranges: [subject, predicate, object, annotation],
            shape: blank_subject | kind << 1,
            in_scratch,
        }
    }
}

impl TripleSpans {
    /// Moves the ranges in the scratch buffer by `scratch_base` (for spans made with 0).
    pub(crate) fn rebase_scratch(&mut self, scratch_base: usize) {
        for (i, range) in self.ranges.iter_mut().enumerate() {
            if self.in_scratch & (1 << i) != 0 {
                *range = (range.0 + scratch_base, range.1 + scratch_base);
            }
        }
    }

    /// The triple, read from `text`.
    #[inline(always)]
    pub(crate) fn resolve<'a>(&self, text: &'a str) -> Triple<'a> {
        let r = |i: usize| &text[self.ranges[i].0..self.ranges[i].1];
        Triple {
            subject: if self.shape & 1 != 0 {
                Term::BlankNode(r(0))
            } else {
                Term::Iri(r(0))
            },
            predicate: Term::Iri(r(1)),
            object: match self.shape >> 1 {
                OBJECT_IRI => Term::Iri(r(2)),
                OBJECT_BLANK => Term::BlankNode(r(2)),
                OBJECT_SIMPLE => Term::Literal(Literal::simple(r(2))),
                OBJECT_LANG => Term::Literal(Literal::lang_tagged(r(2), r(3))),
                _ => Term::Literal(Literal::typed(r(2), r(3))),
            },
        }
    }
}

/// What [`parse_pieces`] found on a line.
pub(crate) struct ParsedLine {
    /// The triple; `None` for a blank or comment-only line.
    pub(crate) triple: Option<TriplePieces>,
    /// Where the line ends: its first line break (`\n` or `\r`) or the end of the text.
    pub(crate) end: usize,
}

/// Parses the line that starts at `text[start..]` into places: in `text`, or in `scratch`
/// (decoded escapes are appended to it; it is not cleared).
///
/// The line ends at its first line break or at the end of `text`; the scan finds that end
/// itself, so a chunk of many lines needs no separate search for line breaks. Given one line
/// without its line break (`start` 0), it parses exactly that line. The error's offset is in
/// `text`; its kind and offset are those of the line on its own only when `text` ends where
/// the line does (a chunk's caller parses a bad line again on its own to report it).
pub(crate) fn parse_pieces(
    text: &str,
    start: usize,
    scratch: &mut String,
) -> Result<ParsedLine, LineError> {
    let mut p = LineParser {
        b: text.as_bytes(),
        s: text,
        pos: start,
        scratch,
    };
    p.skip_ws();
    let subject = match p.peek() {
        None | Some(b'\n' | b'\r') => {
            return Ok(ParsedLine {
                triple: None,
                end: p.pos,
            })
        }
        Some(b'#') => {
            return Ok(ParsedLine {
                triple: None,
                end: p.comment_end(),
            })
        }
        Some(b'<') => Ok(p.iri()?),
        Some(b'_') => Err(p.blank_node()?),
        Some(_) => return Err((p.pos, NTriplesError::ExpectedSubject { found: p.found() })),
    };
    p.skip_ws();
    if p.peek() != Some(b'<') {
        return Err((p.pos, NTriplesError::ExpectedPredicate { found: p.found() }));
    }
    let predicate = p.iri()?;
    p.skip_ws();
    let object = match p.peek() {
        Some(b'<') => ObjectPiece::Iri(p.iri()?),
        Some(b'_') => ObjectPiece::Blank(p.blank_node()?),
        Some(b'"') => p.literal()?,
        _ => return Err((p.pos, NTriplesError::ExpectedObject { found: p.found() })),
    };
    p.skip_ws();
    if p.peek() != Some(b'.') {
        return Err((p.pos, NTriplesError::ExpectedDot { found: p.found() }));
    }
    p.pos += 1;
    p.skip_ws();
    let end = match p.peek() {
        None | Some(b'\n' | b'\r') => p.pos,
        Some(b'#') => p.comment_end(),
        Some(_) => return Err((p.pos, NTriplesError::ExpectedEndOfLine { found: p.found() })),
    };
    Ok(ParsedLine {
        triple: Some(TriplePieces {
            subject,
            predicate,
            object,
        }),
        end,
    })
}

struct LineParser<'a> {
    b: &'a [u8],
    s: &'a str,
    pos: usize,
    scratch: &'a mut String,
}

impl LineParser<'_> {
    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn found(&self) -> Found {
        Found(self.s.get(self.pos..).and_then(|rest| rest.chars().next()))
    }

    #[inline]
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// Where the comment at `pos` ends: the next line break, or the end of the text.
    fn comment_end(&self) -> usize {
        memchr2(b'\n', b'\r', &self.b[self.pos..]).map_or(self.b.len(), |off| self.pos + off)
    }

    /// IRIREF at `<`. Returns the decoded IRI. Inlined for the common case, a plain absolute
    /// IRI; escapes and errors are [`LineParser::iri_rest`]'s.
    #[inline(always)]
    fn iri(&mut self) -> Result<Piece, LineError> {
        let open = self.pos;
        let start = open + 1;
        let stop = find_iri_stop(&self.b[start..]).map(|off| start + off);
        if let Some(end) = stop {
            if self.b[end] == b'>' && has_http_scheme(&self.b[start..end]) {
                self.pos = end + 1;
                return Ok(Piece::Line(start, end));
            }
        }
        self.iri_rest(open, stop)
    }

    /// The rest of [`LineParser::iri`] from the first stop byte, if any.
    #[inline(never)]
    fn iri_rest(&mut self, open: usize, stop: Option<usize>) -> Result<Piece, LineError> {
        let start = open + 1;
        let Some(i) = stop else {
            return Err((open, NTriplesError::UnterminatedIri));
        };
        let piece = match self.b[i] {
            b'>' => {
                self.pos = i + 1;
                Piece::Line(start, i)
            }
            b'\\' => self.iri_with_escapes(open, i)?,
            _ => return Err((i, self.forbidden_at(i))),
        };
        let iri = match piece {
            Piece::Line(a, b) => &self.b[a..b],
            Piece::Scratch(a, b) => &self.scratch.as_bytes()[a..b],
        };
        if !has_scheme(iri) {
            return Err((open, NTriplesError::RelativeIri));
        }
        Ok(piece)
    }

    fn forbidden_at(&self, i: usize) -> NTriplesError {
        NTriplesError::ForbiddenIriCharacter {
            found: Found(self.s[i..].chars().next()),
        }
    }

    /// The rest of an IRI from its first backslash at `i`, decoded into the scratch buffer.
    fn iri_with_escapes(&mut self, open: usize, mut i: usize) -> Result<Piece, LineError> {
        let scratch_start = self.scratch.len();
        let mut clean_from = open + 1;
        loop {
            match self.b.get(i) {
                None => return Err((open, NTriplesError::UnterminatedIri)),
                Some(b'>') => {
                    self.scratch.push_str(&self.s[clean_from..i]);
                    self.pos = i + 1;
                    return Ok(Piece::Scratch(scratch_start, self.scratch.len()));
                }
                Some(b'\\') => {
                    self.scratch.push_str(&self.s[clean_from..i]);
                    let (c, len) = match self.b.get(i + 1) {
                        Some(b'u') => (hex_escape(self.b, i, 4)?, 6),
                        Some(b'U') => (hex_escape(self.b, i, 8)?, 10),
                        _ => return Err((i, NTriplesError::BadIriEscape)),
                    };
                    if is_forbidden_in_iri(c) {
                        return Err((
                            i,
                            NTriplesError::ForbiddenIriCharacter {
                                found: Found(Some(c)),
                            },
                        ));
                    }
                    self.scratch.push(c);
                    i += len;
                    clean_from = i;
                }
                Some(_) => match find_iri_stop(&self.b[i..]) {
                    Some(0) => return Err((i, self.forbidden_at(i))),
                    Some(off) => i += off,
                    None => return Err((open, NTriplesError::UnterminatedIri)),
                },
            }
        }
    }

    /// BLANK_NODE_LABEL at `_`. Returns the label without `_:`.
    fn blank_node(&mut self) -> Result<Piece, LineError> {
        if self.b.get(self.pos + 1) != Some(&b':') {
            self.pos += 1;
            return Err((
                self.pos,
                NTriplesError::BadBlankNodeLabel {
                    found: self.found(),
                },
            ));
        }
        let start = self.pos + 2;
        let mut i = start;
        let first_ok = match self.b.get(i) {
            Some(&b) if b < 0x80 => {
                i += 1;
                b.is_ascii_alphanumeric() || b == b'_'
            }
            Some(_) => {
                let c = self.s[i..].chars().next().unwrap_or('\0');
                i += c.len_utf8();
                is_pn_chars_base(c)
            }
            None => false,
        };
        if !first_ok {
            return Err((
                start,
                NTriplesError::BadBlankNodeLabel {
                    found: Found(self.s[start..].chars().next()),
                },
            ));
        }
        // Last position that ended on a PN_CHARS (labels cannot end with '.').
        let mut end = i;
        loop {
            match self.b.get(i) {
                Some(&b) if b < 0x80 => {
                    if b.is_ascii_alphanumeric() || b == b'_' || b == b'-' {
                        i += 1;
                        end = i;
                    } else if b == b'.' {
                        i += 1;
                    } else {
                        break;
                    }
                }
                Some(_) => {
                    let c = self.s[i..].chars().next().unwrap_or('\0');
                    if !is_pn_chars(c) {
                        break;
                    }
                    i += c.len_utf8();
                    end = i;
                }
                None => break,
            }
        }
        self.pos = end;
        Ok(Piece::Line(start, end))
    }

    /// STRING_LITERAL_QUOTE at `"`, then an optional LANGTAG or `^^IRIREF`.
    fn literal(&mut self) -> Result<ObjectPiece, LineError> {
        let open = self.pos;
        let start = open + 1;
        let value = match find_string_stop(&self.b[start..]).map(|off| start + off) {
            Some(end) if self.b[end] == b'"' => {
                self.pos = end + 1;
                Piece::Line(start, end)
            }
            Some(i) if self.b[i] == b'\\' => self.string_with_escapes(open, i)?,
            // The end of the line.
            _ => return Err((open, NTriplesError::UnterminatedString)),
        };
        let after_value = self.pos;
        self.skip_ws();
        match self.peek() {
            Some(b'@') => {
                let at = self.pos;
                let tag_start = at + 1;
                let mut i = tag_start;
                while i < self.b.len() && self.b[i].is_ascii_alphabetic() {
                    i += 1;
                }
                if i == tag_start {
                    return Err((at, NTriplesError::BadLanguageTag));
                }
                while self.b.get(i) == Some(&b'-') {
                    let sub_start = i + 1;
                    i = sub_start;
                    while i < self.b.len() && self.b[i].is_ascii_alphanumeric() {
                        i += 1;
                    }
                    if i == sub_start {
                        return Err((at, NTriplesError::BadLanguageTag));
                    }
                }
                // A tag glued to more name characters (e.g. `@en_GB`) is not a LANGTAG.
                if let Some(&b) = self.b.get(i) {
                    if b >= 0x80 || b == b'_' {
                        return Err((at, NTriplesError::BadLanguageTag));
                    }
                }
                self.pos = i;
                Ok(ObjectPiece::Lang(value, Piece::Line(tag_start, i)))
            }
            Some(b'^') => {
                let caret = self.pos;
                if self.b.get(caret + 1) != Some(&b'^') {
                    return Err((caret, NTriplesError::BadDatatype));
                }
                self.pos += 2;
                self.skip_ws();
                if self.peek() != Some(b'<') {
                    return Err((caret, NTriplesError::BadDatatype));
                }
                let open = self.pos;
                let datatype = self.iri()?;
                if datatype.resolve(self.s, self.scratch) == RDF_LANG_STRING {
                    return Err((open, NTriplesError::LangStringWithoutTag));
                }
                Ok(ObjectPiece::Typed(value, datatype))
            }
            _ => {
                self.pos = after_value;
                Ok(ObjectPiece::Simple(value))
            }
        }
    }

    /// The rest of a string literal from its first backslash at `i`, decoded into scratch.
    fn string_with_escapes(&mut self, open: usize, mut i: usize) -> Result<Piece, LineError> {
        let scratch_start = self.scratch.len();
        self.scratch.push_str(&self.s[open + 1..i]);
        loop {
            // Here `b[i]` is a backslash.
            let (c, len) = match self.b.get(i + 1) {
                Some(b't') => ('\t', 2),
                Some(b'b') => ('\u{8}', 2),
                Some(b'n') => ('\n', 2),
                Some(b'r') => ('\r', 2),
                Some(b'f') => ('\u{C}', 2),
                Some(b'"') => ('"', 2),
                Some(b'\'') => ('\'', 2),
                Some(b'\\') => ('\\', 2),
                Some(b'u') => (hex_escape(self.b, i, 4)?, 6),
                Some(b'U') => (hex_escape(self.b, i, 8)?, 10),
                _ => return Err((i, NTriplesError::BadStringEscape)),
            };
            self.scratch.push(c);
            i += len;
            let j = match find_string_stop(&self.b[i..]) {
                Some(off) if matches!(self.b[i + off], b'"' | b'\\') => i + off,
                // The end of the line.
                _ => return Err((open, NTriplesError::UnterminatedString)),
            };
            self.scratch.push_str(&self.s[i..j]);
            if self.b[j] == b'"' {
                self.pos = j + 1;
                return Ok(Piece::Scratch(scratch_start, self.scratch.len()));
            }
            i = j;
        }
    }
}

/// Decodes `\uXXXX` (`digits` = 4) or `\UXXXXXXXX` (8) whose backslash is at `i`.
pub(crate) fn hex_escape(b: &[u8], i: usize, digits: usize) -> Result<char, LineError> {
    let hex = b
        .get(i + 2..i + 2 + digits)
        .ok_or((i, NTriplesError::BadHexEscape))?;
    let mut value: u32 = 0;
    for &h in hex {
        let d = (h as char)
            .to_digit(16)
            .ok_or((i, NTriplesError::BadHexEscape))?;
        value = value << 4 | d;
    }
    char::from_u32(value).ok_or((i, NTriplesError::InvalidCodePoint))
}

/// Whether `b` starts with `http:` or `https:`: most IRIs do, and this settles them with a
/// few compares (a `false` leaves the question to [`has_scheme`]).
#[inline(always)]
fn has_http_scheme(b: &[u8]) -> bool {
    matches!(
        b,
        [b'h', b't', b't', b'p', b':', ..] | [b'h', b't', b't', b'p', b's', b':', ..]
    )
}

/// `scheme ":"` at the start: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) ":" (RFC 3986/3987).
fn has_scheme(b: &[u8]) -> bool {
    if has_http_scheme(b) {
        return true;
    }
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    for &c in &b[1..] {
        match c {
            b':' => return true,
            c if c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.') => {}
            _ => return false,
        }
    }
    false
}
