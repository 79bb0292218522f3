//! What the derive emits when the input has no fields to split into lanes (an enum, a union, a
//! struct without fields): the errors, plus a placeholder block type with the names the user's
//! code will mention (`TripleLanes`, `TripleLanes::pool`, the guard aliases), so the build
//! reports the one real mistake rather than a cascade of "cannot find type" errors after it.

use proc_macro2::TokenStream;
use quote::quote;
use syn::DeriveInput;

use crate::names::aliases;
use crate::soa::settings::Settings;

pub(crate) fn expand(node: &DeriveInput, settings: &Settings, errors: TokenStream) -> TokenStream {
    let names = &settings.names;
    let block = &names.block;
    let row = &node.ident;
    let vis = &node.vis;
    let krate = &settings.krate;
    let private = quote!(#krate::__private);
    let lanes = proc_macro2::Literal::usize_unsuffixed(settings.lanes);
    let generics = &node.generics;
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let aliases = aliases(generics, vis, names, &quote!(#ty_generics), &private);
    let doc = format!("Placeholder: `#[derive(SoA)]` on `{row}` failed; see its error.");
    quote! {
        #errors

        #[doc = #doc]
        #vis struct #block #generics #where_clause {
            __soa_invalid: ::core::marker::PhantomData<fn() -> #row #ty_generics>,
        }

        #aliases

        const _: () = {
            impl #impl_generics #block #ty_generics #where_clause {
                /// Placeholder.
                pub const LANES: usize = #lanes;

                /// Placeholder.
                pub fn new() -> Self {
                    Self { __soa_invalid: ::core::marker::PhantomData }
                }

                /// Placeholder.
                pub fn pool(capacity: usize) -> #private::Pool<Self> {
                    #private::Pool::with_default(capacity)
                }

                /// Placeholder.
                pub fn sync_pool(capacity: usize) -> #private::SyncPool<Self>
                where
                    Self: 'static,
                {
                    #private::SyncPool::with_default(capacity)
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::default::Default for #block #ty_generics #where_clause {
                fn default() -> Self {
                    Self::new()
                }
            }

            #[automatically_derived]
            impl #impl_generics #private::Lanes for #block #ty_generics #where_clause {
                const LANES: usize = #lanes;
            }

            #[automatically_derived]
            impl #impl_generics #private::Reset for #block #ty_generics #where_clause {
                fn reset(&mut self) {}
            }
        };
    }
}
