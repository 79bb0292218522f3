//! The field accessors, with the field's visibility: `s()`, `s_mut()`, `s_lanes()` and
//! `s_lanes_mut()` for a lane field, `p()` and `p_mut()` for a per-block one. Their names are
//! `names.rs`'s, which validation also uses to report clashes.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use syn::Ident;

use crate::names::{accessor_names, block_accessor_names};
use crate::soa::ast::Field;
use crate::soa::context::label;

/// `s()`, `s_mut()`, `s_lanes()`, `s_lanes_mut()` for one field, with the field's visibility.
pub(crate) fn accessors(field: &Field, len_field: &Ident, lanes: usize) -> TokenStream {
    let [active, active_mut, all, all_mut] = accessor_names(&field.name);
    let (name, ty, vis) = (&field.name, field.ty, field.vis);
    let lanes_lit = Literal::usize_unsuffixed(lanes);
    let label = label(field);
    let doc_active =
        format!("The active lanes of {label}: one value per active row, `len()` long.");
    let doc_active_mut = format!("The active lanes of {label}, mutably.");
    let doc_all = format!(
        "All {lanes} lanes of {label}, active or not, for branchless kernels: compute over every \
         lane, then keep the results whose bit is set in [`active_mask`](Self::active_mask)."
    );
    let doc_all_mut =
        format!("All {lanes} lanes of {label}, mutably. Writing a lane does not make it active.");
    quote! {
        #[doc = #doc_active]
        #[inline]
        #vis fn #active(&self) -> &[#ty] {
            &self.#name[..self.#len_field]
        }

        #[doc = #doc_active_mut]
        #[inline]
        #vis fn #active_mut(&mut self) -> &mut [#ty] {
            &mut self.#name[..self.#len_field]
        }

        #[doc = #doc_all]
        #[inline]
        #vis fn #all(&self) -> &[#ty; #lanes_lit] {
            &self.#name
        }

        #[doc = #doc_all_mut]
        #[inline]
        #vis fn #all_mut(&mut self) -> &mut [#ty; #lanes_lit] {
            &mut self.#name
        }
    }
}

/// `p()` and `p_mut()` for a per-block field, with the field's visibility.
pub(crate) fn block_accessors(field: &Field) -> TokenStream {
    let [shared, shared_mut] = block_accessor_names(&field.name);
    let (name, ty, vis) = (&field.name, field.ty, field.vis);
    let label = label(field);
    let doc = format!(
        "The block's value of per-block {label} (`#[soa(per_block)]`), shared by every active \
         row; set by the first row pushed into an empty block (stale while the block is empty)."
    );
    let doc_mut = format!(
        "The block's value of per-block {label}, mutably: writing it changes that field for \
         every active row at once."
    );
    quote! {
        #[doc = #doc]
        #[inline]
        #vis fn #shared(&self) -> &#ty {
            &self.#name
        }

        #[doc = #doc_mut]
        #[inline]
        #vis fn #shared_mut(&mut self) -> &mut #ty {
            &mut self.#name
        }
    }
}
