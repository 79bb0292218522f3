//! Compile-fail and compile-pass cases for `#[derive(Reset)]`. After a deliberate change to a
//! diagnostic, regenerate with `TRYBUILD=overwrite cargo test --test ui_reset` and review the
//! `.stderr` diffs like code.

#[test]
fn reset_ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/reset/*.rs");
    cases.pass("tests/ui/reset/pass/*.rs");
}
