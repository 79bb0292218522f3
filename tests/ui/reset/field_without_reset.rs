// A field whose type has no `Reset` cannot be reset: the error points at that field's type.
use lanepool::Reset;

struct Connection;

#[derive(Reset)]
struct Client {
    buffer: Vec<u8>,
    connection: Connection,
}

fn main() {}
