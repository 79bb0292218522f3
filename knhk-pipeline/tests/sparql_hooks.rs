//! Hooks written in SPARQL: every op compiles from its shape, equivalent spellings compile
//! the same, a SPARQL hook gives exactly the results of its `kind` form, every refusal names
//! what does not fit, and a malformed query is placed at its line and column in the hook file.

use std::collections::BTreeSet;

use knhk_pipeline::cli::{hooks, HooksOptions};
use knhk_pipeline::emit::MemorySink;
use knhk_pipeline::hooks::{compile_sparql, parse_hook_file, HookSpec};
use knhk_pipeline::ingest::{Format, IngestOptions, TripleReader};
use knhk_pipeline::ops::OpKind;
use knhk_pipeline::pipeline::{Pipeline, PipelineConfig};

mod common;
use common::generated;
use common::sparql_cases::{sparql_hooks, toml_hooks, CASES};

#[test]
fn every_op_compiles_from_its_shape() {
    for case in CASES {
        let compiled =
            compile_sparql(&case.query()).unwrap_or_else(|error| panic!("{}: {error}", case.name));
        assert_eq!(compiled.kind.name(), case.op, "{}", case.name);
    }
    let covered: BTreeSet<_> = CASES.iter().map(|case| case.op).collect();
    let all: BTreeSet<_> = OpKind::ALL.iter().map(|op| op.name()).collect();
    assert_eq!(covered, all, "every op has a SPARQL case");
}

#[test]
fn a_sparql_hook_compiles_to_its_kind_form() {
    let compiled = sparql_hooks(CASES);
    let written = toml_hooks(CASES);
    for ((case, sparql), toml) in CASES.iter().zip(&compiled).zip(&written) {
        let from_sparql = knhk_pipeline::hooks::compile_hook(sparql).unwrap();
        let mut expected = toml.clone();
        // `min` is `count_sp_ge`'s other name for `k`: the compiler writes `k`.
        if let Some(min) = expected.min.take() {
            expected.k = Some(u64::from(min));
        }
        assert_eq!(*from_sparql, expected, "{}", case.name);
    }
}

/// A hook's name, op, whole-run result and whether it fired.
type Outcome = (String, &'static str, u64, bool);

/// Runs `specs` over `data` and returns each hook's outcome and every action's text.
fn run(specs: &[HookSpec], data: &[u8]) -> (Vec<Outcome>, Vec<String>) {
    let mut pipeline = Pipeline::new(PipelineConfig {
        block_capacity: 16,
        receipt_capacity: 64,
        batch_triples: 2000,
    });
    for spec in specs {
        pipeline.register_hook(spec).unwrap();
    }
    let mut sink = MemorySink::default();
    let reader = TripleReader::new(data, Format::NTriples, IngestOptions::default());
    let summary = pipeline.execute(reader, &mut sink).unwrap();
    let outcomes = summary
        .hooks
        .iter()
        .map(|h| (h.name.clone(), h.kind, h.result, h.fired))
        .collect();
    let dictionary = pipeline.dictionary();
    let actions = sink
        .actions
        .iter()
        .map(|a| {
            [a.s, a.p, a.o]
                .map(|id| {
                    let id = knhk_pipeline::dictionary::TermId::from_u64(id).unwrap();
                    dictionary.display(id).unwrap().to_string()
                })
                .join(" ")
        })
        .collect();
    (outcomes, actions)
}

#[test]
fn sparql_hooks_give_the_results_of_their_kind_form_on_generated_data() {
    let data = generated(20_000);
    let (sparql, sparql_actions) = run(&sparql_hooks(CASES), &data);
    let (toml, toml_actions) = run(&toml_hooks(CASES), &data);
    assert_eq!(sparql, toml);
    assert_eq!(sparql_actions, toml_actions);
    // The cases exercise both answers and the warm ops write something.
    assert!(
        sparql.iter().any(|h| h.3) && sparql.iter().any(|h| !h.3),
        "{sparql:?}"
    );
    assert!(!sparql_actions.is_empty());
}

#[test]
fn the_bundled_sparql_hooks_run_as_the_bundled_hooks() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let read = |file: &str| {
        let text = std::fs::read_to_string(format!("{dir}/data/{file}")).unwrap();
        parse_hook_file(&text, file).unwrap()
    };
    let data = knhk_pipeline::SAMPLE_DATA.as_bytes();
    assert_eq!(
        run(&read("hooks-sparql.toml"), data),
        run(&read("hooks.toml"), data)
    );
}

/// Pairs of spellings that mean the same hook.
const SAME: &[(&str, &str)] = &[
    (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\nASK { <http://a> foaf:knows ?o } HAVING (COUNT(*) >= 3)",
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://xmlns.com/foaf/0.1/knows> ?o } } FILTER(?n >= 3) }",
    ),
    (
        "ASK { ?s <http://p> <http://b> } HAVING (COUNT(?s) <= 2)",
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <http://p> <http://b> } } FILTER(?n <= 2) }",
    ),
    (
        "ask { <http://a> <http://p> ?o } having (count(*) = 1)",
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n = 1) }",
    ),
    (
        "PREFIX foaf: <http://xmlns.com/foaf/0.1/> ASK { <http://a> foaf:knows ?o }",
        "ASK { <http://a> <http://xmlns.com/foaf/0.1/knows> ?o }",
    ),
    (
        "ASK { ?s a <http://c> }",
        "ASK { ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://c> }",
    ),
    (
        "ASK { <http://a> <http://p> 34 }",
        r#"ASK { <http://a> <http://p> "34"^^<http://www.w3.org/2001/XMLSchema#integer> }"#,
    ),
    (
        "ASK { VALUES ?o { <http://b> } <http://a> <http://p> ?o }",
        "ASK { <http://a> <http://p> <http://b> }",
    ),
    (
        "ASK { <http://a> <http://p> ?o } VALUES ?o { <http://b> }",
        "ASK { <http://a> <http://p> <http://b> }",
    ),
    (
        "ASK { { SELECT (COUNT(?o) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n > 2) }",
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= 3) }",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <http://p> <http://b> } } FILTER(?n < 4) }",
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <http://p> <http://b> } } FILTER(3 >= ?n) }",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n > -5) }",
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= 0) }",
    ),
    (
        "ASK { ?s <http://p> ?o FILTER(10 < ?o) }",
        "ASK { ?s <http://p> ?o FILTER(?o > 10) }",
    ),
    (
        "ASK { ?s <http://p> ?o FILTER(?o >= -2.5) }",
        r#"ASK { ?s <http://p> ?o FILTER(?o >= "-2.5"^^<http://www.w3.org/2001/XMLSchema#decimal>) }"#,
    ),
    (
        "ASK { VALUES ?s { <http://a> } ?s <http://p> ?o FILTER(?o = 1e0) }",
        "ASK { <http://a> <http://p> ?o FILTER(?o = 1e0) }",
    ),
    (
        "ASK { <http://a> <http://p> 7 FILTER(datatype(7) = <http://d>) }",
        "ASK { VALUES ?o { 7 } <http://a> <http://p> ?o FILTER(datatype(?o) = <http://d>) }",
    ),
    (
        "SELECT * WHERE { <http://a> <http://p> ?o }",
        "SELECT ?o WHERE { <http://a> <http://p> ?o }",
    ),
    (
        "CONSTRUCT { <http://a> <http://q> <http://c> } WHERE { VALUES ?s { <http://a> } ?s <http://p> ?o }",
        "CONSTRUCT { <http://a> <http://q> <http://c> } WHERE { <http://a> <http://p> ?o }",
    ),
];

#[test]
fn equivalent_spellings_compile_the_same() {
    for (one, other) in SAME {
        let one_compiled = compile_sparql(one).unwrap_or_else(|e| panic!("{one}: {e}"));
        let other_compiled = compile_sparql(other).unwrap_or_else(|e| panic!("{other}: {e}"));
        assert_eq!(one_compiled, other_compiled, "{one}\n{other}");
    }
}

#[test]
fn a_count_of_one_on_a_fixed_subject_is_unique_sp_and_on_a_fixed_object_count_op_eq() {
    let sp =
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n = 1) }";
    let op =
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <http://p> <http://b> } } FILTER(?n = 1) }";
    assert_eq!(compile_sparql(sp).unwrap().kind, OpKind::UniqueSp);
    let op = compile_sparql(op).unwrap();
    assert_eq!((op.kind, op.k), (OpKind::CountOpEq, Some(1)));
}

/// The message a query is refused with.
fn refusal(query: &str) -> String {
    match compile_sparql(query) {
        Ok(compiled) => panic!("{query} compiled to {compiled:?}"),
        Err(error) => error.to_string(),
    }
}

/// Refused queries and the start of their message; each message then lists the shapes.
const REFUSED: &[(&str, &str)] = &[
    ("DESCRIBE <http://a>", "DESCRIBE does not fit a hook op"),
    (
        "ASK FROM <http://g> { <http://a> <http://p> ?o }",
        "FROM (a dataset clause) does not fit",
    ),
    (
        "ASK { <http://a> <http://p> ?o OPTIONAL { ?o <http://q> ?x } }",
        "OPTIONAL does not fit",
    ),
    (
        "ASK { { <http://a> <http://p> ?o } UNION { <http://b> <http://p> ?o } }",
        "UNION does not fit",
    ),
    (
        "ASK { <http://a> <http://p> ?o MINUS { ?o <http://q> <http://c> } }",
        "MINUS does not fit",
    ),
    (
        "ASK { GRAPH <http://g> { <http://a> <http://p> ?o } }",
        "GRAPH does not fit",
    ),
    (
        "ASK { SERVICE <http://e> { <http://a> <http://p> ?o } }",
        "SERVICE does not fit",
    ),
    (
        "ASK { <http://a> <http://p>+ ?o }",
        "a property path does not fit",
    ),
    (
        "ASK { <http://a> <http://p> ?o BIND(1 AS ?x) }",
        "BIND (or a SELECT expression) does not fit",
    ),
    (
        "SELECT ?o WHERE { <http://a> <http://p> ?o } ORDER BY ?o",
        "ORDER BY does not fit",
    ),
    (
        "SELECT DISTINCT ?o WHERE { <http://a> <http://p> ?o }",
        "DISTINCT (the pipeline reports every matching statement) does not fit",
    ),
    (
        "SELECT REDUCED ?o WHERE { <http://a> <http://p> ?o }",
        "REDUCED does not fit",
    ),
    (
        "SELECT ?o WHERE { <http://a> <http://p> ?o } LIMIT 1",
        "LIMIT or OFFSET does not fit",
    ),
    (
        "ASK { { SELECT ?o (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } GROUP BY ?o } FILTER(?n >= 1) }",
        "GROUP BY does not fit",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } }",
        "a COUNT without a FILTER comparing it does not fit",
    ),
    (
        "ASK { <http://a> <http://p> ?o . ?o <http://q> ?x }",
        "2 triple patterns (a hook reads one predicate: write one) does not fit",
    ),
    ("ASK {}", "0 triple patterns"),
    ("ASK { <http://a> ?p ?o }", "a variable predicate does not fit"),
    (
        "ASK { _:b <http://p> <http://c> }",
        "a blank node in the pattern (write a variable or a constant) does not fit",
    ),
    (
        r#"ASK { "x" <http://p> ?o }"#,
        "a literal subject (no RDF triple has one) does not fit",
    ),
    (
        r#"ASK { VALUES ?s { "x" } ?s <http://p> ?o }"#,
        "a literal subject",
    ),
    (
        "ASK { ?x <http://p> ?x }",
        "the same variable as subject and object does not fit",
    ),
    (
        "ASK { VALUES ?o { <http://b> <http://c> } <http://a> <http://p> ?o }",
        "VALUES with other than one row does not fit",
    ),
    (
        "ASK { VALUES (?s ?o) { (<http://a> UNDEF) } ?s <http://p> ?o }",
        "VALUES with UNDEF does not fit",
    ),
    (
        "ASK { VALUES ?x { <http://b> } <http://a> <http://p> ?o }",
        "VALUES binds a variable the triple pattern does not have",
    ),
    (
        "ASK { VALUES ?o { <http://b> } VALUES ?o { <http://c> } <http://a> <http://p> ?o }",
        "VALUES binds a variable twice",
    ),
    (
        "ASK { { SELECT (SUM(?o) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= 1) }",
        "an aggregate other than COUNT does not fit",
    ),
    (
        "ASK { { SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= 1) }",
        "COUNT(DISTINCT …) (the pipeline counts statements) does not fit",
    ),
    (
        "ASK { { SELECT (COUNT(?x) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= 1) }",
        "COUNT of a variable the triple pattern does not have",
    ),
    (
        r#"ASK { ?s <http://p> ?o FILTER(regex(?o, "a")) }"#,
        "FILTER REGEX(?o, \"a\") (the ops decide",
    ),
    (
        "ASK { ?s <http://p> ?o FILTER(?s > 3) }",
        "FILTER (?s > \"3\"^^<http://www.w3.org/2001/XMLSchema#integer>) (",
    ),
    (
        r#"ASK { ?s <http://p> ?o FILTER(?o > "abc") }"#,
        "FILTER (?o > \"abc\") (",
    ),
    (
        r#"ASK { ?s <http://p> ?o FILTER(?o > "x"^^<http://www.w3.org/2001/XMLSchema#integer>) }"#,
        "FILTER (?o > \"x\"^^",
    ),
    (
        "ASK { ?s <http://p> ?o FILTER(?o != 3) }",
        "FILTER !(?o = \"3\"^^<http://www.w3.org/2001/XMLSchema#integer>) (",
    ),
    (
        "ASK { ?s <http://p> ?o FILTER(?o > 1 && ?o < 5) }",
        "more than one condition",
    ),
    (
        "ASK { ?s <http://p> ?o FILTER(?o > 1) FILTER(?o < 5) }",
        "more than one condition",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o FILTER(?o > 1) } } FILTER(?n >= 2) }",
        "more than one condition",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= 2.5) }",
        "the count threshold 2.5 (write an integer, e.g. 3) does not fit",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n >= ?n) }",
        "the count threshold ?n (",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { <http://a> <http://p> ?o } } FILTER(?n < 0) }",
        "a count comparison no count satisfies (a count is never below 0) does not fit",
    ),
    (
        "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s <http://p> <http://b> } } FILTER(?n = -1) }",
        "a count comparison no count satisfies",
    ),
    (
        "SELECT ?o ?s WHERE { ?s <http://p> ?o }",
        "a SELECT of other than the object variable does not fit",
    ),
    (
        "CONSTRUCT { ?s <http://q> ?o } WHERE { ?s <http://p> ?o }",
        "a CONSTRUCT template other than one triple",
    ),
    (
        "CONSTRUCT { ?o <http://q> <http://c> } WHERE { ?s <http://p> ?o }",
        "a CONSTRUCT template other than one triple",
    ),
    (
        "ASK { ?s <http://p> ?o }",
        "this combination of form, constants and condition does not fit",
    ),
];

#[test]
fn every_refusal_names_the_construct_and_lists_the_shapes() {
    let mut wrong = Vec::new();
    for (query, start) in REFUSED {
        let message = refusal(query);
        if !message.starts_with(start) {
            wrong.push(format!(
                "{query}:\n  {}",
                message.split(" does not fit").next().unwrap()
            ));
        }
        assert!(
            message.contains("the shapes that do are: ASK { <s> <p> ?o } (ask_sp); ")
                && message.ends_with("(either may be fixed) (construct8)"),
            "{query}:\n{message}"
        );
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn having_on_ask_with_more_after_it_gets_the_parsers_message_and_how_to_write_a_count() {
    let message = refusal("ASK { <http://a> <http://p> ?o } HAVING (COUNT(*) >= 3) LIMIT 1");
    assert!(
        message.starts_with("not valid SPARQL: at line 1, column "),
        "{message}"
    );
    assert!(
        message.ends_with(
            "(HAVING on ASK is read when nothing follows it; a count may also be written \
             ASK { { SELECT (COUNT(*) AS ?n) WHERE { <s> <p> ?o } } FILTER(?n >= k) })"
        ),
        "{message}"
    );
}

/// `knhk hooks` on a hook file with `text`: its error message.
fn hooks_error(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hooks.toml");
    std::fs::write(&path, text).unwrap();
    let error = hooks(
        &HooksOptions {
            hooks: Some(path.clone()),
        },
        &mut Vec::new(),
    )
    .unwrap_err();
    error
        .to_string()
        .strip_prefix(&path.display().to_string())
        .expect("the message starts with the file")
        .to_owned()
}

#[test]
fn a_malformed_query_is_placed_at_its_line_and_column_in_the_hook_file() {
    let text = "[[hook]]\nname = \"ok\"\nkind = \"ask_sp\"\npredicate = \"<http://p>\"\nsubject = \"<http://a>\"\n\n\
                [[hook]]\nname = \"bad\"\nsparql = \"\"\"\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n\
                ASK { <http://a> foaf:knows }\n\"\"\"\n";
    let message = hooks_error(text);
    // The query's line 2, column 29 (the `}` where an object belongs) is the file's line 11.
    assert!(
        message.starts_with(
            ":11:29: hook `bad`: `sparql`: not valid SPARQL: at line 2, column 29 of the query: expected one of"
        ),
        "{message}"
    );
}

#[test]
fn a_malformed_one_line_query_is_placed_after_its_opening_quote() {
    let message = hooks_error("[[hook]]\nname = \"bad\"\nsparql = 'ASK { <http://a> }'\n");
    // Column 11 of the file is the query's first character; its column 18 is the file's 28.
    assert!(
        message.starts_with(":3:28: hook `bad`: `sparql`: not valid SPARQL: at line 1, column 18"),
        "{message}"
    );
}

#[test]
fn a_query_with_escapes_is_placed_at_its_field() {
    let message = hooks_error("[[hook]]\nname = \"bad\"\nsparql = \"ASK {\\t<http://a> }\"\n");
    assert!(
        message.starts_with(":3:10: hook `bad`: `sparql`: not valid SPARQL: at line 1, column 18"),
        "{message}"
    );
}

#[test]
fn a_refused_query_is_placed_at_its_field() {
    let message = hooks_error("[[hook]]\nname = \"bad\"\nsparql = '''\nASK { ?s ?p ?o }'''\n");
    assert!(
        message.starts_with(":3:10: hook `bad`: `sparql`: a variable predicate does not fit"),
        "{message}"
    );
}

#[test]
fn a_hook_with_both_forms_is_refused() {
    let message = hooks_error(
        "[[hook]]\nname = \"both\"\nsparql = 'ASK { <http://a> <http://p> ?o }'\nsubject = \"<http://a>\"\n",
    );
    assert_eq!(
        message,
        ":4:11: hook `both`: `sparql` replaces `subject`; give the query or the fields, not both"
    );
    let message = hooks_error(
        "[[hook]]\nname = \"both\"\nkind = \"ask_sp\"\nsparql = 'ASK { <http://a> <http://p> ?o }'\n",
    );
    assert!(
        message.starts_with(":3:8: hook `both`: `sparql` replaces `kind`"),
        "{message}"
    );
}

#[test]
fn a_hook_with_neither_form_is_refused() {
    let message = hooks_error("[[hook]]\nname = \"none\"\npredicate = \"<http://p>\"\n");
    assert_eq!(
        message,
        ":2:8: hook `none` has neither `kind` nor `sparql`: give one"
    );
}

#[test]
fn knhk_hooks_prints_each_hook_as_the_kind_form_it_runs_as() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let mut out = Vec::new();
    let options = HooksOptions {
        hooks: Some(format!("{dir}/data/hooks-sparql.toml").into()),
    };
    hooks(&options, &mut out).unwrap();
    let printed = String::from_utf8(out).unwrap();
    assert!(
        printed.contains(
            "# compiled from `sparql`\n[[hook]]\nname = \"alice-knows-three\"\nkind = \"count_sp_ge\"\n\
             predicate = \"<http://xmlns.com/foaf/0.1/knows>\"\nsubject = \"<http://example.org/alice>\"\nk = 3\n"
        ),
        "{printed}"
    );
    // What it prints is a hook file that runs as the query did.
    let reprinted = parse_hook_file(&printed, "printed.toml").unwrap();
    let data = knhk_pipeline::SAMPLE_DATA.as_bytes();
    let original = parse_hook_file(
        &std::fs::read_to_string(format!("{dir}/data/hooks-sparql.toml")).unwrap(),
        "s",
    )
    .unwrap();
    assert_eq!(run(&reprinted, data), run(&original, data));
}

#[test]
fn the_knhk_binary_prints_the_compiled_hooks() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_knhk"))
        .args(["hooks", &format!("{dir}/data/hooks-sparql.toml")])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let printed = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        printed.matches("# compiled from `sparql`").count(),
        10,
        "{printed}"
    );
    assert!(printed.contains("name = \"person-0-knows-over-60\"\nkind = \"count_sp_ge\""));
}

#[test]
fn an_error_on_a_term_a_query_compiled_to_points_at_the_query() {
    let text = "[[hook]]\nname = \"h\"\nsparql = 'ASK { <http://a> <http://p> ?o }'\n";
    let (_, spans) = knhk_pipeline::hooks::parse_hook_file_with_spans(text, "h.toml").unwrap();
    let error = knhk_pipeline::hooks::HookError::BlankNode {
        hook: "h".into(),
        field: "subject",
    };
    assert_eq!(spans.locate(0, &error).unwrap().to_string(), "h.toml:3:10");
}

#[test]
fn a_bad_term_in_a_multi_line_string_is_placed_at_its_character() {
    let message = hooks_error(
        "[[hook]]\nname = \"h\"\nkind = \"ask_sp\"\npredicate = \"<http://p>\"\nsubject = '''\n<http://a b>'''\n",
    );
    // The space in the IRI: line 6, column 10.
    assert!(
        message.starts_with(":6:10: hook `h`: `subject` is not a valid term"),
        "{message}"
    );
}
