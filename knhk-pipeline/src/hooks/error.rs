//! Why a hook could not be read or registered.

use std::fmt;

use super::sparql::SparqlError;
use crate::dictionary::DictionaryError;
use crate::ingest::IngestError;
use crate::ops::OPS;

/// Why a hook could not be registered.
#[derive(Debug, thiserror::Error)]
pub enum HookError {
    /// The hook file could not be read.
    #[error("{path}: cannot read hook file: {error}")]
    Read {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        error: std::io::Error,
    },
    /// The hook file is longer than the limit (an endless or wrong file).
    #[error("{path}: hook file longer than {max_bytes} bytes; raise the limit with --max-hook-file-bytes")]
    TooLarge {
        /// The file.
        path: String,
        /// The limit, in bytes.
        max_bytes: u64,
    },
    /// The hook file is not valid TOML of the expected shape.
    #[error("{source_name}: invalid hook file: {message}")]
    Toml {
        /// The file.
        source_name: String,
        /// toml's description, with line and column.
        message: String,
    },
    /// A hook gives neither `kind` nor `sparql`.
    #[error("hook `{hook}` has neither `kind` nor `sparql`: give one")]
    NoKind {
        /// The hook's name.
        hook: String,
    },
    /// A `sparql` hook also gives a field the query replaces.
    #[error("hook `{hook}`: `sparql` replaces `{field}`; give the query or the fields, not both")]
    SparqlAndFields {
        /// The hook's name.
        hook: String,
        /// The first such field.
        field: &'static str,
    },
    /// A `sparql` hook's query does not compile to an op.
    #[error("hook `{hook}`: `sparql`: {error}")]
    Sparql {
        /// The hook's name.
        hook: String,
        /// Why.
        #[source]
        error: SparqlError,
    },
    /// Unknown `kind`.
    #[error("hook `{hook}`: unknown kind `{kind}`; use one of {}", KindNames)]
    UnknownKind {
        /// The hook's name.
        hook: String,
        /// The kind given.
        kind: String,
    },
    /// A field this kind needs is missing.
    #[error("hook `{hook}`: kind {kind} needs `{field}`")]
    MissingField {
        /// The hook's name.
        hook: String,
        /// Its kind.
        kind: &'static str,
        /// The missing field.
        field: &'static str,
    },
    /// A constant is not valid for its key (a `value` that is not a numeric literal, a
    /// `datatype` that is not an IRI, `k` and `min` both given).
    #[error("hook `{hook}`: `{field}` {problem}")]
    InvalidConstant {
        /// The hook's name.
        hook: String,
        /// The key.
        field: &'static str,
        /// What is wrong and what to write instead.
        problem: &'static str,
    },
    /// A field this kind does not use is set.
    #[error("hook `{hook}`: kind {kind} does not use `{field}`; remove it")]
    UnusedField {
        /// The hook's name.
        hook: String,
        /// Its kind.
        kind: &'static str,
        /// The field.
        field: &'static str,
    },
    /// A term is not valid N-Triples for its position. (The message gives the scanner's
    /// reason; [`HookFileSpans::locate`](super::HookFileSpans::locate) turns the error's column into one in the hook file.)
    #[error("hook `{hook}`: `{field}` is not a valid term: {}", .error.reason())]
    Term {
        /// The hook's name.
        hook: String,
        /// The field.
        field: &'static str,
        /// What the N-Triples scanner said.
        #[source]
        error: IngestError,
    },
    /// A blank node in a hook could never match data.
    #[error("hook `{hook}`: `{field}` is a blank node, which can never match a data document's; use an IRI or literal")]
    BlankNode {
        /// The hook's name.
        hook: String,
        /// The field.
        field: &'static str,
    },
    /// The name is empty or has characters outside `[A-Za-z0-9_.:-]`.
    #[error("hook name `{hook}` is invalid: use letters, digits, '-', '_', '.' or ':'")]
    InvalidName {
        /// The name.
        hook: String,
    },
    /// The name is longer than [`MAX_HOOK_NAME_BYTES`](crate::hooks::MAX_HOOK_NAME_BYTES).
    #[error("hook name `{hook}` is {bytes} bytes long; a hook name is at most {limit} bytes (a receipt's hash covers that many)", limit = crate::hooks::MAX_HOOK_NAME_BYTES)]
    NameTooLong {
        /// The name.
        hook: String,
        /// Its length in bytes.
        bytes: usize,
    },
    /// Two hooks share a name.
    #[error("hook name `{hook}` is used twice; hook names must be unique")]
    DuplicateName {
        /// The name.
        hook: String,
    },
    /// The dictionary could not take a hook's term.
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
}

/// Every op name, for the unknown-kind message.
struct KindNames;

impl fmt::Display for KindNames {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, spec) in OPS.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(spec.name)?;
        }
        Ok(())
    }
}
