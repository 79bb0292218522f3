//! Datatype checks of objects (`validate_datatype_*`): a check of the id's tag where the tag
//! names the datatype, the warm path for typed literals of other datatypes.

use super::value::{match_value, ValueTest};
use super::{LaneIsa, LaneMatch};
use crate::block::HotBlock;
use crate::dictionary::PAYLOAD_BITS;
use crate::ops::{DatatypeCheck, Filter};

/// The [`ValueTest`] of checking objects against `datatype`, on lanes passing both filters.
///
/// The hot lanes are the ids of the datatype's tags, one range because its tags are
/// consecutive ([`DatatypeCheck::tags`]); with an object filter, the filter's id, hot when its
/// tag is one of them and warm when its tag needs the warm path.
#[inline(always)]
pub fn value_test(datatype: &DatatypeCheck, subject: Filter, object: Filter) -> ValueTest {
    if object.any == 0 {
        let tag = object.id >> PAYLOAD_BITS;
        return ValueTest {
            subject,
            low: object.id,
            width: 0,
            enabled: if datatype.tags >> tag & 1 == 1 {
                u64::MAX
            } else {
                0
            },
            warm_tags: datatype.warm_tags(),
            warm_ungated: 0,
        };
    }
    let (low, width) = tag_range(datatype.tags);
    ValueTest {
        subject,
        low,
        width,
        enabled: if datatype.tags == 0 { 0 } else { u64::MAX },
        warm_tags: datatype.warm_tags(),
        warm_ungated: u64::MAX,
    }
}

/// The ids of the tags from the lowest to the highest of `tags`, as `(low, width)`. Inlined:
/// a caller that runs [`match_datatype`] block by block then computes it once, outside its
/// loop, not once a block through a call.
#[inline]
fn tag_range(tags: u16) -> (u64, u64) {
    let first = tags.trailing_zeros().min(15);
    let last = 15 - tags.leading_zeros().min(15);
    let low = u64::from(first) << PAYLOAD_BITS;
    let width = ((u128::from(last.saturating_sub(first)) + 1) << PAYLOAD_BITS) - 1;
    (low, width as u64)
}

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
    match_value(isa, block, value_test(datatype, subject, object))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::IdTag;

    #[test]
    fn every_datatype_with_tags_has_consecutive_tags() {
        let xsd = |name| format!("http://www.w3.org/2001/XMLSchema#{name}");
        let iris = [
            "string", "integer", "boolean", "decimal", "double", "float", "date",
        ]
        .map(xsd)
        .into_iter()
        .chain(["http://www.w3.org/1999/02/22-rdf-syntax-ns#langString".to_owned()]);
        for iri in iris {
            let tags = DatatypeCheck::new(&iri).tags;
            let run = tags >> tags.trailing_zeros().min(15);
            assert_eq!(run & run.wrapping_add(1), 0, "{iri}: {tags:#b}");
        }
    }

    #[test]
    fn a_tag_range_holds_the_ids_of_those_tags_only() {
        let integer = 1 << IdTag::IntegerStored as u8 | 1 << IdTag::IntegerInline as u8;
        let (low, width) = tag_range(integer);
        let id = |tag: IdTag, payload: u64| (tag as u64) << PAYLOAD_BITS | payload;
        let inside = |x: u64| x.wrapping_sub(low) <= width;
        assert!(inside(id(IdTag::IntegerStored, 0)));
        assert!(inside(id(IdTag::IntegerInline, (1 << PAYLOAD_BITS) - 1)));
        assert!(!inside(id(IdTag::TypedLiteral, (1 << PAYLOAD_BITS) - 1)));
        assert!(!inside(id(IdTag::BooleanInline, 0)));
        assert_eq!(
            tag_range(0x8000),
            (15 << PAYLOAD_BITS, (1 << PAYLOAD_BITS) - 1)
        );
    }
}
