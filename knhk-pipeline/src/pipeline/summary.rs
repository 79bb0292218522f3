//! What a run of the pipeline did: [`Summary`], with each hook's whole-run [`HookOutcome`]
//! and the evaluations [`Parked`] on the warm path, counted as the run goes ([`Run`]).

use serde::Serialize;

#[cfg(doc)]
use super::TICK_BUDGET;

/// Evaluations done on the warm path, by cause; each counts once, under its first cause.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Parked {
    /// Every parked evaluation.
    pub total: u64,
    /// Of ops that write actions (`select_sp`, `construct8`).
    pub warm_op: u64,
    /// Of hooks whose measured mean is over [`TICK_BUDGET`].
    pub over_budget: u64,
    /// Of hot hooks whose block had lanes only the dictionary could decide.
    pub warm_lookup: u64,
}

impl std::fmt::Display for Parked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (warm op {}, over budget {}, warm lookup {})",
            self.total, self.warm_op, self.over_budget, self.warm_lookup
        )
    }
}

/// A hook's outcome over the whole run: the merge of its receipts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct HookOutcome {
    /// The hook's name.
    pub name: String,
    /// Its op's name.
    pub kind: &'static str,
    /// Triples that matched, over the whole input.
    pub result: u64,
    /// Whether the hook fires on `result`.
    pub fired: bool,
    /// Receipts merged into `result` (one per block of its predicate).
    pub receipts: u64,
    /// Mean ticks per evaluation: over the hot pass's batches, or, for a warm op, over its
    /// parked evaluations (see the module docs).
    pub ticks: u64,
}

/// What a run of the pipeline did. `triples_ingested == triples_loaded + skipped_invalid`.
/// Serializes (serde) to the object `knhk run --json` prints, one field per count.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Statements read: valid triples plus skipped invalid ones.
    pub triples_ingested: u64,
    /// Triples loaded into blocks.
    pub triples_loaded: u64,
    /// Malformed statements skipped (with `skip_invalid`).
    pub skipped_invalid: u64,
    /// Predicate runs loaded (a predicate's triples within one batch form one run).
    pub runs: u64,
    /// Blocks filled.
    pub blocks: u64,
    /// Hook evaluations.
    pub hooks_evaluated: u64,
    /// Receipts emitted.
    pub receipts: u64,
    /// Triples constructed by hooks and emitted.
    pub actions: u64,
    /// Evaluations parked on the warm path, by cause.
    pub parked: Parked,
    /// Times a pool ran out mid-batch and the pipeline drained before going on.
    pub pool_drains: u64,
    /// Every hook's whole-run outcome, in registration order.
    pub hooks: Vec<HookOutcome>,
    /// Heap operations from load through the receipts; `None` when the program does not use
    /// [`lanepool::alloc_count::CountingAllocator`], so nothing was measured.
    pub hot_path_allocations: Option<u64>,
    /// Wall time of the run, in milliseconds.
    pub elapsed_ms: f64,
    /// `triples_ingested` per second of `elapsed_ms`.
    pub triples_per_sec: f64,
}

/// Counters of one `execute` call.
pub(super) struct Run {
    pub(super) summary: Summary,
    pub(super) hot_heap_ops: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parked_reads_as_a_total_with_its_causes() {
        let parked = Parked {
            total: 5,
            warm_op: 3,
            over_budget: 1,
            warm_lookup: 1,
        };
        assert_eq!(
            parked.to_string(),
            "5 (warm op 3, over budget 1, warm lookup 1)"
        );
    }
}
