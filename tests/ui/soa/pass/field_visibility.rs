// The block takes the struct's visibility and each accessor its field's.
mod rows {
    #[derive(Clone, Copy, lanepool::SoA)]
    pub struct Row {
        pub open: u8,
        pub(crate) internal: u8,
        closed: u8,
    }

    pub fn row() -> Row {
        Row { open: 1, internal: 2, closed: 3 }
    }

    pub fn closed(block: &RowLanes) -> &[u8] {
        block.closed()
    }
}

fn main() {
    let mut block = rows::RowLanes::new();
    block.push(rows::row()).unwrap();
    assert_eq!(block.open(), &[1]);
    assert_eq!(block.internal(), &[2]);
    assert_eq!(rows::closed(&block), &[3]);
}
