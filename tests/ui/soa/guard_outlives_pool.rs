// A block guard borrows its pool, so it cannot outlive it.
use lanepool::SoA;

#[derive(Clone, Copy, SoA)]
struct Row {
    id: u64,
}

fn main() {
    let guard: RowGuard<'_>;
    {
        let pool = RowLanes::pool(1);
        guard = pool.acquire().unwrap();
    }
    let _ = guard.len();
}
