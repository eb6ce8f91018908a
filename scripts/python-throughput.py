#!/usr/bin/env python3
"""Throughput of the Python module against the CLI on one JSONL corpus.

    .venv/bin/python scripts/python-throughput.py CORPUS.jsonl [TACTFUL_BIN]

Times (best of three) `tactful check --format jsonl --threads N > /dev/null`,
`Analyzer.analyze_many` on the corpus's lines (bytes) and on its records as
dicts, and `check_file`, each with 1 and 2 threads, in transcripts/s. The
Python figures include building the output dicts (json.loads, with the GIL).
"""

import json
import subprocess
import sys
import time

import tactful


def best(f, rounds=3):
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        f()
        times.append(time.perf_counter() - start)
    return min(times)


def main():
    path = sys.argv[1]
    binary = sys.argv[2] if len(sys.argv) > 2 else "target/release/tactful"
    lines = open(path, "rb").read().splitlines()
    dicts = [json.loads(line) for line in lines]
    analyzer = tactful.Analyzer()
    n = len(lines)
    print(f"{path}: {n} transcripts")
    for threads in (1, 2):
        runs = {
            "tactful check": lambda: subprocess.run(
                [binary, "check", "--format", "jsonl", "--threads", str(threads), path],
                stdout=subprocess.DEVNULL,
                check=False,
            ),
            "analyze_many(lines)": lambda: analyzer.analyze_many(lines, threads=threads),
            "analyze_many(dicts)": lambda: analyzer.analyze_many(dicts, threads=threads),
            "check_file": lambda: sum(1 for _ in analyzer.check_file(path, threads=threads)),
        }
        for label, run in runs.items():
            secs = best(run)
            print(f"threads={threads} {label:22} {secs:6.2f} s {n / secs:10,.0f} transcripts/s")


if __name__ == "__main__":
    main()
