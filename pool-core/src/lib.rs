//! The runtime of [lanepool](https://docs.rs/lanepool): fixed-capacity LIFO object pools whose
//! RAII guards return a value to its pool on drop, with no allocation after construction.
//!
//! - [`Pool`] for one thread, [`SyncPool`] (lock-free) for many. Both allocate and initialise
//!   every slot when built, never grow, refuse with [`PoolError::Exhausted`] when empty, and hand
//!   out the most recently returned slot first (for [`SyncPool`], the ones this thread returned
//!   last, newest first, kept in its per-thread cache of up to four slots), since it is the one
//!   most likely still in cache.
//! - [`Guard`], [`SyncGuard`] and [`OwnedGuard`] deref to the value and, on drop, run
//!   [`Reset::reset`] on it and push the slot back.
//! - [`Pool::acquire_slice`] takes many slots adjacent in the pool's allocation as one
//!   [`SliceGuard`] (a `&mut [T]`), for loops over many pooled values.
//! - [`Lanes`] lets the size-checked [`Pool::acquire_for`] refuse runs longer than a lane
//!   buffer ([`PoolError::InvalidSize`]).
//! - [`SyncPool`] can also wait for a slot: [`SyncPool::acquire_blocking`],
//!   [`SyncPool::acquire_timeout`] and the runtime-agnostic [`SyncPool::acquire_async`] (whose
//!   future, [`Acquiring`], is `Send`). Waiters are served first come, first served, and
//!   waiting allocates nothing.
//! - [`Guard::take`] (and its sync forms) keeps a value for good; the pool rebuilds the slot
//!   with its constructor.
//! - [`Usage`] reports occupancy, the high-water mark, acquires, refusals and waits.
//! - [`arch`]: 8-lane compares that answer bit masks, run with the best instruction set of the
//!   CPU (AVX2 when it has it), and a prefetch hint (the one module with intrinsics).
//! - [`Reset`] is implemented for the std types people pool (collections, arrays, tuples,
//!   `Option`); [`NoReset`] opts a value out.
//! - [`Columns`] grows a list of rows over as many lane blocks as it needs, from the heap or a
//!   pool ([`BlockSource`]).
//! - One error type: [`LaneError`] converts into [`PoolError`], so `?` works across lane and pool
//!   operations.
//!
//! Most users add the `lanepool` crate, which re-exports this one along with
//! `#[derive(SoA)]` and `#[derive(Reset)]`.
//!
//! Files, in the order a value moves through them:
//! - `traits.rs`: [`Reset`] and [`Lanes`], what a pooled type implements.
//! - `slot.rs` and `primitives.rs`: what both pools share about slots (the capacity limit, the
//!   stale bit, building a value in place), and the atomics and cells (loom's under `cfg(loom)`)
//!   [`SyncPool`] is made of.
//! - `constructor.rs`: [`Constructor`], what a `Pool<T>` builds values with, whatever closure
//!   it was given.
//! - `local.rs`: [`Pool`] and [`Guard`], for one thread; `local/slice.rs`: its
//!   [`SliceGuard`], adjacent slots as one slice.
//! - `sync/`: [`SyncPool`], [`SyncGuard`] and [`OwnedGuard`], for many (its own doc lists its
//!   files).
//! - `value_access.rs`: what every guard does with its value (deref, `Debug`).
//! - `unwind.rs`: keeps a slot when a value's reset panics.
//! - `usage.rs` and `error.rs`: what a pool reports, [`Usage`] and [`PoolError`].
//! - `soa/`: [`LaneBlock`] and [`Columns`], the runtime of `#[derive(SoA)]` (its own doc lists
//!   its files).
//! - `arch.rs`: lane primitives for kernels over lane blocks.
//! - `alloc_count.rs`: the counting allocator the no-allocation tests use.

pub mod alloc_count;
pub mod arch;
mod constructor;
mod error;
mod local;
mod primitives;
mod slot;
mod soa;
mod sync;
mod traits;
mod unwind;
mod usage;
mod value_access;

pub use constructor::Constructor;
pub use error::PoolError;
pub use local::{Guard, Pool, SliceGuard};
pub use slot::MAX_CAPACITY;
#[doc(hidden)]
pub use soa::__private;
pub use soa::{
    active_mask, BlockSource, Columns, Heap, Inline, LaneBlock, LaneError, LaneIter, LaneRowsMut,
    Leftover, Refused,
};
pub use sync::{Acquiring, AcquiringOwned, OwnedGuard, SyncGuard, SyncPool};
pub use traits::{Lanes, NoReset, Reset};
pub use usage::Usage;
