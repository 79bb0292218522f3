//! The lockchain's Merkle trees against a recursive RFC 6962 reference, and inclusion proofs:
//! every leaf's audit path leads to the root in at most ⌈log2 n⌉ hashes, and any change to the
//! leaf, the index or a path hash is rejected.

use knhk_pipeline::provenance::merkle::{
    audit_path, empty_root, merkle_root, node_hash, root_from_audit_path, MerkleAccumulator,
    NODE_KEY_V2,
};
use knhk_pipeline::provenance::Hash256;
use proptest::prelude::*;

/// RFC 6962 §2.1, written the way the RFC states it.
fn reference_root(leaves: &[Hash256]) -> Hash256 {
    match leaves.len() {
        0 => *blake3::keyed_hash(&NODE_KEY_V2, b"").as_bytes(),
        1 => leaves[0],
        n => {
            let k = (1..n)
                .map(|i| 1 << i)
                .take_while(|&p| p < n)
                .last()
                .unwrap_or(1);
            node_hash(&reference_root(&leaves[..k]), &reference_root(&leaves[k..]))
        }
    }
}

fn ceil_log2(n: usize) -> usize {
    (usize::BITS - (n.max(1) - 1).leading_zeros()) as usize
}

fn leaves(n: usize, seed: u8) -> Vec<Hash256> {
    (0..n)
        .map(|i| *blake3::hash(&[seed, i as u8, (i >> 8) as u8]).as_bytes())
        .collect()
}

#[test]
fn empty_tree_root_is_the_hash_of_nothing() {
    assert_eq!(merkle_root(&[]), empty_root());
    assert_eq!(
        empty_root(),
        *blake3::keyed_hash(&NODE_KEY_V2, b"").as_bytes()
    );
    assert!(MerkleAccumulator::default().is_empty());
}

#[test]
fn roots_match_the_reference_for_every_size_up_to_130() {
    for n in 0..130 {
        let l = leaves(n, 1);
        assert_eq!(merkle_root(&l), reference_root(&l), "{n} leaves");
    }
}

#[test]
fn a_leaf_cannot_pass_for_a_node() {
    // Two leaves whose concatenation is a node's bytes still give a different root than the
    // node itself promoted to a leaf: leaves and nodes are hashed with different keys.
    let l = leaves(2, 3);
    let node = node_hash(&l[0], &l[1]);
    assert_eq!(merkle_root(&l), node);
    assert_ne!(merkle_root(&[node]), merkle_root(&[l[0], l[1], node]));
    let leaf_key = knhk_pipeline::provenance::lockchain::RECEIPT_KEY_V2;
    assert_ne!(
        node,
        *blake3::keyed_hash(&leaf_key, &[l[0], l[1]].concat()).as_bytes(),
        "a leaf of the node's bytes is not the node"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn accumulator_root_matches_the_reference(n in 0usize..300, seed in any::<u8>()) {
        let l = leaves(n, seed);
        let mut tree = MerkleAccumulator::default();
        for (i, leaf) in l.iter().enumerate() {
            tree.push(*leaf);
            prop_assert_eq!(tree.len(), i as u64 + 1);
        }
        prop_assert_eq!(tree.root(), reference_root(&l));
    }

    #[test]
    fn the_root_after_every_push_matches_the_reference(n in 1usize..150, seed in any::<u8>()) {
        // Between the accumulator's complete subtrees its pending leaves are hashed level by
        // level: every prefix's root, not only the last, is RFC 6962's.
        let l = leaves(n, seed);
        let mut tree = MerkleAccumulator::default();
        for (i, leaf) in l.iter().enumerate() {
            tree.push(*leaf);
            prop_assert_eq!(tree.root(), reference_root(&l[..=i]), "{} leaves", i + 1);
        }
        tree.clear();
        prop_assert!(tree.is_empty());
        tree.push(l[0]);
        prop_assert_eq!(tree.root(), l[0]);
    }

    #[test]
    fn every_audit_path_leads_to_the_root(n in 1usize..300, seed in any::<u8>(), pick in any::<prop::sample::Index>()) {
        let l = leaves(n, seed);
        let root = reference_root(&l);
        let i = pick.index(n);
        let path = audit_path(&l, i).unwrap();
        prop_assert!(path.len() <= ceil_log2(n), "{} hashes for {n} leaves", path.len());
        prop_assert_eq!(root_from_audit_path(&l[i], i as u64, n as u64, &path), Some(root));
    }

    #[test]
    fn a_changed_leaf_index_size_or_path_is_rejected(
        n in 2usize..300,
        seed in any::<u8>(),
        pick in any::<prop::sample::Index>(),
        hash_pick in any::<prop::sample::Index>(),
        bit in 0usize..256,
    ) {
        let l = leaves(n, seed);
        let root = reference_root(&l);
        let i = pick.index(n);
        let path = audit_path(&l, i).unwrap();
        let mut leaf = l[i];
        leaf[bit / 8] ^= 1 << (bit % 8);
        prop_assert_ne!(root_from_audit_path(&leaf, i as u64, n as u64, &path), Some(root));
        let other = (i + 1) % n;
        prop_assert_ne!(root_from_audit_path(&l[i], other as u64, n as u64, &path), Some(root));
        // (A changed size can reach the same root, as in RFC 9162, where the tree head binds
        // the size; here the commit's hash binds `receipts`, and `knhk verify --proof` checks
        // the proof's size against it.)
        prop_assert_eq!(root_from_audit_path(&l[i], n as u64, n as u64, &path), None, "index out of range");
        if !path.is_empty() {
            let mut bad = path.clone();
            let j = hash_pick.index(bad.len());
            bad[j][bit / 8] ^= 1 << (bit % 8);
            prop_assert_ne!(root_from_audit_path(&l[i], i as u64, n as u64, &bad), Some(root));
            let mut short = path.clone();
            short.pop();
            prop_assert_ne!(root_from_audit_path(&l[i], i as u64, n as u64, &short), Some(root));
        }
        let mut long = path.clone();
        long.push(root);
        prop_assert_ne!(root_from_audit_path(&l[i], i as u64, n as u64, &long), Some(root));
    }
}

#[test]
fn audit_path_is_none_out_of_range() {
    assert_eq!(audit_path(&leaves(3, 0), 3), None);
    assert_eq!(audit_path(&[], 0), None);
}
