//! `#[derive(Reset)]`: resets a struct by resetting each field with its own `Reset`, in the same
//! stages as `SoA`: `attr.rs` parses, [`check`] validates (every error collected), [`expand`]
//! writes the impl, and an input that is not a struct still gets an empty impl beside its error,
//! so the user sees that one error rather than "`X: Reset` is not satisfied" wherever `X` is
//! pooled.

mod attr;

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned, ToTokens};
use syn::spanned::Spanned as _;
use syn::{Data, DeriveInput, Member, Type};

use crate::ctxt::Ctxt;
use crate::generics::{mentions, own_predicates, param_names};

/// What reset does with one field.
enum Action {
    /// `Reset::reset(&mut self.field)`.
    Reset,
    /// `#[reset(skip)]`: nothing.
    Skip,
    /// `#[reset(with = path)]`: `path(&mut self.field)`.
    With(syn::Path),
}

struct Field<'a> {
    member: Member,
    ty: &'a Type,
    action: Action,
}

pub(crate) fn derive(node: &DeriveInput) -> TokenStream {
    let mut cx = Ctxt::default();
    let attrs = attr::parse_container(&node.attrs, &mut cx);
    let krate = attrs.krate.map_or_else(
        || quote!(::lanepool),
        |krate| krate.value.into_token_stream(),
    );
    let private = quote!(#krate::__private);
    let fields = check(node, &mut cx);
    let errors = cx.into_compile_errors();
    let expanded = expand(node, fields.as_deref().unwrap_or_default(), &private);
    quote! {
        #errors
        #expanded
    }
}

/// The fields and what to do with each, or `None` (with the error in `cx`) for an enum or union.
fn check<'a>(node: &'a DeriveInput, cx: &mut Ctxt) -> Option<Vec<Field<'a>>> {
    let fields = match &node.data {
        Data::Struct(data) => &data.fields,
        Data::Enum(data) => {
            cx.error_spanned_by(
                &data.enum_token,
                "`#[derive(Reset)]` needs a struct, not an enum: it resets each field, and an \
                 enum's fields depend on its variant; implement `Reset` by hand (e.g. set the \
                 value back to the variant a fresh one starts as)",
            );
            return None;
        }
        Data::Union(data) => {
            cx.error_spanned_by(
                &data.union_token,
                "`#[derive(Reset)]` needs a struct, not a union: which field is live is unknown; \
                 implement `Reset` by hand",
            );
            return None;
        }
    };
    let checked = fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let attrs = attr::parse_field(field, cx);
            let action = match (attrs.skip, attrs.with) {
                (Some(_), Some(with)) => {
                    cx.push(syn::Error::new(
                        with.span,
                        "a field is either skipped or reset `with` a function, not both: remove \
                         `skip` or `with = ...`",
                    ));
                    Action::Skip
                }
                (Some(_), None) => Action::Skip,
                (None, Some(with)) => Action::With(with.value),
                (None, None) => Action::Reset,
            };
            Field {
                member: match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(index.into()),
                },
                ty: &field.ty,
                action,
            }
        })
        .collect();
    Some(checked)
}

/// `impl Reset`, inside `const _: () = { ... };`. Each field's call is spanned on its type (or
/// on the `with` path), so a field whose type has no `Reset` is the one the error points at.
/// Generic field types get a `Reset` bound instead.
fn expand(node: &DeriveInput, fields: &[Field], private: &TokenStream) -> TokenStream {
    let ident = &node.ident;
    let (impl_generics, ty_generics, _) = node.generics.split_for_impl();
    let params = param_names(&node.generics);
    let own = own_predicates(&node.generics);
    let bounds = fields
        .iter()
        .filter(|field| matches!(field.action, Action::Reset) && mentions(field.ty, &params))
        .map(|field| {
            let ty = field.ty;
            quote!(#ty: #private::Reset,)
        });
    let steps = fields.iter().map(|field| {
        let (member, ty) = (&field.member, field.ty);
        match &field.action {
            Action::Reset => quote_spanned! {ty.span()=>
                #private::Reset::reset(&mut self.#member);
            },
            Action::Skip => quote!(),
            Action::With(path) => {
                // The argument is spanned on the field's type, so a function of the wrong
                // type is reported as "expected `&mut String`, found `&mut u64`" on the field.
                let field = quote_spanned!(ty.span()=> &mut self.#member);
                quote!(#path(#field);)
            }
        }
    });
    let doc = format!("Resets each field of `{ident}` for the next user (`#[derive(Reset)]`).");
    quote! {
        const _: () = {
            #[automatically_derived]
            impl #impl_generics #private::Reset for #ident #ty_generics
            where
                #own
                #(#bounds)*
            {
                #[doc = #doc]
                #[inline]
                fn reset(&mut self) {
                    #(#steps)*
                }
            }
        };
    }
}
