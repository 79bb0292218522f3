//! One BLAKE3 compression of eight independent blocks in AVX2 registers, for
//! [`crate::provenance::batch_hash`].
//!
//! The portable compression there is written as a loop over the lanes for LLVM to vectorize;
//! it does, but it gathers the message word by word and keeps the state partly in memory, about
//! twice the instructions of the compression itself. Here the state is sixteen `__m256i`
//! (word `i` of all eight lanes in one), each lane's 64-byte block is loaded as two vectors and
//! transposed in registers (two 8 × 8 transposes of `u32`s), and the rotations are byte
//! shuffles (16 and 8) or two shifts (12 and 7), as BLAKE3's own AVX2 code does. Same results,
//! bit for bit: the batch hashing tests compare both paths with `blake3::keyed_hash`.

/// One 32-bit word of each of the eight lanes.
pub type Lanes = [u32; 8];

/// A 64-byte BLAKE3 block.
pub type Block = [u8; 64];

/// BLAKE3's initial chaining value (SHA-256's), shared with the portable compression.
pub(crate) const BLAKE3_IV: [u32; 8] = [
    0x6A09_E667,
    0xBB67_AE85,
    0x3C6E_F372,
    0xA54F_F53A,
    0x510E_527F,
    0x9B05_688C,
    0x1F83_D9AB,
    0x5BE0_CD19,
];

/// The message word order of each of the seven rounds (the BLAKE3 permutation applied
/// round after round), shared with the portable compression.
pub(crate) const BLAKE3_MSG_SCHEDULE: [[usize; 16]; 7] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8],
    [3, 4, 10, 12, 13, 2, 7, 14, 6, 5, 9, 0, 11, 15, 8, 1],
    [10, 7, 12, 9, 14, 3, 13, 15, 4, 0, 11, 2, 5, 8, 1, 6],
    [12, 13, 9, 11, 15, 10, 14, 8, 7, 2, 5, 3, 0, 1, 6, 4],
    [9, 14, 11, 5, 8, 12, 15, 1, 13, 3, 0, 10, 2, 6, 4, 7],
    [11, 15, 5, 0, 1, 9, 8, 6, 14, 10, 2, 12, 3, 4, 7, 13],
];

/// Proof that this CPU has AVX2: only [`Avx2Compress::detect`] makes one.
#[derive(Clone, Copy, Debug)]
pub struct Avx2Compress {
    _checked: (),
}

impl Avx2Compress {
    /// `Some` when the CPU has AVX2 (the check is cached by std after the first call).
    #[inline]
    #[must_use]
    pub fn detect() -> Option<Self> {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        {
            if std::arch::is_x86_feature_detected!("avx2") {
                return Some(Self { _checked: () });
            }
        }
        None
    }

    /// Compresses lane `i`'s `blocks[i]` into `cv` (word `w` of lane `i` is `cv[w][i]`) with
    /// `block_len[i]` and `flags[i]`, chunk counter 0, keeping the first 32 bytes of the
    /// output, in the lanes whose `active` word is all ones; the others keep their `cv`.
    #[inline]
    pub fn compress(
        self,
        cv: &mut [Lanes; 8],
        blocks: &[&Block; 8],
        block_len: &Lanes,
        flags: &Lanes,
        active: &Lanes,
    ) {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        // SAFETY: `self` exists only once `detect` found AVX2 on this CPU, which is all that
        // `avx2::compress` requires.
        unsafe {
            avx2::compress(cv, blocks, block_len, flags, active);
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        {
            let _ = (cv, blocks, block_len, flags, active);
            unreachable!("no Avx2Compress exists off x86_64");
        }
    }

    /// The eight lanes' chaining values as bytes: lane `i`'s 32 bytes are `cv[0..8][i]`,
    /// little-endian (a BLAKE3 hash's bytes), transposed in registers.
    #[inline]
    #[must_use]
    pub fn lanes_to_bytes(self, cv: &[Lanes; 8]) -> [[u8; 32]; 8] {
        #[cfg(all(target_arch = "x86_64", not(miri)))]
        // SAFETY: as in `compress`: `self` proves the CPU has AVX2.
        unsafe {
            avx2::lanes_to_bytes(cv)
        }
        #[cfg(not(all(target_arch = "x86_64", not(miri))))]
        {
            let _ = cv;
            unreachable!("no Avx2Compress exists off x86_64");
        }
    }
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
mod avx2 {
    use core::arch::x86_64::{
        __m256i, _mm256_add_epi32, _mm256_and_si256, _mm256_andnot_si256, _mm256_loadu_si256,
        _mm256_or_si256, _mm256_permute2x128_si256, _mm256_set1_epi32, _mm256_setr_epi8,
        _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_slli_epi32, _mm256_srli_epi32,
        _mm256_storeu_si256, _mm256_unpackhi_epi32, _mm256_unpackhi_epi64, _mm256_unpacklo_epi32,
        _mm256_unpacklo_epi64, _mm256_xor_si256,
    };

    use super::{Block, Lanes, BLAKE3_IV, BLAKE3_MSG_SCHEDULE};

    /// The byte shuffle of [`rot16`], hidden from the optimiser: with the constant in view,
    /// LLVM rewrites the one `vpshufb` as a `vpshuflw`/`vpshufhw` pair, 56 more instructions
    /// a compression.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot16_bytes() -> __m256i {
        std::hint::black_box(_mm256_setr_epi8(
            2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11,
            8, 9, 14, 15, 12, 13,
        ))
    }

    /// Rotation by 16, with `bytes` from [`rot16_bytes`].
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot16(x: __m256i, bytes: __m256i) -> __m256i {
        _mm256_shuffle_epi8(x, bytes)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot8(x: __m256i) -> __m256i {
        let bytes = _mm256_setr_epi8(
            1, 2, 3, 0, 5, 6, 7, 4, 9, 10, 11, 8, 13, 14, 15, 12, 1, 2, 3, 0, 5, 6, 7, 4, 9, 10,
            11, 8, 13, 14, 15, 12,
        );
        _mm256_shuffle_epi8(x, bytes)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot12(x: __m256i) -> __m256i {
        _mm256_or_si256(_mm256_srli_epi32::<12>(x), _mm256_slli_epi32::<20>(x))
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot7(x: __m256i) -> __m256i {
        _mm256_or_si256(_mm256_srli_epi32::<7>(x), _mm256_slli_epi32::<25>(x))
    }

    /// BLAKE3's quarter-round on state words `a`, `b`, `c`, `d` of all lanes (a macro, so
    /// that it is inlined: a `target_feature` function cannot be `#[inline(always)]`).
    macro_rules! g {
        ($v:ident, $r16:ident, $a:literal, $b:literal, $c:literal, $d:literal, $x:expr, $y:expr) => {
            $v[$a] = _mm256_add_epi32(_mm256_add_epi32($v[$a], $v[$b]), $x);
            $v[$d] = rot16(_mm256_xor_si256($v[$d], $v[$a]), $r16);
            $v[$c] = _mm256_add_epi32($v[$c], $v[$d]);
            $v[$b] = rot12(_mm256_xor_si256($v[$b], $v[$c]));
            $v[$a] = _mm256_add_epi32(_mm256_add_epi32($v[$a], $v[$b]), $y);
            $v[$d] = rot8(_mm256_xor_si256($v[$d], $v[$a]));
            $v[$c] = _mm256_add_epi32($v[$c], $v[$d]);
            $v[$b] = rot7(_mm256_xor_si256($v[$b], $v[$c]));
        };
    }

    /// One round with the message words in schedule `s`.
    macro_rules! round {
        ($v:ident, $r16:ident, $m:ident, $s:expr) => {
            let s: &[usize; 16] = $s;
            g!($v, $r16, 0, 4, 8, 12, $m[s[0]], $m[s[1]]);
            g!($v, $r16, 1, 5, 9, 13, $m[s[2]], $m[s[3]]);
            g!($v, $r16, 2, 6, 10, 14, $m[s[4]], $m[s[5]]);
            g!($v, $r16, 3, 7, 11, 15, $m[s[6]], $m[s[7]]);
            g!($v, $r16, 0, 5, 10, 15, $m[s[8]], $m[s[9]]);
            g!($v, $r16, 1, 6, 11, 12, $m[s[10]], $m[s[11]]);
            g!($v, $r16, 2, 7, 8, 13, $m[s[12]], $m[s[13]]);
            g!($v, $r16, 3, 4, 9, 14, $m[s[14]], $m[s[15]]);
        };
    }

    /// Rows `r[i]` (8 words each) to columns: word `w` of the result is `r[0..8][w]`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn transpose(r: [__m256i; 8]) -> [__m256i; 8] {
        let t0 = _mm256_unpacklo_epi32(r[0], r[1]);
        let t1 = _mm256_unpackhi_epi32(r[0], r[1]);
        let t2 = _mm256_unpacklo_epi32(r[2], r[3]);
        let t3 = _mm256_unpackhi_epi32(r[2], r[3]);
        let t4 = _mm256_unpacklo_epi32(r[4], r[5]);
        let t5 = _mm256_unpackhi_epi32(r[4], r[5]);
        let t6 = _mm256_unpacklo_epi32(r[6], r[7]);
        let t7 = _mm256_unpackhi_epi32(r[6], r[7]);
        let u0 = _mm256_unpacklo_epi64(t0, t2);
        let u1 = _mm256_unpackhi_epi64(t0, t2);
        let u2 = _mm256_unpacklo_epi64(t1, t3);
        let u3 = _mm256_unpackhi_epi64(t1, t3);
        let u4 = _mm256_unpacklo_epi64(t4, t6);
        let u5 = _mm256_unpackhi_epi64(t4, t6);
        let u6 = _mm256_unpacklo_epi64(t5, t7);
        let u7 = _mm256_unpackhi_epi64(t5, t7);
        [
            _mm256_permute2x128_si256::<0x20>(u0, u4),
            _mm256_permute2x128_si256::<0x20>(u1, u5),
            _mm256_permute2x128_si256::<0x20>(u2, u6),
            _mm256_permute2x128_si256::<0x20>(u3, u7),
            _mm256_permute2x128_si256::<0x31>(u0, u4),
            _mm256_permute2x128_si256::<0x31>(u1, u5),
            _mm256_permute2x128_si256::<0x31>(u2, u6),
            _mm256_permute2x128_si256::<0x31>(u3, u7),
        ]
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(words: &Lanes) -> __m256i {
        // SAFETY: 32 bytes read from a `[u32; 8]` (32 bytes); `loadu` needs no alignment.
        unsafe { _mm256_loadu_si256(words.as_ptr().cast::<__m256i>()) }
    }

    /// Half `half` (0 or 1) of a block: its words `8 * half..8 * half + 8`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn load_half(block: &Block, half: usize) -> __m256i {
        let bytes: &[u8; 32] = block[32 * half..32 * half + 32]
            .try_into()
            .expect("half of a 64-byte block is 32 bytes");
        // SAFETY: 32 bytes read from a `[u8; 32]`; `loadu` needs no alignment.
        unsafe { _mm256_loadu_si256(bytes.as_ptr().cast::<__m256i>()) }
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn store(words: &mut Lanes, x: __m256i) {
        // SAFETY: 32 bytes written to a `[u32; 8]` (32 bytes); `storeu` needs no alignment.
        unsafe { _mm256_storeu_si256(words.as_mut_ptr().cast::<__m256i>(), x) }
    }

    /// See [`super::Avx2Compress::lanes_to_bytes`].
    #[target_feature(enable = "avx2")]
    pub(super) fn lanes_to_bytes(cv: &[Lanes; 8]) -> [[u8; 32]; 8] {
        let columns = transpose(std::array::from_fn(|w| load(&cv[w])));
        let mut out = [[0u8; 32]; 8];
        for (bytes, column) in out.iter_mut().zip(columns) {
            // SAFETY: 32 bytes written to a `[u8; 32]`; `storeu` needs no alignment.
            unsafe { _mm256_storeu_si256(bytes.as_mut_ptr().cast::<__m256i>(), column) }
        }
        out
    }

    /// See [`super::Avx2Compress::compress`].
    #[target_feature(enable = "avx2")]
    pub(super) fn compress(
        cv: &mut [Lanes; 8],
        blocks: &[&Block; 8],
        block_len: &Lanes,
        flags: &Lanes,
        active: &Lanes,
    ) {
        let low = transpose(std::array::from_fn(|lane| load_half(blocks[lane], 0)));
        let high = transpose(std::array::from_fn(|lane| load_half(blocks[lane], 1)));
        let m: [__m256i; 16] = std::array::from_fn(|w| if w < 8 { low[w] } else { high[w - 8] });
        let start: [__m256i; 8] = std::array::from_fn(|w| load(&cv[w]));
        let iv = |w: usize| _mm256_set1_epi32(BLAKE3_IV[w] as i32);
        let mut v = [
            start[0],
            start[1],
            start[2],
            start[3],
            start[4],
            start[5],
            start[6],
            start[7],
            iv(0),
            iv(1),
            iv(2),
            iv(3),
            _mm256_setzero_si256(),
            _mm256_setzero_si256(),
            load(block_len),
            load(flags),
        ];
        let r16 = rot16_bytes();
        // Spelt out, so that every message index is a constant.
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[0]);
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[1]);
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[2]);
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[3]);
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[4]);
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[5]);
        round!(v, r16, m, &BLAKE3_MSG_SCHEDULE[6]);
        let active = load(active);
        for (w, cv) in cv.iter_mut().enumerate() {
            let next = _mm256_xor_si256(v[w], v[w + 8]);
            let kept = _mm256_or_si256(
                _mm256_and_si256(active, next),
                _mm256_andnot_si256(active, start[w]),
            );
            store(cv, kept);
        }
    }
}
