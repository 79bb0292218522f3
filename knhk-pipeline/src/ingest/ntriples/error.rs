//! What is wrong with an N-Triples line, and where: the error kinds a user sees, and the
//! column of a byte offset.

/// A character found where something else was expected; `None` is the end of the line.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Found(pub Option<char>);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("end of line"),
            Some(c) if c.is_control() || c == ' ' => write!(f, "U+{:04X}", u32::from(c)),
            Some(c) => write!(f, "'{c}'"),
        }
    }
}

/// What is wrong with an N-Triples line. The error's column points at the character named in
/// each variant's doc.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NTriplesError {
    /// Bytes that are not UTF-8 (column: the first bad byte).
    #[error("invalid UTF-8")]
    InvalidUtf8,
    /// The line holds more than the configured number of bytes (column: where the limit hit).
    #[error("line longer than {limit} bytes; raise the limit with --max-line-bytes (IngestOptions::max_line_bytes)")]
    LineTooLong {
        /// The limit, in bytes.
        limit: usize,
    },
    /// No subject at the start of a statement (column: what was found).
    #[error("expected a subject (<IRI> or _:label), found {found}")]
    ExpectedSubject {
        /// What was found.
        found: Found,
    },
    /// No predicate IRI after the subject (column: what was found).
    #[error("expected a predicate <IRI>, found {found}")]
    ExpectedPredicate {
        /// What was found.
        found: Found,
    },
    /// No object after the predicate (column: what was found).
    #[error("expected an object (<IRI>, _:label or \"literal\"), found {found}")]
    ExpectedObject {
        /// What was found.
        found: Found,
    },
    /// The statement does not end with `.` (column: what was found).
    #[error("expected '.' to end the triple, found {found}")]
    ExpectedDot {
        /// What was found.
        found: Found,
    },
    /// Something other than a comment follows the `.` on the same line (column: that).
    #[error("expected end of line after '.', found {found} (one triple per line)")]
    ExpectedEndOfLine {
        /// What was found.
        found: Found,
    },
    /// Something other than spaces follows a term given on its own, as in a hook file
    /// (column: that).
    #[error("expected the end of the term, found {found}")]
    ExpectedEndOfTerm {
        /// What was found.
        found: Found,
    },
    /// No `>` before the end of the line (column: the `<`).
    #[error("IRI not closed by '>' before the end of the line")]
    UnterminatedIri,
    /// A character IRIREF forbids, raw or escaped (column: the character or its escape).
    #[error("character {found} is not allowed in an IRI")]
    ForbiddenIriCharacter {
        /// The character.
        found: Found,
    },
    /// The IRI has no scheme (column: the `<`).
    #[error("relative IRI: N-Triples needs absolute IRIs (scheme:...)")]
    RelativeIri,
    /// A backslash in an IRI not followed by `u` or `U` (column: the backslash).
    #[error("only \\uXXXX and \\UXXXXXXXX escapes are allowed in IRIs")]
    BadIriEscape,
    /// A backslash in a literal not followed by a valid escape letter (column: the backslash).
    #[error("invalid escape in string: expected one of \\t \\b \\n \\r \\f \\\" \\' \\\\ \\uXXXX \\UXXXXXXXX")]
    BadStringEscape,
    /// `\u` or `\U` not followed by enough hex digits (column: the backslash).
    #[error("\\u needs 4 and \\U needs 8 hexadecimal digits")]
    BadHexEscape,
    /// A `\u`/`\U` escape naming a surrogate or a value beyond U+10FFFF (column: the backslash).
    #[error("escape does not name a Unicode scalar value")]
    InvalidCodePoint,
    /// No closing `"` before the end of the line (column: the opening `"`).
    #[error("string literal not closed by '\"' before the end of the line")]
    UnterminatedString,
    /// `@` not followed by a `LANGTAG` (column: the `@`).
    #[error("invalid language tag: expected [a-zA-Z]+ ('-' [a-zA-Z0-9]+)*")]
    BadLanguageTag,
    /// `^` not followed by `^<IRI>` (column: the first `^`).
    #[error("expected ^^<datatype IRI>")]
    BadDatatype,
    /// `^^rdf:langString` without a language tag (column: the datatype's `<`).
    #[error("a literal typed rdf:langString needs a language tag")]
    LangStringWithoutTag,
    /// `_:` not followed by a valid label (column: the offending character).
    #[error("invalid blank node label: found {found}")]
    BadBlankNodeLabel {
        /// What was found.
        found: Found,
    },
}

/// An error inside a line: byte offset in the line and what is wrong.
pub(crate) type LineError = (usize, NTriplesError);

/// A line longer than `limit` bytes: the error is where the limit hit.
pub(super) fn line_too_long(limit: usize) -> LineError {
    (limit, NTriplesError::LineTooLong { limit })
}

/// Column (1-based, in code points) of byte `pos` in `line`. Counts non-continuation bytes,
/// so it works on the invalid-UTF-8 prefix too.
pub(crate) fn column_of(line: &[u8], pos: usize) -> u64 {
    let pos = pos.min(line.len());
    line[..pos].iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64 + 1
}
