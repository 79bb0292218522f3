//! The KNHK pipeline on lanepool: ingest, transform, load, reflex and emit on pooled 8-lane
//! blocks, with no allocation from load through the receipts.
//!
//! Stages, in the order data flows:
//! - [`ingest`]: stream triples out of N-Triples (own scanner) or Turtle (oxttl) as borrowed terms.
//! - [`dictionary`]: encode terms to 64-bit [`dictionary::TermId`]s whose tag bits tell the
//!   kind of term and hold small integers inline.
//! - [`block`]: the 8-lane, 64-byte-aligned block of encoded triples (`#[derive(SoA)]`).
//! - [`ops`]: the 19 hook operations, one table: name, constants, kernel, firing rule.
//! - [`hooks`] and [`kernels`]: hooks bound to predicates (parsed into [`ops`]), and the
//!   branchless kernels they run, by family; [`numeric`] compares numeric literals exactly.
//! - [`receipt`]: one pooled receipt per hook evaluation.
//! - [`emit`]: receipts as JSON Lines, constructed triples as N-Triples, through a [`emit::Sink`].
//! - [`pipeline`]: [`pipeline::Pipeline`] runs them all on pooled blocks and receipts.
//!
//! ```
//! use knhk_pipeline::emit::MemorySink;
//! use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
//! use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
//!
//! let mut pipeline = Pipeline::new(PipelineConfig::default());
//! for spec in knhk_pipeline::hooks::parse_hook_file(knhk_pipeline::SAMPLE_HOOKS, "hooks.toml")? {
//!     pipeline.register_hook(&spec)?;
//! }
//! let reader = TripleReader::new(knhk_pipeline::SAMPLE_DATA.as_bytes(), Format::NTriples, IngestOptions::default());
//! let summary = pipeline.execute(reader, &mut MemorySink::default())?;
//! assert_eq!(summary.triples_ingested, summary.triples_loaded + summary.skipped_invalid);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

pub mod block;
pub mod dictionary;
pub mod emit;
pub mod generate;
pub mod hooks;
pub mod ingest;
pub mod kernels;
pub mod numeric;
pub mod ops;
pub mod pipeline;
pub mod receipt;

/// The bundled sample dataset `knhk run` uses when given no file (N-Triples).
pub const SAMPLE_DATA: &str = include_str!("../data/sample.nt");
/// The bundled hook file `knhk run` uses when given no `--hooks`.
pub const SAMPLE_HOOKS: &str = include_str!("../data/hooks.toml");
