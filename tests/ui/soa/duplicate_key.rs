// `lanes` given twice (here across two attributes) is ambiguous.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 8)]
#[soa(lanes = 16)]
struct Row {
    id: u64,
}

fn main() {}
