// `names(...)` renames every generated type, so a module that already uses the default names
// (here all eight) can still derive SoA.
use lanepool::SoA;

pub struct PointLanes;
pub struct PointGuard;
pub struct PointSyncGuard;
pub struct PointOwnedGuard;
pub struct PointRef;
pub struct PointRefMut;
pub struct PointLanesMut;
pub struct PointColumns;

#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 4)]
#[soa(names(
    block = PointBlock,
    guard = PointBlockGuard,
    sync_guard = PointBlockSyncGuard,
    owned_guard = PointBlockOwnedGuard,
    row_ref = PointView,
    row_mut = PointViewMut,
    lanes_mut = PointBlockLanesMut,
    columns = Points,
))]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

fn main() -> Result<(), lanepool::PoolError> {
    let pool = PointBlock::pool(2);
    let mut block: PointBlockGuard<'_> = pool.acquire()?;
    block.push(Point { x: 1.0, y: 2.0 })?;
    let view: PointView<'_> = block.get_ref(0).unwrap();
    assert_eq!(view.to_row(), Point { x: 1.0, y: 2.0 });
    let row: PointViewMut<'_> = block.get_mut(0).unwrap();
    *row.x = 3.0;
    let PointBlockLanesMut { x, y } = block.lanes_mut();
    x[1] = y[0];
    let sync = std::sync::Arc::new(PointBlock::sync_pool(1));
    let _borrowed: PointBlockSyncGuard<'_> = sync.acquire()?;
    let _owned: Result<PointBlockOwnedGuard, _> = sync.acquire_owned();
    let points: Points = block.iter().collect();
    assert_eq!(points.len(), 1);
    let _theirs = (PointLanes, PointGuard, PointSyncGuard, PointOwnedGuard, PointRef);
    let _also = (PointRefMut, PointLanesMut, PointColumns);
    Ok(())
}
