#!/usr/bin/env bash
# Runs a tactful binary over every fixture in every format and command, the
# eval sets and a 20 MB corpus, and writes the stdout, stderr and exit code of
# each case into OUT_DIR (outputs on the corpus as sha256 and size), so that
# two binaries can be compared byte for byte:
#
#   cp target/release/tactful /tmp/before/tactful     # (same file name: it is in --help)
#   scripts/compare-outputs.sh /tmp/before/tactful /tmp/out-before
#   ... change, cargo build --release ...
#   scripts/compare-outputs.sh target/release/tactful /tmp/out-after
#   diff -r /tmp/out-before /tmp/out-after && echo identical
#
# Eval sets: ../shared/eval/*.jsonl beside the repository, when there. Corpus:
# $CORPUS, else made once with ../shared/bench/make-corpus.py 20 (skipped
# when neither exists).
set -u
bin=$(realpath "$1"); out=$2
rm -rf "$out"; mkdir -p "$out"; out=$(realpath "$out")
cd "$(dirname "$0")/.."   # fixture paths in messages are relative
n=0
case_() { # name, big(0/1), args...   (stdin from $STDIN if set)
  local name=$1 big=$2; shift 2
  local f="$out/$(printf '%04d' $n)-$name"; n=$((n+1))
  if [ -n "${STDIN:-}" ]; then
    "$bin" "$@" < "$STDIN" > "$f.out" 2> "$f.err"; echo $? > "$f.rc"
  else
    "$bin" "$@" > "$f.out" 2> "$f.err" < /dev/null; echo $? > "$f.rc"
  fi
  if [ "$big" = 1 ]; then sha256sum < "$f.out" > "$f.out.sha"; wc -c < "$f.out" >> "$f.out.sha"; rm "$f.out"; fi
  echo "$*" > "$f.args"
}
# a fixed directory: its path appears in error messages
tmp=${TMPDIR:-/tmp}/tactful-compare-cfg; mkdir -p $tmp
printf 'select = ["apology"]\n[severity]\n"apology.but" = "error"\n' > $tmp/good.toml
printf 'select = ["apology"]\nbogus = 1\n' > $tmp/bad.toml
files=$(find fixtures -type f | sort)
for f in $files; do
  b=$(echo "$f" | tr '/' '_')
  for fmt in human jsonl json csv; do
    case_ "$b-$fmt" 0 check --format $fmt "$f"
    case_ "$b-$fmt-t1" 0 check --format $fmt --threads 1 "$f"
  done
  case_ "$b-color" 0 check --format human --color always "$f"
  case_ "$b-strict" 0 check --format jsonl --strict "$f"
  case_ "$b-quiet" 0 check --format human --quiet "$f"
  for ifmt in jsonl json csv text; do
    case_ "$b-as-$ifmt" 0 check --format jsonl --input-format $ifmt "$f"
  done
  case_ "$b-maxrec" 0 check --format jsonl --max-record-bytes 200 "$f"
  for rf in human json html; do
    case_ "$b-report-$rf" 0 report --format $rf "$f"
  done
done
# stdin
for f in fixtures/sample.jsonl fixtures/sample.csv fixtures/sample.txt fixtures/sample.json fixtures/hostile/bom_crlf.csv fixtures/hostile/malformed_line.jsonl; do
  ext=${f##*.}; [ "$ext" = txt ] && ext=text
  b=$(echo "$f" | tr '/' '_')
  STDIN=$f case_ "$b-stdin" 0 check --format jsonl --input-format $ext -
  STDIN=$f case_ "$b-stdin-default" 0 check --format jsonl
done
# all samples together, multi-file
case_ "samples-all" 0 check --format jsonl fixtures/sample.jsonl fixtures/sample.json fixtures/sample.csv fixtures/sample.txt
case_ "samples-all-human" 0 check --format human fixtures/sample.jsonl fixtures/sample.json fixtures/sample.csv fixtures/sample.txt
case_ "hostile-all" 0 check --format jsonl fixtures/hostile
case_ "hostile-files" 0 check --format jsonl $(ls fixtures/hostile/* | sort)
case_ "hostile-files-strict" 0 check --format csv --strict $(ls fixtures/hostile/* | sort)
case_ "missing-file" 0 check --format jsonl /nonexistent.jsonl fixtures/sample.jsonl
case_ "dir-input" 0 check --format jsonl fixtures/annotated
# replies
for fmt in human jsonl json csv; do
  case_ "replies-$fmt" 0 check --replies --format $fmt fixtures/macros
  case_ "replies-perline-$fmt" 0 check --replies --per-line --format $fmt fixtures/macros
  case_ "replies-files-$fmt" 0 check --replies --format $fmt fixtures/macros/one-liners.txt fixtures/macros/refund-refused.md
done
case_ "replies-color" 0 check --replies --format human --color always fixtures/macros
case_ "replies-missing" 0 check --replies --format jsonl /nonexistent
# options and fail codes
case_ "fail-on-info" 0 check --format jsonl --fail-on info fixtures/sample.jsonl
case_ "fail-on-error" 0 check --format jsonl --fail-on error fixtures/sample.jsonl
case_ "fail-under" 0 check --format jsonl --fail-under 90 fixtures/sample.jsonl
case_ "select" 0 check --format jsonl --select apology fixtures/sample.jsonl
case_ "ignore" 0 check --format jsonl --ignore apology,excuse.denial fixtures/sample.jsonl
case_ "config-good" 0 check --format jsonl --config $tmp/good.toml fixtures/sample.jsonl
case_ "config-bad" 0 check --format jsonl --config $tmp/bad.toml fixtures/sample.jsonl
case_ "config-missing" 0 check --format jsonl --config /nonexistent.toml fixtures/sample.jsonl
case_ "threads0" 0 check --threads 0 fixtures/sample.jsonl
case_ "bad-flag" 0 check --bogus
case_ "per-line-no-replies" 0 check --per-line fixtures/sample.jsonl
case_ "help" 0 --help
case_ "check-help" 0 check --help
case_ "report-help" 0 report --help
case_ "version" 0 --version
case_ "rules" 0 rules
case_ "rules-json" 0 rules --json
case_ "rules-phrases" 0 rules --phrases
case_ "explain" 0 explain apology.but
case_ "explain-cat" 0 explain apology
case_ "explain-none" 0 explain nope
case_ "config-show" 0 config --show
case_ "config-show-file" 0 config --show --config $tmp/good.toml
case_ "config-show-bad" 0 config --show --config $tmp/bad.toml
# eval sets
for e in ../shared/eval/*.jsonl; do
  [ -f "$e" ] || continue
  b=$(basename "$e" .jsonl)
  for fmt in human jsonl json csv; do
    for t in 1 2; do
      case_ "eval-$b-$fmt-t$t" 0 check --format $fmt --threads $t "$e"
    done
  done
  for rf in human json html; do case_ "eval-$b-report-$rf" 0 report --format $rf "$e"; done
done
# 20 MB corpus
corpus=${CORPUS:-${TMPDIR:-/tmp}/tactful-corpus-20mb.jsonl}
if [ ! -s "$corpus" ] && [ -f ../shared/bench/make-corpus.py ]; then
  python3 ../shared/bench/make-corpus.py 20 > "$corpus"
fi
[ -s "$corpus" ] && for t in 1 2; do
  for fmt in jsonl json csv human; do
    case_ "c20-$fmt-t$t" 1 check --format $fmt --threads $t "$corpus"
  done
  case_ "c20-report-json-t$t" 1 report --format json --threads $t "$corpus"
  case_ "c20-report-human-t$t" 1 report --format human --threads $t "$corpus"
done
[ -s "$corpus" ] && STDIN="$corpus" case_ "c20-stdin" 1 check --format jsonl --threads 2 -
rm -rf $tmp
echo "$n cases in $out"
