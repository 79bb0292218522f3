//! [`Constructor`]: the constructor a [`Pool`](crate::Pool) keeps, whatever it was built from,
//! so that `Pool<T>` names every pool made by `Pool::new`, `Pool::with_default` or
//! `Pool::new_in_place`.

/// What a `Pool<T>` builds and rebuilds its values with: a function, or a closure boxed once
/// when the pool is built. Only called when a slot is rebuilt (a reset panicked, or
/// [`Guard::take`](crate::Guard::take) took its value), never on the acquire path.
pub struct Constructor<T>(Kind<T>);

// SAFETY: a `Constructor` can only be called through the crate's sealed `Construct` trait, and
// the crate calls it only from the `Pool` that owns it, which is never `Sync`: no two threads
// ever call it through a shared reference. This impl only keeps the boxed closure out of the
// compiler's error for a shared `Pool`, so that the error names the `Pool`'s marker.
unsafe impl<T> Sync for Constructor<T> {}

enum Kind<T> {
    Function(fn() -> T),
    Closure(Box<dyn Fn() -> T + Send>),
}

impl<T> Constructor<T> {
    pub(crate) fn function(function: fn() -> T) -> Self {
        Constructor(Kind::Function(function))
    }

    /// Boxes `closure`: one allocation, unless it captures nothing.
    pub(crate) fn closure(closure: impl Fn() -> T + Send + 'static) -> Self {
        Constructor(Kind::Closure(Box::new(closure)))
    }
}

mod sealed {
    /// Builds one value: any `Fn() -> T`, and a [`Constructor`](super::Constructor).
    pub trait Construct<T> {
        fn construct(&self) -> T;
    }
}

pub(crate) use sealed::Construct;

impl<T, F: Fn() -> T> Construct<T> for F {
    fn construct(&self) -> T {
        self()
    }
}

impl<T> Construct<T> for Constructor<T> {
    fn construct(&self) -> T {
        match &self.0 {
            Kind::Function(function) => function(),
            Kind::Closure(closure) => closure(),
        }
    }
}
