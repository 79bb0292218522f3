//! The generated graph's words: predicates and their weights, IRI pieces, classes, names and
//! descriptions.

/// Prefixed name, predicate IRI (as written, with `<>`), Zipf weight (`2520 / rank`).
pub(super) const PREDICATES: [(&str, &str, u64); 10] = [
    ("foaf:knows", "<http://xmlns.com/foaf/0.1/knows>", 2520),
    (
        "rdf:type",
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>",
        1260,
    ),
    ("schema:purchased", "<http://schema.org/purchased>", 840),
    ("schema:rating", "<http://schema.org/rating>", 630),
    ("foaf:name", "<http://xmlns.com/foaf/0.1/name>", 504),
    ("schema:age", "<http://schema.org/age>", 420),
    ("schema:price", "<http://schema.org/price>", 360),
    ("ex:follows", "<http://example.org/vocab/follows>", 315),
    ("schema:name", "<http://schema.org/name>", 280),
    ("schema:description", "<http://schema.org/description>", 252),
];

pub(super) const KNOWS: usize = 0;
pub(super) const TYPE: usize = 1;
pub(super) const PURCHASED: usize = 2;
pub(super) const RATING: usize = 3;
pub(super) const FOAF_NAME: usize = 4;
pub(super) const AGE: usize = 5;
pub(super) const PRICE: usize = 6;
pub(super) const FOLLOWS: usize = 7;
pub(super) const PRODUCT_NAME: usize = 8;
pub(super) const DESCRIPTION: usize = 9;

pub(super) const TOTAL_WEIGHT: u64 = {
    let mut sum = 0;
    let mut i = 0;
    while i < PREDICATES.len() {
        sum += PREDICATES[i].2;
        i += 1;
    }
    sum
};

pub(super) const PERSON_PREFIX: &[u8] = b"<http://example.org/person/";
pub(super) const PRODUCT_PREFIX: &[u8] = b"<http://example.org/product/";
pub(super) const INTEGER_SUFFIX: &[u8] = b"\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n";
pub(super) const END: &[u8] = b" .\n";

/// `rdf:type` objects; the `c`-th type of a person is `PERSON_CLASSES[c % 4]`.
pub(super) const PERSON_CLASSES: [&str; 4] = [
    "<http://xmlns.com/foaf/0.1/Person>",
    "<http://schema.org/Person>",
    "<http://example.org/vocab/Customer>",
    "<http://example.org/vocab/Reviewer>",
];
pub(super) const PRODUCT_CLASSES: [&str; 4] = [
    "<http://schema.org/Product>",
    "<http://example.org/vocab/Item>",
    "<http://schema.org/Thing>",
    "<http://example.org/vocab/Discounted>",
];

/// `foaf:name` values (raw; escaped once at start-up).
pub(super) const NAMES: [&str; 16] = [
    "Zoë Martin",
    "José García",
    "Björn Åkesson",
    "Łukasz Wróbel",
    "李娜",
    "Nguyễn Văn An",
    "Dana \"DJ\" Jones",
    "Renée O'Neil",
    "Sam Back\\slash",
    "Ørjan Ødegård",
    "Amélie Poulain",
    "Kwame Mensah",
    "Priya Sharma",
    "Grace\nHopper",
    "Emoji Fan 🎉",
    "Noah Smith",
];

/// Languages of product names, and product names per kind in those languages.
pub(super) const LANGS: [&str; 4] = ["en", "fr", "de", "pt-BR"];
pub(super) const PRODUCT_NAMES: [[&str; 4]; 8] = [
    ["Chair", "Chaise", "Stuhl", "Cadeira"],
    ["Lamp", "Lampe", "Leuchte", "Luminária"],
    ["Book", "Livre", "Buch", "Livro"],
    ["Mug", "Tasse", "Becher", "Caneca"],
    ["Bicycle", "Vélo", "Fahrrad", "Bicicleta"],
    ["Umbrella", "Parapluie", "Regenschirm", "Guarda-chuva"],
    ["Cheese", "Fromage", "Käse", "Queijo"],
    ["Keyboard", "Clavier", "Tastatur", "Teclado"],
];

/// `schema:description` values: raw text and optional language tag.
pub(super) const DESCRIPTIONS: [(&str, Option<&str>); 10] = [
    ("Bonjour", Some("fr")),
    ("Très bien, merci !", Some("fr")),
    ("Says \"best buy\" on the box", None),
    ("Stored under C:\\shop\\items", None),
    ("Line one\nLine two", None),
    ("Column A\tColumn B", None),
    ("Great for coffee ☕ and tea 🍵", Some("en")),
    ("Sehr gut für Käse", Some("de")),
    ("A plain description", None),
    ("Ótimo produto", Some("pt-BR")),
];

/// N-Triples `STRING_LITERAL_QUOTE` body of `raw` (canonical escapes; other characters raw).
pub(super) fn escape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 4);
    for c in raw.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out
}
