//! Values the pool-core tests pool, shared by the test files (each uses a part of them).
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use pool_core::{Lanes, Reset};

mod contract;
pub mod waits;
// Not every test file instantiates the contract.
#[allow(unused_imports)]
pub(crate) use contract::single_thread_contract;

/// Remembers which construction it came from, so tests can tell slots apart.
#[derive(Debug)]
pub struct Numbered {
    pub id: usize,
    pub dirty: bool,
}

impl Reset for Numbered {
    fn reset(&mut self) {
        self.dirty = false;
    }
}

impl Lanes for Numbered {
    const LANES: usize = 8;
}

/// A constructor that numbers the values it builds 0, 1, 2, ...
pub fn numbering() -> impl Fn() -> Numbered + Send + Sync + 'static {
    let next = AtomicUsize::new(0);
    move || Numbered {
        id: next.fetch_add(1, Ordering::Relaxed),
        dirty: false,
    }
}

/// Counts drops, to show a pool drops every value exactly once, leaked guards included.
pub struct DropCounter(pub Arc<AtomicUsize>);

impl Reset for DropCounter {
    fn reset(&mut self) {}
}

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }
}

/// A value whose reset is visible: `value` goes back to 0.
#[derive(Debug, Default)]
pub struct Slot {
    pub value: u64,
}

impl Reset for Slot {
    fn reset(&mut self) {
        self.value = 0;
    }
}

/// Panics in `reset` whenever `poison` is set; `half_reset` stays set by a reset that panicked.
#[derive(Debug, Default)]
pub struct Fragile {
    pub generation: u32,
    pub half_reset: bool,
    pub poison: bool,
}

impl Reset for Fragile {
    fn reset(&mut self) {
        self.half_reset = true;
        assert!(!self.poison, "reset failed half way");
        self.half_reset = false;
    }
}
