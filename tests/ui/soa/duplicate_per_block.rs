// The same key twice on one field is a mistake to fix, not something to merge silently.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Triple {
    s: u64,
    #[soa(per_block, per_block)]
    p: u64,
}

fn main() {}
