//! What every guard does with its slot's value: deref to it, and show it in `Debug`. Each pool
//! writes its own `Drop`, since each returns slots its own way.

/// `Deref`, `DerefMut` and `Debug` for a guard that holds its slot's value as `value:
/// NonNull<T>` and owns that slot exclusively while it lives (its pool's invariant).
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
