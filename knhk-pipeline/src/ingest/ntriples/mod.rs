//! The N-Triples 1.1 scanner: byte-level, line by line, allocation-free per triple.
//!
//! # How it reads
//! Input is read in large blocks, cut at line breaks; each line is parsed in place and its
//! terms borrow the buffer. A line (or a whole chunk of lines) is first checked as UTF-8 (simdutf8, SIMD), so the
//! parser can then work on bytes and slice `&str`s at ASCII delimiters. IRIs are scanned 32
//! bytes at a time for their end or a forbidden byte (one AVX2 bit mask a step where the CPU
//! has it, else two SSE2 blocks), literals the same way for their end, a backslash or a line
//! break. In a chunk, a line of the usual shape is read by a fast path, every other line by
//! the grammar. Escapes
//! (`\uXXXX`, `\UXXXXXXXX` and, in literals, `\t \b \n \r \f \" \' \\`) are decoded into one
//! scratch `String` reused across lines, and only for terms that contain a backslash, so
//! `"\u0041"` and `"A"` give the same term.
//!
//! A line longer than the buffer grows it by doubling (no rescan of the bytes already searched
//! for the line end), so a 10 MB line costs linear time; past
//! [`IngestOptions::max_line_bytes`](crate::ingest::IngestOptions::max_line_bytes) the line is an error.
//!
//! # Files, in the order data flows
//! - `cutter.rs`: the read loop. Reads the input into cuts of whole lines; knows line breaks
//!   and the length limit, nothing of the grammar.
//! - `grammar.rs`: the grammar over one line (or the next line of a chunk), producing
//!   `pieces.rs`: a triple as places in its text and in the scratch buffer of escapes. It
//!   also parses one term on its own, for text that is not a line of a document (hook files).
//! - `error.rs`: what is wrong with a line ([`NTriplesError`]) and the column it is at.
//! - `stream.rs`: the line-at-a-time read ([`TripleReader::try_for_each_triple`]): each line of
//!   each cut parsed and handed out at once.
//! - `fast_line.rs`: the chunk parser's fast path for lines of the usual shape (`<iri> <iri>
//!   object .`, single spaces, no escapes), every other line going to the grammar.
//! - `chunk.rs`: the chunked read: a chunk's lines parsed in place, with the caller's
//!   `prepare` step on each term; `parallel.rs` runs it on worker threads (or on the calling
//!   thread), and `deliver.rs` hands the parsed chunks to the callbacks in input order
//!   ([`TripleReader::try_for_each_prepared_triple`]).
//! - `parsed.rs`: a parsed triple whose terms are read from the chunk's text when asked for.
//! - `repeats.rs`: the terms of a chunk that repeat an earlier one, marked after `prepare`
//!   when the read asks for it, so the consumer works each distinct term out once a chunk.
//!
//! # What it accepts
//! The N-Triples 1.1 grammar: `IRIREF` (no `<>"{}|^`\` or space/control characters, raw or
//! through `UCHAR`), which must be absolute (`scheme:`); `BLANK_NODE_LABEL` with the `PN_CHARS`
//! rules (no `:`; a trailing `.` ends the label); `STRING_LITERAL_QUOTE` with a `LANGTAG`
//! (`[a-zA-Z]+ ('-' [a-zA-Z0-9]+)*`) or `^^IRIREF`; spaces and tabs between terms (optional,
//! also around `^^` and before `@`, as the grammar allows between terminals); comments; blank
//! lines; line breaks `\n`, `\r\n` or `\r` (EOL is `[#xD#xA]+`; `\r\n` counts as one line);
//! a last line without a line break. A literal typed `rdf:langString` without a tag is
//! rejected, as RDF 1.1 requires.
//!
//! What it does not check, unlike oxttl's strict mode: the finer RFC 3987 structure of IRIs
//! (e.g. `%` followed by two hex digits, the form of an authority) and BCP 47 well-formedness
//! of language tags beyond the N-Triples `LANGTAG` production. A raw U+0000 inside a string
//! literal is accepted because the grammar allows it (`[^#x22#x5C#xA#xD]`); anywhere else a
//! NUL byte is an error.
//!
//! Errors carry a [`NTriplesError`]: a small `Copy` enum, so that reporting (or skipping) a
//! bad line allocates nothing; the source name is an `Arc<str>` clone.
//!
//! [`TripleReader::try_for_each_triple`]: crate::ingest::TripleReader::try_for_each_triple
//! [`TripleReader::try_for_each_prepared_triple`]: crate::ingest::TripleReader::try_for_each_prepared_triple

mod chunk;
mod cutter;
mod deliver;
mod error;
mod fast_line;
mod grammar;
mod parallel;
mod parsed;
mod pieces;
mod repeats;
mod stream;

pub(crate) use chunk::MarkChunk;
pub(crate) use deliver::{AsParsed, Delivery, LookAhead, OnTriple, Resolved};
pub use error::{Found, NTriplesError};
pub(crate) use grammar::{hex_escape, parse_term, TermPosition};
pub(crate) use parallel::run as run_chunked;
pub use parsed::ParsedTriple;
pub(crate) use repeats::RepeatTable;
pub use repeats::{MarkRepeats, Repeat};
pub(crate) use stream::Scanner;
