//! `<Row>Columns`: the growable list of rows over derived blocks (soa_derive's `ParticleVec`),
//! from the heap or from a pool of blocks, with serde for the column and for a single block.

use std::sync::Arc;

use lanepool::alloc_count::{heap_ops_during, is_counting, CountingAllocator};
use lanepool::{PoolError, SoA};

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// A particle: position and velocity, one column each, and an id to follow rows.
#[derive(Clone, Copy, Debug, PartialEq, SoA, serde::Serialize, serde::Deserialize)]
#[soa(lanes = 8)]
pub struct Particle {
    /// Position.
    pub x: f32,
    /// Velocity.
    pub vx: f32,
    /// An id, to follow rows through reorderings.
    pub id: u32,
}

/// A triple whose predicate is stored once per block.
#[derive(Clone, Copy, Debug, PartialEq, SoA, serde::Serialize, serde::Deserialize)]
#[soa(lanes = 4)]
pub struct Triple {
    s: u32,
    #[soa(per_block)]
    p: u32,
}

fn particle(id: u32) -> Particle {
    Particle {
        x: id as f32,
        vx: 0.5,
        id,
    }
}

fn particles(n: u32) -> Vec<Particle> {
    (0..n).map(particle).collect()
}

#[test]
fn a_hundred_thousand_particles_need_no_hand_written_chunking() {
    let mut columns: ParticleColumns = particles(100_003).into_iter().collect();
    assert_eq!(columns.len(), 100_003);
    assert_eq!(columns.block_count(), 100_003usize.div_ceil(8));
    // A kernel over each block's lanes, masked by nothing: every lane of a block is written.
    for block in columns.blocks_mut() {
        let ParticleLanesMut { x, vx, .. } = block.lanes_mut();
        for (x, vx) in x.iter_mut().zip(vx.iter()) {
            *x += vx;
        }
    }
    assert!(columns
        .iter()
        .all(|p| p.x == p.id as f32 + 0.5 && p.vx == 0.5));
    for row in columns.iter_mut() {
        *row.vx = -*row.vx;
    }
    assert_eq!(columns.get(100_002).map(|p| p.vx), Some(-0.5));
}

#[test]
fn retain_sort_and_truncate_work_across_blocks() {
    let mut columns = ParticleColumns::new();
    columns.extend(particles(50));
    columns.push(particle(50));
    columns.retain(|p| p.id % 3 != 0);
    let mut expected: Vec<Particle> = particles(51)
        .into_iter()
        .filter(|p| p.id % 3 != 0)
        .collect();
    assert_eq!(columns.iter().collect::<Vec<_>>(), expected);
    assert_eq!(
        columns.blocks().map(|b| b.len()).collect::<Vec<_>>(),
        [8, 8, 8, 8, 2],
        "retain compacts the rows into full blocks"
    );
    columns.sort_by(|a, b| b.id.cmp(&a.id));
    expected.reverse();
    assert_eq!(columns.iter().collect::<Vec<_>>(), expected);
    columns.sort_by_key(|p| p.id % 5);
    expected.sort_by_key(|p| p.id % 5);
    assert_eq!(columns.iter().collect::<Vec<_>>(), expected);
    columns.truncate(9);
    assert_eq!(columns.iter().collect::<Vec<_>>(), expected[..9]);
    assert_eq!(columns.block_count(), 2);
    columns.clear();
    assert!(columns.is_empty());
}

#[test]
fn a_column_draws_its_blocks_from_a_pool_when_given_one() {
    let pool = ParticleLanes::pool(4);
    let mut columns: ParticleColumns<&_> = ParticleColumns::with_source(&pool);
    columns.try_extend(particles(20)).unwrap();
    assert_eq!(pool.available(), 1);
    let refused = columns.try_extend(particles(20)).unwrap_err();
    assert_eq!(refused.error, PoolError::Exhausted { capacity: 4 });
    assert_eq!(
        refused.rows.count(),
        8,
        "every row not stored is handed back"
    );
    columns.truncate(3);
    assert_eq!(pool.available(), 3);

    let shared = Arc::new(ParticleLanes::sync_pool(2));
    let mut owned = ParticleColumns::with_source(Arc::clone(&shared));
    owned.try_extend(particles(9)).unwrap();
    let owned = std::thread::spawn(move || owned.len()).join().unwrap();
    assert_eq!(owned, 9);
    assert_eq!(
        shared.available(),
        2,
        "the column's blocks came back when it dropped"
    );
}

#[test]
fn per_block_fields_start_a_new_block_when_they_change() {
    let rows = [(1, 7), (2, 7), (3, 8), (4, 7)].map(|(s, p)| Triple { s, p });
    let columns: TripleColumns = rows.into_iter().collect();
    assert_eq!(
        columns
            .blocks()
            .map(|b| (*b.p(), b.len()))
            .collect::<Vec<_>>(),
        [(7, 2), (8, 1), (7, 1)]
    );
    assert_eq!(columns.iter().collect::<Vec<_>>(), rows);
}

#[test]
fn columns_serialize_and_deserialize_as_a_sequence_of_rows() {
    let columns: ParticleColumns = particles(11).into_iter().collect();
    let json = serde_json::to_string(&columns).unwrap();
    assert_eq!(json, serde_json::to_string(&particles(11)).unwrap());
    let back: ParticleColumns = serde_json::from_str(&json).unwrap();
    assert_eq!(back, columns);
    assert_eq!(back.block_count(), 2);
}

#[test]
fn a_block_deserializes_from_at_most_lanes_rows() {
    let json = serde_json::to_string(&particles(3)).unwrap();
    let block: ParticleLanes = serde_json::from_str(&json).unwrap();
    assert_eq!(block.iter().collect::<Vec<_>>(), particles(3));
    assert_eq!(serde_json::to_string(&block).unwrap(), json);

    let too_many = serde_json::to_string(&particles(9)).unwrap();
    let error = serde_json::from_str::<ParticleLanes>(&too_many).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("invalid length 9, expected a sequence of at most 8 rows"),
        "{error}"
    );

    let mixed = r#"[{"s":1,"p":7},{"s":2,"p":8}]"#;
    let error = serde_json::from_str::<TripleLanes>(mixed).unwrap_err();
    assert!(
        error.to_string().contains("row 1:") && error.to_string().contains("per-block field"),
        "{error}"
    );
}

#[test]
fn a_pooled_column_refilled_within_its_capacity_and_its_kernels_never_allocate() {
    assert!(is_counting());
    let pool = ParticleLanes::pool(16);
    let mut columns = ParticleColumns::with_source(&pool);
    // The first fill grows the column's `Vec` of guards; after that the column only reuses it.
    columns.try_extend(particles(128)).unwrap();
    columns.clear();
    let ops = heap_ops_during(|| {
        for round in 0..100u32 {
            columns
                .try_extend((0..128).map(|id| particle(id + round)))
                .unwrap();
            for block in columns.blocks_mut() {
                let ParticleLanesMut { x, vx, .. } = block.lanes_mut();
                for lane in 0..ParticleLanes::LANES {
                    x[lane] += vx[lane];
                }
            }
            for row in columns.iter_mut() {
                *row.vx *= 0.5;
            }
            columns.retain(|p| p.id % 2 == 0);
            assert_eq!(columns.iter().count(), 64);
            columns.truncate(10);
            columns.clear();
        }
    });
    assert_eq!(ops, 0, "heap operations in 100 refills of a pooled column");
}
