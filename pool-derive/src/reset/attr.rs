//! Parses `#[reset(...)]`: `crate = "path"` on the struct; `skip` or `with = path` (or serde's
//! string form, `with = "path"`) on a field. Values keep their spans; the keys are
//! `symbol.rs`'s tables.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::ParseStream;
use syn::{Attribute, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::parse::{self, AttributeKeys, Place, Spanned};
use crate::symbol::{self, RESET, RESET_FIELD_KEYS, RESET_STRUCT_KEYS};

/// `#[reset(...)]`'s keys, and what to say when one is given in the other place.
const RESET_KEYS: AttributeKeys = AttributeKeys {
    field_key_on_struct: "`{name}` is a field option: put `#[reset({name})]` on the field it is \
                          about, not on the struct",
    struct_key_on_field: "`{name}` is a struct option: it goes in `#[reset(...)]` above `struct`",
    attribute: RESET,
    on_struct: RESET_STRUCT_KEYS,
    on_field: RESET_FIELD_KEYS,
};

#[derive(Default)]
pub(crate) struct Attrs {
    pub krate: Option<Spanned<syn::Path>>,
}

/// Reads every `#[reset(...)]` on the struct. Errors go to `cx`; parsing goes on after them.
/// Its only key is `crate`.
pub(crate) fn parse_container(attrs: &[Attribute], cx: &mut Ctxt) -> Attrs {
    let mut out = Attrs::default();
    parse::for_each_key(attrs, &RESET_KEYS, Place::Struct, cx, |_crate, meta, cx| {
        let value = parse::crate_path(meta.value()?, cx)?;
        parse::set_once(&mut out.krate, value, meta, RESET, cx);
        Ok(())
    });
    out
}

/// A field's `#[reset(...)]`.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// The span of `skip`, when given.
    pub skip: Option<Span>,
    /// The function of `with = path`, when given.
    pub with: Option<Spanned<syn::Path>>,
}

/// Reads every `#[reset(...)]` on a field. Errors go to `cx`; parsing goes on after them.
pub(crate) fn parse_field(field: &syn::Field, cx: &mut Ctxt) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    parse::for_each_key(
        &field.attrs,
        &RESET_KEYS,
        Place::Field,
        cx,
        |key, meta, cx| {
            match key {
                symbol::SKIP => {
                    if !parse::reject_value(meta, RESET, cx)? {
                        let span = syn::spanned::Spanned::span(&meta.path);
                        let mut given = out.skip.map(|span| Spanned { value: (), span });
                        parse::set_once(
                            &mut given,
                            Some(Spanned { value: (), span }),
                            meta,
                            RESET,
                            cx,
                        );
                        out.skip = given.map(|skip| skip.span);
                    }
                }
                symbol::WITH => {
                    let value = with_function(meta.value()?, cx)?;
                    parse::set_once(&mut out.with, value, meta, RESET, cx);
                }
                other => unreachable!("`{other}` is in RESET_FIELD_KEYS but not read here"),
            }
            Ok(())
        },
    );
    out
}

/// The function of `with = path` or `with = "path"`. A closure is reported (and skipped) here:
/// the derive calls the function by name, so it must have one.
fn with_function(input: ParseStream, cx: &mut Ctxt) -> syn::Result<Option<Spanned<syn::Path>>> {
    if input.peek(Token![|]) || input.peek(Token![||]) || input.peek(Token![move]) {
        // The closure's tokens, up to the next key, so the caret covers all of it.
        let mut closure = TokenStream::new();
        while !input.is_empty() && !input.peek(Token![,]) {
            closure.extend([input.parse::<TokenTree>()?]);
        }
        cx.error_spanned_by(
            &closure,
            "`with` takes the name of a function, not a closure: write \
             `fn reset_field(field: &mut FieldType) { ... }` and name it, \
             `#[reset(with = reset_field)]`",
        );
        return Ok(None);
    }
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return match lit.parse::<syn::Path>() {
            Ok(path) => Ok(Some(Spanned {
                value: path,
                span: lit.span(),
            })),
            Err(_) => {
                cx.error_spanned_by(
                    &lit,
                    format!(
                        "`with = \"{}\"` does not name a function: give a path, e.g. \
                         `with = \"reset_field\"` or `with = reset_field`",
                        lit.value()
                    ),
                );
                Ok(None)
            }
        };
    }
    let path: syn::Path = input.parse()?;
    let span = syn::spanned::Spanned::span(&path);
    Ok(Some(Spanned { value: path, span }))
}
