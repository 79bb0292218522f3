// `repr(align)` needs a power of two; 48 is not one.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(align = 48)]
struct Row {
    id: u64,
}

fn main() {}
