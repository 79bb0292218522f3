//! The traits pooled types implement: [`Reset`] for every pooled type, [`Lanes`] for lane buffers.

use core::ops::{Deref, DerefMut};
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque};

/// Puts a value back into the state a fresh acquire expects, as its guard returns it to the pool.
///
/// Implemented for the std types people pool: `Vec`, `String`, `VecDeque`, `BinaryHeap`,
/// `HashMap`, `HashSet`, `BTreeMap` and `BTreeSet` are cleared (keeping their capacity),
/// `Option<T>` becomes `None`, numbers, `bool` and `char` their default, arrays and tuples (up to
/// 8) reset each element, `Box<T>` resets
/// what it holds, and `()` does nothing. Derived lane buffers implement it (an O(1) clear by
/// default), and `#[derive(Reset)]` (in the `lanepool` crate) writes it for a struct by resetting
/// each field.
///
/// Values the next user overwrites anyway opt out with [`NoReset`], or with an empty body:
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
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement `Reset`, so it cannot be pooled or reset field by field",
    label = "`{Self}` has no `Reset`",
    note = "derive it (`#[derive(Reset)]` resets each field), implement it (`fn reset(&mut self)` \
            puts the value back as a fresh acquire expects it), or wrap the value in `NoReset` to \
            keep it as the last user left it; in a `#[derive(Reset)]` struct, `#[reset(skip)]` \
            leaves one field alone"
)]
pub trait Reset {
    /// Restores the value for its next user.
    fn reset(&mut self);
}

/// Collections are cleared, keeping their capacity, so a pooled collection is reused without
/// reallocating.
macro_rules! reset_by_clear {
    ($($(#[$doc:meta])* [$($params:tt)*] $ty:ty;)*) => {$(
        $(#[$doc])*
        impl<$($params)*> Reset for $ty {
            /// Clears it, keeping its capacity.
            #[inline]
            fn reset(&mut self) {
                self.clear();
            }
        }
    )*};
}

reset_by_clear! {
    [T] Vec<T>;
    [] String;
    [T] VecDeque<T>;
    [T] BinaryHeap<T>;
    [K, V, S] HashMap<K, V, S>;
    [T, S] HashSet<T, S>;
    [K, V] BTreeMap<K, V>;
    [T] BTreeSet<T>;
}

impl<T: Reset + ?Sized> Reset for Box<T> {
    #[inline]
    fn reset(&mut self) {
        (**self).reset();
    }
}

impl<T> Reset for Option<T> {
    /// Sets it to `None`, dropping the value: the next user starts without one.
    #[inline]
    fn reset(&mut self) {
        *self = None;
    }
}

impl<T: Reset, const N: usize> Reset for [T; N] {
    /// Resets each element.
    #[inline]
    fn reset(&mut self) {
        self.iter_mut().for_each(Reset::reset);
    }
}

/// Numbers, `bool` and `char` go back to their default (zero, `false`, `'\0'`), so an array of
/// them (`[f32; 1024]`) is handed out zeroed. Wrap it in [`NoReset`] to skip the zeroing.
macro_rules! reset_to_default {
    ($($ty:ty)*) => {$(
        impl Reset for $ty {
            /// Sets it back to its default.
            #[inline]
            fn reset(&mut self) {
                *self = <$ty>::default();
            }
        }
    )*};
}

reset_to_default!(u8 u16 u32 u64 u128 usize i8 i16 i32 i64 i128 isize f32 f64 bool char);

impl Reset for () {
    #[inline]
    fn reset(&mut self) {}
}

macro_rules! reset_tuple {
    ($($name:ident)+) => {
        impl<$($name: Reset),+> Reset for ($($name,)+) {
            /// Resets each element.
            #[inline]
            #[allow(non_snake_case)]
            fn reset(&mut self) {
                let ($($name,)+) = self;
                $($name.reset();)+
            }
        }
    };
}

reset_tuple!(A);
reset_tuple!(A B);
reset_tuple!(A B C);
reset_tuple!(A B C D);
reset_tuple!(A B C D E);
reset_tuple!(A B C D E F);
reset_tuple!(A B C D E F G);
reset_tuple!(A B C D E F G H);

/// Pools a value whose state needs no reset between users (scratch memory the next user
/// overwrites, plain numbers, a type from another crate without a [`Reset`] impl): resetting it
/// does nothing. Derefs to the value.
///
/// ```
/// use pool_core::{NoReset, Pool};
///
/// let pool = Pool::new(2, || NoReset([0f32; 1024]));
/// let mut scratch = pool.acquire()?;
/// scratch[0] = 1.5;
/// drop(scratch);
/// assert_eq!(pool.acquire()?[0], 1.5); // kept as the last user left it
/// # Ok::<(), pool_core::PoolError>(())
/// ```
///
/// For your own type, an empty impl does the same: `impl Reset for Scratch { fn reset(&mut self)
/// {} }`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(transparent)]
pub struct NoReset<T>(pub T);

impl<T> Reset for NoReset<T> {
    #[inline]
    fn reset(&mut self) {}
}

impl<T> Deref for NoReset<T> {
    type Target = T;

    #[inline]
    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T> DerefMut for NoReset<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut T {
        &mut self.0
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
