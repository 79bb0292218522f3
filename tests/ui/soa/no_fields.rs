// Structs with empty braces or parentheses have no fields to store either.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Braces {}

#[derive(Clone, Copy, SoA)]
struct Parens();

fn main() {}
