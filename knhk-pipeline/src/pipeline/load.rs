//! Load: ingest and encode each triple (or take it pre-encoded), stage it, and every
//! [`PipelineConfig::batch_triples`](super::PipelineConfig::batch_triples) triples group the
//! batch by predicate and load each predicate's run into pooled blocks, draining when the
//! block pool runs out.

use std::cell::Cell;
use std::io::Read;

use lanepool::alloc_count;
use lanepool::{OwnedGuard, PoolError};

use crate::block::{group_into_runs, EncodedTriple, RunTriple, RunTripleLanes, HOT_LANES};
use crate::dictionary::{Dictionary, DictionaryError, DocumentScope, TermHash, TermId};
use crate::emit::Sink;
use crate::ingest::{Repeat, Term, TripleReader};

use super::{run_end, Pipeline, PipelineError, Run};

impl Pipeline {
    /// Ingests and encodes every triple of `reader`, loading a batch whenever one is full.
    pub(super) fn execute_inner<R: Read, S: Sink>(
        &mut self,
        reader: TripleReader<R>,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        // With worker threads they mark the terms that repeat an earlier term of their chunk,
        // so this thread looks each distinct term of a chunk up once. With one thread nothing
        // is marked, and the per-triple step is compiled without the tests for marks.
        if reader.reads_in_parallel() {
            self.ingest::<true, R, S>(reader, sink, run)
        } else {
            self.ingest::<false, R, S>(reader, sink, run)
        }
    }

    /// [`Self::execute_inner`], with the marks of repeats used if `MARKED`.
    fn ingest<const MARKED: bool, R: Read, S: Sink>(
        &mut self,
        reader: TripleReader<R>,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let scope = self.dictionary.begin_document()?;
        // The ids of the current chunk's distinct terms, by their number in the chunk.
        let mut chunk_ids: Vec<TermId> = Vec::new();
        // Terms are hashed where they are parsed (for N-Triples on the worker threads, if any)
        // and interned here in input order, so ids do not depend on the schedule.
        // The triple `SLOT_AHEAD` places on gets its table lines prefetched, the one
        // `RECORD_AHEAD` on (lines cached by now) its records, so lookups rarely wait.
        // Only subjects and objects: a batch's few predicates stay cached anyway. Only once
        // the dictionary outgrows half the last-level cache (where its size is unknown,
        // always): below that its lines are cached, and the look-ahead and the hints cost
        // instructions for nothing (BENCHMARKS.md, "Instructions per triple").
        const SLOT_AHEAD: usize = 8;
        const RECORD_AHEAD: usize = 4;
        const LOOKING_AHEAD: &[usize] = &[SLOT_AHEAD, RECORD_AHEAD];
        let prefetch_from = crate::arch::last_level_cache_bytes().map_or(0, |bytes| bytes / 2);
        let distances = Cell::new(if prefetch_from == 0 {
            LOOKING_AHEAD
        } else {
            &[]
        });
        let hasher = self.dictionary.term_hasher();
        // What the look-ahead saw last, for `f` (which holds the dictionary) to prefetch.
        // Near a chunk's end nothing is shown: prefetching the last hints again is harmless.
        // Until something is shown (and for Turtle, always) the hints prefetch nothing.
        let slots_ahead = Cell::new([TermHash::NO_HINT; 2]);
        let records_ahead = Cell::new([TermHash::NO_HINT; 2]);
        let report = reader.try_for_each_marked_triple_looking_ahead(
            // Inlined into the parser's loop (compiled there for the best instruction set).
            #[inline(always)]
            |term| hasher.hash(term),
            &distances,
            |distance, &[hs, _, ho]: &[TermHash; 3]| {
                if distance == SLOT_AHEAD {
                    slots_ahead.set([hs, ho]);
                } else {
                    records_ahead.set([hs, ho]);
                }
            },
            // Inlined into each format's read loop (N-Triples delivery, Turtle), as a loop
            // body: called once per triple, it is too large for LLVM to inline into two
            // callers by itself.
            #[inline(always)]
            |triple, [hs, hp, ho]| {
                let dictionary = &mut self.dictionary;
                if dictionary.lookup_bytes() >= prefetch_from {
                    // From the next chunk on, the reader shows what is coming.
                    distances.set(LOOKING_AHEAD);
                    for hash in &slots_ahead.get() {
                        dictionary.prefetch_slot(scope, hash);
                    }
                    for hash in &records_ahead.get() {
                        dictionary.prefetch_record(scope, hash);
                    }
                }
                let ids = &mut chunk_ids;
                let [rs, rp, ro] = triple.repeats();
                let [s, p, o] = if MARKED {
                    // Each term's text is read only for a lookup, not for a repeat (inlined:
                    // out of line, a call per term cost more than the reading saves).
                    [
                        encode::<true>(
                            dictionary,
                            ids,
                            scope,
                            #[inline(always)]
                            || triple.subject(),
                            rs,
                            hs,
                        )?,
                        encode::<true>(
                            dictionary,
                            ids,
                            scope,
                            #[inline(always)]
                            || triple.predicate(),
                            rp,
                            hp,
                        )?,
                        encode::<true>(
                            dictionary,
                            ids,
                            scope,
                            #[inline(always)]
                            || triple.object(),
                            ro,
                            ho,
                        )?,
                    ]
                } else {
                    // Nothing to skip: the terms read up front, as the fewest instructions.
                    let terms = triple.triple();
                    [
                        encode::<false>(dictionary, ids, scope, || terms.subject, rs, hs)?,
                        encode::<false>(dictionary, ids, scope, || terms.predicate, rp, hp)?,
                        encode::<false>(dictionary, ids, scope, || terms.object, ro, ho)?,
                    ]
                };
                self.stage([s, p, o], sink, run)
            },
            |_skipped| {},
        )?;
        self.finish(sink, run)?;
        run.summary.skipped_invalid = report.skipped;
        run.summary.triples_ingested = report.triples + report.skipped;
        Ok(())
    }

    /// Stages one encoded triple, flushing the batch when it is full.
    #[inline]
    fn stage<S: Sink>(
        &mut self,
        [s, p, o]: [TermId; 3],
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        self.staging.push(RunTriple {
            s: s.to_u64(),
            p: p.to_u64(),
            o: o.to_u64(),
        });
        if self.staging.len() == self.config.batch_triples {
            self.flush_batch(sink, run)?;
        }
        Ok(())
    }

    /// Checks and stages every pre-encoded triple, loading a batch whenever one is full.
    pub(super) fn execute_encoded_inner<I: IntoIterator<Item = EncodedTriple>, S: Sink>(
        &mut self,
        triples: I,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<(), PipelineError> {
        let mut index = 0;
        // A batch has few predicates: one checked is not checked again for the next triple.
        let mut checked_predicate = None;
        for triple in triples {
            for (position, id) in [
                ("subject", triple.s),
                ("predicate", triple.p),
                ("object", triple.o),
            ] {
                if position == "predicate" && checked_predicate == Some(id) {
                    continue;
                }
                if TermId::from_u64(id)
                    .and_then(|term| self.dictionary.decode(term))
                    .is_none()
                {
                    return Err(PipelineError::ForeignId {
                        index,
                        position,
                        id,
                    });
                }
            }
            checked_predicate = Some(triple.p);
            self.staging.push(RunTriple::from(triple));
            index += 1;
            run.summary.triples_ingested = index;
            if self.staging.len() == self.config.batch_triples {
                self.flush_batch(sink, run)?;
            }
        }
        self.finish(sink, run)?;
        Ok(())
    }

    /// The input's end: the last batch, the chain's final commit, and the sink finished.
    fn finish<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        self.flush_batch(sink, run)?;
        let end = self.chain.commit_end();
        sink.commit(&end)?;
        sink.finish()?;
        Ok(())
    }

    /// Load, reflex and emit one staged batch: the measured hot path.
    fn flush_batch<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        let before = alloc_count::heap_ops();
        let result = self
            .load_batch(sink, run)
            .and_then(|()| self.drain(sink, run));
        run.hot_heap_ops += alloc_count::heap_ops() - before;
        self.staging.clear();
        result
    }

    /// Groups the batch by predicate and loads each run into blocks.
    fn load_batch<S: Sink>(&mut self, sink: &mut S, run: &mut Run) -> Result<(), PipelineError> {
        // Predicate runs in input order: deterministic, with no allocation.
        group_into_runs(&mut self.staging, &mut self.sort_scratch);
        let mut start = 0;
        while start < self.staging.len() {
            let len = run_end(&self.staging, start, |t| t.p) - start;
            run.summary.runs += 1;
            for chunk_start in (start..start + len).step_by(HOT_LANES) {
                let chunk_end = (chunk_start + HOT_LANES).min(start + len);
                let mut block = self.acquire_block(chunk_end - chunk_start, sink, run)?;
                // Every triple of the chunk has the run's predicate: the block takes them all.
                let taken = block.fill_from(&self.staging[chunk_start..chunk_end]);
                debug_assert_eq!(
                    taken,
                    chunk_end - chunk_start,
                    "a run chunk always fits its block"
                );
                run.summary.blocks += 1;
                run.summary.triples_loaded += taken as u64;
                self.held_blocks.push(block);
            }
            start += len;
        }
        Ok(())
    }

    /// A block from the pool, draining first if the pool is out.
    fn acquire_block<S: Sink>(
        &mut self,
        lanes: usize,
        sink: &mut S,
        run: &mut Run,
    ) -> Result<OwnedGuard<RunTripleLanes>, PipelineError> {
        match self.blocks.acquire_owned_for(lanes) {
            Err(PoolError::Exhausted { .. }) => {
                run.summary.pool_drains += 1;
                self.drain(sink, run)?;
                Ok(self.blocks.acquire_owned_for(lanes)?)
            }
            other => Ok(other?),
        }
    }
}

/// The id of `term`: if `MARKED` and it repeats an earlier term of its chunk, that term's id
/// from `chunk_ids`; else the dictionary's, kept in `chunk_ids` when its repeats will ask.
/// If `MARKED`, the term's text is read only for a lookup.
#[inline(always)]
fn encode<'t, const MARKED: bool>(
    dictionary: &mut Dictionary,
    chunk_ids: &mut Vec<TermId>,
    scope: DocumentScope,
    term: impl FnOnce() -> Term<'t>,
    repeat: Repeat,
    hash: TermHash,
) -> Result<TermId, DictionaryError> {
    if MARKED {
        // The first appearance came earlier in the chunk, so its id is kept.
        if let Some(&id) = repeat.repeat_of().and_then(|n| chunk_ids.get(n)) {
            return Ok(id);
        }
    }
    if MARKED {
        // No need to read an inline literal's text: the hash holds its id.
        if let Some(id) = hash.inline_id() {
            return Ok(id);
        }
    }
    let id = dictionary.encode_hashed(scope, term(), hash)?;
    if MARKED {
        // Numbered in order from 0 a chunk: a number is either kept already (from an earlier
        // chunk, overwritten now) or the next one.
        if let Some(n) = repeat.first_number() {
            debug_assert!(n <= chunk_ids.len(), "distinct terms are numbered in order");
            match chunk_ids.get_mut(n) {
                Some(kept) => *kept = id,
                None => chunk_ids.push(id),
            }
        }
    }
    Ok(id)
}
