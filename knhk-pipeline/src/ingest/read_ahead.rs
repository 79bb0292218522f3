//! [`ReadAhead`]: reads an input on a background thread, so the thread that parses it does
//! not spend its time in `read` system calls or in a decompressor.

use std::any::Any;
use std::fmt;
use std::io::{self, BufRead, Read};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::thread;

/// A [`Read`] (and [`BufRead`]) that reads its inner reader ahead on a thread of its own.
///
/// The background thread reads into a few large buffers (by default
/// [`ReadAhead::DEFAULT_BUFFERS`] × [`ReadAhead::DEFAULT_BUFFER_BYTES`], allocated once in
/// [`ReadAhead::new`]) and hands each filled one over through a bounded channel; `read` copies
/// out of the current one and returns it through a second channel when it is spent. After
/// start-up nothing allocates: the buffers are recycled and the channels' slots are fixed.
/// A user-space copy out of a buffer is much cheaper than the kernel's copy from the page
/// cache plus a system call, and a decompressor inside the inner reader runs on the
/// background thread too.
///
/// What `read` returns is what the inner reader returned, in the same order: the bytes, then
/// an error where the inner reader failed (each error once; the thread goes on reading after
/// it, as a caller retrying `read` would), then end of input (`Ok(0)`, from then on).
/// [`io::ErrorKind::Interrupted`] is retried on the background thread and never seen. A
/// panic in the inner reader becomes an error (the panic message is still printed by the
/// panic hook), and every `read` after it fails too: the input cannot go on.
///
/// Dropping a `ReadAhead` does not wait: the background thread stops at its next hand-over.
/// A thread blocked in a `read` of the inner reader (an idle terminal, a silent pipe) ends
/// when that read returns.
///
/// ```
/// use std::io::Read;
/// use knhk_pipeline::ingest::ReadAhead;
///
/// let mut text = String::new();
/// ReadAhead::new(&b"<http://ex.org/s> <http://ex.org/p> \"o\" .\n"[..])?
///     .read_to_string(&mut text)?;
/// assert!(text.ends_with(".\n"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub struct ReadAhead {
    filled: Receiver<Handover>,
    empty: SyncSender<Vec<u8>>,
    /// The buffer being read from, and how many of its bytes are input.
    current: Option<(Vec<u8>, usize)>,
    /// Bytes of `current` already returned.
    consumed: usize,
    state: State,
}

/// What the background thread hands over.
enum Handover {
    /// A buffer whose first `len` bytes are input.
    Bytes(Vec<u8>, usize),
    /// The inner reader failed (or panicked).
    Failed(io::Error),
    /// The inner reader reached its end; the thread has stopped.
    End,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Reading,
    Ended,
    /// The background thread is gone without an end of input (its reader panicked).
    Stopped,
}

impl ReadAhead {
    /// Buffers in flight by default.
    pub const DEFAULT_BUFFERS: usize = 4;
    /// Bytes per buffer by default (1 MiB: a read of a file this large is one system call).
    pub const DEFAULT_BUFFER_BYTES: usize = 1 << 20;

    /// Starts reading `inner` on a new thread, with the default buffers.
    ///
    /// # Errors
    ///
    /// The thread could not be spawned.
    pub fn new<R: Read + Send + 'static>(inner: R) -> io::Result<Self> {
        Self::with_buffers(inner, Self::DEFAULT_BUFFERS, Self::DEFAULT_BUFFER_BYTES)
    }

    /// Starts reading `inner` on a new thread into `buffers` buffers of `buffer_bytes` bytes
    /// each (both at least 1; a 0 counts as 1). Two buffers or more let the thread read
    /// while the caller copies.
    ///
    /// # Errors
    ///
    /// The thread could not be spawned.
    pub fn with_buffers<R: Read + Send + 'static>(
        inner: R,
        buffers: usize,
        buffer_bytes: usize,
    ) -> io::Result<Self> {
        let buffers = buffers.max(1);
        let (filled_sender, filled) = mpsc::sync_channel(buffers);
        let (empty, empty_receiver) = mpsc::sync_channel(buffers);
        for _ in 0..buffers {
            // Cannot fail: the channel has a slot for each buffer and its receiver is alive.
            let _ = empty.try_send(vec![0; buffer_bytes.max(1)]);
        }
        thread::Builder::new()
            .name("knhk-read-ahead".into())
            .spawn(move || read_ahead(inner, &filled_sender, &empty_receiver))?;
        Ok(Self {
            filled,
            empty,
            current: None,
            consumed: 0,
            state: State::Reading,
        })
    }

    /// Makes `current` hold unread bytes, unless the input has ended (then it is `None`).
    fn refill(&mut self) -> io::Result<()> {
        while self
            .current
            .as_ref()
            .is_none_or(|&(_, len)| self.consumed >= len)
        {
            match self.state {
                State::Reading => {}
                State::Ended => return Ok(()),
                State::Stopped => return Err(stopped()),
            }
            if let Some((spent, _)) = self.current.take() {
                // Never full (a slot per buffer); fails only once the thread is gone.
                let _ = self.empty.try_send(spent);
            }
            match self.filled.recv() {
                Ok(Handover::Bytes(buffer, len)) => {
                    self.current = Some((buffer, len));
                    self.consumed = 0;
                }
                Ok(Handover::Failed(error)) => return Err(error),
                Ok(Handover::End) => self.state = State::Ended,
                Err(mpsc::RecvError) => {
                    self.state = State::Stopped;
                    return Err(stopped());
                }
            }
        }
        Ok(())
    }
}

impl Read for ReadAhead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ReadAhead {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        self.refill()?;
        Ok(match &self.current {
            Some((buffer, len)) if self.state == State::Reading => &buffer[self.consumed..*len],
            _ => &[],
        })
    }

    fn consume(&mut self, amount: usize) {
        if let Some((_, len)) = &self.current {
            self.consumed = (self.consumed + amount).min(*len);
        }
    }
}

impl fmt::Debug for ReadAhead {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReadAhead")
            .field(
                "buffered",
                &self
                    .current
                    .as_ref()
                    .map_or(0, |&(_, len)| len - self.consumed),
            )
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

fn stopped() -> io::Error {
    io::Error::other("the read-ahead thread stopped after its input reader panicked")
}

/// The background thread: fills empty buffers and hands them over until the input ends or
/// the [`ReadAhead`] is dropped (a hand-over then fails).
fn read_ahead<R: Read>(mut inner: R, filled: &SyncSender<Handover>, empty: &Receiver<Vec<u8>>) {
    let run = panic::catch_unwind(AssertUnwindSafe(|| {
        // A buffer kept across an error, so an error costs no buffer.
        let mut spare = None;
        loop {
            let Some(mut buffer) = spare.take().or_else(|| empty.recv().ok()) else {
                return;
            };
            let handover = loop {
                match inner.read(&mut buffer) {
                    Ok(0) => break Handover::End,
                    Ok(len) => break Handover::Bytes(buffer, len),
                    Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                    Err(error) => {
                        spare = Some(buffer);
                        break Handover::Failed(error);
                    }
                }
            };
            let end = matches!(handover, Handover::End);
            if filled.send(handover).is_err() || end {
                return;
            }
        }
    }));
    if let Err(payload) = run {
        let _ = filled.send(Handover::Failed(io::Error::other(format!(
            "the input reader panicked: {}",
            panic_message(payload.as_ref())
        ))));
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
