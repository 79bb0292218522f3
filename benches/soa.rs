//! Two kernels over the same rows stored as derived SoA blocks and as an array of structs:
//! - "count the rows matching a given s and p" over triples in 8-lane blocks (a branchless
//!   kernel over all 8 lanes, masked by `active_mask`); results and the vectorisation finding
//!   are in BENCHMARKS.md (`## soa`);
//! - "advance every particle by one time step" over 100,003 particles: `Vec<Particle>`, a
//!   hand-chunked `Vec<ParticleLanes>`, and the same blocks in a `ParticleColumns`, whose block
//!   loop must cost what the hand-written one does (BENCHMARKS.md, `## soa columns`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};

#[path = "../tests/common/rng.rs"]
mod rng;
#[path = "../tests/common/triple.rs"]
mod triple;

use lanepool::SoA;
use rng::Rng;
use triple::{Triple, TripleLanes};

/// A particle: position and velocity in three dimensions.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 16, align = 64)]
pub struct Particle {
    /// Position.
    pub x: f32,
    /// Position.
    pub y: f32,
    /// Position.
    pub z: f32,
    /// Velocity.
    pub vx: f32,
    /// Velocity.
    pub vy: f32,
    /// Velocity.
    pub vz: f32,
}

/// Not a multiple of the 16 lanes, so the last block is partial.
const PARTICLES: usize = 100_003;
const DT: f32 = 0.01;

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

fn particles() -> Vec<Particle> {
    let mut rng = Rng::new(0x2545_f491_4f6c_dd1d);
    let mut coordinate = || (rng.below(2000) as f32 - 1000.0) / 100.0;
    (0..PARTICLES)
        .map(|_| Particle {
            x: coordinate(),
            y: coordinate(),
            z: coordinate(),
            vx: coordinate(),
            vy: coordinate(),
            vz: coordinate(),
        })
        .collect()
}

/// One time step for every lane of a block, active or not (an inactive lane's stale value is
/// harmless), so the loop has no branch.
#[inline(always)]
fn advance_block(block: &mut ParticleLanes, dt: f32) {
    let ParticleLanesMut {
        x,
        y,
        z,
        vx,
        vy,
        vz,
    } = block.lanes_mut();
    for lane in 0..ParticleLanes::LANES {
        x[lane] += vx[lane] * dt;
        y[lane] += vy[lane] * dt;
        z[lane] += vz[lane] * dt;
    }
}

/// The loop a user writes over blocks they chunked by hand.
#[inline(never)]
fn hand_chunked_advance(blocks: &mut [ParticleLanes], dt: f32) {
    for block in blocks {
        advance_block(block, dt);
    }
}

/// The same loop over the blocks of a `ParticleColumns`.
#[inline(never)]
fn columns_advance(columns: &mut ParticleColumns, dt: f32) {
    for block in columns.blocks_mut() {
        advance_block(block, dt);
    }
}

/// The array-of-structs loop.
#[inline(never)]
fn aos_advance(rows: &mut [Particle], dt: f32) {
    for p in rows {
        p.x += p.vx * dt;
        p.y += p.vy * dt;
        p.z += p.vz * dt;
    }
}

fn particle_update(c: &mut Criterion) {
    let mut rows = particles();
    let mut blocks: Vec<ParticleLanes> = rows
        .chunks(ParticleLanes::LANES)
        .map(|chunk| ParticleLanes::try_from(chunk).expect("a chunk fits a block"))
        .collect();
    let mut columns: ParticleColumns = rows.iter().copied().collect();

    // The three loops compute the same thing.
    let (mut a, mut b, mut c2) = (rows.clone(), blocks.clone(), columns.clone());
    aos_advance(&mut a, DT);
    hand_chunked_advance(&mut b, DT);
    columns_advance(&mut c2, DT);
    assert!(b
        .iter()
        .flat_map(|block| block.iter())
        .eq(a.iter().copied()));
    assert!(c2.iter().eq(a.iter().copied()));

    let mut group = c.benchmark_group("soa_particle_update");
    group.throughput(Throughput::Elements(PARTICLES as u64));
    group.bench_function(BenchmarkId::new("columns_blocks_mut", PARTICLES), |b| {
        b.iter(|| columns_advance(black_box(&mut columns), black_box(DT)))
    });
    group.bench_function(BenchmarkId::new("hand_chunked_blocks", PARTICLES), |b| {
        b.iter(|| hand_chunked_advance(black_box(&mut blocks), black_box(DT)))
    });
    group.bench_function(BenchmarkId::new("vec_of_structs", PARTICLES), |b| {
        b.iter(|| aos_advance(black_box(&mut rows), black_box(DT)))
    });
    group.finish();
}

criterion_group!(benches, match_kernel, particle_update);
criterion_main!(benches);
