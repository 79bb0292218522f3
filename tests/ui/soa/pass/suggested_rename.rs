// The rename `field_named_like_a_method` suggests for a field `len` compiles without a warning
// (a trailing underscore, `len_`, would give `len__mut` and three `non_snake_case` warnings).
#![deny(warnings)]
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Span {
    start: u32,
    len_value: u32,
}

fn main() {
    let mut block = SpanLanes::new();
    block.push(Span { start: 1, len_value: 2 }).unwrap();
    block.len_value_mut()[0] = 3;
    assert_eq!(block.len_value(), &[3]);
    assert_eq!(block.len_value_lanes_mut()[0], 3);
    assert_eq!(block.start(), &[1]);
}
