//! Collects every error found while parsing and validating, so one build reports all of them
//! (serde_derive's `Ctxt`).

use proc_macro2::TokenStream;
use quote::ToTokens;
use std::fmt::Display;

#[derive(Default)]
pub(crate) struct Ctxt {
    errors: Option<syn::Error>,
    /// Set by `into_compile_errors`; a `Ctxt` dropped without it would lose the user's errors.
    checked: bool,
}

impl Ctxt {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.errors {
            Some(errors) => errors.combine(error),
            None => self.errors = Some(error),
        }
    }

    /// An error whose caret covers `tokens`. Taken by reference: syn's tokens are `Copy` only
    /// with its `clone-impls` feature, which feature unification may or may not turn on.
    pub(crate) fn error_spanned_by(&mut self, tokens: &dyn ToTokens, message: impl Display) {
        self.push(syn::Error::new_spanned(tokens, message));
    }

    /// `compile_error!` invocations for everything collected; empty when all was well.
    pub(crate) fn into_compile_errors(mut self) -> TokenStream {
        self.checked = true;
        self.errors
            .take()
            .map(|errors| errors.to_compile_error())
            .unwrap_or_default()
    }
}

impl Drop for Ctxt {
    fn drop(&mut self) {
        if !self.checked && !std::thread::panicking() {
            panic!("pool-derive bug: a Ctxt was dropped without reporting its errors");
        }
    }
}
