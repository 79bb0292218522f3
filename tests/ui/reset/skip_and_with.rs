// A field is either skipped or reset with a function, never both.
use lanepool::Reset;

fn rewind(cursor: &mut usize) {
    *cursor = 0;
}

#[derive(Reset)]
struct Reader {
    #[reset(skip, with = rewind)]
    cursor: usize,
}

fn main() {}
