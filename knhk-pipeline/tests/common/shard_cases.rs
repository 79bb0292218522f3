//! What the shard tests split: a generated graph with one subject, `twice`, at both ends, and
//! hooks whose `fired` an OR of the shards' would get wrong (each half sees one of `twice`'s
//! two matches).

use super::generated;

/// `twice` knows one person; the data holds this line at its start and at its end.
pub const TWICE: &str = "<http://example.org/twice> <http://xmlns.com/foaf/0.1/knows> <http://example.org/person/1> .\n";

/// Hooks on `twice` that only the whole input decides.
pub const SPLIT_HOOKS: &str = r#"
[[hook]]
name = "twice-is-unique"
kind = "unique_sp"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/twice>"

[[hook]]
name = "twice-knows-at-most-one"
kind = "count_sp_le"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/twice>"
k = 1

[[hook]]
name = "twice-knows-exactly-two"
kind = "count_sp_eq"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/twice>"
k = 2
"#;

/// `knhk gen --triples N --seed 7` with [`TWICE`] before and after it.
pub fn twice_at_both_ends(triples: u64) -> Vec<u8> {
    let mut bytes = TWICE.as_bytes().to_vec();
    bytes.extend(generated(triples));
    bytes.extend_from_slice(TWICE.as_bytes());
    bytes
}

/// The bundled hooks and [`SPLIT_HOOKS`], as one hook file's text.
pub fn split_hook_file() -> String {
    format!("{}\n{SPLIT_HOOKS}", knhk_pipeline::SAMPLE_HOOKS)
}
