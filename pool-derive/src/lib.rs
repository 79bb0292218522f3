//! Derive macros for [lanepool](https://docs.rs/lanepool). Use them through the `lanepool`
//! facade, which re-exports them behind its default `derive` feature; the generated code calls
//! into lanepool's runtime (pool-core) and nothing else.
//!
//! Each derive is a module (`soa/`, `reset/`) whose stages follow thiserror's layout: parse
//! (`attr.rs`, `ast.rs`), check (`valid.rs`; every error collected in a `ctxt::Ctxt` and
//! reported together), generate (`soa/` gives each part of the output its own file over one
//! context, assembled by `expand.rs`), and a fallback beside the errors when there is nothing
//! to expand. Each stage imports only the ones before it.
//!
//! What both share, in the order the stages use it: the attribute keys (`symbol.rs`), attribute
//! parsing helpers (`parse.rs`), the error collector (`ctxt.rs`), generics (`generics.rs`), the
//! names `SoA` adds to the user's module and to the block (`names.rs`), and the wrapping of
//! generated docs (`doc.rs`). `snapshots.rs` tests the expansions against checked-in output.
#![forbid(unsafe_code)]

mod ctxt;
mod doc;
mod generics;
mod names;
mod parse;
mod reset;
#[cfg(test)]
mod snapshots;
mod soa;
mod symbol;

use proc_macro::TokenStream;

/// Derives `<Name>Lanes`: a cache-line-aligned, fixed-lane Structure-of-Arrays block of `Name`
/// rows that lives in a lanepool `Pool` or `SyncPool`.
///
/// ```rust,ignore
/// use lanepool::SoA;
///
/// #[derive(Clone, Copy, Debug, PartialEq, SoA)]
/// #[soa(lanes = 8, align = 64)]
/// pub struct Triple { pub s: u64, pub p: u64, pub o: u64 }
///
/// let pool = TripleLanes::pool(16);          // 16 blocks, allocated once
/// let mut block = pool.acquire()?;           // TripleGuard: back to the pool on drop
/// block.push(Triple { s: 1, p: 2, o: 3 })?;
/// assert_eq!(block.s(), &[1]);               // the active lanes of one field
/// let all: &[u64; 8] = block.s_lanes();      // every lane, for branchless kernels
/// ```
///
/// (This example runs as a doctest on `lanepool::SoA`; a proc-macro crate cannot run it.)
///
/// # What it generates
///
/// For `#[derive(SoA)] struct Triple { s: u64, p: u64, o: u64 }`, with the struct's
/// visibility and generic parameters:
///
/// - `struct TripleLanes`: `#[repr(C, align(A))]`, one `[F; LANES]` array per field and a
///   length. The active rows are always lanes `0..len()`; every lane is always initialised.
///   Compile-time assertions check its alignment is exactly `A` and its size a multiple of `A`.
/// - Guard aliases `TripleGuard<'pool>` (from `TripleLanes::pool`), `TripleSyncGuard<'pool>`
///   (from `sync_pool`) and `TripleOwnedGuard` (from `SyncPool::acquire_owned`).
/// - Row views, as soa_derive has them: `TripleRef<'a>` (a `&` to each field of one row, from
///   `get_ref`), `TripleRefMut<'a>` (a `&mut` to each lane field of one row, from `get_mut` and
///   `iter_mut`; per-block fields stay `&`), and `TripleLanesMut<'a>` (every lane array at once,
///   mutably, from `lanes_mut`). Each has the row's fields by name, and the views have
///   `to_row()`. Each view is an alias of a struct under a hidden name (`__SoaTripleRef`, which
///   compiler messages show), so a type of yours with a view's name is one clash error.
/// - `TripleColumns<S = Heap>`: lanepool's `Columns` over `TripleLanes`, a growable list of rows
///   over as many blocks as it needs (`push`, `extend`, `retain`, `sort_by`, `iter_mut`,
///   `blocks_mut()` for kernels, `FromIterator`), its blocks from the heap or, with
///   `TripleColumns::with_source(&pool)`, from a pool of them.
/// - `LaneRowsMut` (the block's `iter_mut` for generic code, which `Columns::iter_mut` uses).
///
/// Every generated type can be renamed with `#[soa(names(...))]`, e.g. when the module already
/// has a `TripleRef`: the keys are `block`, `guard`, `sync_guard`, `owned_guard`, `row_ref`,
/// `row_mut`, `lanes_mut` and `columns`, each `= Name`. A name that is the row's own or another
/// generated type's is refused, on the name.
///
/// A type of yours named like a guard alias, a view or the column is one clash error (E0428).
/// The block is the exception: it is a struct under its own name, so that compiler messages
/// and your own `impl TripleLanes { ... }` blocks use that name. A type of yours named
/// `TripleLanes` is reported first as the clash (E0428), and then the generated impls, which
/// resolve to your type, fail too: rename the block with `names(block = ...)`. (Hiding the
/// block behind an alias would make every message name the hidden struct; a module would break
/// derives inside functions and doctests; an alias of an associated type would refuse your
/// inherent impls and leave the block out of rustdoc.)
///
/// Inherent items of `TripleLanes`:
///
/// | item | what it does |
/// |---|---|
/// | `const LANES: usize`, `const ALIGN: usize` | the settings |
/// | `new() -> Self`, `Default` | an empty block, each lane its field's `Default` |
/// | `pool(capacity) -> Pool<Self>`, `sync_pool(capacity) -> SyncPool<Self>` | pools of empty blocks |
/// | `len()`, `is_empty()`, `is_full()` | occupancy |
/// | `push(row) -> Result<(), LaneError>` | append; `LaneError::Full { lanes }` when full, nothing stored |
/// | `pop() -> Option<Triple>` | remove and return the last row |
/// | `get(i) -> Option<Triple>` | the active row `i`, by value |
/// | `get_ref(i) -> Option<TripleRef<'_>>`, `get_mut(i) -> Option<TripleRefMut<'_>>` | the active row `i`, by reference |
/// | `set(i, row) -> Result<(), LaneError>` | overwrite an active row; `LaneError::OutOfBounds { index, len }` otherwise |
/// | `clear()`, `truncate(len)` | O(1): the length goes down |
/// | `iter() -> LaneIter<'_, Self>` (also `&TripleLanes: IntoIterator`) | active rows by value; exact-size, double-ended |
/// | `iter_mut()` | active rows as `TripleRefMut`s; exact-size, double-ended |
/// | `lanes_mut() -> TripleLanesMut<'_>` | every field's lane array, mutably, at once (split borrows) |
/// | `fill_from(&[Triple]) -> usize` | appends until full, returns how many rows it took |
/// | `extend(rows) -> Leftover<_>` | appends from any iterator until full, returns the rows that did not fit |
/// | `retain(keep)`, `swap_remove(i)`, `sort_unstable_by_key(key)` | as on `Vec`; rows move together across columns |
/// | `active_mask() -> u64` | the low `len()` bits set |
/// | `s()` / `s_mut()` | the active lanes of field `s`, `&[u64]` / `&mut [u64]` |
/// | `s_lanes()` / `s_lanes_mut()` | all lanes of field `s`, `&[u64; LANES]` / `&mut [u64; LANES]` |
/// | `p()` / `p_mut()`, for a `#[soa(per_block)]` field `p` | the block's one value, `&u64` / `&mut u64` |
///
/// The accessors take the field's visibility; the rest is `pub`. Tuple structs name them after
/// the field's index: `_0()`, `_0_mut()`, `_0_lanes()`, `_0_lanes_mut()`.
///
/// Trait impls: `Default`; `Clone`; `Debug`, `PartialEq` and `Eq` when the row has them (over
/// the active rows only: inactive lanes are unobservable); `TryFrom<&[Triple]>`; with
/// lanepool's `serde` feature, `serde::Serialize` when the row has it (the active rows, as a
/// sequence of rows, at any lane count) and `serde::Deserialize` (a sequence of at most `LANES`
/// rows sharing the per-block fields; more, or mixed, is an error naming the row); lanepool's `Lanes` (so `pool.acquire_for(n)` refuses
/// `n > LANES`), `Reset` (run as a guard returns the block to its pool) and `LaneBlock` (the
/// same row operations, for code generic over blocks).
///
/// # `#[soa(...)]` keys
///
/// | key | default | meaning |
/// |---|---|---|
/// | `lanes = N` | `8` | rows per block, `1..=64` (the active mask is a `u64`) |
/// | `align = A` | `64` | block alignment in bytes: a power of two up to 4096, at least every field's alignment |
/// | `reset = "clear"` / `reset = "zero"` | `"clear"` | on return to a pool: O(1) clear, or also every lane back to its default |
/// | `crate = "path"` | `"::lanepool"` | where the runtime is, if you renamed the dependency or use `pool_core` directly |
/// | `derive(...)` | | derives forwarded to the block type, e.g. `derive(Debug, Clone)` |
/// | `attr(...)` | | any other attribute forwarded to the block type, e.g. `attr(allow(dead_code))` |
/// | `names(key = Name, ...)` | `TripleLanes`, ... | renames generated types (see above) |
///
/// Keys may be split over several `#[soa(...)]` attributes; each may appear once (`derive` and
/// `attr` any number of times). `derive(...)` may not name a trait the block implements itself
/// (`Debug`, `Clone`, `PartialEq`, `Eq`, `Serialize`, `Deserialize`).
///
/// # Per-block fields: `#[soa(per_block)]`
///
/// A field that every row of a block shares (the predicate of a run of triples, the graph of a
/// run of quads) can be stored once per block instead of once per lane:
///
/// ```rust,ignore
/// #[derive(Clone, Copy, Debug, PartialEq, SoA)]
/// #[soa(lanes = 8, align = 64)]
/// pub struct Triple { pub s: u64, #[soa(per_block)] pub p: u64, pub o: u64 }
/// // TripleLanes: [p, len | pad] [s; 8] [o; 8] = 3 cache lines (192 bytes), not 4.
/// ```
///
/// - Layout: the per-block fields and the length form a header at the start of the block; the
///   lane arrays start on the next `align` boundary, so a kernel reading the header and one
///   lane array touches exactly two `align`-sized lines. Without per-block fields the layout is
///   unchanged (lanes first, the length last).
/// - Rows still carry the field, and every active row has the block's value: `get`, `iter`
///   and `read_lane` return it. The first row pushed into an empty block sets it; after that,
///   `push` of a row with another value fails with `LaneError::BlockFieldMismatch { lane }`
///   (nothing stored), `fill_from` stops before the first such row (so a slice sorted by the
///   field splits into one block per run), and `set` may change it only when the row it
///   overwrites is the only active one. `p_mut()` changes it for every active row at once.
/// - The field gets `p()` and `p_mut()` (a reference to the one value) and no `_lanes`
///   accessors. Its type must be `Copy`, `Default` and `PartialEq` (the block compares values).
/// - At least one field must stay a lane field.
///
/// # Requirements on the struct
///
/// A struct (named or tuple) with at least one field. Every field type must be `Copy`, and
/// `Default` (arrays and tuples of `Default` types count, at any length): lanes start as the
/// default value. Generic structs get `Copy`/`Default` bounds on the block's impls for the field
/// types that mention a type parameter. No field may be named so that an accessor clashes with
/// an item above (a field `len` would get the accessor `len()`; the error suggests a name that
/// compiles cleanly, `len_value`). Every mistake is reported at once, each on the span that needs
/// changing.
#[proc_macro_derive(SoA, attributes(soa))]
pub fn derive_soa(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    doc::wrap_docs(soa::derive(&input)).into()
}

/// Derives lanepool's `Reset` for a struct: each field is reset with its own `Reset`, in
/// declaration order, so a pooled struct of buffers comes back with every buffer cleared.
///
/// ```rust,ignore
/// use lanepool::Reset;
///
/// #[derive(Default, Reset)]
/// struct Scratch {
///     rows: Vec<u64>,                 // cleared, capacity kept
///     names: std::collections::HashMap<u64, String>,
///     #[reset(skip)]
///     generation: u64,                // kept as the last user left it
///     #[reset(with = zero_cursor)]
///     cursor: usize,                  // `zero_cursor(&mut self.cursor)`
/// }
///
/// fn zero_cursor(cursor: &mut usize) { *cursor = 0 }
/// ```
///
/// (This example runs as a doctest on `lanepool::Reset`.)
///
/// Keys: `#[reset(skip)]` and `#[reset(with = path)]` on a field (`path` is any
/// `fn(&mut FieldType)`); `#[reset(crate = "path")]` on the struct when lanepool is renamed.
/// A field type without `Reset` fails on that field; generic field types get a `Reset` bound.
/// Enums and unions are refused with a message: reset them by hand.
#[proc_macro_derive(Reset, attributes(reset))]
pub fn derive_reset(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    doc::wrap_docs(reset::derive(&input)).into()
}
