//! The hashed bytes are exactly the ones the crate docs list (`knhk_pipeline::provenance::lockchain` and
//! `knhk_pipeline::provenance::receipt`): each hash is rebuilt here from the documented layout, byte by
//! byte, and compared with what the pipeline computes.

use knhk_pipeline::block::{RunTriple, RunTripleLanes};
use knhk_pipeline::provenance::lockchain::{leaf_hash, Commit, Lockchain, ReceiptView};
use knhk_pipeline::provenance::merkle::node_hash;
use knhk_pipeline::provenance::receipt::{action_hash, span_id, BlockDigest, Receipt};

/// The keyed hash with the documented key: the tag's ASCII, zero-padded to 32 bytes.
fn h(tag: &str, bytes: &[u8]) -> [u8; 32] {
    let mut key = [0u8; 32];
    key[..tag.len()].copy_from_slice(tag.as_bytes());
    *blake3::keyed_hash(&key, bytes).as_bytes()
}

fn block() -> (Vec<RunTriple>, BlockDigest) {
    let triples: Vec<RunTriple> = (0..3u64)
        .map(|i| RunTriple {
            s: 10 + i,
            p: 77,
            o: 1000 + i,
        })
        .collect();
    let mut block = RunTripleLanes::default();
    block.fill_from(&triples);
    (triples, BlockDigest::of(&block))
}

fn lanes(triples: &[RunTriple]) -> Vec<u8> {
    triples
        .iter()
        .flat_map(|t| [t.s, t.o])
        .flat_map(u64::to_le_bytes)
        .collect()
}

#[test]
fn the_block_digest_and_action_hash_are_the_documented_v2_bytes() {
    let (triples, block) = block();
    assert_eq!(
        block,
        BlockDigest {
            predicate: 77,
            lanes: 3,
            hash: h("knhk.block.v2", &lanes(&triples)),
        }
    );
    let mut bytes = 5u32.to_le_bytes().to_vec();
    bytes.extend(77u64.to_le_bytes());
    bytes.push(3);
    bytes.extend(2u64.to_le_bytes());
    bytes.extend(block.hash);
    assert_eq!(bytes.len(), 53, "one BLAKE3 compression");
    assert_eq!(action_hash(5, &block, 2), h("knhk.action.v2", &bytes));
}

#[test]
fn span_id_is_the_documented_splitmix64_mix() {
    fn m(mut z: u64) -> u64 {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
        z ^ (z >> 31)
    }
    let seed = u64::from_le_bytes(*b"knhkspan");
    for (shard, cycle, seq) in [(0, 9, 41), (0, 0, 0), (3, u64::MAX, 7)] {
        assert_eq!(
            span_id(shard, cycle, seq),
            m(m(m(seed ^ u64::from(shard)) ^ cycle) ^ seq)
        );
    }
}

#[test]
fn leaf_and_node_hashes_are_the_documented_bytes() {
    let (_, block) = block();
    let receipt = Receipt {
        seq: 41,
        cycle: 9,
        ticks: 12345,
        span_id: span_id(0, 9, 41),
        ..Receipt::for_block(5, &block, 2)
    };
    let mut bytes = 41u64.to_le_bytes().to_vec();
    bytes.extend(9u64.to_le_bytes());
    bytes.extend(0u32.to_le_bytes());
    bytes.push(3);
    bytes.extend(b"ask");
    bytes.push(6);
    bytes.extend(b"ask_sp");
    bytes.extend(77u64.to_le_bytes());
    bytes.extend(3u64.to_le_bytes());
    bytes.extend(2u64.to_le_bytes());
    bytes.extend(receipt.span_id.to_le_bytes());
    bytes.extend(receipt.a_hash);
    let view = ReceiptView {
        receipt: &receipt,
        hook: "ask",
        kind: "ask_sp",
    };
    assert_eq!(leaf_hash(view), h("knhk.receipt.v2", &bytes));
    // Ticks are not in the leaf.
    let other_ticks = Receipt {
        ticks: 1,
        ..receipt
    };
    assert_eq!(
        leaf_hash(ReceiptView {
            receipt: &other_ticks,
            ..view
        }),
        h("knhk.receipt.v2", &bytes)
    );

    let (a, b) = ([1u8; 32], [2u8; 32]);
    let mut node = a.to_vec();
    node.extend(b);
    assert_eq!(node_hash(&a, &b), h("knhk.node.v2", &node));
    assert_ne!(
        node_hash(&a, &b),
        h("knhk.receipt.v2", &node),
        "leaves and nodes are keyed apart"
    );
}

#[test]
fn a_commit_is_the_documented_bytes_over_blocks_receipts_and_ticks() {
    let (triples, block) = block();
    let mut chain = Lockchain::new();
    let mut receipt = Receipt {
        seq: 0,
        ticks: 99,
        ..Receipt::for_block(5, &block, 2)
    };
    chain.stamp(&mut receipt);
    assert_eq!(
        (receipt.cycle, receipt.shard, receipt.span_id),
        (0, 0, span_id(0, 0, 0))
    );
    let view = ReceiptView {
        receipt: &receipt,
        hook: "ask",
        kind: "ask_sp",
    };
    chain.beat(&block);
    assert_eq!(chain.ready_commit(u64::MAX), None, "a pulse has 8 beats");
    chain.absorb(view);
    let commit = chain.commit_end();

    let mut blocks = 77u64.to_le_bytes().to_vec();
    blocks.extend(h("knhk.block.v2", &lanes(&triples)));
    let ticks = 99u64.to_le_bytes();
    let expected = Commit {
        index: 0,
        end: true,
        first_cycle: 0,
        beats: 1,
        first_seq: 0,
        receipts: 1,
        triples: 3,
        blocks_hash: h("knhk.blocks.v2", &blocks),
        root: leaf_hash(view),
        ticks_hash: h("knhk.ticks.v2", &ticks),
        prev: [0; 32],
        hash: commit.hash,
    };
    assert_eq!(commit, expected);

    let mut bytes = 0u64.to_le_bytes().to_vec();
    bytes.push(1);
    for n in [0u64, 1, 0, 1, 3] {
        bytes.extend(n.to_le_bytes());
    }
    bytes.extend(expected.blocks_hash);
    bytes.extend(expected.root);
    bytes.extend([0u8; 32]);
    assert_eq!(commit.hash, h("knhk.commit.v2", &bytes));
}

#[test]
fn a_pulse_is_committed_after_8_beats_once_its_receipts_are_out() {
    let (_, block) = block();
    let mut chain = Lockchain::new();
    let view = |r| ReceiptView {
        receipt: r,
        hook: "ask",
        kind: "ask_sp",
    };
    let mut receipts = Vec::new();
    for seq in 0..9 {
        let mut r = Receipt {
            seq,
            ..Receipt::for_block(5, &block, 2)
        };
        chain.stamp(&mut r);
        receipts.push(r);
        chain.beat(&block);
    }
    // Beats run ahead: 9 done, no receipt out yet; the first pulse waits for its receipts.
    assert_eq!(chain.ready_commit(receipts[0].cycle), None);
    for r in &receipts[..8] {
        assert_eq!(chain.ready_commit(r.cycle), None);
        chain.absorb(view(r));
    }
    let first = chain
        .ready_commit(receipts[8].cycle)
        .expect("pulse 0 is complete");
    assert_eq!(chain.ready_commit(receipts[8].cycle), None);
    assert_eq!(
        (
            first.index,
            first.beats,
            first.first_seq,
            first.receipts,
            first.triples
        ),
        (0, 8, 0, 8, 24)
    );
    chain.absorb(view(&receipts[8]));
    assert_eq!(
        chain.ready_commit(u64::MAX),
        None,
        "pulse 1 has 1 beat of 8"
    );
    let end = chain.commit_end();
    assert_eq!(
        (
            end.index,
            end.end,
            end.first_cycle,
            end.beats,
            end.first_seq,
            end.receipts,
            end.prev
        ),
        (1, true, 8, 1, 8, 1, first.hash)
    );
}

#[test]
fn the_ticks_hash_is_the_keyed_hash_of_every_ticks_bytes_in_order() {
    use knhk_pipeline::provenance::lockchain::TicksHasher;
    // Around the hasher's 128-tick chunk, and several chunks.
    for count in [0u64, 1, 127, 128, 129, 256, 300, 1000] {
        let mut hasher = TicksHasher::default();
        let mut bytes = Vec::new();
        for i in 0..count {
            let ticks = i * 2_654_435_761 % 1_000;
            hasher.push(ticks);
            bytes.extend_from_slice(&ticks.to_le_bytes());
        }
        assert_eq!(hasher.finish(), h("knhk.ticks.v2", &bytes), "{count} ticks");
        hasher.clear();
        hasher.push(7);
        assert_eq!(hasher.finish(), h("knhk.ticks.v2", &7u64.to_le_bytes()));
    }
}

#[test]
fn batched_digests_action_hashes_and_leaves_are_the_single_ones() {
    use knhk_pipeline::provenance::lockchain::{leaf_hashes, LeafBuffers};
    use knhk_pipeline::provenance::receipt::{action_hashes, ActionBuffers, DigestBuffers};
    let blocks: Vec<RunTripleLanes> = (1..=19u64)
        .map(|n| {
            let triples: Vec<RunTriple> = (0..n % 8 + 1)
                .map(|i| RunTriple {
                    s: n * 1000 + i,
                    p: n % 3,
                    o: i * 77 + n,
                })
                .collect();
            let mut block = RunTripleLanes::default();
            block.fill_from(&triples);
            block
        })
        .collect();
    let refs: Vec<&RunTripleLanes> = blocks.iter().collect();
    let mut digests = vec![BlockDigest::default(); blocks.len()];
    BlockDigest::of_each(&refs, &mut digests, &mut DigestBuffers::default());
    for (block, digest) in blocks.iter().zip(&digests) {
        assert_eq!(*digest, BlockDigest::of(block));
    }
    let actions: Vec<(u32, &BlockDigest, u64)> = digests
        .iter()
        .enumerate()
        .map(|(i, d)| (i as u32 % 5, d, i as u64 * 3))
        .collect();
    let mut hashes = vec![[0; 32]; actions.len()];
    let mut action_buffers = ActionBuffers::default();
    assert_eq!(
        action_hashes(actions.iter().copied(), &mut hashes, &mut action_buffers),
        19
    );
    let receipts: Vec<Receipt> = actions
        .iter()
        .zip(&hashes)
        .enumerate()
        .map(|(seq, (&(hook, digest, result), a_hash))| {
            assert_eq!(*a_hash, action_hash(hook, digest, result));
            Receipt {
                seq: seq as u64,
                ..Receipt::for_block(hook, digest, result)
            }
        })
        .collect();
    let names = ["a", "a-much-longer-hook-name-than-the-others", ""];
    let views: Vec<ReceiptView> = receipts
        .iter()
        .enumerate()
        .map(|(i, receipt)| ReceiptView {
            receipt,
            hook: names[i % 3],
            kind: "ask_sp",
        })
        .collect();
    let mut leaves = vec![[0; 32]; views.len()];
    let mut leaf_buffers = LeafBuffers::default();
    assert_eq!(
        leaf_hashes(views.iter().copied(), &mut leaves, &mut leaf_buffers),
        19
    );
    for (view, leaf) in views.iter().zip(&leaves) {
        assert_eq!(*leaf, leaf_hash(*view));
    }
    // The buffers are reused: what an earlier, longer encoding left in them never shows.
    assert_eq!(
        leaf_hashes(views.iter().rev().copied(), &mut leaves, &mut leaf_buffers),
        19
    );
    for (view, leaf) in views.iter().rev().zip(&leaves) {
        assert_eq!(*leaf, leaf_hash(*view));
    }
}

/// A pulse's Merkle root computed ahead, with other pulses' trees (its receipts then absorbed
/// with `absorb_rooted`), and a pulse tail's open leaves reduced so and given to `close_tree`,
/// give the commits that absorbing leaf by leaf gives: emissions cut pulses anywhere, pulses
/// of 0 to over 64 receipts, and more than one whole pulse in an emission.
#[test]
fn pulses_rooted_ahead_commit_as_leaf_by_leaf() {
    use knhk_pipeline::provenance::lockchain::BEATS_PER_PULSE;
    use knhk_pipeline::provenance::merkle::{roots_in_place, MAX_TREES};

    let (_, block) = block();
    fn view(receipt: &Receipt) -> ReceiptView<'_> {
        ReceiptView {
            receipt,
            hook: "ask",
            kind: "ask_sp",
        }
    }
    let beats = 60u64;
    // Receipts per beat: some beats none, pulses of a few receipts and of over 64.
    let per_beat = |beat: u64| {
        if (beat / BEATS_PER_PULSE) % 3 == 1 {
            (beat * 7 % 12 * 2) as usize
        } else {
            (beat * 5 % 4) as usize
        }
    };
    // The beats each emission covers, ending where the next begins.
    let emissions = [3u64, 13, 16, 37, 38, 60];
    let mut by_leaf = Lockchain::new();
    let mut ahead = Lockchain::new();
    let (mut leaf_commits, mut ahead_commits) = (Vec::new(), Vec::new());
    let (mut first_beat, mut seq) = (0, 0);
    for end_beat in emissions {
        let mut receipts = Vec::new();
        for _ in first_beat..end_beat {
            for _ in 0..per_beat(by_leaf.cycle()) {
                let mut r = Receipt {
                    seq,
                    ticks: seq * 3,
                    ..Receipt::for_block(5, &block, seq % 4)
                };
                seq += 1;
                by_leaf.stamp(&mut r);
                receipts.push(r);
            }
            by_leaf.beat(&block);
            ahead.beat(&block);
        }
        first_beat = end_beat;
        // Leaf by leaf.
        for r in &receipts {
            while let Some(c) = by_leaf.ready_commit(r.cycle) {
                leaf_commits.push(c);
            }
            by_leaf.absorb(view(r));
        }
        while let Some(c) = by_leaf.ready_commit(u64::MAX) {
            leaf_commits.push(c);
        }
        // Rooted ahead, as an emission does.
        let mut leaves: Vec<[u8; 32]> = receipts.iter().map(|r| leaf_hash(view(r))).collect();
        let pulse = |r: &Receipt| r.cycle / BEATS_PER_PULSE;
        let runs: Vec<std::ops::Range<usize>> = receipts
            .chunk_by(|a, b| pulse(a) == pulse(b))
            .scan(0, |at, run| {
                *at += run.len();
                Some(*at - run.len()..*at)
            })
            .collect();
        let mut absorbed = 0;
        if let Some(first) = runs.first() {
            if ahead.is_pulse_tail(pulse(&receipts[0])) {
                for r in &receipts[first.clone()] {
                    assert_eq!(ahead.ready_commit(r.cycle), None);
                    ahead.absorb(view(r));
                }
                absorbed = first.end;
            }
        }
        let whole: Vec<std::ops::Range<usize>> = runs
            .iter()
            .filter(|run| {
                run.start >= absorbed && ahead.is_whole_pulse(pulse(&receipts[run.start]))
            })
            .take(MAX_TREES - 1)
            .cloned()
            .collect();
        let mut open: Vec<[u8; 32]> = ahead.open_leaves().to_vec();
        let mut whole_leaves: Vec<Vec<[u8; 32]>> = whole
            .iter()
            .map(|run| leaves[run.clone()].to_vec())
            .collect();
        let mut trees: Vec<&mut [[u8; 32]]> = Vec::new();
        if absorbed > 0 && !open.is_empty() {
            trees.push(&mut open);
        }
        trees.extend(whole_leaves.iter_mut().map(Vec::as_mut_slice));
        roots_in_place(&mut trees);
        if absorbed > 0 && !open.is_empty() {
            ahead.close_tree(&open[0]);
        }
        for (run, tree) in whole.iter().zip(&whole_leaves) {
            leaves[run.start] = tree[0];
        }
        for (at, r) in receipts.iter().enumerate().skip(absorbed) {
            while let Some(c) = ahead.ready_commit(r.cycle) {
                ahead_commits.push(c);
            }
            match whole.iter().find(|run| run.contains(&at)) {
                Some(run) if run.start == at => {
                    ahead.absorb_rooted(receipts[run.clone()].iter().map(view), &leaves[at]);
                }
                Some(_) => {}
                None => ahead.absorb(view(r)),
            }
        }
        while let Some(c) = ahead.ready_commit(u64::MAX) {
            ahead_commits.push(c);
        }
    }
    leaf_commits.push(by_leaf.commit_end());
    ahead_commits.push(ahead.commit_end());
    assert_eq!(leaf_commits.len(), (beats / BEATS_PER_PULSE + 1) as usize);
    assert!(leaf_commits.iter().any(|c| c.receipts > 64));
    assert_eq!(ahead_commits, leaf_commits);
}

/// A block's digest covers its active lanes only, batched or not, whatever its inactive lanes
/// and its encoding buffer held before (a pooled block refilled with fewer triples, after a
/// full block in the same buffers).
#[test]
fn a_digest_hashes_only_the_active_lanes_of_a_refilled_block() {
    use knhk_pipeline::provenance::receipt::DigestBuffers;
    let full: Vec<RunTriple> = (0..8u64)
        .map(|i| RunTriple {
            s: 500 + i,
            p: 9,
            o: 900 + i,
        })
        .collect();
    let mut refilled = RunTripleLanes::default();
    refilled.fill_from(&full);
    let mut whole = RunTripleLanes::default();
    whole.fill_from(&full);
    let mut buffers = DigestBuffers::default();
    let mut digests = [BlockDigest::default(); 1];
    BlockDigest::of_each(&[&whole], &mut digests, &mut buffers);
    for lanes in [3, 1, 5] {
        // Cleared as the pool clears a block: the lanes past the length keep their values.
        refilled.clear();
        refilled.fill_from(&full[..lanes]);
        BlockDigest::of_each(&[&refilled], &mut digests, &mut buffers);
        let expected = h("knhk.block.v2", &self::lanes(&full[..lanes]));
        assert_eq!(refilled.len(), lanes);
        assert_eq!(
            refilled.s_lanes()[7],
            507,
            "an inactive lane keeps its value"
        );
        assert_eq!(BlockDigest::of(&refilled).hash, expected, "{lanes} lanes");
        assert_eq!(digests[0].hash, expected, "{lanes} lanes, batched");
    }
}
