// The module already has a `PointRef`, the name the derive gives the row view: one error, on the
// clash itself, not one per generated item that uses the view (rename it with `names(...)`).
use lanepool::SoA;

pub struct PointRef;

#[derive(Clone, Copy, SoA)]
pub struct Point {
    pub x: f32,
}

fn main() {}
