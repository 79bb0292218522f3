//! The keys of a line, written once: [`line_format!`] turns a line's table of keys (in the
//! order they are written, each with its encoding and where its value lives) into its writer,
//! its serde implementations and its field-by-field comparison, so a key is never listed twice.
//!
//! The encodings:
//!
//! | encoding | JSON | value |
//! |---|---|---|
//! | `Number` | number | an unsigned integer |
//! | `Measured` | number | an unsigned integer that is measured, not reproduced (`ticks`) |
//! | `Flag` | boolean | a flag |
//! | `Name` | string | a name, written unescaped (hook names need no escaping), at most 255 bytes |
//! | `Id` | string | a 64-bit id as exactly 16 lowercase hex digits |
//! | `Hash` | string | a hash as 64 lowercase hex digits |
//! | `MeasuredHash` | string | a hash of measured values (`ticks_hash`) |

use std::fmt;

use serde::de::{DeserializeSeed, Error, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::provenance::Hash256;

/// A field's value, in a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// A count or id.
    Number(u64),
    /// A flag.
    Flag(bool),
    /// A 64-bit id shown as 16 hex digits.
    Id(u64),
    /// A hash.
    Hash(Hash256),
    /// A name.
    Text(String),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(n) => write!(f, "{n}"),
            Value::Flag(b) => write!(f, "{b}"),
            Value::Id(id) => write!(f, "{id:016x}"),
            Value::Hash(hash) => write!(f, "{}", hex(hash)),
            Value::Text(text) => write!(f, "{text:?}"),
        }
    }
}

/// The first field in which two lines differ: its key, the expected value and the found one.
pub(crate) type Difference = (&'static str, Value, Value);

/// Lowercase hex of a hash, on the stack.
#[inline]
pub(crate) fn hex(hash: &Hash256) -> impl fmt::Display {
    blake3::Hash::from_bytes(*hash).to_hex()
}

/// A hash as 64 lowercase hex digits.
pub(crate) struct HexHash(pub Hash256);

impl Serialize for HexHash {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&blake3::Hash::from_bytes(self.0).to_hex())
    }
}

impl<'de> Deserialize<'de> for HexHash {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        blake3::Hash::from_hex(&*text)
            .map(|hash| HexHash(*hash.as_bytes()))
            .map_err(|_| D::Error::custom("expected a hash: 64 hex digits"))
    }
}

/// A 64-bit id as exactly 16 lowercase hex digits.
pub(crate) struct HexId(pub u64);

impl Serialize for HexId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{:016x}", self.0))
    }
}

impl<'de> Deserialize<'de> for HexId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(d)?;
        if text.len() != 16 {
            return Err(D::Error::custom("expected a span id: 16 hex digits"));
        }
        u64::from_str_radix(&text, 16)
            .map(HexId)
            .map_err(|_| D::Error::custom("expected a span id: 16 hex digits"))
    }
}

/// A name of at most [`MAX_HOOK_NAME_BYTES`](crate::hooks::MAX_HOOK_NAME_BYTES) bytes: a
/// leaf hash covers no more, so a longer one is refused rather than partly checked.
pub(crate) struct ShortName(pub String);

impl<'de> Deserialize<'de> for ShortName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        if text.len() > crate::hooks::MAX_HOOK_NAME_BYTES {
            return Err(D::Error::custom(format_args!(
                "a name of {} bytes; names are at most {} bytes",
                text.len(),
                crate::hooks::MAX_HOOK_NAME_BYTES
            )));
        }
        Ok(ShortName(text))
    }
}

/// Lists of hashes, each as 64 lowercase hex digits (`#[serde(with = "hex_hashes")]`).
pub(crate) mod hex_hashes {
    use serde::ser::SerializeSeq;
    use serde::{Deserialize, Deserializer, Serializer};

    use super::HexHash;
    use crate::provenance::Hash256;

    pub fn serialize<S: Serializer>(hashes: &[Hash256], s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(hashes.len()))?;
        for hash in hashes {
            seq.serialize_element(&HexHash(*hash))?;
        }
        seq.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Hash256>, D::Error> {
        Ok(Vec::<HexHash>::deserialize(d)?
            .into_iter()
            .map(|hash| hash.0)
            .collect())
    }
}

/// A line's key, read as the one of `keys` it is (an unknown key is an error, naming them).
pub(crate) struct Key(pub &'static [&'static str]);

impl<'de> DeserializeSeed<'de> for Key {
    type Value = &'static str;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<&'static str, D::Error> {
        d.deserialize_identifier(self)
    }
}

impl Visitor<'_> for Key {
    type Value = &'static str;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: Error>(self, key: &str) -> Result<&'static str, E> {
        self.0
            .iter()
            .find(|known| **known == key)
            .copied()
            .ok_or_else(|| E::unknown_field(key, self.0))
    }
}

/// Defines a line from its table of keys, in the order they are written:
///
/// ```text
/// line_format! {
///     Record as "expecting", view: View<'_> = |record| record.view();
///     key: Encoding = path.to.field,
///     ...
/// }
/// ```
///
/// `Record` (owned, `Default`) is what a line is read into, `View` what is written and
/// compared, both with the same field paths; `record.view()` turns one into the other. It
/// generates `Record::KEYS`, `Record::write_view` (the allocation-free writer: one `writeln!`
/// whose format string is built at compile time), `Record::first_difference` (numbers first,
/// then flags, names, ids and hashes, measured fields aside), and `Serialize` and
/// `Deserialize` for `Record` that behave as serde's derive with `deny_unknown_fields` would.
macro_rules! line_format {
    (
        $record:ident as $expecting:literal, view: $view:ty = |$from:ident| $to_view:expr;
        $key0:ident : $enc0:ident = $($path0:ident).+
        $(, $key:ident : $enc:ident = $($path:ident).+)* $(,)?
    ) => {
        impl $record {
            /// The line's keys, in the order they are written.
            pub const KEYS: &'static [&'static str] = &[stringify!($key0) $(, stringify!($key))*];

            /// Writes `view` as one JSON object on one line; allocates nothing.
            #[inline]
            pub(crate) fn write_view<W: ::std::io::Write + ?Sized>(
                out: &mut W,
                view: &$view,
            ) -> ::std::io::Result<()> {
                writeln!(
                    out,
                    concat!(
                        "{{\"", stringify!($key0), "\":", line_format!(@piece $enc0)
                        $(, ",\"", stringify!($key), "\":", line_format!(@piece $enc))*,
                        "}}"
                    ),
                    line_format!(@arg $enc0, view.$($path0).+)
                    $(, line_format!(@arg $enc, view.$($path).+))*
                )
            }

            /// The first field, measured ones aside, in which `found` differs from
            /// `expected`: numbers first, then flags, names, ids and hashes, each kind in
            /// the order of the keys.
            pub(crate) fn first_difference(
                expected: &$view,
                found: &$view,
            ) -> Option<$crate::provenance::receipts_file::fields::Difference> {
                let mut first: Option<(u8, $crate::provenance::receipts_file::fields::Difference)> = None;
                line_format!(@compare first, expected, found, $key0, $enc0, $($path0).+);
                $(line_format!(@compare first, expected, found, $key, $enc, $($path).+);)*
                first.map(|(_, difference)| difference)
            }
        }

        impl ::serde::Serialize for $record {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeStruct;
                let $from = self;
                let view: $view = $to_view;
                let mut out = s.serialize_struct(stringify!($record), Self::KEYS.len())?;
                out.serialize_field(stringify!($key0), &line_format!(@ser $enc0, view.$($path0).+))?;
                $(out.serialize_field(stringify!($key), &line_format!(@ser $enc, view.$($path).+))?;)*
                out.end()
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $record {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct LineVisitor;

                impl<'de> ::serde::de::Visitor<'de> for LineVisitor {
                    type Value = $record;

                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        f.write_str($expecting)
                    }

                    fn visit_seq<A: ::serde::de::SeqAccess<'de>>(
                        self,
                        mut seq: A,
                    ) -> Result<$record, A::Error> {
                        let mut record = <$record>::default();
                        let mut at = 0;
                        let length = format!("{} with {} elements", $expecting, $record::KEYS.len());
                        line_format!(@element seq, record, at, length, $enc0, $($path0).+);
                        $(line_format!(@element seq, record, at, length, $enc, $($path).+);)*
                        let _ = at;
                        Ok(record)
                    }

                    fn visit_map<A: ::serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$record, A::Error> {
                        use ::serde::de::Error;
                        let mut record = <$record>::default();
                        let mut $key0 = false;
                        $(let mut $key = false;)*
                        while let Some(key) = map.next_key_seed(
                            $crate::provenance::receipts_file::fields::Key($record::KEYS),
                        )? {
                            match key {
                                stringify!($key0) => line_format!(@entry map, record, $key0, $enc0, $($path0).+),
                                $(stringify!($key) => line_format!(@entry map, record, $key, $enc, $($path).+),)*
                                _ => unreachable!("Key only returns known keys"),
                            }
                        }
                        if !$key0 {
                            return Err(A::Error::missing_field(stringify!($key0)));
                        }
                        $(if !$key {
                            return Err(A::Error::missing_field(stringify!($key)));
                        })*
                        Ok(record)
                    }
                }

                d.deserialize_struct(stringify!($record), $record::KEYS, LineVisitor)
            }
        }
    };

    (@piece Number) => { "{}" };
    (@piece Measured) => { "{}" };
    (@piece Flag) => { "{}" };
    (@piece Name) => { "\"{}\"" };
    (@piece Id) => { "\"{:016x}\"" };
    (@piece Hash) => { "\"{}\"" };
    (@piece MeasuredHash) => { "\"{}\"" };

    // One hex string for a hash: a `{:02x}` per byte cost more than the rest of the line.
    (@arg Hash, $value:expr) => { $crate::provenance::receipts_file::fields::hex(&$value) };
    (@arg MeasuredHash, $value:expr) => { $crate::provenance::receipts_file::fields::hex(&$value) };
    (@arg $enc:ident, $value:expr) => { $value };

    (@ser Id, $value:expr) => { $crate::provenance::receipts_file::fields::HexId($value) };
    (@ser Hash, $value:expr) => { $crate::provenance::receipts_file::fields::HexHash($value) };
    (@ser MeasuredHash, $value:expr) => { $crate::provenance::receipts_file::fields::HexHash($value) };
    (@ser $enc:ident, $value:expr) => { $value };

    (@next_value $map:ident, Id) => {
        $map.next_value::<$crate::provenance::receipts_file::fields::HexId>().map(|v| v.0)
    };
    (@next_value $map:ident, Hash) => {
        $map.next_value::<$crate::provenance::receipts_file::fields::HexHash>().map(|v| v.0)
    };
    (@next_value $map:ident, MeasuredHash) => { line_format!(@next_value $map, Hash) };
    (@next_value $map:ident, Name) => {
        $map.next_value::<$crate::provenance::receipts_file::fields::ShortName>().map(|v| v.0)
    };
    (@next_value $map:ident, $enc:ident) => { $map.next_value() };

    (@next_element $seq:ident, Id) => {
        $seq.next_element::<$crate::provenance::receipts_file::fields::HexId>().map(|v| v.map(|v| v.0))
    };
    (@next_element $seq:ident, Hash) => {
        $seq.next_element::<$crate::provenance::receipts_file::fields::HexHash>().map(|v| v.map(|v| v.0))
    };
    (@next_element $seq:ident, MeasuredHash) => { line_format!(@next_element $seq, Hash) };
    (@next_element $seq:ident, Name) => {
        $seq.next_element::<$crate::provenance::receipts_file::fields::ShortName>().map(|v| v.map(|v| v.0))
    };
    (@next_element $seq:ident, $enc:ident) => { $seq.next_element() };

    (@element $seq:ident, $record:ident, $at:ident, $expected:ident, $enc:ident, $($path:ident).+) => {
        match line_format!(@next_element $seq, $enc)? {
            Some(value) => $record.$($path).+ = value,
            None => {
                return Err(::serde::de::Error::invalid_length($at, &$expected.as_str()));
            }
        }
        $at += 1;
    };

    (@entry $map:ident, $record:ident, $seen:ident, $enc:ident, $($path:ident).+) => {{
        if $seen {
            return Err(A::Error::duplicate_field(stringify!($seen)));
        }
        $record.$($path).+ = line_format!(@next_value $map, $enc)?;
        $seen = true;
    }};

    (@rank Number) => { 0u8 };
    (@rank Flag) => { 1u8 };
    (@rank Name) => { 2u8 };
    (@rank Id) => { 3u8 };
    (@rank Hash) => { 4u8 };

    (@value Number, $value:expr) => { $crate::provenance::receipts_file::fields::Value::Number(u64::from($value)) };
    (@value Flag, $value:expr) => { $crate::provenance::receipts_file::fields::Value::Flag($value) };
    (@value Name, $value:expr) => { $crate::provenance::receipts_file::fields::Value::Text($value.to_owned()) };
    (@value Id, $value:expr) => { $crate::provenance::receipts_file::fields::Value::Id($value) };
    (@value Hash, $value:expr) => { $crate::provenance::receipts_file::fields::Value::Hash($value) };

    // Measured fields (`ticks`, `ticks_hash`) are not provenance: never compared.
    (@compare $first:ident, $expected:ident, $found:ident, $key:ident, Measured, $($path:ident).+) => {};
    (@compare $first:ident, $expected:ident, $found:ident, $key:ident, MeasuredHash, $($path:ident).+) => {};
    (@compare $first:ident, $expected:ident, $found:ident, $key:ident, $enc:ident, $($path:ident).+) => {
        let rank = line_format!(@rank $enc);
        if $expected.$($path).+ != $found.$($path).+
            && $first.as_ref().is_none_or(|(first, _)| rank < *first)
        {
            $first = Some((
                rank,
                (
                    stringify!($key),
                    line_format!(@value $enc, $expected.$($path).+),
                    line_format!(@value $enc, $found.$($path).+),
                ),
            ));
        }
    };
}

pub(crate) use line_format;
