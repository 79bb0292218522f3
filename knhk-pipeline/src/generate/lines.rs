//! One N-Triples line at a time, for each predicate of the graph.

use std::io::{self, BufWriter, Write};

use super::rng::{mix64, SplitMix64, GOLDEN};
use super::scramble::{affine, bump, coprime_multiplier, counters, RoundRobin};
use super::vocabulary::{
    escape, AGE, DESCRIPTION, DESCRIPTIONS, END, FOAF_NAME, FOLLOWS, INTEGER_SUFFIX, KNOWS, LANGS,
    NAMES, PERSON_CLASSES, PERSON_PREFIX, PREDICATES, PRICE, PRODUCT_CLASSES, PRODUCT_NAME,
    PRODUCT_NAMES, PRODUCT_PREFIX, PURCHASED, RATING, TYPE,
};
use crate::dictionary::IntegerText;

pub(super) struct Generator<W: Write> {
    pub(super) out: BufWriter<W>,
    pub(super) rng: SplitMix64,
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
    pub(super) fn new(seed: u64, people: u64, products: u64, out: W) -> io::Result<Self> {
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
    pub(super) fn line(&mut self, p: usize) -> io::Result<()> {
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
