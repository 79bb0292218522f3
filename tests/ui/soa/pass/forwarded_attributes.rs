// `derive(...)` and `attr(...)` reach the generated block type.
use lanepool::SoA;

#[derive(Clone, Copy, PartialEq, SoA)]
#[soa(derive(Copy), attr(must_use = "blocks are values"))]
struct Row {
    id: u8,
}

fn main() {
    let block = RowLanes::new();
    let copy = block;
    assert!(copy == block);
}
