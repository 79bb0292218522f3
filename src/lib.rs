#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

pub use pool_core::{
    Guard, Lanes, OwnedGuard, Pool, PoolError, Reset, SyncGuard, SyncPool, Usage, MAX_CAPACITY,
};
