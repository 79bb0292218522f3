// `reset` is "clear" or "zero"; "wipe" is neither.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(reset = "wipe")]
struct Row {
    id: u64,
}

fn main() {}
