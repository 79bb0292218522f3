//! Hook files as written: which names and terms they may hold, and where an error points.
//! Backs the hook-file lines of the README's "Guarantees" (`knhk-pipeline/README.md`).

use knhk_pipeline::dictionary::TermId;
use knhk_pipeline::emit::MemorySink;
use knhk_pipeline::hooks::{parse_hook_file_with_spans, HookError, MAX_HOOK_NAME_BYTES};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};
use knhk_pipeline::provenance::receipts_file::{parse_record, write_receipt_json, RecordError};

fn hook(name: &str, extra: &str) -> String {
    format!(
        "[[hook]]\nname = \"{name}\"\nkind = \"construct8\"\npredicate = \"<http://e/p>\"\n\
         construct_predicate = \"<http://e/type>\"\n{extra}\n"
    )
}

/// Registers every hook of `text`; the first error with where the file points.
fn register(text: &str) -> Result<Pipeline, Box<(HookError, String)>> {
    let (specs, spans) = parse_hook_file_with_spans(text, "hooks.toml").unwrap();
    let mut pipeline = Pipeline::new(PipelineConfig::default());
    for (index, spec) in specs.iter().enumerate() {
        if let Err(error) = pipeline.register_hook(spec) {
            let at = spans.locate(index, &error).unwrap().to_string();
            return Err(Box::new((error, at)));
        }
    }
    Ok(pipeline)
}

/// The error registering `text` gives, and where it points.
fn refused(text: &str) -> (HookError, String) {
    match register(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(refusal) => *refusal,
    }
}

#[test]
fn a_hook_name_longer_than_a_receipt_hashes_is_refused_where_it_is_written() {
    // A receipt's leaf hash writes a name's length in one byte: the bytes of a longer name
    // past the 255th were not covered, so editing them went unseen by `verify`.
    let longest = "n".repeat(MAX_HOOK_NAME_BYTES);
    let text = hook(&longest, "construct_object = \"<http://e/o>\"");
    assert!(register(&text).is_ok());
    let long = "n".repeat(300);
    let text = format!(
        "{}\n{}",
        hook("first", "construct_object = \"<http://e/o>\""),
        hook(&long, "construct_object = \"<http://e/o>\"")
    );
    let (error, at) = refused(&text);
    assert!(
        matches!(&error, HookError::NameTooLong { bytes: 300, .. }),
        "{error:?}"
    );
    assert_eq!(at, "hooks.toml:9:8");
    let message = error.to_string();
    assert!(
        message.contains("300 bytes") && message.contains("at most 255"),
        "{message}"
    );
}

#[test]
fn construct_object_may_be_a_blank_node_as_it_is_written_not_matched() {
    let text = hook("typed", "construct_object = \"_:b1\"");
    let mut pipeline =
        register(&text).unwrap_or_else(|refusal| panic!("{}: {}", refusal.1, refusal.0));
    let data = b"<http://e/s> <http://e/p> <http://e/o> .\n";
    let mut sink = MemorySink::default();
    let reader = TripleReader::new(&data[..], Format::NTriples, IngestOptions::default());
    let summary = pipeline.execute(reader, &mut sink).unwrap();
    assert_eq!(summary.actions, 1);
    let object = pipeline
        .dictionary()
        .display(TermId::from_u64(sink.actions[0].o).unwrap())
        .unwrap()
        .to_string();
    // The hook file's own node, kept apart from every data document's.
    assert!(
        object.starts_with("_:d") && object.ends_with("_b1"),
        "{object}"
    );
}

#[test]
fn a_blank_node_in_a_matched_key_is_refused_where_it_is_written() {
    let text = "[[hook]]\nname = \"h\"\nkind = \"ask_sp\"\npredicate = \"<http://e/p>\"\nsubject = \"_:b1\"\n";
    let (error, at) = refused(text);
    assert!(
        matches!(
            error,
            HookError::BlankNode {
                field: "subject",
                ..
            }
        ),
        "{error:?}"
    );
    assert_eq!(at, "hooks.toml:5:11");
}

#[test]
fn a_receipt_line_with_a_name_longer_than_its_hash_covers_is_refused() {
    let text = hook("typed", "construct_object = \"<http://e/o>\"");
    let mut pipeline =
        register(&text).unwrap_or_else(|refusal| panic!("{}: {}", refusal.1, refusal.0));
    let data = b"<http://e/s> <http://e/p> <http://e/o> .\n";
    let mut sink = MemorySink::default();
    let reader = TripleReader::new(&data[..], Format::NTriples, IngestOptions::default());
    pipeline.execute(reader, &mut sink).unwrap();
    let mut line = Vec::new();
    write_receipt_json(
        &mut line,
        &sink.receipts[0],
        pipeline.hooks().get(0).unwrap(),
    )
    .unwrap();
    let line = String::from_utf8(line).unwrap();
    let named = |name: &str| line.trim_end().replace("\"typed\"", &format!("\"{name}\""));
    assert!(parse_record(&named(&"n".repeat(MAX_HOOK_NAME_BYTES)), 1).is_ok());
    let error = parse_record(&named(&"n".repeat(300)), 1).unwrap_err();
    assert!(
        matches!(error, RecordError::Malformed { line: 1, .. })
            && error.to_string().contains("at most 255 bytes"),
        "{error}"
    );
}
