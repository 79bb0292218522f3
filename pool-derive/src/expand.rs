//! Writes the block type for a checked [`Input`]. `examples/soa_expanded.rs` in the lanepool
//! repository shows the output for a three-field struct.
//!
//! Hygiene: every path is absolute (`::core::...`, or the runtime through
//! `<crate>::__private`), locals are `__`-prefixed, and everything that need not be nameable
//! (impls, assertions) sits inside `const _: () = { ... };`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{DeriveInput, GenericParam, Generics, Ident, Lifetime, Type};

use crate::ast::{self, Field, Input};
use crate::attr::ResetMode;
use crate::ctxt::Ctxt;
use crate::fallback;
use crate::valid::{self, Settings};

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
    let expanded = expand(&input, &settings);
    quote! {
        #errors
        #expanded
    }
}

/// The names the derive adds to the user's module.
pub(crate) struct Names {
    pub block: Ident,
    pub guard: Ident,
    pub sync_guard: Ident,
    pub owned_guard: Ident,
}

impl Names {
    pub(crate) fn new(row: &Ident) -> Self {
        Names {
            block: format_ident!("{}Lanes", row),
            guard: format_ident!("{}Guard", row),
            sync_guard: format_ident!("{}SyncGuard", row),
            owned_guard: format_ident!("{}OwnedGuard", row),
        }
    }
}

fn expand(input: &Input, settings: &Settings) -> TokenStream {
    let names = Names::new(input.ident);
    let block = &names.block;
    let row = input.ident;
    let vis = input.vis;
    let krate = &settings.krate;
    let private = quote!(#krate::__private);
    let lanes = settings.lanes;
    let align = proc_macro2::Literal::usize_unsuffixed(settings.align);
    let lanes_lit = proc_macro2::Literal::usize_unsuffixed(lanes);

    let generics = input.generics;
    let (impl_generics, ty_generics, _) = generics.split_for_impl();
    let decl_where = &generics.where_clause;
    let where_clause = bounded_where_clause(input);
    let row_turbofish = ty_generics.as_turbofish();
    let is_generic = !generics.params.is_empty();

    // The occupancy field cannot be `len` if a row field is: that field already failed
    // validation (its accessor `len()` clashes), but the fallback expansion must still compile.
    let len_field = if input.fields.iter().any(|field| field.name == "len") {
        format_ident!("__soa_len")
    } else {
        format_ident!("len")
    };

    let (block_fields, lane_fields): (Vec<&Field>, Vec<&Field>) =
        input.fields.iter().partition(|field| field.is_per_block());
    let lane_names = lane_fields
        .iter()
        .map(|field| &field.name)
        .collect::<Vec<_>>();
    let lane_members = lane_fields
        .iter()
        .map(|field| &field.member)
        .collect::<Vec<_>>();
    let lane_types = lane_fields.iter().map(|field| field.ty).collect::<Vec<_>>();
    let lane_fills = lane_types
        .iter()
        .map(|ty| fill(ty, &private))
        .collect::<Vec<_>>();
    let block_names = block_fields
        .iter()
        .map(|field| &field.name)
        .collect::<Vec<_>>();
    let block_members = block_fields
        .iter()
        .map(|field| &field.member)
        .collect::<Vec<_>>();
    let block_types = block_fields
        .iter()
        .map(|field| field.ty)
        .collect::<Vec<_>>();
    let block_fills = block_types
        .iter()
        .map(|ty| fill(ty, &private))
        .collect::<Vec<_>>();

    // With per-block fields, they and the length form a header, and a zero-length array of an
    // `align`-aligned marker makes the lanes start on the next `align` boundary. Without them,
    // the lanes come first and the length last, as always.
    let has_header = !block_fields.is_empty();
    let lanes_start = format_ident!("__soa_lanes_start");
    let marker = format_ident!("Align{}", settings.align);
    let storage = if has_header {
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
    let init = if has_header {
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
    };
    let shares_block_fields = if has_header {
        let compares = block_fields.iter().map(|field| {
            let (ty, name, member) = (field.ty, &field.name, &field.member);
            quote_spanned! {ty.span()=>
                #private::same_block_value::<#ty>(&self.#name, &__row.#member)
            }
        });
        quote! {
            #[inline]
            fn shares_block_fields(&self, __row: &#row #ty_generics) -> bool {
                true #( && #compares )*
            }
        }
    } else {
        quote!()
    };

    let header_doc = if has_header {
        format!(
            " Per-block fields ({}) are stored once, in a header beside the length, and every \
             active row has the block's value for them; the lanes start on the next {} byte \
             boundary.",
            block_fields
                .iter()
                .map(|field| format!("`{}`", field.name.unraw()))
                .collect::<Vec<_>>()
                .join(", "),
            settings.align,
        )
    } else {
        String::new()
    };
    let block_doc = format!(
        "Up to {lanes} [`{row}`] rows stored column-wise (Structure of Arrays): one `[F; {lanes}]` \
         array per field of `{row}`, the block aligned to {align} bytes.{header_doc}\n\n\
         The active rows are always lanes `0..len()`. Per field, `name()` gives the active lanes \
         and `name_lanes()` all {lanes}, for branchless kernels that mask the result with \
         [`active_mask`](Self::active_mask).\n\n\
         Generated by `#[derive(SoA)]` on [`{row}`]. Build blocks with [`new`](Self::new), or \
         a pool of them with [`pool`](Self::pool) or [`sync_pool`](Self::sync_pool); a block \
         returned to its pool is {reset}.",
        align = settings.align,
        reset = match settings.reset {
            ResetMode::Clear => "cleared in O(1) (its lanes keep their stale values)",
            ResetMode::Zero => "cleared and every lane set back to its field's default",
        },
    );
    let derives = settings
        .derives
        .iter()
        .map(|derive| quote!(#[derive(#derive)]));
    let forwarded = settings.forwarded.iter().map(|attr| quote!(#[#attr]));
    let aliases = aliases(
        input.generics,
        vis,
        &names,
        &ty_generics.to_token_stream(),
        krate,
    );

    let accessors = input
        .fields
        .iter()
        .filter(|field| field.accessors)
        .map(|field| {
            if field.is_per_block() {
                block_accessors(field)
            } else {
                accessors(field, &len_field, lanes)
            }
        });
    let checks = checks(
        input,
        settings,
        &private,
        block,
        &ty_generics.to_token_stream(),
    );
    let (static_checks, new_checks) = if is_generic {
        (quote!(), checks)
    } else {
        (checks, quote!())
    };

    let reset_body = match settings.reset {
        ResetMode::Clear => quote!(self.#len_field = 0;),
        ResetMode::Zero => quote!(*self = Self::new();),
    };
    let reset_doc = match settings.reset {
        ResetMode::Clear => "Deactivates every row in O(1); the lanes keep their stale values.",
        ResetMode::Zero => {
            "Sets every lane of every field back to its default, and the length to 0 \
                            (`#[soa(reset = \"zero\")]`)."
        }
    };
    let block_name = block.to_string();
    let iter_lifetime = Lifetime::new("'__soa_iter", Span::call_site());
    let iter_impl_generics = impl_generics_with(generics, &iter_lifetime);

    quote! {
        #[doc = #block_doc]
        #[repr(C, align(#align))]
        #(#derives)*
        #(#forwarded)*
        #vis struct #block #generics #decl_where {
            #storage
        }

        #aliases

        const _: () = {
            #static_checks

            // No `#[automatically_derived]` here: rustc is phasing it out on inherent impls.
            impl #impl_generics #block #ty_generics #where_clause {
                /// How many rows one block holds (`#[soa(lanes = ...)]`).
                pub const LANES: usize = #lanes_lit;

                /// The block's alignment in bytes (`#[soa(align = ...)]`).
                pub const ALIGN: usize = #align;

                /// An empty block; every lane holds its field's default value.
                #[inline]
                #[must_use]
                pub fn new() -> Self {
                    #new_checks
                    Self {
                        #init
                    }
                }

                /// A pool of `capacity` empty blocks for one thread, all allocated now.
                ///
                /// # Panics
                ///
                /// If `capacity` exceeds the pool's maximum capacity.
                #[must_use]
                pub fn pool(capacity: usize) -> #private::Pool<Self>
                where
                    Self: 'static,
                {
                    #private::Pool::with_default(capacity)
                }

                /// A lock-free pool of `capacity` empty blocks to share between threads, all
                /// allocated now.
                ///
                /// # Panics
                ///
                /// If `capacity` exceeds the pool's maximum capacity.
                #[must_use]
                pub fn sync_pool(capacity: usize) -> #private::SyncPool<Self>
                where
                    Self: 'static,
                {
                    #private::SyncPool::with_default(capacity)
                }

                /// The number of active rows; they occupy lanes `0..len()`.
                #[inline]
                pub fn len(&self) -> usize {
                    self.#len_field
                }

                /// Whether no row is active.
                #[inline]
                pub fn is_empty(&self) -> bool {
                    self.#len_field == 0
                }

                /// Whether every lane is active, so [`push`](Self::push) would refuse.
                #[inline]
                pub fn is_full(&self) -> bool {
                    self.#len_field >= #lanes_lit
                }

                /// Appends `row` in lane `len()`.
                ///
                /// # Errors
                ///
                /// `LaneError::Full` when every lane is active; the row is not stored.
                #[inline]
                pub fn push(&mut self, row: #row #ty_generics) -> ::core::result::Result<(), #private::LaneError> {
                    <Self as #private::LaneBlock>::push(self, row)
                }

                /// The active row at `index`, or `None` when `index >= len()`.
                #[inline]
                pub fn get(&self, index: usize) -> ::core::option::Option<#row #ty_generics> {
                    <Self as #private::LaneBlock>::get(self, index)
                }

                /// Overwrites the active row at `index`.
                ///
                /// # Errors
                ///
                /// `LaneError::OutOfBounds` when `index >= len()`; nothing is written.
                #[inline]
                pub fn set(&mut self, index: usize, row: #row #ty_generics) -> ::core::result::Result<(), #private::LaneError> {
                    <Self as #private::LaneBlock>::set(self, index, row)
                }

                /// Deactivates every row in O(1); the lanes keep their stale values.
                #[inline]
                pub fn clear(&mut self) {
                    self.#len_field = 0;
                }

                /// The active rows, by value, in lane order.
                #[inline]
                pub fn iter(&self) -> #private::LaneIter<'_, Self> {
                    <Self as #private::LaneBlock>::iter(self)
                }

                /// Appends rows from the front of `rows` until the block is full, and returns
                /// how many it took; the rest, `rows[taken..]`, belong in the next block.
                #[inline]
                pub fn fill_from(&mut self, rows: &[#row #ty_generics]) -> usize {
                    <Self as #private::LaneBlock>::fill_from(self, rows)
                }

                /// Bit `i` is set for every active lane `i`: the low `len()` bits.
                #[inline]
                pub fn active_mask(&self) -> u64 {
                    <Self as #private::LaneBlock>::active_mask(self)
                }

                #(#accessors)*
            }

            #[automatically_derived]
            impl #impl_generics ::core::default::Default for #block #ty_generics #where_clause {
                /// An empty block, as [`new`](Self::new).
                #[inline]
                fn default() -> Self {
                    Self::new()
                }
            }

            #[automatically_derived]
            impl #impl_generics ::core::fmt::Debug for #block #ty_generics #where_clause
                // Not a trivial bound, so a row without `Debug` just leaves the block without it.
                for<'__soa> #row #ty_generics: ::core::fmt::Debug,
            {
                /// The length and the active rows; inactive lanes are not shown.
                fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                    #private::fmt_block(self, #block_name, __f)
                }
            }

            #[automatically_derived]
            impl #impl_generics #private::Lanes for #block #ty_generics #where_clause {
                const LANES: usize = #lanes_lit;
            }

            #[automatically_derived]
            impl #impl_generics #private::Reset for #block #ty_generics #where_clause {
                #[doc = #reset_doc]
                #[inline]
                fn reset(&mut self) {
                    #reset_body
                }
            }

            #[automatically_derived]
            impl #impl_generics #private::LaneBlock for #block #ty_generics #where_clause {
                type Row = #row #ty_generics;

                #[inline]
                fn len(&self) -> usize {
                    self.#len_field
                }

                #[inline]
                fn set_len(&mut self, __len: usize) {
                    self.#len_field = #private::checked_len(__len, #lanes_lit);
                }

                #[inline]
                fn read_lane(&self, __lane: usize) -> #row #ty_generics {
                    #row #row_turbofish {
                        #( #block_members: ::core::clone::Clone::clone(&self.#block_names), )*
                        #( #lane_members: ::core::clone::Clone::clone(&self.#lane_names[__lane]), )*
                    }
                }

                #[inline]
                fn write_lane(&mut self, __lane: usize, __row: &#row #ty_generics) {
                    #( self.#block_names = ::core::clone::Clone::clone(&__row.#block_members); )*
                    #( self.#lane_names[__lane] = ::core::clone::Clone::clone(&__row.#lane_members); )*
                }

                #shares_block_fields
            }

            #[automatically_derived]
            impl #iter_impl_generics ::core::iter::IntoIterator for &#iter_lifetime #block #ty_generics #where_clause {
                type Item = #row #ty_generics;
                type IntoIter = #private::LaneIter<#iter_lifetime, #block #ty_generics>;

                #[inline]
                fn into_iter(self) -> Self::IntoIter {
                    #block::iter(self)
                }
            }
        };
    }
}

/// `s()`, `s_mut()`, `s_lanes()`, `s_lanes_mut()` for one field, with the field's visibility.
fn accessors(field: &Field, len_field: &Ident, lanes: usize) -> TokenStream {
    let [active, active_mut, all, all_mut] = valid::accessor_names(&field.name);
    let (name, ty, vis) = (&field.name, field.ty, field.vis);
    let lanes_lit = proc_macro2::Literal::usize_unsuffixed(lanes);
    let label = match &field.member {
        syn::Member::Named(ident) => format!("field `{}`", ident.unraw()),
        syn::Member::Unnamed(index) => format!("tuple field `{}`", index.index),
    };
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
    let label = match &field.member {
        syn::Member::Named(ident) => format!("field `{}`", ident.unraw()),
        syn::Member::Unnamed(index) => format!("tuple field `{}`", index.index),
    };
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

/// The impls' where clause: the struct's own, plus `Copy` for every field type that mentions a
/// generic parameter and `Default` for each part of it that initialises lanes.
fn bounded_where_clause(input: &Input) -> TokenStream {
    let own = input
        .generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter());
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
    quote!(where #(#own,)* #(#added,)*)
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

/// The names of the struct's generic parameters (lifetimes without the quote).
fn param_names(generics: &Generics) -> Vec<String> {
    generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Type(param) => param.ident.to_string(),
            GenericParam::Lifetime(param) => param.lifetime.ident.to_string(),
            GenericParam::Const(param) => param.ident.to_string(),
        })
        .collect()
}

/// Whether `ty` names one of `params`. A token scan: a false positive only adds a bound.
fn mentions(ty: &Type, params: &[String]) -> bool {
    fn scan(tokens: TokenStream, params: &[String]) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => params.iter().any(|param| ident == param),
            TokenTree::Group(group) => scan(group.stream(), params),
            _ => false,
        })
    }
    !params.is_empty() && scan(ty.to_token_stream(), params)
}

/// A type as the user would write it, for messages: `[u64; 4]`, not `[u64 ; 4]`.
fn show(ty: &Type) -> String {
    ty.to_token_stream()
        .to_string()
        .replace(" ;", ";")
        .replace(" ,", ",")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace("& ", "&")
        .replace(" :: ", "::")
        .replace(":: ", "::")
}

/// The parameters of an impl for the struct's generics with `lifetime` first: bounds kept,
/// defaults dropped (what `split_for_impl` prints, which cannot take an extra parameter).
fn impl_generics_with(generics: &Generics, lifetime: &Lifetime) -> TokenStream {
    let params = generics.params.iter().map(|param| match param {
        GenericParam::Lifetime(param) => param.to_token_stream(),
        GenericParam::Type(param) => {
            let (ident, bounds) = (&param.ident, &param.bounds);
            if bounds.is_empty() {
                quote!(#ident)
            } else {
                quote!(#ident: #bounds)
            }
        }
        GenericParam::Const(param) => {
            let (ident, ty) = (&param.ident, &param.ty);
            quote!(const #ident: #ty)
        }
    });
    quote!(<#lifetime, #(#params),*>)
}

/// `TripleGuard<'pool>`, `TripleSyncGuard<'pool>`, `TripleOwnedGuard`: the guard types of the
/// block's pools, with the struct's generic parameters (bounds dropped: aliases ignore them).
pub(crate) fn aliases(
    generics: &Generics,
    vis: &syn::Visibility,
    names: &Names,
    block_args: &TokenStream,
    krate: &TokenStream,
) -> TokenStream {
    let Names {
        block,
        guard,
        sync_guard,
        owned_guard,
    } = names;
    let taken = param_names(generics);
    let pool = if taken.iter().any(|name| name == "pool") {
        "'__pool"
    } else {
        "'pool"
    };
    let pool = Lifetime::new(pool, Span::call_site());
    let params = generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
            GenericParam::Type(param) => {
                let ident = &param.ident;
                match &param.default {
                    Some(default) => quote!(#ident = #default),
                    None => quote!(#ident),
                }
            }
            GenericParam::Const(param) => {
                let (ident, ty) = (&param.ident, &param.ty);
                match &param.default {
                    Some(default) => quote!(const #ident: #ty = #default),
                    None => quote!(const #ident: #ty),
                }
            }
        })
        .collect::<Vec<_>>();
    let owned_params = if params.is_empty() {
        quote!()
    } else {
        quote!(<#(#params),*>)
    };
    let doc_guard = format!(
        "A block from a [`{block}::pool`]: derefs to [`{block}`] and returns the block on drop."
    );
    let doc_sync_guard = format!(
        "A block from a [`{block}::sync_pool`]: derefs to [`{block}`] and returns the block on drop."
    );
    let doc_owned_guard = format!(
        "A block from an `Arc` of a [`{block}::sync_pool`] (`acquire_owned`): a `'static` guard \
         that keeps the pool alive."
    );
    quote! {
        #[doc = #doc_guard]
        #vis type #guard<#pool, #(#params),*> = #krate::__private::Guard<#pool, #block #block_args>;
        #[doc = #doc_sync_guard]
        #vis type #sync_guard<#pool, #(#params),*> = #krate::__private::SyncGuard<#pool, #block #block_args>;
        #[doc = #doc_owned_guard]
        #vis type #owned_guard #owned_params = #krate::__private::OwnedGuard<#block #block_args>;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expand_str(source: &str) -> String {
        let node: DeriveInput = syn::parse_str(source).unwrap();
        derive(&node).to_string()
    }

    #[test]
    fn valid_input_expands_to_block_aliases_and_one_anonymous_const() {
        let out = expand_str(
            "#[soa(lanes = 8, align = 64)] pub struct Triple { pub s: u64, pub p: u64, pub o: u64 }",
        );
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains("# [repr (C , align (64))] pub struct TripleLanes"),
            "{out}"
        );
        assert!(out.contains("s : [u64 ; 8]"), "{out}");
        assert!(out.contains("pub type TripleGuard < 'pool , >"), "{out}");
        assert!(out.contains("const _ : () = {"), "{out}");
        assert_eq!(out.matches("# [automatically_derived]").count(), 6, "{out}");
        assert!(
            !out.contains(" lanepool ::") || out.contains(":: lanepool ::"),
            "{out}"
        );
    }

    #[test]
    fn invalid_settings_still_expand_with_defaults_beside_the_errors() {
        let out = expand_str("#[soa(lanes = 0)] struct Row { id: u64 }");
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("id : [u64 ; 8]"), "{out}");
    }

    #[test]
    fn enum_input_gets_only_the_placeholder() {
        let out = expand_str("enum Row { A(u64) }");
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("__soa_invalid"), "{out}");
        assert!(!out.contains("fn push"), "{out}");
    }

    #[test]
    fn generic_field_types_get_copy_and_default_bounds() {
        let out = expand_str("struct Pair<T> { key: T, digest: [T; 40], n: u8 }");
        assert!(out.contains("T : :: core :: marker :: Copy"), "{out}");
        assert!(
            out.contains("[T ; 40] : :: core :: marker :: Copy"),
            "{out}"
        );
        assert!(out.contains("T : :: core :: default :: Default"), "{out}");
        assert!(
            !out.contains("u8 : :: core :: marker :: Copy"),
            "concrete fields are asserted, not bounded: {out}"
        );
    }

    #[test]
    fn per_block_fields_form_a_header_before_the_aligned_lanes() {
        let out = expand_str(
            "#[soa(align = 64)] struct Triple { s: u64, #[soa(per_block)] p: u64, o: u64 }",
        );
        assert!(!out.contains("compile_error"), "{out}");
        assert!(
            out.contains(
                "p : u64 , len : usize , __soa_lanes_start : [:: lanepool :: __private :: \
                 align :: Align64 ; 0] , s : [u64 ; 8] , o : [u64 ; 8] ,"
            ),
            "{out}"
        );
        assert!(out.contains("fn shares_block_fields"), "{out}");
        assert!(!out.contains("fn p_lanes"), "{out}");
    }

    #[test]
    fn without_per_block_fields_the_layout_is_unchanged() {
        let out = expand_str("struct Triple { s: u64, p: u64 }");
        assert!(
            out.contains("s : [u64 ; 8] , p : [u64 ; 8] , len : usize ,"),
            "{out}"
        );
        assert!(!out.contains("shares_block_fields"), "{out}");
    }
}
