// An owned guard moves its value with it: a guard over a non-`Send` value (here an `Rc`) must
// not be sent to another thread.
use std::rc::Rc;
use std::sync::Arc;
use std::thread;

use lanepool::{Reset, SyncPool};

struct Shared(Rc<u64>);
impl Reset for Shared {
    fn reset(&mut self) {}
}

fn main() {
    let pool = Arc::new(SyncPool::new(1, || Shared(Rc::new(0))));
    let guard = pool.acquire_owned().unwrap();
    thread::spawn(move || drop(guard));
}
