//! Deterministic, dependency-free randomness for the tests and benches: Marsaglia's xorshift64.
//! A test includes it with `#[path = "common/rng.rs"] mod rng;`, a bench with
//! `#[path = "../tests/common/rng.rs"] mod rng;`.

/// xorshift64 (shifts 13, 7, 17): the same seed gives the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    /// A generator starting from `seed`, which must not be 0 (xorshift stays at 0).
    pub fn new(seed: u64) -> Self {
        assert_ne!(seed, 0, "xorshift64 needs a non-zero seed");
        Rng(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A value in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}
