#!/usr/bin/env bash
# Builds a release binary of `tactful` for Linux into dist/:
#   dist/tactful-VERSION-TARGET(.tar.gz): the binary, its man page, shell
#   completions, the README, CHANGELOG and licence files.
# The binary is static where the toolchain allows: with the musl target
# installed (`rustup target add x86_64-unknown-linux-musl`), it is built for
# musl; otherwise for glibc with `+crt-static` (glibc's static libraries come
# with libc6-dev); if neither links, a dynamically linked glibc binary is
# built and the script says so.
#
# Usage: scripts/release.sh [--dynamic]
# Installing from source instead: `cargo install --path crates/tactful-cli`
# (or `cargo install tactful-cli` once published).
set -euo pipefail
cd "$(dirname "$0")/.."
version=$(cargo metadata --no-deps --format-version 1 |
  python3 -c 'import json,sys; print(next(p["version"] for p in json.load(sys.stdin)["packages"] if p["name"] == "tactful-cli"))')
arch=$(uname -m)
dynamic=false
[ "${1:-}" = "--dynamic" ] && dynamic=true

build() { # target, extra RUSTFLAGS
  echo "== cargo build --release -p tactful-cli --target $1 ${2:+(RUSTFLAGS=$2)}" >&2
  RUSTFLAGS="${RUSTFLAGS:-} $2" cargo build --release --locked -p tactful-cli --target "$1"
}

target="" kind=""
if ! $dynamic && rustup target list --installed 2>/dev/null | grep -qx "$arch-unknown-linux-musl"; then
  target="$arch-unknown-linux-musl" kind=static
  build "$target" ""
elif ! $dynamic && build "$arch-unknown-linux-gnu" "-C target-feature=+crt-static"; then
  target="$arch-unknown-linux-gnu" kind=static
else
  target="$arch-unknown-linux-gnu" kind=dynamic
  build "$target" ""
fi
bin="target/$target/release/tactful"
if [ "$kind" = static ] && ldd "$bin" 2>&1 | grep -q "=>"; then
  kind=dynamic
fi
echo "== $bin ($kind)" >&2

name="tactful-$version-$target"
out="dist/$name"
rm -rf "$out" && mkdir -p "$out/completions"
cp "$bin" "$out/"
# the release profile keeps line tables for profiling; the shipped binary
# needs none
strip "$out/tactful" 2>/dev/null || echo "strip not found: the binary keeps its debug info" >&2
"$bin" --version >&2
"$bin" man > "$out/tactful.1"
for shell in bash zsh fish powershell elvish; do
  "$bin" completions "$shell" > "$out/completions/tactful.$shell"
done
cp README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$out/"
tar -C dist -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz"
