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
//! Hashing uses foldhash keyed with OS randomness, one secret per process and one seed per
//! dictionary, so input crafted offline cannot force collisions; it hashes a short term
//! several times faster than std's SipHash (measured in BENCHMARKS.md). An entry's hash is
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

use std::fmt;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::OnceLock;

use foldhash::fast::SeedableRandomState;
use foldhash::SharedSeed;
use lanepool::arch::prefetch_read;

mod table;
use table::AddressTable;

use crate::ingest::{Literal, Term, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER, XSD_STRING};

/// Number of payload bits below the 4-bit tag.
pub const PAYLOAD_BITS: u32 = 60;
const PAYLOAD_MASK: u64 = (1 << PAYLOAD_BITS) - 1;
/// Offset added to inline integers (offset binary).
const INLINE_OFFSET: i64 = 1 << (PAYLOAD_BITS - 1);

/// Entry tag for interned language tags: never issued as a `TermId` (0 is reserved).
const LANGUAGE_ENTRY: u8 = 0;
/// Most entries a dictionary holds: the index in a record header is a `u32`.
const MAX_ENTRIES: u64 = u32::MAX as u64;
/// Records start at multiples of this, so a `u32` addresses 16 GiB of arena.
const RECORD_ALIGN: usize = 4;
/// Record header: key word (8 bytes), entry index (4), text length (4), little-endian.
const HEADER_BYTES: usize = 16;

/// The 4-bit tag of a [`TermId`]; see the [layout table](self#id-layout).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum IdTag {
    /// An IRI.
    Iri = 0x1,
    /// A blank node, scoped to its document.
    BlankNode = 0x2,
    /// A simple (`xsd:string`) literal.
    SimpleLiteral = 0x3,
    /// A language-tagged literal.
    LangLiteral = 0x4,
    /// A literal of a datatype without its own tag.
    TypedLiteral = 0x5,
    /// An `xsd:integer` literal kept in the dictionary (not canonical or not in inline range).
    IntegerStored = 0x6,
    /// A canonical `xsd:integer` literal whose value is in the id.
    IntegerInline = 0x7,
    /// A canonical `xsd:boolean` literal whose value is in the id.
    BooleanInline = 0x8,
    /// A non-canonical `xsd:boolean` literal kept in the dictionary.
    BooleanStored = 0x9,
    /// An `xsd:decimal` literal.
    Decimal = 0xA,
    /// An `xsd:double` literal.
    Double = 0xB,
}

impl IdTag {
    /// The tag for 4 bits, if it is one that ids are issued with.
    pub const fn from_bits(bits: u8) -> Option<IdTag> {
        Some(match bits {
            0x1 => IdTag::Iri,
            0x2 => IdTag::BlankNode,
            0x3 => IdTag::SimpleLiteral,
            0x4 => IdTag::LangLiteral,
            0x5 => IdTag::TypedLiteral,
            0x6 => IdTag::IntegerStored,
            0x7 => IdTag::IntegerInline,
            0x8 => IdTag::BooleanInline,
            0x9 => IdTag::BooleanStored,
            0xA => IdTag::Decimal,
            0xB => IdTag::Double,
            _ => return None,
        })
    }

    /// Whether the payload is the value itself rather than a dictionary index.
    pub const fn is_inline(self) -> bool {
        matches!(self, IdTag::IntegerInline | IdTag::BooleanInline)
    }

    /// The coarse kind of term.
    pub const fn kind(self) -> TermKind {
        match self {
            IdTag::Iri => TermKind::Iri,
            IdTag::BlankNode => TermKind::BlankNode,
            _ => TermKind::Literal,
        }
    }
}

/// The kind of an RDF term.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TermKind {
    /// An IRI.
    Iri,
    /// A blank node.
    BlankNode,
    /// A literal.
    Literal,
}

/// A dictionary-encoded term. See the [layout table](self#id-layout).
///
/// The derived order is the raw `u64` order: it groups ids by tag and, among inline integers,
/// is numeric order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TermId(u64);

impl TermId {
    /// Smallest integer stored inline: `-2^59`.
    pub const INLINE_INTEGER_MIN: i64 = -INLINE_OFFSET;
    /// Largest integer stored inline: `2^59 - 1`.
    pub const INLINE_INTEGER_MAX: i64 = INLINE_OFFSET - 1;

    const fn new(tag: IdTag, payload: u64) -> TermId {
        TermId((tag as u64) << PAYLOAD_BITS | (payload & PAYLOAD_MASK))
    }

    /// The raw `u64` (what lanes hold).
    pub const fn to_u64(self) -> u64 {
        self.0
    }

    /// Back from a raw `u64`; `None` when the tag is reserved. An id of a known tag whose
    /// index the dictionary never issued is caught by [`Dictionary::decode`].
    pub const fn from_u64(raw: u64) -> Option<TermId> {
        match IdTag::from_bits((raw >> PAYLOAD_BITS) as u8) {
            Some(_) => Some(TermId(raw)),
            None => None,
        }
    }

    /// The inline id of an integer value, if it is in the inline range.
    pub const fn from_inline_integer(value: i64) -> Option<TermId> {
        if value < Self::INLINE_INTEGER_MIN || value > Self::INLINE_INTEGER_MAX {
            return None;
        }
        Some(TermId::new(
            IdTag::IntegerInline,
            (value + INLINE_OFFSET) as u64,
        ))
    }

    /// The inline id of a canonical `xsd:boolean`.
    pub const fn from_boolean(value: bool) -> TermId {
        TermId::new(IdTag::BooleanInline, value as u64)
    }

    /// The tag.
    pub const fn tag(self) -> IdTag {
        match IdTag::from_bits((self.0 >> PAYLOAD_BITS) as u8) {
            Some(tag) => tag,
            // Unreachable: every constructor checks the tag. Iri keeps this total.
            None => IdTag::Iri,
        }
    }

    /// The low 60 bits: a dictionary index or an inline value.
    pub const fn payload(self) -> u64 {
        self.0 & PAYLOAD_MASK
    }

    /// IRI, blank node or literal.
    pub const fn kind(self) -> TermKind {
        self.tag().kind()
    }

    /// Whether the term is an IRI.
    pub const fn is_iri(self) -> bool {
        matches!(self.tag(), IdTag::Iri)
    }

    /// Whether the term is a blank node.
    pub const fn is_blank_node(self) -> bool {
        matches!(self.tag(), IdTag::BlankNode)
    }

    /// Whether the term is a literal.
    pub const fn is_literal(self) -> bool {
        matches!(self.tag().kind(), TermKind::Literal)
    }

    /// Whether the term is an `xsd:integer` literal (inline or stored).
    pub const fn is_integer(self) -> bool {
        matches!(self.tag(), IdTag::IntegerInline | IdTag::IntegerStored)
    }

    /// Whether the term is an `xsd:boolean` literal (inline or stored).
    pub const fn is_boolean(self) -> bool {
        matches!(self.tag(), IdTag::BooleanInline | IdTag::BooleanStored)
    }

    /// The value of an inline `xsd:integer`.
    pub const fn inline_integer(self) -> Option<i64> {
        match self.tag() {
            IdTag::IntegerInline => Some(self.payload() as i64 - INLINE_OFFSET),
            _ => None,
        }
    }

    /// The value of an inline `xsd:boolean`.
    pub const fn inline_boolean(self) -> Option<bool> {
        match self.tag() {
            IdTag::BooleanInline => Some(self.payload() != 0),
            _ => None,
        }
    }
}

/// The scope of blank-node labels: one per document. Get one from
/// [`Dictionary::begin_document`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct DocumentScope(u64);

impl DocumentScope {
    /// The scope's number (distinct per document of one dictionary).
    pub const fn number(self) -> u64 {
        self.0
    }
}

/// A dictionary failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DictionaryError {
    /// No index left for a new term.
    #[error(
        "dictionary full: all {capacity} term slots are used; raise the limit or split the input"
    )]
    Full {
        /// The limit on stored entries (terms and language tags).
        capacity: u64,
    },
    /// No document scope number left.
    #[error("no document scope left: {issued} scopes were issued")]
    ScopesExhausted {
        /// Scopes issued.
        issued: u64,
    },
}

/// The key word of `(tag, extra)`; `extra` is below 2^60 (scopes and indexes are bounded).
const fn entry_key(tag: u8, extra: u64) -> u64 {
    (tag as u64) << PAYLOAD_BITS | (extra & PAYLOAD_MASK)
}

/// One record, read from the arena: its key word and text.
struct Record<'a> {
    key: u64,
    text: &'a [u8],
}

/// The record at `address` (in units of [`RECORD_ALIGN`] bytes).
#[inline]
fn record_at(arena: &[u8], address: u32) -> Record<'_> {
    let at = address as usize * RECORD_ALIGN;
    let header: &[u8; HEADER_BYTES] = arena[at..at + HEADER_BYTES]
        .try_into()
        .expect("a header is HEADER_BYTES long");
    let [k0, k1, k2, k3, k4, k5, k6, k7, _, _, _, _, l0, l1, l2, l3] = *header;
    let len = u32::from_le_bytes([l0, l1, l2, l3]) as usize;
    Record {
        key: u64::from_le_bytes([k0, k1, k2, k3, k4, k5, k6, k7]),
        text: &arena[at + HEADER_BYTES..at + HEADER_BYTES + len],
    }
}

/// Maps terms to [`TermId`]s and back; see the [module docs](self).
pub struct Dictionary {
    /// The records; see the [module docs](self#storage).
    arena: Vec<u8>,
    /// Record address of each entry index.
    records: Vec<u32>,
    /// Record addresses, hashed by their `(key word, text)`.
    table: AddressTable,
    hasher: SeedableRandomState,
    text_bytes: usize,
    next_scope: u64,
    capacity: u64,
    /// Reused for lowercasing language tags that have upper-case letters.
    scratch: String,
}

impl fmt::Debug for Dictionary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Dictionary")
            .field("entries", &self.records.len())
            .field("text_bytes", &self.text_bytes)
            .field("capacity", &self.capacity)
            .finish_non_exhaustive()
    }
}

impl Default for Dictionary {
    fn default() -> Self {
        Self::new()
    }
}

/// A foldhash state keyed from the OS's randomness: a secret per process (foldhash's own
/// default seeds only from addresses and the clock) and a seed per dictionary.
fn keyed_hasher() -> SeedableRandomState {
    static PROCESS_SEED: OnceLock<SharedSeed> = OnceLock::new();
    // std's `RandomState` keys SipHash from the OS; hashing a constant yields a random word.
    let random_word = || RandomState::new().hash_one(0x6b6e_686bu64);
    let shared = PROCESS_SEED.get_or_init(|| SharedSeed::from_u64(random_word()));
    SeedableRandomState::with_seed(random_word(), shared)
}

/// The hash of an entry `(tag, extra, text)`: the keyed hash of `(tag, text)`, which a
/// [`TermHasher`] can compute on another thread before `extra` (a document scope, a language
/// or datatype entry) is known, then `extra` mixed in.
fn hash_key(hasher: &SeedableRandomState, tag: u8, extra: u64, text: &[u8]) -> u64 {
    with_extra(text_hash(hasher, tag, text), extra)
}

fn text_hash(hasher: &SeedableRandomState, tag: u8, text: &[u8]) -> u64 {
    let mut state = hasher.build_hasher();
    state.write_u64(u64::from(tag));
    // The text is the last field, so its length needs no terminator to stay unambiguous.
    state.write(text);
    state.finish()
}

/// Mixes `extra` into a keyed text hash: a folded 128-bit multiply, so that every bit of
/// `extra` reaches the bits the table uses (the high ones for the group, the low 16 for the
/// fingerprint). `extra` 0 (IRIs, simple and integer literals, the first document's blank nodes)
/// leaves the hash as it is.
#[inline]
fn with_extra(hash: u64, extra: u64) -> u64 {
    if extra == 0 {
        return hash;
    }
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
    let full = u128::from(hash ^ extra.wrapping_mul(MULTIPLIER)) * u128::from(MULTIPLIER);
    (full as u64) ^ ((full >> 64) as u64)
}

/// A dictionary's keyed term hash, detached from it so that parser threads can hash terms
/// while the dictionary's owner interns earlier ones: get one with
/// [`Dictionary::term_hasher`], hash with [`TermHasher::hash`], and give the result to
/// [`Dictionary::encode_hashed`] of **the same dictionary** (another dictionary's hashes
/// would miss its entries; debug builds check).
#[derive(Clone, Debug)]
pub struct TermHasher {
    hasher: SeedableRandomState,
}

/// The precomputed hash of one term, from [`TermHasher::hash`]; for a literal, also its
/// classification (inline value or stored tag), so the interning thread does not compare its
/// datatype with the XSD names again. 16 bytes: parser threads hand one per term to the
/// interning thread, so it is kept to what saves that thread work. (A literal's language tag
/// or datatype IRI, short and few, is hashed by the dictionary itself.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TermHash {
    /// The hash of the term's text (IRI, label, lexical form) with its tag; for an inline
    /// literal, its id.
    value: u64,
    class: HashedClass,
}

/// What [`TermHasher::hash`] found a literal to be.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum HashedClass {
    /// Not a literal (or a `TermHash::default()`): the dictionary classifies it itself.
    #[default]
    Unclassified,
    /// A blank node: its entry's hash mixes in the document scope.
    BlankNode,
    /// The literal's id (in `value`) holds its value.
    Inline,
    /// The literal is stored under this tag.
    Stored(IdTag),
}

impl TermHasher {
    /// The hashes [`Dictionary::encode_hashed`] needs for `term`.
    pub fn hash(&self, term: Term<'_>) -> TermHash {
        let h = |tag: u8, text: &str| text_hash(&self.hasher, tag, text.as_bytes());
        match term {
            Term::Iri(iri) => TermHash {
                value: h(IdTag::Iri as u8, iri),
                class: HashedClass::Unclassified,
            },
            Term::BlankNode(label) => TermHash {
                value: h(IdTag::BlankNode as u8, label),
                class: HashedClass::BlankNode,
            },
            Term::Literal(literal) => match classify_literal(literal) {
                LiteralClass::Inline(id) => TermHash {
                    value: id.to_u64(),
                    class: HashedClass::Inline,
                },
                LiteralClass::Stored { tag, value, .. } => TermHash {
                    value: h(tag as u8, value),
                    class: HashedClass::Stored(tag),
                },
            },
        }
    }
}

/// The value of a canonical `xsd:integer` lexical form within the inline range.
fn canonical_inline_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let bytes = digits.as_bytes();
    let canonical = match bytes {
        [] => false,
        [b'0'] => !negative,
        [first, ..] => *first != b'0' && bytes.iter().all(u8::is_ascii_digit),
    };
    // 19 digits cover the inline range; longer is out of range and may overflow i64.
    if !canonical || bytes.len() > 19 {
        return None;
    }
    let mut value: i64 = 0;
    for &d in bytes {
        value = value * 10 + i64::from(d - b'0');
    }
    let value = if negative { -value } else { value };
    TermId::from_inline_integer(value).map(|_| value)
}

/// How a literal is encoded: the one place that maps a literal's datatype to its tag.
enum LiteralClass<'a> {
    /// The value is in the id; nothing is stored.
    Inline(TermId),
    /// Stored under `tag`, keyed by `value` and the entry that `extra` names.
    Stored {
        tag: IdTag,
        extra: Extra<'a>,
        value: &'a str,
    },
}

/// What a stored literal's `extra` refers to, before it is resolved to an entry index.
enum Extra<'a> {
    None,
    Language(&'a str),
    Datatype(&'a str),
}

fn classify_literal(literal: Literal<'_>) -> LiteralClass<'_> {
    let value = literal.value();
    let stored = |tag, extra| LiteralClass::Stored { tag, extra, value };
    if let Some(language) = literal.language() {
        return stored(IdTag::LangLiteral, Extra::Language(language));
    }
    match literal.datatype() {
        XSD_STRING => stored(IdTag::SimpleLiteral, Extra::None),
        XSD_INTEGER => match canonical_inline_integer(value) {
            Some(v) => LiteralClass::Inline(TermId::new(
                IdTag::IntegerInline,
                (v + INLINE_OFFSET) as u64,
            )),
            None => stored(IdTag::IntegerStored, Extra::None),
        },
        XSD_BOOLEAN => match value {
            "true" => LiteralClass::Inline(TermId::from_boolean(true)),
            "false" => LiteralClass::Inline(TermId::from_boolean(false)),
            _ => stored(IdTag::BooleanStored, Extra::None),
        },
        XSD_DECIMAL => stored(IdTag::Decimal, Extra::None),
        XSD_DOUBLE => stored(IdTag::Double, Extra::None),
        datatype => stored(IdTag::TypedLiteral, Extra::Datatype(datatype)),
    }
}

impl Dictionary {
    /// An empty dictionary with room for 2^32 - 1 entries.
    pub fn new() -> Self {
        Self::with_capacity_limit(MAX_ENTRIES)
    }

    /// An empty dictionary that stores at most `capacity` entries (distinct non-inline terms
    /// plus distinct language tags), capped at 2^32 - 1.
    pub fn with_capacity_limit(capacity: u64) -> Self {
        Self {
            arena: Vec::new(),
            records: Vec::new(),
            table: AddressTable::default(),
            hasher: keyed_hasher(),
            text_bytes: 0,
            next_scope: 0,
            capacity: capacity.min(MAX_ENTRIES),
            scratch: String::new(),
        }
    }

    /// Stored entries (distinct non-inline terms plus distinct language tags).
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether nothing is stored yet.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// Bytes of term text stored.
    pub fn text_bytes(&self) -> usize {
        self.text_bytes
    }

    /// A new blank-node scope for the next document.
    pub fn begin_document(&mut self) -> Result<DocumentScope, DictionaryError> {
        // A scope is stored in an entry's 60-bit `extra`.
        if self.next_scope > PAYLOAD_MASK {
            return Err(DictionaryError::ScopesExhausted {
                issued: self.next_scope,
            });
        }
        let scope = DocumentScope(self.next_scope);
        self.next_scope += 1;
        Ok(scope)
    }

    fn find(&self, tag: u8, extra: u64, text: &str) -> Option<usize> {
        let key = entry_key(tag, extra);
        self.find_hashed(
            hash_key(&self.hasher, tag, extra, text.as_bytes()),
            key,
            text,
        )
    }

    /// The index of the entry `(key word, text)` whose hash is `hash`, if stored.
    #[inline(always)]
    fn find_hashed(&self, hash: u64, key: u64, text: &str) -> Option<usize> {
        let arena = self.arena.as_slice();
        let text = text.as_bytes();
        let mut index = 0;
        self.table.find(hash, |address| {
            // The header's key word and length first: a false match's text is not read.
            let at = address as usize * RECORD_ALIGN;
            let Some(&[k0, k1, k2, k3, k4, k5, k6, k7, i0, i1, i2, i3, l0, l1, l2, l3]) =
                arena.get(at..at + HEADER_BYTES)
            else {
                return false;
            };
            let found = u64::from_le_bytes([k0, k1, k2, k3, k4, k5, k6, k7]) == key
                && u32::from_le_bytes([l0, l1, l2, l3]) as usize == text.len()
                && arena.get(at + HEADER_BYTES..at + HEADER_BYTES + text.len()) == Some(text);
            index = u32::from_le_bytes([i0, i1, i2, i3]);
            found
        })?;
        Some(index as usize)
    }

    fn intern(&mut self, tag: u8, extra: u64, text: &str) -> Result<usize, DictionaryError> {
        let hash = hash_key(&self.hasher, tag, extra, text.as_bytes());
        self.intern_hashed(hash, tag, extra, text)
    }

    /// [`Self::intern`] with the hash of `(tag, extra, text)` already computed.
    #[inline(always)]
    fn intern_hashed(
        &mut self,
        hash: u64,
        tag: u8,
        extra: u64,
        text: &str,
    ) -> Result<usize, DictionaryError> {
        debug_assert_eq!(
            hash,
            hash_key(&self.hasher, tag, extra, text.as_bytes()),
            "a TermHash from another dictionary's TermHasher"
        );
        match self.find_hashed(hash, entry_key(tag, extra), text) {
            Some(index) => Ok(index),
            None => self.insert_new(hash, tag, extra, text),
        }
    }

    /// Stores the entry `(tag, extra, text)`, known to be absent, whose hash is `hash`. Kept out
    /// of line: a lookup that finds its term (most do) carries none of this code.
    #[inline(never)]
    fn insert_new(
        &mut self,
        hash: u64,
        tag: u8,
        extra: u64,
        text: &str,
    ) -> Result<usize, DictionaryError> {
        let key = entry_key(tag, extra);
        let full = DictionaryError::Full {
            capacity: self.capacity,
        };
        let index = self.records.len();
        if index as u64 >= self.capacity {
            return Err(full);
        }
        let address = u32::try_from(self.arena.len() / RECORD_ALIGN).map_err(|_| full)?;
        let len = u32::try_from(text.len()).map_err(|_| full)?;
        self.arena.extend_from_slice(&key.to_le_bytes());
        self.arena.extend_from_slice(&(index as u32).to_le_bytes());
        self.arena.extend_from_slice(&len.to_le_bytes());
        self.arena.extend_from_slice(text.as_bytes());
        let padded = self.arena.len().next_multiple_of(RECORD_ALIGN);
        self.arena.resize(padded, 0);
        self.records.push(address);
        self.text_bytes += text.len();
        let Dictionary {
            arena,
            table,
            hasher,
            ..
        } = self;
        // Growing rehashes from the records: storing each hash would cost 8 bytes a term.
        table.insert_unique(hash, address, |stored| {
            let record = record_at(arena, stored);
            let tag = (record.key >> PAYLOAD_BITS) as u8;
            hash_key(hasher, tag, record.key & PAYLOAD_MASK, record.text)
        });
        Ok(index)
    }

    fn language_entry(&mut self, language: &str) -> Result<usize, DictionaryError> {
        if !language.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.intern(LANGUAGE_ENTRY, 0, language);
        }
        let mut lower = std::mem::take(&mut self.scratch);
        lower.clear();
        lower.push_str(language);
        lower.make_ascii_lowercase();
        let result = self.intern(LANGUAGE_ENTRY, 0, &lower);
        self.scratch = lower;
        result
    }

    /// The id of `term`, adding it if new. Blank nodes belong to `scope`. Allocates nothing
    /// when the term is already known (or inline).
    pub fn encode(
        &mut self,
        scope: DocumentScope,
        term: Term<'_>,
    ) -> Result<TermId, DictionaryError> {
        let (tag, index) = match term {
            Term::Iri(iri) => (IdTag::Iri, self.intern(IdTag::Iri as u8, 0, iri)?),
            Term::BlankNode(label) => (
                IdTag::BlankNode,
                self.intern(IdTag::BlankNode as u8, scope.0, label)?,
            ),
            Term::Literal(literal) => return self.encode_literal(literal),
        };
        Ok(TermId::new(tag, index as u64))
    }

    /// The hasher whose [`TermHash`]es [`Dictionary::encode_hashed`] takes: hash terms with
    /// it on other threads, intern them here in order.
    pub fn term_hasher(&self) -> TermHasher {
        TermHasher {
            hasher: self.hasher.clone(),
        }
    }

    /// The entry hash `encode_hashed(scope, _, hash)` will look up, where it is known before
    /// interning (not for language-tagged and datatyped literals, whose `extra` is an entry
    /// found while interning, nor for inline literals, which need no lookup).
    #[inline]
    fn lookup_hash(scope: DocumentScope, hash: &TermHash) -> Option<u64> {
        match hash.class {
            HashedClass::Unclassified => Some(hash.value),
            HashedClass::BlankNode => Some(with_extra(hash.value, scope.0)),
            HashedClass::Stored(IdTag::LangLiteral | IdTag::TypedLiteral) | HashedClass::Inline => {
                None
            }
            HashedClass::Stored(_) => Some(hash.value),
        }
    }

    /// A hint, the first step of a pipelined lookup: starts loading the table line that
    /// [`Dictionary::encode_hashed`] of this term will read, so that interning a term a few
    /// positions later does not wait for memory. Changes nothing (ids are unaffected).
    #[inline]
    pub fn prefetch_slot(&self, scope: DocumentScope, hash: &TermHash) {
        if let Some(group) = Self::lookup_hash(scope, hash).and_then(|h| self.table.group_for(h)) {
            prefetch_read(group);
        }
    }

    /// A hint, the second step: reads the table line (prefetched by
    /// [`Dictionary::prefetch_slot`] some terms earlier) and starts loading the records whose
    /// fingerprint matches (the first: false matches are 1 in 32 768), so the lookup's comparison
    /// finds it cached. Changes nothing.
    #[inline]
    pub fn prefetch_record(&self, scope: DocumentScope, hash: &TermHash) {
        let Some(hash) = Self::lookup_hash(scope, hash) else {
            return;
        };
        let Some(group) = self.table.group_for(hash) else {
            return;
        };
        if let Some(address) = AddressTable::first_candidate(group, hash) {
            if let Some(record) = self.arena.get(address as usize * RECORD_ALIGN) {
                prefetch_read(record);
            }
        }
    }

    /// [`Dictionary::encode`] with the term's hashes computed beforehand (on any thread) by
    /// this dictionary's [`TermHasher`]: the same id, the text not hashed again.
    #[inline(always)]
    pub fn encode_hashed(
        &mut self,
        scope: DocumentScope,
        term: Term<'_>,
        hash: TermHash,
    ) -> Result<TermId, DictionaryError> {
        // IRIs, blank nodes and literals without a language or datatype entry: one lookup,
        // inlined; the rest (and every insert) out of line.
        let (tag, extra, lookup, text) = match term {
            Term::Iri(iri) => (IdTag::Iri, 0, hash.value, iri),
            Term::BlankNode(label) => (
                IdTag::BlankNode,
                scope.0,
                with_extra(hash.value, scope.0),
                label,
            ),
            Term::Literal(literal) => match hash.class {
                HashedClass::Inline => {
                    let id = TermId(hash.value);
                    debug_assert!(
                        matches!(classify_literal(literal), LiteralClass::Inline(i) if i == id)
                    );
                    return Ok(id);
                }
                HashedClass::Stored(tag)
                    if !matches!(tag, IdTag::LangLiteral | IdTag::TypedLiteral) =>
                {
                    (tag, 0, hash.value, literal.value())
                }
                _ => return self.encode_hashed_literal(literal, hash),
            },
        };
        let index = self.intern_hashed(lookup, tag as u8, extra, text)?;
        Ok(TermId::new(tag, index as u64))
    }

    /// [`Dictionary::encode_hashed`] of a language-tagged or datatyped literal (its `extra` is
    /// an entry to look up first), or of a literal without a [`TermHasher`] hash.
    #[inline(never)]
    fn encode_hashed_literal(
        &mut self,
        literal: Literal<'_>,
        hash: TermHash,
    ) -> Result<TermId, DictionaryError> {
        let (tag, extra) = match hash.class {
            HashedClass::Stored(IdTag::LangLiteral) => {
                let language = literal.language().unwrap_or_default();
                (IdTag::LangLiteral, self.language_entry(language)?)
            }
            HashedClass::Stored(IdTag::TypedLiteral) => {
                let datatype = literal.datatype();
                let entry = self.intern(IdTag::Iri as u8, 0, datatype)?;
                (IdTag::TypedLiteral, entry)
            }
            // Not from `TermHasher::hash` (a default `TermHash`): nothing to reuse.
            _ => return self.encode_literal(literal),
        };
        let extra = extra as u64;
        let hash = with_extra(hash.value, extra);
        let index = self.intern_hashed(hash, tag as u8, extra, literal.value())?;
        Ok(TermId::new(tag, index as u64))
    }

    fn encode_literal(&mut self, literal: Literal<'_>) -> Result<TermId, DictionaryError> {
        let (tag, extra, value) = match classify_literal(literal) {
            LiteralClass::Inline(id) => return Ok(id),
            LiteralClass::Stored { tag, extra, value } => (tag, extra, value),
        };
        let extra = match extra {
            Extra::None => 0,
            Extra::Language(language) => self.language_entry(language)? as u64,
            Extra::Datatype(datatype) => self.intern(IdTag::Iri as u8, 0, datatype)? as u64,
        };
        let index = self.intern(tag as u8, extra, value)?;
        Ok(TermId::new(tag, index as u64))
    }

    /// The id of `term` if it is already known; never adds anything.
    pub fn get(&self, scope: DocumentScope, term: Term<'_>) -> Option<TermId> {
        let (tag, extra, text) = match term {
            Term::Iri(iri) => (IdTag::Iri, 0, iri),
            Term::BlankNode(label) => (IdTag::BlankNode, scope.0, label),
            Term::Literal(literal) => match classify_literal(literal) {
                LiteralClass::Inline(id) => return Some(id),
                LiteralClass::Stored { tag, extra, value } => {
                    let extra = match extra {
                        Extra::None => 0,
                        Extra::Language(language)
                            if language.bytes().any(|b| b.is_ascii_uppercase()) =>
                        {
                            self.find(LANGUAGE_ENTRY, 0, &language.to_ascii_lowercase())?
                        }
                        Extra::Language(language) => self.find(LANGUAGE_ENTRY, 0, language)?,
                        Extra::Datatype(datatype) => self.find(IdTag::Iri as u8, 0, datatype)?,
                    };
                    (tag, extra as u64, value)
                }
            },
        };
        let index = self.find(tag as u8, extra, text)?;
        Some(TermId::new(tag, index as u64))
    }

    fn entry_text(&self, index: u64, tag: u8) -> Option<(&str, u64)> {
        let address = *self.records.get(usize::try_from(index).ok()?)?;
        let record = record_at(&self.arena, address);
        if (record.key >> PAYLOAD_BITS) as u8 != tag {
            return None;
        }
        // Only `&str` text is ever stored, so this never fails.
        let text = std::str::from_utf8(record.text).ok()?;
        Some((text, record.key & PAYLOAD_MASK))
    }

    /// The term of `id`; `None` for an id this dictionary did not issue.
    pub fn decode(&self, id: TermId) -> Option<DecodedTerm<'_>> {
        let tag = id.tag();
        let repr = match tag {
            IdTag::IntegerInline => Repr::Integer(id.inline_integer()?),
            IdTag::BooleanInline => Repr::Term(Term::Literal(Literal::typed(
                if id.payload() != 0 { "true" } else { "false" },
                XSD_BOOLEAN,
            ))),
            _ => {
                let (text, extra) = self.entry_text(id.payload(), tag as u8)?;
                match tag {
                    IdTag::Iri => Repr::Term(Term::Iri(text)),
                    IdTag::BlankNode => Repr::BlankNode {
                        label: text,
                        scope: DocumentScope(extra),
                    },
                    IdTag::SimpleLiteral => Repr::Term(Term::Literal(Literal::simple(text))),
                    IdTag::LangLiteral => {
                        let (language, _) = self.entry_text(extra, LANGUAGE_ENTRY)?;
                        Repr::Term(Term::Literal(Literal::lang_tagged(text, language)))
                    }
                    IdTag::TypedLiteral => {
                        let (datatype, _) = self.entry_text(extra, IdTag::Iri as u8)?;
                        Repr::Term(Term::Literal(Literal::typed(text, datatype)))
                    }
                    IdTag::IntegerStored => {
                        Repr::Term(Term::Literal(Literal::typed(text, XSD_INTEGER)))
                    }
                    IdTag::BooleanStored => {
                        Repr::Term(Term::Literal(Literal::typed(text, XSD_BOOLEAN)))
                    }
                    IdTag::Decimal => Repr::Term(Term::Literal(Literal::typed(text, XSD_DECIMAL))),
                    IdTag::Double => Repr::Term(Term::Literal(Literal::typed(text, XSD_DOUBLE))),
                    IdTag::IntegerInline | IdTag::BooleanInline => return None,
                }
            }
        };
        Some(DecodedTerm { repr })
    }

    /// N-Triples text of `id` (for the emit stage), `None` for an id this dictionary did not
    /// issue. Blank nodes are written `_:d{scope}_{label}`, distinct across documents.
    pub fn display(&self, id: TermId) -> Option<impl fmt::Display + '_> {
        self.decode(id)
    }
}

/// A decoded term: a view of the dictionary's text, or an inline value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecodedTerm<'a> {
    repr: Repr<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Repr<'a> {
    Term(Term<'a>),
    BlankNode {
        label: &'a str,
        scope: DocumentScope,
    },
    Integer(i64),
}

/// Decimal text of an integer, on the stack.
struct IntegerText {
    buf: [u8; 20],
    start: usize,
}

impl IntegerText {
    fn new(value: i64) -> Self {
        let mut buf = [0u8; 20];
        let mut start = buf.len();
        let mut magnitude = value.unsigned_abs();
        loop {
            start -= 1;
            buf[start] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        if value < 0 {
            start -= 1;
            buf[start] = b'-';
        }
        Self { buf, start }
    }

    fn as_str(&self) -> &str {
        // Only ASCII digits and '-' were written, so this is always valid UTF-8.
        std::str::from_utf8(&self.buf[self.start..]).unwrap_or_default()
    }
}

impl DecodedTerm<'_> {
    /// Calls `f` with the term as a borrowed view. (An inline integer's text lives on the
    /// stack for the call.) A blank node's label is its label within its document; see
    /// [`DecodedTerm::scope`].
    pub fn with_term<T>(&self, f: impl FnOnce(Term<'_>) -> T) -> T {
        match self.repr {
            Repr::Term(term) => f(term),
            Repr::BlankNode { label, .. } => f(Term::BlankNode(label)),
            Repr::Integer(value) => {
                let text = IntegerText::new(value);
                f(Term::Literal(Literal::typed(text.as_str(), XSD_INTEGER)))
            }
        }
    }

    /// The term as a borrowed view, unless it is an inline integer (use
    /// [`DecodedTerm::with_term`] or [`DecodedTerm::inline_integer`] for those).
    pub fn as_borrowed(&self) -> Option<Term<'_>> {
        match self.repr {
            Repr::Term(term) => Some(term),
            Repr::BlankNode { label, .. } => Some(Term::BlankNode(label)),
            Repr::Integer(_) => None,
        }
    }

    /// The value of an inline integer.
    pub fn inline_integer(&self) -> Option<i64> {
        match self.repr {
            Repr::Integer(value) => Some(value),
            _ => None,
        }
    }

    /// The document a blank node belongs to.
    pub fn scope(&self) -> Option<DocumentScope> {
        match self.repr {
            Repr::BlankNode { scope, .. } => Some(scope),
            _ => None,
        }
    }
}

/// N-Triples syntax; blank nodes as `_:d{scope}_{label}` so documents do not merge.
impl fmt::Display for DecodedTerm<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.repr {
            Repr::BlankNode { label, scope } => write!(f, "_:d{}_{}", scope.0, label),
            _ => self.with_term(|term| term.write_ntriples(f)),
        }
    }
}
