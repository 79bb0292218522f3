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
//!
//! Files, in the order a row moves through them:
//! - `block.rs`: [`LaneBlock`], the trait a derived block implements, with the row-level
//!   operations written once; [`active_mask`], the mask kernels AND their answers with.
//! - `iter.rs`: [`LaneIter`], a block's active rows by value.
//! - `error.rs`: [`LaneError`], why a block refused a row.
//! - `rows_mut.rs`: [`LaneRowsMut`], a block's rows as mutable views, for generic code.
//! - `source.rs`: [`BlockSource`], where a column of blocks gets them (the heap or a pool).
//! - `columns.rs`: [`Columns`], a growable list of rows over as many blocks as it needs.
//! - `rows_serde.rs`: serde for blocks and columns, as sequences of rows (`serde` feature).
//! - `__private.rs`: what the code written by `#[derive(SoA)]` calls (not a public API).

#[doc(hidden)]
pub mod __private;
mod block;
mod columns;
#[cfg(test)]
mod columns_tests;
mod error;
mod iter;
mod rows_mut;
#[cfg(feature = "serde")]
mod rows_serde;
mod source;
#[cfg(test)]
mod tests;

pub use block::{active_mask, LaneBlock, Leftover};
pub use columns::{Columns, Refused};
pub use error::LaneError;
pub use iter::LaneIter;
pub use rows_mut::LaneRowsMut;
pub use source::{BlockSource, Heap, Inline};
