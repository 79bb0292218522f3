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

impl HookFileSpans {
    pub(super) fn read(text: &str, source_name: &str) -> Self {
        #[derive(Deserialize)]
        struct SpannedFile {
            #[serde(default)]
            hook: Vec<std::collections::BTreeMap<String, toml::Spanned<toml::Value>>>,
        }
        let line_column = |offset: usize| {
            let before = &text[..offset.min(text.len())];
            let line = before.matches('\n').count() as u64 + 1;
            let line_start = before.rfind('\n').map_or(0, |i| i + 1);
            (line, before[line_start..].chars().count() as u64 + 1)
        };
        let hooks = toml::from_str::<SpannedFile>(text)
            .map(|file| file.hook)
            .unwrap_or_default()
            .into_iter()
            .map(|fields| {
                fields
                    .into_iter()
                    .map(|(field, value)| {
                        let span = value.span();
                        let (line, column) = line_column(span.start);
                        let raw = text.get(span.clone()).unwrap_or_default();
                        let (opening, closing) = string_delimiters(raw);
                        let verbatim = matches!(value.get_ref(), toml::Value::String(s)
                            if raw.get(opening..raw.len().saturating_sub(closing)) == Some(s));
                        FieldSpan {
                            field,
                            line,
                            column,
                            verbatim,
                            text: line_column(span.start + opening),
                        }
                    })
                    .collect()
            })
            .collect();
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
            HookError::InvalidName { .. } | HookError::DuplicateName { .. } => "name",
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
