//! Our Turtle reader against serdi, the reference C implementation, on real third-party files
//! (the LV2 specifications, Debian package `lv2-dev`) and on the broken-Turtle corpus in
//! `tests/turtle-broken/`.
//!
//! serdi and the LV2 files come from apt (`.ci/run` installs `serdi` and `lv2-dev`). Without
//! them these tests print why they skip; with `CI` set they fail instead, so CI always runs
//! them for real. The corpus check that needs no serdi (no valid statement lost) always runs.
//! Backs the "nothing valid is lost" lines of the README's "Guarantees"
//! (`knhk-pipeline/README.md`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use knhk_pipeline::ingest::{Format, IngestError, IngestOptions, Term, TripleReader};

mod common;
use common::turtle_files;

const LV2_ROOT: &str = "/usr/lib/lv2";
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/turtle-broken");

/// A triple in N-Triples with every blank-node label replaced by `_:`: labels are the
/// reader's choice, so graphs are compared as multisets up to blank-node labels.
fn key(subject: Term<'_>, predicate: Term<'_>, object: Term<'_>) -> String {
    let show = |term: Term<'_>| match term {
        Term::BlankNode(_) => "_:".to_owned(),
        other => other.to_string(),
    };
    format!("{} {} {}", show(subject), show(predicate), show(object))
}

type Graph = BTreeMap<String, usize>;

fn graph_of(reader: TripleReader<impl std::io::Read>) -> Result<(Graph, u64), IngestError> {
    let mut graph = Graph::new();
    let report = reader.for_each_triple(|t| {
        *graph
            .entry(key(t.subject, t.predicate, t.object))
            .or_default() += 1;
    })?;
    Ok((graph, report.skipped))
}

fn total(graph: &Graph) -> usize {
    graph.values().sum()
}

/// Triples of `part` missing from `whole` (with multiplicity).
fn missing(part: &Graph, whole: &Graph) -> Vec<String> {
    part.iter()
        .filter(|(k, n)| whole.get(*k).copied().unwrap_or(0) < **n)
        .map(|(k, _)| k.clone())
        .collect()
}

/// Whether serdi and the LV2 files are here; if not, says why, and fails under CI.
fn tools_present(what: &str) -> bool {
    let serdi = Command::new("serdi").arg("-v").output().is_ok();
    let lv2 = Path::new(LV2_ROOT).is_dir();
    if serdi && lv2 {
        return true;
    }
    let why = format!(
        "{what}: needs serdi ({}) and {LV2_ROOT} ({}); install them with `apt-get install serdi lv2-dev`",
        if serdi { "found" } else { "missing" },
        if lv2 { "found" } else { "missing" },
    );
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set, so this must run: {why}"
    );
    eprintln!("SKIPPED {why}");
    false
}

/// serdi's reading of `path` (absolute, so its base is the file's `file://` URI, as ours).
fn serdi(path: &Path, lax: bool) -> Graph {
    let mut command = Command::new("serdi");
    if lax {
        command.arg("-l");
    }
    let output = command
        .args(["-q", "-i", "turtle", "-o", "ntriples"])
        .arg(path)
        .output()
        .expect("run serdi");
    assert!(
        lax || output.status.success(),
        "serdi rejects {}: {}",
        path.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    // In lax mode serdi can write malformed lines for statements it half-read (e.g. five
    // terms after an undefined prefix): those are skipped, they are not triples.
    let options = IngestOptions {
        skip_invalid: lax,
        ..IngestOptions::default()
    };
    let reader = TripleReader::new(output.stdout.as_slice(), Format::NTriples, options)
        .with_source_name(format!("serdi's output for {}", path.display()));
    graph_of(reader).expect("serdi writes valid N-Triples").0
}

#[test]
fn every_lv2_specification_reads_as_serdi_reads_it() {
    if !tools_present("LV2 comparison") {
        return;
    }
    let mut files = Vec::new();
    turtle_files(Path::new(LV2_ROOT), &mut files);
    assert!(
        files.len() >= 50,
        "expected the LV2 specifications under {LV2_ROOT}, found {} .ttl files",
        files.len()
    );
    let mut failures = Vec::new();
    let mut triples = 0;
    for path in &files {
        let expected = serdi(path, false);
        // No base given: the file's own URI is the default, as for serdi.
        let ours = TripleReader::open(path, IngestOptions::default()).and_then(graph_of);
        match ours {
            Err(e) => failures.push(format!("{}: we reject it: {e}", path.display())),
            Ok((ours, _)) if ours != expected => failures.push(format!(
                "{}: {} triples, serdi {}; missing {:?}; extra {:?}",
                path.display(),
                total(&ours),
                total(&expected),
                missing(&expected, &ours).first(),
                missing(&ours, &expected).first(),
            )),
            Ok((ours, _)) => triples += total(&ours),
        }
    }
    eprintln!(
        "LV2: {} files compared with serdi, {triples} triples",
        files.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The corpus file without the lines of its broken statements.
fn cleaned(path: &Path) -> String {
    std::fs::read_to_string(path)
        .expect("read corpus file")
        .lines()
        .filter(|line| !line.contains("# BROKEN"))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn corpus() -> Vec<PathBuf> {
    let mut files = Vec::new();
    turtle_files(Path::new(CORPUS), &mut files);
    assert!(files.len() >= 7, "corpus missing in {CORPUS}");
    files
}

fn skipping(path: &Path) -> (Graph, u64) {
    let options = IngestOptions {
        skip_invalid: true,
        ..IngestOptions::default()
    };
    graph_of(TripleReader::open(path, options).expect("open")).expect("skip mode reads on")
}

#[test]
fn skip_invalid_turtle_loses_no_valid_statement_of_the_broken_corpus() {
    for path in corpus() {
        let base = knhk_pipeline::ingest::file_uri(&path).unwrap();
        let valid = graph_of(TripleReader::new(
            cleaned(&path).as_bytes(),
            Format::Turtle,
            IngestOptions {
                base_iri: Some(base),
                ..IngestOptions::default()
            },
        ))
        .unwrap_or_else(|e| panic!("{}: the cleaned file must be valid: {e}", path.display()))
        .0;
        let (ours, skipped) = skipping(&path);
        let lost = missing(&valid, &ours);
        assert!(
            lost.is_empty(),
            "{}: valid triples lost in skip mode: {lost:#?}",
            path.display()
        );
        assert!(skipped > 0, "{}: errors were counted", path.display());
        eprintln!(
            "{}: {} triples read ({} from valid statements), {skipped} errors",
            path.file_name().unwrap().to_string_lossy(),
            total(&ours),
            total(&valid)
        );
    }
}

#[test]
fn broken_corpus_keeps_every_valid_triple_serdi_lax_keeps() {
    if !tools_present("broken-corpus comparison") {
        return;
    }
    let scratch = std::env::temp_dir().join(format!("knhk-serdi-{}", std::process::id()));
    std::fs::create_dir_all(&scratch).unwrap();
    for path in corpus() {
        let name = path.file_name().unwrap();
        // serdi's strict reading of the cleaned file is the reference for "valid"; the same
        // base (the corpus file's own URI) for both.
        let clean_path = scratch.join(name);
        std::fs::write(&clean_path, cleaned(&path)).unwrap();
        let base = knhk_pipeline::ingest::file_uri(&path).unwrap();
        let output = Command::new("serdi")
            .args(["-q", "-i", "turtle", "-o", "ntriples"])
            .arg(&clean_path)
            .arg(&base)
            .output()
            .expect("run serdi");
        assert!(output.status.success(), "serdi rejects cleaned {name:?}");
        let valid = graph_of(TripleReader::new(
            output.stdout.as_slice(),
            Format::NTriples,
            IngestOptions::default(),
        ))
        .unwrap()
        .0;
        let lax = serdi(&path, true);
        let (ours, _) = skipping(&path);
        let lost_valid = missing(&valid, &ours);
        assert!(
            lost_valid.is_empty(),
            "{name:?}: valid triples (per serdi) lost: {lost_valid:#?}"
        );
        let lax_valid: Graph = lax
            .iter()
            .filter(|(k, _)| valid.contains_key(*k))
            .map(|(k, n)| (k.clone(), *n.min(&valid[k])))
            .collect();
        let lost_lax = missing(&lax_valid, &ours);
        assert!(
            lost_lax.is_empty(),
            "{name:?}: triples of valid statements that serdi -l reads and we do not: {lost_lax:#?}"
        );
        eprintln!(
            "{name:?}: we read {}, serdi -l reads {} ({} of them from valid statements)",
            total(&ours),
            total(&lax),
            total(&lax_valid)
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
}
