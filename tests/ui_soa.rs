//! Compile-fail and compile-pass cases for `#[derive(SoA)]`. After a deliberate change to a
//! diagnostic, regenerate with `TRYBUILD=overwrite cargo test --test ui_soa` and review the
//! `.stderr` diffs like code.

#[test]
fn soa_ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/soa/*.rs");
    cases.pass("tests/ui/soa/pass/*.rs");
}
