//! Fixed scrambled orders: permutations of `0..m` and the round-robin visits built on them.

use std::io;

use super::rng::SplitMix64;

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A multiplier coprime to `m`, so `j -> j * a mod m` permutes `0..m`; derived from `hint`.
pub(super) fn coprime_multiplier(m: u64, hint: u64) -> u64 {
    if m <= 2 {
        return 1;
    }
    let mut a = hint % m;
    loop {
        if a == 0 {
            a = 1;
        }
        if gcd(a, m) == 1 {
            return a;
        }
        a = (a + 1) % m;
    }
}

/// `(offset + j * a) mod m` without overflow (`m >= 1`).
pub(super) fn affine(offset: u64, j: u64, a: u64, m: u64) -> u64 {
    ((u128::from(offset) + u128::from(j) * u128::from(a)) % u128::from(m)) as u64
}

/// Round-robin visitor of `0..n` in a scrambled order: visit `k` is entity
/// `(offset + k * a) mod n`, cycle `k / n`.
pub(super) struct RoundRobin {
    n: u64,
    a: u64,
    offset: u64,
    k: u64,
}

impl RoundRobin {
    pub(super) fn new(n: u64, rng: &mut SplitMix64) -> Self {
        let a = coprime_multiplier(n, rng.next_u64());
        let offset = rng.below(n);
        RoundRobin { n, a, offset, k: 0 }
    }

    /// `(entity, cycle)` of the next visit.
    pub(super) fn next(&mut self) -> (u64, u64) {
        let k = self.k;
        self.k += 1;
        (affine(self.offset, k, self.a, self.n), k / self.n)
    }
}

/// Occurrence counters of one skewed predicate, one per subject.
pub(super) fn counters(n: u64) -> io::Result<Vec<u32>> {
    let too_large = || io::Error::new(io::ErrorKind::OutOfMemory, "population too large");
    let len = usize::try_from(n).map_err(|_| too_large())?;
    // An allocation failure is an error, not an abort.
    let mut counts = Vec::new();
    counts.try_reserve_exact(len).map_err(|_| too_large())?;
    counts.resize(len, 0);
    Ok(counts)
}

/// Returns the current count for `i` and increments it.
pub(super) fn bump(counts: &mut [u32], i: u64) -> u64 {
    let slot = &mut counts[i as usize];
    let j = *slot;
    *slot = j.saturating_add(1);
    u64::from(j)
}
