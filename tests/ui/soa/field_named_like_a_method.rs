// A field named `len` would get the accessor `len()`, which the block already has.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Span {
    start: u32,
    len: u32,
}

fn main() {
    // The rest of the block is still generated: only the field's error is reported.
    let block = SpanLanes::new();
    let _ = block.start();
}
