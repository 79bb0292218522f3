//! Receipts: one per hook evaluation on one block, taken from a pooled store so the hot path
//! allocates nothing, and their merge (⊕).
//!
//! This module is the contract shared by the hot path (which fills `result`, `lanes` and
//! `ticks`) and provenance (which defines `a_hash`, `span_id` and the lockchain over receipts).
//!
//! # The action hash, version 1
//!
//! `a_hash` is the BLAKE3 hash of these bytes, all integers little-endian:
//!
//! | bytes | what |
//! |---|---|
//! | 16 | the domain tag `b"knhk.action.v1\0\0"` |
//! | 4 | the hook's index in the registry (`u32`) |
//! | 8 | the run's predicate id (`u64`) |
//! | 1 | active lanes `n` (`u8`, 0 to 8) |
//! | 24 × n | each active lane in lane order: subject, predicate, object ids (`u64` each) |
//! | 8 | the block's result, its match count (`u64`) |
//!
//! Only the active lanes are hashed: what a stale inactive lane holds never shows.
//!
//! # Cycle, shard and span id
//!
//! The pipeline's [`crate::lockchain::Lockchain`] sets them when a receipt is made
//! ([`crate::lockchain::Lockchain::stamp`]): `cycle` is the beat of the evaluated block (one
//! beat per loaded block), `shard` is 0 (one shard), and `span_id` is derived, never random:
//! see [`span_id`]. The receipt's place in the lockchain, and the bytes hashed for it there,
//! are described in [`crate::lockchain`].
//!
//! # Merge
//!
//! [`Receipt::merge`] is a commutative monoid with identity [`Receipt::IDENTITY`]: `lanes` and
//! `result` add, `ticks` takes the max, `a_hash` adds as a 256-bit little-endian integer modulo
//! 2^256 (a multiset hash: unlike XOR, a receipt merged with itself does not cancel), and the
//! identifying fields (`seq`, `cycle`, `shard`, `hook`, `predicate`, `span_id`) take the max,
//! so a merge of one hook's receipts names that hook and its last evaluation.

use lanepool::Reset;

use crate::block::{EncodedTripleLanes, HotBlock};

/// The version-1 domain tag that starts every hashed action (see the [module docs](self)).
pub const ACTION_DOMAIN_V1: [u8; 16] = *b"knhk.action.v1\0\0";

/// The version-1 domain tag of a span id's hashed bytes (see [`span_id`]).
pub const SPAN_DOMAIN_V1: [u8; 16] = *b"knhk.span.v1\0\0\0\0";

/// A 256-bit BLAKE3 hash, as bytes.
pub type Hash256 = [u8; 32];

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

    /// The receipt of hook `hook` evaluated on `block` with match count `result`.
    /// `seq`, `cycle`, `ticks` and `span_id` are the caller's to set.
    pub fn for_block(hook: u32, block: &EncodedTripleLanes, result: u64) -> Receipt {
        Receipt {
            hook,
            predicate: block.predicates()[0],
            lanes: block.len() as u64,
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

/// The version-1 action hash of hook `hook` on `block` with result `result` (the bytes are
/// listed in the [module docs](self)). Hashes on the stack: no allocation.
pub fn action_hash(hook: u32, block: &EncodedTripleLanes, result: u64) -> Hash256 {
    let mut bytes = StackBytes::<{ 16 + 4 + 8 + 1 + 24 * 8 + 8 }>::new();
    bytes.push(&ACTION_DOMAIN_V1);
    bytes.push(&hook.to_le_bytes());
    bytes.push(&block.predicates()[0].to_le_bytes());
    bytes.push(&[block.len() as u8]);
    push_lanes(&mut bytes, block);
    bytes.push(&result.to_le_bytes());
    *blake3::hash(bytes.as_slice()).as_bytes()
}

/// Each active lane's subject, predicate and object ids, in lane order.
#[inline]
pub(crate) fn push_lanes<const N: usize>(bytes: &mut StackBytes<N>, block: &EncodedTripleLanes) {
    for ((s, p), o) in block.s().iter().zip(block.p()).zip(block.o()) {
        bytes.push(&s.to_le_bytes());
        bytes.push(&p.to_le_bytes());
        bytes.push(&o.to_le_bytes());
    }
}

/// An encoding's bytes gathered on the stack, so BLAKE3 hashes one slice instead of many
/// small updates (a third of the cost for a block). `N` is the encoding's largest size: a
/// longer push is a bug and panics.
pub(crate) struct StackBytes<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBytes<N> {
    #[inline]
    pub(crate) fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The span id of the receipt `seq` made on beat `cycle` by shard `shard`: the first 8 bytes,
/// read little-endian, of the BLAKE3 hash of `"knhk.span.v1\0\0\0\0" ‖ shard u32 ‖ cycle u64 ‖
/// seq u64` (little-endian). Derived from the receipt's place, so a re-run gives the same ids
/// and `knhk verify` can recompute them; an OpenTelemetry-sized (64-bit) id.
pub fn span_id(shard: u32, cycle: u64, seq: u64) -> u64 {
    let mut bytes = StackBytes::<{ 16 + 4 + 8 + 8 }>::new();
    bytes.push(&SPAN_DOMAIN_V1);
    bytes.push(&shard.to_le_bytes());
    bytes.push(&cycle.to_le_bytes());
    bytes.push(&seq.to_le_bytes());
    let hash = blake3::hash(bytes.as_slice());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// `a + b` modulo 2^256, both read as little-endian integers.
pub fn add_hashes(a: &Hash256, b: &Hash256) -> Hash256 {
    let mut sum = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let digit = u16::from(a[i]) + u16::from(b[i]) + carry;
        sum[i] = digit as u8;
        carry = digit >> 8;
    }
    sum
}
