//! Receipts: one per hook evaluation, taken from a pooled store so the hot path allocates
//! nothing. A receipt names the hook, the run's predicate, the lanes it saw (with a digest of
//! their ids) and the result.

use lanepool::Reset;

/// The record of one hook evaluation on one block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Receipt {
    /// Position in the pipeline's sequence of evaluations, from 0.
    pub seq: u64,
    /// Index of the hook in the registry.
    pub hook: u32,
    /// Predicate id of the run.
    pub predicate: u64,
    /// Active lanes of the block (1 to 8).
    pub lanes: u8,
    /// The kernel's result: 0/1 for ASK, the count for COUNT, triples built for CONSTRUCT8.
    pub result: u64,
    /// Whether the hook fired (ASK true, COUNT at or over its threshold, CONSTRUCT8 built any).
    pub fired: bool,
    /// FNV-1a digest of the active lanes' ids: the exact data this receipt was computed on.
    pub lane_digest: u64,
}

impl Reset for Receipt {
    /// Receipts are small: clear every field, so nothing leaks from one evaluation to the next.
    fn reset(&mut self) {
        *self = Receipt::default();
    }
}
