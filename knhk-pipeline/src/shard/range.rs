//! The range rule: which lines of an N-Triples file a shard owns.
//!
//! A shard owns a byte range `[start, end)` of the file ([`Part::owned`]: `--shard i/n` cuts
//! the file at `⌊size × i / n⌋`; `--byte-range START:END` is given by an engine that computes
//! its own splits). It reads exactly the lines that *start* inside that range: it begins at
//! the first line start at or after `start` (0, or the byte after a `\n`) and ends at the
//! first line start at or after `end`, so it finishes the line that crosses `end`
//! ([`read_range`]). Two neighbouring shards compute the same line start at their shared
//! boundary, so the shards of any split tile the file: every line is read by exactly one
//! shard, whatever the line lengths (a line longer than a range is read whole by the shard
//! where it starts; a range that holds no line start reads nothing), with or without a final
//! newline, and with CRLF line ends (the `\r` belongs to its line).

use std::fmt;
use std::io::{self, Read, Seek, SeekFrom};
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A half-open byte range `[start, end)` of a file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ByteRange {
    /// The first byte.
    pub start: u64,
    /// One past the last byte.
    pub end: u64,
}

impl ByteRange {
    /// Bytes in the range.
    pub fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the range holds no byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl fmt::Display for ByteRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bytes {}..{}", self.start, self.end)
    }
}

/// Shard `index` of `count` (`--shard i/n`, 0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardIndex {
    /// Which shard, from 0.
    pub index: u32,
    /// How many shards.
    pub count: u32,
}

impl ShardIndex {
    /// The byte range shard `index` of `count` owns in a file of `size` bytes:
    /// `[⌊size × index / count⌋, ⌊size × (index + 1) / count⌋)`.
    pub fn owned(&self, size: u64) -> ByteRange {
        let cut =
            |i: u32| (u128::from(size) * u128::from(i) / u128::from(self.count.max(1))) as u64;
        ByteRange {
            start: cut(self.index),
            end: cut(self.index + 1),
        }
    }
}

impl fmt::Display for ShardIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// Why `--shard` or `--byte-range` could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PartSyntaxError {
    /// Not `I/N` with two unsigned integers.
    #[error("expected I/N: the shard's index from 0 and the number of shards, e.g. 3/16")]
    NotAShard,
    /// `N` is 0 or `I` is not below it.
    #[error("shard {index}/{count}: the index must be below the number of shards (0 to {})", count.saturating_sub(1))]
    IndexOutOfRange {
        /// The index given.
        index: u32,
        /// The count given.
        count: u32,
    },
    /// Not `START:END` with two unsigned integers.
    #[error("expected START:END: byte offsets, e.g. 0:134217728")]
    NotARange,
    /// `END` is below `START`.
    #[error("byte range {start}:{end} ends before it starts")]
    Reversed {
        /// The start given.
        start: u64,
        /// The end given.
        end: u64,
    },
}

impl FromStr for ShardIndex {
    type Err = PartSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (index, count) = text.split_once('/').ok_or(PartSyntaxError::NotAShard)?;
        let number = |s: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| PartSyntaxError::NotAShard)
        };
        let (index, count) = (number(index)?, number(count)?);
        if index >= count {
            return Err(PartSyntaxError::IndexOutOfRange { index, count });
        }
        Ok(ShardIndex { index, count })
    }
}

impl FromStr for ByteRange {
    type Err = PartSyntaxError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (start, end) = text.split_once(':').ok_or(PartSyntaxError::NotARange)?;
        let number = |s: &str| {
            s.trim()
                .parse::<u64>()
                .map_err(|_| PartSyntaxError::NotARange)
        };
        let (start, end) = (number(start)?, number(end)?);
        if end < start {
            return Err(PartSyntaxError::Reversed { start, end });
        }
        Ok(ByteRange { start, end })
    }
}

/// Which part of the input a run owns.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// Shard `i` of `n` (`--shard i/n`): the range follows from the file's size.
    Shard(ShardIndex),
    /// A byte range computed elsewhere (`--byte-range START:END`).
    Range(ByteRange),
}

impl Part {
    /// The whole input, as shard 0 of 1.
    pub const WHOLE: Part = Part::Shard(ShardIndex { index: 0, count: 1 });

    /// The byte range this part owns in a file of `size` bytes (a given range as it is).
    pub fn owned(&self, size: u64) -> ByteRange {
        match self {
            Part::Shard(shard) => shard.owned(size),
            Part::Range(range) => *range,
        }
    }

    /// The shard index, when the part is one.
    pub fn shard(&self) -> Option<ShardIndex> {
        match self {
            Part::Shard(shard) => Some(*shard),
            Part::Range(_) => None,
        }
    }
}

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Part::Shard(shard) => write!(f, "shard {shard}"),
            Part::Range(range) => write!(f, "byte range {}:{}", range.start, range.end),
        }
    }
}

/// The first line start at or after `at` in a file of `size` bytes: 0, the byte after a
/// `\n`, or `size` when no line starts at or after `at`.
///
/// # Errors
///
/// Seeking or reading failed.
pub fn line_start_at_or_after<F: Read + Seek>(file: &mut F, at: u64, size: u64) -> io::Result<u64> {
    if at == 0 {
        return Ok(0);
    }
    if at >= size {
        return Ok(size);
    }
    // A line starts at `at` exactly when the byte before it ends a line: look from there.
    file.seek(SeekFrom::Start(at - 1))?;
    let mut buffer = [0u8; 8192];
    let mut position = at - 1;
    loop {
        let read = match file.read(&mut buffer) {
            Ok(0) => return Ok(size),
            Ok(read) => read,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if let Some(newline) = memchr::memchr(b'\n', &buffer[..read]) {
            return Ok((position + newline as u64 + 1).min(size));
        }
        position += read as u64;
    }
}

/// The bytes a run that owns `owned` reads in a file of `size` bytes: from the first line
/// start at or after `owned.start` to the first line start at or after `owned.end` (see the
/// [module docs](self)).
///
/// # Errors
///
/// Seeking or reading failed.
pub fn read_range<F: Read + Seek>(
    file: &mut F,
    owned: ByteRange,
    size: u64,
) -> io::Result<ByteRange> {
    let start = line_start_at_or_after(file, owned.start, size)?;
    let end = line_start_at_or_after(file, owned.end.max(owned.start), size)?;
    Ok(ByteRange {
        start,
        end: end.max(start),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shard_and_range_syntax_are_checked() {
        assert_eq!(
            "3/16".parse::<ShardIndex>(),
            Ok(ShardIndex {
                index: 3,
                count: 16
            })
        );
        assert_eq!(
            "16/16".parse::<ShardIndex>(),
            Err(PartSyntaxError::IndexOutOfRange {
                index: 16,
                count: 16
            })
        );
        assert!("0/0".parse::<ShardIndex>().is_err());
        assert_eq!("3".parse::<ShardIndex>(), Err(PartSyntaxError::NotAShard));
        assert_eq!(
            "10:20".parse::<ByteRange>(),
            Ok(ByteRange { start: 10, end: 20 })
        );
        assert_eq!(
            "20:10".parse::<ByteRange>(),
            Err(PartSyntaxError::Reversed { start: 20, end: 10 })
        );
    }

    #[test]
    fn owned_ranges_of_a_split_tile_the_file() {
        for size in [0u64, 1, 7, 100, u64::MAX] {
            for count in 1..=64 {
                let mut end = 0;
                for index in 0..count {
                    let owned = ShardIndex { index, count }.owned(size);
                    assert_eq!(owned.start, end);
                    end = owned.end;
                }
                assert_eq!(end, size);
            }
        }
    }
}
