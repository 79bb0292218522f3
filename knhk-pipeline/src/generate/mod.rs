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
//! Output goes through an internal 64 KiB [`BufWriter`](std::io::BufWriter), built from precomputed pieces with a
//! hand-written integer formatter: no allocation per line. Memory: one `u32` occurrence counter
//! per (skewed predicate, person), about `0.6` bytes per requested triple.
//!
//! # Files
//! - `vocabulary.rs`: the predicates with their weights, and the words the lines are made of.
//! - `rng.rs`: the seeded SplitMix64 source every choice is drawn from.
//! - `scramble.rs`: the fixed permutations and round-robin visits built on it.
//! - `lines.rs`: writes one line for a chosen predicate; this file picks the predicates.

mod lines;
mod rng;
mod scramble;
mod vocabulary;

use std::io::{self, Write};

use lines::Generator;
#[doc(hidden)]
pub use rng::SplitMix64;
use vocabulary::{PREDICATES, TOTAL_WEIGHT};

/// The most triples [`generate`] writes: its counters take about 0.6 bytes per triple (3 GB
/// here), held for the whole run. A larger request is refused before anything is written,
/// rather than failing to allocate.
pub const MAX_TRIPLES: u64 = 5_000_000_000;

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

/// Writes exactly `options.triples` N-Triples lines to `out`; the same options always give
/// byte-identical output. See the [module documentation](crate::generate) for the graph's shape.
///
/// Writes are buffered internally (pass the file or stdout lock directly; passing a
/// `BufWriter` also works). The errors are `out`'s I/O errors, and `OutOfMemory` for more
/// than [`MAX_TRIPLES`] (before anything is written) or if the counters cannot be allocated.
pub fn generate<W: Write>(options: &GenerateOptions, out: W) -> io::Result<GenerateReport> {
    let n = options.triples;
    if n > MAX_TRIPLES {
        return Err(io::Error::new(
            io::ErrorKind::OutOfMemory,
            "more triples than the generator writes (generate::MAX_TRIPLES)",
        ));
    }
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
