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
#[inline]
pub fn with_best_isa<R>(f: impl FnOnce() -> R) -> R {
    with_best_lanes(Closure(f))
}
