//! The lane-block operations on a hand-written block shaped like the derive's output.

use core::fmt;

use super::*;
use crate::{Lanes, Reset};

/// A hand-written block, shaped exactly like the derive's output for `Row { a: u32, b: i8 }`
/// with four lanes.
#[derive(Debug, Default)]
#[repr(C, align(16))]
struct RowLanes {
    a: [u32; 4],
    b: [i8; 4],
    len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Row {
    a: u32,
    b: i8,
}

impl Lanes for RowLanes {
    const LANES: usize = 4;
}

impl Reset for RowLanes {
    fn reset(&mut self) {
        self.clear();
    }
}

impl LaneBlock for RowLanes {
    type Row = Row;
    fn len(&self) -> usize {
        self.len
    }
    fn set_len(&mut self, len: usize) {
        self.len = __private::checked_len(len, Self::LANES);
    }
    fn read_lane(&self, lane: usize) -> Row {
        Row {
            a: self.a[lane],
            b: self.b[lane],
        }
    }
    fn write_lane(&mut self, lane: usize, row: &Row) {
        self.a[lane] = row.a;
        self.b[lane] = row.b;
    }
}

fn row(i: u32) -> Row {
    Row {
        a: i,
        b: -(i as i8),
    }
}

#[test]
fn active_mask_sets_the_low_len_bits() {
    assert_eq!(active_mask(0), 0);
    assert_eq!(active_mask(1), 1);
    assert_eq!(active_mask(8), 0xff);
    assert_eq!(active_mask(63), u64::MAX >> 1);
    assert_eq!(active_mask(64), u64::MAX);
    assert_eq!(active_mask(usize::MAX), u64::MAX);
    for len in 0..=64 {
        assert_eq!(active_mask(len).count_ones() as usize, len);
    }
}

#[test]
fn push_appends_in_lane_order_until_full_then_refuses() {
    let mut block = RowLanes::default();
    for i in 0..4 {
        assert_eq!(block.push(row(i)), Ok(()));
    }
    assert!(block.is_full());
    assert_eq!(block.push(row(9)), Err(LaneError::Full { lanes: 4 }));
    assert_eq!(block.len(), 4);
    assert_eq!(block.a, [0, 1, 2, 3]);
    assert_eq!(block.active_mask(), 0b1111);
}

#[test]
fn get_and_set_only_reach_active_lanes() {
    let mut block = RowLanes::default();
    block.push(row(1)).unwrap();
    assert_eq!(block.get(0), Some(row(1)));
    assert_eq!(block.get(1), None);
    assert_eq!(block.set(0, row(7)), Ok(()));
    assert_eq!(block.get(0), Some(row(7)));
    assert_eq!(
        block.set(1, row(8)),
        Err(LaneError::OutOfBounds { index: 1, len: 1 })
    );
    assert_eq!(block.a[1], 0, "a refused set must not write the lane");
}

#[test]
fn clear_is_constant_time_and_keeps_stale_lanes() {
    let mut block = RowLanes::default();
    block.fill_from(&[row(5), row(6)]);
    block.clear();
    assert!(block.is_empty());
    assert_eq!(block.active_mask(), 0);
    assert_eq!(block.iter().count(), 0);
    assert_eq!(block.a[..2], [5, 6]);
}

#[test]
fn fill_from_takes_only_what_fits_and_reports_it() {
    let rows: Vec<Row> = (0..10).map(row).collect();
    let mut block = RowLanes::default();
    block.push(row(100)).unwrap();
    assert_eq!(block.fill_from(&rows), 3);
    assert_eq!(
        block.iter().collect::<Vec<_>>(),
        [row(100), row(0), row(1), row(2)]
    );
    assert_eq!(block.fill_from(&rows[3..]), 0);
    block.clear();
    assert_eq!(block.fill_from(&rows[..2]), 2);
    assert_eq!(block.len(), 2);
}

#[test]
fn iter_is_exact_size_and_double_ended() {
    let mut block = RowLanes::default();
    block.fill_from(&[row(1), row(2), row(3)]);
    let mut iter = block.iter();
    assert_eq!(iter.len(), 3);
    assert_eq!(iter.next_back(), Some(row(3)));
    assert_eq!(iter.len(), 2);
    assert_eq!(iter.clone().collect::<Vec<_>>(), [row(1), row(2)]);
    assert_eq!(iter.nth(1), Some(row(2)));
    assert_eq!(iter.next(), None);
    assert_eq!(iter.next_back(), None);
    assert_eq!(block.iter().nth(usize::MAX), None);
}

#[test]
#[should_panic(expected = "set_len(5) on a lane block of 4 lanes")]
fn set_len_beyond_the_lanes_panics() {
    RowLanes::default().set_len(5);
}

#[test]
fn lane_errors_say_what_happened_and_what_to_do() {
    let full = LaneError::Full { lanes: 8 }.to_string();
    assert!(
        full.contains("all 8 lanes are active") && full.contains("another block"),
        "{full}"
    );
    let oob = LaneError::OutOfBounds { index: 3, len: 2 }.to_string();
    assert!(
        oob.contains("lane 3 is not active") && oob.contains("lanes 0..2"),
        "{oob}"
    );
}

#[test]
fn layout_matches_requires_exact_alignment_and_whole_multiples() {
    use core::mem::{align_of, size_of};
    assert!(__private::layout_matches(
        size_of::<RowLanes>(),
        align_of::<RowLanes>(),
        16
    ));
    assert!(!__private::layout_matches(48, 16, 32));
    assert!(!__private::layout_matches(40, 16, 16));
}

#[test]
fn debug_shows_the_active_rows_only() {
    struct Shown<'a>(&'a RowLanes);
    impl fmt::Debug for Shown<'_> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            __private::fmt_block(self.0, "RowLanes", f)
        }
    }
    let mut block = RowLanes::default();
    block.fill_from(&[row(1), row(2)]);
    block.clear();
    block.push(row(3)).unwrap();
    assert_eq!(
        format!("{:?}", Shown(&block)),
        "RowLanes { len: 1, rows: [Row { a: 3, b: -3 }] }"
    );
}

#[test]
fn vec_like_operations_move_whole_rows() {
    let mut block = RowLanes::default();
    block.fill_from(&[row(4), row(1), row(3)]);
    block.sort_unstable_by_key(|r| r.a);
    assert_eq!(block.iter().collect::<Vec<_>>(), [row(1), row(3), row(4)]);
    assert_eq!(block.swap_remove(0), Ok(row(1)));
    assert_eq!(block.iter().collect::<Vec<_>>(), [row(4), row(3)]);
    block.retain(|r| r.a != 4);
    assert_eq!(block.pop(), Some(row(3)));
    assert_eq!(block.pop(), None);
    let rest: Vec<Row> = block.extend((0..6).map(row)).collect();
    assert_eq!(rest, [row(4), row(5)]);
    block.truncate(2);
    assert_eq!(block.iter().collect::<Vec<_>>(), [row(0), row(1)]);
    assert_eq!(
        block.swap_remove(2),
        Err(LaneError::OutOfBounds { index: 2, len: 2 })
    );
}

#[test]
fn rows_eq_and_block_from_rows_see_only_active_rows() {
    let mut a = RowLanes::default();
    a.fill_from(&[row(1), row(2)]);
    a.truncate(1);
    let b: RowLanes = __private::block_from_rows(&[row(1)]).unwrap();
    assert!(__private::rows_eq(&a, &b));
    let too_many: Vec<Row> = (0..5).map(row).collect();
    assert_eq!(
        __private::block_from_rows::<RowLanes>(&too_many).unwrap_err(),
        LaneError::TooManyRows { rows: 5, lanes: 4 }
    );
}

#[test]
fn pooled_block_comes_back_cleared() {
    let pool: crate::Pool<RowLanes> = crate::Pool::with_default(1);
    pool.acquire().unwrap().push(row(1)).unwrap();
    assert!(pool.acquire().unwrap().is_empty());
    assert!(pool.acquire_for(5).is_err());
}
