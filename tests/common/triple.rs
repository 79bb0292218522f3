//! The row of the derive's documentation example, shared by the API tests and the SoA bench: a
//! test includes it with `#[path = "common/triple.rs"] mod triple;`, a bench with
//! `#[path = "../tests/common/triple.rs"] mod triple;`.

use lanepool::SoA;

/// An RDF triple of interned ids.
#[derive(Clone, Copy, Debug, PartialEq, SoA)]
#[soa(lanes = 8, align = 64)]
pub struct Triple {
    /// Subject.
    pub s: u64,
    /// Predicate.
    pub p: u64,
    /// Object.
    pub o: u64,
}
