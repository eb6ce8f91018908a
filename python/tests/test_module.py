"""The Python module against the command line, on every fixture."""

import json
import threading
import time

import pytest

import tactful
from conftest import FIXTURES, fixture_files, run_cli

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_check_file_equals_the_cli(path, cli_records):
    assert list(tactful.check_file(path)) == cli_records(path)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_check_file_with_a_format_equals_the_cli(path, cli_records):
    assert list(tactful.check_file(path, "text", threads=1)) == cli_records(
        path, "--input-format", "text"
    )


def jsonl_lines(path):
    """The non-blank lines of a JSONL file (bytes, as read)."""
    data = path.read_bytes().removeprefix(b"\xef\xbb\xbf")  # a BOM starts a file, not a record
    return [line for line in data.splitlines() if line.strip()]


JSONL = [p for p in FILES if p.suffix == ".jsonl"]


def comparable(record):
    """A record without where its input came from."""
    record = dict(record)
    if "error" in record:
        record["error"] = {"message": record["error"]["message"]}
    return record


@pytest.mark.parametrize("path", JSONL, ids=lambda p: p.name)
def test_analyze_many_and_analyze_equal_the_cli(path, cli_records):
    lines = jsonl_lines(path)
    expected = cli_records(path)
    if len(lines) != len(expected):
        pytest.skip("a line the CLI reads differently (BOM, CRLF, blank)")
    got = tactful.Analyzer().analyze_many(lines)
    for line, want, have in zip(lines, expected, got):
        try:
            has_id = "id" in json.loads(line)
        except ValueError:
            has_id = False
        if has_id:
            assert comparable(have) == comparable(want)
            # and as a dict, through analyze()
            assert tactful.Analyzer().analyze(json.loads(line)) == want
        elif "error" in want:
            assert have["error"]["message"] == want["error"]["message"]


def test_malformed_json_is_an_error_record_or_an_exception():
    a = tactful.Analyzer()
    bad = '{"id": "A", "turns": [{"role": "customer", "text": "x"}'
    [record] = a.analyze_many([bad])
    assert record["schema_version"] == 1
    assert record["error"]["file"] == "<records>"
    assert record["error"]["line"] == 1
    assert record["error"]["message"].startswith("invalid JSON: EOF while parsing")
    with pytest.raises(tactful.InputError) as e:
        a.analyze(bad)
    assert str(e.value) == record["error"]["message"]
    with pytest.raises(tactful.InputError, match='unknown role "narrator"') as e:
        a.analyze({"id": "B", "turns": [{"role": "narrator", "text": "x"}]})
    assert e.value.id == "B"
    with pytest.raises(tactful.InputError, match="not a transcript: missing field `turns`"):
        a.analyze({"id": "C"})
    with pytest.raises(TypeError):
        a.analyze(42)
    # the batch goes on after a bad record
    out = a.analyze_many([bad, {"id": "ok", "turns": []}])
    assert "error" in out[0] and out[1]["id"] == "ok"


def test_bad_input_messages_equal_the_cli(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "A", "turns": [{"role": "customer"}]}\n{"turns": "x"}\n')
    done = run_cli(cli, "check", "--format", "jsonl", str(bad), cwd=tmp_path)
    want = [json.loads(l) for l in done.stdout.splitlines()]
    got = tactful.Analyzer().analyze_many(bad.read_text().splitlines())
    assert [g["error"]["message"] for g in got] == [w["error"]["message"] for w in want]
    assert [g["id"] for g in got] == [w["id"] for w in want]


def test_bad_config_messages_equal_the_cli(cli, tmp_path):
    toml = tmp_path / "bad.toml"
    toml.write_text('# x\nignore = ["procedural.nope"]\n')
    done = run_cli(cli, "check", "--config", str(toml), str(FIXTURES / "sample.jsonl"), cwd=tmp_path)
    assert done.returncode == 2
    stderr = done.stderr.decode().strip()
    with pytest.raises(tactful.ConfigError) as e:
        tactful.Analyzer(str(toml))
    assert stderr == f"tactful: {e.value}"
    with pytest.raises(tactful.ConfigError, match='ignore: unknown rule or category "procedural.nope"'):
        tactful.Analyzer({"ignore": ["procedural.nope"]})
    with pytest.raises(tactful.ConfigError, match="unknown field `selct`"):
        tactful.Analyzer({"selct": []})
    with pytest.raises(tactful.ConfigError, match="cannot read"):
        tactful.Analyzer(str(tmp_path / "missing.toml"))


def test_config_dict_equals_the_toml_file(cli_records, tmp_path):
    toml = tmp_path / "t.toml"
    toml.write_text('ignore = ["excuse"]\n[distress]\nthreshold = 30\n')
    path = FIXTURES / "sample.jsonl"
    want = cli_records(path, "--config", str(toml))
    assert list(tactful.check_file(path, config=str(toml))) == want
    assert list(tactful.check_file(path, config={"ignore": ["excuse"], "distress": {"threshold": 30}})) == want


def corpus(times=40):
    """Every JSONL fixture record that reads, `times` over, with fresh ids."""
    records = []
    for path in JSONL:
        for line in jsonl_lines(path):
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict):
                records.append(record)
    out = []
    for i in range(times):
        for j, r in enumerate(records):
            out.append(dict(r, id=f"{i}-{j}"))
    return out


def test_threads_give_the_same_records_in_input_order():
    records = corpus()
    a = tactful.Analyzer()
    one = a.analyze_many(records, threads=1)
    two = a.analyze_many(iter(records), threads=2)
    default = a.analyze_many(records)
    assert one == two == default
    assert [r["id"] for r in one] == [r["id"] for r in records]
    with pytest.raises(ValueError, match="threads must be at least 1"):
        a.analyze_many(records, threads=0)


def test_the_gil_is_released_while_analyzing():
    # While one thread is inside analyze_many, another must keep running
    # Python code: it counts its loop turns during the middle third of the
    # call. The records are long and plain (analysis is most of the call,
    # their records are short to turn into dicts), so the middle third is in
    # the Rust part. With the GIL held there, the other thread could run none
    # (the calling thread runs no bytecode, so the GIL is never handed
    # over); released, it runs many thousands.
    text = "I would like to ask about the order I placed last week for the blue lamp. " * 300
    lines = [
        json.dumps({"id": str(i), "turns": [{"role": "customer", "text": text}]}).encode()
        for i in range(1500)
    ]
    a = tactful.Analyzer()
    t0 = time.perf_counter()
    a.analyze_many(lines, threads=1)
    alone = time.perf_counter() - t0
    assert alone > 0.05, "too little work to see anything"

    stamps = []
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            stamps.append(time.perf_counter())

    call = {}

    def analyze():
        call["start"] = time.perf_counter()
        call["out"] = a.analyze_many(lines, threads=1)
        call["end"] = time.perf_counter()

    spinner = threading.Thread(target=spin)
    worker = threading.Thread(target=analyze)
    spinner.start()
    worker.start()
    worker.join()
    stop.set()
    spinner.join()
    span = call["end"] - call["start"]
    lo, hi = call["start"] + span / 3, call["start"] + 2 * span / 3
    during = sum(1 for s in stamps if lo <= s <= hi)
    print(f"GIL: {during} turns in {span / 3:.3f}s, alone {alone:.3f}s")
    assert during > 1000, f"{during} loop turns of the other thread in {span / 3:.3f}s"
    assert len(call["out"]) == len(lines)


def test_two_python_threads_analyze_at_once():
    lines = [json.dumps(r).encode() for r in corpus(40)]
    a = tactful.Analyzer()
    want = a.analyze_many(lines, threads=1)
    results = [None, None]

    def run(i):
        results[i] = a.analyze_many(lines, threads=1)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [want, want]


def turns_of(record):
    turns = record.get("turns") or record.get("messages") or record.get("conversation") or []
    for t in turns:
        role = next(t[k] for k in ("role", "speaker", "sender", "author", "author_type") if k in t)
        text = next(t[k] for k in ("text", "message", "body", "content") if k in t)
        yield role, text


@pytest.mark.parametrize("record", corpus(1), ids=lambda r: r["id"])
def test_conversation_equals_analyze(record):
    a = tactful.Analyzer()
    want = a.analyze(record)
    for key in ("agent", "team", "channel", "metadata"):
        want.pop(key, None)
    chat = a.conversation(record["id"])
    pushed = []
    for role, text in turns_of(record):
        pushed += chat.push(role, text)
    pushed += chat.finish()
    got = chat.report()
    assert got == want
    assert len(chat) == len(list(turns_of(record)))
    key = lambda f: (f["turn"], f["start"], f["end"], f["rule"])
    assert sorted(pushed, key=key) == sorted(want["findings"], key=key)


def test_conversation_rejects_an_unknown_role():
    chat = tactful.Conversation()
    with pytest.raises(tactful.InputError, match='turn 0: unknown role "narrator"'):
        chat.push("narrator", "hello")


def test_check_file_reports_a_missing_file_as_a_record(cli_records, tmp_path):
    missing = tmp_path / "nope.jsonl"
    [record] = list(tactful.check_file(missing))
    assert record["id"] is None and "cannot open" in record["error"]["message"]
    with pytest.raises(ValueError, match="unknown input format"):
        tactful.check_file(missing, "xml")


def test_to_pandas_has_one_row_per_finding():
    records = tactful.Analyzer().analyze_many(
        [{"id": "clean", "turns": [{"role": "agent", "text": "Hello."}]}, "{bad"]
        + corpus(1)
    )
    frame = tactful.to_pandas(records)
    assert list(frame.columns) == list(tactful.COLUMNS)
    expected_rows = sum(max(1, len(r.get("findings", []))) for r in records)
    assert len(frame) == expected_rows
    clean = frame[frame["id"] == "clean"]
    assert len(clean) == 1 and clean["rule"].isna().all() and clean["score"].iloc[0] == 100
    bad = frame[frame["error"].notna()]
    assert len(bad) == 1 and bad["error"].iloc[0].startswith("invalid JSON")
    assert str(frame["start"].dtype) == "Int64"
    first = next(r for r in records if r.get("findings"))
    row = frame[frame["id"] == first["id"]].iloc[0]
    for key in tactful.FINDING_COLUMNS:
        want = first["findings"][0].get(key)
        assert (row[key] if row[key] is not None and row[key] == row[key] else None) == want


def test_to_arrow_matches_to_pandas():
    pa = pytest.importorskip("pyarrow")
    records = tactful.Analyzer().analyze_many(corpus(1))
    table = tactful.to_arrow(records)
    assert table.schema.field("turn").type == pa.int64()
    assert table.num_rows == len(tactful.to_pandas(records))
    assert table.column("id").to_pylist() == list(tactful.to_pandas(records)["id"])


def tricky_records():
    """Records whose output needs JSON escapes (ids, texts, error messages),
    a clean one, error records and fixture transcripts."""
    return [
        {"id": 'T "quoted" \\ back\nslash é 😀', "turns": [
            {"role": "customer", "text": "My bag is LOST!!! \"again\" \\o/"},
            {"role": "agent", "text": "I'm sorry, but per our policy we cannot refund it.\tSorry \"for\" any inconvenience."},
        ]},
        {"id": "clean", "turns": [{"role": "agent", "text": "Hello."}]},
        '{"id": "A", "turns": [{"role": "customer", "text": "x"}',
        {"id": "B", "turns": [{"role": "narrator", "text": "x"}]},
        {"turns": [{"role": "agent", "text": "Per our policy, no."}]},
        b'{"id": 7, "turns": []}',
    ] + corpus(2)


def test_analyze_arrow_equals_to_arrow_of_analyze_many():
    pa = pytest.importorskip("pyarrow")
    records = tricky_records()
    a = tactful.Analyzer()
    want = tactful.to_arrow(a.analyze_many(records))
    for threads in (None, 1, 2):
        got = a.analyze_arrow(records, threads=threads)
        assert got.schema == tactful.arrow_schema()
        assert got.equals(want), threads
    rows = got.to_pylist()
    assert rows[0]["id"] == 'T "quoted" \\ back\nslash é 😀'
    assert any((r["error"] or "").startswith('turn 0: unknown role "narrator"') for r in rows)
    assert rows[-1]["id"] == corpus(2)[-1]["id"]
    # a custom configuration applies as in analyze_many
    b = tactful.Analyzer({"ignore": ["procedural", "apology"]})
    table = b.analyze_arrow(records)
    assert table.equals(tactful.to_arrow(b.analyze_many(records)))
    assert not any((r or "").startswith(("procedural", "apology")) for r in table.column("rule").to_pylist())
    assert table.column("rule").null_count >= 1 and pa.types.is_string(table.schema.field("rule").type)


def test_analyze_arrow_position_names_each_rows_record():
    pytest.importorskip("pyarrow")
    records = tricky_records()
    a = tactful.Analyzer()
    table = a.analyze_arrow(records, position="record")
    assert table.column_names == list(tactful.COLUMNS) + ["record"]
    want = []
    for i, record in enumerate(a.analyze_many(records)):
        want += [i] * max(1, len(record.get("findings", [])))
    assert table.column("record").to_pylist() == want
    assert table.drop_columns(["record"]).equals(a.analyze_arrow(records))


def test_analyze_arrow_over_batches_and_nothing():
    pytest.importorskip("pyarrow")
    a = tactful.Analyzer()
    empty = a.analyze_arrow([])
    assert empty.num_rows == 0 and empty.schema == tactful.arrow_schema()
    # more records than one internal batch (8192): positions run on
    lines = [json.dumps({"id": str(i), "turns": [{"role": "agent", "text": "Per our policy, no."}]})
             for i in range(9000)]
    table = a.analyze_arrow(iter(lines), threads=2, position="p")
    assert table.drop_columns(["p"]).equals(tactful.to_arrow(a.analyze_many(lines)))
    assert table.column("id").to_pylist()[-1] == "8999"
    assert sorted(set(table.column("p").to_pylist())) == list(range(9000))
    with pytest.raises(TypeError):
        a.analyze_arrow([42])
    with pytest.raises(ValueError, match="threads must be at least 1"):
        a.analyze_arrow(lines, threads=0)


def test_records_are_what_json_loads_makes_of_the_cli_output(cli_records, tmp_path):
    # The module builds its dicts with its own JSON reader; on every kind of
    # JSON value that metadata (copied from the input) can hold, they must
    # equal json.loads of the CLI's output, types included.
    deep = "[" * 95 + "]" * 95  # the CLI takes metadata up to 100 levels deep
    metadata = (
        '{"float": 1.5e3, "neg": -7, "zero": -0, "frac": 0.1, "big": 123456789012345678901234567890,'
        ' "nbig": -98765432109876543210, "tiny": 5e-324, "t": true, "f": false, "n": null,'
        ' "esc": "\\ud83d\\ude00 \\u00e9 \\"q\\" \\\\ \\/ \\b\\f\\n\\r\\t",'
        ' "raw": "😀 é", "empty": {}, "list": [], "nested": {"a": [1, {"b": [true, null]}]},'
        ' "deep": ' + deep + ', "dup": 1, "dup": 2, "sp" : [ 1 , 2 ] }'
    )
    lines = [
        '{"id": "m1", "turns": [{"role": "customer", "text": "LOST again!!!"}], "metadata": ' + metadata + "}",
        '{"id": "m2 \\u00e9 \\"x\\"", "turns": [{"role": "agent", "text": "Sorry, but per our policy \\"no\\"."}],'
        ' "agent": "A\\tB", "team": "T", "channel": "c", "metadata": 3.25}',
        '{"id": "m3", "turns": [{"role": "agent", "text": "Hello."}], "metadata": "\\ud800"}',
        '{"id": "m4", "turns": [], "metadata": [' + ", ".join(str(i) for i in range(300)) + "]}",
    ]
    path = tmp_path / "meta.jsonl"
    path.write_text("\n".join(lines) + "\n")
    want = cli_records(path)
    # (a lone surrogate cannot read back: the CLI makes m3 an error record)
    assert ["error" in r for r in want] == [False, False, True, False], want
    assert want[0]["metadata"]["big"] == 123456789012345678901234567890
    a = tactful.Analyzer()
    got = list(tactful.check_file(path))
    assert got == want
    many = a.analyze_many(lines)
    assert [comparable(r) for r in many] == [comparable(r) for r in want]
    assert [a.analyze(line) for line in lines if "ud800" not in line] == [want[0], want[1], want[3]]

    def types(value):
        if isinstance(value, dict):
            return {k: types(v) for k, v in value.items()}
        if isinstance(value, list):
            return [types(v) for v in value]
        return type(value).__name__

    assert types(got) == types(want)
    assert list(got[0]) == list(want[0])  # the same key order
    assert list(got[0]["metadata"]) == list(want[0]["metadata"])


def test_the_garbage_collector_is_left_as_it_was():
    import gc

    a = tactful.Analyzer()
    records = corpus(1)
    assert gc.isenabled()
    a.analyze_many(records)
    assert gc.isenabled()
    gc.disable()
    try:
        a.analyze_many(records)
        assert not gc.isenabled()
    finally:
        gc.enable()
    # a cycle made of returned records is still collected
    import weakref

    class Box:
        pass

    [record] = a.analyze_many(records[:1])
    box = Box()
    record["box"] = box
    box.record = record
    ref = weakref.ref(box)
    del record, box
    gc.collect()
    assert ref() is None


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": 1, "b": [1.5, -2, true, false, null], "c": {"d": "\\u00e9\\n"}}',
        b'"\\ud800"',  # a lone surrogate: serde_json refuses it, json.loads takes it
        b"[" * 300 + b"]" * 300,  # deeper than the reader follows
        b'{"x": NaN, "y": -Infinity}',  # literals only json.loads knows
        b"123456789012345678901234567890",
        b' {"k" : [ ] } ',
        b"[1e400, -0.0, 1E-2]",
    ],
)
def test_the_json_reader_equals_json_loads(text):
    from tactful import _tactful

    want = json.loads(text)
    got = _tactful._loads(text)
    assert repr(got) == repr(want)


@pytest.mark.parametrize(
    "text",
    [b'{"a": 1', b"[1, 2", b'{"a" 1}', b"", b"01", b"-", b"1.", b"1e", b'"\x80"', b'"a\x01"', b"[1] x"],
)
def test_the_json_reader_raises_as_json_loads(text):
    from tactful import _tactful

    with pytest.raises(ValueError) as want:
        json.loads(text)
    with pytest.raises(ValueError) as got:
        _tactful._loads(text)
    assert type(got.value) is type(want.value)


def encoder_cases():
    import collections
    import enum

    class Level(enum.IntEnum):
        HIGH = 3

    turns = [{"role": "customer", "text": "Where is it?!! \"quoted\" \\ \t\n\x01 é 😀"},
             {"role": "agent", "text": "Sorry, but per our policy we cannot."}]
    meta = {
        "f": 1e20, "g": 0.1, "h": -0.0, "i": 2**70, "j": -(2**64), "k": True, "l": False,
        "m": None, "n": (1, [2, {"o": "p"}]), "q": "\x7f\u2028", "r": 3.0, "s": 1e-7,
    }
    return [
        {"id": "plain", "turns": turns},
        {"id": "meta", "turns": turns, "metadata": meta, "agent": "A", "team": "T", "channel": "c"},
        {"id": 7, "turns": turns},
        {"id": "tuple-turns", "turns": tuple(turns)},
        # left to json.dumps:
        {"id": "ordered", "turns": turns, "metadata": collections.OrderedDict(a=1)},
        {"id": "intenum", "turns": turns, "metadata": {"level": Level.HIGH}},
        {"id": "intkeys", "turns": turns, "metadata": {1: "a", None: "b", 2.5: "c", True: "d"}},
        {"id": "nan", "turns": turns, "metadata": {"x": float("nan")}},
        {"id": "inf", "turns": turns, "metadata": [float("inf")]},
        {"id": "deep", "turns": turns, "metadata": json.loads("[" * 90 + "]" * 90)},
        {"id": "str-subclass", "turns": [{"role": "agent", "text": type("S", (str,), {})("Per our policy, no.")}]},
    ]


@pytest.mark.parametrize("record", encoder_cases(), ids=lambda r: str(r["id"]))
def test_dicts_are_read_as_their_json_dumps(record):
    a = tactful.Analyzer()
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
    [want] = a.analyze_many([text])
    [got] = a.analyze_many([record])
    assert got == want
    assert repr(got.get("metadata")) == repr(want.get("metadata"))  # types too (1e+20 stays a float)


def test_dicts_json_dumps_refuses_are_refused_alike():
    a = tactful.Analyzer()
    circular = {"id": "c", "turns": []}
    circular["metadata"] = circular
    with pytest.raises(ValueError, match="Circular reference"):
        a.analyze_many([circular])
    with pytest.raises(TypeError, match="not JSON serializable"):
        a.analyze_many([{"id": "o", "turns": [], "metadata": object()}])
    with pytest.raises(UnicodeEncodeError):
        a.analyze_many([{"id": "s", "turns": [{"role": "agent", "text": "\ud800"}]}])


def test_analyze_many_over_several_batches_keeps_order_and_positions():
    # 8192 records a batch
    a = tactful.Analyzer()
    lines = []
    for i in range(17000):
        if i % 5000 == 4999:
            lines.append(b'{"id": "bad", "turns": [')
        elif i % 7000 == 6999:
            lines.append(b'{"turns": [{"role": "agent", "text": "Per our policy, no."}]}')
        else:
            lines.append(json.dumps({"id": f"r{i}", "turns": [{"role": "agent", "text": "Per our policy, no."}]}).encode())
    got = a.analyze_many(iter(lines), threads=1)
    assert len(got) == len(lines)
    for i, record in enumerate(got):
        if i % 5000 == 4999:
            assert record["error"]["line"] == i + 1 and record["id"] is None
        elif i % 7000 == 6999:
            assert record["id"] == str(i + 1)  # a missing id is the position
        else:
            assert record["id"] == f"r{i}" and record["findings"][0]["rule"] == "procedural.policy_as_reason"
    assert got == a.analyze_many(lines, threads=2)
    # an error while encoding stops the call
    with pytest.raises(TypeError):
        a.analyze_many(lines[:9000] + [42])
