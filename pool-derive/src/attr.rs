//! Parses `#[soa(...)]` into [`Attrs`], keeping each value's span. Only the syntax is checked
//! here (an integer where an integer belongs, a path in `crate`); ranges are `valid.rs`'s job.

use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::{Attribute, Expr, Lit, LitInt, LitStr, Token};

use crate::ctxt::Ctxt;

/// The keys `#[soa(...)]` understands on the struct, listed in the message for an unknown key.
const KEYS: &str = "`lanes`, `align`, `reset`, `crate`, `derive(...)`, `attr(...)`";

/// The one field key: the field is stored once per block instead of once per lane.
pub(crate) const PER_BLOCK: &str = "per_block";

/// The struct keys, by name.
const CONTAINER_KEYS: [&str; 6] = ["lanes", "align", "reset", "crate", "derive", "attr"];

/// The known key within two edits of a misspelt one, if any.
fn closest_key(name: &str) -> Option<&'static str> {
    CONTAINER_KEYS
        .into_iter()
        .map(|known| (edit_distance(name, known), known))
        .filter(|(distance, _)| *distance <= 2)
        .min()
        .map(|(_, known)| known)
}

/// Levenshtein distance, for the few short keys above.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_keys_get_the_nearest_known_key() {
        assert_eq!(closest_key("lane"), Some("lanes"));
        assert_eq!(closest_key("alignment"), None);
        assert_eq!(closest_key("aling"), Some("align"));
        assert_eq!(closest_key("colour"), None);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}

/// A value from the attribute, with the span of its literal for the error caret.
pub(crate) struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ResetMode {
    /// O(1): set the length to 0 and leave the lanes as they are.
    Clear,
    /// Rewrite every lane with its field's default, then set the length to 0.
    Zero,
}

#[derive(Default)]
pub(crate) struct Attrs {
    pub lanes: Option<Spanned<u64>>,
    pub align: Option<Spanned<u64>>,
    pub reset: Option<Spanned<ResetMode>>,
    pub krate: Option<Spanned<syn::Path>>,
    /// The contents of each `derive(...)`, forwarded as `#[derive(...)]` on the block.
    pub derives: Vec<TokenStream>,
    /// The contents of each `attr(...)`, forwarded as `#[...]` on the block.
    pub forwarded: Vec<TokenStream>,
}

/// Reads every `#[soa(...)]` on the struct. Errors go to `cx`; parsing goes on after them.
pub(crate) fn parse_container(attrs: &[Attribute], cx: &mut Ctxt) -> Attrs {
    let mut out = Attrs::default();
    for attr in attrs.iter().filter(|attr| attr.path().is_ident("soa")) {
        let result = attr.parse_nested_meta(|meta| {
            let key = &meta.path;
            if key.is_ident("lanes") {
                let value = integer(meta.value()?, "lanes", "8", cx);
                set_once(&mut out.lanes, value, key, "lanes", cx);
            } else if key.is_ident("align") {
                let value = integer(meta.value()?, "align", "64", cx);
                set_once(&mut out.align, value, key, "align", cx);
            } else if key.is_ident("reset") {
                let value = reset_mode(meta.value()?, cx)?;
                set_once(&mut out.reset, value, key, "reset", cx);
            } else if key.is_ident("crate") {
                let value = crate_path(meta.value()?, cx)?;
                set_once(&mut out.krate, value, key, "crate", cx);
            } else if key.is_ident("derive") {
                out.derives.push(parenthesized(meta.input)?);
            } else if key.is_ident("attr") {
                out.forwarded.push(parenthesized(meta.input)?);
            } else if key.is_ident(PER_BLOCK) {
                cx.error_spanned_by(
                    key,
                    "`per_block` is a field option: put `#[soa(per_block)]` on the field that \
                     every row of a block shares, not on the struct",
                );
                skip_value(meta.input)?;
            } else {
                let name = quote::quote!(#key).to_string().replace(' ', "");
                let hint = match closest_key(&name) {
                    Some(known) => format!("did you mean `{known}`? "),
                    None => String::new(),
                };
                cx.error_spanned_by(
                    key,
                    format!("unknown `#[soa]` key `{name}`; {hint}the keys are {KEYS}"),
                );
                skip_value(meta.input)?;
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    out
}

/// A field's `#[soa(...)]`: `per_block`, or nothing.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// The span of the `per_block` key, when given.
    pub per_block: Option<Span>,
}

/// Reads every `#[soa(...)]` on a field. Errors go to `cx`; parsing goes on after them.
pub(crate) fn parse_field(field: &syn::Field, cx: &mut Ctxt) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in field
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("soa"))
    {
        let result = attr.parse_nested_meta(|meta| {
            let key = &meta.path;
            let name = quote::quote!(#key).to_string().replace(' ', "");
            if key.is_ident(PER_BLOCK) {
                if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
                    cx.error_spanned_by(
                        key,
                        "`per_block` takes no value: write `#[soa(per_block)]`",
                    );
                    skip_value(meta.input)?;
                }
                if out.per_block.is_some() {
                    cx.error_spanned_by(
                        key,
                        "duplicate `#[soa]` key `per_block` on this field; give it once",
                    );
                } else {
                    out.per_block = Some(syn::spanned::Spanned::span(key));
                }
            } else if CONTAINER_KEYS.contains(&name.as_str()) {
                cx.error_spanned_by(
                    key,
                    format!(
                        "`{name}` is a struct option: it goes in `#[soa(...)]` above `struct`; \
                         the only field option is `per_block`"
                    ),
                );
                skip_value(meta.input)?;
            } else {
                let hint = if edit_distance(&name, PER_BLOCK) <= 3 {
                    "did you mean `per_block`? "
                } else {
                    ""
                };
                cx.error_spanned_by(
                    key,
                    format!(
                        "unknown `#[soa]` field key `{name}`; {hint}the only field option is \
                         `per_block` (store the field once per block, not once per lane)"
                    ),
                );
                skip_value(meta.input)?;
            }
            Ok(())
        });
        if let Err(error) = result {
            cx.push(error);
        }
    }
    out
}

fn set_once<T>(
    slot: &mut Option<Spanned<T>>,
    value: Option<Spanned<T>>,
    key: &syn::Path,
    name: &str,
    cx: &mut Ctxt,
) {
    if slot.is_some() {
        cx.error_spanned_by(
            key,
            format!("duplicate `#[soa]` key `{name}`; give it once and delete the other"),
        );
    } else if value.is_some() {
        *slot = value;
    }
}

/// An unsuffixed or integer-suffixed literal. Anything else is reported (and skipped) here.
fn integer(input: ParseStream, key: &str, example: &str, cx: &mut Ctxt) -> Option<Spanned<u64>> {
    let expr: Expr = match input.parse() {
        Ok(expr) => expr,
        Err(error) => {
            cx.push(error);
            return None;
        }
    };
    let lit: Option<&LitInt> = match &expr {
        Expr::Lit(expr) => match &expr.lit {
            Lit::Int(lit) => Some(lit),
            Lit::Str(lit) => {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "`{key}` takes an integer, not a string: write `{key} = {}`",
                        lit.value()
                    ),
                );
                return None;
            }
            _ => None,
        },
        _ => None,
    };
    let Some(lit) = lit else {
        cx.error_spanned_by(
            &expr,
            format!("`{key}` takes an integer literal, e.g. `{key} = {example}`"),
        );
        return None;
    };
    match lit.base10_parse::<u64>() {
        Ok(value) => Some(Spanned {
            value,
            span: lit.span(),
        }),
        Err(_) => {
            cx.error_spanned_by(lit, format!("`{key} = {lit}` is not a valid number here"));
            None
        }
    }
}

fn reset_mode(input: ParseStream, cx: &mut Ctxt) -> syn::Result<Option<Spanned<ResetMode>>> {
    let lit: LitStr = input.parse()?;
    let mode = match lit.value().as_str() {
        "clear" => ResetMode::Clear,
        "zero" => ResetMode::Zero,
        other => {
            cx.error_spanned_by(
                &lit,
                format!(
                    "unknown reset mode \"{other}\"; use `reset = \"clear\"` (the default: O(1), \
                     lanes keep stale values) or `reset = \"zero\"` (every lane back to its default)"
                ),
            );
            return Ok(None);
        }
    };
    Ok(Some(Spanned {
        value: mode,
        span: lit.span(),
    }))
}

fn crate_path(input: ParseStream, cx: &mut Ctxt) -> syn::Result<Option<Spanned<syn::Path>>> {
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

fn parenthesized(input: ParseStream) -> syn::Result<TokenStream> {
    let content;
    syn::parenthesized!(content in input);
    content.parse()
}

/// Consumes `= value` or `(...)` after an unknown key, so the keys after it are still read.
fn skip_value(input: ParseStream) -> syn::Result<()> {
    if input.peek(Token![=]) {
        input.parse::<Token![=]>()?;
        input.parse::<Expr>()?;
    } else if input.peek(syn::token::Paren) {
        parenthesized(input)?;
    }
    Ok(())
}
