//! [`BlockSource`]: where a [`Columns`](super::Columns) gets its blocks: the heap ([`Heap`]),
//! a [`Pool`], a [`SyncPool`], or an `Arc` of a [`SyncPool`].

use core::convert::Infallible;
use core::ops::{Deref, DerefMut};
use std::sync::Arc;

use crate::{Guard, OwnedGuard, Pool, PoolError, Reset, SyncGuard, SyncPool};

/// Hands out empty blocks of type `B` to a [`Columns`](super::Columns), which keeps each one
/// while it holds rows and drops it (returning a pooled block to its pool) once it holds none.
pub trait BlockSource<B> {
    /// What the column keeps per block: the block itself, or a guard of a pool.
    type Block: DerefMut<Target = B>;
    /// Why no block came: [`PoolError`] for a pool, [`Infallible`] for the heap.
    type Error;

    /// One more block. It need not be empty: the column clears it.
    ///
    /// # Errors
    ///
    /// When the source has no block to give (a pool's [`PoolError::Exhausted`]).
    fn block(&mut self) -> Result<Self::Block, Self::Error>;
}

/// Blocks from the global allocator, stored side by side in the column's own `Vec` (so a
/// kernel walks them as it would a `Vec` of blocks). Never refuses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Heap;

/// A block owned by a heap-backed column, in place in its `Vec`; derefs to the block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[repr(transparent)]
pub struct Inline<B>(B);

impl<B> Deref for Inline<B> {
    type Target = B;
    #[inline(always)]
    fn deref(&self) -> &B {
        &self.0
    }
}

impl<B> DerefMut for Inline<B> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut B {
        &mut self.0
    }
}

impl<B: Default> BlockSource<B> for Heap {
    type Block = Inline<B>;
    type Error = Infallible;

    #[inline]
    fn block(&mut self) -> Result<Inline<B>, Infallible> {
        Ok(Inline(B::default()))
    }
}

impl<'pool, B: Reset> BlockSource<B> for &'pool Pool<B> {
    type Block = Guard<'pool, B>;
    type Error = PoolError;

    #[inline]
    fn block(&mut self) -> Result<Guard<'pool, B>, PoolError> {
        self.acquire()
    }
}

impl<'pool, B: Reset> BlockSource<B> for &'pool SyncPool<B> {
    type Block = SyncGuard<'pool, B>;
    type Error = PoolError;

    #[inline]
    fn block(&mut self) -> Result<SyncGuard<'pool, B>, PoolError> {
        self.acquire()
    }
}

/// Owned guards: a column that may move to another thread and keeps its pool alive.
impl<B: Reset> BlockSource<B> for Arc<SyncPool<B>> {
    type Block = OwnedGuard<B>;
    type Error = PoolError;

    #[inline]
    fn block(&mut self) -> Result<OwnedGuard<B>, PoolError> {
        self.acquire_owned()
    }
}
