//! Turtle through oxttl's `TurtleParser`, adapted to the borrowed [`Triple`] view.
//!
//! oxttl builds owned `oxrdf` triples (it allocates per triple); each one is lent to the
//! callback as a [`Triple`] and then dropped. Relative IRIs resolve against
//! [`IngestOptions::base_iri`] (and `@base` in the document). oxttl's error location is mapped
//! to our 1-based line and column (it counts columns in code points, as our scanner does).
//!
//! # Skipping invalid input
//! With [`IngestOptions::skip_invalid`] the reader uses oxttl's own error recovery: after a
//! syntax error oxttl drops the statement it was building and resumes at the next token as if
//! a new statement started there. This is token-level, not statement-exact:
//! - triples of the broken statement emitted before the error stay emitted;
//! - the tokens left over from it can raise more errors, and can swallow the statement that
//!   follows (e.g. `ex:b ex:p ex:o ex:extra .` followed by `ex:c ex:p ex:o .` loses `ex:c`);
//! - [`IngestReport::skipped`] therefore counts syntax errors, not statements.
//!
//! Every error is still counted and passed to `on_skipped`, so nothing is lost silently, but
//! for exact per-line skipping convert the data to N-Triples. A read error (I/O) always stops
//! the read.

use std::io::Read;
use std::sync::Arc;

use oxrdf::{NamedOrBlankNode, Term as OxTerm};
use oxttl::{TurtleParseError, TurtleParser};

use super::term::{Literal, Term, Triple};
use super::{handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind};

pub(crate) fn run<R, E, F, S>(
    reader: R,
    file: Arc<str>,
    options: &IngestOptions,
    mut f: F,
    mut on_skipped: S,
) -> Result<IngestReport, E>
where
    R: Read,
    E: From<IngestError>,
    F: FnMut(Triple<'_>) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    let mut parser = TurtleParser::new();
    if let Some(base) = &options.base_iri {
        parser = parser
            .with_base_iri(base.as_str())
            .map_err(|e| IngestError::InvalidBaseIri {
                iri: base.clone(),
                reason: e.to_string(),
            })?;
    }
    let mut report = IngestReport::default();
    for item in parser.for_reader(reader) {
        match item {
            Ok(triple) => {
                report.triples += 1;
                f(Triple {
                    subject: match &triple.subject {
                        NamedOrBlankNode::NamedNode(n) => Term::Iri(n.as_str()),
                        NamedOrBlankNode::BlankNode(b) => Term::BlankNode(b.as_str()),
                    },
                    predicate: Term::Iri(triple.predicate.as_str()),
                    object: match &triple.object {
                        OxTerm::NamedNode(n) => Term::Iri(n.as_str()),
                        OxTerm::BlankNode(b) => Term::BlankNode(b.as_str()),
                        OxTerm::Literal(l) => Term::Literal(match l.language() {
                            Some(language) => Literal::lang_tagged(l.value(), language),
                            None => Literal::typed(l.value(), l.datatype().as_str()),
                        }),
                    },
                })?;
            }
            Err(TurtleParseError::Syntax(e)) => {
                let start = e.location().start;
                let error = IngestError::Syntax {
                    file: file.clone(),
                    line: start.line + 1,
                    column: start.column + 1,
                    kind: SyntaxErrorKind::Turtle(e.message().to_owned()),
                };
                handle_invalid(error, options.skip_invalid, &mut report, &mut on_skipped)?;
            }
            Err(TurtleParseError::Io(error)) => {
                return Err(IngestError::Io { file, error }.into());
            }
        }
    }
    Ok(report)
}
