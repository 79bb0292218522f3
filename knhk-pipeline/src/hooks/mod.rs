//! The hook registry: hooks bound to predicates, loaded from TOML, with their terms encoded
//! once (the cold path) so the hot path compares ids only.
//!
//! ```toml
//! [[hook]]
//! name = "alice-knows-someone"    # letters, digits, '-', '_', '.', ':'; at most 255 bytes
//! kind = "ask_sp"                 # one of the 19 ops of `crate::ops::OPS`
//! predicate = "<http://xmlns.com/foaf/0.1/knows>"
//! subject = "<http://example.org/alice>"
//!
//! [[hook]]
//! name = "knows-implies-person"
//! kind = "construct8"
//! predicate = "<http://xmlns.com/foaf/0.1/knows>"
//! construct_predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
//! construct_object = "<http://xmlns.com/foaf/0.1/Person>"
//! ```
//!
//! Each op's constants are listed in [`crate::ops`]; a hook that misses one, gives one its op
//! does not use, or gives an invalid term is rejected when the file is loaded, with an error
//! naming the hook and the key. Terms are written in N-Triples syntax (TOML literal strings
//! make literals easy: `object = '"34"^^<http://www.w3.org/2001/XMLSchema#integer>'`); `k` is
//! a TOML integer (`count_sp_ge` also accepts it as `min`), `value` a numeric literal and
//! `datatype` an IRI. Blank nodes are refused in the keys that are matched against the data
//! (`subject`, `object`): a hook's blank node could never match a data document's. The keys
//! that are written, not matched (`construct_object`), take one: it is the hook file's own
//! node, kept apart from every data document's (written `_:d{scope}_{label}`, as the
//! dictionary writes every blank node).
//!
//! A hook may instead be written as the SPARQL query it means, in place of `kind`,
//! `predicate` and the constants (both is an error); it is compiled to the op and constants
//! it fits, or refused with the construct that does not fit (see [`compile_sparql`]):
//!
//! ```toml
//! [[hook]]
//! name = "alice-knows-three"
//! sparql = """
//! PREFIX foaf: <http://xmlns.com/foaf/0.1/>
//! ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/alice> foaf:knows ?o } } FILTER(?n >= 3) }
//! """
//! ```
//!
//! The files, in the order a hook file flows through them: `file` reads the TOML into
//! [`HookSpec`]s, `compile` turns a `sparql` hook into the op and constants `sparql` (the
//! compiler) finds for it, `encode` checks each against its op and encodes its terms into a [`Hook`],
//! `registry` holds the hooks by predicate, `spans` maps an error back to the line and column
//! the user wrote, and `error` says what went wrong.

mod compile;
mod encode;
mod error;
mod file;
mod registry;
mod spans;
mod sparql;

pub use compile::compile_hook;
pub use encode::encode_hook;
pub use error::HookError;
pub use file::{
    parse_hook_file, parse_hook_file_with_spans, read_hook_file, read_hook_file_with_spans,
    read_hook_text, HookSpec, DEFAULT_MAX_HOOK_FILE_BYTES,
};
pub use registry::{Hook, HookRegistry, MAX_HOOK_NAME_BYTES};
pub use spans::{FieldSpan, HookFileLocation, HookFileSpans};
pub use sparql::{compile_sparql, CompiledQuery, Refusal, SparqlError};
