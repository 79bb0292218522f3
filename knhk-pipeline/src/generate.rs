//! Synthetic social + product graph in N-Triples, for benchmarks and the bundled sample
//! (`knhk gen --triples N [--seed S]`).
//!
//! [`generate`] writes exactly `triples` lines, each a well-formed N-Triples 1.1 statement
//! `<s> <p> o .\n`. The output depends only on [`GenerateOptions`]: the same options give
//! byte-identical output on every platform (a std-only `SplitMix64` generator, integer
//! arithmetic only, no hashing of addresses, no floating point).
//!
//! # Population
//!
//! - `people = max(1, N / 20)` persons, `<http://example.org/person/{i}>`, `i < people`;
//! - `products = max(1, N / 50)` products, `<http://example.org/product/{i}>`, `i < products`.
//!
//! (Both are 0 for `N = 0`.) The numbered paths never collide with hand-written IRIs such as
//! `<http://example.org/alice>`.
//!
//! # Predicates
//!
//! Each line's predicate is drawn with Zipf weights (`1/rank`, exponent 1) over ten predicates,
//! so the most common is 10x the rarest:
//!
//! | rank | predicate            | subject → object                      | share  |
//! |------|----------------------|---------------------------------------|--------|
//! | 1    | `foaf:knows`         | person (skewed) → person              | 34.1 % |
//! | 2    | `rdf:type`           | person or product → class             | 17.1 % |
//! | 3    | `schema:purchased`   | person (skewed) → product             | 11.4 % |
//! | 4    | `schema:rating`      | product → `xsd:integer`               |  8.5 % |
//! | 5    | `foaf:name`          | person → string (escapes, non-ASCII)  |  6.8 % |
//! | 6    | `schema:age`         | person → `xsd:integer`                |  5.7 % |
//! | 7    | `schema:price`       | product → `xsd:integer` (cents)       |  4.9 % |
//! | 8    | `ex:follows`         | person (skewed) → person              |  4.3 % |
//! | 9    | `schema:name`        | product → language-tagged string      |  3.8 % |
//! | 10   | `schema:description` | product → string, some language-tagged |  3.4 % |
//!
//! `ex:` is `http://example.org/vocab/`. `schema:purchased`, `schema:rating` and `schema:age`
//! are not schema.org terms; they are kept in the `http://schema.org/` namespace because the
//! bundled sample's hand-written header uses `schema:age`.
//!
//! **Skewed subjects** (`knows`, `purchased`, `follows`): half of the draws are
//! uniform, the other half pick a bit length `b` uniformly in `0..=bits(n)` and then an index
//! uniformly below `min(2^b, n)` — a log-uniform (Zipf-like, density ≈ `1/x`) choice that makes
//! the lowest-numbered entities hubs (entity 0 gets roughly `1 / (bits(n) + 1)` of the draws,
//! about 6 % for 50 000 people). The `j`-th object of a given skewed subject comes from a
//! permutation of the object range indexed by `j`, so a subject never repeats an object until
//! it has used them all (and `knows`/`follows` never point a person at itself when there are
//! two or more people).
//!
//! **Attribute predicates** (`type`, `rating`, `foaf:name`, `age`, `price`, `schema:name`,
//! `description`) visit their subjects round-robin in a fixed scrambled order, so every entity
//! gets each attribute about `share · N / population` times (1–5 times); the `c`-th visit
//! picks the `c`-th value of a per-entity cycle, so repeated visits give different values.
//! The first `rdf:type` of every person is `foaf:Person` and of every product `schema:Product`.
//!
//! Duplicate triples are therefore rare (they come only from a random draw repeating, or from a
//! subject that exhausts its object range, which needs a tiny `N`).
//!
//! **Literals**: integers are canonical `xsd:integer` lexical forms; ratings are `0..=100`
//! with about 2 % negative; ages `18..=87`, about 1.5 % in `100..=119`; prices `99..=100_098`
//! cents, about 1 % around `10^9`, and about 0.4 % beyond the pipeline's inline-integer range
//! (`10^18 + x`, inside `i64`, or `10^20 + x`, outside `i64`). Strings include quotes,
//! backslashes, newlines and tabs (written as `\"`, `\\`, `\n`, `\t`), raw non-ASCII UTF-8
//! (`Zoë`, `李娜`, an emoji) and language tags (`"Chaise"@fr`, `"Bonjour"@fr`, `@pt-BR`).
//!
//! # Cost
//!
//! Output goes through an internal 64 KiB [`BufWriter`], built from precomputed pieces with a
//! hand-written integer formatter: no allocation per line. Memory: one `u32` occurrence counter
//! per (skewed predicate, person), about `0.6` bytes per requested triple.

use std::io::{self, BufWriter, Write};

use crate::dictionary::IntegerText;

/// Options for the synthetic dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenerateOptions {
    /// Number of N-Triples lines to write.
    pub triples: u64,
    /// Seed of the pseudo-random generator; the same seed gives the same output.
    pub seed: u64,
}

/// What [`generate`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenerateReport {
    /// Lines (triples) written: always `options.triples`.
    pub triples: u64,
    /// Size of the person population (`person/0` .. `person/{people-1}`); with a small `N`
    /// not every person necessarily appears.
    pub people: u64,
    /// Size of the product population (`product/0` .. `product/{products-1}`).
    pub products: u64,
    /// Triples per predicate, by prefixed name (`"foaf:knows"`, …), in rank order (most
    /// common first), every predicate listed even with a count of 0. The counts sum to
    /// `triples`.
    pub per_predicate: Vec<(&'static str, u64)>,
}

/// Prefixed name, predicate IRI (as written, with `<>`), Zipf weight (`2520 / rank`).
const PREDICATES: [(&str, &str, u64); 10] = [
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

const KNOWS: usize = 0;
const TYPE: usize = 1;
const PURCHASED: usize = 2;
const RATING: usize = 3;
const FOAF_NAME: usize = 4;
const AGE: usize = 5;
const PRICE: usize = 6;
const FOLLOWS: usize = 7;
const PRODUCT_NAME: usize = 8;
const DESCRIPTION: usize = 9;

const TOTAL_WEIGHT: u64 = {
    let mut sum = 0;
    let mut i = 0;
    while i < PREDICATES.len() {
        sum += PREDICATES[i].2;
        i += 1;
    }
    sum
};

const PERSON_PREFIX: &[u8] = b"<http://example.org/person/";
const PRODUCT_PREFIX: &[u8] = b"<http://example.org/product/";
const INTEGER_SUFFIX: &[u8] = b"\"^^<http://www.w3.org/2001/XMLSchema#integer> .\n";
const END: &[u8] = b" .\n";

/// `rdf:type` objects; the `c`-th type of a person is `PERSON_CLASSES[c % 4]`.
const PERSON_CLASSES: [&str; 4] = [
    "<http://xmlns.com/foaf/0.1/Person>",
    "<http://schema.org/Person>",
    "<http://example.org/vocab/Customer>",
    "<http://example.org/vocab/Reviewer>",
];
const PRODUCT_CLASSES: [&str; 4] = [
    "<http://schema.org/Product>",
    "<http://example.org/vocab/Item>",
    "<http://schema.org/Thing>",
    "<http://example.org/vocab/Discounted>",
];

/// `foaf:name` values (raw; escaped once at start-up).
const NAMES: [&str; 16] = [
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
const LANGS: [&str; 4] = ["en", "fr", "de", "pt-BR"];
const PRODUCT_NAMES: [[&str; 4]; 8] = [
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
const DESCRIPTIONS: [(&str, Option<&str>); 10] = [
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

/// SplitMix64 (Steele, Lea & Flood, 2014): a 64-bit state advanced by the golden-ratio
/// increment and scrambled by a fixed mixer. Small, fast, passes BigCrush, and fully specified,
/// so output is reproducible everywhere. Not cryptographic.
///
/// Also the seeded source of the crate's tests, benches and examples; public for them only
/// (hidden from the docs), not part of the API.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

impl SplitMix64 {
    /// The generator whose sequence `seed` fixes.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        mix64(self.state)
    }

    /// A value in `0..n` (`n >= 1`) by multiply-high (Lemire, without the rejection step:
    /// the bias is below `n / 2^64`, irrelevant here).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Zipf-like index in `0..n` (`n >= 1`): half uniform, half log-uniform (see module docs).
    fn skewed(&mut self, n: u64) -> u64 {
        let r = self.next_u64();
        if r & 1 == 0 {
            return self.below(n);
        }
        let bits = u64::from(64 - n.leading_zeros());
        let b = ((u128::from(r >> 1) * u128::from(bits + 1)) >> 63) as u32;
        let range = if b >= 64 { n } else { (1u64 << b).min(n) };
        self.below(range)
    }
}

/// SplitMix64's output mixer (a bijection on `u64`).
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// A multiplier coprime to `m`, so `j -> j * a mod m` permutes `0..m`; derived from `hint`.
fn coprime_multiplier(m: u64, hint: u64) -> u64 {
    if m <= 2 {
        return 1;
    }
    let mut a = hint % m;
    loop {
        if a == 0 {
            a = 1;
        }
        if gcd(a, m) == 1 {
            return a;
        }
        a = (a + 1) % m;
    }
}

/// `(offset + j * a) mod m` without overflow (`m >= 1`).
fn affine(offset: u64, j: u64, a: u64, m: u64) -> u64 {
    ((u128::from(offset) + u128::from(j) * u128::from(a)) % u128::from(m)) as u64
}

/// N-Triples `STRING_LITERAL_QUOTE` body of `raw` (canonical escapes; other characters raw).
fn escape(raw: &str) -> String {
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

/// Round-robin visitor of `0..n` in a scrambled order: visit `k` is entity
/// `(offset + k * a) mod n`, cycle `k / n`.
struct RoundRobin {
    n: u64,
    a: u64,
    offset: u64,
    k: u64,
}

impl RoundRobin {
    fn new(n: u64, rng: &mut SplitMix64) -> Self {
        let a = coprime_multiplier(n, rng.next_u64());
        let offset = rng.below(n);
        RoundRobin { n, a, offset, k: 0 }
    }

    /// `(entity, cycle)` of the next visit.
    fn next(&mut self) -> (u64, u64) {
        let k = self.k;
        self.k += 1;
        (affine(self.offset, k, self.a, self.n), k / self.n)
    }
}

/// Occurrence counters of one skewed predicate, one per subject.
fn counters(n: u64) -> io::Result<Vec<u32>> {
    let len = usize::try_from(n)
        .map_err(|_| io::Error::new(io::ErrorKind::OutOfMemory, "population too large"))?;
    Ok(vec![0; len])
}

/// Returns the current count for `i` and increments it.
fn bump(counts: &mut [u32], i: u64) -> u64 {
    let slot = &mut counts[i as usize];
    let j = *slot;
    *slot = j.saturating_add(1);
    u64::from(j)
}

struct Generator<W: Write> {
    out: BufWriter<W>,
    rng: SplitMix64,
    /// Seed-derived salt for per-entity attributes.
    salt: u64,
    people: u64,
    products: u64,
    /// Multipliers of the object permutations.
    knows_a: u64,
    follows_a: u64,
    purchased_a: u64,
    knows_seen: Vec<u32>,
    follows_seen: Vec<u32>,
    purchased_seen: Vec<u32>,
    /// `rdf:type` visits people then products.
    types: RoundRobin,
    ratings: RoundRobin,
    names: RoundRobin,
    ages: RoundRobin,
    prices: RoundRobin,
    product_names: RoundRobin,
    descriptions: RoundRobin,
    escaped_names: Vec<String>,
    escaped_descriptions: Vec<String>,
}

impl<W: Write> Generator<W> {
    fn new(seed: u64, people: u64, products: u64, out: W) -> io::Result<Self> {
        let mut rng = SplitMix64::new(seed);
        let salt = rng.next_u64();
        let knows_a = coprime_multiplier(people - 1, rng.next_u64());
        let follows_a = coprime_multiplier(people - 1, rng.next_u64());
        let purchased_a = coprime_multiplier(products, rng.next_u64());
        let types = RoundRobin::new(people + products, &mut rng);
        let ratings = RoundRobin::new(products, &mut rng);
        let names = RoundRobin::new(people, &mut rng);
        let ages = RoundRobin::new(people, &mut rng);
        let prices = RoundRobin::new(products, &mut rng);
        let product_names = RoundRobin::new(products, &mut rng);
        let descriptions = RoundRobin::new(products, &mut rng);
        Ok(Generator {
            out: BufWriter::with_capacity(1 << 16, out),
            rng,
            salt,
            people,
            products,
            knows_a,
            follows_a,
            purchased_a,
            knows_seen: counters(people)?,
            follows_seen: counters(people)?,
            purchased_seen: counters(people)?,
            types,
            ratings,
            names,
            ages,
            prices,
            product_names,
            descriptions,
            escaped_names: NAMES.iter().map(|s| escape(s)).collect(),
            escaped_descriptions: DESCRIPTIONS.iter().map(|(s, _)| escape(s)).collect(),
        })
    }

    /// A seed-dependent per-entity hash; `tag` separates attributes.
    fn hash(&self, entity: u64, tag: u64) -> u64 {
        mix64(entity ^ self.salt ^ tag.wrapping_mul(GOLDEN))
    }

    fn bytes(&mut self, b: &[u8]) -> io::Result<()> {
        self.out.write_all(b)
    }

    fn u64(&mut self, v: u64) -> io::Result<()> {
        self.out.write_all(IntegerText::unsigned(v).as_bytes())
    }

    fn person(&mut self, i: u64) -> io::Result<()> {
        self.bytes(PERSON_PREFIX)?;
        self.u64(i)?;
        self.bytes(b">")
    }

    fn product(&mut self, i: u64) -> io::Result<()> {
        self.bytes(PRODUCT_PREFIX)?;
        self.u64(i)?;
        self.bytes(b">")
    }

    /// `<subject-already-written> <p> ` — the predicate with its surrounding spaces.
    fn predicate(&mut self, p: usize) -> io::Result<()> {
        self.bytes(b" ")?;
        self.bytes(PREDICATES[p].1.as_bytes())?;
        self.bytes(b" ")
    }

    /// `"v"^^xsd:integer .\n` for a non-negative or negative `v`.
    fn integer_object(&mut self, v: i64) -> io::Result<()> {
        self.bytes(b"\"")?;
        if v < 0 {
            self.bytes(b"-")?;
        }
        self.u64(v.unsigned_abs())?;
        self.bytes(INTEGER_SUFFIX)
    }

    /// One line with predicate `p`.
    fn line(&mut self, p: usize) -> io::Result<()> {
        match p {
            KNOWS | FOLLOWS => {
                let s = self.rng.skewed(self.people);
                let (seen, a, tag) = if p == KNOWS {
                    (&mut self.knows_seen, self.knows_a, 1)
                } else {
                    (&mut self.follows_seen, self.follows_a, 2)
                };
                let j = bump(seen, s);
                let o = if self.people == 1 {
                    s
                } else {
                    // Skip `s` itself: an offset in 1..people from s.
                    let m = self.people - 1;
                    let step = 1 + affine(self.hash(s, tag) % m, j, a, m);
                    (s + step) % self.people
                };
                self.person(s)?;
                self.predicate(p)?;
                self.person(o)?;
                self.bytes(END)
            }
            PURCHASED => {
                let s = self.rng.skewed(self.people);
                let j = bump(&mut self.purchased_seen, s);
                let o = affine(
                    self.hash(s, 3) % self.products,
                    j,
                    self.purchased_a,
                    self.products,
                );
                self.person(s)?;
                self.predicate(p)?;
                self.product(o)?;
                self.bytes(END)
            }
            RATING => {
                let (s, c) = self.ratings.next();
                let v = if self.rng.below(50) == 0 {
                    -1 - c as i64
                } else {
                    // 37 is coprime to 101: distinct for the first 101 ratings of a product.
                    affine(self.hash(s, 4) % 101, c, 37, 101) as i64
                };
                self.product(s)?;
                self.predicate(p)?;
                self.integer_object(v)
            }
            TYPE => {
                let (e, c) = self.types.next();
                let class = if e < self.people {
                    self.person(e)?;
                    PERSON_CLASSES[(c % 4) as usize]
                } else {
                    self.product(e - self.people)?;
                    PRODUCT_CLASSES[(c % 4) as usize]
                };
                self.predicate(p)?;
                self.bytes(class.as_bytes())?;
                self.bytes(END)
            }
            FOAF_NAME => {
                let (s, c) = self.names.next();
                let i = ((self.hash(s, 5) + c) % NAMES.len() as u64) as usize;
                self.person(s)?;
                self.predicate(p)?;
                self.bytes(b"\"")?;
                // Index into the field directly so the borrow of `out` stays disjoint.
                self.out.write_all(self.escaped_names[i].as_bytes())?;
                self.bytes(b"\"")?;
                self.bytes(END)
            }
            AGE => {
                let (s, c) = self.ages.next();
                let v = if self.rng.below(64) == 0 {
                    100 + self.rng.below(20)
                } else {
                    // 13 is coprime to 70.
                    18 + affine(self.hash(s, 6) % 70, c, 13, 70)
                };
                self.person(s)?;
                self.predicate(p)?;
                self.integer_object(v as i64)
            }
            PRICE => {
                let (s, c) = self.prices.next();
                let h = self.hash(s, 7);
                self.product(s)?;
                self.predicate(p)?;
                match self.rng.below(500) {
                    0 | 1 => {
                        // Beyond the inline-integer range (2^59): inside i64 or beyond it.
                        let big = if (h ^ c) & 1 == 0 {
                            1_000_000_000_000_000_000u128
                        } else {
                            100_000_000_000_000_000_000u128
                        };
                        write!(
                            self.out,
                            "\"{}",
                            big + u128::from(h % 1_000_000_007) + u128::from(c)
                        )?;
                        self.bytes(INTEGER_SUFFIX)
                    }
                    2..=6 => self.integer_object(1_000_000_000 + (h % 1_000_000) as i64 + c as i64),
                    // 7919 is coprime to 100_000.
                    _ => self.integer_object(99 + affine(h % 100_000, c, 7919, 100_000) as i64),
                }
            }
            PRODUCT_NAME => {
                let (s, c) = self.product_names.next();
                let h = self.hash(s, 8);
                let kind = (h % PRODUCT_NAMES.len() as u64) as usize;
                let lang = (((h >> 32) + c) % LANGS.len() as u64) as usize;
                self.product(s)?;
                self.predicate(p)?;
                self.bytes(b"\"")?;
                self.bytes(PRODUCT_NAMES[kind][lang].as_bytes())?;
                self.bytes(b"\"@")?;
                self.bytes(LANGS[lang].as_bytes())?;
                self.bytes(END)
            }
            DESCRIPTION => {
                let (s, c) = self.descriptions.next();
                let i = ((self.hash(s, 9) + c) % DESCRIPTIONS.len() as u64) as usize;
                self.product(s)?;
                self.predicate(p)?;
                self.bytes(b"\"")?;
                self.out
                    .write_all(self.escaped_descriptions[i].as_bytes())?;
                self.bytes(b"\"")?;
                if let Some(lang) = DESCRIPTIONS[i].1 {
                    self.bytes(b"@")?;
                    self.bytes(lang.as_bytes())?;
                }
                self.bytes(END)
            }
            _ => unreachable!("predicate index out of range"),
        }
    }
}

/// Writes exactly `options.triples` N-Triples lines to `out`; the same options always give
/// byte-identical output. See the [module documentation](crate::generate) for the graph's shape.
///
/// Writes are buffered internally (pass the file or stdout lock directly; passing a
/// `BufWriter` also works). The only errors are `out`'s I/O errors (and `OutOfMemory` if the
/// population does not fit in `usize`).
pub fn generate<W: Write>(options: &GenerateOptions, out: W) -> io::Result<GenerateReport> {
    let n = options.triples;
    let (people, products) = if n == 0 {
        (0, 0)
    } else {
        ((n / 20).max(1), (n / 50).max(1))
    };
    let mut per_predicate: Vec<(&'static str, u64)> =
        PREDICATES.iter().map(|&(name, _, _)| (name, 0)).collect();
    if n > 0 {
        let mut cumulative = [0u64; PREDICATES.len()];
        let mut sum = 0;
        for (slot, &(_, _, w)) in cumulative.iter_mut().zip(PREDICATES.iter()) {
            sum += w;
            *slot = sum;
        }
        let mut g = Generator::new(options.seed, people, products, out)?;
        for _ in 0..n {
            let pick = g.rng.below(TOTAL_WEIGHT);
            let mut p = 0;
            while pick >= cumulative[p] {
                p += 1;
            }
            g.line(p)?;
            per_predicate[p].1 += 1;
        }
        g.out.flush()?;
    }
    Ok(GenerateReport {
        triples: n,
        people,
        products,
        per_predicate,
    })
}
