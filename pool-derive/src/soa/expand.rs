//! Writes the block type for a checked [`Input`]: the context every generated item needs
//! ([`Block`]), the storage, the row views, and one function per trait impl. The block's
//! inherent items are `items.rs`'s table. `examples/soa_expanded.rs` in the lanepool repository
//! is the output for a three-field struct, checked against this code by a test.
//!
//! Hygiene: every path is absolute (`::core::...`, or the runtime through
//! `<crate>::__private`), locals are `__`-prefixed, and everything that need not be nameable
//! (impls, assertions) sits inside `const _: () = { ... };`.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{Ident, Lifetime, Type};

use crate::generics::{
    args_with, fresh_lifetime, mentions, own_predicates, param_names, params_with, show,
};
use crate::names::{self, Names};
use crate::soa::ast::{Field, Input};
use crate::soa::attr::ResetMode;
use crate::soa::items;
use crate::soa::valid::{self, Settings};

/// What every generated item needs, computed once.
pub(crate) struct Block<'a> {
    pub input: &'a Input<'a>,
    pub settings: &'a Settings,
    pub names: Names,
    /// `<crate>::__private`: the runtime, as the generated code reaches it.
    pub private: TokenStream,
    pub lanes: usize,
    pub lanes_lit: Literal,
    pub align_lit: Literal,
    /// The row type with its generic arguments: `Triple`, `Pair<T>`.
    pub row: TokenStream,
    pub impl_generics: TokenStream,
    pub ty_generics: TokenStream,
    /// `where` and the bounded predicates.
    pub where_clause: TokenStream,
    /// The bounded predicates alone, each followed by a comma.
    pub predicates: TokenStream,
    /// The occupancy field: `len`, or `__soa_len` if a row field is named `len`.
    pub len_field: Ident,
    pub lane_fields: Vec<&'a Field<'a>>,
    pub block_fields: Vec<&'a Field<'a>>,
    /// The lifetime parameter of the row views and `LanesMut`.
    pub view_lifetime: Lifetime,
    /// The layout checks `new()` runs for a generic struct (they depend on the type arguments);
    /// empty otherwise.
    pub generic_checks: TokenStream,
}

/// The marker field that starts the lanes on an `align` boundary after a header.
const LANES_START: &str = "__soa_lanes_start";

impl<'a> Block<'a> {
    fn new(input: &'a Input<'a>, settings: &'a Settings) -> Self {
        let krate = &settings.krate;
        let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
        let predicates = bounded_predicates(input);
        let ident = input.ident;
        let (block_fields, lane_fields) =
            input.fields.iter().partition(|field| field.is_per_block());
        Block {
            input,
            settings,
            names: Names::new(input.ident),
            private: quote!(#krate::__private),
            lanes: settings.lanes,
            lanes_lit: Literal::usize_unsuffixed(settings.lanes),
            align_lit: Literal::usize_unsuffixed(settings.align),
            row: quote!(#ident #ty_generics),
            impl_generics: impl_generics.to_token_stream(),
            ty_generics: ty_generics.to_token_stream(),
            where_clause: quote!(where #predicates),
            predicates,
            // That field already failed validation (its accessor `len()` clashes), but the
            // expansion beside the error must still compile.
            len_field: if input.fields.iter().any(|field| field.name == "len") {
                format_ident!("__soa_len")
            } else {
                format_ident!("len")
            },
            lane_fields,
            block_fields,
            view_lifetime: fresh_lifetime(input.generics, "soa"),
            generic_checks: TokenStream::new(),
        }
    }

    /// The block type with its generic arguments: `TripleLanes`, `PairLanes<T>`.
    pub(crate) fn block_ty(&self) -> TokenStream {
        let (block, ty_generics) = (&self.names.block, &self.ty_generics);
        quote!(#block #ty_generics)
    }

    /// A view type with the view lifetime and the struct's generic arguments.
    pub(crate) fn view_ty(&self, name: &Ident) -> TokenStream {
        let args = args_with(self.input.generics, &self.view_lifetime);
        quote!(#name #args)
    }

    /// A view type borrowing for an elided lifetime: `TripleRef<'_>`.
    pub(crate) fn view_ty_elided(&self, name: &Ident) -> TokenStream {
        let args = args_with(self.input.generics, &Lifetime::new("'_", Span::call_site()));
        quote!(#name #args)
    }

    fn has_header(&self) -> bool {
        !self.block_fields.is_empty()
    }

    /// Every storage field, in declaration order.
    fn storage_fields(&self) -> Vec<Ident> {
        let lanes = self.lane_fields.iter().map(|field| field.name.clone());
        let block = self.block_fields.iter().map(|field| field.name.clone());
        let len = core::iter::once(self.len_field.clone());
        if self.has_header() {
            block
                .chain(len)
                .chain(core::iter::once(format_ident!("{}", LANES_START)))
                .chain(lanes)
                .collect()
        } else {
            lanes.chain(len).collect()
        }
    }

    /// `Self { s: __soa_s, p: __soa_p, .. }`: binds each field of `self` separately, so several
    /// can be borrowed mutably at once.
    pub(crate) fn split_self(&self) -> TokenStream {
        let bindings = self.input.fields.iter().map(|field| {
            let (name, binding) = (&field.name, binding(field));
            quote!(#name: #binding)
        });
        quote!(let Self { #(#bindings,)* .. } = self;)
    }

    /// `TripleRef { s: <lane expr>, p: <block expr> }`, for a view built from [`split_self`].
    pub(crate) fn view_literal(
        &self,
        name: &Ident,
        lane: impl Fn(&Ident) -> TokenStream,
        block: impl Fn(&Ident) -> TokenStream,
    ) -> TokenStream {
        let fields = self.input.fields.iter().map(|field| {
            let (name, binding) = (&field.name, binding(field));
            let value = if field.is_per_block() {
                block(&binding)
            } else {
                lane(&binding)
            };
            quote!(#name: #value)
        });
        quote!(#name { #(#fields,)* })
    }
}

/// The `__soa_`-prefixed local a field is bound to, by position (so `_x` and `x`, or a tuple
/// field `_0`, never collide or trip the snake-case lint).
pub(crate) fn binding(field: &Field) -> Ident {
    format_ident!("__soa_{}", field.index)
}

pub(crate) fn expand(input: &Input, settings: &Settings) -> TokenStream {
    let mut block = Block::new(input, settings);
    let storage = storage(&block);
    let aliases = names::aliases(
        input.generics,
        input.vis,
        &block.names,
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

/// The block struct: lane arrays and the length, or, with per-block fields, a header (those
/// fields and the length) and the lanes from the next `align` boundary on.
fn storage(b: &Block) -> TokenStream {
    let input = b.input;
    let (vis, generics) = (input.vis, input.generics);
    let decl_where = &generics.where_clause;
    let (block, row, lanes, lanes_lit, private) = (
        &b.names.block,
        input.ident,
        b.lanes,
        &b.lanes_lit,
        &b.private,
    );
    let len_field = &b.len_field;
    let lane_names = b.lane_fields.iter().map(|field| &field.name);
    let lane_types = b.lane_fields.iter().map(|field| field.ty);
    let fields = if b.has_header() {
        let block_names = b.block_fields.iter().map(|field| &field.name);
        let block_types = b.block_fields.iter().map(|field| field.ty);
        let marker = format_ident!("Align{}", b.settings.align);
        let lanes_start = format_ident!("{}", LANES_START);
        quote! {
            #( #block_names: #block_types, )*
            #len_field: usize,
            #lanes_start: [#private::align::#marker; 0],
            #( #lane_names: [#lane_types; #lanes_lit], )*
        }
    } else {
        quote! {
            #( #lane_names: [#lane_types; #lanes_lit], )*
            #len_field: usize,
        }
    };
    let header_doc = if b.has_header() {
        format!(
            " Per-block fields ({}) are stored once, in a header beside the length, and every \
             active row has the block's value for them; the lanes start on the next {} byte \
             boundary.",
            b.block_fields
                .iter()
                .map(|field| format!("`{}`", field.name.unraw()))
                .collect::<Vec<_>>()
                .join(", "),
            b.settings.align,
        )
    } else {
        String::new()
    };
    let doc = format!(
        "Up to {lanes} [`{row}`] rows stored column-wise (Structure of Arrays): one `[F; {lanes}]` \
         array per field of `{row}`, the block aligned to {align} bytes.{header_doc}\n\n\
         The active rows are always lanes `0..len()`. Per field, `name()` gives the active lanes \
         and `name_lanes()` all {lanes}, for branchless kernels that mask the result with \
         [`active_mask`](Self::active_mask).\n\n\
         Generated by `#[derive(SoA)]` on [`{row}`]. Build blocks with [`new`](Self::new), or \
         a pool of them with [`pool`](Self::pool) or [`sync_pool`](Self::sync_pool); a block \
         returned to its pool is {reset}.",
        align = b.settings.align,
        reset = match b.settings.reset {
            ResetMode::Clear => "cleared in O(1) (its lanes keep their stale values)",
            ResetMode::Zero => "cleared and every lane set back to its field's default",
        },
    );
    let align = &b.align_lit;
    let derives = b
        .settings
        .derives
        .iter()
        .map(|derive| quote!(#[derive(#derive)]));
    let forwarded = b.settings.forwarded.iter().map(|attr| quote!(#[#attr]));
    quote! {
        #[doc = #doc]
        #[repr(C, align(#align))]
        #(#derives)*
        #(#forwarded)*
        #vis struct #block #generics #decl_where {
            #fields
        }
    }
}

/// `TripleRef<'a>`, `TripleRefMut<'a>` (one row as references into a block) and
/// `TripleLanesMut<'a>` (every lane array of a block, mutably, at once).
fn views(b: &Block) -> TokenStream {
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
        let row = &b.row;
        let row_turbofish = {
            let (_, ty_generics, _) = input.generics.split_for_impl();
            ty_generics.as_turbofish().to_token_stream()
        };
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
    let (ref_to_row, mut_to_row) = (to_row(row_ref), to_row(row_mut));
    quote! {
        #[doc = #doc_ref]
        #[derive(::core::clone::Clone, ::core::marker::Copy)]
        #vis struct #row_ref #params #decl_where {
            #ref_fields
        }

        #[doc = #doc_mut]
        #vis struct #row_mut #params #decl_where {
            #mut_fields
        }

        #[doc = #doc_lanes]
        #vis struct #lanes_mut #params #decl_where {
            #lanes_fields
        }

        const _: () = {
            #ref_to_row
            #mut_to_row
        };
    }
}

/// The trait impls, one function each, in the order they are emitted.
const TRAIT_IMPLS: &[fn(&Block) -> TokenStream] = &[
    default_impl,
    build_in_place_impl,
    clone_impl,
    debug_impl,
    partial_eq_impl,
    lanes_impl,
    reset_impl,
    lane_block_impl,
    into_iterator_impl,
    try_from_impl,
    serialize_impl,
];

fn default_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::default::Default for #block #where_clause {
            /// An empty block, as [`new`](Self::new).
            #[inline]
            fn default() -> Self {
                Self::new()
            }
        }
    }
}

/// pool-core's `BuildInPlace`, through its macro (the `unsafe` lives there): the pools build
/// each block where it lives, lane by lane, so a block of any size never sits on the stack.
fn build_in_place_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, predicates) = (&b.impl_generics, b.block_ty(), &b.predicates);
    let (private, lanes_lit, len_field) = (&b.private, &b.lanes_lit, &b.len_field);
    let lanes = b.lane_fields.iter().map(|field| {
        let (name, ty) = (&field.name, field.ty);
        let init = fill(ty, private);
        quote!(#name: [#ty; #lanes_lit] = #init,)
    });
    let block_fields = b.block_fields.iter().map(|field| {
        let (name, ty) = (&field.name, field.ty);
        let init = fill(ty, private);
        quote!(#name: #ty = #init,)
    });
    let marker = if b.has_header() {
        let (lanes_start, align) = (
            format_ident!("{}", LANES_START),
            format_ident!("Align{}", b.settings.align),
        );
        quote!(#lanes_start: [#private::align::#align; 0] = [],)
    } else {
        quote!()
    };
    quote! {
        #private::soa_build_in_place! {
            impl [#impl_generics] for [#block] where [#predicates] {
                lanes { #(#lanes)* }
                fields { #(#block_fields)* #len_field: usize = 0, #marker }
            }
        }
    }
}

/// Field by field: every field is `Copy`, but the block is not (it is large, and copies of it
/// should be deliberate).
fn clone_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    let fields = b.storage_fields();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::clone::Clone for #block #where_clause {
            #[inline]
            fn clone(&self) -> Self {
                Self { #( #fields: ::core::clone::Clone::clone(&self.#fields), )* }
            }
        }
    }
}

fn debug_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    let (private, row) = (&b.private, &b.row);
    let name = b.names.block.to_string();
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::fmt::Debug for #block #where_clause
            // Not a trivial bound, so a row without `Debug` just leaves the block without it.
            for<'__soa> #row: ::core::fmt::Debug,
        {
            /// The length and the active rows; inactive lanes are not shown.
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #private::fmt_block(self, #name, __f)
            }
        }
    }
}

/// Equal when the active rows are: inactive lanes are unobservable, so they are not compared.
fn partial_eq_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    let (private, row) = (&b.private, &b.row);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::cmp::PartialEq for #block #where_clause
            for<'__soa> #row: ::core::cmp::PartialEq,
        {
            /// The same active rows, in the same lanes; inactive lanes are not compared.
            #[inline]
            fn eq(&self, __other: &Self) -> bool {
                #private::rows_eq(self, __other)
            }
        }

        #[automatically_derived]
        impl #impl_generics ::core::cmp::Eq for #block #where_clause
            for<'__soa> #row: ::core::cmp::Eq,
        {
        }
    }
}

fn lanes_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    let (private, lanes_lit) = (&b.private, &b.lanes_lit);
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Lanes for #block #where_clause {
            const LANES: usize = #lanes_lit;
        }
    }
}

fn reset_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    let (private, len_field) = (&b.private, &b.len_field);
    let (body, doc) = match b.settings.reset {
        ResetMode::Clear => (
            quote!(self.#len_field = 0;),
            "Deactivates every row in O(1); the lanes keep their stale values.",
        ),
        ResetMode::Zero => (
            {
                // Lane by lane, so a large block is never rebuilt on the stack.
                let private = &b.private;
                let lanes = b.lane_fields.iter().map(|field| {
                    let (name, init) = (&field.name, fill(field.ty, private));
                    quote!(for __lane in &mut self.#name { *__lane = #init; })
                });
                let block_fields = b.block_fields.iter().map(|field| {
                    let (name, init) = (&field.name, fill(field.ty, private));
                    quote!(self.#name = #init;)
                });
                quote! {
                    #(#lanes)*
                    #(#block_fields)*
                    self.#len_field = 0;
                }
            },
            "Sets every lane of every field back to its default, and the length to 0 \
             (`#[soa(reset = \"zero\")]`).",
        ),
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::Reset for #block #where_clause {
            #[doc = #doc]
            #[inline]
            fn reset(&mut self) {
                #body
            }
        }
    }
}

/// The storage access pool-core builds every row operation on.
fn lane_block_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, where_clause) = (&b.impl_generics, b.block_ty(), &b.where_clause);
    let (private, row, len_field, lanes_lit) = (&b.private, &b.row, &b.len_field, &b.lanes_lit);
    let row_ident = b.input.ident;
    let row_turbofish = {
        let (_, ty_generics, _) = b.input.generics.split_for_impl();
        ty_generics.as_turbofish().to_token_stream()
    };
    let lane_names = b
        .lane_fields
        .iter()
        .map(|field| &field.name)
        .collect::<Vec<_>>();
    let lane_members = b
        .lane_fields
        .iter()
        .map(|field| &field.member)
        .collect::<Vec<_>>();
    let block_names = b
        .block_fields
        .iter()
        .map(|field| &field.name)
        .collect::<Vec<_>>();
    let block_members = b
        .block_fields
        .iter()
        .map(|field| &field.member)
        .collect::<Vec<_>>();
    let shares_block_fields = if b.has_header() {
        let compares = b.block_fields.iter().map(|field| {
            let (ty, name, member) = (field.ty, &field.name, &field.member);
            quote_spanned! {ty.span()=>
                #private::same_block_value::<#ty>(&self.#name, &__row.#member)
            }
        });
        quote! {
            #[inline]
            fn shares_block_fields(&self, __row: &#row) -> bool {
                #( #compares )&&*
            }
        }
    } else {
        quote!()
    };
    quote! {
        #[automatically_derived]
        impl #impl_generics #private::LaneBlock for #block #where_clause {
            type Row = #row;

            #[inline]
            fn len(&self) -> usize {
                self.#len_field
            }

            #[inline]
            fn set_len(&mut self, __len: usize) {
                self.#len_field = #private::checked_len(__len, #lanes_lit);
            }

            #[inline]
            fn read_lane(&self, __lane: usize) -> #row {
                #row_ident #row_turbofish {
                    #( #block_members: ::core::clone::Clone::clone(&self.#block_names), )*
                    #( #lane_members: ::core::clone::Clone::clone(&self.#lane_names[__lane]), )*
                }
            }

            #[inline]
            fn write_lane(&mut self, __lane: usize, __row: &#row) {
                #( self.#block_names = ::core::clone::Clone::clone(&__row.#block_members); )*
                #( self.#lane_names[__lane] = ::core::clone::Clone::clone(&__row.#lane_members); )*
            }

            #shares_block_fields
        }
    }
}

fn into_iterator_impl(b: &Block) -> TokenStream {
    let (block, where_clause) = (b.block_ty(), &b.where_clause);
    let (private, row) = (&b.private, &b.row);
    let lifetime = Lifetime::new("'__soa_iter", Span::call_site());
    let impl_generics = params_with(b.input.generics, &lifetime);
    let block_name = &b.names.block;
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::iter::IntoIterator for &#lifetime #block #where_clause {
            type Item = #row;
            type IntoIter = #private::LaneIter<#lifetime, #block>;

            #[inline]
            fn into_iter(self) -> Self::IntoIter {
                #block_name::iter(self)
            }
        }
    }
}

fn try_from_impl(b: &Block) -> TokenStream {
    let (block, where_clause) = (b.block_ty(), &b.where_clause);
    let (private, row) = (&b.private, &b.row);
    let lifetime = Lifetime::new("'__soa_rows", Span::call_site());
    let impl_generics = params_with(b.input.generics, &lifetime);
    quote! {
        #[automatically_derived]
        impl #impl_generics ::core::convert::TryFrom<&#lifetime [#row]> for #block #where_clause {
            type Error = #private::LaneError;

            /// A block holding `rows`, in order.
            ///
            /// # Errors
            ///
            /// `LaneError::TooManyRows` when there are more rows than lanes, and
            /// `LaneError::BlockFieldMismatch` when rows differ in a per-block field.
            #[inline]
            fn try_from(__rows: &#lifetime [#row]) -> ::core::result::Result<Self, Self::Error> {
                #private::block_from_rows(__rows)
            }
        }
    }
}

/// `serde::Serialize` (the active rows, as a sequence), when lanepool's `serde` feature is on:
/// pool-core's macro decides, so the output does not depend on which features the user enabled.
fn serialize_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, predicates) = (&b.impl_generics, b.block_ty(), &b.predicates);
    let (private, row) = (&b.private, &b.row);
    quote! {
        #private::soa_serialize! {
            impl [#impl_generics] for [#block] row [#row] where [#predicates]
        }
    }
}

/// `s()`, `s_mut()`, `s_lanes()`, `s_lanes_mut()` for one field, with the field's visibility.
fn accessors(field: &Field, len_field: &Ident, lanes: usize) -> TokenStream {
    let [active, active_mut, all, all_mut] = valid::accessor_names(&field.name);
    let (name, ty, vis) = (&field.name, field.ty, field.vis);
    let lanes_lit = Literal::usize_unsuffixed(lanes);
    let label = label(field);
    let doc_active =
        format!("The active lanes of {label}: one value per active row, `len()` long.");
    let doc_active_mut = format!("The active lanes of {label}, mutably.");
    let doc_all = format!(
        "All {lanes} lanes of {label}, active or not, for branchless kernels: compute over every \
         lane, then keep the results whose bit is set in [`active_mask`](Self::active_mask)."
    );
    let doc_all_mut =
        format!("All {lanes} lanes of {label}, mutably. Writing a lane does not make it active.");
    quote! {
        #[doc = #doc_active]
        #[inline]
        #vis fn #active(&self) -> &[#ty] {
            &self.#name[..self.#len_field]
        }

        #[doc = #doc_active_mut]
        #[inline]
        #vis fn #active_mut(&mut self) -> &mut [#ty] {
            &mut self.#name[..self.#len_field]
        }

        #[doc = #doc_all]
        #[inline]
        #vis fn #all(&self) -> &[#ty; #lanes_lit] {
            &self.#name
        }

        #[doc = #doc_all_mut]
        #[inline]
        #vis fn #all_mut(&mut self) -> &mut [#ty; #lanes_lit] {
            &mut self.#name
        }
    }
}

/// `p()` and `p_mut()` for a per-block field, with the field's visibility.
fn block_accessors(field: &Field) -> TokenStream {
    let [shared, shared_mut] = valid::block_accessor_names(&field.name);
    let (name, ty, vis) = (&field.name, field.ty, field.vis);
    let label = label(field);
    let doc = format!(
        "The block's value of per-block {label} (`#[soa(per_block)]`), shared by every active \
         row; set by the first row pushed into an empty block (stale while the block is empty)."
    );
    let doc_mut = format!(
        "The block's value of per-block {label}, mutably: writing it changes that field for \
         every active row at once."
    );
    quote! {
        #[doc = #doc]
        #[inline]
        #vis fn #shared(&self) -> &#ty {
            &self.#name
        }

        #[doc = #doc_mut]
        #[inline]
        #vis fn #shared_mut(&mut self) -> &mut #ty {
            &mut self.#name
        }
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// "field `s`" or "tuple field `0`", for docs.
fn label(field: &Field) -> String {
    match &field.member {
        syn::Member::Named(ident) => format!("field `{}`", ident.unraw()),
        syn::Member::Unnamed(index) => format!("tuple field `{}`", index.index),
    }
}

/// The initial value of each field, in declaration order of the storage.
pub(crate) fn initial_fields(b: &Block) -> TokenStream {
    let private = &b.private;
    let len_field = &b.len_field;
    let lane_names = b.lane_fields.iter().map(|field| &field.name);
    let lane_fills = b.lane_fields.iter().map(|field| fill(field.ty, private));
    if b.has_header() {
        let block_names = b.block_fields.iter().map(|field| &field.name);
        let block_fills = b.block_fields.iter().map(|field| fill(field.ty, private));
        let lanes_start = format_ident!("{}", LANES_START);
        quote! {
            #( #block_names: #block_fills, )*
            #len_field: 0,
            #lanes_start: [],
            #( #lane_names: ::core::array::from_fn(|_| #lane_fills), )*
        }
    } else {
        quote! {
            #( #lane_names: ::core::array::from_fn(|_| #lane_fills), )*
            #len_field: 0,
        }
    }
}

/// The compile-time checks: each concrete field type is `Copy` (an error spanned on the type),
/// no field needs more alignment than `align`, and the block has the promised layout.
///
/// For a generic struct these run per instantiation, from `new()`, since alignment depends on
/// the type arguments; otherwise they run once, as a free constant.
fn checks(
    input: &Input,
    settings: &Settings,
    private: &TokenStream,
    block: &Ident,
    ty_generics: &TokenStream,
) -> TokenStream {
    let params = param_names(input.generics);
    let align = settings.align;
    let align_lit = proc_macro2::Literal::usize_unsuffixed(align);
    let copy_checks = input
        .fields
        .iter()
        .filter(|field| !mentions(field.ty, &params))
        .map(|field| {
            let ty = field.ty;
            quote_spanned!(ty.span()=> #private::assert_lane_field::<#ty>();)
        });
    let align_checks = input.fields.iter().map(|field| {
        let ty = field.ty;
        let shown = show(ty);
        let field_name = match &field.member {
            syn::Member::Named(ident) => ident.unraw().to_string(),
            syn::Member::Unnamed(index) => index.index.to_string(),
        };
        let message = if settings.align_explicit {
            format!(
                "#[soa(align = {align})] is below the alignment of field `{field_name}` \
                 (`{shown}`): raise `align` to at least `core::mem::align_of::<{shown}>()`"
            )
        } else {
            format!(
                "#[derive(SoA)] aligns blocks to {align} bytes by default, below the alignment \
                 of field `{field_name}` (`{shown}`): add `#[soa(align = N)]` with N at least \
                 `core::mem::align_of::<{shown}>()`"
            )
        };
        quote_spanned! {ty.span()=>
            ::core::assert!(::core::mem::align_of::<#ty>() <= #align_lit, #message);
        }
    });
    let layout_message = format!(
        "`{block}` does not have the layout #[soa(align = {align})] promises: its alignment must \
         be exactly {align} and its size a multiple of {align}"
    );
    let layout = quote! {
        #(#align_checks)*
        ::core::assert!(
            #private::layout_matches(
                ::core::mem::size_of::<#block #ty_generics>(),
                ::core::mem::align_of::<#block #ty_generics>(),
                #align_lit,
            ),
            #layout_message
        );
    };
    if input.generics.params.is_empty() {
        quote! {
            const _: () = {
                #(#copy_checks)*
                #layout
            };
        }
    } else {
        // Concrete field types are still checked once; the rest waits for the type arguments.
        quote! {
            const _: () = {
                #(#copy_checks)*
            };
            const {
                #layout
            }
        }
    }
}

/// The impls' where-clause predicates, each followed by a comma: the struct's own, plus `Copy`
/// for every field type that mentions a generic parameter and `Default` for each part of it that
/// initialises lanes.
fn bounded_predicates(input: &Input) -> TokenStream {
    let own = own_predicates(input.generics);
    let params = param_names(input.generics);
    let mut added = Vec::new();
    for field in input
        .fields
        .iter()
        .filter(|field| mentions(field.ty, &params))
    {
        let ty = field.ty;
        added.push(quote!(#ty: ::core::marker::Copy));
        if field.is_per_block() {
            added.push(quote!(#ty: ::core::cmp::PartialEq));
        }
        for leaf in leaves(ty)
            .into_iter()
            .filter(|leaf| mentions(leaf, &params))
        {
            added.push(quote!(#leaf: ::core::default::Default));
        }
    }
    quote!(#own #(#added,)*)
}

/// The initial value of a field's lanes. Arrays and tuples are built element by element, so
/// `[u8; 64]` works although only arrays up to 32 long implement `Default`.
fn fill(ty: &Type, private: &TokenStream) -> TokenStream {
    match ty {
        Type::Array(array) => {
            let element = fill(&array.elem, private);
            quote!(::core::array::from_fn(|_| #element))
        }
        Type::Tuple(tuple) => {
            let elements = tuple.elems.iter().map(|element| fill(element, private));
            quote!(( #(#elements,)* ))
        }
        Type::Paren(paren) => fill(&paren.elem, private),
        Type::Group(group) => fill(&group.elem, private),
        _ => quote_spanned!(ty.span()=> #private::lane_default::<#ty>()),
    }
}

/// The types [`fill`] asks for `Default`.
fn leaves(ty: &Type) -> Vec<&Type> {
    match ty {
        Type::Array(array) => leaves(&array.elem),
        Type::Tuple(tuple) => tuple.elems.iter().flat_map(leaves).collect(),
        Type::Paren(paren) => leaves(&paren.elem),
        Type::Group(group) => leaves(&group.elem),
        _ => vec![ty],
    }
}
