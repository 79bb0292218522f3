// `per_block` is a flag: a value (`= true`) suggests it could be switched off, which it cannot.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Triple {
    s: u64,
    #[soa(per_block = true)]
    p: u64,
}

fn main() {}
