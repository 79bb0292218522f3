// The block implements `Clone`, `PartialEq`, `Eq` and (with the `serde` feature) `Serialize` itself.
use lanepool::SoA;

#[derive(Clone, Copy, PartialEq, Eq, SoA)]
#[soa(derive(Clone, PartialEq, Eq, serde::Serialize))]
struct Row {
    id: u64,
}

fn main() {}
