//! Literal classification: the one place that maps a literal's datatype (and, for
//! `xsd:integer` and `xsd:boolean`, its lexical form) to its tag or inline id.

use crate::ingest::{Literal, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE, XSD_INTEGER, XSD_STRING};

use super::id::{IdTag, TermId, INLINE_OFFSET};

/// The value of a canonical `xsd:integer` lexical form within the inline range.
fn canonical_inline_integer(text: &str) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let bytes = digits.as_bytes();
    let canonical = match bytes {
        [] => false,
        [b'0'] => !negative,
        [first, ..] => *first != b'0' && bytes.iter().all(u8::is_ascii_digit),
    };
    // 19 digits cover the inline range; longer is out of range and may overflow i64.
    if !canonical || bytes.len() > 19 {
        return None;
    }
    let mut value: i64 = 0;
    for &d in bytes {
        value = value * 10 + i64::from(d - b'0');
    }
    let value = if negative { -value } else { value };
    TermId::from_inline_integer(value).map(|_| value)
}

/// How a literal is encoded: the one place that maps a literal's datatype to its tag.
pub(super) enum LiteralClass<'a> {
    /// The value is in the id; nothing is stored.
    Inline(TermId),
    /// Stored under `tag`, keyed by `value` and the entry that `extra` names.
    Stored {
        tag: IdTag,
        extra: Extra<'a>,
        value: &'a str,
    },
}

/// What a stored literal's `extra` refers to, before it is resolved to an entry index.
pub(super) enum Extra<'a> {
    None,
    Language(&'a str),
    Datatype(&'a str),
}

pub(super) fn classify_literal(literal: Literal<'_>) -> LiteralClass<'_> {
    let value = literal.value();
    let stored = |tag, extra| LiteralClass::Stored { tag, extra, value };
    if let Some(language) = literal.language() {
        return stored(IdTag::LangLiteral, Extra::Language(language));
    }
    match literal.datatype() {
        XSD_STRING => stored(IdTag::SimpleLiteral, Extra::None),
        XSD_INTEGER => match canonical_inline_integer(value) {
            Some(v) => LiteralClass::Inline(TermId::new(
                IdTag::IntegerInline,
                (v + INLINE_OFFSET) as u64,
            )),
            None => stored(IdTag::IntegerStored, Extra::None),
        },
        XSD_BOOLEAN => match value {
            "true" => LiteralClass::Inline(TermId::from_boolean(true)),
            "false" => LiteralClass::Inline(TermId::from_boolean(false)),
            _ => stored(IdTag::BooleanStored, Extra::None),
        },
        XSD_DECIMAL => stored(IdTag::Decimal, Extra::None),
        XSD_DOUBLE => stored(IdTag::Double, Extra::None),
        datatype => stored(IdTag::TypedLiteral, Extra::Datatype(datatype)),
    }
}
