//! Why a read failed: where, and what is wrong.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use super::ntriples::NTriplesError;

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
    /// A one-line string (`"` or `'`) with no closing quote before the line ends (the
    /// location is its opening quote).
    #[error("string not closed before the line ends (use \"\"\" for a string of several lines, \\n for a line break)")]
    UnterminatedString,
    /// A statement longer than [`IngestOptions::max_statement_bytes`](crate::ingest::IngestOptions::max_statement_bytes) (the location is where
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
        /// The source: a file name, or the name given to [`TripleReader::with_source_name`](crate::ingest::TripleReader::with_source_name).
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
    /// [`IngestOptions::base_iri`](crate::ingest::IngestOptions::base_iri) is not an absolute IRI.
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
