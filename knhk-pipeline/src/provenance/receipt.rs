//! Receipts: one per hook evaluation on one block, taken from a pooled store so the hot path
//! allocates nothing, and their merge (⊕).
//!
//! This module is the contract shared by the hot path (which fills `result`, `lanes` and
//! `ticks`) and provenance (which defines `a_hash`, `span_id` and the lockchain over receipts).
//!
//! # The block digest and the action hash, version 2
//!
//! Every hash here is BLAKE3 in keyed mode ([`blake3::keyed_hash`]): the key is a 32-byte domain
//! tag (the tag's ASCII, zero-padded), so no hashed input needs a prefix, and all integers are
//! little-endian. The pipeline computes them eight at a time (with the crate's batched BLAKE3,
//! `batch_hash`): the same bytes, the same hashes.
//!
//! A loaded block's triples are hashed **once**, into its [`BlockDigest`]: the keyed hash, key
//! [`BLOCK_KEY_V2`], of each active lane's `subject u64 ‖ object u64` in lane order (16 bytes a
//! lane: 128 for a full block, two BLAKE3 compressions). The predicate, shared by the block's
//! lanes, is not in these bytes: every hash that uses the digest hashes it beside it. The
//! number of lanes is fixed by the input's length, which BLAKE3 binds. The receipts of every
//! hook on the block and the block's beat in the lockchain reuse the digest.
//!
//! `a_hash` is the keyed hash, key [`ACTION_KEY_V2`], of these 53 bytes (one compression):
//!
//! | bytes | what |
//! |---|---|
//! | 4 | the hook's index in the registry (`u32`) |
//! | 8 | the run's predicate id (`u64`) |
//! | 1 | active lanes `n` (`u8`, 1 to 8) |
//! | 8 | the block's result, its match count (`u64`) |
//! | 32 | the block's digest |
//!
//! Only the active lanes are hashed: what a stale inactive lane holds never shows. (Version 1
//! hashed a 16-byte tag and each lane's subject, predicate and object into every receipt's
//! action hash, 229 bytes for a full block, and the same triples again into the lockchain.)
//!
//! # Cycle, shard and span id
//!
//! The pipeline's [`super::lockchain::Lockchain`] sets them when a receipt is made
//! ([`super::lockchain::Lockchain::stamp`]): `cycle` is the beat of the evaluated block (one
//! beat per loaded block), `shard` is 0 (one shard), and `span_id` is derived, never random:
//! see [`span_id`] (a 64-bit mix, not a hash: it is an id, and what proves the receipt is its
//! Merkle leaf, which covers it). The receipt's place in the lockchain, and the bytes hashed for it there,
//! are described in [`super::lockchain`].
//!
//! # Merge
//!
//! [`Receipt::merge`] is a commutative monoid with identity [`Receipt::IDENTITY`]: `lanes` and
//! `result` add, `ticks` takes the max, `a_hash` adds as a 256-bit little-endian integer modulo
//! 2^256 (a multiset hash: unlike XOR, a receipt merged with itself does not cancel), and the
//! identifying fields (`seq`, `cycle`, `shard`, `hook`, `predicate`, `span_id`) take the max,
//! so a merge of one hook's receipts names that hook and its last evaluation.

use std::ops::Deref;

use lanepool::Reset;

use super::batch_hash::{keyed_hash_each, room, EncodeBuffers, Hash256, StackBytes, LANES};
use crate::block::RunTripleLanes;

/// The key of the version-2 block digest (see the [module docs](self)).
pub const BLOCK_KEY_V2: [u8; 32] = *b"knhk.block.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// The key of the version-2 action hash (see the [module docs](self)).
pub const ACTION_KEY_V2: [u8; 32] = *b"knhk.action.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// The starting value of the version-2 span id's mix (see [`span_id`]).
pub const SPAN_SEED_V2: u64 = u64::from_le_bytes(*b"knhkspan");

/// The record of one hook evaluation on one block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Receipt {
    /// Position in the run's sequence of receipts, from 0.
    pub seq: u64,
    /// The beat counter: the pipeline advances one beat per block it evaluates
    /// (tick = `cycle & 7`, a pulse every 8 beats).
    pub cycle: u64,
    /// The shard that evaluated the block (0 while the pipeline runs one shard).
    pub shard: u32,
    /// Index of the hook in the registry.
    pub hook: u32,
    /// Predicate id of the run.
    pub predicate: u64,
    /// Active lanes of the block (1 to 8; a merge adds them up).
    pub lanes: u64,
    /// The block's result: how many of its triples matched the hook (a merge adds them up).
    pub result: u64,
    /// Timestamp-counter ticks per evaluation, amortised over a batch (a merge keeps the max);
    /// the one field that is not deterministic.
    pub ticks: u64,
    /// Span id, derived from the receipt's shard, cycle and seq (never random; see [`span_id`]).
    pub span_id: u64,
    /// BLAKE3 hash of the hook's action: the hook, the block's triples and the result.
    pub a_hash: Hash256,
}

impl Receipt {
    /// The merge's identity: every count 0, every hash 0.
    pub const IDENTITY: Receipt = Receipt {
        seq: 0,
        cycle: 0,
        shard: 0,
        hook: 0,
        predicate: 0,
        lanes: 0,
        result: 0,
        ticks: 0,
        span_id: 0,
        a_hash: [0; 32],
    };

    /// The receipt of hook `hook` evaluated on the block of `block` with match count `result`.
    /// `seq`, `cycle`, `ticks` and `span_id` are the caller's to set.
    #[inline]
    pub fn for_block(hook: u32, block: &BlockDigest, result: u64) -> Receipt {
        Receipt {
            hook,
            predicate: block.predicate,
            lanes: u64::from(block.lanes),
            result,
            a_hash: action_hash(hook, block, result),
            ..Receipt::IDENTITY
        }
    }

    /// `self ⊕ other`; see the [module docs](self).
    #[must_use]
    pub fn merge(&self, other: &Receipt) -> Receipt {
        Receipt {
            seq: self.seq.max(other.seq),
            cycle: self.cycle.max(other.cycle),
            shard: self.shard.max(other.shard),
            hook: self.hook.max(other.hook),
            predicate: self.predicate.max(other.predicate),
            lanes: self.lanes.wrapping_add(other.lanes),
            result: self.result.wrapping_add(other.result),
            ticks: self.ticks.max(other.ticks),
            span_id: self.span_id.max(other.span_id),
            a_hash: add_hashes(&self.a_hash, &other.a_hash),
        }
    }
}

impl Reset for Receipt {
    /// Receipts are small: clear every field, so nothing leaks from one evaluation to the next.
    fn reset(&mut self) {
        *self = Receipt::IDENTITY;
    }
}

/// A loaded block's triples, hashed once (see the [module docs](self)): what every receipt of
/// the block and its beat in the lockchain hash instead of the triples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct BlockDigest {
    /// The block's predicate id.
    pub predicate: u64,
    /// Its active lanes (1 to 8).
    pub lanes: u8,
    /// The keyed hash of its active lanes' subjects and objects.
    pub hash: Hash256,
}

impl BlockDigest {
    /// The digest of `block`. Hashes on the stack: no allocation.
    pub fn of(block: &RunTripleLanes) -> BlockDigest {
        let mut bytes = StackBytes::new();
        Self::encode(block, &mut bytes);
        let hash = blake3::keyed_hash(&BLOCK_KEY_V2, bytes.as_slice());
        Self::unhashed(block).with_hash(*hash.as_bytes())
    }

    /// The digests of `blocks`, into `out` in order, hashed eight at a time
    /// (`batch_hash`, encoded into `buffers`): the same digests as
    /// [`BlockDigest::of`], no allocation.
    ///
    /// # Panics
    ///
    /// If `out` is shorter than `blocks`.
    #[doc(hidden)] // Public for the batched-equals-single tests (tests/lockchain_encoding.rs).
    pub fn of_each<B: Deref<Target = RunTripleLanes>>(
        blocks: &[B],
        out: &mut [BlockDigest],
        buffers: &mut DigestBuffers,
    ) {
        let mut hashes = [[0; 32]; LANES];
        assert!(out.len() >= blocks.len(), "an output per block");
        for (group, out) in blocks.chunks(LANES).zip(out.chunks_mut(LANES)) {
            keyed_hash_each(
                &BLOCK_KEY_V2,
                group.iter().map(|block| &**block),
                Self::encode,
                &mut hashes,
                buffers,
            );
            for ((block, hash), out) in group.iter().zip(hashes).zip(out) {
                *out = Self::unhashed(block).with_hash(hash);
            }
        }
    }

    /// The hashed bytes: each active lane's subject and object.
    fn encode(block: &RunTripleLanes, bytes: &mut StackBytes<DIGEST_ROOM>) {
        // Every lane gathered at constant offsets and written at once, the inactive ones past
        // the active lanes' bytes (a push per lane cost four times the instructions).
        let mut lanes = [0u8; DIGEST_BYTES];
        for ((lane, s), o) in lanes
            .chunks_exact_mut(16)
            .zip(block.s_lanes())
            .zip(block.o_lanes())
        {
            lane[..8].copy_from_slice(&s.to_le_bytes());
            lane[8..].copy_from_slice(&o.to_le_bytes());
        }
        bytes.push_first(&lanes, 16 * block.len());
    }

    fn unhashed(block: &RunTripleLanes) -> BlockDigest {
        BlockDigest {
            predicate: *block.p(),
            lanes: block.len() as u8,
            hash: [0; 32],
        }
    }

    fn with_hash(self, hash: Hash256) -> BlockDigest {
        BlockDigest { hash, ..self }
    }
}

/// The version-2 action hash of hook `hook` on the block of `block` with result `result` (the
/// bytes are listed in the [module docs](self)): one BLAKE3 compression, no allocation.
#[inline]
pub fn action_hash(hook: u32, block: &BlockDigest, result: u64) -> Hash256 {
    let mut bytes = StackBytes::new();
    encode_action((hook, block, result), &mut bytes);
    *blake3::keyed_hash(&ACTION_KEY_V2, bytes.as_slice()).as_bytes()
}

/// The action hashes of `(hook, block, result)`, into `out` in order, eight at a time
/// (`batch_hash`, encoded into `buffers`): each what [`action_hash`] gives; returns
/// how many. No allocation.
///
/// # Panics
///
/// If `out` is shorter than `actions`.
#[doc(hidden)] // Public for the batched-equals-single tests (tests/lockchain_encoding.rs).
pub fn action_hashes<'a>(
    actions: impl IntoIterator<Item = (u32, &'a BlockDigest, u64)>,
    out: &mut [Hash256],
    buffers: &mut ActionBuffers,
) -> usize {
    keyed_hash_each(&ACTION_KEY_V2, actions, encode_action, out, buffers)
}

/// The bytes of a block digest's input: each lane's subject and object.
const DIGEST_BYTES: usize = 16 * 8;
/// The bytes of an action hash's input.
const ACTION_BYTES: usize = 4 + 8 + 1 + 8 + 32;
/// Their room in [`EncodeBuffers`], padded to be hashed in place.
const DIGEST_ROOM: usize = room(DIGEST_BYTES);
const ACTION_ROOM: usize = room(ACTION_BYTES);
/// Encoding room for [`BlockDigest::of_each`], kept from one call to the next.
#[doc(hidden)] // Public for the batched-equals-single tests (tests/lockchain_encoding.rs).
pub type DigestBuffers = EncodeBuffers<DIGEST_ROOM>;
/// Encoding room for [`action_hashes`], kept from one call to the next.
#[doc(hidden)] // Public for the batched-equals-single tests (tests/lockchain_encoding.rs).
pub type ActionBuffers = EncodeBuffers<ACTION_ROOM>;

fn encode_action(
    (hook, block, result): (u32, &BlockDigest, u64),
    bytes: &mut StackBytes<ACTION_ROOM>,
) {
    // Gathered at constant offsets and pushed at once.
    let mut action = [0u8; ACTION_BYTES];
    action[..4].copy_from_slice(&hook.to_le_bytes());
    action[4..12].copy_from_slice(&block.predicate.to_le_bytes());
    action[12] = block.lanes;
    action[13..21].copy_from_slice(&result.to_le_bytes());
    action[21..].copy_from_slice(&block.hash);
    bytes.push(&action);
}

/// The span id of the receipt `seq` made on beat `cycle` by shard `shard` (version 2):
/// `m(m(m(SPAN_SEED_V2 ^ shard) ^ cycle) ^ seq)`, where `m` is SplitMix64's finalizer
/// (`z ^= z >> 30; z *= 0xbf58476d1ce4e5b9; z ^= z >> 27; z *= 0x94d049bb133111eb; z ^ (z >> 31)`,
/// wrapping). Derived from the receipt's place, so a re-run gives the same ids and `knhk verify`
/// recomputes them; an OpenTelemetry-sized (64-bit) id. `m` is a bijection, so two receipts of
/// one shard and beat never share an id. It is an id, not a proof: the receipt's Merkle leaf
/// covers it (version 1 spent a BLAKE3 hash on it).
#[inline]
pub fn span_id(shard: u32, cycle: u64, seq: u64) -> u64 {
    splitmix64(splitmix64(splitmix64(SPAN_SEED_V2 ^ u64::from(shard)) ^ cycle) ^ seq)
}

/// SplitMix64's output function: a bijection on `u64` that mixes every input bit.
#[inline]
fn splitmix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// `a + b` modulo 2^256, both read as little-endian integers.
pub fn add_hashes(a: &Hash256, b: &Hash256) -> Hash256 {
    let mut sum = [0u8; 32];
    let mut carry = false;
    for ((a, b), out) in a
        .chunks_exact(8)
        .zip(b.chunks_exact(8))
        .zip(sum.chunks_exact_mut(8))
    {
        let limb = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().expect("8-byte chunk"));
        let (partial, first) = limb(a).overflowing_add(limb(b));
        let (total, second) = partial.overflowing_add(u64::from(carry));
        carry = first || second;
        out.copy_from_slice(&total.to_le_bytes());
    }
    sum
}
