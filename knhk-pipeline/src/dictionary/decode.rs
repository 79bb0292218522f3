//! Decoding: a [`TermId`] back to its term, as a borrowed view of the dictionary's text (or
//! an inline value), written as N-Triples.

use std::fmt;

use crate::ingest::{Literal, Term, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER};

use super::id::{DocumentScope, IdTag, TermId, PAYLOAD_BITS, PAYLOAD_MASK};
use super::store::{record_at, Dictionary, LANGUAGE_ENTRY};

impl Dictionary {
    /// The text and `extra` of entry `index`, if it is stored under `tag`.
    fn entry_text(&self, index: u64, tag: u8) -> Option<(&str, u64)> {
        let address = *self.records.get(usize::try_from(index).ok()?)?;
        let record = record_at(&self.arena, address);
        if (record.key >> PAYLOAD_BITS) as u8 != tag {
            return None;
        }
        // Only `&str` text is ever stored, so this never fails.
        let text = std::str::from_utf8(record.text).ok()?;
        Some((text, record.key & PAYLOAD_MASK))
    }

    /// The term of `id`; `None` for an id this dictionary did not issue.
    pub fn decode(&self, id: TermId) -> Option<DecodedTerm<'_>> {
        let tag = id.tag();
        let repr = match tag {
            IdTag::IntegerInline => Repr::Integer(id.inline_integer()?),
            IdTag::BooleanInline => Repr::Term(Term::Literal(Literal::typed(
                if id.payload() != 0 { "true" } else { "false" },
                XSD_BOOLEAN,
            ))),
            _ => {
                let (text, extra) = self.entry_text(id.payload(), tag as u8)?;
                match tag {
                    IdTag::Iri => Repr::Term(Term::Iri(text)),
                    IdTag::BlankNode => Repr::BlankNode {
                        label: text,
                        scope: DocumentScope(extra),
                    },
                    IdTag::SimpleLiteral => Repr::Term(Term::Literal(Literal::simple(text))),
                    IdTag::LangLiteral => {
                        let (language, _) = self.entry_text(extra, LANGUAGE_ENTRY)?;
                        Repr::Term(Term::Literal(Literal::lang_tagged(text, language)))
                    }
                    IdTag::TypedLiteral => {
                        let (datatype, _) = self.entry_text(extra, IdTag::Iri as u8)?;
                        Repr::Term(Term::Literal(Literal::typed(text, datatype)))
                    }
                    IdTag::IntegerStored => {
                        Repr::Term(Term::Literal(Literal::typed(text, XSD_INTEGER)))
                    }
                    IdTag::BooleanStored => {
                        Repr::Term(Term::Literal(Literal::typed(text, XSD_BOOLEAN)))
                    }
                    IdTag::Decimal => Repr::Term(Term::Literal(Literal::typed(text, XSD_DECIMAL))),
                    IdTag::Double => Repr::Term(Term::Literal(Literal::typed(text, XSD_DOUBLE))),
                    IdTag::IntegerInline | IdTag::BooleanInline => return None,
                }
            }
        };
        Some(DecodedTerm { repr })
    }

    /// N-Triples text of `id` (for the emit stage), `None` for an id this dictionary did not
    /// issue. Blank nodes are written `_:d{scope}_{label}`, distinct across documents.
    pub fn display(&self, id: TermId) -> Option<impl fmt::Display + '_> {
        self.decode(id)
    }
}

/// A decoded term: a view of the dictionary's text, or an inline value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodedTerm<'a> {
    repr: Repr<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repr<'a> {
    Term(Term<'a>),
    BlankNode {
        label: &'a str,
        scope: DocumentScope,
    },
    Integer(i64),
}

/// Decimal text of an integer, on the stack (also the dataset generator's number writer).
pub(crate) struct IntegerText {
    /// `u64::MAX` has 20 digits, `i64::MIN` 19 and its sign.
    buf: [u8; 20],
    start: usize,
}

impl IntegerText {
    /// The text of `value`, with a `-` when negative.
    #[inline]
    pub(crate) fn new(value: i64) -> Self {
        let mut text = Self::unsigned(value.unsigned_abs());
        if value < 0 {
            text.start -= 1;
            text.buf[text.start] = b'-';
        }
        text
    }

    /// The text of `magnitude`.
    #[inline]
    pub(crate) fn unsigned(mut magnitude: u64) -> Self {
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        loop {
            start -= 1;
            buf[start] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        Self { buf, start }
    }

    /// The digits (and sign), as bytes.
    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and '-' were written, so this is always valid UTF-8.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl DecodedTerm<'_> {
    /// Calls `f` with the term as a borrowed view. (An inline integer's text lives on the
    /// stack for the call.) A blank node's label is its label within its document; see
    /// [`DecodedTerm::scope`].
    pub fn with_term<T>(&self, f: impl FnOnce(Term<'_>) -> T) -> T {
        match self.repr {
            Repr::Term(term) => f(term),
            Repr::BlankNode { label, .. } => f(Term::BlankNode(label)),
            Repr::Integer(value) => {
                let text = IntegerText::new(value);
                f(Term::Literal(Literal::typed(text.as_str(), XSD_INTEGER)))
            }
        }
    }

    /// The term as a borrowed view, unless it is an inline integer (use
    /// [`DecodedTerm::with_term`] or [`DecodedTerm::inline_integer`] for those).
    pub fn as_borrowed(&self) -> Option<Term<'_>> {
        match self.repr {
            Repr::Term(term) => Some(term),
            Repr::BlankNode { label, .. } => Some(Term::BlankNode(label)),
            Repr::Integer(_) => None,
        }
    }

    /// The value of an inline integer.
    pub fn inline_integer(&self) -> Option<i64> {
        match self.repr {
            Repr::Integer(value) => Some(value),
            _ => None,
        }
    }

    /// The document a blank node belongs to.
    pub fn scope(&self) -> Option<DocumentScope> {
        match self.repr {
            Repr::BlankNode { scope, .. } => Some(scope),
            _ => None,
        }
    }
}

/// N-Triples syntax; blank nodes as `_:d{scope}_{label}` so documents do not merge.
impl fmt::Display for DecodedTerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr {
            Repr::BlankNode { label, scope } => write!(f, "_:d{}_{}", scope.0, label),
            _ => self.with_term(|term| term.write_ntriples(f)),
        }
    }
}
