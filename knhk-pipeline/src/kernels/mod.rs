//! Branchless per-block kernels, grouped by family, and their scalar reference models.
//!
//! Every kernel compares all 8 lanes unconditionally and ANDs the result with the block's
//! active mask, so inactive lanes (stale rows of an earlier run, left there by the O(1) reset)
//! never count; it reads nothing outside its block and its hook's constants. The hot block
//! stores its predicate once ([`crate::block::RunTripleLanes`]), and every lane of a block
//! belongs to the block's run, so kernels never compare predicates: the pipeline evaluates a
//! hook only on blocks of its predicate.
//!
//! A kernel's answer is a [`LaneMatch`]: the lanes that match, decided from the ids alone, and
//! the lanes whose answer needs the dictionary (a numeric literal that is not an inline
//! integer, a typed literal of a datatype the id's tag does not name). [`warm`] resolves those;
//! the hook's result for the block is the number of matching lanes.
//!
//! - [`lookup`]: equality on subjects and objects (ask, count, unique, select, construct8).
//! - [`compare`]: numeric comparison of objects (compare_o_*).
//! - [`datatype`]: datatype checks of objects (validate_datatype_*).
//! - [`model`]: the scalar reference model every kernel is tested against.
//!
//! Kernels are generic over a [`LaneIsa`], the 8-lane compares of pool-core's `arch` module:
//! the pipeline runs them in batches under `lanepool::arch::with_best_lanes` (AVX2 when the
//! CPU has it), anything else may pass [`Portable`].

pub mod compare;
pub mod datatype;
pub mod lookup;
// Public only for the property tests (tests/kernels_model.rs), which check every kernel
// against it: a test model, not library API.
#[doc(hidden)]
pub mod model;
pub mod warm;

pub use crate::arch::{LaneIsa, Portable, TagLanes};

use crate::block::HotBlock;
use crate::ops::{Args, Filter, Kernel};

/// Which lanes of a block match: `hot` decided from the ids, `warm` still to be decided with
/// the dictionary (never both for one lane).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LaneMatch {
    /// Lanes that match.
    pub hot: u64,
    /// Lanes the warm path must decide.
    pub warm: u64,
}

impl LaneMatch {
    /// Matches decided on the hot path only.
    #[inline]
    pub const fn hot(hot: u64) -> LaneMatch {
        LaneMatch { hot, warm: 0 }
    }
}

/// Runs `kernel` with `args` on `block`: the one dispatch from the op table to the kernels.
#[inline(always)]
pub fn evaluate<I: LaneIsa, B: HotBlock>(
    isa: I,
    kernel: Kernel,
    block: &B,
    args: &Args,
) -> LaneMatch {
    match kernel {
        Kernel::Subject => LaneMatch::hot(lookup::match_s(isa, block, args.subject.id)),
        Kernel::Object => LaneMatch::hot(lookup::match_o(isa, block, args.object.id)),
        Kernel::SubjectObject => LaneMatch::hot(lookup::match_so(
            isa,
            block,
            args.subject.id,
            args.object.id,
        )),
        Kernel::Filter => {
            LaneMatch::hot(lookup::match_filters(isa, block, args.subject, args.object))
        }
        Kernel::Compare(_) => match &args.value {
            Some(value) => compare::match_compare(isa, block, value, args.subject),
            None => LaneMatch::default(),
        },
        Kernel::DatatypeSubject => match &args.datatype {
            Some(datatype) => {
                datatype::match_datatype(isa, block, datatype, args.subject, Filter::ANY)
            }
            None => LaneMatch::default(),
        },
        Kernel::DatatypeSubjectObject => match &args.datatype {
            Some(datatype) => {
                datatype::match_datatype(isa, block, datatype, args.subject, args.object)
            }
            None => LaneMatch::default(),
        },
    }
}

/// [`evaluate`] over consecutive blocks, `out(i, answer)` for the `i`th: the kernel and its
/// constants are chosen once, before a loop of that kernel alone, so a timed batch pays one
/// dispatch, not one per block.
#[inline(always)]
pub fn evaluate_each<I, B, D>(
    isa: I,
    kernel: Kernel,
    blocks: &[D],
    args: &Args,
    mut out: impl FnMut(usize, LaneMatch),
) where
    I: LaneIsa,
    B: HotBlock,
    D: std::ops::Deref<Target = B>,
{
    #[inline(always)]
    fn each<B: HotBlock, D: std::ops::Deref<Target = B>>(
        blocks: &[D],
        out: &mut impl FnMut(usize, LaneMatch),
        kernel: impl Fn(&B) -> LaneMatch,
    ) {
        for (i, block) in blocks.iter().enumerate() {
            out(i, kernel(block));
        }
    }
    match kernel {
        Kernel::Subject => {
            let s = args.subject.id;
            each(blocks, &mut out, |block| {
                LaneMatch::hot(lookup::match_s(isa, block, s))
            });
        }
        Kernel::Object => {
            let o = args.object.id;
            each(blocks, &mut out, |block| {
                LaneMatch::hot(lookup::match_o(isa, block, o))
            });
        }
        Kernel::SubjectObject => {
            let (s, o) = (args.subject.id, args.object.id);
            each(blocks, &mut out, |block| {
                LaneMatch::hot(lookup::match_so(isa, block, s, o))
            });
        }
        _ => each(blocks, &mut out, |block| evaluate(isa, kernel, block, args)),
    }
}

/// ASK_SP as a function of its own: does `block` hold a triple `(s, p, _)`?
#[inline]
pub fn ask_sp<B: HotBlock>(block: &B, s: u64, p: u64) -> bool {
    lookup::match_s(Portable, block, s) != 0 && block.predicates()[0] == p
}
