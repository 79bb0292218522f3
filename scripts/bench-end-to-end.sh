#!/usr/bin/env bash
# End-to-end timing of `knhk run` against serd (`serdi`) and raptor (`rapper`) on the same
# generated data, whole process, medians of several runs, side by side in one run.
#
#   scripts/bench-end-to-end.sh            # 1M triples, 5 runs each
#   TRIPLES=200000 RUNS=3 scripts/bench-end-to-end.sh
#
# Installs serdi and rapper with apt where missing (and hyperfine if Debian has it; without
# it, a plain loop takes the medians). Builds knhk in release, generates
# `knhk gen --triples $TRIPLES --seed 7` and its Turtle version (`serdi -i ntriples -o turtle`),
# then prints Markdown tables: median wall seconds and mean CPU seconds per tool, and knhk's
# time as a ratio of serdi's and rapper's. N-Triples runs twice: default threads and `--threads 1`.
# NO_HYPERFINE=1 forces the loop. BENCH_DIR (default target/bench-end-to-end) keeps the generated
# files and hyperfine's CSVs between runs. Outputs go to /dev/null for every tool (knhk prints only
# its summary). The figures and the machine they were measured on are in BENCHMARKS.md.
set -euo pipefail

TRIPLES="${TRIPLES:-1000000}"
RUNS="${RUNS:-5}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-$ROOT/target/bench-end-to-end}"
cd "$ROOT"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

apt_updated=0
install_if_missing() { # command, Debian package
    command -v "$1" >/dev/null 2>&1 && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "bench-end-to-end: $1 is missing and there is no apt-get; install $2" >&2
        return 1
    fi
    if [ "$apt_updated" -eq 0 ]; then
        as_root apt-get update -qq
        apt_updated=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

install_if_missing serdi serdi
install_if_missing rapper raptor2-utils
if [ -z "${NO_HYPERFINE:-}" ]; then
    install_if_missing hyperfine hyperfine || echo "bench-end-to-end: no hyperfine; timing with a loop" >&2
fi

cargo build --release -p knhk-pipeline --bin knhk
KNHK="$ROOT/target/release/knhk"

mkdir -p "$WORK"
NT="$WORK/gen-$TRIPLES-seed7.nt"
TTL="$WORK/gen-$TRIPLES-seed7.ttl"
[ -s "$NT" ] || "$KNHK" gen --triples "$TRIPLES" --seed 7 --output "$NT"
[ -s "$TTL" ] || serdi -i ntriples -o turtle "$NT" >"$TTL"

# measure NAME COMMAND...: prints "<median wall s> <mean user+sys CPU s>" over $RUNS runs after
# 1 warm-up. CPU time is the steadier figure on a shared machine: wall time there includes
# waiting for a core.
measure() {
    local name="$1"
    shift
    if [ -z "${NO_HYPERFINE:-}" ] && command -v hyperfine >/dev/null 2>&1; then
        local csv="$WORK/$name.csv"
        hyperfine --style none -N --warmup 1 --runs "$RUNS" --output null \
            --export-csv "$csv" "$(printf '%q ' "$@")" >/dev/null
        # Columns: command,mean,stddev,median,user,system,min,max
        awk -F, 'NR == 2 { printf "%.3f %.3f\n", $4, $5 + $6 }' "$csv"
    else
        "$@" >/dev/null
        local times=()
        for _ in $(seq "$RUNS"); do
            local start end
            start=$(date +%s.%N)
            "$@" >/dev/null
            end=$(date +%s.%N)
            times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
        done
        printf '%s\n' "${times[@]}" | sort -g | awk '{ t[NR] = $1 } END {
            if (NR % 2) m = t[(NR + 1) / 2]; else m = (t[NR / 2] + t[NR / 2 + 1]) / 2
            printf "%.3f n/a\n", m }'
    fi
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2fx", a / b; else printf "n/a" }'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
read -r knhk_nt knhk_nt_cpu < <(measure knhk-nt "$KNHK" run "$NT")
read -r knhk_nt1 knhk_nt1_cpu < <(measure knhk-nt-1-thread "$KNHK" run --threads 1 "$NT")
read -r serdi_nt serdi_nt_cpu < <(measure serdi-nt serdi -i ntriples -o ntriples "$NT")
read -r rapper_nt rapper_nt_cpu < <(measure rapper-nt rapper -q -i ntriples -o ntriples "$NT")
read -r knhk_ttl knhk_ttl_cpu < <(measure knhk-ttl "$KNHK" run "$TTL")
read -r serdi_ttl serdi_ttl_cpu < <(measure serdi-ttl serdi -i turtle -o ntriples "$TTL")
read -r rapper_ttl rapper_ttl_cpu < <(measure rapper-ttl rapper -q -i turtle -o ntriples "$TTL")

echo
echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load before: $load_before"
echo "$TRIPLES triples ($(du -h "$NT" | cut -f1) N-Triples, $(du -h "$TTL" | cut -f1) Turtle), median of $RUNS runs after 1 warm-up"
echo
# table KNHK_NT KNHK_NT1 SERDI_NT RAPPER_NT KNHK_TTL SERDI_TTL RAPPER_TTL: one Markdown table.
table() {
    row() { echo "| $1 | $2 | $3 | $4 | $(ratio "$2" "$3") | $(ratio "$2" "$4") |"; }
    echo "| input | knhk run (s) | serdi (s) | rapper (s) | knhk / serdi | knhk / rapper |"
    echo "|---|---|---|---|---|---|"
    row "N-Triples" "$1" "$3" "$4"
    row "N-Triples, \`--threads 1\`" "$2" "$3" "$4"
    row "Turtle" "$5" "$6" "$7"
}
table "$knhk_nt" "$knhk_nt1" "$serdi_nt" "$rapper_nt" "$knhk_ttl" "$serdi_ttl" "$rapper_ttl"
echo
echo "CPU time (user + system, mean of the same runs):"
echo
table "$knhk_nt_cpu" "$knhk_nt1_cpu" "$serdi_nt_cpu" "$rapper_nt_cpu" "$knhk_ttl_cpu" "$serdi_ttl_cpu" "$rapper_ttl_cpu"
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
