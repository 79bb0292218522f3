//! Equality kernels: which active lanes hold a given subject, object, or both.

use super::equal_mask;
use crate::block::HotBlock;
use crate::ops::Filter;

/// Active lanes whose subject is `s`.
#[inline]
pub fn match_s<B: HotBlock>(block: &B, s: u64) -> u64 {
    equal_mask(block.subjects(), s) & block.lane_mask()
}

/// Active lanes whose object is `o`.
#[inline]
pub fn match_o<B: HotBlock>(block: &B, o: u64) -> u64 {
    equal_mask(block.objects(), o) & block.lane_mask()
}

/// Active lanes holding subject `s` and object `o`.
#[inline]
pub fn match_so<B: HotBlock>(block: &B, s: u64, o: u64) -> u64 {
    equal_mask(block.subjects(), s) & equal_mask(block.objects(), o) & block.lane_mask()
}

/// Active lanes that pass both filters (a wildcard filter passes every lane).
#[inline]
pub fn match_filters<B: HotBlock>(block: &B, subject: Filter, object: Filter) -> u64 {
    (equal_mask(block.subjects(), subject.id) | subject.any)
        & (equal_mask(block.objects(), object.id) | object.any)
        & block.lane_mask()
}
