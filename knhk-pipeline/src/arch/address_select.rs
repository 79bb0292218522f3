//! [`select_address`]: one of two references chosen by a flag with a conditional move.
//!
//! A kernel that needs a cache line only for some blocks (the objects when a subject matched,
//! the length when a lane matched) must not branch on that: a branch predicted to need the line
//! loads it speculatively, so the line is fetched whatever the answer, and a mispredicted one
//! costs a pipeline flush. A choice of address does neither: the load waits for the flag and
//! reads either the line it needs or one the kernel has already read. LLVM turns a `select` of
//! two addresses feeding a load back into a branch (even `core::hint::select_unpredictable`'s),
//! so on x86-64 the choice is one `cmov` it cannot see into.

/// `wanted` when `mask` has a bit set, else `fallback`, chosen without a branch (see the
/// module note). The flag is a lane mask, as kernels have it, so that testing it is the
/// `cmov`'s one companion instruction.
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

#[cfg(test)]
mod tests {
    use super::select_address;

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
}
