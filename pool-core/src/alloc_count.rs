//! [`CountingAllocator`]: proves "no allocation on the hot path" instead of claiming it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

thread_local! {
    /// Heap operations (allocations, reallocations, frees) made by this thread. A `const`
    /// initialiser with no destructor, so the allocator can read it without allocating.
    static HEAP_OPS: Cell<u64> = const { Cell::new(0) };
}

/// A global allocator that forwards to [`System`] and counts each thread's heap operations.
///
/// Install it in a binary or test, then measure a section of code with [`heap_ops_during`]:
///
/// ```
/// use pool_core::alloc_count::{heap_ops_during, CountingAllocator};
///
/// #[global_allocator]
/// static ALLOCATOR: CountingAllocator = CountingAllocator;
///
/// assert_eq!(heap_ops_during(|| 1 + 1), 0);
/// assert_eq!(heap_ops_during(|| drop(Box::new(7))), 2);
/// ```
///
/// Counting is per thread, so a test harness or a progress-bar thread allocating at the same
/// time does not disturb the count.
#[derive(Clone, Copy, Debug, Default)]
pub struct CountingAllocator;

fn record() {
    // `try_with`: the allocator also runs while this thread's locals are being torn down.
    let _ = HEAP_OPS.try_with(|ops| ops.set(ops.get() + 1));
}

// SAFETY: every method forwards its arguments unchanged to `System`, which upholds
// `GlobalAlloc`'s contract; counting touches only a thread-local `Cell` and never allocates.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record();
        // SAFETY: the caller upholds `alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record();
        // SAFETY: the caller upholds `alloc_zeroed`'s contract.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record();
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record();
        // SAFETY: the caller upholds `realloc`'s contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Heap operations this thread has made so far (0 forever if [`CountingAllocator`] is not the
/// global allocator; see [`is_counting`]).
pub fn heap_ops() -> u64 {
    HEAP_OPS.with(Cell::get)
}

/// Heap operations this thread made while running `work`.
pub fn heap_ops_during<R>(work: impl FnOnce() -> R) -> u64 {
    let before = heap_ops();
    let result = work();
    let after = heap_ops();
    drop(result);
    after - before
}

/// Whether [`CountingAllocator`] is this program's global allocator, found by watching a real
/// allocation: without it, a count of 0 would prove nothing.
pub fn is_counting() -> bool {
    heap_ops_during(|| std::hint::black_box(Box::new(0u8))) > 0
}
