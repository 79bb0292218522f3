//! The row views: `TripleRef<'a>` and `TripleRefMut<'a>` (one row as references into a block,
//! each with `to_row()`) and `TripleLanesMut<'a>` (every lane array of a block, mutably, at once).
//! Each is a struct under a hidden name (`__SoaTripleRef`) and an alias with the public name,
//! which generated code never spells (see `names.rs`).

use proc_macro2::TokenStream;
use quote::quote;
use syn::Ident;

use crate::generics::{args_with, params_with};
use crate::names::{alias_params, Names, View};
use crate::soa::context::{label, Block};

/// `TripleRef<'a>`, `TripleRefMut<'a>` (one row as references into a block) and
/// `TripleLanesMut<'a>` (every lane array of a block, mutably, at once).
pub(crate) fn views(b: &Block) -> TokenStream {
    let input = b.input;
    let (vis, row_ident) = (input.vis, input.ident);
    let lifetime = &b.view_lifetime;
    let params = params_with(input.generics, lifetime);
    let decl_where = &input.generics.where_clause;
    let Names {
        block,
        row_ref,
        row_mut,
        lanes_mut,
        ..
    } = &b.names;
    let lanes_lit = &b.lanes_lit;
    let field = |mutable_lane: bool, whole_lanes: bool| {
        let fields = input.fields.iter().map(move |field| {
            let (name, ty, field_vis) = (&field.name, field.ty, field.vis);
            let ty = if field.is_per_block() || !whole_lanes {
                quote!(#ty)
            } else {
                quote!([#ty; #lanes_lit])
            };
            let reference = if mutable_lane && (!field.is_per_block() || whole_lanes) {
                quote!(&#lifetime mut #ty)
            } else {
                quote!(&#lifetime #ty)
            };
            let doc = format!("{} of the row.", capitalized(&label(field)));
            quote!(#[doc = #doc] #field_vis #name: #reference)
        });
        quote!(#(#fields,)*)
    };
    let (ref_fields, mut_fields, lanes_fields) =
        (field(false, false), field(true, false), field(true, true));
    let doc_ref =
        format!("One row of a [`{block}`], as a reference to each of its fields: from `get_ref`.");
    let doc_mut = format!(
        "One row of a [`{block}`], as a mutable reference to each lane field (and a shared one \
         to each per-block field): from `get_mut` and `iter_mut`."
    );
    let doc_lanes = format!(
        "Every lane array of a [`{block}`], mutably, at once (and its per-block fields): from \
         `lanes_mut`, for kernels that read some columns while writing others."
    );
    let (impl_generics, where_clause) = (&params, &b.where_clause);
    let to_row = |name: &Ident| {
        let view = b.view_ty(name);
        let members = input.fields.iter().map(|field| {
            let (member, name) = (&field.member, &field.name);
            quote!(#member: ::core::clone::Clone::clone(self.#name))
        });
        let (row, row_turbofish) = (&b.row, b.row_turbofish());
        let doc = "The row, copied out of the block.";
        quote! {
            impl #impl_generics #view #where_clause {
                #[doc = #doc]
                #[inline]
                #vis fn to_row(&self) -> #row {
                    #row_ident #row_turbofish { #(#members,)* }
                }
            }
        }
    };
    let (ref_to_row, mut_to_row) = (to_row(&row_ref.hidden), to_row(&row_mut.hidden));
    let alias_params = alias_params(input.generics);
    let args = args_with(input.generics, lifetime);
    let alias = |view: &View, doc: &str| {
        let (public, hidden) = (&view.public, &view.hidden);
        let hidden_doc = format!("The struct behind [`{public}`], which names it.");
        quote! {
            #[doc = #doc]
            #vis type #public<#lifetime, #(#alias_params),*> = #hidden #args;
            #[doc = #hidden_doc]
            #[doc = ""]
            #[doc = #doc]
            // Reached through the alias, the struct counts as used, so a view whose fields the
            // user never reads would warn, on the row's own fields.
            #[allow(dead_code)]
        }
    };
    let (ref_alias, mut_alias, lanes_alias) = (
        alias(row_ref, &doc_ref),
        alias(row_mut, &doc_mut),
        alias(lanes_mut, &doc_lanes),
    );
    let (row_ref, row_mut, lanes_mut) = (&row_ref.hidden, &row_mut.hidden, &lanes_mut.hidden);
    quote! {
        #ref_alias
        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #row_ref #params #decl_where {
            #ref_fields
        }

        #mut_alias
        #vis struct #row_mut #params #decl_where {
            #mut_fields
        }

        #lanes_alias
        #vis struct #lanes_mut #params #decl_where {
            #lanes_fields
        }

        const _: () = {
            #ref_to_row
            #mut_to_row
        };
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
