#!/usr/bin/env bash
# Builds the Python package `tactful` (crates/tactful-py) into a virtual
# environment: creates it (default .venv, or $TACTFUL_VENV), installs maturin,
# pytest, pandas and pyarrow from PyPI, then builds the abi3 wheel in release
# mode and installs it. Run from anywhere; prints the venv's python at the end.
# With --spark it also installs pyspark (for examples/spark and its test,
# which also need Java 17: `apt-get install openjdk-17-jre-headless`).
#
#   bash scripts/python-setup.sh && .venv/bin/python -m pytest python/tests
#   bash scripts/python-setup.sh --spark
set -euo pipefail
cd "$(dirname "$0")/.."
# the pyspark of examples/spark (Spark 3.5: Java 8, 11 or 17)
spark_package='pyspark==3.5.7'
extra=()
for arg in "$@"; do
  case "$arg" in
    --spark) extra+=("$spark_package") ;;
    *) echo "usage: $0 [--spark]" >&2; exit 2 ;;
  esac
done
venv=${TACTFUL_VENV:-$PWD/.venv}
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# everything but the closing line goes to stderr: callers read the python's path
{
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    'maturin>=1.7,<2' pytest pandas pyarrow ${extra[@]+"${extra[@]}"}
  rm -rf target/wheels-py
  "$venv/bin/maturin" build --release -q -m crates/tactful-py/Cargo.toml -o target/wheels-py \
    --interpreter "$venv/bin/python"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
    target/wheels-py/*.whl
} >&2
echo "$venv/bin/python"
