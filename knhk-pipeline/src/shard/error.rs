//! Why a sharded run could not start or stopped ([`ShardError`]).

use std::io;
use std::path::PathBuf;

use crate::ingest::{IngestError, SyntaxErrorKind};
use crate::pipeline::PipelineError;

use super::range::{ByteRange, Part};

/// Why a part of an input could not be run.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    /// The input is compressed: a compressed stream cannot be entered at a byte offset.
    #[error("{}: a {compression} file cannot be split by byte range (its bytes can only be decompressed from the start); decompress it first, or split the dump into several files and give each worker whole files", path.display())]
    Compressed {
        /// The input.
        path: PathBuf,
        /// `gzip` or `zstd`.
        compression: &'static str,
    },
    /// The input is Turtle: a statement may span lines and use prefixes declared anywhere
    /// before it.
    #[error("{}: Turtle cannot be split by byte range (a statement may span lines, and prefixes declared earlier apply to it); convert it to N-Triples first (e.g. `serdi -o ntriples`), or split it into several files and give each worker whole files", path.display())]
    Turtle {
        /// The input.
        path: PathBuf,
    },
    /// The input is not a file (standard input or the bundled sample).
    #[error("{input}: only a file can be split by byte range (it is read at an offset); write the data to a file first")]
    NotAFile {
        /// What was given.
        input: String,
    },
    /// A `--byte-range` beyond the end of the file.
    #[error("{}: byte range {}:{} ends past the end of the file ({size} bytes)", path.display(), range.start, range.end)]
    PastEnd {
        /// The input.
        path: PathBuf,
        /// The range given.
        range: ByteRange,
        /// The file's size.
        size: u64,
    },
    /// Opening, seeking or reading the input failed.
    #[error("{}: {error}", path.display())]
    Io {
        /// The input.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// A syntax error, placed in the whole file.
    #[error("{}: byte {offset} (line {line} of {part}, which reads {read}), column {column}: {kind}", path.display())]
    Syntax {
        /// The input.
        path: PathBuf,
        /// The error's byte offset in the whole file.
        offset: u64,
        /// 1-based line within the part.
        line: u64,
        /// 1-based column in code points.
        column: u64,
        /// The part.
        part: Part,
        /// The bytes it read.
        read: ByteRange,
        /// What is wrong.
        kind: SyntaxErrorKind,
    },
    /// The input could not be opened (a directory, a missing file).
    #[error(transparent)]
    Open(#[from] IngestError),
    /// The run failed for another reason.
    #[error(transparent)]
    Pipeline(PipelineError),
}
