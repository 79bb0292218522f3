// Which field of a union is live is unknown, so there is no field-by-field reset.
use lanepool::Reset;

#[derive(Reset)]
union Bits {
    int: u32,
    float: f32,
}

fn main() {}
