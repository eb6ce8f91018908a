"""Shared fixtures: the repository, the CLI binary, the fixture files."""

import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def fixture_files():
    """Every file under fixtures/, in name order."""
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file())


@pytest.fixture(scope="session")
def cli():
    """Path of the `tactful` binary: $TACTFUL_BIN, or a debug build."""
    path = os.environ.get("TACTFUL_BIN")
    if path:
        return path
    subprocess.run(["cargo", "build", "-q", "-p", "tactful-cli"], cwd=REPO, check=True)
    target = os.environ.get("CARGO_TARGET_DIR") or str(REPO / "target")
    return str(pathlib.Path(target) / "debug" / "tactful")


def run_cli(cli, *args, cwd):
    """Runs the CLI in `cwd` (a directory without tactful.toml)."""
    return subprocess.run(
        [cli, *args], cwd=cwd, capture_output=True, check=False
    )


@pytest.fixture
def cli_records(cli, tmp_path):
    """The records `tactful check --format jsonl` writes for a file."""
    import json

    def records(path, *extra):
        done = run_cli(cli, "check", "--format", "jsonl", "--quiet", *extra, str(path), cwd=tmp_path)
        assert done.returncode in (0, 1, 2), done.stderr
        return [json.loads(line) for line in done.stdout.splitlines() if line]

    return records
