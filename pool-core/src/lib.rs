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
//! - [`Lanes`] lets the size-checked [`Pool::acquire_for`] refuse runs longer than a lane
//!   buffer ([`PoolError::InvalidSize`]).
//! - [`SyncPool`] can also wait for a slot: [`SyncPool::acquire_blocking`],
//!   [`SyncPool::acquire_timeout`] and the runtime-agnostic [`SyncPool::acquire_async`].
//! - [`Usage`] reports occupancy, the high-water mark, acquires, refusals and waits.
//! - [`arch`] reads the CPU's timestamp counter and dispatches lane kernels by CPU feature (the
//!   one module with intrinsics).
//! - [`Reset`] is implemented for the std types people pool (collections, arrays, tuples,
//!   `Option`); [`NoReset`] opts a value out.
//! - One error type: [`LaneError`] converts into [`PoolError`], so `?` works across lane and pool
//!   operations.
//!
//! Most users add the `lanepool` crate, which re-exports this one along with
//! `#[derive(SoA)]` and `#[derive(Reset)]`.

pub mod alloc_count;
pub mod arch;
mod error;
mod local;
mod primitives;
mod slot;
mod soa;
mod sync;
mod traits;
mod unwind;
mod usage;

pub use error::PoolError;
pub use local::{Guard, Pool};
pub use slot::MAX_CAPACITY;
#[doc(hidden)]
pub use soa::__private;
pub use soa::{active_mask, LaneBlock, LaneError, LaneIter, Leftover};
pub use sync::{OwnedGuard, SyncGuard, SyncPool};
pub use traits::{Lanes, NoReset, Reset};
pub use usage::Usage;
