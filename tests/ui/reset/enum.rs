// An enum's fields depend on its variant, so there is no field-by-field reset.
use lanepool::Reset;

#[derive(Reset)]
enum State {
    Idle,
    Busy(Vec<u8>),
}

fn main() {
    // The fallback impl keeps this from adding a second error.
    let _ = lanepool::Pool::new(1, || State::Idle);
}
