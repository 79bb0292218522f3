//! Where each field of a hook file is written, so errors can point at it.

use std::fmt;

use serde::Deserialize;

use super::error::HookError;
use super::sparql::SparqlError;

/// Where each hook's fields sit in a hook file, so that an error about a hook can point at
/// the line and column the user wrote.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HookFileSpans {
    /// The file's name, as errors show it.
    pub source_name: String,
    /// Per hook, in file order: each field's name, the 1-based line and column where its value
    /// starts, and whether the value is written verbatim (no escapes), so that a column inside
    /// it maps one to one.
    pub hooks: Vec<Vec<FieldSpan>>,
}

/// Where one field's value is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldSpan {
    /// The key.
    pub field: String,
    /// 1-based line of the value.
    pub line: u64,
    /// 1-based column (in code points) of the value's first character (a quote, for a string).
    pub column: u64,
    /// The string's characters appear in the file as they are (a literal string, or a basic
    /// string without escapes; one-line or multi-line), one column each.
    pub verbatim: bool,
    /// 1-based line and column of the string's first character: past the opening quotes, and
    /// past the newline TOML trims after `"""` or `'''`.
    pub text: (u64, u64),
}

/// A place in a hook file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HookFileLocation {
    /// The file's name.
    pub source_name: String,
    /// 1-based line.
    pub line: u64,
    /// 1-based column, in code points.
    pub column: u64,
}

impl fmt::Display for HookFileLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.source_name, self.line, self.column)
    }
}

/// Lines and columns of offsets taken in increasing order: each byte of the text is read
/// once, however many fields there are (counting from the file's start for each field would
/// take time in the square of the file's size).
pub(super) struct LineCursor<'a> {
    text: &'a str,
    offset: usize,
    line: u64,
    column: u64,
    /// Bytes read so far: at most the text's length.
    pub(super) scanned: usize,
}

impl<'a> LineCursor<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
            column: 1,
            scanned: 0,
        }
    }

    /// The 1-based line and column (in code points) of `offset`, which is not before the
    /// last one asked for (an earlier one gives the last position).
    pub(super) fn advance_to(&mut self, offset: usize) -> (u64, u64) {
        let to = offset.min(self.text.len());
        if to > self.offset {
            let bytes = &self.text.as_bytes()[self.offset..to];
            self.scanned += bytes.len();
            let chars = |b: &[u8]| b.iter().filter(|&&b| b & 0xC0 != 0x80).count() as u64;
            match memchr::memrchr(b'\n', bytes) {
                None => self.column += chars(bytes),
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', bytes).count() as u64;
                    self.column = 1 + chars(&bytes[last + 1..]);
                }
            }
            self.offset = to;
        }
        (self.line, self.column)
    }
}

impl HookFileSpans {
    pub(super) fn read(text: &str, source_name: &str) -> Self {
        #[derive(Deserialize)]
        struct SpannedFile {
            #[serde(default)]
            hook: Vec<std::collections::BTreeMap<String, toml::Spanned<toml::Value>>>,
        }
        let mut hooks: Vec<Vec<FieldSpan>> = Vec::new();
        // Where each field's value and its text start, as (offset, hook, field, is_text):
        // mapped to lines and columns in one pass over the text, in offset order.
        let mut starts = Vec::new();
        let file = toml::from_str::<SpannedFile>(text).map_or_else(|_| Vec::new(), |f| f.hook);
        for (index, fields) in file.into_iter().enumerate() {
            let mut spans = Vec::with_capacity(fields.len());
            for (field, value) in fields {
                let span = value.span();
                let raw = text.get(span.clone()).unwrap_or_default();
                let (opening, closing) = string_delimiters(raw);
                let verbatim = matches!(value.get_ref(), toml::Value::String(s)
                    if raw.get(opening..raw.len().saturating_sub(closing)) == Some(s));
                starts.push((span.start, index, spans.len(), false));
                starts.push((span.start + opening, index, spans.len(), true));
                spans.push(FieldSpan {
                    field,
                    line: 0,
                    column: 0,
                    verbatim,
                    text: (0, 0),
                });
            }
            hooks.push(spans);
        }
        starts.sort_unstable();
        let mut cursor = LineCursor::new(text);
        for (offset, index, field, is_text) in starts {
            let at = cursor.advance_to(offset);
            let span = &mut hooks[index][field];
            if is_text {
                span.text = at;
            } else {
                (span.line, span.column) = at;
            }
        }
        Self {
            source_name: source_name.to_owned(),
            hooks,
        }
    }

    /// Where in the file `error`, raised by registering hook number `index` (0-based, in file
    /// order), points: the bad character of a term, else the start of the field's value, else
    /// the hook's first field.
    pub fn locate(&self, index: usize, error: &HookError) -> Option<HookFileLocation> {
        let fields = self.hooks.get(index)?;
        let field = match error {
            HookError::Term { field, .. }
            | HookError::BlankNode { field, .. }
            | HookError::UnusedField { field, .. } => *field,
            HookError::UnknownKind { .. } | HookError::NoKind { .. } => "kind",
            HookError::Sparql { .. } => "sparql",
            HookError::SparqlAndFields { field, .. } => *field,
            HookError::InvalidName { .. }
            | HookError::NameTooLong { .. }
            | HookError::DuplicateName { .. } => "name",
            _ => "",
        };
        let span = fields
            .iter()
            .find(|span| span.field == field)
            // A field a `sparql` hook's query compiled to is written in the query.
            .or_else(|| fields.iter().find(|span| span.field == "sparql"))
            .or_else(|| fields.iter().min_by_key(|span| (span.line, span.column)))?;
        let (mut line, mut column) = (span.line, span.column);
        if let (HookError::Term { error, .. }, true) = (error, span.verbatim) {
            if let Some((_, term_column)) = error.location() {
                // The term's column `n` is `n - 1` past the string's first character (past
                // `'''` and its trimmed newline, in a multi-line string).
                (line, column) = (span.text.0, span.text.1 + term_column - 1);
            }
        }
        if let (
            HookError::Sparql {
                error:
                    SparqlError::Syntax {
                        line: query_line,
                        column: query_column,
                        ..
                    },
                ..
            },
            true,
        ) = (error, span.verbatim)
        {
            // The query's line `n` is the file's `n - 1` lines below the text's start; only on
            // its first line do columns start where the text does.
            line = span.text.0 + query_line - 1;
            column = match query_line {
                1 => span.text.1 + query_column - 1,
                _ => *query_column,
            };
        }
        Some(HookFileLocation {
            source_name: self.source_name.clone(),
            line,
            column,
        })
    }
}

/// Bytes of a TOML string's opening delimiter (with the newline a multi-line string trims
/// after it) and of its closing one; `(0, 0)` for a value that is not a string.
fn string_delimiters(raw: &str) -> (usize, usize) {
    for quotes in ["\"\"\"", "'''"] {
        if let Some(rest) = raw.strip_prefix(quotes) {
            let newline = if rest.starts_with("\r\n") {
                2
            } else {
                usize::from(rest.starts_with('\n'))
            };
            return (3 + newline, 3);
        }
    }
    match raw.as_bytes().first() {
        Some(b'"' | b'\'') => (1, 1),
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_byte_is_read_once_however_many_fields_there_are() {
        let mut text = String::new();
        for i in 0..5_000 {
            text.push_str(&format!(
                "[[hook]]\nname = \"h{i}\"\nkind = \"ask_sp\"\npredicate = \"<http://e/p{i}>\"\nsubject = '<http://e/\u{e9}{i}>'\n"
            ));
        }
        let spans = HookFileSpans::read(&text, "hooks.toml");
        assert_eq!(spans.hooks.len(), 5_000);
        let last = &spans.hooks[4_999];
        let at = |field: &str| {
            let span = last.iter().find(|s| s.field == field).unwrap();
            (span.line, span.column)
        };
        assert_eq!(at("name"), (5 * 4_999 + 2, 8));
        assert_eq!(at("subject"), (5 * 4_999 + 5, 11));
        // The positions come from one cursor that only moves forward.
        let mut cursor = LineCursor::new(&text);
        let mut offsets: Vec<usize> = text.match_indices(" = ").map(|(i, _)| i + 3).collect();
        offsets.sort_unstable();
        for offset in offsets {
            cursor.advance_to(offset);
        }
        assert!(cursor.scanned <= text.len());
    }

    #[test]
    fn a_column_counts_code_points_and_a_line_starts_after_its_break() {
        let text = "ab\n\u{e9}\u{e9}x\ny";
        let mut cursor = LineCursor::new(text);
        assert_eq!(cursor.advance_to(0), (1, 1));
        assert_eq!(cursor.advance_to(2), (1, 3));
        assert_eq!(cursor.advance_to(3), (2, 1));
        assert_eq!(cursor.advance_to(7), (2, 3));
        assert_eq!(cursor.advance_to(9), (3, 1));
        assert_eq!(cursor.advance_to(99), (3, 2));
    }
}
