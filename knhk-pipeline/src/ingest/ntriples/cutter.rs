//! The read loop: the input cut into chunks of whole lines.
//!
//! A raw `\n` or `\r` never occurs inside a valid N-Triples token (they are escaped in IRIs
//! and strings), so the input can be cut at any line break and each piece parsed on its own.
//! The [`Cutter`] reads large blocks into a [`Cut`], which ends at its last line break (the
//! unfinished line is carried into the next one). It knows line breaks (`\n`, `\r\n`, `\r`,
//! also split across two cuts) and the line length limit, nothing of the grammar: both the
//! line-at-a-time reader and the chunked one read through it.
//!
//! A line that does not fit a cut grows the buffer, up to [`IngestOptions::max_line_bytes`]:
//! past it the cut stands for that line alone, marked with the column where the limit hit,
//! and its rest is read and dropped, never held.

use std::io::{self, Read};

use memchr::{memchr2, memrchr2};

use super::error::column_of;
use crate::ingest::IngestOptions;

/// Whole lines cut from the input, as read. Reused from one cut to the next, so the buffer
/// keeps its capacity.
#[derive(Default)]
pub(crate) struct Cut {
    /// The raw bytes, as read (`..filled`; past it, stale bytes kept initialized so that a
    /// reused buffer is not zeroed again before each read).
    pub(super) bytes: Vec<u8>,
    pub(super) filled: usize,
    /// The previous cut ended with `\r`: a `\n` at the start completes that line break.
    pub(super) after_cr: bool,
    /// The cut stands for one line longer than the limit (dropped): its error's column.
    pub(super) too_long_column: Option<u64>,
    /// Nothing comes after this cut.
    pub(super) last: bool,
    /// Reading failed after this cut's bytes: the error to report after its lines.
    pub(super) io_error: Option<io::Error>,
}

impl Cut {
    /// The bytes read: whole lines, each with its line break (the input's last line may
    /// have none).
    pub(super) fn lines(&self) -> &[u8] {
        &self.bytes[..self.filled]
    }

    /// Forgets what was said about the last cut's end.
    pub(super) fn clear_marks(&mut self) {
        self.too_long_column = None;
        self.last = false;
        self.io_error = None;
    }
}

/// Cuts the input into chunks of whole lines.
pub(super) struct Cutter<R> {
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
    pub(super) fn new(reader: R, options: &IngestOptions) -> Self {
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

    /// Fills `cut` with the next whole lines (or marks it as the input's end, or as a line
    /// over the limit). A read error keeps the whole lines read before it.
    pub(super) fn fill(&mut self, cut: &mut Cut) {
        cut.clear_marks();
        if let Err(error) = self.fill_lines(cut) {
            cut.io_error = Some(error);
            cut.last = true;
            let keep = memrchr2(b'\n', b'\r', &cut.bytes[..cut.filled]).map_or(0, |t| t + 1);
            cut.filled = keep;
        }
    }

    fn fill_lines(&mut self, cut: &mut Cut) -> io::Result<()> {
        let mut buf = Filled {
            bytes: std::mem::take(&mut cut.bytes),
            len: 0,
        };
        let result = self.fill_buffer(&mut buf, cut);
        cut.bytes = buf.bytes;
        cut.filled = buf.len;
        result
    }

    fn fill_buffer(&mut self, buf: &mut Filled, cut: &mut Cut) -> io::Result<()> {
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
        cut.after_cr = self.after_cr;
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
                cut.last = self.eof && self.carry.is_empty();
                return Ok(());
            }
            searched = buf.len;
            // No line break: the whole buffer is one unfinished line.
            if buf.len > self.limit {
                // As the single-threaded reader: an error at the limit, the rest dropped.
                cut.too_long_column = Some(column_of(buf.data(), self.limit));
                buf.clear();
                self.discarding = true;
                return Ok(());
            }
            if self.eof {
                // A last line without a line break.
                cut.last = true;
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
pub(super) fn for_each_line(
    bytes: &[u8],
    after_cr: bool,
    mut each: impl FnMut(usize, usize) -> bool,
) {
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
pub(super) fn next_line_start(bytes: &[u8], end: usize) -> usize {
    let crlf = bytes.get(end) == Some(&b'\r') && bytes.get(end + 1) == Some(&b'\n');
    end + 1 + usize::from(crlf)
}
