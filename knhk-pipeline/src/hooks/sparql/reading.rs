//! What a query asks, once its algebra is read: one triple pattern with a fixed predicate, the
//! query form, and at most one condition. The shapes table matches on this, never on algebra.

use spargebra::term::{Literal, NamedNode, Term};

use crate::numeric::Comparison;

/// The query form, with what a `CONSTRUCT` template writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Form {
    /// `ASK`: whether anything matches (or the count's threshold holds).
    Ask,
    /// `SELECT ?o`: the object of each match.
    Select,
    /// `CONSTRUCT { s' <predicate> <object> }`: one triple per match.
    Construct {
        /// The template's predicate.
        predicate: NamedNode,
        /// The template's object.
        object: Term,
    },
}

/// A position of the triple pattern: a constant (written, or bound by a one-row `VALUES`) or
/// a variable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Slot {
    /// An IRI or literal the triple must have here.
    Fixed(Term),
    /// A variable: anything matches.
    Free,
}

/// How a count is compared with its threshold, once `> j` is read as `>= j + 1` and `< j` as
/// `<= j - 1`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum CountRule {
    /// `COUNT(*) >= k`
    AtLeast,
    /// `COUNT(*) <= k`
    AtMost,
    /// `COUNT(*) = k`
    Exactly,
}

/// The one `FILTER` condition on the object that the ops decide exactly.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum ObjectTest {
    /// `FILTER(?o op v)` with a numeric literal `v`, the variable on the left.
    Compare(Comparison, Literal),
    /// `FILTER(datatype(?o) = <dt>)`.
    Datatype(NamedNode),
}

/// A query read down to what the ops can express.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Reading {
    /// The query form.
    pub form: Form,
    /// The pattern's subject.
    pub subject: Slot,
    /// The pattern's predicate (a variable predicate is refused before a reading exists).
    pub predicate: NamedNode,
    /// The pattern's object.
    pub object: Slot,
    /// The `FILTER` on the object, if any.
    pub test: Option<ObjectTest>,
    /// The `HAVING`-style count threshold, if any.
    pub count: Option<(CountRule, u64)>,
}
