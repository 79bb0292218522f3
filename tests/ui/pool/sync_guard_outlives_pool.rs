// A borrowing `SyncGuard` must not outlive its pool; `acquire_owned` is the way to keep one.
use lanepool::{Reset, SyncPool};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let guard = {
        let pool = SyncPool::new(1, || Buf([0; 8]));
        pool.acquire().unwrap()
    };
    println!("{}", guard.0[0]);
}
