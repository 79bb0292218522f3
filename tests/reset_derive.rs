//! `#[derive(Reset)]`: each field reset with its own `Reset`, `#[reset(skip)]`, `#[reset(with)]`,
//! generic structs, and pooling the result.

use std::collections::{HashMap, VecDeque};

use lanepool::{NoReset, Pool, Reset};

#[derive(Default, Reset)]
struct Scratch {
    rows: Vec<u64>,
    queue: VecDeque<u8>,
    names: HashMap<u32, String>,
    current: Option<u32>,
    counters: [u32; 4],
    pair: (String, Vec<u8>),
    #[reset(skip)]
    generation: u64,
    #[reset(with = rewind)]
    cursor: usize,
    raw: NoReset<[u8; 16]>,
}

fn rewind(cursor: &mut usize) {
    *cursor = 0;
}

#[test]
fn every_field_is_reset_with_its_own_reset() {
    let mut scratch = Scratch::default();
    scratch.rows.extend(0..100);
    scratch.queue.push_back(1);
    scratch.names.insert(1, "one".into());
    scratch.current = Some(3);
    scratch.counters = [1, 2, 3, 4];
    scratch.pair = ("a".into(), vec![1]);
    scratch.generation = 9;
    scratch.cursor = 42;
    scratch.raw[0] = 5;
    scratch.reset();
    assert!(scratch.rows.is_empty() && scratch.rows.capacity() >= 100);
    assert!(scratch.queue.is_empty() && scratch.names.is_empty());
    assert_eq!(scratch.current, None);
    assert_eq!(scratch.counters, [0; 4]);
    assert!(scratch.pair.0.is_empty() && scratch.pair.1.is_empty());
    assert_eq!(scratch.generation, 9, "skipped");
    assert_eq!(scratch.cursor, 0, "reset with `rewind`");
    assert_eq!(scratch.raw[0], 5, "NoReset keeps it");
}

#[test]
fn a_pool_of_derived_structs_hands_them_back_reset() {
    let pool: Pool<Scratch> = Pool::with_default(1);
    pool.acquire().unwrap().rows.push(1);
    assert!(pool.acquire().unwrap().rows.is_empty());
}

#[derive(Reset)]
struct Tuple(Vec<u8>, #[reset(skip)] u8);

#[derive(Reset)]
struct Unit;

#[derive(Reset)]
struct Generic<T, const N: usize>
where
    T: Clone,
{
    items: Vec<T>,
    slots: [Option<T>; N],
}

#[test]
fn tuple_unit_and_generic_structs_derive_too() {
    let mut tuple = Tuple(vec![1], 7);
    tuple.reset();
    assert_eq!((tuple.0.len(), tuple.1), (0, 7));
    Unit.reset();
    let mut generic = Generic::<String, 2> {
        items: vec!["x".into()],
        slots: [Some("y".into()), None],
    };
    generic.reset();
    assert!(generic.items.is_empty() && generic.slots.iter().all(Option::is_none));
}

/// Nested: a derived struct inside another resets through its own derive.
#[derive(Default, Reset)]
struct Outer {
    inner: Scratch,
    log: String,
}

#[test]
fn nested_derived_structs_reset_all_the_way_down() {
    let mut outer = Outer::default();
    outer.inner.rows.push(1);
    outer.log.push('x');
    outer.reset();
    assert!(outer.inner.rows.is_empty() && outer.log.is_empty());
}

mod lines {
    pub fn rewind(line: &mut u32) {
        *line = 1;
    }
}

/// serde's string form of `with`, a path in a string, for users who write it from habit.
#[derive(Default, Reset)]
struct Position {
    #[reset(with = "lines::rewind")]
    line: u32,
    #[reset(with = "rewind")]
    column: usize,
}

#[test]
fn with_accepts_a_path_in_a_string() {
    let mut position = Position { line: 7, column: 9 };
    position.reset();
    assert_eq!((position.line, position.column), (1, 0));
}
