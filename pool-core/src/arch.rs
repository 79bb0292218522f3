//! The one module of pool-core that uses CPU intrinsics: lane primitives over 8 `u64`s that
//! answer bit masks, their runtime CPU-feature dispatch ([`with_best_lanes`]), a prefetch
//! hint ([`prefetch_read`]) and a branch-free choice of address ([`select_address`]).
//!
//! # Lane dispatch
//!
//! The default x86-64 target (what `cargo install` builds) has SSE2 only: no 64-bit lane
//! compare, no `popcnt`. Kernels are written once against [`LaneIsa`] (8-lane compares that
//! answer a bit mask) as a [`LaneWork`]; [`with_best_lanes`] runs that work compiled for AVX2
//! (with the [`Avx2`] lanes, `popcnt` and BMI1/2) when the CPU has it, and with the
//! [`Portable`] lanes otherwise (other CPUs, other architectures, Miri). The answer never
//! depends on the path, only the speed does; a test checks every path against `Portable`.
//!
//! A crate that needs a lane operation of its own builds it from [`LaneIsa`]'s methods (a
//! blanket extension trait over `I: LaneIsa`): every `#[inline(always)]` method compiles inside
//! the batch that [`with_best_lanes`] runs, with the batch's instruction set.

/// Asks the CPU to start loading the cache line holding `value` into all cache levels, without
/// waiting for it: a hint that a lookup about to happen (a hash-table slot, a record it points
/// to) will find its data cached. Reads nothing, changes nothing, cannot fault; a no-op on other
/// architectures and under Miri.
#[inline(always)]
pub fn prefetch_read<T: ?Sized>(value: &T) {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        use core::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        // SAFETY: `prefetch` requires SSE, which every x86_64 CPU has (it is in the baseline
        // target). It is a hint that never dereferences architecturally (no fault, no read
        // visible to the program), and the pointer comes from a live reference anyway.
        unsafe { _mm_prefetch::<_MM_HINT_T0>(core::ptr::from_ref(value).cast::<i8>()) }
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    {
        let _ = value;
    }
}

/// `wanted` when `mask` has a bit set, else `fallback`, chosen without a branch: one of two
/// references picked by a flag with a conditional move.
///
/// A kernel that needs a cache line only for some blocks (the objects when a subject matched,
/// the length when a lane matched) must not branch on that: a branch predicted to need the line
/// loads it speculatively, so the line is fetched whatever the answer, and a mispredicted one
/// costs a pipeline flush. A choice of address does neither: the load waits for the flag and
/// reads either the line it needs or one the kernel has already read. LLVM turns a `select` of
/// two addresses feeding a load back into a branch (even `core::hint::select_unpredictable`'s),
/// so on x86-64 the choice is one `cmov` it cannot see into; elsewhere, and under Miri, a plain
/// `if`. The flag is a lane mask, as kernels have it, so that testing it is the `cmov`'s one
/// companion instruction.
#[inline(always)]
pub fn select_address<'a, T>(mask: u64, wanted: &'a T, fallback: &'a T) -> &'a T {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        let mut chosen: *const T = fallback;
        // The asm moves the pointers and never dereferences them: `nomem` is what it does.
        #[allow(clippy::pointers_in_nomem_asm_block)]
        // SAFETY: the two instructions read and write no memory (`nomem`) and only replace
        // `chosen` (a copy of `fallback`) with `wanted` when `mask` is not 0; either way
        // `chosen` is the address of one of two references that live for `'a`, so turning it
        // back into a `&'a T` is sound.
        unsafe {
            core::arch::asm!(
                "test {mask}, {mask}",
                "cmovnz {chosen}, {wanted}",
                mask = in(reg) mask,
                wanted = in(reg) core::ptr::from_ref(wanted),
                chosen = inout(reg) chosen,
                options(pure, nomem, nostack),
            );
            &*chosen
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(miri))))]
    {
        if mask != 0 {
            wanted
        } else {
            fallback
        }
    }
}

/// Operations over 8 lanes of `u64` that kernels build on, each answering a bit mask (bit `i`
/// for lane `i`). One implementation per instruction set; [`with_best_lanes`] picks one.
pub trait LaneIsa: Copy {
    /// Bit `i` set where `lanes[i] == value`.
    fn eq_mask(self, lanes: &[u64; 8], value: u64) -> u64;
    /// Bit `i` set where `lanes[i].wrapping_sub(low) <= width` (unsigned): `lanes[i]` lies in
    /// `low..=low + width`, wrapping.
    fn range_mask(self, lanes: &[u64; 8], low: u64, width: u64) -> u64;
    /// Bit `i` set where `set` has bit number `lanes[i] >> SHIFT`: the lane's top
    /// `64 - SHIFT` bits, a number below 16, looked up in the 16-member bit set `set`.
    /// `SHIFT` is 60 to 63 (checked at compile time), so the number always names a bit of `set`;
    /// a 16-bit set keeps the portable loop in 16-bit shifts.
    fn bitset_mask<const SHIFT: i32>(self, lanes: &[u64; 8], set: u16) -> u64;
}

/// The smallest `SHIFT` of [`LaneIsa::bitset_mask`]: 64 - 60 = 4 bits index a 16-bit set.
const MIN_BITSET_SHIFT: i32 = 60;

/// Plain Rust: every CPU, and Miri.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Portable;

impl LaneIsa for Portable {
    #[inline(always)]
    fn eq_mask(self, lanes: &[u64; 8], value: u64) -> u64 {
        let mut mask = 0;
        for (lane, &x) in lanes.iter().enumerate() {
            mask |= u64::from(x == value) << lane;
        }
        mask
    }

    #[inline(always)]
    fn range_mask(self, lanes: &[u64; 8], low: u64, width: u64) -> u64 {
        let mut mask = 0;
        for (lane, &x) in lanes.iter().enumerate() {
            mask |= u64::from(x.wrapping_sub(low) <= width) << lane;
        }
        mask
    }

    #[inline(always)]
    fn bitset_mask<const SHIFT: i32>(self, lanes: &[u64; 8], set: u16) -> u64 {
        const { assert!(SHIFT >= MIN_BITSET_SHIFT && SHIFT < 64) };
        let mut mask = 0;
        for (lane, &x) in lanes.iter().enumerate() {
            mask |= u64::from((set >> (x >> SHIFT)) & 1) << lane;
        }
        mask
    }
}

/// AVX2: two 4-lane compares and two mask moves per operation. Only [`with_best_lanes`] makes
/// one, after checking that the CPU has AVX2.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[derive(Clone, Copy, Debug)]
pub struct Avx2 {
    _checked: (),
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
impl LaneIsa for Avx2 {
    #[inline(always)]
    fn eq_mask(self, lanes: &[u64; 8], value: u64) -> u64 {
        // SAFETY: an `Avx2` exists only once `has_avx2()` said the CPU has AVX2.
        unsafe { avx2::eq_mask(lanes, value) }
    }

    #[inline(always)]
    fn range_mask(self, lanes: &[u64; 8], low: u64, width: u64) -> u64 {
        // SAFETY: as for `eq_mask`.
        unsafe { avx2::range_mask(lanes, low, width) }
    }

    #[inline(always)]
    fn bitset_mask<const SHIFT: i32>(self, lanes: &[u64; 8], set: u16) -> u64 {
        const { assert!(SHIFT >= MIN_BITSET_SHIFT && SHIFT < 64) };
        // SAFETY: as for `eq_mask`.
        unsafe { avx2::bitset_mask::<SHIFT>(lanes, set) }
    }
}

/// The AVX2 bodies. Each requires that the CPU has AVX2 (and is `unsafe` to call for that
/// reason only): the loads are unaligned loads from `&[u64; 8]`, always in bounds.
#[cfg(all(target_arch = "x86_64", not(miri)))]
mod avx2 {
    use core::arch::x86_64::{
        __m256i, _mm256_and_si256, _mm256_castsi256_pd, _mm256_cmpeq_epi64, _mm256_cmpeq_epi8,
        _mm256_cmpgt_epi64, _mm256_loadu_si256, _mm256_movemask_pd, _mm256_set1_epi16,
        _mm256_set1_epi64x, _mm256_setr_epi8, _mm256_shuffle_epi8, _mm256_srli_epi64,
        _mm256_sub_epi64,
    };

    /// Lanes 0..4 and 4..8.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn halves(lanes: &[u64; 8]) -> (__m256i, __m256i) {
        // SAFETY: both reads are 32 bytes inside the 64-byte array; `loadu` needs no alignment.
        unsafe {
            let base = lanes.as_ptr().cast::<__m256i>();
            (_mm256_loadu_si256(base), _mm256_loadu_si256(base.add(1)))
        }
    }

    /// The sign bits of two 4-lane results as an 8-bit mask.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn signs(low: __m256i, high: __m256i) -> u64 {
        let low = _mm256_movemask_pd(_mm256_castsi256_pd(low)) as u64;
        let high = _mm256_movemask_pd(_mm256_castsi256_pd(high)) as u64;
        low | high << 4
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn eq_mask(lanes: &[u64; 8], value: u64) -> u64 {
        let (a, b) = halves(lanes);
        let v = _mm256_set1_epi64x(value as i64);
        signs(_mm256_cmpeq_epi64(a, v), _mm256_cmpeq_epi64(b, v))
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn range_mask(lanes: &[u64; 8], low: u64, width: u64) -> u64 {
        // Unsigned `x - low <= width` as a signed compare: flip the sign bits of both sides.
        // Flipping the difference's sign bit adds 2^63, which is subtracting `low ^ 2^63`: one
        // instruction a half, the flip folded into the constant.
        let (a, b) = halves(lanes);
        let low = _mm256_set1_epi64x((low ^ (1 << 63)) as i64);
        let width = _mm256_set1_epi64x((width ^ (1 << 63)) as i64);
        let above = |x| _mm256_cmpgt_epi64(_mm256_sub_epi64(x, low), width);
        !signs(above(a), above(b)) & 0xff
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) fn bitset_mask<const SHIFT: i32>(lanes: &[u64; 8], set: u16) -> u64 {
        // The lane's top four bits `t` index a 16-byte table, byte `t` all ones when `set` has
        // bit `t >> (SHIFT - 60)` (built once a batch: nothing here depends on the lanes),
        // looked up with one byte shuffle a half.
        let (a, b) = halves(lanes);
        let by_top_bits = if SHIFT == super::MIN_BITSET_SHIFT {
            set
        } else {
            (0..16).fold(0_u16, |by_top, t| {
                by_top | ((set >> (t >> (SHIFT - super::MIN_BITSET_SHIFT))) & 1) << t
            })
        };
        let bits = _mm256_setr_epi8(
            1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64, -128, 1, 2, 4, 8, 16, 32, 64,
            -128, 1, 2, 4, 8, 16, 32, 64, -128,
        );
        let set_bytes = _mm256_shuffle_epi8(
            _mm256_set1_epi16(by_top_bits as i16),
            _mm256_setr_epi8(
                0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1,
                1, 1, 1, 1,
            ),
        );
        let table = _mm256_cmpeq_epi8(_mm256_and_si256(set_bytes, bits), bits);
        // The top four bits move to the low half of each lane's top byte (its high half clear,
        // as the shuffle needs), which the shuffle replaces with its table byte: the lane's
        // sign bit is the answer.
        let hit = |x| _mm256_shuffle_epi8(table, _mm256_srli_epi64::<4>(x));
        signs(hit(a), hit(b))
    }
}

/// Work to run over a batch with the best [`LaneIsa`] this CPU has: `run` is compiled once per
/// instruction set, with everything it inlines.
pub trait LaneWork {
    /// What the batch computes.
    type Output;
    /// The batch, written once, generic over the instruction set.
    fn run<I: LaneIsa>(self, isa: I) -> Self::Output;
}

/// Whether this CPU runs the AVX2 lanes (AVX2, POPCNT, BMI1 and BMI2).
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[inline]
fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
        && std::arch::is_x86_feature_detected!("popcnt")
        && std::arch::is_x86_feature_detected!("bmi1")
        && std::arch::is_x86_feature_detected!("bmi2")
}

/// Runs `work` with the best lane instruction set of this CPU (see the
/// [module docs](self#lane-dispatch)). Call it around a whole batch (a loop over blocks), not
/// per block: the check is a few cached loads, and the batch is then compiled for the chosen
/// instruction set as one piece.
#[inline]
pub fn with_best_lanes<W: LaneWork>(work: W) -> W::Output {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        if has_avx2() {
            // SAFETY: `run_avx2` requires AVX2, POPCNT, BMI1 and BMI2, checked just above.
            return unsafe { run_avx2(work) };
        }
    }
    work.run(Portable)
}

/// `work` with the AVX2 lanes, and AVX2, POPCNT and BMI1/2 enabled for all it inlines.
#[cfg(all(target_arch = "x86_64", not(miri)))]
#[target_feature(enable = "avx2,popcnt,bmi1,bmi2")]
unsafe fn run_avx2<W: LaneWork>(work: W) -> W::Output {
    work.run(Avx2 { _checked: () })
}

/// The lane instruction set [`with_best_lanes`] uses on this CPU, for reports.
#[must_use]
pub fn best_lanes() -> &'static str {
    #[cfg(all(target_arch = "x86_64", not(miri)))]
    {
        if has_avx2() {
            return "avx2";
        }
    }
    "portable"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A prefetch is only a hint: the data it touches reads and writes back unchanged, for
    /// values on the stack, the heap, at the end of an allocation and of zero size.
    #[test]
    fn prefetch_changes_nothing() {
        let mut words: Vec<u64> = (0..1024).collect();
        for i in 0..words.len() {
            prefetch_read(&words[i]);
            prefetch_read(&words[i..]);
            words[i] += 1;
        }
        prefetch_read(&());
        prefetch_read("text");
        assert!(words.iter().enumerate().all(|(i, &w)| w == i as u64 + 1));
    }

    /// The flag picks the reference; either is a live one.
    #[test]
    fn a_mask_with_a_bit_chooses_the_wanted_reference() {
        let (wanted, fallback) = ([1_u64; 8], [2_u64; 8]);
        for mask in [1, 0x80, 1 << 63, u64::MAX] {
            assert!(core::ptr::eq(
                select_address(mask, &wanted, &fallback),
                &wanted
            ));
        }
        assert!(core::ptr::eq(
            select_address(0, &wanted, &fallback),
            &fallback
        ));
    }

    /// Every operation on every instruction set, against `Portable`, on edge values.
    #[test]
    fn every_instruction_set_gives_the_portable_answer() {
        struct Check([u64; 8]);
        impl LaneWork for Check {
            type Output = [u64; 4];
            fn run<I: LaneIsa>(self, isa: I) -> [u64; 4] {
                let lanes = &self.0;
                [
                    isa.eq_mask(lanes, lanes[3]),
                    isa.range_mask(lanes, lanes[1], 1 << 62),
                    isa.bitset_mask::<60>(lanes, 0b1000_0000_1010_0110),
                    isa.bitset_mask::<61>(lanes, 0b1010_0110),
                ]
            }
        }
        let edge = [
            0,
            1,
            u64::MAX,
            1 << 63,
            (7 << 60) | 5,
            (1 << 60) - 1,
            3,
            u64::MAX - 1,
        ];
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        for round in 0..200 {
            let mut lanes = edge;
            if round > 0 {
                for lane in &mut lanes {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    *lane = if x.is_multiple_of(3) {
                        edge[(x >> 8) as usize % 8]
                    } else {
                        x
                    };
                }
            }
            let portable = Check(lanes).run(Portable);
            assert_eq!(with_best_lanes(Check(lanes)), portable, "{lanes:x?}");
            #[cfg(all(target_arch = "x86_64", not(miri)))]
            if has_avx2() {
                // SAFETY: the CPU has the features `run_avx2` enables.
                assert_eq!(unsafe { run_avx2(Check(lanes)) }, portable, "{lanes:x?}");
            }
        }
        assert!(["avx2", "portable"].contains(&best_lanes()));
    }
}
