// serde's string form, `with = "path"`, names the function as `with = path` does.
use lanepool::Reset;

mod rewind {
    pub fn to_start(cursor: &mut usize) {
        *cursor = 0;
    }
}

#[derive(Reset)]
struct Cursor {
    #[reset(with = "rewind::to_start")]
    position: usize,
}

fn main() {
    let mut cursor = Cursor { position: 3 };
    cursor.reset();
    assert_eq!(cursor.position, 0);
}
