//! Where each field of a hook file is written, so errors can point at it.

use std::fmt;

use serde::Deserialize;

use super::error::HookError;

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
    /// string without escapes), one column each.
    pub verbatim: bool,
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
        // Where each field's value starts, as (offset, hook, field): mapped to lines and
        // columns in one pass over the text, in offset order.
        let mut starts = Vec::new();
        let file = toml::from_str::<SpannedFile>(text).map_or_else(|_| Vec::new(), |f| f.hook);
        for (index, fields) in file.into_iter().enumerate() {
            let mut spans = Vec::with_capacity(fields.len());
            for (field, value) in fields {
                let span = value.span();
                let raw = text.get(span.clone()).unwrap_or_default();
                let verbatim = matches!(value.get_ref(), toml::Value::String(s)
                    if raw.len() == s.len() + 2 && &raw[1..raw.len() - 1] == s);
                starts.push((span.start, index, spans.len()));
                spans.push(FieldSpan {
                    field,
                    line: 0,
                    column: 0,
                    verbatim,
                });
            }
            hooks.push(spans);
        }
        starts.sort_unstable();
        let mut cursor = LineCursor::new(text);
        for (offset, index, field) in starts {
            let (line, column) = cursor.advance_to(offset);
            let span = &mut hooks[index][field];
            (span.line, span.column) = (line, column);
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
            HookError::UnknownKind { .. } => "kind",
            HookError::InvalidName { .. }
            | HookError::NameTooLong { .. }
            | HookError::DuplicateName { .. } => "name",
            _ => "",
        };
        let span = fields
            .iter()
            .find(|span| span.field == field)
            .or_else(|| fields.iter().min_by_key(|span| (span.line, span.column)))?;
        let mut column = span.column;
        if let (HookError::Term { error, .. }, true) = (error, span.verbatim) {
            if let Some((_, term_column)) = error.location() {
                // The value's column is its opening quote's: the term's first character is
                // one further, its column `n` is `n` further.
                column += term_column;
            }
        }
        Some(HookFileLocation {
            source_name: self.source_name.clone(),
            line: span.line,
            column,
        })
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
