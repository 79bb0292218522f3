//! The derive's view of the input struct: its attributes and fields, after the shape checks a
//! struct must pass before there is anything to validate (it is a struct, and it has fields).

use proc_macro2::Span;
use quote::format_ident;
use syn::{Data, DeriveInput, Fields, Generics, Ident, Member, Type, Visibility};

use crate::ctxt::Ctxt;
use crate::soa::attr::{self, Attrs};

pub(crate) struct Input<'a> {
    pub ident: &'a Ident,
    pub vis: &'a Visibility,
    pub generics: &'a Generics,
    pub fields: Vec<Field<'a>>,
}

pub(crate) struct Field<'a> {
    /// The field's position in the struct.
    pub index: usize,
    /// How the row names it: `s` or `0`.
    pub member: Member,
    /// The block's array field and the stem of the accessors: `s` or `_0`.
    pub name: Ident,
    pub vis: &'a Visibility,
    pub ty: &'a Type,
    /// Cleared by validation when an accessor would clash; the field is still stored.
    pub accessors: bool,
    /// `#[soa(per_block)]`: stored once in the block's header, not once per lane (the span is
    /// the key's, for errors).
    pub per_block: Option<Span>,
}

impl Field<'_> {
    pub(crate) fn is_per_block(&self) -> bool {
        self.per_block.is_some()
    }
}

/// Parses the container attributes (always) and the fields (when the input is a struct with
/// fields). `None` means the shape is wrong and the caller emits the fallback.
pub(crate) fn parse<'a>(node: &'a DeriveInput, cx: &mut Ctxt) -> (Attrs, Option<Input<'a>>) {
    let attrs = attr::parse_container(&node.attrs, cx);
    let fields = match &node.data {
        Data::Struct(data) => match &data.fields {
            Fields::Named(named) if named.named.is_empty() => {
                cx.push(syn::Error::new(
                    named.brace_token.span.join(),
                    no_fields_message(node),
                ));
                None
            }
            Fields::Unnamed(unnamed) if unnamed.unnamed.is_empty() => {
                cx.push(syn::Error::new(
                    unnamed.paren_token.span.join(),
                    no_fields_message(node),
                ));
                None
            }
            Fields::Unit => {
                cx.error_spanned_by(&node.ident, no_fields_message(node));
                None
            }
            Fields::Named(_) | Fields::Unnamed(_) => Some(&data.fields),
        },
        Data::Enum(data) => {
            cx.error_spanned_by(
                &data.enum_token,
                "`#[derive(SoA)]` needs a struct, not an enum: each variant has its own fields, so \
                 the variants cannot share one set of lanes; derive SoA on a struct (one per \
                 variant, if you need several)",
            );
            None
        }
        Data::Union(data) => {
            cx.error_spanned_by(
                &data.union_token,
                "`#[derive(SoA)]` needs a struct, not a union: a union's fields overlap, so they \
                 cannot be split into separate lanes; use a struct",
            );
            None
        }
    };
    let input = fields.map(|fields| Input {
        ident: &node.ident,
        vis: &node.vis,
        generics: &node.generics,
        fields: fields
            .iter()
            .enumerate()
            .map(|(index, field)| {
                let field_attrs = attr::parse_field(field, cx);
                let (member, name) = match &field.ident {
                    Some(ident) => (Member::Named(ident.clone()), ident.clone()),
                    None => (
                        Member::Unnamed(index.into()),
                        format_ident!("_{}", index, span = field_span(field)),
                    ),
                };
                Field {
                    index,
                    member,
                    name,
                    vis: &field.vis,
                    ty: &field.ty,
                    accessors: true,
                    per_block: field_attrs.per_block,
                }
            })
            .collect(),
    });
    (attrs, input)
}

fn field_span(field: &syn::Field) -> Span {
    syn::spanned::Spanned::span(&field.ty)
}

fn no_fields_message(node: &DeriveInput) -> String {
    format!(
        "`#[derive(SoA)]` needs at least one field: `{}` has none, so its lanes would store \
         nothing; add the fields the rows carry, e.g. `struct {} {{ id: u32 }}`",
        node.ident, node.ident
    )
}
