//! Ingest: stream RDF triples out of N-Triples or Turtle as borrowed [`Term`]s.
//!
//! The first stage of the pipeline. A [`TripleReader`] reads from any [`Read`] (a [`BufRead`]
//! works too: it is read in large blocks) or from a file, and hands each triple to a callback
//! as a [`Triple`] that borrows the reader's buffers, so the hot loop allocates nothing per
//! triple: the callback copies what it keeps (the dictionary does, once per distinct term).
//!
//! - **N-Triples** goes through this crate's own byte-level scanner (`ingest/ntriples`): the full
//!   N-Triples 1.1 grammar, absolute IRIs only, escapes decoded into a reused buffer only when
//!   a backslash is present.
//!   [`TripleReader::try_for_each_prepared_triple`] parses it in chunks cut at line ends
//!   (with [`IngestOptions::threads`] above 1, on worker threads) and hands the triples out
//!   in input order on the calling thread: the same triples, errors and line numbers as the
//!   line-by-line [`TripleReader::try_for_each_triple`] (the design is in
//!   `ingest/ntriples/parallel.rs`).
//! - **Turtle** is cut into statements by our own statement splitter (`ingest/turtle`), which
//!   recovers from an error at the next statement. A fast path of our own parses the common
//!   statements (IRIs, prefixed names, literals, `;` and `,` lists, blank nodes); directives,
//!   collections and anything it declines go to `oxttl`'s low-level parser, with the same
//!   triples, labels and errors either way. Relative IRIs resolve against
//!   [`IngestOptions::base_iri`] (by default, for a file, the file's own `file://` URI).
//!
//! Inputs as found in the wild ([`TripleReader::open`]): `.nt`/`.ntriples` and `.ttl`/`.turtle`,
//! optionally `.gz` or `.zst` ([`Compression`], decompressed as a stream, so line and column
//! are those of the decompressed text); a UTF-8 byte-order mark at the start is skipped; a
//! directory is [`IngestError::IsDirectory`]. [`ReadAhead`] moves the reading (and the
//! decompression) of any `Send` input to a thread of its own: `knhk run` uses it with more
//! than one thread.
//!
//! Bad input never panics: it becomes an [`IngestError`] that names the source, the 1-based
//! line and the 1-based column, **counted in Unicode code points** (as oxttl counts them, so
//! both formats report the same way), and says what is wrong. With
//! [`IngestOptions::skip_invalid`] the reader instead counts the bad statement in
//! [`IngestReport::skipped`], keeps the first error in [`IngestReport::first_error`], passes
//! every one to the `on_skipped` callback, and goes on.
//!
//! # Files, in the order data flows
//! - `source.rs`: opening a file, decompression, the byte-order mark.
//! - `zstd_frames.rs`: every frame of a `.zst`, checksums checked.
//! - `read_ahead.rs`: reading (and decompressing) on a thread of its own.
//! - `scan.rs`: the byte scans both grammars use to find the end of a run of plain bytes.
//! - `ntriples/`: the N-Triples read loop and grammar, line at a time or in chunks.
//! - `turtle/`: the Turtle statement splitter, fast path and oxttl driver.
//! - `term.rs`: the borrowed [`Term`]s and [`Triple`]s both hand out.
//! - `reader.rs`: the [`TripleReader`] that picks the format and runs the read loop.
//! - `options.rs`, `report.rs`, `error.rs`: what a read is told, what it saw, what went wrong.
//!
//! [`BufRead`]: std::io::BufRead
//! [`Read`]: std::io::Read

mod error;
mod ntriples;
mod options;
mod read_ahead;
mod reader;
mod report;
mod scan;
mod source;
mod term;
mod turtle;
mod zstd_frames;

pub use error::{IngestError, SyntaxErrorKind, TurtleError};
pub(crate) use ntriples::{parse_term, TermPosition};
pub use ntriples::{Found, MarkRepeats, NTriplesError, ParsedTriple, Repeat};
pub use options::{Format, IngestOptions};
pub use read_ahead::ReadAhead;
pub use reader::TripleReader;
pub(crate) use report::handle_invalid;
pub use report::IngestReport;
pub use source::{file_uri, open_file, Compression};
pub use term::{
    Literal, Term, Triple, RDF_LANG_STRING, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER,
    XSD_STRING,
};
pub use zstd_frames::ZstdError;
// Not part of the reading API: the Turtle tests compare the fast path against oxttl alone
// and count the statements each took, which needs this switch from outside the crate.
#[doc(hidden)]
pub use turtle::{read_with_stats, FastPathMode, TurtleStats};
