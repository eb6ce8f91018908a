"""The Spark example (examples/spark/tactful_job.py) in Spark local mode,
against the command line on the same input, record by record.

Needs pyspark and Java; skipped with the reason when either is missing,
unless TACTFUL_REQUIRE_SPARK=1 (set by .ci/run), which makes that a failure.
"""

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

from conftest import FIXTURES, REPO, run_cli

JOB_DIR = REPO / "examples" / "spark"
REQUIRED = os.environ.get("TACTFUL_REQUIRE_SPARK") == "1"


def unavailable():
    """Why Spark cannot run here, or None."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark is not installed (scripts/python-setup.sh --spark installs it)"
    java = shutil.which("java") or (
        os.environ.get("JAVA_HOME") and str(pathlib.Path(os.environ["JAVA_HOME"]) / "bin" / "java")
    )
    if not java:
        return "no Java (java on PATH or JAVA_HOME) for Spark"
    done = subprocess.run([java, "-version"], capture_output=True, check=False)
    if done.returncode != 0:
        return f"java -version failed: {done.stderr.decode(errors='replace').strip()}"
    return None


REASON = unavailable()
if REASON and REQUIRED:
    raise RuntimeError(f"TACTFUL_REQUIRE_SPARK=1 but {REASON}")
pytestmark = [
    pytest.mark.skipif(REASON is not None, reason=REASON or ""),
    # pyspark 3.5 compares versions with distutils
    pytest.mark.filterwarnings("ignore:distutils Version classes:DeprecationWarning"),
]

sys.path.insert(0, str(JOB_DIR))
import tactful_job  # noqa: E402

JSONL = sorted(p for p in FIXTURES.rglob("*.jsonl"))


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # the workers run this interpreter (the one with tactful installed);
    # Spark talks to itself over loopback only
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    session = (
        SparkSession.builder.master("local[2]")
        .appName("tactful-test")
        # tiny splits: a fixture of a few KB spreads over several partitions
        # (each building its own Analyzer), read by two tasks at a time
        .config("spark.sql.files.maxPartitionBytes", "1024")
        .config("spark.sql.files.openCostInBytes", "1024")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


def read_rows(directory):
    """The rows of a Parquet dataset the job wrote, in input order (by
    record, then finding)."""
    import pyarrow.parquet as pq

    parts = sorted(pathlib.Path(directory).glob("part-*.parquet"))
    rows = [row for part in parts for row in pq.read_table(part).to_pylist()]
    return sorted(rows, key=lambda r: (r["record"], r.get("finding") or 0))


def line_ids(path):
    """For each record line of a JSONL file, whether it names its id."""
    out = []
    for line in path.read_bytes().removeprefix(b"\xef\xbb\xbf").splitlines():
        if not line.strip():
            continue
        try:
            out.append("id" in json.loads(line))
        except ValueError:
            out.append(True)  # an error record: the CLI's id is null, so is ours
    return out


def expected_rows(records, has_id):
    """The CLI's records as the job's rows: (id, score, rule, turn, start,
    end, error message) per finding, one row with no finding for a
    transcript without any, one with only id and error for an error record.
    The id of a record that names none (the CLI: its line number) is left
    out, as the job numbers such records otherwise (see the README)."""
    rows = []
    for record, named in zip(records, has_id):
        rid = record["id"] if named else "(no id)"
        if "error" in record:
            rows.append((rid, None, None, None, None, None, record["error"]["message"]))
            continue
        for f in record["findings"] or [None]:
            if f is None:
                rows.append((rid, record["score"], None, None, None, None, None))
            else:
                rows.append((rid, record["score"], f["rule"], f["turn"], f["start"], f["end"], None))
    return rows


def actual_rows(rows, has_id):
    """The job's rows in the shape of expected_rows."""
    out = []
    records = {}
    for r in rows:
        records.setdefault(r["record"], len(records))
    for r in rows:
        named = has_id[records[r["record"]]]
        rid = r["id"] if named else "(no id)"
        out.append((rid, r["score"], r["rule"], r["turn"], r["start"], r["end"], r["error"]))
    return out


def cli_jsonl(cli, path, tmp_path, *extra):
    done = run_cli(cli, "check", "--format", "jsonl", "--quiet", *extra, str(path), cwd=tmp_path)
    assert done.returncode in (0, 1, 2), done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


@pytest.mark.parametrize("path", JSONL, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_the_job_finds_what_the_cli_finds(spark, cli, path, tmp_path):
    want = cli_jsonl(cli, path, tmp_path)
    findings, scores = tactful_job.run(spark, [str(path)], str(tmp_path / "out"))
    rows = read_rows(findings)
    if path.stat().st_size == 0:
        # the CLI reports an empty file as a file error; the job has no row
        assert [r["error"]["message"] for r in want] == ["empty input: no transcripts"]
        assert rows == [] and read_rows(scores) == []
        return
    has_id = line_ids(path)
    assert len(has_id) == len(want)
    assert actual_rows(rows, has_id) == expected_rows(want, has_id)
    # every column of a finding row equals the CLI's finding, text and all
    by_record = {}
    for r in rows:
        by_record.setdefault(r["record"], []).append(r)
    assert len(by_record) == len(want)
    for record, group in zip(want, by_record.values()):
        for f, row in zip(record.get("findings", []), group):
            for key in tactful_job_finding_columns():
                assert row[key] == f.get(key), (record["id"], key)
        # findings are numbered within their record, in the CLI's order
        assert [row["finding"] for row in group] == (
            list(range(len(record["findings"]))) if record.get("findings") else [None]
        )
    # scores: one row per record, in input order
    got = read_rows(scores)
    assert len(got) == len(want)
    assert [(s["id"] if named else None, s["score"], s["error"]) for s, named in zip(got, has_id)] == [
        (r["id"] if named else None, r.get("score"), r.get("error", {}).get("message"))
        for r, named in zip(want, has_id)
    ]


def tactful_job_finding_columns():
    import tactful

    return tactful.FINDING_COLUMNS


def test_the_schema_is_tactfuls_arrow_schema_and_record(spark, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    import tactful

    findings, _ = tactful_job.run(spark, [str(FIXTURES / "sample.jsonl")], str(tmp_path / "out"))
    schema = pq.read_schema(next(pathlib.Path(findings).glob("part-*.parquet")))
    want = tactful.arrow_schema().append(pa.field("record", pa.int64()))
    want = want.append(pa.field("finding", pa.int64()))
    assert [(f.name, f.type) for f in schema] == [(f.name, f.type) for f in want]


def test_parquet_input_gives_the_same_findings(spark, cli, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = FIXTURES / "sample.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    for r in records:
        # Parquet needs one type per column: ids as strings (the CLI writes
        # a numeric id as a string too), metadata as its JSON text
        if "id" in r:
            r["id"] = str(r["id"])
        if "metadata" in r:
            r["metadata"] = json.dumps(r["metadata"])
    source = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(records), source)
    want = cli_jsonl(cli, path, tmp_path)
    findings, _ = tactful_job.run(spark, [str(source)], str(tmp_path / "out"), input_format="parquet")
    has_id = line_ids(path)
    assert actual_rows(read_rows(findings), has_id) == expected_rows(want, has_id)


def test_spark_submit_with_a_config_file(cli, tmp_path):
    """The job as a cluster runs it: spark-submit, the config shipped with
    addFile to the executors."""
    spark_submit = shutil.which("spark-submit", path=str(pathlib.Path(sys.executable).parent))
    if spark_submit is None:
        import pyspark

        spark_submit = str(pathlib.Path(pyspark.__file__).parent / "bin" / "spark-submit")
    toml = tmp_path / "team.toml"
    toml.write_text('ignore = ["excuse"]\n[distress]\nthreshold = 30\n')
    path = FIXTURES / "sample.jsonl"
    env = dict(
        os.environ,
        PYSPARK_PYTHON=sys.executable,
        PYSPARK_DRIVER_PYTHON=sys.executable,
        SPARK_LOCAL_IP="127.0.0.1",
    )
    done = subprocess.run(
        [
            spark_submit,
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            str(JOB_DIR / "tactful_job.py"),
            "--config",
            str(toml),
            str(path),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    want = cli_jsonl(cli, path, tmp_path, "--config", str(toml))
    assert not any(f["category"] == "excuse" for r in want for f in r["findings"])
    has_id = line_ids(path)
    got = actual_rows(read_rows(tmp_path / "out" / "findings"), has_id)
    assert got == expected_rows(want, has_id)
    # and differs from the defaults (the config reached the executors)
    assert got != expected_rows(cli_jsonl(cli, path, tmp_path), has_id)


def test_a_bad_config_fails_on_the_driver_with_the_cli_message(spark, tmp_path):
    import tactful

    toml = tmp_path / "bad.toml"
    toml.write_text('ignore = ["procedural.nope"]\n')
    with pytest.raises(tactful.ConfigError, match='unknown rule or category "procedural.nope"'):
        tactful_job.run(spark, [str(FIXTURES / "sample.jsonl")], str(tmp_path / "out"), config=str(toml))
