//! [`LaneRowsMut`]: a block's rows as mutable views, for code generic over blocks (the
//! [`Columns`](super::Columns) container's `iter_mut`).

use super::LaneBlock;

/// A block whose active rows can be changed in place through a view with one mutable
/// reference per lane field: a derived block's `iter_mut`, as a trait. `#[derive(SoA)]`
/// implements it.
pub trait LaneRowsMut: LaneBlock {
    /// One row as a view into the block (a derived block's `...RefMut<'a>`).
    type RowMut<'a>
    where
        Self: 'a;

    /// The active rows, in lane order, each as a mutable view.
    fn rows_mut(&mut self)
        -> impl ExactSizeIterator<Item = Self::RowMut<'_>> + DoubleEndedIterator;
}
