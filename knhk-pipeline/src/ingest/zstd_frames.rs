//! A `.zst` read as `zstd -dc` reads it: every frame in turn, skippable frames skipped, and
//! each frame's content checksum checked when the frame has one.
//!
//! ruzstd's [`StreamingDecoder`](ruzstd::decoding::StreamingDecoder) decodes one frame and
//! does not check the checksum; its documentation leaves the frame loop to the caller
//! (re-initialise the [`FrameDecoder`] at each frame, skip a skippable frame by its length).
//! This is that loop, over ruzstd's own [`FrameDecoder`].

use std::io::{self, BufRead, Read};

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};

/// Why a zstd stream is refused.
#[derive(Debug, thiserror::Error)]
pub enum ZstdError {
    /// A frame's content does not hash to the checksum stored after it.
    #[error("zstd frame {frame}: checksum mismatch (stored {stored:08x}, computed {computed:08x}): the file is corrupt")]
    ChecksumMismatch {
        /// 1-based frame number (skippable frames not counted).
        frame: u64,
        /// The checksum at the end of the frame.
        stored: u32,
        /// The checksum of the decoded content.
        computed: u32,
    },
    /// A skippable frame ends before the length its header gives.
    #[error("zstd skippable frame of {length} bytes is cut short")]
    TruncatedSkippableFrame {
        /// The length its header gives.
        length: u32,
    },
    /// ruzstd could not decode a frame.
    #[error("zstd frame {frame}: {error}")]
    Frame {
        /// 1-based frame number.
        frame: u64,
        /// ruzstd's error.
        #[source]
        error: FrameDecoderError,
    },
}

impl From<ZstdError> for io::Error {
    fn from(error: ZstdError) -> Self {
        io::Error::new(io::ErrorKind::InvalidData, error)
    }
}

/// The header of an empty single-segment frame: the magic number, a descriptor saying "single
/// segment, one-byte content size", and that size, 0.
const EMPTY_FRAME_HEADER: &[u8] = &[0x28, 0xB5, 0x2F, 0xFD, 0x20, 0x00];

/// The decompressed bytes of every frame of a zstd stream, in order.
pub(crate) struct ZstdFrames<R> {
    source: R,
    decoder: FrameDecoder,
    /// Frames begun so far (skippable frames aside).
    frames: u64,
    in_frame: bool,
}

impl<R: BufRead> ZstdFrames<R> {
    /// Reads the first frame's header, so that a file that is not zstd at all fails at once.
    pub(crate) fn new(source: R) -> io::Result<Self> {
        let mut decoder = FrameDecoder::new();
        // ruzstd checks a frame's window against its 100 MiB limit only when it resets a
        // decoder that has read a frame before: the first frame of a fresh one is not checked,
        // so a header could make the decoder keep gigabytes of history. Reading one harmless
        // header first puts every frame of the input through the checked path.
        decoder
            .init(EMPTY_FRAME_HEADER)
            .expect("a valid frame header");
        let mut frames = Self {
            source,
            decoder,
            frames: 0,
            in_frame: false,
        };
        frames.next_frame(true)?;
        Ok(frames)
    }

    /// Starts the next frame, skipping skippable frames. At the end of the input, returns
    /// `false`; an empty input is a stream of no frames only after the first (`zstd -dc`
    /// refuses an empty file).
    fn next_frame(&mut self, first: bool) -> io::Result<bool> {
        loop {
            if !first && self.source.fill_buf()?.is_empty() {
                return Ok(false);
            }
            match self.decoder.reset(&mut self.source) {
                Ok(()) => {
                    self.frames += 1;
                    self.in_frame = true;
                    return Ok(true);
                }
                Err(FrameDecoderError::ReadFrameHeaderError(ReadFrameHeaderError::SkipFrame {
                    length,
                    ..
                })) => {
                    let skipped = io::copy(
                        &mut (&mut self.source).take(u64::from(length)),
                        &mut io::sink(),
                    )?;
                    if skipped < u64::from(length) {
                        return Err(ZstdError::TruncatedSkippableFrame { length }.into());
                    }
                    if self.source.fill_buf()?.is_empty() {
                        return Ok(false);
                    }
                }
                Err(error) => {
                    return Err(ZstdError::Frame {
                        frame: self.frames + 1,
                        error,
                    }
                    .into())
                }
            }
        }
    }

    /// Checks the finished frame's checksum, if it has one.
    fn check_frame(&self) -> Result<(), ZstdError> {
        let stored = self.decoder.get_checksum_from_data();
        let computed = self.decoder.get_calculated_checksum();
        match (stored, computed) {
            (Some(stored), Some(computed)) if stored != computed => {
                Err(ZstdError::ChecksumMismatch {
                    frame: self.frames,
                    stored,
                    computed,
                })
            }
            _ => Ok(()),
        }
    }
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        while self.in_frame {
            while self.decoder.can_collect() < buf.len() && !self.decoder.is_finished() {
                let wanted = buf.len() - self.decoder.can_collect();
                self.decoder
                    .decode_blocks(&mut self.source, BlockDecodingStrategy::UptoBytes(wanted))
                    .map_err(|error| ZstdError::Frame {
                        frame: self.frames,
                        error,
                    })?;
            }
            let n = self.decoder.read(buf)?;
            if n > 0 {
                return Ok(n);
            }
            if self.decoder.is_finished() {
                // Every byte of the frame is out, so the running hash covers all of it.
                self.check_frame()?;
                self.in_frame = false;
                self.next_frame(false)?;
            }
        }
        Ok(0)
    }
}

#[cfg(test)]
mod tests {
    use std::io::{BufReader, Read};

    use proptest::prelude::*;
    use ruzstd::encoding::{compress_to_vec, CompressionLevel};

    use super::{ZstdError, ZstdFrames};

    fn frame(data: &[u8]) -> Vec<u8> {
        compress_to_vec(data, CompressionLevel::Fastest)
    }

    fn skippable(payload: &[u8]) -> Vec<u8> {
        let mut bytes = vec![0x53, 0x2A, 0x4D, 0x18];
        bytes.extend_from_slice(&(payload.len() as u32).to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    /// Everything `ZstdFrames` gives, read `chunk` bytes at a time through a small buffer.
    fn decode(stream: &[u8], chunk: usize) -> std::io::Result<Vec<u8>> {
        let mut frames = ZstdFrames::new(BufReader::with_capacity(7, stream))?;
        let mut out = Vec::new();
        let mut buf = vec![0; chunk];
        loop {
            match frames.read(&mut buf)? {
                0 => return Ok(out),
                n => out.extend_from_slice(&buf[..n]),
            }
        }
    }

    proptest! {
        #[test]
        fn every_frame_is_read_in_order_and_skippable_frames_are_skipped(
            pieces in prop::collection::vec(
                (prop::collection::vec(0u8..4, 0..3000), prop::option::of(prop::collection::vec(any::<u8>(), 0..20))),
                1..5,
            ),
            chunk in 1usize..5000,
        ) {
            let mut stream = Vec::new();
            let mut expected = Vec::new();
            for (data, skip) in &pieces {
                if let Some(payload) = skip {
                    stream.extend_from_slice(&skippable(payload));
                }
                stream.extend_from_slice(&frame(data));
                expected.extend_from_slice(data);
            }
            prop_assert_eq!(decode(&stream, chunk).unwrap(), expected);
        }
    }

    #[test]
    fn a_wrong_checksum_in_any_frame_is_an_error_naming_the_frame() {
        let data = b"<http://e/s> <http://e/p> <http://e/o> .\n".repeat(50);
        let (first, second) = (frame(&data), frame(&data));
        let mut stream = [first, second].concat();
        let last = stream.len() - 1;
        stream[last] ^= 1;
        let error = decode(&stream, 4096).unwrap_err();
        let inner = error.get_ref().unwrap().downcast_ref::<ZstdError>();
        assert!(
            matches!(inner, Some(ZstdError::ChecksumMismatch { frame: 2, .. })),
            "{error}"
        );
    }

    /// A frame asking for a 1 GiB window: window descriptor `20 << 3` (window log 30).
    fn frame_with_1_gib_window() -> Vec<u8> {
        let mut bytes = vec![0x28, 0xB5, 0x2F, 0xFD, 0x00, 20 << 3];
        // One last raw block of 5 bytes.
        bytes.extend_from_slice(&[(5 << 3) | 1, 0, 0]);
        bytes.extend_from_slice(b"text\n");
        bytes
    }

    #[test]
    fn a_window_over_100_mib_is_refused_in_the_first_frame_as_in_later_ones() {
        for stream in [
            frame_with_1_gib_window(),
            [frame(b"text\n"), frame_with_1_gib_window()].concat(),
        ] {
            let error = decode(&stream, 64).unwrap_err();
            let inner = error.get_ref().unwrap().downcast_ref::<ZstdError>();
            assert!(
                matches!(
                    inner,
                    Some(ZstdError::Frame {
                        error: ruzstd::decoding::errors::FrameDecoderError::WindowSizeTooBig {
                            requested: 1_073_741_824
                        },
                        ..
                    })
                ),
                "{error}"
            );
        }
    }

    #[test]
    fn garbage_after_the_last_frame_and_an_empty_input_are_errors_as_for_zstd() {
        let mut stream = frame(b"text\n");
        stream.extend_from_slice(b"garbage");
        assert!(decode(&stream, 64).is_err());
        assert!(decode(b"", 64).is_err());
        let cut = frame(b"a longer text, cut short\n");
        assert!(decode(&cut[..cut.len() - 3], 64).is_err());
    }
}
