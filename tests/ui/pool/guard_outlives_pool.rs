// A guard borrows its pool: it must not outlive the pool it came from.
use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let guard = {
        let pool = Pool::new(1, || Buf([0; 8]));
        pool.acquire().unwrap()
    };
    println!("{}", guard.0[0]);
}
