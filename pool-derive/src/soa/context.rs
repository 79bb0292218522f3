//! The expansion context: what every generated item needs ([`Block`]), computed once from the
//! checked [`Input`] and [`Settings`], plus the helpers several items share (a field's binding,
//! its label in docs, its initial value and the bounds that needs). Below every module that
//! generates code, and above none of them.

use proc_macro2::{Literal, Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::{Ident, Lifetime, Type};

use crate::generics::{args_with, fresh_lifetime, mentions, own_predicates, param_names};
use crate::names::Names;
use crate::soa::ast::{Field, Input};
use crate::soa::settings::Settings;

/// What every generated item needs, computed once.
pub(crate) struct Block<'a> {
    pub input: &'a Input<'a>,
    pub settings: &'a Settings,
    pub names: &'a Names,
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
pub(crate) const LANES_START: &str = "__soa_lanes_start";

impl<'a> Block<'a> {
    pub(crate) fn new(input: &'a Input<'a>, settings: &'a Settings) -> Self {
        let krate = &settings.krate;
        let (impl_generics, ty_generics, _) = input.generics.split_for_impl();
        let predicates = bounded_predicates(input);
        let ident = input.ident;
        let (block_fields, lane_fields) =
            input.fields.iter().partition(|field| field.is_per_block());
        Block {
            input,
            settings,
            names: &settings.names,
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

    /// The row's generic arguments for an expression: `::<T>`, or nothing.
    pub(crate) fn row_turbofish(&self) -> TokenStream {
        let (_, ty_generics, _) = self.input.generics.split_for_impl();
        ty_generics.as_turbofish().to_token_stream()
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

    pub(crate) fn has_header(&self) -> bool {
        !self.block_fields.is_empty()
    }

    /// Every storage field, in declaration order.
    pub(crate) fn storage_fields(&self) -> Vec<Ident> {
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

    /// `TripleRef { s: <lane expr>, p: <block expr> }`, for a view built from
    /// [`split_self`](Self::split_self).
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

    /// [`view_literal`](Self::view_literal) with every field's binding as it is:
    /// `TripleLanesMut { s: __soa_0, p: __soa_1, .. }`.
    pub(crate) fn view_of_bindings(&self, name: &Ident) -> TokenStream {
        self.view_literal(name, |lanes| quote!(#lanes), |value| quote!(#value))
    }
}

/// The `__soa_`-prefixed local a field is bound to, by position (so `_x` and `x`, or a tuple
/// field `_0`, never collide or trip the snake-case lint).
pub(crate) fn binding(field: &Field) -> Ident {
    format_ident!("__soa_{}", field.index)
}

/// "field `s`" or "tuple field `0`", for docs.
pub(crate) fn label(field: &Field) -> String {
    match &field.member {
        syn::Member::Named(ident) => format!("field `{}`", ident.unraw()),
        syn::Member::Unnamed(index) => format!("tuple field `{}`", index.index),
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
pub(crate) fn fill(ty: &Type, private: &TokenStream) -> TokenStream {
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
