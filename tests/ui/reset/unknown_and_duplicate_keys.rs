// Unknown keys (with the nearest known one), duplicate keys, values on flags and struct keys on
// fields are each reported on their own span, all in one build.
use lanepool::Reset;

#[derive(Reset)]
#[reset(skip)]
struct Buffers {
    #[reset(skp)]
    a: Vec<u8>,
    #[reset(skip, skip)]
    b: Vec<u8>,
    #[reset(skip = true)]
    c: Vec<u8>,
    #[reset(crate = "lanepool")]
    d: Vec<u8>,
}

fn main() {}
