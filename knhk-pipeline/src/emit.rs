//! Emit: receipts and lockchain commits as JSON Lines (one file, written by
//! [`crate::provenance::receipts_file`]), constructed triples ("actions") as N-Triples, through a [`Sink`]. [`WriterSink`] writes to any `io::Write` (files, stdout); [`MemorySink`] keeps
//! everything in memory for library users and tests.

use std::io::{self, Write};

use crate::block::EncodedTriple;
use crate::dictionary::{Dictionary, TermId};
use crate::hooks::Hook;
use crate::provenance::lockchain::Commit;
use crate::provenance::receipt::Receipt;
use crate::provenance::receipts_file::{write_commit_json, write_receipt_json};

/// Why emitting failed.
#[derive(Debug, thiserror::Error)]
pub enum EmitError {
    /// Writing an output failed.
    #[error("cannot write {output}: {error}")]
    Io {
        /// `receipts` or `actions`.
        output: &'static str,
        /// The underlying error.
        #[source]
        error: io::Error,
    },
    /// An action holds an id the dictionary never issued: a bug, reported rather than hidden.
    #[error("action holds term id {id:#x}, which the dictionary never issued")]
    UnknownTerm {
        /// The id.
        id: u64,
    },
}

/// Where the pipeline delivers receipts and actions.
pub trait Sink {
    /// One receipt, with the hook it belongs to.
    ///
    /// # Errors
    ///
    /// Whatever delivering it failed with; the pipeline stops and returns it.
    fn receipt(&mut self, receipt: &Receipt, hook: &Hook) -> Result<(), EmitError>;

    /// One lockchain commit, delivered right after the last receipt it covers (see
    /// [`crate::provenance::lockchain`]). Sinks that keep no provenance may ignore it (the default).
    ///
    /// # Errors
    ///
    /// As for [`Sink::receipt`].
    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        let _ = commit;
        Ok(())
    }

    /// One constructed triple; `dictionary` decodes its ids.
    ///
    /// # Errors
    ///
    /// As for [`Sink::receipt`].
    fn action(&mut self, action: EncodedTriple, dictionary: &Dictionary) -> Result<(), EmitError>;

    /// Called once the input is done.
    ///
    /// # Errors
    ///
    /// As for [`Sink::receipt`].
    fn finish(&mut self) -> Result<(), EmitError> {
        Ok(())
    }
}

/// Writes receipts as JSON Lines and actions as N-Triples. Either output may be absent, in
/// which case that stream is only counted by the pipeline.
#[derive(Debug)]
pub struct WriterSink<R, A> {
    receipts: Option<R>,
    actions: Option<A>,
}

impl<R: Write, A: Write> WriterSink<R, A> {
    /// A sink writing to the given outputs (buffer them: each record is a few small writes).
    pub fn new(receipts: Option<R>, actions: Option<A>) -> Self {
        Self { receipts, actions }
    }

    /// The outputs back.
    pub fn into_inner(self) -> (Option<R>, Option<A>) {
        (self.receipts, self.actions)
    }
}

/// Writes one triple of ids as an N-Triples line.
///
/// # Errors
///
/// [`EmitError::UnknownTerm`] for an id the dictionary did not issue, or the writer's error.
pub fn write_action_ntriples<W: Write + ?Sized>(
    out: &mut W,
    action: EncodedTriple,
    dictionary: &Dictionary,
) -> Result<(), EmitError> {
    let decode = |id: u64| {
        TermId::from_u64(id)
            .and_then(|term| dictionary.display(term))
            .ok_or(EmitError::UnknownTerm { id })
    };
    let (s, p, o) = (decode(action.s)?, decode(action.p)?, decode(action.o)?);
    writeln!(out, "{s} {p} {o} .").map_err(|error| EmitError::Io {
        output: "actions",
        error,
    })
}

impl<R: Write, A: Write> Sink for WriterSink<R, A> {
    fn receipt(&mut self, receipt: &Receipt, hook: &Hook) -> Result<(), EmitError> {
        match &mut self.receipts {
            Some(out) => write_receipt_json(out, receipt, hook).map_err(|error| EmitError::Io {
                output: "receipts",
                error,
            }),
            None => Ok(()),
        }
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        match &mut self.receipts {
            Some(out) => write_commit_json(out, commit).map_err(|error| EmitError::Io {
                output: "receipts",
                error,
            }),
            None => Ok(()),
        }
    }

    fn action(&mut self, action: EncodedTriple, dictionary: &Dictionary) -> Result<(), EmitError> {
        match &mut self.actions {
            Some(out) => write_action_ntriples(out, action, dictionary),
            None => Ok(()),
        }
    }

    fn finish(&mut self) -> Result<(), EmitError> {
        if let Some(out) = &mut self.receipts {
            out.flush().map_err(|error| EmitError::Io {
                output: "receipts",
                error,
            })?;
        }
        if let Some(out) = &mut self.actions {
            out.flush().map_err(|error| EmitError::Io {
                output: "actions",
                error,
            })?;
        }
        Ok(())
    }
}

/// Keeps receipts, commits and actions in memory.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemorySink {
    /// Every receipt, in emission order.
    pub receipts: Vec<Receipt>,
    /// Every lockchain commit, in emission order.
    pub commits: Vec<Commit>,
    /// Every constructed triple, in emission order.
    pub actions: Vec<EncodedTriple>,
}

impl Sink for MemorySink {
    fn receipt(&mut self, receipt: &Receipt, _hook: &Hook) -> Result<(), EmitError> {
        self.receipts.push(*receipt);
        Ok(())
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        self.commits.push(*commit);
        Ok(())
    }

    fn action(&mut self, action: EncodedTriple, _dictionary: &Dictionary) -> Result<(), EmitError> {
        self.actions.push(action);
        Ok(())
    }
}
