//! Literals: strings in the four quote forms with their escapes, language tags, datatypes,
//! and numbers and booleans written bare.

use super::cursor::{is_space, Cursor};
use super::{FastPath, Object, Piece, Step, Stop};
use crate::ingest::ntriples::hex_escape;
use crate::ingest::term::{RDF_LANG_STRING, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER};

impl FastPath {
    /// A string literal at its quote, with its language tag or datatype.
    pub(super) fn literal(&mut self, c: &mut Cursor<'_>) -> Step<Object> {
        let value = self.string(c)?;
        let after = c.pos;
        c.skip_ws()?;
        match c.at(c.pos)? {
            b'@' => {
                let tag = self.language_tag(c)?;
                Ok(Object::Lang(value, tag))
            }
            b'^' => {
                if c.at(c.pos + 1)? != b'^' {
                    return Err(Stop::Decline);
                }
                c.pos += 2;
                c.skip_ws()?;
                let datatype = if c.at(c.pos)? == b'<' {
                    self.iri_ref(c)?
                } else {
                    self.prefixed_name(c)?
                };
                let is_lang_string = match datatype {
                    Piece::Input(a, b) => &c.b[a..b] == RDF_LANG_STRING.as_bytes(),
                    Piece::Scratch(a, b) => &self.scratch[a..b] == RDF_LANG_STRING,
                    Piece::Static(s) => s == RDF_LANG_STRING,
                };
                if is_lang_string {
                    return Err(Stop::Decline);
                }
                Ok(Object::Typed(value, datatype))
            }
            _ => {
                c.pos = after;
                Ok(Object::Simple(value))
            }
        }
    }

    /// The four string forms; escapes are decoded into the scratch buffer.
    pub(super) fn string(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
        let q = c.b[c.pos];
        let long = c.at(c.pos + 1)? == q && {
            if c.at(c.pos + 2)? != q {
                // The empty string.
                c.pos += 2;
                return Ok(Piece::Static(""));
            }
            true
        };
        let start = c.pos + if long { 3 } else { 1 };
        let mut i = start;
        // With escapes, the value is decoded into the scratch buffer from `decoded` on, and
        // the text before `copied` is there already.
        let mut decoded: Option<usize> = None;
        let mut copied = start;
        loop {
            let k = if long {
                memchr::memchr2(q, b'\\', &c.b[i..])
            } else {
                memchr::memchr3(q, b'\\', b'\n', &c.b[i..])
            }
            .ok_or_else(|| c.missing())?;
            let j = i + k;
            if !long && memchr::memchr(b'\r', &c.b[i..j]).is_some() {
                return Err(Stop::Decline);
            }
            match c.b[j] {
                b'\\' => {
                    decoded.get_or_insert(self.scratch.len());
                    self.scratch
                        .push_str(std::str::from_utf8(&c.b[copied..j]).map_err(|_| Stop::Decline)?);
                    let (ch, len) = match c.at(j + 1)? {
                        b't' => ('\t', 2),
                        b'b' => ('\u{8}', 2),
                        b'n' => ('\n', 2),
                        b'r' => ('\r', 2),
                        b'f' => ('\u{C}', 2),
                        b'"' => ('"', 2),
                        b'\'' => ('\'', 2),
                        b'\\' => ('\\', 2),
                        b'u' => {
                            c.at(j + 5)?;
                            (hex_escape(c.b, j, 4).map_err(|_| Stop::Decline)?, 6)
                        }
                        b'U' => {
                            c.at(j + 9)?;
                            (hex_escape(c.b, j, 8).map_err(|_| Stop::Decline)?, 10)
                        }
                        _ => return Err(Stop::Decline),
                    };
                    self.scratch.push(ch);
                    i = j + len;
                    copied = i;
                }
                b'\n' if !long => return Err(Stop::Decline),
                // One or two quotes inside a long string are text.
                _ if long && !(c.at(j + 1)? == q && c.at(j + 2)? == q) => i = j + 1,
                _ => {
                    // The closing quote(s). Four quotes in a row are left to oxttl.
                    if long && c.at(j + 3)? == q {
                        return Err(Stop::Decline);
                    }
                    c.pos = j + if long { 3 } else { 1 };
                    return Ok(match decoded {
                        None => Piece::Input(start, j),
                        Some(s) => {
                            self.scratch.push_str(
                                std::str::from_utf8(&c.b[copied..j]).map_err(|_| Stop::Decline)?,
                            );
                            Piece::Scratch(s, self.scratch.len())
                        }
                    });
                }
            }
        }
    }

    /// LANGTAG at `@`: only the plain shapes (`en`, `en-GB`, `es-419`, `zh-Hant`,
    /// `zh-Hant-TW`) that are sure to be valid BCP 47, lowercased as oxttl lowercases.
    pub(super) fn language_tag(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
        let start = c.pos + 1;
        let mut i = start;
        while c.at(i)?.is_ascii_alphabetic() {
            i += 1;
        }
        if !(2..=3).contains(&(i - start)) {
            return Err(Stop::Decline);
        }
        let mut seen_script = false;
        let mut seen_region = false;
        while c.at(i)? == b'-' {
            let s = i + 1;
            i = s;
            while c.at(i)?.is_ascii_alphanumeric() {
                i += 1;
            }
            let sub = &c.b[s..i];
            let alpha = sub.iter().all(u8::is_ascii_alphabetic);
            let digits = sub.iter().all(u8::is_ascii_digit);
            match sub.len() {
                4 if alpha && !seen_script && !seen_region => seen_script = true,
                2 if alpha && !seen_region => seen_region = true,
                3 if digits && !seen_region => seen_region = true,
                _ => return Err(Stop::Decline),
            }
        }
        c.pos = i;
        let tag = c.ascii(start, i)?;
        if tag.bytes().any(|b| b.is_ascii_uppercase()) {
            let lower = self.scratch.len();
            self.scratch
                .extend(tag.chars().map(|ch| ch.to_ascii_lowercase()));
            return Ok(Piece::Scratch(lower, self.scratch.len()));
        }
        Ok(Piece::Input(start, i))
    }
}

/// INTEGER, DECIMAL or DOUBLE, kept as written, with the datatype Turtle gives it.
pub(super) fn number(c: &mut Cursor<'_>) -> Step<Object> {
    let start = c.pos;
    let mut i = start;
    if matches!(c.at(i)?, b'+' | b'-') {
        i += 1;
    }
    let digits_start = i;
    while c.at(i)?.is_ascii_digit() {
        i += 1;
    }
    let before = i - digits_start;
    let mut datatype = XSD_INTEGER;
    if c.at(i)? == b'.' {
        let next = c.at(i + 1)?;
        if next.is_ascii_digit() {
            i += 1;
            while c.at(i)?.is_ascii_digit() {
                i += 1;
            }
            datatype = XSD_DECIMAL;
        } else if matches!(next, b'e' | b'E') {
            return Err(Stop::Decline);
        }
    }
    if matches!(c.at(i)?, b'e' | b'E') {
        i += 1;
        if matches!(c.at(i)?, b'+' | b'-') {
            i += 1;
        }
        let exponent = i;
        while c.at(i)?.is_ascii_digit() {
            i += 1;
        }
        if i == exponent {
            return Err(Stop::Decline);
        }
        datatype = XSD_DOUBLE;
    }
    if before == 0 && datatype != XSD_DECIMAL {
        return Err(Stop::Decline);
    }
    let next = c.at(i)?;
    if !(is_space(next) || matches!(next, b',' | b';' | b'.' | b'#')) {
        return Err(Stop::Decline);
    }
    c.pos = i;
    Ok(Object::Typed(
        Piece::Input(start, i),
        Piece::Static(datatype),
    ))
}
