//! What provenance costs per receipt: the BLAKE3 block digest and action hash over a full
//! 8-lane block (against version 1's one BLAKE3 hash of the action's 229 bytes, the 64-bit
//! FNV-1a digest of the original KNHK design's receipts and std's SipHash, which KNHK shipped as "BLAKE3", the last
//! three over those same bytes), the span id and Merkle leaf, a block's beat, a pulse's
//! commit, and all of it for one receipt as the pipeline makes it; and eight independent keyed
//! hashes in SIMD lanes (`batch_hash`) against eight `blake3::keyed_hash` calls. Results are in
//! BENCHMARKS.md (`provenance`, with `batch_hash_8` and `merkle_pulse`).

use std::hash::{DefaultHasher, Hasher};
use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use knhk_pipeline::block::{RunTriple, RunTripleLanes};
use knhk_pipeline::provenance::batch_hash::{keyed_hash_many, KeyedInput};
use knhk_pipeline::provenance::lockchain::{leaf_hash, Lockchain, ReceiptView};
use knhk_pipeline::provenance::merkle::{merkle_root, node_hash, MerkleAccumulator};
use knhk_pipeline::provenance::receipt::{action_hash, span_id, BlockDigest, Receipt};

fn full_block() -> RunTripleLanes {
    let triples: Vec<RunTriple> = (0..8u64)
        .map(|i| RunTriple {
            s: 0x1000_0000_0000_0000 | (i * 7919),
            p: 0x1000_0000_0000_0042,
            o: 0x2000_0000_0000_0000 | (i * 104_729),
        })
        .collect();
    let mut block = RunTripleLanes::default();
    assert_eq!(block.fill_from(&triples), 8);
    block
}

/// The action bytes of the v1 encoding (tag, hook, predicate, lanes, each lane's subject,
/// predicate and object, result), fed to a hasher.
fn digest64<H: Hasher>(mut hasher: H, hook: u32, block: &RunTripleLanes, result: u64) -> u64 {
    hasher.write(b"knhk.action.v1\0\0");
    hasher.write_u32(hook);
    hasher.write_u64(*block.p());
    hasher.write_u8(block.len() as u8);
    for (s, o) in block.s().iter().zip(block.o()) {
        hasher.write_u64(*s);
        hasher.write_u64(*block.p());
        hasher.write_u64(*o);
    }
    hasher.write_u64(result);
    hasher.finish()
}

/// Version 1's action hash: the same bytes gathered on the stack, one `blake3::hash`.
fn action_hash_v1(hook: u32, block: &RunTripleLanes, result: u64) -> [u8; 32] {
    let mut bytes = [0u8; 16 + 4 + 8 + 1 + 24 * 8 + 8];
    let mut len = 0;
    let mut push = |b: &[u8]| {
        bytes[len..len + b.len()].copy_from_slice(b);
        len += b.len();
    };
    push(b"knhk.action.v1\0\0");
    push(&hook.to_le_bytes());
    push(&block.p().to_le_bytes());
    push(&[block.len() as u8]);
    for (s, o) in block.s().iter().zip(block.o()) {
        push(&s.to_le_bytes());
        push(&block.p().to_le_bytes());
        push(&o.to_le_bytes());
    }
    push(&result.to_le_bytes());
    *blake3::hash(&bytes[..len]).as_bytes()
}

/// FNV-1a, 64-bit: the original KNHK design's receipt digest.
struct Fnv1a(u64);

impl Hasher for Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

fn action_digest(c: &mut Criterion) {
    let block = full_block();
    let digest = BlockDigest::of(&block);
    let mut group = c.benchmark_group("action_digest_8_lanes");
    group.throughput(Throughput::Elements(1));
    group.bench_function("blake3_action_hash_v1", |b| {
        b.iter(|| action_hash_v1(black_box(3), black_box(&block), black_box(5)))
    });
    // Version 2: the block's digest (once per block) and the action hash over it (per receipt).
    group.bench_function("blake3_block_digest_v2", |b| {
        b.iter(|| BlockDigest::of(black_box(&block)))
    });
    group.bench_function("blake3_action_hash_v2", |b| {
        b.iter(|| action_hash(black_box(3), black_box(&digest), black_box(5)))
    });
    group.bench_function("fnv1a_64", |b| {
        b.iter(|| {
            digest64(
                Fnv1a(0xcbf2_9ce4_8422_2325),
                black_box(3),
                black_box(&block),
                black_box(5),
            )
        })
    });
    group.bench_function("siphash13_std_default_hasher", |b| {
        b.iter(|| {
            digest64(
                DefaultHasher::new(),
                black_box(3),
                black_box(&block),
                black_box(5),
            )
        })
    });
    group.finish();
}

fn lockchain_steps(c: &mut Criterion) {
    let lanes = full_block();
    let block = BlockDigest::of(&lanes);
    let receipt = Receipt {
        seq: 12,
        ..Receipt::for_block(3, &block, 5)
    };
    let view = ReceiptView {
        receipt: &receipt,
        hook: "alice-knows-someone",
        kind: "ask_sp",
    };
    let mut group = c.benchmark_group("lockchain_steps");
    group.throughput(Throughput::Elements(1));
    group.bench_function("span_id", |b| {
        b.iter(|| span_id(black_box(0), black_box(9), black_box(12)))
    });
    group.bench_function("leaf_hash", |b| b.iter(|| leaf_hash(black_box(view))));
    // One beat per block (its digest, one receipt, the digest into the pulse's blocks hash),
    // and every 8th a commit of 8 receipts: a whole pulse per iteration, so the per-block
    // cost is this over 8.
    group.bench_function("pulse_8_beats_8_receipts_and_commit", |b| {
        let mut chain = Lockchain::new();
        let mut seq = 0;
        b.iter(|| {
            for _ in 0..8 {
                let block = BlockDigest::of(black_box(&lanes));
                let mut r = Receipt {
                    seq,
                    ..Receipt::for_block(3, &block, 5)
                };
                chain.stamp(&mut r);
                chain.absorb(ReceiptView {
                    receipt: &r,
                    hook: "alice-knows-someone",
                    kind: "ask_sp",
                });
                seq += 1;
                chain.beat(&block);
            }
            black_box(chain.ready_commit(u64::MAX))
        })
    });
    group.finish();
}

/// One receipt as the pipeline makes it: the action hash (the contract's `for_block`), then
/// stamping (span id), then its leaf; the block's beat and the commit are shared by the
/// receipts of a pulse and measured above.
fn per_receipt(c: &mut Criterion) {
    let block = BlockDigest::of(&full_block());
    let mut group = c.benchmark_group("per_receipt");
    group.throughput(Throughput::Elements(1));
    group.bench_function("for_block_stamp_leaf", |b| {
        let chain = Lockchain::new();
        b.iter(|| {
            let mut r = Receipt::for_block(black_box(3), black_box(&block), black_box(5));
            chain.stamp(&mut r);
            leaf_hash(ReceiptView {
                receipt: &r,
                hook: "alice-knows-someone",
                kind: "ask_sp",
            })
        })
    });
    group.bench_function("for_block_only", |b| {
        b.iter(|| Receipt::for_block(black_box(3), black_box(&block), black_box(5)))
    });
    group.finish();
}

/// Eight independent keyed hashes of one size (a Merkle node's 64 bytes, a full block's 128):
/// the 8-lane `batch_hash` against eight `blake3::keyed_hash` calls on the same inputs.
fn batch_hash_8(c: &mut Criterion) {
    let mut group = c.benchmark_group("batch_hash_8");
    group.throughput(Throughput::Elements(8));
    let key = *b"knhk.bench.batch_hash.key.32byte";
    for len in [64usize, 128] {
        let data: Vec<Vec<u8>> = (0..8u8)
            .map(|lane| (0..len).map(|i| (i as u8).wrapping_mul(7) ^ lane).collect())
            .collect();
        let inputs: Vec<KeyedInput> = data
            .iter()
            .map(|input| KeyedInput { key: &key, input })
            .collect();
        group.bench_function(format!("lanes_{len}B"), |b| {
            let mut out = [[0; 32]; 8];
            b.iter(|| {
                keyed_hash_many(black_box(&inputs), &mut out);
                out
            })
        });
        group.bench_function(format!("keyed_hash_x8_{len}B"), |b| {
            let mut out = [[0; 32]; 8];
            b.iter(|| {
                for (input, out) in black_box(&inputs).iter().zip(&mut out) {
                    *out = *blake3::keyed_hash(input.key, input.input).as_bytes();
                }
                out
            })
        });
    }
    group.finish();
}

/// The leaf-by-leaf accumulator: one `node_hash` per merge, on the stack (the reference the
/// batched accumulator is checked and timed against).
fn scalar_root(leaves: &[[u8; 32]]) -> [u8; 32] {
    let mut subtrees = [[0u8; 32]; 64];
    let mut depth = 0;
    for (count, leaf) in leaves.iter().enumerate() {
        let mut hash = *leaf;
        let mut count = count;
        while count & 1 == 1 {
            depth -= 1;
            hash = node_hash(&subtrees[depth], &hash);
            count >>= 1;
        }
        subtrees[depth] = hash;
        depth += 1;
    }
    let (last, rest) = subtrees[..depth].split_last().expect("a leaf");
    rest.iter()
        .rev()
        .fold(*last, |right, left| node_hash(left, &right))
}

/// A pulse's Merkle root over its receipts' leaves (m1.nt averages 17 receipts a pulse): the
/// accumulator, which hashes its pending leaves level by level eight nodes at a time, against
/// one `node_hash` per node.
fn merkle_pulse(c: &mut Criterion) {
    let mut group = c.benchmark_group("merkle_pulse");
    for count in [8usize, 17, 32, 100] {
        let leaves: Vec<[u8; 32]> = (0..count as u8).map(|i| [i; 32]).collect();
        assert_eq!(merkle_root(&leaves), scalar_root(&leaves));
        group.throughput(Throughput::Elements(count as u64));
        group.bench_function(format!("accumulator_{count}_leaves"), |b| {
            let mut tree = MerkleAccumulator::default();
            b.iter(|| {
                tree.clear();
                for leaf in black_box(&leaves) {
                    tree.push(*leaf);
                }
                tree.root()
            })
        });
        group.bench_function(format!("node_by_node_{count}_leaves"), |b| {
            b.iter(|| scalar_root(black_box(&leaves)))
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    action_digest,
    lockchain_steps,
    per_receipt,
    batch_hash_8,
    merkle_pulse
);
criterion_main!(benches);
