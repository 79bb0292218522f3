//! The first byte of a stop set in a run of bytes, 32 bytes a step in AVX2 registers, each
//! step ending in one bit mask (simdjson's structural scan: classify every byte of a block at
//! once, then find the first set bit), for the parsers' term scans
//! ([`crate::ingest::scan`]).
//!
//! The portable scan there tests the same sets with per-byte compares that LLVM vectorises,
//! but it can only say where the first stop is by moving byte flags out of the vector and
//! counting zeros in two 64-bit halves; here `vpmovmskb` gives the 32-bit mask directly. The
//! IRI set (space, controls and `<>"{}|^`\`) is classified with two nibble lookups
//! (`vpshufb`) and one compare, instead of ten compares.

/// Which stop set a scan looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum StopSet {
    /// What ends an IRI's plain run: bytes up to the space, and `<>"{}|^`\`
    /// (`is_forbidden_iri_byte`).
    Iri,
    /// What ends a string literal's plain run: `"`, `\`, `\n`, `\r`.
    String,
}

/// Proof that this CPU has AVX2: only [`Avx2Scan::detect`] makes one.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2Scan {
    _checked: (),
}

impl Avx2Scan {
    /// `Some` when the CPU has AVX2 (std caches the check: a load and a test).
    #[inline]
    pub(crate) fn detect() -> Option<Self> {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                return Some(Self { _checked: () });
            }
        }
        None
    }

    /// Bit `i` set where byte `i` of `block` is in `set`. Inlined, it compiles to a few
    /// vector instructions where the caller is compiled for AVX2 (inside
    /// [`with_best_isa`](crate::arch::with_best_isa)), and to a call elsewhere.
    #[inline(always)]
    fn stops(self, block: &[u8; 32], set: StopSet) -> u32 {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        // SAFETY: `self` exists only once `detect` found AVX2 on this CPU, which is all that
        // the `avx2` functions require.
        unsafe {
            match set {
                StopSet::Iri => avx2::iri_stops(block),
                StopSet::String => avx2::string_stops(block),
            }
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        {
            let _ = (block, set);
            unreachable!("no Avx2Scan exists off x86_64");
        }
    }

    /// Offset of the first byte of `bytes` in `set`, if any: whole blocks in order, then the
    /// last 32 bytes (reaching back over bytes already tested, whose bits are dropped), or,
    /// for input shorter than a block, a zero-padded copy whose padding bits are dropped.
    #[inline(always)]
    pub(crate) fn first_stop(self, bytes: &[u8], set: StopSet) -> Option<usize> {
        let mut at = 0;
        let mut rest = bytes;
        while let Some((block, tail)) = rest.split_first_chunk::<32>() {
            let mask = self.stops(block, set);
            if mask != 0 {
                return Some(at + mask.trailing_zeros() as usize);
            }
            at += 32;
            rest = tail;
        }
        if rest.is_empty() {
            return None;
        }
        let mask = match bytes.last_chunk::<32>() {
            // `rest` is 1 to 31 bytes: the last block's first `32 - rest.len()` were tested.
            Some(last) => self.stops(last, set) >> (32 - rest.len()),
            None => {
                let mut padded = [0u8; 32];
                padded[..rest.len()].copy_from_slice(rest);
                self.stops(&padded, set) & ((1 << rest.len()) - 1)
            }
        };
        (mask != 0).then(|| at + mask.trailing_zeros() as usize)
    }
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
mod avx2 {
    use core::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_cmpeq_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
        _mm256_or_si256, _mm256_set1_epi8, _mm256_setr_epi8, _mm256_setzero_si256,
        _mm256_shuffle_epi8, _mm256_srli_epi16,
    };

    /// 32 bytes in a register.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(block: &[u8; 32]) -> __m256i {
        // SAFETY: 32 bytes read from a `[u8; 32]`; `loadu` needs no alignment.
        unsafe { _mm256_loadu_si256(block.as_ptr().cast::<__m256i>()) }
    }

    /// Bit `i` set where byte `i` of `block` is an IRI stop byte.
    ///
    /// Every stop byte, by high and low nibble, with the class bit its two nibbles share:
    /// 0x00-0x1F (high 0 or 1, any low: bit 5); space 2/0 (bit 6); `"` 2/2 (bit 0); `<` `>`
    /// 3/C, 3/E (bit 1); `\` `^` 5/C, 5/E (bit 2); `` ` `` 6/0 (bit 3); `{` `|` `}` 7/B,
    /// 7/C, 7/D (bit 4). A byte stops the scan when the class bits of its two nibbles meet;
    /// bytes from 0x80 have a high nibble with no class.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn iri_stops(block: &[u8; 32]) -> u32 {
        let v = load(block);
        const C: i8 = 32; // controls
        const S: i8 = 64; // space
        #[rustfmt::skip]
        let low = _mm256_setr_epi8(
            8 | C | S, C, 1 | C, C, C, C, C, C, C, C, C, 16 | C, 2 | 4 | 16 | C, 16 | C, 2 | 4 | C, C,
            8 | C | S, C, 1 | C, C, C, C, C, C, C, C, C, 16 | C, 2 | 4 | 16 | C, 16 | C, 2 | 4 | C, C,
        );
        #[rustfmt::skip]
        let high = _mm256_setr_epi8(
            C, C, 1 | S, 2, 0, 4, 8, 16, 0, 0, 0, 0, 0, 0, 0, 0,
            C, C, 1 | S, 2, 0, 4, 8, 16, 0, 0, 0, 0, 0, 0, 0, 0,
        );
        let nibble = _mm256_set1_epi8(0x0F);
        let low_class = _mm256_shuffle_epi8(low, _mm256_and_si256(v, nibble));
        let high_class =
            _mm256_shuffle_epi8(high, _mm256_and_si256(_mm256_srli_epi16::<4>(v), nibble));
        let plain = _mm256_cmpeq_epi8(
            _mm256_and_si256(low_class, high_class),
            _mm256_setzero_si256(),
        );
        !(_mm256_movemask_epi8(plain) as u32)
    }

    /// Bit `i` set where byte `i` of `block` is `"`, `\`, `\n` or `\r`.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn string_stops(block: &[u8; 32]) -> u32 {
        let v = load(block);
        let is = |b: u8| _mm256_cmpeq_epi8(v, _mm256_set1_epi8(b as i8));
        let stops = _mm256_or_si256(
            _mm256_or_si256(is(b'"'), is(b'\\')),
            _mm256_or_si256(is(b'\n'), is(b'\r')),
        );
        _mm256_movemask_epi8(stops) as u32
    }
}
