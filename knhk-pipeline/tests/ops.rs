//! Every op of the table, through a hook file, the library and the CLI, with results over whole
//! runs (runs longer than 8 lanes, split across blocks, batches and pool refills), exact numeric
//! comparisons, duplicate triples, and hook files with mistakes.

use std::collections::BTreeMap;
use std::process::Command;

use knhk_pipeline::emit::MemorySink;
use knhk_pipeline::hooks::{parse_hook_file, HookSpec};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::ops::{OpKind, OPS};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig, Summary};

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The test data: a 20-triple run for one subject, a duplicate triple, and numeric literals of
/// every kind.
fn data() -> String {
    let mut nt = String::new();
    let mut line = |s: &str, p: &str, o: &str| nt.push_str(&format!("{s} {p} {o} .\n"));
    for i in 0..20 {
        line("<http://e/s1>", "<http://e/p>", &format!("<http://e/o{i}>"));
    }
    line("<http://e/s2>", "<http://e/p>", "<http://e/o0>");
    line("<http://e/s2>", "<http://e/p>", "<http://e/o0>"); // the same triple again
    line("<http://e/s3>", "<http://e/p>", "<http://e/o0>");
    line("<http://e/s3>", "<http://e/p>", "<http://e/o1>");
    line("<http://e/s5>", "<http://e/p>", "<http://e/o9>");
    for i in 0..3 {
        line(&format!("<http://e/q{i}>"), "<http://e/q>", "<http://e/x>");
    }
    let numbers = [
        "\"7\"^^<http://www.w3.org/2001/XMLSchema#integer>".to_owned(),
        format!("\"007\"^^<{XSD}integer>"),
        format!("\"+5\"^^<{XSD}integer>"),
        format!("\"12.0\"^^<{XSD}decimal>"),
        format!("\"1.5E1\"^^<{XSD}double>"),
        format!("\"100000000000000000000000\"^^<{XSD}integer>"),
        format!("\"abc\"^^<{XSD}integer>"),
        format!("\"3\"^^<{XSD}int>"),
        format!("\"2.5\"^^<{XSD}float>"),
        "\"x\"".to_owned(),
        "\"5\"@en".to_owned(),
        "<http://e/iri>".to_owned(),
        format!("\"true\"^^<{XSD}boolean>"),
        format!("\"-INF\"^^<{XSD}double>"),
        format!("\"NaN\"^^<{XSD}double>"),
        format!("\"300\"^^<{XSD}byte>"),
        format!("\"-1000000000000000000000\"^^<{XSD}integer>"),
        format!("\"576460752303423487\"^^<{XSD}integer>"),
        format!("\"576460752303423488\"^^<{XSD}integer>"),
    ];
    for object in &numbers {
        line("<http://e/a>", "<http://e/n>", object);
    }
    line("<http://e/b>", "<http://e/n>", &numbers[0]);
    nt
}

/// Each hook, and its whole-run result and firing.
const HOOKS: &str = r#"
[[hook]]
name = "ask-sp"
kind = "ask_sp"
predicate = "<http://e/p>"
subject = "<http://e/s1>"
# result 20, fires

[[hook]]
name = "ask-spo"
kind = "ask_spo"
predicate = "<http://e/p>"
subject = "<http://e/s1>"
object = "<http://e/o5>"

[[hook]]
name = "ask-op"
kind = "ask_op"
predicate = "<http://e/p>"
object = "<http://e/o0>"

[[hook]]
name = "count-sp-ge-20"
kind = "count_sp_ge"
predicate = "<http://e/p>"
subject = "<http://e/s1>"
k = 20

[[hook]]
name = "count-sp-ge-min-21"
kind = "count_sp_ge"
predicate = "<http://e/p>"
subject = "<http://e/s1>"
min = 21

[[hook]]
name = "count-sp-le-19"
kind = "count_sp_le"
predicate = "<http://e/p>"
subject = "<http://e/s1>"
k = 19

[[hook]]
name = "count-sp-eq-20"
kind = "count_sp_eq"
predicate = "<http://e/p>"
subject = "<http://e/s1>"
k = 20

[[hook]]
name = "count-op-ge-4"
kind = "count_op_ge"
predicate = "<http://e/p>"
object = "<http://e/o0>"
k = 4

[[hook]]
name = "count-op-le-1"
kind = "count_op_le"
predicate = "<http://e/p>"
object = "<http://e/o1>"
k = 1

[[hook]]
name = "count-op-eq-4"
kind = "count_op_eq"
predicate = "<http://e/p>"
object = "<http://e/o0>"
k = 4

[[hook]]
name = "unique-sp-duplicate"
kind = "unique_sp"
predicate = "<http://e/p>"
subject = "<http://e/s2>"

[[hook]]
name = "unique-sp-one"
kind = "unique_sp"
predicate = "<http://e/p>"
subject = "<http://e/s5>"

[[hook]]
name = "compare-eq-7"
kind = "compare_o_eq"
predicate = "<http://e/n>"
value = '"7"^^<http://www.w3.org/2001/XMLSchema#integer>'

[[hook]]
name = "compare-eq-7-of-a"
kind = "compare_o_eq"
predicate = "<http://e/n>"
subject = "<http://e/a>"
value = '"7.00"^^<http://www.w3.org/2001/XMLSchema#decimal>'

[[hook]]
name = "compare-gt-10"
kind = "compare_o_gt"
predicate = "<http://e/n>"
value = '"10"^^<http://www.w3.org/2001/XMLSchema#integer>'

[[hook]]
name = "compare-lt-5"
kind = "compare_o_lt"
predicate = "<http://e/n>"
value = '"+5"^^<http://www.w3.org/2001/XMLSchema#integer>'

[[hook]]
name = "compare-ge-5.0"
kind = "compare_o_ge"
predicate = "<http://e/n>"
value = '"5.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'

[[hook]]
name = "compare-le-1.5E1"
kind = "compare_o_le"
predicate = "<http://e/n>"
value = '"1.5E1"^^<http://www.w3.org/2001/XMLSchema#double>'

[[hook]]
name = "compare-gt-1e22"
kind = "compare_o_gt"
predicate = "<http://e/n>"
value = '"1e22"^^<http://www.w3.org/2001/XMLSchema#double>'

[[hook]]
name = "compare-eq-2.pow.59"
kind = "compare_o_eq"
predicate = "<http://e/n>"
value = '"576460752303423488"^^<http://www.w3.org/2001/XMLSchema#integer>'

[[hook]]
name = "datatype-integer"
kind = "validate_datatype_sp"
predicate = "<http://e/n>"
subject = "<http://e/a>"
datatype = "<http://www.w3.org/2001/XMLSchema#integer>"

[[hook]]
name = "datatype-int"
kind = "validate_datatype_sp"
predicate = "<http://e/n>"
subject = "<http://e/a>"
datatype = "<http://www.w3.org/2001/XMLSchema#int>"

[[hook]]
name = "datatype-float"
kind = "validate_datatype_sp"
predicate = "<http://e/n>"
subject = "<http://e/a>"
datatype = "<http://www.w3.org/2001/XMLSchema#float>"

[[hook]]
name = "datatype-lang"
kind = "validate_datatype_sp"
predicate = "<http://e/n>"
subject = "<http://e/a>"
datatype = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#langString>"

[[hook]]
name = "datatype-spo-decimal"
kind = "validate_datatype_spo"
predicate = "<http://e/n>"
subject = "<http://e/a>"
object = '"12.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
datatype = "<http://www.w3.org/2001/XMLSchema#decimal>"

[[hook]]
name = "datatype-spo-double"
kind = "validate_datatype_spo"
predicate = "<http://e/n>"
subject = "<http://e/a>"
object = '"12.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'
datatype = "<http://www.w3.org/2001/XMLSchema#double>"

[[hook]]
name = "select-s3"
kind = "select_sp"
predicate = "<http://e/p>"
subject = "<http://e/s3>"

[[hook]]
name = "construct-o0"
kind = "construct8"
predicate = "<http://e/p>"
object = "<http://e/o0>"
construct_predicate = "<http://e/links>"
construct_object = "<http://e/o0-target>"

[[hook]]
name = "construct-all"
kind = "construct8"
predicate = "<http://e/q>"
construct_predicate = "<http://e/seen>"
construct_object = '"yes"'
"#;

/// (name, result, fired) for every hook in [`HOOKS`].
const EXPECTED: &[(&str, u64, bool)] = &[
    ("ask-sp", 20, true),
    ("ask-spo", 1, true),
    ("ask-op", 4, true), // s1, s2 twice (a duplicate counts per occurrence), s3
    ("count-sp-ge-20", 20, true),
    ("count-sp-ge-min-21", 20, false),
    ("count-sp-le-19", 20, false),
    ("count-sp-eq-20", 20, true),
    ("count-op-ge-4", 4, true),
    ("count-op-le-1", 2, false),
    ("count-op-eq-4", 4, true),
    ("unique-sp-duplicate", 2, false),
    ("unique-sp-one", 1, true),
    ("compare-eq-7", 3, true),        // "7", "007", and b's "7"
    ("compare-eq-7-of-a", 2, true),   // a's "7" and "007"
    ("compare-gt-10", 5, true),       // 12.0, 1.5E1, 10^23, 2^59 - 1, 2^59
    ("compare-lt-5", 4, true),        // 3 (int), 2.5 (float), -INF, -10^21
    ("compare-ge-5.0", 9, true),      // 7, 007, +5, 12.0, 1.5E1, 10^23, 2^59 - 1, 2^59, b's 7
    ("compare-le-1.5E1", 10, true),   // 7, 007, +5, 12.0, 1.5E1, 3, 2.5, -INF, -10^21, b's 7
    ("compare-gt-1e22", 1, true),     // 10^23
    ("compare-eq-2.pow.59", 1, true), // stored, beyond the inline range
    ("datatype-integer", 8, true),    // 7, 007, +5, 10^23, "abc", -10^21, 2^59 - 1, 2^59
    ("datatype-int", 1, true),
    ("datatype-float", 1, true),
    ("datatype-lang", 1, true),
    ("datatype-spo-decimal", 1, true),
    ("datatype-spo-double", 0, false),
    ("select-s3", 2, true),
    ("construct-o0", 4, true),
    ("construct-all", 3, true),
];

fn run(config: PipelineConfig, hooks: &str) -> (Summary, MemorySink) {
    let mut pipeline = Pipeline::new(config);
    for spec in parse_hook_file(hooks, "ops.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    let data = data();
    let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
    let mut sink = MemorySink::default();
    let summary = pipeline.execute(reader, &mut sink).unwrap();
    (summary, sink)
}

fn outcomes(summary: &Summary) -> BTreeMap<&str, (u64, bool)> {
    summary
        .hooks
        .iter()
        .map(|hook| (hook.name.as_str(), (hook.result, hook.fired)))
        .collect()
}

#[test]
fn every_op_is_exercised_here() {
    for spec in OPS {
        assert!(
            HOOKS.contains(&format!("kind = \"{}\"", spec.name)),
            "{} has no hook in this test",
            spec.name
        );
    }
}

#[test]
fn every_op_gives_its_whole_run_result_and_fires_on_it() {
    let (summary, sink) = run(PipelineConfig::default(), HOOKS);
    let expected: BTreeMap<&str, (u64, bool)> = EXPECTED
        .iter()
        .map(|&(name, result, fired)| (name, (result, fired)))
        .collect();
    assert_eq!(outcomes(&summary), expected);
    // The hook's result is the merge of its receipts.
    for (index, hook) in summary.hooks.iter().enumerate() {
        let receipts: Vec<_> = sink
            .receipts
            .iter()
            .filter(|r| r.hook as usize == index)
            .collect();
        assert_eq!(receipts.len() as u64, hook.receipts, "{}", hook.name);
        assert_eq!(
            receipts.iter().map(|r| r.result).sum::<u64>(),
            hook.result,
            "{}",
            hook.name
        );
    }
    // 20 triples of s1 take three blocks: count_sp_ge with k = 20 fires only on the sum.
    let s1_blocks = &summary.hooks[0].receipts;
    assert!(*s1_blocks >= 3, "{summary:?}");
    assert_eq!(summary.actions, 2 + 4 + 3);
    assert_eq!(sink.actions.len(), 9);
}

#[test]
fn results_do_not_depend_on_blocks_batches_or_pool_sizes() {
    let (baseline, _) = run(PipelineConfig::default(), HOOKS);
    for config in [
        PipelineConfig {
            block_capacity: 1,
            receipt_capacity: 1,
            batch_triples: 1,
        },
        PipelineConfig {
            block_capacity: 2,
            receipt_capacity: 3,
            batch_triples: 7,
        },
        PipelineConfig {
            block_capacity: 3,
            receipt_capacity: 64,
            batch_triples: 13,
        },
    ] {
        let (summary, _) = run(config, HOOKS);
        assert_eq!(outcomes(&summary), outcomes(&baseline), "{config:?}");
        assert!(
            summary.pool_drains > 0 || config.batch_triples > 1,
            "{config:?}"
        );
    }
}

#[test]
fn parked_counts_warm_ops_and_warm_lookups_by_cause() {
    let (summary, _) = run(PipelineConfig::default(), HOOKS);
    let receipts_of = |name: &str| {
        summary
            .hooks
            .iter()
            .find(|hook| hook.name == name)
            .unwrap()
            .receipts
    };
    let warm_ops =
        receipts_of("select-s3") + receipts_of("construct-o0") + receipts_of("construct-all");
    let parked = summary.parked;
    assert_eq!(parked.warm_op, warm_ops);
    assert!(
        parked.warm_lookup > 0,
        "decimals and doubles need the dictionary: {parked:?}"
    );
    assert_eq!(
        parked.total,
        parked.warm_op + parked.over_budget + parked.warm_lookup
    );
    assert_eq!(summary.receipts, summary.hooks_evaluated);
}

#[test]
fn duplicate_triples_count_once_per_occurrence() {
    let hooks = r#"
[[hook]]
name = "count"
kind = "count_sp_eq"
predicate = "<http://e/p>"
subject = "<http://e/s>"
k = 3

[[hook]]
name = "unique"
kind = "unique_sp"
predicate = "<http://e/p>"
subject = "<http://e/s>"
"#;
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    for spec in parse_hook_file(hooks, "dup.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    let data = "<http://e/s> <http://e/p> <http://e/o> .\n".repeat(3);
    let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
    let summary = pipeline
        .execute(reader, &mut MemorySink::default())
        .unwrap();
    assert_eq!(summary.triples_loaded, 3);
    assert_eq!(outcomes(&summary)["count"], (3, true));
    assert_eq!(outcomes(&summary)["unique"], (3, false));
}

#[test]
fn ops_work_through_the_library_api() {
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    pipeline
        .register_hook(&HookSpec {
            name: "over-ten".into(),
            kind: OpKind::CompareOGt.name().into(),
            predicate: "<http://e/n>".into(),
            value: Some(format!("\"10\"^^<{XSD}integer>")),
            ..HookSpec::default()
        })
        .unwrap();
    pipeline
        .register_hook(&HookSpec {
            name: "s1-has-20".into(),
            kind: "count_sp_eq".into(),
            predicate: "<http://e/p>".into(),
            subject: Some("<http://e/s1>".into()),
            k: Some(20),
            ..HookSpec::default()
        })
        .unwrap();
    let data = data();
    let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
    let summary = pipeline
        .execute(reader, &mut MemorySink::default())
        .unwrap();
    assert_eq!(outcomes(&summary)["over-ten"], (5, true));
    assert_eq!(outcomes(&summary)["s1-has-20"], (20, true));
}

#[test]
fn the_cli_reports_every_hook_in_json() {
    let dir = std::env::temp_dir().join(format!("knhk-ops-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (data_path, hooks_path) = (dir.join("data.nt"), dir.join("hooks.toml"));
    std::fs::write(&data_path, data()).unwrap();
    std::fs::write(&hooks_path, HOOKS).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(["run", "--json", "--hooks"])
        .arg(&hooks_path)
        .arg(&data_path)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let hooks = summary["hooks"].as_array().unwrap();
    assert_eq!(hooks.len(), EXPECTED.len());
    for (hook, &(name, result, fired)) in hooks.iter().zip(EXPECTED) {
        assert_eq!(hook["name"], name);
        assert_eq!(hook["result"], result, "{name}");
        assert_eq!(hook["fired"], fired, "{name}");
        assert!(hook["receipts"].as_u64().unwrap() > 0, "{name}");
        assert!(hook["kind"].as_str().is_some());
    }
    assert!(summary["parked"]["total"].as_u64().is_some());
    assert!(summary["pool_drains"].as_u64().is_some());
}

fn load_error(body: &str) -> String {
    let text = format!("[[hook]]\nname = \"h\"\npredicate = \"<http://e/p>\"\n{body}\n");
    let specs = parse_hook_file(&text, "bad.toml").unwrap();
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    pipeline.register_hook(&specs[0]).unwrap_err().to_string()
}

#[test]
fn hook_files_with_mistakes_name_the_hook_and_the_key() {
    for (body, expected) in [
        ("kind = \"ask_xyz\"\nsubject = \"<http://e/s>\"", "hook `h`: unknown kind `ask_xyz`; use one of ask_sp, ask_spo"),
        ("kind = \"count_op_ge\"\nobject = \"<http://e/o>\"", "hook `h`: kind count_op_ge needs `k`"),
        ("kind = \"compare_o_gt\"", "hook `h`: kind compare_o_gt needs `value`"),
        ("kind = \"validate_datatype_spo\"\nsubject = \"<http://e/s>\"\ndatatype = \"<http://e/d>\"", "hook `h`: kind validate_datatype_spo needs `object`"),
        ("kind = \"ask_op\"\nobject = \"<http://e/o>\"\nsubject = \"<http://e/s>\"", "hook `h`: kind ask_op does not use `subject`"),
        ("kind = \"unique_sp\"\nsubject = \"<http://e/s>\"\nk = 1", "hook `h`: kind unique_sp does not use `k`"),
        ("kind = \"count_op_ge\"\nobject = \"<http://e/o>\"\nmin = 1", "hook `h`: kind count_op_ge does not use `min`"),
        ("kind = \"count_sp_ge\"\nsubject = \"<http://e/s>\"\nmin = 1\nk = 1", "hook `h`: `min` and `k` are the same threshold"),
        ("kind = \"compare_o_eq\"\nvalue = '\"ten\"'", "hook `h`: `value` is not a numeric literal"),
        ("kind = \"compare_o_eq\"\nvalue = '\"ten\"^^<http://www.w3.org/2001/XMLSchema#integer>'", "hook `h`: `value` is not a valid literal of its numeric datatype"),
        ("kind = \"compare_o_eq\"\nvalue = \"<http://e/ten>\"", "hook `h`: `value` is not a literal"),
        ("kind = \"compare_o_eq\"\nvalue = '\"10\"^^<http://www.w3.org/2001/XMLSchema#integer'", "hook `h`: `value` is not a valid term"),
        ("kind = \"validate_datatype_sp\"\nsubject = \"<http://e/s>\"\ndatatype = '\"x\"'", "hook `h`: `datatype` is not a valid term"),
        ("kind = \"ask_sp\"\nsubject = \"_:b\"", "hook `h`: `subject` is a blank node"),
    ] {
        let message = load_error(body);
        assert!(message.starts_with(expected), "{body}\n  gave: {message}\n  want: {expected}");
    }
}

/// Fails on the `fail_at`-th receipt.
struct FailingSink {
    receipts: u32,
    fail_at: u32,
}

impl knhk_pipeline::emit::Sink for FailingSink {
    fn receipt(
        &mut self,
        _: &knhk_pipeline::provenance::receipt::Receipt,
        _: &knhk_pipeline::hooks::Hook,
    ) -> Result<(), knhk_pipeline::emit::EmitError> {
        self.receipts += 1;
        if self.receipts == self.fail_at {
            return Err(knhk_pipeline::emit::EmitError::Io {
                output: "receipts",
                error: std::io::Error::other("disk full"),
            });
        }
        Ok(())
    }

    fn action(
        &mut self,
        _: knhk_pipeline::block::EncodedTriple,
        _: &knhk_pipeline::dictionary::Dictionary,
    ) -> Result<(), knhk_pipeline::emit::EmitError> {
        Ok(())
    }
}

#[test]
fn a_run_cut_short_by_an_error_leaves_nothing_for_the_next_run() {
    let config = PipelineConfig {
        block_capacity: 4,
        receipt_capacity: 2,
        batch_triples: 16,
    };
    let (expected, _) = run(config, HOOKS);
    let mut pipeline = Pipeline::new(config);
    for spec in parse_hook_file(HOOKS, "ops.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    let data = data();
    for fail_at in [1, 5, 17, 40] {
        let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
        let mut failing = FailingSink {
            receipts: 0,
            fail_at,
        };
        assert!(pipeline.execute(reader, &mut failing).is_err());
        let reader = TripleReader::new(data.as_bytes(), Format::NTriples, IngestOptions::default());
        let summary = pipeline
            .execute(reader, &mut MemorySink::default())
            .unwrap();
        assert_eq!(
            outcomes(&summary),
            outcomes(&expected),
            "after failing at {fail_at}"
        );
    }
}
