//! Directives read from their text, so that the fast path learns one `@prefix` or `@base` in
//! constant time, however many prefixes came before (taking them from oxttl means a pass over
//! every prefix it holds).

use oxiri::Iri;

use super::cursor::{is_space, Cursor};
use super::{FastPath, Piece, Prefix, Step, Stop};

/// What a directive declares.
enum Declared {
    /// The prefix name, without its `:`, at `[start, end)`.
    Prefix {
        start: usize,
        end: usize,
    },
    Base,
}

impl FastPath {
    /// Takes the prefix or base that `statement` (one whole directive, which oxttl read
    /// without error) declares, as oxttl takes it; `false`, having changed nothing, for a
    /// directive it does not read (non-ASCII prefix names, unusual spacing), which the caller
    /// then takes from oxttl with [`FastPath::sync`].
    pub(in super::super) fn declare(&mut self, statement: &[u8]) -> bool {
        self.scratch.clear();
        let mut c = Cursor {
            b: statement,
            pos: 0,
            eof: true,
        };
        let Ok((declared, iri)) = self.directive(&mut c) else {
            return false;
        };
        let iri = match iri {
            Piece::Input(a, b) => std::str::from_utf8(&statement[a..b]).ok(),
            Piece::Scratch(a, b) => Some(&self.scratch[a..b]),
            Piece::Static(s) => Some(s),
        };
        let Some(iri) = iri.map(str::to_owned) else {
            return false;
        };
        match declared {
            Declared::Prefix { start, end } => {
                // ASCII, checked by `directive`.
                let Ok(name) = std::str::from_utf8(&statement[start..end]) else {
                    return false;
                };
                let validate = Iri::parse(iri.as_str()).map_or(true, |i| i.path().is_empty());
                self.prefixes
                    .insert(name.to_owned(), Prefix { iri, validate });
            }
            Declared::Base => match Iri::parse(iri) {
                Ok(base) => self.base = Some(base),
                Err(_) => return false,
            },
        }
        true
    }

    /// `@prefix name: <iri> .`, `PREFIX name: <iri>`, `@base <iri> .` or `BASE <iri>`, with
    /// nothing but space and comments around.
    fn directive(&mut self, c: &mut Cursor<'_>) -> Step<(Declared, Piece)> {
        c.skip_ws()?;
        let word_start = c.pos;
        let mut i = word_start + usize::from(c.at(word_start)? == b'@');
        while c.at(i)?.is_ascii_alphabetic() {
            i += 1;
        }
        let word = &c.b[word_start..i];
        let (prefix, sparql) = match word {
            b"@prefix" => (true, false),
            b"@base" => (false, false),
            w if w.eq_ignore_ascii_case(b"PREFIX") => (true, true),
            w if w.eq_ignore_ascii_case(b"BASE") => (false, true),
            _ => return Err(Stop::Decline),
        };
        if !is_space(c.at(i)?) {
            return Err(Stop::Decline);
        }
        c.pos = i;
        c.skip_ws()?;
        let declared = if prefix {
            // PNAME_NS, ASCII only: (PN_CHARS_BASE ((PN_CHARS | '.')* PN_CHARS)?)? ':'
            let start = c.pos;
            let mut j = start;
            if c.at(j)?.is_ascii_alphabetic() {
                j += 1;
                while matches!(c.at(j)?, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.')
                {
                    j += 1;
                }
            }
            if c.at(j)? != b':' || (j > start && c.b[j - 1] == b'.') {
                return Err(Stop::Decline);
            }
            c.pos = j + 1;
            c.skip_ws()?;
            Declared::Prefix { start, end: j }
        } else {
            Declared::Base
        };
        if c.at(c.pos)? != b'<' {
            return Err(Stop::Decline);
        }
        let iri = self.iri_ref(c)?;
        if !sparql {
            skip_ws_to_end(c);
            if c.b.get(c.pos) != Some(&b'.') {
                return Err(Stop::Decline);
            }
            c.pos += 1;
        }
        skip_ws_to_end(c);
        if c.pos != c.b.len() {
            return Err(Stop::Decline);
        }
        Ok((declared, iri))
    }
}

/// Skips space and comments, up to the end of the bytes.
fn skip_ws_to_end(c: &mut Cursor<'_>) {
    while let Some(&b) = c.b.get(c.pos) {
        match b {
            b'#' => {
                c.pos =
                    memchr::memchr2(b'\n', b'\r', &c.b[c.pos..]).map_or(c.b.len(), |k| c.pos + k);
            }
            b if is_space(b) => c.pos += 1,
            _ => return,
        }
    }
}
