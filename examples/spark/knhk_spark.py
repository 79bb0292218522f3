#!/usr/bin/env python3
"""Run knhk over an N-Triples file on Apache Spark: one Spark task per shard, then merge.

    spark-submit examples/spark/knhk_spark.py dump.nt --shards 16 --hooks hooks.toml
    python examples/spark/knhk_spark.py dump.nt --shards 16 --master 'local[*]'

Each task runs `knhk run dump.nt --shard i/n` on a path every worker sees, writing its
receipts and manifest into the work directory (also shared); the driver then runs `knhk merge`
on the manifests and prints the merged summary. Spark moves no triple: it only schedules the
shards (`parallelize(range(n), n)`), so the data never goes through the JVM or Python.

Needs `knhk` on every worker's PATH (or --knhk PATH) and pyspark with a JDK.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("input", help="N-Triples file, at a path every worker sees")
    parser.add_argument("--shards", type=int, default=16, help="number of shards (Spark tasks)")
    parser.add_argument("--hooks", help="hook file (TOML); without it, knhk's bundled hooks")
    parser.add_argument("--knhk", default=os.environ.get("KNHK", "knhk"), help="the knhk binary")
    parser.add_argument(
        "--work",
        help="directory every worker sees, for the shards' receipts and manifests "
        "[default: a new temporary directory]",
    )
    parser.add_argument("--output", help="write the merged manifest here [default: WORK/merged.json]")
    parser.add_argument(
        "--master",
        help="Spark master [default: spark-submit's, else local[*]]",
    )
    parser.add_argument(
        "--threads", type=int, default=1, help="knhk threads per task [default: 1]"
    )
    parser.add_argument("--json", action="store_true", help="print the merged summary as JSON")
    parser.add_argument(
        "--timings",
        action="store_true",
        help="print Spark's start-up, the shards' and the merge's wall times to stderr (JSON)",
    )
    args = parser.parse_args(argv)
    if args.shards < 1:
        parser.error("--shards must be at least 1")
    return args


def run_shard(knhk, data, hooks, work, shards, threads, index):
    """One Spark task: `knhk run --shard index/shards`; returns the manifest's path."""
    manifest = os.path.join(work, f"m-{index}.json")
    command = [
        knhk, "run", data,
        "--shard", f"{index}/{shards}",
        "--receipts", os.path.join(work, f"r-{index}.jsonl"),
        "--manifest", manifest,
        "--threads", str(threads),
        "--json",
    ]
    if hooks:
        command += ["--hooks", hooks]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"shard {index}/{shards}: {done.stderr.strip()}")
    return index, manifest


def main(argv):
    args = parse_args(argv)
    data = os.path.abspath(args.input)
    hooks = os.path.abspath(args.hooks) if args.hooks else None
    work = os.path.abspath(args.work or tempfile.mkdtemp(prefix="knhk-spark-"))
    os.makedirs(work, exist_ok=True)
    output = os.path.abspath(args.output or os.path.join(work, "merged.json"))
    knhk, shards, threads = args.knhk, args.shards, args.threads

    started = time.monotonic()
    from pyspark import SparkConf
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.appName(f"knhk {os.path.basename(data)} in {shards} shards")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.ui.enabled", "false")
    )
    if args.master:
        builder = builder.master(args.master)
    elif not SparkConf().contains("spark.master"):
        builder = builder.master("local[*]")
    spark = builder.getOrCreate()
    context = spark.sparkContext
    context.setLogLevel("ERROR")
    ready = time.monotonic()
    try:
        done = (
            context.parallelize(range(shards), shards)
            .map(lambda index: run_shard(knhk, data, hooks, work, shards, threads, index))
            .collect()
        )
    finally:
        spark.stop()
    shards_done = time.monotonic()

    manifests = [manifest for _, manifest in sorted(done)]
    command = [knhk, "merge", *manifests, "--output", output] + (["--json"] if args.json else [])
    merged = subprocess.run(command, capture_output=True, text=True)
    merge_done = time.monotonic()
    sys.stdout.write(merged.stdout)
    sys.stderr.write(merged.stderr)
    if args.timings:
        timings = {
            "spark_startup_s": round(ready - started, 3),
            "shards_s": round(shards_done - ready, 3),
            "merge_s": round(merge_done - shards_done, 3),
            "shards": shards,
        }
        print(json.dumps(timings), file=sys.stderr)
    return merged.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
