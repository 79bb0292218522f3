// An enum's variants have different fields, so there is no single set of lanes.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
enum Row {
    A(u64),
    B { x: u32 },
}

fn main() {
    // The placeholder keeps the names resolvable: no second error here.
    let _pool = RowLanes::pool(4);
}
