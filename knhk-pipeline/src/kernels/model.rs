//! The scalar reference model of every kernel: one lane at a time, with plain comparisons and
//! the exact numeric values of [`crate::numeric`]. The property tests check each kernel against
//! it on random blocks, masks and edge values.

use super::compare::WARM_NUMERIC_TAGS;
use super::LaneMatch;
use crate::block::{HotBlock, HOT_LANES};
use crate::dictionary::{IdTag, TermId};
use crate::numeric::{integer_value, DigitBuffer};
use crate::ops::{Args, DatatypeCheck, Kernel};

/// What `kernel` with `args` must answer for `block`, lane by lane.
pub fn evaluate<B: HotBlock>(kernel: Kernel, block: &B, args: &Args) -> LaneMatch {
    let mut answer = LaneMatch::default();
    for lane in 0..HOT_LANES {
        if block.lane_mask() & (1 << lane) == 0 {
            continue;
        }
        let (s, o) = (block.subjects()[lane], block.objects()[lane]);
        let subject_passes = args.subject.id().is_none_or(|id| s == id);
        let object_passes = args.object.id().is_none_or(|id| o == id);
        let (hot, warm) = match kernel {
            Kernel::Subject => (s == args.subject.id, false),
            Kernel::Object => (o == args.object.id, false),
            Kernel::SubjectObject => (s == args.subject.id && o == args.object.id, false),
            Kernel::Filter => (subject_passes && object_passes, false),
            Kernel::Compare(_) => match (&args.value, subject_passes) {
                (Some(value), true) => compare_lane(o, value),
                _ => (false, false),
            },
            Kernel::DatatypeSubject | Kernel::DatatypeSubjectObject => {
                let object_passes = kernel == Kernel::DatatypeSubject || o == args.object.id;
                match &args.datatype {
                    Some(datatype) if s == args.subject.id && object_passes => {
                        datatype_lane(o, datatype)
                    }
                    _ => (false, false),
                }
            }
        };
        answer.hot |= u64::from(hot) << lane;
        answer.warm |= u64::from(warm) << lane;
    }
    answer
}

fn compare_lane(o: u64, value: &crate::numeric::NumericConstant) -> (bool, bool) {
    let Some(id) = TermId::from_u64(o) else {
        return (false, false);
    };
    match id.inline_integer() {
        Some(integer) => {
            let mut buffer = DigitBuffer::default();
            (value.matches(&integer_value(integer, &mut buffer)), false)
        }
        None => (false, WARM_NUMERIC_TAGS & (1 << (id.tag() as u8)) != 0),
    }
}

fn datatype_lane(o: u64, datatype: &DatatypeCheck) -> (bool, bool) {
    let Some(id) = TermId::from_u64(o) else {
        return (false, false);
    };
    let tag = id.tag();
    let named = DatatypeCheck::named_by(tag);
    let hot = named == Some(datatype.iri.as_str());
    let tag_names_it = [
        IdTag::SimpleLiteral,
        IdTag::LangLiteral,
        IdTag::IntegerInline,
        IdTag::BooleanInline,
        IdTag::Decimal,
        IdTag::Double,
    ]
    .into_iter()
    .any(|tag| DatatypeCheck::named_by(tag) == Some(datatype.iri.as_str()));
    (hot, tag == IdTag::TypedLiteral && !tag_names_it)
}
