//! Snapshot tests of the expansions, compared as pretty-printed code (prettyplease), so a
//! snapshot reads like the code a user gets and survives spacing changes. One file per case in
//! `pool-derive/tests/snapshots/`, plus `examples/soa_expanded.rs` in the repository root, whose
//! expansion section must be what the derive writes for the struct in its header (compared as
//! code, so `cargo fmt` on the example is fine).
//!
//! After a deliberate change to the output: `SNAPSHOTS=overwrite cargo test -p pool-derive`,
//! then review the diff like code.

use std::fs;
use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;

/// A derive's expansion function.
type Derive = fn(&syn::DeriveInput) -> TokenStream;

/// `(file stem, derive, input)`.
const CASES: &[(&str, Derive, &str)] = &[
    (
        "soa_named",
        crate::soa::derive,
        "#[soa(lanes = 4, align = 32)] pub struct Point { pub x: f32, pub y: f32, id: u32 }",
    ),
    (
        "soa_per_block",
        crate::soa::derive,
        "#[soa(lanes = 8, align = 64)] pub struct Triple { pub s: u64, #[soa(per_block)] pub p: u64, pub o: u64 }",
    ),
    (
        "soa_generic_tuple",
        crate::soa::derive,
        "#[soa(lanes = 2, reset = \"zero\", crate = \"renamed\")] struct Pair<T>(T, [T; 40]);",
    ),
    (
        "soa_invalid_settings",
        crate::soa::derive,
        "#[soa(lanes = 0)] struct Row { id: u64, len: u32 }",
    ),
    (
        "soa_renamed",
        crate::soa::derive,
        "#[soa(lanes = 2, names(block = Chunk, guard = ChunkGuard, row_ref = View, columns = Points))] pub struct Point { pub x: f32 }",
    ),
    ("soa_enum_fallback", crate::soa::derive, "enum Row { A(u64) }"),
    (
        "reset_struct",
        crate::reset::derive,
        "struct Scratch<T> where T: Clone { rows: Vec<T>, #[reset(skip)] generation: u64, #[reset(with = rewind)] cursor: usize }",
    ),
    ("reset_enum_fallback", crate::reset::derive, "enum State { Idle }"),
];

fn pretty(tokens: TokenStream) -> String {
    let file: syn::File =
        syn::parse2(crate::doc::wrap_docs(tokens)).expect("the expansion parses as items");
    prettyplease::unparse(&file)
}

fn overwrite() -> bool {
    std::env::var("SNAPSHOTS").is_ok_and(|mode| mode == "overwrite")
}

/// Compares, or writes when overwriting; returns a failure message on a difference.
fn check(path: &Path, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    if overwrite() {
        fs::write(path, actual).expect("write snapshot");
        return None;
    }
    let first_difference = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or(expected.lines().count().min(actual.lines().count()));
    Some(format!(
        "{} differs from the macro's output from line {} on:\n  snapshot: {:?}\n  output:   {:?}\n\
         (if the change is deliberate: SNAPSHOTS=overwrite cargo test -p pool-derive, and review)",
        path.display(),
        first_difference + 1,
        expected.lines().nth(first_difference),
        actual.lines().nth(first_difference),
    ))
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn expansions_match_their_snapshots() {
    let mut failures = Vec::new();
    for (stem, derive, source) in CASES {
        let input: syn::DeriveInput = syn::parse_str(source).expect("case input parses");
        let actual = format!("// {source}\n\n{}", pretty(derive(&input)));
        let path = manifest_dir().join(format!("tests/snapshots/{stem}.rs"));
        let expected = fs::read_to_string(&path).unwrap_or_default();
        failures.extend(check(&path, &expected, &actual));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

const HEADER_INPUT_START: &str = "//! ```ignore\n";
const HEADER_INPUT_END: &str = "//! ```\n";
const EXPANSION_START: &str = "// ---- from here on, the expansion ----\n";
const EXPANSION_END: &str = "// ---- end of the expansion ----\n";

/// `examples/soa_expanded.rs` shows users what the derive writes; this keeps it true.
#[test]
fn the_expanded_example_is_the_macros_output() {
    let path = manifest_dir().join("../examples/soa_expanded.rs");
    let example = fs::read_to_string(&path).expect("examples/soa_expanded.rs");
    let input_start =
        example.find(HEADER_INPUT_START).expect("the input block") + HEADER_INPUT_START.len();
    let input_len = example[input_start..]
        .find(HEADER_INPUT_END)
        .expect("end of the input block");
    let input: String = example[input_start..input_start + input_len]
        .lines()
        .map(|line| {
            line.strip_prefix("//!")
                .unwrap_or(line)
                .strip_prefix(' ')
                .unwrap_or("")
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let mut input: syn::DeriveInput = syn::parse_str(&input).expect("the example's input parses");
    // The example declares the row itself without the derive attributes; only `#[soa]` matters.
    input.attrs.retain(|attr| attr.path().is_ident("soa"));
    let section_start =
        example.find(EXPANSION_START).expect("the expansion marker") + EXPANSION_START.len();
    let section_len = example[section_start..]
        .find(EXPANSION_END)
        .expect("the end marker");
    let section = &example[section_start..section_start + section_len];
    let actual = format!("\n{}\n", pretty(crate::soa::derive(&input)));
    // `cargo fmt` reformats the example, so the section is compared as code: both sides
    // pretty-printed the same way.
    let tokens: TokenStream = section
        .parse()
        .expect("the expansion section is Rust tokens");
    let expected = format!("\n{}\n", pretty(tokens));
    if section != actual && overwrite() {
        let rewritten = format!(
            "{}{}{}",
            &example[..section_start],
            actual,
            &example[section_start + section_len..]
        );
        fs::write(&path, rewritten).expect("write the example");
        return;
    }
    if let Some(failure) = check(&path, &expected, &actual) {
        panic!("{failure}");
    }
}
