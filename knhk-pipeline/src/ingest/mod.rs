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
//! - `read_ahead.rs`: reading (and decompressing) on a thread of its own.
//! - `scan.rs`: the byte scans both grammars use to find the end of a run of plain bytes.
//! - `ntriples/`: the N-Triples read loop and grammar, line at a time or in chunks.
//! - `turtle/`: the Turtle statement splitter, fast path and oxttl driver.
//! - `term.rs`: the borrowed [`Term`]s and [`Triple`]s both hand out.
//! - this file: the [`TripleReader`] that picks the format, its options, report and errors.
//!
//! [`BufRead`]: std::io::BufRead

mod ntriples;
mod read_ahead;
mod scan;
mod source;
mod term;
mod turtle;

use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub(crate) use ntriples::{parse_term, TermPosition};
pub use ntriples::{Found, NTriplesError};
pub use read_ahead::ReadAhead;
pub use source::{file_uri, open_file, Compression};
pub use term::{
    Literal, Term, Triple, RDF_LANG_STRING, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER,
    XSD_STRING,
};
// Not part of the reading API: the Turtle tests compare the fast path against oxttl alone
// and count the statements each took, which needs this switch from outside the crate.
#[doc(hidden)]
pub use turtle::{read_with_stats, FastPathMode, TurtleStats};

/// An RDF syntax the reader understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// N-Triples 1.1 (`.nt`), read by this crate's own scanner.
    NTriples,
    /// Turtle 1.1 (`.ttl`), read by oxttl.
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
    /// [`TripleReader::open`] and [`TripleReader::open_as`] default it to the file's own
    /// `file://` URI (see [`file_uri`]), as RDF tools do; a reader built with
    /// [`TripleReader::new`] (standard input, a buffer) has no default, and a relative IRI
    /// there is an error.
    pub base_iri: Option<String>,
    /// Count and skip a malformed statement instead of stopping at it. N-Triples skips the
    /// rest of the bad line and resumes on the next one; Turtle resumes at the first later
    /// line start inside the broken statement from which the rest of it parses cleanly, else
    /// after the `.` that ends it.
    pub skip_invalid: bool,
    /// Longest N-Triples line accepted, in bytes. The line buffer grows (doubling) up to this
    /// size; a longer line is a [`NTriplesError::LineTooLong`] error rather than unbounded
    /// memory use.
    pub max_line_bytes: usize,
    /// Longest Turtle statement accepted, in bytes: the Turtle reader holds one statement
    /// (from its first token to the `.` that ends it) in memory at a time, so this also
    /// bounds the longest token. A longer one is a [`TurtleError::StatementTooLong`] error.
    pub max_statement_bytes: usize,
    /// Threads that read N-Triples, the caller's included.
    /// [`TripleReader::try_for_each_prepared_triple`] cuts the input into chunks at line
    /// ends; with more than 1, `threads - 1` workers parse them (and run the `prepare` step,
    /// e.g. hashing for the dictionary), and the calling thread reads the input and takes the
    /// parsed chunks back strictly in input order, so the triples, errors and line numbers it
    /// hands out are exactly those of a single-threaded read. 1 (the default) spawns no
    /// thread: the calling thread parses each chunk itself, with the same code. Turtle is
    /// always read on one thread. The `knhk run` CLI defaults to
    /// [`IngestOptions::available_threads`].
    pub threads: usize,
    /// Bytes read into one chunk by [`TripleReader::try_for_each_prepared_triple`] (a chunk
    /// ends at its last line break, so it holds whole lines; a longer line grows it up to
    /// `max_line_bytes`). Memory stays bounded whatever the input: at most
    /// `2 * threads + 2` chunks exist with worker threads, one without.
    pub chunk_bytes: usize,
}

impl IngestOptions {
    /// Default for [`IngestOptions::max_line_bytes`]: 256 MiB.
    pub const DEFAULT_MAX_LINE_BYTES: usize = 256 << 20;
    /// Default for [`IngestOptions::max_statement_bytes`]: 256 MiB.
    pub const DEFAULT_MAX_STATEMENT_BYTES: usize = 256 << 20;
    /// Default for [`IngestOptions::chunk_bytes`]: 256 KiB, a few thousand lines.
    pub const DEFAULT_CHUNK_BYTES: usize = 256 << 10;

    /// The threads this machine can run at once (`std::thread::available_parallelism`,
    /// 1 when unknown): the CLI's default for [`IngestOptions::threads`].
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

/// What a completed read saw.
#[derive(Debug, Default)]
pub struct IngestReport {
    /// Triples handed to the callback.
    pub triples: u64,
    /// Statements skipped as malformed (only with [`IngestOptions::skip_invalid`]): invalid
    /// lines for N-Triples, syntax errors recovered from for Turtle.
    pub skipped: u64,
    /// The first skipped error, kept so that nothing is lost silently.
    pub first_error: Option<IngestError>,
}

/// What is wrong with a statement.
#[derive(Debug, thiserror::Error)]
pub enum SyntaxErrorKind {
    /// An N-Triples error found by this crate's scanner.
    #[error(transparent)]
    NTriples(#[from] NTriplesError),
    /// A Turtle error: oxttl's message, or one of our reader's own.
    #[error(transparent)]
    Turtle(#[from] TurtleError),
}

/// What is wrong with a Turtle statement.
#[derive(Debug, thiserror::Error)]
pub enum TurtleError {
    /// oxttl's description of the syntax error.
    #[error("{0}")]
    Syntax(String),
    /// A relative IRI (or `@base`-relative one) with no base IRI to resolve it against: the
    /// input came from standard input or a buffer, which has no URI of its own.
    #[error("{message}: relative IRI but the input has no base IRI; give one with --base (IngestOptions::base_iri)")]
    RelativeIriWithoutBase {
        /// oxttl's description.
        message: String,
    },
    /// An IRI with no closing `>` before a character no IRI may hold (the location is its
    /// `<`).
    #[error("IRI not closed by '>' (an IRI cannot hold spaces, line breaks or any of <\"{{}}|^`)")]
    UnterminatedIri,
    /// A statement longer than [`IngestOptions::max_statement_bytes`] (the location is where
    /// it starts).
    #[error("statement longer than {limit} bytes; raise the limit with --max-statement-bytes (IngestOptions::max_statement_bytes)")]
    StatementTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
}

/// An ingest failure. Syntax errors carry the source, line and column.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input is not valid in its format.
    #[error("{file}:{line}:{column}: {kind}")]
    Syntax {
        /// The source: a file name, or the name given to [`TripleReader::with_source_name`].
        file: Arc<str>,
        /// 1-based line.
        line: u64,
        /// 1-based column, in Unicode code points.
        column: u64,
        /// What is wrong.
        kind: SyntaxErrorKind,
    },
    /// Reading the input failed.
    #[error("{file}: read failed: {error}")]
    Io {
        /// The source.
        file: Arc<str>,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// A directory was given where a file was expected.
    #[error("{}: is a directory; give an RDF file", path.display())]
    IsDirectory {
        /// The path given.
        path: PathBuf,
    },
    /// A file could not be opened.
    #[error("{}: cannot open: {error}", path.display())]
    Open {
        /// The path given.
        path: PathBuf,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// The file extension names no known format.
    #[error("{}: unknown RDF format: use a .nt, .ntriples, .ttl or .turtle extension (optionally .gz or .zst) or choose the format explicitly", path.display())]
    UnknownFormat {
        /// The path given.
        path: PathBuf,
    },
    /// [`IngestOptions::base_iri`] is not an absolute IRI.
    #[error("invalid base IRI <{iri}>: {reason}")]
    InvalidBaseIri {
        /// The IRI given.
        iri: String,
        /// Why oxiri rejected it.
        reason: String,
    },
}

impl IngestError {
    /// `(line, column)` of a syntax error, both 1-based (column in code points).
    pub fn location(&self) -> Option<(u64, u64)> {
        match self {
            IngestError::Syntax { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// What is wrong, without the place: a syntax error's kind, or the whole error.
    pub fn reason(&self) -> &dyn fmt::Display {
        match self {
            IngestError::Syntax { kind, .. } => kind,
            other => other,
        }
    }

    /// The N-Triples scanner's reason, for a syntax error in N-Triples.
    pub fn ntriples_error(&self) -> Option<NTriplesError> {
        match self {
            IngestError::Syntax {
                kind: SyntaxErrorKind::NTriples(e),
                ..
            } => Some(*e),
            _ => None,
        }
    }
}

/// Reads triples from one source in one format; see the [module docs](self).
pub struct TripleReader<R> {
    reader: R,
    format: Format,
    options: IngestOptions,
    file: Arc<str>,
}

impl<R> fmt::Debug for TripleReader<R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TripleReader")
            .field("format", &self.format)
            .field("options", &self.options)
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

impl TripleReader<Box<dyn Read>> {
    /// Opens `path`, choosing the format from its extension (`.nt`, `.ntriples`, `.ttl`,
    /// `.turtle`, each optionally `.gz` or `.zst`); see [`TripleReader::open_as`].
    ///
    /// # Errors
    ///
    /// [`IngestError::UnknownFormat`], or as for [`TripleReader::open_as`].
    pub fn open(path: impl AsRef<Path>, options: IngestOptions) -> Result<Self, IngestError> {
        let path = path.as_ref();
        if path.is_dir() {
            return Err(IngestError::IsDirectory {
                path: path.to_owned(),
            });
        }
        let format = Format::from_path(path).ok_or_else(|| IngestError::UnknownFormat {
            path: path.to_owned(),
        })?;
        Self::open_as(path, format, options)
    }

    /// Opens `path` as `format`, whatever its extension, decompressing it as its last
    /// extension says ([`Compression`]). Unless `options` sets a base IRI, Turtle's base is
    /// the file's own `file://` URI.
    ///
    /// # Errors
    ///
    /// [`IngestError::IsDirectory`], [`IngestError::Open`].
    pub fn open_as(
        path: impl AsRef<Path>,
        format: Format,
        mut options: IngestOptions,
    ) -> Result<Self, IngestError> {
        let path = path.as_ref();
        let file = open_file(path)?;
        if options.base_iri.is_none() {
            options.base_iri = Some(file_uri(path)?);
        }
        let reader = Compression::from_path(path)
            .decoder(file)
            .map_err(|error| IngestError::Open {
                path: path.to_owned(),
                error,
            })?;
        Ok(TripleReader::new(reader, format, options).with_source_name(path.display().to_string()))
    }
}

impl<R: Read> TripleReader<R> {
    /// A reader over `reader` (named `<input>` in errors until [`Self::with_source_name`]).
    pub fn new(reader: R, format: Format, options: IngestOptions) -> Self {
        Self {
            reader,
            format,
            options,
            file: Arc::from("<input>"),
        }
    }

    /// Names the source in error messages (a file name, usually).
    pub fn with_source_name(mut self, name: impl Into<Arc<str>>) -> Self {
        self.file = name.into();
        self
    }

    /// The format being read.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Whether [`Self::try_for_each_prepared_triple`] will parse on worker threads:
    /// N-Triples with [`IngestOptions::threads`] above 1. (N-Triples is read in chunks, with
    /// a look-ahead, by [`Self::try_for_each_prepared_triple_looking_ahead`] whatever the
    /// thread count.)
    pub fn reads_in_parallel(&self) -> bool {
        self.format == Format::NTriples && self.options.threads > 1
    }

    /// Calls `f` for each triple until the input ends or an error occurs.
    pub fn for_each_triple<F>(self, mut f: F) -> Result<IngestReport, IngestError>
    where
        F: FnMut(Triple<'_>),
    {
        self.try_for_each_triple(
            |triple| {
                f(triple);
                Ok::<(), IngestError>(())
            },
            |_| {},
        )
    }

    /// Calls `f` for each triple; an `Err` from `f` stops the read and is returned as is.
    /// With [`IngestOptions::skip_invalid`], `on_skipped` sees every skipped error (the report
    /// counts them and keeps the first); without it the first error is returned.
    pub fn try_for_each_triple<E, F, S>(self, f: F, on_skipped: S) -> Result<IngestReport, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        match self.format {
            Format::NTriples => {
                let reader = source::SkipBom::new(self.reader);
                ntriples::Scanner::new(reader, self.file, &self.options).run(f, on_skipped)
            }
            Format::Turtle => turtle::read_with_stats(
                self.reader,
                self.file,
                &self.options,
                FastPathMode::On,
                f,
                on_skipped,
            )
            .map(|(report, _)| report),
        }
    }
}

impl<R: Read> TripleReader<R> {
    /// [`Self::try_for_each_triple`], with a `prepare` step run on each term before `f`
    /// sees it, its results passed along: `f` gets the subject's, predicate's and object's.
    /// N-Triples is read in chunks of [`IngestOptions::chunk_bytes`]: with
    /// [`IngestOptions::threads`] above 1, `prepare` runs on worker threads (the pipeline
    /// hashes terms for its dictionary there), while `f` and `on_skipped` run on the calling
    /// thread, in input order, with the same triples, errors, line numbers and counts as a
    /// single-threaded read. Otherwise everything runs on the calling thread.
    pub fn try_for_each_prepared_triple<H, P, E, F, S>(
        self,
        prepare: P,
        f: F,
        on_skipped: S,
    ) -> Result<IngestReport, E>
    where
        H: Copy + Send + 'static,
        P: Fn(Term<'_>) -> H + Sync,
        E: From<IngestError>,
        F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        self.try_for_each_prepared_triple_looking_ahead(prepare, &[], |_, _| {}, f, on_skipped)
    }

    /// [`Self::try_for_each_prepared_triple`], also showing the calling thread what was
    /// prepared for triples still to come, so it can start work on them early (the pipeline
    /// prefetches their dictionary entries): before `f` gets a triple, `look_ahead(d, p)` is
    /// called for each `d` in `distances`, with `p` prepared for the triple `d` places later,
    /// when that triple is already parsed (for N-Triples: within the same chunk, whatever
    /// the thread count). Turtle reads prepare one triple at a time and call no
    /// `look_ahead`.
    pub fn try_for_each_prepared_triple_looking_ahead<H, P, L, E, F, S>(
        self,
        prepare: P,
        distances: &[usize],
        look_ahead: L,
        mut f: F,
        on_skipped: S,
    ) -> Result<IngestReport, E>
    where
        H: Copy + Send + 'static,
        P: Fn(Term<'_>) -> H + Sync,
        L: FnMut(usize, &[H; 3]),
        E: From<IngestError>,
        F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        if self.format == Format::NTriples {
            let reader = source::SkipBom::new(self.reader);
            let ahead = ntriples::LookAhead {
                distances,
                call: look_ahead,
            };
            let out =
                ntriples::Delivery::new(self.file, self.options.skip_invalid, ahead, f, on_skipped);
            return ntriples::run_chunked(reader, &self.options, &prepare, out);
        }
        self.try_for_each_triple(
            |triple| {
                let prepared = [
                    prepare(triple.subject),
                    prepare(triple.predicate),
                    prepare(triple.object),
                ];
                f(triple, prepared)
            },
            on_skipped,
        )
    }
}

/// Shared skip-or-stop decision: in skip mode the error is counted and kept, otherwise it
/// ends the read.
pub(crate) fn handle_invalid<S: FnMut(&IngestError)>(
    error: IngestError,
    skip_invalid: bool,
    report: &mut IngestReport,
    on_skipped: &mut S,
) -> Result<(), IngestError> {
    if !skip_invalid {
        return Err(error);
    }
    report.skipped += 1;
    on_skipped(&error);
    if report.first_error.is_none() {
        report.first_error = Some(error);
    }
    Ok(())
}
