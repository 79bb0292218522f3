//! The dictionary's keyed text hash in AES rounds, where the CPU has AES-NI.
//!
//! Each 16 bytes of the text are XORed into a 128-bit state and stirred by one AES round
//! (`aesenc`: SubBytes, ShiftRows, MixColumns, then a round key), the state starting from a
//! secret key mixed with the text's length and the entry's tag; two more rounds spread every
//! byte over all 128 bits before the low 64 are taken: one round instruction per 16 bytes, and
//! a text of 17 to 32 bytes (the usual IRI) in two steps with no loop (fewer instructions than
//! foldhash: BENCHMARKS.md, instructions per triple). The construction is ahash's (AES rounds keyed from randomness, for hash tables,
//! not a cryptographic hash): the round keys are random per process, so input crafted without
//! them cannot aim at one group of the table.
//!
//! A text of 16 bytes or fewer is read as two words as foldhash reads it (first and last 8, or
//! first and last 4, or three bytes), longer ones 16 bytes a step with the last step ending at
//! the text's end (it may overlap the one before): with the length in the start state, every
//! byte reaches the hash once and two texts that differ give different inputs to the rounds.

/// Round keys for [`AesTextHash`]: three 128-bit keys, as little-endian word pairs.
pub type RoundKeys = [[u64; 2]; 3];

/// The keyed AES text hash; exists only where the CPU has AES-NI ([`AesTextHash::detect`]).
#[derive(Clone, Copy, Debug)]
pub struct AesTextHash {
    keys: RoundKeys,
}

impl AesTextHash {
    /// `Some` when the CPU has AES-NI: the hash with these round keys.
    #[must_use]
    pub fn detect(keys: RoundKeys) -> Option<Self> {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        {
            if std::arch::is_x86_feature_detected!("aes") {
                return Some(Self { keys });
            }
        }
        let _ = keys;
        None
    }

    /// The keyed hash of `(tag, text)`.
    #[inline]
    #[must_use]
    pub fn hash(&self, tag: u8, text: &[u8]) -> u64 {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        // SAFETY: an `AesTextHash` exists only once `detect` found AES-NI on this CPU, which is
        // all `aes::hash` requires (SSE2 is part of x86_64).
        unsafe {
            aes::hash(&self.keys, tag, text)
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        {
            let _ = (tag, text);
            unreachable!("no AesTextHash exists off x86_64");
        }
    }
}

/// A text of at most 16 bytes as two words, every byte in one of them (the length, hashed
/// beside them, tells the overlapping reads apart).
#[inline(always)]
fn short_words(text: &[u8]) -> (u64, u64) {
    let len = text.len();
    debug_assert!(len <= 16);
    if len >= 8 {
        let first = u64::from_le_bytes(text[..8].try_into().expect("8 bytes"));
        let last = u64::from_le_bytes(text[len - 8..].try_into().expect("8 bytes"));
        (first, last)
    } else if len >= 4 {
        let first = u32::from_le_bytes(text[..4].try_into().expect("4 bytes"));
        let last = u32::from_le_bytes(text[len - 4..].try_into().expect("4 bytes"));
        (u64::from(first), u64::from(last))
    } else if len > 0 {
        let word =
            u64::from(text[0]) | u64::from(text[len / 2]) << 8 | u64::from(text[len - 1]) << 16;
        (word, 0)
    } else {
        (0, 0)
    }
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
mod aes {
    use core::arch::x86_64::{
        __m128i, _mm_aesenc_si128, _mm_cvtsi128_si64, _mm_loadu_si128, _mm_set_epi64x,
        _mm_xor_si128,
    };

    use super::{short_words, RoundKeys};

    #[inline]
    #[target_feature(enable = "aes")]
    fn load_key(key: &[u64; 2]) -> __m128i {
        // SAFETY: 16 bytes read from a `[u64; 2]` (16 bytes); `loadu` needs no alignment.
        unsafe { _mm_loadu_si128(key.as_ptr().cast::<__m128i>()) }
    }

    #[inline]
    #[target_feature(enable = "aes")]
    fn load_block(block: &[u8; 16]) -> __m128i {
        // SAFETY: 16 bytes read from a `[u8; 16]`; `loadu` needs no alignment.
        unsafe { _mm_loadu_si128(block.as_ptr().cast::<__m128i>()) }
    }

    /// See [`super::AesTextHash::hash`].
    #[inline]
    #[target_feature(enable = "aes")]
    pub(super) fn hash(keys: &RoundKeys, tag: u8, text: &[u8]) -> u64 {
        let [k0, k1, k2] = [load_key(&keys[0]), load_key(&keys[1]), load_key(&keys[2])];
        let len = text.len();
        let mut state = _mm_xor_si128(k0, _mm_set_epi64x(i64::from(tag), len as i64));
        if len <= 16 {
            let (first, last) = short_words(text);
            let words = _mm_set_epi64x(last as i64, first as i64);
            state = _mm_aesenc_si128(_mm_xor_si128(state, words), k1);
        } else if len <= 32 {
            // The usual IRI: its first and last 16 bytes, no loop.
            let first = text.first_chunk::<16>().expect("longer than 16 bytes");
            let last = text.last_chunk::<16>().expect("longer than 16 bytes");
            state = _mm_aesenc_si128(_mm_xor_si128(state, load_block(first)), k1);
            state = _mm_aesenc_si128(_mm_xor_si128(state, load_block(last)), k1);
        } else {
            let mut rest = text;
            while let Some((block, tail)) = rest.split_first_chunk::<16>() {
                if tail.is_empty() {
                    break;
                }
                state = _mm_aesenc_si128(_mm_xor_si128(state, load_block(block)), k1);
                rest = tail;
            }
            let last = text.last_chunk::<16>().expect("longer than 16 bytes");
            state = _mm_aesenc_si128(_mm_xor_si128(state, load_block(last)), k1);
        }
        state = _mm_aesenc_si128(state, k2);
        state = _mm_aesenc_si128(state, k0);
        _mm_cvtsi128_si64(state) as u64
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    const KEYS: RoundKeys = [
        [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210],
        [0x9e37_79b9_7f4a_7c15, 0x243f_6a88_85a3_08d3],
        [0x1319_8a2e_0370_7344, 0xa409_3822_299f_31d0],
    ];

    /// Every byte counts, and the tag and the length: each text of every length up to 80,
    /// each with every byte changed in turn, each under two tags, hashes differently from all
    /// the others (a byte left out, or a length or tag not mixed in, would collide).
    #[test]
    fn every_byte_the_length_and_the_tag_change_the_hash() {
        let Some(aes) = AesTextHash::detect(KEYS) else {
            return;
        };
        let base: Vec<u8> = (0..80u8).map(|i| b'a' + i % 26).collect();
        let mut seen = HashSet::new();
        let mut count = 0;
        for len in 0..=base.len() {
            let mut texts = vec![base[..len].to_vec()];
            for at in 0..len {
                let mut text = base[..len].to_vec();
                text[at] ^= 0x40;
                texts.push(text);
            }
            for text in &texts {
                for tag in [1u8, 2] {
                    assert!(
                        seen.insert(aes.hash(tag, text)),
                        "collision at len {len}, tag {tag}: {text:?}"
                    );
                    count += 1;
                    assert_eq!(aes.hash(tag, text), aes.hash(tag, text.as_slice()));
                }
            }
        }
        assert_eq!(seen.len(), count);
    }

    /// IRIs that differ in a counter spread over the bits the dictionary's table reads: the
    /// high ones (the group) and the low 16 (the fingerprint).
    #[test]
    fn similar_iris_spread_over_the_group_and_the_fingerprint_bits() {
        let Some(aes) = AesTextHash::detect(KEYS) else {
            return;
        };
        const BUCKETS: usize = 256;
        const N: usize = 65_536;
        let mut high = [0usize; BUCKETS];
        let mut low = [0usize; BUCKETS];
        for i in 0..N {
            let iri = format!("http://example.org/person/{i}");
            let h = aes.hash(1, iri.as_bytes());
            high[(h >> 56) as usize] += 1;
            low[(h & 0xff) as usize] += 1;
        }
        let mean = N / BUCKETS;
        for counts in [high, low] {
            let (min, max) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
            assert!(
                *min > mean * 3 / 4 && *max < mean * 5 / 4,
                "{min}..{max} around {mean}"
            );
        }
    }

    #[test]
    fn short_texts_are_read_whole() {
        assert_eq!(short_words(b""), (0, 0));
        assert_eq!(short_words(b"abc"), (0x63_62_61, 0));
        assert_eq!(short_words(b"abcde"), (0x64_63_62_61, 0x65_64_63_62));
        assert_eq!(
            short_words(b"0123456789"),
            (
                u64::from_le_bytes(*b"01234567"),
                u64::from_le_bytes(*b"23456789")
            )
        );
    }
}
