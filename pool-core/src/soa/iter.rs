//! [`LaneIter`]: the active rows of a block, by value.

use core::fmt;
use core::iter::FusedIterator;

use super::LaneBlock;

/// Iterator over the active rows of a [`LaneBlock`], by value; from [`LaneBlock::iter`].
///
/// Rows are assembled from the lanes as they are yielded, so the iterator borrows the block.
pub struct LaneIter<'a, B: ?Sized> {
    pub(super) block: &'a B,
    /// Next lane from the front.
    pub(super) front: usize,
    /// One past the next lane from the back; `front <= back <= len` always.
    pub(super) back: usize,
}

impl<B: LaneBlock + ?Sized> Iterator for LaneIter<'_, B> {
    type Item = B::Row;

    #[inline]
    fn next(&mut self) -> Option<B::Row> {
        if self.front < self.back {
            let row = self.block.read_lane(self.front);
            self.front += 1;
            Some(row)
        } else {
            None
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.back - self.front;
        (left, Some(left))
    }

    #[inline]
    fn nth(&mut self, n: usize) -> Option<B::Row> {
        self.front = self.front.saturating_add(n).min(self.back);
        self.next()
    }
}

impl<B: LaneBlock + ?Sized> DoubleEndedIterator for LaneIter<'_, B> {
    #[inline]
    fn next_back(&mut self) -> Option<B::Row> {
        if self.front < self.back {
            self.back -= 1;
            Some(self.block.read_lane(self.back))
        } else {
            None
        }
    }
}

impl<B: LaneBlock + ?Sized> ExactSizeIterator for LaneIter<'_, B> {}

impl<B: LaneBlock + ?Sized> FusedIterator for LaneIter<'_, B> {}

// Manual impls: the iterator only holds `&B`, so it is `Clone` whatever `B` is.
impl<B: ?Sized> Clone for LaneIter<'_, B> {
    fn clone(&self) -> Self {
        LaneIter {
            block: self.block,
            front: self.front,
            back: self.back,
        }
    }
}

impl<B: ?Sized> fmt::Debug for LaneIter<'_, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LaneIter")
            .field("front", &self.front)
            .field("back", &self.back)
            .finish()
    }
}
