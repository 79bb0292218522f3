//! The lockchain: receipts committed in Merkle trees, one per pulse, chained commit to commit.
//!
//! # Beats, pulses and commits
//!
//! Every block the pipeline loads is one *beat*: the beat counter (a receipt's `cycle`) advances
//! by one per loaded block, whether or not a hook is bound to its predicate, so every loaded
//! triple falls in some beat. The tick of a beat is `cycle & 7`; eight beats make a *pulse*.
//! Once a pulse's eighth beat is done and its receipts are out, and once at the end of the
//! input, the pipeline writes a *commit* that covers, in order:
//!
//! - the receipts of the pulse's beats, as the leaves of a Merkle tree (RFC 6962 shape and
//!   domain separation: `0x00` before a leaf, `0x01` before a node, so a leaf can never pass for
//!   a node);
//! - the blocks loaded in those beats (`blocks_hash`), so a change to any loaded triple shows,
//!   not only to those a hook read;
//! - the previous commit's hash (`prev`; 32 zero bytes for the first commit of a run).
//!
//! The commit at the end of the input has `"end":true` and covers the beats since the last
//! pulse, possibly none; it is always written, so a file cut short after a pulse commit is
//! caught. A run's records, receipts and commits interleaved, are one JSON Lines file: each
//! commit line follows the receipts it covers ([`super::receipts_file`] documents its lines).
//!
//! # What is deterministic, and the ticks
//!
//! Everything except `ticks` is a function of the input, the hooks and the batch size (which
//! decides where a predicate's run is cut into blocks; `knhk` always uses the default) alone:
//! the same data and hook file give byte-identical receipts and commits whatever the pool
//! sizes, ticks aside. To keep it so, the Merkle leaves and the commit hash leave the ticks out, and
//! each commit carries them separately in `ticks_hash`, which `knhk verify` recomputes (so an
//! edited tick is caught) but which is not chained: a re-run reproduces every commit hash
//! exactly, and the last commit's hash is a fingerprint of what this data and these hooks
//! produce. A receipt's leaf and ticks are taken as it is emitted, so its `ticks` must be set
//! by then.
//!
//! # The bytes hashed (versions 2 and 3)
//!
//! Every hash is BLAKE3 (32 bytes) in keyed mode ([`blake3::keyed_hash`]), each kind of input
//! with its own key: a 32-byte domain tag, the tag's ASCII zero-padded (the constants below).
//! Every integer is little-endian; `‖` is concatenation.
//!
//! - **Leaf** (one per receipt), key [`RECEIPT_KEY_V2`]: `seq u64 ‖ cycle u64 ‖ shard u32 ‖
//!   len(hook) u8 ‖ hook ‖ len(kind) u8 ‖ kind ‖ predicate u64 ‖ lanes u64 ‖ result u64 ‖
//!   span_id u64 ‖ a_hash (32)`. The hook's name and kind are their UTF-8 bytes as written in
//!   the line. `ticks` is left out (see above). Two compressions while name and kind together
//!   take at most 42 bytes.
//! - **Node** and **root**: those of the [`super::merkle`] tree over the leaves in `seq` order
//!   (RFC 6962's shape; nodes are hashed with [`super::merkle::NODE_KEY_V2`], so a leaf can never pass for a
//!   node).
//! - **`blocks_hash`**, key [`BLOCKS_KEY_V2`]: per beat in order, `predicate u64 ‖ digest (32)`,
//!   where `digest` is the block's [`super::receipt::BlockDigest`] (its lanes' subjects and
//!   objects, hashed once per block and shared with its receipts' action hashes); a beat's
//!   cycle is its place.
//! - **`ticks_hash`**, key [`TICKS_KEY_V2`]: each covered receipt's `ticks u64`, in order.
//! - **`hash`**, key [`COMMIT_KEY_V2`]: `commit u64 ‖ end u8 ‖ first_cycle u64 ‖ beats u64 ‖
//!   first_seq u64 ‖ receipts u64 ‖ triples u64 ‖ blocks_hash ‖ root ‖ prev`.
//!
//! Version 3 hashes the same bytes, with the same keys, as version 2 (hence the `_V2` names):
//! what changed is which triples share a block. Version 3 keeps a predicate run's triples in
//! input order ([`crate::block::group_into_runs`]) where version 2 sorted them by subject and
//! object, so the same input gives other blocks, block digests, receipts and commits.
//! Version 1 (before `knhk` 2026-11-27) hashed each input unkeyed behind a 16-byte tag (and a
//! `0x00`/`0x01` byte for leaves and nodes), and each block's triples whole into
//! `blocks_hash`: about twice the BLAKE3 compressions for the same coverage. `knhk verify`
//! reads version 3 and reports any other version on the commit's line.
//!
use std::collections::VecDeque;

use super::batch_hash::{keyed_hash_each, room, EncodeBuffers, Hash256, StackBytes};
use super::merkle::MerkleAccumulator;
use super::receipt::{span_id, BlockDigest, Receipt};
use crate::hooks::Hook;

/// The version of the receipts file's encodings (action, leaf, node, blocks, ticks and commit
/// bytes) and of how a batch is grouped into blocks.
pub const LOCKCHAIN_VERSION: u64 = 3;
/// Beats per pulse: the pipeline commits after every 8 beats.
pub const BEATS_PER_PULSE: u64 = 8;
/// The shard this pipeline evaluates as (one shard).
pub const SHARD: u32 = 0;

/// Key of a receipt's leaf hash.
pub const RECEIPT_KEY_V2: [u8; 32] = *b"knhk.receipt.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// Key of `blocks_hash`.
pub const BLOCKS_KEY_V2: [u8; 32] = *b"knhk.blocks.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// Key of `ticks_hash`.
pub const TICKS_KEY_V2: [u8; 32] = *b"knhk.ticks.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
/// Key of a commit's hash.
pub const COMMIT_KEY_V2: [u8; 32] = *b"knhk.commit.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// The fields of a receipt as its line carries them: the hook by name and kind, not by index.
#[derive(Clone, Copy, Debug)]
pub struct ReceiptView<'a> {
    /// The receipt (its `hook` index is not hashed: the name is).
    pub receipt: &'a Receipt,
    /// The hook's name.
    pub hook: &'a str,
    /// The hook's kind name.
    pub kind: &'a str,
}

impl<'a> ReceiptView<'a> {
    /// The fields of `receipt`, made by `hook`.
    #[inline]
    pub fn new(receipt: &'a Receipt, hook: &'a Hook) -> Self {
        Self {
            receipt,
            hook: &hook.name,
            kind: hook.kind.name(),
        }
    }
}

/// The longest leaf encoding: both names at 255 bytes.
const LEAF_BYTES: usize = 8 + 8 + 4 + 2 * 256 + 4 * 8 + 32;
/// Its room in [`EncodeBuffers`], padded to be hashed in place.
const LEAF_ROOM: usize = room(LEAF_BYTES);

/// The leaf hash of one receipt (see the [module docs](self)).
pub fn leaf_hash(view: ReceiptView<'_>) -> Hash256 {
    let mut bytes = StackBytes::new();
    encode_leaf(view, &mut bytes);
    *blake3::keyed_hash(&RECEIPT_KEY_V2, bytes.as_slice()).as_bytes()
}

/// The leaf hashes of `views`, into `out` in order, eight at a time
/// (`batch_hash`, encoded into `buffers`): each what [`leaf_hash`] gives; returns how
/// many. No allocation.
///
/// # Panics
///
/// If `out` is shorter than `views`.
#[doc(hidden)] // Public for the batched-equals-single tests (tests/lockchain_encoding.rs).
pub fn leaf_hashes<'a>(
    views: impl IntoIterator<Item = ReceiptView<'a>>,
    out: &mut [Hash256],
    buffers: &mut LeafBuffers,
) -> usize {
    keyed_hash_each(&RECEIPT_KEY_V2, views, encode_leaf, out, buffers)
}

/// Encoding room for [`leaf_hashes`], kept from one call to the next.
#[doc(hidden)] // Public for the batched-equals-single tests (tests/lockchain_encoding.rs).
pub type LeafBuffers = EncodeBuffers<LEAF_ROOM>;

fn encode_leaf(view: ReceiptView<'_>, bytes: &mut StackBytes<LEAF_ROOM>) {
    let r = view.receipt;
    // The fixed fields before and after the names, each gathered at constant offsets and
    // pushed at once (a push per field cost twice the instructions).
    let mut head = [0u8; 8 + 8 + 4];
    head[..8].copy_from_slice(&r.seq.to_le_bytes());
    head[8..16].copy_from_slice(&r.cycle.to_le_bytes());
    head[16..].copy_from_slice(&r.shard.to_le_bytes());
    let mut tail = [0u8; 4 * 8 + 32];
    tail[..8].copy_from_slice(&r.predicate.to_le_bytes());
    tail[8..16].copy_from_slice(&r.lanes.to_le_bytes());
    tail[16..24].copy_from_slice(&r.result.to_le_bytes());
    tail[24..32].copy_from_slice(&r.span_id.to_le_bytes());
    tail[32..].copy_from_slice(&r.a_hash);
    bytes.push(&head);
    push_short_str(bytes, view.hook);
    push_short_str(bytes, view.kind);
    bytes.push(&tail);
}

/// A length byte, then the bytes; names longer than 255 bytes are cut to 255 (hook names
/// and kinds are short identifiers).
fn push_short_str<const N: usize>(bytes: &mut StackBytes<N>, s: &str) {
    let s = &s.as_bytes()[..s.len().min(255)];
    bytes.push(&[s.len() as u8]);
    bytes.push(s);
}

/// One commit record (see the [module docs](self)).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Commit {
    /// The commit's index in the run, from 0 (the `commit` key).
    pub index: u64,
    /// Whether this is the commit at the end of the input.
    pub end: bool,
    /// The first beat covered (`8 × index`).
    pub first_cycle: u64,
    /// Beats covered.
    pub beats: u64,
    /// `seq` of the first receipt covered, or the next `seq` if none.
    pub first_seq: u64,
    /// Receipts covered.
    pub receipts: u64,
    /// Triples loaded in the beats covered.
    pub triples: u64,
    /// Hash of the blocks loaded in the beats covered.
    pub blocks_hash: Hash256,
    /// Merkle root over the receipts covered.
    pub root: Hash256,
    /// Hash of the covered receipts' ticks (checked, not chained).
    pub ticks_hash: Hash256,
    /// The previous commit's hash; zeros for commit 0.
    pub prev: Hash256,
    /// This commit's hash.
    pub hash: Hash256,
}

impl Commit {
    /// The hash this commit's fields give (compare with [`Commit::hash`]).
    pub fn compute_hash(&self) -> Hash256 {
        let mut bytes = StackBytes::<{ 8 + 1 + 5 * 8 + 3 * 32 }>::new();
        bytes.push(&self.index.to_le_bytes());
        bytes.push(&[u8::from(self.end)]);
        bytes.push(&self.first_cycle.to_le_bytes());
        bytes.push(&self.beats.to_le_bytes());
        bytes.push(&self.first_seq.to_le_bytes());
        bytes.push(&self.receipts.to_le_bytes());
        bytes.push(&self.triples.to_le_bytes());
        bytes.push(&self.blocks_hash);
        bytes.push(&self.root);
        bytes.push(&self.prev);
        *blake3::keyed_hash(&COMMIT_KEY_V2, bytes.as_slice()).as_bytes()
    }
}

/// Hashes the bytes of each covered receipt's `ticks`, for [`Commit::ticks_hash`].
///
/// The ticks are gathered on the stack and hashed a chunk (128 ticks) at a time: the same
/// hash as one `update` per receipt, without BLAKE3's per-call bookkeeping for 8 bytes.
#[derive(Clone, Debug)]
pub struct TicksHasher {
    hasher: blake3::Hasher,
    /// Ticks not yet given to `hasher`.
    pending: StackBytes<{ blake3::CHUNK_LEN }>,
}

impl Default for TicksHasher {
    fn default() -> Self {
        Self {
            hasher: blake3::Hasher::new_keyed(&TICKS_KEY_V2),
            pending: StackBytes::new(),
        }
    }
}

impl TicksHasher {
    /// Back to no ticks.
    pub fn clear(&mut self) {
        self.hasher.reset();
        self.pending.clear();
    }

    /// Adds one receipt's ticks.
    #[inline]
    pub fn push(&mut self, ticks: u64) {
        if self.pending.len() == blake3::CHUNK_LEN {
            self.hasher.update(self.pending.as_slice());
            self.pending.clear();
        }
        self.pending.push(&ticks.to_le_bytes());
    }

    /// The hash so far.
    pub fn finish(&self) -> Hash256 {
        if self.hasher.count() == 0 {
            // Everything is still pending (up to 128 receipts: nearly every pulse).
            return *blake3::keyed_hash(&TICKS_KEY_V2, self.pending.as_slice()).as_bytes();
        }
        let mut hasher = self.hasher.clone();
        *hasher.update(self.pending.as_slice()).finalize().as_bytes()
    }
}

/// The running state of one run's lockchain: the current beat, the pulses whose beats are
/// done but whose commit waits for their receipts, and the last commit's hash. Nothing in it
/// allocates after [`Lockchain::with_capacity`].
///
/// Beats run ahead of receipts: the pipeline evaluates the blocks it holds, then emits their
/// receipts. So the blocks side of a pulse ([`Lockchain::beat`]) and its receipts side
/// ([`Lockchain::absorb`], as receipts are emitted) are kept apart, and a pulse is committed
/// once both are complete ([`Lockchain::ready_commit`]): right before the first receipt of a
/// later beat is emitted, or when every held receipt is out.
#[derive(Clone, Debug)]
pub struct Lockchain {
    /// The current beat: blocks evaluated so far in this run.
    cycle: u64,
    /// The blocks of the pulse being beaten.
    beating: PulseBlocks,
    /// Pulses whose 8 beats are done, oldest first, waiting for their commit.
    complete: VecDeque<BlocksSummary>,
    /// The receipts of the oldest uncommitted pulse.
    receipts: PulseReceipts,
    /// Commits made.
    commits: u64,
    prev: Hash256,
    next_seq: u64,
}

/// The blocks side of the pulse being beaten: its beats' bytes for `blocks_hash`, gathered
/// and hashed with one call when the pulse's beats are done.
#[derive(Clone, Debug)]
struct PulseBlocks {
    first_cycle: u64,
    triples: u64,
    beats: StackBytes<{ BEAT_BYTES * BEATS_PER_PULSE as usize }>,
}

/// A beat's bytes in `blocks_hash`: the predicate and the block's digest.
const BEAT_BYTES: usize = 8 + 32;

impl PulseBlocks {
    fn new(first_cycle: u64) -> Self {
        Self {
            first_cycle,
            triples: 0,
            beats: StackBytes::new(),
        }
    }

    /// Starts the next pulse's blocks in place.
    fn restart(&mut self, first_cycle: u64) {
        self.first_cycle = first_cycle;
        self.triples = 0;
        self.beats.clear();
    }

    fn summary(&self, beats: u64) -> BlocksSummary {
        BlocksSummary {
            beats,
            triples: self.triples,
            blocks_hash: *blake3::keyed_hash(&BLOCKS_KEY_V2, self.beats.as_slice()).as_bytes(),
        }
    }
}

/// The blocks side of a pulse whose beats are done.
#[derive(Clone, Copy, Debug)]
struct BlocksSummary {
    beats: u64,
    triples: u64,
    blocks_hash: Hash256,
}

/// The receipts side of the oldest uncommitted pulse.
#[derive(Clone, Debug)]
struct PulseReceipts {
    first_seq: u64,
    ticks: TicksHasher,
    tree: MerkleAccumulator,
    /// The Merkle root and count of receipts absorbed with their pulse's root already
    /// computed ([`Lockchain::absorb_rooted`]), in place of `tree`.
    rooted: Option<(Hash256, u64)>,
}

impl PulseReceipts {
    fn new(first_seq: u64) -> Self {
        Self {
            first_seq,
            ticks: TicksHasher::default(),
            tree: MerkleAccumulator::default(),
            rooted: None,
        }
    }

    /// Starts the next pulse's receipts in place.
    fn restart(&mut self, first_seq: u64) {
        self.first_seq = first_seq;
        self.ticks.clear();
        self.tree.clear();
        self.rooted = None;
    }

    /// The Merkle root and count of the receipts absorbed.
    fn root_and_count(&self) -> (Hash256, u64) {
        self.rooted
            .unwrap_or_else(|| (self.tree.root(), self.tree.len()))
    }
}

impl Default for Lockchain {
    fn default() -> Self {
        Self::with_capacity(8)
    }
}

impl Lockchain {
    /// A chain at beat 0 with no commit yet, for runs that evaluate up to 8 blocks between
    /// emissions of their receipts (beyond that, [`Lockchain::beat`] may allocate).
    pub fn new() -> Self {
        Self::default()
    }

    /// A chain for a pipeline that holds up to `blocks` blocks between two emissions of its
    /// receipts: room for every pulse those beats can complete, so nothing allocates later.
    pub fn with_capacity(blocks: usize) -> Self {
        Self {
            cycle: 0,
            beating: PulseBlocks::new(0),
            complete: VecDeque::with_capacity(blocks / BEATS_PER_PULSE as usize + 2),
            receipts: PulseReceipts::new(0),
            commits: 0,
            prev: [0; 32],
            next_seq: 0,
        }
    }

    /// Back to beat 0 with no commit, for a new run; keeps the allocated room.
    pub fn reset(&mut self) {
        self.cycle = 0;
        self.beating = PulseBlocks::new(0);
        self.complete.clear();
        self.receipts = PulseReceipts::new(0);
        self.commits = 0;
        self.prev = [0; 32];
        self.next_seq = 0;
    }

    /// The current beat: the `cycle` of receipts for the block being evaluated.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    /// Sets a new receipt's `cycle` (the current beat), `shard` and `span_id`; its `seq` must
    /// already be set.
    #[inline]
    pub fn stamp(&self, receipt: &mut Receipt) {
        receipt.cycle = self.cycle;
        receipt.shard = SHARD;
        receipt.span_id = span_id(SHARD, self.cycle, receipt.seq);
    }

    /// Ends the beat of the block of `block`, after its hooks ran: its predicate and digest go
    /// into the pulse's `blocks_hash`, and after the 8th beat the pulse waits for its receipts.
    pub fn beat(&mut self, block: &BlockDigest) {
        self.beating.beats.push(&block.predicate.to_le_bytes());
        self.beating.beats.push(&block.hash);
        self.beating.triples += u64::from(block.lanes);
        self.cycle += 1;
        if self.cycle - self.beating.first_cycle == BEATS_PER_PULSE {
            self.complete
                .push_back(self.beating.summary(BEATS_PER_PULSE));
            self.beating.restart(self.cycle);
        }
    }

    /// The commit of the oldest uncommitted pulse, if its beats are done and no receipt of it
    /// is still to come: call it with the `cycle` of the next receipt to be emitted before
    /// absorbing that receipt (until it returns `None`), and with `u64::MAX` once every
    /// receipt made so far is out.
    pub fn ready_commit(&mut self, next_cycle: u64) -> Option<Commit> {
        let pulse_end = (self.commits + 1) * BEATS_PER_PULSE;
        if next_cycle < pulse_end {
            return None;
        }
        let blocks = self.complete.pop_front()?;
        Some(self.commit(blocks, false))
    }

    /// Adds one receipt as it is emitted (receipts come in `seq` order, after the
    /// [`Lockchain::ready_commit`]s before it).
    pub fn absorb(&mut self, view: ReceiptView<'_>) {
        self.absorb_leaf(view, leaf_hash(view));
    }

    /// Checks (in debug builds) that `view` is the next receipt to absorb, in its own pulse.
    #[inline(always)]
    fn debug_check_next(&self, view: ReceiptView<'_>) {
        debug_assert_eq!(
            view.receipt.seq, self.next_seq,
            "receipts absorbed in order"
        );
        debug_assert_eq!(
            view.receipt.cycle / BEATS_PER_PULSE,
            self.commits,
            "a receipt is absorbed in its own pulse"
        );
    }

    /// [`Lockchain::absorb`] with the receipt's leaf hash already computed (by
    /// the batched `leaf_hashes`, eight at a time): `leaf` must be `leaf_hash(view)`.
    pub fn absorb_leaf(&mut self, view: ReceiptView<'_>, leaf: Hash256) {
        self.debug_check_next(view);
        debug_assert_eq!(leaf, leaf_hash(view), "the receipt's own leaf");
        debug_assert!(
            self.receipts.rooted.is_none(),
            "a closed tree takes no leaf"
        );
        self.receipts.tree.push(leaf);
        self.receipts.ticks.push(view.receipt.ticks);
        self.next_seq = view.receipt.seq + 1;
    }

    /// Whether every receipt of pulse `pulse` (beats `8 × pulse` to `8 × pulse + 7`) is still
    /// to be absorbed and all of them are made: none absorbed yet, and its eight beats done.
    /// Such a pulse's receipts may be absorbed with [`Lockchain::absorb_rooted`], its Merkle
    /// root computed beforehand from all its leaves (with other pulses' roots, in shared
    /// batches), rather than leaf by leaf.
    pub fn is_whole_pulse(&self, pulse: u64) -> bool {
        let untouched = pulse > self.commits
            || (pulse == self.commits
                && self.receipts.tree.is_empty()
                && self.receipts.rooted.is_none());
        untouched && (pulse + 1) * BEATS_PER_PULSE <= self.cycle
    }

    /// Whether pulse `pulse` is the one whose receipts are being absorbed, some already are,
    /// and its eight beats are done: its remaining receipts are all made. Once they are
    /// absorbed, its tree's [open leaves](Lockchain::open_leaves) may be reduced to their root
    /// elsewhere (with other pulses' trees) and given to [`Lockchain::close_tree`].
    pub fn is_pulse_tail(&self, pulse: u64) -> bool {
        pulse == self.commits
            && !self.receipts.tree.is_empty()
            && self.receipts.rooted.is_none()
            && (pulse + 1) * BEATS_PER_PULSE <= self.cycle
    }

    /// The current pulse's leaves not yet hashed into a complete subtree (see
    /// [`MerkleAccumulator::open_leaves`]): once every receipt of the pulse is absorbed, their
    /// root may be computed elsewhere and given to [`Lockchain::close_tree`]; nothing else may
    /// be absorbed in between.
    pub fn open_leaves(&mut self) -> &mut [Hash256] {
        self.receipts.tree.open_leaves()
    }

    /// Ends the current pulse's tree, whose every receipt is absorbed, with `open`, the root
    /// of its [open leaves](Lockchain::open_leaves): its commit takes the tree's root from it.
    pub fn close_tree(&mut self, open: &Hash256) {
        let tree = &self.receipts.tree;
        self.receipts.rooted = Some((tree.root_with_open(open), tree.len()));
    }

    /// [`Lockchain::absorb`] for every receipt of a whole pulse (see
    /// [`Lockchain::is_whole_pulse`]), in order, at once: `pulse_root` is the Merkle root over
    /// their leaves, computed beforehand, so only their count, ticks and order are taken here.
    pub fn absorb_rooted<'a>(
        &mut self,
        views: impl IntoIterator<Item = ReceiptView<'a>>,
        pulse_root: &Hash256,
    ) {
        debug_assert!(
            self.receipts.tree.is_empty() && self.receipts.rooted.is_none(),
            "a pulse's receipts are absorbed rooted all at once, or leaf by leaf"
        );
        let mut count = 0;
        for view in views {
            self.debug_check_next(view);
            self.receipts.ticks.push(view.receipt.ticks);
            self.next_seq = view.receipt.seq + 1;
            count += 1;
        }
        self.receipts.rooted = Some((*pulse_root, count));
    }

    /// The commit at the end of the input: the beats since the last pulse (possibly none).
    /// Every receipt must be absorbed and every complete pulse committed before.
    pub fn commit_end(&mut self) -> Commit {
        debug_assert!(self.complete.is_empty(), "complete pulses committed first");
        let blocks = self.beating.summary(self.cycle - self.beating.first_cycle);
        self.beating.restart(self.cycle);
        self.commit(blocks, true)
    }

    fn commit(&mut self, blocks: BlocksSummary, end: bool) -> Commit {
        let receipts = &self.receipts;
        let (root, count) = receipts.root_and_count();
        let mut commit = Commit {
            index: self.commits,
            end,
            first_cycle: self.commits * BEATS_PER_PULSE,
            beats: blocks.beats,
            first_seq: receipts.first_seq,
            receipts: count,
            triples: blocks.triples,
            blocks_hash: blocks.blocks_hash,
            root,
            ticks_hash: receipts.ticks.finish(),
            prev: self.prev,
            hash: [0; 32],
        };
        commit.hash = commit.compute_hash();
        self.prev = commit.hash;
        self.commits += 1;
        self.receipts.restart(self.next_seq);
        commit
    }
}
