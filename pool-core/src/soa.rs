//! Lane blocks: the runtime of `#[derive(SoA)]`.
//!
//! A lane block stores up to [`Lanes::LANES`] rows column-wise, one `[F; LANES]` array per field
//! of the row, plus a length. Every [`LaneBlock`] keeps these invariants:
//! - the active rows are exactly lanes `0..len`, and `len <= LANES`;
//! - every lane of every array is always initialised (an inactive lane holds a stale row or the
//!   field's default), so a kernel may read all `LANES` lanes without a branch and discard the
//!   inactive ones with [`active_mask`].
//!
//! - a block may also have *per-block fields* (`#[soa(per_block)]`), stored once for the whole
//!   block rather than once per lane: every active row has the block's value in those fields.
//!   [`LaneBlock::push`], [`LaneBlock::set`] and [`LaneBlock::fill_from`] keep that true by
//!   refusing (or stopping at) a row whose per-block values differ while other rows are active;
//!   the first row pushed into an empty block sets them.
//!
//! The derive generates the storage and a few small methods ([`LaneBlock::len`],
//! [`LaneBlock::set_len`], [`LaneBlock::read_lane`], [`LaneBlock::write_lane`] and, with
//! per-block fields, [`LaneBlock::shares_block_fields`]); everything else (bounds checks, `push`,
//! `fill_from`, the row iterator, the mask) lives here, once.

use core::fmt;
use core::iter::FusedIterator;

use crate::{Lanes, Reset};

/// Why a lane block refused a row.
///
/// `Copy`, with plain numbers for fields, so the refusal path allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum LaneError {
    /// [`LaneBlock::push`] on a block whose lanes are all active. The row was not stored.
    #[error(
        "lane block full: all {lanes} lanes are active; push the row into another block \
         (acquire one from the pool) or clear this one first"
    )]
    Full {
        /// The block's lane count.
        lanes: usize,
    },
    /// [`LaneBlock::set`] on a lane that is not active.
    #[error(
        "lane {index} is not active: the block holds {len} rows (lanes 0..{len}); \
         set an active lane, or push to append a row"
    )]
    OutOfBounds {
        /// The lane asked for.
        index: usize,
        /// The number of active rows.
        len: usize,
    },
    /// [`LaneBlock::push`] or [`LaneBlock::set`] of a row whose per-block fields
    /// (`#[soa(per_block)]`) differ from the block's while other rows are active. Nothing was
    /// written.
    #[error(
        "the row for lane {lane} differs from the block in a per-block field \
         (`#[soa(per_block)]`): every active row of a block shares those values; put the row \
         in another block, or clear this one first"
    )]
    BlockFieldMismatch {
        /// The lane the row was meant for.
        lane: usize,
    },
    /// Building a block from a slice (`TryFrom<&[Row]>`) that holds more rows than it has lanes.
    #[error(
        "{rows} rows do not fit in one lane block of {lanes} lanes; split them into chunks of at \
         most {lanes} (`slice.chunks({lanes})`), one block each"
    )]
    TooManyRows {
        /// The rows given.
        rows: usize,
        /// The block's lane count.
        lanes: usize,
    },
}

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

/// Iterator over the active rows of a [`LaneBlock`], by value; from [`LaneBlock::iter`].
///
/// Rows are assembled from the lanes as they are yielded, so the iterator borrows the block.
pub struct LaneIter<'a, B: ?Sized> {
    block: &'a B,
    /// Next lane from the front.
    front: usize,
    /// One past the next lane from the back; `front <= back <= len` always.
    back: usize,
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

/// What the code written by `#[derive(SoA)]` calls. Not a public API: it may change in any
/// release. Generated code reaches it as `<crate>::__private`, so a renamed facade still works.
#[doc(hidden)]
pub mod __private {
    use core::fmt;

    pub use crate::{
        Guard, LaneBlock, LaneError, LaneIter, Lanes, Leftover, OwnedGuard, Pool, Reset, SyncGuard,
        SyncPool,
    };

    #[cfg(feature = "serde")]
    pub use serde;

    pub use crate::slot::BuildInPlace;

    /// Implements [`BuildInPlace`] for a derived block: see `slot.rs`.
    pub use crate::__soa_build_in_place as soa_build_in_place;

    /// Emits a block's `serde::Serialize` impl when lanepool's `serde` feature is on, and nothing
    /// otherwise, so the derive's output need not know which features are enabled.
    pub use crate::__soa_serialize as soa_serialize;

    /// The body of a derived block's `PartialEq`: the same active rows (inactive lanes are not
    /// compared: they are unobservable).
    #[inline]
    pub fn rows_eq<B>(a: &B, b: &B) -> bool
    where
        B: LaneBlock,
        B::Row: PartialEq,
    {
        a.len() == b.len() && a.iter().eq(b.iter())
    }

    /// The body of a derived block's `TryFrom<&[Row]>`.
    pub fn block_from_rows<B: LaneBlock + Default>(rows: &[B::Row]) -> Result<B, LaneError> {
        if rows.len() > B::LANES {
            return Err(LaneError::TooManyRows {
                rows: rows.len(),
                lanes: B::LANES,
            });
        }
        let mut block = B::default();
        let taken = block.fill_from(rows);
        if taken < rows.len() {
            return Err(LaneError::BlockFieldMismatch { lane: taken });
        }
        Ok(block)
    }

    /// The body of a derived block's `serde::Serialize`: the active rows, as a sequence.
    #[cfg(feature = "serde")]
    pub fn serialize_rows<B, S>(block: &B, serializer: S) -> Result<S::Ok, S::Error>
    where
        B: LaneBlock,
        B::Row: serde::Serialize,
        S: serde::Serializer,
    {
        serializer.collect_seq(block.iter())
    }

    /// The derive asks every concrete field type for this, spanned on the field's type, so a
    /// non-`Copy` field fails with one error that says what to change.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not `Copy`, so it cannot be a field of a `#[derive(SoA)]` struct",
        label = "this field's type must be `Copy`",
        note = "lanes hold plain data: rows are copied in and out, and `clear` drops nothing",
        note = "use a `Copy` type here (an id, an index or a fixed-size array instead of an owned \
                value), or keep this field out of the SoA struct"
    )]
    pub trait LaneField {}

    impl<T: Copy> LaneField for T {}

    /// Compiles only when `T` may be a lane field.
    #[inline(always)]
    pub const fn assert_lane_field<T: LaneField + ?Sized>() {}

    /// The value every lane of a field starts with (and returns to under `reset = "zero"`).
    #[diagnostic::on_unimplemented(
        message = "`{Self}` has no `Default`, so `#[derive(SoA)]` cannot initialise its lanes",
        label = "lanes of this type start as `Default::default()`",
        note = "implement or derive `Default` for `{Self}`; arrays and tuples of `Default` types \
                of any length are fine"
    )]
    pub trait LaneDefault: Sized {
        /// The initial lane value.
        fn lane_default() -> Self;
    }

    impl<T: Default> LaneDefault for T {
        #[inline(always)]
        fn lane_default() -> Self {
            T::default()
        }
    }

    /// `T::lane_default()`, as a function the derive can span on the field's type.
    #[inline(always)]
    pub fn lane_default<T: LaneDefault>() -> T {
        T::lane_default()
    }

    /// The body of a derived [`LaneBlock::set_len`]: refuses a length beyond the lanes.
    #[inline(always)]
    #[track_caller]
    pub fn checked_len(len: usize, lanes: usize) -> usize {
        assert!(
            len <= lanes,
            "set_len({len}) on a lane block of {lanes} lanes: len must be <= {lanes}"
        );
        len
    }

    /// The body of a derived block's `Debug`: its length and active rows, not its stale lanes.
    pub fn fmt_block<B>(block: &B, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result
    where
        B: LaneBlock,
        B::Row: fmt::Debug,
    {
        struct Rows<'a, B>(&'a B);
        impl<B: LaneBlock> fmt::Debug for Rows<'_, B>
        where
            B::Row: fmt::Debug,
        {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_list().entries(self.0.iter()).finish()
            }
        }
        f.debug_struct(name)
            .field("len", &block.len())
            .field("rows", &Rows(block))
            .finish()
    }

    /// The derive asks every concrete per-block field type for this, spanned on the field's
    /// type: the block compares a new row's value with its own.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not `PartialEq`, so it cannot be a `#[soa(per_block)]` field",
        label = "a per-block field's type must be `PartialEq`",
        note = "a block stores a per-block field once and checks that each row it takes has the \
                same value; derive or implement `PartialEq` for `{Self}`, or make it a lane \
                field (remove `#[soa(per_block)]`)"
    )]
    pub trait BlockField: PartialEq {}

    impl<T: PartialEq + ?Sized> BlockField for T {}

    /// Whether a row's per-block value equals the block's (the derive's `shares_block_fields`).
    #[inline(always)]
    pub fn same_block_value<T: BlockField>(block: &T, row: &T) -> bool {
        block == row
    }

    /// Zero-sized markers of each alignment a block may have. A derived block with per-block
    /// fields puts a `[AlignN; 0]` between its header (the per-block fields and the length) and
    /// its lanes, so that the lanes start on the next `align` boundary: a kernel that reads the
    /// header and one lane array touches two cache lines, not the length's own.
    pub mod align {
        macro_rules! markers {
            ($($name:ident = $align:literal),* $(,)?) => {$(
                #[doc = concat!("Zero-sized, aligned to ", stringify!($align), " bytes.")]
                #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
                #[repr(align($align))]
                pub struct $name;
            )*};
        }
        markers!(
            Align1 = 1,
            Align2 = 2,
            Align4 = 4,
            Align8 = 8,
            Align16 = 16,
            Align32 = 32,
            Align64 = 64,
            Align128 = 128,
            Align256 = 256,
            Align512 = 512,
            Align1024 = 1024,
            Align2048 = 2048,
            Align4096 = 4096,
        );
    }

    /// Whether a block type of this size and alignment honours `#[soa(align = expected)]`.
    #[must_use]
    pub const fn layout_matches(size: usize, align: usize, expected: usize) -> bool {
        align == expected && size % expected == 0
    }
}

/// See `__private::soa_serialize`.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __soa_serialize {
    (impl [$($generics:tt)*] for [$($block:tt)*] row [$($row:tt)*] where [$($bounds:tt)*]) => {
        #[automatically_derived]
        impl $($generics)* $crate::__private::serde::Serialize for $($block)*
        where
            $($bounds)*
            // Not a trivial bound, so a row without `Serialize` just leaves the block without it.
            for<'__soa> $($row)*: $crate::__private::serde::Serialize,
        {
            /// The active rows, as a sequence of rows; inactive lanes are never written.
            fn serialize<__S>(&self, __serializer: __S) -> ::core::result::Result<__S::Ok, __S::Error>
            where
                __S: $crate::__private::serde::Serializer,
            {
                $crate::__private::serialize_rows(self, __serializer)
            }
        }
    };
}

/// See `__private::soa_serialize`: without the `serde` feature, no impl.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __soa_serialize {
    ($($tokens:tt)*) => {};
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hand-written block, shaped exactly like the derive's output for `Row { a: u32, b: i8 }`
    /// with four lanes.
    #[derive(Debug, Default)]
    #[repr(C, align(16))]
    struct RowLanes {
        a: [u32; 4],
        b: [i8; 4],
        len: usize,
    }

    #[derive(Clone, Copy, Debug, PartialEq)]
    struct Row {
        a: u32,
        b: i8,
    }

    impl Lanes for RowLanes {
        const LANES: usize = 4;
    }

    impl Reset for RowLanes {
        fn reset(&mut self) {
            self.clear();
        }
    }

    impl LaneBlock for RowLanes {
        type Row = Row;
        fn len(&self) -> usize {
            self.len
        }
        fn set_len(&mut self, len: usize) {
            self.len = __private::checked_len(len, Self::LANES);
        }
        fn read_lane(&self, lane: usize) -> Row {
            Row {
                a: self.a[lane],
                b: self.b[lane],
            }
        }
        fn write_lane(&mut self, lane: usize, row: &Row) {
            self.a[lane] = row.a;
            self.b[lane] = row.b;
        }
    }

    fn row(i: u32) -> Row {
        Row {
            a: i,
            b: -(i as i8),
        }
    }

    #[test]
    fn active_mask_sets_the_low_len_bits() {
        assert_eq!(active_mask(0), 0);
        assert_eq!(active_mask(1), 1);
        assert_eq!(active_mask(8), 0xff);
        assert_eq!(active_mask(63), u64::MAX >> 1);
        assert_eq!(active_mask(64), u64::MAX);
        assert_eq!(active_mask(usize::MAX), u64::MAX);
        for len in 0..=64 {
            assert_eq!(active_mask(len).count_ones() as usize, len);
        }
    }

    #[test]
    fn push_appends_in_lane_order_until_full_then_refuses() {
        let mut block = RowLanes::default();
        for i in 0..4 {
            assert_eq!(block.push(row(i)), Ok(()));
        }
        assert!(block.is_full());
        assert_eq!(block.push(row(9)), Err(LaneError::Full { lanes: 4 }));
        assert_eq!(block.len(), 4);
        assert_eq!(block.a, [0, 1, 2, 3]);
        assert_eq!(block.active_mask(), 0b1111);
    }

    #[test]
    fn get_and_set_only_reach_active_lanes() {
        let mut block = RowLanes::default();
        block.push(row(1)).unwrap();
        assert_eq!(block.get(0), Some(row(1)));
        assert_eq!(block.get(1), None);
        assert_eq!(block.set(0, row(7)), Ok(()));
        assert_eq!(block.get(0), Some(row(7)));
        assert_eq!(
            block.set(1, row(8)),
            Err(LaneError::OutOfBounds { index: 1, len: 1 })
        );
        assert_eq!(block.a[1], 0, "a refused set must not write the lane");
    }

    #[test]
    fn clear_is_constant_time_and_keeps_stale_lanes() {
        let mut block = RowLanes::default();
        block.fill_from(&[row(5), row(6)]);
        block.clear();
        assert!(block.is_empty());
        assert_eq!(block.active_mask(), 0);
        assert_eq!(block.iter().count(), 0);
        assert_eq!(block.a[..2], [5, 6]);
    }

    #[test]
    fn fill_from_takes_only_what_fits_and_reports_it() {
        let rows: Vec<Row> = (0..10).map(row).collect();
        let mut block = RowLanes::default();
        block.push(row(100)).unwrap();
        assert_eq!(block.fill_from(&rows), 3);
        assert_eq!(
            block.iter().collect::<Vec<_>>(),
            [row(100), row(0), row(1), row(2)]
        );
        assert_eq!(block.fill_from(&rows[3..]), 0);
        block.clear();
        assert_eq!(block.fill_from(&rows[..2]), 2);
        assert_eq!(block.len(), 2);
    }

    #[test]
    fn iter_is_exact_size_and_double_ended() {
        let mut block = RowLanes::default();
        block.fill_from(&[row(1), row(2), row(3)]);
        let mut iter = block.iter();
        assert_eq!(iter.len(), 3);
        assert_eq!(iter.next_back(), Some(row(3)));
        assert_eq!(iter.len(), 2);
        assert_eq!(iter.clone().collect::<Vec<_>>(), [row(1), row(2)]);
        assert_eq!(iter.nth(1), Some(row(2)));
        assert_eq!(iter.next(), None);
        assert_eq!(iter.next_back(), None);
        assert_eq!(block.iter().nth(usize::MAX), None);
    }

    #[test]
    #[should_panic(expected = "set_len(5) on a lane block of 4 lanes")]
    fn set_len_beyond_the_lanes_panics() {
        RowLanes::default().set_len(5);
    }

    #[test]
    fn lane_errors_say_what_happened_and_what_to_do() {
        let full = LaneError::Full { lanes: 8 }.to_string();
        assert!(
            full.contains("all 8 lanes are active") && full.contains("another block"),
            "{full}"
        );
        let oob = LaneError::OutOfBounds { index: 3, len: 2 }.to_string();
        assert!(
            oob.contains("lane 3 is not active") && oob.contains("lanes 0..2"),
            "{oob}"
        );
    }

    #[test]
    fn layout_matches_requires_exact_alignment_and_whole_multiples() {
        use core::mem::{align_of, size_of};
        assert!(__private::layout_matches(
            size_of::<RowLanes>(),
            align_of::<RowLanes>(),
            16
        ));
        assert!(!__private::layout_matches(48, 16, 32));
        assert!(!__private::layout_matches(40, 16, 16));
    }

    #[test]
    fn debug_shows_the_active_rows_only() {
        struct Shown<'a>(&'a RowLanes);
        impl fmt::Debug for Shown<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                __private::fmt_block(self.0, "RowLanes", f)
            }
        }
        let mut block = RowLanes::default();
        block.fill_from(&[row(1), row(2)]);
        block.clear();
        block.push(row(3)).unwrap();
        assert_eq!(
            format!("{:?}", Shown(&block)),
            "RowLanes { len: 1, rows: [Row { a: 3, b: -3 }] }"
        );
    }

    #[test]
    fn vec_like_operations_move_whole_rows() {
        let mut block = RowLanes::default();
        block.fill_from(&[row(4), row(1), row(3)]);
        block.sort_unstable_by_key(|r| r.a);
        assert_eq!(block.iter().collect::<Vec<_>>(), [row(1), row(3), row(4)]);
        assert_eq!(block.swap_remove(0), Ok(row(1)));
        assert_eq!(block.iter().collect::<Vec<_>>(), [row(4), row(3)]);
        block.retain(|r| r.a != 4);
        assert_eq!(block.pop(), Some(row(3)));
        assert_eq!(block.pop(), None);
        let rest: Vec<Row> = block.extend((0..6).map(row)).collect();
        assert_eq!(rest, [row(4), row(5)]);
        block.truncate(2);
        assert_eq!(block.iter().collect::<Vec<_>>(), [row(0), row(1)]);
        assert_eq!(
            block.swap_remove(2),
            Err(LaneError::OutOfBounds { index: 2, len: 2 })
        );
    }

    #[test]
    fn rows_eq_and_block_from_rows_see_only_active_rows() {
        let mut a = RowLanes::default();
        a.fill_from(&[row(1), row(2)]);
        a.truncate(1);
        let b: RowLanes = __private::block_from_rows(&[row(1)]).unwrap();
        assert!(__private::rows_eq(&a, &b));
        let too_many: Vec<Row> = (0..5).map(row).collect();
        assert_eq!(
            __private::block_from_rows::<RowLanes>(&too_many).unwrap_err(),
            LaneError::TooManyRows { rows: 5, lanes: 4 }
        );
    }

    #[test]
    fn pooled_block_comes_back_cleared() {
        let pool: crate::Pool<RowLanes> = crate::Pool::with_default(1);
        pool.acquire().unwrap().push(row(1)).unwrap();
        assert!(pool.acquire().unwrap().is_empty());
        assert!(pool.acquire_for(5).is_err());
    }
}
