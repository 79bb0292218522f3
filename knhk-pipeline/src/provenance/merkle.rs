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
//! [`merkle_root`] is the root of a slice of leaves; [`roots_in_place`] computes the roots of
//! several trees at once, their nodes hashed in shared batches.
//!
//! # Inclusion proofs
//!
//! [`audit_path`] gives the RFC 6962 audit path of one leaf (at most ⌈log2 n⌉ hashes) and
//! [`root_from_audit_path`] recomputes the root from it as RFC 9162 §2.1.3.2 does.

use super::batch_hash::{keyed_hash_blocks, Hash256, BLOCK_LEN, LANES};
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

/// Leaves the [`MerkleAccumulator`] gathers before it hashes their subtree level by level: room
/// for a pulse's receipts in an emission (17 on average in the 1M-triple file, some over 32),
/// so that they are hashed with the emission's other trees ([`roots_in_place`]) rather than
/// alone.
const PENDING: usize = 64;

/// Levels of fewer pairs than this are hashed one node at a time: one lone compression is
/// cheaper than a batch with one lane busy (the `merkle_pulse` bench chose 2 over 3 and 4).
const BATCH_PAIRS: usize = 2;

/// The RFC 6962 root of `hashes` (at least one), hashing level by level: each level pairs its
/// hashes left to right, an odd last one going up as it is, which gives RFC 6962's split at
/// the largest power of two below the count. A level's nodes are hashed eight at a time, the
/// whole tree in one instruction-set dispatch. Overwrites `hashes`.
fn reduce_levels(hashes: &mut [Hash256]) -> Hash256 {
    roots_in_place(&mut [&mut *hashes]);
    hashes[0]
}

/// The most trees [`roots_in_place`] reduces together.
pub const MAX_TREES: usize = 8;

/// The RFC 6962 roots of several trees at once: each of `trees` holds the leaf hashes of one
/// tree (at least one), and is left with its root first (the rest overwritten). The trees go
/// up level by level together, the nodes of all of them in the same batches of eight, so small
/// trees share the batches that their top levels would each leave mostly empty. No allocation.
///
/// # Panics
///
/// If there are more than [`MAX_TREES`] trees, or one is empty.
pub fn roots_in_place(trees: &mut [&mut [Hash256]]) {
    assert!(trees.len() <= MAX_TREES, "{} trees at once", trees.len());
    assert!(
        trees.iter().all(|tree| !tree.is_empty()),
        "a tree has a leaf"
    );
    arch::with_best_lanes(ReduceLevels(trees));
}

/// [`roots_in_place`] as lane work, so that every level is compiled for the best instruction
/// set.
struct ReduceLevels<'t, 'h>(&'t mut [&'h mut [Hash256]]);

impl LaneWork for ReduceLevels<'_, '_> {
    type Output = ();

    #[inline(always)]
    fn run<I: LaneIsa>(self, _isa: I) {
        let trees = self.0;
        let simd = crate::arch::Avx2Compress::detect();
        // Each tree's current level: its first `level` hashes.
        let mut levels = [0; MAX_TREES];
        for (level, tree) in levels.iter_mut().zip(trees.iter()) {
            *level = tree.len();
        }
        let levels = &mut levels[..trees.len()];
        loop {
            let pairs: usize = levels.iter().map(|level| level / 2).sum();
            if pairs == 0 {
                return;
            }
            // Pair `j` of a level is hashed into place `j`, which no later pair reads: each
            // batch's nodes are written as soon as it is hashed.
            if pairs < BATCH_PAIRS {
                for (tree, level) in trees.iter_mut().zip(levels.iter()) {
                    for node in 0..level / 2 {
                        tree[node] = node_hash(&tree[2 * node], &tree[2 * node + 1]);
                    }
                }
            } else {
                let mut batch = NodeBatch::default();
                for (index, level) in levels.iter().enumerate() {
                    for node in 0..level / 2 {
                        batch.push(trees, index, node, simd);
                    }
                }
                batch.flush(trees, simd);
            }
            // An odd last hash goes up as it is.
            for (tree, level) in trees.iter_mut().zip(levels.iter_mut()) {
                let pairs = *level / 2;
                if *level > 1 && *level % 2 == 1 {
                    tree[pairs] = tree[*level - 1];
                }
                *level = pairs + *level % 2;
            }
        }
    }
}

/// Up to eight nodes to hash together, each as its tree and its place in the level: node
/// `j` is the hash of the level's hashes `2 j` and `2 j + 1`, and goes to place `j`.
#[derive(Default)]
struct NodeBatch {
    trees: [usize; LANES],
    nodes: [usize; LANES],
    count: usize,
}

impl NodeBatch {
    /// Queues node `node` of tree `tree`; hashes the batch once it is full.
    #[inline(always)]
    fn push(
        &mut self,
        trees: &mut [&mut [Hash256]],
        tree: usize,
        node: usize,
        simd: Option<crate::arch::Avx2Compress>,
    ) {
        self.trees[self.count] = tree;
        self.nodes[self.count] = node;
        self.count += 1;
        if self.count == LANES {
            self.flush(trees, simd);
        }
    }

    /// Hashes the queued nodes (every pair read before any node is written).
    #[inline(always)]
    fn flush(&mut self, trees: &mut [&mut [Hash256]], simd: Option<crate::arch::Avx2Compress>) {
        const NO_PAIR: [u8; BLOCK_LEN] = [0; BLOCK_LEN];
        let count = std::mem::take(&mut self.count);
        if count == 0 {
            return;
        }
        let out = {
            // A plain loop: `array::from_fn` here was compiled as a call of its own.
            let mut blocks = [&NO_PAIR; LANES];
            for ((block, tree), node) in blocks
                .iter_mut()
                .zip(&self.trees)
                .zip(&self.nodes)
                .take(count)
            {
                let at = 2 * node;
                *block = trees[*tree][at..at + 2]
                    .as_flattened()
                    .first_chunk()
                    .expect("two hashes are a block");
            }
            keyed_hash_blocks(&NODE_KEY_V2, &blocks, simd)
        };
        for ((tree, node), hash) in self.trees.iter().zip(&self.nodes).zip(out).take(count) {
            trees[*tree][*node] = hash;
        }
    }
}

/// The root of the empty tree: the keyed hash of no bytes, with the node key (RFC 6962 hashes
/// no bytes).
pub fn empty_root() -> Hash256 {
    *blake3::keyed_hash(&NODE_KEY_V2, &[]).as_bytes()
}

/// A Merkle root computed leaf by leaf in fixed space, so it never allocates: it gathers up to
/// 64 leaves, hashes their subtree level by level (eight nodes at a time, see
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

    /// The leaves not yet hashed into a complete subtree (fewer than 64, possibly none), for
    /// their root to be computed elsewhere (with other trees', by [`roots_in_place`]) and
    /// given to [`MerkleAccumulator::root_with_open`]. The caller may overwrite them: the
    /// accumulator is then only good for that root, or to be cleared.
    pub fn open_leaves(&mut self) -> &mut [Hash256] {
        let pending = (self.leaves % PENDING as u64) as usize;
        &mut self.pending[..pending]
    }

    /// [`MerkleAccumulator::root`], given the root of the [open
    /// leaves](MerkleAccumulator::open_leaves) (of which there must be some).
    pub fn root_with_open(&self, open: &Hash256) -> Hash256 {
        debug_assert!(!self.leaves.is_multiple_of(PENDING as u64), "open leaves");
        self.subtrees[..self.depth]
            .iter()
            .rev()
            .fold(*open, |right, left| node_hash(left, &right))
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

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(n: usize, seed: u8) -> Vec<Hash256> {
        (0..n)
            .map(|i| *blake3::hash(&[seed, i as u8, (i >> 8) as u8]).as_bytes())
            .collect()
    }

    /// Several trees reduced together give each its own root, whatever their sizes and
    /// however their levels fall into shared batches (sizes from 1 to past two pending
    /// gatherings, side by side in one slice).
    #[test]
    fn trees_reduced_together_give_each_its_own_root() {
        let sizes: [&[usize]; 6] = [
            &[1],
            &[2, 1],
            &[17, 17],
            &[3, 1, 5, 2, 9, 16, 31, 8],
            &[70, 33, 1],
            &[64, 65, 2, 3],
        ];
        for (seed, sizes) in sizes.iter().enumerate() {
            let mut hashes: Vec<Vec<Hash256>> = sizes
                .iter()
                .enumerate()
                .map(|(i, &n)| leaves(n, (seed * 16 + i) as u8))
                .collect();
            let expected: Vec<Hash256> = hashes.iter().map(|tree| merkle_root(tree)).collect();
            let mut trees: Vec<&mut [Hash256]> = hashes.iter_mut().map(Vec::as_mut_slice).collect();
            roots_in_place(&mut trees);
            for (i, (tree, root)) in trees.iter().zip(&expected).enumerate() {
                assert_eq!(tree[0], *root, "sizes {sizes:?}, tree {i}");
            }
        }
    }
}
