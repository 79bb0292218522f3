//! Equality kernels: which active lanes hold a given subject, object, or both.

use super::LaneIsa;
use crate::block::HotBlock;
use crate::ops::Filter;

/// Active lanes whose subject is `s`.
#[inline(always)]
pub fn match_s<I: LaneIsa, B: HotBlock>(isa: I, block: &B, s: u64) -> u64 {
    isa.eq_mask(block.subjects(), s) & block.lane_mask()
}

/// Active lanes whose object is `o`.
#[inline(always)]
pub fn match_o<I: LaneIsa, B: HotBlock>(isa: I, block: &B, o: u64) -> u64 {
    isa.eq_mask(block.objects(), o) & block.lane_mask()
}

/// Active lanes holding subject `s` and object `o`.
#[inline(always)]
pub fn match_so<I: LaneIsa, B: HotBlock>(isa: I, block: &B, s: u64, o: u64) -> u64 {
    isa.eq_mask(block.subjects(), s) & isa.eq_mask(block.objects(), o) & block.lane_mask()
}

/// Active lanes that pass both filters (a wildcard filter passes every lane).
#[inline(always)]
pub fn match_filters<I: LaneIsa, B: HotBlock>(
    isa: I,
    block: &B,
    subject: Filter,
    object: Filter,
) -> u64 {
    (isa.eq_mask(block.subjects(), subject.id) | subject.any)
        & (isa.eq_mask(block.objects(), object.id) | object.any)
        & block.lane_mask()
}
