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
//! checking beyond a byte scan (see `iri.rs`) and without dot segments is
//! kept as written, which is what oxiri's validation and resolution give for it; any other
//! IRI goes through oxiri exactly as oxttl sends it (resolved against the base if there is
//! one, else validated). A prefixed name is the prefix's IRI followed by the local part,
//! validated by oxiri when oxttl validates it.
//!
//! # Files, in the order data flows
//! - `cursor.rs`: the statement's bytes and the small tokens (space, comments, the final
//!   `.`, blank node labels, keywords).
//! - `statement.rs`: the statement grammar: subject, verbs, objects, `[ ... ]` nodes.
//! - `iri.rs`: IRIs and prefixed names, and the plain-IRI check that skips oxiri.
//! - `literal.rs`: strings, language tags, datatypes, numbers.
//! - `directive.rs`: a prefix or base taken from a directive's text, after oxttl read it.
//! - this file: the parsed triples, emitted with their blank node labels.

mod cursor;
mod directive;
mod iri;
mod literal;
mod statement;

use std::collections::HashMap;

use oxiri::Iri;

use self::cursor::Cursor;
use self::iri::AUTHORITY_CACHE_BYTES;
use super::blank_labels::{anonymous_label_text, blank_label_text};
use crate::ingest::term::{Literal, Term, Triple};

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
}
