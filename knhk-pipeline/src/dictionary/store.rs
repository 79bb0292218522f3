//! The store: each distinct term once, as a record in one byte arena, found through the
//! address table by its keyed hash; interning and encoding (see the
//! [storage notes](crate::dictionary#storage)).

use std::fmt;

use lanepool::arch::prefetch_read;

use crate::ingest::{Literal, Term};

use super::hash::{
    hash_key, keyed_hasher, with_extra, HashedClass, KeyedHash, TermHash, TermHasher,
};
use super::id::{DocumentScope, IdTag, TermId, PAYLOAD_BITS, PAYLOAD_MASK};
use super::literal::{classify_literal, Extra, LiteralClass};
use super::table::AddressTable;

/// Entry tag for interned language tags: never issued as a `TermId` (0 is reserved).
pub(super) const LANGUAGE_ENTRY: u8 = 0;
/// Most entries a dictionary holds: the index in a record header is a `u32`.
const MAX_ENTRIES: u64 = u32::MAX as u64;
/// Records start at multiples of this, so a `u32` addresses 16 GiB of arena.
pub(super) const RECORD_ALIGN: usize = 4;
/// Record header: key word (8 bytes), entry index (4), text length (4), little-endian.
pub(super) const HEADER_BYTES: usize = 16;

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
pub(super) struct Record<'a> {
    pub(super) key: u64,
    pub(super) text: &'a [u8],
}

/// The record at `address` (in units of [`RECORD_ALIGN`] bytes).
#[inline]
pub(super) fn record_at(arena: &[u8], address: u32) -> Record<'_> {
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

/// Maps terms to [`TermId`]s and back; see the [module docs](crate::dictionary).
pub struct Dictionary {
    /// The records; see the [module docs](crate::dictionary#storage).
    pub(super) arena: Vec<u8>,
    /// Record address of each entry index.
    pub(super) records: Vec<u32>,
    /// Record addresses, hashed by their `(key word, text)`.
    table: AddressTable,
    hasher: KeyedHash,
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

    /// Bytes a lookup may read: the records (headers and texts) and the two address arrays.
    pub fn lookup_bytes(&self) -> usize {
        self.arena.len() + self.records.len() * 4 + self.table.bytes()
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
        let key = entry_key(tag, extra);
        match self.find_hashed(hash, key, text) {
            Some(index) => Ok(index),
            None => self.insert_new(hash, key, text),
        }
    }

    /// Stores the entry `(key word, text)`, known to be absent, whose hash is `hash`. Kept out
    /// of line: a lookup that finds its term (most do) carries none of this code.
    #[inline(never)]
    fn insert_new(&mut self, hash: u64, key: u64, text: &str) -> Result<usize, DictionaryError> {
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
}
