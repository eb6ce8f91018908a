#!/usr/bin/env python3
"""Audit transcripts with tactful on Spark: JSONL or Parquet in, Parquet out.

    spark-submit examples/spark/tactful_job.py [--format jsonl|parquet]
        [--config tactful.toml] INPUT... OUTPUT

Reads transcripts (JSONL: one transcript per line, as ``tactful check``
reads them; Parquet: one transcript per row, with the JSONL fields as
columns), analyzes them with ``mapInArrow`` (one ``tactful.Analyzer`` per
partition, built once; each Arrow batch analyzed in Rust into Arrow columns
with ``Analyzer.analyze_arrow``) and writes two Parquet datasets:

- ``OUTPUT/findings``: the rows of ``tactful check --format csv`` (one per
  finding; one with empty finding columns for a transcript without findings;
  one with only ``id`` and ``error`` for a record that cannot be read), plus
  ``record``, a number that identifies the input record (unique, increasing
  in input order), and ``finding``, the finding's number within its record
  (0, 1, ... in the CLI's order; null on a row without a finding);
- ``OUTPUT/scores``: one row per input record: ``record``, ``id``,
  ``score`` and ``error``.

See examples/spark/README.md for running it locally and on a cluster.
"""

import argparse
import os
import sys

#: The Spark schema of ``OUTPUT/findings`` (tactful's CSV columns, then
#: ``record`` and ``finding``); kept equal to ``tactful.arrow_schema()`` and
#: those two by the tests.
FINDINGS_SCHEMA = (
    "id string, score bigint, rule string, category string, kind string, "
    "severity string, turn bigint, role string, start bigint, `end` bigint, "
    "text string, message string, suggestion string, error string, record bigint, "
    "finding bigint"
)


#: What the CLI counts as a blank line (Rust's ASCII white space).
BLANK = b" \t\n\r\x0c"
#: A UTF-8 byte-order mark.
BOM = b"\xef\xbb\xbf"


def analyze_batches(config):
    """The ``mapInArrow`` function: analyzes each Arrow batch of JSON records
    (column ``value``, binary, with ``record``) into finding rows.

    ``config`` is None, a dict of ``tactful.toml`` keys, or the name of a file
    shipped with ``SparkContext.addFile``. The analyzer is built once per
    partition (its phrase automata take about 50 ms to compile).
    """

    # (everything the function uses is defined in it: Spark ships it to the
    # executors by value, where this module is not importable)
    def run(batches):
        import pyarrow as pa
        import pyarrow.compute as pc
        import tactful

        if isinstance(config, str):
            from pyspark import SparkFiles

            analyzer = tactful.Analyzer(SparkFiles.get(config))
        else:
            analyzer = tactful.Analyzer(config)

        def finding_numbers(table, position):
            """Each row's finding number within its record (0, 1, ...),
            None on a row without a finding (none in its record, or an error)."""
            numbers = []
            previous, n = None, 0
            valid = table.column("rule").is_valid().to_pylist()
            for p, has_rule in zip(position.to_pylist(), valid):
                n = n + 1 if p == previous else 0
                previous = p
                numbers.append(n if has_rule else None)
            return numbers

        for batch in batches:
            values = batch.column("value").to_pylist()
            # like the CLI: blank lines are skipped, and a byte-order mark
            # starts a file, not a record
            keep = [i for i, v in enumerate(values) if v.strip(BLANK)]
            lines = [values[i][3:] if values[i].startswith(BOM) else values[i] for i in keep]
            # one Spark task is one core: analyze on this thread's core only
            table = analyzer.analyze_arrow(lines, threads=1, position="_position")
            position = table.column("_position")
            record = pc.take(batch.column("record"), pc.take(pa.array(keep, pa.int64()), position))
            table = table.drop_columns(["_position"]).append_column("record", record)
            table = table.append_column("finding", pa.array(finding_numbers(table, position), pa.int64()))
            yield from table.to_batches()

    return run


def read_records(spark, paths, input_format):
    """The input as a DataFrame of JSON records (column ``value``, binary)
    with a ``record`` number, increasing in input order."""
    from pyspark.sql import functions as F

    if input_format == "jsonl":
        # binary, not text: a line that is not UTF-8 reaches tactful as it
        # is (and becomes an error record, as in the CLI) instead of being
        # decoded with replacement characters
        records = spark.read.text(paths).select(F.col("value").cast("binary").alias("value"))
    elif input_format == "parquet":
        frame = spark.read.parquet(*paths)
        records = frame.select(F.to_json(F.struct(*frame.columns)).cast("binary").alias("value"))
    else:
        raise ValueError(f"unknown input format {input_format!r} (expected jsonl or parquet)")
    return records.withColumn("record", F.monotonically_increasing_id())


def run(spark, paths, output, input_format="jsonl", config=None):
    """Analyzes the transcripts of ``paths`` and writes ``output/findings``
    and ``output/scores`` (Parquet). ``config`` is None, a dict of
    ``tactful.toml`` keys, or the path of a TOML file (shipped to the
    executors). Returns the two output paths."""
    from pyspark.sql import functions as F

    import tactful

    if isinstance(config, (str, os.PathLike)):
        path = os.fspath(config)
        tactful.Analyzer(path)  # a bad file fails here, with the CLI's message
        spark.sparkContext.addFile(path)
        config = os.path.basename(path)
    elif config is not None:
        tactful.Analyzer(config)
    records = read_records(spark, paths, input_format)
    rows = records.mapInArrow(analyze_batches(config), FINDINGS_SCHEMA)
    findings_path = os.path.join(output, "findings")
    scores_path = os.path.join(output, "scores")
    rows.write.mode("overwrite").parquet(findings_path)
    # the scores from the rows just written (not a second analysis): each
    # record's first row (finding 0, or its only row), no shuffle
    written = spark.read.parquet(findings_path)
    first = F.col("finding").isNull() | (F.col("finding") == 0)
    scores = written.where(first).select("record", "id", "score", "error")
    scores.write.mode("overwrite").parquet(scores_path)
    return findings_path, scores_path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", metavar="INPUT", help="JSONL or Parquet files or directories")
    parser.add_argument("output", metavar="OUTPUT", help="output directory (findings/ and scores/ are replaced)")
    parser.add_argument("--format", dest="input_format", choices=["jsonl", "parquet"], default="jsonl")
    parser.add_argument("--config", help="a tactful.toml (default: the built-in configuration)")
    args = parser.parse_args(argv)
    if len(args.paths) < 1:
        parser.error("no input")

    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("tactful").getOrCreate()
    try:
        findings, scores = run(spark, args.paths, args.output, args.input_format, args.config)
    finally:
        spark.stop()
    print(f"tactful: wrote {findings} and {scores}", file=sys.stderr)


if __name__ == "__main__":
    main()
