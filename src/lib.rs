#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub use pool_core::{
    active_mask, BlockSource, Columns, Guard, Heap, Inline, LaneBlock, LaneError, LaneIter,
    LaneRowsMut, Lanes, Leftover, NoReset, OwnedGuard, Pool, PoolError, Refused, Reset, SliceGuard,
    SyncGuard, SyncPool, Usage, MAX_CAPACITY,
};

/// Counting allocator: prove that a section of code makes no heap allocation.
pub use pool_core::alloc_count;

/// 8-lane compares that answer bit masks, run with the best instruction set of the CPU.
pub use pool_core::arch;

/// `#[derive(SoA)]`: turns a struct of `Copy` fields into `<Name>Lanes`, an aligned, fixed-lane
/// Structure-of-Arrays block that lives in a [`Pool`] or [`SyncPool`].
///
/// ```
/// use lanepool::SoA;
///
/// #[derive(Clone, Copy, Debug, PartialEq, SoA)]
/// #[soa(lanes = 8, align = 64)]
/// pub struct Triple { pub s: u64, pub p: u64, pub o: u64 }
///
/// let pool = TripleLanes::pool(16);          // 16 blocks, allocated once
/// let mut block = pool.acquire()?;           // guard: returns to the pool on Drop
/// block.push(Triple { s: 1, p: 2, o: 3 })?;
/// assert_eq!(block.s(), &[1]);               // the active lanes of one field
/// let all: &[u64; 8] = block.s_lanes();      // every lane, for branchless kernels
/// assert_eq!(all[0], 1);
///
/// // A branchless kernel: compare all 8 lanes, keep the active ones.
/// let hits = (0..TripleLanes::LANES)
///     .map(|lane| u64::from(block.s_lanes()[lane] == 1) << lane)
///     .fold(0, |mask, bit| mask | bit)
///     & block.active_mask();
/// assert_eq!(hits.count_ones(), 1);
///
/// assert_eq!(block.iter().collect::<Vec<_>>(), [Triple { s: 1, p: 2, o: 3 }]);
/// drop(block);                               // cleared in O(1), back on top of the pool
/// assert!(pool.acquire()?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// The full list of generated items and `#[soa(...)]` keys follows.
#[cfg(feature = "derive")]
pub use pool_derive::SoA;

/// `#[derive(Reset)]`: resets a struct by resetting each field with its own [`Reset`]
/// (`#[reset(skip)]` keeps a field, `#[reset(with = path)]` calls `path(&mut field)`).
///
/// ```
/// use std::collections::HashMap;
/// use lanepool::{Pool, Reset};
///
/// #[derive(Default, Reset)]
/// struct Scratch {
///     rows: Vec<u64>,                  // cleared, capacity kept
///     names: HashMap<u64, String>,     // cleared
///     #[reset(skip)]
///     generation: u64,                 // kept as the last user left it
///     #[reset(with = zero_cursor)]
///     cursor: usize,                   // `zero_cursor(&mut self.cursor)`
/// }
///
/// fn zero_cursor(cursor: &mut usize) {
///     *cursor = 0;
/// }
///
/// let pool: Pool<Scratch> = Pool::with_default(2);
/// let mut scratch = pool.acquire()?;
/// scratch.rows.extend([1, 2, 3]);
/// scratch.names.insert(1, "one".into());
/// scratch.generation = 7;
/// scratch.cursor = 3;
/// drop(scratch);
/// let again = pool.acquire()?;
/// assert!(again.rows.is_empty() && again.rows.capacity() >= 3 && again.names.is_empty());
/// assert_eq!((again.generation, again.cursor), (7, 0));
/// # Ok::<(), lanepool::PoolError>(())
/// ```
#[cfg(feature = "derive")]
pub use pool_derive::Reset;

/// What `#[derive(SoA)]`'s output calls: not a public API, it may change in any release.
#[doc(hidden)]
pub use pool_core::__private;
