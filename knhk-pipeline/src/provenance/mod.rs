//! Provenance: what every hook evaluation leaves behind, how it is chained, written, read back
//! and checked.
//!
//! The modules, in the order data flows through them:
//! - [`receipt`]: one pooled receipt per hook evaluation, its action hash and merge.
//! - `batch_hash`: keyed BLAKE3 of up to eight short inputs at once in SIMD lanes, for the
//!   hashes a drain makes.
//! - [`merkle`]: an RFC 6962 Merkle tree over leaf hashes, built leaf by leaf without
//!   allocating, and its inclusion proofs.
//! - [`lockchain`]: beats, pulses and commits: Merkle trees over receipts, chained; every hashed
//!   encoding, versioned.
//! - [`receipts_file`]: the receipts file's lines: their types, how each is written (without
//!   allocating) and read back.
//! - [`verify`]: checking a receipts file offline and against a re-run (`knhk verify`).
//! - [`proof`]: inclusion proofs of one receipt (`knhk prove`).

// Public only for its tests (tests/batch_hash.rs) and bench (benches/provenance.rs): a library
// user never calls it, and its API follows the provenance encodings' needs.
#[doc(hidden)]
pub mod batch_hash;
pub mod lockchain;
pub mod merkle;
pub mod proof;
pub mod receipt;
pub mod receipts_file;
pub mod verify;

pub use batch_hash::Hash256;
