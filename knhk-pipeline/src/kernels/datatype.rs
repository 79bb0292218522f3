//! Datatype checks of objects (`validate_datatype_*`): a tag check on the id where the tag
//! names the datatype, the warm path for typed literals of other datatypes.

use super::{equal_mask, tag_mask, LaneMatch};
use crate::block::HotBlock;
use crate::ops::{DatatypeCheck, Filter};

/// Active lanes passing the subject and object filters whose object is a literal of
/// `datatype`.
#[inline]
pub fn match_datatype<B: HotBlock>(
    block: &B,
    datatype: &DatatypeCheck,
    subject: Filter,
    object: Filter,
) -> LaneMatch {
    let objects = block.objects();
    let selected = (equal_mask(block.subjects(), subject.id) | subject.any)
        & (equal_mask(objects, object.id) | object.any)
        & block.lane_mask();
    LaneMatch {
        hot: tag_mask(objects, datatype.tags) & selected,
        warm: tag_mask(objects, datatype.warm_tags()) & selected,
    }
}
