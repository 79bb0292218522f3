//! Every kernel equals its scalar reference model on random blocks, random active lengths (with
//! stale values in the inactive lanes) and the edge values: 0, 1, `u64::MAX`, 2^63, the
//! inline-integer bounds, and ids of every tag. And the hot path plus the warm path give the
//! exact numeric answer on literals of every numeric type. The streamed kernels too.

use knhk_pipeline::arch::{self, LaneIsa, LaneWork};
use knhk_pipeline::block::{RunTriple, RunTripleLanes, HOT_LANES};
use knhk_pipeline::dictionary::{Dictionary, TermId};
use knhk_pipeline::ingest::{Literal, Term};
use knhk_pipeline::kernels::{self, model, streamed, warm, LaneMatch, LaneTest, Portable};
use knhk_pipeline::numeric::{
    numeric_kind, parse_value, Comparison, DigitBuffer, NumericConstant, NumericKind,
};
use knhk_pipeline::ops::{Args, DatatypeCheck, Filter, Kernel};
use proptest::prelude::*;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

fn inline(value: i64) -> u64 {
    TermId::from_inline_integer(value).unwrap().to_u64()
}

/// Ids that matter: edge values, inline integers near the bounds, and ids of every tag, drawn
/// from a small set often so that lanes collide with the hook's constants.
fn id() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(1 << 63),
        Just(inline(TermId::INLINE_INTEGER_MIN)),
        Just(inline(TermId::INLINE_INTEGER_MAX)),
        Just(inline(0)),
        Just(inline(-1)),
        (-20i64..20).prop_map(inline),
        (TermId::INLINE_INTEGER_MIN..=TermId::INLINE_INTEGER_MAX).prop_map(inline),
        (0u64..16, 0u64..4).prop_map(|(tag, payload)| tag << 60 | payload),
        any::<u64>(),
    ]
}

fn block() -> impl Strategy<Value = RunTripleLanes> {
    (proptest::array::uniform8((id(), id())), 0..=HOT_LANES, id()).prop_map(
        |(lanes, len, predicate)| {
            let mut block = RunTripleLanes::new();
            // Fill all 8 lanes, then shorten: the inactive lanes keep stale values.
            for (s, o) in lanes {
                block.push(RunTriple { s, p: predicate, o }).unwrap();
            }
            let mut shorter = RunTripleLanes::new();
            shorter.fill_from(&block.iter().collect::<Vec<_>>());
            lanepool::LaneBlock::set_len(&mut shorter, len);
            shorter
        },
    )
}

fn filter() -> impl Strategy<Value = Filter> {
    prop_oneof![Just(Filter::ANY), id().prop_map(Filter::equal)]
}

fn comparison() -> impl Strategy<Value = Comparison> {
    prop_oneof![
        Just(Comparison::Eq),
        Just(Comparison::Gt),
        Just(Comparison::Lt),
        Just(Comparison::Ge),
        Just(Comparison::Le),
    ]
}

/// Numeric literal text and kind: integers inside and beyond the inline range, decimals,
/// doubles and floats, the special values.
fn numeric_literal() -> impl Strategy<Value = (String, NumericKind)> {
    let integer = NumericKind::Integer {
        min: None,
        max: None,
    };
    prop_oneof![
        (-30i64..30).prop_map(move |v| (v.to_string(), integer)),
        any::<i64>().prop_map(move |v| (v.to_string(), integer)),
        any::<i128>().prop_map(move |v| (v.to_string(), integer)),
        Just((TermId::INLINE_INTEGER_MAX.to_string(), integer)),
        Just((
            (TermId::INLINE_INTEGER_MAX as i128 + 1).to_string(),
            integer
        )),
        Just((TermId::INLINE_INTEGER_MIN.to_string(), integer)),
        Just((
            (TermId::INLINE_INTEGER_MIN as i128 - 1).to_string(),
            integer
        )),
        (-30i64..30, 0u32..100).prop_map(|(a, b)| (format!("{a}.{b:02}"), NumericKind::Decimal)),
        any::<f64>().prop_map(|x| (format!("{x:e}"), NumericKind::Double)),
        (-30.0f64..30.0).prop_map(|x| (format!("{x}"), NumericKind::Double)),
        any::<f32>().prop_map(|x| (format!("{x:e}"), NumericKind::Float)),
        Just(("INF".to_owned(), NumericKind::Double)),
        Just(("-INF".to_owned(), NumericKind::Double)),
        Just(("NaN".to_owned(), NumericKind::Double)),
    ]
}

fn constant() -> impl Strategy<Value = NumericConstant> {
    (numeric_literal(), comparison()).prop_filter_map("a valid literal", |((text, kind), cmp)| {
        NumericConstant::new(&text, kind, cmp)
    })
}

fn datatype() -> impl Strategy<Value = DatatypeCheck> {
    prop_oneof![
        Just(format!("{XSD}string")),
        Just("http://www.w3.org/1999/02/22-rdf-syntax-ns#langString".to_owned()),
        Just(format!("{XSD}integer")),
        Just(format!("{XSD}boolean")),
        Just(format!("{XSD}decimal")),
        Just(format!("{XSD}double")),
        Just(format!("{XSD}float")),
        Just(format!("{XSD}date")),
    ]
    .prop_map(|iri| DatatypeCheck::new(&iri))
}

fn args() -> impl Strategy<Value = Args> {
    (filter(), filter(), constant(), datatype()).prop_map(|(subject, object, value, datatype)| {
        Args {
            subject,
            object,
            k: 0,
            value: Some(value),
            datatype: Some(datatype),
            construct: Some((1, 2)),
        }
    })
}

fn kernel() -> impl Strategy<Value = Kernel> {
    prop_oneof![
        Just(Kernel::Subject),
        Just(Kernel::Object),
        Just(Kernel::SubjectObject),
        Just(Kernel::Filter),
        comparison().prop_map(Kernel::Compare),
        Just(Kernel::DatatypeSubject),
        Just(Kernel::DatatypeSubjectObject),
    ]
}

/// One kernel on one block, as a batch for `with_best_lanes`.
struct OneBlock<'a> {
    kernel: Kernel,
    block: &'a RunTripleLanes,
    args: &'a Args,
}

impl LaneWork for OneBlock<'_> {
    type Output = LaneMatch;
    fn run<I: LaneIsa>(self, isa: I) -> LaneMatch {
        kernels::evaluate(isa, self.kernel, self.block, self.args)
    }
}

/// One kernel over consecutive blocks, as the hot pass runs it.
struct Batch<'a> {
    kernel: Kernel,
    blocks: &'a [Box<RunTripleLanes>],
    args: &'a Args,
}

impl LaneWork for Batch<'_> {
    type Output = Vec<LaneMatch>;
    fn run<I: LaneIsa>(self, isa: I) -> Vec<LaneMatch> {
        let mut answers = vec![LaneMatch::default(); self.blocks.len()];
        kernels::evaluate_each(isa, self.kernel, self.blocks, self.args, &mut answers);
        answers
    }
}

/// The streamed kernel of `kernel` on one block ([`kernels::streamed`]), for the kernels it
/// has: the id lookups of one subject, one object or both, and every value test.
struct Streamed<'a> {
    kernel: Kernel,
    block: &'a RunTripleLanes,
    args: &'a Args,
}

impl LaneWork for Streamed<'_> {
    type Output = Option<LaneMatch>;
    fn run<I: LaneIsa>(self, isa: I) -> Option<LaneMatch> {
        let (block, subject, object) = (self.block, self.args.subject.id, self.args.object.id);
        Some(match self.kernel {
            Kernel::Subject => LaneMatch::hot(streamed::match_s(isa, block, subject)),
            Kernel::Object => LaneMatch::hot(streamed::match_o(isa, block, object)),
            Kernel::SubjectObject => {
                LaneMatch::hot(streamed::match_so(isa, block, subject, object))
            }
            Kernel::Filter => return None,
            _ => match LaneTest::of(self.kernel, self.args) {
                LaneTest::Value(test) => streamed::match_value(isa, block, test),
                LaneTest::Lookup { .. } => unreachable!("value kernels make value tests"),
            },
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn every_streamed_kernel_equals_its_scalar_model(
        kernel in kernel(),
        block in block(),
        mut args in args(),
    ) {
        if matches!(kernel, Kernel::Subject | Kernel::SubjectObject | Kernel::DatatypeSubject | Kernel::DatatypeSubjectObject) {
            args.subject = Filter::equal(args.subject.id);
        }
        if matches!(kernel, Kernel::Object | Kernel::SubjectObject | Kernel::DatatypeSubjectObject) {
            args.object = Filter::equal(args.object.id);
        }
        let slow = model::evaluate(kernel, &block, &args);
        let portable = Streamed { kernel, block: &block, args: &args }.run(Portable);
        let best = arch::with_best_lanes(Streamed { kernel, block: &block, args: &args });
        if let Some(portable) = portable {
            prop_assert_eq!(portable, slow);
            prop_assert_eq!(best, Some(slow), "{} lanes", arch::best_lanes());
        }
    }

    #[test]
    fn a_batch_answers_as_its_blocks_one_by_one(
        kernel in kernel(),
        blocks in proptest::collection::vec(block(), 0..5),
        args in args(),
    ) {
        let blocks: Vec<Box<RunTripleLanes>> = blocks.into_iter().map(Box::new).collect();
        let one_by_one: Vec<LaneMatch> = blocks
            .iter()
            .map(|block| kernels::evaluate(Portable, kernel, &**block, &args))
            .collect();
        let batch = Batch { kernel, blocks: &blocks, args: &args };
        prop_assert_eq!(&batch.run(Portable), &one_by_one);
        let batch = Batch { kernel, blocks: &blocks, args: &args };
        prop_assert_eq!(&arch::with_best_lanes(batch), &one_by_one);
    }

    #[test]
    fn every_kernel_equals_its_scalar_model(kernel in kernel(), block in block(), mut args in args()) {
        // A kernel needs the constants its op requires: give the filters an id when the model
        // reads them unconditionally.
        if matches!(kernel, Kernel::Subject | Kernel::SubjectObject | Kernel::DatatypeSubject | Kernel::DatatypeSubjectObject) {
            args.subject = Filter::equal(args.subject.id);
        }
        if matches!(kernel, Kernel::Object | Kernel::SubjectObject | Kernel::DatatypeSubjectObject) {
            args.object = Filter::equal(args.object.id);
        }
        let fast = kernels::evaluate(Portable, kernel, &block, &args);
        let slow = model::evaluate(kernel, &block, &args);
        prop_assert_eq!(fast, slow);
        // The same kernel under the best instruction set this CPU has (AVX2 on x86_64).
        let best = arch::with_best_lanes(OneBlock { kernel, block: &block, args: &args });
        prop_assert_eq!(best, slow, "{} lanes", arch::best_lanes());
        prop_assert_eq!(fast.hot & !block.active_mask(), 0, "inactive lanes never match");
        prop_assert_eq!(fast.hot & fast.warm, 0, "a lane is decided on one path");
    }

    #[test]
    fn hot_and_warm_paths_give_the_exact_numeric_answer(
        literals in proptest::collection::vec((numeric_literal(), 0usize..4), 1..=8),
        value in constant(),
    ) {
        let datatypes = ["integer", "decimal", "double", "float"];
        let mut dictionary = Dictionary::new();
        let scope = dictionary.begin_document().unwrap();
        let mut block = RunTripleLanes::new();
        let mut texts = Vec::new();
        for ((text, kind), other) in &literals {
            // Write each literal under its own datatype, or (for integers) a derived one.
            let datatype = match kind {
                NumericKind::Integer { .. } if *other == 0 => format!("{XSD}long"),
                NumericKind::Integer { .. } => format!("{XSD}integer"),
                NumericKind::Decimal => format!("{XSD}{}", datatypes[1]),
                NumericKind::Double => format!("{XSD}{}", datatypes[2]),
                NumericKind::Float => format!("{XSD}{}", datatypes[3]),
            };
            let id = dictionary
                .encode(scope, Term::Literal(Literal::typed(text, &datatype)))
                .unwrap();
            block.push(RunTriple { s: 1, p: 2, o: id.to_u64() }).unwrap();
            texts.push((text.clone(), datatype));
        }
        let args = Args { value: Some(value.clone()), ..Args::default() };
        let kernel = Kernel::Compare(value.comparison());
        let lanes = arch::with_best_lanes(OneBlock { kernel, block: &block, args: &args });
        let matched = lanes.hot | warm::resolve(kernel, &args, &block, lanes.warm, &dictionary);
        for (lane, (text, datatype)) in texts.iter().enumerate() {
            let mut buffer = DigitBuffer::default();
            let exact = numeric_kind(datatype)
                .and_then(|kind| parse_value(text, kind, &mut buffer))
                .is_some_and(|literal| value.matches(&literal));
            prop_assert_eq!(matched >> lane & 1 == 1, exact, "{} ^^ {} against {:?}", text, datatype, value);
        }
    }
}
