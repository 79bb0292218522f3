// `per_block` belongs on the field the rows share; on the struct it would not say which one.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 8, per_block)]
struct Triple {
    s: u64,
    p: u64,
}

fn main() {}
