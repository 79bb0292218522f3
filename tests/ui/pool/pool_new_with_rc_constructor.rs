// `Pool::new` keeps its constructor boxed inside a `Pool<T>`, a type that may be sent to another
// thread, so the closure must be `Send + 'static`; one that holds an `Rc` belongs in
// `Pool::with_constructor`, whose pool carries the closure's own type.
use std::rc::Rc;

use lanepool::Pool;

fn main() {
    let config = Rc::new(64usize);
    let _pool = Pool::new(2, move || Vec::<u8>::with_capacity(*config));
}
