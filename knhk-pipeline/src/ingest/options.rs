//! What a read is told: the input's format, its base IRI, what to do with bad statements, the
//! size limits and the threads.

use std::path::Path;

use super::source::Compression;

/// An RDF syntax the reader understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// N-Triples 1.1 (`.nt`), read by this crate's own scanner.
    NTriples,
    /// Turtle 1.1 (`.ttl`), read by this crate's fast path with oxttl for the rest.
    Turtle,
}

impl Format {
    /// The format named by a file extension, in any letter case: `.nt` or `.ntriples`,
    /// `.ttl` or `.turtle`, optionally followed by a compression extension (`.nt.gz`,
    /// `.ttl.zst`; see [`Compression`]).
    pub fn from_path(path: &Path) -> Option<Format> {
        let path = Compression::from_path(path).strip(path);
        let extension = path.extension()?.to_str()?;
        if ["nt", "ntriples"]
            .iter()
            .any(|e| extension.eq_ignore_ascii_case(e))
        {
            Some(Format::NTriples)
        } else if ["ttl", "turtle"]
            .iter()
            .any(|e| extension.eq_ignore_ascii_case(e))
        {
            Some(Format::Turtle)
        } else {
            None
        }
    }
}

/// How to read: base IRI, what to do with bad statements, and the size limits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IngestOptions {
    /// Base IRI for relative IRIs in Turtle. N-Triples has only absolute IRIs and ignores it.
    /// [`TripleReader::open`](crate::ingest::TripleReader::open) and [`TripleReader::open_as`](crate::ingest::TripleReader::open_as) default it to the file's own
    /// `file://` URI (see [`file_uri`](crate::ingest::file_uri)), as RDF tools do; a reader built with
    /// [`TripleReader::new`](crate::ingest::TripleReader::new) (standard input, a buffer) has no default, and a relative IRI
    /// there is an error.
    pub base_iri: Option<String>,
    /// Count and skip a malformed statement instead of stopping at it. N-Triples skips the
    /// rest of the bad line and resumes on the next one; Turtle resumes at the first later
    /// line start inside the broken statement from which the rest of it parses cleanly, else
    /// after the `.` that ends it.
    pub skip_invalid: bool,
    /// Longest N-Triples line accepted, in bytes. The line buffer grows (doubling) up to this
    /// size; a longer line is a [`NTriplesError::LineTooLong`](crate::ingest::NTriplesError::LineTooLong) error rather than unbounded
    /// memory use.
    pub max_line_bytes: usize,
    /// Longest Turtle statement accepted, in bytes: the Turtle reader holds one statement
    /// (from its first token to the `.` that ends it) in memory at a time, so this also
    /// bounds the longest token. A longer one is a [`TurtleError::StatementTooLong`](crate::ingest::TurtleError::StatementTooLong) error.
    pub max_statement_bytes: usize,
    /// Threads that read N-Triples, the caller's included.
    /// [`TripleReader::try_for_each_prepared_triple`](crate::ingest::TripleReader::try_for_each_prepared_triple) cuts the input into chunks at line
    /// ends; with more than 1, `threads - 1` workers parse them (and run the `prepare` step,
    /// e.g. hashing for the dictionary), and the calling thread reads the input and takes the
    /// parsed chunks back strictly in input order, so the triples, errors and line numbers it
    /// hands out are exactly those of a single-threaded read. 1 (the default) spawns no
    /// thread: the calling thread parses each chunk itself, with the same code. Turtle is
    /// always read on one thread. The `knhk run` CLI defaults to
    /// [`IngestOptions::available_threads`](crate::ingest::IngestOptions::available_threads).
    pub threads: usize,
    /// Bytes read into one chunk by [`TripleReader::try_for_each_prepared_triple`](crate::ingest::TripleReader::try_for_each_prepared_triple) (a chunk
    /// ends at its last line break, so it holds whole lines; a longer line grows it up to
    /// `max_line_bytes`). Memory stays bounded whatever the input: at most
    /// `2 * threads + 2` chunks exist with worker threads, one without.
    pub chunk_bytes: usize,
}

impl IngestOptions {
    /// Default for [`IngestOptions::max_line_bytes`](crate::ingest::IngestOptions::max_line_bytes): 256 MiB.
    pub const DEFAULT_MAX_LINE_BYTES: usize = 256 << 20;
    /// Default for [`IngestOptions::max_statement_bytes`](crate::ingest::IngestOptions::max_statement_bytes): 256 MiB.
    pub const DEFAULT_MAX_STATEMENT_BYTES: usize = 256 << 20;
    /// Default for [`IngestOptions::chunk_bytes`](crate::ingest::IngestOptions::chunk_bytes): 256 KiB, a few thousand lines.
    pub const DEFAULT_CHUNK_BYTES: usize = 256 << 10;

    /// The threads this machine can run at once (`std::thread::available_parallelism`,
    /// 1 when unknown): the CLI's default for [`IngestOptions::threads`](crate::ingest::IngestOptions::threads).
    pub fn available_threads() -> usize {
        std::thread::available_parallelism().map_or(1, usize::from)
    }
}

impl Default for IngestOptions {
    fn default() -> Self {
        Self {
            base_iri: None,
            skip_invalid: false,
            max_line_bytes: Self::DEFAULT_MAX_LINE_BYTES,
            max_statement_bytes: Self::DEFAULT_MAX_STATEMENT_BYTES,
            threads: 1,
            chunk_bytes: Self::DEFAULT_CHUNK_BYTES,
        }
    }
}
