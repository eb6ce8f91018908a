#!/usr/bin/env bash
# Two tactful binaries side by side, interleaved in one run: wall seconds and,
# when perf is installed, CPU milliseconds of all threads (task-clock) of
# `tactful check --format jsonl --threads T CORPUS > /dev/null` (as
# scripts/throughput.sh runs it), with T = 1 and 2.
#
#   scripts/side-by-side.sh BEFORE AFTER CORPUS [ROUNDS]
set -euo pipefail
before=$1; after=$2; corpus=$3; rounds=${4:-5}
tmp=$(mktemp -d)
for _ in $(seq "$rounds"); do
  for t in 1 2; do
    for label in before after; do
      bin=$before; [ "$label" = after ] && bin=$after
      if command -v perf > /dev/null; then
        perf stat -x, -e task-clock -o "$tmp/perf" /usr/bin/time -f %e -o "$tmp/time" \
          "$bin" check --format jsonl --threads "$t" "$corpus" > /dev/null
        cpu=$(grep task-clock "$tmp/perf" | cut -d, -f1)
      else
        /usr/bin/time -f %e -o "$tmp/time" "$bin" check --format jsonl --threads "$t" "$corpus" > /dev/null
        cpu=0
      fi
      echo "$label-t$t $(tail -1 "$tmp/time") $cpu"
    done
  done
done | awk '{w[$1]=w[$1]" "$2; c[$1]=c[$1]" "int($3)} END {for (k in w) printf "%-10s wall s:%s   cpu ms:%s\n", k, w[k], c[k]}' | sort
rm -rf "$tmp"
