// Lanes start as `Default::default()`, and `NonZeroU64` has no default.
use lanepool::SoA;
use std::num::NonZeroU64;

#[derive(Clone, Copy, SoA)]
struct Row {
    id: NonZeroU64,
}

fn main() {}
