//! Keyed BLAKE3 of many short, independent inputs, eight at a time in SIMD lanes.
//!
//! The provenance hashes ([`super::receipt`], [`super::lockchain`]) are many short inputs (a
//! block digest is 128 bytes, an action hash 53, a Merkle leaf about 90, a node 64), each one
//! BLAKE3 chunk. Hashed one by one with [`blake3::keyed_hash`], each pays a whole compression's
//! latency (the crate runs a lone compression row-wise, one state in a few vector registers)
//! and the call's set-up. Most of a drain's hashes do not depend on each other, so this module
//! hashes eight at once the way BLAKE3's own `hash_many` does for the chunks of one long input:
//! the eight states are stored transposed (structure of arrays: word `i` of all eight
//! messages in one `[u32; 8]`), so each step of the compression is one 8-wide vector operation.
//!
//! The blake3 crate (1.8.7) has no public API for this: its `hash_many` hashes the consecutive
//! chunks of one input (one key, equal lengths, chunk counters that follow each other, whole
//! 64-byte blocks only) and is reachable only through the `#[doc(hidden)]` `platform` module,
//! "undocumented and unstable, for benchmarks only"; `hazmat` builds subtrees of one input.
//! Upstream's issue 478 ("Hashing multiple independent values with SIMD") and its pull request
//! 575 (`blake3::many`, equal-length inputs only) are still open. So the compression is written
//! here, in safe portable Rust over `[u32; 8]` lanes, every helper `#[inline(always)]`, and
//! run through [`lanepool::arch::with_best_lanes`]: on x86_64 with AVX2 it is compiled inside
//! pool-core's AVX2 function, where LLVM vectorizes the compression's loop over the lanes into
//! one pass of 256-bit instructions (checked with `objdump -d`: see BENCHMARKS.md, `provenance`).
//! Where the CPU has AVX2 each compression (and the hashes' way out of the lanes) runs instead
//! in [`crate::arch`]'s intrinsics, which keep the state in registers and transpose the message
//! there, where the vectorised loop gathers it word by word (a quarter fewer instructions for
//! the whole batched hashing of a run: BLAKE3 in BENCHMARKS.md's instructions per triple); the
//! portable compression stays for other CPUs, and a test checks both against
//! `blake3::keyed_hash`.
//!
//! Each input is one chunk (at most [`blake3::CHUNK_LEN`] bytes) with its own key and length:
//! the chunk counter is 0, the first block has `CHUNK_START`, the last `CHUNK_END | ROOT`, all
//! `KEYED_HASH`, and the root's output is the last compression's chaining value. Lanes whose
//! input has fewer blocks keep their state while the longer ones go on. The result is
//! bit-for-bit [`blake3::keyed_hash`] (tested for every length up to a chunk, mixed lengths and
//! keys in one batch).

use lanepool::arch::{self, LaneIsa, LaneWork};

use crate::arch::{BLAKE3_IV, BLAKE3_MSG_SCHEDULE};

/// A 256-bit BLAKE3 hash, as bytes.
pub type Hash256 = [u8; 32];

/// Inputs hashed together: one per 32-bit SIMD lane of a 256-bit vector.
pub const LANES: usize = 8;

/// The longest input: one BLAKE3 chunk.
pub const MAX_INPUT: usize = blake3::CHUNK_LEN;

/// One keyed hash to compute: `blake3::keyed_hash(key, input)`.
#[derive(Clone, Copy, Debug)]
pub struct KeyedInput<'a> {
    /// The 32-byte key.
    pub key: &'a [u8; 32],
    /// The input, at most [`MAX_INPUT`] bytes.
    pub input: &'a [u8],
}

/// Computes `out[i] = blake3::keyed_hash(inputs[i].key, inputs[i].input)` for every input,
/// eight at a time. Allocates nothing.
///
/// # Panics
///
/// If an input is longer than [`MAX_INPUT`] or `out` is shorter than `inputs` (bugs: the
/// provenance encodings are shorter than a chunk by construction).
pub fn keyed_hash_many(inputs: &[KeyedInput<'_>], out: &mut [Hash256]) {
    assert!(
        out.len() >= inputs.len(),
        "{} outputs for {} inputs",
        out.len(),
        inputs.len()
    );
    if let Some(long) = inputs.iter().find(|i| i.input.len() > MAX_INPUT) {
        panic!(
            "a batched BLAKE3 input is one chunk (at most {MAX_INPUT} bytes), not {}",
            long.input.len()
        );
    }
    arch::with_best_lanes(HashMany { inputs, out });
}

/// The batch as lane work, so the whole loop is compiled for the best instruction set.
struct HashMany<'i, 'o, 'a> {
    inputs: &'i [KeyedInput<'a>],
    out: &'o mut [Hash256],
}

impl LaneWork for HashMany<'_, '_, '_> {
    type Output = ();

    #[inline(always)]
    fn run<I: LaneIsa>(self, _isa: I) {
        let simd = crate::arch::Avx2Compress::detect();
        for (inputs, out) in self.inputs.chunks(LANES).zip(self.out.chunks_mut(LANES)) {
            let whole = |input: &KeyedInput<'_>| {
                !input.input.is_empty() && input.input.len().is_multiple_of(BLOCK_LEN)
            };
            if inputs.iter().all(whole) {
                // Every block is read in place (a Merkle level's pairs are): nothing copied.
                let lanes: [LaneInput<'_>; LANES] = std::array::from_fn(|lane| {
                    inputs.get(lane).map_or(LaneInput::NONE, |input| LaneInput {
                        key: input.key,
                        body: input.input,
                        tail: &ZERO_BLOCK,
                        len: input.input.len(),
                    })
                });
                hash_lanes(&lanes[..inputs.len()], out, simd);
                continue;
            }
            // Each partial last block, zero-padded once here.
            let mut tails = [ZERO_BLOCK; LANES];
            for (tail, input) in tails.iter_mut().zip(inputs) {
                let rest = &input.input[input.input.len() / BLOCK_LEN * BLOCK_LEN..];
                tail[..rest.len()].copy_from_slice(rest);
            }
            let lanes: [LaneInput<'_>; LANES] = std::array::from_fn(|lane| {
                inputs.get(lane).map_or(LaneInput::NONE, |input| LaneInput {
                    key: input.key,
                    body: &input.input[..input.input.len() / BLOCK_LEN * BLOCK_LEN],
                    tail: &tails[lane],
                    len: input.input.len(),
                })
            });
            hash_lanes(&lanes[..inputs.len()], out, simd);
        }
    }
}

/// One input as the compression reads it: block `b` is `body[64 b..64 b + 64]` while `body`
/// has it, and `tail` after that; `len` is the input's length. `body` holds whole blocks (a
/// last partial one zero-padded), so an encoding padded where it was written is hashed in
/// place; `tail` is the zero-padded last block of an input that is not.
#[derive(Clone, Copy, Debug)]
struct LaneInput<'a> {
    key: &'a [u8; 32],
    body: &'a [u8],
    tail: &'a [u8; BLOCK_LEN],
    len: usize,
}

impl LaneInput<'_> {
    /// A lane with no input: one empty block, whose result is not taken.
    const NONE: LaneInput<'static> = LaneInput {
        key: &[0; 32],
        body: &[],
        tail: &ZERO_BLOCK,
        len: 0,
    };
}

/// One 32-bit word of each of the eight lanes.
type Lanes = [u32; LANES];

/// A BLAKE3 block: what one compression takes.
pub(crate) const BLOCK_LEN: usize = blake3::BLOCK_LEN;
const ZERO_BLOCK: [u8; BLOCK_LEN] = [0; BLOCK_LEN];
const CHUNK_START: u32 = 1 << 0;
const CHUNK_END: u32 = 1 << 1;
const ROOT: u32 = 1 << 3;
const KEYED_HASH: u32 = 1 << 4;

/// `if mask { new } else { old }` per lane (`mask` is all ones or all zeros).
#[inline(always)]
fn select(mask: Lanes, new: Lanes, old: Lanes) -> Lanes {
    std::array::from_fn(|i| (new[i] & mask[i]) | (old[i] & !mask[i]))
}

/// BLAKE3's quarter-round `G` on state words `a`, `b`, `c`, `d` of one lane.
#[inline(always)]
fn g(v: &mut [u32; 16], [a, b, c, d]: [usize; 4], x: u32, y: u32) {
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
    v[d] = (v[d] ^ v[a]).rotate_right(16);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(12);
    v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
    v[d] = (v[d] ^ v[a]).rotate_right(8);
    v[c] = v[c].wrapping_add(v[d]);
    v[b] = (v[b] ^ v[c]).rotate_right(7);
}

#[inline(always)]
fn round(v: &mut [u32; 16], m: &[u32; 16], s: &[usize; 16]) {
    g(v, [0, 4, 8, 12], m[s[0]], m[s[1]]);
    g(v, [1, 5, 9, 13], m[s[2]], m[s[3]]);
    g(v, [2, 6, 10, 14], m[s[4]], m[s[5]]);
    g(v, [3, 7, 11, 15], m[s[6]], m[s[7]]);
    g(v, [0, 5, 10, 15], m[s[8]], m[s[9]]);
    g(v, [1, 6, 11, 12], m[s[10]], m[s[11]]);
    g(v, [2, 7, 8, 13], m[s[12]], m[s[13]]);
    g(v, [3, 4, 9, 14], m[s[14]], m[s[15]]);
}

/// The chaining values after compressing block `m` into `cv`, lane by lane (chunk counter 0,
/// as every input here is the first and only chunk); for a `ROOT` block, the first 32 bytes
/// of the output.
///
/// Written as the scalar compression inside a loop over the lanes, reading and writing the
/// transposed words: the loop vectorizer turns the loop into one pass of 8-wide operations
/// (the rounds are spelt out, so the body is straight-line code with constant indices).
#[inline(always)]
fn compress(cv: &[Lanes; 8], m: &[Lanes; 16], block_len: &Lanes, flags: &Lanes) -> [Lanes; 8] {
    let mut out = [[0; LANES]; 8];
    for lane in 0..LANES {
        let mut v = [
            cv[0][lane],
            cv[1][lane],
            cv[2][lane],
            cv[3][lane],
            cv[4][lane],
            cv[5][lane],
            cv[6][lane],
            cv[7][lane],
            BLAKE3_IV[0],
            BLAKE3_IV[1],
            BLAKE3_IV[2],
            BLAKE3_IV[3],
            0,
            0,
            block_len[lane],
            flags[lane],
        ];
        let words: [u32; 16] = std::array::from_fn(|word| m[word][lane]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[0]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[1]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[2]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[3]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[4]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[5]);
        round(&mut v, &words, &BLAKE3_MSG_SCHEDULE[6]);
        for (word, out) in out.iter_mut().enumerate() {
            out[lane] = v[word] ^ v[word + 8];
        }
    }
    out
}

/// Hashes up to [`LANES`] inputs into `out` (lanes past `inputs.len()` are computed on
/// nothing and dropped), each compression in AVX2 registers when `simd` says the CPU has them.
#[inline(always)]
fn hash_lanes(
    inputs: &[LaneInput<'_>],
    out: &mut [Hash256],
    simd: Option<crate::arch::Avx2Compress>,
) {
    let key_word = |key: &[u8; 32], word: usize| {
        u32::from_le_bytes(key[4 * word..4 * word + 4].try_into().expect("4-byte word"))
    };
    let mut lanes = Prepared::default();
    // The key is each lane's first chaining value: broadcast when every lane has the same one
    // (the provenance hashes do).
    match inputs.first() {
        Some(first)
            if inputs
                .iter()
                .all(|input| std::ptr::eq(input.key, first.key)) =>
        {
            lanes.cv = std::array::from_fn(|word| [key_word(first.key, word); LANES]);
        }
        _ => {
            for (lane, input) in inputs.iter().enumerate() {
                for (word, cv) in lanes.cv.iter_mut().enumerate() {
                    cv[lane] = key_word(input.key, word);
                }
            }
        }
    }
    for (lane, input) in inputs.iter().enumerate().take(LANES) {
        lanes.set(lane, input.body, input.len);
        lanes.tails[lane] = input.tail;
    }
    lanes.hash(out, inputs.len(), simd);
}

/// Up to eight inputs set out for the block loop: each lane's chaining value (its key, to
/// begin with), length, block count (an empty input is still one, empty, block; lanes with no
/// input have none), and where its blocks are read (see [`LaneInput`]), so that the loop's
/// per-lane words are plain arithmetic and its blocks are read in place.
struct Prepared<'a> {
    cv: [Lanes; 8],
    lens: Lanes,
    blocks: Lanes,
    bodies: [&'a [u8]; LANES],
    tails: [&'a [u8; BLOCK_LEN]; LANES],
}

impl Default for Prepared<'_> {
    fn default() -> Self {
        Prepared {
            cv: [[0; LANES]; 8],
            lens: [0; LANES],
            blocks: [0; LANES],
            bodies: [&[]; LANES],
            tails: [&ZERO_BLOCK; LANES],
        }
    }
}

impl<'a> Prepared<'a> {
    /// Lane `lane` hashes `len` bytes whose blocks are read from `body` (its tail stays zeros).
    #[inline(always)]
    fn set(&mut self, lane: usize, body: &'a [u8], len: usize) {
        self.lens[lane] = len as u32;
        self.blocks[lane] = len.div_ceil(BLOCK_LEN).max(1) as u32;
        self.bodies[lane] = body;
    }

    /// Compresses every block of every lane and writes the first `n` lanes' hashes to `out`.
    #[inline(always)]
    fn hash(self, out: &mut [Hash256], n: usize, simd: Option<crate::arch::Avx2Compress>) {
        let Prepared {
            mut cv,
            lens,
            blocks,
            bodies,
            tails,
        } = self;
        let most = blocks.iter().copied().max().unwrap_or(0);
        for block in 0..most {
            let at = block * BLOCK_LEN as u32;
            let block_len: Lanes =
                std::array::from_fn(|lane| lens[lane].saturating_sub(at).min(BLOCK_LEN as u32));
            let flags: Lanes = std::array::from_fn(|lane| {
                KEYED_HASH
                    | if block == 0 { CHUNK_START } else { 0 }
                    | if block + 1 == blocks[lane] {
                        CHUNK_END | ROOT
                    } else {
                        0
                    }
            });
            let active: Lanes =
                std::array::from_fn(|lane| if block < blocks[lane] { u32::MAX } else { 0 });
            // A lane past its blocks reads its tail (or zeros): its result is not taken.
            let mut bytes = [&ZERO_BLOCK; LANES];
            for (bytes, (body, tail)) in bytes.iter_mut().zip(bodies.iter().zip(tails)) {
                *bytes = body
                    .get(at as usize..)
                    .and_then(<[u8]>::first_chunk)
                    .unwrap_or(tail);
            }
            if let Some(simd) = simd {
                simd.compress(&mut cv, &bytes, &block_len, &flags, &active);
                continue;
            }
            // Row `word` of the message: that word of every lane's block (lanes with no block
            // read zeros; their results are not taken).
            let m: [Lanes; 16] = std::array::from_fn(|word| {
                std::array::from_fn(|lane| {
                    let at = 4 * word;
                    u32::from_le_bytes(bytes[lane][at..at + 4].try_into().expect("4-byte word"))
                })
            });
            let next = compress(&cv, &m, &block_len, &flags);
            for (cv, next) in cv.iter_mut().zip(next) {
                *cv = select(active, next, *cv);
            }
        }
        let n = n.min(out.len());
        if let Some(simd) = simd {
            let hashes = simd.lanes_to_bytes(&cv);
            // A full batch is copied whole, with no call for a length known only here.
            match out.first_chunk_mut::<LANES>() {
                Some(all) if n == LANES => *all = hashes,
                _ => out[..n].copy_from_slice(&hashes[..n]),
            }
            return;
        }
        for (lane, hash) in out.iter_mut().enumerate().take(n) {
            for (word, bytes) in hash.chunks_exact_mut(4).enumerate() {
                bytes.copy_from_slice(&cv[word][lane].to_le_bytes());
            }
        }
    }
}

/// The hashes, with `key`, of the first `count` of `blocks`, one input each, in the first
/// `count` of the result (the rest are of no input): one compression for all, with no
/// per-lane lengths to work out (the nodes of Merkle levels). For a caller already inside
/// [`arch::with_best_lanes`], with `simd` from [`crate::arch::Avx2Compress::detect`].
#[inline(always)]
pub(crate) fn keyed_hash_blocks(
    key: &[u8; 32],
    blocks: &[&[u8; BLOCK_LEN]; LANES],
    simd: Option<crate::arch::Avx2Compress>,
) -> [Hash256; LANES] {
    let key_word = |word: usize| {
        u32::from_le_bytes(key[4 * word..4 * word + 4].try_into().expect("4-byte word"))
    };
    let mut cv: [Lanes; 8] = std::array::from_fn(|word| [key_word(word); LANES]);
    let block_len = [BLOCK_LEN as u32; LANES];
    let flags = [KEYED_HASH | CHUNK_START | CHUNK_END | ROOT; LANES];
    if let Some(simd) = simd {
        simd.compress(&mut cv, blocks, &block_len, &flags, &[u32::MAX; LANES]);
        return simd.lanes_to_bytes(&cv);
    }
    let m: [Lanes; 16] = std::array::from_fn(|word| {
        std::array::from_fn(|lane| {
            let at = 4 * word;
            u32::from_le_bytes(blocks[lane][at..at + 4].try_into().expect("4-byte word"))
        })
    });
    let cv = compress(&cv, &m, &block_len, &flags);
    std::array::from_fn(|lane| {
        let mut hash = [0; 32];
        for (word, bytes) in hash.chunks_exact_mut(4).enumerate() {
            bytes.copy_from_slice(&cv[word][lane].to_le_bytes());
        }
        hash
    })
}

/// Room for the encodings of one batch, eight inputs of at most `N - 64` bytes (see
/// [`room`]), kept by the caller from one batch to the next: a fresh zeroed 8 × `N`-byte
/// frame per batch (4.8 KiB for the Merkle leaves) cost more L1 misses than the rest of the
/// drain's hashing.
#[derive(Clone, Debug)]
pub struct EncodeBuffers<const N: usize>([StackBytes<N>; LANES]);

impl<const N: usize> Default for EncodeBuffers<N> {
    fn default() -> Self {
        Self(std::array::from_fn(|_| StackBytes::new()))
    }
}

/// The room an encoding of at most `encoding` bytes takes in [`EncodeBuffers`]: a block more,
/// where its last block is zero-padded so that it is hashed in place.
pub(crate) const fn room(encoding: usize) -> usize {
    encoding + BLOCK_LEN
}

/// Hashes, with `key`, the encoding `encode` writes of each item (eight at a time, each
/// encoded into `buffers`), into `out` in order; returns how many. Allocates nothing.
///
/// # Panics
///
/// If `out` is shorter than the items, or an encoding is longer than `N - 64` (a bug).
pub(crate) fn keyed_hash_each<T, const N: usize>(
    key: &[u8; 32],
    items: impl IntoIterator<Item = T>,
    encode: impl FnMut(T, &mut StackBytes<N>),
    out: &mut [Hash256],
    buffers: &mut EncodeBuffers<N>,
) -> usize {
    // Every encoding is one chunk, as `hash_lanes` needs.
    const { assert!(N <= room(MAX_INPUT)) };
    arch::with_best_lanes(HashEach {
        key,
        items: items.into_iter(),
        encode,
        out,
        buffers,
    })
}

/// [`keyed_hash_each`] as lane work: every batch of the items in one instruction-set
/// dispatch, the encodings compiled with it.
struct HashEach<'k, 'o, 'b, Items, Encode, const N: usize> {
    key: &'k [u8; 32],
    items: Items,
    encode: Encode,
    out: &'o mut [Hash256],
    buffers: &'b mut EncodeBuffers<N>,
}

impl<T, Items, Encode, const N: usize> LaneWork for HashEach<'_, '_, '_, Items, Encode, N>
where
    Items: Iterator<Item = T>,
    Encode: FnMut(T, &mut StackBytes<N>),
{
    type Output = usize;

    #[inline(always)]
    fn run<I: LaneIsa>(self, _isa: I) -> usize {
        let HashEach {
            key,
            mut items,
            mut encode,
            out,
            buffers,
        } = self;
        let simd = crate::arch::Avx2Compress::detect();
        let key_word = |word: usize| {
            u32::from_le_bytes(key[4 * word..4 * word + 4].try_into().expect("4-byte word"))
        };
        let bytes = &mut buffers.0;
        let mut done = 0;
        loop {
            let mut count = 0;
            // `bytes` first: the zip stops at the ninth item without taking it.
            for (slot, item) in bytes.iter_mut().zip(items.by_ref()) {
                slot.clear();
                encode(item, slot);
                slot.pad_block();
                count += 1;
            }
            if count == 0 {
                return done;
            }
            // Each lane's blocks are read in place from its whole buffer: past the encoding's
            // last block only by lanes whose results are not taken.
            let mut lanes = Prepared {
                cv: std::array::from_fn(|word| [key_word(word); LANES]),
                ..Prepared::default()
            };
            for (lane, slot) in bytes.iter().enumerate().take(count) {
                lanes.set(lane, &slot.buf, slot.len());
            }
            lanes.hash(&mut out[done..done + count], count, simd);
            done += count;
            if count < LANES {
                return done;
            }
        }
    }
}

/// An encoding's bytes gathered on the stack, so BLAKE3 hashes one slice instead of many
/// small updates (a third of the cost for a block). `N` is the encoding's largest size: a
/// longer push is a bug and panics.
#[derive(Clone, Debug)]
pub(crate) struct StackBytes<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> StackBytes<N> {
    #[inline]
    pub(crate) fn new() -> Self {
        Self {
            buf: [0; N],
            len: 0,
        }
    }

    #[inline]
    pub(crate) fn push(&mut self, bytes: &[u8]) {
        self.buf[self.len..self.len + bytes.len()].copy_from_slice(bytes);
        self.len += bytes.len();
    }

    /// Pushes the first `len` of `bytes`, writing all of them: what lies past the first
    /// `len` is not the encoding's, and is overwritten by the next push or zeroed by
    /// [`StackBytes::pad_block`]. A fixed-size write, where a push of `len` bytes is a copy of
    /// a length known only at run time.
    ///
    /// # Panics
    ///
    /// If `len` is more than `M`, or `M` bytes do not fit (a bug).
    #[inline]
    pub(crate) fn push_first<const M: usize>(&mut self, bytes: &[u8; M], len: usize) {
        assert!(len <= M, "{len} of {M} bytes");
        let room: &mut [u8; M] = self.buf[self.len..]
            .first_chunk_mut()
            .expect("room for the bytes");
        *room = *bytes;
        self.len += len;
    }

    #[inline]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    #[inline]
    pub(crate) fn clear(&mut self) {
        self.len = 0;
    }

    #[inline]
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    /// Zeroes the block after the bytes, so that their last block, read whole from the
    /// buffer, ends in zeros whatever an earlier, longer encoding left there.
    ///
    /// # Panics
    ///
    /// If fewer than 64 bytes of room are left (the encoding outgrew its [`room`]: a bug).
    #[inline]
    pub(crate) fn pad_block(&mut self) {
        self.buf[self.len..self.len + BLOCK_LEN].fill(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both compressions, the portable one and (where the CPU has it) the AVX2 one, give
    /// `blake3::keyed_hash` for every length of a chunk, eight lanes with their own keys and
    /// lengths: whichever CPU runs the tests, the other path is checked too.
    #[test]
    fn the_portable_and_the_avx2_compression_both_give_blake3() {
        let data: Vec<u8> = (0..MAX_INPUT).map(|i| (i * 131 % 251) as u8).collect();
        let keys: [[u8; 32]; LANES] = std::array::from_fn(|lane| [lane as u8 * 17 + 1; 32]);
        let paths = [None, crate::arch::Avx2Compress::detect()];
        for len in 0..=MAX_INPUT {
            let inputs: [KeyedInput<'_>; LANES] = std::array::from_fn(|lane| KeyedInput {
                key: &keys[lane],
                input: &data[..len.saturating_sub(lane * 9)],
            });
            let expected: Vec<Hash256> = inputs
                .iter()
                .map(|i| *blake3::keyed_hash(i.key, i.input).as_bytes())
                .collect();
            let tails: [[u8; BLOCK_LEN]; LANES] = std::array::from_fn(|lane| {
                let rest = &inputs[lane].input[inputs[lane].input.len() / BLOCK_LEN * BLOCK_LEN..];
                let mut tail = ZERO_BLOCK;
                tail[..rest.len()].copy_from_slice(rest);
                tail
            });
            let lanes: [LaneInput<'_>; LANES] = std::array::from_fn(|lane| LaneInput {
                key: inputs[lane].key,
                body: &inputs[lane].input[..inputs[lane].input.len() / BLOCK_LEN * BLOCK_LEN],
                tail: &tails[lane],
                len: inputs[lane].input.len(),
            });
            for simd in paths.iter().take(1 + usize::from(paths[1].is_some())) {
                let mut out = [[0; 32]; LANES];
                hash_lanes(&lanes, &mut out, *simd);
                assert_eq!(
                    out.as_slice(),
                    expected,
                    "len {len}, avx2 {}",
                    simd.is_some()
                );
            }
        }
    }

    /// Encodings hashed in place from their buffers, each after a longer one in the same
    /// buffer: the bytes an earlier encoding left past the end must not reach the hash.
    #[test]
    fn an_encoding_is_hashed_in_place_without_what_a_longer_one_left() {
        const N: usize = room(300);
        let key = [7u8; 32];
        let mut buffers = EncodeBuffers::<N>::default();
        let encode = |len: usize, bytes: &mut StackBytes<N>| {
            bytes.push(&vec![len as u8 | 0x80; len]);
        };
        let mut out = [[0; 32]; 2 * LANES + 1];
        for lengths in [[300; 2 * LANES + 1], std::array::from_fn(|i| 299 - 17 * i)] {
            let count = keyed_hash_each(&key, lengths, encode, &mut out, &mut buffers);
            assert_eq!(count, lengths.len());
            for (len, hash) in lengths.iter().zip(&out) {
                let input = vec![*len as u8 | 0x80; *len];
                assert_eq!(
                    *hash,
                    *blake3::keyed_hash(&key, &input).as_bytes(),
                    "{len} bytes"
                );
            }
        }
    }

    /// The one-block batch of a Merkle level gives `blake3::keyed_hash` of each block in every
    /// lane, on both paths.
    #[test]
    fn whole_blocks_hashed_together_give_blake3_on_both_paths() {
        let data: Vec<u8> = (0..LANES * BLOCK_LEN)
            .map(|i| (i * 7 % 253) as u8)
            .collect();
        let key = [0x5Au8; 32];
        let blocks: [&[u8; BLOCK_LEN]; LANES] = std::array::from_fn(|lane| {
            data[lane * BLOCK_LEN..]
                .first_chunk()
                .expect("a whole block")
        });
        let paths = [None, crate::arch::Avx2Compress::detect()];
        for simd in paths.iter().take(1 + usize::from(paths[1].is_some())) {
            let hashes = keyed_hash_blocks(&key, &blocks, *simd);
            for (lane, (hash, block)) in hashes.iter().zip(blocks).enumerate() {
                let expected = *blake3::keyed_hash(&key, block).as_bytes();
                assert_eq!(*hash, expected, "lane {lane}, avx2 {}", simd.is_some());
            }
        }
    }
}
