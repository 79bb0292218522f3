// Any `Copy` array is a field, including lengths above 32 (which have no `Default` impl).
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Row {
    key: [u8; 48],
    pair: ([u32; 2], bool),
}

fn main() {
    let mut block = RowLanes::new();
    block.push(Row { key: [9; 48], pair: ([1, 2], true) }).unwrap();
    assert_eq!(block.key()[0][47], 9);
    assert_eq!(block.pair_lanes()[1], ([0, 0], false));
}
