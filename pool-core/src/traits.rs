//! The traits pooled types implement: [`Reset`] for every pooled type, [`Lanes`] for lane buffers.

/// Puts a value back into the state a fresh acquire expects, as its guard returns it to the pool.
///
/// Derived lane buffers implement it (an O(1) clear by default). A plain type that needs no reset
/// opts out with an empty body:
///
/// ```
/// use pool_core::{Pool, Reset};
///
/// #[derive(Default)]
/// struct Scratch([u64; 32]);
///
/// // The next user overwrites what it reads, so stale bytes are harmless.
/// impl Reset for Scratch {
///     fn reset(&mut self) {}
/// }
///
/// let pool: Pool<Scratch> = Pool::with_default(4);
/// assert!(pool.acquire().is_ok());
/// ```
///
/// # Panics in `reset`
///
/// If `reset` panics, the pool neither loses the slot nor hands the half-reset value out again:
/// the slot goes back to the free list marked stale, and the next acquire that reaches it
/// replaces the value with a fresh one from the pool's constructor before handing it out.
/// The panic itself propagates to the code that dropped the guard.
pub trait Reset {
    /// Restores the value for its next user.
    fn reset(&mut self);
}

impl<T> Reset for Vec<T> {
    /// Clears the vector, keeping its capacity, so a pooled `Vec` is reused without reallocating.
    fn reset(&mut self) {
        self.clear();
    }
}

impl Reset for String {
    /// Clears the string, keeping its capacity.
    fn reset(&mut self) {
        self.clear();
    }
}

impl<T: Reset + ?Sized> Reset for Box<T> {
    fn reset(&mut self) {
        (**self).reset();
    }
}

/// A fixed-lane buffer: at most `LANES` rows fit in one value.
///
/// [`Pool::acquire_for`](crate::Pool::acquire_for) and
/// [`SyncPool::acquire_for`](crate::SyncPool::acquire_for) use it to refuse runs that would not fit.
pub trait Lanes {
    /// How many rows one buffer holds.
    const LANES: usize;
}
