//! A hook in either form to the form the encoder reads: a `sparql` hook compiled to its op
//! and constants, a `kind` hook as written.

use std::borrow::Cow;

use super::error::HookError;
use super::file::HookSpec;
use super::sparql::compile_sparql;
use crate::ops::Key;

/// `spec` with its `sparql` query, if it has one, compiled to `kind`, `predicate` and
/// constants.
///
/// # Errors
///
/// [`HookError::SparqlAndFields`] when a `sparql` hook also gives `kind`, `predicate` or a
/// constant; [`HookError::NoKind`] when it gives neither; [`HookError::Sparql`] when the query
/// does not compile.
pub fn compile_hook(spec: &HookSpec) -> Result<Cow<'_, HookSpec>, HookError> {
    let Some(query) = &spec.sparql else {
        if spec.kind.is_empty() {
            return Err(HookError::NoKind {
                hook: spec.name.clone(),
            });
        }
        return Ok(Cow::Borrowed(spec));
    };
    let given = [
        ("kind", !spec.kind.is_empty()),
        ("predicate", !spec.predicate.is_empty()),
        ("subject", spec.subject.is_some()),
        ("object", spec.object.is_some()),
        ("k", spec.k.is_some()),
        ("min", spec.min.is_some()),
        ("value", spec.value.is_some()),
        ("datatype", spec.datatype.is_some()),
        ("construct_predicate", spec.construct_predicate.is_some()),
        ("construct_object", spec.construct_object.is_some()),
    ];
    if let Some((field, _)) = given.iter().find(|(_, given)| *given) {
        return Err(HookError::SparqlAndFields {
            hook: spec.name.clone(),
            field,
        });
    }
    let compiled = compile_sparql(query).map_err(|error| HookError::Sparql {
        hook: spec.name.clone(),
        error,
    })?;
    let mut out = HookSpec {
        name: spec.name.clone(),
        kind: compiled.kind.name().to_owned(),
        predicate: compiled.predicate,
        k: compiled.k,
        ..HookSpec::default()
    };
    for (key, text) in compiled.terms {
        let field = match key {
            Key::Subject => &mut out.subject,
            Key::Object => &mut out.object,
            Key::Value => &mut out.value,
            Key::Datatype => &mut out.datatype,
            Key::ConstructPredicate => &mut out.construct_predicate,
            Key::ConstructObject => &mut out.construct_object,
            Key::K => continue,
        };
        *field = Some(text);
    }
    Ok(Cow::Owned(out))
}
