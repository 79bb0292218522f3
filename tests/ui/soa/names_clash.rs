// A renamed type may not take the row's own name or another generated type's name, and
// `names(...)` only knows the generated types' keys.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
#[soa(names(block = Chunk, guard = Chunk, row_ref = Point, row_mut = PointSyncGuard))]
#[soa(names(colums = Points, block = Chunk2))]
pub struct Point {
    pub x: f32,
}

fn main() {}
