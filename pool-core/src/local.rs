//! [`Pool`]: the single-thread pool, and its [`Guard`].
//!
//! Invariants, relied on by every `unsafe` block in this module:
//! - `free[..free_len]` holds distinct free-list entries: a slot index `< capacity`, plus the
//!   [`STALE`] bit when that slot's value must be rebuilt before it is handed out again.
//! - `free_len <= capacity == slots.len() == free.len()`.
//! - A slot index is either in `free[..free_len]` or owned by exactly one live (or leaked)
//!   [`Guard`], never both. So a guard's access to its slot's value is exclusive.
//! - Every slot's value is initialised from construction until the pool drops.

use core::cell::{Cell, UnsafeCell};
use core::fmt;
use core::marker::PhantomData;
use core::ptr::NonNull;
use core::time::Duration;

use crate::constructor::{Construct, Constructor};
use crate::slot::{boxed_in_place, check_capacity, check_lanes, BuildInPlace, STALE};
use crate::unwind::OnUnwind;
use crate::value_access::{value_access, ValuePtr};
use crate::{Lanes, PoolError, Reset, Usage};

mod slice;
pub use slice::SliceGuard;

/// A fixed-capacity LIFO object pool for one thread.
///
/// Every slot is allocated and initialised in [`Pool::new`] (the cold path); afterwards the pool
/// never allocates and never grows. [`acquire`](Pool::acquire) takes `&self`, so many guards can
/// be alive at once, and hands out the slot returned last (it is the one most likely still in
/// L1). Dropping a [`Guard`] runs [`Reset::reset`] on the value and returns the slot.
///
/// A pool of capacity 0 is allowed and is simply always exhausted.
///
/// # The constructor
///
/// `Pool<T>` names every pool built by [`Pool::new`], [`Pool::with_default`] and
/// [`Pool::new_in_place`], whatever closure it was given: `Pool::new` boxes its closure once (an
/// allocation when it captures something), and the box is only called to rebuild a slot, never
/// on the acquire path. Such a closure must be `Send + 'static`, so `Pool<T>` is `Send` exactly
/// when `T` is. A constructor that is neither (one that captures an `Rc`, or borrows a local)
/// goes to [`Pool::with_constructor`], which keeps it unboxed as the pool's second type
/// parameter, `Pool<T, I>`: that pool is `Send` exactly when `T` and the constructor are.
///
/// The constructor's values are handed out as built: a slot's first acquire gets `init()`'s
/// value without a [`Reset::reset`] (reset runs as each guard returns its slot). Build values in
/// the state a fresh acquire expects.
///
/// # One thread only
///
/// `Pool` is not `Sync`: its free list is plain memory, not atomics. To share one pool between
/// threads, use [`SyncPool`](crate::SyncPool) (lock-free, the same API, plus owned guards that
/// travel between threads and waiting acquires); the compiler's error for a `Pool` shared
/// between threads names `UseSyncPoolToShareAPoolBetweenThreads`. Moving a whole `Pool` to
/// another thread is fine when it is `Send`.
///
/// ```
/// use pool_core::{Pool, PoolError, Reset};
///
/// #[derive(Default)]
/// struct Buf(Vec<u8>);
/// impl Reset for Buf {
///     fn reset(&mut self) { self.0.clear() }
/// }
///
/// let pool = Pool::new(2, || Buf(Vec::with_capacity(1024)));
/// let mut a = pool.acquire()?;
/// a.0.extend_from_slice(b"hello");
/// let _b = pool.acquire()?;
/// assert!(matches!(pool.acquire(), Err(PoolError::Exhausted { capacity: 2 })));
/// drop(a); // reset, then back on top of the free list
/// assert!(pool.acquire()?.0.is_empty());
/// # Ok::<(), PoolError>(())
/// ```
pub struct Pool<T: Reset, I = Constructor<T>> {
    slots: Slots<T>,
    /// Builds every slot, and rebuilds a slot whose `reset` panicked.
    init: I,
    /// Makes `Pool` `!Sync` under a name that tells the user what to do instead.
    _one_thread: PhantomData<dyn UseSyncPoolToShareAPoolBetweenThreads + Send>,
}

/// Never implemented: it only names the fix in the compiler's error when a [`Pool`] is shared
/// between threads ("`dyn UseSyncPoolToShareAPoolBetweenThreads` cannot be shared between threads
/// safely").
#[doc(hidden)]
pub trait UseSyncPoolToShareAPoolBetweenThreads {}

/// The slots and free list of a [`Pool`], which its guards point back to.
struct Slots<T> {
    values: Box<[UnsafeCell<T>]>,
    /// Stack of free-list entries; the top is `free[free_len - 1]`.
    free: Box<[Cell<u32>]>,
    free_len: Cell<u32>,
    high_water_mark: Cell<u32>,
    total_acquires: Cell<u64>,
    times_exhausted: Cell<u64>,
}

// SAFETY: `Slots` is private and only ever reached through a `Pool` (never `Sync`, by its
// `_one_thread` marker) or a `Guard` or `SliceGuard` (never `Send` or `Sync`, by their
// `_one_thread`), so no two threads can reach the same `Slots`. This impl only keeps `Cell` and
// `UnsafeCell` out of the compiler's errors for a shared `Pool` and a sent guard, so that they
// name the markers and their advice.
unsafe impl<T: Send> Sync for Slots<T> {}

impl<T: Reset, I: Fn() -> T> Pool<T, I> {
    /// Builds a pool of `capacity` slots, each initialised by `init`, which the pool keeps as
    /// it is (its type is the pool's `I`): for a constructor that is not `Send + 'static`,
    /// which [`Pool::new`] does not take. See [`Pool::new`] for the rest.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds [`MAX_CAPACITY`](crate::MAX_CAPACITY), or if `init` panics.
    pub fn with_constructor(capacity: usize, init: I) -> Self {
        check_capacity(capacity);
        let values = (0..capacity).map(|_| UnsafeCell::new(init())).collect();
        Self::from_values(values, init)
    }
}

impl<T: Reset, I: Construct<T>> Pool<T, I> {
    fn from_values(values: Box<[UnsafeCell<T>]>, init: I) -> Self {
        let capacity = values.len();
        // Slot 0 on top, so a fresh pool hands its slots out in address order.
        let free = (0..capacity as u32).rev().map(Cell::new).collect();
        Pool {
            slots: Slots {
                values,
                free,
                free_len: Cell::new(capacity as u32),
                high_water_mark: Cell::new(0),
                total_acquires: Cell::new(0),
                times_exhausted: Cell::new(0),
            },
            init,
            _one_thread: PhantomData,
        }
    }

    /// Takes the most recently returned free slot.
    ///
    /// # Errors
    ///
    /// [`PoolError::Exhausted`] when every slot is held by a guard. Nothing allocates on this
    /// path either.
    #[inline]
    pub fn acquire(&self) -> Result<Guard<'_, T>, PoolError> {
        let slots = &self.slots;
        let Some(top) = slots.free_len.get().checked_sub(1) else {
            return Err(slots.refuse_exhausted());
        };
        slots.free_len.set(top);
        // SAFETY: `top < free_len <= free.len()` (the module invariant).
        let entry = unsafe { slots.free.get_unchecked(top as usize) }.get();
        let index = entry & !STALE;
        let in_use = slots.values.len() as u32 - top;
        if in_use > slots.high_water_mark.get() {
            slots.high_water_mark.set(in_use);
        }
        slots.total_acquires.set(slots.total_acquires.get() + 1);
        // SAFETY: free-list entries hold indices `< capacity == values.len()`.
        let slot = unsafe { slots.values.get_unchecked(index as usize) };
        if entry & STALE != 0 {
            self.rebuild(index, slot);
        }
        Ok(Guard {
            slots,
            index,
            value: ValuePtr::new(NonNull::from(slot).cast()),
            init: Rebuild(&self.init),
            _owns: PhantomData,
            _one_thread: PhantomData,
        })
    }

    /// Like [`acquire`](Pool::acquire), after checking that a run of `lanes` rows fits in one
    /// buffer.
    ///
    /// # Errors
    ///
    /// [`PoolError::InvalidSize`] when `lanes > T::LANES`, else as [`acquire`](Pool::acquire).
    #[inline]
    pub fn acquire_for(&self, lanes: usize) -> Result<Guard<'_, T>, PoolError>
    where
        T: Lanes,
    {
        check_lanes::<T>(lanes)?;
        self.acquire()
    }

    /// Replaces the value of a slot whose reset panicked. If `init` panics too, the slot goes
    /// back to the free list, still stale.
    #[cold]
    #[inline(never)]
    fn rebuild(&self, index: u32, slot: &UnsafeCell<T>) {
        let give_back = OnUnwind::arm(|| self.slots.push_free(index | STALE));
        let fresh = self.init.construct();
        // SAFETY: `index` was just popped from the free list, so no guard refers to this slot
        // (the module invariant) and this is the only access to its value.
        unsafe { *slot.get() = fresh };
        give_back.disarm();
    }
}

impl<T: Reset> Pool<T> {
    /// Builds a pool of `capacity` slots, each initialised by `init`, which is kept (boxed) to
    /// rebuild a slot whose [`Reset::reset`] panicked or whose value was taken with
    /// [`Guard::take`].
    ///
    /// Each slot holds `init()`'s value as built until its first guard returns it: the first
    /// acquire of a slot gets it without a reset.
    ///
    /// `init` must be `Send + 'static`, as a `Pool<T>` may move to another thread with it. A
    /// closure that holds an `Rc` or borrows a local builds its pool with
    /// [`Pool::with_constructor`], whose type names the closure.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds [`MAX_CAPACITY`](crate::MAX_CAPACITY), or if `init` panics.
    pub fn new(capacity: usize, init: impl Fn() -> T + Send + 'static) -> Self {
        check_capacity(capacity);
        let values = (0..capacity).map(|_| UnsafeCell::new(init())).collect();
        Self::from_values(values, Constructor::closure(init))
    }

    /// Builds a pool of `capacity` slots, each `T::default()`.
    pub fn with_default(capacity: usize) -> Self
    where
        T: Default,
    {
        check_capacity(capacity);
        let values = (0..capacity)
            .map(|_| UnsafeCell::new(T::default()))
            .collect();
        Self::from_values(values, Constructor::function(T::default))
    }

    /// Builds a pool of `capacity` slots, each built where it lives, never on the stack: for
    /// values too large to build and move (derived lane blocks use it, through
    /// `Lanes::pool`). `T::default` is kept to rebuild a slot whose reset panicked.
    ///
    /// # Panics
    ///
    /// If `capacity` exceeds [`MAX_CAPACITY`](crate::MAX_CAPACITY), or if building a value
    /// panics.
    pub fn new_in_place(capacity: usize) -> Self
    where
        T: BuildInPlace + Default,
    {
        check_capacity(capacity);
        let values = boxed_in_place::<T>(capacity);
        // SAFETY: `UnsafeCell<T>` has the same layout as `T` (`repr(transparent)`), so the
        // allocation of `[T]` is one of `[UnsafeCell<T>]` with the same length.
        let values = unsafe { Box::from_raw(Box::into_raw(values) as *mut [UnsafeCell<T>]) };
        Self::from_values(values, Constructor::function(T::default))
    }
}

impl<T: Reset, I> Pool<T, I> {
    /// The fixed number of slots.
    pub fn capacity(&self) -> usize {
        self.slots.values.len()
    }

    /// Slots free to be acquired now.
    pub fn available(&self) -> usize {
        self.slots.free_len.get() as usize
    }

    /// A snapshot of occupancy and history.
    pub fn usage(&self) -> Usage {
        let slots = &self.slots;
        let capacity = slots.values.len();
        Usage {
            in_use: capacity - slots.free_len.get() as usize,
            capacity,
            high_water_mark: slots.high_water_mark.get() as usize,
            total_acquires: slots.total_acquires.get(),
            times_exhausted: slots.times_exhausted.get(),
            waits: 0,
            wait_time: Duration::ZERO,
        }
    }
}

impl<T> Slots<T> {
    #[cold]
    fn refuse_exhausted(&self) -> PoolError {
        self.times_exhausted.set(self.times_exhausted.get() + 1);
        PoolError::Exhausted {
            capacity: self.values.len(),
        }
    }

    /// Pushes a free-list entry for a slot that is not on the list.
    #[inline]
    fn push_free(&self, entry: u32) {
        let top = self.free_len.get();
        debug_assert!((top as usize) < self.free.len());
        // SAFETY: the entry's slot is not on the free list, so `free_len < capacity`.
        unsafe { self.free.get_unchecked(top as usize) }.set(entry);
        self.free_len.set(top + 1);
    }
}

impl<T: Reset + Default> Default for Pool<T> {
    /// An empty pool (capacity 0). Use [`Pool::with_default`] to size it.
    fn default() -> Self {
        Self::with_default(0)
    }
}

impl<T: Reset, I> fmt::Debug for Pool<T, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pool")
            .field("usage", &self.usage())
            .finish_non_exhaustive()
    }
}

/// Exclusive access to one slot of a [`Pool`]; returns the slot on drop.
///
/// Derefs to `T`. On drop it runs [`Reset::reset`] on the value, then puts the slot on top of
/// the free list, so the next [`Pool::acquire`] gets this same slot back.
///
/// A guard borrows its pool, so it cannot outlive it, and it is neither `Send` nor `Sync`: its
/// drop returns the slot to a free list only its pool's thread may touch. To hand values to
/// other threads, pool them in a [`SyncPool`](crate::SyncPool) and send an
/// [`OwnedGuard`](crate::OwnedGuard); the compiler's error for a `Guard` sent to another thread
/// names `UseSyncPoolAndOwnedGuardToSendAGuardToAnotherThread`.
///
/// Leaking a guard with `mem::forget` is safe: the slot stays counted as in use until the pool
/// drops, and the value is dropped with the pool.
#[must_use = "dropping the guard returns the slot to the pool at once"]
pub struct Guard<'a, T: Reset> {
    slots: &'a Slots<T>,
    index: u32,
    value: ValuePtr<T>,
    /// The pool's constructor, for [`Guard::take`].
    init: Rebuild<'a, T>,
    /// `&mut T` makes the guard invariant in `T`, like the pool.
    _owns: PhantomData<&'a mut T>,
    /// Makes `Guard` neither `Send` nor `Sync` under a name that tells the user what to do.
    _one_thread: PhantomData<dyn UseSyncPoolAndOwnedGuardToSendAGuardToAnotherThread>,
}

/// Never implemented: it only names the fix in the compiler's error when a [`Guard`] is sent to
/// another thread ("`dyn UseSyncPoolAndOwnedGuardToSendAGuardToAnotherThread` cannot be sent
/// between threads safely").
#[doc(hidden)]
pub trait UseSyncPoolAndOwnedGuardToSendAGuardToAnotherThread {}

/// A [`Pool`]'s constructor as its guards see it, whatever its type.
struct Rebuild<'a, T>(&'a (dyn Construct<T> + 'a));

// SAFETY: a `Rebuild` is only ever a field of a `Guard`, which is neither `Send` nor `Sync`
// (its `_one_thread` marker), so it never reaches another thread. These impls only keep
// `dyn Fn` out of the compiler's error for a sent `Guard`, so that the error names the marker.
unsafe impl<T> Send for Rebuild<'_, T> {}
// SAFETY: as for `Send`.
unsafe impl<T> Sync for Rebuild<'_, T> {}

impl<T: Reset> Guard<'_, T> {
    /// Takes the value out of the guard for good. The slot gets a fresh value from the pool's
    /// constructor (so this allocates whatever the constructor allocates) and goes back to the
    /// pool at once: the pool keeps its capacity. An associated function, called as
    /// `Guard::take(guard)`, so that it never hides a method of `T`.
    ///
    /// If the constructor panics, the guard is dropped as usual (its value reset and its slot
    /// returned) and the panic goes on.
    ///
    /// ```
    /// use pool_core::{Guard, Pool};
    ///
    /// let pool = Pool::new(1, || Vec::<u8>::with_capacity(64));
    /// let mut buffer = pool.acquire()?;
    /// buffer.extend_from_slice(b"kept");
    /// let kept: Vec<u8> = Guard::take(buffer); // the slot gets a new `Vec`
    /// assert_eq!(kept, b"kept");
    /// assert!(pool.acquire()?.is_empty());
    /// # Ok::<(), pool_core::PoolError>(())
    /// ```
    pub fn take(guard: Self) -> T {
        let fresh = guard.init.0.construct();
        let mut guard = core::mem::ManuallyDrop::new(guard);
        // SAFETY: as in `deref_mut` (`value_access.rs`); the reference ends before the slot is
        // pushed back.
        let value = core::mem::replace(unsafe { guard.value.as_mut() }, fresh);
        guard.slots.push_free(guard.index);
        value
    }
}

value_access!(Guard<'a>);

impl<T: Reset> Drop for Guard<'_, T> {
    #[inline]
    fn drop(&mut self) {
        let (slots, index) = (self.slots, self.index);
        let keep_slot = OnUnwind::arm(|| slots.push_free(index | STALE));
        // SAFETY: as in `deref_mut` (`value_access.rs`); the reference ends before the slot is
        // pushed back.
        unsafe { self.value.as_mut() }.reset();
        keep_slot.disarm();
        slots.push_free(index);
    }
}
