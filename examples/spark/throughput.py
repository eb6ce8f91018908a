#!/usr/bin/env python3
"""Throughput of the Spark job in local mode on one JSONL corpus.

    PYSPARK_PYTHON=.venv/bin/python .venv/bin/python examples/spark/throughput.py CORPUS.jsonl [MASTER] [ROUNDS]

Runs ``tactful_job.run`` on CORPUS (MASTER default ``local[2]``) ROUNDS times
(default 3) in one Spark session, after one warm-up run on the first 1,000
lines, and prints each run's wall time (reading the JSONL, analyzing,
writing findings and scores as Parquet) and the median, in transcripts/s and
MB/s of input. Then, as the floor, the same for Spark alone: reading the
lines as the job does and writing them as Parquet, no analysis. The
session's start (about 3 s) is not included.
"""

import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import tactful_job  # noqa: E402


def main():
    corpus = sys.argv[1]
    master = sys.argv[2] if len(sys.argv) > 2 else "local[2]"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("tactful-throughput")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    size = os.path.getsize(corpus)
    with open(corpus, "rb") as f:
        transcripts = sum(1 for line in f if line.strip())
    with tempfile.TemporaryDirectory() as tmp:
        warm = pathlib.Path(tmp) / "warm.jsonl"
        with open(corpus, "rb") as f, open(warm, "wb") as w:
            for _, line in zip(range(1000), f):
                w.write(line)
        tactful_job.run(spark, [str(warm)], str(pathlib.Path(tmp) / "warm-out"))
        times = []
        for i in range(rounds):
            start = time.perf_counter()
            tactful_job.run(spark, [corpus], str(pathlib.Path(tmp) / "out"))
            times.append(time.perf_counter() - start)
            print(f"run {i + 1}: {times[-1]:.2f} s", flush=True)
        rows = spark.read.parquet(str(pathlib.Path(tmp) / "out" / "scores")).count()
        floor = []
        for i in range(rounds):
            start = time.perf_counter()
            lines = tactful_job.read_records(spark, [corpus], "jsonl")
            lines.write.mode("overwrite").parquet(str(pathlib.Path(tmp) / "floor"))
            floor.append(time.perf_counter() - start)
            print(f"floor run {i + 1}: {floor[-1]:.2f} s", flush=True)
    spark.stop()
    assert rows == transcripts, (rows, transcripts)
    for label, runs in (("the job", times), ("Spark alone (read, write)", floor)):
        median = statistics.median(runs)
        print(
            f"{corpus}: {transcripts} transcripts, {size / 1e6:.1f} MB, {master}, {label}:"
            f" median {median:.2f} s, {transcripts / median:,.0f} transcripts/s,"
            f" {size / 1e6 / median:.1f} MB/s"
        )


if __name__ == "__main__":
    main()
