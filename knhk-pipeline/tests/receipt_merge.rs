//! The receipt merge (⊕) is a commutative monoid whose hash part does not cancel, and the
//! action hash covers exactly the hook, the block's active triples and the result.

use knhk_pipeline::block::{RunTriple, RunTripleLanes};
use knhk_pipeline::provenance::receipt::{action_hash, add_hashes, span_id, BlockDigest, Receipt};
use proptest::prelude::*;

fn any_receipt() -> impl Strategy<Value = Receipt> {
    (
        (
            any::<u64>(),
            any::<u64>(),
            any::<u32>(),
            any::<u32>(),
            any::<u64>(),
        ),
        (any::<u64>(), any::<u64>(), any::<u64>(), any::<u64>()),
        any::<[u8; 32]>(),
    )
        .prop_map(
            |((seq, cycle, shard, hook, predicate), (lanes, result, ticks, span_id), a_hash)| {
                Receipt {
                    seq,
                    cycle,
                    shard,
                    hook,
                    predicate,
                    lanes,
                    result,
                    ticks,
                    span_id,
                    a_hash,
                }
            },
        )
}

fn lanes_of(triples: &[RunTriple]) -> RunTripleLanes {
    let mut block = RunTripleLanes::default();
    assert_eq!(block.fill_from(triples), triples.len());
    block
}

/// The digest a loaded block of `triples` (one predicate run) gets.
fn block_of(triples: &[RunTriple]) -> BlockDigest {
    BlockDigest::of(&lanes_of(triples))
}

fn any_run() -> impl Strategy<Value = Vec<RunTriple>> {
    (
        any::<u64>(),
        prop::collection::vec((any::<u64>(), any::<u64>()), 1..=8),
    )
        .prop_map(|(p, so)| so.into_iter().map(|(s, o)| RunTriple { s, p, o }).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn merge_is_associative(a in any_receipt(), b in any_receipt(), c in any_receipt()) {
        prop_assert_eq!(a.merge(&b).merge(&c), a.merge(&b.merge(&c)));
    }

    #[test]
    fn merge_is_commutative(a in any_receipt(), b in any_receipt()) {
        prop_assert_eq!(a.merge(&b), b.merge(&a));
    }

    #[test]
    fn identity_is_neutral_on_both_sides(a in any_receipt()) {
        prop_assert_eq!(a.merge(&Receipt::IDENTITY), a);
        prop_assert_eq!(Receipt::IDENTITY.merge(&a), a);
    }

    /// Unlike XOR, a receipt merged with itself keeps its hash (doubled), so a duplicated
    /// receipt shows in the merged hash.
    #[test]
    fn merging_a_receipt_with_itself_does_not_cancel(a in any_receipt()) {
        // Only a hash of 0 or 2^255 doubles to 0 modulo 2^256.
        prop_assume!(a.a_hash[..31].iter().any(|&b| b != 0) || a.a_hash[31] & 0x7f != 0);
        let twice = a.merge(&a);
        prop_assert_ne!(twice.a_hash, [0; 32]);
        prop_assert_ne!(twice.a_hash, a.a_hash);
        prop_assert_ne!(twice, Receipt::IDENTITY);
    }

    #[test]
    fn merge_adds_counts_and_keeps_the_largest_ticks(a in any_receipt(), b in any_receipt()) {
        let m = a.merge(&b);
        prop_assert_eq!(m.lanes, a.lanes.wrapping_add(b.lanes));
        prop_assert_eq!(m.result, a.result.wrapping_add(b.result));
        prop_assert_eq!(m.ticks, a.ticks.max(b.ticks));
    }

    /// The hash sum is the 256-bit little-endian sum: checked against u128 halves with carry.
    #[test]
    fn hash_merge_is_addition_modulo_2_256(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        let half = |h: &[u8; 32], i: usize| u128::from_le_bytes(h[16 * i..16 * i + 16].try_into().unwrap());
        let (low, carry) = half(&a, 0).overflowing_add(half(&b, 0));
        let high = half(&a, 1).wrapping_add(half(&b, 1)).wrapping_add(u128::from(carry));
        let sum = add_hashes(&a, &b);
        prop_assert_eq!(half(&sum, 0), low);
        prop_assert_eq!(half(&sum, 1), high);
    }

    /// Any change to the hook, an active triple or the result changes the action hash.
    #[test]
    fn action_hash_covers_hook_triples_and_result(
        run in any_run(),
        hook in any::<u32>(),
        result in any::<u64>(),
        lane in any::<prop::sample::Index>(),
        flip in 0u64..64,
    ) {
        let block = block_of(&run);
        let base = action_hash(hook, &block, result);
        prop_assert_eq!(base, action_hash(hook, &block_of(&run), result), "deterministic");
        prop_assert_ne!(base, action_hash(hook ^ 1, &block, result));
        prop_assert_ne!(base, action_hash(hook, &block, result ^ (1 << flip)));
        let mut changed = run.clone();
        let i = lane.index(changed.len());
        changed[i].o ^= 1 << flip;
        prop_assert_ne!(base, action_hash(hook, &block_of(&changed), result));
        let mut changed = run.clone();
        changed[i].s ^= 1 << flip;
        prop_assert_ne!(base, action_hash(hook, &block_of(&changed), result));
        let other_predicate: Vec<RunTriple> =
            run.iter().map(|t| RunTriple { p: t.p ^ (1 << flip), ..*t }).collect();
        prop_assert_ne!(base, action_hash(hook, &block_of(&other_predicate), result));
        // A subject and an object trading places is a different block.
        let mut swapped = run.clone();
        if swapped[i].s != swapped[i].o {
            let t = swapped[i];
            swapped[i] = RunTriple { s: t.o, p: t.p, o: t.s };
            prop_assert_ne!(base, action_hash(hook, &block_of(&swapped), result));
        }
        let mut shorter = run.clone();
        if shorter.len() > 1 {
            shorter.pop();
            prop_assert_ne!(base, action_hash(hook, &block_of(&shorter), result));
        }
    }

    /// What a reused block's inactive lanes still hold never shows in the hash.
    #[test]
    fn action_hash_ignores_inactive_lanes(run in any_run(), stale in any_run(), hook in any::<u32>()) {
        let mut reused = lanes_of(&stale);
        reused.clear();
        assert_eq!(reused.fill_from(&run), run.len());
        prop_assert_eq!(
            action_hash(hook, &BlockDigest::of(&reused), 3),
            action_hash(hook, &block_of(&run), 3)
        );
    }

    #[test]
    fn span_ids_differ_for_different_places(cycle in any::<u64>(), seq in any::<u64>()) {
        let id = span_id(0, cycle, seq);
        prop_assert_eq!(id, span_id(0, cycle, seq), "derived, not random");
        prop_assert_ne!(id, span_id(0, cycle, seq.wrapping_add(1)));
        prop_assert_ne!(id, span_id(0, cycle.wrapping_add(1), seq));
        prop_assert_ne!(id, span_id(1, cycle, seq));
    }
}

#[test]
fn for_block_fills_hook_predicate_lanes_result_and_hash() {
    let run: Vec<RunTriple> = (0..5)
        .map(|i| RunTriple {
            s: i,
            p: 42,
            o: 100 + i,
        })
        .collect();
    let block = block_of(&run);
    let receipt = Receipt::for_block(7, &block, 3);
    assert_eq!(
        (
            receipt.hook,
            receipt.predicate,
            receipt.lanes,
            receipt.result
        ),
        (7, 42, 5, 3)
    );
    assert_eq!(receipt.a_hash, action_hash(7, &block, 3));
    assert_eq!(
        (receipt.seq, receipt.cycle, receipt.ticks, receipt.span_id),
        (0, 0, 0, 0)
    );
}
