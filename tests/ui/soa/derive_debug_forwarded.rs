// The block implements `Debug` itself (length and active rows); deriving it again would conflict.
use lanepool::SoA;

#[derive(Clone, Copy, Debug, SoA)]
#[soa(derive(Copy, Debug))]
struct Row {
    id: u64,
}

fn main() {}
