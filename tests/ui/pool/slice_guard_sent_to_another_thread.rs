// A slice guard returns its slots to a single-thread free list on drop: it must not be sent to
// another thread.
use std::thread;

use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(4, || Buf([0; 8]));
    let blocks = pool.acquire_slice(4).unwrap();
    thread::scope(|scope| {
        scope.spawn(move || drop(blocks));
    });
}
