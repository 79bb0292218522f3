//! [`Columns`]: a growable sequence of rows stored in lane blocks, one block after another: what
//! a `Vec<Row>` is to rows, with the blocks' column-wise layout kept for kernels.
//!
//! Invariants, which every method keeps:
//! - the rows, in order, are the active rows of `blocks[0]`, then of `blocks[1]`, and so on;
//! - every block holds at least one row (a block left empty goes back to its source at once);
//! - `len` is the sum of the blocks' lengths;
//! - a row joins the last block only when that block has room and shares its per-block fields
//!   (`#[soa(per_block)]`); otherwise it starts a new block. So without per-block fields every
//!   block but the last is full.

use core::cmp::Ordering;
use core::fmt;
use core::mem;

use super::{BlockSource, Heap, LaneBlock, LaneRowsMut, Leftover};
use crate::PoolError;

/// A growable list of rows stored column-wise in lane blocks of type `B`, drawn from a
/// [`BlockSource`]: the heap by default, or a [`Pool`](crate::Pool) or
/// [`SyncPool`](crate::SyncPool) given to [`with_source`](Columns::with_source).
///
/// It is to a derived block what `Vec<Row>` is to rows: [`push`](Columns::push),
/// [`extend`](Columns::extend), [`retain`](Columns::retain) (compacting across blocks),
/// [`sort_by`](Columns::sort_by), [`truncate`](Columns::truncate), row iterators, and
/// [`blocks_mut`](Columns::blocks_mut) for kernels that work a whole block at a time.
/// `#[derive(SoA)]` on `Particle` names it `ParticleColumns`.
///
/// ```
/// # use pool_core::{Columns, LaneBlock};
/// # fn demo<B: LaneBlock + Default>(rows: Vec<B::Row>) where B::Row: Clone {
/// let mut columns: Columns<B> = rows.iter().cloned().collect();
/// for block in columns.blocks_mut() {
///     // a kernel over the block's lanes
///     let _ = block.active_mask();
/// }
/// assert_eq!(columns.len(), rows.len());
/// # }
/// ```
///
/// A pooled column borrows blocks from its pool and gives each back as soon as it holds no row;
/// adding rows then fails with the pool's error rather than allocating
/// ([`try_push`](Columns::try_push), [`try_extend`](Columns::try_extend)). A heap-backed
/// column's `Vec` of blocks grows like any `Vec`.
pub struct Columns<B, S: BlockSource<B> = Heap> {
    blocks: Vec<S::Block>,
    source: S,
    len: usize,
}

/// Rows a column could not take because its source had no block for them: the source's error,
/// and the rows, in order, that were not stored (the one refused first).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a lane-block column could not get another block: {error}")]
pub struct Refused<R, E> {
    /// Why the source gave no block.
    pub error: E,
    /// The rows not stored.
    pub rows: R,
}

impl<R, E: Into<PoolError>> From<Refused<R, E>> for PoolError {
    fn from(refused: Refused<R, E>) -> PoolError {
        refused.error.into()
    }
}

impl<B: LaneBlock + Default> Columns<B> {
    /// An empty column on the heap; it allocates nothing until the first row.
    #[must_use]
    pub fn new() -> Self {
        Self::with_source(Heap)
    }

    /// Appends `row` after the last row.
    #[inline]
    pub fn push(&mut self, row: B::Row) {
        if let Err(refused) = self.try_push(row) {
            match refused.error {}
        }
    }

    /// Sorts the rows with `compare`, stably; each row moves as a whole. It collects the rows
    /// into one `Vec` to sort them, then writes them back into the blocks.
    pub fn sort_by(&mut self, compare: impl FnMut(&B::Row, &B::Row) -> Ordering) {
        if let Err(refused) = self.try_sort_by(compare) {
            match refused.error {}
        }
    }

    /// Sorts the rows by `key`, stably: [`sort_by`](Self::sort_by) comparing keys.
    pub fn sort_by_key<K: Ord>(&mut self, mut key: impl FnMut(&B::Row) -> K) {
        self.sort_by(|a, b| key(a).cmp(&key(b)));
    }
}

impl<B: LaneBlock, S: BlockSource<B>> Columns<B, S> {
    /// An empty column that takes its blocks from `source`: `&pool` for a [`Pool`](crate::Pool)
    /// or a [`SyncPool`](crate::SyncPool), an `Arc<SyncPool<_>>` for owned guards.
    #[must_use]
    pub fn with_source(source: S) -> Self {
        Columns {
            blocks: Vec::new(),
            source,
            len: 0,
        }
    }

    /// Where the column takes its blocks from.
    pub fn source(&self) -> &S {
        &self.source
    }

    /// The number of rows.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the column holds no row.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of blocks the rows occupy.
    #[inline]
    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    /// The blocks, in row order: every one holds at least one row. Kernels read a block's
    /// lanes and mask the answer with its `active_mask`.
    #[inline]
    pub fn blocks(&self) -> impl ExactSizeIterator<Item = &B> + DoubleEndedIterator + '_ {
        self.blocks.iter().map(|block| &**block)
    }

    /// The blocks, mutably, for kernels that update lanes in place (every lane, active or not,
    /// may be written). Add and remove rows through the column, not through a block: the column
    /// counts its rows itself, so a block length changed here makes [`len`](Self::len) and
    /// [`get`](Self::get) disagree with [`iter`](Self::iter) (a logic error, never unsound).
    #[inline]
    pub fn blocks_mut(
        &mut self,
    ) -> impl ExactSizeIterator<Item = &mut B> + DoubleEndedIterator + '_ {
        self.blocks.iter_mut().map(|block| &mut **block)
    }

    /// The rows, by value, in order.
    #[inline]
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = B::Row> + '_ {
        self.blocks.iter().flat_map(|block| block.iter())
    }

    /// The rows, in order, each as a view with a mutable reference per lane field.
    #[inline]
    pub fn iter_mut(&mut self) -> impl DoubleEndedIterator<Item = B::RowMut<'_>> + '_
    where
        B: LaneRowsMut,
    {
        self.blocks.iter_mut().flat_map(|block| block.rows_mut())
    }

    /// The row at `index`, by value, or `None` when `index >= len()`.
    pub fn get(&self, index: usize) -> Option<B::Row> {
        let mut rest = index;
        for block in &self.blocks {
            if rest < block.len() {
                return Some(block.read_lane(rest));
            }
            rest -= block.len();
        }
        None
    }

    /// Appends `row` after the last row, taking a block from the source when the last one has
    /// no room for it.
    ///
    /// # Errors
    ///
    /// [`Refused`] with the row and the source's error when it has no block; nothing changes.
    #[inline]
    pub fn try_push(&mut self, row: B::Row) -> Result<(), Refused<B::Row, S::Error>> {
        self.push_reusing(row, &mut core::iter::empty())
    }

    /// Appends every row of `rows`, in order.
    ///
    /// # Errors
    ///
    /// [`Refused`] when the source runs out of blocks: the rows before stay stored, and the
    /// error holds the refused row followed by the rest of `rows`, unread.
    pub fn try_extend<I: IntoIterator<Item = B::Row>>(
        &mut self,
        rows: I,
    ) -> Result<(), Refused<Leftover<I::IntoIter>, S::Error>> {
        let mut rows = rows.into_iter();
        while let Some(row) = rows.next() {
            if let Err(refused) = self.try_push(row) {
                return Err(Refused {
                    error: refused.error,
                    rows: Some(refused.rows).into_iter().chain(rows),
                });
            }
        }
        Ok(())
    }

    /// Keeps the first `len` rows and drops the rest, giving back the blocks left empty; does
    /// nothing when `len >= self.len()`.
    pub fn truncate(&mut self, len: usize) {
        if len >= self.len {
            return;
        }
        let mut rest = len;
        let mut kept_blocks = 0;
        for block in &mut self.blocks {
            if rest == 0 {
                break;
            }
            kept_blocks += 1;
            if rest <= block.len() {
                block.truncate(rest);
                break;
            }
            rest -= block.len();
        }
        self.blocks.truncate(kept_blocks);
        self.len = len;
    }

    /// Removes every row and gives back every block.
    pub fn clear(&mut self) {
        self.blocks.clear();
        self.len = 0;
    }

    /// Keeps only the rows for which `keep` returns `true`, in order, and compacts them into
    /// as few blocks as the per-block fields allow, giving back the blocks left empty. No
    /// allocation: rows move lane by lane, every column together.
    ///
    /// If `keep` panics, the column is left empty (its blocks given back).
    pub fn retain(&mut self, mut keep: impl FnMut(&B::Row) -> bool) {
        // Taken out while rows move, so a panic in `keep` leaves an empty, consistent column.
        let mut blocks = mem::take(&mut self.blocks);
        self.len = 0;
        // The write position (block, lane) never passes the read position: a row is written
        // into an earlier block, or earlier in its own block. A write into lane 0 sets that
        // block's per-block fields, which is safe because the block is either fully read or
        // the row's own block (so the values are the same).
        let (mut to_block, mut to_lane, mut kept) = (0, 0, 0);
        for from_block in 0..blocks.len() {
            for from_lane in 0..blocks[from_block].len() {
                let row = blocks[from_block].read_lane(from_lane);
                if !keep(&row) {
                    continue;
                }
                if to_lane > 0
                    && (to_lane == B::LANES || !blocks[to_block].shares_block_fields(&row))
                {
                    blocks[to_block].set_len(to_lane);
                    to_block += 1;
                    to_lane = 0;
                }
                if (to_block, to_lane) != (from_block, from_lane) {
                    blocks[to_block].write_lane(to_lane, &row);
                }
                to_lane += 1;
                kept += 1;
            }
        }
        if kept == 0 {
            blocks.clear();
        } else {
            blocks[to_block].set_len(to_lane);
            blocks.truncate(to_block + 1);
        }
        self.blocks = blocks;
        self.len = kept;
    }

    /// Sorts the rows with `compare`, stably, reusing the blocks the rows occupy (and taking
    /// more from the source only when per-block fields split the sorted rows into more runs).
    /// It collects the rows into one `Vec` to sort them.
    ///
    /// # Errors
    ///
    /// [`Refused`] when the source has no block for a run of rows: the column holds the sorted
    /// rows before it, and the error the rest, sorted.
    pub fn try_sort_by(
        &mut self,
        mut compare: impl FnMut(&B::Row, &B::Row) -> Ordering,
    ) -> Result<(), Refused<std::vec::IntoIter<B::Row>, S::Error>> {
        let mut rows: Vec<B::Row> = self.iter().collect();
        rows.sort_by(|a, b| compare(a, b));
        let mut spare = mem::take(&mut self.blocks).into_iter();
        self.blocks.reserve(spare.len());
        self.len = 0;
        let mut rows = rows.into_iter();
        while let Some(row) = rows.next() {
            if let Err(refused) = self.push_reusing(row, &mut spare) {
                let mut rest: Vec<B::Row> = Vec::with_capacity(rows.len() + 1);
                rest.push(refused.rows);
                rest.extend(rows);
                return Err(Refused {
                    error: refused.error,
                    rows: rest.into_iter(),
                });
            }
        }
        Ok(())
    }

    /// Sorts the rows by `key`, stably: [`try_sort_by`](Self::try_sort_by) comparing keys.
    ///
    /// # Errors
    ///
    /// As [`try_sort_by`](Self::try_sort_by).
    pub fn try_sort_by_key<K: Ord>(
        &mut self,
        mut key: impl FnMut(&B::Row) -> K,
    ) -> Result<(), Refused<std::vec::IntoIter<B::Row>, S::Error>> {
        self.try_sort_by(|a, b| key(a).cmp(&key(b)))
    }

    /// Appends `row`, into the last block when it fits, else into a block from `spare`, else
    /// into one from the source.
    #[inline]
    fn push_reusing(
        &mut self,
        row: B::Row,
        spare: &mut impl Iterator<Item = S::Block>,
    ) -> Result<(), Refused<B::Row, S::Error>> {
        if let Some(last) = self.blocks.last_mut() {
            let lane = last.len();
            if lane < B::LANES && last.shares_block_fields(&row) {
                last.write_lane(lane, &row);
                last.set_len(lane + 1);
                self.len += 1;
                return Ok(());
            }
        }
        let mut block = match spare.next() {
            Some(block) => block,
            None => match self.source.block() {
                Ok(block) => block,
                Err(error) => return Err(Refused { error, rows: row }),
            },
        };
        block.clear();
        block.write_lane(0, &row);
        block.set_len(1);
        self.blocks.push(block);
        self.len += 1;
        Ok(())
    }
}

impl<B: LaneBlock + Default> Default for Columns<B> {
    fn default() -> Self {
        Self::new()
    }
}

impl<B: LaneBlock + Default> FromIterator<B::Row> for Columns<B> {
    fn from_iter<I: IntoIterator<Item = B::Row>>(rows: I) -> Self {
        let mut columns = Self::new();
        columns.extend(rows);
        columns
    }
}

impl<B: LaneBlock + Default> Extend<B::Row> for Columns<B> {
    fn extend<I: IntoIterator<Item = B::Row>>(&mut self, rows: I) {
        let rows = rows.into_iter();
        self.blocks
            .reserve(rows.size_hint().0.div_ceil(B::LANES.max(1)));
        for row in rows {
            self.push(row);
        }
    }
}

impl<B: Clone, S: BlockSource<B, Block = super::Inline<B>> + Clone> Clone for Columns<B, S> {
    fn clone(&self) -> Self {
        Columns {
            blocks: self.blocks.clone(),
            source: self.source.clone(),
            len: self.len,
        }
    }
}

impl<B, S> fmt::Debug for Columns<B, S>
where
    B: LaneBlock,
    B::Row: fmt::Debug,
    S: BlockSource<B>,
{
    /// The rows, as a list.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<B, S, T> PartialEq<Columns<B, T>> for Columns<B, S>
where
    B: LaneBlock,
    B::Row: PartialEq,
    S: BlockSource<B>,
    T: BlockSource<B>,
{
    /// The same rows in the same order, however they are split into blocks.
    fn eq(&self, other: &Columns<B, T>) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}
