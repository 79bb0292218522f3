// A slice guard borrows its pool: it must not outlive the pool its slots belong to.
use lanepool::{Pool, Reset};

struct Buf([u64; 8]);
impl Reset for Buf {
    fn reset(&mut self) {}
}

fn main() {
    let blocks = {
        let pool = Pool::new(4, || Buf([0; 8]));
        pool.acquire_slice(4).unwrap()
    };
    println!("{}", blocks[0].0[0]);
}
