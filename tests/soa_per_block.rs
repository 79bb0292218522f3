//! Per-block fields (`#[soa(per_block)]`): stored once in the block's header beside the length,
//! shared by every active row, with the lanes starting on the next `align` boundary.

use core::mem::{align_of, offset_of, size_of};

use lanepool::{LaneBlock, LaneError, Reset, SoA};

/// The KNHK hot block's shape: one predicate per block, subject and object lanes.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 8, align = 64)]
struct Triple {
    s: u64,
    #[soa(per_block)]
    p: u64,
    o: u64,
}

fn triple(s: u64, p: u64, o: u64) -> Triple {
    Triple { s, p, o }
}

#[test]
fn header_shares_the_first_line_and_lanes_start_on_the_next() {
    assert_eq!(size_of::<TripleLanes>(), 192);
    assert_eq!(align_of::<TripleLanes>(), 64);
    assert_eq!(offset_of!(TripleLanes, s), 64);
    assert_eq!(offset_of!(TripleLanes, o), 128);
}

#[test]
fn first_row_sets_the_block_value_and_rows_read_it_back() {
    let mut block = TripleLanes::new();
    block.push(triple(1, 7, 10)).unwrap();
    block.push(triple(2, 7, 20)).unwrap();
    assert_eq!(*block.p(), 7);
    assert_eq!(block.s(), &[1, 2]);
    assert_eq!(block.o_lanes()[..2], [10, 20]);
    assert_eq!(
        block.iter().collect::<Vec<_>>(),
        [triple(1, 7, 10), triple(2, 7, 20)]
    );
    assert_eq!(block.get(1), Some(triple(2, 7, 20)));
}

#[test]
fn push_of_a_row_with_another_block_value_is_refused_and_stores_nothing() {
    let mut block = TripleLanes::new();
    block.push(triple(1, 7, 10)).unwrap();
    assert_eq!(
        block.push(triple(2, 8, 20)),
        Err(LaneError::BlockFieldMismatch { lane: 1 })
    );
    assert_eq!(block.len(), 1);
    assert_eq!(*block.p(), 7);
    assert_eq!(
        block.s_lanes()[1],
        0,
        "a refused row must not write its lane"
    );
}

#[test]
fn fill_from_stops_where_the_run_changes() {
    let rows: Vec<Triple> = (0..5)
        .map(|i| triple(i, 1, i))
        .chain((5..7).map(|i| triple(i, 2, i)))
        .collect();
    let mut block = TripleLanes::new();
    let taken = block.fill_from(&rows);
    assert_eq!(taken, 5);
    assert_eq!(*block.p(), 1);
    block.clear();
    assert_eq!(block.fill_from(&rows[taken..]), 2);
    assert_eq!(*block.p(), 2);
    assert_eq!(block.s(), &[5, 6]);
}

#[test]
fn fill_from_still_stops_when_full() {
    let rows: Vec<Triple> = (0..20).map(|i| triple(i, 3, i)).collect();
    let mut block = TripleLanes::new();
    assert_eq!(block.fill_from(&rows), 8);
    assert!(block.is_full());
    assert_eq!(block.fill_from(&rows[8..]), 0);
}

#[test]
fn set_may_change_the_block_value_only_for_the_only_row() {
    let mut block = TripleLanes::new();
    block.push(triple(1, 7, 10)).unwrap();
    block.set(0, triple(1, 9, 10)).unwrap();
    assert_eq!(*block.p(), 9);
    block.push(triple(2, 9, 20)).unwrap();
    assert_eq!(
        block.set(0, triple(1, 4, 10)),
        Err(LaneError::BlockFieldMismatch { lane: 0 })
    );
    assert_eq!(block.get(0), Some(triple(1, 9, 10)));
    block.set(1, triple(3, 9, 30)).unwrap();
    assert_eq!(block.get(1), Some(triple(3, 9, 30)));
}

#[test]
fn writing_the_block_value_relabels_every_row() {
    let mut block = TripleLanes::new();
    block.fill_from(&[triple(1, 7, 10), triple(2, 7, 20)]);
    *block.p_mut() = 5;
    assert!(block.iter().all(|row| row.p == 5));
}

#[test]
fn an_empty_block_takes_any_block_value() {
    let pool = TripleLanes::pool(1);
    {
        let mut block = pool.acquire().unwrap();
        block.push(triple(1, 7, 10)).unwrap();
    }
    let mut block = pool.acquire().unwrap();
    assert!(block.is_empty());
    block.push(triple(2, 8, 20)).unwrap();
    assert_eq!(*block.p(), 8);
    assert_eq!(block.iter().collect::<Vec<_>>(), [triple(2, 8, 20)]);
}

#[test]
fn mismatch_error_says_which_lane_and_what_to_do() {
    let message = LaneError::BlockFieldMismatch { lane: 3 }.to_string();
    assert!(message.contains("lane 3"), "{message}");
    assert!(message.contains("per_block"), "{message}");
    assert!(message.contains("another block"), "{message}");
}

/// Several per-block fields, a tuple struct, zero reset and a generic per-block field.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 4, align = 16, reset = "zero")]
struct Tagged<T>(u32, #[soa(per_block)] T, #[soa(per_block)] (u8, bool));

#[test]
fn tuple_and_generic_per_block_fields_are_compared_together() {
    let mut block = TaggedLanes::<i64>::new();
    block.push(Tagged(1, -5, (2, true))).unwrap();
    assert_eq!(
        block.push(Tagged(2, -5, (2, false))),
        Err(LaneError::BlockFieldMismatch { lane: 1 })
    );
    block.push(Tagged(3, -5, (2, true))).unwrap();
    assert_eq!(*block._1(), -5);
    assert_eq!(*block._2(), (2, true));
    assert_eq!(block._0(), &[1, 3]);
    // header: i64 (8) + (u8, bool) (2, padded to 8) + len (8) = 24, rounded up to 32; then
    // 4 u32 lanes (16)
    assert_eq!(size_of::<TaggedLanes<i64>>(), 48);
    block.reset();
    assert_eq!(*block._1(), 0, "reset = \"zero\" clears the header too");
}

#[test]
fn generic_blocks_work_through_the_trait() {
    fn count_in<B: LaneBlock>(block: &B) -> usize {
        block.iter().count()
    }
    let mut block = TaggedLanes::<u8>::new();
    block.fill_from(&[Tagged(1, 2, (0, false)), Tagged(1, 2, (0, false))]);
    assert_eq!(count_in(&block), 2);
}
