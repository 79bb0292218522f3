//! Compile-time checks in the generated code: each concrete field type is `Copy` (an error
//! spanned on the type), no field needs more alignment than `align`, and the block has the
//! layout `align` promises.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::ext::IdentExt as _;
use syn::spanned::Spanned as _;
use syn::Ident;

use crate::generics::{mentions, param_names, show};
use crate::soa::ast::Input;
use crate::soa::settings::Settings;

/// The compile-time checks: each concrete field type is `Copy` (an error spanned on the type),
/// no field needs more alignment than `align`, and the block has the promised layout.
///
/// For a generic struct these run per instantiation, from `new()`, since alignment depends on
/// the type arguments; otherwise they run once, as a free constant.
pub(crate) fn checks(
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
