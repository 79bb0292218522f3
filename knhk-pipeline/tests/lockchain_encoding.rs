//! The hashed bytes are exactly the ones the crate docs list (`knhk_pipeline::lockchain` and
//! `knhk_pipeline::receipt`): each hash is rebuilt here from the documented layout, byte by
//! byte, and compared with what the pipeline computes.

use knhk_pipeline::block::{EncodedTriple, EncodedTripleLanes};
use knhk_pipeline::lockchain::{leaf_hash, node_hash, Commit, Lockchain, ReceiptView};
use knhk_pipeline::receipt::{action_hash, span_id, Receipt};

fn h(bytes: &[u8]) -> [u8; 32] {
    *blake3::hash(bytes).as_bytes()
}

fn block() -> (Vec<EncodedTriple>, EncodedTripleLanes) {
    let triples: Vec<EncodedTriple> = (0..3u64)
        .map(|i| EncodedTriple {
            s: 10 + i,
            p: 77,
            o: 1000 + i,
        })
        .collect();
    let mut block = EncodedTripleLanes::default();
    block.fill_from(&triples);
    (triples, block)
}

fn lanes(triples: &[EncodedTriple]) -> Vec<u8> {
    triples
        .iter()
        .flat_map(|t| [t.s, t.p, t.o])
        .flat_map(u64::to_le_bytes)
        .collect()
}

#[test]
fn action_hash_is_the_documented_v1_bytes() {
    let (triples, block) = block();
    let mut bytes = b"knhk.action.v1\0\0".to_vec();
    bytes.extend(5u32.to_le_bytes());
    bytes.extend(77u64.to_le_bytes());
    bytes.push(3);
    bytes.extend(lanes(&triples));
    bytes.extend(2u64.to_le_bytes());
    assert_eq!(action_hash(5, &block, 2), h(&bytes));
}

#[test]
fn span_id_is_the_first_8_bytes_of_the_documented_hash() {
    let mut bytes = b"knhk.span.v1\0\0\0\0".to_vec();
    bytes.extend(0u32.to_le_bytes());
    bytes.extend(9u64.to_le_bytes());
    bytes.extend(41u64.to_le_bytes());
    let hash = h(&bytes);
    assert_eq!(
        span_id(0, 9, 41),
        u64::from_le_bytes(hash[..8].try_into().unwrap())
    );
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
    let mut bytes = vec![0x00];
    bytes.extend(b"knhk.receipt.v1\0");
    bytes.extend(41u64.to_le_bytes());
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
    assert_eq!(leaf_hash(view), h(&bytes));
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
        h(&bytes)
    );

    let (a, b) = ([1u8; 32], [2u8; 32]);
    let mut node = vec![0x01];
    node.extend(a);
    node.extend(b);
    assert_eq!(node_hash(&a, &b), h(&node));
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

    let mut blocks = b"knhk.blocks.v1\0\0".to_vec();
    blocks.extend(0u64.to_le_bytes());
    blocks.push(3);
    blocks.extend(lanes(&triples));
    let mut ticks = b"knhk.ticks.v1\0\0\0".to_vec();
    ticks.extend(99u64.to_le_bytes());
    let expected = Commit {
        index: 0,
        end: true,
        first_cycle: 0,
        beats: 1,
        first_seq: 0,
        receipts: 1,
        triples: 3,
        blocks_hash: h(&blocks),
        root: leaf_hash(view),
        ticks_hash: h(&ticks),
        prev: [0; 32],
        hash: commit.hash,
    };
    assert_eq!(commit, expected);

    let mut bytes = b"knhk.commit.v1\0\0".to_vec();
    bytes.extend(0u64.to_le_bytes());
    bytes.push(1);
    for n in [0u64, 1, 0, 1, 3] {
        bytes.extend(n.to_le_bytes());
    }
    bytes.extend(expected.blocks_hash);
    bytes.extend(expected.root);
    bytes.extend([0u8; 32]);
    assert_eq!(commit.hash, h(&bytes));
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
