//! Compile-fail promises of the pools and guards: each case in `tests/ui/pool/` must not
//! compile, with the diagnostic in its `.stderr`.

#[test]
fn pool_misuse_does_not_compile() {
    trybuild::TestCases::new().compile_fail("tests/ui/pool/*.rs");
}
