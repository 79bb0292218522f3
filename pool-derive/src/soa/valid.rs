//! Checks what parsing could not: the ranges of `lanes` and `align`, and that no generated
//! accessor clashes with another. Every problem is reported, each on its own span, and an
//! invalid setting falls back to its default so the rest of the expansion still compiles and
//! the user sees only the errors that matter.

use std::collections::BTreeMap;

use proc_macro2::{TokenStream, TokenTree};
use quote::{quote, ToTokens};
use syn::Ident;

use crate::ctxt::Ctxt;
use crate::names::{accessor_names, block_accessor_names, Names, GENERATED};
use crate::soa::ast::{Field, Input};
use crate::soa::attr::{Attrs, ResetMode};
use crate::soa::settings::Settings;
use crate::symbol::Symbol;

pub(crate) const DEFAULT_LANES: usize = 8;
pub(crate) const MAX_LANES: u64 = 64;
pub(crate) const DEFAULT_ALIGN: usize = 64;
pub(crate) const MAX_ALIGN: u64 = 4096;

pub(crate) fn settings(attrs: Attrs, row: &Ident, cx: &mut Ctxt) -> Settings {
    let names = names(row, &attrs.renamed, cx);
    let lanes = match attrs.lanes {
        Some(lanes) if lanes.value == 0 => {
            cx.push(syn::Error::new(
                lanes.span,
                "`lanes = 0`: a block needs at least one lane; use a value from 1 to 64",
            ));
            DEFAULT_LANES
        }
        Some(lanes) if lanes.value > MAX_LANES => {
            cx.push(syn::Error::new(
                lanes.span,
                format!(
                    "`lanes = {}` is more than 64: the active lanes are tracked as bits of a \
                     `u64` mask; use at most 64 and spread longer runs over several blocks",
                    lanes.value
                ),
            ));
            DEFAULT_LANES
        }
        Some(lanes) => lanes.value as usize,
        None => DEFAULT_LANES,
    };
    let align_explicit = attrs.align.is_some();
    let align = match attrs.align {
        Some(align) if !align.value.is_power_of_two() => {
            cx.push(syn::Error::new(
                align.span,
                format!(
                    "`align = {}` is not a power of two; use {} (the next power of two), \
                     or another power of two up to 4096",
                    align.value,
                    align
                        .value
                        .checked_next_power_of_two()
                        .unwrap_or(MAX_ALIGN)
                        .min(MAX_ALIGN)
                ),
            ));
            DEFAULT_ALIGN
        }
        Some(align) if align.value > MAX_ALIGN => {
            cx.push(syn::Error::new(
                align.span,
                format!(
                    "`align = {}` is above 4096 (one page); use a power of two up to 4096 \
                     (64, one cache line, is the default)",
                    align.value
                ),
            ));
            DEFAULT_ALIGN
        }
        Some(align) => align.value as usize,
        None => DEFAULT_ALIGN,
    };
    Settings {
        names,
        lanes,
        align,
        align_explicit,
        reset: attrs.reset.map_or(ResetMode::Clear, |reset| reset.value),
        krate: attrs.krate.map_or_else(
            || quote!(::lanepool),
            |krate| krate.value.into_token_stream(),
        ),
        derives: attrs
            .derives
            .into_iter()
            .map(|derive| without_own_impls(derive, cx))
            .collect(),
        forwarded: attrs.forwarded,
    }
}

/// The traits the block implements itself, with why: a forwarded `derive` of one of them would
/// conflict with the block's own impl.
const OWN_IMPLS: &[(&str, &str)] = &[
    ("Debug", "`Debug` (its length and active rows) whenever the row does"),
    ("Clone", "`Clone` always (every field is `Copy`)"),
    ("PartialEq", "`PartialEq` (the active rows; inactive lanes are unobservable) whenever the row does"),
    ("Eq", "`Eq` whenever the row does"),
    ("Serialize", "`serde::Serialize` (the active rows, as a sequence) with lanepool's `serde` feature, whenever the row does"),
    ("Deserialize", "`serde::Deserialize` (a sequence of at most `LANES` rows) with lanepool's `serde` feature, whenever the row does"),
];

/// Reports and drops every forwarded derive the block already implements.
fn without_own_impls(derive: TokenStream, cx: &mut Ctxt) -> TokenStream {
    let mut kept = Vec::new();
    let mut item: Vec<TokenTree> = Vec::new();
    let mut flush = |item: &mut Vec<TokenTree>, cx: &mut Ctxt| {
        let own = match item.last() {
            Some(TokenTree::Ident(ident)) => OWN_IMPLS
                .iter()
                .find(|(name, _)| ident == name)
                .map(|(name, why)| (ident, name, why)),
            _ => None,
        };
        match own {
            Some((ident, name, why)) => cx.error_spanned_by(
                ident,
                format!(
                    "the block already implements {why}; remove `{name}` from \
                     `#[soa(derive(...))]`"
                ),
            ),
            None if !item.is_empty() => kept.push(item.iter().cloned().collect::<TokenStream>()),
            None => {}
        }
        item.clear();
    };
    for token in derive {
        match &token {
            TokenTree::Punct(punct) if punct.as_char() == ',' => flush(&mut item, cx),
            _ => item.push(token),
        }
    }
    flush(&mut item, cx);
    quote!(#(#kept),*)
}

/// The accessors a field gets, by kind.
fn field_accessor_names(field: &Field) -> Vec<Ident> {
    if field.is_per_block() {
        block_accessor_names(&field.name).to_vec()
    } else {
        accessor_names(&field.name).to_vec()
    }
}

/// Whether a name is one the block's own items take: `items.rs`'s table, handed in by the
/// caller, so that checking never imports the modules that generate code.
pub(crate) type Reserved = fn(&str) -> bool;

/// Reports every accessor that would clash with the block's own items or with another field's
/// accessor, and turns the clashing field's accessors off so the expansion stays valid; and
/// a struct whose every field is `per_block` (its lanes would hold nothing).
pub(crate) fn fields(input: &mut Input, reserved: Reserved, cx: &mut Ctxt) {
    if input.fields.iter().all(Field::is_per_block) {
        if let Some(span) = input.fields.last().and_then(|field| field.per_block) {
            cx.push(syn::Error::new(
                span,
                format!(
                    "every field of `{}` is `#[soa(per_block)]`, so its lanes would hold \
                     nothing; keep at least one field per lane (remove `per_block` from it)",
                    input.ident
                ),
            ));
        }
    }
    let names: Vec<String> = input
        .fields
        .iter()
        .map(|field| unraw(&field.name))
        .collect();
    // accessor name (without `r#`) -> the field that generates it
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for field in &mut input.fields {
        let field_name = unraw(&field.name);
        let mut clash = None;
        for accessor in field_accessor_names(field) {
            let accessor = unraw(&accessor);
            if reserved(&accessor) {
                let rename = rename_suggestion(&field_name, field.is_per_block(), &names, reserved);
                clash = Some(format!(
                    "field `{field_name}` would get the accessor `{accessor}()`, which clashes \
                     with the block's own `{accessor}`; rename the field (e.g. `{rename}`)"
                ));
            } else if let Some(owner) = taken.get(&accessor) {
                clash = Some(format!(
                    "field `{field_name}` would get the accessor `{accessor}()`, which clashes with \
                     an accessor of field `{owner}`; rename one of the two fields"
                ));
            }
            if clash.is_some() {
                break;
            }
        }
        match clash {
            Some(message) => {
                cx.error_spanned_by(&field.name, message);
                field.accessors = false;
            }
            None => {
                for accessor in field_accessor_names(field) {
                    taken.insert(unraw(&accessor), field_name.clone());
                }
            }
        }
    }
}

/// A new name for a field whose accessors clash with the block's items: snake case, no double
/// underscore (so the accessors it gets compile without warnings), and clashing with nothing.
pub(crate) fn rename_suggestion(
    field: &str,
    per_block: bool,
    fields: &[String],
    reserved: Reserved,
) -> String {
    let stem = field.trim_matches('_');
    let stem = if stem.is_empty() { "field" } else { stem };
    ["value", "field", "col"]
        .iter()
        .map(|suffix| format!("{stem}_{suffix}"))
        .chain((2..).map(|n| format!("{stem}_{n}")))
        .find(|candidate| {
            let ident = Ident::new(candidate, proc_macro2::Span::call_site());
            let accessors: Vec<Ident> = if per_block {
                block_accessor_names(&ident).to_vec()
            } else {
                accessor_names(&ident).to_vec()
            };
            !fields.contains(candidate)
                && accessors.iter().all(|accessor| {
                    let accessor = accessor.to_string();
                    !reserved(&accessor)
                        && !fields.iter().any(|other| {
                            let other = Ident::new(other, proc_macro2::Span::call_site());
                            accessor_names(&other)
                                .iter()
                                .any(|taken| *taken == accessor)
                        })
                })
        })
        .expect("an unused numbered name exists")
}

fn unraw(ident: &Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_owned).unwrap_or(name)
}

/// The generated types' names. A renamed one that equals the row's name or another generated
/// name (a default one, or one renamed before it) is reported once, on the name the user
/// wrote, and falls back to its default.
fn names(row: &Ident, renamed: &[(Symbol, Ident)], cx: &mut Ctxt) -> Names {
    let what = |key: Symbol| {
        GENERATED
            .iter()
            .find(|generated| generated.key == key)
            .map_or("", |generated| generated.what)
    };
    let mut kept: Vec<(Symbol, Ident)> = Vec::new();
    for (key, name) in renamed {
        let defaults = GENERATED
            .iter()
            .filter(|generated| renamed.iter().all(|(given, _)| *given != generated.key))
            .map(|generated| (generated.key, generated.name(row, &[])));
        let taken_by = if name == row {
            Some("the row struct".to_string())
        } else {
            defaults
                .chain(kept.iter().cloned())
                .find(|(_, other)| other == name)
                .map(|(other, _)| format!("{} (`names({other} = ...)`)", what(other)))
        };
        match taken_by {
            Some(other) => cx.error_spanned_by(
                name,
                format!(
                    "`{name}` cannot name {} (`names({key} = ...)`): {other} has that name; \
                     pick another",
                    what(*key)
                ),
            ),
            None => kept.push((*key, name.clone())),
        }
    }
    Names::new(row, &kept)
}
