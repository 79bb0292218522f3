//! The row-level API of a derived block, on the user's-view `Triple`.

use lanepool::LaneError;

#[path = "common/triple.rs"]
mod triple;

use triple::{Triple, TripleLanes};

fn triple(i: u64) -> Triple {
    Triple {
        s: i,
        p: 100 + i,
        o: 200 + i,
    }
}

#[test]
fn block_is_aligned_and_sized_as_promised() {
    assert_eq!(TripleLanes::LANES, 8);
    assert_eq!(TripleLanes::ALIGN, 64);
    assert_eq!(core::mem::align_of::<TripleLanes>(), 64);
    assert_eq!(core::mem::size_of::<TripleLanes>() % 64, 0);
    let blocks: Vec<TripleLanes> = (0..3).map(|_| TripleLanes::new()).collect();
    for block in &blocks {
        assert_eq!(block as *const TripleLanes as usize % 64, 0);
        assert_eq!(
            block.s_lanes().as_ptr() as usize % 64,
            0,
            "the first field starts the block"
        );
    }
}

#[test]
fn new_block_is_empty_with_default_lanes() {
    let block = TripleLanes::default();
    assert_eq!(block.len(), 0);
    assert!(block.is_empty());
    assert!(!block.is_full());
    assert_eq!(block.s(), &[] as &[u64]);
    assert_eq!(block.o_lanes(), &[0; 8]);
    assert_eq!(block.active_mask(), 0);
}

#[test]
fn push_fills_lanes_in_order_and_refuses_when_full() {
    let mut block = TripleLanes::new();
    for i in 0..8 {
        block.push(triple(i)).unwrap();
    }
    assert!(block.is_full());
    assert_eq!(block.push(triple(99)), Err(LaneError::Full { lanes: 8 }));
    assert_eq!(block.len(), 8);
    assert_eq!(block.s(), &[0, 1, 2, 3, 4, 5, 6, 7]);
    assert_eq!(block.p()[7], 107);
    assert!(!block.s().contains(&99), "a refused row must not be stored");
    assert_eq!(block.active_mask(), 0xff);
}

#[test]
fn get_returns_active_rows_only() {
    let mut block = TripleLanes::new();
    block.push(triple(1)).unwrap();
    block.push(triple(2)).unwrap();
    assert_eq!(block.get(0), Some(triple(1)));
    assert_eq!(block.get(1), Some(triple(2)));
    assert_eq!(block.get(2), None);
    assert_eq!(block.get(usize::MAX), None);
}

#[test]
fn set_overwrites_an_active_row_and_refuses_beyond_len() {
    let mut block = TripleLanes::new();
    block.push(triple(1)).unwrap();
    block.set(0, triple(5)).unwrap();
    assert_eq!(block.get(0), Some(triple(5)));
    assert_eq!(
        block.set(1, triple(6)),
        Err(LaneError::OutOfBounds { index: 1, len: 1 })
    );
    assert_eq!(block.s_lanes()[1], 0, "a refused set must not write");
}

#[test]
fn clear_empties_without_touching_the_lanes() {
    let mut block = TripleLanes::new();
    block.fill_from(&[triple(4), triple(5)]);
    block.clear();
    assert!(block.is_empty());
    assert_eq!(block.iter().len(), 0);
    assert_eq!(
        block.s_lanes()[..2],
        [4, 5],
        "clear is O(1): stale lanes stay"
    );
}

#[test]
fn fill_from_takes_what_fits_and_returns_the_count() {
    let rows: Vec<Triple> = (0..20).map(triple).collect();
    let mut block = TripleLanes::new();
    block.push(triple(50)).unwrap();
    let taken = block.fill_from(&rows);
    assert_eq!(taken, 7);
    assert_eq!(block.s(), &[50, 0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(block.fill_from(&rows[taken..]), 0);
    assert_eq!(TripleLanes::new().fill_from(&rows[..3]), 3);
}

#[test]
fn iter_yields_active_rows_by_value_with_exact_size() {
    let mut block = TripleLanes::new();
    block.fill_from(&[triple(1), triple(2), triple(3)]);
    let iter = block.iter();
    assert_eq!(iter.len(), 3);
    assert_eq!(iter.collect::<Vec<_>>(), [triple(1), triple(2), triple(3)]);
    assert_eq!(block.iter().next_back(), Some(triple(3)));
    let mut seen = Vec::new();
    for row in &block {
        seen.push(row.o);
    }
    assert_eq!(seen, [201, 202, 203]);
}

#[test]
fn field_accessors_cover_active_and_all_lanes() {
    let mut block = TripleLanes::new();
    block.fill_from(&[triple(1), triple(2)]);
    block.s_mut()[1] = 42;
    assert_eq!(block.get(1).unwrap().s, 42);
    assert_eq!(block.s_mut().len(), 2);
    block.p_lanes_mut()[7] = 9;
    assert_eq!(block.p_lanes()[7], 9);
    assert_eq!(
        block.len(),
        2,
        "writing an inactive lane does not activate it"
    );
    assert_eq!(block.p(), &[101, 102]);
}

#[test]
fn active_mask_has_the_low_len_bits() {
    let mut block = TripleLanes::new();
    for len in 1..=8u32 {
        block.push(triple(u64::from(len))).unwrap();
        assert_eq!(block.active_mask(), (1u64 << len) - 1);
    }
}

#[test]
fn lane_errors_name_the_problem_and_the_fix() {
    let mut block = TripleLanes::new();
    block.fill_from(&[triple(0); 8]);
    let message = block.push(triple(1)).unwrap_err().to_string();
    assert!(message.contains("all 8 lanes are active"), "{message}");
    let message = TripleLanes::new()
        .set(3, triple(1))
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("lane 3 is not active") && message.contains("push"),
        "{message}"
    );
}
