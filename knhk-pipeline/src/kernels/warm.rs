//! The warm path: the lanes a kernel could not decide from the ids alone, decided with the
//! dictionary. Nothing here allocates (a double's exact value is expanded on the stack).

use crate::block::HotBlock;
use crate::dictionary::{Dictionary, TermId};
use crate::ingest::Term;
use crate::numeric::{numeric_kind, parse_value, DigitBuffer};
use crate::ops::{Args, Kernel};

/// The lanes of `candidates` (a kernel's `warm` mask) that match.
pub fn resolve<B: HotBlock>(
    kernel: Kernel,
    args: &Args,
    block: &B,
    candidates: u64,
    dictionary: &Dictionary,
) -> u64 {
    let mut matched = 0;
    let mut left = candidates;
    while left != 0 {
        let lane = left.trailing_zeros() as usize;
        left &= left - 1;
        if lane_matches(kernel, args, block.objects()[lane], dictionary) {
            matched |= 1 << lane;
        }
    }
    matched
}

fn lane_matches(kernel: Kernel, args: &Args, object: u64, dictionary: &Dictionary) -> bool {
    let Some(decoded) = TermId::from_u64(object).and_then(|id| dictionary.decode(id)) else {
        return false;
    };
    decoded.with_term(|term| {
        let Term::Literal(literal) = term else {
            return false;
        };
        match kernel {
            Kernel::Compare(_) => {
                let (Some(value), Some(kind)) = (&args.value, numeric_kind(literal.datatype()))
                else {
                    return false;
                };
                let mut buffer = DigitBuffer::default();
                parse_value(literal.value(), kind, &mut buffer)
                    .is_some_and(|literal| value.matches(&literal))
            }
            Kernel::DatatypeSubject | Kernel::DatatypeSubjectObject => args
                .datatype
                .as_ref()
                .is_some_and(|datatype| literal.datatype() == datatype.iri),
            Kernel::Subject | Kernel::Object | Kernel::SubjectObject | Kernel::Filter => false,
        }
    })
}
