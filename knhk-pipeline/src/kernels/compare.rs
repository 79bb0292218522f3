//! Numeric comparison of objects (`compare_o_*`).
//!
//! An inline integer is decided in the hot path by one range check on its id: offset binary
//! makes the ids of inline integers ordered like their values, and [`NumericConstant`] turns
//! the comparison into the range of matching ids (`id - low <= width`, unsigned), which no id
//! of another tag falls in. Objects that may be numeric but are not inline (a stored integer,
//! a decimal, a double, a typed literal such as `xsd:float` or `xsd:int`) go to the warm path.

use super::{equal_mask, tag_mask, LaneMatch};
use crate::block::{HotBlock, HOT_LANES};
use crate::dictionary::IdTag;
use crate::numeric::NumericConstant;
use crate::ops::Filter;

/// The tags of objects that may be numeric literals whose value is not in the id.
pub const WARM_NUMERIC_TAGS: u16 = 1 << IdTag::IntegerStored as u8
    | 1 << IdTag::Decimal as u8
    | 1 << IdTag::Double as u8
    | 1 << IdTag::TypedLiteral as u8;

/// Bit `i` set where `lanes[i]` is an inline integer in `value`'s matching range.
#[inline]
pub fn range_mask(lanes: &[u64; HOT_LANES], value: &NumericConstant) -> u64 {
    let (low, width) = (value.inline_low, value.inline_width);
    let mut mask = 0;
    for (lane, &id) in lanes.iter().enumerate() {
        mask |= u64::from(id.wrapping_sub(low) <= width) << lane;
    }
    mask & value.inline_enabled
}

/// Active lanes whose subject passes `subject` and whose object compares with `value`.
#[inline]
pub fn match_compare<B: HotBlock>(
    block: &B,
    value: &NumericConstant,
    subject: Filter,
) -> LaneMatch {
    let selected = (equal_mask(block.subjects(), subject.id) | subject.any) & block.lane_mask();
    let objects = block.objects();
    LaneMatch {
        hot: range_mask(objects, value) & selected,
        warm: tag_mask(objects, WARM_NUMERIC_TAGS) & selected,
    }
}
