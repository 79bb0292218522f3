// Blocks are aligned to at most a page (4096 bytes).
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(align = 8192)]
struct Row {
    id: u64,
}

fn main() {}
