// A union's fields overlap, so they cannot be split into lanes.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
union Row {
    int: u64,
    float: f64,
}

fn main() {}
