//! The Turtle fast path: a byte-level parser for the statements most Turtle is made of.
//!
//! It parses one whole statement at a time, straight from the reader's buffer, and either
//! returns every triple of it or declines it, having emitted nothing; a declined statement
//! goes to oxttl (see the [parent module](super)). It takes `subject verb object` statements
//! with `;` and `,` lists, where
//! - a subject is an IRI, a blank node label `_:x`, or `[ ... ]` followed by a verb;
//! - a verb is an IRI or `a`;
//! - an object is an IRI, a blank node label, `[]` or `[ ... ]` (nested up to 16 deep), a
//!   string in any of the four quote forms (with
//!   `\t`-style and `\u`/`\U` escapes), optionally with a language tag or a `^^` datatype, an
//!   integer, decimal or double, or `true`/`false`;
//! - an IRI is `<...>` (with `\u` escapes) or a prefixed name (with `%XX` and `\`-escapes in
//!   its local part).
//!
//! It declines what it does not take (directives, collections, a lone `[ ... ] .`, non-ASCII
//! names, unusual language tags, numbers starting with `.`) and anything that is not valid,
//! so that oxttl reports it: the fast path never reports an error of its own.
//!
//! Triples come out in oxttl's order, blank nodes `[ ... ]` labelled as the reader labels
//! oxttl's (a fresh counter value at first appearance): the triples inside a `[ ... ]` before
//! the one that has it as object, except that oxttl emits a simple literal's triple only on
//! the next token, and two triples emitted on one token come out in reverse order, so
//! `[ p "x" ]` as an object gives its outer triple first.
//!
//! IRIs come out as oxttl gives them. An absolute IRI made only of characters that need no
//! checking beyond a byte scan (see [`is_plain_absolute_iri`]) and without dot segments is
//! kept as written, which is what oxiri's validation and resolution give for it; any other
//! IRI goes through oxiri exactly as oxttl sends it (resolved against the base if there is
//! one, else validated). A prefixed name is the prefix's IRI followed by the local part,
//! validated by oxiri when oxttl validates it.

use std::collections::HashMap;
use std::fmt::Write as _;

use oxiri::Iri;
use oxrdf::{BlankNode, BlankNodeRef};

use crate::ingest::ntriples::hex_escape;
use crate::ingest::scan::{find_first_stop, find_iri_stop};
use crate::ingest::term::{
    is_forbidden_iri_byte, Literal, Term, Triple, RDF_LANG_STRING, XSD_BOOLEAN, XSD_DECIMAL,
    XSD_DOUBLE, XSD_INTEGER,
};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// What became of one attempt at a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// Parsed, `len` bytes (leading space and comments included, up to and with its `.`).
    Parsed(usize),
    /// Not for the fast path: give it to oxttl.
    Declined,
    /// The statement does not end in the bytes given; try again with more.
    NeedMore,
}

/// Why parsing stopped early.
#[derive(Clone, Copy, Debug)]
enum Stop {
    Decline,
    NeedMore,
}

type Step<T> = Result<T, Stop>;

/// A piece of text: in the statement, in the scratch buffer, or a constant.
#[derive(Clone, Copy, Debug)]
enum Piece {
    Input(usize, usize),
    Scratch(usize, usize),
    Static(&'static str),
}

#[derive(Clone, Copy, Debug)]
enum Node {
    Iri(Piece),
    Blank(Piece),
    /// The statement's `n`th anonymous blank node (`[]`, `[ ... ]`), from 0.
    Anon(u32),
}

/// How deep `[ ... ]` may nest in a statement the fast path takes.
const MAX_NESTING: u32 = 16;

#[derive(Clone, Copy, Debug)]
enum Object {
    Node(Node),
    Simple(Piece),
    Lang(Piece, Piece),
    Typed(Piece, Piece),
}

#[derive(Clone, Copy, Debug)]
struct Parsed {
    subject: Node,
    predicate: Piece,
    object: Object,
}

/// A declared prefix: its IRI, and whether oxttl validates every name built on it (it does
/// when the IRI has an empty path, as the local part may then be read as an authority).
struct Prefix {
    iri: String,
    validate: bool,
}

/// The fast parser, with the document's base and prefixes (kept in step with oxttl's) and
/// the buffers of the statement being parsed.
pub(super) struct FastPath {
    base: Option<Iri<String>>,
    prefixes: HashMap<String, Prefix>,
    triples: Vec<Parsed>,
    scratch: String,
    resolved: String,
    decoded: String,
    subject_label: String,
    object_label: String,
    /// Anonymous blank nodes in the statement being parsed, and the counter value each got
    /// when it was first emitted (0: not yet).
    anonymous: u32,
    anonymous_numbers: Vec<u64>,
    /// The scheme and authority (`http://example.org`) of the last four plain IRIs with one,
    /// most recently used first: an IRI that starts with one needs only the rest checked.
    authorities: [([u8; AUTHORITY_CACHE_BYTES], usize); 4],
}

/// `a[..len] == b[..len]` (both at least `len` long); between 16 and 32 bytes, the usual
/// length of a scheme and authority, as two 16-byte compares rather than a `memcmp` call.
#[inline(always)]
fn same_prefix(a: &[u8], b: &[u8], len: usize) -> bool {
    if (16..=32).contains(&len) {
        let block =
            |x: &[u8], at: usize| -> [u8; 16] { x[at..at + 16].try_into().expect("16 bytes") };
        block(a, 0) == block(b, 0) && block(a, len - 16) == block(b, len - 16)
    } else {
        a[..len] == b[..len]
    }
}

/// Longest scheme and authority [`FastPath::is_plain_iri`] remembers.
const AUTHORITY_CACHE_BYTES: usize = 48;

/// The bytes being parsed and where the parser is in them.
struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    eof: bool,
}

impl Cursor<'_> {
    /// Byte `i`, or why there is none: the statement is cut short (at the end of the input,
    /// oxttl reports it) or more input is needed.
    #[inline(always)]
    fn at(&self, i: usize) -> Step<u8> {
        match self.b.get(i) {
            Some(&b) => Ok(b),
            None if self.eof => Err(Stop::Decline),
            None => Err(Stop::NeedMore),
        }
    }

    fn missing(&self) -> Stop {
        if self.eof {
            Stop::Decline
        } else {
            Stop::NeedMore
        }
    }

    /// Skips white space and comments.
    #[inline]
    fn skip_ws(&mut self) -> Step<()> {
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
    fn ascii(&self, from: usize, to: usize) -> Step<&str> {
        std::str::from_utf8(&self.b[from..to]).map_err(|_| Stop::Decline)
    }
}

impl FastPath {
    /// A fast path with no base and no prefixes.
    pub(super) fn new() -> Self {
        Self {
            base: None,
            prefixes: HashMap::new(),
            triples: Vec::new(),
            scratch: String::new(),
            resolved: String::new(),
            decoded: String::new(),
            subject_label: String::new(),
            object_label: String::new(),
            anonymous: 0,
            anonymous_numbers: Vec::new(),
            authorities: [([0; AUTHORITY_CACHE_BYTES], 0); 4],
        }
    }

    /// Takes the base and prefixes of `parser` (oxttl reads the directives); `true` if they
    /// changed.
    pub(super) fn sync(&mut self, parser: &oxttl::turtle::LowLevelTurtleParser) -> bool {
        let base = parser.base_iri();
        let same_base = self.base.as_ref().map(|b| b.as_str()) == base;
        let same_prefixes = parser.prefixes().count() == self.prefixes.len()
            && parser
                .prefixes()
                .all(|(name, iri)| self.prefixes.get(name).is_some_and(|p| p.iri == iri));
        if same_base && same_prefixes {
            return false;
        }
        // oxttl holds only valid IRIs; if one did not parse, the fast path declines names on
        // it (validation on) or IRIs (no base).
        self.base = base.and_then(|b| Iri::parse(b.to_owned()).ok());
        self.prefixes = parser
            .prefixes()
            .map(|(name, iri)| {
                let validate = Iri::parse(iri).map_or(true, |i| i.path().is_empty());
                (
                    name.to_owned(),
                    Prefix {
                        iri: iri.to_owned(),
                        validate,
                    },
                )
            })
            .collect();
        true
    }

    /// Parses the statement at the start of `bytes` (`eof`: nothing follows them).
    pub(super) fn statement(&mut self, bytes: &[u8], eof: bool) -> Outcome {
        self.triples.clear();
        self.scratch.clear();
        self.anonymous = 0;
        let mut c = Cursor {
            b: bytes,
            pos: 0,
            eof,
        };
        match self.parse_statement(&mut c) {
            // The caller checks that the text is UTF-8 before it emits.
            Ok(len) => Outcome::Parsed(len),
            Err(Stop::Decline) => Outcome::Declined,
            Err(Stop::NeedMore) => Outcome::NeedMore,
        }
    }

    /// Hands the triples of the statement just parsed (whose text is `text`) to `f`. Blank
    /// node labels are renamed with `counters` as the reader renames oxttl's (see the parent
    /// module): a label oxrdf reads as a number, and each anonymous node, gets the counter's
    /// next value at its first appearance.
    pub(super) fn emit<E, F>(
        &mut self,
        text: &str,
        counters: &mut HashMap<u128, u64>,
        f: &mut F,
    ) -> Result<u64, E>
    where
        F: FnMut(Triple<'_>) -> Result<(), E>,
    {
        let FastPath {
            triples,
            scratch,
            subject_label,
            object_label,
            anonymous,
            anonymous_numbers,
            ..
        } = self;
        anonymous_numbers.clear();
        anonymous_numbers.resize(*anonymous as usize, 0);
        let scratch = scratch.as_str();
        let r = |piece: Piece| -> &str {
            match piece {
                Piece::Input(a, b) => &text[a..b],
                Piece::Scratch(a, b) => &scratch[a..b],
                Piece::Static(s) => s,
            }
        };
        for t in triples.iter() {
            let subject = match t.subject {
                Node::Iri(p) => Term::Iri(r(p)),
                Node::Blank(p) => {
                    blank_label_text(counters, r(p), subject_label);
                    Term::BlankNode(subject_label.as_str())
                }
                Node::Anon(k) => {
                    anonymous_label_text(counters, anonymous_numbers, k, subject_label);
                    Term::BlankNode(subject_label.as_str())
                }
            };
            let object = match t.object {
                Object::Node(Node::Iri(p)) => Term::Iri(r(p)),
                Object::Node(Node::Blank(p)) => {
                    blank_label_text(counters, r(p), object_label);
                    Term::BlankNode(object_label.as_str())
                }
                Object::Node(Node::Anon(k)) => {
                    anonymous_label_text(counters, anonymous_numbers, k, object_label);
                    Term::BlankNode(object_label.as_str())
                }
                Object::Simple(v) => Term::Literal(Literal::simple(r(v))),
                Object::Lang(v, l) => Term::Literal(Literal::lang_tagged(r(v), r(l))),
                Object::Typed(v, d) => Term::Literal(Literal::typed(r(v), r(d))),
            };
            f(Triple {
                subject,
                predicate: Term::Iri(r(t.predicate)),
                object,
            })?;
        }
        Ok(triples.len() as u64)
    }

    fn parse_statement(&mut self, c: &mut Cursor<'_>) -> Step<usize> {
        c.skip_ws()?;
        let subject = match c.at(c.pos)? {
            b'<' => Node::Iri(self.iri_ref(c)?),
            b'_' => Node::Blank(blank_label(c)?),
            b'[' => {
                // In subject position nothing is emitted at the `]`: no reordering.
                let (node, _) = self.anonymous_node(c, 0)?;
                c.skip_ws()?;
                // `[ ... ] .` alone is left to oxttl.
                if c.at(c.pos)? == b'.' {
                    return Err(Stop::Decline);
                }
                node
            }
            _ => Node::Iri(self.prefixed_name(c)?),
        };
        self.predicate_object_list(c, subject, 0)?;
        if c.at(c.pos)? != b'.' {
            return Err(Stop::Decline);
        }
        end_of_statement(c)
    }

    /// `verb objectList (';' (verb objectList)?)*` about `subject`, up to (not including)
    /// what ends it, after any white space. `true` when it ends with a simple literal: oxttl
    /// emits that literal's triple only when it reads the next token, so if that is the `]`
    /// of an object `[ ... ]`, both triples come out of one token, in reverse order (its
    /// parser pops them off a stack).
    fn predicate_object_list(
        &mut self,
        c: &mut Cursor<'_>,
        subject: Node,
        depth: u32,
    ) -> Step<bool> {
        loop {
            c.skip_ws()?;
            let predicate = if c.at(c.pos)? == b'a' && is_space(c.at(c.pos + 1)?) {
                c.pos += 1;
                Piece::Static(RDF_TYPE)
            } else if c.at(c.pos)? == b'<' {
                self.iri_ref(c)?
            } else {
                self.prefixed_name(c)?
            };
            let ends_with_simple_literal = loop {
                c.skip_ws()?;
                let (object, emitted_with_last) = self.object(c, depth)?;
                self.triples.push(Parsed {
                    subject,
                    predicate,
                    object,
                });
                if emitted_with_last {
                    let n = self.triples.len();
                    self.triples.swap(n - 2, n - 1);
                }
                c.skip_ws()?;
                if c.at(c.pos)? != b',' {
                    break matches!(object, Object::Simple(_));
                }
                c.pos += 1;
            };
            if c.at(c.pos)? != b';' {
                return Ok(ends_with_simple_literal);
            }
            while c.at(c.pos)? == b';' {
                c.pos += 1;
                c.skip_ws()?;
            }
            if matches!(c.at(c.pos)?, b'.' | b']') {
                return Ok(false);
            }
        }
    }

    /// `[]` or `[ predicateObjectList ]` at `[`: a new anonymous node, whose triples come
    /// first (as oxttl emits them), and whether the list ends with a simple literal (see
    /// [`Self::predicate_object_list`]).
    fn anonymous_node(&mut self, c: &mut Cursor<'_>, depth: u32) -> Step<(Node, bool)> {
        if depth >= MAX_NESTING {
            return Err(Stop::Decline);
        }
        c.pos += 1;
        let node = Node::Anon(self.anonymous);
        self.anonymous += 1;
        c.skip_ws()?;
        let mut ends_with_simple_literal = false;
        if c.at(c.pos)? != b']' {
            ends_with_simple_literal = self.predicate_object_list(c, node, depth + 1)?;
            if c.at(c.pos)? != b']' {
                return Err(Stop::Decline);
            }
        }
        c.pos += 1;
        Ok((node, ends_with_simple_literal))
    }

    /// An object, and whether oxttl emits its triple together with the one before, in
    /// reverse order (an object `[ ... ]` whose list ends with a simple literal).
    fn object(&mut self, c: &mut Cursor<'_>, depth: u32) -> Step<(Object, bool)> {
        if c.at(c.pos)? == b'[' {
            let (node, ends_with_simple_literal) = self.anonymous_node(c, depth)?;
            return Ok((Object::Node(node), ends_with_simple_literal));
        }
        Ok((
            match c.at(c.pos)? {
                b'<' => Object::Node(Node::Iri(self.iri_ref(c)?)),
                b'_' => Object::Node(Node::Blank(blank_label(c)?)),
                b'"' | b'\'' => self.literal(c)?,
                b'0'..=b'9' | b'+' | b'-' => number(c)?,
                b't' | b'f' => match keyword(c)? {
                    Some("true") => {
                        Object::Typed(Piece::Static("true"), Piece::Static(XSD_BOOLEAN))
                    }
                    Some("false") => {
                        Object::Typed(Piece::Static("false"), Piece::Static(XSD_BOOLEAN))
                    }
                    Some(_) => return Err(Stop::Decline),
                    None => Object::Node(Node::Iri(self.prefixed_name(c)?)),
                },
                _ => Object::Node(Node::Iri(self.prefixed_name(c)?)),
            },
            false,
        ))
    }

    /// IRIREF at `<`.
    fn iri_ref(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
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
    fn iri_with_escapes(
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
    fn known_authority(&mut self, text: &[u8]) -> Option<usize> {
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
    fn is_plain_iri(&mut self, iri: &[u8]) -> bool {
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
    fn checked_iri(&mut self, iri: &str, input: Option<(usize, usize)>) -> Step<Piece> {
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

    fn push_scratch(&mut self, s: &str) -> Piece {
        let start = self.scratch.len();
        self.scratch.push_str(s);
        Piece::Scratch(start, self.scratch.len())
    }

    /// PNAME_LN or PNAME_NS: `prefix:local`, ASCII only.
    fn prefixed_name(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
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

    /// A string literal at its quote, with its language tag or datatype.
    fn literal(&mut self, c: &mut Cursor<'_>) -> Step<Object> {
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
    fn string(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
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
    fn language_tag(&mut self, c: &mut Cursor<'_>) -> Step<Piece> {
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

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// The `.` that ends a statement, at `c.pos`: it must be followed by space, a comment or the
/// end of the input (anything else, oxttl may read otherwise).
fn end_of_statement(c: &Cursor<'_>) -> Step<usize> {
    let end = c.pos + 1;
    match c.b.get(end) {
        None if c.eof => Ok(end),
        None => Err(Stop::NeedMore),
        Some(&b) if is_space(b) || b == b'#' => Ok(end),
        Some(_) => Err(Stop::Decline),
    }
}

/// BLANK_NODE_LABEL at `_`, ASCII only; the label without `_:`.
fn blank_label(c: &mut Cursor<'_>) -> Step<Piece> {
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
fn keyword<'a>(c: &mut Cursor<'a>) -> Step<Option<&'a str>> {
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

/// INTEGER, DECIMAL or DOUBLE, kept as written, with the datatype Turtle gives it.
fn number(c: &mut Cursor<'_>) -> Step<Object> {
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

/// Whether oxiri, validating `iri` or resolving it against any base, gives it back as it is
/// without having to look: an absolute IRI of ASCII characters that are valid wherever they
/// stand (`%` with two hex digits), an authority that is a plain host name with an optional
/// port, at most one `#`, and no `.` at the start of a path segment (so no dot segments for
/// resolution to remove). Anything else goes to oxiri.
#[cfg(test)]
fn is_plain_absolute_iri(iri: &[u8]) -> bool {
    plain_scheme_and_authority(iri).is_some_and(|(from, _)| is_plain_rest(iri, from))
}

/// The scheme and authority part of [`is_plain_absolute_iri`]: where the path starts, and
/// whether there was an authority.
fn plain_scheme_and_authority(iri: &[u8]) -> Option<(usize, bool)> {
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
fn plain_rest_to_close(b: &[u8], mut i: usize) -> Option<usize> {
    let mut in_path = true;
    let mut seen_hash = false;
    loop {
        let at = find_special_iri_byte(b, i)?;
        match b[at] {
            b'>' => return Some(at),
            b'.' => {
                if in_path && b[at - 1] == b'/' {
                    return None;
                }
            }
            b'?' => in_path = false,
            b'#' => {
                if seen_hash {
                    return None;
                }
                seen_hash = true;
                in_path = false;
            }
            b'%' => {
                if !(b.get(at + 1)?.is_ascii_hexdigit() && b.get(at + 2)?.is_ascii_hexdigit()) {
                    return None;
                }
                i = at + 3;
                continue;
            }
            _ => return None,
        }
        i = at + 1;
    }
}

/// The path, query and fragment part of [`is_plain_absolute_iri`], from `i` on.
fn is_plain_rest(iri: &[u8], mut i: usize) -> bool {
    let n = iri.len();
    let mut in_path = true;
    let mut seen_hash = false;
    while let Some(at) = find_special_iri_byte(iri, i) {
        i = at;
        match iri[i] {
            b'.' => {
                if in_path && iri[i - 1] == b'/' {
                    return false;
                }
            }
            b'?' => in_path = false,
            b'#' => {
                if seen_hash {
                    return false;
                }
                seen_hash = true;
                in_path = false;
            }
            b'%' => {
                if !(i + 2 < n && iri[i + 1].is_ascii_hexdigit() && iri[i + 2].is_ascii_hexdigit())
                {
                    return false;
                }
                i += 2;
            }
            _ => return false,
        }
        i += 1;
    }
    true
}

/// [`IRI_CLASS`] bit: may follow the first letter of a scheme.
const SCHEME: u8 = 1;
/// [`IRI_CLASS`] bit: an unreserved character, which a host name may hold.
const HOST: u8 = 2;
const IRI_CLASS: [u8; 256] = {
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
fn is_special_iri_byte(b: u8) -> bool {
    matches!(b, b'.' | b'?' | b'#' | b'%' | b'[' | b']') || b >= 0x7F || is_forbidden_iri_byte(b)
}

/// Offset of the first [`is_special_iri_byte`] of `bytes` from `from` on (a vector scan, as
/// for the N-Triples IRI scan).
#[inline(always)]
fn find_special_iri_byte(bytes: &[u8], from: usize) -> Option<usize> {
    find_first_stop(bytes, from, is_special_iri_byte, b'a')
}

/// The reader's label for the statement's `k`th anonymous node: the counter's next value at
/// its first appearance (`numbers[k]`, 0 until then), under a fresh random key, as oxttl's
/// `BlankNode::default()` has, so that no label in the document can collide with it.
fn anonymous_label_text(
    counters: &mut HashMap<u128, u64>,
    numbers: &mut [u64],
    k: u32,
    out: &mut String,
) {
    let number = &mut numbers[k as usize];
    if *number == 0 {
        let key = BlankNode::default()
            .as_ref()
            .unique_id()
            .expect("a default blank node has a numeric id");
        *number = counters.len() as u64 + 1;
        counters.insert(key, *number);
    }
    out.clear();
    let _ = write!(out, "{:x}", *number);
}

/// The reader's label for blank node label `label`: as written, unless oxrdf reads it as a
/// number, in which case the counter's (see the parent module).
pub(super) fn blank_label_text(counters: &mut HashMap<u128, u64>, label: &str, out: &mut String) {
    out.clear();
    match BlankNodeRef::new_unchecked(label).unique_id() {
        Some(id) => {
            let next = counters.len() as u64 + 1;
            let n = *counters.entry(id).or_insert(next);
            let _ = write!(out, "{n:x}");
        }
        None => out.push_str(label),
    }
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
