//! Why a run of the pipeline stopped: [`PipelineError`].

use lanepool::PoolError;

use crate::dictionary::DictionaryError;
use crate::emit::EmitError;
use crate::ingest::IngestError;

#[cfg(doc)]
use super::Pipeline;

/// Why a run of the pipeline stopped.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// Reading or parsing the input failed (syntax errors carry file, line and column).
    #[error(transparent)]
    Ingest(#[from] IngestError),
    /// The dictionary could not take a term.
    #[error(transparent)]
    Dictionary(#[from] DictionaryError),
    /// A pool refused for a reason draining cannot fix (a bug: reported, not hidden).
    #[error(transparent)]
    Pool(#[from] PoolError),
    /// The sink failed.
    #[error(transparent)]
    Emit(#[from] EmitError),
    /// A pre-encoded triple ([`Pipeline::execute_encoded`]) holds an id this pipeline's
    /// dictionary did not issue.
    #[error(
        "encoded triple {index}: its {position} {id:#x} is not an id this pipeline's dictionary \
         issued (encode terms with Pipeline::dictionary_mut)"
    )]
    ForeignId {
        /// The triple's 0-based position in the input.
        index: u64,
        /// `subject`, `predicate` or `object`.
        position: &'static str,
        /// The raw id.
        id: u64,
    },
}
