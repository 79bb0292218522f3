//! The names `#[derive(SoA)]` adds to the user's module, and the guard aliases: shared by the
//! expansion and by the fallback, which must declare the same names. Also the accessors each
//! field gets, which validation checks for clashes and the expansion writes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::{GenericParam, Generics, Ident, Visibility};

use crate::generics::fresh_lifetime;

/// The names the derive adds to the user's module.
pub(crate) struct Names {
    /// `TripleLanes`, the block.
    pub block: Ident,
    /// `TripleGuard<'pool>`, from a `Pool`.
    pub guard: Ident,
    /// `TripleSyncGuard<'pool>`, from a `SyncPool`.
    pub sync_guard: Ident,
    /// `TripleOwnedGuard`, from `SyncPool::acquire_owned`.
    pub owned_guard: Ident,
    /// `TripleRef<'a>`: one row, a reference per field.
    pub row_ref: Ident,
    /// `TripleRefMut<'a>`: one row, a mutable reference per lane field.
    pub row_mut: Ident,
    /// `TripleLanesMut<'a>`: every lane array of a block, mutably, at once.
    pub lanes_mut: Ident,
    /// `TripleColumns<S = Heap>`: a growable list of rows over blocks.
    pub columns: Ident,
}

impl Names {
    pub(crate) fn new(row: &Ident) -> Self {
        Names {
            block: format_ident!("{}Lanes", row),
            guard: format_ident!("{}Guard", row),
            sync_guard: format_ident!("{}SyncGuard", row),
            owned_guard: format_ident!("{}OwnedGuard", row),
            row_ref: format_ident!("{}Ref", row),
            row_mut: format_ident!("{}RefMut", row),
            lanes_mut: format_ident!("{}LanesMut", row),
            columns: format_ident!("{}Columns", row),
        }
    }
}

/// `TripleGuard<'pool>`, `TripleSyncGuard<'pool>`, `TripleOwnedGuard`: the guard types of the
/// block's pools, and `TripleColumns<S = Heap>`, the growable column over blocks, with the
/// struct's generic parameters (bounds dropped: aliases ignore them).
pub(crate) fn aliases(
    generics: &Generics,
    vis: &Visibility,
    names: &Names,
    block_args: &TokenStream,
    private: &TokenStream,
) -> TokenStream {
    let Names {
        block,
        guard,
        sync_guard,
        owned_guard,
        columns,
        ..
    } = names;
    let pool = fresh_lifetime(generics, "pool");
    let params = generics
        .params
        .iter()
        .map(|param| match param {
            GenericParam::Lifetime(param) => param.lifetime.to_token_stream(),
            GenericParam::Type(param) => {
                let ident = &param.ident;
                match &param.default {
                    Some(default) => quote!(#ident = #default),
                    None => quote!(#ident),
                }
            }
            GenericParam::Const(param) => {
                let (ident, ty) = (&param.ident, &param.ty);
                match &param.default {
                    Some(default) => quote!(const #ident: #ty = #default),
                    None => quote!(const #ident: #ty),
                }
            }
        })
        .collect::<Vec<_>>();
    let source = if generics
        .params
        .iter()
        .any(|param| matches!(param, GenericParam::Type(param) if param.ident == "S"))
    {
        quote!(__S)
    } else {
        quote!(S)
    };
    let owned_params = if params.is_empty() {
        quote!()
    } else {
        quote!(<#(#params),*>)
    };
    let doc_guard = format!(
        "A block from a [`{block}::pool`]: derefs to [`{block}`] and returns the block on drop."
    );
    let doc_sync_guard = format!(
        "A block from a [`{block}::sync_pool`]: derefs to [`{block}`] and returns the block on drop."
    );
    let doc_owned_guard = format!(
        "A block from an `Arc` of a [`{block}::sync_pool`] (`acquire_owned`): a `'static` guard \
         that keeps the pool alive."
    );
    let doc_columns = format!(
        "A growable list of rows over [`{block}`] blocks, from the heap or, with \
         `Columns::with_source(&pool)`, from a pool of them; `blocks_mut()` hands each block to \
         a kernel."
    );
    quote! {
        #[doc = #doc_columns]
        #vis type #columns<#(#params,)* #source = #private::Heap> =
            #private::Columns<#block #block_args, #source>;
        #[doc = #doc_guard]
        #vis type #guard<#pool, #(#params),*> = #private::Guard<#pool, #block #block_args>;
        #[doc = #doc_sync_guard]
        #vis type #sync_guard<#pool, #(#params),*> = #private::SyncGuard<#pool, #block #block_args>;
        #[doc = #doc_owned_guard]
        #vis type #owned_guard #owned_params = #private::OwnedGuard<#block #block_args>;
    }
}

/// The four accessors of a lane field, in the order they are generated.
pub(crate) fn accessor_names(stem: &Ident) -> [Ident; 4] {
    [
        stem.clone(),
        format_ident!("{}_mut", stem),
        format_ident!("{}_lanes", stem),
        format_ident!("{}_lanes_mut", stem),
    ]
}

/// The two accessors of a per-block field: it has one value, so no `_lanes` pair.
pub(crate) fn block_accessor_names(stem: &Ident) -> [Ident; 2] {
    [stem.clone(), format_ident!("{}_mut", stem)]
}
