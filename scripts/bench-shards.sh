#!/usr/bin/env bash
# Sharded runs against one run, whole process, alternating, on the same generated data:
#   1. `knhk run` (default threads) against examples/spark/knhk_spark.py with 16 shards on
#      Spark local[2] (each task `--threads 1`), Spark's start-up timed apart (the script's
#      --timings);
#   2. the per-shard overhead: `knhk run --threads 1` against the same run as one shard with
#      its manifest (`--shard 0/1 --manifest`: the bytes read hashed, each hook's receipts
#      merged, the commits' tree), and against the 16 shards run one after another.
#
#   scripts/bench-shards.sh                    # 1M triples, 10 alternating runs each
#   TRIPLES=200000 RUNS=3 scripts/bench-shards.sh
#
# Needs pyspark in target/venv and a JDK (as .ci/run installs them). Prints one line per run
# (milliseconds) and the medians with their ranges. BENCH_DIR (default target/bench-shards)
# keeps the generated file.
set -euo pipefail

TRIPLES="${TRIPLES:-1000000}"
RUNS="${RUNS:-10}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${BENCH_DIR:-$ROOT/target/bench-shards}"
PYTHON="${KNHK_PYTHON:-$ROOT/target/venv/bin/python}"
cd "$ROOT"
cargo build --release --quiet --bin knhk
KNHK="$ROOT/target/release/knhk"
mkdir -p "$WORK"
DATA="$WORK/data-$TRIPLES.nt"
[ -f "$DATA" ] || "$KNHK" gen --triples "$TRIPLES" --seed 7 --output "$DATA"
export SPARK_LOCAL_IP=127.0.0.1

now_ms() { date +%s%3N; }
timed() { # command...: prints its wall milliseconds
    local start end
    start=$(now_ms)
    "$@" >/dev/null
    end=$(now_ms)
    echo $((end - start))
}

results="$WORK/runs-$TRIPLES.tsv"
printf 'run\tknhk_ms\tspark_total_ms\tspark_startup_ms\tspark_shards_ms\tmerge_ms\tthreads1_ms\tmanifest_ms\tsixteen_ms\n' >"$results"
for run in $(seq "$RUNS"); do
    knhk_ms=$(timed "$KNHK" run "$DATA")
    start=$(now_ms)
    "$PYTHON" examples/spark/knhk_spark.py "$DATA" --shards 16 --master 'local[2]' \
        --knhk "$KNHK" --work "$WORK/spark" --timings 2>"$WORK/spark.err" >/dev/null
    spark_total_ms=$(($(now_ms) - start))
    timings=$(tail -1 "$WORK/spark.err")
    field() { "$PYTHON" -c "import json,sys; print(round(json.loads(sys.argv[1])[sys.argv[2]]*1000))" "$timings" "$1"; }
    threads1_ms=$(timed "$KNHK" run "$DATA" --threads 1)
    manifest_ms=$(timed "$KNHK" run "$DATA" --threads 1 --shard 0/1 --manifest "$WORK/m-whole.json")
    start=$(now_ms)
    for i in $(seq 0 15); do
        "$KNHK" run "$DATA" --threads 1 --shard "$i/16" --manifest "$WORK/m-$i.json" >/dev/null
    done
    sixteen_ms=$(($(now_ms) - start))
    line=$(printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s' "$run" "$knhk_ms" "$spark_total_ms" \
        "$(field spark_startup_s)" "$(field shards_s)" "$(field merge_s)" "$threads1_ms" "$manifest_ms" "$sixteen_ms")
    echo "$line" | tee -a "$results"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$PYTHON" - "$results" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
for key in rows[0]:
    if key == "run":
        continue
    values = [int(r[key]) for r in rows]
    print(f"{key}: median {statistics.median(values)} (range {min(values)}-{max(values)}, {len(values)} runs)")
PY
