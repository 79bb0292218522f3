//! Past one machine: running an N-Triples input in parts (shards) on any engine, and merging
//! what the parts give into what one run over the whole input gives.
//!
//! The files, in the order a sharded load goes through them:
//! - [`range`]: the range rule: the lines a part owns ([`Part`], [`read_range`]).
//! - [`run`]: running one part in-process ([`PartInput`], [`run_part`]), hashing what it
//!   reads and keeping what its [`Manifest`] needs ([`ManifestSink`]).
//! - [`manifest`]: the part's [`Manifest`].
//! - [`merge`](mod@merge): [`merge()`]: refuse parts that do not belong together, sum, merge each hook's
//!   receipts, decide `fired` again.
//! - [`merged`]: the [`MergedManifest`] and its merged root.
//! - [`verify`](mod@verify), [`proof`]: `knhk verify --merged` and `knhk prove --merged`.
//! - [`error`]: [`ShardError`], why a part could not run.
//!
//! In-process, with no CLI:
//!
//! ```no_run
//! use knhk_pipeline::emit::MemorySink;
//! use knhk_pipeline::ingest::IngestOptions;
//! use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
//! use knhk_pipeline::shard::{hooks_hash, merge, run_part, HookFileIdentity, Named, Part, PartInput, ShardIndex};
//!
//! let hooks = HookFileIdentity { name: "hooks.toml".into(), hash: hooks_hash(knhk_pipeline::SAMPLE_HOOKS.as_bytes()) };
//! let mut parts = Vec::new();
//! for index in 0..4 {
//!     let mut pipeline = Pipeline::new(PipelineConfig::default());
//!     for spec in knhk_pipeline::hooks::parse_hook_file(knhk_pipeline::SAMPLE_HOOKS, "hooks.toml")? {
//!         pipeline.register_hook(&spec)?;
//!     }
//!     let input = PartInput::open("dump.nt".as_ref(), Part::Shard(ShardIndex { index, count: 4 }), None)?;
//!     let (_, manifest) = run_part(&mut pipeline, input, hooks.clone(), IngestOptions::default(), &mut MemorySink::default())?;
//!     parts.push(Named { name: format!("shard {index}"), manifest });
//! }
//! let merged = merge(parts)?;
//! println!("{} triples; root {:?}", merged.counts.triples_loaded, merged.root);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod error;
pub mod manifest;
pub mod merge;
pub mod merged;
pub mod proof;
pub mod range;
pub mod run;
pub mod verify;

pub use error::ShardError;
pub use manifest::{
    hooks_hash, input_identity, ChainEnd, Counts, HookFileIdentity, HookResult, InputIdentity,
    Manifest, Measured, ParkedCounts, ReadBytes, HOOKS_KEY_V1, IDENTITY_SAMPLE, INPUT_KEY_V1,
    MANIFEST_FORMAT, MANIFEST_KEY_V1, MANIFEST_VERSION, READ_KEY_V1,
};
pub use merge::{merge, merge_in_order, MergeError, Named};
pub use merged::{MergedHook, MergedManifest, MergedSyntaxError, MERGED_FORMAT, MERGED_VERSION};
pub use proof::{
    check_merged_proof, parse_merged_proof, prove_merged, MergedProof, MergedProofError,
    ProvenMerged,
};
pub use range::{line_start_at_or_after, read_range, ByteRange, Part, PartSyntaxError, ShardIndex};
pub use run::{counts_of, run_part, ManifestSink, PartInput};
pub use verify::{
    digest_receipts, part_names, verify_merged, MergedVerified, MergedVerifyError, ReceiptsDigest,
};
