//! `#[derive(SoA)]`, in the order data flows through its files:
//!
//! - parse: `attr.rs` reads `#[soa(...)]`, `ast.rs` the struct and its fields;
//! - check: `valid.rs` turns the attributes into `settings.rs`'s
//!   [`Settings`](settings::Settings) and reports accessors that clash;
//! - generate: `context.rs` computes what every generated item needs once, then `storage.rs`
//!   (the block struct), `views.rs` (the row views), `checks.rs` (compile-time checks),
//!   `items.rs` (the inherent items' table), `accessors.rs` (per-field accessors) and
//!   `impls.rs` (the trait impls' table), which `expand.rs` assembles;
//! - `fallback.rs` writes a placeholder when the input has no struct to expand.
//!
//! Imports point one way, never in a circle: checking imports only the parse types and the
//! [`Settings`](settings::Settings) it builds (the names the block reserves are handed to it
//! here, so it never imports a generating file), and the generating files share `settings.rs`
//! and `context.rs` below them.

mod accessors;
mod ast;
mod attr;
mod checks;
mod context;
mod expand;
mod fallback;
mod impls;
mod items;
mod settings;
mod storage;
mod valid;
mod views;

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::ctxt::Ctxt;

/// The whole derive: parse, validate, then expand, or fall back if there is no struct to expand.
pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let (attrs, input) = ast::parse(node, &mut cx);
    let settings = valid::settings(attrs, &node.ident, &mut cx);
    let Some(mut input) = input else {
        return fallback::expand(node, &settings, cx.into_compile_errors());
    };
    valid::fields(&mut input, items::is_reserved, &mut cx);
    let errors = cx.into_compile_errors();
    let expanded = expand::expand(&input, &settings);
    quote! {
        #errors
        #expanded
    }
}

#[cfg(test)]
mod tests {
    use super::items;
    use super::valid::rename_suggestion;
    use crate::names::accessor_names;
    use syn::Ident;

    /// Rust's own snake-case rule for the accessors: lowercase, no leading, trailing or double
    /// underscores (a double underscore is what made `len_`'s `len__mut` warn).
    fn is_clean_snake_case(name: &str) -> bool {
        !name.contains("__")
            && !name.starts_with('_')
            && !name.ends_with('_')
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    }

    #[test]
    fn every_reserved_name_gets_a_suggestion_whose_accessors_compile_cleanly() {
        let reserved = items::is_reserved;
        for item in items::INHERENT {
            let name = item.name.to_lowercase();
            for per_block in [false, true] {
                let suggestion =
                    rename_suggestion(&name, per_block, std::slice::from_ref(&name), reserved);
                let ident = Ident::new(&suggestion, proc_macro2::Span::call_site());
                for accessor in accessor_names(&ident) {
                    let accessor = accessor.to_string();
                    assert!(is_clean_snake_case(&accessor), "{name} -> {accessor}");
                    assert!(!items::is_reserved(&accessor), "{name} -> {accessor}");
                }
            }
        }
        assert_eq!(
            rename_suggestion("len", false, &["len".into()], reserved),
            "len_value"
        );
        assert_eq!(
            rename_suggestion("len", false, &["len".into(), "len_value".into()], reserved),
            "len_field"
        );
    }
}
