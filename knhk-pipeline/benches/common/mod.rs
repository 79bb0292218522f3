//! What the knhk-pipeline benches share.

use std::time::Duration;

use criterion::Criterion;

/// Short runs, for operations fast and steady enough to need no more: a 1 s warm-up, 3 s
/// measured, 30 samples.
pub fn short_runs() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30)
}
