//! The chunked read: chunks cut at line ends, parsed on worker threads (or, with one thread,
//! on the calling thread), delivered in input order.
//!
//! A raw `\n` or `\r` never occurs inside a valid N-Triples token (they are escaped in IRIs and
//! strings), so the input can be cut at any line break and each piece parsed on its own, as
//! oxttl's parallel parser and QLever do. Here:
//!
//! - the **calling thread** reads the input (decompression and standard input stay on one
//!   thread; wrapped in a [`ReadAhead`](crate::ingest::ReadAhead), as `knhk run` does, a read is a
//!   copy out of a buffer filled on another thread), fills chunk buffers taken from a
//!   [`SyncPool`] through the [cutter](super::cutter), each ending at its last line break (the unfinished line is carried into the next chunk), and
//!   hands them out;
//! - **workers** [parse the chunk](super::chunk) in place and run the caller's `prepare` step on the terms (the pipeline hashes
//!   them for its dictionary), and, when the read asks for it, [mark](super::repeats) each term
//!   that repeats an earlier one of the chunk (the pipeline then looks each distinct term of a
//!   chunk up once);
//! - the **calling thread** takes the parsed chunks back strictly in input order and hands the
//!   triples and errors to the callbacks ([`Deliver`]), adding each chunk's line count to number the next
//!   chunk's lines. So the triples, their order, the first error (line, column, message), the
//!   skipped count and anything the callback derives (dictionary ids, receipts) are those of
//!   the single-threaded scanner, whatever the schedule.
//!
//! With one thread ([`IngestOptions::threads`] 1) no thread is spawned: the calling thread
//! cuts, parses and delivers one chunk after another through the same functions, so the
//! look-ahead works there too and the results are the same by construction.
//!
//! The pool's capacity (`2 * threads + 2` chunks) bounds memory; chunk buffers, parsed-triple
//! lists and scratch strings are reused, so a long input allocates only while buffers grow.
//! A line that does not fit a chunk grows the buffer, up to [`IngestOptions::max_line_bytes`]:
//! past it the line is a [`NTriplesError::LineTooLong`](super::NTriplesError::LineTooLong) error at the same column as the
//! single-threaded scanner's, and its rest is read and dropped, never held. Unless errors are
//! skipped, no chunk is cut after it: the read stops at the limit, on an endless line too.

use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::Mutex;

use lanepool::{Reset, SyncGuard, SyncPool};

use super::chunk::{parse_chunk, Chunk, MarkChunk, ParseSettings};
use super::cutter::Cutter;
use super::deliver::Deliver;
use super::repeats::RepeatTable;
use crate::ingest::{IngestError, IngestOptions, IngestReport, Term};

/// A chunk on its way, numbered in input order.
type Numbered<'p, H> = (u64, SyncGuard<'p, Chunk<H>>);

/// Reads N-Triples with `options.threads - 1` parser threads; see the [module docs](self).
/// With `mark`, each parsed chunk's repeats are marked after `prepare` (on the worker).
pub(crate) fn run<R, H, P, E, D>(
    reader: R,
    options: &IngestOptions,
    prepare: &P,
    mark: Option<MarkChunk<H>>,
    mut out: D,
) -> Result<IngestReport, E>
where
    R: Read,
    H: Copy + Send + 'static,
    P: Fn(Term<'_>) -> H + Sync,
    E: From<IngestError>,
    D: Deliver<H, E>,
{
    let settings = ParseSettings::new(prepare, mark, options);
    let mut cutter = Cutter::new(reader, options);
    if options.threads <= 1 {
        // No thread spawned: the calling thread cuts, parses and delivers one chunk after
        // another, through the same code as the workers and the in-order delivery, so the
        // look-ahead works here too. One chunk exists at a time.
        let mut chunk = Chunk::default();
        let mut repeats = RepeatTable::default();
        loop {
            cutter.fill(&mut chunk.cut);
            parse_chunk(&mut chunk, &settings, &mut repeats);
            if out.deliver(&mut chunk)? {
                return Ok(out.report());
            }
            chunk.reset();
        }
    }
    let workers = options.threads.max(2) - 1;
    let capacity = 2 * options.threads.max(2) + 2;
    let pool: SyncPool<Chunk<H>> = SyncPool::new(capacity, Chunk::default);
    let (job_tx, job_rx) = mpsc::sync_channel::<Numbered<'_, H>>(capacity);
    let (done_tx, done_rx) = mpsc::sync_channel::<Option<Numbered<'_, H>>>(capacity);
    let job_rx = Mutex::new(job_rx);
    std::thread::scope(|scope| {
        // Owned by this closure, so that returning from it (at the end or on an error) drops
        // them before the scope joins the workers: they then see the end.
        let (job_tx, done_tx, done_rx) = (job_tx, done_tx, done_rx);
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            let (job_rx, settings) = (&job_rx, &settings);
            scope.spawn(move || {
                // A panic here (in `prepare`, say) must not leave the reading thread waiting
                // for this worker's chunk: it is told, returns, and the scope re-raises it.
                let notice = PanicNotice(&done_tx);
                // This thread's own: it stays in its core's cache from chunk to chunk.
                let mut repeats = RepeatTable::default();
                loop {
                    let job = match job_rx.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, mut chunk)) = job else { return };
                    parse_chunk(&mut chunk, settings, &mut repeats);
                    if notice.0.send(Some((seq, chunk))).is_err() {
                        return;
                    }
                }
            });
        }
        // Only the workers hold senders now: if they all stop, `recv` says so.
        drop(done_tx);
        let mut order = InOrder {
            parsed: (0..capacity).map(|_| None).collect(),
            next: 0,
            done_rx,
        };
        let mut sent = 0;
        let mut input_done = false;
        let file = out.file().clone();
        let stopped = || IngestError::Io {
            file: file.clone(),
            error: io::Error::other("an N-Triples parser thread stopped"),
        };
        // Returning drops the job sender, the receiver and the chunks held here, so the
        // workers see the end and the scope's join returns.
        loop {
            // Keep the workers fed; the pool's capacity bounds the chunks in flight.
            while !input_done {
                let Ok(mut chunk) = pool.acquire() else {
                    break;
                };
                cutter.fill(&mut chunk.cut);
                // A line over the limit ends the read unless it is skipped: nothing after it
                // is read (its rest may never end).
                input_done = chunk.cut.last
                    || (chunk.cut.too_long_column.is_some() && !options.skip_invalid);
                job_tx.send((sent, chunk)).map_err(|_| stopped())?;
                sent += 1;
            }
            let Some(mut chunk) = order.take_next() else {
                return Err(stopped().into());
            };
            if out.deliver(&mut chunk)? {
                return Ok(out.report());
            }
        }
    })
}

/// Sends `None` (a worker stopped) when dropped by a panic.
struct PanicNotice<'a, T>(&'a mpsc::SyncSender<Option<T>>);

impl<T> Drop for PanicNotice<'_, T> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // The reading thread may be gone already: then nobody waits.
            let _ = self.0.send(None);
        }
    }
}

/// The parsed chunks that arrived ahead of their turn.
struct InOrder<'p, H: Send> {
    /// Indexed by sequence number modulo the pool's capacity (no more are in flight).
    parsed: Vec<Option<SyncGuard<'p, Chunk<H>>>>,
    next: u64,
    done_rx: mpsc::Receiver<Option<Numbered<'p, H>>>,
}

impl<'p, H: Send> InOrder<'p, H> {
    /// The next chunk in input order, waiting for it; `None` when a worker panicked or none
    /// is left.
    fn take_next(&mut self) -> Option<SyncGuard<'p, Chunk<H>>> {
        let slots = self.parsed.len() as u64;
        let slot = (self.next % slots) as usize;
        while self.parsed[slot].is_none() {
            let (seq, chunk) = self.done_rx.recv().ok()??;
            self.parsed[(seq % slots) as usize] = Some(chunk);
        }
        self.next += 1;
        self.parsed[slot].take()
    }
}
