//! The N-Triples 1.1 grammar over one line of text: terms, escapes, the triple and its end.
//!
//! The grammar parses in place: a line's terms are places in its text ([`TriplePieces`]),
//! escapes are decoded into a scratch buffer only for terms that hold a backslash. It reads
//! no input itself: whole lines come from the [cutter](super::cutter).

use memchr::memchr2;

use super::error::{column_of, Found, LineError, NTriplesError};
use super::pieces::{ObjectPiece, Piece, TriplePieces};
use crate::arch::Avx2Scan;
use crate::ingest::scan::{find_iri_stop_with, find_string_stop_with};
use crate::ingest::term::{is_forbidden_in_iri, Term, Triple, RDF_LANG_STRING};

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

/// Parses one line (without its line break). `Ok(None)` for a blank or comment-only line.
pub(super) fn parse_line<'a>(
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
    let Some(pieces) = parse_line_pieces(line, scratch)?.triple else {
        return Ok(None);
    };
    Ok(Some(pieces.resolve(line, 0, scratch)))
}

/// [`parse_pieces`] of one line on its own (`start` 0), out of line: for the paths that read
/// a line again to report it, so that the chunk loop inlines only its own copy.
#[inline(never)]
pub(super) fn parse_line_pieces(line: &str, scratch: &mut String) -> Result<ParsedLine, LineError> {
    parse_pieces(line, 0, scratch, Avx2Scan::detect())
}

/// What [`parse_pieces`] found on a line.
pub(super) struct ParsedLine {
    /// The triple; `None` for a blank or comment-only line.
    pub(super) triple: Option<TriplePieces>,
    /// Where the line ends: its first line break (`\n` or `\r`) or the end of the text.
    pub(super) end: usize,
}

/// Parses the line that starts at `text[start..]` into places: in `text`, or in `scratch`
/// (decoded escapes are appended to it; it is not cleared).
///
/// The line ends at its first line break or at the end of `text`; the scan finds that end
/// itself, so a chunk of many lines needs no separate search for line breaks. Given one line
/// without its line break (`start` 0), it parses exactly that line. The error's offset is in
/// `text`; its kind and offset are those of the line on its own only when `text` ends where
/// the line does (a chunk's caller parses a bad line again on its own to report it). `scan`
/// is [`Avx2Scan::detect`]'s answer, asked once by a caller that parses many lines.
#[inline(always)]
pub(super) fn parse_pieces(
    text: &str,
    start: usize,
    scratch: &mut String,
    scan: Option<Avx2Scan>,
) -> Result<ParsedLine, LineError> {
    let mut p = LineParser {
        b: text.as_bytes(),
        s: text,
        pos: start,
        scratch,
        scan,
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

/// Where a term stands in a triple: which terms the grammar allows there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TermPosition {
    /// An IRI or a blank node.
    Subject,
    /// An IRI.
    Predicate,
    /// An IRI, a blank node or a literal.
    Object,
}

/// Parses `text` as one term in `position`, with the rules and errors of a term in that place
/// of a line: spaces and tabs may surround it, nothing else may. `Ok(None)` when `text` holds
/// no term (it is blank, or a comment). The error is the 1-based column in `text` (in code
/// points) and what is wrong there. Decoded escapes go to `scratch` (cleared first).
pub(crate) fn parse_term<'a>(
    text: &'a str,
    position: TermPosition,
    scratch: &'a mut String,
) -> Result<Option<Term<'a>>, (u64, NTriplesError)> {
    let in_text = |(at, kind): LineError| (column_of(text.as_bytes(), at), kind);
    scratch.clear();
    let mut p = LineParser {
        b: text.as_bytes(),
        s: text,
        pos: 0,
        scratch,
        scan: Avx2Scan::detect(),
    };
    p.skip_ws();
    let term = match (p.peek(), position) {
        (None | Some(b'\n' | b'\r' | b'#'), _) => return Ok(None),
        (Some(b'<'), _) => ObjectPiece::Iri(p.iri().map_err(in_text)?),
        (Some(b'_'), TermPosition::Subject | TermPosition::Object) => {
            ObjectPiece::Blank(p.blank_node().map_err(in_text)?)
        }
        (Some(b'"'), TermPosition::Object) => p.literal().map_err(in_text)?,
        (_, position) => {
            let found = p.found();
            let error = match position {
                TermPosition::Subject => NTriplesError::ExpectedSubject { found },
                TermPosition::Predicate => NTriplesError::ExpectedPredicate { found },
                TermPosition::Object => NTriplesError::ExpectedObject { found },
            };
            return Err(in_text((p.pos, error)));
        }
    };
    p.skip_ws();
    if p.peek().is_some() {
        let found = p.found();
        return Err(in_text((p.pos, NTriplesError::ExpectedEndOfTerm { found })));
    }
    let LineParser { s, scratch, .. } = p;
    let scratch: &'a str = scratch;
    Ok(Some(term.term(|piece| piece.resolve(s, scratch))))
}

struct LineParser<'a> {
    b: &'a [u8],
    s: &'a str,
    pos: usize,
    scratch: &'a mut String,
    /// How terms are scanned (see [`find_iri_stop_with`]).
    scan: Option<Avx2Scan>,
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
        let stop = find_iri_stop_with(&self.b[start..], self.scan).map(|off| start + off);
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
                Some(_) => match find_iri_stop_with(&self.b[i..], self.scan) {
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
    #[inline(always)]
    fn literal(&mut self) -> Result<ObjectPiece, LineError> {
        let open = self.pos;
        let start = open + 1;
        let value = match find_string_stop_with(&self.b[start..], self.scan).map(|off| start + off)
        {
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
            let j = match find_string_stop_with(&self.b[i..], self.scan) {
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
pub(super) fn has_http_scheme(b: &[u8]) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Literal;

    #[test]
    fn a_term_on_its_own_is_read_with_the_rules_of_its_place_in_a_line() {
        let mut scratch = String::new();
        let mut term = |text, position| {
            parse_term(text, position, &mut scratch).map(|t| t.map(|t| t.to_string()))
        };
        assert_eq!(
            term(" <http://e/a>\t", TermPosition::Subject),
            Ok(Some("<http://e/a>".into()))
        );
        assert_eq!(term("_:b", TermPosition::Object), Ok(Some("_:b".into())));
        assert_eq!(
            term("\"\\u0041\"@en", TermPosition::Object),
            Ok(Some(
                Term::Literal(Literal::lang_tagged("A", "en")).to_string()
            ))
        );
        assert_eq!(term("  ", TermPosition::Predicate), Ok(None));
        assert_eq!(term("# note", TermPosition::Object), Ok(None));
    }

    #[test]
    fn a_term_on_its_own_reports_columns_in_its_own_text() {
        let mut scratch = String::new();
        let mut error = |text, position| parse_term(text, position, &mut scratch).unwrap_err();
        let space = Found(Some(' '));
        assert_eq!(
            error("<http://e/a b>", TermPosition::Subject),
            (12, NTriplesError::ForbiddenIriCharacter { found: space })
        );
        assert_eq!(
            error("_:b", TermPosition::Predicate),
            (
                1,
                NTriplesError::ExpectedPredicate {
                    found: Found(Some('_'))
                }
            )
        );
        assert_eq!(
            error("\"é\" x", TermPosition::Object),
            (
                5,
                NTriplesError::ExpectedEndOfTerm {
                    found: Found(Some('x'))
                }
            )
        );
        assert_eq!(
            error("<http://e/a", TermPosition::Object),
            (1, NTriplesError::UnterminatedIri)
        );
    }
}
