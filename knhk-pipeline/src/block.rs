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
//! [`crate::receipt::BlockDigest`].

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

/// Sorts a batch into predicate runs, in `(p, s, o)` order, without allocating.
///
/// First the batch is grouped by predicate: a batch has few distinct predicates, so one
/// counting pass looks each triple's predicate up in a small table (at most
/// [`PREDICATE_TABLE_MAX`] predicates; its 2.5 KiB stay in L1), the predicates are ordered,
/// and a second pass moves each triple to its run's place in `scratch`: the batch is read
/// twice and written once, whatever the predicate ids. A batch with more distinct predicates
/// is grouped by a stable radix sort on the bytes in which its predicate ids differ, as
/// before. Then each run is sorted by `(s, o)`: in place by a comparison sort on one `u128`
/// key when it is short or too long for a radix pass to stay in L1, else by radix passes over
/// the bytes in which its subjects and objects differ. `scratch` must have at least
/// `batch.len()` capacity; the two vectors may be swapped (both keep their capacities).
///
/// The order is exactly `batch.sort_unstable_by_key(|t| (t.p, t.s, t.o))`'s (equal keys are
/// equal triples), so which triples share a block, and every receipt, is unchanged.
pub fn sort_into_runs(batch: &mut Vec<RunTriple>, scratch: &mut Vec<RunTriple>) {
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
    let mut start = 0;
    while start < batch.len() {
        let p = batch[start].p;
        let end = start + batch[start..].iter().take_while(|t| t.p == p).count();
        sort_run(&mut batch[start..end], &mut scratch[start..end]);
        start = end;
    }
}

/// Most distinct predicates [`sort_into_runs`] groups with its table; a batch with more is
/// radix sorted on the predicate.
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

/// Runs shorter than this are sorted by comparison: a radix pass has a fixed cost (its
/// 256 counters) that a short run does not repay.
const RADIX_RUN_MIN: usize = 64;
/// More passes than this over one run cost more than a comparison sort of it.
const RADIX_PASSES_MAX: u32 = 6;
/// Runs longer than this are sorted by comparison, in place: a radix pass moves the run into
/// a scratch run of the same size and back, and beyond this length the two (24 bytes a
/// triple each, 15 KiB together) no longer stay within half of a 32 KiB L1 data cache, so
/// every pass would miss on every line.
const RADIX_RUN_MAX: usize = 320;

/// Sorts one predicate run by `(s, o)`, using `scratch` (as long as `run`) for radix passes.
fn sort_run(run: &mut [RunTriple], scratch: &mut [RunTriple]) {
    let Some(first) = run.first().copied() else {
        return;
    };
    let (s_bits, o_bits) = run.iter().fold((0, 0), |(s, o), t| {
        (s | (t.s ^ first.s), o | (t.o ^ first.o))
    });
    let passes = byte_shifts(s_bits).count() + byte_shifts(o_bits).count();
    if run.len() < RADIX_RUN_MIN || run.len() > RADIX_RUN_MAX || passes > RADIX_PASSES_MAX as usize
    {
        run.sort_unstable_by_key(|t| u128::from(t.s) << 64 | u128::from(t.o));
        return;
    }
    // Least significant digit first: the object's bytes, then the subject's.
    let (mut from, mut to) = (run, scratch);
    let mut in_scratch = false;
    for shift in byte_shifts(o_bits) {
        radix_pass(from, to, |t| t.o >> shift);
        (from, to) = (to, from);
        in_scratch = !in_scratch;
    }
    for shift in byte_shifts(s_bits) {
        radix_pass(from, to, |t| t.s >> shift);
        (from, to) = (to, from);
        in_scratch = !in_scratch;
    }
    if in_scratch {
        // `from` is the scratch half holding the result, `to` the run.
        to.copy_from_slice(from);
    }
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
                let mut batch: Vec<RunTriple> = (0..len)
                    .map(|_| RunTriple {
                        s: next() % 50,
                        p: ids[next() as usize % ids.len()],
                        // Objects differing in 8 bytes (comparison sort), in 1 (an even
                        // number of radix passes with the subject's), or in 2 (odd).
                        o: match predicates {
                            3 => next(),
                            12 => next() % 4,
                            _ => next() % 3 * (1 << 59) + next() % 4,
                        },
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
