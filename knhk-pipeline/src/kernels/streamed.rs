//! The R1 kernels for blocks streamed from beyond L2: the answers of
//! [`lookup`](super::lookup)'s `match_s`, `match_o` and `match_so` and of
//! [`match_value`](super::value::match_value) (compare and datatype checks), reading a block's
//! cache lines only as far as the answer needs them.
//!
//! Beyond L2 the lines fetched, not the compares, set the time. A hot block is three lines
//! (predicate and length, subjects, objects); the length is only needed to mask off inactive
//! lanes, and the objects, after a subject test, only when some subject matched. So each
//! kernel here compares the lanes it always needs first (the subjects, or the objects for a
//! kernel without a subject), reads the objects only when some subject passed, and the length
//! ([`HotBlock::lane_mask_if_any`]) only when some lane matched. The choice is an address
//! ([`select_address`]), not a branch, so a line the answer does not need is not fetched, not
//! even speculatively; a block none of whose lanes match, active or stale, costs one line.
//!
//! In L1 every line is there already, and the wait of a load on a compare costs ticks (up to
//! 1.5x the eager kernels' in the kernels bench: BENCHMARKS.md, `## kernels`): the pipeline,
//! which evaluates its blocks while they are in L1, runs the eager kernels.

use super::value::ValueTest;
use super::{LaneIsa, LaneMatch, TagLanes};
use crate::arch::select_address;
use crate::block::HotBlock;

/// Active lanes whose subject is `s` ([`lookup::match_s`](super::lookup::match_s)).
#[inline(always)]
pub fn match_s<I: LaneIsa, B: HotBlock>(isa: I, block: &B, s: u64) -> u64 {
    let matched = isa.eq_mask(block.subjects(), s);
    matched & block.lane_mask_if_any(matched)
}

/// Active lanes whose object is `o` ([`lookup::match_o`](super::lookup::match_o)).
#[inline(always)]
pub fn match_o<I: LaneIsa, B: HotBlock>(isa: I, block: &B, o: u64) -> u64 {
    let matched = isa.eq_mask(block.objects(), o);
    matched & block.lane_mask_if_any(matched)
}

/// Active lanes holding subject `s` and object `o`
/// ([`lookup::match_so`](super::lookup::match_so)).
#[inline(always)]
pub fn match_so<I: LaneIsa, B: HotBlock>(isa: I, block: &B, s: u64, o: u64) -> u64 {
    let subjects = block.subjects();
    let with_subject = isa.eq_mask(subjects, s);
    // With no subject matched, the objects' compare is ANDed with 0: run it on the subjects.
    let objects = select_address(with_subject, block.objects(), subjects);
    let matched = with_subject & isa.eq_mask(objects, o);
    matched & block.lane_mask_if_any(matched)
}

/// The lanes of `block` that `test` decides hot, and those it sends to the warm path
/// ([`match_value`](super::value::match_value)). Each answer reads the length only when it
/// has a lane, so a caller that uses only the hot lanes never computes the warm ones.
#[inline(always)]
pub fn match_value<I: LaneIsa, B: HotBlock>(isa: I, block: &B, test: ValueTest) -> LaneMatch {
    let subjects = block.subjects();
    let selected = isa.eq_mask(subjects, test.subject.id) | test.subject.any;
    // The wildcard passes every subject (a constant of the hook: no choice to make); else,
    // with no subject passing, every object test is ANDed with 0: run them on the subjects.
    let objects = if test.subject.any != 0 {
        block.objects()
    } else {
        select_address(selected, block.objects(), subjects)
    };
    let in_range = isa.range_mask(objects, test.low, test.width);
    let hot = in_range & test.enabled & selected;
    let warm = isa.tag_mask(objects, test.warm_tags) & (in_range | test.warm_ungated) & selected;
    LaneMatch {
        hot: hot & block.lane_mask_if_any(hot),
        warm: warm & block.lane_mask_if_any(warm),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::{RunTriple, RunTripleLanes};
    use crate::dictionary::TermId;
    use crate::kernels::{compare, datatype, Portable};
    use crate::numeric::{Comparison, NumericConstant, NumericKind};
    use crate::ops::{DatatypeCheck, Filter};

    const S: u64 = 0x1000_0000_0000_0003;
    const O: u64 = 0x1000_0000_0000_0105;

    /// A block whose 8 lanes all held `(s, o)`, cleared in constant time (the length only) and
    /// refilled with `active` lanes of `(s, o)`: lanes `active..8` keep stale triples that
    /// match the kernel under test.
    fn stale(s: u64, o: u64, active: usize) -> RunTripleLanes {
        let mut block = RunTripleLanes::new();
        for _ in 0..8 {
            block.push(RunTriple { s, p: 9, o }).unwrap();
        }
        block.clear();
        for _ in 0..active {
            block.push(RunTriple { s, p: 9, o }).unwrap();
        }
        block
    }

    /// Each kernel on blocks of every length whose inactive lanes all match: only the active
    /// lanes count, so reading the length only after a match still masks the stale ones.
    fn only_active_lanes_match(kernel: impl Fn(&RunTripleLanes) -> u64, s: u64, o: u64) {
        for active in 0..=8 {
            let block = stale(s, o, active);
            assert_eq!(kernel(&block), (1 << active) - 1, "{active} active lanes");
        }
    }

    #[test]
    fn match_s_masks_stale_lanes() {
        only_active_lanes_match(|block| match_s(Portable, block, S), S, O);
    }

    #[test]
    fn match_o_masks_stale_lanes() {
        only_active_lanes_match(|block| match_o(Portable, block, O), S, O);
    }

    #[test]
    fn match_so_masks_stale_lanes() {
        only_active_lanes_match(|block| match_so(Portable, block, S, O), S, O);
    }

    #[test]
    fn compare_masks_stale_lanes() {
        let integer = NumericKind::Integer {
            min: None,
            max: None,
        };
        let gt = NumericConstant::new("90", integer, Comparison::Gt).unwrap();
        let o = TermId::from_inline_integer(95).unwrap().to_u64();
        let test = compare::value_test(&gt, Filter::ANY);
        only_active_lanes_match(|block| match_value(Portable, block, test).hot, S, o);
    }

    #[test]
    fn datatype_masks_stale_lanes() {
        let integer = DatatypeCheck::new("http://www.w3.org/2001/XMLSchema#integer");
        let o = TermId::from_inline_integer(7).unwrap().to_u64();
        let test = datatype::value_test(&integer, Filter::equal(S), Filter::ANY);
        only_active_lanes_match(|block| match_value(Portable, block, test).hot, S, o);
    }

    #[test]
    fn warm_lanes_are_masked_too() {
        // A typed literal, checked against a datatype no tag names: warm.
        let float = DatatypeCheck::new("http://www.w3.org/2001/XMLSchema#float");
        let o = (crate::dictionary::IdTag::TypedLiteral as u64) << crate::dictionary::PAYLOAD_BITS;
        let test = datatype::value_test(&float, Filter::equal(S), Filter::ANY);
        only_active_lanes_match(|block| match_value(Portable, block, test).warm, S, o);
    }
}
