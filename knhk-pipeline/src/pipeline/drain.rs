//! Drain and emit: reflex over every held block, then the held receipts go out (action
//! hashes, Merkle leaves, the lockchain's commits) and every guard goes home.

use lanepool::OwnedGuard;

use crate::emit::Sink;
use crate::hooks::HookRegistry;
use crate::provenance::lockchain::{leaf_hashes, LeafBuffers, Lockchain, ReceiptView};
use crate::provenance::receipt::{action_hashes, add_hashes, ActionBuffers, BlockDigest, Receipt};
use crate::provenance::Hash256;

use super::budget::HookState;
use super::{run_end, Pipeline, PipelineError, Run};

impl Pipeline {
    /// Reflex over every held block (the hot pass, the blocks' digests, then each block's
    /// second pass), then emit the held receipts; every guard goes home.
    pub(super) fn drain<S: Sink>(
        &mut self,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let mut held = std::mem::take(&mut self.held_blocks);
        self.hot_pass(&held);
        // Within the capacity reserved at construction: no allocation.
        self.digests.resize(held.len(), BlockDigest::default());
        BlockDigest::of_each(&held, &mut self.digests, &mut self.digest_buffers);
        // The held blocks are sorted by predicate: one run of them at a time.
        let mut start = 0;
        let mut result = Ok(());
        while start < held.len() && result.is_ok() {
            let end = run_end(&held, start, |block| *block.p());
            result = self.evaluate_run(start, &held[start..end], sink, run);
            start = end;
        }
        held.clear();
        self.held_blocks = held;
        result?;
        Emission {
            held: &mut self.held_receipts,
            digests: &self.digests,
            hooks: &self.hooks,
            hook_states: &mut self.hook_states,
            chain: &mut self.chain,
        }
        .emit(sink, run)
    }
}

/// The held receipts on their way out, with what emitting them reads and updates.
pub(super) struct Emission<'a> {
    pub(super) held: &'a mut HeldReceipts,
    /// The held blocks' digests, which the receipts' action hashes are made from.
    pub(super) digests: &'a [BlockDigest],
    /// The hooks, whose names and kinds the Merkle leaves hash.
    pub(super) hooks: &'a HookRegistry,
    /// Each hook's merged result, to which its receipts' action hashes are added.
    pub(super) hook_states: &'a mut [HookState],
    pub(super) chain: &'a mut Lockchain,
}

impl Emission<'_> {
    /// Emits and returns every held receipt (returned even when the sink fails), each
    /// pulse's commit right after its last receipt. First the receipts' action hashes (from
    /// their blocks' `digests`; each also added to its hook's merged result), then their
    /// Merkle leaves, are hashed eight at a time ([`crate::provenance::batch_hash`]) into `hashes`.
    pub(super) fn emit<S: Sink>(self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        let Emission {
            held,
            digests,
            hooks,
            hook_states,
            chain,
        } = self;
        fn view<'a>(hooks: &'a HookRegistry, receipt: &'a Receipt) -> ReceiptView<'a> {
            let hook = &hooks.hooks()[receipt.hook as usize];
            ReceiptView {
                receipt,
                hook: &hook.name,
                kind: hook.kind.name(),
            }
        }
        let HeldReceipts {
            receipts: held,
            hashes,
            action_buffers,
            leaf_buffers,
        } = held;
        // At most the receipt pool's capacity, reserved at construction: no allocation.
        hashes.resize(held.len(), [0; 32]);
        action_hashes(
            held.iter()
                .map(|(receipt, block)| (receipt.hook, &digests[*block], receipt.result)),
            hashes,
            action_buffers,
        );
        for ((receipt, _), a_hash) in held.iter_mut().zip(hashes.iter()) {
            receipt.a_hash = *a_hash;
            let merged = &mut hook_states[receipt.hook as usize].merged;
            merged.a_hash = add_hashes(&merged.a_hash, a_hash);
        }
        leaf_hashes(
            held.iter().map(|(receipt, _)| view(hooks, receipt)),
            hashes,
            leaf_buffers,
        );
        let result = held
            .iter()
            .zip(hashes.iter())
            .try_for_each(|((receipt, _), leaf)| {
                while let Some(commit) = chain.ready_commit(receipt.cycle) {
                    sink.commit(&commit)?;
                }
                chain.absorb_leaf(view(hooks, receipt), *leaf);
                sink.receipt(receipt, &hooks.hooks()[receipt.hook as usize])
            })
            .and_then(|()| {
                while let Some(commit) = chain.ready_commit(u64::MAX) {
                    sink.commit(&commit)?;
                }
                Ok(())
            });
        if result.is_ok() {
            run.summary.receipts += held.len() as u64;
        }
        held.clear();
        Ok(result?)
    }
}

/// Receipts not yet emitted, each with its block's position among the held blocks (its action
/// hash is computed at emission, from that block's digest), and room for their hashes.
pub(super) struct HeldReceipts {
    pub(super) receipts: Vec<(OwnedGuard<Receipt>, usize)>,
    /// The receipts' action hashes, then their leaves, as they are emitted.
    hashes: Vec<Hash256>,
    action_buffers: ActionBuffers,
    leaf_buffers: LeafBuffers,
}

impl HeldReceipts {
    pub(super) fn with_capacity(receipts: usize) -> Self {
        Self {
            receipts: Vec::with_capacity(receipts),
            hashes: Vec::with_capacity(receipts),
            action_buffers: ActionBuffers::default(),
            leaf_buffers: LeafBuffers::default(),
        }
    }

    /// Returns every receipt to its pool.
    pub(super) fn clear(&mut self) {
        self.receipts.clear();
    }
}
