//! The lane test on a term id's tag: KNHK's id layout on top of lanepool's generic lanes.

use crate::dictionary::PAYLOAD_BITS;
use lanepool::arch::LaneIsa;

/// [`LaneIsa`] with the id layout of [`TermId`](crate::dictionary::TermId): a 4-bit tag above
/// [`PAYLOAD_BITS`] payload bits. Every lane instruction set has it, so kernels generic over
/// `I: LaneIsa` call it inside the batch [`with_best_lanes`](lanepool::arch::with_best_lanes)
/// compiled for their instruction set.
pub trait TagLanes: LaneIsa {
    /// Bit `i` set where bit `lanes[i] >> 60` of `tags` is set: the lane's 4-bit tag is one
    /// of `tags`.
    fn tag_mask(self, lanes: &[u64; 8], tags: u16) -> u64;
}

impl<I: LaneIsa> TagLanes for I {
    #[inline(always)]
    fn tag_mask(self, lanes: &[u64; 8], tags: u16) -> u64 {
        self.bitset_mask::<{ PAYLOAD_BITS as i32 }>(lanes, tags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lanepool::arch::{with_best_lanes, LaneWork, Portable};

    /// The tag test of the best instruction set and of `Portable`, against the tag read lane
    /// by lane, for every single tag and a few sets of them.
    #[test]
    fn tag_mask_reads_the_top_four_bits() {
        struct Tags([u64; 8], u16);
        impl LaneWork for Tags {
            type Output = u64;
            fn run<I: LaneIsa>(self, isa: I) -> u64 {
                isa.tag_mask(&self.0, self.1)
            }
        }
        let lanes: [u64; 8] = core::array::from_fn(|lane| (lane as u64 * 2) << 60 | 0x0123_4567);
        let lanes_high = lanes.map(|x| x | 1 << 60 | 0x0fff_ffff_ffff_ffff);
        for ids in [lanes, lanes_high] {
            let sets = (0..16)
                .map(|tag| 1_u16 << tag)
                .chain([0, u16::MAX, 0b1000_0000_1010_0110]);
            for tags in sets {
                let expected = ids.iter().enumerate().fold(0, |mask, (lane, &id)| {
                    mask | u64::from(tags >> (id >> 60) & 1) << lane
                });
                assert_eq!(Tags(ids, tags).run(Portable), expected, "{tags:#b}");
                assert_eq!(with_best_lanes(Tags(ids, tags)), expected, "{tags:#b}");
            }
        }
    }
}
