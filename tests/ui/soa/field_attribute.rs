// A struct option (`lanes`) on a field would be silently meaningless there: the only field
// option is `per_block`.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Row {
    #[soa(lanes = 4)]
    id: u64,
}

fn main() {}
