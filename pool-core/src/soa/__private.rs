//! What the code written by `#[derive(SoA)]` calls. Not a public API: it may change in any
//! release. Generated code reaches it as `<crate>::__private`, so a renamed facade still works.

use core::fmt;

pub use crate::{
    Columns, Guard, Heap, LaneBlock, LaneError, LaneIter, LaneRowsMut, Lanes, Leftover, OwnedGuard,
    Pool, Reset, SyncGuard, SyncPool,
};

#[cfg(feature = "serde")]
pub use serde;

#[cfg(feature = "serde")]
pub use super::rows_serde::deserialize_block;

pub use crate::slot::BuildInPlace;

/// Implements [`BuildInPlace`] for a derived block: see `slot.rs`.
pub use crate::__soa_build_in_place as soa_build_in_place;

/// Emits a block's `serde::Serialize` and `serde::Deserialize` impls when lanepool's `serde`
/// feature is on, and nothing otherwise, so the derive's output need not know which features
/// are enabled.
pub use crate::__soa_serde as soa_serde;

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
    align == expected && size.is_multiple_of(expected)
}

/// See `__private::soa_serde`. `impl_de` is the block's generics with `de` (the deserializer's
/// lifetime, named by the derive so that it cannot clash with the struct's own) put first.
#[cfg(feature = "serde")]
#[doc(hidden)]
#[macro_export]
macro_rules! __soa_serde {
    (
        impl [$($generics:tt)*] impl_de [$($de_generics:tt)*] de [$de:lifetime]
        for [$($block:tt)*] row [$($row:tt)*] where [$($bounds:tt)*]
    ) => {
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

        #[automatically_derived]
        impl $($de_generics)* $crate::__private::serde::Deserialize<$de> for $($block)*
        where
            $($bounds)*
            for<'__soa> $($row)*: $crate::__private::serde::Deserialize<$de>,
        {
            /// A sequence of at most `LANES` rows that share the per-block fields; longer or
            /// mixed input is an error that names the row.
            fn deserialize<__D>(__deserializer: __D) -> ::core::result::Result<Self, __D::Error>
            where
                __D: $crate::__private::serde::Deserializer<$de>,
            {
                $crate::__private::deserialize_block(__deserializer)
            }
        }
    };
}

/// See `__private::soa_serde`: without the `serde` feature, no impl.
#[cfg(not(feature = "serde"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __soa_serde {
    ($($tokens:tt)*) => {};
}
