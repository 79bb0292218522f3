// The hot path keeps runs within 8 lanes (the Chatman constant): a kernel must not accept a
// 16-lane block.
use knhk_pipeline::kernels;
use lanepool::SoA;

#[derive(Clone, Copy, Debug, Default, SoA)]
#[soa(lanes = 16, align = 64)]
struct WideTriple {
    s: u64,
    p: u64,
    o: u64,
}

fn main() {
    let block = WideTripleLanes::new();
    let _ = kernels::ask_sp(&block, 1, 2);
}
