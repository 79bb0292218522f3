// `crate` must name a path to the lanepool crate.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(crate = "not a path")]
struct Row {
    id: u64,
}

fn main() {}
