//! The pool sizes and batch size a [`Pipeline`](super::Pipeline) is built with.

/// Pool sizes and batch size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PipelineConfig {
    /// Blocks in the block pool (default 16, KNHK's original block pool size).
    pub block_capacity: usize,
    /// Receipts in the receipt pool (default 1024, KNHK's original receipt pool size).
    pub receipt_capacity: usize,
    /// Triples staged before a batch is loaded and evaluated.
    pub batch_triples: usize,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            block_capacity: 16,
            receipt_capacity: 1024,
            batch_triples: 8192,
        }
    }
}
