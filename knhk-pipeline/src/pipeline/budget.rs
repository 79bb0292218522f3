//! The tick budget and parking: each hook's state over a run, which decides from the hot
//! pass's measured batches whether the hook is over [`TICK_BUDGET`] (parked on the warm path)
//! and when a parked hook is measured again; see the [pipeline's docs](super).

use crate::provenance::receipt::Receipt;

/// The tick budget of one hot-path evaluation (amortised; see the
/// [pipeline docs](crate::pipeline)).
pub const TICK_BUDGET: u64 = 8;

/// Measured batches of a hook whose mean ticks per evaluation decides whether it is over
/// budget: at least these many, and at least [`BUDGET_WINDOW_EVALUATIONS`] evaluations.
pub const BUDGET_WINDOW: usize = 32;

/// Evaluations a hook's window holds at least before it is judged. A batch's ticks carry
/// costs it pays once whatever its size (its code's cold start after the drain's other work,
/// a loop's exit), and a hook of a rare predicate has batches of a block or two: over a few
/// dozen such batches its mean scatters by a few ticks around the hook's cost, and a window
/// that happens to fall high would park a hook whose cost is within the budget. Over
/// thousands of evaluations the window's mean is the hook's cost.
pub const BUDGET_WINDOW_EVALUATIONS: u64 = 4096;

/// A parked hook's batches that pass before one is measured again, so a hook that was over
/// budget for a while (a cold start, a noisy neighbour) can return to the hot path.
pub const PROBE_EVERY: u64 = 8;

/// A hook's running state over one `execute`.
#[derive(Clone, Copy, Debug)]
pub(super) struct HookState {
    /// The merge of its receipts so far.
    pub(super) merged: Receipt,
    pub(super) receipts: u64,
    /// Ticks (less the counter's overhead) and evaluations of the hot pass's plausible
    /// batches, over the run: one counter read is coarse (a virtualised counter may step by 25
    /// ticks), so only a sum over many batches resolves a few ticks per evaluation.
    hot_ticks: u64,
    hot_evaluations: u64,
    /// Ticks (less the counter's overhead) and evaluations of the current window's
    /// plausible batches, and how many batches and evaluations it has seen.
    window_ticks: u64,
    window_evaluations: u64,
    window_len: usize,
    /// The window's batches that [`batch_interrupted`] left out of its mean.
    window_interrupted: usize,
    window_size: u64,
    /// Whether the hook's first batch (cold code and branch predictors) has run.
    warmed: bool,
    /// Whether the hook's first window has closed: that window holds the run's own warm-up
    /// (every buffer's first touch, caches and predictors still filling), and counts in the
    /// hook's mean but does not park it.
    settled: bool,
    /// Whether the last full window was over the budget: the hook is parked.
    over_budget: bool,
    /// Batches skipped while parked; every [`PROBE_EVERY`]th is measured again.
    skipped: u64,
    /// Ticks and count of the evaluations timed one by one (parked).
    pub(super) parked_ticks: u64,
    pub(super) parked_evaluations: u64,
}

/// Ticks no uninterrupted batch of the hot pass takes, whatever its size: an interrupt or a
/// deschedule costs more. On the 2-vCPU KVM guest of BENCHMARKS.md, the gaps between two
/// back-to-back counter reads that an interrupt opens are 2,000 ticks or more in 96 % of cases
/// (mostly 4,000 to 16,000), while a batch's fixed cost (cold code, loop exits) is under 100
/// ticks and its evaluations a few ticks each.
const INTERRUPT_TICKS: u64 = 2_000;

/// Ticks per evaluation no uninterrupted batch reaches: four times the budget.
const IMPLAUSIBLE_TICKS_PER_EVALUATION: u64 = 4 * TICK_BUDGET;

/// Whether a timed batch of the hot pass (its ticks less the counter's cost, and all its
/// evaluations, every hook's) was interrupted or descheduled, so that its ticks are not its
/// kernels' cost: it took more than [`INTERRUPT_TICKS`] and more than
/// [`IMPLAUSIBLE_TICKS_PER_EVALUATION`] an evaluation. An interrupt in a batch of a rare
/// predicate's few blocks would otherwise weigh on its hooks' means by thousands of ticks. A
/// hook slow enough to pass this test itself (over four times the budget in batches that take
/// over 2,000 ticks) is not let off: see [`HookState::record`].
pub(super) fn batch_interrupted(spent: u64, evaluations: u64) -> bool {
    spent > INTERRUPT_TICKS.max(evaluations.saturating_mul(IMPLAUSIBLE_TICKS_PER_EVALUATION))
}

impl HookState {
    /// Records one measured batch, and decides at the end of each window (at least
    /// [`BUDGET_WINDOW`] batches and [`BUDGET_WINDOW_EVALUATIONS`] evaluations) whether the
    /// hook is over the budget: its ticks over its evaluations in the window, the measure
    /// [`mean_ticks`](Self::mean_ticks) reports over the run (every evaluation weighs the
    /// same, however its batch was sized). The first window is not judged: it holds the
    /// run's warm-up, and on long runs it was the one window of a hook within the budget to
    /// read over it (see BENCHMARKS.md); a hook over the budget parks at its second.
    ///
    /// `interrupted` is [`batch_interrupted`] of the whole batch: such a batch counts toward
    /// the window's size, not its mean. A window in which interrupted batches are half or
    /// more of the batches is over the budget: interrupts are rare, so a hook whose batches
    /// mostly read as interrupted is itself that slow.
    pub(super) fn record(&mut self, spent: u64, evaluations: u64, interrupted: bool) {
        if !self.warmed {
            self.warmed = true;
            return;
        }
        if interrupted {
            self.window_interrupted += 1;
        } else {
            self.hot_ticks = self.hot_ticks.saturating_add(spent);
            self.hot_evaluations += evaluations;
            self.window_ticks = self.window_ticks.saturating_add(spent);
            self.window_evaluations += evaluations;
        }
        self.window_len += 1;
        self.window_size += evaluations;
        if self.window_len >= BUDGET_WINDOW && self.window_size >= BUDGET_WINDOW_EVALUATIONS {
            let over = self.window_interrupted * 2 >= self.window_len
                || self.window_evaluations == 0
                || self.window_ticks.div_ceil(self.window_evaluations) > TICK_BUDGET;
            self.over_budget = over && self.settled;
            self.settled = true;
            self.window_ticks = 0;
            self.window_evaluations = 0;
            self.window_len = 0;
            self.window_interrupted = 0;
            self.window_size = 0;
        }
    }

    /// Whether the hot pass skips this batch of the hook (it is parked), counting the skip.
    pub(super) fn skips_batch(&mut self) -> bool {
        if !self.over_budget {
            return false;
        }
        self.skipped += 1;
        !self.skipped.is_multiple_of(PROBE_EVERY)
    }

    /// Mean ticks per evaluation, rounded up: of the hot pass, or of parked evaluations for a
    /// hook the hot pass never ran.
    pub(super) fn mean_ticks(&self) -> u64 {
        if self.hot_evaluations > 0 {
            self.hot_ticks.div_ceil(self.hot_evaluations)
        } else {
            self.parked_ticks
                .checked_div(self.parked_evaluations)
                .unwrap_or(0)
        }
    }
}

impl Default for HookState {
    fn default() -> Self {
        HookState {
            merged: Receipt::IDENTITY,
            receipts: 0,
            hot_ticks: 0,
            hot_evaluations: 0,
            window_ticks: 0,
            window_evaluations: 0,
            window_len: 0,
            window_interrupted: 0,
            window_size: 0,
            warmed: false,
            settled: false,
            over_budget: false,
            skipped: 0,
            parked_ticks: 0,
            parked_evaluations: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Batches of 16 evaluations that fill a window.
    const WINDOW: usize = (BUDGET_WINDOW_EVALUATIONS / 16) as usize;

    /// A warmed-up hook past its first window, after `batches` batches of 16 evaluations at
    /// `ticks` each.
    fn measured(batches: usize, ticks: u64) -> HookState {
        let mut state = HookState {
            warmed: true,
            settled: true,
            ..HookState::default()
        };
        for _ in 0..batches {
            state.record(ticks * 16, 16, batch_interrupted(ticks * 16, 16));
        }
        state
    }

    #[test]
    fn a_window_of_small_batches_is_judged_on_its_evaluations_not_its_batch_count() {
        // A rare predicate's hook: batches of one or two blocks, a few dozen of them a tick or
        // two over the budget by chance, its cost over the run within it.
        let mut state = measured(0, 0);
        for _ in 0..BUDGET_WINDOW {
            state.record(2 * 10, 2, batch_interrupted(2 * 10, 2));
        }
        assert!(
            !state.over_budget,
            "{BUDGET_WINDOW} batches of 2 are too few evaluations to judge"
        );
        let mut batches = BUDGET_WINDOW;
        while batches * 2 < BUDGET_WINDOW_EVALUATIONS as usize {
            state.record(2 * 6, 2, batch_interrupted(2 * 6, 2));
            batches += 1;
        }
        assert!(
            !state.over_budget,
            "judged over the whole window: within the budget"
        );
        assert_eq!(state.window_len, 0, "the window was judged and began again");
    }

    #[test]
    fn a_hook_is_over_budget_only_after_a_full_window() {
        assert!(
            !measured(WINDOW - 1, 10).over_budget,
            "the window is not full"
        );
        assert!(measured(WINDOW, 9).over_budget);
        assert!(
            !measured(WINDOW, 8).over_budget,
            "the budget itself is within it"
        );
    }

    #[test]
    fn the_first_window_counts_in_the_mean_but_does_not_park() {
        let mut state = HookState {
            warmed: true,
            ..HookState::default()
        };
        for _ in 0..WINDOW {
            state.record(9 * 16, 16, batch_interrupted(9 * 16, 16));
        }
        assert!(!state.over_budget, "the first window is the run's warm-up");
        assert_eq!(state.window_len, 0, "it closed");
        assert_eq!(state.mean_ticks(), 9, "and counts in the mean");
        for _ in 0..WINDOW {
            state.record(9 * 16, 16, batch_interrupted(9 * 16, 16));
        }
        assert!(
            state.over_budget,
            "a hook over the budget parks at its second window"
        );
    }

    #[test]
    fn the_first_batch_is_a_warm_up_and_does_not_count() {
        let mut state = HookState::default();
        state.record(100_000, 1, batch_interrupted(100_000, 1));
        assert_eq!((state.hot_evaluations, state.window_len), (0, 0));
        assert!(state.warmed);
    }

    #[test]
    fn descheduled_batches_count_in_neither_the_mean_nor_the_window() {
        let mut state = measured(BUDGET_WINDOW - 8, 3);
        for _ in 0..8 {
            state.record(5_000 * 16, 16, batch_interrupted(5_000 * 16, 16)); // descheduled mid-batch
        }
        assert!(!state.over_budget);
        assert_eq!(
            state.hot_ticks,
            (BUDGET_WINDOW as u64 - 8) * 3 * 16,
            "left out of the mean"
        );
        let mut slow = measured(1, 3);
        for _ in 0..WINDOW {
            slow.record(50 * 16, 16, batch_interrupted(50 * 16, 16));
        }
        assert!(
            slow.over_budget,
            "every batch slow: the hook itself is slow"
        );
    }

    #[test]
    fn a_hook_is_judged_on_its_evaluations_not_on_its_median_batch() {
        // Most batches are one block, the cold start spread over one evaluation; the
        // sixteen-block batches hold most evaluations: 1,300 ticks over 257 is 5.1 each.
        // Sixteen rounds of these fill a window.
        let mut small_batches_slow = measured(0, 0);
        for _ in 0..16 {
            for _ in 0..17 {
                small_batches_slow.record(20, 1, batch_interrupted(20, 1));
            }
            for _ in 0..15 {
                small_batches_slow.record(4 * 16, 16, batch_interrupted(4 * 16, 16));
            }
        }
        assert!(!small_batches_slow.over_budget);
        // The other way round: one slow sixteen-block batch outweighs 31 fast single blocks
        // (444 ticks over 47 evaluations, 9.4 each), 88 rounds to fill the window.
        let mut large_batch_slow = measured(0, 0);
        for _ in 0..88 {
            for _ in 0..31 {
                large_batch_slow.record(4, 1, batch_interrupted(4, 1));
            }
            large_batch_slow.record(20 * 16, 16, batch_interrupted(20 * 16, 16));
        }
        assert!(large_batch_slow.over_budget);
    }

    #[test]
    fn a_parked_hook_is_probed_and_returns_when_back_within_budget() {
        let mut state = measured(WINDOW, 20);
        assert!(state.over_budget);
        let probes = (0..PROBE_EVERY * 100)
            .filter(|_| !state.skips_batch())
            .count() as u64;
        assert_eq!(probes, 100);
        for _ in 0..WINDOW {
            state.record(2 * 16, 16, batch_interrupted(2 * 16, 16));
        }
        assert!(!state.over_budget);
        assert!(!state.skips_batch());
    }

    #[test]
    fn mean_ticks_rounds_up_and_falls_back_to_parked_evaluations() {
        let state = HookState {
            hot_ticks: 10,
            hot_evaluations: 4,
            ..HookState::default()
        };
        assert_eq!(state.mean_ticks(), 3);
        let warm = HookState {
            parked_ticks: 90,
            parked_evaluations: 3,
            ..HookState::default()
        };
        assert_eq!(warm.mean_ticks(), 30);
        assert_eq!(HookState::default().mean_ticks(), 0);
    }

    #[test]
    fn an_interrupt_in_a_rare_predicates_batch_is_not_its_hooks_cost() {
        // A hook at 7 ticks an evaluation in batches of 16, one of which an interrupt of
        // 6,000 ticks hit: left out, the hook's mean stays its own.
        let mut state = measured(WINDOW - 1, 7);
        let hit = 7 * 16 + 6_000;
        state.record(hit, 16, batch_interrupted(hit, 16));
        assert_eq!(state.mean_ticks(), 7);
        assert!(!state.over_budget);
        // Counted in, the one interrupt would have parked it.
        let mut counted = measured(WINDOW - 1, 7);
        counted.record(hit, 16, false);
        assert!(counted.over_budget);
    }

    #[test]
    fn a_large_batch_within_the_budget_is_not_taken_for_interrupted() {
        // A drain's whole family: 16 blocks of 19 hooks at 8 ticks each.
        assert!(!batch_interrupted(8 * 304, 304));
        // A rare predicate's single block, cold: 100 ticks.
        assert!(!batch_interrupted(100, 1));
        assert!(batch_interrupted(INTERRUPT_TICKS + 1, 1));
    }

    #[test]
    fn a_hook_whose_every_batch_reads_as_interrupted_is_over_budget() {
        // 40 ticks an evaluation in batches of 64: 2,560 ticks a batch, over both bounds.
        let spent = 40 * 64;
        assert!(batch_interrupted(spent, 64));
        let mut slow = measured(0, 0);
        for _ in 0..BUDGET_WINDOW.max((BUDGET_WINDOW_EVALUATIONS / 64) as usize) {
            slow.record(spent, 64, batch_interrupted(spent, 64));
        }
        assert!(slow.over_budget, "not let off by reading as interrupted");
    }
}
