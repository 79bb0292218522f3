//! Drain and emit: reflex over every held block, then the held receipts go out (action
//! hashes, Merkle leaves, the lockchain's commits) and every guard goes home.

use std::ops::Range;

use lanepool::OwnedGuard;

use crate::emit::Sink;
use crate::hooks::HookRegistry;
use crate::provenance::lockchain::{
    leaf_hashes, LeafBuffers, Lockchain, ReceiptView, BEATS_PER_PULSE,
};
use crate::provenance::merkle::{roots_in_place, MAX_TREES};
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
        let mut roots = PulseRoots::of(held, hashes, chain, |receipt| view(hooks, receipt));
        let mut tree = 0;
        let result = held
            .iter()
            .zip(hashes.iter())
            .enumerate()
            .try_for_each(|(at, ((receipt, _), leaf))| {
                while let Some(commit) = chain.ready_commit(receipt.cycle) {
                    sink.commit(&commit)?;
                }
                // A whole pulse's receipts are absorbed together, before its first is written.
                match roots.whole[..roots.count].get(tree) {
                    _ if at < roots.absorbed => {}
                    Some(pulse) if pulse.start == at => {
                        let receipts = held[pulse.clone()].iter();
                        chain.absorb_rooted(
                            receipts.map(|(receipt, _)| view(hooks, receipt)),
                            &roots.roots[tree],
                        );
                        roots.absorbed = pulse.end;
                        tree += 1;
                    }
                    _ => chain.absorb_leaf(view(hooks, receipt), *leaf),
                }
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

/// The Merkle roots an emission computes together, level by level in shared batches, rather
/// than in each pulse's own tree (whose top levels would fill a batch's lanes one or two at a
/// time): the roots of the pulses all of whose receipts are among the held ones (see
/// [`Lockchain::is_whole_pulse`]), and the open leaves of the pulse whose receipts began in an
/// earlier emission and end in this one ([`Lockchain::is_pulse_tail`]), whose receipts are
/// absorbed first for that.
struct PulseRoots {
    /// Each whole pulse's receipts: a range of the held receipts, in order.
    whole: [Range<usize>; MAX_TREES],
    roots: [Hash256; MAX_TREES],
    count: usize,
    /// The held receipts absorbed already (the tail's, then each whole pulse's as its first
    /// is reached).
    absorbed: usize,
}

impl PulseRoots {
    /// The roots for `held`, whose leaves are `leaves` (overwritten where the roots are
    /// computed); absorbs the tail's receipts into `chain` and closes its tree.
    fn of<'a>(
        held: &'a [(OwnedGuard<Receipt>, usize)],
        leaves: &mut [Hash256],
        chain: &mut Lockchain,
        view: impl Fn(&'a Receipt) -> ReceiptView<'a>,
    ) -> Self {
        let pulse = |(receipt, _): &(OwnedGuard<Receipt>, usize)| receipt.cycle / BEATS_PER_PULSE;
        let mut roots = PulseRoots {
            whole: std::array::from_fn(|_| 0..0),
            roots: [[0; 32]; MAX_TREES],
            count: 0,
            absorbed: 0,
        };
        if held
            .first()
            .is_some_and(|first| chain.is_pulse_tail(pulse(first)))
        {
            roots.absorbed = run_end(held, 0, pulse);
            for ((receipt, _), leaf) in held[..roots.absorbed].iter().zip(leaves.iter()) {
                chain.absorb_leaf(view(receipt), *leaf);
            }
        }
        let tail = usize::from(roots.absorbed > 0 && !chain.open_leaves().is_empty());
        let mut start = roots.absorbed;
        while start < held.len() && tail + roots.count < MAX_TREES {
            let end = run_end(held, start, pulse);
            if chain.is_whole_pulse(pulse(&held[start])) {
                roots.whole[roots.count] = start..end;
                roots.count += 1;
            }
            start = end;
        }
        if tail + roots.count == 0 {
            return roots;
        }
        let mut trees: [&mut [Hash256]; MAX_TREES] = Default::default();
        let mut rest = leaves;
        let mut at = 0;
        for (tree, range) in trees[tail..].iter_mut().zip(&roots.whole[..roots.count]) {
            let (_, from) = std::mem::take(&mut rest).split_at_mut(range.start - at);
            let (leaves, after) = from.split_at_mut(range.len());
            *tree = leaves;
            rest = after;
            at = range.end;
        }
        if tail == 1 {
            trees[0] = chain.open_leaves();
        }
        roots_in_place(&mut trees[..tail + roots.count]);
        for (root, tree) in roots.roots.iter_mut().zip(&trees[tail..tail + roots.count]) {
            *root = tree[0];
        }
        if tail == 1 {
            let open = trees[0][0];
            chain.close_tree(&open);
        }
        roots
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
