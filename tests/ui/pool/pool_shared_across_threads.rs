// `Pool` is for one thread: sharing it must not compile, and the error names `SyncPool`.
use std::sync::Arc;
use std::thread;

use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Arc::new(Pool::new(2, || Buf([0; 8])));
    let shared = Arc::clone(&pool);
    thread::spawn(move || {
        let _guard = shared.acquire();
    });
}
