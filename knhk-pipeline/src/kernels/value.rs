//! The one kernel compare and datatype hooks share, its op given as data ([`ValueTest`]): a
//! subject filter, one range of object ids that decides the hot lanes, and the tags that send
//! a lane to the warm path. One loop for every such hook keeps one small body warm in the
//! instruction cache and the branch predictors, whichever of these hooks a batch runs, and
//! three lane tests a block (subject, range, tags) are all any of these ops needs: a
//! comparison's hot lanes are a range of inline-integer ids, a datatype's the ids of its
//! tags (consecutive tags, so one range), and a datatype check on one object id is that id.

use super::{LaneIsa, LaneMatch, TagLanes};
use crate::block::HotBlock;
use crate::ops::Filter;

/// A compare or datatype kernel as data.
///
/// A lane is hot when it passes `subject` and its object id is in `low ..= low + width` (and
/// `enabled`). It is warm when it passes `subject`, its tag is one of `warm_tags`, and its
/// object is in the range unless `warm_ungated` (all ones) says the range does not apply to
/// warm lanes (a comparison's range holds only inline integers, a datatype's only its tags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValueTest {
    /// The subject filter.
    pub subject: Filter,
    /// The first object id in range (raw).
    pub low: u64,
    /// `last - first` id in range (`u64::MAX`: every id).
    pub width: u64,
    /// `u64::MAX`, or 0 when no lane can be hot.
    pub enabled: u64,
    /// Tags of warm lanes.
    pub warm_tags: u16,
    /// `u64::MAX` when warm lanes need not be in the range, else 0.
    pub warm_ungated: u64,
}

impl ValueTest {
    /// Every object id is in range.
    pub const ANY_OBJECT: (u64, u64) = (0, u64::MAX);

    /// No lane matches, hot or warm (a kernel without its constant).
    pub const NOTHING: ValueTest = ValueTest {
        subject: Filter::ANY,
        low: 0,
        width: u64::MAX,
        enabled: 0,
        warm_tags: 0,
        warm_ungated: 0,
    };
}

/// The lanes of `block` that `test` decides hot, and those it sends to the warm path.
#[inline(always)]
pub fn match_value<I: LaneIsa, B: HotBlock>(isa: I, block: &B, test: ValueTest) -> LaneMatch {
    match_value_shaped::<true, true, I, B>(isa, block, test)
}

/// [`match_value`] with the subject test compiled in only if `S` and the warm-tag test only
/// if `W`: the same answer when a test left out is of the wildcard subject or of no warm tags.
#[inline(always)]
pub fn match_value_shaped<const S: bool, const W: bool, I: LaneIsa, B: HotBlock>(
    isa: I,
    block: &B,
    test: ValueTest,
) -> LaneMatch {
    let objects = block.objects();
    let mut selected = block.lane_mask();
    if S {
        selected &= isa.eq_mask(block.subjects(), test.subject.id) | test.subject.any;
    }
    let in_range = isa.range_mask(objects, test.low, test.width);
    let warm = if W {
        isa.tag_mask(objects, test.warm_tags) & (in_range | test.warm_ungated) & selected
    } else {
        0
    };
    LaneMatch {
        hot: in_range & test.enabled & selected,
        warm,
    }
}
