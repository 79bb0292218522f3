// A `Pool` guard returns its slot to a single-thread free list on drop: it must not be sent to
// another thread.
use std::thread;

use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(1, || Buf([0; 8]));
    let guard = pool.acquire().unwrap();
    thread::scope(|scope| {
        scope.spawn(move || drop(guard));
    });
}
