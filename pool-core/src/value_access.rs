//! What every guard does with its slot's value: deref to it, and show it in `Debug`. Each pool
//! writes its own `Drop`, since each returns slots its own way.

use core::ptr::NonNull;

/// A guard's pointer to its slot's value: a `NonNull<T>` that is `Send` and `Sync` exactly when
/// `T` is, like the `&mut T` a guard stands for. So a guard's own thread-safety is decided by
/// its other fields, and a guard that must stay on its thread can say so by a marker whose name
/// is what the compiler's error shows.
pub(crate) struct ValuePtr<T: ?Sized>(NonNull<T>);

// SAFETY: a guard owns its slot's value exclusively (each pool's invariant), so the pointer is
// a `&mut T` in all but name: sending it moves that exclusive access (`T: Send`), sharing it
// shares `&T` (`T: Sync`).
unsafe impl<T: ?Sized + Send> Send for ValuePtr<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: ?Sized + Sync> Sync for ValuePtr<T> {}

impl<T: ?Sized> ValuePtr<T> {
    #[inline]
    pub(crate) fn new(value: NonNull<T>) -> Self {
        ValuePtr(value)
    }

    /// # Safety
    ///
    /// As [`NonNull::as_ref`]: the value is initialised and nobody writes it meanwhile.
    #[inline]
    pub(crate) unsafe fn as_ref(&self) -> &T {
        // SAFETY: the caller's contract.
        unsafe { self.0.as_ref() }
    }

    /// # Safety
    ///
    /// As [`NonNull::as_mut`]: the value is initialised and this is the only reference to it.
    #[inline]
    pub(crate) unsafe fn as_mut(&mut self) -> &mut T {
        // SAFETY: the caller's contract.
        unsafe { self.0.as_mut() }
    }
}

/// `Deref`, `DerefMut` and `Debug` for a guard that holds its slot's value as `value:
/// NonNull<T>` (or [`ValuePtr<T>`]) and owns that slot exclusively while it lives (its pool's
/// invariant).
macro_rules! value_access {
    ($guard:ident $(<$lt:lifetime>)?) => {
        impl<$($lt,)? T: $crate::Reset> ::core::ops::Deref for $guard<$($lt,)? T> {
            type Target = T;

            #[inline]
            fn deref(&self) -> &T {
                // SAFETY: the guard owns its slot exclusively (its pool's module invariant), the
                // value is initialised, and the pool outlives the guard.
                unsafe { self.value.as_ref() }
            }
        }

        impl<$($lt,)? T: $crate::Reset> ::core::ops::DerefMut for $guard<$($lt,)? T> {
            #[inline]
            fn deref_mut(&mut self) -> &mut T {
                // SAFETY: as in `deref`; `&mut self` makes this the only reference handed out.
                unsafe { self.value.as_mut() }
            }
        }

        impl<$($lt,)? T: $crate::Reset + ::core::fmt::Debug> ::core::fmt::Debug
            for $guard<$($lt,)? T>
        {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                ::core::fmt::Debug::fmt(&**self, f)
            }
        }
    };
}

pub(crate) use value_access;
