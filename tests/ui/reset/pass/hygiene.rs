// The derive's output compiles with no prelude, with the facade renamed, next to items that
// shadow the names it uses, and with warnings and missing docs denied.
#![no_implicit_prelude]
#![deny(warnings, missing_docs)]
//! A crate that renames lanepool.

extern crate lanepool as renamed;
extern crate std;

/// Shadows `core` for relative paths; the expansion must say `::core`.
pub mod core {}
/// Shadows `lanepool`, which the expansion must not assume.
pub mod lanepool {}
/// Shadows the prelude's `Option`.
pub struct Option;

fn rewind(cursor: &mut usize) {
    *cursor = 0;
}

/// A struct of buffers.
#[derive(::renamed::Reset)]
#[reset(crate = "renamed")]
pub struct Buffers<T> {
    /// Cleared.
    pub rows: ::std::vec::Vec<T>,
    /// Kept.
    #[reset(skip)]
    pub generation: u64,
    /// Rewound.
    #[reset(with = rewind)]
    pub cursor: usize,
}

fn main() {
    let mut buffers = Buffers { rows: ::std::vec![1u8], generation: 3, cursor: 9 };
    ::renamed::Reset::reset(&mut buffers);
    ::std::assert!(buffers.rows.is_empty());
    ::std::assert_eq!((buffers.generation, buffers.cursor), (3, 0));
}
