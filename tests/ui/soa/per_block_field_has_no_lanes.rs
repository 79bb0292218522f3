// A per-block field is stored once, so it has no `_lanes()` array to hand to a kernel.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Triple {
    s: u64,
    #[soa(per_block)]
    p: u64,
}

fn main() {
    let block = TripleLanes::new();
    let _: &[u64; 8] = block.s_lanes();
    let _: &[u64; 8] = block.p_lanes();
}
