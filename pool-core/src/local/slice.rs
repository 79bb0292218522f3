//! [`Pool::acquire_slice`] and its [`SliceGuard`]: many slots at once, adjacent in the pool's
//! slab, as one `&mut [T]`.
//!
//! A pool keeps its values in one allocation, in slot order. A loop over thousands of values
//! held as separate guards reads each guard (and, through it, the value) and walks the slots in
//! whatever order they were acquired; a slice guard holds a run of adjacent slots, so the loop
//! walks one array in address order and reads nothing else, which is what lets a hardware (or
//! software) prefetcher stream it.
//!
//! Invariants, beside those of the parent module: a slice guard owns the slots `start ..
//! start + len`, none of which is on the free list, until it drops and pushes each back.

use core::fmt;
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};
use core::ptr::NonNull;

use super::{Pool, Slots, UseSyncPoolAndOwnedGuardToSendAGuardToAnotherThread};
use crate::constructor::Construct;
use crate::slot::STALE;
use crate::unwind::OnUnwind;
use crate::value_access::ValuePtr;
use crate::{PoolError, Reset};

impl<T: Reset, I: Construct<T>> Pool<T, I> {
    /// Takes `len` free slots that sit next to each other in the pool's allocation, as one
    /// guard that derefs to `[T]`, in slot (and address) order.
    ///
    /// For a loop over many pooled values: it walks one array, with no guard to read per value,
    /// so the values stream through the cache in address order. A fresh pool, and one whose
    /// guards all came back, always has the run; [`SliceGuard`]'s drop puts its slots back
    /// first slot on top, so the same call finds the same slots again at the cost of a check
    /// of `len` free-list entries. Otherwise (slots held or returned out of order) the call
    /// sorts the free list, lowest slot on top, and takes the lowest run long enough: linear
    /// in the pool's capacity, allocation-free.
    ///
    /// Each value is handed out as its last guard left it (reset) or as built; the values of
    /// slots whose reset had panicked are rebuilt first. Counts `len` acquires in
    /// [`usage`](Pool::usage). `len == 0` gives an empty slice and takes nothing.
    ///
    /// ```
    /// use pool_core::{Pool, PoolError, Reset};
    ///
    /// #[derive(Debug, Default)]
    /// #[repr(align(64))]
    /// struct Block([u64; 8]);
    /// impl Reset for Block {
    ///     fn reset(&mut self) { self.0 = [0; 8] }
    /// }
    ///
    /// let pool = Pool::<Block>::with_default(8);
    /// let mut blocks = pool.acquire_slice(6)?;
    /// for (i, block) in blocks.iter_mut().enumerate() {
    ///     block.0[0] = i as u64;
    /// }
    /// // One array: each block right after the previous one.
    /// let step = (&blocks[1] as *const Block as usize) - (&blocks[0] as *const Block as usize);
    /// assert_eq!(step, size_of::<Block>());
    /// assert_eq!(blocks.iter().map(|b| b.0[0]).sum::<u64>(), 15);
    ///
    /// // A single guard in the middle of the free slots leaves no run of 6.
    /// drop(blocks);
    /// let _held = [pool.acquire()?, pool.acquire()?, pool.acquire()?];
    /// assert_eq!(pool.acquire_slice(6).unwrap_err(), PoolError::NoAdjacentSlots {
    ///     requested: 6,
    ///     longest: 5,
    ///     capacity: 8,
    /// });
    /// # Ok::<(), PoolError>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`PoolError::NoAdjacentSlots`] when no `len` adjacent slots are free (with the longest
    /// run there is). It counts as a refusal in [`usage`](Pool::usage).
    pub fn acquire_slice(&self, len: usize) -> Result<SliceGuard<'_, T>, PoolError> {
        let slots = &self.slots;
        let start = match slots.pop_adjacent_on_top(len) {
            Some(start) => start,
            None => self.take_adjacent(len)?,
        };
        let in_use = (slots.values.len() - slots.free_len.get() as usize) as u32;
        if in_use > slots.high_water_mark.get() {
            slots.high_water_mark.set(in_use);
        }
        slots
            .total_acquires
            .set(slots.total_acquires.get() + len as u64);
        // A pointer from the whole slab (not from one slot), so that it may cover `len` of them;
        // `UnsafeCell<T>` has the layout of `T`.
        let slab = NonNull::from(&*slots.values).cast::<T>();
        // SAFETY: `start + len <= capacity` (the run was free), so `start` is within the slab
        // (or one past its end for an empty run).
        let first = unsafe { slab.add(start as usize) };
        let values = ValuePtr::new(NonNull::slice_from_raw_parts(first, len));
        Ok(SliceGuard {
            slots,
            start,
            values,
            _owns: PhantomData,
            _one_thread: PhantomData,
        })
    }

    /// The cold path of [`acquire_slice`](Pool::acquire_slice): rebuilds stale slots, sorts
    /// the free list (lowest slot on top) and takes the lowest run of `len` adjacent slots.
    #[cold]
    #[inline(never)]
    fn take_adjacent(&self, len: usize) -> Result<u32, PoolError> {
        let slots = &self.slots;
        let free = &slots.free[..slots.free_len.get() as usize];
        for entry in free {
            if entry.get() & STALE != 0 {
                let index = entry.get() & !STALE;
                let fresh = self.init.construct();
                // SAFETY: the slot is on the free list, so no guard refers to it (the parent
                // module's invariant) and this is the only access to its value.
                unsafe { *slots.values[index as usize].get() = fresh };
                entry.set(index);
            }
        }
        sort_descending(free);
        // Walk down from the top (the lowest slot), counting consecutive slots.
        let (mut run, mut longest) = (0, 0);
        for position in (0..free.len()).rev() {
            let follows =
                position + 1 < free.len() && free[position].get() == free[position + 1].get() + 1;
            run = if follows { run + 1 } else { 1 };
            longest = longest.max(run);
            if run == len {
                // The run is `free[position .. position + len]`, its first slot on top; close
                // the gap it leaves.
                let start = free[position + len - 1].get();
                let above = position + len..free.len();
                for (to, from) in (position..).zip(above) {
                    free[to].set(free[from].get());
                }
                slots.free_len.set((free.len() - len) as u32);
                return Ok(start);
            }
        }
        slots.times_exhausted.set(slots.times_exhausted.get() + 1);
        Err(PoolError::NoAdjacentSlots {
            requested: len,
            longest,
            capacity: slots.values.len(),
        })
    }
}

impl<T> Slots<T> {
    /// Pops the top `len` free-list entries if they are slots `start, start + 1, ...` from the
    /// top down, none stale: the fast path of [`Pool::acquire_slice`]. Returns `start`.
    #[inline]
    fn pop_adjacent_on_top(&self, len: usize) -> Option<u32> {
        let free_len = self.free_len.get() as usize;
        if len == 0 {
            return Some(0);
        }
        let run = self.free.get(free_len.checked_sub(len)?..free_len)?;
        let start = run.last()?.get();
        // `start + offset` never sets the stale bit (indices are below 2^31 - 1), so an entry
        // that equals it is a plain slot index.
        let adjacent = run
            .iter()
            .rev()
            .zip(0..)
            .all(|(entry, offset)| entry.get() == start.wrapping_add(offset));
        if start & STALE != 0 || !adjacent {
            return None;
        }
        self.free_len.set((free_len - len) as u32);
        Some(start)
    }
}

/// Sorts free-list entries, largest first, in place (heap sort with a min-heap: no allocation,
/// linear-logarithmic).
fn sort_descending(cells: &[core::cell::Cell<u32>]) {
    let sift_down = |mut root: usize, end: usize| loop {
        let mut child = 2 * root + 1;
        if child >= end {
            break;
        }
        if child + 1 < end && cells[child + 1].get() < cells[child].get() {
            child += 1;
        }
        if cells[root].get() <= cells[child].get() {
            break;
        }
        cells[root].swap(&cells[child]);
        root = child;
    };
    for root in (0..cells.len() / 2).rev() {
        sift_down(root, cells.len());
    }
    for end in (1..cells.len()).rev() {
        cells[0].swap(&cells[end]);
        sift_down(0, end);
    }
}

/// Exclusive access to adjacent slots of a [`Pool`], from [`Pool::acquire_slice`]; returns them
/// on drop.
///
/// Derefs to `[T]`, the slots in order. On drop it runs [`Reset::reset`] on every value and
/// puts the slots back on the free list with the first on top, so that the next
/// [`Pool::acquire_slice`] of the same length takes them again without searching. If a reset
/// panics, that slot and those not yet reset are returned as stale: their values are rebuilt
/// before they are handed out again.
///
/// Like [`Guard`](super::Guard), it borrows its pool and is neither `Send` nor `Sync`.
#[must_use = "dropping the guard returns the slots to the pool at once"]
pub struct SliceGuard<'a, T: Reset> {
    slots: &'a Slots<T>,
    start: u32,
    values: ValuePtr<[T]>,
    /// `&mut [T]` makes the guard invariant in `T`, like the pool.
    _owns: PhantomData<&'a mut [T]>,
    /// Makes `SliceGuard` neither `Send` nor `Sync` under a name that tells the user what to do.
    _one_thread: PhantomData<dyn UseSyncPoolAndOwnedGuardToSendAGuardToAnotherThread>,
}

impl<T: Reset> Deref for SliceGuard<'_, T> {
    type Target = [T];

    #[inline]
    fn deref(&self) -> &[T] {
        // SAFETY: the guard owns its slots exclusively (the module invariant), their values
        // are initialised, and the pool outlives the guard.
        unsafe { self.values.as_ref() }
    }
}

impl<T: Reset> DerefMut for SliceGuard<'_, T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        // SAFETY: as in `deref`; `&mut self` makes this the only reference handed out.
        unsafe { self.values.as_mut() }
    }
}

impl<T: Reset + fmt::Debug> fmt::Debug for SliceGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: Reset> Drop for SliceGuard<'_, T> {
    fn drop(&mut self) {
        let (slots, start) = (self.slots, self.start);
        // SAFETY: as in `deref`.
        let len = unsafe { self.values.as_ref() }.len() as u32;
        // Last slot first, so that the first ends on top of the free list.
        for offset in (0..len).rev() {
            let keep_rest = OnUnwind::arm(|| {
                for stale in (0..=offset).rev() {
                    slots.push_free((start + stale) | STALE);
                }
            });
            // SAFETY: as in `deref_mut`; the reference ends before the slot is pushed back, and
            // `offset < len`.
            unsafe { self.values.as_mut().get_unchecked_mut(offset as usize) }.reset();
            keep_rest.disarm();
            slots.push_free(start + offset);
        }
    }
}
