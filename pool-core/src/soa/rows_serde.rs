//! serde for lane blocks and [`Columns`]: both are written as a sequence of their rows (inactive
//! lanes never appear), and read back from one. Only with the `serde` feature.

use core::fmt;
use core::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};

use super::{BlockSource, Columns, LaneBlock, LaneError};

impl<B, S> Serialize for Columns<B, S>
where
    B: LaneBlock,
    B::Row: Serialize,
    S: BlockSource<B>,
{
    /// The rows, in order, as one sequence.
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de, B> Deserialize<'de> for Columns<B>
where
    B: LaneBlock + Default,
    B::Row: Deserialize<'de>,
{
    /// A sequence of rows, any length.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Rows<B>(PhantomData<B>);
        impl<'de, B> Visitor<'de> for Rows<B>
        where
            B: LaneBlock + Default,
            B::Row: Deserialize<'de>,
        {
            type Value = Columns<B>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a sequence of rows")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Columns<B>, A::Error> {
                let mut columns = Columns::new();
                while let Some(row) = seq.next_element()? {
                    columns.push(row);
                }
                Ok(columns)
            }
        }
        deserializer.deserialize_seq(Rows(PhantomData))
    }
}

/// The body of a derived block's `Deserialize`: a sequence of at most `LANES` rows that share
/// the per-block fields; a longer or mixed sequence is an error naming the row.
pub fn deserialize_block<'de, B, D>(deserializer: D) -> Result<B, D::Error>
where
    B: LaneBlock + Default,
    B::Row: Deserialize<'de>,
    D: Deserializer<'de>,
{
    struct Rows<B>(PhantomData<B>);
    impl<'de, B> Visitor<'de> for Rows<B>
    where
        B: LaneBlock + Default,
        B::Row: Deserialize<'de>,
    {
        type Value = B;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a sequence of at most {} rows", B::LANES)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<B, A::Error> {
            let mut block = B::default();
            while let Some(row) = seq.next_element()? {
                let index = block.len();
                match block.push(row) {
                    Ok(()) => {}
                    Err(LaneError::Full { lanes }) => {
                        return Err(de::Error::invalid_length(lanes + 1, &self));
                    }
                    Err(error) => {
                        return Err(de::Error::custom(format_args!("row {index}: {error}")));
                    }
                }
            }
            Ok(block)
        }
    }
    deserializer.deserialize_seq(Rows(PhantomData))
}
