//! Errors and recovery: the state the read loop carries besides the parser, oxttl's errors
//! mapped to the line and column of the whole input, and the resume point after a broken
//! statement (see the [parent module](super)).

use std::collections::VecDeque;
use std::io::Read;
use std::sync::Arc;

use oxttl::turtle::LowLevelTurtleParser;
use oxttl::{TurtleParser, TurtleSyntaxError};

use super::blank_labels::BlankLabels;
use super::splitter::{Splitter, Statement};
use crate::ingest::{
    handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind, Triple, TurtleError,
};

/// How many line starts inside a broken statement are tried as resume points.
const MAX_RESUME_CANDIDATES: usize = 32;

/// A parser with `base` and `prefixes`, at the start of a statement.
pub(super) fn fresh_parser(
    base: Option<&str>,
    prefixes: &[(String, String)],
) -> Result<LowLevelTurtleParser, String> {
    let mut parser = TurtleParser::new();
    if let Some(base) = base {
        parser = parser.with_base_iri(base).map_err(|e| e.to_string())?;
    }
    for (name, iri) in prefixes {
        parser = parser
            .with_prefix(name.as_str(), iri.as_str())
            .map_err(|e| e.to_string())?;
    }
    Ok(parser.low_level())
}

/// Everything the read loop carries besides the parser.
pub(super) struct ReadState<R> {
    pub(super) splitter: Splitter<R>,
    pub(super) file: Arc<str>,
    pub(super) has_base: bool,
    /// Absolute byte offset where the current parser's input starts.
    pub(super) origin: u64,
    /// The statements fed to the current parser that an error may still point into.
    pub(super) fed: VecDeque<Statement>,
    pub(super) report: IngestReport,
    pub(super) blanks: BlankLabels,
}

impl<R: Read> ReadState<R> {
    /// A syntax error at absolute byte offset `at`.
    pub(super) fn syntax_error(&self, at: u64, kind: TurtleError) -> IngestError {
        self.syntax_error_at(self.splitter.position_of(at), kind)
    }

    /// A syntax error at `(line, column)`.
    pub(super) fn syntax_error_at(
        &self,
        (line, column): (u64, u64),
        kind: TurtleError,
    ) -> IngestError {
        IngestError::Syntax {
            file: self.file.clone(),
            line,
            column,
            kind: SyntaxErrorKind::Turtle(kind),
        }
    }

    /// Handles a statement the parser is not given: one over the size limit, or one with an
    /// unclosed IRI or one-line string. Returns the parser to go on with, starting after the statement.
    pub(super) fn special<E, F, S>(
        &mut self,
        parser: &LowLevelTurtleParser,
        statement: Statement,
        options: &IngestOptions,
        f: &mut F,
        on_skipped: &mut S,
    ) -> Result<LowLevelTurtleParser, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        self.fed.clear();
        if statement.oversized {
            let at = statement
                .first_token_position
                .unwrap_or_else(|| self.splitter.position_of(statement.first_token));
            let error = self.syntax_error_at(
                at,
                TurtleError::StatementTooLong {
                    limit: options.max_statement_bytes,
                },
            );
            handle_invalid(error, options.skip_invalid, &mut self.report, on_skipped)?;
            self.origin = statement.end;
            return Ok(self.fork(parser)?);
        }
        // The first break: an unclosed IRI or one-line string.
        let (at, kind) = match (statement.broken_iri, statement.broken_string) {
            (Some(iri), Some(string)) if string < iri => (string, TurtleError::UnterminatedString),
            (Some(iri), _) => (iri, TurtleError::UnterminatedIri),
            (None, Some(string)) => (string, TurtleError::UnterminatedString),
            (None, None) => (statement.start, TurtleError::UnterminatedIri),
        };
        // oxttl reads an unclosed IRI or string on into the statements that follow, so this
        // one is not given to it: the triples completed before the break are kept (as serdi
        // keeps them), the error is ours, and recovery goes on from inside the statement.
        let mut before = self.fork(parser)?;
        before.extend_from_slice(self.splitter.bytes(statement.start, at));
        while let Some(Ok(triple)) = before.parse_next() {
            self.report.triples += 1;
            self.blanks.lend(&triple, &mut *f)?;
        }
        let error = self.syntax_error(at, kind);
        handle_invalid(error, options.skip_invalid, &mut self.report, on_skipped)?;
        self.fed.push_back(statement);
        self.splitter.keep_from(statement.start);
        self.recover(parser, at, f)
    }

    /// A parser that carries on from `parser`'s prefixes and base.
    pub(super) fn fork(
        &self,
        parser: &LowLevelTurtleParser,
    ) -> Result<LowLevelTurtleParser, IngestError> {
        let prefixes: Vec<(String, String)> = parser
            .prefixes()
            .map(|(name, iri)| (name.to_owned(), iri.to_owned()))
            .collect();
        fresh_parser(parser.base_iri(), &prefixes).map_err(|reason| IngestError::InvalidBaseIri {
            iri: parser.base_iri().unwrap_or_default().to_owned(),
            reason,
        })
    }

    /// Hands every triple the parser can produce to `f`; on a syntax error, reports it and
    /// (in skip mode) recovers as the module docs say.
    pub(super) fn drain<E, F, S>(
        &mut self,
        parser: &mut LowLevelTurtleParser,
        skip: bool,
        f: &mut F,
        on_skipped: &mut S,
    ) -> Result<(), E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
        S: FnMut(&IngestError),
    {
        while let Some(item) = parser.parse_next() {
            match item {
                Ok(triple) => {
                    self.report.triples += 1;
                    self.blanks.lend(&triple, &mut *f)?;
                }
                Err(e) => {
                    let at = self.origin + e.location().start.offset;
                    let error = self.error_at(at, &e);
                    handle_invalid(error, skip, &mut self.report, on_skipped)?;
                    *parser = self.recover(parser, at, f)?;
                }
            }
        }
        Ok(())
    }

    fn error_at(&self, at: u64, e: &TurtleSyntaxError) -> IngestError {
        let message = e.message().to_owned();
        let kind = if !self.has_base && message.contains("No scheme found") {
            TurtleError::RelativeIriWithoutBase { message }
        } else {
            TurtleError::Syntax(message)
        };
        self.syntax_error(at, kind)
    }

    /// Drops what is left of the broken statement holding byte `at` and returns the parser
    /// to go on with, which starts right after that statement.
    fn recover<E, F>(
        &mut self,
        parser: &LowLevelTurtleParser,
        at: u64,
        f: &mut F,
    ) -> Result<LowLevelTurtleParser, E>
    where
        E: From<IngestError>,
        F: FnMut(Triple<'_>) -> Result<(), E>,
    {
        let index = self.fed.iter().rposition(|s| s.start <= at).unwrap_or(0);
        let Some(broken) = self.fed.get(index).copied() else {
            self.origin = at;
            return Ok(self.fork(parser)?);
        };
        let mut resumed = None;
        let candidates =
            self.splitter
                .line_starts(broken.start, at, broken.end, MAX_RESUME_CANDIDATES);
        for from in candidates {
            // Parse the rest of the statement from this line on, to its very end; keep it
            // only if it is clean.
            let mut trial = self.fork(parser)?;
            trial.extend_from_slice(self.splitter.bytes(from, broken.end));
            trial.end();
            let mut triples = Vec::new();
            let clean = loop {
                match trial.parse_next() {
                    Some(Ok(triple)) => triples.push(triple),
                    Some(Err(_)) => break false,
                    None => break true,
                }
            };
            if clean {
                for triple in &triples {
                    self.report.triples += 1;
                    self.blanks.lend(triple, &mut *f)?;
                }
                resumed = Some(self.fork(&trial)?);
                break;
            }
        }
        let mut next = match resumed {
            Some(next) => next,
            None => self.fork(parser)?,
        };
        self.origin = broken.end;
        // The statements after the broken one were fed to the old parser; feed them again.
        self.fed.drain(..=index);
        if let (Some(first), Some(last)) = (self.fed.front(), self.fed.back()) {
            next.extend_from_slice(self.splitter.bytes(first.start, last.end));
        }
        Ok(next)
    }
}
