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
    /// Span id, derived from the run's position (never random).
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
    let mut hasher = blake3::Hasher::new();
    hasher.update(&ACTION_DOMAIN_V1);
    hasher.update(&hook.to_le_bytes());
    hasher.update(&block.predicates()[0].to_le_bytes());
    hasher.update(&[block.len() as u8]);
    for ((s, p), o) in block.s().iter().zip(block.p()).zip(block.o()) {
        hasher.update(&s.to_le_bytes());
        hasher.update(&p.to_le_bytes());
        hasher.update(&o.to_le_bytes());
    }
    hasher.update(&result.to_le_bytes());
    *hasher.finalize().as_bytes()
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
