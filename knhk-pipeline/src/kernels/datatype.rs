//! Datatype checks of objects (`validate_datatype_*`): a tag check on the id where the tag
//! names the datatype, the warm path for typed literals of other datatypes.

use super::{LaneIsa, LaneMatch, TagLanes};
use crate::block::HotBlock;
use crate::ops::{DatatypeCheck, Filter};

/// Active lanes passing the subject and object filters whose object is a literal of
/// `datatype`.
#[inline(always)]
pub fn match_datatype<I: LaneIsa, B: HotBlock>(
    isa: I,
    block: &B,
    datatype: &DatatypeCheck,
    subject: Filter,
    object: Filter,
) -> LaneMatch {
    let objects = block.objects();
    let selected = (isa.eq_mask(block.subjects(), subject.id) | subject.any)
        & (isa.eq_mask(objects, object.id) | object.any)
        & block.lane_mask();
    LaneMatch {
        hot: isa.tag_mask(objects, datatype.tags) & selected,
        warm: isa.tag_mask(objects, datatype.warm_tags()) & selected,
    }
}
