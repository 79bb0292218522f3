//! Repeats within a chunk: each term that equals an earlier term of its chunk is marked with
//! that term's number, so the thread that consumes the chunk works a distinct term out once
//! and copies the result for its repeats (the pipeline looks each distinct term of a chunk up
//! in its dictionary once). Marked where the chunk is parsed, on a worker thread, from the
//! hash `prepare` computed there; nothing depends on what the consumer has seen, so the marks
//! (and the ids given in input order) do not depend on the schedule.
//!
//! The table is open addressing over the chunk's terms, keyed by their prepared hash; a key
//! match is confirmed by comparing the terms themselves, so terms whose hashes are equal but
//! whose texts differ stay apart. Slots carry the number of the chunk they were written for,
//! so a new chunk starts with no clearing. Each parsing thread keeps one table, reused from
//! chunk to chunk (so it stays in that core's cache), grown only for a chunk with more triples
//! than any before it.

use super::pieces::TripleSpans;

/// Where a term stands among the distinct terms of its chunk, numbered from 0 in order of
/// first appearance; see [`MarkRepeats`]. [`Repeat::UNMARKED`] by default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Repeat(u32);

impl Default for Repeat {
    fn default() -> Self {
        Self::UNMARKED
    }
}

/// The bit that tells a first appearance from a repeat.
const FIRST: u32 = 1 << 31;

impl Repeat {
    /// Not marked: the term is to be worked out on its own (repeats are not marked with one
    /// thread, nor for Turtle, nor for terms whose [`MarkRepeats::repeat_key`] is `None`).
    pub const UNMARKED: Repeat = Repeat(u32::MAX);

    /// The number of a term seen for the first time in its chunk.
    fn first(number: u32) -> Self {
        Repeat(number | FIRST)
    }

    /// The number of the earlier, equal term a repeat stands for.
    fn again(number: u32) -> Self {
        Repeat(number)
    }

    /// `Some(n)` when this is the first appearance of distinct term `n` of the chunk: keep
    /// what it comes to, its repeats will ask for it.
    #[inline(always)]
    pub fn first_number(self) -> Option<usize> {
        // One compare: a repeat's number wraps to `FIRST` or beyond, `UNMARKED` to `FIRST - 1`.
        let number = self.0.wrapping_sub(FIRST);
        (number < FIRST - 1).then_some(number as usize)
    }

    /// `Some(n)` when the term equals distinct term `n` of the chunk, which came earlier.
    #[inline(always)]
    pub fn repeat_of(self) -> Option<usize> {
        (self.0 & FIRST == 0).then_some(self.0 as usize)
    }
}

/// What `prepare` makes of a term, when the reader is to mark repeats
/// ([`TripleReader::try_for_each_marked_triple_looking_ahead`]): the key they are found by.
///
/// [`TripleReader::try_for_each_marked_triple_looking_ahead`]: crate::ingest::TripleReader::try_for_each_marked_triple_looking_ahead
pub trait MarkRepeats {
    /// A hash of the term (equal terms give equal keys), or `None` for a term not worth
    /// marking (one as cheap to work out as to copy).
    fn repeat_key(&self) -> Option<u64>;
}

/// One slot: a distinct term of the chunk numbered `chunk`.
#[derive(Clone, Copy, Default)]
struct Slot {
    key: u64,
    /// The chunk this slot was written for; 0 never is one, so a new table is empty.
    chunk: u32,
    /// The term's number among the chunk's distinct terms.
    number: u32,
    /// Where it first appears: triple index * 4 + position (0 subject, 1 predicate, 2 object).
    at: u32,
}

/// The table that marks a chunk's repeats: one a parsing thread, reused.
#[derive(Default)]
pub(crate) struct RepeatTable {
    slots: Vec<Slot>,
    /// The number of the chunk being marked (the slots of others are free).
    chunk: u32,
}

impl RepeatTable {
    /// Marks each term of the chunk's triples (`prepared`: what `prepare` made of their
    /// terms) as the first appearance of a distinct term or a repeat of an earlier one, in
    /// `marks` (one entry a triple; a term without a key stays [`Repeat::UNMARKED`]).
    pub(crate) fn mark<H: MarkRepeats>(
        &mut self,
        text: &str,
        triples: &[TripleSpans],
        prepared: &[[H; 3]],
        marks: &mut Vec<[Repeat; 3]>,
    ) {
        marks.clear();
        // Numbers stay below `FIRST` (never with chunks of a usual size); beyond that the
        // chunk is left unmarked.
        if triples.len() >= 1 << 29 {
            return;
        }
        marks.resize(triples.len(), [Repeat::UNMARKED; 3]);
        // Under half full however many terms are distinct.
        let wanted = (triples.len() * 6).next_power_of_two().max(16);
        if self.slots.len() < wanted {
            self.slots = vec![Slot::default(); wanted];
            self.chunk = 0;
        }
        self.chunk = match self.chunk.checked_add(1) {
            Some(chunk) => chunk,
            None => {
                self.slots.fill(Slot::default());
                1
            }
        };
        let chunk = self.chunk;
        let mask = self.slots.len() - 1;
        let shift = 64 - self.slots.len().trailing_zeros();
        let mut distinct = 0u32;
        let bytes = text.as_bytes();
        for (index, ((spans, hashes), marks)) in triples
            .iter()
            .zip(prepared)
            .zip(marks.iter_mut())
            .enumerate()
        {
            for (position, (hash, mark)) in hashes.iter().zip(marks.iter_mut()).enumerate() {
                let Some(key) = hash.repeat_key() else {
                    continue;
                };
                // The key's high bits pick the slot (a keyed hash: every bit is mixed).
                let mut slot = (key >> shift) as usize;
                loop {
                    let found = &mut self.slots[slot];
                    if found.chunk != chunk {
                        *found = Slot {
                            key,
                            chunk,
                            number: distinct,
                            at: (index * 4 + position) as u32,
                        };
                        *mark = Repeat::first(distinct);
                        distinct += 1;
                        break;
                    }
                    if found.key == key {
                        let (first, first_position) = (found.at / 4, found.at % 4);
                        let first = &triples[first as usize];
                        if spans.same_term(position, first, first_position as usize, bytes) {
                            *mark = Repeat::again(found.number);
                            break;
                        }
                    }
                    slot = (slot + 1) & mask;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_and_repeat_numbers_read_back() {
        assert_eq!(Repeat::first(0).first_number(), Some(0));
        assert_eq!(Repeat::first(0).repeat_of(), None);
        assert_eq!(Repeat::again(7).repeat_of(), Some(7));
        assert_eq!(Repeat::again(7).first_number(), None);
        assert_eq!(Repeat::UNMARKED.first_number(), None);
        assert_eq!(Repeat::UNMARKED.repeat_of(), None);
    }
}
