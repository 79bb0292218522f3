//! Why a `sparql` hook does not compile: the query is not SPARQL (the parser's message and
//! where in the query), or it is SPARQL no op computes (the construct that does not fit, and
//! the shapes that do).

use std::fmt;

use super::shape::SHAPES;

/// Why a query does not compile to an op.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SparqlError {
    /// The parser refused the query.
    #[error("not valid SPARQL: at line {line}, column {column} of the query: {message}{}", SyntaxHint(*.having))]
    Syntax {
        /// 1-based line within the query text.
        line: u64,
        /// 1-based column (in characters) within that line.
        column: u64,
        /// The parser's message, past its own position.
        message: String,
        /// The query writes `HAVING` and still fails (something follows it on an `ASK`, or
        /// an error elsewhere): the message shows the sub-select a count may be written as.
        having: bool,
    },
    /// The query is SPARQL, but a construct in it fits no op.
    #[error(
        "{construct} does not fit a hook op; the shapes that do are: {}",
        ShapeList
    )]
    Refused {
        /// What does not fit.
        construct: Refusal,
    },
}

/// The construct a query was refused for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// `DESCRIBE`.
    Describe,
    /// `FROM` or `FROM NAMED`.
    Dataset,
    /// A graph-pattern construct, named as written (`OPTIONAL`, `UNION`, `MINUS`, `GRAPH`,
    /// `SERVICE`, `BIND`, `ORDER BY`, `DISTINCT`, `REDUCED`, `LIMIT`/`OFFSET`, `GROUP BY`, a
    /// property path).
    Unsupported(&'static str),
    /// Not exactly one triple pattern.
    TriplePatterns {
        /// How many the query has.
        count: usize,
    },
    /// A variable in the predicate position.
    VariablePredicate,
    /// A blank node in the pattern (SPARQL reads it as a variable without a name).
    BlankNode,
    /// One variable as both subject and object.
    SameVariable,
    /// A literal subject, which no RDF triple has.
    LiteralSubject,
    /// A `VALUES` block with other than one row, an `UNDEF`, or a variable the pattern lacks.
    Values(&'static str),
    /// An aggregate other than `COUNT`.
    Aggregate,
    /// `COUNT(DISTINCT …)`.
    CountDistinct,
    /// `COUNT(?x)` of a variable the triple pattern does not have.
    CountVariable,
    /// A `FILTER` the ops cannot decide exactly, as the parser wrote it back.
    Filter {
        /// The expression.
        expression: String,
    },
    /// More than one condition (two `FILTER`s, `&&`, a filter with a count).
    Conditions,
    /// A count threshold that is not an integer literal.
    Threshold {
        /// The threshold as written.
        threshold: String,
    },
    /// A count comparison no count satisfies (`< 0`, `= -1`).
    NegativeCount,
    /// A `SELECT` that projects other than the object variable.
    Projection,
    /// A `CONSTRUCT` template other than one triple `s' <cp> <co>` with the pattern's subject.
    Template,
    /// Everything reads, but no op has this combination.
    NoShape,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Describe => f.write_str("DESCRIBE"),
            Refusal::Dataset => f.write_str("FROM (a dataset clause)"),
            Refusal::Unsupported(name) => f.write_str(name),
            Refusal::TriplePatterns { count } => {
                write!(f, "{count} triple patterns (a hook reads one predicate: write one)")
            }
            Refusal::VariablePredicate => f.write_str("a variable predicate"),
            Refusal::BlankNode => {
                f.write_str("a blank node in the pattern (write a variable or a constant)")
            }
            Refusal::SameVariable => f.write_str("the same variable as subject and object"),
            Refusal::LiteralSubject => f.write_str("a literal subject (no RDF triple has one)"),
            Refusal::Values(problem) => write!(f, "VALUES {problem}"),
            Refusal::Aggregate => f.write_str("an aggregate other than COUNT"),
            Refusal::CountDistinct => {
                f.write_str("COUNT(DISTINCT …) (the pipeline counts statements)")
            }
            Refusal::CountVariable => {
                f.write_str("COUNT of a variable the triple pattern does not have")
            }
            Refusal::Filter { expression } => write!(
                f,
                "FILTER {expression} (the ops decide `?o op number` and `datatype(?o) = <iri>` on the object)"
            ),
            Refusal::Conditions => f.write_str(
                "more than one condition (two FILTERs, `&&`, or a FILTER with a count)",
            ),
            Refusal::Threshold { threshold } => {
                write!(f, "the count threshold {threshold} (write an integer, e.g. 3)")
            }
            Refusal::NegativeCount => {
                f.write_str("a count comparison no count satisfies (a count is never below 0)")
            }
            Refusal::Projection => f.write_str("a SELECT of other than the object variable"),
            Refusal::Template => f.write_str(
                "a CONSTRUCT template other than one triple `s' <cp> <co>` on the pattern's subject",
            ),
            Refusal::NoShape => f.write_str("this combination of form, constants and condition"),
        }
    }
}

/// Every shape's SPARQL and op, for the refusal message.
struct ShapeList;

impl fmt::Display for ShapeList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, shape) in SHAPES.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{} ({})", shape.sparql, shape.op)?;
        }
        Ok(())
    }
}

/// The advice a syntax error gets when the query writes `HAVING`.
struct SyntaxHint(bool);

impl fmt::Display for SyntaxHint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 {
            f.write_str(
                " (HAVING on ASK is read when nothing follows it; a count may also be written \
                 ASK { { SELECT (COUNT(*) AS ?n) WHERE { <s> <p> ?o } } FILTER(?n >= k) })",
            )?;
        }
        Ok(())
    }
}
