//! The derive's output compiles with no prelude, with the facade renamed, next to items that
//! shadow the names it uses, and with warnings and missing docs denied: it uses only absolute
//! paths, `__`-prefixed locals, and documents every public item it adds.
#![deny(warnings, missing_docs)]

extern crate lanepool as renamed;

/// Rows derived in a module without any prelude.
pub mod no_prelude {
    #![no_implicit_prelude]

    /// Shadows `core` for relative paths; the expansion must say `::core`.
    pub mod core {}
    /// Shadows the prelude's `Option`.
    pub struct Option;
    /// Shadows the prelude's `Result`.
    pub struct Result;
    /// Shadows the prelude's `Default`.
    pub trait Default {}
    /// Shadows the prelude's `Clone`.
    pub trait Clone {}
    /// Shadows `lanepool`, which the expansion must not assume.
    pub mod lanepool {}

    /// A row with named fields.
    #[derive(
        ::core::clone::Clone,
        ::core::marker::Copy,
        ::core::fmt::Debug,
        ::core::cmp::PartialEq,
        ::renamed::SoA,
    )]
    #[soa(crate = "::renamed", lanes = 4, reset = "zero")]
    pub struct Row {
        /// A key.
        pub key: u64,
        /// A fixed-size payload.
        pub bytes: [u8; 40],
    }

    /// A generic tuple row.
    #[derive(::core::clone::Clone, ::core::marker::Copy, ::renamed::SoA)]
    #[soa(crate = "::renamed", align = 16)]
    pub struct Wrapped<T>(pub T, pub u8);
}

/// A row that names the renamed facade by a relative path.
pub mod relative {
    use renamed::SoA;

    /// A row.
    #[derive(Clone, Copy, Debug, PartialEq, SoA)]
    #[soa(crate = "renamed")]
    pub struct Row {
        /// A value.
        pub value: i32,
    }
}

#[test]
fn expansion_without_prelude_works_with_the_renamed_facade() {
    let pool = no_prelude::RowLanes::pool(1);
    let mut block: no_prelude::RowGuard<'_> = pool.acquire().unwrap();
    block
        .push(no_prelude::Row {
            key: 1,
            bytes: [7; 40],
        })
        .unwrap();
    assert_eq!(block.key(), &[1]);
    assert_eq!(block.get(0).unwrap().bytes, [7; 40]);
    drop(block);
    assert_eq!(
        pool.acquire().unwrap().bytes_lanes()[0],
        [0; 40],
        "reset = \"zero\""
    );

    let mut wrapped = no_prelude::WrappedLanes::<i64>::new();
    wrapped.push(no_prelude::Wrapped(-5, 1)).unwrap();
    assert_eq!(wrapped._0(), &[-5]);
    assert_eq!(core::mem::align_of::<no_prelude::WrappedLanes<u8>>(), 16);
}

#[test]
fn relative_crate_path_resolves() {
    let mut block = relative::RowLanes::new();
    block.push(relative::Row { value: 3 }).unwrap();
    assert_eq!(block.iter().next(), Some(relative::Row { value: 3 }));
}
