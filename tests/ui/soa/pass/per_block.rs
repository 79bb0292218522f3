// Per-block fields expand without a prelude or the `lanepool` name, next to lane fields of
// every kind, and keep the documented layout.
#![no_implicit_prelude]
#![deny(warnings, missing_docs)]
//! A crate that renames lanepool.

extern crate lanepool as renamed;
extern crate std;

/// A quad: the graph is shared by the whole block.
#[derive(::std::clone::Clone, ::std::marker::Copy, ::std::fmt::Debug, ::std::cmp::PartialEq, ::renamed::SoA)]
#[soa(crate = "renamed", lanes = 8, align = 64)]
pub struct Quad {
    /// Subject.
    pub s: u64,
    /// Predicate, one per block.
    #[soa(per_block)]
    pub p: u64,
    /// Object.
    pub o: [u8; 40],
    /// Graph, one per block.
    #[soa(per_block)]
    pub g: (u32, bool),
}

const _: () = ::std::assert!(::std::mem::size_of::<QuadLanes>() == 64 + 64 + 320);

fn main() {
    let pool = QuadLanes::pool(1);
    let mut block: QuadGuard<'_> = pool.acquire().unwrap();
    let row = Quad { s: 1, p: 2, o: [3; 40], g: (4, true) };
    block.push(row).unwrap();
    ::std::assert_eq!(*block.p(), 2);
    ::std::assert_eq!(*block.g(), (4, true));
    ::std::assert_eq!(block.s_lanes()[0], 1);
    ::std::assert!(::std::clone::Clone::clone(&*block) == *block);
}
