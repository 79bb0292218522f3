// A `Pool` keeps its constructor to rebuild slots, so a pool whose constructor captures an `Rc`
// must stay on the thread that built it.
use std::rc::Rc;
use std::thread;

use lanepool::Pool;

fn main() {
    let config = Rc::new(64usize);
    let pool = Pool::with_constructor(2, move || Vec::<u8>::with_capacity(*config));
    thread::spawn(move || {
        let _buffer = pool.acquire();
    });
}
