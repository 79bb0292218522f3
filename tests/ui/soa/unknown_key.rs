// `lane` is a typo for `lanes`; unknown keys are refused, and the keys after it are still read.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lane = 8, align = 3)]
struct Row {
    id: u64,
}

fn main() {}
