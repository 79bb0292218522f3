//! A parsed triple handed out as it lies in its chunk: each term is read from the chunk's
//! text only when asked for, so a consumer that needs only some of them (the pipeline skips
//! the terms marked as [repeats](super::repeats)) does not slice the text for the others.

use super::pieces::TripleSpans;
use super::repeats::Repeat;
use crate::ingest::{Term, Triple};

/// A triple as parsed: its terms are read from the parser's text when asked for (for
/// N-Triples read in chunks), or were read already (Turtle). The terms are those of
/// [`ParsedTriple::triple`] either way. With the [marks](ParsedTriple::repeats) of the
/// terms that repeat earlier ones of their chunk, where the read made them.
#[derive(Clone, Copy, Debug)]
pub struct ParsedTriple<'a> {
    terms: Parsed<'a>,
    repeats: [Repeat; 3],
}

#[derive(Clone, Copy, Debug)]
enum Parsed<'a> {
    /// Ranges of a chunk's text.
    Spans(&'a TripleSpans, &'a str),
    Terms(Triple<'a>),
}

impl<'a> ParsedTriple<'a> {
    /// The triple at `spans` of `text`, its terms marked with `repeats`.
    #[inline(always)]
    pub(crate) fn in_text(spans: &'a TripleSpans, text: &'a str, repeats: [Repeat; 3]) -> Self {
        Self {
            terms: Parsed::Spans(spans, text),
            repeats,
        }
    }

    /// Where the subject, predicate and object stand among the distinct terms of their
    /// chunk: each the first appearance of a distinct term, a repeat of an earlier one, or
    /// [`Repeat::UNMARKED`].
    #[inline(always)]
    pub fn repeats(self) -> [Repeat; 3] {
        self.repeats
    }

    /// The subject.
    #[inline(always)]
    pub fn subject(self) -> Term<'a> {
        match self.terms {
            Parsed::Spans(spans, text) => spans.subject(text),
            Parsed::Terms(triple) => triple.subject,
        }
    }

    /// The predicate.
    #[inline(always)]
    pub fn predicate(self) -> Term<'a> {
        match self.terms {
            Parsed::Spans(spans, text) => spans.predicate(text),
            Parsed::Terms(triple) => triple.predicate,
        }
    }

    /// The object.
    #[inline(always)]
    pub fn object(self) -> Term<'a> {
        match self.terms {
            Parsed::Spans(spans, text) => spans.object(text),
            Parsed::Terms(triple) => triple.object,
        }
    }

    /// The three terms.
    #[inline(always)]
    pub fn triple(self) -> Triple<'a> {
        match self.terms {
            Parsed::Spans(spans, text) => spans.resolve(text),
            Parsed::Terms(triple) => triple,
        }
    }
}

impl<'a> From<Triple<'a>> for ParsedTriple<'a> {
    fn from(triple: Triple<'a>) -> Self {
        Self {
            terms: Parsed::Terms(triple),
            repeats: [Repeat::UNMARKED; 3],
        }
    }
}
