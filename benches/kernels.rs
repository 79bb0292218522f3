//! The KNHK hot-path kernels on pooled SoA blocks (`RunTripleLanes`: predicate and length in
//! the first cache line, subjects and objects in the next two) against the best array-of-
//! structs equivalent (the branchless loop over `(s, p, o)` rows) on the same triples, with the
//! working set in L1 (64 blocks, 12 KiB) and beyond L2 (65,536 blocks, 12 MiB).
//!
//! In L1 the blocks are held as one guard each, as the pipeline holds them. Beyond L2 they are
//! one `Pool::acquire_slice` (adjacent slots of the pool, walked in address order), run by the
//! eager kernels and by the streamed ones (`kernels::streamed`: the objects and the length
//! read only when the answer needs them), and both layouts are also timed with a software
//! prefetch of the lines they will read [`PREFETCH_AHEAD`] blocks ahead; the 65,536 separate
//! guards stay as a row of their own.
//!
//! Before criterion's groups, it prints each kernel's amortised ticks per block evaluation
//! (`rdtsc`, the median of 201 timed batches of 64 blocks in L1): the figure the 8-tick budget is
//! about, with the streamed kernels' (on one slice of 64 blocks) beside it. Results are in BENCHMARKS.md (`## kernels`).

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use knhk_pipeline::arch::{self, LaneIsa, LaneWork};
use knhk_pipeline::block::{EncodedTriple, RunTriple, RunTripleLanes, HOT_LANES};
use knhk_pipeline::dictionary::TermId;
use knhk_pipeline::generate::SplitMix64;
use knhk_pipeline::kernels::{compare, datatype, lookup, streamed};
use knhk_pipeline::numeric::{Comparison, NumericConstant, NumericKind};
use knhk_pipeline::ops::{DatatypeCheck, Filter};
use lanepool::arch::{prefetch_read, select_address};
use lanepool::{Guard, SliceGuard};

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

/// The triples in one slice of adjacent pooled blocks.
fn pooled_slice<'pool>(
    pool: &'pool lanepool::Pool<RunTripleLanes>,
    rows: &[EncodedTriple],
) -> SliceGuard<'pool, RunTripleLanes> {
    let mut blocks = pool
        .acquire_slice(rows.len().div_ceil(HOT_LANES))
        .expect("a fresh pool holds its slots adjacent");
    for (block, chunk) in blocks.iter_mut().zip(rows.chunks(HOT_LANES)) {
        for &row in chunk {
            block.push(RunTriple::from(row)).expect("8 rows of one run");
        }
    }
    blocks
}

/// How far ahead (in blocks of 8 triples, 192 bytes in either layout) the prefetching loops ask
/// for the lines they will read: 6 KiB, about the latency of an L3 read at this loop's speed
/// (16 to 64 measured alike beyond L2; 8 and fewer, less).
const PREFETCH_AHEAD: usize = 32;

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

    /// The streamed SoA kernel `name` (`kernels::streamed`) over every block: the total match
    /// count, the same as [`Kernels::soa_blocks`]'s.
    #[inline(always)]
    fn streamed_blocks<'b, I: LaneIsa>(
        &self,
        isa: I,
        name: &str,
        blocks: impl Iterator<Item = &'b RunTripleLanes>,
    ) -> u64 {
        let mut total = 0;
        for block in blocks {
            let matched = match name {
                "ask_sp" => streamed::match_s(isa, block, SUBJECT),
                "ask_spo" => streamed::match_so(isa, block, SUBJECT, OBJECT),
                "ask_op" => streamed::match_o(isa, block, OBJECT),
                "compare_o_gt" => {
                    let test = compare::value_test(&self.greater_than, Filter::ANY);
                    streamed::match_value(isa, block, test).hot
                }
                "validate_datatype_sp" => {
                    let test =
                        datatype::value_test(&self.integer, Filter::equal(SUBJECT), Filter::ANY);
                    streamed::match_value(isa, block, test).hot
                }
                _ => unreachable!(),
            };
            total += u64::from(matched.count_ones());
        }
        total
    }

    /// As [`Kernels::streamed_blocks`] over adjacent blocks, asking ahead for the lines the
    /// kernel will read and no others. The line read whatever the block holds (the subjects,
    /// or the objects for a kernel without a subject) is asked for [`PREFETCH_AHEAD`] blocks
    /// ahead. A kernel that reads the objects only after a subject matched (`ask_spo`,
    /// `validate_datatype_sp`) asks for the subjects twice as far ahead instead, and
    /// [`PREFETCH_AHEAD`] blocks ahead, where that block's subjects have arrived, compares
    /// them and asks for its objects only if one matched (and, for `validate_datatype_sp`,
    /// whose hot lanes are most blocks with a subject match, its first line, with the length),
    /// the line chosen by [`select_address`] as the kernel chooses it: asking for every
    /// block's objects would fetch the third it skips, and waiting for them on demand stalls
    /// on each block with a match.
    #[inline(always)]
    fn streamed_prefetching<I: LaneIsa>(
        &self,
        isa: I,
        name: &str,
        blocks: &[RunTripleLanes],
    ) -> u64 {
        let (subjects, staged, first_line) = match name {
            "ask_sp" => (true, false, false),
            "ask_spo" => (true, true, false),
            "validate_datatype_sp" => (true, true, true),
            "ask_op" | "compare_o_gt" => (false, false, false),
            _ => unreachable!(),
        };
        let mut total = 0;
        for (i, block) in blocks.iter().enumerate() {
            if staged {
                if let Some(far) = blocks.get(i + 2 * PREFETCH_AHEAD) {
                    prefetch_read(far.s_lanes());
                }
                if let Some(near) = blocks.get(i + PREFETCH_AHEAD) {
                    let subjects = near.s_lanes();
                    let matched = isa.eq_mask(subjects, SUBJECT);
                    prefetch_read(select_address(matched, near.o_lanes(), subjects));
                    if first_line {
                        prefetch_read(select_address(matched, near, block));
                    }
                }
            } else if let Some(ahead) = blocks.get(i + PREFETCH_AHEAD) {
                if subjects {
                    prefetch_read(ahead.s_lanes());
                } else {
                    prefetch_read(ahead.o_lanes());
                }
            }
            total += self.streamed_blocks(isa, name, core::iter::once(block));
        }
        total
    }

    /// As [`Kernels::soa_blocks`] over adjacent blocks, asking for the lines the kernel reads
    /// (the first, with the length, and the subject or object lanes it compares)
    /// [`PREFETCH_AHEAD`] blocks ahead. Prefetching the line a kernel skips costs bandwidth
    /// (measured: 1.28x slower beyond L2 for `ask_sp`), so each kernel names its own.
    #[inline(always)]
    fn soa_prefetching<I: LaneIsa>(&self, isa: I, name: &str, blocks: &[RunTripleLanes]) -> u64 {
        let (subjects, objects) = match name {
            "ask_sp" => (true, false),
            "ask_op" | "compare_o_gt" => (false, true),
            "ask_spo" | "validate_datatype_sp" => (true, true),
            _ => unreachable!(),
        };
        let mut total = 0;
        for (i, block) in blocks.iter().enumerate() {
            if let Some(ahead) = blocks.get(i + PREFETCH_AHEAD) {
                prefetch_read(ahead);
                if subjects {
                    prefetch_read(ahead.s_lanes());
                }
                if objects {
                    prefetch_read(ahead.o_lanes());
                }
            }
            total += self.soa_blocks(isa, name, core::iter::once(block));
        }
        total
    }

    /// [`Kernels::aos`] in chunks of 64 rows (24 cache lines), each asking for every line of
    /// the chunk [`PREFETCH_AHEAD`] blocks ahead (the same distance in bytes as the SoA loop).
    #[inline(always)]
    fn aos_prefetching<I: LaneIsa>(&self, isa: I, name: &str, rows: &[EncodedTriple]) -> u64 {
        const CHUNK: usize = 64;
        const LINES: usize = CHUNK * size_of::<EncodedTriple>() / 64;
        let mut total = 0;
        for (i, chunk) in rows.chunks(CHUNK).enumerate() {
            if let Some(ahead) = rows.get((i + PREFETCH_AHEAD / 8) * CHUNK..) {
                for line in 0..LINES {
                    if let Some(row) = ahead.get(line * 64 / size_of::<EncodedTriple>()) {
                        prefetch_read(row);
                    }
                }
            }
            total += self.aos(isa, name, chunk);
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
        fn aos_fn(name: &str) -> AosFn {
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

/// One batch over adjacent blocks or rows, one non-inlined function per kernel under the
/// runtime dispatch, as `entry_points!` writes them for the guards.
macro_rules! batch_fn {
    ($name:expr, $input:ty, |$k:ident, $isa:ident, $blocks:ident, $kernel:ident| $body:expr) => {
        batch_fn!(@each $name, $input, |$k, $isa, $blocks, $kernel| $body;
            "ask_sp", "ask_spo", "ask_op", "compare_o_gt", "validate_datatype_sp")
    };
    (@each $name:expr, $input:ty, |$k:ident, $isa:ident, $blocks:ident, $kernel:ident| $body:expr;
        $($literal:literal),*) => {
        match $name {
            $($literal => {
                #[inline(never)]
                fn run(k: &Kernels, blocks: &$input) -> u64 {
                    struct Work<'a>(&'a Kernels, &'a $input);
                    impl LaneWork for Work<'_> {
                        type Output = u64;
                        #[inline(always)]
                        fn run<I: LaneIsa>(self, $isa: I) -> u64 {
                            let ($k, $blocks, $kernel) = (self.0, self.1, $literal);
                            $body
                        }
                    }
                    arch::with_best_lanes(Work(k, blocks))
                }
                run as fn(&Kernels, &$input) -> u64
            })*
            _ => unreachable!(),
        }
    };
}

/// A kernel's batch over adjacent SoA blocks.
type SoaSliceFn = fn(&Kernels, &[RunTripleLanes]) -> u64;
/// A kernel's batch over AoS rows.
type AosFn = fn(&Kernels, &[EncodedTriple]) -> u64;

/// The SoA kernel over adjacent blocks (a slice guard), in address order.
fn soa_slice_fn(name: &str) -> SoaSliceFn {
    batch_fn!(name, [RunTripleLanes], |k, isa, blocks, kernel| k
        .soa_blocks(isa, kernel, blocks.iter()))
}

/// The same, prefetching.
fn soa_prefetch_fn(name: &str) -> SoaSliceFn {
    batch_fn!(name, [RunTripleLanes], |k, isa, blocks, kernel| k
        .soa_prefetching(isa, kernel, blocks))
}

/// The streamed SoA kernel over adjacent blocks, in address order.
fn streamed_slice_fn(name: &str) -> SoaSliceFn {
    batch_fn!(name, [RunTripleLanes], |k, isa, blocks, kernel| k
        .streamed_blocks(isa, kernel, blocks.iter()))
}

/// The same, prefetching.
fn streamed_prefetch_fn(name: &str) -> SoaSliceFn {
    batch_fn!(name, [RunTripleLanes], |k, isa, blocks, kernel| k
        .streamed_prefetching(isa, kernel, blocks))
}

/// The AoS loop, prefetching.
fn aos_prefetch_fn(name: &str) -> AosFn {
    batch_fn!(name, [EncodedTriple], |k, isa, rows, kernel| k
        .aos_prefetching(isa, kernel, rows))
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
    let slice_pool = RunTripleLanes::pool(BLOCKS);
    let slice = pooled_slice(&slice_pool, &rows);
    let k = Kernels::new();
    eprintln!(
        "\nticks per block evaluation ({}, {} lanes; median of 201 batches of {BLOCKS} blocks in L1)",
        arch::tick_source(),
        arch::best_lanes()
    );
    eprintln!(
        "{:<22} {:>5} {:>5} {:>8}",
        "kernel", "SoA", "AoS", "streamed"
    );
    for name in KERNELS {
        let (soa, aos, streamed) = (soa_fn(name), aos_fn(name), streamed_slice_fn(name));
        assert_eq!(
            soa(&k, &blocks),
            aos(&k, &rows),
            "{name}: SoA and AoS disagree"
        );
        assert_eq!(streamed(&k, &slice), aos(&k, &rows), "{name}: streamed");
        let soa_ticks = ticks_per_block(BLOCKS, || soa(&k, black_box(&blocks)));
        let aos_ticks = ticks_per_block(BLOCKS, || aos(&k, black_box(&rows)));
        let streamed_ticks = ticks_per_block(BLOCKS, || streamed(&k, black_box(&slice)));
        eprintln!("{name:<22} {soa_ticks:>5} {aos_ticks:>5} {streamed_ticks:>8}");
    }
}

/// `KERNELS_PROFILE=<kernel>/<layout>/<L1|beyond_L2>` runs that one function 1000 times (L1)
/// or 10 times (beyond L2) and exits, for `valgrind --tool=callgrind` / `cachegrind`. Layouts:
/// `soa` (one guard per block), `soa_slice` and `soa_slice_prefetch` (one slice guard, eager
/// kernels), `streamed_slice` and `streamed_slice_prefetch` (the same, streamed kernels), `aos`
/// and `aos_prefetch`.
fn profile_and_exit() {
    let Ok(which) = std::env::var("KERNELS_PROFILE") else {
        return;
    };
    let parts: Vec<&str> = which.split('/').collect();
    let [name, layout, place] = parts[..] else {
        panic!("KERNELS_PROFILE=<kernel>/<layout>/<L1|beyond_L2>, not {which}");
    };
    let (blocks, repeats) = if place == "L1" {
        (64, 1000)
    } else {
        (65_536, 10)
    };
    let rows = triples(blocks);
    let pool = RunTripleLanes::pool(blocks);
    let k = Kernels::new();
    let run: Box<dyn Fn() -> u64> = match layout {
        "soa" => {
            let guards = pooled(&pool, &rows);
            Box::new(move || soa_fn(name)(&k, black_box(&guards)))
        }
        "soa_slice" | "soa_slice_prefetch" | "streamed_slice" | "streamed_slice_prefetch" => {
            let slice = pooled_slice(&pool, &rows);
            let run = match layout {
                "soa_slice" => soa_slice_fn(name),
                "soa_slice_prefetch" => soa_prefetch_fn(name),
                "streamed_slice" => streamed_slice_fn(name),
                _ => streamed_prefetch_fn(name),
            };
            Box::new(move || run(&k, black_box(&slice)))
        }
        "aos" => Box::new(|| aos_fn(name)(&k, black_box(&rows))),
        "aos_prefetch" => Box::new(|| aos_prefetch_fn(name)(&k, black_box(&rows))),
        _ => panic!("layout {layout}"),
    };
    let total: u64 = (0..repeats).map(|_| run()).sum();
    println!("{which}: {total} matches over {repeats} runs");
    std::process::exit(0);
}

fn kernels(c: &mut Criterion) {
    profile_and_exit();
    print_ticks();
    let k = Kernels::new();
    in_l1(c, &k);
    beyond_l2(c, &k);
}

/// 64 blocks, each held as a guard (as the pipeline holds them), against the AoS loop.
fn in_l1(c: &mut Criterion, k: &Kernels) {
    const BLOCKS: usize = 64;
    let rows = triples(BLOCKS);
    let pool = RunTripleLanes::pool(BLOCKS);
    let guards = pooled(&pool, &rows);
    for name in KERNELS {
        let (soa, aos) = (soa_fn(name), aos_fn(name));
        assert_eq!(soa(k, &guards), aos(k, &rows), "{name}");
        let mut group = c.benchmark_group(format!("{name}/L1"));
        group.throughput(Throughput::Elements(rows.len() as u64));
        group.bench_with_input(BenchmarkId::new("soa_pooled", BLOCKS), &guards, |b, g| {
            b.iter(|| soa(k, black_box(g)))
        });
        group.bench_with_input(BenchmarkId::new("aos_branchless", BLOCKS), &rows, |b, r| {
            b.iter(|| aos(k, black_box(r)))
        });
        group.finish();
    }
}

/// 65,536 blocks (12 MiB per layout): one slice of adjacent pooled blocks, run by the streamed
/// and the eager kernels, with and without a prefetch, and the same triples as 65,536 separate
/// guards; the AoS loop with and without.
fn beyond_l2(c: &mut Criterion, k: &Kernels) {
    const BLOCKS: usize = 65_536;
    let rows = triples(BLOCKS);
    let slice_pool = RunTripleLanes::pool(BLOCKS);
    let slice = pooled_slice(&slice_pool, &rows);
    let guard_pool = RunTripleLanes::pool(BLOCKS);
    let guards = pooled(&guard_pool, &rows);
    for name in KERNELS {
        let aos = aos_fn(name);
        let expected = aos(k, &rows);
        let soa_rows: [(&str, SoaSliceFn); 4] = [
            ("soa_streamed_prefetch", streamed_prefetch_fn(name)),
            ("soa_streamed", streamed_slice_fn(name)),
            ("soa_pooled_prefetch", soa_prefetch_fn(name)),
            ("soa_pooled", soa_slice_fn(name)),
        ];
        let aos_rows: [(&str, AosFn); 2] = [
            ("aos_branchless_prefetch", aos_prefetch_fn(name)),
            ("aos_branchless", aos),
        ];
        assert_eq!(soa_fn(name)(k, &guards), expected, "{name}: guards");
        for (id, run) in soa_rows {
            assert_eq!(run(k, &slice), expected, "{name}: {id}");
        }
        for (id, run) in aos_rows {
            assert_eq!(run(k, &rows), expected, "{name}: {id}");
        }
        let mut group = c.benchmark_group(format!("{name}/beyond_L2"));
        group.throughput(Throughput::Elements(rows.len() as u64));
        for (id, run) in soa_rows {
            group.bench_with_input(BenchmarkId::new(id, BLOCKS), &*slice, |b, blocks| {
                b.iter(|| run(k, black_box(blocks)))
            });
        }
        group.bench_with_input(
            BenchmarkId::new("soa_pooled_guards", BLOCKS),
            &guards,
            |b, guards| b.iter(|| soa_fn(name)(k, black_box(guards))),
        );
        for (id, run) in aos_rows {
            group.bench_with_input(BenchmarkId::new(id, BLOCKS), &rows, |b, rows| {
                b.iter(|| run(k, black_box(rows)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, kernels);
criterion_main!(benches);
