//! Any code, not only lane kernels, compiled for the CPU's best instruction set.

use lanepool::arch::{with_best_lanes, LaneIsa, LaneWork};

/// A closure as [`LaneWork`] that ignores the lanes.
struct Closure<F>(F);

impl<R, F: FnOnce() -> R> LaneWork for Closure<F> {
    type Output = R;

    #[inline(always)]
    fn run<I: LaneIsa>(self, _isa: I) -> R {
        (self.0)()
    }
}

/// Runs `f` inside [`with_best_lanes`]: `f` and whatever it inlines are compiled for the best
/// instruction set of this CPU (AVX2 where it has it), so byte scans written as plain loops
/// over blocks (the N-Triples chunk parser's) are vectorized 32 bytes wide. The result never
/// depends on the instruction set. Call it around a loop, not per item: only what `f`
/// inlines is compiled for the instruction set, not the functions it calls.
///
/// Where the CPU has AES-NI beside AVX2, `f` is compiled with it too, so that the dictionary's
/// AES text hash (`crate::arch::AesTextHash`) inlines into the N-Triples chunk's hashing pass.
#[inline]
pub fn with_best_isa<R>(f: impl FnOnce() -> R) -> R {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        if lanepool::arch::best_lanes() == "avx2" && std::arch::is_x86_feature_detected!("aes") {
            // SAFETY: `run_avx2_aes` requires AVX2, POPCNT, BMI1 and BMI2 (what `best_lanes`
            // checked to say "avx2") and AES-NI, checked just above.
            return unsafe { run_avx2_aes(f) };
        }
    }
    with_best_lanes(Closure(f))
}

/// `f` with AVX2, POPCNT, BMI1/2 and AES-NI enabled for all it inlines.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[target_feature(enable = "avx2,popcnt,bmi1,bmi2,aes")]
unsafe fn run_avx2_aes<R>(f: impl FnOnce() -> R) -> R {
    f()
}
