// `BuildInPlace` must initialise every field: its macro names them all in a pattern, so leaving
// one out is a compile error, never a pool of half-initialised values.
struct Block {
    ids: [u32; 8],
    len: usize,
}

lanepool::__private::soa_build_in_place! {
    impl [] for [Block] where [] {
        lanes { ids: [u32; 8] = 0, }
        fields {}
    }
}

fn main() {}
