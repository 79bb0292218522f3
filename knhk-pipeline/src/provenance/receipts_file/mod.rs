//! The receipts file: a run's receipts and lockchain commits, one JSON object per line, each
//! commit line after the receipts it covers (see [`crate::provenance::lockchain`] for what a
//! commit covers and every byte it hashes). This module owns the lines: their types, how each
//! is written (allocation-free, for the pipeline's hot path) and how each is read back (with
//! serde, for `knhk verify` and `knhk prove`). Each line's keys are listed once, in its table
//! (`receipt_line.rs`, `commit_line.rs`), and the writer, the reader and the verifier's
//! comparisons are made from that table.
//!
//! Files, in the order a line goes through them: `fields.rs` (the encodings and the table
//! machinery), `receipt_line.rs` and `commit_line.rs` (the two lines and their writers),
//! `read.rs` (reading a file back), `line_limit.rs` (the bound on a line's length when
//! reading).
//!
//! # Receipt lines
//!
//! Keys in this order (written by [`write_receipt_json`], read into a [`ReceiptRecord`]):
//!
//! | key | JSON type | meaning |
//! |---|---|---|
//! | `seq` | number | position in the run's receipts, from 0, without gaps |
//! | `cycle` | number | the beat of the evaluated block |
//! | `shard` | number | the shard that evaluated it (0: the pipeline runs one shard) |
//! | `hook` | string | the hook's name (letters, digits, `-_.:`, never escaped) |
//! | `kind` | string | the hook's kind (`ask_sp`, ...) |
//! | `predicate` | number | the run's predicate id |
//! | `lanes` | number | active lanes of the block (1 to 8) |
//! | `result` | number | the block's result (match count) |
//! | `ticks` | number | timestamp-counter ticks (not deterministic) |
//! | `span_id` | string | 16 lowercase hex digits, see [`crate::provenance::receipt::span_id`] |
//! | `a_hash` | string | 64 lowercase hex digits, see [`crate::provenance::receipt::action_hash`] |
//!
//! # Commit lines
//!
//! Keys in this order (written by [`write_commit_json`], read into a [`CommitRecord`]):
//!
//! | key | JSON type | meaning |
//! |---|---|---|
//! | `commit` | number | the commit's index in the run, from 0 |
//! | `version` | number | [`LOCKCHAIN_VERSION`], the version of every hashed encoding |
//! | `end` | boolean | `true` for the commit at the end of the input, the file's last line |
//! | `first_cycle` | number | the first beat covered: `8 × commit` |
//! | `beats` | number | beats covered: 8, or 0 to 8 for the end commit |
//! | `first_seq` | number | `seq` of the first receipt covered (the next `seq` if none) |
//! | `receipts` | number | receipts covered: the tree's leaves |
//! | `triples` | number | triples loaded in the beats covered |
//! | `blocks_hash` | string | hex, see [`lockchain`](crate::provenance::lockchain) |
//! | `root` | string | hex, the Merkle root over the receipts covered |
//! | `ticks_hash` | string | hex, see [`lockchain`](crate::provenance::lockchain) |
//! | `prev` | string | hex, the previous commit's `hash` (zeros for commit 0) |
//! | `hash` | string | hex, this commit's hash, see [`lockchain`](crate::provenance::lockchain) |

mod commit_line;
pub(crate) mod fields;
mod line_limit;
mod read;
mod receipt_line;

pub use commit_line::{write_commit_json, CommitRecord};
pub use fields::Value;
pub use line_limit::{LineLimit, LineTooLong, DEFAULT_MAX_RECORD_BYTES};
pub use read::{parse_record, Record, RecordError, RecordId, Records};
pub use receipt_line::{write_receipt_json, ReceiptRecord};

#[cfg(doc)]
use crate::provenance::lockchain::LOCKCHAIN_VERSION;
