// A misspelt field key must not be ignored (the field would silently get lanes).
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Triple {
    s: u64,
    #[soa(perblock)]
    p: u64,
}

fn main() {}
