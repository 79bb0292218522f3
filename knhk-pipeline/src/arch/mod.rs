//! What the pipeline asks of the CPU, in the order a timed hot batch uses it:
//!
//! - lane dispatch, re-exported from [`lanepool::arch`]: a batch written once as a
//!   [`LaneWork`] over a [`LaneIsa`] runs under [`with_best_lanes`] (AVX2 when the CPU has it,
//!   else [`Portable`]);
//! - [`select_address`], re-exported from [`lanepool::arch`]: one of two references chosen
//!   without a branch, so that a kernel fetches a block's line only when its answer needs it;
//! - `best_isa.rs`: [`with_best_isa`], the same dispatch for any loop (the N-Triples chunk parser);
//! - `byte_scan.rs`: the parsers' term scans (the first byte of a stop set) 32 bytes a step in
//!   AVX2 registers, each step one bit mask;
//! - `cache_size.rs`: [`last_level_cache_bytes`], the size past which the dictionary is
//!   worth prefetching;
//! - `blake3_lanes.rs`: eight BLAKE3 compressions at once in AVX2 registers
//!   (the provenance hashes);
//! - `tag_lanes.rs`: [`TagLanes`], the lane test on a [`TermId`](crate::dictionary::TermId)'s
//!   4-bit tag, which every [`LaneIsa`] has;
//! - `tick_counter.rs`: the counter a batch is timed with ([`ticks`], [`amortised`]);
//! - `text_hash.rs`: `AesTextHash`, the dictionary's keyed text hash in AES rounds where the
//!   CPU has AES-NI;
//! - `utf8.rs`: `string_from_utf8`, a read buffer taken as text after a SIMD UTF-8 check
//!   (the N-Triples chunk parser's input).
//!
//! `best_isa.rs`, `tick_counter.rs`, `blake3_lanes.rs`, `byte_scan.rs`, `text_hash.rs` and `utf8.rs` are the modules of the crate allowed
//! `unsafe` code: `rdtsc`, the AVX2 and the AES operations are intrinsics, and a checked buffer becomes
//! a `String` without a second check.

// A `target_feature` call, under the `// SAFETY:` note it carries.
#[allow(unsafe_code)]
mod best_isa;
// AVX2 intrinsics, each block under the `// SAFETY:` note it carries.
#[allow(unsafe_code)]
mod byte_scan;
// AVX2 intrinsics, each block under the `// SAFETY:` note it carries.
#[allow(unsafe_code)]
mod blake3_lanes;
mod cache_size;
mod tag_lanes;
// AES-NI intrinsics, each block under the `// SAFETY:` note it carries.
#[allow(unsafe_code)]
mod text_hash;
// `rdtsc`, under the `// SAFETY:` note it carries; the rest of the crate denies `unsafe`.
#[allow(unsafe_code)]
mod tick_counter;
// A `String` from bytes simdutf8 has checked, under the `// SAFETY:` note it carries.
#[allow(unsafe_code)]
mod utf8;

pub use best_isa::with_best_isa;
pub(crate) use blake3_lanes::{Avx2Compress, BLAKE3_IV, BLAKE3_MSG_SCHEDULE};
pub(crate) use byte_scan::{Avx2Scan, StopSet};
pub use cache_size::last_level_cache_bytes;
pub use lanepool::arch::{
    best_lanes, prefetch_read, select_address, with_best_lanes, LaneIsa, LaneWork, Portable,
};
pub use tag_lanes::TagLanes;
pub(crate) use text_hash::{AesTextHash, RoundKeys};
pub use tick_counter::{amortised, tick_overhead, tick_source, ticks};
pub(crate) use utf8::string_from_utf8;
