//! Byte scans that both grammars use: find the first byte of a set, [`SCAN_WIDTH`] bytes at a
//! time.
//!
//! A scan is parameterised by its set of stop bytes, given as a branch-free `Fn(u8) -> bool`
//! that is inlined into the scan, so each set gets its own vector code: N-Triples scans IRIs
//! ([`find_iri_stop`]) and strings ([`find_string_stop_with`]); the Turtle fast path scans IRIs
//! the same way and checks their plain tail with a set of its own. Where the CPU has AVX2,
//! IRIs and strings are scanned by [`Avx2Scan`] instead: 32 bytes a step, each step one bit
//! mask whose trailing zeros are the offset (the portable scan must move its byte flags out
//! of the vector to find it).

use super::term::is_forbidden_iri_byte;
use crate::arch::{Avx2Scan, StopSet};

/// Bytes a scan tests at once. 16 is one SSE2 register: LLVM turns the per-byte tests of
/// [`stop_flags`] into a few vector compares over the whole block.
pub(crate) const SCAN_WIDTH: usize = 16;

/// Byte `i` of the result (little-endian) is 0xFF when `block[i]` is a stop byte, else 0. So
/// the first stop is at `trailing_zeros() / 8`.
#[inline(always)]
fn stop_flags(block: &[u8; SCAN_WIDTH], is_stop: impl Fn(u8) -> bool) -> u128 {
    let mut flags = [0u8; SCAN_WIDTH];
    for (flag, &b) in flags.iter_mut().zip(block) {
        *flag = u8::from(is_stop(b)).wrapping_neg();
    }
    u128::from_le_bytes(flags)
}

/// [`stop_flags`] of two consecutive blocks, computed over both at once: compiled with AVX2
/// (see [`with_best_isa`](crate::arch::with_best_isa)) the tests run 32 bytes wide, one vector
/// instruction per test for the pair, and the pair's zero test is one mask move.
#[inline(always)]
fn pair_flags(pair: &[u8; 2 * SCAN_WIDTH], is_stop: impl Fn(u8) -> bool) -> (u128, u128) {
    let mut flags = [0u8; 2 * SCAN_WIDTH];
    for (flag, &b) in flags.iter_mut().zip(pair) {
        *flag = u8::from(is_stop(b)).wrapping_neg();
    }
    let (low, high) = flags.split_at(SCAN_WIDTH);
    (
        u128::from_le_bytes(low.try_into().expect("half of a pair is a block")),
        u128::from_le_bytes(high.try_into().expect("half of a pair is a block")),
    )
}

/// Offset in `bytes` of the first byte from `from` on for which `is_stop` holds,
/// [`SCAN_WIDTH`] bytes at a time: two blocks per step while the input lasts when `PAIRS`
/// (long runs: N-Triples terms), else one (runs that usually end within a block: the rest of
/// an IRI after its authority). The last partial block is tested as the last whole block of
/// `bytes` (which may reach back before `from`), or, when `bytes` is shorter than a block,
/// padded with `pad`. `is_stop` must be a branch-free test that LLVM can vectorize.
#[inline(always)]
pub(crate) fn find_first_stop<const PAIRS: bool>(
    bytes: &[u8],
    from: usize,
    is_stop: impl Fn(u8) -> bool + Copy,
    pad: u8,
) -> Option<usize> {
    let first = |flags: u128| flags.trailing_zeros() as usize / 8;
    let mut offset = from;
    let mut rest = &bytes[from..];
    if PAIRS {
        let mut pairs = rest.chunks_exact(2 * SCAN_WIDTH);
        for pair in &mut pairs {
            let (low, high) = pair_flags(pair.try_into().expect("a pair is two blocks"), is_stop);
            if low | high != 0 {
                return Some(if low != 0 {
                    offset + first(low)
                } else {
                    offset + SCAN_WIDTH + first(high)
                });
            }
            offset += 2 * SCAN_WIDTH;
        }
        rest = pairs.remainder();
    }
    // After the pairs at most one whole block is left; without them, every block.
    while let Some((block, tail)) = rest.split_first_chunk::<SCAN_WIDTH>() {
        let flags = stop_flags(block, is_stop);
        if flags != 0 {
            return Some(offset + first(flags));
        }
        offset += SCAN_WIDTH;
        rest = tail;
    }
    if rest.is_empty() {
        return None;
    }
    // The tail: test the last whole block, dropping the flags of bytes already tested.
    if let Some(last) = bytes.last_chunk::<SCAN_WIDTH>() {
        let flags = stop_flags(last, is_stop) >> ((SCAN_WIDTH - rest.len()) * 8);
        return (flags != 0).then(|| offset + first(flags));
    }
    // Shorter than a block: padded, and a stop found in the padding is none.
    let mut padded = [pad; SCAN_WIDTH];
    padded[..rest.len()].copy_from_slice(rest);
    let at = first(stop_flags(&padded, is_stop));
    (at < rest.len()).then_some(offset + at)
}

/// Offset of the first byte of `bytes` that ends an IRI's plain run: `>`, `\`, or a byte
/// IRIREF forbids (the set is [`is_forbidden_iri_byte`]'s, which holds `>` and `\` too; a line
/// break is one of them, so the scan never leaves the line). With AVX2, one bit mask per 32
/// bytes ([`Avx2Scan`]).
#[inline(always)]
pub(crate) fn find_iri_stop(bytes: &[u8]) -> Option<usize> {
    find_iri_stop_with(bytes, Avx2Scan::detect())
}

/// [`find_iri_stop`] with [`Avx2Scan::detect`]'s answer, for a loop that asks it once.
#[inline(always)]
pub(crate) fn find_iri_stop_with(bytes: &[u8], scan: Option<Avx2Scan>) -> Option<usize> {
    match scan {
        Some(avx2) => avx2.first_stop(bytes, StopSet::Iri),
        None => find_first_stop::<true>(bytes, 0, is_forbidden_iri_byte, 0),
    }
}

/// Whether byte `b` ends a string literal's plain run: `"`, `\`, or a line break (which
/// `STRING_LITERAL_QUOTE` forbids raw).
#[inline(always)]
fn is_string_stop(b: u8) -> bool {
    // Bitwise, not `matches!`: LLVM vectorizes the compares but not the branches.
    (b == b'"') | (b == b'\\') | (b == b'\n') | (b == b'\r')
}

/// Offset of the first `"`, `\` or line break in `bytes`, so a literal's scan never leaves
/// its line; `scan` is [`Avx2Scan::detect`]'s answer, asked once by the caller's loop.
#[inline]
pub(crate) fn find_string_stop_with(bytes: &[u8], scan: Option<Avx2Scan>) -> Option<usize> {
    match scan {
        Some(avx2) => avx2.first_stop(bytes, StopSet::String),
        None => find_first_stop::<true>(bytes, 0, is_string_stop, b'"'),
    }
}

/// The two term scans of a parser's hot loop, as one type per instruction set, so that the
/// loop is compiled once for each ([`Avx2Scan`] where the CPU has AVX2, else
/// [`PortableScan`]) and tests for neither inside.
pub(crate) trait TermScan: Copy {
    /// [`find_iri_stop`].
    fn iri_stop(self, bytes: &[u8]) -> Option<usize>;
    /// [`find_string_stop_with`].
    fn string_stop(self, bytes: &[u8]) -> Option<usize>;
}

/// The term scans of CPUs without AVX2 (and of Miri).
#[derive(Clone, Copy, Debug)]
pub(crate) struct PortableScan;

impl TermScan for PortableScan {
    #[inline(always)]
    fn iri_stop(self, bytes: &[u8]) -> Option<usize> {
        find_first_stop::<true>(bytes, 0, is_forbidden_iri_byte, 0)
    }

    #[inline(always)]
    fn string_stop(self, bytes: &[u8]) -> Option<usize> {
        find_first_stop::<true>(bytes, 0, is_string_stop, b'"')
    }
}

impl TermScan for Avx2Scan {
    #[inline(always)]
    fn iri_stop(self, bytes: &[u8]) -> Option<usize> {
        self.first_stop(bytes, StopSet::Iri)
    }

    #[inline(always)]
    fn string_stop(self, bytes: &[u8]) -> Option<usize> {
        self.first_stop(bytes, StopSet::String)
    }
}

/// A table of the bytes in `set`, for scans that look bytes up one at a time.
pub(crate) const fn byte_set(set: &[u8]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < set.len() {
        table[set[i] as usize] = true;
        i += 1;
    }
    table
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arch::with_best_isa;
    use crate::ingest::term::IRI_FORBIDDEN_PUNCTUATION;

    fn find_string_stop(bytes: &[u8]) -> Option<usize> {
        find_string_stop_with(bytes, Avx2Scan::detect())
    }

    /// Checks `scan` against a byte loop finding the first of `stops`: every length up to 5
    /// blocks, filled with each of `allowed`, with each stop byte at every position, alone and
    /// twice.
    fn agrees_with_a_byte_loop(scan: fn(&[u8]) -> Option<usize>, stops: &[u8], allowed: &[u8]) {
        for len in 0..5 * SCAN_WIDTH + 3 {
            for &fill in allowed {
                let clean = vec![fill; len];
                assert_eq!(scan(&clean), None, "len {len}");
                for at in 0..len {
                    for &stop in stops {
                        let mut bytes = clean.clone();
                        bytes[at] = stop;
                        if at + 5 < len {
                            bytes[at + 5] = stop;
                        }
                        let by_byte = bytes.iter().position(|b| stops.contains(b));
                        assert_eq!(scan(&bytes), by_byte, "stop {stop:#x} at {at} of {len}");
                    }
                }
            }
        }
    }

    #[test]
    fn wide_iri_scan_finds_the_first_stop_byte_like_a_byte_loop() {
        let stops: Vec<u8> = (0..=255).filter(|&b| is_forbidden_iri_byte(b)).collect();
        assert_eq!(stops.len(), 33 + IRI_FORBIDDEN_PUNCTUATION.len());
        // ASCII, DEL, UTF-8 lead and continuation bytes.
        let allowed = [b'a', b'/', b'#', b'%', 0x7F, 0xC3, 0xA9, 0xF0];
        agrees_with_a_byte_loop(find_iri_stop, &stops, &allowed);
        // Compiled for the best instruction set, as the chunk parser runs it.
        let best = |b: &[u8]| {
            with_best_isa(
                #[inline(always)]
                || find_iri_stop(b),
            )
        };
        agrees_with_a_byte_loop(best, &stops, &allowed);
        // The portable scan, which CPUs without AVX2 run.
        agrees_with_a_byte_loop(portable_iri, &stops, &allowed);
    }

    fn portable_iri(bytes: &[u8]) -> Option<usize> {
        find_first_stop::<true>(bytes, 0, is_forbidden_iri_byte, 0)
    }

    fn portable_string(bytes: &[u8]) -> Option<usize> {
        find_first_stop::<true>(bytes, 0, is_string_stop, b'"')
    }

    #[test]
    fn every_byte_value_is_classified_as_the_byte_tests_say() {
        // Each byte value alone, at every place of a run of plain bytes longer than a block.
        for b in 0..=255u8 {
            for at in [0, 5, 31, 32, 40, 63, 64, 70] {
                let mut bytes = vec![b'a'; 71];
                bytes[at] = b;
                let iri = is_forbidden_iri_byte(b).then_some(at);
                let string = is_string_stop(b).then_some(at);
                assert_eq!(find_iri_stop(&bytes), iri, "iri {b:#x} at {at}");
                assert_eq!(find_string_stop(&bytes), string, "string {b:#x} at {at}");
                assert_eq!(portable_iri(&bytes), iri, "portable iri {b:#x} at {at}");
                assert_eq!(
                    portable_string(&bytes),
                    string,
                    "portable string {b:#x} at {at}"
                );
            }
        }
    }

    #[test]
    fn wide_string_scan_finds_the_first_stop_byte_like_a_byte_loop() {
        // NUL and the IRI stops are plain string bytes; so is the scan's padding ('"'
        // excepted, it is a stop).
        let allowed = [b'a', 0, b'>', b' ', 0x7F, 0xC3, 0xA9, 0xF0];
        agrees_with_a_byte_loop(find_string_stop, b"\"\\\n\r", &allowed);
        let best = |b: &[u8]| {
            with_best_isa(
                #[inline(always)]
                || find_string_stop(b),
            )
        };
        agrees_with_a_byte_loop(best, b"\"\\\n\r", &allowed);
        agrees_with_a_byte_loop(portable_string, b"\"\\\n\r", &allowed);
    }

    #[test]
    fn a_scan_from_inside_the_bytes_agrees_with_one_over_the_rest() {
        let bytes = b"http://example.org/a/b/c?d=e#f and the rest";
        for from in 0..bytes.len() {
            let whole = find_first_stop::<true>(bytes, from, is_forbidden_iri_byte, 0);
            let single = find_first_stop::<false>(bytes, from, is_forbidden_iri_byte, 0);
            let rest = find_iri_stop(&bytes[from..]).map(|at| from + at);
            assert_eq!(whole, rest, "from {from}");
            assert_eq!(single, rest, "one block a step, from {from}");
        }
    }

    #[test]
    fn the_forbidden_iri_set_is_irirefs() {
        // IRIREF ::= '<' ([^#x00-#x20<>"{}|^`\] | UCHAR)* '>'
        for b in 0..=255u8 {
            let expected = b <= 0x20 || b"<>\"{}|^`\\".contains(&b);
            assert_eq!(is_forbidden_iri_byte(b), expected, "byte {b:#x}");
        }
    }
}
