// A unit struct has no fields, so its lanes would store nothing.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Marker;

fn main() {}
