//! Query text to SPARQL algebra, by oxigraph's parser; its error, with the line and column it
//! names inside the query.

use spargebra::{Query, SparqlParser};

use super::error::SparqlError;

/// Parses `text` as a SPARQL query.
///
/// # Errors
///
/// [`SparqlError::Syntax`] with the parser's message and its position in `text`.
pub(super) fn parse_query(text: &str) -> Result<Query, SparqlError> {
    SparqlParser::new()
        .parse_query(text)
        .map_err(|error| syntax_error(&error.to_string(), text))
}

/// The parser's error exposes its position only in its message, as `error at LINE:COLUMN:
/// expected …` (1-based, columns in characters); anything else (a bad base IRI) has none and
/// is placed at the query's start.
fn syntax_error(message: &str, text: &str) -> SparqlError {
    let located = message.strip_prefix("error at ").and_then(|rest| {
        let (position, reason) = rest.split_once(": ")?;
        let (line, column) = position.split_once(':')?;
        Some((line.parse().ok()?, column.parse().ok()?, reason))
    });
    let (line, column, reason) = located.unwrap_or((1, 1, message));
    SparqlError::Syntax {
        line,
        column,
        message: reason.to_owned(),
        having: text
            .as_bytes()
            .windows(6)
            .any(|word| word.eq_ignore_ascii_case(b"HAVING")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parsers_position_is_read_from_its_message() {
        let error = parse_query("ASK {\n  <http://s> <http://p> }").unwrap_err();
        let SparqlError::Syntax {
            line,
            column,
            message,
            having,
        } = error
        else {
            panic!("not a syntax error: {error:?}");
        };
        assert_eq!((line, column, having), (2, 25, false));
        assert!(message.starts_with("expected"), "{message}");
    }
}
