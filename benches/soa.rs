//! "Count the rows matching a given s and p", over the same triples stored as derived 8-lane
//! SoA blocks (a branchless kernel over all 8 lanes, masked by `active_mask`) and as an array of
//! structs. Results and the vectorisation finding are in BENCHMARKS.md (`## soa`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "../tests/common/rng.rs"]
mod rng;
#[path = "../tests/common/triple.rs"]
mod triple;

use rng::Rng;
use triple::{Triple, TripleLanes};

/// 4096 full blocks plus a partial one, so the active mask matters.
const ROWS: usize = 4096 * 8 + 5;

fn triples() -> Vec<Triple> {
    // Deterministic; few distinct s and p values, so about 1 row in 32 matches.
    let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
    (0..ROWS)
        .map(|_| Triple {
            s: rng.below(8),
            p: rng.below(4),
            o: rng.next(),
        })
        .collect()
}

fn blocks(rows: &[Triple]) -> Vec<TripleLanes> {
    let mut blocks = Vec::new();
    let mut rest = rows;
    while !rest.is_empty() {
        let mut block = TripleLanes::new();
        let taken = block.fill_from(rest);
        rest = &rest[taken..];
        blocks.push(block);
    }
    blocks
}

/// Compares all 8 lanes without a branch, packs the results into a bit mask and keeps the
/// active lanes' bits.
#[inline(always)]
fn block_matches(block: &TripleLanes, s: u64, p: u64) -> u32 {
    let (ss, ps) = (block.s_lanes(), block.p_lanes());
    let mut mask = 0u64;
    for lane in 0..TripleLanes::LANES {
        mask |= u64::from((ss[lane] == s) & (ps[lane] == p)) << lane;
    }
    (mask & block.active_mask()).count_ones()
}

#[inline(never)]
fn soa_count_matches(blocks: &[TripleLanes], s: u64, p: u64) -> usize {
    blocks
        .iter()
        .map(|block| block_matches(block, s, p) as usize)
        .sum()
}

/// The idiomatic array-of-structs loop.
#[inline(never)]
fn aos_count_matches(rows: &[Triple], s: u64, p: u64) -> usize {
    rows.iter().filter(|row| row.s == s && row.p == p).count()
}

/// The array-of-structs loop written branch-free, as the SoA kernel is.
#[inline(never)]
fn aos_branchless_count_matches(rows: &[Triple], s: u64, p: u64) -> usize {
    rows.iter()
        .map(|row| usize::from((row.s == s) & (row.p == p)))
        .sum()
}

fn match_kernel(c: &mut Criterion) {
    let rows = triples();
    let blocks = blocks(&rows);
    let (s, p) = (3, 1);
    let expected = aos_count_matches(&rows, s, p);
    assert_eq!(soa_count_matches(&blocks, s, p), expected);
    assert_eq!(aos_branchless_count_matches(&rows, s, p), expected);
    assert!(expected > 0);

    let mut group = c.benchmark_group("soa_match_s_p");
    group.throughput(Throughput::Elements(ROWS as u64));
    group.bench_with_input(
        BenchmarkId::new("soa_8_lane_masked", ROWS),
        &blocks,
        |b, blocks| b.iter(|| soa_count_matches(black_box(blocks), black_box(s), black_box(p))),
    );
    group.bench_with_input(BenchmarkId::new("aos_filter", ROWS), &rows, |b, rows| {
        b.iter(|| aos_count_matches(black_box(rows), black_box(s), black_box(p)))
    });
    group.bench_with_input(
        BenchmarkId::new("aos_branchless", ROWS),
        &rows,
        |b, rows| {
            b.iter(|| aos_branchless_count_matches(black_box(rows), black_box(s), black_box(p)))
        },
    );
    group.finish();
}

criterion_group!(benches, match_kernel);
criterion_main!(benches);
