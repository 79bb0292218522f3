//! What both derives need to know about the struct's generic parameters.

use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::{GenericParam, Generics, Lifetime, Type};

/// The names of the struct's generic parameters (lifetimes without the quote).
pub(crate) fn param_names(generics: &Generics) -> Vec<String> {
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
pub(crate) fn mentions(ty: &Type, params: &[String]) -> bool {
    fn scan(tokens: TokenStream, params: &[String]) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(ident) => params.iter().any(|param| ident == param),
            TokenTree::Group(group) => scan(group.stream(), params),
            _ => false,
        })
    }
    !params.is_empty() && scan(ty.to_token_stream(), params)
}

/// The struct's own where-clause predicates, each followed by a comma.
pub(crate) fn own_predicates(generics: &Generics) -> TokenStream {
    let own = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter());
    quote!(#(#own,)*)
}

/// A type as the user would write it, for messages: `[u64; 4]`, not `[u64 ; 4]`.
pub(crate) fn show(ty: &Type) -> String {
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

/// The parameters of an impl or type for the struct's generics with `lifetime` first: bounds
/// kept, defaults dropped (what `split_for_impl` prints, which cannot take an extra parameter).
pub(crate) fn params_with(generics: &Generics, lifetime: &Lifetime) -> TokenStream {
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

/// The arguments for the struct's generics with `lifetime` first: `<'a, T, N>`.
pub(crate) fn args_with(generics: &Generics, lifetime: &Lifetime) -> TokenStream {
    let args = generics.params.iter().map(|param| match param {
        GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
        GenericParam::Type(param) => param.ident.to_token_stream(),
        GenericParam::Const(param) => param.ident.to_token_stream(),
    });
    quote!(<#lifetime, #(#args),*>)
}

/// A lifetime named `base`, or `base` with `__` in front if the struct already uses the name.
pub(crate) fn fresh_lifetime(generics: &Generics, base: &str) -> Lifetime {
    let taken = param_names(generics);
    let name = if taken.iter().any(|name| name == base) {
        format!("'__{base}")
    } else {
        format!("'{base}")
    };
    Lifetime::new(&name, proc_macro2::Span::call_site())
}
