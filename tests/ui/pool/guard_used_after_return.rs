// Dropping a guard returns its slot; the guard must not be usable afterwards.
use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(1, || Buf([0; 8]));
    let mut guard = pool.acquire().unwrap();
    drop(guard);
    guard.0[0] = 1;
}
