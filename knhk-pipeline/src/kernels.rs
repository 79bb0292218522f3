//! Branchless hot-path kernels over one [`HotBlock`].
//!
//! Every kernel compares all 8 lanes unconditionally and ANDs the result with the block's active
//! mask, so inactive lanes (stale rows of an earlier run, left there by the O(1) reset) never
//! count. Each also matches the predicate lane, so a kernel is right even on a mixed block.

use crate::block::{HotBlock, HOT_LANES};

/// Bit `i` set where `lanes[i] == value`; written to compile to vector compares.
#[inline]
pub fn equal_mask(lanes: &[u64; HOT_LANES], value: u64) -> u64 {
    let mut mask = 0;
    for (lane, &id) in lanes.iter().enumerate() {
        mask |= u64::from(id == value) << lane;
    }
    mask
}

/// Active lanes holding `(s, p, _)`.
#[inline]
pub fn match_sp<B: HotBlock>(block: &B, s: u64, p: u64) -> u64 {
    equal_mask(block.subjects(), s) & equal_mask(block.predicates(), p) & block.lane_mask()
}

/// Active lanes holding `(s, p, o)`.
#[inline]
pub fn match_spo<B: HotBlock>(block: &B, s: u64, p: u64, o: u64) -> u64 {
    match_sp(block, s, p) & equal_mask(block.objects(), o)
}

/// ASK_SP: does the block hold a triple `(s, p, _)`?
#[inline]
pub fn ask_sp<B: HotBlock>(block: &B, s: u64, p: u64) -> bool {
    match_sp(block, s, p) != 0
}

/// ASK_SPO: does the block hold the triple `(s, p, o)`?
#[inline]
pub fn ask_spo<B: HotBlock>(block: &B, s: u64, p: u64, o: u64) -> bool {
    match_spo(block, s, p, o) != 0
}

/// COUNT_SP: how many active lanes hold `(s, p, _)`.
#[inline]
pub fn count_sp<B: HotBlock>(block: &B, s: u64, p: u64) -> u32 {
    match_sp(block, s, p).count_ones()
}

/// CONSTRUCT8: for each active lane with predicate `p` (and subject `s`, if given), the triple
/// `(lane's subject, new_p, new_o)`, written to the front of `out`. Returns how many.
#[inline]
pub fn construct8<B: HotBlock>(
    block: &B,
    p: u64,
    s: Option<u64>,
    new_p: u64,
    new_o: u64,
    out: &mut [[u64; 3]; HOT_LANES],
) -> usize {
    let subject_mask = match s {
        Some(s) => equal_mask(block.subjects(), s),
        None => u64::MAX,
    };
    let mut selected = equal_mask(block.predicates(), p) & subject_mask & block.lane_mask();
    let mut written = 0;
    while selected != 0 {
        let lane = selected.trailing_zeros() as usize;
        out[written] = [block.subjects()[lane], new_p, new_o];
        written += 1;
        selected &= selected - 1;
    }
    written
}
