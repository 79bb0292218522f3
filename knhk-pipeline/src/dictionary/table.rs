//! The dictionary's hash table: record addresses in open addressing over cache-line groups,
//! so that the line a lookup will read is known from the hash alone and can be prefetched
//! ([`AddressTable::group_for`]) long before the lookup runs.
//!
//! A group is one 64-byte line holding 10 slots: a 16-bit fingerprint (low bits of the hash,
//! never 0, which marks an empty slot) and a `u32` record address each, 6.4 bytes a slot. A
//! hash's home group is `hash * groups >> 64` (its high bits); a lookup scans the home group's
//! fingerprints, reads the record of each match (1 in 32 768 false matches a slot), and moves
//! on to the next group only while every slot of this one is taken (linear probing by lines;
//! slots fill in order and nothing is removed, so the first empty slot ends a search). The
//! table grows (doubling the groups) beyond 7/8 full, so most searches read one line.
//!
//! The hash is the dictionary's keyed hash (`dictionary/hash.rs`), so input crafted without the per-process key
//! cannot aim at one group. Were many hashes equal anyway (a broken key), they would fill
//! consecutive groups and a lookup would scan that run: O(run length) per lookup, slow but
//! correct, as with any open addressing.

/// Slots in one group.
const GROUP_SLOTS: usize = 10;
/// The fingerprint of an empty slot.
const EMPTY: u16 = 0;

/// One cache line of slots.
#[derive(Clone, Copy)]
#[repr(C, align(64))]
pub(super) struct Group {
    fingerprints: [u16; GROUP_SLOTS],
    addresses: [u32; GROUP_SLOTS],
}

const EMPTY_GROUP: Group = Group {
    fingerprints: [EMPTY; GROUP_SLOTS],
    addresses: [0; GROUP_SLOTS],
};

/// Record addresses by hash; equality and rehashing are the caller's (through the records).
#[derive(Default)]
pub(super) struct AddressTable {
    groups: Vec<Group>,
    len: usize,
}

#[inline]
fn fingerprint(hash: u64) -> u16 {
    hash as u16 | 1
}

#[inline]
fn home(hash: u64, groups: usize) -> usize {
    ((u128::from(hash) * groups as u128) >> 64) as usize
}

impl AddressTable {
    /// Bytes of the groups.
    pub(super) fn bytes(&self) -> usize {
        self.groups.len() * std::mem::size_of::<Group>()
    }

    /// The group a lookup of `hash` reads first (for prefetching); `None` while empty.
    #[inline]
    pub(super) fn group_for(&self, hash: u64) -> Option<&Group> {
        self.groups.get(home(hash, self.groups.len()))
    }

    /// The first address in `group` whose fingerprint matches `hash`'s, if any (for
    /// prefetching the record a lookup will most likely read). No test for the first empty
    /// slot is needed: the slots after it are empty too, and no fingerprint is `EMPTY`.
    #[inline]
    pub(super) fn first_candidate(group: &Group, hash: u64) -> Option<u32> {
        let wanted = fingerprint(hash);
        let slot = group
            .fingerprints
            .iter()
            .position(|&found| found == wanted)?;
        Some(group.addresses[slot])
    }

    /// The stored address for `hash` that `eq` accepts.
    #[inline(always)]
    pub(super) fn find(&self, hash: u64, mut eq: impl FnMut(u32) -> bool) -> Option<u32> {
        let groups = self.groups.len();
        if groups == 0 {
            return None;
        }
        let wanted = fingerprint(hash);
        let mut at = home(hash, groups);
        loop {
            let group = &self.groups[at];
            // Slot by slot, stopping at the match: a hit is on average a few slots in, and
            // fewer instructions than comparing all ten at once. Empty slots need no test of
            // their own here: no fingerprint is `EMPTY`, and slots fill in order, so a group
            // whose last slot is empty holds every entry of its run (a miss ends there).
            for slot in 0..GROUP_SLOTS {
                if group.fingerprints[slot] == wanted && eq(group.addresses[slot]) {
                    return Some(group.addresses[slot]);
                }
            }
            if group.fingerprints[GROUP_SLOTS - 1] == EMPTY {
                return None;
            }
            at += 1;
            if at == groups {
                at = 0;
            }
        }
    }

    /// Adds `address` under `hash` (not present yet), growing first if needed; `rehash` gives
    /// the hash of a stored address.
    pub(super) fn insert_unique(&mut self, hash: u64, address: u32, rehash: impl Fn(u32) -> u64) {
        if (self.len + 1) * 8 > self.groups.len() * GROUP_SLOTS * 7 {
            self.grow(rehash);
        }
        Self::place(&mut self.groups, hash, address);
        self.len += 1;
    }

    fn place(groups: &mut [Group], hash: u64, address: u32) {
        let count = groups.len();
        let mut at = home(hash, count);
        loop {
            let group = &mut groups[at];
            if let Some(slot) = group.fingerprints.iter().position(|&f| f == EMPTY) {
                group.fingerprints[slot] = fingerprint(hash);
                group.addresses[slot] = address;
                return;
            }
            at += 1;
            if at == count {
                at = 0;
            }
        }
    }

    #[cold]
    fn grow(&mut self, rehash: impl Fn(u32) -> u64) {
        let count = (self.groups.len() * 2).max(1);
        let mut groups = vec![EMPTY_GROUP; count];
        for group in &self.groups {
            for slot in 0..GROUP_SLOTS {
                if group.fingerprints[slot] != EMPTY {
                    let address = group.addresses[slot];
                    Self::place(&mut groups, rehash(address), address);
                }
            }
        }
        self.groups = groups;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every address stays findable through growth, including under a flood of equal hashes
    /// (one long run of full groups) and hashes differing only in the fingerprint bits.
    #[test]
    fn finds_every_address_through_growth_and_collisions() {
        let hash_of = |address: u32| -> u64 {
            match address % 3 {
                0 => 0x1234_5678_9abc_def0,
                1 => u64::from(address).wrapping_mul(0x9E37_79B9_7F4A_7C15),
                _ => u64::from(address & 0xff),
            }
        };
        let mut table = AddressTable::default();
        for address in 0..3000u32 {
            assert_eq!(table.find(hash_of(address), |a| a == address), None);
            table.insert_unique(hash_of(address), address, hash_of);
        }
        assert_eq!(std::mem::size_of::<Group>(), 64);
        for address in 0..3000u32 {
            assert_eq!(
                table.find(hash_of(address), |a| a == address),
                Some(address)
            );
        }
        assert_eq!(table.find(7, |_| false), None);
        assert!(table.len * 8 <= table.groups.len() * GROUP_SLOTS * 7);
    }
}
