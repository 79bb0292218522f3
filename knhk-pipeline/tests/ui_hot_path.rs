//! Compile-fail promises of the pipeline's hot path: each case in `tests/ui/hot_path/` must not
//! compile, with the diagnostic in its `.stderr`.

#[test]
fn hot_path_rejects_blocks_over_eight_lanes() {
    trybuild::TestCases::new().compile_fail("tests/ui/hot_path/*.rs");
}
