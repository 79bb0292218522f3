//! Reflex: the hot pass runs each hot hook's kernel over its consecutive held blocks, timed
//! as one batch; each block's second pass then finishes every evaluation (parked ones run
//! here), resolves warm lanes with the dictionary, writes actions and takes a receipt.

use std::ops::Range;

use lanepool::{OwnedGuard, PoolError};

use crate::arch::{self, LaneIsa, LaneWork, Portable};
use crate::block::{EncodedTriple, RunTripleLanes};
use crate::dictionary::Dictionary;
use crate::emit::Sink;
use crate::hooks::Hook;
use crate::kernels::{self, LaneMatch, LaneTest};
use crate::ops::Writes;
use crate::provenance::receipt::Receipt;

use super::budget;
use super::drain::Emission;
use super::{run_end, Pipeline, PipelineError, Run};

/// One hot-pass answer, waiting for its block's second pass.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct HotAnswer {
    lanes: LaneMatch,
    ticks: u64,
    fresh: bool,
}

impl Pipeline {
    /// Runs each hot hook's kernel over its predicate's consecutive held blocks (they are
    /// sorted by predicate), and keeps the answers and amortised ticks for
    /// [`evaluate_run`](Self::evaluate_run): one timed batch per kernel family (the lookups,
    /// then the value tests), each holding every hot hook of the family over the run of its
    /// predicate, whatever the predicate.
    pub(super) fn hot_pass(&mut self, held: &[OwnedGuard<RunTripleLanes>]) {
        for value in [false, true] {
            self.hot_family(value, held);
        }
    }

    /// The hot pass's batch of one family (`value`: the value tests, else the lookups):
    /// every hot hook of the family over the held run of its predicate, one after another,
    /// ordered by [`Shape`](crate::kernels::Shape) so that each shape's loop runs back to
    /// back.
    ///
    /// Every evaluation of the batch gets the batch's ticks (less the counter's cost) over all
    /// its evaluations, and each hook the share of its evaluations: the family's loops differ
    /// by a lane test at most, and what a batch pays once whatever its size (its code's cold
    /// start after the drain's other work, a loop's mispredicted exit) is a cost of the
    /// family's work in the drain, borne by all of it rather than by whichever hook happened
    /// to have a block or two in the drain.
    fn hot_family(&mut self, value: bool, held: &[OwnedGuard<RunTripleLanes>]) {
        let Pipeline {
            hooks,
            hook_states,
            lane_tests,
            hot,
            hot_group,
            hot_lanes,
            hooks_per_predicate,
            ..
        } = self;
        // Within the capacity reserved at registration (a run per held block at most, each
        // with at most `hooks_per_predicate` hooks): no allocation.
        hot_group.clear();
        let mut start = 0;
        while start < held.len() {
            let end = run_end(held, start, |block| *block.p());
            for (slot, &index) in hooks.for_predicate(*held[start].p()).iter().enumerate() {
                let spec = hooks.hooks()[index as usize].kind.spec();
                if spec.is_warm() || lane_tests[index as usize].shape().is_value() != value {
                    continue;
                }
                if !hook_states[index as usize].skips_batch() {
                    hot_group.push(HotRun {
                        blocks: start..end,
                        slot,
                        index,
                    });
                }
            }
            start = end;
        }
        if hot_group.is_empty() {
            return;
        }
        // Each shape's runs together (an unstable sort: in place, never allocating).
        hot_group.sort_unstable_by_key(|run| lane_tests[run.index as usize].shape().rank());
        let (began, ended) = if value {
            arch::with_best_lanes(HotBatch::<true> {
                group: hot_group,
                tests: lane_tests,
                blocks: held,
                answers: hot_lanes,
            })
        } else {
            arch::with_best_lanes(HotBatch::<false> {
                group: hot_group,
                tests: lane_tests,
                blocks: held,
                answers: hot_lanes,
            })
        };
        let evaluations: u64 = hot_group.iter().map(|run| run.blocks.len() as u64).sum();
        let spent = ended
            .saturating_sub(began)
            .saturating_sub(arch::tick_overhead());
        // `arch::amortised` of the batch: `evaluations` is not 0, the group being non-empty.
        let ticks = spent.div_ceil(evaluations);
        let interrupted = budget::batch_interrupted(spent, evaluations);
        // Each run's share of `spent` in proportion to its evaluations, the shares summing to
        // `spent` exactly (each run takes the difference of the rounded running totals); its
        // answers go to their blocks' slots.
        let stride = *hooks_per_predicate;
        let mut done = 0;
        for run in hot_group.iter() {
            let before = u128::from(spent) * u128::from(done) / u128::from(evaluations);
            let lanes = &hot_lanes[done as usize..][..run.blocks.len()];
            done += run.blocks.len() as u64;
            let after = u128::from(spent) * u128::from(done) / u128::from(evaluations);
            for (position, &lanes) in run.blocks.clone().zip(lanes) {
                hot[position * stride + run.slot] = HotAnswer {
                    lanes,
                    ticks,
                    fresh: true,
                };
            }
            hook_states[run.index as usize].record(
                (after - before) as u64,
                run.blocks.len() as u64,
                interrupted,
            );
        }
    }

    /// Finishes the evaluation of every hook bound to the predicate of `blocks`, a run of held
    /// blocks of one predicate from position `first` on, block by block: takes the hot pass's
    /// answer or evaluates a parked hook now, resolves warm lanes with the dictionary, writes
    /// actions, and receipts the block's result (merged into the hook's whole-run result; its
    /// action hash is added at emission); then the block's beat. The hooks of the predicate are
    /// looked up once for the run.
    pub(super) fn evaluate_run<S: Sink>(
        &mut self,
        first: usize,
        blocks: &[OwnedGuard<RunTripleLanes>],
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let Pipeline {
            hooks,
            dictionary,
            receipts,
            held_receipts,
            digests,
            hook_states,
            hot,
            hooks_per_predicate,
            next_seq,
            chain,
            ..
        } = self;
        let Some(predicate) = blocks.first().map(|block| *block.p()) else {
            return Ok(());
        };
        let indices = hooks.for_predicate(predicate);
        for (position, block) in (first..).zip(blocks) {
            let block: &RunTripleLanes = block;
            let digest = &digests[position];
            for (slot, &index) in indices.iter().enumerate() {
                let hook = &hooks.hooks()[index as usize];
                let spec = hook.kind.spec();
                let answer = &mut hot[position * *hooks_per_predicate + slot];
                // A parked evaluation is timed here; a hot one was timed in its batch.
                let began = if answer.fresh { 0 } else { arch::ticks() };
                let (lanes, measured) = if answer.fresh {
                    answer.fresh = false;
                    (answer.lanes, Some(answer.ticks))
                } else {
                    run.summary.parked.total += 1;
                    if spec.is_warm() {
                        run.summary.parked.warm_op += 1;
                    } else {
                        run.summary.parked.over_budget += 1;
                    }
                    (
                        kernels::evaluate(Portable, spec.kernel, block, &hook.args),
                        None,
                    )
                };
                let mut matched = lanes.hot;
                if lanes.warm != 0 {
                    if measured.is_some() {
                        run.summary.parked.total += 1;
                        run.summary.parked.warm_lookup += 1;
                    }
                    matched |= kernels::warm::resolve(
                        spec.kernel,
                        &hook.args,
                        block,
                        lanes.warm,
                        dictionary,
                    );
                }
                let written = write_actions(spec.writes, hook, block, matched, dictionary, sink)?;
                run.summary.actions += written;
                run.summary.hooks_evaluated += 1;
                let ticks = measured.unwrap_or_else(|| arch::amortised(began, arch::ticks(), 1));

                let mut receipt = match receipts.acquire_owned() {
                    Err(PoolError::Exhausted { .. }) => {
                        run.summary.pool_drains += 1;
                        Emission {
                            held: held_receipts,
                            digests,
                            hooks,
                            hook_states,
                            chain,
                        }
                        .emit(sink, run)?;
                        receipts.acquire_owned()?
                    }
                    other => other?,
                };
                // The action hash is left at 0 (the merge's identity) until emission.
                *receipt = Receipt {
                    seq: *next_seq,
                    hook: index,
                    predicate: digest.predicate,
                    lanes: u64::from(digest.lanes),
                    result: u64::from(matched.count_ones()),
                    ticks,
                    ..Receipt::IDENTITY
                };
                chain.stamp(&mut receipt);
                *next_seq += 1;
                let state = &mut hook_states[index as usize];
                state.merged = state.merged.merge(&receipt);
                state.receipts += 1;
                if measured.is_none() {
                    state.parked_ticks = state.parked_ticks.saturating_add(ticks);
                    state.parked_evaluations += 1;
                }
                held_receipts.receipts.push((receipt, position));
            }
            chain.beat(digest);
        }
        Ok(())
    }
}

/// One hook over one run of held blocks of its predicate, in a hot-pass batch.
#[derive(Clone, Debug)]
pub(super) struct HotRun {
    /// The run's held blocks.
    blocks: Range<usize>,
    /// The hook's slot among its predicate's hooks.
    slot: usize,
    /// The hook's index.
    index: u32,
}

/// The kernels of the hooks of one family (`VALUE`: the value tests, else the lookups), each
/// over a run of its predicate's blocks, one after another: the hot pass's timed batch.
///
/// Each family's batch is compiled on its own, with only its family's loops: the branches
/// that choose a run's loop are then trained on that family's tests alone (a copy shared by
/// both families, which every drain runs one after the other, had them trained on the lookups
/// when the value tests came), and each copy is half the code to fetch.
struct HotBatch<'a, const VALUE: bool> {
    group: &'a [HotRun],
    /// Every hook's [`LaneTest`], by index.
    tests: &'a [LaneTest],
    /// The held blocks.
    blocks: &'a [OwnedGuard<RunTripleLanes>],
    /// The answers, one after another in the order of the runs and of their blocks: written
    /// in order, and to one place (the blocks' slots are scattered over `Pipeline::hot`).
    answers: &'a mut [LaneMatch],
}

impl<const VALUE: bool> LaneWork for HotBatch<'_, VALUE> {
    /// The tick counter before and after the kernels.
    type Output = (u64, u64);

    #[inline(always)]
    fn run<I: LaneIsa>(self, isa: I) -> (u64, u64) {
        let HotBatch {
            group,
            tests,
            blocks,
            mut answers,
        } = self;
        let began = arch::ticks();
        for run in group {
            // `answers` holds one a block for the most hooks a predicate has: enough.
            let (these, rest) = answers.split_at_mut(run.blocks.len());
            answers = rest;
            let test = tests[run.index as usize];
            // Always so (the group holds one family): the test lets the compiler keep only
            // this family's loops.
            if test.shape().is_value() == VALUE {
                test.each(isa, &blocks[run.blocks.clone()], these);
            }
        }
        (began, arch::ticks())
    }
}

/// Writes the actions of a warm op for the lanes in `matched`; returns how many.
fn write_actions<S: Sink>(
    writes: Writes,
    hook: &Hook,
    block: &RunTripleLanes,
    matched: u64,
    dictionary: &Dictionary,
    sink: &mut S,
) -> Result<u64, PipelineError> {
    let (p, o) = match (writes, hook.args.construct) {
        (Writes::Nothing, _) => return Ok(0),
        (Writes::Triple, _) => (*block.p(), None),
        (Writes::Constructed, Some((p, o))) => (p, Some(o)),
        // A construct8 hook always has both constants (the hook file requires them).
        (Writes::Constructed, None) => return Ok(0),
    };
    let mut left = matched;
    while left != 0 {
        let lane = left.trailing_zeros() as usize;
        left &= left - 1;
        let triple = EncodedTriple {
            s: block.s_lanes()[lane],
            p,
            o: o.unwrap_or(block.o_lanes()[lane]),
        };
        sink.action(triple, dictionary)?;
    }
    Ok(u64::from(matched.count_ones()))
}
