//! The block's inherent items, as one table: each entry is the item's name and the function that
//! writes it. The expansion emits the table in order, and validation checks field accessors
//! against its names ([`is_reserved`], which `mod.rs` hands to `valid.rs`), so adding an item is
//! one entry here and nothing else.
//!
//! Row operations delegate to pool-core's `LaneBlock` (where the logic lives, once); the items
//! here only give them inherent names, so users need not import the trait.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::soa::context::{binding, fill, Block, LANES_START};

/// One generated inherent item.
pub(crate) struct Item {
    /// The item's name: no field accessor may take it.
    pub name: &'static str,
    pub expand: fn(&Block) -> TokenStream,
}

/// Every inherent item of a block, in the order they are emitted.
pub(crate) const INHERENT: &[Item] = &[
    Item {
        name: "LANES",
        expand: lanes,
    },
    Item {
        name: "ALIGN",
        expand: align,
    },
    Item {
        name: "new",
        expand: new,
    },
    Item {
        name: "pool",
        expand: pool,
    },
    Item {
        name: "sync_pool",
        expand: sync_pool,
    },
    Item {
        name: "len",
        expand: len,
    },
    Item {
        name: "is_empty",
        expand: is_empty,
    },
    Item {
        name: "is_full",
        expand: is_full,
    },
    Item {
        name: "push",
        expand: push,
    },
    Item {
        name: "pop",
        expand: pop,
    },
    Item {
        name: "get",
        expand: get,
    },
    Item {
        name: "get_ref",
        expand: get_ref,
    },
    Item {
        name: "get_mut",
        expand: get_mut,
    },
    Item {
        name: "set",
        expand: set,
    },
    Item {
        name: "clear",
        expand: clear,
    },
    Item {
        name: "truncate",
        expand: truncate,
    },
    Item {
        name: "iter",
        expand: iter,
    },
    Item {
        name: "iter_mut",
        expand: iter_mut,
    },
    Item {
        name: "lanes_mut",
        expand: lanes_mut,
    },
    Item {
        name: "fill_from",
        expand: fill_from,
    },
    Item {
        name: "extend",
        expand: extend,
    },
    Item {
        name: "retain",
        expand: retain,
    },
    Item {
        name: "swap_remove",
        expand: swap_remove,
    },
    Item {
        name: "sort_unstable_by_key",
        expand: sort_unstable_by_key,
    },
    Item {
        name: "active_mask",
        expand: active_mask,
    },
];

/// Whether `name` is one of the block's own items.
pub(crate) fn is_reserved(name: &str) -> bool {
    INHERENT.iter().any(|item| item.name == name)
}

fn lanes(b: &Block) -> TokenStream {
    let lanes = &b.lanes_lit;
    quote! {
        /// How many rows one block holds (`#[soa(lanes = ...)]`).
        pub const LANES: usize = #lanes;
    }
}

fn align(b: &Block) -> TokenStream {
    let align = &b.align_lit;
    quote! {
        /// The block's alignment in bytes (`#[soa(align = ...)]`).
        pub const ALIGN: usize = #align;
    }
}

fn new(b: &Block) -> TokenStream {
    let (checks, fields) = (&b.generic_checks, initial_fields(b));
    quote! {
        /// An empty block; every lane holds its field's default value.
        #[inline]
        #[must_use]
        pub fn new() -> Self {
            #checks
            Self { #fields }
        }
    }
}

/// The initial value of each field, in declaration order of the storage.
fn initial_fields(b: &Block) -> TokenStream {
    let private = &b.private;
    let len_field = &b.len_field;
    let lane_names = b.lane_fields.iter().map(|field| &field.name);
    let lane_fills = b.lane_fields.iter().map(|field| fill(field.ty, private));
    if b.has_header() {
        let block_names = b.block_fields.iter().map(|field| &field.name);
        let block_fills = b.block_fields.iter().map(|field| fill(field.ty, private));
        let lanes_start = format_ident!("{}", LANES_START);
        quote! {
            #( #block_names: #block_fills, )*
            #len_field: 0,
            #lanes_start: [],
            #( #lane_names: ::core::array::from_fn(|_| #lane_fills), )*
        }
    } else {
        quote! {
            #( #lane_names: ::core::array::from_fn(|_| #lane_fills), )*
            #len_field: 0,
        }
    }
}

fn pool(b: &Block) -> TokenStream {
    let private = &b.private;
    quote! {
        /// A pool of `capacity` empty blocks for one thread, all allocated now, each built
        /// where it lives (never on the stack, however large the block).
        ///
        /// # Panics
        ///
        /// If `capacity` exceeds the pool's maximum capacity.
        #[must_use]
        pub fn pool(capacity: usize) -> #private::Pool<Self> {
            #private::Pool::new_in_place(capacity)
        }
    }
}

fn sync_pool(b: &Block) -> TokenStream {
    let private = &b.private;
    quote! {
        /// A lock-free pool of `capacity` empty blocks to share between threads, all allocated
        /// now, each built where it lives (never on the stack, however large the block).
        ///
        /// # Panics
        ///
        /// If `capacity` exceeds the pool's maximum capacity.
        #[must_use]
        pub fn sync_pool(capacity: usize) -> #private::SyncPool<Self>
        where
            Self: 'static,
        {
            #private::SyncPool::new_in_place(capacity)
        }
    }
}

fn len(b: &Block) -> TokenStream {
    let len_field = &b.len_field;
    quote! {
        /// The number of active rows; they occupy lanes `0..len()`.
        #[inline]
        pub fn len(&self) -> usize {
            self.#len_field
        }
    }
}

fn is_empty(b: &Block) -> TokenStream {
    let len_field = &b.len_field;
    quote! {
        /// Whether no row is active.
        #[inline]
        pub fn is_empty(&self) -> bool {
            self.#len_field == 0
        }
    }
}

fn is_full(b: &Block) -> TokenStream {
    let (len_field, lanes) = (&b.len_field, &b.lanes_lit);
    quote! {
        /// Whether every lane is active, so [`push`](Self::push) would refuse.
        #[inline]
        pub fn is_full(&self) -> bool {
            self.#len_field >= #lanes
        }
    }
}

fn push(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Appends `row` in lane `len()`.
        ///
        /// # Errors
        ///
        /// `LaneError::Full` when every lane is active (and, with per-block fields,
        /// `LaneError::BlockFieldMismatch` when `row` differs from the block in one); the row is
        /// not stored.
        #[inline]
        pub fn push(&mut self, row: #row) -> ::core::result::Result<(), #private::LaneError> {
            <Self as #private::LaneBlock>::push(self, row)
        }
    }
}

fn pop(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Removes the last active row and returns it, or `None` when the block is empty.
        #[inline]
        pub fn pop(&mut self) -> ::core::option::Option<#row> {
            <Self as #private::LaneBlock>::pop(self)
        }
    }
}

fn get(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// The active row at `index`, by value, or `None` when `index >= len()`.
        #[inline]
        pub fn get(&self, index: usize) -> ::core::option::Option<#row> {
            <Self as #private::LaneBlock>::get(self, index)
        }
    }
}

fn get_ref(b: &Block) -> TokenStream {
    let (len_field, view) = (&b.len_field, b.view_ty_elided(&b.names.row_ref.hidden));
    let literal = b.view_literal(
        &b.names.row_ref.hidden,
        |lanes| quote!(&#lanes[index]),
        |value| quote!(#value),
    );
    let split = b.split_self();
    quote! {
        /// The active row at `index`, as a reference to each field, or `None` when
        /// `index >= len()`.
        #[inline]
        pub fn get_ref(&self, index: usize) -> ::core::option::Option<#view> {
            if index >= self.#len_field {
                return ::core::option::Option::None;
            }
            #split
            ::core::option::Option::Some(#literal)
        }
    }
}

fn get_mut(b: &Block) -> TokenStream {
    let (len_field, view) = (&b.len_field, b.view_ty_elided(&b.names.row_mut.hidden));
    let literal = b.view_literal(
        &b.names.row_mut.hidden,
        |lanes| quote!(&mut #lanes[index]),
        |value| quote!(&*#value),
    );
    let split = b.split_self();
    quote! {
        /// The active row at `index`, as a mutable reference to each lane field (per-block
        /// fields are shared by every row, so they come by shared reference; change them with
        /// their `_mut` accessor), or `None` when `index >= len()`.
        #[inline]
        pub fn get_mut(&mut self, index: usize) -> ::core::option::Option<#view> {
            if index >= self.#len_field {
                return ::core::option::Option::None;
            }
            #split
            ::core::option::Option::Some(#literal)
        }
    }
}

fn set(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Overwrites the active row at `index`.
        ///
        /// # Errors
        ///
        /// `LaneError::OutOfBounds` when `index >= len()` (and, with per-block fields,
        /// `LaneError::BlockFieldMismatch` when other rows are active and `row` differs from
        /// them in one); nothing is written.
        #[inline]
        pub fn set(&mut self, index: usize, row: #row) -> ::core::result::Result<(), #private::LaneError> {
            <Self as #private::LaneBlock>::set(self, index, row)
        }
    }
}

fn clear(b: &Block) -> TokenStream {
    let len_field = &b.len_field;
    quote! {
        /// Deactivates every row in O(1); the lanes keep their stale values.
        #[inline]
        pub fn clear(&mut self) {
            self.#len_field = 0;
        }
    }
}

fn truncate(b: &Block) -> TokenStream {
    let private = &b.private;
    quote! {
        /// Keeps the first `len` rows and deactivates the rest; does nothing when
        /// `len >= self.len()`.
        #[inline]
        pub fn truncate(&mut self, len: usize) {
            <Self as #private::LaneBlock>::truncate(self, len)
        }
    }
}

fn iter(b: &Block) -> TokenStream {
    let private = &b.private;
    quote! {
        /// The active rows, by value, in lane order.
        #[inline]
        pub fn iter(&self) -> #private::LaneIter<'_, Self> {
            <Self as #private::LaneBlock>::iter(self)
        }
    }
}

fn iter_mut(b: &Block) -> TokenStream {
    let (len_field, view) = (&b.len_field, b.view_ty_elided(&b.names.row_mut.hidden));
    let split = b.split_self();
    let lane_bindings: Vec<_> = b.lane_fields.iter().map(|field| binding(field)).collect();
    let block_bindings = b.block_fields.iter().map(|field| binding(field));
    // `a.zip(b).zip(c)` yields `((a, b), c)`.
    let mut zipped = quote!();
    let mut pattern = quote!();
    // Trait methods by path: the expansion may sit where no prelude is in scope.
    for (position, binding) in lane_bindings.iter().enumerate() {
        let lanes = quote!(::core::iter::IntoIterator::into_iter(&mut #binding[..__len]));
        if position == 0 {
            zipped = lanes;
            pattern = quote!(#binding);
        } else {
            zipped = quote!(::core::iter::Iterator::zip(#zipped, #lanes));
            pattern = quote!((#pattern, #binding));
        }
    }
    if lane_bindings.is_empty() {
        // Only reachable beside the error for a struct whose every field is per-block.
        zipped = quote!(0..__len);
        pattern = quote!(_);
    }
    let literal = b.view_of_bindings(&b.names.row_mut.hidden);
    quote! {
        /// The active rows, each as a mutable reference to every lane field (and a shared one
        /// to every per-block field), in lane order: change a row's fields in place, every
        /// column together.
        #[inline]
        pub fn iter_mut(&mut self) -> impl ::core::iter::ExactSizeIterator<Item = #view>
               + ::core::iter::DoubleEndedIterator
               + ::core::iter::FusedIterator {
            let __len = self.#len_field;
            #split
            #( let #block_bindings = &*#block_bindings; )*
            ::core::iter::Iterator::map(#zipped, move |#pattern| #literal)
        }
    }
}

fn lanes_mut(b: &Block) -> TokenStream {
    let view = b.view_ty_elided(&b.names.lanes_mut.hidden);
    let split = b.split_self();
    let literal = b.view_of_bindings(&b.names.lanes_mut.hidden);
    quote! {
        /// Every lane array (and per-block field) at once, mutably: read some columns while
        /// writing others, which one field's `_lanes_mut` at a time cannot do. Writing a lane
        /// does not make it active.
        #[inline]
        pub fn lanes_mut(&mut self) -> #view {
            #split
            #literal
        }
    }
}

fn fill_from(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Appends rows from the front of `rows` until the block is full, and returns how many
        /// it took; the rest, `rows[taken..]`, belong in the next block.
        #[inline]
        pub fn fill_from(&mut self, rows: &[#row]) -> usize {
            <Self as #private::LaneBlock>::fill_from(self, rows)
        }
    }
}

fn extend(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Appends rows from `rows` until the block is full, and returns those that did not
        /// fit, in order (an iterator: push them into the next block). Stops pulling from
        /// `rows` once the block is full.
        #[inline]
        pub fn extend<__I>(&mut self, rows: __I) -> #private::Leftover<__I::IntoIter>
        where
            __I: ::core::iter::IntoIterator<Item = #row>,
        {
            <Self as #private::LaneBlock>::extend(self, rows)
        }
    }
}

fn retain(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Keeps only the rows for which `keep` returns `true`, in order; rows move together
        /// across every column.
        #[inline]
        pub fn retain(&mut self, keep: impl ::core::ops::FnMut(&#row) -> bool) {
            <Self as #private::LaneBlock>::retain(self, keep)
        }
    }
}

fn swap_remove(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Removes the row at `index` and returns it; the last row takes its place (O(1)).
        ///
        /// # Errors
        ///
        /// `LaneError::OutOfBounds` when `index >= len()`; nothing changes.
        #[inline]
        pub fn swap_remove(&mut self, index: usize) -> ::core::result::Result<#row, #private::LaneError> {
            <Self as #private::LaneBlock>::swap_remove(self, index)
        }
    }
}

fn sort_unstable_by_key(b: &Block) -> TokenStream {
    let (private, row) = (&b.private, &b.row);
    quote! {
        /// Sorts the active rows by `key`; each row moves as a whole, every column together.
        /// Allocation-free.
        #[inline]
        pub fn sort_unstable_by_key<__K: ::core::cmp::Ord>(
            &mut self,
            key: impl ::core::ops::FnMut(&#row) -> __K,
        ) {
            <Self as #private::LaneBlock>::sort_unstable_by_key(self, key)
        }
    }
}

fn active_mask(b: &Block) -> TokenStream {
    let private = &b.private;
    quote! {
        /// Bit `i` is set for every active lane `i`: the low `len()` bits.
        #[inline]
        pub fn active_mask(&self) -> u64 {
            <Self as #private::LaneBlock>::active_mask(self)
        }
    }
}
