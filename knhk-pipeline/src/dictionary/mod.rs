//! Transform: dictionary-encode RDF terms to [`TermId`]s and back.
//!
//! # Id layout
//! A [`TermId`] is a `u64`. The top 4 bits are a tag ([`IdTag`]) that a kernel can read with
//! no lookup; the low 60 bits are the payload.
//!
//! | tag | [`IdTag`]          | kind       | term                                                   | payload (low 60 bits)          |
//! |-----|--------------------|------------|--------------------------------------------------------|--------------------------------|
//! | 0x0 | —                  | —          | never issued (free as a "no term" sentinel)            | —                              |
//! | 0x1 | `Iri`              | IRI        | any IRI                                                | dictionary index               |
//! | 0x2 | `BlankNode`        | blank node | a label in one [`DocumentScope`]                       | dictionary index               |
//! | 0x3 | `SimpleLiteral`    | literal    | `xsd:string` (`"a"` and `"a"^^xsd:string` alike)       | dictionary index               |
//! | 0x4 | `LangLiteral`      | literal    | `rdf:langString`, tag lowercased                       | dictionary index               |
//! | 0x5 | `TypedLiteral`     | literal    | any other datatype                                     | dictionary index               |
//! | 0x6 | `IntegerStored`    | literal    | `xsd:integer` not inlined: non-canonical (`"01"`, `"+1"`, `"-0"`), out of range, or ill-typed | dictionary index |
//! | 0x7 | `IntegerInline`    | literal    | canonical `xsd:integer` in `[-2^59, 2^59)`             | `value + 2^59` (offset binary) |
//! | 0x8 | `BooleanInline`    | literal    | canonical `xsd:boolean` `"true"` / `"false"`           | 1 / 0                          |
//! | 0x9 | `BooleanStored`    | literal    | other `xsd:boolean` forms (`"1"`, `"0"`, ill-typed)    | dictionary index               |
//! | 0xA | `Decimal`          | literal    | `xsd:decimal`                                          | dictionary index               |
//! | 0xB | `Double`           | literal    | `xsd:double`                                           | dictionary index               |
//! | 0xC–0xF | —              | —          | reserved                                               | —                              |
//!
//! Offset binary makes the raw order of two inline integers their numeric order: for inline
//! `a`, `b`, `a < b` (as `TermId`s, i.e. as `u64`s) iff `a.inline_integer() < b.inline_integer()`.
//! Canonical means the XSD canonical lexical form: `0`, or an optional `-` and digits without a
//! leading zero. Other forms are different RDF terms (`"01"` is not `"1"`), so they keep their
//! text in the dictionary and round-trip exactly; their tag still says "integer-typed".
//!
//! # Storage
//! Each distinct term is stored once, in about its text plus 30 bytes, as one record in one
//! byte arena: a 16-byte header (the key word packing the 4-bit tag with the 60-bit `extra`,
//! which is the blank node's document scope, the language tag's entry or a typed literal's
//! datatype-IRI entry; the entry's index; the text's length), the text, and padding to
//! 4 bytes. Two `u32` arrays address the records in units of 4 bytes: one by entry index (for
//! decoding an id), and a hash table (`dictionary/table.rs`: 64-byte groups of 10 slots, a 16-bit
//! fingerprint and a record address each, 6.4 bytes a slot) keyed by `(key word, text)`.
//!
//! A lookup reads one table line (the hash alone says which) and then the record, header and
//! text together, and works straight from the borrowed [`Term`] with no key to build:
//! encoding a known term allocates nothing. Those are two dependent cache misses on a large
//! dictionary; when terms are hashed ahead of interning (the parallel N-Triples path),
//! [`Dictionary::prefetch_slot`] and [`Dictionary::prefetch_record`] start both loads a few
//! triples before the lookup, so it finds them cached. (hashbrown's `HashTable` hides where a
//! hash's bucket lives, so it could not be prefetched.) The `u32` addresses cap a dictionary
//! at 2^32 - 1 entries and 16 GiB of records; beyond either, encoding a new term is
//! [`DictionaryError::Full`].
//!
//! Hashing uses AES rounds where the CPU has AES-NI (`arch/text_hash.rs`, ahash's
//! construction; round keys drawn per dictionary), else foldhash (a secret per process and a
//! seed per dictionary), keyed with OS randomness, so input crafted offline cannot force
//! collisions; foldhash hashes a short term several times faster than std's SipHash (measured
//! in BENCHMARKS.md), the AES rounds in fewer instructions still. An entry's hash is
//! the keyed hash of `(tag, text)` with its `extra` (scope, language or datatype entry) mixed
//! in afterwards, so a [`TermHasher`] (a copy of the key) can hash terms on parser threads
//! before their `extra` is known, and [`Dictionary::encode_hashed`] interns them without
//! hashing their text again: same ids as [`Dictionary::encode`].
//!
//! Language tags are compared case-insensitively, as RDF 1.1 allows, by lowercasing them
//! (ASCII; the tag grammar is ASCII): `"a"@EN` and `"a"@en` are one term and decode with `en`.
//!
//! Blank nodes are scoped: `_:b1` in two documents (two [`DocumentScope`]s) are two terms.
//! [`Dictionary::display`] writes a blank node as `_:d{scope}_{label}` so that labels from
//! different documents stay distinct in the output.
//!
//! # Files, in the order data flows through them
//!
//! - `id.rs`: [`TermId`] and its [`IdTag`], the [`DocumentScope`] of blank nodes.
//! - `literal.rs`: which tag (or inline value) a literal gets, from its datatype.
//! - `hash.rs`: the keyed term hash, and the [`TermHasher`] that computes it on other threads.
//! - `table.rs`: the hash table of record addresses, by cache line.
//! - `store.rs`: the [`Dictionary`]: the record arena, interning and encoding.
//! - `decode.rs`: ids back to terms ([`DecodedTerm`]).

mod decode;
mod hash;
mod id;
mod literal;
mod store;
mod table;

pub use decode::DecodedTerm;
pub(crate) use decode::IntegerText;
pub use hash::{TermHash, TermHasher};
pub use id::{DocumentScope, IdTag, TermId, TermKind, PAYLOAD_BITS};
pub use store::{Dictionary, DictionaryError};

#[cfg(doc)]
use crate::ingest::Term;
