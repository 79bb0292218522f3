// Field `id` gets the accessor `id_lanes()`, so a field named `id_lanes` would clash with it.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Row {
    id: u64,
    id_lanes: u8,
}

fn main() {}
