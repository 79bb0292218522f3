// A block with no lanes could hold nothing: `lanes` must be at least 1.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 0)]
struct Row {
    id: u64,
}

fn main() {}
