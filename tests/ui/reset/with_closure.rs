// `with` names a function the derive calls by name; a closure has no name to call.
use lanepool::Reset;

#[derive(Reset)]
struct Cursor {
    #[reset(with = |position: &mut usize| *position = 0)]
    position: usize,
    #[reset(with = "not a path")]
    line: usize,
}

fn main() {}
