//! Keeping a slot when a user's `reset` or constructor panics.

/// Runs `F` if dropped, that is, if the code between `arm` and `disarm` unwinds.
pub(crate) struct OnUnwind<F: FnMut()>(F);

impl<F: FnMut()> OnUnwind<F> {
    pub(crate) fn arm(f: F) -> Self {
        OnUnwind(f)
    }

    /// The guarded code returned normally: skip the unwind action.
    pub(crate) fn disarm(self) {
        core::mem::forget(self);
    }
}

impl<F: FnMut()> Drop for OnUnwind<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}
