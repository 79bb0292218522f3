//! IRIs and prefixed names: `<...>` with escapes, `prefix:local`, and the check that lets a
//! plain absolute IRI skip oxiri (with the scheme and authority of recent IRIs remembered).

use oxiri::Iri;

use super::cursor::Cursor;
use super::{FastPath, Piece, Prefix, Step, Stop};
use crate::ingest::ntriples::hex_escape;
use crate::ingest::scan::{find_first_stop, find_iri_stop};
use crate::ingest::term::is_forbidden_iri_byte;

/// `a[..len] == b[..len]` (both at least `len` long); between 16 and 32 bytes, the usual
/// length of a scheme and authority, as two 16-byte compares rather than a `memcmp` call.
#[inline(always)]
pub(super) fn same_prefix(a: &[u8], b: &[u8], len: usize) -> bool {
    if (16..=32).contains(&len) {
        let block =
            |x: &[u8], at: usize| -> [u8; 16] { x[at..at + 16].try_into().expect("16 bytes") };
        block(a, 0) == block(b, 0) && block(a, len - 16) == block(b, len - 16)
    } else {
        a[..len] == b[..len]
    }
}

/// Longest scheme and authority [`FastPath::is_plain_iri`] remembers.
pub(super) const AUTHORITY_CACHE_BYTES: usize = 48;

impl FastPath {
    /// IRIREF at `<`.
    pub(super) fn iri_ref(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
        let start = c.pos + 1;
        // The common case in one scan: a remembered authority, then a plain rest up to `>`.
        if let Some(end) = self
            .known_authority(&c.b[start..])
            .and_then(|len| plain_rest_to_close(c.b, start + len))
        {
            c.pos = end + 1;
            return Ok(Piece::Input(start, end));
        }
        let stop = find_iri_stop(&c.b[start..]).ok_or_else(|| c.missing())?;
        let i = start + stop;
        match c.b[i] {
            b'>' => {
                c.pos = i + 1;
                let raw = &c.b[start..i];
                if self.is_plain_iri(raw) {
                    return Ok(Piece::Input(start, i));
                }
                let raw = std::str::from_utf8(raw).map_err(|_| Stop::Decline)?;
                self.checked_iri(raw, Some((start, i)))
            }
            b'\\' => {
                // Escapes: decode, then check the IRI as oxttl does.
                // The decoding buffer is reused (taken out while `self` is borrowed).
                let mut decoded = std::mem::take(&mut self.decoded);
                decoded.clear();
                let piece = self.iri_with_escapes(c, start, i, &mut decoded);
                self.decoded = decoded;
                piece
            }
            _ => Err(Stop::Decline),
        }
    }

    /// The rest of an IRIREF from its first backslash at `i`, decoded into `decoded`, then
    /// checked as oxttl checks it.
    pub(super) fn iri_with_escapes(
        &mut self,
        c: &mut Cursor<'_>,
        start: usize,
        mut i: usize,
        decoded: &mut String,
    ) -> Step<Piece> {
        let mut clean_from = start;
        loop {
            match c.at(i)? {
                b'>' => {
                    decoded.push_str(
                        std::str::from_utf8(&c.b[clean_from..i]).map_err(|_| Stop::Decline)?,
                    );
                    c.pos = i + 1;
                    break;
                }
                b'\\' => {
                    decoded.push_str(
                        std::str::from_utf8(&c.b[clean_from..i]).map_err(|_| Stop::Decline)?,
                    );
                    let digits = match c.at(i + 1)? {
                        b'u' => 4,
                        b'U' => 8,
                        _ => return Err(Stop::Decline),
                    };
                    c.at(i + 1 + digits)?;
                    decoded.push(hex_escape(c.b, i, digits).map_err(|_| Stop::Decline)?);
                    i += 2 + digits;
                    clean_from = i;
                }
                _ => match find_iri_stop(&c.b[i..]) {
                    Some(0) => return Err(Stop::Decline),
                    Some(k) => i += k,
                    None => return Err(c.missing()),
                },
            }
        }
        if self.is_plain_iri(decoded.as_bytes()) {
            return Ok(self.push_scratch(decoded));
        }
        self.checked_iri(decoded, None)
    }

    /// The length of the remembered authority `text` starts with, if it is followed by `/`,
    /// `?`, `#` or `>`.
    #[inline]
    pub(super) fn known_authority(&mut self, text: &[u8]) -> Option<usize> {
        for k in 0..self.authorities.len() {
            let (known, len) = &self.authorities[k];
            let len = *len;
            if len != 0
                && text.len() > len
                && same_prefix(text, known, len)
                && matches!(text[len], b'/' | b'?' | b'#' | b'>')
            {
                self.authorities.swap(0, k);
                return Some(len);
            }
        }
        None
    }

    /// [`is_plain_absolute_iri`], remembering the last authorities seen.
    pub(super) fn is_plain_iri(&mut self, iri: &[u8]) -> bool {
        for k in 0..self.authorities.len() {
            let (known, len) = &self.authorities[k];
            let len = *len;
            if len != 0
                && iri.len() >= len
                && same_prefix(iri, known, len)
                && iri.get(len).is_none_or(|b| matches!(b, b'/' | b'?' | b'#'))
            {
                self.authorities.swap(0, k);
                return is_plain_rest(iri, len);
            }
        }
        let Some((from, has_authority)) = plain_scheme_and_authority(iri) else {
            return false;
        };
        if has_authority && from <= AUTHORITY_CACHE_BYTES {
            self.authorities.rotate_right(1);
            let mut known = [0; AUTHORITY_CACHE_BYTES];
            known[..from].copy_from_slice(&iri[..from]);
            self.authorities[0] = (known, from);
        }
        is_plain_rest(iri, from)
    }

    /// An IRI that needs oxiri: resolved against the base (with one), else validated, as
    /// oxttl does. `input` is where it lies in the statement, if it is there as written.
    pub(super) fn checked_iri(&mut self, iri: &str, input: Option<(usize, usize)>) -> Step<Piece> {
        match &self.base {
            Some(base) => {
                self.resolved.clear();
                base.resolve_into(iri, &mut self.resolved)
                    .map_err(|_| Stop::Decline)?;
                let start = self.scratch.len();
                self.scratch.push_str(&self.resolved);
                Ok(Piece::Scratch(start, self.scratch.len()))
            }
            None => {
                Iri::parse(iri).map_err(|_| Stop::Decline)?;
                Ok(match input {
                    Some((a, b)) => Piece::Input(a, b),
                    None => self.push_scratch(iri),
                })
            }
        }
    }

    pub(super) fn push_scratch(&mut self, s: &str) -> Piece {
        let start = self.scratch.len();
        self.scratch.push_str(s);
        Piece::Scratch(start, self.scratch.len())
    }

    /// PNAME_LN or PNAME_NS: `prefix:local`, ASCII only.
    pub(super) fn prefixed_name(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
        let start = c.pos;
        let mut i = start;
        if c.at(i)?.is_ascii_alphabetic() {
            i += 1;
            while matches!(c.at(i)?, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' | b'-' | b'.') {
                i += 1;
            }
        }
        if c.at(i)? != b':' || c.b[i - usize::from(i > start)] == b'.' {
            return Err(Stop::Decline);
        }
        let prefix = c.ascii(start, i)?;
        let Some(Prefix { iri, validate }) = self.prefixes.get(prefix) else {
            return Err(Stop::Decline);
        };
        let mut validate = *validate;
        // PN_LOCAL: (PN_CHARS_U | ':' | [0-9] | PLX) ((PN_CHARS | '.' | ':' | PLX)* (PN_CHARS | ':' | PLX))?
        let local_start = i + 1;
        let mut j = local_start;
        let mut end = local_start;
        let mut escaped = false;
        loop {
            match c.at(j)? {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'_' => j += 1,
                b'-' if j > local_start => j += 1,
                b'.' if j > local_start => {
                    j += 1;
                    continue;
                }
                b':' => {
                    validate = true;
                    j += 1;
                }
                b'%' => {
                    if !(c.at(j + 1)?.is_ascii_hexdigit() && c.at(j + 2)?.is_ascii_hexdigit()) {
                        return Err(Stop::Decline);
                    }
                    j += 3;
                }
                b'\\' => {
                    match c.at(j + 1)? {
                        b'_' | b'~' | b'.' | b'-' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')'
                        | b'*' | b'+' | b',' | b';' | b'=' => {}
                        b'/' | b'?' | b'#' | b'@' | b'%' => validate = true,
                        _ => return Err(Stop::Decline),
                    }
                    escaped = true;
                    j += 2;
                }
                _ => break,
            }
            end = j;
        }
        c.pos = end;
        let scratch_start = self.scratch.len();
        self.scratch.push_str(iri);
        let local = c.ascii(local_start, end)?;
        if escaped {
            let mut chars = local.chars();
            while let Some(ch) = chars.next() {
                if ch == '\\' {
                    if let Some(escaped) = chars.next() {
                        self.scratch.push(escaped);
                    }
                } else {
                    self.scratch.push(ch);
                }
            }
        } else {
            self.scratch.push_str(local);
        }
        let piece = Piece::Scratch(scratch_start, self.scratch.len());
        if validate && Iri::parse(&self.scratch[scratch_start..]).is_err() {
            return Err(Stop::Decline);
        }
        Ok(piece)
    }
}

/// Whether oxiri, validating `iri` or resolving it against any base, gives it back as it is
/// without having to look: an absolute IRI of ASCII characters that are valid wherever they
/// stand (`%` with two hex digits), an authority that is a plain host name with an optional
/// port, at most one `#`, and no `.` at the start of a path segment (so no dot segments for
/// resolution to remove). Anything else goes to oxiri.
#[cfg(test)]
pub(super) fn is_plain_absolute_iri(iri: &[u8]) -> bool {
    plain_scheme_and_authority(iri).is_some_and(|(from, _)| is_plain_rest(iri, from))
}

/// The scheme and authority part of [`is_plain_absolute_iri`]: where the path starts, and
/// whether there was an authority.
pub(super) fn plain_scheme_and_authority(iri: &[u8]) -> Option<(usize, bool)> {
    let n = iri.len();
    if !iri.first().is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    let mut i = 1;
    while i < n && IRI_CLASS[usize::from(iri[i])] & SCHEME != 0 {
        i += 1;
    }
    if i >= n || iri[i] != b':' {
        return None;
    }
    i += 1;
    let has_authority = iri[i..].starts_with(b"//");
    if has_authority {
        i += 2;
        let host = i;
        while i < n && IRI_CLASS[usize::from(iri[i])] & HOST != 0 {
            i += 1;
        }
        if i == host {
            return None;
        }
        if i < n && iri[i] == b':' {
            i += 1;
            let port = i;
            while i < n && iri[i].is_ascii_digit() {
                i += 1;
            }
            if i == port {
                return None;
            }
        }
        if i < n && !matches!(iri[i], b'/' | b'?' | b'#') {
            return None;
        }
    } else if matches!(iri.get(i), Some(b'.' | b'/')) {
        // A rootless path that could be a dot segment, or a `/` path without authority
        // (kept simple: oxiri decides).
        return None;
    }
    Some((i, has_authority))
}

/// Like [`is_plain_rest`] on the text from `i` to the next `>` (which it returns), in one
/// scan of the statement's bytes `b`; `None` when that text is not plain or has no `>` (an
/// escape, a forbidden byte, the end of the bytes): the caller then takes the long way.
#[inline]
pub(super) fn plain_rest_to_close(b: &[u8], mut i: usize) -> Option<usize> {
    let mut rest = PlainRest::default();
    loop {
        let at = find_special_iri_byte(b, i)?;
        if b[at] == b'>' {
            return Some(at);
        }
        i = rest.step(b, at)?;
    }
}

/// The path, query and fragment part of [`is_plain_absolute_iri`], from `i` on.
pub(super) fn is_plain_rest(iri: &[u8], mut i: usize) -> bool {
    let mut rest = PlainRest::default();
    while let Some(at) = find_special_iri_byte(iri, i) {
        match rest.step(iri, at) {
            Some(next) => i = next,
            None => return false,
        }
    }
    true
}

/// Where a scan of a plain IRI's path, query and fragment is: what the next special byte
/// ([`is_special_iri_byte`]) may be.
struct PlainRest {
    in_path: bool,
    seen_hash: bool,
}

impl Default for PlainRest {
    fn default() -> Self {
        Self {
            in_path: true,
            seen_hash: false,
        }
    }
}

impl PlainRest {
    /// Takes the special byte at `b[at]` (not `>`): where the scan goes on, or `None` when it
    /// makes the IRI not plain (a dot segment, a second `#`, `%` without two hex digits, or a
    /// byte no plain IRI holds).
    #[inline(always)]
    fn step(&mut self, b: &[u8], at: usize) -> Option<usize> {
        match b[at] {
            b'.' => {
                if self.in_path && b[at - 1] == b'/' {
                    return None;
                }
            }
            b'?' => self.in_path = false,
            b'#' => {
                if self.seen_hash {
                    return None;
                }
                self.seen_hash = true;
                self.in_path = false;
            }
            b'%' => {
                if !(b.get(at + 1)?.is_ascii_hexdigit() && b.get(at + 2)?.is_ascii_hexdigit()) {
                    return None;
                }
                return Some(at + 3);
            }
            _ => return None,
        }
        Some(at + 1)
    }
}

/// [`IRI_CLASS`] bit: may follow the first letter of a scheme.
pub(super) const SCHEME: u8 = 1;
/// [`IRI_CLASS`] bit: an unreserved character, which a host name may hold.
pub(super) const HOST: u8 = 2;
pub(super) const IRI_CLASS: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        if c.is_ascii_alphanumeric() {
            table[b] = SCHEME | HOST;
        }
        b += 1;
    }
    table[b'+' as usize] = SCHEME;
    table[b'-' as usize] = SCHEME | HOST;
    table[b'.' as usize] = SCHEME | HOST;
    table[b'_' as usize] = HOST;
    table[b'~' as usize] = HOST;
    table
};

/// Bytes [`is_plain_absolute_iri`] must look at after the authority: `. ? # %`, and those no
/// plain IRI holds (`[`, `]`, DEL, non-ASCII, and what IRIREF forbids). Every other byte is
/// an unreserved character, a sub-delimiter, `:`, `@` or `/`: valid anywhere in a path,
/// query or fragment.
#[inline(always)]
pub(super) fn is_special_iri_byte(b: u8) -> bool {
    matches!(b, b'.' | b'?' | b'#' | b'%' | b'[' | b']') || b >= 0x7F || is_forbidden_iri_byte(b)
}

/// Offset of the first [`is_special_iri_byte`] of `bytes` from `from` on (a vector scan, as
/// for the N-Triples IRI scan, one block a step: what is left of an IRI after its authority
/// is short).
#[inline(always)]
pub(super) fn find_special_iri_byte(bytes: &[u8], from: usize) -> Option<usize> {
    find_first_stop::<false>(bytes, from, is_special_iri_byte, b'a')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_absolute_iris_are_recognised_and_the_rest_left_to_oxiri() {
        for yes in [
            "http://example.org/person/1",
            "http://example.org",
            "http://example.org:8080/a?b=c#d",
            "urn:isbn:123",
            "mailto:a@b.org",
            "http://ex.org/a%20b",
        ] {
            assert!(is_plain_absolute_iri(yes.as_bytes()), "{yes}");
        }
        for no in [
            "relative",
            "/abs/path",
            "http://ex.org/./a",
            "http://ex.org/a/../b",
            "http://[::1]/",
            "http://user@ex.org/",
            "http://ex.org/a#b#c",
            "http://ex.org/%zz",
            "http://ex.org/é",
            "http://ex.org:/",
            "http:///a",
            "a:.",
        ] {
            assert!(!is_plain_absolute_iri(no.as_bytes()), "{no}");
        }
    }

    #[test]
    fn remembered_authorities_give_the_same_answers() {
        let iris = [
            "http://example.org/a",
            "http://example.org/./b",
            "http://example.org",
            "http://example.org:8080/x",
            "http://example.orgx/y",
            "http://xmlns.com/foaf/0.1/knows",
            "http://example.org/%zz",
            "http://example.org?q",
            "http://example.org#f#g",
            "http://a-very-long-host-name.example.org/path",
            "http://example.org/a",
            "urn:x:y",
            "http://xmlns.com/foaf/0.1/name",
        ];
        let mut fast = FastPath::new();
        for _ in 0..3 {
            for iri in iris {
                assert_eq!(
                    fast.is_plain_iri(iri.as_bytes()),
                    is_plain_absolute_iri(iri.as_bytes()),
                    "{iri}"
                );
            }
        }
    }
}
