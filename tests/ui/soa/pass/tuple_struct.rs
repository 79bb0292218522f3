// Tuple structs are accepted; accessors are named by field index.
use lanepool::SoA;

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 4)]
struct Point(f64, f64);

fn main() {
    let mut block = PointLanes::new();
    block.push(Point(1.0, 2.0)).unwrap();
    assert_eq!(block._0(), &[1.0]);
    assert_eq!(block._1_lanes(), &[2.0, 0.0, 0.0, 0.0]);
}
