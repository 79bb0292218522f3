//! `Pipeline::execute_encoded`: pre-encoded triples go through the same batches, blocks,
//! receipts and lockchain as parsed ones, ids the dictionary did not issue are reported with
//! their place, and every guard goes home.

use knhk_pipeline::block::EncodedTriple;
use knhk_pipeline::emit::{MemorySink, WriterSink};
use knhk_pipeline::hooks::{parse_hook_file, HookSpec};
use knhk_pipeline::ingest::{Format, IngestOptions, Term, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig, PipelineError, Summary};
use knhk_pipeline::SAMPLE_HOOKS;
use lanepool::alloc_count::CountingAllocator;

mod common;
use common::generated;

// Counts heap operations, so each run's summary says what load through the receipts allocated.
#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Small pools and batches: runs split across batches and the pools drain mid-batch.
const CONFIG: PipelineConfig = PipelineConfig {
    block_capacity: 4,
    receipt_capacity: 16,
    batch_triples: 1000,
};

fn sample_pipeline() -> Pipeline {
    let mut pipeline = Pipeline::new(CONFIG);
    for spec in parse_hook_file(SAMPLE_HOOKS, "hooks.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    // One action per `knows` triple, in load order.
    pipeline
        .register_hook(&HookSpec {
            name: "knowers".into(),
            kind: "construct8".into(),
            predicate: "<http://xmlns.com/foaf/0.1/knows>".into(),
            construct_predicate: Some("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>".into()),
            construct_object: Some("<http://xmlns.com/foaf/0.1/Agent>".into()),
            ..HookSpec::default()
        })
        .unwrap();
    pipeline
}

fn reader(data: &[u8]) -> TripleReader<&[u8]> {
    TripleReader::new(data, Format::NTriples, IngestOptions::default())
}

/// `data`'s triples encoded with `pipeline`'s dictionary, in one document scope.
fn encode(pipeline: &mut Pipeline, data: &[u8]) -> Vec<EncodedTriple> {
    let dictionary = pipeline.dictionary_mut();
    let scope = dictionary.begin_document().unwrap();
    let mut triples = Vec::new();
    reader(data)
        .for_each_triple(|t| {
            let mut id = |term| dictionary.encode(scope, term).unwrap().to_u64();
            triples.push(EncodedTriple {
                s: id(t.subject),
                p: id(t.predicate),
                o: id(t.object),
            });
        })
        .unwrap();
    triples
}

/// The run's output without what is measured rather than derived (ticks, timing).
fn deterministic(summary: &Summary, mut sink: MemorySink) -> (Vec<u64>, MemorySink) {
    for receipt in &mut sink.receipts {
        receipt.ticks = 0;
    }
    for commit in &mut sink.commits {
        commit.ticks_hash = [0; 32];
    }
    let counts = vec![
        summary.triples_ingested,
        summary.triples_loaded,
        summary.skipped_invalid,
        summary.runs,
        summary.blocks,
        summary.receipts,
        summary.actions,
    ];
    (counts, sink)
}

#[test]
fn encoded_triples_give_exactly_the_parsed_run() {
    let data = generated(20_000);
    let mut parsed = sample_pipeline();
    let mut parsed_sink = MemorySink::default();
    let parsed_summary = parsed.execute(reader(&data), &mut parsed_sink).unwrap();

    let mut encoded = sample_pipeline();
    let triples = encode(&mut encoded, &data);
    let mut encoded_sink = MemorySink::default();
    let encoded_summary = encoded
        .execute_encoded(triples.iter().copied(), &mut encoded_sink)
        .unwrap();

    assert!(parsed_sink.receipts.len() > 1000 && !parsed_sink.actions.is_empty());

    let hooks = |s: &Summary| -> Vec<(u64, bool, u64)> {
        s.hooks
            .iter()
            .map(|h| (h.result, h.fired, h.receipts))
            .collect()
    };
    assert_eq!(hooks(&encoded_summary), hooks(&parsed_summary));
    assert_eq!(
        deterministic(&encoded_summary, encoded_sink.clone()),
        deterministic(&parsed_summary, parsed_sink),
        "same receipts, commits, actions and counts"
    );

    // Ids stay valid across runs, and each run starts its chain afresh.
    let mut again = MemorySink::default();
    let summary = encoded
        .execute_encoded(triples.iter().copied(), &mut again)
        .unwrap();
    assert_eq!(
        deterministic(&summary, again),
        deterministic(&encoded_summary, encoded_sink)
    );
    assert_eq!(encoded.block_usage().in_use, 0);
    assert_eq!(encoded.receipt_usage().in_use, 0);

    // From load through the receipts nothing allocates, with a sink that does not either.
    let mut quiet = WriterSink::new(None::<std::io::Sink>, None::<std::io::Sink>);
    let summary = encoded
        .execute_encoded(triples.iter().copied(), &mut quiet)
        .unwrap();
    assert_eq!(summary.receipts, encoded_summary.receipts);
    assert_eq!(summary.hot_path_allocations, Some(0));
}

#[test]
fn an_id_the_dictionary_did_not_issue_is_reported_with_its_place() {
    let mut pipeline = sample_pipeline();
    let dictionary = pipeline.dictionary_mut();
    let scope = dictionary.begin_document().unwrap();
    let mut iri = |text| dictionary.encode(scope, Term::Iri(text)).unwrap().to_u64();
    let (alice, knows, bob) = (
        iri("http://example.org/alice"),
        iri("http://xmlns.com/foaf/0.1/knows"),
        iri("http://example.org/bob"),
    );
    let good = EncodedTriple {
        s: alice,
        p: knows,
        o: bob,
    };
    // An IRI id past the dictionary's end, and a reserved tag.
    let unissued = (bob & !((1 << 60) - 1)) | ((1 << 40) + 7);
    let reserved = 0xF << 60;
    for (bad, position, id) in [
        (
            EncodedTriple {
                o: unissued,
                ..good
            },
            "object",
            unissued,
        ),
        (
            EncodedTriple {
                s: reserved,
                ..good
            },
            "subject",
            reserved,
        ),
        (EncodedTriple { p: 0, ..good }, "predicate", 0),
    ] {
        // More than a batch before it: earlier batches run, the error names the triple.
        let input = std::iter::repeat_n(good, 2500).chain([bad, good]);
        let mut sink = MemorySink::default();
        let error = pipeline.execute_encoded(input, &mut sink).unwrap_err();
        match &error {
            PipelineError::ForeignId {
                index,
                position: p,
                id: i,
            } => assert_eq!((*index, *p, *i), (2500, position, id)),
            other => panic!("expected ForeignId, got {other:?}"),
        }
        assert!(
            error.to_string().contains("encoded triple 2500: its"),
            "{error}"
        );
        assert!(
            !sink.receipts.is_empty(),
            "the batches before it were evaluated"
        );
        assert_eq!(pipeline.block_usage().in_use, 0);
        assert_eq!(pipeline.receipt_usage().in_use, 0);
    }
    // Still usable, and an empty input is one empty end commit.
    let mut sink = MemorySink::default();
    let summary = pipeline.execute_encoded([], &mut sink).unwrap();
    assert_eq!((summary.triples_ingested, sink.commits.len()), (0, 1));
    assert!(sink.commits[0].end);
}
