// Three independent mistakes are reported together, in one build.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 0, align = 100, colour = "red")]
struct Row {
    id: u64,
    #[soa(lanes = 4)]
    len: u32,
}

fn main() {}
