// The extreme lane counts, 1 and 64, and the extreme alignment, 4096, are accepted.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 1)]
struct One {
    id: u8,
}

#[derive(Clone, Copy, SoA)]
#[soa(lanes = 64, align = 4096)]
struct Many {
    id: u8,
}

fn main() {
    assert_eq!(OneLanes::LANES, 1);
    assert_eq!(ManyLanes::LANES, 64);
    assert_eq!(std::mem::align_of::<ManyLanes>(), 4096);
    let mut many = ManyLanes::new();
    for id in 0..64 {
        many.push(Many { id }).unwrap();
    }
    assert_eq!(many.active_mask(), u64::MAX);
    assert_eq!(OneLanes::new().active_mask(), 0);
}
