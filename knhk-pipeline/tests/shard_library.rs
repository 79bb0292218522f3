//! The library API for engines that call the pipeline in-process: n parts run with
//! [`run_part`] and merged with [`merge`] give what one run over the whole input gives, for
//! n from 1 to 16; the merged manifest reads back and verifies against the parts' receipts.

use std::fs::File;
use std::io::BufReader;
use std::path::PathBuf;

mod common;
use common::shard_cases::{split_hook_file, twice_at_both_ends};
use knhk_pipeline::emit::WriterSink;
use knhk_pipeline::hooks::parse_hook_file;
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::shard::{
    hooks_hash, merge, run_part, verify_merged, ByteRange, HookFileIdentity, MergedManifest, Named,
    Part, PartInput, ShardIndex,
};

fn pipeline() -> Pipeline {
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    for spec in parse_hook_file(&split_hook_file(), "hooks.toml").unwrap() {
        pipeline.register_hook(&spec).unwrap();
    }
    pipeline
}

fn data() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("knhk-shard-library-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data.nt");
    std::fs::write(&path, twice_at_both_ends(12_000)).unwrap();
    path
}

fn options() -> IngestOptions {
    IngestOptions {
        threads: 2,
        ..IngestOptions::default()
    }
}

#[test]
fn n_parts_in_process_merge_to_one_run_for_n_from_1_to_16() {
    let path = data();
    let mut whole_pipeline = pipeline();
    let reader = TripleReader::new(
        BufReader::new(File::open(&path).unwrap()),
        Format::NTriples,
        options(),
    );
    let whole = whole_pipeline
        .execute(reader, &mut WriterSink::<Vec<u8>, Vec<u8>>::new(None, None))
        .unwrap();
    let hooks = HookFileIdentity {
        name: "hooks.toml".into(),
        hash: hooks_hash(split_hook_file().as_bytes()),
    };
    for n in 1..=16 {
        let mut parts = Vec::new();
        let mut receipts = Vec::new();
        for index in 0..n {
            let input =
                PartInput::open(&path, Part::Shard(ShardIndex { index, count: n }), None).unwrap();
            let mut sink = WriterSink::<Vec<u8>, Vec<u8>>::new(Some(Vec::new()), None);
            let (_, manifest) =
                run_part(&mut pipeline(), input, hooks.clone(), options(), &mut sink).unwrap();
            receipts.push((
                format!("receipts {index}/{n}"),
                sink.into_inner().0.unwrap(),
            ));
            parts.push(Named {
                name: format!("part {index}/{n}"),
                manifest,
            });
        }
        // Given in reverse: merge puts them in order.
        parts.reverse();
        let merged = merge(parts).unwrap();
        assert_eq!(merged.parts, u64::from(n));
        assert_eq!(
            merged.counts.triples_ingested, whole.triples_ingested,
            "{n} parts"
        );
        assert_eq!(
            merged.counts.triples_loaded, whole.triples_loaded,
            "{n} parts"
        );
        assert_eq!(
            merged.counts.skipped_invalid, whole.skipped_invalid,
            "{n} parts"
        );
        assert_eq!(merged.hooks_results.len(), whole.hooks.len());
        for (found, expected) in merged.hooks_results.iter().zip(&whole.hooks) {
            assert_eq!(found.name, expected.name);
            assert_eq!(
                (found.result, found.fired),
                (expected.result, expected.fired),
                "{} in {n} parts",
                found.name
            );
        }
        let text = merged.to_text();
        assert_eq!(MergedManifest::parse(&text).unwrap(), merged);
        let readers = receipts
            .iter()
            .map(|(name, bytes)| (name.clone(), bytes.as_slice()))
            .collect();
        let verified = verify_merged("merged.json", &text, readers).unwrap();
        assert_eq!(verified.receipts_files, n as usize);
    }
    // The split hooks really are split: `twice` matches twice, so neither fires over the whole.
    let unique = whole
        .hooks
        .iter()
        .find(|h| h.name == "twice-is-unique")
        .unwrap();
    assert_eq!((unique.result, unique.fired), (2, false));
}

/// Only the file's first bytes may hold a byte-order mark. A line inside the file that starts
/// with U+FEFF is text, which the grammar refuses: the whole file's run skips it, and so must
/// the part that reads it, wherever the cut falls (a part starting at that line once dropped
/// the U+FEFF and loaded the line).
#[test]
fn a_u_feff_inside_the_file_is_read_by_a_part_as_by_the_whole_run() {
    const BOM: &str = "\u{feff}";
    let text = format!(
        "{BOM}<http://e/a> <http://e/p> <http://e/b> .\n\
         {BOM}<http://e/a> <http://e/p> <http://e/c> .\n\
         <http://e/a> <http://e/p> <http://e/d> .\n"
    );
    let dir = std::env::temp_dir().join(format!("knhk-shard-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bom.nt");
    std::fs::write(&path, &text).unwrap();
    let options = IngestOptions {
        skip_invalid: true,
        threads: 1,
        ..IngestOptions::default()
    };
    let hooks = HookFileIdentity {
        name: "hooks.toml".into(),
        hash: hooks_hash(split_hook_file().as_bytes()),
    };
    let counts = |range: ByteRange| {
        let input = PartInput::open(&path, Part::Range(range), None).unwrap();
        let mut sink = WriterSink::<Vec<u8>, Vec<u8>>::new(None, None);
        let (summary, _) = run_part(
            &mut pipeline(),
            input,
            hooks.clone(),
            options.clone(),
            &mut sink,
        )
        .unwrap();
        (
            summary.triples_ingested,
            summary.triples_loaded,
            summary.skipped_invalid,
        )
    };
    let size = text.len() as u64;
    assert_eq!(
        counts(ByteRange {
            start: 0,
            end: size
        }),
        (3, 2, 1)
    );
    for cut in 0..=size {
        let (first, second) = (
            counts(ByteRange { start: 0, end: cut }),
            counts(ByteRange {
                start: cut,
                end: size,
            }),
        );
        assert_eq!(
            (first.0 + second.0, first.1 + second.1, first.2 + second.2),
            (3, 2, 1),
            "cut at byte {cut}: {first:?} + {second:?}"
        );
    }
}
