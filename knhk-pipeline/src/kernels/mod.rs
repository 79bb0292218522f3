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
//! - [`streamed`]: the same answers for blocks streamed from beyond L2, reading a block's
//!   objects and length only when the answer needs them.
//! - [`model`]: the scalar reference model every kernel is tested against.
//!
//! Kernels are generic over a [`LaneIsa`], the 8-lane compares of pool-core's `arch` module:
//! the pipeline runs them in batches under `lanepool::arch::with_best_lanes` (AVX2 when the
//! CPU has it), anything else may pass [`Portable`]. It makes each hook's kernel and constants
//! once, at registration, into a [`LaneTest`], so that its hot pass runs one loop per
//! [`Shape`] whatever the op: the lookups of [`lookup::match_filters`], and [`value`], each
//! compiled with only the lane tests the hook needs.

pub mod compare;
pub mod datatype;
pub mod lookup;
// Public only for the property tests (tests/kernels_model.rs), which check every kernel
// against it: a test model, not library API.
#[doc(hidden)]
pub mod model;
pub mod streamed;
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

    /// [`lanes`](Self::lanes) over consecutive blocks, the `i`th block's answer into
    /// `answers[i]`: the loop of this test's [`Shape`], its constants in registers, so a batch
    /// pays one choice of loop, not one per block, and a wildcard filter or an empty set of warm
    /// tags costs nothing in it.
    ///
    /// # Panics
    ///
    /// If `answers` is shorter than `blocks` (checked once, not per block).
    #[inline(always)]
    pub fn each<I, B, D>(self, isa: I, blocks: &[D], answers: &mut [LaneMatch])
    where
        I: LaneIsa,
        B: HotBlock,
        D: std::ops::Deref<Target = B>,
    {
        let answers = &mut answers[..blocks.len()];
        match self {
            LaneTest::Lookup { subject, object } => match (subject.any == 0, object.any == 0) {
                (true, true) => {
                    lookup_loop::<true, true, I, B, D>(isa, blocks, subject, object, answers)
                }
                (true, false) => {
                    lookup_loop::<true, false, I, B, D>(isa, blocks, subject, object, answers)
                }
                (false, true) => {
                    lookup_loop::<false, true, I, B, D>(isa, blocks, subject, object, answers)
                }
                (false, false) => {
                    lookup_loop::<false, false, I, B, D>(isa, blocks, subject, object, answers)
                }
            },
            LaneTest::Value(test) => match (test.subject.any == 0, test.warm_tags != 0) {
                (true, true) => value_loop::<true, true, I, B, D>(isa, blocks, test, answers),
                (true, false) => value_loop::<true, false, I, B, D>(isa, blocks, test, answers),
                (false, true) => value_loop::<false, true, I, B, D>(isa, blocks, test, answers),
                (false, false) => value_loop::<false, false, I, B, D>(isa, blocks, test, answers),
            },
        }
    }

    /// The loop [`each`](Self::each) runs for this test: its family, and which of its lane
    /// tests it needs.
    pub const fn shape(&self) -> Shape {
        match self {
            LaneTest::Lookup { subject, object } => Shape::Lookup {
                subject: subject.any == 0,
                object: object.any == 0,
            },
            LaneTest::Value(test) => Shape::Value {
                subject: test.subject.any == 0,
                warm: test.warm_tags != 0,
            },
        }
    }
}

/// [`lookup::match_filters`] over `blocks`, the subject test compiled in only if `S`, the
/// object test only if `O` (a filter left out is the wildcard: the answer is the same).
#[inline(always)]
fn lookup_loop<const S: bool, const O: bool, I, B, D>(
    isa: I,
    blocks: &[D],
    subject: Filter,
    object: Filter,
    answers: &mut [LaneMatch],
) where
    I: LaneIsa,
    B: HotBlock,
    D: std::ops::Deref<Target = B>,
{
    for (block, answer) in blocks.iter().zip(answers) {
        *answer = LaneMatch::hot(lookup_shaped::<S, O, I, B>(isa, &**block, subject, object));
    }
}

/// [`lookup::match_filters`] with the subject test compiled in only if `S`, the object test
/// only if `O` (a filter left out is the wildcard: the answer is the same).
#[inline(always)]
fn lookup_shaped<const S: bool, const O: bool, I: LaneIsa, B: HotBlock>(
    isa: I,
    block: &B,
    subject: Filter,
    object: Filter,
) -> u64 {
    let mut lanes = block.lane_mask();
    if S {
        lanes &= isa.eq_mask(block.subjects(), subject.id) | subject.any;
    }
    if O {
        lanes &= isa.eq_mask(block.objects(), object.id) | object.any;
    }
    lanes
}

/// [`value::match_value`] over `blocks`, the subject test compiled in only if `S` and the
/// warm-tag test only if `W` ([`value::match_value_shaped`]).
#[inline(always)]
fn value_loop<const S: bool, const W: bool, I, B, D>(
    isa: I,
    blocks: &[D],
    test: value::ValueTest,
    answers: &mut [LaneMatch],
) where
    I: LaneIsa,
    B: HotBlock,
    D: std::ops::Deref<Target = B>,
{
    for (block, answer) in blocks.iter().zip(answers) {
        *answer = value::match_value_shaped::<S, W, I, B>(isa, &**block, test);
    }
}

/// Which monomorphised loop a [`LaneTest`] runs: its family, and which lane tests it needs
/// (a wildcard filter passes every lane, and no warm tags send no lane to the warm path, so
/// neither needs a compare). Hooks of one shape run the same instructions per block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Shape {
    /// [`LaneTest::Lookup`]: whether the subject and the object filters are tested.
    Lookup {
        /// The subject filter is not the wildcard.
        subject: bool,
        /// The object filter is not the wildcard.
        object: bool,
    },
    /// [`LaneTest::Value`]: whether the subject filter and the warm tags are tested.
    Value {
        /// The subject filter is not the wildcard.
        subject: bool,
        /// Some tag sends lanes to the warm path.
        warm: bool,
    },
}

impl Shape {
    /// Whether this is a value test's loop (else a lookup's): the hot pass times the hooks
    /// of each family together.
    pub const fn is_value(&self) -> bool {
        matches!(self, Shape::Value { .. })
    }

    /// Its place in [`ALL`](Self::ALL).
    pub const fn rank(&self) -> u8 {
        match *self {
            Shape::Lookup { subject, object } => subject as u8 | (object as u8) << 1,
            Shape::Value { subject, warm } => 4 | subject as u8 | (warm as u8) << 1,
        }
    }

    /// Every shape, in the order of their [`rank`](Self::rank).
    pub const ALL: [Shape; 8] = [
        Shape::Lookup {
            subject: false,
            object: false,
        },
        Shape::Lookup {
            subject: true,
            object: false,
        },
        Shape::Lookup {
            subject: false,
            object: true,
        },
        Shape::Lookup {
            subject: true,
            object: true,
        },
        Shape::Value {
            subject: false,
            warm: false,
        },
        Shape::Value {
            subject: true,
            warm: false,
        },
        Shape::Value {
            subject: false,
            warm: true,
        },
        Shape::Value {
            subject: true,
            warm: true,
        },
    ];
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

/// [`evaluate`] over consecutive blocks, the `i`th block's answer into `answers[i]`
/// ([`LaneTest::each`]; it panics if `answers` is shorter than `blocks`).
#[inline(always)]
pub fn evaluate_each<I, B, D>(
    isa: I,
    kernel: Kernel,
    blocks: &[D],
    args: &Args,
    answers: &mut [LaneMatch],
) where
    I: LaneIsa,
    B: HotBlock,
    D: std::ops::Deref<Target = B>,
{
    LaneTest::of(kernel, args).each(isa, blocks, answers);
}

/// ASK_SP as a function of its own: does `block` hold a triple `(s, p, _)`?
#[inline]
pub fn ask_sp<B: HotBlock>(block: &B, s: u64, p: u64) -> bool {
    lookup::match_s(Portable, block, s) != 0 && block.predicates()[0] == p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block::EncodedTripleLanes;
    use crate::kernels::value::ValueTest;

    /// Each shape's loop answers what the full test answers, block by block, for tests of
    /// every shape (wildcards and not, warm tags and none) on blocks with matching and
    /// non-matching lanes, and a test's shape is the one its constants say.
    #[test]
    fn every_shape_answers_as_the_full_test() {
        let blocks: Vec<EncodedTripleLanes> = (0..5_u64)
            .map(|b| {
                let mut block = EncodedTripleLanes::new();
                for lane in 0..(3 + b as usize).min(8) {
                    let tag = (lane as u64 + b) % 4;
                    block
                        .push(crate::block::EncodedTriple {
                            s: (lane as u64 + b) % 3,
                            p: 9,
                            o: (tag << 60) | ((lane as u64 * 5 + b) % 7),
                        })
                        .unwrap();
                }
                block
            })
            .collect();
        let refs: Vec<&EncodedTripleLanes> = blocks.iter().collect();
        let filters = [Filter::ANY, Filter::equal(1), Filter::equal(2)];
        let mut tests = Vec::new();
        for subject in filters {
            for object in filters {
                tests.push(LaneTest::Lookup { subject, object });
            }
            for warm_tags in [0, 0b0110] {
                for (low, width) in [(0, u64::MAX), (2, 3), (1 << 60, (1 << 60) + 4)] {
                    tests.push(LaneTest::Value(ValueTest {
                        subject,
                        low,
                        width,
                        enabled: u64::MAX,
                        warm_tags,
                        warm_ungated: if low == 2 { u64::MAX } else { 0 },
                    }));
                }
            }
        }
        let mut shapes = std::collections::HashSet::new();
        let (mut hot, mut warm) = (0, 0);
        for test in tests {
            // One answer more than blocks: the loop writes one a block, and no further.
            let unwritten = LaneMatch {
                hot: 0xdead,
                warm: 0xbeef,
            };
            let mut answers = vec![unwritten; refs.len() + 1];
            test.each(Portable, &refs, &mut answers);
            let mut expected: Vec<LaneMatch> = refs
                .iter()
                .map(|block| test.lanes(Portable, *block))
                .collect();
            expected.push(unwritten);
            assert_eq!(answers, expected, "{test:?}");
            let written = &answers[..refs.len()];
            hot += written.iter().filter(|lanes| lanes.hot != 0).count();
            warm += written.iter().filter(|lanes| lanes.warm != 0).count();
            let shape = test.shape();
            assert_eq!(Shape::ALL[usize::from(shape.rank())], shape);
            shapes.insert(shape);
        }
        assert_eq!(shapes.len(), Shape::ALL.len(), "every shape tested");
        assert!(hot > 50 && warm > 20, "hot and warm answers: {hot}, {warm}");
    }
}
