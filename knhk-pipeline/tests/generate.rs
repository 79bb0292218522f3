//! The synthetic dataset generator (`knhk gen`): determinism, exact size, N-Triples validity
//! (checked with oxttl's strict parser), skew, literal variety, and the bundled sample.

use std::collections::{HashMap, HashSet};

use knhk_pipeline::generate::{generate, GenerateOptions, GenerateReport};
use oxrdf::{NamedOrBlankNode, Term, Triple};
use oxttl::NTriplesParser;

const XSD_INTEGER: &str = "http://www.w3.org/2001/XMLSchema#integer";
const SAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/sample.nt");

/// The hand-written lines at the top of `data/sample.nt`, before the generated part.
const SAMPLE_HEADER: &str = "\
<http://example.org/alice> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://xmlns.com/foaf/0.1/Person> .
<http://example.org/alice> <http://xmlns.com/foaf/0.1/name> \"Alice\" .
<http://example.org/alice> <http://xmlns.com/foaf/0.1/knows> <http://example.org/bob> .
<http://example.org/alice> <http://xmlns.com/foaf/0.1/knows> <http://example.org/carol> .
<http://example.org/alice> <http://xmlns.com/foaf/0.1/knows> <http://example.org/dave> .
<http://example.org/bob> <http://xmlns.com/foaf/0.1/knows> <http://example.org/alice> .
<http://example.org/bob> <http://schema.org/age> \"34\"^^<http://www.w3.org/2001/XMLSchema#integer> .
<http://example.org/carol> <http://schema.org/age> \"29\"^^<http://www.w3.org/2001/XMLSchema#integer> .
";
/// The generated part of `data/sample.nt`.
const SAMPLE_OPTIONS: GenerateOptions = GenerateOptions {
    triples: 2_000,
    seed: 7,
};

fn gen(triples: u64, seed: u64) -> (Vec<u8>, GenerateReport) {
    let mut out = Vec::new();
    let report = generate(&GenerateOptions { triples, seed }, &mut out).expect("write to Vec");
    (out, report)
}

/// Every triple of `doc`, parsed strictly by oxttl; panics on the first error.
fn parse(doc: &[u8]) -> Vec<Triple> {
    NTriplesParser::new()
        .for_slice(doc)
        .map(|t| t.unwrap_or_else(|e| panic!("oxttl rejects generated N-Triples: {e}")))
        .collect()
}

fn subject_iri(t: &Triple) -> &str {
    match &t.subject {
        NamedOrBlankNode::NamedNode(n) => n.as_str(),
        other => panic!("unexpected subject {other}"),
    }
}

#[test]
fn same_options_give_identical_bytes_and_other_seeds_differ() {
    let (a, ra) = gen(20_000, 42);
    let (b, rb) = gen(20_000, 42);
    assert!(a == b, "same seed, different output");
    assert_eq!(ra, rb);
    let (c, _) = gen(20_000, 43);
    assert!(a != c, "different seeds gave identical output");
    // Small documents differ across seeds too.
    let docs: HashSet<Vec<u8>> = (0..8).map(|seed| gen(100, seed).0).collect();
    assert_eq!(docs.len(), 8);
}

#[test]
fn writes_exactly_the_requested_number_of_lines() {
    for n in [1, 2, 3, 7, 19, 20, 21, 49, 50, 51, 100, 999, 12_345] {
        let (doc, report) = gen(n, 1);
        let lines = doc.iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(lines, n, "N = {n}");
        assert_eq!(
            doc.last(),
            Some(&b'\n'),
            "N = {n}: last line not terminated"
        );
        assert_eq!(report.triples, n);
        assert_eq!(report.per_predicate.iter().map(|&(_, c)| c).sum::<u64>(), n);
        assert_eq!(report.people, (n / 20).max(1));
        assert_eq!(report.products, (n / 50).max(1));
        assert_eq!(parse(&doc).len() as u64, n, "N = {n}");
    }
}

#[test]
fn zero_triples_write_nothing() {
    let (doc, report) = gen(0, 99);
    assert!(doc.is_empty());
    assert_eq!((report.triples, report.people, report.products), (0, 0, 0));
    assert!(report.per_predicate.iter().all(|&(_, c)| c == 0));
}

#[test]
fn every_line_is_one_strict_ntriples_statement() {
    for seed in [0, 1, u64::MAX] {
        let (doc, _) = gen(10_000, seed);
        for (i, line) in doc.split_inclusive(|&b| b == b'\n').enumerate() {
            assert!(
                line.ends_with(b" .\n"),
                "line {}: {:?}",
                i + 1,
                String::from_utf8_lossy(line)
            );
            let triples = parse(line);
            assert_eq!(triples.len(), 1, "line {}", i + 1);
        }
    }
}

#[test]
fn report_matches_the_parsed_predicates_and_the_distribution_is_skewed() {
    let (doc, report) = gen(50_000, 5);
    let mut counts: HashMap<String, u64> = HashMap::new();
    let mut subjects: HashMap<String, u64> = HashMap::new();
    for t in parse(&doc) {
        *counts.entry(t.predicate.as_str().to_owned()).or_default() += 1;
        *subjects.entry(subject_iri(&t).to_owned()).or_default() += 1;
    }
    assert_eq!(counts.len(), report.per_predicate.len());
    let mut reported: Vec<u64> = report.per_predicate.iter().map(|&(_, c)| c).collect();
    let mut parsed: Vec<u64> = counts.values().copied().collect();
    reported.sort_unstable();
    parsed.sort_unstable();
    assert_eq!(reported, parsed);

    // Most common predicate at least 4x the rarest; foaf:knows is the most common.
    let (max, min) = (*parsed.last().unwrap(), parsed[0]);
    assert!(max >= 4 * min, "not skewed: max {max}, min {min}");
    assert_eq!(report.per_predicate[0].0, "foaf:knows");
    assert_eq!(counts["http://xmlns.com/foaf/0.1/knows"], max);
    // Rank order holds (the shares are far apart enough for 50k draws).
    assert!(
        report.per_predicate.windows(2).all(|w| w[0].1 >= w[1].1),
        "{:?}",
        report.per_predicate
    );

    // Subjects are skewed too: the busiest subject has far more than the mean.
    let mean = 50_000 / subjects.len() as u64;
    let busiest = subjects.values().max().copied().unwrap();
    assert!(
        busiest >= 20 * mean,
        "no hub: busiest {busiest}, mean {mean}"
    );
}

#[test]
fn iris_are_numbered_and_never_collide_with_the_sample_header() {
    let (doc, report) = gen(10_000, 3);
    for t in parse(&doc) {
        let s = subject_iri(&t);
        let rest = s
            .strip_prefix("http://example.org/person/")
            .map(|i| (i, report.people))
            .or_else(|| {
                s.strip_prefix("http://example.org/product/")
                    .map(|i| (i, report.products))
            });
        let (index, population) = rest.unwrap_or_else(|| panic!("unexpected subject {s}"));
        assert!(index.parse::<u64>().unwrap() < population, "{s}");
        if let Term::NamedNode(o) = &t.object {
            assert!(!["alice", "bob", "carol", "dave"]
                .iter()
                .any(|n| o.as_str() == format!("http://example.org/{n}")));
        }
    }
}

#[test]
fn integer_literals_are_canonical_with_negative_and_large_values() {
    let (doc, _) = gen(100_000, 11);
    let (mut total, mut negative, mut beyond_inline, mut beyond_i64) = (0, 0, 0, 0);
    for t in parse(&doc) {
        let Term::Literal(l) = &t.object else {
            continue;
        };
        if l.datatype().as_str() != XSD_INTEGER {
            continue;
        }
        total += 1;
        let v = l.value();
        let digits = v.strip_prefix('-').unwrap_or(v);
        assert!(
            !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit())
                && (digits == "0" || !digits.starts_with('0'))
                && v != "-0",
            "non-canonical integer {v:?}"
        );
        let value: i128 = v.parse().unwrap();
        if value < 0 {
            negative += 1;
        }
        if value > (1i128 << 59) - 1 {
            beyond_inline += 1;
        }
        if value > i128::from(i64::MAX) {
            beyond_i64 += 1;
        }
    }
    assert!(total > 15_000, "{total} integer literals");
    assert!(
        negative > 0 && negative * 20 < total,
        "{negative} negative of {total}"
    );
    assert!(beyond_i64 > 0, "no integer beyond i64");
    assert!(
        beyond_inline > beyond_i64,
        "no integer beyond 2^59 inside i64"
    );
    assert!(beyond_inline * 100 < total, "too many large integers");
}

#[test]
fn string_literals_need_escaping_and_some_carry_language_tags() {
    let (doc, _) = gen(50_000, 2);
    let text = std::str::from_utf8(&doc).expect("UTF-8");
    // Escapes are in the serialization, the raw characters in the parsed values.
    assert!(text.contains("\\\"") && text.contains("\\\\") && text.contains("\\n"));
    let mut values = HashSet::new();
    let mut languages = HashSet::new();
    for t in parse(&doc) {
        if let Term::Literal(l) = &t.object {
            if let Some(lang) = l.language() {
                languages.insert(lang.to_owned());
            }
            values.insert(l.value().to_owned());
        }
    }
    for needle in ['"', '\\', '\n', '\t', 'ë', '李', '🎉'] {
        assert!(
            values.iter().any(|v| v.contains(needle)),
            "no literal contains {needle:?}"
        );
    }
    assert!(values.contains("Bonjour"));
    for lang in ["fr", "de", "en", "pt-br"] {
        assert!(
            languages.iter().any(|l| l.eq_ignore_ascii_case(lang)),
            "no @{lang} literal in {languages:?}"
        );
    }
}

#[test]
fn duplicate_triples_are_rare() {
    let (doc, _) = gen(50_000, 8);
    let triples = parse(&doc);
    let distinct: HashSet<&Triple> = triples.iter().collect();
    let duplicates = triples.len() - distinct.len();
    assert!(duplicates * 1000 < triples.len(), "{duplicates} duplicates");
}

#[test]
fn every_person_is_typed_foaf_person_at_scale() {
    // rdf:type visits every entity before giving any a second type, and the first type of a
    // person is foaf:Person.
    let (doc, report) = gen(50_000, 4);
    let typed: HashSet<String> = parse(&doc)
        .into_iter()
        .filter(|t| {
            t.predicate.as_str() == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                && t.object.to_string() == "<http://xmlns.com/foaf/0.1/Person>"
        })
        .map(|t| subject_iri(&t).to_owned())
        .collect();
    assert_eq!(typed.len() as u64, report.people);
}

#[test]
fn bundled_sample_is_the_header_plus_the_generated_dataset() {
    let sample = std::fs::read(SAMPLE).expect("data/sample.nt");
    assert!(
        sample.len() < 300 * 1024,
        "sample.nt is {} bytes",
        sample.len()
    );
    assert!(
        sample.starts_with(SAMPLE_HEADER.as_bytes()),
        "sample.nt must start with the hand-written header"
    );
    let (generated, _) = gen(SAMPLE_OPTIONS.triples, SAMPLE_OPTIONS.seed);
    assert!(
        sample[SAMPLE_HEADER.len()..] == generated[..],
        "sample.nt is stale: regenerate it as the header followed by \
         `knhk gen --triples 2000 --seed 7`"
    );
    let lines = SAMPLE_HEADER.lines().count() as u64 + SAMPLE_OPTIONS.triples;
    assert_eq!(parse(&sample).len() as u64, lines);
}
