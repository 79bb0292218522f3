//! A Merkle tree over 32-byte leaf hashes, in RFC 6962's shape. What a leaf hashes, and with
//! which key, is the caller's: the tree only combines leaf hashes.
//!
//! - **Node**, key [`NODE_KEY_V2`]: `left (32) ‖ right (32)`, hashed with BLAKE3 in keyed mode
//!   ([`blake3::keyed_hash`]): one compression. Leaves and nodes are told apart by their keys
//!   (a leaf's key is the caller's, and never this one), as RFC 6962's `0x00`/`0x01` prefixes
//!   do: a leaf can never pass for a node.
//! - **Root**: RFC 6962's Merkle Tree Hash over the leaves in order: for `n > 1` leaves, with
//!   `k` the largest power of two below `n`, `node(root(first k), root(rest))`; one leaf's root
//!   is its leaf hash; the empty tree's root is the keyed hash of no bytes with the node key.
//!
//! [`MerkleAccumulator`] computes a root leaf by leaf in fixed space, without allocating;
//! [`merkle_root`] is the root of a slice of leaves.
//!
//! # Inclusion proofs
//!
//! [`audit_path`] gives the RFC 6962 audit path of one leaf (at most ⌈log2 n⌉ hashes) and
//! [`root_from_audit_path`] recomputes the root from it as RFC 9162 §2.1.3.2 does.

use super::batch_hash::{keyed_hash_blocks, Hash256, LANES};
use crate::arch::{self, LaneIsa, LaneWork};

/// Key of a Merkle node's hash (and of the empty tree's root).
pub const NODE_KEY_V2: [u8; 32] = *b"knhk.node.v2\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

/// The hash of an inner node of the Merkle tree.
pub fn node_hash(left: &Hash256, right: &Hash256) -> Hash256 {
    let mut bytes = [0u8; 64];
    bytes[..32].copy_from_slice(left);
    bytes[32..].copy_from_slice(right);
    *blake3::keyed_hash(&NODE_KEY_V2, &bytes).as_bytes()
}

/// Leaves the [`MerkleAccumulator`] gathers before it hashes their subtree level by level.
const PENDING: usize = 32;

/// Levels of fewer pairs than this are hashed one node at a time: one lone compression is
/// cheaper than a batch with one lane busy (the `merkle_pulse` bench chose 2 over 3 and 4).
const BATCH_PAIRS: usize = 2;

/// The RFC 6962 root of `hashes` (at least one), hashing level by level: each level pairs its
/// hashes left to right, an odd last one going up as it is, which gives RFC 6962's split at
/// the largest power of two below the count. A level's nodes are hashed eight at a time, the
/// whole tree in one instruction-set dispatch. Overwrites `hashes`.
fn reduce_levels(hashes: &mut [Hash256]) -> Hash256 {
    arch::with_best_lanes(ReduceLevels(hashes))
}

/// [`reduce_levels`] as lane work, so that every level is compiled for the best instruction set.
struct ReduceLevels<'a>(&'a mut [Hash256]);

impl LaneWork for ReduceLevels<'_> {
    type Output = Hash256;

    #[inline(always)]
    fn run<I: LaneIsa>(self, _isa: I) -> Hash256 {
        let hashes = self.0;
        let simd = crate::arch::Avx2Compress::detect();
        let mut level = hashes.len();
        let mut nodes = [[0; 32]; PENDING / 2];
        while level > 1 {
            let pairs = level / 2;
            if pairs >= BATCH_PAIRS {
                // Each pair's 64 bytes are a node's input as they lie: nothing is copied.
                for (group, nodes) in hashes[..2 * pairs]
                    .chunks(2 * LANES)
                    .zip(nodes.chunks_mut(LANES))
                {
                    keyed_hash_blocks(&NODE_KEY_V2, group.as_flattened(), nodes, simd);
                }
            } else {
                for (node, pair) in nodes.iter_mut().zip(hashes[..2 * pairs].chunks_exact(2)) {
                    *node = node_hash(&pair[0], &pair[1]);
                }
            }
            hashes[..pairs].copy_from_slice(&nodes[..pairs]);
            if level % 2 == 1 {
                hashes[pairs] = hashes[level - 1];
            }
            level = pairs + level % 2;
        }
        hashes[0]
    }
}

/// The root of the empty tree: the keyed hash of no bytes, with the node key (RFC 6962 hashes
/// no bytes).
pub fn empty_root() -> Hash256 {
    *blake3::keyed_hash(&NODE_KEY_V2, &[]).as_bytes()
}

/// A Merkle root computed leaf by leaf in fixed space, so it never allocates: it gathers up to
/// 32 leaves, hashes their subtree level by level (eight nodes at a time, see
/// `batch_hash`) and keeps one hash per set bit of the count of those subtrees (the
/// roots of the complete subtrees so far).
#[derive(Clone, Debug)]
pub struct MerkleAccumulator {
    /// `subtrees[i]`: roots of complete subtrees of `PENDING << k` leaves, largest first.
    subtrees: [Hash256; 64],
    depth: usize,
    /// The leaves after the last complete subtree of `PENDING`: `leaves % PENDING` of them.
    pending: [Hash256; PENDING],
    leaves: u64,
}

impl Default for MerkleAccumulator {
    fn default() -> Self {
        Self {
            subtrees: [[0; 32]; 64],
            depth: 0,
            pending: [[0; 32]; PENDING],
            leaves: 0,
        }
    }
}

impl MerkleAccumulator {
    /// Appends a leaf hash.
    pub fn push(&mut self, leaf: Hash256) {
        let at = (self.leaves % PENDING as u64) as usize;
        self.pending[at] = leaf;
        self.leaves += 1;
        if at + 1 < PENDING {
            return;
        }
        let mut hash = reduce_levels(&mut self.pending);
        let mut count = self.leaves / PENDING as u64 - 1;
        // Each trailing one bit is a complete subtree of the new one's size: merge with it.
        while count & 1 == 1 {
            self.depth -= 1;
            hash = node_hash(&self.subtrees[self.depth], &hash);
            count >>= 1;
        }
        self.subtrees[self.depth] = hash;
        self.depth += 1;
    }

    /// Back to no leaves. Only the subtrees below the depth are ever read, so nothing is zeroed
    /// (a pulse's commit restarts its tree without rewriting 2 KiB).
    pub fn clear(&mut self) {
        self.depth = 0;
        self.leaves = 0;
    }

    /// Leaves pushed so far.
    pub fn len(&self) -> u64 {
        self.leaves
    }

    /// Whether no leaf was pushed.
    pub fn is_empty(&self) -> bool {
        self.leaves == 0
    }

    /// The RFC 6962 root of the leaves pushed so far.
    pub fn root(&self) -> Hash256 {
        let pending = (self.leaves % PENDING as u64) as usize;
        // The pending leaves' subtree is the rightmost: every complete one is to its left.
        let (right, rest) = if pending > 0 {
            let mut level = self.pending;
            (
                reduce_levels(&mut level[..pending]),
                &self.subtrees[..self.depth],
            )
        } else {
            match self.subtrees[..self.depth].split_last() {
                Some((last, rest)) => (*last, rest),
                None => return empty_root(),
            }
        };
        rest.iter()
            .rev()
            .fold(right, |right, left| node_hash(left, &right))
    }
}

/// The RFC 6962 root of `leaves`.
pub fn merkle_root(leaves: &[Hash256]) -> Hash256 {
    let mut tree = MerkleAccumulator::default();
    for leaf in leaves {
        tree.push(*leaf);
    }
    tree.root()
}

/// The audit path of leaf `index` among `leaves` (RFC 9162 §2.1.3.1), nearest sibling
/// first; `None` if `index` is out of range.
pub fn audit_path(leaves: &[Hash256], index: usize) -> Option<Vec<Hash256>> {
    if index >= leaves.len() {
        return None;
    }
    let mut path = Vec::new();
    let (mut lo, mut hi, mut index) = (0, leaves.len(), index);
    let mut siblings = Vec::new();
    // Walk down from the root, remembering each sibling subtree; the path lists them bottom-up.
    while hi - lo > 1 {
        let k = largest_power_of_two_below(hi - lo);
        if index < k {
            siblings.push((lo + k, hi));
            hi = lo + k;
        } else {
            siblings.push((lo, lo + k));
            lo += k;
            index -= k;
        }
    }
    for &(from, to) in siblings.iter().rev() {
        path.push(merkle_root(&leaves[from..to]));
    }
    Some(path)
}

/// The root that `leaf`, at `index` in a tree of `size` leaves, reaches through `path`
/// (RFC 9162 §2.1.3.2); `None` if the path cannot belong to such a tree (wrong length or
/// index out of range).
pub fn root_from_audit_path(
    leaf: &Hash256,
    index: u64,
    size: u64,
    path: &[Hash256],
) -> Option<Hash256> {
    if index >= size {
        return None;
    }
    let (mut f, mut s) = (index, size - 1);
    let mut hash = *leaf;
    for sibling in path {
        if s == 0 {
            return None;
        }
        if f & 1 == 1 || f == s {
            hash = node_hash(sibling, &hash);
            if f & 1 == 0 {
                while f & 1 == 0 && f != 0 {
                    f >>= 1;
                    s >>= 1;
                }
            }
        } else {
            hash = node_hash(&hash, sibling);
        }
        f >>= 1;
        s >>= 1;
    }
    (s == 0).then_some(hash)
}

fn largest_power_of_two_below(n: usize) -> usize {
    debug_assert!(n > 1);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}
