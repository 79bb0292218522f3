//! `Reset` for the std types people pool, the `NoReset` opt-out, and `?` from lane errors into
//! pool errors.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};

use pool_core::{LaneError, NoReset, Pool, PoolError, Reset};

fn reset<T: Reset>(mut value: T) -> T {
    value.reset();
    value
}

#[test]
fn collections_are_cleared_and_keep_their_capacity() {
    let deque = reset(VecDeque::from(vec![1u8; 100]));
    assert!(deque.is_empty() && deque.capacity() >= 100);
    assert!(reset(BinaryHeap::from(vec![3, 1, 2])).is_empty());
    let map = reset(HashMap::from([(1, 'a'), (2, 'b')]));
    assert!(map.is_empty() && map.capacity() >= 2);
    assert!(reset(HashSet::from([1, 2])).is_empty());
    assert!(reset(BTreeMap::from([(1, 2)])).is_empty());
    assert!(reset(BTreeSet::from([1])).is_empty());
    assert!(reset(String::from("x")).is_empty());
}

#[test]
fn option_becomes_none() {
    assert_eq!(reset(Some(vec![1])), None);
}

#[test]
fn arrays_and_tuples_reset_each_element() {
    assert_eq!(reset([1.5f32; 4]), [0.0; 4]);
    assert_eq!(reset([vec![1], vec![2]]), [Vec::<i32>::new(), Vec::new()]);
    let (numbers, text, flag) = reset((vec![1u8], String::from("a"), Some(3)));
    assert!(numbers.is_empty() && text.is_empty() && flag.is_none());
    reset(());
}

#[test]
fn pools_of_std_types_compile_and_reset() {
    let arrays: Pool<[f32; 1024]> = Pool::new(1, || [0.0; 1024]);
    arrays.acquire().unwrap()[7] = 2.0;
    assert_eq!(arrays.acquire().unwrap()[7], 0.0);

    let deques = Pool::new(1, || VecDeque::<u8>::with_capacity(32));
    deques.acquire().unwrap().push_back(1);
    assert!(deques.acquire().unwrap().is_empty());

    let units: Pool<()> = Pool::with_default(3);
    assert_eq!(units.acquire().unwrap().reset(), ());
}

#[test]
fn no_reset_keeps_what_the_last_user_left() {
    let pool = Pool::new(1, || NoReset([0u64; 64]));
    pool.acquire().unwrap()[3] = 9;
    assert_eq!(pool.acquire().unwrap()[3], 9);
}

fn fill(pool: &Pool<Vec<u32>>, block: &mut Vec<u32>) -> Result<usize, PoolError> {
    let _scratch = pool.acquire()?;
    if block.len() >= 2 {
        Err(LaneError::Full { lanes: 2 })?;
    }
    block.push(1);
    Ok(block.len())
}

#[test]
fn lane_errors_convert_into_pool_errors_with_question_mark() {
    let pool: Pool<Vec<u32>> = Pool::new(1, Vec::new); // a `fn` item, named as `Pool<T>`
    let mut block = Vec::new();
    assert_eq!(fill(&pool, &mut block), Ok(1));
    assert_eq!(fill(&pool, &mut block), Ok(2));
    let error = fill(&pool, &mut block).unwrap_err();
    assert_eq!(error, PoolError::Lane(LaneError::Full { lanes: 2 }));
    assert_eq!(
        error.to_string(),
        LaneError::Full { lanes: 2 }.to_string(),
        "the lane error's message, unchanged"
    );
    let copy = error;
    assert_eq!(copy, error, "still Copy");
}
