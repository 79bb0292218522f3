//! `#[derive(SoA)]`: `attr.rs` and `ast.rs` parse, `valid.rs` checks, `expand.rs` and
//! `items.rs` write the block, and `fallback.rs` writes a placeholder when the input has no
//! struct to expand.

mod ast;
mod attr;
mod expand;
mod fallback;
mod items;
mod valid;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// The whole derive: parse, validate, then expand, or fall back if there is no struct to expand.
pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let (attrs, input) = ast::parse(node, &mut cx);
    let settings = valid::settings(attrs, &mut cx);
    let Some(mut input) = input else {
        return fallback::expand(node, &settings, cx.into_compile_errors());
    };
    valid::fields(&mut input, &mut cx);
    let errors = cx.into_compile_errors();
    let expanded = expand::expand(&input, &settings);
    quote! {
        #errors
        #expanded
    }
}
