// `lanes` takes an integer literal; a string or an expression is refused with the fix.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = "8")]
struct Quoted {
    id: u64,
}

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 4 * 2)]
struct Expression {
    id: u64,
}

fn main() {}
