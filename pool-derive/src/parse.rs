//! Attribute parsing both derives share: one loop reads every key of an attribute
//! ([`for_each_key`]) and reports the keys that do not belong where they are written (misplaced,
//! or unknown with a message naming the known ones); values keep their spans, and parsing goes
//! on after an error.

use proc_macro2::{Span, TokenStream};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, Expr, LitStr, Token};

use crate::ctxt::Ctxt;
use crate::symbol::{self, Key, Symbol};

/// A value from an attribute, with the span of its literal for the error caret.
pub(crate) struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

/// One attribute's keys, on the struct and on a field, and what to say about a key given in the
/// other place (`{name}` stands for the key).
pub(crate) struct AttributeKeys {
    pub field_key_on_struct: &'static str,
    pub struct_key_on_field: &'static str,
    pub attribute: Symbol,
    pub on_struct: &'static [Key],
    pub on_field: &'static [Key],
}

/// Where an attribute is read.
#[derive(Clone, Copy)]
pub(crate) enum Place {
    Struct,
    Field,
}

/// Calls `on_key` for each key that `place` takes in every `#[attribute(...)]` of `attrs`; any
/// other key is reported (misplaced or unknown) and its value skipped. A syntax error ends that
/// attribute (it is reported) and the next one is still read.
pub(crate) fn for_each_key(
    attrs: &[Attribute],
    keys: &AttributeKeys,
    place: Place,
    cx: &mut Ctxt,
    mut on_key: impl FnMut(Symbol, &ParseNestedMeta, &mut Ctxt) -> syn::Result<()>,
) {
    let (taken, elsewhere, misplaced, place_name) = match place {
        Place::Struct => (
            keys.on_struct,
            keys.on_field,
            keys.field_key_on_struct,
            "on the struct",
        ),
        Place::Field => (
            keys.on_field,
            keys.on_struct,
            keys.struct_key_on_field,
            "on a field",
        ),
    };
    for attr in attrs.iter().filter(|attr| keys.attribute.is(attr.path())) {
        let read = attr.parse_nested_meta(|meta| {
            let known = taken.iter().find(|key| key.symbol.is(&meta.path));
            let name = path_name(&meta.path);
            match known {
                Some(key) => on_key(key.symbol, &meta, cx),
                None if symbol::contains(elsewhere, &name) => {
                    misplaced_key(&meta, misplaced.replace("{name}", &name), cx)
                }
                None => unknown_key(&meta, keys.attribute, place_name, taken, cx),
            }
        });
        if let Err(error) = read {
            cx.push(error);
        }
    }
}

/// Reports a key given in the wrong place (a field key on the struct, or the reverse) and skips
/// its value.
fn misplaced_key(meta: &ParseNestedMeta, message: String, cx: &mut Ctxt) -> syn::Result<()> {
    cx.error_spanned_by(&meta.path, message);
    skip_value(meta.input)
}

/// Stores `value` unless the key was already given, which is reported on the key.
pub(crate) fn set_once<T>(
    slot: &mut Option<Spanned<T>>,
    value: Option<Spanned<T>>,
    meta: &ParseNestedMeta,
    attribute: Symbol,
    cx: &mut Ctxt,
) {
    if slot.is_some() {
        let key = &meta.path;
        let name = path_name(key);
        cx.error_spanned_by(
            key,
            format!("duplicate `#[{attribute}]` key `{name}`; give it once and delete the other"),
        );
    } else if value.is_some() {
        *slot = value;
    }
}

/// Reports a key that is not in `keys` (with the nearest known key, if one is close), and
/// skips its value so the keys after it are still read.
pub(crate) fn unknown_key(
    meta: &ParseNestedMeta,
    attribute: Symbol,
    place: &str,
    keys: &[Key],
    cx: &mut Ctxt,
) -> syn::Result<()> {
    let key = &meta.path;
    let name = path_name(key);
    let hint = match symbol::closest(&name, keys) {
        Some(known) => format!("did you mean `{known}`? "),
        None => String::new(),
    };
    let known = if keys.len() == 1 {
        format!("the only key allowed there is {}", symbol::list(keys))
    } else {
        format!("the keys are {}", symbol::list(keys))
    };
    cx.error_spanned_by(
        key,
        format!("unknown `#[{attribute}]` key `{name}` {place}; {hint}{known}"),
    );
    skip_value(meta.input)
}

pub(crate) fn path_name(path: &syn::Path) -> String {
    quote::quote!(#path).to_string().replace(' ', "")
}

/// `crate = "path"`: where the lanepool runtime is.
pub(crate) fn crate_path(
    input: ParseStream,
    cx: &mut Ctxt,
) -> syn::Result<Option<Spanned<syn::Path>>> {
    let lit: LitStr = input.parse()?;
    match lit.parse::<syn::Path>() {
        Ok(path) => Ok(Some(Spanned {
            value: path,
            span: lit.span(),
        })),
        Err(_) => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "`crate = \"{}\"` is not a path; name the lanepool crate as your code \
                     sees it, e.g. `crate = \"::lanepool\"` or `crate = \"renamed\"`",
                    lit.value()
                ),
            );
            Ok(None)
        }
    }
}

pub(crate) fn parenthesized(input: ParseStream) -> syn::Result<TokenStream> {
    let content;
    syn::parenthesized!(content in input);
    content.parse()
}

/// Consumes `= value` or `(...)` after a key that is reported, so the keys after it are still
/// read.
pub(crate) fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
    } else if input.peek(syn::token::Paren) {
        parenthesized(input)?;
    }
    Ok(())
}

/// Whether a flag key (`per_block`, `skip`) was given a value it does not take; if so, reports
/// it and skips the value.
pub(crate) fn reject_value(
    meta: &ParseNestedMeta,
    attribute: Symbol,
    cx: &mut Ctxt,
) -> syn::Result<bool> {
    if meta.input.is_empty() || meta.input.peek(Token![,]) {
        return Ok(false);
    }
    let name = path_name(&meta.path);
    cx.error_spanned_by(
        &meta.path,
        format!("`{name}` takes no value: write `#[{attribute}({name})]`"),
    );
    skip_value(meta.input)?;
    Ok(true)
}
