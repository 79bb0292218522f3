//! Hooks written in SPARQL: a query is parsed by oxigraph's parser (`spargebra`), read down to
//! one triple pattern and one condition, and matched against a table of shapes, one per op.
//! The hook then runs as the op and constants it compiled to, on the same kernels as a hook
//! written with `kind`; a query no shape fits is refused with the construct that does not fit
//! and the list of shapes.
//!
//! | SPARQL (`<p>` a fixed predicate; `<s>`, `<o>` IRIs or literals) | op |
//! |---|---|
//! | `ASK { <s> <p> ?o }` | `ask_sp` |
//! | `ASK { <s> <p> <o> }` | `ask_spo` |
//! | `ASK { ?s <p> <o> }` | `ask_op` |
//! | `ASK { <s> <p> ?o } HAVING (COUNT(*) >= k)` / `<= k` / `= k` | `count_sp_ge` / `_le` / `_eq` (`= 1`: `unique_sp`) |
//! | the same on `?s <p> <o>` | `count_op_ge` / `_le` / `_eq` |
//! | `ASK { ?s <p> ?o FILTER(?o > v) }` (`=`, `<`, `>=`, `<=`; `<s>` or `?s`) | `compare_o_gt` (`_eq`, `_lt`, `_ge`, `_le`) |
//! | `ASK { <s> <p> ?o FILTER(datatype(?o) = <dt>) }` | `validate_datatype_sp` |
//! | `ASK { VALUES ?o { <o> } <s> <p> ?o FILTER(datatype(?o) = <dt>) }` | `validate_datatype_spo` |
//! | `SELECT ?o WHERE { <s> <p> ?o }` | `select_sp` |
//! | `CONSTRUCT { ?s <cp> <co> } WHERE { ?s <p> ?o }` (subject, object or both may be fixed) | `construct8` |
//!
//! Spellings that mean the same compile the same: prefixed names, `a`, numeric shorthand
//! (`34`, `1.5`, `1e3`, `-5`), `COUNT(?o)` for `COUNT(*)`, `v < ?o` for `?o > v`, `> k - 1`
//! for `>= k` (and `< k + 1` for `<= k`), a one-row `VALUES` for a constant in the pattern, and
//! the sub-select `ASK { { SELECT (COUNT(*) AS ?n) WHERE { … } } FILTER(?n >= k) }` for
//! `HAVING` on `ASK` (which oxigraph's parser refuses; `parse` reads it all the same).
//!
//! Files, in the order a query flows: `parse` (text to algebra, with the parser's position),
//! `reduce` (algebra to a reading of one pattern and one condition, refusing what does not
//! fit), `shape` (the table), `error` (why a query does not compile), and `reading` (what
//! `reduce` hands `shape`).

mod error;
mod parse;
mod reading;
mod reduce;
mod shape;

pub use error::{Refusal, SparqlError};

use crate::ops::{Key, OpKind};
use reading::{Form, ObjectTest, Slot};

/// A query compiled: the op, and its constants as a hook file writes them (N-Triples terms).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompiledQuery {
    /// The op.
    pub kind: OpKind,
    /// The predicate, in N-Triples syntax.
    pub predicate: String,
    /// The op's term constants (subject, object, value, datatype, construct predicate and
    /// object), in N-Triples syntax, in [`Key::ALL`] order.
    pub terms: Vec<(Key, String)>,
    /// The `count_*` threshold.
    pub k: Option<u64>,
}

/// Compiles a SPARQL query to the op and constants it means.
///
/// # Errors
///
/// [`SparqlError::Syntax`] for text the parser refuses, [`SparqlError::Refused`] for a query
/// no op computes.
pub fn compile_sparql(query: &str) -> Result<CompiledQuery, SparqlError> {
    let parsed = parse::parse_query(query)?;
    let reading = reduce::read(&parsed).map_err(|construct| SparqlError::Refused { construct })?;
    let Some(shape) = shape::fit(&reading) else {
        return Err(SparqlError::Refused {
            construct: Refusal::NoShape,
        });
    };
    let op = shape.op.spec();
    let mut terms = Vec::new();
    let mut give = |key: Key, text: String| {
        if op.accepts(key) {
            terms.push((key, text));
        }
    };
    if let Slot::Fixed(subject) = &reading.subject {
        give(Key::Subject, subject.to_string());
    }
    if let Slot::Fixed(object) = &reading.object {
        give(Key::Object, object.to_string());
    }
    match &reading.test {
        Some(ObjectTest::Compare(_, value)) => give(Key::Value, value.to_string()),
        Some(ObjectTest::Datatype(datatype)) => give(Key::Datatype, datatype.to_string()),
        None => {}
    }
    if let Form::Construct { predicate, object } = &reading.form {
        give(Key::ConstructPredicate, predicate.to_string());
        give(Key::ConstructObject, object.to_string());
    }
    Ok(CompiledQuery {
        kind: shape.op,
        predicate: reading.predicate.to_string(),
        terms,
        k: reading.count.map(|(_, k)| k).filter(|_| op.accepts(Key::K)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shape as the refusal message lists it, with its placeholders filled in, compiles
    /// to that shape's op: the list users are told to copy from is true.
    #[test]
    fn every_listed_shape_compiles_to_its_op() {
        for shape in &shape::SHAPES {
            let query = shape
                .sparql
                .trim_end_matches(" (or <s>)")
                .trim_end_matches(" (either may be fixed)")
                .replace("<s>", "<http://s>")
                .replace("<p>", "<http://p>")
                .replace("<o>", "<http://o>")
                .replace("<dt>", "<http://dt>")
                .replace("<cp>", "<http://cp>")
                .replace("<co>", "<http://co>")
                .replace(" k)", " 3)")
                .replace(" v)", " 5)");
            let compiled = compile_sparql(&query).unwrap_or_else(|e| panic!("{query}: {e}"));
            assert_eq!(compiled.kind, shape.op, "{query}");
        }
    }
}
