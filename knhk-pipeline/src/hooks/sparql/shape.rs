//! The shapes table: per op, the SPARQL it is written as and what a [`Reading`] must look like
//! to compile to it. The first row that fits wins; a reading no row fits is refused, and the
//! refusal lists every row's SPARQL.

use super::reading::{CountRule, Form, ObjectTest, Reading, Slot};
use crate::numeric::Comparison;
use crate::ops::OpKind;

/// Which query form a shape takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum FormShape {
    Ask,
    Select,
    Construct,
}

/// What a shape needs at a position of the triple pattern.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum SlotShape {
    /// A constant.
    Fixed,
    /// A variable.
    Free,
    /// Either: an optional filter of the op.
    Either,
}

/// The condition a shape needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TestShape {
    /// No `FILTER` and no count.
    Nothing,
    /// A count compared with a threshold.
    Count(CountRule),
    /// A count equal to exactly 1.
    CountIsOne,
    /// `FILTER(?o op v)`.
    Compare(Comparison),
    /// `FILTER(datatype(?o) = <dt>)`.
    Datatype,
}

/// One row of the table.
#[derive(Clone, Copy, Debug)]
pub(super) struct Shape {
    /// The op it compiles to.
    pub op: OpKind,
    /// How it is written, for messages and the manual.
    pub sparql: &'static str,
    form: FormShape,
    subject: SlotShape,
    object: SlotShape,
    test: TestShape,
}

const fn shape(
    op: OpKind,
    sparql: &'static str,
    form: FormShape,
    subject: SlotShape,
    object: SlotShape,
    test: TestShape,
) -> Shape {
    Shape {
        op,
        sparql,
        form,
        subject,
        object,
        test,
    }
}

use CountRule::{AtLeast, AtMost, Exactly};
use FormShape::{Ask, Construct, Select};
use SlotShape::{Either, Fixed, Free};
use TestShape::{Count, CountIsOne, Datatype, Nothing};

/// Every shape, in the order they are tried. The count shapes are written as the sub-select
/// every SPARQL engine parses; `ASK { … } HAVING (COUNT(*) >= k)` reads the same.
/// `unique_sp` comes before `count_sp_eq`, so `= 1` on a fixed subject compiles to it.
pub(super) const SHAPES: [Shape; 19] = [
    shape(
        OpKind::AskSp,
        "ASK { <s> <p> ?o }",
        Ask,
        Fixed,
        Free,
        Nothing,
    ),
    shape(
        OpKind::AskSpo,
        "ASK { <s> <p> <o> }",
        Ask,
        Fixed,
        Fixed,
        Nothing,
    ),
    shape(
        OpKind::AskOp,
        "ASK { ?s <p> <o> }",
        Ask,
        Free,
        Fixed,
        Nothing,
    ),
    shape(
        OpKind::UniqueSp,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <s> <p> ?o } } FILTER(?n = 1) }",
        Ask,
        Fixed,
        Free,
        CountIsOne,
    ),
    shape(
        OpKind::CountSpGe,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <s> <p> ?o } } FILTER(?n >= k) }",
        Ask,
        Fixed,
        Free,
        Count(AtLeast),
    ),
    shape(
        OpKind::CountSpLe,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <s> <p> ?o } } FILTER(?n <= k) }",
        Ask,
        Fixed,
        Free,
        Count(AtMost),
    ),
    shape(
        OpKind::CountSpEq,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <s> <p> ?o } } FILTER(?n = k) }",
        Ask,
        Fixed,
        Free,
        Count(Exactly),
    ),
    shape(
        OpKind::CountOpGe,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <p> <o> } } FILTER(?n >= k) }",
        Ask,
        Free,
        Fixed,
        Count(AtLeast),
    ),
    shape(
        OpKind::CountOpLe,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <p> <o> } } FILTER(?n <= k) }",
        Ask,
        Free,
        Fixed,
        Count(AtMost),
    ),
    shape(
        OpKind::CountOpEq,
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <p> <o> } } FILTER(?n = k) }",
        Ask,
        Free,
        Fixed,
        Count(Exactly),
    ),
    shape(
        OpKind::CompareOEq,
        "ASK { ?s <p> ?o FILTER(?o = v) } (or <s>)",
        Ask,
        Either,
        Free,
        TestShape::Compare(Comparison::Eq),
    ),
    shape(
        OpKind::CompareOGt,
        "ASK { ?s <p> ?o FILTER(?o > v) } (or <s>)",
        Ask,
        Either,
        Free,
        TestShape::Compare(Comparison::Gt),
    ),
    shape(
        OpKind::CompareOLt,
        "ASK { ?s <p> ?o FILTER(?o < v) } (or <s>)",
        Ask,
        Either,
        Free,
        TestShape::Compare(Comparison::Lt),
    ),
    shape(
        OpKind::CompareOGe,
        "ASK { ?s <p> ?o FILTER(?o >= v) } (or <s>)",
        Ask,
        Either,
        Free,
        TestShape::Compare(Comparison::Ge),
    ),
    shape(
        OpKind::CompareOLe,
        "ASK { ?s <p> ?o FILTER(?o <= v) } (or <s>)",
        Ask,
        Either,
        Free,
        TestShape::Compare(Comparison::Le),
    ),
    shape(
        OpKind::ValidateDatatypeSp,
        "ASK { <s> <p> ?o FILTER(datatype(?o) = <dt>) }",
        Ask,
        Fixed,
        Free,
        Datatype,
    ),
    shape(
        OpKind::ValidateDatatypeSpo,
        "ASK { VALUES ?o { <o> } <s> <p> ?o FILTER(datatype(?o) = <dt>) }",
        Ask,
        Fixed,
        Fixed,
        Datatype,
    ),
    shape(
        OpKind::SelectSp,
        "SELECT ?o WHERE { <s> <p> ?o }",
        Select,
        Fixed,
        Free,
        Nothing,
    ),
    shape(
        OpKind::Construct8,
        "CONSTRUCT { ?s <cp> <co> } WHERE { ?s <p> ?o } (either may be fixed)",
        Construct,
        Either,
        Either,
        Nothing,
    ),
];

// Every op has exactly one shape, so every op can be written in SPARQL: a new op in
// `crate::ops::OPS` fails here until it has its row.
const _: () = {
    assert!(SHAPES.len() == OpKind::ALL.len(), "an op has no shape");
    let mut seen = [false; OpKind::ALL.len()];
    let mut i = 0;
    while i < SHAPES.len() {
        assert!(!seen[SHAPES[i].op as usize], "an op has two shapes");
        seen[SHAPES[i].op as usize] = true;
        i += 1;
    }
};

impl SlotShape {
    fn fits(self, slot: &Slot) -> bool {
        matches!(
            (self, slot),
            (SlotShape::Either, _)
                | (SlotShape::Fixed, Slot::Fixed(_))
                | (SlotShape::Free, Slot::Free)
        )
    }
}

impl Shape {
    /// Whether `reading` compiles to this shape's op.
    pub(super) fn fits(&self, reading: &Reading) -> bool {
        let form = match reading.form {
            Form::Ask => FormShape::Ask,
            Form::Select => FormShape::Select,
            Form::Construct { .. } => FormShape::Construct,
        };
        let test = match (&reading.test, reading.count) {
            (None, None) => self.test == Nothing,
            (None, Some((rule, k))) => match self.test {
                Count(wanted) => wanted == rule,
                CountIsOne => rule == Exactly && k == 1,
                _ => false,
            },
            (Some(ObjectTest::Compare(comparison, _)), None) => {
                self.test == TestShape::Compare(*comparison)
            }
            (Some(ObjectTest::Datatype(_)), None) => self.test == Datatype,
            (Some(_), Some(_)) => false,
        };
        form == self.form
            && self.subject.fits(&reading.subject)
            && self.object.fits(&reading.object)
            && test
    }
}

/// The first shape `reading` fits.
pub(super) fn fit(reading: &Reading) -> Option<&'static Shape> {
    SHAPES.iter().find(|shape| shape.fits(reading))
}
