"""tactful: audit customer-service conversations from Python.

The analysis is tactful's Rust library; records are exactly those of
``tactful check --format jsonl`` (same keys, same values, same error
messages), because they are read and written by the command line's own code.

>>> import tactful
>>> a = tactful.Analyzer()
>>> r = a.analyze({"id": "T-1", "turns": [
...     {"role": "customer", "text": "My parcel is lost!!!"},
...     {"role": "agent", "text": "I'm sorry, but per our policy we cannot refund."}]})
>>> r["score"] < 100
True
"""

from ._tactful import (
    CSV_COLUMNS,
    INT_COLUMNS,
    SCHEMA_VERSION,
    Analyzer,
    ConfigError,
    Conversation,
    InputError,
    Records,
    TactfulError,
    __version__,
)

__all__ = [
    "SCHEMA_VERSION",
    "Analyzer",
    "ConfigError",
    "Conversation",
    "InputError",
    "Records",
    "TactfulError",
    "__version__",
    "check_file",
    "FINDING_COLUMNS",
    "COLUMNS",
    "rows",
    "to_pandas",
    "to_arrow",
    "arrow_schema",
]

#: The columns of :func:`to_pandas` and :func:`to_arrow`: those of
#: ``tactful check --format csv``, taken from the command line's own list.
COLUMNS = tuple(CSV_COLUMNS)

#: The finding fields, in the order of the CLI's CSV columns.
FINDING_COLUMNS = tuple(c for c in COLUMNS if c not in ("id", "score", "error"))

_INT_COLUMNS = tuple(INT_COLUMNS)


def check_file(path, input_format=None, *, config=None, threads=None):
    """Yield the records of a transcript file, in input order.

    Exactly the records ``tactful check --format jsonl PATH`` writes, error
    records included. ``input_format`` is ``"jsonl"``, ``"json"``, ``"csv"``
    or ``"text"`` (default: from the extension, JSONL otherwise); ``config``
    is as for :class:`Analyzer` (unlike the CLI, no ``tactful.toml`` is read
    from the current directory unless named). Runs on ``threads`` background
    threads (default: all cores).
    """
    return Analyzer(config).check_file(path, input_format, threads)


def rows(records):
    """One dict per finding, with the record's ``id`` and ``score``.

    A transcript with no finding gives one row whose finding columns are
    None; an error record gives one row with only ``id`` and ``error`` (its
    message), as in ``tactful check --format csv``.
    """
    for record in records:
        error = record.get("error")
        if error is not None:
            row = dict.fromkeys(COLUMNS)
            row["id"] = record.get("id")
            row["error"] = error.get("message")
            yield row
            continue
        findings = record.get("findings") or [None]
        for finding in findings:
            row = dict.fromkeys(COLUMNS)
            row["id"] = record.get("id")
            row["score"] = record.get("score")
            if finding is not None:
                for key in FINDING_COLUMNS:
                    row[key] = finding.get(key)
            yield row


def to_pandas(records):
    """A pandas DataFrame with one row per finding (see :func:`rows`).

    Columns: :data:`COLUMNS`; ``score``, ``turn``, ``start`` and ``end`` are
    nullable integers (``Int64``), the others strings (``object``, None when
    empty).
    """
    import pandas as pd

    frame = pd.DataFrame.from_records(list(rows(records)), columns=list(COLUMNS))
    for column in _INT_COLUMNS:
        frame[column] = frame[column].astype("Int64")
    return frame


def arrow_schema():
    """The pyarrow schema of :func:`to_arrow`."""
    import pyarrow as pa

    return pa.schema(
        [
            (c, pa.int64() if c in _INT_COLUMNS else pa.string())
            for c in COLUMNS
        ]
    )


def to_arrow(records):
    """A pyarrow Table with one row per finding (see :func:`rows`); integer
    columns are int64, the others strings, all nullable."""
    import pyarrow as pa

    return pa.Table.from_pylist(list(rows(records)), schema=arrow_schema())


def _arrow_table(batches, position=None):
    """The pyarrow Table of :meth:`Analyzer.analyze_arrow`, from the column
    buffers its Rust part built (wrapped, not copied)."""
    import pyarrow as pa

    schema = arrow_schema()
    if position is not None:
        schema = schema.append(pa.field(position, pa.int64(), nullable=False))
    out = []
    for rows, columns, record in batches:
        arrays = []
        for _name, is_int, validity, nulls, main, data in columns:
            valid = None if validity is None else pa.py_buffer(validity)
            if is_int:
                buffers = [valid, pa.py_buffer(main)]
                kind = pa.int64()
            else:
                buffers = [valid, pa.py_buffer(main), pa.py_buffer(data)]
                kind = pa.string()
            arrays.append(pa.Array.from_buffers(kind, rows, buffers, null_count=nulls))
        if position is not None:
            arrays.append(pa.Array.from_buffers(pa.int64(), rows, [None, pa.py_buffer(record)]))
        out.append(pa.RecordBatch.from_arrays(arrays, schema=schema))
    return pa.Table.from_batches(out, schema=schema)
