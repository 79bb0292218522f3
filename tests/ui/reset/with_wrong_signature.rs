// `with = path` must name a function taking `&mut` the field's type.
use lanepool::Reset;

fn clear_text(text: &mut String) {
    text.clear();
}

#[derive(Reset)]
struct Counter {
    #[reset(with = clear_text)]
    count: u64,
}

fn main() {}
