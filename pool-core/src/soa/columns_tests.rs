//! [`Columns`] against a `Vec` of rows as the model, over hand-written blocks shaped like the
//! derive's output: one without per-block fields, one with.

use std::sync::Arc;

use super::*;
use crate::{Lanes, Pool, PoolError, Reset, SyncPool};

/// `Row { key: u8 (per block), value: u32 }` in four lanes, written as the derive writes it.
/// With `PER_BLOCK = false` the key is an ordinary lane field.
#[derive(Clone, Debug, Default, PartialEq)]
struct RunLanes<const PER_BLOCK: bool> {
    key: [u8; 4],
    value: [u32; 4],
    len: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Row {
    key: u8,
    value: u32,
}

impl<const P: bool> Lanes for RunLanes<P> {
    const LANES: usize = 4;
}

impl<const P: bool> Reset for RunLanes<P> {
    fn reset(&mut self) {
        self.clear();
    }
}

impl<const P: bool> LaneBlock for RunLanes<P> {
    type Row = Row;
    fn len(&self) -> usize {
        self.len
    }
    fn set_len(&mut self, len: usize) {
        self.len = __private::checked_len(len, Self::LANES);
    }
    fn read_lane(&self, lane: usize) -> Row {
        let key = if P { self.key[0] } else { self.key[lane] };
        Row {
            key,
            value: self.value[lane],
        }
    }
    fn write_lane(&mut self, lane: usize, row: &Row) {
        self.key[if P { 0 } else { lane }] = row.key;
        self.value[lane] = row.value;
    }
    fn shares_block_fields(&self, row: &Row) -> bool {
        !P || self.key[0] == row.key
    }
}

/// A row view with a mutable reference to the lane field, as the derive's `...RefMut`.
struct RowMut<'a> {
    value: &'a mut u32,
}

impl<const P: bool> LaneRowsMut for RunLanes<P> {
    type RowMut<'a> = RowMut<'a>;
    fn rows_mut(&mut self) -> impl ExactSizeIterator<Item = RowMut<'_>> + DoubleEndedIterator {
        self.value[..self.len]
            .iter_mut()
            .map(|value| RowMut { value })
    }
}

type Plain = RunLanes<false>;
type PerBlock = RunLanes<true>;

fn row(key: u8, value: u32) -> Row {
    Row { key, value }
}

/// Deterministic rows with few distinct keys, in runs.
fn rows(n: u32) -> Vec<Row> {
    (0..n)
        .map(|i| row(((i / 3) % 3) as u8, i * 7 % 11))
        .collect()
}

/// The block lengths the column must have for `rows`: greedy runs of equal keys (any key when
/// not per block), cut at four lanes.
fn expected_blocks(rows: &[Row], per_block: bool) -> Vec<usize> {
    let mut lens: Vec<usize> = Vec::new();
    let mut last_key = None;
    for row in rows {
        match lens.last_mut() {
            Some(len) if *len < 4 && (!per_block || last_key == Some(row.key)) => *len += 1,
            _ => lens.push(1),
        }
        last_key = Some(row.key);
    }
    lens
}

/// The column holds exactly `model`, packed as tightly as its blocks allow.
fn assert_holds<const P: bool, S: BlockSource<RunLanes<P>>>(
    columns: &Columns<RunLanes<P>, S>,
    model: &[Row],
) {
    assert_eq!(columns.len(), model.len());
    assert_eq!(columns.is_empty(), model.is_empty());
    assert_eq!(columns.iter().collect::<Vec<_>>(), model);
    assert_eq!(
        columns.iter().rev().collect::<Vec<_>>(),
        model.iter().rev().copied().collect::<Vec<_>>()
    );
    let lens: Vec<usize> = columns.blocks().map(|block| block.len()).collect();
    assert_eq!(lens, expected_blocks(model, P), "block lengths");
    assert_eq!(columns.block_count(), lens.len());
    for (index, expected) in model.iter().enumerate() {
        assert_eq!(columns.get(index), Some(*expected));
    }
    assert_eq!(columns.get(model.len()), None);
}

fn every_operation_matches_a_vec<const P: bool>() {
    for n in [0, 1, 4, 5, 13, 30] {
        let model = rows(n);
        let mut columns: Columns<RunLanes<P>> = model.iter().copied().collect();
        assert_holds(&columns, &model);

        for modulus in [1, 2, 3, 7] {
            let mut kept = columns.clone();
            let mut expected = model.clone();
            kept.retain(|r| r.value % modulus != 0);
            expected.retain(|r| r.value % modulus != 0);
            assert_holds(&kept, &expected);
        }

        for len in [0, 1, 3, 4, 6, 100] {
            let mut short = columns.clone();
            short.truncate(len);
            assert_holds(&short, &model[..len.min(model.len())]);
        }

        let mut sorted = columns.clone();
        sorted.sort_by_key(|r| r.value);
        let mut expected = model.clone();
        expected.sort_by_key(|r| r.value);
        assert_holds(&sorted, &expected);
        sorted.sort_by(|a, b| b.cmp(a));
        expected.sort_by(|a, b| b.cmp(a));
        assert_holds(&sorted, &expected);

        for r in columns.iter_mut() {
            *r.value += 100;
        }
        let bumped: Vec<Row> = model.iter().map(|r| row(r.key, r.value + 100)).collect();
        assert_holds(&columns, &bumped);

        columns.extend(model.iter().copied());
        let twice: Vec<Row> = bumped.iter().chain(&model).copied().collect();
        assert_holds(&columns, &twice);
        columns.clear();
        assert_holds(&columns, &[]);
        columns.push(row(9, 9));
        assert_holds(&columns, &[row(9, 9)]);
    }
}

#[test]
fn columns_match_a_vec_of_rows() {
    every_operation_matches_a_vec::<false>();
}

#[test]
fn columns_with_per_block_fields_match_a_vec_and_split_runs() {
    every_operation_matches_a_vec::<true>();
}

#[test]
fn retain_moves_rows_into_earlier_blocks_without_mixing_per_block_values() {
    // Blocks: [0 0 0 0] [0 1 1 1] [1 2]; dropping the first five rows leaves runs of 1 and 2.
    let keys = [0, 0, 0, 0, 0, 1, 1, 1, 1, 2];
    let model: Vec<Row> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| row(k, i as u32))
        .collect();
    let mut columns: Columns<PerBlock> = model.iter().copied().collect();
    assert_eq!(
        columns.blocks().map(|b| b.len()).collect::<Vec<_>>(),
        [4, 1, 4, 1]
    );
    columns.retain(|r| r.value >= 5);
    assert_holds(&columns, &model[5..]);
    assert_eq!(
        columns.blocks().map(|b| b.key[0]).collect::<Vec<_>>(),
        [1, 2]
    );
}

#[test]
fn a_pooled_column_takes_blocks_from_its_pool_and_gives_back_empty_ones() {
    let pool: Pool<Plain> = Pool::with_default(3);
    let mut columns = Columns::with_source(&pool);
    columns.try_extend(rows(10)).unwrap();
    assert_eq!(pool.available(), 0);
    assert_holds(&columns, &rows(10));
    columns.retain(|r| r.value < 5);
    let kept: Vec<Row> = rows(10).into_iter().filter(|r| r.value < 5).collect();
    assert_holds(&columns, &kept);
    assert_eq!(pool.available(), 3 - kept.len().div_ceil(4));
    columns.truncate(1);
    assert_eq!(pool.available(), 2);
    columns.clear();
    assert_eq!(pool.available(), 3);
}

#[test]
fn an_exhausted_pool_refuses_rows_without_losing_them() {
    let pool: Pool<Plain> = Pool::with_default(2);
    let mut columns = Columns::with_source(&pool);
    let refused = columns.try_extend(rows(11)).unwrap_err();
    assert_eq!(refused.error, PoolError::Exhausted { capacity: 2 });
    let rest: Vec<Row> = refused.rows.collect();
    assert_eq!(rest, rows(11)[8..]);
    assert_holds(&columns, &rows(11)[..8]);
    let refused = columns.try_push(row(1, 1)).unwrap_err();
    assert_eq!(refused.rows, row(1, 1));
    assert_eq!(
        PoolError::from(refused),
        PoolError::Exhausted { capacity: 2 }
    );
    assert_eq!(columns.len(), 8);
}

#[test]
fn a_sort_that_needs_more_blocks_than_the_pool_has_keeps_every_row() {
    // Two runs of keys fit two blocks; sorted by value, keys alternate and need more blocks.
    let model: Vec<Row> = (0..8)
        .map(|i| row((i / 4) as u8, (i % 4) * 2 + i / 4))
        .collect();
    let pool: Pool<PerBlock> = Pool::with_default(3);
    let mut columns = Columns::with_source(&pool);
    columns.try_extend(model.iter().copied()).unwrap();
    assert_eq!(columns.block_count(), 2);
    let refused = columns.try_sort_by_key(|r| r.value).unwrap_err();
    let mut sorted = model.clone();
    sorted.sort_by_key(|r| r.value);
    let mut all: Vec<Row> = columns.iter().collect();
    assert_eq!(all, sorted[..3]);
    all.extend(refused.rows);
    assert_eq!(all, sorted);
}

#[test]
fn sync_pools_and_owned_guards_are_sources_too() {
    let pool: SyncPool<Plain> = SyncPool::with_default(2);
    let mut borrowed = Columns::with_source(&pool);
    borrowed.try_extend(rows(5)).unwrap();
    assert_eq!(pool.available(), 0);
    drop(borrowed);
    assert_eq!(pool.available(), 2);

    let pool = Arc::new(SyncPool::<Plain>::with_default(2));
    let mut owned = Columns::with_source(Arc::clone(&pool));
    owned.try_extend(rows(6)).unwrap();
    let owned = std::thread::spawn(move || {
        owned.retain(|r| r.value % 2 == 0);
        owned
    })
    .join()
    .unwrap();
    let even: Vec<Row> = rows(6).into_iter().filter(|r| r.value % 2 == 0).collect();
    assert_holds(&owned, &even);
    assert_eq!(pool.available(), 1);
}

#[test]
fn a_pool_block_holding_rows_is_cleared_before_use() {
    let pool: Pool<Plain> = Pool::new(1, || {
        let mut block = Plain::default();
        block.push(row(7, 7)).unwrap();
        block
    });
    let mut columns = Columns::with_source(&pool);
    columns.try_push(row(1, 1)).unwrap();
    assert_holds(&columns, &[row(1, 1)]);
}

#[test]
fn a_panicking_retain_leaves_an_empty_column() {
    let mut columns: Columns<Plain> = rows(9).into_iter().collect();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        columns.retain(|r| {
            assert!(r.value != 3, "stop");
            true
        })
    }));
    assert!(result.is_err());
    assert_holds(&columns, &[]);
}
