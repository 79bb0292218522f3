//! The hot path's unit of work: 8 dictionary-encoded triples of one predicate run, laid out as
//! a cache-line-aligned Structure-of-Arrays block that lives in a pool.

use lanepool::SoA;

/// One triple as three dictionary ids (see [`crate::dictionary::TermId`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, SoA)]
#[soa(lanes = 8, align = 64)]
pub struct EncodedTriple {
    /// Subject id.
    pub s: u64,
    /// Predicate id.
    pub p: u64,
    /// Object id.
    pub o: u64,
}

/// The lane count of every hot-path block: the Chatman constant.
pub const HOT_LANES: usize = 8;

/// A block the hot-path kernels accept: exactly [`HOT_LANES`] lanes of encoded triples.
///
/// The lane arrays are typed `[u64; 8]`, so a block with more lanes cannot implement it and a
/// kernel call on one does not compile: runs never exceed 8 lanes on the hot path.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a hot-path block: kernels take blocks of at most 8 lanes",
    label = "not an 8-lane block of encoded triples",
    note = "the hot path keeps every run within 8 lanes (the Chatman constant); load runs into \
            `EncodedTripleLanes`, which splits longer runs across blocks"
)]
pub trait HotBlock {
    /// Every subject lane, active or not.
    fn subjects(&self) -> &[u64; HOT_LANES];
    /// Every predicate lane, active or not.
    fn predicates(&self) -> &[u64; HOT_LANES];
    /// Every object lane, active or not.
    fn objects(&self) -> &[u64; HOT_LANES];
    /// Bit `i` set for each active lane `i`.
    fn lane_mask(&self) -> u64;
}

impl HotBlock for EncodedTripleLanes {
    #[inline]
    fn subjects(&self) -> &[u64; HOT_LANES] {
        self.s_lanes()
    }
    #[inline]
    fn predicates(&self) -> &[u64; HOT_LANES] {
        self.p_lanes()
    }
    #[inline]
    fn objects(&self) -> &[u64; HOT_LANES] {
        self.o_lanes()
    }
    #[inline]
    fn lane_mask(&self) -> u64 {
        self.active_mask()
    }
}
