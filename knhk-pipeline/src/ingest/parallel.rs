//! Chunked N-Triples: chunks cut at line ends, parsed on worker threads (or, with one thread,
//! on the calling thread), delivered in input order.
//!
//! A raw `\n` or `\r` never occurs inside a valid N-Triples token (they are escaped in IRIs and
//! strings), so the input can be cut at any line break and each piece parsed on its own, as
//! oxttl's parallel parser and QLever do. Here:
//!
//! - the **calling thread** reads the input (decompression and standard input stay on one
//!   thread; wrapped in a [`ReadAhead`](super::ReadAhead), as `knhk run` does, a read is a
//!   copy out of a buffer filled on another thread), fills chunk buffers taken from a [`SyncPool`], each ending at its last line
//!   break (the unfinished line is carried into the next chunk), and hands them out;
//! - **workers** check a chunk as UTF-8 once, parse its lines in place (the parser finds each
//!   line's end; a rejected line is cut out and parsed again on its own, so its error is the
//!   line scanner's) and run the caller's `prepare` step on the terms (the pipeline hashes
//!   them for its dictionary);
//! - the **calling thread** takes the parsed chunks back strictly in input order and hands the
//!   triples and errors to the callbacks, adding each chunk's line count to number the next
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
//! past it the line is a [`NTriplesError::LineTooLong`] error at the same column as the
//! single-threaded scanner's, and its rest is read and dropped, never held.

use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use lanepool::{Reset, SyncGuard, SyncPool};
use memchr::{memchr2, memrchr2};

use super::ntriples::{column_of, parse_pieces, NTriplesError, TriplePieces, TripleSpans};
use super::{
    handle_invalid, IngestError, IngestOptions, IngestReport, SyntaxErrorKind, Term, Triple,
};

/// One parsed triple of a chunk: its ranges in the chunk's text (decoded escapes appended),
/// and what `prepare` made of its three terms.
struct ParsedTriple<H> {
    spans: TripleSpans,
    prepared: [H; 3],
}

/// A bad line of a chunk, with its line number inside the chunk (1-based).
#[derive(Clone, Copy)]
struct ChunkError {
    line: u64,
    column: u64,
    kind: NTriplesError,
    /// Triples of the chunk that come before it.
    before: usize,
}

/// A chunk of input and, once a worker has seen it, its parse. Pooled: every buffer keeps its
/// capacity from one use to the next.
struct Chunk<H> {
    /// The raw bytes, as read (`..filled`; past it, stale bytes kept initialized so that a
    /// reused buffer is not zeroed again before each read); after parsing, a spare buffer.
    bytes: Vec<u8>,
    filled: usize,
    /// The chunk's text once checked as UTF-8 (the bytes moved in, not copied); for a chunk
    /// with invalid UTF-8, the text of its valid lines. After parsing, the decoded escapes
    /// follow it, so every term is a range of it.
    text: String,
    /// The previous chunk ended with `\r`: a `\n` at the start completes that line break.
    after_cr: bool,
    /// The chunk stands for one line longer than the limit (dropped): its error's column.
    too_long_column: Option<u64>,
    /// Nothing comes after this chunk.
    last: bool,
    /// Reading failed after this chunk's bytes: the error to report after its lines.
    io_error: Option<io::Error>,
    triples: Vec<ParsedTriple<H>>,
    /// Decoded escapes of the whole chunk.
    scratch: String,
    /// Lines in the chunk.
    lines: u64,
    errors: Vec<ChunkError>,
}

impl<H> Default for Chunk<H> {
    fn default() -> Self {
        Self {
            bytes: Vec::new(),
            filled: 0,
            text: String::new(),
            after_cr: false,
            too_long_column: None,
            last: false,
            io_error: None,
            triples: Vec::new(),
            scratch: String::new(),
            lines: 0,
            errors: Vec::new(),
        }
    }
}

impl<H> Reset for Chunk<H> {
    fn reset(&mut self) {
        // The parsed text's buffer becomes the next read buffer (its bytes stay: reads
        // overwrite them), and the spare the text's.
        let text = std::mem::take(&mut self.text).into_bytes();
        self.filled = 0;
        let mut spare = std::mem::replace(&mut self.bytes, text);
        spare.clear();
        // An empty buffer is always UTF-8.
        self.text = String::from_utf8(spare).unwrap_or_default();
        self.after_cr = false;
        self.too_long_column = None;
        self.last = false;
        self.io_error = None;
        self.triples.clear();
        self.scratch.clear();
        self.lines = 0;
        self.errors.clear();
    }
}

/// Cuts the input into chunks of whole lines.
struct Cutter<R> {
    reader: R,
    /// The unfinished line after the last chunk's last line break.
    carry: Vec<u8>,
    /// The last chunk ended with `\r`.
    after_cr: bool,
    /// A line longer than the limit is being dropped up to its line break.
    discarding: bool,
    eof: bool,
    chunk_bytes: usize,
    limit: usize,
}

impl<R: Read> Cutter<R> {
    fn new(reader: R, options: &IngestOptions) -> Self {
        Self {
            reader,
            carry: Vec::new(),
            after_cr: false,
            discarding: false,
            eof: false,
            chunk_bytes: options.chunk_bytes.max(1),
            limit: options.max_line_bytes,
        }
    }

    /// Reads into `buf` until it holds `want` bytes or the input ends.
    fn read_until(&mut self, buf: &mut Filled, want: usize) -> io::Result<()> {
        while buf.len < want && !self.eof {
            match self.reader.read(buf.spare_until(want)) {
                Ok(0) => self.eof = true,
                Ok(n) => buf.len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// Fills `chunk` with the next whole lines (or marks it as the input's end, or as a line
    /// over the limit). A read error keeps the whole lines read before it.
    fn fill<H>(&mut self, chunk: &mut Chunk<H>) {
        if let Err(error) = self.fill_lines(chunk) {
            chunk.io_error = Some(error);
            chunk.last = true;
            let keep = memrchr2(b'\n', b'\r', &chunk.bytes[..chunk.filled]).map_or(0, |t| t + 1);
            chunk.filled = keep;
        }
    }

    fn fill_lines<H>(&mut self, chunk: &mut Chunk<H>) -> io::Result<()> {
        let mut buf = Filled {
            bytes: std::mem::take(&mut chunk.bytes),
            len: 0,
        };
        let result = self.fill_buffer(&mut buf, chunk);
        chunk.bytes = buf.bytes;
        chunk.filled = buf.len;
        result
    }

    fn fill_buffer<H>(&mut self, buf: &mut Filled, chunk: &mut Chunk<H>) -> io::Result<()> {
        while self.discarding {
            self.read_until(buf, self.chunk_bytes)?;
            match memchr2(b'\n', b'\r', buf.data()) {
                Some(t) => {
                    self.after_cr = buf.data()[t] == b'\r';
                    buf.consume_front(t + 1);
                    self.discarding = false;
                }
                None => {
                    buf.clear();
                    if self.eof {
                        self.discarding = false;
                    }
                }
            }
        }
        chunk.after_cr = self.after_cr;
        buf.extend_from_slice(&self.carry);
        self.carry.clear();
        let mut searched = 0;
        let mut want = self.chunk_bytes;
        loop {
            self.read_until(buf, want)?;
            if let Some(off) = memrchr2(b'\n', b'\r', &buf.data()[searched..]) {
                let t = searched + off;
                self.carry.extend_from_slice(&buf.data()[t + 1..]);
                buf.truncate(t + 1);
                self.after_cr = buf.data()[t] == b'\r';
                chunk.last = self.eof && self.carry.is_empty();
                return Ok(());
            }
            searched = buf.len;
            // No line break: the whole buffer is one unfinished line.
            if buf.len > self.limit {
                // As the single-threaded reader: an error at the limit, the rest dropped.
                chunk.too_long_column = Some(column_of(buf.data(), self.limit));
                buf.clear();
                self.discarding = true;
                return Ok(());
            }
            if self.eof {
                // A last line without a line break.
                chunk.last = true;
                self.after_cr = false;
                return Ok(());
            }
            want = (buf.len.saturating_mul(2))
                .min(self.limit.saturating_add(1))
                .max(buf.len + 1);
        }
    }
}

/// A read buffer whose first `len` bytes are data; the rest of `bytes` is initialized but
/// stale, so reads go straight into it without zeroing it first.
struct Filled {
    bytes: Vec<u8>,
    len: usize,
}

impl Filled {
    fn data(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    /// `bytes[len..want]`, growing (and zeroing) only what was never initialized.
    fn spare_until(&mut self, want: usize) -> &mut [u8] {
        if self.bytes.len() < want {
            self.bytes.resize(want, 0);
        }
        &mut self.bytes[self.len..want]
    }

    fn extend_from_slice(&mut self, more: &[u8]) {
        let end = self.len + more.len();
        self.spare_until(end).copy_from_slice(more);
        self.len = end;
    }

    /// Drops the first `n` bytes of data.
    fn consume_front(&mut self, n: usize) {
        self.bytes.copy_within(n..self.len, 0);
        self.len -= n;
    }
}

/// Calls `each(start, end)` for each line of `bytes` (without its line break), as the
/// single-threaded reader splits lines: `\n`, `\r\n` or `\r`; a last line needs none. Stops
/// when `each` returns `false`.
fn for_each_line(bytes: &[u8], after_cr: bool, mut each: impl FnMut(usize, usize) -> bool) {
    let mut pos = usize::from(after_cr && bytes.first() == Some(&b'\n'));
    while pos < bytes.len() {
        let (end, next) = match memchr2(b'\n', b'\r', &bytes[pos..]) {
            Some(off) => {
                let t = pos + off;
                let crlf = bytes[t] == b'\r' && bytes.get(t + 1) == Some(&b'\n');
                (t, t + 1 + usize::from(crlf))
            }
            None => (bytes.len(), bytes.len()),
        };
        if !each(pos, end) {
            return;
        }
        pos = next;
    }
}

/// Where the line after the line break at `bytes[end]` starts (`\r\n` is one line break).
#[inline]
fn next_line_start(bytes: &[u8], end: usize) -> usize {
    let crlf = bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n');
    end + 1 + usize::from(crlf)
}

/// What a worker needs besides the chunk.
struct ParseSettings<'p, P> {
    prepare: &'p P,
    limit: usize,
    skip_invalid: bool,
}

/// A parsed triple's ranges (see [`TriplePieces::spans`]) and `prepare` run on its terms.
#[inline(always)]
fn prepare_triple<H, P>(
    prepare: &P,
    pieces: TriplePieces,
    text: &str,
    base: usize,
    scratch: &str,
    scratch_base: usize,
) -> ParsedTriple<H>
where
    P: Fn(Term<'_>) -> H,
{
    let triple = pieces.resolve(text, base, scratch);
    ParsedTriple {
        spans: pieces.spans(base, scratch_base),
        prepared: [
            prepare(triple.subject),
            prepare(triple.predicate),
            prepare(triple.object),
        ],
    }
}

/// Parses a chunk: its lines, its errors, `prepare` on each triple's terms.
fn parse_chunk<H, P>(chunk: &mut Chunk<H>, settings: &ParseSettings<'_, P>)
where
    P: Fn(Term<'_>) -> H,
{
    let mut bytes = std::mem::take(&mut chunk.bytes);
    bytes.truncate(chunk.filled);
    let valid = match String::from_utf8(bytes) {
        Ok(text) => {
            let mut spare = std::mem::replace(&mut chunk.text, text).into_bytes();
            spare.clear();
            chunk.bytes = spare;
            true
        }
        Err(error) => {
            chunk.bytes = error.into_bytes();
            chunk.text.clear();
            false
        }
    };
    let Chunk {
        bytes,
        text,
        after_cr,
        too_long_column,
        triples,
        scratch,
        lines,
        errors,
        ..
    } = chunk;
    let mut stopped = false;
    let mut fail = |lines: u64, column: u64, kind: NTriplesError, before: usize| {
        errors.push(ChunkError {
            line: lines,
            column,
            kind,
            before,
        });
        settings.skip_invalid
    };
    // `scratch_base`: where the scratch buffer will follow the text (0 when not yet known).
    let prepare = |pieces: TriplePieces, text: &str, base: usize, scratch: &str, scratch_base| {
        prepare_triple(settings.prepare, pieces, text, base, scratch, scratch_base)
    };
    if valid {
        // The common case: the chunk is UTF-8 as a whole, so no line is checked again, and
        // the parser finds each line's end as it goes. A line it rejects (or one over the
        // limit) is cut out and handled on its own as before, so its error is the
        // single-threaded scanner's.
        let text = text.as_str();
        let bytes = text.as_bytes();
        let mut start = usize::from(*after_cr && bytes.first() == Some(&b'\n'));
        while start < bytes.len() {
            *lines += 1;
            let scratch_len = scratch.len();
            let end = match parse_pieces(text, start, scratch) {
                Ok(line) if line.end - start <= settings.limit => {
                    if let Some(pieces) = line.triple {
                        triples.push(prepare(pieces, text, 0, scratch, text.len()));
                    }
                    line.end
                }
                _ => {
                    scratch.truncate(scratch_len);
                    let end = memchr2(b'\n', b'\r', &bytes[start..])
                        .map_or(bytes.len(), |off| start + off);
                    let line = &text[start..end];
                    let error = if line.len() > settings.limit {
                        (
                            settings.limit,
                            NTriplesError::LineTooLong {
                                limit: settings.limit,
                            },
                        )
                    } else {
                        match parse_pieces(line, 0, scratch) {
                            Ok(parsed) => {
                                // Not reached: a line that parses on its own parses in place.
                                if let Some(pieces) = parsed.triple {
                                    triples.push(prepare(pieces, text, start, scratch, text.len()));
                                }
                                start = next_line_start(bytes, end);
                                continue;
                            }
                            Err(error) => error,
                        }
                    };
                    let column = column_of(line.as_bytes(), error.0);
                    if !fail(*lines, column, error.1, triples.len()) {
                        stopped = true;
                        break;
                    }
                    end
                }
            };
            start = next_line_start(bytes, end);
        }
    } else {
        // Some line is not UTF-8: check line by line, gathering the good lines' text.
        for_each_line(bytes, *after_cr, |start, end| {
            *lines += 1;
            let raw = &bytes[start..end];
            let error = if raw.len() > settings.limit {
                (
                    settings.limit,
                    NTriplesError::LineTooLong {
                        limit: settings.limit,
                    },
                )
            } else {
                match std::str::from_utf8(raw) {
                    Err(e) => (e.valid_up_to(), NTriplesError::InvalidUtf8),
                    Ok(line) => {
                        let base = text.len();
                        text.push_str(line);
                        match parse_pieces(line, 0, scratch) {
                            Ok(parsed) => {
                                if let Some(pieces) = parsed.triple {
                                    triples.push(prepare(pieces, text, base, scratch, 0));
                                }
                                return true;
                            }
                            Err(error) => error,
                        }
                    }
                }
            };
            let column = column_of(raw, error.0);
            let go_on = fail(*lines, column, error.1, triples.len());
            stopped = !go_on;
            go_on
        });
    }
    if !valid {
        // The text grew line by line: only now is it known where the scratch will start.
        for parsed in triples.iter_mut() {
            parsed.spans.rebase_scratch(text.len());
        }
    }
    text.push_str(scratch);
    if let (Some(column), false) = (*too_long_column, stopped) {
        *lines += 1;
        let limit = settings.limit;
        fail(
            *lines,
            column,
            NTriplesError::LineTooLong { limit },
            triples.len(),
        );
    }
}

/// A chunk on its way, numbered in input order.
type Numbered<'p, H> = (u64, SyncGuard<'p, Chunk<H>>);

/// What the reading thread is shown of triples still to come; see
/// [`super::TripleReader::try_for_each_prepared_triple_looking_ahead`].
pub(super) struct LookAhead<'d, L> {
    pub(super) distances: &'d [usize],
    pub(super) call: L,
}

/// Reads N-Triples with `options.threads - 1` parser threads; see the [module docs](self).
pub(super) fn run<R, H, P, L, E, F, S>(
    reader: R,
    file: Arc<str>,
    options: &IngestOptions,
    prepare: &P,
    mut ahead: LookAhead<'_, L>,
    mut f: F,
    mut on_skipped: S,
) -> Result<IngestReport, E>
where
    R: Read,
    H: Copy + Send + 'static,
    P: Fn(Term<'_>) -> H + Sync,
    L: FnMut(usize, &[H; 3]),
    E: From<IngestError>,
    F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    if options.threads <= 1 {
        return run_here(reader, file, options, prepare, ahead, f, on_skipped);
    }
    let workers = options.threads.max(2) - 1;
    let capacity = 2 * options.threads.max(2) + 2;
    let pool: SyncPool<Chunk<H>> = SyncPool::new(capacity, Chunk::default);
    let settings = ParseSettings {
        prepare,
        limit: options.max_line_bytes,
        skip_invalid: options.skip_invalid,
    };
    let mut cutter = Cutter::new(reader, options);
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
                loop {
                    let job = match job_rx.lock() {
                        Ok(jobs) => jobs.recv(),
                        Err(_) => return,
                    };
                    let Ok((seq, mut chunk)) = job else { return };
                    parse_chunk(&mut chunk, settings);
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
        let mut report = IngestReport::default();
        let mut line_base = 0;
        let mut sent = 0;
        let mut input_done = false;
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
                cutter.fill(&mut chunk);
                input_done = chunk.last;
                job_tx.send((sent, chunk)).map_err(|_| stopped())?;
                sent += 1;
            }
            let Some(mut chunk) = order.take_next() else {
                return Err(stopped().into());
            };
            deliver(
                &mut chunk,
                line_base,
                &file,
                options.skip_invalid,
                &mut report,
                &mut ahead,
                &mut f,
                &mut on_skipped,
            )?;
            line_base += chunk.lines;
            if chunk.last {
                return Ok(report);
            }
        }
    })
}

/// [`run`] with no thread spawned: the calling thread cuts, parses and delivers one chunk
/// after another, through the same code as the workers and the in-order delivery, so the
/// look-ahead works here too. One chunk exists at a time.
fn run_here<R, H, P, L, E, F, S>(
    reader: R,
    file: Arc<str>,
    options: &IngestOptions,
    prepare: &P,
    mut ahead: LookAhead<'_, L>,
    mut f: F,
    mut on_skipped: S,
) -> Result<IngestReport, E>
where
    R: Read,
    H: Copy,
    P: Fn(Term<'_>) -> H,
    L: FnMut(usize, &[H; 3]),
    E: From<IngestError>,
    F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    let settings = ParseSettings {
        prepare,
        limit: options.max_line_bytes,
        skip_invalid: options.skip_invalid,
    };
    let mut cutter = Cutter::new(reader, options);
    let mut chunk = Chunk::default();
    let mut report = IngestReport::default();
    let mut line_base = 0;
    loop {
        cutter.fill(&mut chunk);
        parse_chunk(&mut chunk, &settings);
        deliver(
            &mut chunk,
            line_base,
            &file,
            options.skip_invalid,
            &mut report,
            &mut ahead,
            &mut f,
            &mut on_skipped,
        )?;
        line_base += chunk.lines;
        if chunk.last {
            return Ok(report);
        }
        chunk.reset();
    }
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

/// Hands a parsed chunk's triples and errors to the callbacks, in their order.
#[allow(clippy::too_many_arguments)]
fn deliver<H, L, E, F, S>(
    chunk: &mut Chunk<H>,
    line_base: u64,
    file: &Arc<str>,
    skip_invalid: bool,
    report: &mut IngestReport,
    ahead: &mut LookAhead<'_, L>,
    f: &mut F,
    on_skipped: &mut S,
) -> Result<(), E>
where
    H: Copy,
    L: FnMut(usize, &[H; 3]),
    E: From<IngestError>,
    F: FnMut(Triple<'_>, [H; 3]) -> Result<(), E>,
    S: FnMut(&IngestError),
{
    let text = chunk.text.as_str();
    let all = chunk.triples.as_slice();
    let mut each = |range: std::ops::Range<usize>, report: &mut IngestReport| {
        for at in range {
            for &distance in ahead.distances {
                if let Some(later) = all.get(at + distance) {
                    (ahead.call)(distance, &later.prepared);
                }
            }
            let parsed = &all[at];
            report.triples += 1;
            f(parsed.spans.resolve(text), parsed.prepared)?;
        }
        Ok::<(), E>(())
    };
    let mut from = 0;
    for error in &chunk.errors {
        each(from..error.before, report)?;
        from = error.before;
        let error = IngestError::Syntax {
            file: file.clone(),
            line: line_base + error.line,
            column: error.column,
            kind: SyntaxErrorKind::NTriples(error.kind),
        };
        handle_invalid(error, skip_invalid, report, on_skipped)?;
    }
    each(from..all.len(), report)?;
    if let Some(error) = chunk.io_error.take() {
        return Err(IngestError::Io {
            file: file.clone(),
            error,
        }
        .into());
    }
    Ok(())
}
