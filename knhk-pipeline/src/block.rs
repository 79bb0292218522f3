//! The hot path's unit of work: up to 8 dictionary-encoded triples of one predicate run, in a
//! pooled, cache-line-aligned Structure-of-Arrays block.
//!
//! Within a run every triple has the same predicate, so the hot block ([`RunTripleLanes`])
//! stores it once, with `#[soa(per_block)]`: the predicate and the length share the block's
//! first cache line, the subject lanes fill the second and the object lanes the third (192
//! bytes). A kernel that matches subjects reads two lines; an array of structs holding the same
//! 8 triples spans three.
//!
//! [`EncodedTripleLanes`] keeps one predicate per lane: it is the layout receipts record (see
//! [`crate::receipt`]), built from a hot block by [`RunTripleLanes::record_into`].

use lanepool::SoA;

/// One triple as three dictionary ids (see [`crate::dictionary::TermId`]): what ingest stages,
/// what actions emit, and a row of the receipts' record.
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

/// One triple of a predicate run: the row of the hot block, whose predicate is per block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, SoA)]
#[soa(lanes = 8, align = 64)]
pub struct RunTriple {
    /// Subject id.
    pub s: u64,
    /// Predicate id, shared by every triple of the block.
    #[soa(per_block)]
    pub p: u64,
    /// Object id.
    pub o: u64,
}

impl From<EncodedTriple> for RunTriple {
    #[inline]
    fn from(EncodedTriple { s, p, o }: EncodedTriple) -> Self {
        RunTriple { s, p, o }
    }
}

impl From<RunTriple> for EncodedTriple {
    #[inline]
    fn from(RunTriple { s, p, o }: RunTriple) -> Self {
        EncodedTriple { s, p, o }
    }
}

impl RunTripleLanes {
    /// Rewrites `record` to hold this block's triples, one predicate per lane (the layout a
    /// receipt's action hash reads).
    pub fn record_into(&self, record: &mut EncodedTripleLanes) {
        record.clear();
        let (subjects, objects) = (self.s_lanes(), self.o_lanes());
        let predicate = *self.p();
        for lane in 0..self.len() {
            let triple = EncodedTriple {
                s: subjects[lane],
                p: predicate,
                o: objects[lane],
            };
            // Both blocks have HOT_LANES lanes, so this never refuses.
            let _ = record.push(triple);
        }
    }
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
            `RunTripleLanes`, which splits longer runs across blocks"
)]
pub trait HotBlock {
    /// Every subject lane, active or not.
    fn subjects(&self) -> &[u64; HOT_LANES];
    /// The predicate values the block stores: one per block for [`RunTripleLanes`], one per
    /// lane for [`EncodedTripleLanes`]. Index 0 is the run's predicate.
    fn predicates(&self) -> &[u64];
    /// Every object lane, active or not.
    fn objects(&self) -> &[u64; HOT_LANES];
    /// Bit `i` set for each active lane `i`.
    fn lane_mask(&self) -> u64;
}

impl HotBlock for RunTripleLanes {
    #[inline]
    fn subjects(&self) -> &[u64; HOT_LANES] {
        self.s_lanes()
    }
    #[inline]
    fn predicates(&self) -> &[u64] {
        core::slice::from_ref(self.p())
    }
    #[inline]
    fn objects(&self) -> &[u64; HOT_LANES] {
        self.o_lanes()
    }
    #[inline]
    fn lane_mask(&self) -> u64 {
        // len <= 8, so the shift never reaches 64 (one instruction, no range check).
        !(u64::MAX << (self.len() & 63))
    }
}

impl HotBlock for EncodedTripleLanes {
    #[inline]
    fn subjects(&self) -> &[u64; HOT_LANES] {
        self.s_lanes()
    }
    #[inline]
    fn predicates(&self) -> &[u64] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hot_block_is_three_cache_lines_with_lanes_on_lines_two_and_three() {
        assert_eq!(core::mem::size_of::<RunTripleLanes>(), 192);
        assert_eq!(core::mem::align_of::<RunTripleLanes>(), 64);
        assert_eq!(core::mem::offset_of!(RunTripleLanes, s), 64);
        assert_eq!(core::mem::offset_of!(RunTripleLanes, o), 128);
    }

    #[test]
    fn record_into_repeats_the_predicate_in_every_lane() {
        let mut block = RunTripleLanes::new();
        block.push(RunTriple { s: 1, p: 9, o: 2 }).unwrap();
        block.push(RunTriple { s: 3, p: 9, o: 4 }).unwrap();
        let mut record = EncodedTripleLanes::new();
        record.push(EncodedTriple { s: 7, p: 7, o: 7 }).unwrap();
        block.record_into(&mut record);
        assert_eq!(
            record.iter().collect::<Vec<_>>(),
            [
                EncodedTriple { s: 1, p: 9, o: 2 },
                EncodedTriple { s: 3, p: 9, o: 4 }
            ]
        );
    }
}
