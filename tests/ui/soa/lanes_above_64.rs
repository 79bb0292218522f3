// The active lanes are bits of a u64 mask, so `lanes` cannot exceed 64.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 65)]
struct Row {
    id: u64,
}

fn main() {}
