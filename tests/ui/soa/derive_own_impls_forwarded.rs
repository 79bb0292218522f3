// The block implements `Clone`, `PartialEq`, `Eq` and (with the `serde` feature) `Serialize` and
// `Deserialize` itself.
use lanepool::SoA;

#[derive(Clone, Copy, PartialEq, Eq, SoA)]
#[soa(derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize))]
struct Row {
    id: u64,
}

fn main() {}
