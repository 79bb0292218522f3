//! The W3C RDF 1.1 N-Triples and Turtle test suites, vendored in `tests/rdf-tests/` (licence,
//! source and commit in its README), so a fresh clone runs them with nothing beside it.
//!
//! Each manifest is parsed (with oxttl) to list its tests and their types. N-Triples syntax
//! tests run through our own scanner; Turtle tests through our oxttl adapter, and each Turtle
//! eval result `.nt` is read with our scanner, then compared up to blank-node renaming. Every
//! failing test is reported by name, and the number of tests run per type must equal the
//! manifest's count.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};

use knhk_pipeline::ingest::{Format, IngestOptions, Term, TripleReader};
use oxrdf::{NamedNode, NamedOrBlankNode, Term as OxTerm};
use oxttl::TurtleParser;

const SUITE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/rdf-tests");
const NT_BASE: &str = "http://www.w3.org/2013/N-TriplesTests/";
const TTL_BASE: &str = "http://www.w3.org/2013/TurtleTests/";
const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const RDFT: &str = "http://www.w3.org/ns/rdftest#";

fn suite_dir(name: &str) -> PathBuf {
    let dir = Path::new(SUITE).join(name);
    assert!(
        dir.join("manifest.ttl").is_file(),
        "W3C suite missing: {} has no manifest.ttl (the suites are vendored in knhk-pipeline/tests/rdf-tests)",
        dir.display()
    );
    dir
}

struct TestCase {
    name: String,
    kind: String,
    action: String,
    result: Option<String>,
}

fn file_name(iri: &str) -> String {
    iri.rsplit('/').next().unwrap_or(iri).to_owned()
}

/// Lists the manifest's entries in order with their type, action and result file names, and
/// the base IRI for the test files: the manifest's `mf:assumedTestBase` when it has one
/// (the Turtle suite does, and its expected graphs use it), else `default_base`.
fn read_manifest(dir: &Path, default_base: &str) -> (Vec<TestCase>, String) {
    let base = default_base;
    let text = fs::read(dir.join("manifest.ttl")).expect("read manifest");
    let parser = TurtleParser::new()
        .with_base_iri(format!("{base}manifest.ttl"))
        .expect("base IRI");
    let mut props: HashMap<NamedOrBlankNode, Vec<(NamedNode, OxTerm)>> = HashMap::new();
    for triple in parser.for_slice(&text) {
        let triple = triple.expect("manifest parses");
        props
            .entry(triple.subject)
            .or_default()
            .push((triple.predicate, triple.object));
    }
    let get = |node: &NamedOrBlankNode, predicate: &str| -> Option<OxTerm> {
        props
            .get(node)?
            .iter()
            .find(|(p, _)| p.as_str() == predicate)
            .map(|(_, o)| o.clone())
    };
    let as_node = |term: OxTerm| -> NamedOrBlankNode {
        match term {
            OxTerm::NamedNode(n) => n.into(),
            OxTerm::BlankNode(b) => b.into(),
            other => panic!("expected a node, got {other}"),
        }
    };
    let manifest: NamedOrBlankNode = NamedNode::new(format!("{base}manifest.ttl"))
        .unwrap()
        .into();
    let test_base = match get(&manifest, &format!("{MF}assumedTestBase")) {
        Some(OxTerm::NamedNode(n)) => n.into_string(),
        _ => default_base.to_owned(),
    };
    let mut list = as_node(get(&manifest, &format!("{MF}entries")).expect("mf:entries"));
    let mut cases = Vec::new();
    let nil = format!("{RDF}nil");
    while !matches!(&list, NamedOrBlankNode::NamedNode(n) if n.as_str() == nil) {
        let entry = as_node(get(&list, &format!("{RDF}first")).expect("rdf:first"));
        let iri = |p: &str| match get(&entry, p) {
            Some(OxTerm::NamedNode(n)) => Some(n.into_string()),
            _ => None,
        };
        let name = match get(&entry, &format!("{MF}name")) {
            Some(OxTerm::Literal(l)) => l.value().to_owned(),
            _ => entry.to_string(),
        };
        cases.push(TestCase {
            kind: iri(&format!("{RDF}type"))
                .and_then(|t| t.strip_prefix(RDFT).map(str::to_owned))
                .unwrap_or_else(|| panic!("{name}: no rdft type")),
            action: file_name(
                &iri(&format!("{MF}action")).unwrap_or_else(|| panic!("{name}: no action")),
            ),
            result: iri(&format!("{MF}result")).map(|r| file_name(&r)),
            name,
        });
        list = as_node(get(&list, &format!("{RDF}rest")).expect("rdf:rest"));
    }
    (cases, test_base)
}

/// An owned term for graph comparison.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Owned {
    Iri(String),
    Blank(String),
    Literal(String, String, Option<String>),
}

type OwnedTriple = [Owned; 3];

fn owned(term: Term<'_>) -> Owned {
    match term {
        Term::Iri(i) => Owned::Iri(i.to_owned()),
        Term::BlankNode(b) => Owned::Blank(b.to_owned()),
        Term::Literal(l) => Owned::Literal(
            l.value().to_owned(),
            l.datatype().to_owned(),
            // RDF 1.1 language tags are case-insensitive (oxttl lowercases them, our scanner
            // keeps them as written): compare in lower case.
            l.language().map(str::to_ascii_lowercase),
        ),
    }
}

/// Reads a file with our reader; `Err` carries the error message.
fn read_with_us(
    path: &Path,
    format: Format,
    base: Option<String>,
) -> Result<Vec<OwnedTriple>, String> {
    let options = IngestOptions {
        base_iri: base,
        ..IngestOptions::default()
    };
    let mut triples = Vec::new();
    TripleReader::open_as(path, format, options)
        .map_err(|e| e.to_string())?
        .for_each_triple(|t| triples.push([owned(t.subject), owned(t.predicate), owned(t.object)]))
        .map_err(|e| e.to_string())?;
    Ok(triples)
}

/// Graph isomorphism up to blank-node renaming: colour refinement, then a backtracking
/// bijection among equally coloured blank nodes, checked triple by triple.
fn isomorphic(a: &[OwnedTriple], b: &[OwnedTriple]) -> bool {
    let a: BTreeSet<OwnedTriple> = a.iter().cloned().collect();
    let b: BTreeSet<OwnedTriple> = b.iter().cloned().collect();
    if a.len() != b.len() {
        return false;
    }
    let ground = |g: &BTreeSet<OwnedTriple>| -> BTreeSet<OwnedTriple> {
        g.iter()
            .filter(|t| !t.iter().any(|x| matches!(x, Owned::Blank(_))))
            .cloned()
            .collect()
    };
    if ground(&a) != ground(&b) {
        return false;
    }
    let colours = |g: &BTreeSet<OwnedTriple>| -> BTreeMap<String, u64> {
        use std::hash::{DefaultHasher, Hash, Hasher};
        let mut colour: BTreeMap<String, u64> = BTreeMap::new();
        for t in g {
            for x in t {
                if let Owned::Blank(label) = x {
                    colour.insert(label.clone(), 0);
                }
            }
        }
        for _ in 0..4 {
            let mut next = BTreeMap::new();
            for (label, c) in &colour {
                let mut signature: Vec<(usize, Vec<u64>)> = Vec::new();
                for t in g {
                    for (pos, x) in t.iter().enumerate() {
                        if x == &Owned::Blank(label.clone()) {
                            let others = t
                                .iter()
                                .map(|y| {
                                    let mut h = DefaultHasher::new();
                                    match y {
                                        Owned::Blank(l) => colour[l].hash(&mut h),
                                        other => other.hash(&mut h),
                                    }
                                    h.finish()
                                })
                                .collect();
                            signature.push((pos, others));
                        }
                    }
                }
                signature.sort();
                let mut h = DefaultHasher::new();
                (c, signature).hash(&mut h);
                next.insert(label.clone(), h.finish());
            }
            colour = next;
        }
        colour
    };
    let (ca, cb) = (colours(&a), colours(&b));
    let mut sa: Vec<u64> = ca.values().copied().collect();
    let mut sb: Vec<u64> = cb.values().copied().collect();
    sa.sort_unstable();
    sb.sort_unstable();
    if sa != sb {
        return false;
    }
    let order: Vec<&String> = ca.keys().collect();
    let mut map: HashMap<String, String> = HashMap::new();
    fn consistent(
        a: &BTreeSet<OwnedTriple>,
        b: &BTreeSet<OwnedTriple>,
        map: &HashMap<String, String>,
    ) -> bool {
        a.iter().all(|t| {
            let mut mapped = t.clone();
            for x in mapped.iter_mut() {
                if let Owned::Blank(l) = x {
                    match map.get(l) {
                        Some(m) => *x = Owned::Blank(m.clone()),
                        None => return true,
                    }
                }
            }
            b.contains(&mapped)
        })
    }
    fn search(
        i: usize,
        order: &[&String],
        ca: &BTreeMap<String, u64>,
        cb: &BTreeMap<String, u64>,
        a: &BTreeSet<OwnedTriple>,
        b: &BTreeSet<OwnedTriple>,
        map: &mut HashMap<String, String>,
    ) -> bool {
        let Some(label) = order.get(i) else {
            return true;
        };
        for (candidate, colour) in cb {
            if *colour != ca[*label] || map.values().any(|v| v == candidate) {
                continue;
            }
            map.insert((*label).clone(), candidate.clone());
            if consistent(a, b, map) && search(i + 1, order, ca, cb, a, b, map) {
                return true;
            }
            map.remove(*label);
        }
        false
    }
    search(0, &order, &ca, &cb, &a, &b, &mut map)
}

#[derive(Default)]
struct Tally {
    run: BTreeMap<String, usize>,
    failures: Vec<String>,
}

fn count_by_kind(cases: &[TestCase]) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for case in cases {
        *counts.entry(case.kind.clone()).or_default() += 1;
    }
    counts
}

fn finish(suite: &str, cases: &[TestCase], tally: Tally, expected_total: usize) {
    let manifest_counts = count_by_kind(cases);
    eprintln!("{suite}: ran {:?}", tally.run);
    assert!(
        tally.failures.is_empty(),
        "{suite}: {} of {} tests failed:\n{}",
        tally.failures.len(),
        cases.len(),
        tally.failures.join("\n")
    );
    assert_eq!(
        tally.run, manifest_counts,
        "{suite}: tests run per type differ from the manifest"
    );
    // Pinned to the suite commit in tests/rdf-tests/README.md: a manifest read that silently
    // dropped entries would otherwise still "pass".
    assert_eq!(
        cases.len(),
        expected_total,
        "{suite}: manifest entry count changed"
    );
}

#[test]
fn ntriples_suite_passes_with_our_scanner() {
    let dir = suite_dir("rdf-n-triples");
    let (cases, _) = read_manifest(&dir, NT_BASE);
    let mut tally = Tally::default();
    for case in &cases {
        let outcome = read_with_us(&dir.join(&case.action), Format::NTriples, None);
        let failure = match (case.kind.as_str(), &outcome) {
            ("TestNTriplesPositiveSyntax", Ok(_)) | ("TestNTriplesNegativeSyntax", Err(_)) => None,
            ("TestNTriplesPositiveSyntax", Err(e)) => Some(format!("rejected: {e}")),
            ("TestNTriplesNegativeSyntax", Ok(t)) => {
                Some(format!("accepted ({} triples)", t.len()))
            }
            (other, _) => Some(format!("unknown test type {other}")),
        };
        *tally.run.entry(case.kind.clone()).or_default() += 1;
        if let Some(failure) = failure {
            tally
                .failures
                .push(format!("{} ({}): {failure}", case.name, case.action));
        }
    }
    finish("N-Triples", &cases, tally, 70);
}

#[test]
fn turtle_suite_passes_with_our_adapter_and_scanner() {
    let dir = suite_dir("rdf-turtle");
    let (cases, test_base) = read_manifest(&dir, TTL_BASE);
    let mut tally = Tally::default();
    for case in &cases {
        let base = Some(format!("{test_base}{}", case.action));
        let outcome = read_with_us(&dir.join(&case.action), Format::Turtle, base);
        let failure = match (case.kind.as_str(), &outcome) {
            ("TestTurtlePositiveSyntax", Ok(_))
            | ("TestTurtleNegativeSyntax" | "TestTurtleNegativeEval", Err(_)) => None,
            ("TestTurtlePositiveSyntax", Err(e)) => Some(format!("rejected: {e}")),
            ("TestTurtleNegativeSyntax" | "TestTurtleNegativeEval", Ok(t)) => {
                Some(format!("accepted ({} triples)", t.len()))
            }
            ("TestTurtleEval", Err(e)) => Some(format!("rejected: {e}")),
            ("TestTurtleEval", Ok(got)) => match &case.result {
                None => Some("eval test without mf:result".to_owned()),
                Some(result) => match read_with_us(&dir.join(result), Format::NTriples, None) {
                    Err(e) => Some(format!(
                        "expected graph {result} rejected by our scanner: {e}"
                    )),
                    Ok(expected) if isomorphic(got, &expected) => None,
                    Ok(expected) => Some(format!(
                        "graph differs from {result}: got {} triples, expected {}",
                        got.len(),
                        expected.len()
                    )),
                },
            },
            (other, _) => Some(format!("unknown test type {other}")),
        };
        *tally.run.entry(case.kind.clone()).or_default() += 1;
        if let Some(failure) = failure {
            tally
                .failures
                .push(format!("{} ({}): {failure}", case.name, case.action));
        }
    }
    finish("Turtle", &cases, tally, 313);
}

#[test]
fn isomorphism_check_tells_renamed_graphs_from_different_ones() {
    let b = |l: &str| Owned::Blank(l.to_owned());
    let i = |l: &str| Owned::Iri(l.to_owned());
    let g1 = vec![[b("x"), i("p"), b("y")], [b("y"), i("p"), i("o")]];
    let renamed = vec![[b("m"), i("p"), b("n")], [b("n"), i("p"), i("o")]];
    let swapped = vec![[b("m"), i("p"), b("n")], [b("m"), i("p"), i("o")]];
    assert!(isomorphic(&g1, &renamed));
    assert!(!isomorphic(&g1, &swapped));
    assert!(!isomorphic(&g1, &g1[..1]));
}
