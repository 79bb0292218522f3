//! A [`HookSpec`] checked against its op and its terms encoded: the cold path that lets the hot
//! path compare ids only.

use std::sync::Arc;

use super::compile::compile_hook;
use super::error::HookError;
use super::file::HookSpec;
use super::registry::Hook;
use crate::dictionary::{Dictionary, DocumentScope};
use crate::ingest::{parse_term, IngestError, SyntaxErrorKind, Term, TermPosition};
use crate::numeric::{numeric_kind, Comparison, NumericConstant};
use crate::ops::{Args, DatatypeCheck, Filter, Kernel, Key, OpKind};

/// Compiles `spec` if it is written in SPARQL, encodes its terms in `dictionary` (scope
/// `scope`) and checks its fields for its kind.
///
/// # Errors
///
/// A [`HookError`] naming the hook and the field (or the query's problem).
pub fn encode_hook(
    spec: &HookSpec,
    dictionary: &mut Dictionary,
    scope: DocumentScope,
) -> Result<Hook, HookError> {
    let spec = &*compile_hook(spec)?;
    let mut encoder = TermEncoder {
        spec,
        dictionary,
        scope,
    };
    let predicate = encoder.term(
        "predicate",
        Some(&spec.predicate),
        TermPosition::Predicate,
        Use::Matched,
    )?;
    let Some(kind) = OpKind::from_name(&spec.kind) else {
        return Err(HookError::UnknownKind {
            hook: spec.name.clone(),
            kind: spec.kind.clone(),
        });
    };
    let op = kind.spec();
    let name = op.name;
    let given = |key: Key| match key {
        Key::Subject => spec.subject.is_some(),
        Key::Object => spec.object.is_some(),
        Key::K => spec.k.is_some() || spec.min.is_some(),
        Key::Value => spec.value.is_some(),
        Key::Datatype => spec.datatype.is_some(),
        Key::ConstructPredicate => spec.construct_predicate.is_some(),
        Key::ConstructObject => spec.construct_object.is_some(),
    };
    if spec.min.is_some() && kind != OpKind::CountSpGe {
        return Err(HookError::UnusedField {
            hook: spec.name.clone(),
            kind: name,
            field: "min",
        });
    }
    if spec.min.is_some() && spec.k.is_some() {
        return Err(HookError::InvalidConstant {
            hook: spec.name.clone(),
            field: "min",
            problem: "and `k` are the same threshold; give one of them",
        });
    }
    for key in Key::ALL {
        if given(key) && !op.accepts(key) {
            return Err(HookError::UnusedField {
                hook: spec.name.clone(),
                kind: name,
                field: key.name(),
            });
        }
        if !given(key) && op.required.contains(&key) {
            return Err(HookError::MissingField {
                hook: spec.name.clone(),
                kind: name,
                field: key.name(),
            });
        }
    }
    let subject = encoder.term(
        "subject",
        spec.subject.as_deref(),
        TermPosition::Subject,
        Use::Matched,
    )?;
    let object = encoder.term(
        "object",
        spec.object.as_deref(),
        TermPosition::Object,
        Use::Matched,
    )?;
    let construct_predicate = encoder.term(
        "construct_predicate",
        spec.construct_predicate.as_deref(),
        TermPosition::Predicate,
        Use::Written,
    )?;
    let construct_object = encoder.term(
        "construct_object",
        spec.construct_object.as_deref(),
        TermPosition::Object,
        Use::Written,
    )?;
    let value = match (&spec.value, op.kernel) {
        (Some(text), Kernel::Compare(comparison)) => Some(encoder.numeric(text, comparison)?),
        _ => None,
    };
    let datatype = match &spec.datatype {
        Some(text) => Some(DatatypeCheck::new(&encoder.iri("datatype", text)?)),
        None => None,
    };
    let args = Args {
        subject: Filter::from_option(subject),
        object: Filter::from_option(object),
        k: spec.k.or(spec.min.map(u64::from)).unwrap_or(0),
        value,
        datatype,
        construct: construct_predicate.zip(construct_object),
    };
    Ok(Hook {
        name: spec.name.clone(),
        // `term` answers `Some` for a given field; the predicate is always given.
        predicate: predicate.unwrap_or_default(),
        kind,
        args,
    })
}

/// What a hook does with a term: a blank node can be written, never matched.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    /// Compared with the data's terms: a blank node of the hook file never equals one.
    Matched,
    /// Written into constructed triples: a blank node is the hook file's own node.
    Written,
}

struct TermEncoder<'a> {
    spec: &'a HookSpec,
    dictionary: &'a mut Dictionary,
    scope: DocumentScope,
}

impl TermEncoder<'_> {
    /// A `value` constant: an N-Triples numeric literal, parsed exactly.
    fn numeric(
        &mut self,
        text: &str,
        comparison: Comparison,
    ) -> Result<NumericConstant, HookError> {
        let hook = &self.spec.name;
        let invalid = |problem| HookError::InvalidConstant {
            hook: hook.clone(),
            field: "value",
            problem,
        };
        let (literal, datatype) =
            scan_term(
                hook,
                "value",
                text,
                TermPosition::Object,
                |term| match term {
                    Term::Literal(literal) => {
                        Ok((literal.value().to_owned(), literal.datatype().to_owned()))
                    }
                    _ => Err(invalid(
                        "is not a literal: write a numeric literal such as \
                 '\"10\"^^<http://www.w3.org/2001/XMLSchema#integer>'",
                    )),
                },
            )?;
        let Some(kind) = numeric_kind(&datatype) else {
            return Err(invalid(
                "is not a numeric literal: write e.g. '\"10\"^^<http://www.w3.org/2001/XMLSchema#integer>' \
                 (integer, decimal, double, float or a type derived from integer)",
            ));
        };
        NumericConstant::new(&literal, kind, comparison)
            .ok_or_else(|| invalid("is not a valid literal of its numeric datatype"))
    }

    /// A `datatype` constant: an IRI in N-Triples syntax.
    fn iri(&mut self, field: &'static str, text: &str) -> Result<String, HookError> {
        let hook = &self.spec.name;
        scan_term(
            hook,
            field,
            text,
            TermPosition::Predicate,
            |term| match term {
                Term::Iri(iri) => Ok(iri.to_owned()),
                _ => Err(HookError::InvalidConstant {
                    hook: hook.clone(),
                    field,
                    problem: "is not an IRI: write the datatype as <http://...>",
                }),
            },
        )
    }

    /// Encodes one term, so hook terms obey exactly the grammar and escapes of the data.
    fn term(
        &mut self,
        field: &'static str,
        text: Option<&str>,
        position: TermPosition,
        used: Use,
    ) -> Result<Option<u64>, HookError> {
        let Some(text) = text else { return Ok(None) };
        let hook = &self.spec.name;
        let (dictionary, scope) = (&mut *self.dictionary, self.scope);
        let id = scan_term(hook, field, text, position, |term| match term {
            Term::BlankNode(_) if used == Use::Matched => Err(HookError::BlankNode {
                hook: hook.clone(),
                field,
            }),
            term => dictionary.encode(scope, term).map_err(HookError::from),
        })?;
        Ok(Some(id.to_u64()))
    }
}

/// Parses `text` as a term in `position` and hands it to `read`: hook terms obey exactly the
/// grammar and escapes of the data, through the N-Triples term parser.
fn scan_term<T>(
    hook: &str,
    field: &'static str,
    text: &str,
    position: TermPosition,
    mut read: impl FnMut(Term<'_>) -> Result<T, HookError>,
) -> Result<T, HookError> {
    let mut scratch = String::new();
    match parse_term(text, position, &mut scratch) {
        Ok(Some(term)) => read(term),
        // No term: the text was empty or a comment.
        Ok(None) => Err(HookError::MissingField {
            hook: hook.to_owned(),
            kind: "term",
            field,
        }),
        Err((column, kind)) => Err(HookError::Term {
            hook: hook.to_owned(),
            field,
            // The field alone names the source: the hook is named once, by `HookError::Term`.
            error: IngestError::Syntax {
                file: Arc::from(field),
                line: 1,
                column,
                kind: SyntaxErrorKind::NTriples(kind),
            },
        }),
    }
}
