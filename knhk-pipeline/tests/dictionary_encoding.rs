//! The dictionary: identity of terms, id layout, inline values, scoping, limits and output.

use std::collections::HashMap;

use knhk_pipeline::dictionary::{Dictionary, DictionaryError, IdTag, TermId, TermKind};
use knhk_pipeline::generate::SplitMix64;
use knhk_pipeline::ingest::{
    Format, IngestOptions, Literal, Term, TripleReader, XSD_BOOLEAN, XSD_DECIMAL, XSD_DOUBLE,
    XSD_INTEGER, XSD_STRING,
};

/// Deterministic draws from the crate's seeded generator.
struct Rng(SplitMix64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(SplitMix64::new(seed))
    }
    fn next(&mut self) -> u64 {
        self.0.next_u64()
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// An owned term in canonical form: the model the dictionary must agree with.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Owned {
    Iri(String),
    Blank(u64, String),
    Literal {
        value: String,
        datatype: String,
        language: Option<String>,
    },
}

impl Owned {
    fn term(&self) -> Term<'_> {
        match self {
            Owned::Iri(i) => Term::Iri(i),
            Owned::Blank(_, l) => Term::BlankNode(l),
            Owned::Literal {
                value,
                language: Some(lang),
                ..
            } => Term::Literal(Literal::lang_tagged(value, lang)),
            Owned::Literal {
                value, datatype, ..
            } => Term::Literal(Literal::typed(value, datatype)),
        }
    }
}

/// Small alphabets so that equal and nearly equal terms (same text, other kind, tag or
/// datatype) come up often.
fn random_term(rng: &mut Rng, scopes: u64) -> Owned {
    let text = |rng: &mut Rng| -> String {
        (0..rng.below(3))
            .map(|_| {
                rng.pick(&[
                    "a", "1", "-", "é", "\"", "\\", "\n", "\t", "\u{7}", " ", "0", "+", "true",
                ])
            })
            .collect()
    };
    match rng.below(4) {
        0 => Owned::Iri(format!(
            "http://ex.org/{}",
            rng.pick(&["a", "b", "1", "é", "%41"])
        )),
        1 => Owned::Blank(
            rng.below(scopes as usize) as u64,
            rng.pick(&["b1", "b2", "x.y"]).to_owned(),
        ),
        2 => Owned::Literal {
            value: text(rng),
            datatype: "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString".into(),
            // Lowercase in the model: the dictionary normalises tags to lower case.
            language: Some(rng.pick(&["en", "en-gb", "fr"]).to_owned()),
        },
        _ => {
            let value = match rng.below(3) {
                0 => text(rng),
                1 => (rng.next() as i64 >> rng.below(64)).to_string(),
                _ => rng
                    .pick(&["0", "-0", "01", "+1", "1", "true", "false", "1.5", "1e3"])
                    .to_owned(),
            };
            Owned::Literal {
                value,
                datatype: rng
                    .pick(&[
                        XSD_STRING,
                        XSD_INTEGER,
                        XSD_BOOLEAN,
                        XSD_DECIMAL,
                        XSD_DOUBLE,
                        "http://ex.org/dt",
                        "http://ex.org/a",
                    ])
                    .to_owned(),
                language: None,
            }
        }
    }
}

fn decoded_owned(dict: &Dictionary, id: TermId) -> Owned {
    let decoded = dict.decode(id).expect("issued id decodes");
    let scope = decoded.scope().map(|s| s.number());
    decoded.with_term(|t| match t {
        Term::Iri(i) => Owned::Iri(i.to_owned()),
        Term::BlankNode(l) => Owned::Blank(scope.expect("blank node has a scope"), l.to_owned()),
        Term::Literal(l) => Owned::Literal {
            value: l.value().to_owned(),
            datatype: l.datatype().to_owned(),
            language: l.language().map(str::to_owned),
        },
    })
}

#[test]
fn random_terms_round_trip_and_distinct_terms_get_distinct_ids() {
    let mut rng = Rng::new(42);
    let mut dict = Dictionary::new();
    let scopes: Vec<_> = (0..3).map(|_| dict.begin_document().unwrap()).collect();
    let mut model: HashMap<Owned, TermId> = HashMap::new();
    let mut ids: HashMap<TermId, Owned> = HashMap::new();
    for _ in 0..20_000 {
        let term = random_term(&mut rng, scopes.len() as u64);
        let scope = match &term {
            Owned::Blank(s, _) => scopes[*s as usize],
            _ => scopes[rng.below(scopes.len())],
        };
        let id = dict.encode(scope, term.term()).unwrap();
        assert_eq!(
            *model.entry(term.clone()).or_insert(id),
            id,
            "same term, new id: {term:?}"
        );
        assert_eq!(
            ids.entry(id).or_insert_with(|| term.clone()),
            &term,
            "two terms share {id:?}"
        );
        assert_eq!(decoded_owned(&dict, id), term);
        assert_eq!(dict.get(scope, term.term()), Some(id));
    }
    assert!(
        model.len() > 1000,
        "generator too narrow: {} distinct terms",
        model.len()
    );
}

#[test]
fn inline_integers_order_like_i64() {
    let mut rng = Rng::new(7);
    let edge = [
        TermId::INLINE_INTEGER_MIN,
        TermId::INLINE_INTEGER_MAX,
        -1,
        0,
        1,
    ];
    let mut values: Vec<i64> = edge.to_vec();
    values.extend((0..5000).map(|_| (rng.next() as i64) >> (4 + rng.below(60))));
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    for &a in &values {
        let text = a.to_string();
        let id_a = dict
            .encode(scope, Term::Literal(Literal::typed(&text, XSD_INTEGER)))
            .unwrap();
        assert_eq!(id_a.tag(), IdTag::IntegerInline);
        assert_eq!(id_a.inline_integer(), Some(a));
        assert_eq!(TermId::from_inline_integer(a), Some(id_a));
        let b = values[rng.below(values.len())];
        let id_b = TermId::from_inline_integer(b).unwrap();
        assert_eq!(id_a.cmp(&id_b), a.cmp(&b), "{a} vs {b}");
        assert_eq!(id_a.to_u64() < id_b.to_u64(), a < b);
    }
    assert_eq!(dict.len(), 0, "inline integers take no dictionary space");
}

#[test]
fn integers_outside_the_inline_range_are_stored_and_flagged() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    for v in [
        TermId::INLINE_INTEGER_MAX as i128 + 1,
        TermId::INLINE_INTEGER_MIN as i128 - 1,
        i64::MAX as i128,
        i128::from(u64::MAX) * 10,
    ] {
        let text = v.to_string();
        let id = dict
            .encode(scope, Term::Literal(Literal::typed(&text, XSD_INTEGER)))
            .unwrap();
        assert_eq!(id.tag(), IdTag::IntegerStored);
        assert!(id.is_integer() && id.is_literal());
        assert_eq!(id.inline_integer(), None);
        assert_eq!(
            decoded_owned(&dict, id),
            Owned::Literal {
                value: text,
                datatype: XSD_INTEGER.into(),
                language: None
            }
        );
    }
    assert_eq!(
        TermId::from_inline_integer(TermId::INLINE_INTEGER_MAX + 1),
        None
    );
}

#[test]
fn non_canonical_integers_are_distinct_terms_that_round_trip() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let forms = ["1", "01", "+1", "-0", "0", "00", " 1", "one"];
    let ids: Vec<TermId> = forms
        .iter()
        .map(|f| {
            dict.encode(scope, Term::Literal(Literal::typed(f, XSD_INTEGER)))
                .unwrap()
        })
        .collect();
    for (i, (form, id)) in forms.iter().zip(&ids).enumerate() {
        assert!(id.is_integer(), "{form}");
        assert!(!ids[..i].contains(id), "{form} collides");
        let back = dict.decode(*id).unwrap().with_term(|t| t.to_string());
        assert_eq!(back, format!("\"{form}\"^^<{XSD_INTEGER}>"));
    }
    assert_eq!(ids[0].inline_integer(), Some(1));
    assert_eq!(ids[4].inline_integer(), Some(0));
    assert!(ids[1..4].iter().all(|id| id.tag() == IdTag::IntegerStored));
}

#[test]
fn booleans_inline_when_canonical() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let mut enc = |v: &str| {
        dict.encode(scope, Term::Literal(Literal::typed(v, XSD_BOOLEAN)))
            .unwrap()
    };
    let (t, f, one) = (enc("true"), enc("false"), enc("1"));
    assert_eq!(
        (t.inline_boolean(), f.inline_boolean()),
        (Some(true), Some(false))
    );
    assert_eq!(one.tag(), IdTag::BooleanStored);
    assert!(t.is_boolean() && one.is_boolean() && !t.is_integer());
    assert_eq!(
        dict.decode(t).unwrap().to_string(),
        format!("\"true\"^^<{XSD_BOOLEAN}>")
    );
}

#[test]
fn decimal_and_double_are_flagged_by_tag() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let d = dict
        .encode(scope, Term::Literal(Literal::typed("1.5", XSD_DECIMAL)))
        .unwrap();
    let e = dict
        .encode(scope, Term::Literal(Literal::typed("1.5", XSD_DOUBLE)))
        .unwrap();
    assert_eq!((d.tag(), e.tag()), (IdTag::Decimal, IdTag::Double));
    assert_ne!(d, e);
}

#[test]
fn language_tags_and_datatypes_make_distinct_terms() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let mut enc = |l: Literal<'_>| dict.encode(scope, Term::Literal(l)).unwrap();
    let ids = [
        enc(Literal::simple("a")),
        enc(Literal::lang_tagged("a", "en")),
        enc(Literal::lang_tagged("a", "fr")),
        enc(Literal::lang_tagged("a", "en-GB")),
        enc(Literal::typed("a", "http://ex.org/dt")),
        enc(Literal::typed("a", "http://ex.org/other")),
    ];
    for (i, id) in ids.iter().enumerate() {
        assert!(!ids[..i].contains(id), "literal {i} collides");
        assert!(id.is_literal());
    }
    let iri = dict.encode(scope, Term::Iri("a")).unwrap();
    let blank = dict.encode(scope, Term::BlankNode("a")).unwrap();
    assert!(!ids.contains(&iri) && !ids.contains(&blank) && iri != blank);
    assert_eq!(
        (iri.kind(), blank.kind(), ids[0].kind()),
        (TermKind::Iri, TermKind::BlankNode, TermKind::Literal)
    );
}

#[test]
fn language_tags_compare_case_insensitively_and_decode_lowercase() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let upper = dict
        .encode(
            scope,
            Term::Literal(Literal::lang_tagged("colour", "en-GB")),
        )
        .unwrap();
    let lower = dict
        .encode(
            scope,
            Term::Literal(Literal::lang_tagged("colour", "en-gb")),
        )
        .unwrap();
    assert_eq!(upper, lower);
    assert_eq!(dict.decode(upper).unwrap().to_string(), "\"colour\"@en-gb");
}

#[test]
fn simple_literal_and_xsd_string_literal_are_one_term() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let plain = dict
        .encode(scope, Term::Literal(Literal::simple("a")))
        .unwrap();
    let typed = dict
        .encode(scope, Term::Literal(Literal::typed("a", XSD_STRING)))
        .unwrap();
    assert_eq!(plain, typed);
    assert_eq!(plain.tag(), IdTag::SimpleLiteral);
}

#[test]
fn blank_nodes_are_scoped_to_their_document() {
    let mut dict = Dictionary::new();
    let (doc1, doc2) = (
        dict.begin_document().unwrap(),
        dict.begin_document().unwrap(),
    );
    let a1 = dict.encode(doc1, Term::BlankNode("b1")).unwrap();
    let a1_again = dict.encode(doc1, Term::BlankNode("b1")).unwrap();
    let a2 = dict.encode(doc2, Term::BlankNode("b1")).unwrap();
    assert_eq!(a1, a1_again);
    assert_ne!(a1, a2);
    // IRIs and literals are not scoped.
    assert_eq!(
        dict.encode(doc1, Term::Iri("http://x/")).unwrap(),
        dict.encode(doc2, Term::Iri("http://x/")).unwrap()
    );
    // Written out, the two blank nodes stay apart.
    assert_ne!(
        dict.display(a1).unwrap().to_string(),
        dict.display(a2).unwrap().to_string()
    );
    assert_eq!(
        dict.decode(a2).unwrap().as_borrowed(),
        Some(Term::BlankNode("b1"))
    );
}

#[test]
fn full_dictionary_is_an_error_not_a_panic() {
    let mut dict = Dictionary::with_capacity_limit(2);
    let scope = dict.begin_document().unwrap();
    let a = dict.encode(scope, Term::Iri("http://x/a")).unwrap();
    dict.encode(scope, Term::Iri("http://x/b")).unwrap();
    assert_eq!(
        dict.encode(scope, Term::Iri("http://x/c")),
        Err(DictionaryError::Full { capacity: 2 })
    );
    // Known and inline terms still encode.
    assert_eq!(dict.encode(scope, Term::Iri("http://x/a")), Ok(a));
    assert!(dict
        .encode(scope, Term::Literal(Literal::typed("5", XSD_INTEGER)))
        .is_ok());
    // A literal of a new datatype needs two slots (the datatype IRI, the literal): no room.
    assert!(dict
        .encode(scope, Term::Literal(Literal::typed("v", "http://x/dt")))
        .is_err());
    assert_eq!(dict.len(), 2);
}

#[test]
fn ids_not_issued_by_the_dictionary_do_not_decode() {
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let iri = dict.encode(scope, Term::Iri("http://x/a")).unwrap();
    assert!(TermId::from_u64(0).is_none(), "tag 0 is reserved");
    assert!(TermId::from_u64(0xF << 60).is_none());
    let forged = TermId::from_u64(iri.to_u64() + 1).unwrap();
    assert!(dict.decode(forged).is_none());
    // Same index, other tag: not the IRI's entry.
    let wrong_tag = TermId::from_u64((IdTag::SimpleLiteral as u64) << 60 | iri.payload()).unwrap();
    assert!(dict.decode(wrong_tag).is_none());
}

#[test]
fn written_terms_parse_back_to_the_same_term() {
    let mut rng = Rng::new(99);
    let mut dict = Dictionary::new();
    let scope = dict.begin_document().unwrap();
    let mut doc = String::new();
    let mut expected = Vec::new();
    for _ in 0..2000 {
        let term = random_term(&mut rng, 1);
        if let Owned::Literal { .. } = term {
            let id = dict.encode(scope, term.term()).unwrap();
            doc.push_str(&format!(
                "<http://s/> <http://p/> {} .\n",
                dict.display(id).unwrap()
            ));
            expected.push(id);
        }
    }
    let mut got = Vec::new();
    TripleReader::new(doc.as_bytes(), Format::NTriples, IngestOptions::default())
        .for_each_triple(|t| got.push(dict.encode(scope, t.object).unwrap()))
        .unwrap_or_else(|e| panic!("written N-Triples did not parse: {e}"));
    assert_eq!(got, expected);
}

#[test]
fn terms_hashed_beforehand_get_the_ids_that_encode_gives() {
    // Two dictionaries fed the same terms in the same order, one through `encode`, the other
    // through `encode_hashed` with hashes from its `TermHasher` (as parser threads compute
    // them), must issue the same ids, whichever path sees a term first.
    let long_tag = format!("en-{}", "Abcdefgh-".repeat(9).trim_end_matches('-'));
    let terms: Vec<Term<'_>> = vec![
        Term::Iri("http://a.example/s"),
        Term::BlankNode("b1"),
        Term::Literal(Literal::simple("plain")),
        Term::Literal(Literal::typed("plain", XSD_STRING)),
        Term::Literal(Literal::lang_tagged("colour", "en-GB")),
        Term::Literal(Literal::lang_tagged("colour", "en-gb")),
        Term::Literal(Literal::lang_tagged("long", &long_tag)),
        Term::Literal(Literal::lang_tagged("long", "en-abcdefgh-abcdefgh")),
        Term::Literal(Literal::typed("42", XSD_INTEGER)),
        Term::Literal(Literal::typed("042", XSD_INTEGER)),
        Term::Literal(Literal::typed("99999999999999999999999", XSD_INTEGER)),
        Term::Literal(Literal::typed("true", XSD_BOOLEAN)),
        Term::Literal(Literal::typed("1", XSD_BOOLEAN)),
        Term::Literal(Literal::typed("1.5", XSD_DECIMAL)),
        Term::Literal(Literal::typed("1e5", XSD_DOUBLE)),
        Term::Literal(Literal::typed("x", "http://a.example/datatype")),
        Term::Iri("http://a.example/datatype"),
    ];
    let mut plain = Dictionary::new();
    let mut hashed = Dictionary::new();
    let hasher = hashed.term_hasher();
    let scopes = [
        (
            plain.begin_document().unwrap(),
            hashed.begin_document().unwrap(),
        ),
        (
            plain.begin_document().unwrap(),
            hashed.begin_document().unwrap(),
        ),
    ];
    for round in 0..2 {
        for (plain_scope, hashed_scope) in scopes {
            for (i, &term) in terms.iter().enumerate() {
                // Alternate which way a term first arrives in the hashed dictionary.
                let expected = plain.encode(plain_scope, term).unwrap();
                let actual = if (i + round) % 3 == 0 {
                    hashed.encode(hashed_scope, term).unwrap()
                } else {
                    hashed
                        .encode_hashed(hashed_scope, term, hasher.hash(term))
                        .unwrap()
                };
                assert_eq!(actual, expected, "{term:?}, round {round}");
            }
        }
    }
    assert_eq!(hashed.len(), plain.len());
    assert_eq!(hashed.text_bytes(), plain.text_bytes());
}
