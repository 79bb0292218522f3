//! One hook per op, each written twice: as a SPARQL query and, by hand, in the `kind` form it
//! must compile to. Terms are those of the generated graph (`knhk gen`, seed 7).

use knhk_pipeline::hooks::{parse_hook_file, HookSpec};

/// A hook in both forms.
pub struct Case {
    /// The hook's name.
    pub name: &'static str,
    /// The op it must compile to.
    pub op: &'static str,
    /// The query.
    pub sparql: &'static str,
    /// The `kind` form's fields after `name`, as TOML.
    pub toml: &'static str,
}

const PREFIXES: &str = "PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX schema: <http://schema.org/>
PREFIX person: <http://example.org/person/>
PREFIX product: <http://example.org/product/>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
";

/// Every op at least once; some fire on the generated graph, some do not.
pub const CASES: &[Case] = &[
    Case {
        name: "ask-sp",
        op: "ask_sp",
        sparql: "ASK { person:13 foaf:knows ?o }",
        toml: r#"kind = "ask_sp"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/person/13>""#,
    },
    Case {
        name: "ask-sp-absent",
        op: "ask_sp",
        sparql: "ASK { product:20 foaf:knows ?friend }",
        toml: r#"kind = "ask_sp"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/product/20>""#,
    },
    Case {
        name: "ask-spo",
        op: "ask_spo",
        sparql: "ASK { person:13 schema:purchased product:20 }",
        toml: r#"kind = "ask_spo"
predicate = "<http://schema.org/purchased>"
subject = "<http://example.org/person/13>"
object = "<http://example.org/product/20>""#,
    },
    Case {
        name: "ask-op",
        op: "ask_op",
        sparql: "ASK { ?s a foaf:Person }",
        toml: r#"kind = "ask_op"
predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
object = "<http://xmlns.com/foaf/0.1/Person>""#,
    },
    Case {
        name: "count-sp-ge",
        op: "count_sp_ge",
        sparql: "ASK { { SELECT (COUNT(*) AS ?n) WHERE { person:13 foaf:knows ?o } } FILTER(?n >= 10) }",
        toml: r#"kind = "count_sp_ge"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/person/13>"
k = 10"#,
    },
    Case {
        name: "count-sp-ge-not",
        op: "count_sp_ge",
        sparql: "ASK { { SELECT (COUNT(?o) AS ?n) WHERE { person:13 foaf:knows ?o } } FILTER(?n > 1000) }",
        toml: r#"kind = "count_sp_ge"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/person/13>"
min = 1001"#,
    },
    Case {
        name: "count-sp-le",
        op: "count_sp_le",
        sparql: "ASK { { SELECT (COUNT(*) AS ?n) WHERE { person:13 foaf:knows ?o } } FILTER(?n < 11) }",
        toml: r#"kind = "count_sp_le"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
subject = "<http://example.org/person/13>"
k = 10"#,
    },
    Case {
        name: "count-sp-eq",
        op: "count_sp_eq",
        sparql: "ASK { { SELECT (COUNT(*) AS ?n) WHERE { person:13 schema:purchased ?o } } FILTER(7 = ?n) }",
        toml: r#"kind = "count_sp_eq"
predicate = "<http://schema.org/purchased>"
subject = "<http://example.org/person/13>"
k = 7"#,
    },
    Case {
        name: "count-op-ge",
        op: "count_op_ge",
        sparql: "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s a foaf:Person } } FILTER(?n >= 40) }",
        toml: r#"kind = "count_op_ge"
predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
object = "<http://xmlns.com/foaf/0.1/Person>"
k = 40"#,
    },
    Case {
        name: "count-op-le",
        op: "count_op_le",
        sparql: "ASK { { SELECT (COUNT(?s) AS ?n) WHERE { ?s a foaf:Person } } FILTER(?n <= 40) }",
        toml: r#"kind = "count_op_le"
predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
object = "<http://xmlns.com/foaf/0.1/Person>"
k = 40"#,
    },
    Case {
        name: "count-op-eq",
        op: "count_op_eq",
        sparql: "ASK { { SELECT (COUNT(*) AS ?n) WHERE { ?s schema:purchased product:20 } } FILTER(?n = 3) }",
        toml: r#"kind = "count_op_eq"
predicate = "<http://schema.org/purchased>"
object = "<http://example.org/product/20>"
k = 3"#,
    },
    Case {
        name: "unique-sp",
        op: "unique_sp",
        sparql: "ASK { { SELECT (COUNT(*) AS ?n) WHERE { person:13 schema:age ?o } } FILTER(?n = 1) }",
        toml: r#"kind = "unique_sp"
predicate = "<http://schema.org/age>"
subject = "<http://example.org/person/13>""#,
    },
    Case {
        name: "compare-o-eq",
        op: "compare_o_eq",
        sparql: "ASK { person:13 schema:age ?o FILTER(?o = 27.0) }",
        toml: r#"kind = "compare_o_eq"
predicate = "<http://schema.org/age>"
subject = "<http://example.org/person/13>"
value = '"27.0"^^<http://www.w3.org/2001/XMLSchema#decimal>'"#,
    },
    Case {
        name: "compare-o-gt",
        op: "compare_o_gt",
        sparql: "ASK { ?s schema:age ?o FILTER(?o > 6.4e1) }",
        toml: r#"kind = "compare_o_gt"
predicate = "<http://schema.org/age>"
value = '"6.4e1"^^<http://www.w3.org/2001/XMLSchema#double>'"#,
    },
    Case {
        name: "compare-o-lt",
        op: "compare_o_lt",
        sparql: "ASK { ?s schema:rating ?o FILTER(?o < -1) }",
        toml: r#"kind = "compare_o_lt"
predicate = "<http://schema.org/rating>"
value = '"-1"^^<http://www.w3.org/2001/XMLSchema#integer>'"#,
    },
    Case {
        name: "compare-o-ge",
        op: "compare_o_ge",
        sparql: "ASK { ?s schema:price ?o FILTER(50000 <= ?o) }",
        toml: r#"kind = "compare_o_ge"
predicate = "<http://schema.org/price>"
value = '"50000"^^<http://www.w3.org/2001/XMLSchema#integer>'"#,
    },
    Case {
        name: "compare-o-le",
        op: "compare_o_le",
        sparql: "ASK { person:13 schema:age ?o FILTER(?o <= 26.5) }",
        toml: r#"kind = "compare_o_le"
predicate = "<http://schema.org/age>"
subject = "<http://example.org/person/13>"
value = '"26.5"^^<http://www.w3.org/2001/XMLSchema#decimal>'"#,
    },
    Case {
        name: "validate-datatype-sp",
        op: "validate_datatype_sp",
        sparql: "ASK { person:13 schema:age ?o FILTER(datatype(?o) = xsd:integer) }",
        toml: r#"kind = "validate_datatype_sp"
predicate = "<http://schema.org/age>"
subject = "<http://example.org/person/13>"
datatype = "<http://www.w3.org/2001/XMLSchema#integer>""#,
    },
    Case {
        name: "validate-datatype-sp-string",
        op: "validate_datatype_sp",
        sparql: "ASK { person:13 foaf:name ?o FILTER(xsd:string = datatype(?o)) }",
        toml: r#"kind = "validate_datatype_sp"
predicate = "<http://xmlns.com/foaf/0.1/name>"
subject = "<http://example.org/person/13>"
datatype = "<http://www.w3.org/2001/XMLSchema#string>""#,
    },
    Case {
        name: "validate-datatype-spo",
        op: "validate_datatype_spo",
        sparql: "ASK { VALUES ?o { 27 } person:13 schema:age ?o FILTER(datatype(?o) = xsd:integer) }",
        toml: r#"kind = "validate_datatype_spo"
predicate = "<http://schema.org/age>"
subject = "<http://example.org/person/13>"
object = '"27"^^<http://www.w3.org/2001/XMLSchema#integer>'
datatype = "<http://www.w3.org/2001/XMLSchema#integer>""#,
    },
    Case {
        name: "select-sp",
        op: "select_sp",
        sparql: "SELECT ?o WHERE { person:13 schema:purchased ?o }",
        toml: r#"kind = "select_sp"
predicate = "<http://schema.org/purchased>"
subject = "<http://example.org/person/13>""#,
    },
    Case {
        name: "construct8",
        op: "construct8",
        sparql: "CONSTRUCT { ?s a foaf:Agent } WHERE { ?s foaf:knows person:13 }",
        toml: r#"kind = "construct8"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
object = "<http://example.org/person/13>"
construct_predicate = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
construct_object = "<http://xmlns.com/foaf/0.1/Agent>""#,
    },
    Case {
        name: "construct8-every-knower",
        op: "construct8",
        sparql: "CONSTRUCT { ?s schema:knowsSomeone true } WHERE { ?s foaf:knows ?o }",
        toml: r#"kind = "construct8"
predicate = "<http://xmlns.com/foaf/0.1/knows>"
construct_predicate = "<http://schema.org/knowsSomeone>"
construct_object = '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'"#,
    },
];

impl Case {
    /// The query with the shared prefixes before it.
    pub fn query(&self) -> String {
        format!("{PREFIXES}{}", self.sparql)
    }
}

/// The cases as one hook file, in SPARQL form.
pub fn sparql_hooks(cases: &[Case]) -> Vec<HookSpec> {
    let mut text = String::new();
    for case in cases {
        text.push_str(&format!(
            "[[hook]]\nname = \"{}\"\nsparql = '''\n{}'''\n\n",
            case.name,
            case.query()
        ));
    }
    parse_hook_file(&text, "sparql.toml").expect("the SPARQL hook file parses")
}

/// The cases as one hook file, in `kind` form.
pub fn toml_hooks(cases: &[Case]) -> Vec<HookSpec> {
    let mut text = String::new();
    for case in cases {
        text.push_str(&format!(
            "[[hook]]\nname = \"{}\"\n{}\n\n",
            case.name, case.toml
        ));
    }
    parse_hook_file(&text, "kind.toml").expect("the kind hook file parses")
}
