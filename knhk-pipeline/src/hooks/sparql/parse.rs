//! Query text to SPARQL algebra, by oxigraph's parser; its error, with the line and column it
//! names inside the query.
//!
//! SPARQL 1.1 allows `HAVING` on `ASK` (`ASK { <s> <p> ?o } HAVING (COUNT(*) >= 3)`), but
//! oxigraph's parser reads `ASK` as `SELECT *`, which it refuses beside an aggregate. Such a
//! query is parsed a second time with its `ASK` keyword written as a projection the parser
//! takes (`SELECT (1 AS ?…)`), and that projection is dropped again: what is left is the
//! pattern `ASK … HAVING` means. Finding the keyword only needs the prologue (`PREFIX` and
//! `BASE` declarations, comments) skipped; the query itself is read by the parser both times.

use spargebra::algebra::GraphPattern;
use spargebra::{Query, SparqlParser};

use super::error::SparqlError;

/// Parses `text` as a SPARQL query.
///
/// # Errors
///
/// [`SparqlError::Syntax`] with the parser's message and its position in `text`.
pub(super) fn parse_query(text: &str) -> Result<Query, SparqlError> {
    SparqlParser::new().parse_query(text).or_else(|error| {
        ask_with_having(text).ok_or_else(|| syntax_error(&error.to_string(), text))
    })
}

/// What the `ASK` keyword is read as on the second try: a constant projection, which the
/// parser allows beside an aggregate.
const ASK_AS_SELECT: &str = "SELECT (1 AS ?knhk_ask_having)";

/// `text` read as `ASK … HAVING`, when it is one: the second parse's pattern without the
/// projection that stood in for `ASK`. `None` when `text` does not start (after its prologue)
/// with `ASK`, or the second parse fails or gives another shape; the first error stands then.
fn ask_with_having(text: &str) -> Option<Query> {
    let at = ask_keyword(text)?;
    let select = format!("{}{ASK_AS_SELECT}{}", &text[..at], &text[at + 3..]);
    let Ok(Query::Select {
        dataset,
        pattern: GraphPattern::Project { inner, .. },
        base_iri,
    }) = SparqlParser::new().parse_query(&select)
    else {
        return None;
    };
    let GraphPattern::Extend { inner, .. } = *inner else {
        return None;
    };
    Some(Query::Ask {
        dataset,
        pattern: *inner,
        base_iri,
    })
}

/// The byte offset of the `ASK` keyword that follows the prologue, if the query's form is
/// `ASK`.
fn ask_keyword(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    loop {
        at = skip_space(bytes, at);
        let word_end = at
            + bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_alphabetic())
                .count();
        let word = &text[at..word_end];
        if word.eq_ignore_ascii_case("ASK") {
            return Some(at);
        } else if word.eq_ignore_ascii_case("PREFIX") {
            // `PREFIX name: <iri>`: the name runs to its colon.
            at = skip_space(bytes, word_end);
            at += bytes[at..].iter().position(|&b| b == b':')? + 1;
            at = skip_iri(bytes, skip_space(bytes, at))?;
        } else if word.eq_ignore_ascii_case("BASE") {
            at = skip_iri(bytes, skip_space(bytes, word_end))?;
        } else {
            return None;
        }
    }
}

/// Past white space and `#` comments.
fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while let Some(&byte) = bytes.get(at) {
        if byte == b'#' {
            at += bytes[at..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len() - at);
        } else if byte.is_ascii_whitespace() {
            at += 1;
        } else {
            break;
        }
    }
    at
}

/// Past an `<iri>` starting at `at`.
fn skip_iri(bytes: &[u8], at: usize) -> Option<usize> {
    if bytes.get(at) != Some(&b'<') {
        return None;
    }
    Some(at + bytes[at..].iter().position(|&b| b == b'>')? + 1)
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

    #[test]
    fn ask_with_having_is_a_filter_on_a_count() {
        let ask = parse_query(
            "# a comment naming ASK\nPREFIX ask: <http://e/ASK>\nBASE <http://e/>\n  \
             ask { <http://s> <http://p> ?o } HAVING (COUNT(*) >= 3)",
        )
        .unwrap();
        let Query::Ask {
            pattern: GraphPattern::Filter { inner, .. },
            ..
        } = &ask
        else {
            panic!("not an ASK with a filter: {ask}");
        };
        assert!(
            matches!(**inner, GraphPattern::Group { .. }),
            "not a count: {ask}"
        );
    }

    #[test]
    fn only_an_ask_query_is_read_again() {
        assert_eq!(ask_keyword("PREFIX a: <http://e/> ASK {}"), Some(22));
        assert_eq!(ask_keyword("SELECT * { ?s ?p ?o }"), None);
        assert_eq!(ask_keyword("ASKING"), None);
        assert_eq!(ask_keyword("PREFIX a: <http://e/ ASK"), None);
        let error = parse_query("SELECT * { ?s ?p ?o } HAVING (COUNT(*) > 1)").unwrap_err();
        assert!(matches!(error, SparqlError::Syntax { .. }), "{error:?}");
    }
}
