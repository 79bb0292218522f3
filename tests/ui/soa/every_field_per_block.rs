// With every field per-block, the lanes would hold nothing and every row would be the same.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Header {
    #[soa(per_block)]
    graph: u64,
    #[soa(per_block)]
    version: u32,
}

fn main() {}
