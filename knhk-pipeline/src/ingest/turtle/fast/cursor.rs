//! The bytes of the statement being parsed, where the parser is in them, and the small tokens
//! every part of the grammar reads (space and comments, the final `.`, blank node labels,
//! keywords).

use super::{Piece, Step, Stop};

/// The bytes being parsed and where the parser is in them.
pub(super) struct Cursor<'a> {
    pub(super) b: &'a [u8],
    pub(super) pos: usize,
    pub(super) eof: bool,
}

impl Cursor<'_> {
    /// Byte `i`, or why there is none: the statement is cut short (at the end of the input,
    /// oxttl reports it) or more input is needed.
    #[inline(always)]
    pub(super) fn at(&self, i: usize) -> Step<u8> {
        match self.b.get(i) {
            Some(&b) => Ok(b),
            None if self.eof => Err(Stop::Decline),
            None => Err(Stop::NeedMore),
        }
    }

    pub(super) fn missing(&self) -> Stop {
        if self.eof {
            Stop::Decline
        } else {
            Stop::NeedMore
        }
    }

    /// Skips white space and comments.
    #[inline]
    pub(super) fn skip_ws(&mut self) -> Step<()> {
        loop {
            match self.at(self.pos)? {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'#' => match memchr::memchr2(b'\n', b'\r', &self.b[self.pos..]) {
                    Some(k) => self.pos += k,
                    None => return Err(self.missing()),
                },
                _ => return Ok(()),
            }
        }
    }

    /// The ASCII text `[from, to)`: the fast path only takes ASCII names, tags and numbers.
    pub(super) fn ascii(&self, from: usize, to: usize) -> Step<&str> {
        std::str::from_utf8(&self.b[from..to]).map_err(|_| Stop::Decline)
    }
}

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The `.` that ends a statement, at `c.pos`: it must be followed by space, a comment or the
/// end of the input (anything else, oxttl may read otherwise).
pub(super) fn end_of_statement(c: &Cursor<'_>) -> Step<usize> {
    let end = c.pos + 1;
    match c.b.get(end) {
        None if c.eof => Ok(end),
        None => Err(Stop::NeedMore),
        Some(&b) if is_space(b) || b == b'#' => Ok(end),
        Some(_) => Err(Stop::Decline),
    }
}

/// BLANK_NODE_LABEL at `_`, ASCII only; the label without `_:`.
pub(super) fn blank_label(c: &mut Cursor<'_>) -> Step<Piece> {
    if c.at(c.pos + 1)? != b':' {
        return Err(Stop::Decline);
    }
    let start = c.pos + 2;
    if !matches!(c.at(start)?, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_') {
        return Err(Stop::Decline);
    }
    let mut i = start + 1;
    let mut end = i;
    loop {
        match c.at(i)? {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' => {
                i += 1;
                end = i;
            }
            b'.' => i += 1,
            _ => break,
        }
    }
    c.pos = end;
    Ok(Piece::Input(start, end))
}

/// `true`, `false` or another bare word at `c.pos` (consumed), or `None` (nothing consumed)
/// when the word is a prefix followed by `:`.
pub(super) fn keyword<'a>(c: &mut Cursor<'a>) -> Step<Option<&'a str>> {
    let start = c.pos;
    let mut i = start;
    while matches!(c.at(i)?, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.') {
        i += 1;
    }
    if c.at(i)? == b':' {
        return Ok(None);
    }
    while i > start && c.b[i - 1] == b'.' {
        i -= 1;
    }
    c.pos = i;
    let word = std::str::from_utf8(&c.b[start..i]).map_err(|_| Stop::Decline)?;
    Ok(Some(word))
}
