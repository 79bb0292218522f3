//! Why a lane block refused a row.

#[cfg(doc)]
use super::LaneBlock;

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
