//! Commit lines: one lockchain commit and the version of its encodings (see the
//! [format](super)).

use std::io;

use super::fields::line_format;
use crate::provenance::lockchain::{Commit, LOCKCHAIN_VERSION};

/// A commit line: a commit, and the version of the encodings that made it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CommitRecord {
    /// The encodings' version ([`LOCKCHAIN_VERSION`] when written by this pipeline).
    pub version: u64,
    /// The commit.
    pub commit: Commit,
}

line_format! {
    CommitRecord as "struct CommitRecord", view: CommitRecord = |record| *record;
    commit: Number = commit.index,
    version: Number = version,
    end: Flag = commit.end,
    first_cycle: Number = commit.first_cycle,
    beats: Number = commit.beats,
    first_seq: Number = commit.first_seq,
    receipts: Number = commit.receipts,
    triples: Number = commit.triples,
    blocks_hash: Hash = commit.blocks_hash,
    root: Hash = commit.root,
    ticks_hash: MeasuredHash = commit.ticks_hash,
    prev: Hash = commit.prev,
    hash: Hash = commit.hash,
}

impl CommitRecord {
    /// The line this pipeline writes for `commit`.
    pub fn new(commit: &Commit) -> Self {
        Self {
            version: LOCKCHAIN_VERSION,
            commit: *commit,
        }
    }
}

/// Writes one commit as a JSON object on one line, allocating nothing.
///
/// # Errors
///
/// The writer's error.
pub fn write_commit_json<W: io::Write + ?Sized>(out: &mut W, commit: &Commit) -> io::Result<()> {
    CommitRecord::write_view(out, &CommitRecord::new(commit))
}
