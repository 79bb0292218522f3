//! Parses `#[soa(...)]` into [`Attrs`] (on the struct) and [`FieldAttrs`] (on a field), keeping
//! each value's span. Only the syntax is checked here (an integer where an integer belongs, a
//! path in `crate`); ranges are `valid.rs`'s job. The keys are `symbol.rs`'s tables.

use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::{Attribute, Expr, Ident, Lit, LitInt, LitStr};

use crate::ctxt::Ctxt;
use crate::parse::{self, AttributeKeys, Place, Spanned};
use crate::symbol::{self, Symbol, NAME_KEYS, SOA, SOA_FIELD_KEYS, SOA_STRUCT_KEYS};

/// `#[soa(...)]`'s keys, and what to say when one is given in the other place.
const SOA_KEYS: AttributeKeys = AttributeKeys {
    field_key_on_struct: "`{name}` is a field option: put `#[soa({name})]` on the field that \
                          every row of a block shares, not on the struct",
    struct_key_on_field: "`{name}` is a struct option: it goes in `#[soa(...)]` above `struct`; \
                          the only field option is `per_block`",
    attribute: SOA,
    on_struct: SOA_STRUCT_KEYS,
    on_field: SOA_FIELD_KEYS,
};

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
    /// `names(key = Name, ...)`: the generated types the user renamed.
    pub renamed: Vec<(Symbol, Ident)>,
}

/// Reads every `#[soa(...)]` on the struct. Errors go to `cx`; parsing goes on after them.
pub(crate) fn parse_container(attrs: &[Attribute], cx: &mut Ctxt) -> Attrs {
    let mut out = Attrs::default();
    parse::for_each_key(attrs, &SOA_KEYS, Place::Struct, cx, |key, meta, cx| {
        match key {
            symbol::LANES => {
                let value = integer(meta.value()?, "lanes", "8", cx);
                parse::set_once(&mut out.lanes, value, meta, SOA, cx);
            }
            symbol::ALIGN => {
                let value = integer(meta.value()?, "align", "64", cx);
                parse::set_once(&mut out.align, value, meta, SOA, cx);
            }
            symbol::RESET_MODE => {
                let value = reset_mode(meta.value()?, cx)?;
                parse::set_once(&mut out.reset, value, meta, SOA, cx);
            }
            symbol::CRATE => {
                let value = parse::crate_path(meta.value()?, cx)?;
                parse::set_once(&mut out.krate, value, meta, SOA, cx);
            }
            symbol::DERIVE => out.derives.push(parse::parenthesized(meta.input)?),
            symbol::ATTR => out.forwarded.push(parse::parenthesized(meta.input)?),
            symbol::NAMES => meta.parse_nested_meta(|inner| {
                let Some(key) = NAME_KEYS.iter().find(|key| key.symbol.is(&inner.path)) else {
                    return parse::unknown_key(&inner, SOA, "in `names(...)`", NAME_KEYS, cx);
                };
                let name: Ident = inner.value()?.parse()?;
                if out.renamed.iter().any(|(given, _)| *given == key.symbol) {
                    cx.error_spanned_by(
                        &inner.path,
                        format!(
                            "duplicate `names(...)` key `{}`; give it once and delete the other",
                            key.symbol
                        ),
                    );
                } else {
                    out.renamed.push((key.symbol, name));
                }
                Ok(())
            })?,
            other => unreachable!("`{other}` is in SOA_STRUCT_KEYS but not read here"),
        }
        Ok(())
    });
    out
}

/// A field's `#[soa(...)]`.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    /// The span of the `per_block` key, when given.
    pub per_block: Option<Span>,
}

/// Reads every `#[soa(...)]` on a field. Errors go to `cx`; parsing goes on after them. Its
/// only key is `per_block`.
pub(crate) fn parse_field(field: &syn::Field, cx: &mut Ctxt) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    parse::for_each_key(
        &field.attrs,
        &SOA_KEYS,
        Place::Field,
        cx,
        |key, meta, cx| {
            parse::reject_value(meta, SOA, cx)?;
            if out.per_block.is_some() {
                cx.error_spanned_by(
                    &meta.path,
                    format!("duplicate `#[soa]` key `{key}` on this field; give it once"),
                );
            } else {
                out.per_block = Some(syn::spanned::Spanned::span(&meta.path));
            }
            Ok(())
        },
    );
    out
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
