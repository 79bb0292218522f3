//! Numeric comparison of objects (`compare_o_*`).
//!
//! An inline integer is decided in the hot path by one range check on its id: offset binary
//! makes the ids of inline integers ordered like their values, and [`NumericConstant`] turns
//! the comparison into the range of matching ids (`id - low <= width`, unsigned), which no id
//! of another tag falls in. Objects that may be numeric but are not inline (a stored integer,
//! a decimal, a double, a typed literal such as `xsd:float` or `xsd:int`) go to the warm path.

use super::value::{match_value, ValueTest};
use super::{LaneIsa, LaneMatch};
use crate::block::HotBlock;
use crate::dictionary::IdTag;
use crate::numeric::NumericConstant;
use crate::ops::Filter;

/// The tags of objects that may be numeric literals whose value is not in the id.
pub const WARM_NUMERIC_TAGS: u16 = 1 << IdTag::IntegerStored as u8
    | 1 << IdTag::Decimal as u8
    | 1 << IdTag::Double as u8
    | 1 << IdTag::TypedLiteral as u8;

/// The [`ValueTest`] of comparing objects with `value`, on lanes passing `subject`.
#[inline(always)]
pub fn value_test(value: &NumericConstant, subject: Filter) -> ValueTest {
    ValueTest {
        subject,
        low: value.inline_low,
        width: value.inline_width,
        enabled: value.inline_enabled,
        warm_tags: WARM_NUMERIC_TAGS,
        warm_ungated: u64::MAX,
    }
}

/// Active lanes whose subject passes `subject` and whose object compares with `value`.
#[inline(always)]
pub fn match_compare<I: LaneIsa, B: HotBlock>(
    isa: I,
    block: &B,
    value: &NumericConstant,
    subject: Filter,
) -> LaneMatch {
    match_value(isa, block, value_test(value, subject))
}
