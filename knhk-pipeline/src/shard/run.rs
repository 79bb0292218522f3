//! Running one part of an input in-process: open the file at the part's line range
//! ([`PartInput`]), hash the bytes as they are read, run the pipeline through a
//! [`ManifestSink`] that merges each hook's receipts and follows the lockchain, and make the
//! part's [`Manifest`] ([`run_part`]).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use crate::block::EncodedTriple;
use crate::dictionary::Dictionary;
use crate::emit::{EmitError, Sink};
use crate::hooks::Hook;
use crate::ingest::{Compression, Format, IngestError, IngestOptions, ReadAhead, TripleReader};
use crate::pipeline::{Pipeline, PipelineError, Summary};
use crate::provenance::lockchain::Commit;
use crate::provenance::merkle::MerkleAccumulator;
use crate::provenance::receipt::Receipt;
use crate::provenance::Hash256;

use super::error::ShardError;
use super::manifest::{
    input_identity, ChainEnd, Counts, HookFileIdentity, HookResult, InputIdentity, Manifest,
    Measured, ParkedCounts, ReadBytes, READ_KEY_V1,
};
use super::range::{read_range, ByteRange, Part};

/// A part of an N-Triples file, opened at the first line it owns.
#[derive(Debug)]
pub struct PartInput {
    path: PathBuf,
    part: Part,
    input: InputIdentity,
    owned: ByteRange,
    read: ByteRange,
    reader: HashingReader,
    digest: Arc<OnceLock<Hash256>>,
}

impl PartInput {
    /// Opens `part` of the file at `path` (read as `format`, or as its extension says),
    /// refusing what cannot be split: compressed files and Turtle.
    ///
    /// # Errors
    ///
    /// [`ShardError::Compressed`], [`ShardError::Turtle`], [`ShardError::PastEnd`] or
    /// [`ShardError::Io`].
    pub fn open(path: &Path, part: Part, format: Option<Format>) -> Result<PartInput, ShardError> {
        let compression = match Compression::from_path(path) {
            Compression::None => None,
            Compression::Gzip => Some("gzip"),
            Compression::Zstd => Some("zstd"),
        };
        if let Some(compression) = compression {
            return Err(ShardError::Compressed {
                path: path.to_owned(),
                compression,
            });
        }
        match format.or_else(|| Format::from_path(path)) {
            Some(Format::NTriples) => {}
            Some(Format::Turtle) => {
                return Err(ShardError::Turtle {
                    path: path.to_owned(),
                })
            }
            None => {
                return Err(IngestError::UnknownFormat {
                    path: path.to_owned(),
                }
                .into())
            }
        }
        let io_error = |error| ShardError::Io {
            path: path.to_owned(),
            error,
        };
        let mut file = crate::ingest::open_file(path)?;
        let size = file.metadata().map_err(io_error)?.len();
        let owned = part.owned(size);
        if owned.end > size {
            return Err(ShardError::PastEnd {
                path: path.to_owned(),
                range: owned,
                size,
            });
        }
        let identity = input_identity(&mut file, size).map_err(io_error)?;
        let read = read_range(&mut file, owned, size).map_err(io_error)?;
        file.seek(SeekFrom::Start(read.start)).map_err(io_error)?;
        let digest = Arc::new(OnceLock::new());
        Ok(PartInput {
            path: path.to_owned(),
            part,
            input: InputIdentity {
                name: path.display().to_string(),
                bytes: size,
                identity,
            },
            owned,
            read,
            reader: HashingReader {
                inner: file.take(read.len()),
                hasher: blake3::Hasher::new_keyed(&READ_KEY_V1),
                done: Arc::clone(&digest),
            },
            digest,
        })
    }

    /// The bytes this part reads.
    pub fn read_range(&self) -> ByteRange {
        self.read
    }

    /// The byte range it owns.
    pub fn owned(&self) -> ByteRange {
        self.owned
    }

    /// The file opened (to compare it with outputs).
    pub fn file(&self) -> &File {
        self.reader.inner.get_ref()
    }
}

/// The part's bytes, hashed as they go by; the hash is published when the end is reached.
#[derive(Debug)]
struct HashingReader {
    inner: io::Take<File>,
    hasher: blake3::Hasher,
    done: Arc<OnceLock<Hash256>>,
}

impl Read for HashingReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let read = self.inner.read(buf)?;
        if read == 0 && !buf.is_empty() {
            let _ = self.done.set(*self.hasher.finalize().as_bytes());
        }
        self.hasher.update(&buf[..read]);
        Ok(read)
    }
}

/// A [`Sink`] in front of another that keeps what a manifest needs: each hook's receipts
/// merged ([`Receipt::merge`]) and the lockchain's commits (head, count, and the Merkle root
/// over their hashes). Allocates nothing once made.
#[derive(Debug)]
pub struct ManifestSink<'s, S> {
    inner: &'s mut S,
    merged: Vec<(Receipt, u64)>,
    commits: MerkleAccumulator,
    head: Hash256,
}

impl<'s, S: Sink> ManifestSink<'s, S> {
    /// A sink for a pipeline of `hooks` hooks, passing everything on to `inner`.
    pub fn new(inner: &'s mut S, hooks: usize) -> Self {
        Self {
            inner,
            merged: vec![(Receipt::IDENTITY, 0); hooks],
            commits: MerkleAccumulator::default(),
            head: [0; 32],
        }
    }

    /// The end of the lockchain seen so far.
    pub fn chain_end(&self) -> ChainEnd {
        ChainEnd {
            head: self.head,
            commits: self.commits.len(),
            commits_root: self.commits.root(),
        }
    }

    /// Hook `index`'s receipts merged, and how many.
    pub fn merged(&self, index: usize) -> (Receipt, u64) {
        self.merged
            .get(index)
            .copied()
            .unwrap_or((Receipt::IDENTITY, 0))
    }
}

impl<S: Sink> Sink for ManifestSink<'_, S> {
    fn receipt(&mut self, receipt: &Receipt, hook: &Hook) -> Result<(), EmitError> {
        if let Some((merged, count)) = self.merged.get_mut(receipt.hook as usize) {
            *merged = merged.merge(receipt);
            *count += 1;
        }
        self.inner.receipt(receipt, hook)
    }

    fn commit(&mut self, commit: &Commit) -> Result<(), EmitError> {
        self.commits.push(commit.hash);
        self.head = commit.hash;
        self.inner.commit(commit)
    }

    fn action(&mut self, action: EncodedTriple, dictionary: &Dictionary) -> Result<(), EmitError> {
        self.inner.action(action, dictionary)
    }

    fn finish(&mut self) -> Result<(), EmitError> {
        self.inner.finish()
    }
}

/// Runs `input` through `pipeline` (its hooks registered, from the hook file `hooks`) into
/// `sink`, and returns the run's summary and the part's manifest. With
/// [`IngestOptions::threads`] above 1 the part is read ahead on a thread of its own, as
/// `knhk run` reads a file.
///
/// # Errors
///
/// [`ShardError::Syntax`] with the error's offset in the whole file, [`ShardError::Io`], or
/// [`ShardError::Pipeline`].
pub fn run_part<S: Sink>(
    pipeline: &mut Pipeline,
    input: PartInput,
    hooks: HookFileIdentity,
    options: IngestOptions,
    sink: &mut S,
) -> Result<(Summary, Manifest), ShardError> {
    let PartInput {
        path,
        part,
        input: identity,
        owned,
        read,
        reader,
        digest,
    } = input;
    let name = format!("{} ({part})", path.display());
    let io_error = |error| ShardError::Io {
        path: path.clone(),
        error,
    };
    let threads = options.threads;
    let mut manifest_sink = ManifestSink::new(sink, pipeline.hooks().len());
    let summary = if threads > 1 {
        let reader = ReadAhead::new(reader).map_err(io_error)?;
        pipeline.execute(part_reader(reader, read, options, name), &mut manifest_sink)
    } else {
        pipeline.execute(part_reader(reader, read, options, name), &mut manifest_sink)
    };
    let summary = summary.map_err(|error| match error {
        PipelineError::Ingest(IngestError::Syntax {
            line, column, kind, ..
        }) => match locate(&path, read, line, column) {
            Ok(offset) => ShardError::Syntax {
                path: path.clone(),
                offset,
                line,
                column,
                part,
                read,
                kind,
            },
            Err(error) => io_error(error),
        },
        other => ShardError::Pipeline(other),
    })?;
    let read_hash = *digest.get().ok_or_else(|| {
        io_error(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the run ended before the end of its byte range",
        ))
    })?;
    let hooks_results = pipeline
        .hooks()
        .hooks()
        .iter()
        .zip(&summary.hooks)
        .enumerate()
        .map(|(index, (hook, outcome))| {
            let (merged, receipts) = manifest_sink.merged(index);
            HookResult {
                name: hook.name.clone(),
                kind: hook.kind.name().to_owned(),
                k: hook.args.k,
                result: merged.result,
                lanes: merged.lanes,
                receipts,
                hash: merged.a_hash,
                ticks: outcome.ticks,
            }
        })
        .collect();
    let manifest = Manifest::new(
        identity,
        hooks,
        part.shard(),
        owned,
        ReadBytes {
            start: read.start,
            end: read.end,
            hash: read_hash,
        },
        counts_of(&summary),
        hooks_results,
        manifest_sink.chain_end(),
        Measured {
            elapsed_us: (summary.elapsed_ms * 1000.0) as u64,
            hot_path_allocations: summary.hot_path_allocations,
        },
    );
    Ok((summary, manifest))
}

/// A summary's counts, as a manifest keeps them.
pub fn counts_of(summary: &Summary) -> Counts {
    Counts {
        triples_ingested: summary.triples_ingested,
        triples_loaded: summary.triples_loaded,
        skipped_invalid: summary.skipped_invalid,
        runs: summary.runs,
        blocks: summary.blocks,
        hooks_evaluated: summary.hooks_evaluated,
        receipts: summary.receipts,
        actions: summary.actions,
        parked: ParkedCounts {
            total: summary.parked.total,
            warm_op: summary.parked.warm_op,
            over_budget: summary.parked.over_budget,
            warm_lookup: summary.parked.warm_lookup,
        },
        pool_drains: summary.pool_drains,
    }
}

/// The N-Triples reader over the bytes `read`. Only a file's first bytes may hold a byte-order
/// mark: a part that starts later reads a U+FEFF as the whole file's reader does there (as
/// text, which the grammar refuses).
fn part_reader<R: Read>(
    reader: R,
    read: ByteRange,
    options: IngestOptions,
    name: String,
) -> TripleReader<R> {
    let reader = TripleReader::new(reader, Format::NTriples, options).with_source_name(name);
    if read.start > 0 {
        reader.starting_inside_file()
    } else {
        reader
    }
}

/// The byte offset in the whole file of `column` (1-based, code points) on `line` (1-based)
/// of the bytes `read`: read again, on the error path only.
fn locate(path: &Path, read: ByteRange, line: u64, column: u64) -> io::Result<u64> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(read.start))?;
    let mut reader = BufReader::new(file.take(read.len()));
    let mut offset = read.start;
    let mut newlines_left = line.saturating_sub(1);
    while newlines_left > 0 {
        let buffer = reader.fill_buf()?;
        if buffer.is_empty() {
            return Ok(offset);
        }
        let (used, found) = match memchr::memchr_iter(b'\n', buffer).nth(newlines_left as usize - 1)
        {
            Some(at) => (at + 1, newlines_left),
            None => (
                buffer.len(),
                memchr::memchr_iter(b'\n', buffer).count() as u64,
            ),
        };
        newlines_left -= found;
        offset += used as u64;
        reader.consume(used);
    }
    // The column counts code points: skip `column - 1` of them (UTF-8 lead bytes).
    let mut code_points_left = column.saturating_sub(1);
    let mut byte = [0u8; 1];
    loop {
        if reader.read(&mut byte)? == 0 {
            return Ok(offset);
        }
        if byte[0] & 0xC0 != 0x80 {
            if code_points_left == 0 {
                return Ok(offset);
            }
            code_points_left -= 1;
        }
        offset += 1;
    }
}
