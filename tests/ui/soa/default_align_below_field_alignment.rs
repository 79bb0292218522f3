// The default alignment (64) is below a field that needs 128: the user must raise `align`.
use lanepool::SoA;

#[derive(Clone, Copy)]
#[repr(align(128))]
struct Wide([u8; 128]);

impl Default for Wide {
    fn default() -> Self {
        Wide([0; 128])
    }
}

#[derive(Clone, Copy, SoA)]
struct Row {
    wide: Wide,
}

fn main() {}
