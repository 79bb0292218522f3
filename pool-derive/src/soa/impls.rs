//! The block's trait impls, as one table: one function each, in the order they are emitted.
//! Every impl the derive writes itself goes through one builder, [`TraitImpl`], so they all look
//! alike (`#[automatically_derived]`, the block's generics and bounds) and a new one is one call;
//! `BuildInPlace` and the serde impls go through pool-core's macros instead, which decide what the
//! user's features allow.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::{Ident, Lifetime, Member};

use crate::generics::{args_with, fresh_lifetime, params_with};
use crate::soa::ast::Field;
use crate::soa::attr::ResetMode;
use crate::soa::context::{fill, Block, LANES_START};

/// The trait impls, one function each, in the order they are emitted.
pub(crate) const TRAIT_IMPLS: &[fn(&Block) -> TokenStream] = &[
    default_impl,
    build_in_place_impl,
    clone_impl,
    debug_impl,
    partial_eq_impl,
    lanes_impl,
    reset_impl,
    lane_block_impl,
    lane_rows_mut_impl,
    into_iterator_impl,
    try_from_impl,
    serialize_impl,
];

/// One trait impl of the block: `impl<..> Trait for Block<..> where .. { items }`, with the
/// block's generics and bounds unless told otherwise (zerocopy-derive's `ImplBlockBuilder`).
struct TraitImpl {
    trait_path: TokenStream,
    impl_generics: TokenStream,
    self_ty: TokenStream,
    where_clause: TokenStream,
}

impl TraitImpl {
    fn new(b: &Block, trait_path: TokenStream) -> Self {
        TraitImpl {
            trait_path,
            impl_generics: b.impl_generics.clone(),
            self_ty: b.block_ty(),
            where_clause: b.where_clause.clone(),
        }
    }

    /// With `lifetime` as a parameter before the struct's own, for a trait or a self type that
    /// borrows: `impl<'l, T> IntoIterator for &'l PairLanes<T>`.
    fn borrowing(mut self, b: &Block, lifetime: &Lifetime) -> Self {
        self.impl_generics = params_with(b.input.generics, lifetime);
        self
    }

    fn for_ty(mut self, self_ty: TokenStream) -> Self {
        self.self_ty = self_ty;
        self
    }

    /// Only when the row implements `bound` as well. Not a trivial bound (`for<'__soa>`), so a
    /// row without the trait just leaves the block without it.
    fn when_row_is(mut self, b: &Block, bound: TokenStream) -> Self {
        let (where_clause, row) = (&self.where_clause, &b.row);
        self.where_clause = quote!(#where_clause for<'__soa> #row: #bound,);
        self
    }

    fn with(self, items: TokenStream) -> TokenStream {
        let TraitImpl {
            trait_path,
            impl_generics,
            self_ty,
            where_clause,
        } = self;
        quote! {
            #[automatically_derived]
            impl #impl_generics #trait_path for #self_ty #where_clause {
                #items
            }
        }
    }
}

fn default_impl(b: &Block) -> TokenStream {
    TraitImpl::new(b, quote!(::core::default::Default)).with(quote! {
        /// An empty block, as [`new`](Self::new).
        #[inline]
        fn default() -> Self {
            Self::new()
        }
    })
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
    let fields = b.storage_fields();
    TraitImpl::new(b, quote!(::core::clone::Clone)).with(quote! {
        #[inline]
        fn clone(&self) -> Self {
            Self { #( #fields: ::core::clone::Clone::clone(&self.#fields), )* }
        }
    })
}

fn debug_impl(b: &Block) -> TokenStream {
    let private = &b.private;
    let name = b.names.block.to_string();
    TraitImpl::new(b, quote!(::core::fmt::Debug))
        .when_row_is(b, quote!(::core::fmt::Debug))
        .with(quote! {
            /// The length and the active rows; inactive lanes are not shown.
            fn fmt(&self, __f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                #private::fmt_block(self, #name, __f)
            }
        })
}

/// Equal when the active rows are: inactive lanes are unobservable, so they are not compared.
fn partial_eq_impl(b: &Block) -> TokenStream {
    let private = &b.private;
    let partial_eq = TraitImpl::new(b, quote!(::core::cmp::PartialEq))
        .when_row_is(b, quote!(::core::cmp::PartialEq))
        .with(quote! {
            /// The same active rows, in the same lanes; inactive lanes are not compared.
            #[inline]
            fn eq(&self, __other: &Self) -> bool {
                #private::rows_eq(self, __other)
            }
        });
    let eq = TraitImpl::new(b, quote!(::core::cmp::Eq))
        .when_row_is(b, quote!(::core::cmp::Eq))
        .with(quote!());
    quote! {
        #partial_eq

        #eq
    }
}

fn lanes_impl(b: &Block) -> TokenStream {
    let (private, lanes_lit) = (&b.private, &b.lanes_lit);
    TraitImpl::new(b, quote!(#private::Lanes)).with(quote! {
        const LANES: usize = #lanes_lit;
    })
}

fn reset_impl(b: &Block) -> TokenStream {
    let (private, len_field) = (&b.private, &b.len_field);
    let (body, doc) = match b.settings.reset {
        ResetMode::Clear => (
            quote!(self.#len_field = 0;),
            "Deactivates every row in O(1); the lanes keep their stale values.",
        ),
        ResetMode::Zero => (
            {
                // Lane by lane, so a large block is never rebuilt on the stack.
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
    TraitImpl::new(b, quote!(#private::Reset)).with(quote! {
        #[doc = #doc]
        #[inline]
        fn reset(&mut self) {
            #body
        }
    })
}

/// The fields' storage names and, beside them, how the row names them: `s` and `s`, or `_0`
/// and `0`.
fn names_and_members<'f>(fields: &[&'f Field]) -> (Vec<&'f Ident>, Vec<&'f Member>) {
    fields
        .iter()
        .map(|field| (&field.name, &field.member))
        .unzip()
}

/// The storage access pool-core builds every row operation on.
fn lane_block_impl(b: &Block) -> TokenStream {
    let (private, row, len_field, lanes_lit) = (&b.private, &b.row, &b.len_field, &b.lanes_lit);
    let (row_ident, row_turbofish) = (b.input.ident, b.row_turbofish());
    let (lane_names, lane_members) = names_and_members(&b.lane_fields);
    let (block_names, block_members) = names_and_members(&b.block_fields);
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
    TraitImpl::new(b, quote!(#private::LaneBlock)).with(quote! {
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
    })
}

/// pool-core's `LaneRowsMut`: the inherent `iter_mut`, for code generic over blocks (a
/// `Columns`' `iter_mut`).
fn lane_rows_mut_impl(b: &Block) -> TokenStream {
    let (private, block_name, row_mut) = (&b.private, &b.names.block, &b.names.row_mut.hidden);
    let lifetime = Lifetime::new("'__soa_rows", Span::call_site());
    let args = args_with(b.input.generics, &lifetime);
    TraitImpl::new(b, quote!(#private::LaneRowsMut)).with(quote! {
        type RowMut<#lifetime> = #row_mut #args where Self: #lifetime;

        #[inline]
        fn rows_mut(
            &mut self,
        ) -> impl ::core::iter::ExactSizeIterator<Item = Self::RowMut<'_>>
               + ::core::iter::DoubleEndedIterator {
            #block_name::iter_mut(self)
        }
    })
}

fn into_iterator_impl(b: &Block) -> TokenStream {
    let (block, private, row) = (b.block_ty(), &b.private, &b.row);
    let lifetime = Lifetime::new("'__soa_iter", Span::call_site());
    let block_name = &b.names.block;
    TraitImpl::new(b, quote!(::core::iter::IntoIterator))
        .borrowing(b, &lifetime)
        .for_ty(quote!(&#lifetime #block))
        .with(quote! {
            type Item = #row;
            type IntoIter = #private::LaneIter<#lifetime, #block>;

            #[inline]
            fn into_iter(self) -> Self::IntoIter {
                #block_name::iter(self)
            }
        })
}

fn try_from_impl(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    let lifetime = Lifetime::new("'__soa_rows", Span::call_site());
    TraitImpl::new(b, quote!(::core::convert::TryFrom<&#lifetime [#row]>))
        .borrowing(b, &lifetime)
        .with(quote! {
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
        })
}

/// `serde::Serialize` (the active rows, as a sequence) and `serde::Deserialize` (a sequence of
/// at most `LANES` rows), when lanepool's `serde` feature is on: pool-core's macro decides, so
/// the output does not depend on which features the user enabled.
fn serialize_impl(b: &Block) -> TokenStream {
    let (impl_generics, block, predicates) = (&b.impl_generics, b.block_ty(), &b.predicates);
    let (private, row) = (&b.private, &b.row);
    let de = fresh_lifetime(b.input.generics, "de");
    let de_generics = params_with(b.input.generics, &de);
    quote! {
        #private::soa_serde! {
            impl [#impl_generics] impl_de [#de_generics] de [#de]
            for [#block] row [#row] where [#predicates]
        }
    }
}
