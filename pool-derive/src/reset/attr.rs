//! Parses `#[reset(...)]`: `crate = "path"` on the struct; `skip` or `with = path` on a field.
//! Values keep their spans; the keys are `symbol.rs`'s tables.

use proc_macro2::Span;
use syn::Attribute;

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
                    let path: syn::Path = meta.value()?.parse()?;
                    let span = syn::spanned::Spanned::span(&path);
                    let value = Some(Spanned { value: path, span });
                    parse::set_once(&mut out.with, value, meta, RESET, cx);
                }
                other => unreachable!("`{other}` is in RESET_FIELD_KEYS but not read here"),
            }
            Ok(())
        },
    );
    out
}
