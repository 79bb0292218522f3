//! [`LineLimit`]: a receipts file read with a bound on its line length, so an endless or
//! wrong file (`/dev/zero`, a file with no line breaks) is an error at the limit rather
//! than unbounded memory.

use std::io::{self, BufRead, Read};

/// The longest receipts-file line read by default, without its line end: a receipt or
/// commit line takes a few hundred bytes.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 1 << 20;

/// A line longer than the limit.
#[derive(Debug, thiserror::Error)]
#[error("line longer than {max_bytes} bytes; raise the limit with --max-record-bytes")]
pub struct LineTooLong {
    /// The limit, in bytes.
    pub max_bytes: usize,
}

/// A [`BufRead`] that hands out at most `max_bytes` bytes of a line (plus its `\n`) and then
/// fails with [`LineTooLong`] (as an [`io::ErrorKind::InvalidData`] error), so that
/// [`BufRead::read_line`] never holds more than the limit.
#[derive(Debug)]
pub struct LineLimit<R> {
    inner: R,
    max_bytes: usize,
    /// Bytes handed out since the last `\n`.
    in_line: usize,
    /// Where the `\n` is in the slice the last `fill_buf` returned (it ends there).
    newline_at: Option<usize>,
}

impl<R: BufRead> LineLimit<R> {
    /// Reads `inner`, failing on a line longer than `max_bytes` bytes.
    pub fn new(inner: R, max_bytes: usize) -> Self {
        Self {
            inner,
            max_bytes,
            in_line: 0,
            newline_at: None,
        }
    }
}

impl<R: BufRead> BufRead for LineLimit<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.in_line > self.max_bytes {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                LineTooLong {
                    max_bytes: self.max_bytes,
                },
            ));
        }
        let buffer = self.inner.fill_buf()?;
        // One byte past the limit may go out: it is what shows the line is too long.
        let allowed = self.max_bytes.saturating_add(1) - self.in_line;
        let window = &buffer[..buffer.len().min(allowed)];
        self.newline_at = memchr::memchr(b'\n', window);
        Ok(match self.newline_at {
            Some(at) => &window[..=at],
            None => window,
        })
    }

    fn consume(&mut self, amount: usize) {
        match self.newline_at.take() {
            Some(at) if amount > at => self.in_line = amount - at - 1,
            _ => self.in_line += amount,
        }
        self.inner.consume(amount);
    }
}

impl<R: BufRead> Read for LineLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufRead, BufReader};

    use super::{LineLimit, LineTooLong};

    /// Reads every line of `text` through a 3-byte buffer (so lines cross buffer ends),
    /// limited to `max` bytes; the lines read, or the line number that was too long.
    fn lines(text: &[u8], max: usize) -> Result<Vec<String>, usize> {
        let mut reader = LineLimit::new(BufReader::with_capacity(3, text), max);
        let mut read = Vec::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) => return Ok(read),
                Ok(_) => read.push(line),
                Err(error) => {
                    assert!(error.get_ref().unwrap().is::<LineTooLong>());
                    return Err(read.len() + 1);
                }
            }
        }
    }

    #[test]
    fn lines_up_to_the_limit_pass_and_a_longer_one_fails_at_its_number() {
        assert_eq!(
            lines(b"abcd\nab\n\nabcd", 4).unwrap(),
            ["abcd\n", "ab\n", "\n", "abcd"]
        );
        assert_eq!(lines(b"abcd\nabcde\nab\n", 4), Err(2));
        assert_eq!(lines(b"abcde", 4), Err(1));
        assert_eq!(lines(&[0; 100], 10), Err(1));
        assert_eq!(lines(b"\n\n", 0).unwrap(), ["\n", "\n"]);
    }
}
