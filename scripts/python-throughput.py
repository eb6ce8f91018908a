#!/usr/bin/env python3
"""Throughput of the Python module against the CLI on one JSONL corpus.

    .venv/bin/python scripts/python-throughput.py CORPUS.jsonl [TACTFUL_BIN] [ROUNDS]

Times `tactful check --format jsonl --threads N CORPUS > /dev/null`,
`Analyzer.analyze_many` on the corpus's lines (bytes) and on its records as
dicts, `Analyzer.analyze_arrow` on the lines, and `check_file`, each with 1
and 2 threads, ROUNDS times (default 3) in turn, and prints the median wall
time and the median CPU time (user + system, of the child process for the
CLI, of this process for the module) with transcripts per second of each.
The Python figures include building the output (dicts, or the Arrow table)
and, for dicts, encoding the input; not reading the file or json.loads of
the dicts (done once, before).
"""

import json
import resource
import statistics
import subprocess
import sys
import time

import tactful


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def own_cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def measure(f, child):
    """(wall, cpu) seconds of one call of f."""
    cpu = child_cpu if child else own_cpu
    c0, t0 = cpu(), time.perf_counter()
    result = f()
    wall, spent = time.perf_counter() - t0, cpu() - c0
    del result
    return wall, spent


def main():
    path = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/tactful"
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    lines = open(path, "rb").read().splitlines()
    dicts = [json.loads(line) for line in lines]
    analyzer = tactful.Analyzer()
    arrow = hasattr(analyzer, "analyze_arrow")  # (not in builds before it)
    if arrow:
        analyzer.analyze_arrow(lines[:10])  # imports pyarrow once, before timing
    n = len(lines)
    print(f"{path}: {n} transcripts, {sum(map(len, lines)) / 1e6:.1f} MB, {rounds} rounds, medians")
    for threads in (1, 2):
        runs = {
            "tactful check": (
                lambda: subprocess.run(
                    [binary, "check", "--format", "jsonl", "--threads", str(threads), path],
                    stdout=subprocess.DEVNULL,
                    check=False,
                ),
                True,
            ),
            "analyze_many(lines)": (lambda: analyzer.analyze_many(lines, threads=threads), False),
            "analyze_many(dicts)": (lambda: analyzer.analyze_many(dicts, threads=threads), False),
            "analyze_arrow(lines)": (lambda: analyzer.analyze_arrow(lines, threads=threads), False),
            "check_file": (lambda: sum(1 for _ in analyzer.check_file(path, threads=threads)), False),
        }
        if not arrow:
            del runs["analyze_arrow(lines)"]
        times = {label: [] for label in runs}
        # one round runs everything once, so that a slow spell of a shared
        # machine hits every run alike
        for _ in range(rounds):
            for label, (run, child) in runs.items():
                times[label].append(measure(run, child))
        for label, samples in times.items():
            wall = statistics.median(s[0] for s in samples)
            cpu = statistics.median(s[1] for s in samples)
            print(
                f"threads={threads} {label:22} wall {wall:6.3f} s {n / wall:9,.0f}/s"
                f"   cpu {cpu:6.3f} s {n / cpu:9,.0f}/cpu-s"
            )


if __name__ == "__main__":
    main()
