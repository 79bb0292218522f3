// Lanes hold plain data: a `String` field is not `Copy`, and the error names the field's type.
use lanepool::SoA;

#[derive(Clone, SoA)]
struct Row {
    id: u64,
    name: String,
}

fn main() {
    // One error at the field, not a cascade from the generated methods.
    let mut block = RowLanes::new();
    let _ = block.push(Row { id: 1, name: String::new() });
}
