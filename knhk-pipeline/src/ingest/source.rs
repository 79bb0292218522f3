//! Where input bytes come from: files (plain, gzip or zstd), a file's own base IRI, and the
//! byte-order mark some editors put at the start of UTF-8 files.
//!
//! Decompression is streaming (flate2's `MultiGzDecoder`, ruzstd's `FrameDecoder` through
//! [`ZstdFrames`]): a compressed dump is never held whole in memory, and the parsers see the
//! decompressed text, so every error still names the line and column in it. Every gzip
//! member and every zstd frame is read, as `gzip -dc` and `zstd -dc` read them.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use super::zstd_frames::ZstdFrames;
use super::IngestError;

/// How a file's bytes are compressed, from its last extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Compression {
    /// Plain text.
    None,
    /// gzip (`.gz`), possibly several members concatenated, as `gzip -c a b` writes.
    Gzip,
    /// Zstandard (`.zst`): every frame, skippable frames skipped, checksums checked.
    Zstd,
}

impl Compression {
    /// The compression named by `path`'s last extension (`.gz`, `.zst`), else `None`.
    pub fn from_path(path: &Path) -> Compression {
        match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("gz") => Compression::Gzip,
            Some(e) if e.eq_ignore_ascii_case("zst") => Compression::Zstd,
            _ => Compression::None,
        }
    }

    /// `path` without the compression extension (`data.nt.gz` gives `data.nt`).
    pub fn strip<'p>(self, path: &'p Path) -> std::borrow::Cow<'p, Path> {
        match self {
            Compression::None => path.into(),
            _ => path.with_extension("").into(),
        }
    }

    /// Wraps `reader` in a streaming decompressor (or returns it as it is).
    ///
    /// # Errors
    ///
    /// A zstd frame header that cannot be read (gzip reports its errors on the first read).
    pub fn decoder<'r, R: Read + 'r>(self, reader: R) -> io::Result<Box<dyn Read + 'r>> {
        Ok(Box::new(Decoder::new(self, reader)?))
    }

    /// [`Compression::decoder`] for a reader that can move to another thread, staying
    /// [`Send`] (for [`ReadAhead`](super::ReadAhead)).
    ///
    /// # Errors
    ///
    /// As [`Compression::decoder`].
    pub fn send_decoder<'r, R: Read + Send + 'r>(
        self,
        reader: R,
    ) -> io::Result<Box<dyn Read + Send + 'r>> {
        Ok(Box::new(Decoder::new(self, reader)?))
    }
}

/// The decompressors behind [`Compression::decoder`]; `Send` when the reader is.
// Always boxed by its callers, so the zstd state's size costs no copying.
#[allow(clippy::large_enum_variant)]
enum Decoder<R: Read> {
    Plain(R),
    Gzip(flate2::read::MultiGzDecoder<BufReader<R>>),
    Zstd(ZstdFrames<BufReader<R>>),
}

impl<R: Read> Decoder<R> {
    fn new(compression: Compression, reader: R) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => Decoder::Plain(reader),
            Compression::Gzip => {
                Decoder::Gzip(flate2::read::MultiGzDecoder::new(BufReader::new(reader)))
            }
            Compression::Zstd => Decoder::Zstd(ZstdFrames::new(BufReader::new(reader))?),
        })
    }
}

impl<R: Read> Read for Decoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Decoder::Plain(reader) => reader.read(buf),
            Decoder::Gzip(reader) => reader.read(buf),
            Decoder::Zstd(reader) => reader.read(buf),
        }
    }
}

/// Opens `path` for reading, refusing a directory with "is a directory" (on Linux, opening
/// one succeeds and only the first read fails, with a less helpful message).
///
/// # Errors
///
/// [`IngestError::IsDirectory`] or [`IngestError::Open`].
pub fn open_file(path: &Path) -> Result<File, IngestError> {
    if path.is_dir() {
        return Err(IngestError::IsDirectory {
            path: path.to_owned(),
        });
    }
    File::open(path).map_err(|error| IngestError::Open {
        path: path.to_owned(),
        error,
    })
}

/// The `file://` URI of `path`: absolute, `/`-separated, with every byte outside RFC 3986's
/// unreserved characters, sub-delimiters, `:`, `@` and `/` percent-encoded. This is the
/// default base IRI of a Turtle file, as serdi and rapper use it.
///
/// # Errors
///
/// [`IngestError::Open`] when the current directory (needed for a relative path) is unknown.
pub fn file_uri(path: &Path) -> Result<String, IngestError> {
    let absolute = std::path::absolute(path).map_err(|error| IngestError::Open {
        path: path.to_owned(),
        error,
    })?;
    let text = path_bytes(&absolute);
    let mut uri = String::with_capacity(text.len() + 8);
    uri.push_str("file://");
    if text.first() != Some(&b'/') {
        uri.push('/');
    }
    for &b in text.iter() {
        let keep = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if keep {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    Ok(uri)
}

#[cfg(unix)]
fn path_bytes(path: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt;
    path.as_os_str().as_bytes().to_vec()
}

#[cfg(not(unix))]
fn path_bytes(path: &Path) -> Vec<u8> {
    path.to_string_lossy().replace('\\', "/").into_bytes()
}

/// A reader that drops a UTF-8 byte-order mark (EF BB BF) at the very start of its input.
/// serdi and rapper accept one; it is not part of the text.
#[derive(Debug)]
pub(crate) struct SkipBom<R> {
    inner: R,
    /// Bytes read while looking for the mark that turned out to be text.
    pending: [u8; 3],
    pending_len: u8,
    pending_at: u8,
    checked: bool,
}

impl<R: Read> SkipBom<R> {
    /// Drops a mark at the start of `inner` when `at_file_start`; otherwise reads `inner` as
    /// it is.
    pub(crate) fn new(inner: R, at_file_start: bool) -> Self {
        Self {
            inner,
            pending: [0; 3],
            pending_len: 0,
            pending_at: 0,
            checked: !at_file_start,
        }
    }

    fn check(&mut self) -> io::Result<()> {
        let mut len = 0;
        while len < 3 {
            match self.inner.read(&mut self.pending[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        self.checked = true;
        if self.pending[..len] == [0xEF, 0xBB, 0xBF] {
            self.pending_len = 0;
        } else {
            self.pending_len = len as u8;
        }
        Ok(())
    }
}

impl<R: Read> Read for SkipBom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.check()?;
        }
        if self.pending_at < self.pending_len {
            let rest = &self.pending[usize::from(self.pending_at)..usize::from(self.pending_len)];
            let n = rest.len().min(buf.len());
            buf[..n].copy_from_slice(&rest[..n]);
            self.pending_at += n as u8;
            return Ok(n);
        }
        self.inner.read(buf)
    }
}
