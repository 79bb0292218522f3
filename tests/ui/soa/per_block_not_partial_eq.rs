// A block compares each new row's per-block value with its own, so the type must be PartialEq.
use lanepool::SoA;

#[derive(Clone, Copy, Default)]
struct Graph(u64);

#[derive(Clone, Copy, SoA)]
struct Quad {
    s: u64,
    #[soa(per_block)]
    g: Graph,
}

fn main() {}
