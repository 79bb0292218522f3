//! The KNHK pipeline on lanepool: ingest, transform, load, reflex and emit on pooled 8-lane
//! blocks, with no allocation from load through the receipts.
//!
//! Stages, in the order data flows:
//! - [`ingest`]: stream triples out of N-Triples (own scanner) or Turtle (own fast path, oxttl
//!   for the rest) as borrowed terms.
//! - [`dictionary`]: encode terms to 64-bit [`dictionary::TermId`]s whose tag bits tell the
//!   kind of term and hold small integers inline.
//! - [`block`]: the 8-lane, 64-byte-aligned block of encoded triples (`#[derive(SoA)]`).
//! - [`ops`]: the 19 hook operations, one table: name, constants, kernel, firing rule.
//! - [`hooks`] and [`kernels`]: hooks bound to predicates (parsed into [`ops`]), and the
//!   branchless kernels they run, by family; [`numeric`] compares numeric literals exactly.
//! - [`arch`]: what the kernels ask of the CPU: lane dispatch, the lane test on an id's tag,
//!   eight BLAKE3 compressions in AVX2 registers, and the tick counter a batch is timed with
//!   (the one module allowed `unsafe`).
//! - [`provenance`]: one pooled receipt per hook evaluation, chained into the lockchain's
//!   commits (Merkle trees over receipts) and written to the receipts file; read back, checked
//!   offline and against a re-run (`knhk verify`), and proven one receipt at a time
//!   (`knhk prove`).
//! - [`emit`]: receipts as JSON Lines, constructed triples as N-Triples, through a [`emit::Sink`].
//! - [`pipeline`]: [`pipeline::Pipeline`] runs them all on pooled blocks and receipts.
//! - [`shard`]: running an input in parts on any engine and merging them into what one run
//!   gives (`knhk run --shard`, `knhk merge`).
//! - `cli`: what the `knhk` commands do, behind the thin `main.rs` (for the binary only,
//!   hidden from these docs).
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
//!
//! # Provenance
//!
//! Every hook evaluation leaves a [`provenance::receipt::Receipt`] whose `a_hash` is the
//! BLAKE3 hash of the hook, the block's triples and the result; receipts merge with
//! [`provenance::receipt::Receipt::merge`], a commutative monoid that does not cancel. Every
//! loaded block is one beat of the run's [`provenance::lockchain::Lockchain`]; every 8 beats
//! and at the end of the input a commit (a Merkle root over the pulse's receipts and a hash of
//! the blocks loaded, chained to the previous commit) follows its receipts in the same JSON
//! Lines output. [`provenance::receipts_file`] documents the file's receipt and commit lines,
//! [`provenance::lockchain`] every byte hashed, versioned. Then, from the command line:
//!
//! ```text
//! knhk run data.nt --hooks hooks.toml --receipts receipts.jsonl
//! knhk verify --receipts receipts.jsonl                                  # the chain holds
//! knhk verify --receipts receipts.jsonl --input data.nt --hooks hooks.toml   # and is what they produce
//! knhk prove --receipts receipts.jsonl --seq 40 > proof.json               # one receipt ...
//! knhk verify --proof proof.json                                         # ... checked alone
//! ```
#![deny(unsafe_code)]

pub mod arch;
pub mod block;
// For the `knhk` binary (src/main.rs, a separate crate target) only: not library API.
#[doc(hidden)]
pub mod cli;
pub mod dictionary;
pub mod emit;
pub mod generate;
pub mod hooks;
pub mod ingest;
pub mod kernels;
pub mod numeric;
pub mod ops;
pub mod pipeline;
pub mod provenance;
pub mod shard;

/// The bundled sample dataset `knhk run` uses when given no file (N-Triples).
pub const SAMPLE_DATA: &str = include_str!("../data/sample.nt");
/// The bundled hook file `knhk run` uses when given no `--hooks`.
pub const SAMPLE_HOOKS: &str = include_str!("../data/hooks.toml");
