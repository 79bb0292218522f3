//! The whole pipeline, end to end: the bundled sample, skewed synthetic data, malformed input,
//! failing sinks and the W3C N-Triples files.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Read};

use knhk_pipeline::block::EncodedTriple;
use knhk_pipeline::dictionary::{Dictionary, TermId};
use knhk_pipeline::emit::{EmitError, MemorySink, Sink};
use knhk_pipeline::generate::{generate, GenerateOptions};
use knhk_pipeline::hooks::{parse_hook_file, Hook};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig, PipelineError, Summary};
use knhk_pipeline::provenance::receipt::Receipt;
use knhk_pipeline::{SAMPLE_DATA, SAMPLE_HOOKS};

mod common;

fn sample_pipeline(config: PipelineConfig) -> Pipeline {
    pipeline_with_hooks(SAMPLE_HOOKS, config)
}

/// A pipeline with the hooks of the hook file `hooks` registered.
fn pipeline_with_hooks(hooks: &str, config: PipelineConfig) -> Pipeline {
    let mut pipeline = Pipeline::new(config);
    for spec in parse_hook_file(hooks, "hooks.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    pipeline
}

fn reader(data: &[u8], skip_invalid: bool) -> TripleReader<&[u8]> {
    TripleReader::new(
        data,
        Format::NTriples,
        IngestOptions {
            skip_invalid,
            ..IngestOptions::default()
        },
    )
}

fn run(pipeline: &mut Pipeline, data: &[u8]) -> (Summary, MemorySink) {
    let mut sink = MemorySink::default();
    let summary = pipeline.execute(reader(data, false), &mut sink).unwrap();
    (summary, sink)
}

fn fired_hooks(pipeline: &Pipeline, sink: &MemorySink) -> BTreeSet<String> {
    sink.receipts
        .iter()
        .filter(|r| r.result > 0)
        .map(|r| pipeline.hooks().get(r.hook).unwrap().name.clone())
        .collect()
}

fn term(dictionary: &Dictionary, id: u64) -> String {
    dictionary
        .display(TermId::from_u64(id).unwrap())
        .unwrap()
        .to_string()
}

/// Blocks a batch needs: each predicate's run in blocks of 8.
fn expected_blocks(triples: &[EncodedTriple]) -> u64 {
    let mut per_predicate = BTreeMap::<u64, u64>::new();
    for t in triples {
        *per_predicate.entry(t.p).or_default() += 1;
    }
    per_predicate.values().map(|n| n.div_ceil(8)).sum()
}

#[test]
fn bundled_sample_fires_exactly_the_hooks_its_header_satisfies() {
    let mut pipeline = sample_pipeline(PipelineConfig::default());
    let (summary, sink) = run(&mut pipeline, SAMPLE_DATA.as_bytes());
    assert_eq!(summary.triples_ingested, 2008);
    assert_eq!(summary.triples_loaded, 2008);
    assert_eq!(summary.skipped_invalid, 0);
    assert_eq!(summary.receipts, summary.hooks_evaluated);
    assert_eq!(sink.receipts.len() as u64, summary.receipts);
    let expected: BTreeSet<String> = [
        "alice-knows-someone",
        "alice-knows-bob",
        "alice-knows-three",
        "knower-is-agent",
        "bob-is-34",
        "person-0-knows-over-60",
        "a-hundred-and-one-persons",
        "alice-has-one-name",
        "someone-is-over-100",
        "bob-age-is-an-integer",
    ]
    .map(String::from)
    .into();
    assert_eq!(fired_hooks(&pipeline, &sink), expected);

    // alice knows bob, carol and dave: the count is 3 and CONSTRUCT8 builds one triple per lane.
    let count = sink
        .receipts
        .iter()
        .find(|r| pipeline.hooks().get(r.hook).unwrap().name == "alice-knows-three" && r.result > 0)
        .unwrap();
    assert_eq!(count.result, 3);
    assert_eq!(summary.actions, 3);
    let dictionary = pipeline.dictionary();
    for action in &sink.actions {
        assert_eq!(term(dictionary, action.s), "<http://example.org/alice>");
        assert_eq!(
            term(dictionary, action.o),
            "<http://xmlns.com/foaf/0.1/Agent>"
        );
    }
    // Receipts are numbered in order, with no gap.
    assert!(sink
        .receipts
        .iter()
        .enumerate()
        .all(|(i, r)| r.seq == i as u64));
    assert_eq!(
        summary.hot_path_allocations, None,
        "this test binary does not count allocations"
    );
}

/// Records every triple a block pool would see, by running the same data through a pipeline
/// with no hooks and checking the counts against an independent grouping.
#[test]
fn skewed_data_is_loaded_exactly_once_whatever_the_pool_sizes() {
    let mut data = Vec::new();
    generate(
        &GenerateOptions {
            triples: 30_000,
            seed: 11,
        },
        &mut data,
    )
    .unwrap();
    let mut reference = Vec::new();
    let mut dictionary = Dictionary::new();
    let scope = dictionary.begin_document().unwrap();
    reader(&data, false)
        .for_each_triple(|t| {
            let mut id = |term| dictionary.encode(scope, term).unwrap().to_u64();
            reference.push(EncodedTriple {
                s: id(t.subject),
                p: id(t.predicate),
                o: id(t.object),
            });
        })
        .unwrap();
    let baseline = {
        let mut pipeline = sample_pipeline(PipelineConfig::default());
        run(&mut pipeline, &data)
    };
    for config in common::receipts::stressed_configs(16) {
        let mut pipeline = sample_pipeline(config);
        let (summary, sink) = run(&mut pipeline, &data);
        assert_eq!(summary.triples_ingested, 30_000, "{config:?}");
        assert_eq!(summary.triples_loaded, 30_000, "{config:?}");
        assert_eq!(summary.receipts, summary.hooks_evaluated, "{config:?}");
        assert_eq!(sink.receipts.len() as u64, summary.receipts, "{config:?}");
        assert_eq!(pipeline.block_usage().in_use, 0);
        assert_eq!(pipeline.receipt_usage().in_use, 0);
        if config.batch_triples >= 30_000 {
            // One batch: blocks are exactly each predicate's run split into 8s.
            assert_eq!(summary.blocks, expected_blocks(&reference), "{config:?}");
            assert_eq!(
                summary.runs,
                reference.iter().map(|t| t.p).collect::<BTreeSet<_>>().len() as u64
            );
        }
        if config.block_capacity < 16 {
            assert!(
                summary.pool_drains > 0,
                "small pools force drains: {config:?}"
            );
        }
        // Fired hooks and actions do not depend on pool or batch sizes.
        assert_eq!(summary.actions, baseline.0.actions, "{config:?}");
        assert_eq!(
            fired_hooks(&pipeline, &sink).len(),
            fired_hooks(&pipeline, &baseline.1).len()
        );
    }
}

#[test]
fn runs_longer_than_eight_continue_in_the_next_block() {
    let mut data = String::new();
    for i in 0..21 {
        data.push_str(&format!("<http://e/s{i}> <http://e/p> <http://e/o> .\n"));
    }
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    let (summary, _) = run(&mut pipeline, data.as_bytes());
    assert_eq!(
        (summary.runs, summary.blocks, summary.triples_loaded),
        (1, 3, 21)
    );
}

#[test]
fn malformed_input_stops_with_file_line_and_column() {
    let data =
        b"<http://e/a> <http://e/p> <http://e/b> .\n<http://e/a> <http://e/p> \"unterminated .\n";
    let mut pipeline = sample_pipeline(PipelineConfig::default());
    let error = pipeline
        .execute(
            reader(data, false).with_source_name("bad.nt"),
            &mut MemorySink::default(),
        )
        .unwrap_err();
    let PipelineError::Ingest(ingest) = &error else {
        panic!("expected an ingest error, got {error}")
    };
    assert_eq!(ingest.location().map(|(line, _)| line), Some(2));
    assert!(error.to_string().starts_with("bad.nt:2:"), "{error}");
    assert_eq!(pipeline.block_usage().in_use, 0);
    assert_eq!(pipeline.receipt_usage().in_use, 0);
}

#[test]
fn skip_invalid_counts_bad_lines_and_loads_the_rest() {
    let data = "<http://e/a> <http://e/p> <http://e/b> .\n\
                not a triple\n\
                <http://e/a> <http://e/p> \"bad \\q escape\" .\n\
                <http://e/c> <http://e/p> <http://e/d> .\n\
                <relative> <http://e/p> <http://e/d> .\n\
                <http://e/e> <http://e/p> \"ok\"@en .\n";
    let mut pipeline = sample_pipeline(PipelineConfig::default());
    let summary = pipeline
        .execute(reader(data.as_bytes(), true), &mut MemorySink::default())
        .unwrap();
    assert_eq!(summary.skipped_invalid, 3);
    assert_eq!(summary.triples_loaded, 3);
    assert_eq!(
        summary.triples_ingested,
        summary.triples_loaded + summary.skipped_invalid
    );
}

/// A sink that fails on its `fail_at`-th receipt.
struct FailingSink {
    receipts: usize,
    fail_at: usize,
}

impl Sink for FailingSink {
    fn receipt(&mut self, _: &Receipt, _: &Hook) -> Result<(), EmitError> {
        self.receipts += 1;
        if self.receipts == self.fail_at {
            return Err(EmitError::Io {
                output: "receipts",
                error: io::Error::other("disk full"),
            });
        }
        Ok(())
    }
    fn action(&mut self, _: EncodedTriple, _: &Dictionary) -> Result<(), EmitError> {
        Ok(())
    }
}

#[test]
fn an_error_mid_run_leaves_both_pools_with_nothing_in_use() {
    let mut pipeline = sample_pipeline(PipelineConfig {
        block_capacity: 4,
        receipt_capacity: 8,
        batch_triples: 64,
    });
    let mut sink = FailingSink {
        receipts: 0,
        fail_at: 20,
    };
    let error = pipeline
        .execute(reader(SAMPLE_DATA.as_bytes(), false), &mut sink)
        .unwrap_err();
    assert!(error.to_string().contains("disk full"), "{error}");
    assert_eq!(pipeline.block_usage().in_use, 0);
    assert_eq!(pipeline.receipt_usage().in_use, 0);
    assert!(pipeline.block_usage().total_acquires > 0);
    // The pipeline is still usable afterwards.
    let (summary, _) = run(&mut pipeline, SAMPLE_DATA.as_bytes());
    assert_eq!(summary.triples_loaded, 2008);
}

#[test]
fn hook_files_with_mistakes_name_the_hook_and_the_field() {
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    let cases = [
        (
            "kind = \"ask_sp\"\npredicate = \"<http://e/p>\"",
            "kind ask_sp needs `subject`",
        ),
        (
            "kind = \"ask_sp\"\npredicate = \"<http://e/p>\"\nsubject = \"<http://e/s>\"\nmin = 3",
            "does not use `min`",
        ),
        (
            "kind = \"ask_sp\"\npredicate = \"<http://e/p>\"\nsubject = \"_:b\"",
            "blank node",
        ),
        (
            "kind = \"ask_sp\"\npredicate = \"<relative>\"\nsubject = \"<http://e/s>\"",
            "`predicate` is not a valid term",
        ),
        (
            "kind = \"guess\"\npredicate = \"<http://e/p>\"",
            "unknown kind `guess`",
        ),
    ];
    for (i, (body, message)) in cases.iter().enumerate() {
        let text = format!("[[hook]]\nname = \"h{i}\"\n{body}\n");
        let specs = parse_hook_file(&text, "hooks.toml").unwrap();
        let error = pipeline.register_hook(&specs[0]).unwrap_err().to_string();
        assert!(
            error.contains(message) && error.contains(&format!("h{i}")),
            "{error}"
        );
    }
    let error = parse_hook_file("[[hook]]\nname = 1\n", "hooks.toml")
        .unwrap_err()
        .to_string();
    assert!(
        error.starts_with("hooks.toml: invalid hook file"),
        "{error}"
    );
}

#[test]
fn every_w3c_positive_ntriples_file_runs_through_the_pipeline() {
    let suite = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rdf-tests/rdf-n-triples");
    let manifest = std::fs::read_to_string(format!("{suite}/manifest.ttl"))
        .expect("the W3C suite vendored in knhk-pipeline/tests/rdf-tests");
    let positive: Vec<&str> = manifest
        .split("\n<#")
        .filter(|entry| entry.contains("rdft:TestNTriplesPositiveSyntax"))
        .filter_map(|entry| {
            entry
                .split("mf:action")
                .nth(1)?
                .split('<')
                .nth(1)?
                .split('>')
                .next()
        })
        .collect();
    assert!(
        positive.len() > 30,
        "found {} positive tests",
        positive.len()
    );
    for file in positive {
        let mut data = Vec::new();
        std::fs::File::open(format!("{suite}/{file}"))
            .unwrap()
            .read_to_end(&mut data)
            .unwrap();
        let mut counted = 0u64;
        reader(&data, false)
            .for_each_triple(|_| counted += 1)
            .unwrap();
        let mut pipeline = sample_pipeline(PipelineConfig::default());
        let (summary, _) = run(&mut pipeline, &data);
        assert_eq!(summary.triples_loaded, counted, "{file}");
        assert_eq!(summary.triples_ingested, counted, "{file}");
    }
}

/// The hot pass times the hooks of one predicate whose kernels share a loop as one batch, and
/// gives each of its evaluations the batch's ticks over all of them: on every block, the
/// receipts of those hooks carry the same ticks. Thirty drains, fewer than a budget window,
/// so no hook is parked (a parked hook is timed alone).
#[test]
fn the_hooks_of_one_predicate_and_loop_share_their_batch_ticks() {
    let hooks = r#"
        [[hook]]
        name = "s1-has-a-value"
        kind = "ask_sp"
        predicate = "<http://e/value>"
        subject = "<http://e/s1>"
        [[hook]]
        name = "s1-has-3"
        kind = "ask_spo"
        predicate = "<http://e/value>"
        subject = "<http://e/s1>"
        object = '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
        [[hook]]
        name = "s2-has-two-values"
        kind = "count_sp_ge"
        predicate = "<http://e/value>"
        subject = "<http://e/s2>"
        k = 2
        [[hook]]
        name = "some-value-over-5"
        kind = "compare_o_gt"
        predicate = "<http://e/value>"
        value = '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
        [[hook]]
        name = "s3-values-are-integers"
        kind = "validate_datatype_sp"
        predicate = "<http://e/value>"
        subject = "<http://e/s3>"
        datatype = "<http://www.w3.org/2001/XMLSchema#integer>"
    "#;
    let mut pipeline = pipeline_with_hooks(
        hooks,
        PipelineConfig {
            block_capacity: 4,
            receipt_capacity: 64,
            batch_triples: 1000,
        },
    );
    let data: String = (0..30 * 4 * 8)
        .map(|i| {
            format!(
                "<http://e/s{}> <http://e/value> \"{}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
                i % 7,
                i % 11
            )
        })
        .collect();
    let (summary, sink) = run(&mut pipeline, data.as_bytes());
    assert_eq!(summary.parked.over_budget, 0);
    assert_eq!(summary.pool_drains, 29, "thirty drains of four blocks");
    // One receipt per hook and block, the block's hooks in registration order.
    let blocks: Vec<&[Receipt]> = sink.receipts.chunks(5).collect();
    assert_eq!(blocks.len(), 30 * 4);
    for receipts in blocks {
        let hooks: Vec<u32> = receipts.iter().map(|receipt| receipt.hook).collect();
        assert_eq!(hooks, [0, 1, 2, 3, 4]);
        let ticks: Vec<u64> = receipts.iter().map(|receipt| receipt.ticks).collect();
        assert_eq!(ticks[..3], [ticks[0]; 3], "the lookups' batch: {ticks:?}");
        assert_eq!(
            ticks[3..],
            [ticks[3]; 2],
            "the value checks' batch: {ticks:?}"
        );
    }
}

/// The hot pass times every hot hook of a loop family in a drain as one batch, whatever its
/// predicate: a value check on each of two predicates, in drains that hold two blocks of each,
/// carry the same ticks on all four blocks of a drain. A lone hook of a rare predicate so
/// shares the batch's fixed costs (its code's cold start, a loop's exit) with the family's
/// other evaluations, rather than bearing them over its own block or two.
#[test]
fn the_hooks_of_one_family_share_their_drains_batch_across_predicates() {
    let hooks = r#"
        [[hook]]
        name = "some-a-over-5"
        kind = "compare_o_gt"
        predicate = "<http://e/a>"
        value = '"5"^^<http://www.w3.org/2001/XMLSchema#integer>'
        [[hook]]
        name = "some-b-below-3"
        kind = "compare_o_lt"
        predicate = "<http://e/b>"
        value = '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    "#;
    let mut pipeline = pipeline_with_hooks(
        hooks,
        PipelineConfig {
            block_capacity: 4,
            receipt_capacity: 64,
            batch_triples: 32,
        },
    );
    // Each batch of 32 triples: 16 of each predicate, two blocks each, one drain.
    let data: String = (0..30 * 32)
        .map(|i| {
            format!(
                "<http://e/s{}> <http://e/{}> \"{}\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n",
                i % 7,
                if i % 2 == 0 { "a" } else { "b" },
                i % 11
            )
        })
        .collect();
    let (summary, sink) = run(&mut pipeline, data.as_bytes());
    assert_eq!(summary.parked.over_budget, 0);
    assert_eq!(summary.blocks, 30 * 4);
    let drains: Vec<&[Receipt]> = sink.receipts.chunks(4).collect();
    assert_eq!(drains.len(), 30);
    for receipts in drains {
        let mut hooks: Vec<u32> = receipts.iter().map(|receipt| receipt.hook).collect();
        hooks.sort_unstable();
        assert_eq!(hooks, [0, 0, 1, 1], "two blocks of each predicate");
        let ticks: Vec<u64> = receipts.iter().map(|receipt| receipt.ticks).collect();
        assert_eq!(ticks, [ticks[0]; 4], "one batch a drain: {ticks:?}");
    }
}
