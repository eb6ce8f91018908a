#!/usr/bin/env bash
# Runs tactful's fuzz targets with cargo-fuzz (libFuzzer + AddressSanitizer).
#
#   fuzz/run.sh                 # every target, 600 s each
#   fuzz/run.sh 60 jsonl csv    # 60 s each, only these targets
#
# Installs cargo-fuzz if it is missing. cargo-fuzz needs nightly compiler
# flags; on a stable toolchain RUSTC_BOOTSTRAP=1 unlocks them (set below), so
# no nightly toolchain has to be downloaded. Corpora are seeded from the
# repository's fixtures; crashes land in fuzz/artifacts/<target>/ and should be
# copied to fuzz/regressions/<target>/ once fixed (cargo test replays those).
set -euo pipefail
cd "$(dirname "$0")"
secs="${1:-600}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(jsonl json csv text config analyzer)

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi
export RUSTC_BOOTSTRAP=1

seed() {
    local dir="corpus/$1"
    shift
    mkdir -p "$dir"
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$f")"
    done
    # the committed regression inputs are good seeds too
    if [ -d "regressions/${dir#corpus/}" ]; then
        cp regressions/"${dir#corpus/}"/* "$dir/" 2>/dev/null || true
    fi
}
seed jsonl ../fixtures/*.jsonl ../fixtures/hostile/*.jsonl
seed json ../fixtures/*.json
seed csv ../fixtures/*.csv ../fixtures/hostile/*.csv
seed text ../fixtures/*.txt ../fixtures/hostile/*.txt ../fixtures/annotated/*.txt
seed analyzer ../fixtures/annotated/*.txt ../fixtures/macros/*.txt
seed config ../tactful.example.toml
# the built-in phrase lists as lexicon files (first byte 3) and as a team's
# extend-phrases (first byte 1)
for f in ../crates/tactful/lexicons/*.txt; do
    { printf '\003'; cat "$f"; } > "corpus/config/seed-lexicon-$(basename "$f")"
    { printf '\001'; grep -v -e '^[#+-]' -e '^\[[a-z, -]*\]$' -e '^[[:space:]]*$' "$f" || true; } > "corpus/config/seed-phrases-$(basename "$f")"
done

failed=()
for t in "${targets[@]}"; do
    dict=()
    [ -f "dicts/$t.dict" ] && dict=(-dict="dicts/$t.dict")
    echo "== fuzzing $t for ${secs}s"
    if ! cargo fuzz run -O "$t" "corpus/$t" -- -max_total_time="$secs" -max_len=65536 \
        -timeout=10 -rss_limit_mb=4096 "${dict[@]}" -print_final_stats=1; then
        failed+=("$t")
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "crashes in: ${failed[*]} (inputs in fuzz/artifacts/)" >&2
    exit 1
fi
echo "no crashes"
