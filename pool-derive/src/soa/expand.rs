//! Assembles the expansion for a checked [`Input`]: the block struct (`storage.rs`), the guard
//! aliases, the row views (`views.rs`), then, inside one `const _: () = { ... };`, the
//! compile-time checks (`checks.rs`), the inherent impl (`items.rs`'s table and `accessors.rs`)
//! and the trait impls (`impls.rs`'s table), all over one [`Block`] context (`context.rs`).
//! `examples/soa_expanded.rs` in the lanepool repository is the output for a three-field struct,
//! checked against this code by a test.
//!
//! Hygiene: every path is absolute (`::core::...`, or the runtime through
//! `<crate>::__private`), locals are `__`-prefixed, and everything that need not be nameable
//! (impls, assertions) sits inside `const _: () = { ... };`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::names;
use crate::soa::accessors::{accessors, block_accessors};
use crate::soa::ast::Input;
use crate::soa::checks::checks;
use crate::soa::context::Block;
use crate::soa::impls::TRAIT_IMPLS;
use crate::soa::items;
use crate::soa::settings::Settings;
use crate::soa::storage::storage;
use crate::soa::views::views;

pub(crate) fn expand(input: &Input, settings: &Settings) -> TokenStream {
    let mut block = Block::new(input, settings);
    let storage = storage(&block);
    let aliases = names::aliases(
        input.generics,
        input.vis,
        block.names,
        &block.ty_generics,
        &block.private,
    );
    let views = views(&block);
    let checks = checks(
        input,
        settings,
        &block.private,
        &block.names.block,
        &block.ty_generics,
    );
    let static_checks = if input.generics.params.is_empty() {
        checks
    } else {
        block.generic_checks = checks;
        quote!()
    };
    let items = items::INHERENT.iter().map(|item| (item.expand)(&block));
    let accessors = input
        .fields
        .iter()
        .filter(|field| field.accessors)
        .map(|field| {
            if field.is_per_block() {
                block_accessors(field)
            } else {
                accessors(field, &block.len_field, block.lanes)
            }
        });
    let impls = TRAIT_IMPLS.iter().map(|impl_fn| impl_fn(&block));
    let block_name = &block.names.block;
    let (impl_generics, ty_generics, where_clause) = (
        &block.impl_generics,
        &block.ty_generics,
        &block.where_clause,
    );
    quote! {
        #storage

        #aliases

        #views

        const _: () = {
            #static_checks

            // No `#[automatically_derived]` here: rustc is phasing it out on inherent impls.
            impl #impl_generics #block_name #ty_generics #where_clause {
                #(#items)*

                #(#accessors)*
            }

            #(#impls)*
        };
    }
}
