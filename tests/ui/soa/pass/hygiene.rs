// The expansion needs no prelude, no `lanepool` name and no undocumented public item.
#![no_implicit_prelude]
#![deny(warnings, missing_docs)]
//! A crate that renames lanepool.

extern crate lanepool as renamed;
extern crate std;

/// A row.
#[derive(::std::clone::Clone, ::std::marker::Copy, ::renamed::SoA)]
#[soa(crate = "renamed", lanes = 2, align = 8, reset = "zero")]
pub struct Row {
    /// An id.
    pub id: u32,
}

fn main() {
    let pool = RowLanes::sync_pool(1);
    let mut block: RowSyncGuard<'_> = pool.acquire().unwrap();
    block.push(Row { id: 1 }).unwrap();
    ::std::assert_eq!(block.id(), &[1]);
}
