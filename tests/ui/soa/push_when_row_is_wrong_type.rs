// A block stores one row type: pushing another is a type error, not a silent conversion.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Row {
    id: u64,
}

#[derive(Clone, Copy)]
struct Other {
    id: u64,
}

fn main() {
    let mut block = RowLanes::new();
    let _ = block.push(Other { id: 1 });
}
