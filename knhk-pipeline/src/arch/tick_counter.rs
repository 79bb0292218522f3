//! The counter the pipeline times its kernels with, in *ticks*.
//!
//! [`ticks`] reads it, [`tick_overhead`] is what a pair of reads costs, [`amortised`] turns a
//! timed batch into ticks per item.

use std::sync::OnceLock;

/// The counter now, in ticks.
///
/// A *tick* is one cycle of the CPU's timestamp counter: `rdtsc` on x86_64 (a constant-rate
/// counter on every x86_64 CPU of the last fifteen years, so a tick is a reference cycle, not
/// a core cycle under turbo). Elsewhere, and under Miri (which cannot run `rdtsc`), a tick is
/// one nanosecond of the monotonic clock (`std::time::Instant`, measured from the first read).
/// [`tick_overhead`] calibrates what one pair of reads costs, so that a measurement over a batch
/// can subtract it: a single read costs more than the 8-tick budget of a kernel, so kernels are
/// timed over batches of blocks, never one by one.
#[inline]
#[must_use]
pub fn ticks() -> u64 {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        // SAFETY: `rdtsc` has no preconditions: it reads the timestamp counter into registers
        // and touches no memory. x86_64 always has it (it predates the architecture), and no
        // x86_64 OS we build for disables it for user code (CR4.TSD is left clear).
        unsafe { core::arch::x86_64::_rdtsc() }
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    {
        monotonic_nanos()
    }
}

/// What the counter measures, for documentation and reports.
#[must_use]
pub const fn tick_source() -> &'static str {
    if cfg!(all(target_arch = "x86_64", not(miri))) {
        "rdtsc"
    } else {
        "monotonic-ns"
    }
}

#[cfg(not(all(target_arch = "x86_64", not(miri))))]
fn monotonic_nanos() -> u64 {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX)
}

/// The ticks that two back-to-back [`ticks`] reads report with nothing between them, measured
/// once per process: the mean of 1,024 pairs without the highest 16, which an interrupt would
/// have inflated. Subtract it from a timed batch.
#[must_use]
pub fn tick_overhead() -> u64 {
    static OVERHEAD: OnceLock<u64> = OnceLock::new();
    *OVERHEAD.get_or_init(|| {
        let mut readings = [0u64; 1024];
        for reading in &mut readings {
            let start = ticks();
            let end = ticks();
            *reading = end.saturating_sub(start);
        }
        pair_cost(&mut readings)
    })
}

/// The cost of a pair of reads from `readings` of back-to-back pairs: their mean (rounded
/// down) without the highest 1 in 64.
///
/// A mean, not a minimum or a median: a virtualised counter may advance in steps (of 25 ticks,
/// say), so one pair reads 1 or 26 and only the mean tells what a read costs. Without the
/// highest readings: a pair the OS interrupted (a timer tick, a descheduling: thousands to
/// millions of ticks) would otherwise raise the mean of all 1,024 by as much over 1,024, and
/// a calibration that lands on one would zero every batch's ticks for the whole process.
pub(crate) fn pair_cost(readings: &mut [u64]) -> u64 {
    readings.sort_unstable();
    let kept = &readings[..readings.len() - readings.len() / 64];
    let total: u64 = kept.iter().sum();
    total.checked_div(kept.len() as u64).unwrap_or(0)
}

/// Amortised ticks per item: `(end - start - overhead) / items`, never negative, rounded up
/// (a batch that took any time costs at least one tick per item).
#[must_use]
pub fn amortised(start: u64, end: u64, items: u64) -> u64 {
    if items == 0 {
        return 0;
    }
    end.saturating_sub(start)
        .saturating_sub(tick_overhead())
        .div_ceil(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_counter_never_runs_backwards() {
        let mut last = ticks();
        for _ in 0..1000 {
            let now = ticks();
            assert!(now >= last);
            last = now;
        }
    }

    #[test]
    fn an_interrupted_pair_does_not_change_the_cost_of_a_read() {
        let mut readings = [25u64; 1024];
        readings[700] = 8_000_000; // a descheduled pair: 4 ms at 2 GHz
        readings[3] = 1_000_000;
        assert_eq!(pair_cost(&mut readings), 25);
        // A counter that steps by 25: pairs read 1 or 26, a mean of 7.25; without the highest
        // 16 readings (all 26), 6.9, rounded down: within a tick, and never above.
        let mut stepping: Vec<u64> = (0..1024).map(|i| if i % 4 == 0 { 26 } else { 1 }).collect();
        assert_eq!(pair_cost(&mut stepping), 6);
    }

    #[test]
    fn amortised_subtracts_the_overhead_and_divides() {
        let overhead = tick_overhead();
        assert_eq!(amortised(100, 100 + overhead + 80, 8), 10);
        assert_eq!(amortised(100, 100 + overhead + 81, 8), 11);
        assert_eq!(amortised(100, 90, 8), 0);
        assert_eq!(amortised(0, 1000, 0), 0);
        assert!(!tick_source().is_empty());
    }
}
