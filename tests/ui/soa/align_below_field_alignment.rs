// A block cannot be aligned to fewer bytes than one of its fields needs (u64 needs 8).
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(align = 4)]
struct Row {
    small: u16,
    id: u64,
}

fn main() {}
