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
//! - [`value`]: the one kernel compare and datatype checks run, their op given as data.
//! - [`model`]: the scalar reference model every kernel is tested against.
//!
//! Kernels are generic over a [`LaneIsa`], the 8-lane compares of pool-core's `arch` module:
//! the pipeline runs them in batches under `lanepool::arch::with_best_lanes` (AVX2 when the
//! CPU has it), anything else may pass [`Portable`]. It makes each hook's kernel and constants
//! once, at registration, into a [`LaneTest`], so that its hot pass runs one loop per
//! [`Family`] whatever the op: the lookups of [`lookup::match_filters`], and [`value`].

pub mod compare;
pub mod datatype;
pub mod lookup;
// Public only for the property tests (tests/kernels_model.rs), which check every kernel
// against it: a test model, not library API.
#[doc(hidden)]
pub mod model;
pub mod value;
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

/// A hot kernel with its constants copied out of the hook's [`Args`]: the op as data. Every
/// id kernel is a [`Lookup`](LaneTest::Lookup) and every compare or datatype kernel a
/// [`Value`](LaneTest::Value), so a batch of blocks runs one of two loops whatever its op,
/// and the loop keeps its constants in registers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LaneTest {
    /// Lanes passing both filters ([`lookup::match_filters`]).
    Lookup {
        /// The subject filter.
        subject: Filter,
        /// The object filter.
        object: Filter,
    },
    /// [`value::match_value`].
    Value(value::ValueTest),
}

impl LaneTest {
    /// `kernel` with the constants of `args`.
    #[inline(always)]
    pub fn of(kernel: Kernel, args: &Args) -> LaneTest {
        let (subject, object) = (args.subject, args.object);
        let lookup = |subject, object| LaneTest::Lookup { subject, object };
        match kernel {
            Kernel::Subject => lookup(Filter::equal(subject.id), Filter::ANY),
            Kernel::Object => lookup(Filter::ANY, Filter::equal(object.id)),
            Kernel::SubjectObject => lookup(Filter::equal(subject.id), Filter::equal(object.id)),
            Kernel::Filter => lookup(subject, object),
            Kernel::Compare(_) => LaneTest::Value(match &args.value {
                Some(value) => compare::value_test(value, subject),
                None => value::ValueTest::NOTHING,
            }),
            Kernel::DatatypeSubject | Kernel::DatatypeSubjectObject => {
                let object = match kernel {
                    Kernel::DatatypeSubject => Filter::ANY,
                    _ => object,
                };
                LaneTest::Value(match &args.datatype {
                    Some(datatype) => datatype::value_test(datatype, subject, object),
                    None => value::ValueTest::NOTHING,
                })
            }
        }
    }

    /// The answer on `block`.
    #[inline(always)]
    pub fn lanes<I: LaneIsa, B: HotBlock>(self, isa: I, block: &B) -> LaneMatch {
        match self {
            LaneTest::Lookup { subject, object } => {
                LaneMatch::hot(lookup::match_filters(isa, block, subject, object))
            }
            LaneTest::Value(test) => value::match_value(isa, block, test),
        }
    }

    /// [`lanes`](Self::lanes) over consecutive blocks, `out(i, answer)` for the `i`th: one
    /// loop of this test's family, its constants in registers, so a batch pays one choice of
    /// loop, not one per block.
    #[inline(always)]
    pub fn each<I, B, D>(self, isa: I, blocks: &[D], mut out: impl FnMut(usize, LaneMatch))
    where
        I: LaneIsa,
        B: HotBlock,
        D: std::ops::Deref<Target = B>,
    {
        match self {
            LaneTest::Lookup { subject, object } => {
                for (i, block) in blocks.iter().enumerate() {
                    let lanes = lookup::match_filters(isa, &**block, subject, object);
                    out(i, LaneMatch::hot(lanes));
                }
            }
            LaneTest::Value(test) => {
                for (i, block) in blocks.iter().enumerate() {
                    out(i, value::match_value(isa, &**block, test));
                }
            }
        }
    }

    /// The loop this test runs.
    pub const fn family(&self) -> Family {
        match self {
            LaneTest::Lookup { .. } => Family::Lookup,
            LaneTest::Value(_) => Family::Value,
        }
    }
}

/// Which of the two loops of [`evaluate_each`] a kernel runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Family {
    /// [`LaneTest::Lookup`].
    Lookup,
    /// [`LaneTest::Value`].
    Value,
}

impl Family {
    /// Both, in the order the hot pass runs them.
    pub const ALL: [Family; 2] = [Family::Lookup, Family::Value];

    /// The family of `kernel`.
    pub const fn of(kernel: Kernel) -> Family {
        match kernel {
            Kernel::Subject | Kernel::Object | Kernel::SubjectObject | Kernel::Filter => {
                Family::Lookup
            }
            Kernel::Compare(_) | Kernel::DatatypeSubject | Kernel::DatatypeSubjectObject => {
                Family::Value
            }
        }
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
    LaneTest::of(kernel, args).lanes(isa, block)
}

/// [`evaluate`] over consecutive blocks, `out(i, answer)` for the `i`th
/// ([`LaneTest::each`]).
#[inline(always)]
pub fn evaluate_each<I, B, D>(
    isa: I,
    kernel: Kernel,
    blocks: &[D],
    args: &Args,
    out: impl FnMut(usize, LaneMatch),
) where
    I: LaneIsa,
    B: HotBlock,
    D: std::ops::Deref<Target = B>,
{
    LaneTest::of(kernel, args).each(isa, blocks, out);
}

/// ASK_SP as a function of its own: does `block` hold a triple `(s, p, _)`?
#[inline]
pub fn ask_sp<B: HotBlock>(block: &B, s: u64, p: u64) -> bool {
    lookup::match_s(Portable, block, s) != 0 && block.predicates()[0] == p
}
