// `#[soa]` has no per-field options; on a field it would be silently meaningless.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Row {
    #[soa(lanes = 4)]
    id: u64,
}

fn main() {}
