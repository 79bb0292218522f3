//! The hot path's unit of work: up to 8 dictionary-encoded triples of one predicate run, in a
//! pooled, cache-line-aligned Structure-of-Arrays block.
//!
//! Within a run every triple has the same predicate, so the hot block ([`RunTripleLanes`])
//! stores it once, with `#[soa(per_block)]`: the predicate and the length share the block's
//! first cache line, the subject lanes fill the second and the object lanes the third (192
//! bytes). A kernel that matches subjects reads two lines; an array of structs holding the same
//! 8 triples spans three.
//!
//! [`EncodedTripleLanes`] keeps one predicate per lane, for triples of mixed predicates; the
//! kernels take it too, and [`RunTripleLanes::record_into`] builds it from a hot block.
//! Receipts do not need it: they hash a hot block's lanes once, into its
//! [`crate::provenance::receipt::BlockDigest`].

use lanepool::SoA;

/// One triple as three dictionary ids (see [`crate::dictionary::TermId`]): what ingest stages,
/// what actions emit, and a row of the receipts' record.
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

/// One triple of a predicate run: the row of the hot block, whose predicate is per block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, SoA)]
#[soa(lanes = 8, align = 64)]
pub struct RunTriple {
    /// Subject id.
    pub s: u64,
    /// Predicate id, shared by every triple of the block.
    #[soa(per_block)]
    pub p: u64,
    /// Object id.
    pub o: u64,
}

impl From<EncodedTriple> for RunTriple {
    #[inline]
    fn from(EncodedTriple { s, p, o }: EncodedTriple) -> Self {
        RunTriple { s, p, o }
    }
}

impl From<RunTriple> for EncodedTriple {
    #[inline]
    fn from(RunTriple { s, p, o }: RunTriple) -> Self {
        EncodedTriple { s, p, o }
    }
}

impl RunTripleLanes {
    /// Rewrites `record` to hold this block's triples, one predicate per lane.
    pub fn record_into(&self, record: &mut EncodedTripleLanes) {
        record.clear();
        let (subjects, objects) = (self.s_lanes(), self.o_lanes());
        let predicate = *self.p();
        for lane in 0..self.len() {
            let triple = EncodedTriple {
                s: subjects[lane],
                p: predicate,
                o: objects[lane],
            };
            // Both blocks have HOT_LANES lanes, so this never refuses.
            let _ = record.push(triple);
        }
    }
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
            `RunTripleLanes`, which splits longer runs across blocks"
)]
pub trait HotBlock {
    /// Every subject lane, active or not.
    fn subjects(&self) -> &[u64; HOT_LANES];
    /// The predicate values the block stores: one per block for [`RunTripleLanes`], one per
    /// lane for [`EncodedTripleLanes`]. Index 0 is the run's predicate.
    fn predicates(&self) -> &[u64];
    /// Every object lane, active or not.
    fn objects(&self) -> &[u64; HOT_LANES];
    /// Bit `i` set for each active lane `i`.
    fn lane_mask(&self) -> u64;
    /// [`lane_mask`](Self::lane_mask) when `matched` has a lane; anything when it has none
    /// (so `matched & lane_mask_if_any(matched)` is always `matched & lane_mask()`). A kernel
    /// computes its match from the lanes first: a block none of whose lanes match, active or
    /// not, need not have its length fetched.
    #[inline]
    fn lane_mask_if_any(&self, matched: u64) -> u64 {
        let _ = matched;
        self.lane_mask()
    }
}

impl HotBlock for RunTripleLanes {
    #[inline]
    fn subjects(&self) -> &[u64; HOT_LANES] {
        self.s_lanes()
    }
    #[inline]
    fn predicates(&self) -> &[u64] {
        core::slice::from_ref(self.p())
    }
    #[inline]
    fn objects(&self) -> &[u64; HOT_LANES] {
        self.o_lanes()
    }
    #[inline]
    fn lane_mask(&self) -> u64 {
        // len <= 8, so the shift never reaches 64 (one instruction, no range check).
        !(u64::MAX << (self.len() & 63))
    }
    #[inline]
    fn lane_mask_if_any(&self, matched: u64) -> u64 {
        // The length shares the first line with the predicate, which kernels do not read:
        // with no lane matched, the length is read from a static (in L1) instead. (`len` is
        // the derived block's own field, private to this module, where the derive expands:
        // the choice needs its address, which `len()` does not give.)
        static NO_LANES: usize = 0;
        let len = *crate::arch::select_address(matched, &self.len, &NO_LANES);
        !(u64::MAX << (len & 63))
    }
}

impl HotBlock for EncodedTripleLanes {
    #[inline]
    fn subjects(&self) -> &[u64; HOT_LANES] {
        self.s_lanes()
    }
    #[inline]
    fn predicates(&self) -> &[u64] {
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

/// Groups a batch into predicate runs without allocating: the runs in predicate-id order, each
/// run's triples in batch order. The result is exactly `batch.sort_by_key(|t| t.p)`'s (a
/// stable sort).
///
/// Nothing downstream needs an order inside a run: every kernel matches lane by lane and a
/// hook's result is a count, so that order only decides which triples share a block, and the
/// batch's own order (input order: ids are issued in input order whatever the thread count) is
/// as deterministic as any. (Up to lockchain version 2, each run was also sorted by `(s, o)`.)
///
/// A batch has few distinct predicates, so one counting pass looks each triple's predicate up
/// in a small table (at most [`PREDICATE_TABLE_MAX`] predicates; its 2.5 KiB stay in L1), the
/// predicates are ordered, and a second pass moves each triple to its run's place in
/// `scratch`: the batch is read twice and written once, whatever the predicate ids. A batch
/// with more distinct predicates is grouped by stable radix passes on the bytes in which its
/// predicate ids differ: the same order. `scratch` must have at least `batch.len()` capacity;
/// the two vectors may be swapped (both keep their capacities).
pub fn group_into_runs(batch: &mut Vec<RunTriple>, scratch: &mut Vec<RunTriple>) {
    let Some(first) = batch.first() else {
        return;
    };
    debug_assert!(
        scratch.capacity() >= batch.len(),
        "scratch sized with the batch"
    );
    // Grown once to the batch size; not cleared, so later batches do not rewrite it.
    scratch.resize(batch.len(), RunTriple::default());
    if group_by_predicate(batch, scratch) {
        std::mem::swap(batch, scratch);
    } else {
        let differing = batch.iter().fold(0, |bits, t| bits | (t.p ^ first.p));
        for shift in byte_shifts(differing) {
            radix_pass(batch, scratch, |t| t.p >> shift);
            std::mem::swap(batch, scratch);
        }
    }
}

/// Most distinct predicates [`group_into_runs`] groups with its table; a batch with more is
/// grouped by radix passes on the predicate.
pub const PREDICATE_TABLE_MAX: usize = 64;
/// Slots of the predicate table: twice the most predicates, so probes stay short.
const PREDICATE_SLOTS: usize = 2 * PREDICATE_TABLE_MAX;

/// The slot of `p` in an open-addressed table of [`PREDICATE_SLOTS`] (Fibonacci hashing,
/// linear probing): the slot holding `p`, or the empty one where it goes.
#[inline]
fn predicate_slot(keys: &[u64; PREDICATE_SLOTS], used: &[bool; PREDICATE_SLOTS], p: u64) -> usize {
    let mut slot = (p.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 57) as usize;
    while used[slot] && keys[slot] != p {
        slot = (slot + 1) % PREDICATE_SLOTS;
    }
    slot
}

/// Moves `batch`'s triples into `scratch` grouped by predicate, runs in predicate order, each
/// run in batch order; `false` (and `scratch` untouched) when the batch has more than
/// [`PREDICATE_TABLE_MAX`] distinct predicates.
fn group_by_predicate(batch: &[RunTriple], scratch: &mut [RunTriple]) -> bool {
    let mut keys = [0u64; PREDICATE_SLOTS];
    let mut used = [false; PREDICATE_SLOTS];
    let mut next = [0usize; PREDICATE_SLOTS];
    let mut distinct = 0;
    for t in batch {
        let slot = predicate_slot(&keys, &used, t.p);
        if !used[slot] {
            if distinct == PREDICATE_TABLE_MAX {
                return false;
            }
            used[slot] = true;
            keys[slot] = t.p;
            distinct += 1;
        }
        next[slot] += 1;
    }
    // The runs' places: predicates in id order, each run after the smaller ones.
    let mut order = [(0u64, 0usize); PREDICATE_TABLE_MAX];
    for (filled, slot) in (0..PREDICATE_SLOTS).filter(|&slot| used[slot]).enumerate() {
        order[filled] = (keys[slot], slot);
    }
    order[..distinct].sort_unstable();
    let mut total = 0;
    for &(_, slot) in &order[..distinct] {
        let count = next[slot];
        next[slot] = total;
        total += count;
    }
    for t in batch {
        let slot = &mut next[predicate_slot(&keys, &used, t.p)];
        scratch[*slot] = *t;
        *slot += 1;
    }
    true
}

/// The shifts (0, 8, .., 56) of the bytes in which `differing` has a set bit.
fn byte_shifts(differing: u64) -> impl Iterator<Item = u32> {
    (0..u64::BITS)
        .step_by(8)
        .filter(move |shift| (differing >> shift) & 0xFF != 0)
}

/// One stable counting pass from `from` into `to` on the low byte of `key`.
#[inline]
fn radix_pass(from: &[RunTriple], to: &mut [RunTriple], key: impl Fn(&RunTriple) -> u64) {
    let digit = |t: &RunTriple| (key(t) & 0xFF) as usize;
    let mut next = [0usize; 256];
    for t in from {
        next[digit(t)] += 1;
    }
    let mut total = 0;
    for slot in &mut next {
        let count = *slot;
        *slot = total;
        total += count;
    }
    for t in from {
        let slot = &mut next[digit(t)];
        to[*slot] = *t;
        *slot += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hot_block_is_three_cache_lines_with_lanes_on_lines_two_and_three() {
        assert_eq!(core::mem::size_of::<RunTripleLanes>(), 192);
        assert_eq!(core::mem::align_of::<RunTripleLanes>(), 64);
        assert_eq!(core::mem::offset_of!(RunTripleLanes, s), 64);
        assert_eq!(core::mem::offset_of!(RunTripleLanes, o), 128);
    }

    #[test]
    fn record_into_repeats_the_predicate_in_every_lane() {
        let mut block = RunTripleLanes::new();
        block.push(RunTriple { s: 1, p: 9, o: 2 }).unwrap();
        block.push(RunTriple { s: 3, p: 9, o: 4 }).unwrap();
        let mut record = EncodedTripleLanes::new();
        record.push(EncodedTriple { s: 7, p: 7, o: 7 }).unwrap();
        block.record_into(&mut record);
        assert_eq!(
            record.iter().collect::<Vec<_>>(),
            [
                EncodedTriple { s: 1, p: 9, o: 2 },
                EncodedTriple { s: 3, p: 9, o: 4 }
            ]
        );
    }

    #[test]
    fn group_into_runs_gives_the_order_of_a_stable_sort_by_predicate() {
        let mut rng = crate::generate::SplitMix64::new(0x9e37_79b9_7f4a_7c15);
        let mut next = move || rng.next_u64();
        // (predicates per batch, how far apart their ids are): one predicate, a few close
        // ones, ids differing in high bytes and tags, the most the table groups, one more
        // (the radix passes), and every triple its own predicate.
        for (predicates, spread) in [
            (1, 1),
            (3, 1),
            (12, 1 << 20),
            (40, u64::MAX),
            (64, u64::MAX),
            (65, u64::MAX),
            (4096, 7),
        ] {
            let ids: Vec<u64> = (0..predicates)
                .map(|_| (1 << 60) | (next() % spread.max(1)))
                .collect();
            for len in [0, 1, 2, 7, 100, 4096] {
                // Subjects number the triples, so any reordering within a run shows.
                let mut batch: Vec<RunTriple> = (0..len)
                    .map(|at| RunTriple {
                        s: at as u64,
                        p: ids[next() as usize % ids.len()],
                        o: next() % 3,
                    })
                    .collect();
                let mut expected = batch.clone();
                expected.sort_by_key(|t| t.p);
                let mut scratch = Vec::with_capacity(len);
                group_into_runs(&mut batch, &mut scratch);
                assert_eq!(batch, expected, "{predicates} predicates, {len} triples");
            }
        }
    }
}
