//! [`LaneBlock`]: the trait a derived block implements, and the row-level operations every
//! block shares; [`active_mask`], the mask of a block's active lanes.

use super::{LaneError, LaneIter};
use crate::{Lanes, Reset};

/// The mask of the first `len` lanes: bit `i` is set for every lane `i < len`.
///
/// `len >= 64` gives every bit. Kernels AND a lane-wise result with it to ignore inactive lanes.
///
/// ```
/// assert_eq!(pool_core::active_mask(0), 0);
/// assert_eq!(pool_core::active_mask(3), 0b111);
/// assert_eq!(pool_core::active_mask(64), u64::MAX);
/// ```
#[inline]
#[must_use]
pub const fn active_mask(len: usize) -> u64 {
    if len >= 64 {
        u64::MAX
    } else {
        (1u64 << len) - 1
    }
}

/// A fixed-lane Structure-of-Arrays buffer of `Row`s, usually written by `#[derive(SoA)]`.
///
/// Implementors provide storage access ([`len`](LaneBlock::len), [`set_len`](LaneBlock::set_len),
/// [`read_lane`](LaneBlock::read_lane), [`write_lane`](LaneBlock::write_lane)); the row-level
/// operations are provided and shared by every block type. Derived blocks also expose them as
/// inherent methods, so users need not import this trait except to write code generic over
/// blocks:
///
/// ```
/// use pool_core::LaneBlock;
///
/// /// How many active rows satisfy `keep`, for any lane block.
/// fn count<B: LaneBlock>(block: &B, keep: impl Fn(&B::Row) -> bool) -> usize {
///     block.iter().filter(|row| keep(row)).count()
/// }
/// ```
pub trait LaneBlock: Lanes + Reset {
    /// The row type the block stores column-wise.
    type Row;

    /// The number of active rows; they occupy lanes `0..len`.
    fn len(&self) -> usize;

    /// Marks lanes `0..len` active, keeping whatever values those lanes hold.
    ///
    /// Use it after writing lanes directly (through a derived block's `*_lanes_mut` accessors).
    ///
    /// # Panics
    ///
    /// If `len > LANES`.
    fn set_len(&mut self, len: usize);

    /// Reads the row in `lane`, active or not.
    ///
    /// # Panics
    ///
    /// If `lane >= LANES`.
    fn read_lane(&self, lane: usize) -> Self::Row;

    /// Writes `row` into `lane` without changing which lanes are active.
    ///
    /// A block with per-block fields stores `row`'s values for them once, for the whole block,
    /// so this changes them for every active row; [`push`](LaneBlock::push),
    /// [`set`](LaneBlock::set) and [`fill_from`](LaneBlock::fill_from) check
    /// [`shares_block_fields`](LaneBlock::shares_block_fields) first.
    ///
    /// # Panics
    ///
    /// If `lane >= LANES`.
    fn write_lane(&mut self, lane: usize, row: &Self::Row);

    /// Whether `row`'s per-block fields (`#[soa(per_block)]`) equal the block's, so it may join
    /// the active rows. Always `true` for a block without per-block fields.
    #[inline]
    fn shares_block_fields(&self, row: &Self::Row) -> bool {
        let _ = row;
        true
    }

    /// Whether no row is active.
    #[inline]
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every lane is active, so [`push`](LaneBlock::push) would refuse.
    #[inline]
    fn is_full(&self) -> bool {
        self.len() >= Self::LANES
    }

    /// Appends `row` in lane `len`. Into an empty block, the row also sets the block's
    /// per-block fields.
    ///
    /// # Errors
    ///
    /// [`LaneError::Full`] when every lane is active, [`LaneError::BlockFieldMismatch`] when the
    /// block holds rows and `row`'s per-block fields differ from theirs; the row is not stored.
    #[inline]
    fn push(&mut self, row: Self::Row) -> Result<(), LaneError> {
        let lane = self.len();
        if lane >= Self::LANES {
            return Err(LaneError::Full { lanes: Self::LANES });
        }
        if lane > 0 && !self.shares_block_fields(&row) {
            return Err(LaneError::BlockFieldMismatch { lane });
        }
        self.write_lane(lane, &row);
        self.set_len(lane + 1);
        Ok(())
    }

    /// The active row at `index`, or `None` when `index >= len`.
    #[inline]
    fn get(&self, index: usize) -> Option<Self::Row> {
        if index < self.len() {
            Some(self.read_lane(index))
        } else {
            None
        }
    }

    /// Overwrites the active row at `index`. When it is the only active row, `row` may also
    /// change the block's per-block fields.
    ///
    /// # Errors
    ///
    /// [`LaneError::OutOfBounds`] when `index >= len`, [`LaneError::BlockFieldMismatch`] when
    /// other rows are active and `row`'s per-block fields differ from theirs; nothing is written.
    #[inline]
    fn set(&mut self, index: usize, row: Self::Row) -> Result<(), LaneError> {
        let len = self.len();
        if index >= len {
            return Err(LaneError::OutOfBounds { index, len });
        }
        if len > 1 && !self.shares_block_fields(&row) {
            return Err(LaneError::BlockFieldMismatch { lane: index });
        }
        self.write_lane(index, &row);
        Ok(())
    }

    /// Deactivates every row in O(1); the lanes keep their stale values.
    #[inline]
    fn clear(&mut self) {
        self.set_len(0);
    }

    /// Appends rows from the front of `rows` until the block is full, or, with per-block
    /// fields, until a row's per-block values differ from the block's; returns how many it took.
    ///
    /// The rows not taken are `rows[taken..]`: push them into the next block. So a slice sorted
    /// by the per-block fields splits into blocks that each hold one run.
    #[inline]
    fn fill_from(&mut self, rows: &[Self::Row]) -> usize {
        let start = self.len();
        let room = Self::LANES.saturating_sub(start).min(rows.len());
        let mut taken = 0;
        for row in &rows[..room] {
            let lane = start + taken;
            if lane > 0 && !self.shares_block_fields(row) {
                break;
            }
            self.write_lane(lane, row);
            taken += 1;
        }
        self.set_len(start + taken);
        taken
    }

    /// The active rows, by value, in lane order.
    #[inline]
    fn iter(&self) -> LaneIter<'_, Self> {
        LaneIter {
            block: self,
            front: 0,
            back: self.len(),
        }
    }

    /// Bit `i` set for every active lane `i` (see [`active_mask`]).
    #[inline]
    fn active_mask(&self) -> u64 {
        active_mask(self.len())
    }

    /// Removes the last active row and returns it, or `None` when the block is empty.
    #[inline]
    fn pop(&mut self) -> Option<Self::Row> {
        let last = self.len().checked_sub(1)?;
        let row = self.read_lane(last);
        self.set_len(last);
        Some(row)
    }

    /// Keeps the first `len` rows and deactivates the rest; does nothing when `len >= len()`.
    #[inline]
    fn truncate(&mut self, len: usize) {
        if len < self.len() {
            self.set_len(len);
        }
    }

    /// Appends rows from `rows` until the block is full (or, with per-block fields, until a row's
    /// per-block values differ from the block's), and returns the rows that did not fit, in
    /// order: push them into the next block.
    ///
    /// It stops pulling from `rows` once the block is full, so the rest of an iterator is never
    /// consumed.
    fn extend<I: IntoIterator<Item = Self::Row>>(&mut self, rows: I) -> Leftover<I::IntoIter>
    where
        Self: Sized,
    {
        let mut rows = rows.into_iter();
        let mut refused = None;
        while !self.is_full() {
            let Some(row) = rows.next() else { break };
            let lane = self.len();
            if lane > 0 && !self.shares_block_fields(&row) {
                refused = Some(row);
                break;
            }
            self.write_lane(lane, &row);
            self.set_len(lane + 1);
        }
        refused.into_iter().chain(rows)
    }

    /// Keeps only the rows for which `keep` returns `true`, in their order; the rows move
    /// together across every column.
    fn retain(&mut self, mut keep: impl FnMut(&Self::Row) -> bool) {
        let len = self.len();
        let mut kept = 0;
        for lane in 0..len {
            let row = self.read_lane(lane);
            if keep(&row) {
                if kept != lane {
                    self.write_lane(kept, &row);
                }
                kept += 1;
            }
        }
        self.set_len(kept);
    }

    /// Removes the row at `index` and returns it; the last row takes its place (O(1)).
    ///
    /// # Errors
    ///
    /// [`LaneError::OutOfBounds`] when `index >= len`; nothing changes.
    fn swap_remove(&mut self, index: usize) -> Result<Self::Row, LaneError> {
        let len = self.len();
        if index >= len {
            return Err(LaneError::OutOfBounds { index, len });
        }
        let row = self.read_lane(index);
        if index != len - 1 {
            let last = self.read_lane(len - 1);
            self.write_lane(index, &last);
        }
        self.set_len(len - 1);
        Ok(row)
    }

    /// Sorts the active rows by `key`; each row moves as a whole, every column together.
    ///
    /// An insertion sort over at most 64 lanes: no allocation, and equal keys keep their order
    /// (which an unstable sort may, but need not, do).
    fn sort_unstable_by_key<K: Ord>(&mut self, mut key: impl FnMut(&Self::Row) -> K) {
        for lane in 1..self.len() {
            let row = self.read_lane(lane);
            let row_key = key(&row);
            let mut hole = lane;
            while hole > 0 {
                let before = self.read_lane(hole - 1);
                if key(&before) <= row_key {
                    break;
                }
                self.write_lane(hole, &before);
                hole -= 1;
            }
            if hole != lane {
                self.write_lane(hole, &row);
            }
        }
    }
}

/// The rows [`LaneBlock::extend`] could not take: the row it refused (if any), then the rest of
/// the input.
pub type Leftover<I> = core::iter::Chain<core::option::IntoIter<<I as Iterator>::Item>, I>;
