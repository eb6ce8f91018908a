#!/usr/bin/env bash
# Builds the Python package `tactful` (crates/tactful-py) into a virtual
# environment: creates it (default .venv, or $TACTFUL_VENV), installs maturin,
# pytest, pandas and pyarrow from PyPI, then builds the abi3 wheel in release
# mode and installs it. Run from anywhere; prints the venv's python at the end.
#
#   bash scripts/python-setup.sh && .venv/bin/python -m pytest python/tests
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${TACTFUL_VENV:-$PWD/.venv}
python=${PYTHON:-python3}
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
# everything but the closing line goes to stderr: callers read the python's path
{
  "$venv/bin/python" -m pip install -q --disable-pip-version-check \
    'maturin>=1.7,<2' pytest pandas pyarrow
  rm -rf target/wheels-py
  "$venv/bin/maturin" build --release -q -m crates/tactful-py/Cargo.toml -o target/wheels-py \
    --interpreter "$venv/bin/python"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --force-reinstall --no-deps \
    target/wheels-py/*.whl
} >&2
echo "$venv/bin/python"
