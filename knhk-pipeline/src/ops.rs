//! The hook operations, in one table: per op, its name in hook files, its constants, the kernel
//! it runs on each block, what it writes, and when it fires.
//!
//! A hook names one op, a predicate `p` and the op's constants. Over the triples with predicate
//! `p`, each op counts the triples that match: that count is the hook's **result**, exact over
//! the whole input (each block's evaluation yields a receipt, and the hook's result is the sum,
//! the merge, of its receipts' results), and the hook **fires** on it.
//!
//! | op | constants | a triple (s', p, o') matches when | fires when result |
//! |---|---|---|---|
//! | `ask_sp` | `subject` | s' = subject | > 0 |
//! | `ask_spo` | `subject`, `object` | s' = subject, o' = object | > 0 |
//! | `ask_op` | `object` | o' = object | > 0 |
//! | `count_sp_ge` / `_le` / `_eq` | `subject`, `k` (`min` too, for `_ge`) | s' = subject | >= k / <= k / = k |
//! | `count_op_ge` / `_le` / `_eq` | `object`, `k` | o' = object | >= k / <= k / = k |
//! | `unique_sp` | `subject` | s' = subject | = 1 |
//! | `compare_o_eq` / `_gt` / `_lt` / `_ge` / `_le` | `value`, optional `subject` | o' is a numeric literal whose value is = / > / < / >= / <= value (and s' = subject if given) | > 0 |
//! | `validate_datatype_sp` | `subject`, `datatype` | s' = subject, o' a literal of that datatype | > 0 |
//! | `validate_datatype_spo` | `subject`, `object`, `datatype` | s' = subject, o' = object, a literal of that datatype | > 0 |
//! | `select_sp` (warm) | `subject` | s' = subject; writes each match as an action | > 0 |
//! | `construct8` (warm) | `construct_predicate`, `construct_object`, optional `subject`, `object` | s' = subject and o' = object, for the filters given; writes (s', construct_predicate, construct_object) | > 0 |
//!
//! Numeric values are compared exactly (see [`crate::numeric`]). Datatypes the id's tag names
//! (`xsd:string`, `rdf:langString`, `xsd:integer`, `xsd:boolean`, `xsd:decimal`,
//! `xsd:double`) are checked from the id alone; any other needs the dictionary (the warm path).
//!
//! **Duplicates**: the pipeline counts statements. A triple that occurs twice in the input is
//! loaded twice and matches twice, so `count_*` counts it twice and `unique_sp` does not fire
//! on it. (An RDF graph is a set; deduplicate upstream if your input repeats triples.)
//!
//! Adding an op is one entry in [`OPS`] (and, if no existing [`Kernel`] fits, one kernel).

use crate::dictionary::IdTag;
use crate::numeric::{Comparison, NumericConstant};

/// Every hook operation. `OPS[kind as usize]` is its entry in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[allow(missing_docs)] // each is documented by its entry in `OPS` and the module's table
pub enum OpKind {
    AskSp,
    AskSpo,
    AskOp,
    CountSpGe,
    CountSpLe,
    CountSpEq,
    CountOpGe,
    CountOpLe,
    CountOpEq,
    UniqueSp,
    CompareOEq,
    CompareOGt,
    CompareOLt,
    CompareOGe,
    CompareOLe,
    ValidateDatatypeSp,
    ValidateDatatypeSpo,
    SelectSp,
    Construct8,
}

/// A hook-file key that holds one of an op's constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Key {
    /// `subject`: an IRI or literal the triple's subject must equal.
    Subject,
    /// `object`: a term the triple's object must equal.
    Object,
    /// `k`: the threshold of a `count_*` op (a TOML integer).
    K,
    /// `value`: a numeric literal a `compare_o_*` op compares objects with.
    Value,
    /// `datatype`: the IRI of a `validate_datatype_*` op's datatype.
    Datatype,
    /// `construct_predicate`: the predicate of `construct8`'s triples.
    ConstructPredicate,
    /// `construct_object`: the object of `construct8`'s triples.
    ConstructObject,
}

impl Key {
    /// Every key, in the order errors list them.
    pub const ALL: [Key; 7] = [
        Key::Subject,
        Key::Object,
        Key::K,
        Key::Value,
        Key::Datatype,
        Key::ConstructPredicate,
        Key::ConstructObject,
    ];

    /// The key as written in a hook file.
    pub const fn name(self) -> &'static str {
        match self {
            Key::Subject => "subject",
            Key::Object => "object",
            Key::K => "k",
            Key::Value => "value",
            Key::Datatype => "datatype",
            Key::ConstructPredicate => "construct_predicate",
            Key::ConstructObject => "construct_object",
        }
    }
}

/// When a hook fires, given its whole-run result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fires {
    /// result > 0
    AnyMatch,
    /// result >= k
    AtLeastK,
    /// result <= k
    AtMostK,
    /// result = k
    ExactlyK,
    /// result = 1
    ExactlyOne,
}

impl Fires {
    /// Whether a hook with this rule and threshold `k` fires on `result`.
    pub const fn fires(self, result: u64, k: u64) -> bool {
        match self {
            Fires::AnyMatch => result > 0,
            Fires::AtLeastK => result >= k,
            Fires::AtMostK => result <= k,
            Fires::ExactlyK => result == k,
            Fires::ExactlyOne => result == 1,
        }
    }
}

/// The kernel an op runs on each block: which lanes match (see [`crate::kernels`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kernel {
    /// s' = subject.
    Subject,
    /// s' = subject and o' = object.
    SubjectObject,
    /// o' = object.
    Object,
    /// o' a numeric literal whose value satisfies the comparison with `value`, and the subject
    /// filter.
    Compare(Comparison),
    /// s' = subject, and o' a literal of `datatype`.
    DatatypeSubject,
    /// s' = subject, o' = object, and o' a literal of `datatype`.
    DatatypeSubjectObject,
    /// The subject and object filters that are given (every triple if none).
    Filter,
}

/// What an op writes to the actions output for each matching triple.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Writes {
    /// Nothing: a reflex op (R1), evaluated on the hot path.
    Nothing,
    /// The triple itself (`select_sp`).
    Triple,
    /// `(s', construct_predicate, construct_object)` (`construct8`).
    Constructed,
}

/// One row of the op table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OpSpec {
    /// The op.
    pub kind: OpKind,
    /// The `kind` string of hook files and receipts.
    pub name: &'static str,
    /// Constants a hook of this op must give.
    pub required: &'static [Key],
    /// Constants it may give.
    pub optional: &'static [Key],
    /// The per-block kernel.
    pub kernel: Kernel,
    /// When it fires.
    pub fires: Fires,
    /// What it writes; an op that writes runs on the warm path.
    pub writes: Writes,
}

impl OpSpec {
    /// Whether hooks of this op are parked on the warm path by design (they write actions).
    pub const fn is_warm(&self) -> bool {
        !matches!(self.writes, Writes::Nothing)
    }

    /// Whether `key` is one of this op's constants.
    pub fn accepts(&self, key: Key) -> bool {
        self.required.contains(&key) || self.optional.contains(&key)
    }
}

const fn op(
    kind: OpKind,
    name: &'static str,
    required: &'static [Key],
    optional: &'static [Key],
    kernel: Kernel,
    fires: Fires,
) -> OpSpec {
    OpSpec {
        kind,
        name,
        required,
        optional,
        kernel,
        fires,
        writes: Writes::Nothing,
    }
}

use Key::{ConstructObject, ConstructPredicate, Datatype, Object, Subject, Value, K};

/// The op table, in [`OpKind`] order.
pub const OPS: [OpSpec; 19] = [
    op(
        OpKind::AskSp,
        "ask_sp",
        &[Subject],
        &[],
        Kernel::Subject,
        Fires::AnyMatch,
    ),
    op(
        OpKind::AskSpo,
        "ask_spo",
        &[Subject, Object],
        &[],
        Kernel::SubjectObject,
        Fires::AnyMatch,
    ),
    op(
        OpKind::AskOp,
        "ask_op",
        &[Object],
        &[],
        Kernel::Object,
        Fires::AnyMatch,
    ),
    op(
        OpKind::CountSpGe,
        "count_sp_ge",
        &[Subject, K],
        &[],
        Kernel::Subject,
        Fires::AtLeastK,
    ),
    op(
        OpKind::CountSpLe,
        "count_sp_le",
        &[Subject, K],
        &[],
        Kernel::Subject,
        Fires::AtMostK,
    ),
    op(
        OpKind::CountSpEq,
        "count_sp_eq",
        &[Subject, K],
        &[],
        Kernel::Subject,
        Fires::ExactlyK,
    ),
    op(
        OpKind::CountOpGe,
        "count_op_ge",
        &[Object, K],
        &[],
        Kernel::Object,
        Fires::AtLeastK,
    ),
    op(
        OpKind::CountOpLe,
        "count_op_le",
        &[Object, K],
        &[],
        Kernel::Object,
        Fires::AtMostK,
    ),
    op(
        OpKind::CountOpEq,
        "count_op_eq",
        &[Object, K],
        &[],
        Kernel::Object,
        Fires::ExactlyK,
    ),
    op(
        OpKind::UniqueSp,
        "unique_sp",
        &[Subject],
        &[],
        Kernel::Subject,
        Fires::ExactlyOne,
    ),
    op(
        OpKind::CompareOEq,
        "compare_o_eq",
        &[Value],
        &[Subject],
        Kernel::Compare(Comparison::Eq),
        Fires::AnyMatch,
    ),
    op(
        OpKind::CompareOGt,
        "compare_o_gt",
        &[Value],
        &[Subject],
        Kernel::Compare(Comparison::Gt),
        Fires::AnyMatch,
    ),
    op(
        OpKind::CompareOLt,
        "compare_o_lt",
        &[Value],
        &[Subject],
        Kernel::Compare(Comparison::Lt),
        Fires::AnyMatch,
    ),
    op(
        OpKind::CompareOGe,
        "compare_o_ge",
        &[Value],
        &[Subject],
        Kernel::Compare(Comparison::Ge),
        Fires::AnyMatch,
    ),
    op(
        OpKind::CompareOLe,
        "compare_o_le",
        &[Value],
        &[Subject],
        Kernel::Compare(Comparison::Le),
        Fires::AnyMatch,
    ),
    op(
        OpKind::ValidateDatatypeSp,
        "validate_datatype_sp",
        &[Subject, Datatype],
        &[],
        Kernel::DatatypeSubject,
        Fires::AnyMatch,
    ),
    op(
        OpKind::ValidateDatatypeSpo,
        "validate_datatype_spo",
        &[Subject, Object, Datatype],
        &[],
        Kernel::DatatypeSubjectObject,
        Fires::AnyMatch,
    ),
    OpSpec {
        writes: Writes::Triple,
        ..op(
            OpKind::SelectSp,
            "select_sp",
            &[Subject],
            &[],
            Kernel::Subject,
            Fires::AnyMatch,
        )
    },
    OpSpec {
        writes: Writes::Constructed,
        ..op(
            OpKind::Construct8,
            "construct8",
            &[ConstructPredicate, ConstructObject],
            &[Subject, Object],
            Kernel::Filter,
            Fires::AnyMatch,
        )
    },
];

// The table is indexed by `OpKind`: check every row sits at its kind's index.
const _: () = {
    let mut i = 0;
    while i < OPS.len() {
        assert!(OPS[i].kind as usize == i, "OPS is out of OpKind order");
        i += 1;
    }
};

impl OpKind {
    /// Every op, in table order.
    pub const ALL: [OpKind; 19] = {
        let mut all = [OpKind::AskSp; 19];
        let mut i = 0;
        while i < OPS.len() {
            all[i] = OPS[i].kind;
            i += 1;
        }
        all
    };

    /// The op's row of [`OPS`].
    pub const fn spec(self) -> &'static OpSpec {
        &OPS[self as usize]
    }

    /// The name used in hook files and receipts.
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The op named `name` in hook files.
    pub fn from_name(name: &str) -> Option<OpKind> {
        OPS.iter()
            .find(|spec| spec.name == name)
            .map(|spec| spec.kind)
    }
}

impl std::fmt::Display for OpKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// An equality filter on one position: lanes equal to `id` pass, or every lane when it is a
/// wildcard (the constant was not given). Kept as two words so kernels need no branch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Filter {
    /// The id lanes must equal.
    pub id: u64,
    /// `u64::MAX` for "any", 0 for "must equal `id`": OR-ed into the lane mask.
    pub any: u64,
}

impl Filter {
    /// Lanes must equal `id`.
    pub const fn equal(id: u64) -> Filter {
        Filter { id, any: 0 }
    }

    /// Every lane passes.
    pub const ANY: Filter = Filter {
        id: 0,
        any: u64::MAX,
    };

    /// `equal(id)` for `Some(id)`, [`Filter::ANY`] for `None`.
    pub const fn from_option(id: Option<u64>) -> Filter {
        match id {
            Some(id) => Filter::equal(id),
            None => Filter::ANY,
        }
    }

    /// The id, unless this is the wildcard.
    pub const fn id(&self) -> Option<u64> {
        if self.any == 0 {
            Some(self.id)
        } else {
            None
        }
    }
}

/// A `validate_datatype_*` datatype, checked from the id's tag where the tag names it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct DatatypeCheck {
    /// The datatype IRI.
    pub iri: String,
    /// Bit `t` set for each [`IdTag`] `t` whose ids are literals of this datatype: consecutive
    /// tags (the hot path tests them as one range of ids; [`IdTag`] numbers a datatype's
    /// inline and stored tags side by side).
    pub tags: u16,
    /// Whether no tag names the datatype, so typed literals are checked against `iri` on the
    /// warm path.
    pub typed: bool,
}

impl DatatypeCheck {
    /// The check for datatype IRI `iri`.
    pub fn new(iri: &str) -> DatatypeCheck {
        use crate::ingest::{
            RDF_LANG_STRING, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER, XSD_STRING,
        };
        let bit = |tag: IdTag| 1u16 << (tag as u8);
        let tags = match iri {
            XSD_STRING => bit(IdTag::SimpleLiteral),
            RDF_LANG_STRING => bit(IdTag::LangLiteral),
            XSD_INTEGER => bit(IdTag::IntegerInline) | bit(IdTag::IntegerStored),
            XSD_BOOLEAN => bit(IdTag::BooleanInline) | bit(IdTag::BooleanStored),
            XSD_DECIMAL => bit(IdTag::Decimal),
            XSD_DOUBLE => bit(IdTag::Double),
            _ => 0,
        };
        DatatypeCheck {
            iri: iri.to_owned(),
            tags,
            typed: tags == 0,
        }
    }

    /// The datatype the tag of an id names, if the tag alone tells.
    pub fn named_by(tag: IdTag) -> Option<&'static str> {
        use crate::ingest::{
            RDF_LANG_STRING, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER, XSD_STRING,
        };
        match tag {
            IdTag::SimpleLiteral => Some(XSD_STRING),
            IdTag::LangLiteral => Some(RDF_LANG_STRING),
            IdTag::IntegerInline | IdTag::IntegerStored => Some(XSD_INTEGER),
            IdTag::BooleanInline | IdTag::BooleanStored => Some(XSD_BOOLEAN),
            IdTag::Decimal => Some(XSD_DECIMAL),
            IdTag::Double => Some(XSD_DOUBLE),
            IdTag::Iri | IdTag::BlankNode | IdTag::TypedLiteral => None,
        }
    }

    /// Bit `t` set for the tags whose lanes need the warm path: typed literals, when the
    /// datatype is not one a tag names.
    pub fn warm_tags(&self) -> u16 {
        if self.typed {
            1 << (IdTag::TypedLiteral as u8)
        } else {
            0
        }
    }
}

/// A hook's constants, encoded: what its kernel and firing rule read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Args {
    /// The subject filter ([`Filter::ANY`] when the op has no subject or it was not given).
    pub subject: Filter,
    /// The object filter.
    pub object: Filter,
    /// The `count_*` threshold (0 for other ops).
    pub k: u64,
    /// The `compare_o_*` constant.
    pub value: Option<NumericConstant>,
    /// The `validate_datatype_*` datatype.
    pub datatype: Option<DatatypeCheck>,
    /// `construct8`'s predicate and object ids.
    pub construct: Option<(u64, u64)>,
}

impl Default for Args {
    fn default() -> Self {
        Args {
            subject: Filter::ANY,
            object: Filter::ANY,
            k: 0,
            value: None,
            datatype: None,
            construct: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_is_in_the_table_once_by_its_name() {
        assert_eq!(OpKind::ALL.len(), 19);
        for kind in OpKind::ALL {
            assert_eq!(OpKind::from_name(kind.name()), Some(kind));
            let spec = kind.spec();
            for key in spec.required {
                assert!(!spec.optional.contains(key), "{kind}: {key:?} twice");
            }
        }
        assert_eq!(OpKind::from_name("construct"), None);
    }

    #[test]
    fn firing_rules_read_the_whole_run_result() {
        assert!(Fires::AtLeastK.fires(10, 9) && !Fires::AtLeastK.fires(8, 9));
        assert!(Fires::AtMostK.fires(0, 0) && !Fires::AtMostK.fires(1, 0));
        assert!(Fires::ExactlyK.fires(3, 3) && !Fires::ExactlyK.fires(2, 3));
        assert!(Fires::ExactlyOne.fires(1, 0) && !Fires::ExactlyOne.fires(2, 0));
        assert!(Fires::AnyMatch.fires(1, 0) && !Fires::AnyMatch.fires(0, 0));
    }

    #[test]
    fn only_ops_that_write_are_warm() {
        let warm: Vec<_> = OPS.iter().filter(|s| s.is_warm()).map(|s| s.name).collect();
        assert_eq!(warm, ["select_sp", "construct8"]);
    }
}
