//! The KNHK hot-path kernels on pooled SoA blocks (`RunTripleLanes`: predicate and length in
//! the first cache line, subjects and objects in the next two) against the best array-of-
//! structs equivalent (the branchless loop over `(s, p, o)` rows) on the same triples, with the
//! working set in L1 (64 blocks, 12 KiB) and beyond L2 (65,536 blocks, 12 MiB).
//!
//! Before criterion's groups, it prints each kernel's amortised ticks per block evaluation
//! (`rdtsc`, the median of 201 timed batches of 64 blocks in L1): the figure the 8-tick budget is
//! about. Results are in BENCHMARKS.md (`## kernels`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use knhk_pipeline::arch::{self, LaneIsa, LaneWork};
use knhk_pipeline::block::{EncodedTriple, RunTriple, RunTripleLanes, HOT_LANES};
use knhk_pipeline::dictionary::TermId;
use knhk_pipeline::generate::SplitMix64;
use knhk_pipeline::kernels::{compare, datatype, lookup};
use knhk_pipeline::numeric::{Comparison, NumericConstant, NumericKind};
use knhk_pipeline::ops::{DatatypeCheck, Filter};
use lanepool::Guard;

const PREDICATE: u64 = 0x1000_0000_0000_0042;
const SUBJECT: u64 = 0x1000_0000_0000_0003;
const OBJECT: u64 = 0x1000_0000_0000_0105;

/// One predicate's run of `blocks * 8` triples: 8 subjects, objects a mix of IRIs and inline
/// integers, so every kernel finds about one match in eight lanes.
fn triples(blocks: usize) -> Vec<EncodedTriple> {
    let mut rng = SplitMix64::new(0x9e37_79b9_7f4a_7c15);
    let mut next = move || rng.next_u64();
    (0..blocks * HOT_LANES)
        .map(|_| {
            let r = next();
            let o = if r & 1 == 0 {
                0x1000_0000_0000_0100 + (r >> 8) % 8
            } else {
                TermId::from_inline_integer(((r >> 8) % 200) as i64 - 100)
                    .unwrap()
                    .to_u64()
            };
            EncodedTriple {
                s: 0x1000_0000_0000_0000 + (r >> 32) % 8,
                p: PREDICATE,
                o,
            }
        })
        .collect()
}

/// The triples in pooled hot blocks, held as guards (as the pipeline holds them).
fn pooled<'pool>(
    pool: &'pool lanepool::Pool<RunTripleLanes>,
    rows: &[EncodedTriple],
) -> Vec<Guard<'pool, RunTripleLanes>> {
    rows.chunks(HOT_LANES)
        .map(|chunk| {
            let mut block = pool.acquire().expect("the pool holds a block per chunk");
            for &row in chunk {
                block.push(RunTriple::from(row)).expect("8 rows of one run");
            }
            block
        })
        .collect()
}

/// The hot-path kernels and their best AoS equivalents: the same match, as a branchless count
/// over `(s, p, o)` rows.
struct Kernels {
    greater_than: NumericConstant,
    integer: DatatypeCheck,
}

impl Kernels {
    fn new() -> Self {
        let integer = NumericKind::Integer {
            min: None,
            max: None,
        };
        Kernels {
            greater_than: NumericConstant::new("90", integer, Comparison::Gt).unwrap(),
            integer: DatatypeCheck::new("http://www.w3.org/2001/XMLSchema#integer"),
        }
    }

    /// The SoA kernel `name` over every block: the total match count.
    #[inline(always)]
    fn soa<I: LaneIsa>(&self, isa: I, name: &str, blocks: &[Guard<'_, RunTripleLanes>]) -> u64 {
        self.soa_blocks(isa, name, blocks.iter().map(|guard| &**guard))
    }

    /// As [`Kernels::soa`], over any blocks.
    #[inline(always)]
    fn soa_blocks<'b, I: LaneIsa>(
        &self,
        isa: I,
        name: &str,
        blocks: impl Iterator<Item = &'b RunTripleLanes>,
    ) -> u64 {
        let mut total = 0;
        for block in blocks {
            let matched = match name {
                "ask_sp" => lookup::match_s(isa, block, SUBJECT),
                "ask_spo" => lookup::match_so(isa, block, SUBJECT, OBJECT),
                "ask_op" => lookup::match_o(isa, block, OBJECT),
                "compare_o_gt" => {
                    compare::match_compare(isa, block, &self.greater_than, Filter::ANY).hot
                }
                "validate_datatype_sp" => {
                    datatype::match_datatype(
                        isa,
                        block,
                        &self.integer,
                        Filter::equal(SUBJECT),
                        Filter::ANY,
                    )
                    .hot
                }
                _ => unreachable!(),
            };
            total += u64::from(matched.count_ones());
        }
        total
    }

    /// The branchless AoS equivalent of `name`: one compare per row, summed.
    #[inline(always)]
    fn aos<I: LaneIsa>(&self, _isa: I, name: &str, rows: &[EncodedTriple]) -> u64 {
        let (low, width) = (self.greater_than.inline_low, self.greater_than.inline_width);
        let tags = self.integer.tags;
        let one = |row: &EncodedTriple| -> bool {
            match name {
                "ask_sp" => row.s == SUBJECT,
                "ask_spo" => (row.s == SUBJECT) & (row.o == OBJECT),
                "ask_op" => row.o == OBJECT,
                "compare_o_gt" => row.o.wrapping_sub(low) <= width,
                "validate_datatype_sp" => (row.s == SUBJECT) & ((tags >> (row.o >> 60)) & 1 == 1),
                _ => unreachable!(),
            }
        };
        rows.iter().map(|row| u64::from(one(row))).sum()
    }
}

const KERNELS: [&str; 5] = [
    "ask_sp",
    "ask_spo",
    "ask_op",
    "compare_o_gt",
    "validate_datatype_sp",
];

// One non-inlined function per kernel and layout, so each is compiled (and profiled) alone,
// both under the same runtime dispatch (AVX2 when the CPU has it), as the pipeline runs them.
macro_rules! entry_points {
    ($($soa:ident, $aos:ident => $name:literal;)*) => {
        $(
            #[inline(never)]
            fn $soa(k: &Kernels, blocks: &[Guard<'_, RunTripleLanes>]) -> u64 {
                struct Work<'a, 'p>(&'a Kernels, &'a [Guard<'p, RunTripleLanes>]);
                impl LaneWork for Work<'_, '_> {
                    type Output = u64;
                    #[inline(always)]
                    fn run<I: LaneIsa>(self, isa: I) -> u64 { self.0.soa(isa, $name, self.1) }
                }
                arch::with_best_lanes(Work(k, blocks))
            }
            #[inline(never)]
            fn $aos(k: &Kernels, rows: &[EncodedTriple]) -> u64 {
                struct Work<'a>(&'a Kernels, &'a [EncodedTriple]);
                impl LaneWork for Work<'_> {
                    type Output = u64;
                    #[inline(always)]
                    fn run<I: LaneIsa>(self, isa: I) -> u64 { self.0.aos(isa, $name, self.1) }
                }
                arch::with_best_lanes(Work(k, rows))
            }
        )*
        fn soa_fn(name: &str) -> fn(&Kernels, &[Guard<'_, RunTripleLanes>]) -> u64 {
            match name { $($name => $soa,)* _ => unreachable!() }
        }
        fn aos_fn(name: &str) -> fn(&Kernels, &[EncodedTriple]) -> u64 {
            match name { $($name => $aos,)* _ => unreachable!() }
        }
    };
}

entry_points! {
    soa_ask_sp, aos_ask_sp => "ask_sp";
    soa_ask_spo, aos_ask_spo => "ask_spo";
    soa_ask_op, aos_ask_op => "ask_op";
    soa_compare_o_gt, aos_compare_o_gt => "compare_o_gt";
    soa_validate_datatype_sp, aos_validate_datatype_sp => "validate_datatype_sp";
}

/// A copy of a pooled block, outside the pool.
fn copy_of(block: &RunTripleLanes) -> RunTripleLanes {
    let mut copy = RunTripleLanes::new();
    copy.fill_from(&block.iter().collect::<Vec<_>>());
    copy
}

/// The SoA kernels over blocks in a plain `Vec` (not pooled), for the beyond-L2 comparison.
fn soa_vec_fn(name: &str) -> fn(&Kernels, &[RunTripleLanes]) -> u64 {
    macro_rules! vec_kernel {
        ($name:literal) => {{
            #[inline(never)]
            fn run(k: &Kernels, blocks: &[RunTripleLanes]) -> u64 {
                struct Work<'a>(&'a Kernels, &'a [RunTripleLanes]);
                impl LaneWork for Work<'_> {
                    type Output = u64;
                    #[inline(always)]
                    fn run<I: LaneIsa>(self, isa: I) -> u64 {
                        self.0.soa_blocks(isa, $name, self.1.iter())
                    }
                }
                arch::with_best_lanes(Work(k, blocks))
            }
            run
        }};
    }
    match name {
        "ask_sp" => vec_kernel!("ask_sp"),
        "ask_spo" => vec_kernel!("ask_spo"),
        "ask_op" => vec_kernel!("ask_op"),
        "compare_o_gt" => vec_kernel!("compare_o_gt"),
        "validate_datatype_sp" => vec_kernel!("validate_datatype_sp"),
        _ => unreachable!(),
    }
}

/// Median amortised ticks per block of `run` over `blocks` blocks (201 timed batches).
fn ticks_per_block(blocks: usize, mut run: impl FnMut() -> u64) -> u64 {
    let mut samples: Vec<u64> = (0..201)
        .map(|_| {
            let start = arch::ticks();
            black_box(run());
            arch::amortised(start, arch::ticks(), blocks as u64)
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn print_ticks() {
    const BLOCKS: usize = 64;
    let rows = triples(BLOCKS);
    let pool = RunTripleLanes::pool(BLOCKS);
    let blocks = pooled(&pool, &rows);
    let k = Kernels::new();
    eprintln!(
        "\nticks per block evaluation ({}, {} lanes; median of 201 batches of {BLOCKS} blocks in L1)",
        arch::tick_source(),
        arch::best_lanes()
    );
    eprintln!("{:<22} {:>5} {:>5}", "kernel", "SoA", "AoS");
    for name in KERNELS {
        let (soa, aos) = (soa_fn(name), aos_fn(name));
        assert_eq!(
            soa(&k, &blocks),
            aos(&k, &rows),
            "{name}: SoA and AoS disagree"
        );
        let soa_ticks = ticks_per_block(BLOCKS, || soa(&k, black_box(&blocks)));
        let aos_ticks = ticks_per_block(BLOCKS, || aos(&k, black_box(&rows)));
        eprintln!("{name:<22} {soa_ticks:>5} {aos_ticks:>5}");
    }
}

/// `KERNELS_PROFILE=<kernel>/<soa|aos>/<L1|beyond_L2>` runs that one function 1000 times
/// (L1) or 10 times (beyond L2) and exits, for `valgrind --tool=callgrind` / `cachegrind`.
fn profile_and_exit() {
    let Ok(which) = std::env::var("KERNELS_PROFILE") else {
        return;
    };
    let parts: Vec<&str> = which.split('/').collect();
    let [name, layout, place] = parts[..] else {
        panic!("KERNELS_PROFILE=<kernel>/<soa|aos>/<L1|beyond_L2>, not {which}");
    };
    let (blocks, repeats) = if place == "L1" {
        (64, 1000)
    } else {
        (65_536, 10)
    };
    let rows = triples(blocks);
    let pool = RunTripleLanes::pool(blocks);
    let soa_blocks = pooled(&pool, &rows);
    let k = Kernels::new();
    let mut total = 0;
    for _ in 0..repeats {
        total += match layout {
            "soa" => soa_fn(name)(&k, black_box(&soa_blocks)),
            "aos" => aos_fn(name)(&k, black_box(&rows)),
            _ => panic!("layout {layout}"),
        };
    }
    println!("{which}: {total} matches over {repeats} runs");
    std::process::exit(0);
}

fn kernels(c: &mut Criterion) {
    profile_and_exit();
    print_ticks();
    let k = Kernels::new();
    for (place, blocks) in [("L1", 64usize), ("beyond_L2", 65_536)] {
        let rows = triples(blocks);
        let pool = RunTripleLanes::pool(blocks);
        let soa_blocks = pooled(&pool, &rows);
        for name in KERNELS {
            let (soa, aos) = (soa_fn(name), aos_fn(name));
            assert_eq!(soa(&k, &soa_blocks), aos(&k, &rows), "{name}");
            let mut group = c.benchmark_group(format!("{name}/{place}"));
            group.throughput(Throughput::Elements(rows.len() as u64));
            group.bench_with_input(
                BenchmarkId::new("soa_pooled", blocks),
                &soa_blocks,
                |b, blocks| b.iter(|| soa(&k, black_box(blocks))),
            );
            if place != "L1" {
                // The same blocks in one Vec, in address order: what pooling costs beyond L2.
                let owned: Vec<RunTripleLanes> = soa_blocks.iter().map(|b| copy_of(b)).collect();
                assert_eq!(soa_vec_fn(name)(&k, &owned), aos(&k, &rows), "{name}");
                group.bench_with_input(BenchmarkId::new("soa_vec", blocks), &owned, |b, owned| {
                    b.iter(|| soa_vec_fn(name)(&k, black_box(owned)))
                });
            }
            group.bench_with_input(
                BenchmarkId::new("aos_branchless", blocks),
                &rows,
                |b, rows| b.iter(|| aos(&k, black_box(rows))),
            );
            group.finish();
        }
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
