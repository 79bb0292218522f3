//! The hot path's unit of work: 8 dictionary-encoded triples of one predicate run, laid out as
//! a cache-line-aligned Structure-of-Arrays block that lives in a pool.

use lanepool::SoA;

/// One triple as three dictionary ids (see [`crate::dictionary::TermId`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, SoA)]
#[soa(lanes = 8, align = 64)]
pub struct EncodedTriple {
    /// Subject id.
    pub s: u64,
    /// Predicate id.
    pub p: u64,
    /// Object id.
    pub o: u64,
}

/// The lane count of every hot-path block: the Chatman constant.
pub const HOT_LANES: usize = 8;

/// A block the hot-path kernels accept: exactly [`HOT_LANES`] lanes of encoded triples.
///
/// The lane arrays are typed `[u64; 8]`, so a block with more lanes cannot implement it and a
/// kernel call on one does not compile: runs never exceed 8 lanes on the hot path.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a hot-path block: kernels take blocks of at most 8 lanes",
    label = "not an 8-lane block of encoded triples",
    note = "the hot path keeps every run within 8 lanes (the Chatman constant); load runs into \
            `EncodedTripleLanes`, which splits longer runs across blocks"
)]
pub trait HotBlock {
    /// Every subject lane, active or not.
    fn subjects(&self) -> &[u64; HOT_LANES];
    /// Every predicate lane, active or not.
    fn predicates(&self) -> &[u64; HOT_LANES];
    /// Every object lane, active or not.
    fn objects(&self) -> &[u64; HOT_LANES];
    /// Bit `i` set for each active lane `i`.
    fn lane_mask(&self) -> u64;
}

impl HotBlock for EncodedTripleLanes {
    #[inline]
    fn subjects(&self) -> &[u64; HOT_LANES] {
        self.s_lanes()
    }
    #[inline]
    fn predicates(&self) -> &[u64; HOT_LANES] {
        self.p_lanes()
    }
    #[inline]
    fn objects(&self) -> &[u64; HOT_LANES] {
        self.o_lanes()
    }
    #[inline]
    fn lane_mask(&self) -> u64 {
        self.active_mask()
    }
}

/// Sorts a batch into predicate runs, in `(p, s, o)` order, without allocating: a stable
/// radix sort on the predicate (one counting pass per byte in which the batch's predicate
/// ids differ; a batch has few predicates, so usually one or two passes), then each run
/// sorted by `(s, o)` as one `u128` key. `scratch` must have at least `batch.len()`
/// capacity; the two vectors may be swapped (both keep their capacities).
///
/// The order is exactly `batch.sort_unstable_by_key(|t| (t.p, t.s, t.o))`'s (equal keys are
/// equal triples), so which triples share a block, and every receipt, is unchanged.
pub fn sort_into_runs(batch: &mut Vec<EncodedTriple>, scratch: &mut Vec<EncodedTriple>) {
    let Some(first) = batch.first() else {
        return;
    };
    let differing = batch.iter().fold(0, |bits, t| bits | (t.p ^ first.p));
    if differing != 0 {
        debug_assert!(
            scratch.capacity() >= batch.len(),
            "scratch sized with the batch"
        );
        scratch.clear();
        scratch.resize(batch.len(), EncodedTriple::default());
        for shift in (0..u64::BITS).step_by(8) {
            if (differing >> shift) & 0xFF == 0 {
                continue;
            }
            let digit = |t: &EncodedTriple| ((t.p >> shift) & 0xFF) as usize;
            let mut next = [0usize; 256];
            for t in batch.iter() {
                next[digit(t)] += 1;
            }
            let mut total = 0;
            for slot in &mut next {
                let count = *slot;
                *slot = total;
                total += count;
            }
            for t in batch.iter() {
                let slot = &mut next[digit(t)];
                scratch[*slot] = *t;
                *slot += 1;
            }
            std::mem::swap(batch, scratch);
        }
    }
    for run in batch.chunk_by_mut(|a, b| a.p == b.p) {
        run.sort_unstable_by_key(|t| u128::from(t.s) << 64 | u128::from(t.o));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sort_into_runs_gives_the_p_s_o_order_of_a_comparison_sort() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        // (predicates per batch, how far apart their ids are): one predicate, a few close
        // ones, ids differing in high bytes and tags, and every triple its own predicate.
        for (predicates, spread) in [(1, 1), (3, 1), (12, 1 << 20), (40, u64::MAX), (4096, 7)] {
            let ids: Vec<u64> = (0..predicates)
                .map(|_| (1 << 60) | (next() % spread.max(1)))
                .collect();
            for len in [0, 1, 2, 7, 100, 4096] {
                let mut batch: Vec<EncodedTriple> = (0..len)
                    .map(|_| EncodedTriple {
                        s: next() % 50,
                        p: ids[next() as usize % ids.len()],
                        o: next() % 3 * (1 << 59) + next() % 4,
                    })
                    .collect();
                let mut expected = batch.clone();
                expected.sort_unstable_by_key(|t| (t.p, t.s, t.o));
                let mut scratch = Vec::with_capacity(len);
                sort_into_runs(&mut batch, &mut scratch);
                assert_eq!(batch, expected, "{predicates} predicates, {len} triples");
            }
        }
    }
}
