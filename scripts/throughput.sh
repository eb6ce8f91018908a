#!/usr/bin/env bash
# Throughput of `tactful check --format jsonl > /dev/null` on a corpus of a given size.
#
#   scripts/throughput.sh [SIZE_MB] [CORPUS]
#
# Builds the release binary, makes a corpus of SIZE_MB (default 200) megabytes
# (with ../shared/bench/make-corpus.py beside the repository when it exists,
# which cycles real Twitter care threads; otherwise by cycling the bundled
# fixtures/sample.jsonl), then reports MB/s and transcripts/s with --threads 1
# and with all cores, the speed-up, and peak RSS (/usr/bin/time -v). When
# ripgrep is installed it also times `rg -o -i -F -f LEXICON` on the same file,
# with one literal per pattern of tactful's own phrase lists as LEXICON: the
# cost of only finding phrases, our floor.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200}
corpus=${2:-}
cargo build --release -p tactful-cli >/dev/null 2>&1 || cargo build --release -p tactful-cli
bin=${CARGO_TARGET_DIR:-target}/release/tactful
tmp=${TMPDIR:-/tmp}
if [ -z "$corpus" ]; then
  corpus=$tmp/tactful-corpus-${size}mb.jsonl
  if [ ! -s "$corpus" ]; then
    if [ -f ../shared/bench/make-corpus.py ]; then
      python3 ../shared/bench/make-corpus.py "$size" > "$corpus"
    else
      python3 - "$size" fixtures/sample.jsonl > "$corpus" <<'PY'
import json, sys
size = int(float(sys.argv[1]) * 1_000_000)
items = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8") if l.strip()]
written, n = 0, 0
while written < size:
    for it in items:
        n += 1
        line = json.dumps(dict(it, id=f"bench-{n:08d}"), ensure_ascii=False) + "\n"
        sys.stdout.write(line)
        written += len(line.encode("utf-8"))
        if written >= size:
            break
PY
    fi
  fi
fi
bytes=$(stat -c %s "$corpus")
records=$(wc -l < "$corpus")
mb=$(python3 -c "print(f'{$bytes/1e6:.1f}')")
echo "corpus: $corpus ($mb MB, $records transcripts), $(nproc) cores"

run() { # label, args...
  local label=$1; shift
  local log; log=$(mktemp)
  /usr/bin/time -v "$@" > /dev/null 2> "$log" || true
  local secs rss
  secs=$(python3 - "$log" <<'PY'
import re, sys
t = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)", open(sys.argv[1]).read()).group(1)
parts = [float(p) for p in t.split(":")]
s = 0.0
for p in parts:
    s = s * 60 + p
print(f"{s:.3f}")
PY
)
  rss=$(grep "Maximum resident set size" "$log" | awk '{print $6}')
  rm -f "$log"
  python3 -c "
b, r, s, rss = $bytes, $records, $secs, $rss
print(f'{\"$label\":<28} {s:7.2f} s  {b/1e6/s:8.1f} MB/s  {r/s:10.0f} transcripts/s  peak RSS {rss/1024:6.1f} MB')"
  echo "$secs" > "$tmp/tactful-last-secs"
}

run "tactful --threads 1" "$bin" check --format jsonl --threads 1 "$corpus"
one=$(cat "$tmp/tactful-last-secs")
run "tactful (all cores)" "$bin" check --format jsonl "$corpus"
all=$(cat "$tmp/tactful-last-secs")
python3 -c "print(f'speed-up with all cores: {$one/$all:.2f}x')"

if command -v rg >/dev/null; then
  lexicon=$tmp/tactful-lexicon.txt
  "$bin" rules --phrases > "$lexicon"
  run "rg -o -i -F -f LEXICON ($(wc -l < "$lexicon") phrases)" rg -o -i -F -f "$lexicon" "$corpus"
  rg_secs=$(cat "$tmp/tactful-last-secs")
  python3 -c "print(f'tactful --threads 1 / ripgrep floor: {$one/$rg_secs:.2f}x the time')"
else
  echo "ripgrep (rg) not installed: no floor measured (apt-get install ripgrep)"
fi
