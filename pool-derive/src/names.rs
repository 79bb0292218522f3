//! The names `#[derive(SoA)]` adds to the user's module, and the guard aliases: shared by the
//! expansion and by the fallback, which must declare the same names. Also the accessors each
//! field gets, which validation checks for clashes and the expansion writes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote, ToTokens};
use syn::{GenericParam, Generics, Ident, Visibility};

use crate::generics::fresh_lifetime;
use crate::symbol::{self, Symbol};

/// Every type the derive adds to the user's module: its `#[soa(names(...))]` key, the suffix its
/// default name puts after the row's name, and what it is, for messages. Row views (`Ref`,
/// `RefMut`, `LanesMut`) are structs defined under a hidden name (`__SoaTripleRef`) and given
/// their public name by an alias, so that generated code never spells the public name: a user's
/// type of that name then clashes with the alias alone, one error instead of a cascade.
pub(crate) const GENERATED: &[Generated] = &[
    Generated {
        key: symbol::BLOCK,
        suffix: "Lanes",
        what: "the block type",
    },
    Generated {
        key: symbol::GUARD,
        suffix: "Guard",
        what: "the `Pool` guard alias",
    },
    Generated {
        key: symbol::SYNC_GUARD,
        suffix: "SyncGuard",
        what: "the `SyncPool` guard alias",
    },
    Generated {
        key: symbol::OWNED_GUARD,
        suffix: "OwnedGuard",
        what: "the owned guard alias",
    },
    Generated {
        key: symbol::ROW_REF,
        suffix: "Ref",
        what: "the row view `get_ref` returns",
    },
    Generated {
        key: symbol::ROW_MUT,
        suffix: "RefMut",
        what: "the mutable row view `get_mut` returns",
    },
    Generated {
        key: symbol::LANES_MUT,
        suffix: "LanesMut",
        what: "the lane arrays view `lanes_mut` returns",
    },
    Generated {
        key: symbol::COLUMNS,
        suffix: "Columns",
        what: "the growable column alias",
    },
];

/// One entry of [`GENERATED`].
pub(crate) struct Generated {
    pub key: Symbol,
    pub suffix: &'static str,
    pub what: &'static str,
}

impl Generated {
    /// The name: the user's from `names(...)`, else the row's name and the suffix.
    pub(crate) fn name(&self, row: &Ident, renamed: &[(Symbol, Ident)]) -> Ident {
        renamed
            .iter()
            .find(|(key, _)| *key == self.key)
            .map(|(_, name)| name.clone())
            .unwrap_or_else(|| format_ident!("{}{}", row, self.suffix))
    }
}

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
    pub row_ref: View,
    /// `TripleRefMut<'a>`: one row, a mutable reference per lane field.
    pub row_mut: View,
    /// `TripleLanesMut<'a>`: every lane array of a block, mutably, at once.
    pub lanes_mut: View,
    /// `TripleColumns<S = Heap>`: a growable list of rows over blocks.
    pub columns: Ident,
}

/// A row view's names: `public` for users (an alias), `hidden` for the struct, which generated
/// code uses.
pub(crate) struct View {
    pub public: Ident,
    pub hidden: Ident,
}

impl View {
    fn new(public: Ident) -> Self {
        View {
            hidden: format_ident!("__Soa{}", public),
            public,
        }
    }
}

impl Names {
    /// The names for `row`, with the user's `names(...)` in place of the defaults.
    pub(crate) fn new(row: &Ident, renamed: &[(Symbol, Ident)]) -> Self {
        let name = |key: Symbol| {
            GENERATED
                .iter()
                .find(|generated| generated.key == key)
                .expect("every key has a GENERATED entry")
                .name(row, renamed)
        };
        Names {
            block: name(symbol::BLOCK),
            guard: name(symbol::GUARD),
            sync_guard: name(symbol::SYNC_GUARD),
            owned_guard: name(symbol::OWNED_GUARD),
            row_ref: View::new(name(symbol::ROW_REF)),
            row_mut: View::new(name(symbol::ROW_MUT)),
            lanes_mut: View::new(name(symbol::LANES_MUT)),
            columns: name(symbol::COLUMNS),
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
    let params = alias_params(generics);
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

/// The struct's generic parameters as a type alias declares them: bounds dropped (aliases
/// ignore them), defaults kept.
pub(crate) fn alias_params(generics: &Generics) -> Vec<TokenStream> {
    generics
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
        .collect()
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
