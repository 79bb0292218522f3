//! A parsed triple as places in its text: what the grammar finds, before anyone borrows it.

use crate::ingest::term::{Literal, Term, Triple};

/// A parsed piece of text: in the line itself, or decoded into the scratch buffer.
#[derive(Clone, Copy)]
pub(super) enum Piece {
    Line(usize, usize),
    Scratch(usize, usize),
}

impl Piece {
    pub(super) fn resolve<'a>(self, line: &'a str, scratch: &'a str) -> &'a str {
        match self {
            Piece::Line(a, b) => &line[a..b],
            Piece::Scratch(a, b) => &scratch[a..b],
        }
    }
}

/// An object's pieces: its value, and a literal's language tag or datatype.
#[derive(Clone, Copy)]
pub(super) enum ObjectPiece {
    Iri(Piece),
    Blank(Piece),
    Simple(Piece),
    Lang(Piece, Piece),
    Typed(Piece, Piece),
}

/// A parsed triple as places in its line (or chunk) and in the scratch buffer.
#[derive(Clone, Copy)]
pub(crate) struct TriplePieces {
    /// `Ok(iri)` or `Err(blank node label)`.
    pub(super) subject: Result<Piece, Piece>,
    pub(super) predicate: Piece,
    pub(super) object: ObjectPiece,
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
            object: self.object.term(r),
        }
    }
}

impl ObjectPiece {
    /// The object as a term, its pieces read by `r`.
    #[inline(always)]
    pub(super) fn term<'a>(self, r: impl Fn(Piece) -> &'a str) -> Term<'a> {
        match self {
            ObjectPiece::Iri(iri) => Term::Iri(r(iri)),
            ObjectPiece::Blank(label) => Term::BlankNode(r(label)),
            ObjectPiece::Simple(value) => Term::Literal(Literal::simple(r(value))),
            ObjectPiece::Lang(value, lang) => {
                Term::Literal(Literal::lang_tagged(r(value), r(lang)))
            }
            ObjectPiece::Typed(value, datatype) => {
                Term::Literal(Literal::typed(r(value), r(datatype)))
            }
        }
    }
}

/// A parsed triple as byte ranges into one text: its chunk's text, with the chunk's decoded
/// escapes appended after it (see [`TriplePieces::spans`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

/// A byte range `(start, end)` of a chunk's text.
type Range = (usize, usize);

impl TripleSpans {
    /// A triple with an IRI object, every range in the text (the fast path's).
    pub(super) fn iri_object(subject: Range, predicate: Range, object: Range) -> Self {
        Self::in_text([subject, predicate, object, (0, 0)], OBJECT_IRI)
    }

    /// A triple with a simple literal object, every range in the text.
    pub(super) fn simple_object(subject: Range, predicate: Range, value: Range) -> Self {
        Self::in_text([subject, predicate, value, (0, 0)], OBJECT_SIMPLE)
    }

    /// A triple with a language-tagged literal object, every range in the text.
    pub(super) fn lang_object(subject: Range, predicate: Range, value: Range, tag: Range) -> Self {
        Self::in_text([subject, predicate, value, tag], OBJECT_LANG)
    }

    /// A triple with a datatyped literal object, every range in the text.
    pub(super) fn typed_object(
        subject: Range,
        predicate: Range,
        value: Range,
        datatype: Range,
    ) -> Self {
        Self::in_text([subject, predicate, value, datatype], OBJECT_TYPED)
    }

    /// IRI subject, ranges all in the text.
    #[inline(always)]
    fn in_text(ranges: [Range; 4], object_kind: u8) -> Self {
        Self {
            ranges,
            shape: object_kind << 1,
            in_scratch: 0,
        }
    }

    /// Moves the ranges in the scratch buffer by `scratch_base` (for spans made with 0).
    pub(crate) fn rebase_scratch(&mut self, scratch_base: usize) {
        for (i, range) in self.ranges.iter_mut().enumerate() {
            if self.in_scratch & (1 << i) != 0 {
                *range = (range.0 + scratch_base, range.1 + scratch_base);
            }
        }
    }

    /// Whether the term at `position` (0 subject, 1 predicate, 2 object) is, byte for byte
    /// and of the same kind, the term at `other_position` of `other`, both in `text`. Terms
    /// written differently but equal in RDF (`"a"` and `"a"^^xsd:string`) are told apart.
    #[inline(always)]
    pub(crate) fn same_term(
        &self,
        position: usize,
        other: &TripleSpans,
        other_position: usize,
        text: &[u8],
    ) -> bool {
        let kind = |spans: &TripleSpans, position: usize| match position {
            // `OBJECT_IRI` and `OBJECT_BLANK` are a subject's kinds too.
            0 => spans.shape & 1,
            1 => OBJECT_IRI,
            _ => spans.shape >> 1,
        };
        let bytes = |(start, end): Range| text.get(start..end);
        let kind_here = kind(self, position);
        kind_here == kind(other, other_position)
            && bytes(self.ranges[position]) == bytes(other.ranges[other_position])
            && (kind_here < OBJECT_LANG || bytes(self.ranges[3]) == bytes(other.ranges[3]))
    }

    /// The text of range `i`.
    #[inline(always)]
    fn range<'a>(&self, text: &'a str, i: usize) -> &'a str {
        &text[self.ranges[i].0..self.ranges[i].1]
    }

    /// The subject, read from `text`.
    #[inline(always)]
    pub(crate) fn subject<'a>(&self, text: &'a str) -> Term<'a> {
        if self.shape & 1 != 0 {
            Term::BlankNode(self.range(text, 0))
        } else {
            Term::Iri(self.range(text, 0))
        }
    }

    /// The predicate, read from `text`.
    #[inline(always)]
    pub(crate) fn predicate<'a>(&self, text: &'a str) -> Term<'a> {
        Term::Iri(self.range(text, 1))
    }

    /// The object, read from `text`.
    #[inline(always)]
    pub(crate) fn object<'a>(&self, text: &'a str) -> Term<'a> {
        let r = |i: usize| self.range(text, i);
        match self.shape >> 1 {
            OBJECT_IRI => Term::Iri(r(2)),
            OBJECT_BLANK => Term::BlankNode(r(2)),
            OBJECT_SIMPLE => Term::Literal(Literal::simple(r(2))),
            OBJECT_LANG => Term::Literal(Literal::lang_tagged(r(2), r(3))),
            _ => Term::Literal(Literal::typed(r(2), r(3))),
        }
    }

    /// The triple, read from `text`: the three terms as [`Self::subject`],
    /// [`Self::predicate`] and [`Self::object`] read them, written out in one piece (which
    /// LLVM compiles to fewer instructions than the three calls).
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
