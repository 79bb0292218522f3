//! The dictionary's keyed hash: AES rounds where the CPU has AES-NI
//! ([`crate::arch::AesTextHash`]), else foldhash, keyed from OS randomness; the hash of an
//! entry's `(tag, text)` with its `extra` mixed in afterwards, so that a [`TermHasher`] can
//! hash terms on parser threads before `extra` is known.

use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::OnceLock;

use foldhash::fast::SeedableRandomState;
use foldhash::SharedSeed;

use crate::arch::{AesTextHash, RoundKeys};
use crate::ingest::{MarkRepeats, Term};

use super::id::{IdTag, TermId};
use super::literal::{classify_literal, LiteralClass};

/// A dictionary's keyed text hash: one function for the whole process (the CPU decides which
/// once), its key a secret per process and a seed per dictionary.
#[derive(Clone, Debug)]
pub(super) enum KeyedHash {
    /// AES rounds (fewer instructions than foldhash on a usual IRI).
    Aes(AesTextHash),
    /// foldhash, on CPUs without AES-NI.
    Fold(SeedableRandomState),
}

/// A fresh [`KeyedHash`] keyed from the OS's randomness (foldhash's own default seeds only
/// from addresses and the clock).
pub(super) fn keyed_hasher() -> KeyedHash {
    // std's `RandomState` keys SipHash from the OS; hashing a constant yields a random word.
    let random_word = || RandomState::new().hash_one(0x6b6e_686bu64);
    let keys: RoundKeys = std::array::from_fn(|_| [random_word(), random_word()]);
    match AesTextHash::detect(keys) {
        Some(aes) => KeyedHash::Aes(aes),
        None => KeyedHash::Fold(fold_hasher(random_word)),
    }
}

/// A foldhash state keyed per process (the shared seed) and per dictionary.
fn fold_hasher(random_word: impl Fn() -> u64) -> SeedableRandomState {
    static PROCESS_SEED: OnceLock<SharedSeed> = OnceLock::new();
    let shared = PROCESS_SEED.get_or_init(|| SharedSeed::from_u64(random_word()));
    SeedableRandomState::with_seed(random_word(), shared)
}

/// The hash of an entry `(tag, extra, text)`: the keyed hash of `(tag, text)`, which a
/// [`TermHasher`] can compute on another thread before `extra` (a document scope, a language
/// or datatype entry) is known, then `extra` mixed in.
pub(super) fn hash_key(hasher: &KeyedHash, tag: u8, extra: u64, text: &[u8]) -> u64 {
    with_extra(text_hash(hasher, tag, text), extra)
}

#[inline(always)]
fn text_hash(hasher: &KeyedHash, tag: u8, text: &[u8]) -> u64 {
    match hasher {
        KeyedHash::Aes(aes) => aes.hash(tag, text),
        KeyedHash::Fold(fold) => {
            let mut state = fold.build_hasher();
            state.write_u64(u64::from(tag));
            // The text is the last field, so its length needs no terminator to stay unambiguous.
            state.write(text);
            state.finish()
        }
    }
}

/// Mixes `extra` into a keyed text hash: a folded 128-bit multiply, so that every bit of
/// `extra` reaches the bits the table uses (the high ones for the group, the low 16 for the
/// fingerprint). `extra` 0 (IRIs, simple and integer literals, the first document's blank nodes)
/// leaves the hash as it is.
#[inline]
pub(super) fn with_extra(hash: u64, extra: u64) -> u64 {
    if extra == 0 {
        return hash;
    }
    const MULTIPLIER: u64 = 0x9E37_79B9_7F4A_7C15;
    let full = u128::from(hash ^ extra.wrapping_mul(MULTIPLIER)) * u128::from(MULTIPLIER);
    (full as u64) ^ ((full >> 64) as u64)
}

/// A dictionary's keyed term hash, detached from it so that parser threads can hash terms
/// while the dictionary's owner interns earlier ones: get one with
/// [`Dictionary::term_hasher`](crate::dictionary::Dictionary::term_hasher), hash with
/// [`TermHasher::hash`], and give the result to
/// [`Dictionary::encode_hashed`](crate::dictionary::Dictionary::encode_hashed) of **the same
/// dictionary** (another dictionary's hashes would miss its entries; debug builds check).
#[derive(Clone, Debug)]
pub struct TermHasher {
    pub(super) hasher: KeyedHash,
}

/// The precomputed hash of one term, from [`TermHasher::hash`]; for a literal, also its
/// classification (inline value or stored tag), so the interning thread does not compare its
/// datatype with the XSD names again. 16 bytes: parser threads hand one per term to the
/// interning thread, so it is kept to what saves that thread work. (A literal's language tag
/// or datatype IRI, short and few, is hashed by the dictionary itself.) Its text hash is also
/// the key the reader finds a chunk's repeated terms by ([`MarkRepeats`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TermHash {
    /// The hash of the term's text (IRI, label, lexical form) with its tag; for an inline
    /// literal, its id.
    pub(super) value: u64,
    pub(super) class: HashedClass,
}

impl MarkRepeats for TermHash {
    /// The text hash; none for an inline literal, whose id is at hand already.
    #[inline(always)]
    fn repeat_key(&self) -> Option<u64> {
        (self.class != HashedClass::Inline).then_some(self.value)
    }
}

impl TermHash {
    /// A stand-in for a term not seen yet, for a look-ahead that has shown nothing: the
    /// prefetch hints ([`Dictionary::prefetch_slot`], [`Dictionary::prefetch_record`]) return
    /// at once on it. Not a term's hash: never give it to
    /// [`Dictionary::encode_hashed`](crate::dictionary::Dictionary::encode_hashed).
    ///
    /// [`Dictionary::prefetch_slot`]: crate::dictionary::Dictionary::prefetch_slot
    /// [`Dictionary::prefetch_record`]: crate::dictionary::Dictionary::prefetch_record
    pub const NO_HINT: TermHash = TermHash {
        value: 0,
        // An inline literal needs no lookup, so there is nothing to prefetch for it.
        class: HashedClass::Inline,
    };

    /// The term's id if the hash holds it (an inline literal's value): no lookup, and no
    /// need to read the term's text.
    #[inline(always)]
    pub fn inline_id(&self) -> Option<TermId> {
        (self.class == HashedClass::Inline).then_some(TermId(self.value))
    }
}

/// What [`TermHasher::hash`] found a literal to be. A tag byte of its own (not a niche in
/// `IdTag`'s): the interning loop tests it several times a term, and a plain tag is one
/// compare where the niche needed a decode first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum HashedClass {
    /// Not a literal (or a `TermHash::default()`): the dictionary classifies it itself.
    #[default]
    Unclassified = 0,
    /// A blank node: its entry's hash mixes in the document scope.
    BlankNode = 1,
    /// The literal's id (in `value`) holds its value.
    Inline = 2,
    /// The literal is stored under this tag.
    Stored(IdTag) = 3,
}

impl TermHasher {
    /// The hashes [`Dictionary::encode_hashed`](crate::dictionary::Dictionary::encode_hashed) needs for `term`.
    #[inline(always)]
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A term's hash stays 16 bytes: parser threads hand one per term to the interning
    /// thread.
    #[test]
    fn a_term_hash_is_16_bytes() {
        assert_eq!(std::mem::size_of::<TermHash>(), 16);
    }

    /// Both hashes, AES (where the CPU has it) and foldhash (what other CPUs use), give one
    /// hash for one entry and tell tags, texts and extras apart.
    #[test]
    fn both_keyed_hashes_give_one_hash_per_entry_and_tell_entries_apart() {
        let fold = KeyedHash::Fold(fold_hasher(|| RandomState::new().hash_one(7u8)));
        for hasher in [fold, keyed_hasher()] {
            let texts = [
                "",
                "a",
                "http://example.org/person/1",
                "http://example.org/person/2",
            ];
            let mut seen = std::collections::HashSet::new();
            for text in texts {
                for tag in [1u8, 3] {
                    for extra in [0u64, 5] {
                        let hash = hash_key(&hasher, tag, extra, text.as_bytes());
                        assert_eq!(hash, hash_key(&hasher, tag, extra, text.as_bytes()));
                        assert!(seen.insert(hash), "{hasher:?}: {tag} {extra} {text}");
                    }
                }
            }
        }
    }
}
