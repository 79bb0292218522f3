// enum Row { A(u64) }

::core::compile_error! {
    "`#[derive(SoA)]` needs a struct, not an enum: each variant has its own fields, so the variants cannot share one set of lanes; derive SoA on a struct (one per variant, if you need several)"
}
/// Placeholder: `#[derive(SoA)]` on `Row` failed; see its error.
struct RowLanes {
    __soa_invalid: ::core::marker::PhantomData<fn() -> Row>,
}
/// A growable list of rows over [`RowLanes`] blocks, from the heap or, with
/// `Columns::with_source(&pool)`, from a pool of them; `blocks_mut()` hands each block to a
/// kernel.
type RowColumns<S = ::lanepool::__private::Heap> = ::lanepool::__private::Columns<
    RowLanes,
    S,
>;
/// A block from a [`RowLanes::pool`]: derefs to [`RowLanes`] and returns the block on drop.
type RowGuard<'pool> = ::lanepool::__private::Guard<'pool, RowLanes>;
/// A block from a [`RowLanes::sync_pool`]: derefs to [`RowLanes`] and returns the block on
/// drop.
type RowSyncGuard<'pool> = ::lanepool::__private::SyncGuard<'pool, RowLanes>;
/// A block from an `Arc` of a [`RowLanes::sync_pool`] (`acquire_owned`): a `'static` guard that
/// keeps the pool alive.
type RowOwnedGuard = ::lanepool::__private::OwnedGuard<RowLanes>;
const _: () = {
    impl RowLanes {
        /// Placeholder.
        pub const LANES: usize = 8;
        /// Placeholder.
        pub fn new() -> Self {
            Self {
                __soa_invalid: ::core::marker::PhantomData,
            }
        }
        /// Placeholder.
        pub fn pool(capacity: usize) -> ::lanepool::__private::Pool<Self> {
            ::lanepool::__private::Pool::with_default(capacity)
        }
        /// Placeholder.
        pub fn sync_pool(capacity: usize) -> ::lanepool::__private::SyncPool<Self>
        where
            Self: 'static,
        {
            ::lanepool::__private::SyncPool::with_default(capacity)
        }
    }
    #[automatically_derived]
    impl ::core::default::Default for RowLanes {
        fn default() -> Self {
            Self::new()
        }
    }
    #[automatically_derived]
    impl ::lanepool::__private::Lanes for RowLanes {
        const LANES: usize = 8;
    }
    #[automatically_derived]
    impl ::lanepool::__private::Reset for RowLanes {
        fn reset(&mut self) {}
    }
};
