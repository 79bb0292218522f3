//! The generator's seeded pseudo-random source.

/// SplitMix64 (Steele, Lea & Flood, 2014): a 64-bit state advanced by the golden-ratio
/// increment and scrambled by a fixed mixer. Small, fast, passes BigCrush, and fully specified,
/// so output is reproducible everywhere. Not cryptographic.
///
/// Also the seeded source of the crate's tests, benches and examples; public for them only
/// (hidden from the docs), not part of the API.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

pub(super) const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    /// The generator whose sequence `seed` fixes.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A value in `0..n` (`n >= 1`) by multiply-high (Lemire, without the rejection step:
    /// the bias is below `n / 2^64`, irrelevant here).
    pub(super) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Zipf-like index in `0..n` (`n >= 1`): half uniform, half log-uniform (see module docs).
    pub(super) fn skewed(&mut self, n: u64) -> u64 {
        let r = self.next_u64();
        if r & 1 == 0 {
            return self.below(n);
        }
        let bits = u64::from(64 - n.leading_zeros());
        let b = ((u128::from(r >> 1) * u128::from(bits + 1)) >> 63) as u32;
        let range = if b >= 64 { n } else { (1u64 << b).min(n) };
        self.below(range)
    }
}

/// SplitMix64's output mixer (a bijection on `u64`).
pub(super) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
