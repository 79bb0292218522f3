//! Pipeline configurations for the receipts' tests.

use knhk_pipeline::pipeline::PipelineConfig;

/// Pool sizes and batch sizes that stress the pipeline: `block_capacity` blocks with room for
/// every receipt, then one block and one receipt at a time with 7-triple batches, tiny pools
/// with 100-triple batches, and the whole input in one batch.
pub fn stressed_configs(block_capacity: usize) -> [PipelineConfig; 4] {
    [
        (block_capacity, 1024, 8192),
        (1, 1, 7),
        (2, 3, 100),
        (16, 1024, 1_000_000),
    ]
    .map(
        |(block_capacity, receipt_capacity, batch_triples)| PipelineConfig {
            block_capacity,
            receipt_capacity,
            batch_triples,
        },
    )
}
