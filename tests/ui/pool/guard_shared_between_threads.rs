// A `Pool` guard's value belongs to a single-thread pool: another thread must not read it
// through a shared reference either.
use std::thread;

use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Pool::new(1, || Buf([0; 8]));
    let guard = pool.acquire().unwrap();
    let shared = &guard;
    thread::scope(|scope| {
        scope.spawn(move || shared.0[0]);
    });
}
