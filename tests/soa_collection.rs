//! Derived blocks behave like the fixed-capacity collections users know (arrayvec,
//! heapless::Vec): split borrows, row views, and the `Vec`-like operations, with rows moving
//! together across every column and nothing outside the active lanes observable.

use lanepool::{LaneError, PoolError, SoA};

/// A particle: position and velocity, one column each.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 8)]
pub struct Particle {
    /// Position.
    pub x: f32,
    /// Velocity.
    pub vx: f32,
    /// An id, to follow rows through reorderings.
    pub id: u32,
}

fn particle(id: u32) -> Particle {
    Particle {
        x: id as f32,
        vx: 0.5 * id as f32,
        id,
    }
}

fn block_of(ids: &[u32]) -> ParticleLanes {
    let rows: Vec<Particle> = ids.iter().copied().map(particle).collect();
    ParticleLanes::try_from(rows.as_slice()).unwrap()
}

fn ids(block: &ParticleLanes) -> Vec<u32> {
    block.iter().map(|row| row.id).collect()
}

#[test]
fn lanes_mut_borrows_every_column_at_once() {
    let mut block = block_of(&[1, 2, 3]);
    // `let x = b.x_lanes_mut(); let vx = b.vx_lanes();` is E0502; one call splits the borrow.
    let ParticleLanesMut { x, vx, .. } = block.lanes_mut();
    for (x, vx) in x.iter_mut().zip(vx.iter()) {
        *x += *vx;
    }
    assert_eq!(block.x(), &[1.5, 3.0, 4.5]);
}

#[test]
fn iter_mut_and_get_mut_change_rows_in_place() {
    let mut block = block_of(&[1, 2, 3]);
    for row in block.iter_mut() {
        *row.x += *row.vx;
        *row.vx = 0.0;
    }
    assert_eq!(block.vx(), &[0.0; 3]);
    assert_eq!(block.iter_mut().len(), 3);
    let last = block.get_mut(2).unwrap();
    *last.id = 30;
    assert_eq!(
        last.to_row(),
        Particle {
            x: 4.5,
            vx: 0.0,
            id: 30
        }
    );
    assert!(block.get_mut(3).is_none(), "only active rows");
    let first = block.get_ref(0).unwrap();
    assert_eq!((*first.x, *first.id), (1.5, 1));
    assert!(block.get_ref(3).is_none());
    assert_eq!(
        block
            .iter_mut()
            .rev()
            .map(|row| *row.id)
            .collect::<Vec<_>>(),
        [30, 2, 1]
    );
}

#[test]
fn pop_and_truncate_shrink_from_the_end() {
    let mut block = block_of(&[1, 2, 3, 4]);
    assert_eq!(block.pop(), Some(particle(4)));
    block.truncate(9);
    assert_eq!(block.len(), 3);
    block.truncate(1);
    assert_eq!(ids(&block), [1]);
    assert_eq!(block.pop(), Some(particle(1)));
    assert_eq!(block.pop(), None);
}

#[test]
fn extend_takes_what_fits_and_returns_the_rest_unconsumed() {
    let mut block = block_of(&[0, 1, 2, 3, 4]);
    let mut pulled = 0;
    let source = (10..20).inspect(|_| pulled += 1).map(particle);
    let rest: Vec<u32> = block.extend(source).map(|row| row.id).collect();
    assert_eq!(ids(&block), [0, 1, 2, 3, 4, 10, 11, 12]);
    assert_eq!(rest, (13..20).collect::<Vec<_>>());
    assert_eq!(pulled, 10, "each row pulled once: 3 stored, 7 returned");
    let mut next = ParticleLanes::new();
    assert_eq!(next.extend([particle(7)]).count(), 0);
    assert_eq!(ids(&next), [7]);
}

#[test]
fn retain_keeps_rows_whole_and_in_order() {
    let mut block = block_of(&[1, 2, 3, 4, 5, 6]);
    block.retain(|row| row.id % 2 == 0);
    assert_eq!(
        block.iter().collect::<Vec<_>>(),
        [particle(2), particle(4), particle(6)]
    );
}

#[test]
fn swap_remove_moves_the_last_row_into_the_hole() {
    let mut block = block_of(&[1, 2, 3, 4]);
    assert_eq!(block.swap_remove(1), Ok(particle(2)));
    assert_eq!(ids(&block), [1, 4, 3]);
    assert_eq!(block.swap_remove(2), Ok(particle(3)));
    assert_eq!(
        block.swap_remove(5),
        Err(LaneError::OutOfBounds { index: 5, len: 2 })
    );
    assert_eq!(block.iter().collect::<Vec<_>>(), [particle(1), particle(4)]);
}

#[test]
fn sort_moves_rows_together_across_columns() {
    let mut block = block_of(&[5, 3, 8, 1, 4]);
    block.sort_unstable_by_key(|row| row.id);
    assert_eq!(ids(&block), [1, 3, 4, 5, 8]);
    assert!(
        block.iter().all(|row| row == particle(row.id)),
        "columns moved together"
    );
    block.sort_unstable_by_key(|row| core::cmp::Reverse(row.id));
    assert_eq!(ids(&block), [8, 5, 4, 3, 1]);
}

#[test]
fn clone_and_equality_see_only_the_active_rows() {
    let mut a = block_of(&[1, 2, 3]);
    a.truncate(1);
    let b = block_of(&[1]);
    assert_eq!(a, b, "stale lanes 1 and 2 of `a` are not compared");
    let copy = a.clone();
    assert_eq!(copy, a);
    assert_ne!(a, block_of(&[2]));
    assert_ne!(a, block_of(&[1, 2]));
}

#[test]
fn try_from_refuses_more_rows_than_lanes() {
    let rows: Vec<Particle> = (0..9).map(particle).collect();
    assert_eq!(
        ParticleLanes::try_from(rows.as_slice()).unwrap_err(),
        LaneError::TooManyRows { rows: 9, lanes: 8 }
    );
    assert_eq!(ids(&ParticleLanes::try_from(&rows[..8]).unwrap()).len(), 8);
}

/// `?` carries a lane error out of a function that returns pool errors.
fn load(pool: &lanepool::Pool<ParticleLanes>, rows: &[Particle]) -> Result<usize, PoolError> {
    let mut block = pool.acquire()?;
    for row in rows {
        block.push(*row)?;
    }
    Ok(block.len())
}

#[test]
fn lane_errors_flow_into_pool_errors() {
    let pool = ParticleLanes::pool(1);
    let rows: Vec<Particle> = (0..9).map(particle).collect();
    assert_eq!(load(&pool, &rows[..3]), Ok(3));
    assert_eq!(
        load(&pool, &rows),
        Err(PoolError::Lane(LaneError::Full { lanes: 8 }))
    );
}

/// A wide block: serde's array impls stop at 32, the block's own impl does not.
#[derive(Clone, Copy, Debug, PartialEq, SoA, serde::Serialize)]
#[soa(lanes = 64)]
pub struct Packet {
    /// Sequence number.
    pub seq: u32,
    /// Payload.
    pub byte: u8,
}

#[test]
fn serialize_writes_only_the_active_rows_at_any_lane_count() {
    let mut block = PacketLanes::new();
    for seq in 0..40 {
        block.push(Packet { seq, byte: 0xAA }).unwrap();
    }
    block.clear(); // old payloads stay in the lanes...
    block.push(Packet { seq: 7, byte: 1 }).unwrap();
    let json = serde_json::to_string(&block).unwrap();
    assert_eq!(json, r#"[{"seq":7,"byte":1}]"#, "...and never leave them");
    assert_eq!(serde_json::to_string(&PacketLanes::new()).unwrap(), "[]");
}

/// A run of triples sharing one predicate per block.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 4)]
pub struct Edge {
    /// Source.
    pub from: u32,
    /// Label, one per block.
    #[soa(per_block)]
    pub label: u16,
    /// Target.
    pub to: u32,
}

fn edge(from: u32, label: u16) -> Edge {
    Edge {
        from,
        label,
        to: from + 1,
    }
}

#[test]
fn per_block_fields_are_shared_by_every_row_view() {
    let mut block = EdgeLanes::try_from(&[edge(1, 7), edge(2, 7)][..]).unwrap();
    for row in block.iter_mut() {
        assert_eq!(*row.label, 7);
        *row.to *= 10;
    }
    let EdgeLanesMut { from, label, .. } = block.lanes_mut();
    *label = 9;
    from[0] = 5;
    assert_eq!(
        block.iter().collect::<Vec<_>>(),
        [
            Edge {
                from: 5,
                label: 9,
                to: 20
            },
            Edge {
                from: 2,
                label: 9,
                to: 30
            },
        ]
    );
    assert_eq!(*block.get_ref(1).unwrap().label, 9);
}

#[test]
fn extend_and_try_from_stop_at_a_row_from_another_block() {
    let mut block = EdgeLanes::new();
    let rest: Vec<Edge> = block
        .extend([edge(1, 7), edge(2, 7), edge(3, 8), edge(4, 8)])
        .collect();
    assert_eq!(block.len(), 2);
    assert_eq!(
        rest,
        [edge(3, 8), edge(4, 8)],
        "the refused row comes first"
    );
    assert_eq!(
        EdgeLanes::try_from(&[edge(1, 7), edge(2, 8)][..]).unwrap_err(),
        LaneError::BlockFieldMismatch { lane: 1 }
    );
}
