//! The no-loss guarantee, end to end with the real binary: hostile input
//! (broken lines, invalid UTF-8, NUL bytes, huge and tiny records, deep
//! nesting, duplicate ids, odd CSV quoting, directories, files that vanish,
//! closed pipes, a kill midway) never crashes the run and never loses a
//! record: N input records give N output records, in input order, and an
//! input error gives an error record naming the file and line, the same
//! message on stderr, and exit code 2.
//!
//! Inputs are generated into a temporary directory and the binary runs there,
//! so error records name files as given on the command line. Cases already
//! covered by `tests/cli.rs` (the hostile fixtures, a 10 MB line, a missing
//! file, `| head`, `--threads 1` vs 2) are not repeated.

use assert_cmd::Command;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};
use Expect::Error;

// ------------------------------------------------------------------ helpers

/// What one output record should be.
#[derive(Debug, Clone)]
enum Expect {
    /// A transcript with this id and these turn texts (to check spans).
    Data(String, Vec<String>),
    /// An error record: line (none for a whole file), part of the message.
    Error(Option<u64>, &'static str),
}

fn data(id: &str, turns: &[&str]) -> Expect {
    Expect::Data(
        id.to_string(),
        turns.iter().map(|t| t.to_string()).collect(),
    )
}

/// The result of one run.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `tactful check ARGS` in `dir`.
fn check_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn records(stdout: &str) -> Vec<Value> {
    assert!(
        stdout.is_empty() || stdout.ends_with('\n'),
        "output ends mid-line"
    );
    stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("not one JSON record per line ({e}): {l:.300}"))
        })
        .collect()
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<null>".to_string(),
        v => v.to_string(),
    }
}

/// Every finding of a data record is a slice of its turn.
fn assert_spans(rec: &Value, turns: &[String]) {
    for f in rec["findings"].as_array().expect("a data record") {
        let turn = &turns[f["turn"].as_u64().unwrap() as usize];
        let (start, end) = (
            f["start"].as_u64().unwrap() as usize,
            f["end"].as_u64().unwrap() as usize,
        );
        assert!(
            start <= end && turn.is_char_boundary(start) && turn.is_char_boundary(end),
            "{f}"
        );
        assert_eq!(f["text"].as_str().unwrap(), &turn[start..end], "{f}");
    }
}

/// The run gave exactly the expected records of `file`, in order; every
/// error names the file and line, also on stderr; nothing panicked.
fn assert_batch(run: &Run, file: &str, expected: &[Expect]) {
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let recs = records(&run.stdout);
    let got: Vec<String> = recs
        .iter()
        .map(|r| match r.get("error") {
            Some(e) => format!("error@{}", e["line"]),
            None => id_string(&r["id"]),
        })
        .collect();
    assert_eq!(
        recs.len(),
        expected.len(),
        "one record per input record: {got:?}\nexpected {expected:?}"
    );
    for (rec, want) in recs.iter().zip(expected) {
        match want {
            Expect::Data(id, turns) => {
                assert!(rec.get("error").is_none(), "expected {id}, got {rec:.300}");
                assert_eq!(id_string(&rec["id"]), *id, "{got:?}");
                assert_spans(rec, turns);
            }
            Expect::Error(line, part) => {
                let e = &rec["error"];
                assert!(e.is_object(), "expected an error, got {rec:.300}");
                assert_eq!(e["file"], file, "{rec}");
                assert_eq!(e["line"].as_u64(), *line, "{rec}");
                let message = e["message"].as_str().unwrap();
                assert!(message.contains(part), "{part:?} not in {message:?}");
                let place = match line {
                    Some(l) => format!("tactful: {file}:{l}: "),
                    None => format!("tactful: {file}: "),
                };
                assert!(
                    run.stderr.contains(&format!("{place}{message}")),
                    "{place}{message} not on stderr:\n{}",
                    run.stderr
                );
            }
        }
    }
    let errors = expected
        .iter()
        .filter(|e| matches!(e, Expect::Error(..)))
        .count();
    assert_eq!(run.code, if errors > 0 { 2 } else { 0 }, "{}", run.stderr);
}

fn turns_json(turns: &[(&str, &str)]) -> Value {
    turns
        .iter()
        .map(|(r, t)| json!({"role": r, "text": t}))
        .collect()
}

// ------------------------------------------------------------------- JSONL

#[test]
fn jsonl_with_malformed_lines_gives_one_record_per_line_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut file: Vec<u8> = Vec::new();
    let mut expected = Vec::new();
    let mut line = |bytes: &[u8], expect: Option<Expect>| {
        file.extend_from_slice(bytes);
        file.push(b'\n');
        expected.extend(expect);
    };
    let nul_agent = "I'm sorry\0, but per our policy we cannot refund\0 it.";
    line(
        json!({"id": "J-1", "turns": turns_json(&[("customer", "THIS IS RIDICULOUS!!!"), ("agent", nul_agent)])})
            .to_string()
            .as_bytes(),
        Some(data("J-1", &["THIS IS RIDICULOUS!!!", nul_agent])),
    );
    // a raw NUL byte inside a JSON string is invalid JSON (a control character)
    line(
        b"{\"id\": \"J-2\", \"turns\": [{\"role\": \"agent\", \"text\": \"sorry\0 but\"}]}",
        Some(Error(Some(2), "control character")),
    );
    // a line of NUL bytes
    line(b"\0\0\0\0", Some(Error(Some(3), "invalid JSON")));
    // invalid UTF-8 in the middle of a turn
    line(
        b"{\"id\": \"J-4\", \"turns\": [{\"role\": \"agent\", \"text\": \"unfortunately \xff\xfe we can't\"}]}",
        Some(Error(Some(4), "invalid UTF-8")),
    );
    // blank lines are not records, but count as lines
    line(b"", None);
    line(b"  \r", None);
    // a duplicate id: both records are kept, in order
    line(
        json!({"id": "J-1", "turns": turns_json(&[("agent", "Sorry if that upset you.")])})
            .to_string()
            .as_bytes(),
        Some(data("J-1", &["Sorry if that upset you."])),
    );
    // 100,000 nested arrays: an error record, not a stack overflow
    line(
        "[".repeat(100_000).as_bytes(),
        Some(Error(Some(8), "not a transcript")),
    );
    // deeply nested but balanced unknown field: ignored
    let deep = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    line(
        format!(
            r#"{{"id": "J-9", "x": {deep}, "turns": [{{"role": "agent", "text": "per our policy"}}]}}"#
        )
        .as_bytes(),
        Some(data("J-9", &["per our policy"])),
    );
    // deeply nested metadata would be passed through to the output, where
    // JSON readers could not read it back: an error
    line(
        format!(
            r#"{{"id": "J-10", "turns": [], "metadata": {}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        )
        .as_bytes(),
        Some(Error(Some(10), "metadata is nested deeper")),
    );
    line(
        json!({"id": 11, "turns": turns_json(&[("customer", "😡 مرحبا e\u{301}"), ("agent", "Unfortunately\u{200B} that's not our fault.")])})
            .to_string()
            .as_bytes(),
        Some(data(
            "11",
            &["😡 مرحبا e\u{301}", "Unfortunately\u{200B} that's not our fault."],
        )),
    );
    // truncated last line: no newline, cut mid-record
    file.extend_from_slice(br#"{"id": "J-12", "turns": [{"role": "agent", "text": "I apolo"#);
    expected.push(Error(Some(12), "EOF while parsing"));
    std::fs::write(dir.path().join("batch.jsonl"), &file).unwrap();

    for threads in ["1", "2"] {
        let run = check_in(dir.path(), &["--threads", threads, "batch.jsonl"]);
        assert_batch(&run, "batch.jsonl", &expected);
    }
}

// -------------------------------------------------------------------- text

#[test]
fn text_with_malformed_transcripts_gives_one_record_per_transcript_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let mut file: Vec<u8> = Vec::new();
    file.extend_from_slice(b"# id: X-1\nCustomer: where is it\0 THIS IS RIDICULOUS!!!\nAgent: I'm sorry, but\0 per our policy we can't.\n---\n");
    // invalid UTF-8 in the middle of a turn's continuation line (line 8)
    file.extend_from_slice(b"# id: X-2\nCustomer: hello\nAgent: unfortunately\nthe parcel \xc3\x28 is lost\nand sorry.\n---\n");
    // a duplicate id: kept
    file.extend_from_slice(
        b"# id: X-1\nAgent: Sorry you feel that way.\n\n\nCustomer: \xe2\x80\x8b\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xf0\x9f\x98\xa1!!!\n",
    );
    // text before a speaker (line 15), then a truncated last line: no newline
    file.extend_from_slice(
        b"---\nnot a speaker line\nAgent: sorry\n---\nCustomer: why?\nAgent: I'm sorry, but",
    );
    std::fs::write(dir.path().join("batch.txt"), &file).unwrap();
    let run = check_in(dir.path(), &["batch.txt"]);
    assert_batch(
        &run,
        "batch.txt",
        &[
            data(
                "X-1",
                &[
                    "where is it\0 THIS IS RIDICULOUS!!!",
                    "I'm sorry, but\0 per our policy we can't.",
                ],
            ),
            Error(Some(8), "invalid UTF-8"),
            data("X-1", &["Sorry you feel that way."]),
            // two blank lines end a transcript: the next starts at line 15
            data("15", &["\u{200b}שלום 😡!!!"]),
            Error(Some(17), "text before any speaker"),
            data("20", &["why?", "I'm sorry, but"]),
        ],
    );
    let recs = records(&run.stdout);
    assert_eq!(
        recs[1]["id"], "X-2",
        "the id of a failed transcript is kept"
    );
    let rules = |r: &Value| -> Vec<String> {
        r["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["rule"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        rules(&recs[5]).contains(&"apology.but".to_string()),
        "{}",
        recs[5]
    );
}

// --------------------------------------------------------------------- CSV

#[test]
fn csv_with_quotes_and_newlines_in_fields_keeps_rows_and_line_numbers() {
    let dir = tempfile::tempdir().unwrap();
    // line numbers: each row's first line is in the comment on its right
    let file: &[u8] = b"conversation_id,role,text\n\
C-1,customer,\"THIS IS RIDICULOUS!!!\nI wrote \"\"twice\"\", and,\n\nnothing.\"\n\
C-1,agent,\"I'm sorry, but\r\nper our policy we can't.\"\n\
\n\
C-2,agent,\"fine\"\n\
C-2,narrator,\"a\nb\"\n\
C-3,agent,\"bad \xff byte\"\n\
C-4,agent,NUL \0 inside\n\
\n\
\n\
C-5,agent\n";
    // C-1: lines 2-5 and 6-7; blank line 8; C-2: 9, and 10-11 (unknown
    // role); C-3: 12 (invalid UTF-8); C-4: 13; blank 14-15; C-5: 16, a
    // truncated row without its text field
    std::fs::write(dir.path().join("batch.csv"), file).unwrap();
    let run = check_in(dir.path(), &["batch.csv"]);
    assert_batch(
        &run,
        "batch.csv",
        &[
            data(
                "C-1",
                &[
                    "THIS IS RIDICULOUS!!!\nI wrote \"twice\", and,\n\nnothing.",
                    "I'm sorry, but\r\nper our policy we can't.",
                ],
            ),
            Error(Some(10), "unknown role \"narrator\""),
            Error(Some(12), "invalid UTF-8"),
            data("C-4", &["NUL \0 inside"]),
            Error(Some(16), "no text column"),
        ],
    );
    let recs = records(&run.stdout);
    let c1 = recs[0]["findings"].as_array().unwrap();
    assert!(c1.iter().any(|f| f["rule"] == "apology.but"), "{c1:?}");
    assert_eq!(recs[1]["id"], "C-2");
}

#[test]
fn csv_with_an_unterminated_quote_is_an_error_not_silent_loss() {
    // the csv parser reads everything after a stray quote as one field: the
    // rows after it would vanish without a word
    let dir = tempfile::tempdir().unwrap();
    let file = "id,role,text\n\
A,agent,Sorry for the wait.\n\
B,customer,\"where is it\n\
B,agent,no quote closes it\n\
C,agent,this row is swallowed\n\
D,agent,and so is this one\n";
    std::fs::write(dir.path().join("open.csv"), file).unwrap();
    let run = check_in(dir.path(), &["open.csv"]);
    assert_batch(
        &run,
        "open.csv",
        &[
            data("A", &["Sorry for the wait."]),
            Error(Some(3), "unterminated quoted field"),
        ],
    );
    // the same from standard input (buffered whole)
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .args(["check", "--input-format", "csv", "-"])
        .write_stdin(file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let recs = records(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(recs.len(), 2);
    assert_eq!(recs[1]["error"]["line"], 3);
}

// -------------------------------------------------------------------- JSON

#[test]
fn json_arrays_keep_the_elements_before_a_break_and_survive_deep_nesting() {
    let dir = tempfile::tempdir().unwrap();
    let el = |id: &str, text: &str| json!({"id": id, "turns": [{"role": "agent", "text": text}]});
    // a truncated array: the whole elements before the break are kept
    let truncated = format!(
        "[\n{},\n{},\n{{\"id\": \"J-3\", \"turns\": [{{\"role\": \"ag",
        el("J-1", "I'm sorry, but no."),
        el("J-1", "per our policy"),
    );
    std::fs::write(dir.path().join("truncated.json"), truncated).unwrap();
    // deeply nested element among good ones, and 100,000 `[` alone
    let nested = format!(
        "[{},\n{}{},\n{}]",
        el("N-1", "sorry"),
        "[".repeat(100_000),
        "]".repeat(100_000),
        el("N-3", "unfortunately"),
    );
    std::fs::write(dir.path().join("nested.json"), nested).unwrap();
    std::fs::write(dir.path().join("open.json"), "[".repeat(100_000)).unwrap();
    let mut bad_utf8 = b"[\n".to_vec();
    bad_utf8.extend_from_slice(el("U-1", "ok").to_string().as_bytes());
    bad_utf8.extend_from_slice(
        b",\n{\"id\": \"U-2\", \"turns\": [{\"role\": \"agent\", \"text\": \"\xff\"}]}]",
    );
    std::fs::write(dir.path().join("utf8.json"), bad_utf8).unwrap();

    let run = check_in(dir.path(), &["truncated.json"]);
    assert_batch(
        &run,
        "truncated.json",
        &[
            data("J-1", &["I'm sorry, but no."]),
            data("J-1", &["per our policy"]),
            Error(Some(4), "the rest of the file cannot be read"),
        ],
    );
    let run = check_in(dir.path(), &["nested.json"]);
    assert_batch(
        &run,
        "nested.json",
        &[
            data("N-1", &["sorry"]),
            Error(Some(2), "not a transcript"),
            data("N-3", &["unfortunately"]),
        ],
    );
    let run = check_in(dir.path(), &["open.json"]);
    assert_batch(&run, "open.json", &[Error(Some(1), "EOF while parsing")]);
    let run = check_in(dir.path(), &["utf8.json"]);
    assert_batch(&run, "utf8.json", &[Error(Some(3), "invalid UTF-8")]);
    // a .json file is read whole, up to 16 × --max-record-bytes: a longer
    // one is an error that says so, not a misleading "truncated" error
    let run = check_in(dir.path(), &["--max-record-bytes", "10", "nested.json"]);
    assert_batch(
        &run,
        "nested.json",
        &[Error(None, "longer than the limit of 160 bytes")],
    );
}

// ------------------------------------------------------------------- sizes

#[test]
fn a_50_mb_single_turn_is_analyzed_whole() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "The parcel left the depot on Tuesday and the tracking shows it in transit. ";
    let mut huge = String::from("Unfortunately, per our policy... ");
    huge.push_str(&filler.repeat(50 * 1024 * 1024 / filler.len() + 1));
    huge.push_str("I'm sorry, but that's not our fault.");
    assert!(huge.len() > 50 * 1024 * 1024);
    let mut file = String::new();
    for (id, agent) in [
        ("before", "Hello!"),
        ("huge", huge.as_str()),
        ("after", "Sorry."),
    ] {
        file.push_str(
            &json!({"id": id, "turns": turns_json(&[("customer", "Hi!!!"), ("agent", agent)])})
                .to_string(),
        );
        file.push('\n');
    }
    std::fs::write(dir.path().join("big.jsonl"), &file).unwrap();
    drop(file);
    let started = Instant::now();
    let run = check_in(dir.path(), &["big.jsonl"]);
    eprintln!("50 MB turn: {:?}", started.elapsed());
    assert_batch(
        &run,
        "big.jsonl",
        &[
            data("before", &["Hi!!!", "Hello!"]),
            Expect::Data("huge".into(), vec!["Hi!!!".into(), huge.clone()]),
            data("after", &["Hi!!!", "Sorry."]),
        ],
    );
    // phrases at both ends of the 50 MB turn are found
    let recs = records(&run.stdout);
    let starts: Vec<(String, u64)> = recs[1]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().into(),
                f["start"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(starts.iter().any(|(_, s)| *s < 40), "{starts:?}");
    assert!(
        starts
            .iter()
            .any(|(r, s)| r == "apology.but" && *s > 50 * 1024 * 1024),
        "{starts:?}"
    );
}

#[test]
fn one_hundred_thousand_tiny_transcripts_stay_in_order() {
    const N: usize = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let mut file = String::with_capacity(N * 80);
    let mut expected = Vec::with_capacity(N);
    for i in 0..N {
        if i % 9973 == 9972 {
            file.push_str("{\"id\": \"torn\", \"tu\n");
            expected.push(Error(Some(i as u64 + 1), "invalid JSON"));
        } else {
            let text = if i % 2 == 0 { "sorry" } else { "!!!" };
            file.push_str(&format!(
                "{{\"id\":\"t{i}\",\"turns\":[{{\"role\":\"agent\",\"text\":\"{text}\"}}]}}\n"
            ));
            expected.push(data(&format!("t{i}"), &[text]));
        }
    }
    std::fs::write(dir.path().join("tiny.jsonl"), &file).unwrap();
    let started = Instant::now();
    let run = check_in(dir.path(), &["--threads", "2", "tiny.jsonl"]);
    eprintln!("100,000 transcripts: {:?}", started.elapsed());
    assert_batch(&run, "tiny.jsonl", &expected);
}

// -------------------------------------------------------------- duplicates

#[test]
fn duplicate_ids_are_kept_in_order_and_csv_groups_rows_by_id() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let line = |id: &str, text: &str| {
        json!({"id": id, "turns": [{"role": "agent", "text": text}]}).to_string()
    };
    std::fs::write(
        p.join("d.jsonl"),
        [line("D", "one"), line("E", "two"), line("D", "three")].join("\n"),
    )
    .unwrap();
    std::fs::write(
        p.join("d.json"),
        format!("[{}, {}]", line("D", "one"), line("D", "two")),
    )
    .unwrap();
    std::fs::write(
        p.join("d.txt"),
        "# id: D\nAgent: one\n---\n# id: D\nAgent: two\n",
    )
    .unwrap();
    let run = check_in(p, &["d.jsonl", "d.json", "d.txt"]);
    assert_batch(
        &run,
        "-",
        &[
            data("D", &["one"]),
            data("E", &["two"]),
            data("D", &["three"]),
            data("D", &["one"]),
            data("D", &["two"]),
            data("D", &["one"]),
            data("D", &["two"]),
        ],
    );
    // in CSV the id is what groups rows into a conversation: rows of one id
    // are one conversation even when other rows come between them
    std::fs::write(
        p.join("d.csv"),
        "id,role,text\nD,customer,one\nE,agent,two\nD,agent,three\n",
    )
    .unwrap();
    let run = check_in(p, &["d.csv"]);
    assert_batch(
        &run,
        "d.csv",
        &[data("D", &["one", "three"]), data("E", &["two"])],
    );
}

// ------------------------------------------------------ files and streams

#[test]
fn directories_named_like_inputs_are_error_records_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for d in ["a.jsonl", "b.json", "c.csv", "d.txt"] {
        std::fs::create_dir(p.join(d)).unwrap();
    }
    std::fs::write(
        p.join("ok.jsonl"),
        json!({"id": "OK", "turns": []}).to_string(),
    )
    .unwrap();
    for format in [None, Some("csv"), Some("json"), Some("text")] {
        let mut args = Vec::new();
        if let Some(f) = format {
            args.extend(["--input-format", f]);
        }
        args.extend(["a.jsonl", "b.json", "c.csv", "d.txt"]);
        let run = check_in(p, &args);
        assert_eq!(run.code, 2);
        let recs = records(&run.stdout);
        assert_eq!(recs.len(), 4, "{}", run.stdout);
        for (rec, d) in recs.iter().zip(["a.jsonl", "b.json", "c.csv", "d.txt"]) {
            assert_eq!(rec["error"]["file"], d);
            assert!(rec["error"]["line"].is_null());
            assert!(rec["error"]["message"]
                .as_str()
                .unwrap()
                .contains("directory"));
            assert!(run.stderr.contains(&format!("tactful: {d}: ")));
        }
    }
    let run = check_in(p, &["c.csv", "ok.jsonl", "d.txt"]);
    let recs = records(&run.stdout);
    assert_eq!(recs.len(), 3);
    assert_eq!(recs[1]["id"], "OK");
}

/// Creates a named pipe (FIFO).
fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
}

#[test]
fn a_file_deleted_while_an_earlier_input_is_read_is_an_error_record() {
    // the binary blocks reading the FIFO (the first input) while the later
    // file is deleted; then the FIFO is fed and closed
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    mkfifo(&p.join("first.jsonl"));
    let rec = |id: &str| json!({"id": id, "turns": [{"role": "agent", "text": "sorry"}]});
    std::fs::write(p.join("gone.jsonl"), format!("{}\n", rec("G"))).unwrap();
    std::fs::write(p.join("last.jsonl"), format!("{}\n", rec("L"))).unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(p)
        .args(["check", "first.jsonl", "gone.jsonl", "last.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::fs::remove_file(p.join("gone.jsonl")).unwrap();
    // opening the FIFO for writing waits until the binary opens it to read
    let mut fifo = std::fs::OpenOptions::new()
        .write(true)
        .open(p.join("first.jsonl"))
        .unwrap();
    writeln!(fifo, "{}\n{}", rec("F-1"), rec("F-2")).unwrap();
    drop(fifo);
    let out = child.wait_with_output().unwrap();
    let run = Run {
        code: out.status.code().unwrap(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    };
    let recs = records(&run.stdout);
    assert_eq!(recs.len(), 4, "{}", run.stdout);
    assert_eq!(
        [&recs[0]["id"], &recs[1]["id"], &recs[3]["id"]],
        ["F-1", "F-2", "L"]
    );
    assert_eq!(recs[2]["error"]["file"], "gone.jsonl");
    assert!(recs[2]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no such file"));
    assert!(run.stderr.contains("tactful: gone.jsonl: cannot open"));
    assert_eq!(run.code, 2);
}

#[test]
fn a_csv_or_json_from_a_pipe_is_read_once_and_whole() {
    // a CSV file is read twice (a first pass checks that conversations are
    // contiguous): a FIFO or `<(...)` can be read only once
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    for name in ["in.csv", "in.json"] {
        mkfifo(&p.join(name));
    }
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(p)
        .args(["check", "in.csv", "in.json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let feed = |name: &str, data: &str| {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(p.join(name))
            .unwrap();
        f.write_all(data.as_bytes()).unwrap();
    };
    feed(
        "in.csv",
        "id,role,text\nA,customer,hi\nB,agent,sorry but no\nA,agent,per our policy\n",
    );
    feed(
        "in.json",
        r#"[{"id": "J", "turns": [{"role": "agent", "text": "sorry"}]}]"#,
    );
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let recs = records(std::str::from_utf8(&out.stdout).unwrap());
    let ids: Vec<&str> = recs.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["A", "B", "J"]);
}

/// `n` JSONL lines, every other one malformed.
fn half_broken(n: usize) -> String {
    (0..n)
        .map(|i| {
            if i % 2 == 0 {
                format!("{}\n", json!({"id": format!("H-{i}"), "turns": [{"role": "agent", "text": "sorry, but no"}]}))
            } else {
                "{\"id\": broken\n".to_string()
            }
        })
        .collect()
}

#[test]
fn a_closed_stderr_does_not_stop_the_batch() {
    // `eprintln!` panics on a broken stderr pipe (`2>&1 | head`); the
    // messages are best effort, the records are not
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("half.jsonl"), half_broken(4000)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(dir.path())
        .args(["check", "half.jsonl"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut stdout)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(2));
    let recs = records(&stdout);
    assert_eq!(recs.len(), 4000);
    assert_eq!(recs[3998]["id"], "H-3998");
    assert_eq!(recs[3999]["error"]["line"], 4000);
}

#[test]
fn closing_stdout_early_is_quiet_in_every_output_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("half.jsonl"), half_broken(20_000)).unwrap();
    for format in ["jsonl", "json", "csv", "human"] {
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
            .current_dir(dir.path())
            .args(["check", "--quiet", "--format", format, "half.jsonl"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut first)
            .unwrap();
        assert!(!first.is_empty(), "{format}");
        // the reader is dropped: like `| head -1`
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.is_empty(), "{format}: {err}");
        assert_eq!(out.status.code(), Some(0), "{format}: {err}");
    }
}

#[test]
fn killed_midway_the_output_so_far_is_whole_records() {
    let dir = tempfile::tempdir().unwrap();
    let mut file = String::new();
    // (enough records that tactful is still writing when the output is first
    // seen, on a fast machine too)
    for i in 0..30_000 {
        let agent =
            "I'm sorry, but per our policy we cannot refund. Unfortunately the courier lost it. "
                .repeat(1 + i % 5);
        file.push_str(&json!({"id": format!("K-{i}"), "turns": turns_json(&[("customer", "THIRD TIME!!! This is ridiculous."), ("agent", &agent)])}).to_string());
        file.push('\n');
    }
    std::fs::write(dir.path().join("big.jsonl"), &file).unwrap();
    let out_path = dir.path().join("out.jsonl");
    let out_file = std::fs::File::create(&out_path).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(dir.path())
        .args(["check", "--threads", "2", "big.jsonl"])
        .stdout(out_file)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id().to_string();
    let deadline = Instant::now() + Duration::from_secs(120);
    while std::fs::metadata(&out_path).unwrap().len() == 0 {
        assert!(Instant::now() < deadline, "no output in 120 s");
        assert!(child.try_wait().unwrap().is_none(), "finished too soon");
        std::thread::sleep(Duration::from_millis(5));
    }
    // SIGSTOP first: a stopped process is between system calls, so the
    // assertion is about where tactful ends its writes, not about a kernel
    // cutting one `write` short when SIGKILL lands inside it
    let signal = |sig: &str| {
        let ok = std::process::Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill {sig}");
    };
    signal("-STOP");
    while !std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .unwrap_or("")
                .trim_start()
                .starts_with('T')
        })
        .unwrap_or(true)
    {
        std::thread::sleep(Duration::from_millis(1));
    }
    signal("-KILL");
    let status = child.wait().unwrap();
    assert_eq!(status.code(), None, "killed by a signal");
    let out = std::fs::read_to_string(&out_path).unwrap();
    let recs = records(&out);
    assert!(
        !recs.is_empty() && recs.len() < 30_000,
        "{} records",
        recs.len()
    );
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], format!("K-{i}"));
    }
}

#[test]
fn human_output_of_a_long_sentence_of_findings_stays_linear() {
    // one sentence of 60,000 bytes with 10,000 findings: quoting the whole
    // sentence above each underline would print 600 MB
    let dir = tempfile::tempdir().unwrap();
    let text = "sorry ".repeat(10_000);
    let rec = json!({"id": "S", "turns": turns_json(&[("customer", "why!!!"), ("agent", &text)])});
    std::fs::write(dir.path().join("s.jsonl"), format!("{rec}\n")).unwrap();
    let run = check_in(dir.path(), &["--format", "human", "--show-all", "s.jsonl"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        // (about 300 bytes per finding: excerpt, underline, path:line:col,
        // rule and message)
        run.stdout.len() < 60 * text.len(),
        "{} bytes of output",
        run.stdout.len()
    );
    assert_eq!(run.stdout.matches("apology.sincere").count(), 10_000);
    // each finding's excerpt is short and its underline under the phrase
    let lines: Vec<&str> = run.stdout.lines().collect();
    for pair in lines.windows(2) {
        if let (Some(col), true) = (pair[1].find('^'), pair[1].contains("apology.sincere")) {
            let quoted: Vec<char> = pair[0].chars().collect();
            assert!(quoted.len() < 200, "{}", pair[0]);
            let at = pair[1][..col].chars().count();
            let phrase: String = quoted[at..at + 5].iter().collect();
            assert_eq!(phrase, "sorry", "{}\n{}", pair[0], pair[1]);
        }
    }
}

// ------------------------------------------------------ terminal injection

/// Every ESC in `out` starts one of tactful's own colour codes
/// (`ESC [ digits m`), and no other control character but the line break is
/// there.
fn assert_no_foreign_controls(out: &str) {
    let b = out.as_bytes();
    for (i, c) in out.char_indices() {
        if c == '\u{1b}' {
            let rest = &b[i + 1..];
            let digits = rest
                .iter()
                .skip(1)
                .take_while(|b| b.is_ascii_digit())
                .count();
            assert!(
                rest.first() == Some(&b'[') && digits > 0 && rest.get(1 + digits) == Some(&b'm'),
                "a foreign escape sequence at byte {i}: {:?}",
                &out[i..(i + 20).min(out.len())]
            );
        } else if c != '\n' {
            assert!(!c.is_control(), "control {c:?} at byte {i}: {out:?}");
        }
    }
}

#[test]
fn human_output_escapes_control_characters_from_the_input() {
    let dir = tempfile::tempdir().unwrap();
    let forged = "T-1\u{1b}]0;pwned\u{7}\nT-9 score 100/100\u{85}\u{7f}";
    let recs = [
        json!({"id": forged, "agent": "A\u{1b}[2Jx", "turns": turns_json(&[
            ("customer", "this is unacceptable!!! \u{1b}[31mred\u{7}"),
            ("agent", "I'm sorry, but per our policy \u{9b}2J we cannot refund.\u{1b}c"),
        ])}),
        json!({"id": "E\u{1b}[1A\nT-8 score 100/100", "turns": [{"role": "x\u{1b}[2J", "text": "a"}]}),
    ];
    let body: String = recs.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(dir.path().join("t.jsonl"), body).unwrap();
    for color in ["never", "always"] {
        let run = check_in(
            dir.path(),
            &["--format", "human", "--color", color, "t.jsonl"],
        );
        assert_eq!(run.code, 2, "{}", run.stderr);
        assert_no_foreign_controls(&run.stdout);
        assert!(
            run.stdout
                .lines()
                .all(|l| !l.starts_with("T-9") && !l.starts_with("T-8")),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout
                .contains("T-1\\u{1b}]0;pwned\\u{7}\\u{a}T-9 score 100/100\\u{85}\\u{7f}"),
            "{}",
            run.stdout
        );
        assert!(run.stdout.contains("\\u{9b}2J"), "{}", run.stdout);
        assert!(run.stdout.contains("apology.but"), "{}", run.stdout);
        if color == "always" {
            assert!(
                run.stdout.contains("\u{1b}[1m"),
                "tactful's own colours stay"
            );
        }
    }
    // the underline still sits under its phrase after an escaped character
    let rec =
        json!({"id": "U", "turns": turns_json(&[("agent", "\u{1}\u{1b} I'm sorry, but no.")])});
    std::fs::write(dir.path().join("u.jsonl"), format!("{rec}\n")).unwrap();
    let run = check_in(dir.path(), &["--format", "human", "u.jsonl"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("apology.but"))
        .unwrap();
    let col = lines[at].find('^').unwrap();
    assert_eq!(&lines[at - 1][col..col + 9], "I'm sorry", "{}", run.stdout);
    // canned replies: the file name is input too
    let macros = dir.path().join("macros");
    std::fs::create_dir(&macros).unwrap();
    std::fs::write(
        macros.join("r\u{1b}[2J\u{7}.txt"),
        "I'm sorry, but per our policy we cannot refund.\n",
    )
    .unwrap();
    for color in ["never", "always"] {
        let run = check_in(
            dir.path(),
            &["--replies", "--format", "human", "--color", color, "macros"],
        );
        assert!(
            run.stdout.contains("r\\u{1b}[2J\\u{7}.txt:1:"),
            "{}",
            run.stdout
        );
        assert_no_foreign_controls(&run.stdout);
    }
    // the batch report names agents and example ids
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(dir.path())
        .args(["report", "--format", "human", "t.jsonl"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("A\\u{1b}[2Jx"), "{stdout}");
    assert_no_foreign_controls(&stdout);
}

// ------------------------------------------------------------- numeric ids

#[test]
fn numeric_ids_are_kept_as_written() {
    let dir = tempfile::tempdir().unwrap();
    let ids = [
        "123456789012345678901234567890",
        "123456789012345678901234567891",
        "18446744073709551616",
        "-9223372036854775809",
        "-4.50e1",
        "1.0",
        "1042",
        "-0",
    ];
    let mut body = String::new();
    for id in ids {
        body.push_str(&format!(
            "{{\"id\": {id}, \"team\": {id}, \"turns\": [{{\"role\": \"agent\", \"text\": \"ok\"}}]}}\n"
        ));
    }
    // an error record keeps its id as written too
    body.push_str("{\"id\": 98765432109876543210987654321, \"turns\": [{\"role\": \"x\", \"text\": \"a\"}]}\n");
    std::fs::write(dir.path().join("n.jsonl"), &body).unwrap();
    let mut expected: Vec<Expect> = ids.iter().map(|id| data(id, &["ok"])).collect();
    expected.push(Error(Some(9), "unknown role"));
    let run = check_in(dir.path(), &["--format", "jsonl", "n.jsonl"]);
    assert_batch(&run, "n.jsonl", &expected);
    let recs = records(&run.stdout);
    for (rec, id) in recs.iter().zip(ids) {
        assert_eq!(rec["team"], id, "{rec}");
    }
    assert_eq!(recs[8]["id"], "98765432109876543210987654321");
    // the same in a .json array
    let array = format!("[{}]", body.lines().collect::<Vec<_>>().join(",\n"));
    std::fs::write(dir.path().join("n.json"), array).unwrap();
    let run = check_in(dir.path(), &["--format", "jsonl", "n.json"]);
    let got: Vec<String> = records(&run.stdout)
        .iter()
        .map(|r| id_string(&r["id"]))
        .collect();
    let mut want: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    want.push("98765432109876543210987654321".to_string());
    assert_eq!(got, want);
}

// ------------------------------------------------------ line ends in text

#[test]
fn text_with_cr_only_line_ends_reads_like_lf() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("c.txt"),
        "# id: TC1\rCustomer: hi\rAgent: sorry, but per our policy no.\r---\r# id: TC2\rAgent: ok\r",
    )
    .unwrap();
    let run = check_in(dir.path(), &["--format", "jsonl", "c.txt"]);
    assert_batch(
        &run,
        "c.txt",
        &[
            data("TC1", &["hi", "sorry, but per our policy no."]),
            data("TC2", &["ok"]),
        ],
    );
    let recs = records(&run.stdout);
    assert!(
        recs[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "apology.but"),
        "{}",
        recs[0]
    );
    // many transcripts, so that line ends fall on every block boundary of
    // the reader: CR, CRLF and LF files give the same records (continuation
    // lines, blank lines and error lines included)
    let mut lf = String::new();
    for i in 0..3000 {
        if i % 7 == 0 {
            lf.push_str("stray text\n");
        }
        lf.push_str(&format!(
            "# id: T{i}\nCustomer: this is unacceptable!!\nthird time\n\nAgent: I'm sorry, but per our policy no.\n"
        ));
        lf.push_str(if i % 2 == 0 { "---\n" } else { "\n\n" });
    }
    let mut outputs = Vec::new();
    for (name, eol) in [("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")] {
        let sub = dir.path().join(name);
        std::fs::create_dir(&sub).unwrap();
        std::fs::write(sub.join("t.txt"), lf.replace('\n', eol)).unwrap();
        let run = check_in(&sub, &["--format", "jsonl", "t.txt"]);
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
        outputs.push((name, run.stdout));
    }
    let recs = records(&outputs[0].1);
    assert_eq!(recs.len(), 3000);
    assert!(recs[7]["error"]["line"].is_u64(), "{}", recs[7]);
    for (name, out) in &outputs[1..] {
        assert!(*out == outputs[0].1, "{name} differs from lf");
    }
}

#[test]
fn text_continuation_lines_starting_with_hash_stay_in_the_turn() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("h.txt"),
        "# exported 2020-01-01\n# id: H1\nCustomer: my order\n#12345 never came\nAgent: thanks for waiting.\n# sorry, but per our policy no.\n#id: H2\n---\n# a comment\nAgent: ok\n",
    )
    .unwrap();
    let run = check_in(dir.path(), &["--format", "jsonl", "h.txt"]);
    assert_batch(
        &run,
        "h.txt",
        &[
            data(
                "H2",
                &[
                    "my order\n#12345 never came",
                    "thanks for waiting.\n# sorry, but per our policy no.",
                ],
            ),
            data("10", &["ok"]),
        ],
    );
    let recs = records(&run.stdout);
    let f = recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "apology.but")
        .unwrap_or_else(|| panic!("no apology.but in {}", recs[0]));
    assert_eq!(
        (f["turn"].as_u64(), f["start"].as_u64()),
        (Some(1), Some(22))
    );
}

// ------------------------------------------------- blank input, --threads

#[test]
fn blank_lines_longer_than_the_limit_and_white_space_csv_rows_are_blank() {
    let dir = tempfile::tempdir().unwrap();
    let rec = |id: &str| json!({"id": id, "turns": turns_json(&[("agent", "ok")])}).to_string();
    let long_blank = format!("{}\t \r", " ".repeat(5000));
    // JSONL: a blank line of 5 KB in a block, one longer than a block, and
    // a long line that is not blank
    let big_blank = " ".repeat(600_000);
    let body = format!(
        "{}\n{long_blank}\n{}\n{big_blank}\n{}\n{}x\n{}\n",
        rec("J1"),
        rec("J2"),
        rec("J3"),
        " ".repeat(600_000),
        rec("J4")
    );
    std::fs::write(dir.path().join("b.jsonl"), body).unwrap();
    let run = check_in(
        dir.path(),
        &["--format", "jsonl", "--max-record-bytes", "1000", "b.jsonl"],
    );
    assert_batch(
        &run,
        "b.jsonl",
        &[
            data("J1", &["ok"]),
            data("J2", &["ok"]),
            data("J3", &["ok"]),
            Error(Some(6), "longer than the limit"),
            data("J4", &["ok"]),
        ],
    );
    // a file of only long blank lines is empty
    std::fs::write(
        dir.path().join("e.jsonl"),
        format!("{big_blank}\n{long_blank}\n"),
    )
    .unwrap();
    let run = check_in(
        dir.path(),
        &["--format", "jsonl", "--max-record-bytes", "1000", "e.jsonl"],
    );
    assert_batch(&run, "e.jsonl", &[Error(None, "empty input")]);
    // text: a long blank line is one blank line (two end a transcript)
    let text = format!(
        "# id: X1\nCustomer: hi\n{long_blank}\nAgent: ok\n{long_blank}\n\n# id: X2\nAgent: ok\n"
    );
    std::fs::write(dir.path().join("b.txt"), text).unwrap();
    let run = check_in(
        dir.path(),
        &["--format", "jsonl", "--max-record-bytes", "1000", "b.txt"],
    );
    assert_batch(
        &run,
        "b.txt",
        &[data("X1", &["hi", "ok"]), data("X2", &["ok"])],
    );
    // CSV: a row of white space only is skipped like a blank one
    std::fs::write(
        dir.path().join("w.csv"),
        "id,role,text\nA,agent,hi\n   \nA,agent,\"sorry, but no\"\n \t , ,\nB,agent,x\n",
    )
    .unwrap();
    let run = check_in(dir.path(), &["--format", "jsonl", "w.csv"]);
    assert_batch(
        &run,
        "w.csv",
        &[data("A", &["hi", "sorry, but no"]), data("B", &["x"])],
    );
}

#[test]
fn threads_above_the_cap_are_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let rec = json!({"id": "T", "turns": turns_json(&[("agent", "ok")])});
    std::fs::write(dir.path().join("t.jsonl"), format!("{rec}\n")).unwrap();
    let started = Instant::now();
    let run = check_in(dir.path(), &["--threads", "100000", "t.jsonl"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr
            .contains("--threads must be at most 1024 (got 100000)"),
        "{}",
        run.stderr
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    let run = check_in(
        dir.path(),
        &["--format", "jsonl", "--threads", "1024", "t.jsonl"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(records(&run.stdout).len(), 1);
}

#[test]
fn csv_with_cr_only_line_ends_names_the_right_lines() {
    let dir = tempfile::tempdir().unwrap();
    let lf = "id,role,text\nA,customer,hi\nA,agent,\"sorry, but\nper our policy no.\"\n\nB,agent,ok\n,agent,no id\nC,narrator,x\n";
    let expected = [
        data("A", &["hi", "sorry, but\nper our policy no."]),
        data("B", &["ok"]),
        Error(Some(7), "no conversation id"),
        Error(Some(8), "unknown role"),
    ];
    for (name, eol) in [("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")] {
        let file = format!("{name}.csv");
        std::fs::write(dir.path().join(&file), lf.replace('\n', eol)).unwrap();
        let run = check_in(dir.path(), &["--format", "jsonl", &file]);
        let mut want = expected.to_vec();
        if eol != "\n" {
            // the quoted line break is kept as written
            want[0] = data("A", &["hi", &format!("sorry, but{eol}per our policy no.")]);
        }
        assert_batch(&run, &file, &want);
    }
}

// ------------------------------------------------------------ CSV ids

#[test]
fn csv_ids_differing_by_unicode_space_are_one_conversation() {
    // one rule for ids in both passes over a CSV file: the contiguity
    // check trimmed ASCII space and the grouping Unicode space, so `A` and
    // `A` + U+00A0 after another conversation gave two records for `A`
    let dir = tempfile::tempdir().unwrap();
    let body = "id,role,text\n\
A,customer,THIS IS UNACCEPTABLE!!!\n\
B,agent,ok\n\
A\u{a0},agent,\"I'm sorry, but per our policy we cannot refund.\"\n\
\u{2003}B\u{3000},agent,fine\n";
    std::fs::write(dir.path().join("u.csv"), body).unwrap();
    let run = check_in(dir.path(), &["--format", "jsonl", "u.csv"]);
    assert_batch(
        &run,
        "u.csv",
        &[
            data(
                "A",
                &[
                    "THIS IS UNACCEPTABLE!!!",
                    "I'm sorry, but per our policy we cannot refund.",
                ],
            ),
            data("B", &["ok", "fine"]),
        ],
    );
    // the same rows from standard input (buffered, one pass) group alike
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .args(["check", "--input-format", "csv", "-"])
        .write_stdin(body)
        .output()
        .unwrap();
    assert_eq!(out.stdout, run.stdout.as_bytes());
    // ids are trimmed, not otherwise changed: a space inside stays
    std::fs::write(
        dir.path().join("v.csv"),
        "id,role,text\nA 1,agent,x\nA\u{a0}1,agent,y\n",
    )
    .unwrap();
    let run = check_in(dir.path(), &["--format", "jsonl", "v.csv"]);
    assert_batch(
        &run,
        "v.csv",
        &[data("A 1", &["x"]), data("A\u{a0}1", &["y"])],
    );
}

// ------------------------------------------------------ non-UTF-8 names

/// Runs `tactful check ARGS` in `dir`, with arguments that need not be
/// UTF-8.
fn check_os(dir: &Path, args: &[&std::ffi::OsStr]) -> Run {
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .output()
        .unwrap();
    Run {
        code: out.status.code().expect("exited normally, not by a signal"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

#[test]
fn file_names_that_are_not_utf8_are_read_and_named_lossily() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let rec = |id: &str| json!({"id": id, "turns": turns_json(&[("agent", "I'm sorry, but no.")])});
    std::fs::write(p.join("a.jsonl"), format!("{}\n", rec("A"))).unwrap();
    let bad = OsStr::from_bytes(b"b\xff.jsonl");
    std::fs::write(p.join(bad), format!("{}\n", rec("B"))).unwrap();
    let csv = OsStr::from_bytes(b"c\xfe.csv");
    std::fs::write(
        p.join(csv),
        "id,role,text\nC,agent,hi\nD,agent,x\nC,agent,y\n",
    )
    .unwrap();
    let missing = OsStr::from_bytes(b"gone\xc3.jsonl");
    // one name that is not UTF-8 used to stop the whole batch before any
    // record; now each file is read by its OS name, and named in records
    // and messages with U+FFFD for the bytes that are not UTF-8
    let run = check_os(
        p,
        &[
            OsStr::new("--format"),
            OsStr::new("jsonl"),
            OsStr::new("a.jsonl"),
            bad,
            csv,
            missing,
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    let recs = records(&run.stdout);
    let ids: Vec<String> = recs.iter().map(|r| id_string(&r["id"])).collect();
    assert_eq!(ids, ["A", "B", "C", "D", "<null>"], "{}", run.stdout);
    assert_eq!(recs[2]["findings"].as_array().map(Vec::len), Some(0));
    assert_eq!(recs[4]["error"]["file"], "gone\u{fffd}.jsonl");
    assert!(recs[4]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("no such file"));
    assert!(
        run.stderr
            .contains("tactful: gone\u{fffd}.jsonl: cannot open: no such file"),
        "{}",
        run.stderr
    );
    // canned replies: a directory walked, and a file named directly
    let macros = p.join("macros");
    std::fs::create_dir(&macros).unwrap();
    std::fs::write(
        macros.join(OsStr::from_bytes(b"r\xff.txt")),
        "I'm sorry, but per our policy we cannot refund.\n",
    )
    .unwrap();
    std::fs::write(macros.join("s.txt"), "Happy to help.\n").unwrap();
    let run = check_os(
        p,
        &[
            OsStr::new("--replies"),
            OsStr::new("--format"),
            OsStr::new("jsonl"),
            OsStr::new("macros"),
            bad,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let recs = records(&run.stdout);
    let ids: Vec<String> = recs.iter().map(|r| id_string(&r["id"])).collect();
    assert_eq!(
        ids,
        ["macros/r\u{fffd}.txt", "macros/s.txt", "b\u{fffd}.jsonl"],
        "{}",
        run.stdout
    );
    assert!(
        recs[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "apology.but"),
        "{}",
        recs[0]
    );
    let run = check_os(
        p,
        &[
            OsStr::new("--replies"),
            OsStr::new("--per-line"),
            OsStr::new("--format"),
            OsStr::new("human"),
            OsStr::new("macros"),
        ],
    );
    assert!(
        run.stdout.contains("macros/r\u{fffd}.txt:1:1: apology.but"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------- canned-reply links

#[test]
fn replies_follow_links_but_visit_each_file_once() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("outside.txt"), "Sorry for the wait.\n").unwrap();
    let m = p.join("macros");
    std::fs::create_dir_all(m.join("sub")).unwrap();
    std::fs::write(m.join("a.txt"), "I'm sorry, but per our policy no.\n").unwrap();
    std::fs::write(m.join("b.md"), "Happy to help.\n").unwrap();
    std::fs::write(m.join("sub/c.txt"), "Unfortunately not.\n").unwrap();
    // a loop to itself, loops to the parent, a second path to a file, and
    // a broken link; `up` leads to the folder holding `macros`, which would
    // walk `macros` again: as `find -L` does, it is not followed
    symlink(".", m.join("loop")).unwrap();
    symlink("..", m.join("sub/again")).unwrap();
    symlink("../a.txt", m.join("sub/link.txt")).unwrap();
    symlink("nowhere.txt", m.join("sub/z-broken.txt")).unwrap();
    symlink("..", m.join("up")).unwrap();
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(p)
        .args(["check", "--replies", "--format", "jsonl", "macros"])
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let recs = records(&stdout);
    let ids: Vec<String> = recs
        .iter()
        .map(|r| match r.get("error") {
            Some(e) => format!("error:{}", e["file"].as_str().unwrap()),
            None => id_string(&r["id"]),
        })
        .collect();
    assert_eq!(
        ids,
        [
            "macros/a.txt",
            "macros/b.md",
            "macros/sub/c.txt",
            "error:macros/sub/z-broken.txt",
        ],
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(2));
}

// ---------------------------------------------------------- memory caps

/// Runs `tactful check ARGS` in `dir` with its address space limited to
/// `mib` MiB (`ulimit -v`; one malloc arena, so that the limit measures the
/// heap rather than per-thread reservations).
fn check_capped(dir: &Path, mib: u64, args: &[&str], stdin: Option<&Path>) -> Run {
    let mut cmd = std::process::Command::new("sh");
    cmd.current_dir(dir)
        .env("MALLOC_ARENA_MAX", "1")
        .arg("-c")
        .arg(format!(
            "ulimit -v {}; exec \"$0\" check \"$@\"",
            mib * 1024
        ))
        .arg(assert_cmd::cargo::cargo_bin("tactful"))
        .args(args);
    if let Some(path) = stdin {
        cmd.stdin(std::fs::File::open(path).unwrap());
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// Writes `head`, `count` times `line`, then `tail` to `path`.
fn write_big(path: &Path, head: &str, line: &str, count: usize, tail: &str) {
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    f.write_all(head.as_bytes()).unwrap();
    for _ in 0..count {
        f.write_all(line.as_bytes()).unwrap();
    }
    f.write_all(tail.as_bytes()).unwrap();
    f.flush().unwrap();
}

#[test]
fn huge_csv_fields_stray_quotes_and_endless_transcripts_stay_within_the_limit() {
    // 80 MB in one quoted CSV field, a stray quote near the top of a 60 MB
    // export (the rest of the file is one field), and a text transcript
    // that never ends: each is an error record, read in bounded memory
    // (they were held whole: 250 MB of memory for a 100 MB field)
    const CAP_MIB: u64 = 150;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let filler = format!("{}\n", "x".repeat(79));
    write_big(
        &p.join("field.csv"),
        "id,role,text\nA,customer,THIS IS UNACCEPTABLE!!!\nA,agent,\"I'm sorry, but per our policy no.\"\nB,agent,\"",
        &filler,
        1_000_000,
        "\"\nC,agent,ok\n",
    );
    write_big(
        &p.join("stray.csv"),
        "id,role,text\nA,customer,hi\nB,agent,\"oops\n",
        "R,agent,I'm sorry but per our policy no and that is the way it is here\n",
        900_000,
        "",
    );
    write_big(
        &p.join("endless.txt"),
        "# id: T1\nCustomer: hi\nAgent: ok\n---\n# id: T2\nCustomer: it goes on\n",
        "and on and on and on and on and on and on and on and on and on\n",
        1_300_000,
        "---\n# id: T3\nAgent: fine\n",
    );
    let limit = ["--format", "jsonl", "--max-record-bytes", "1000000"];
    let run = check_capped(p, CAP_MIB, &[&limit[..], &["field.csv"]].concat(), None);
    assert_batch(
        &run,
        "field.csv",
        &[
            data(
                "A",
                &[
                    "THIS IS UNACCEPTABLE!!!",
                    "I'm sorry, but per our policy no.",
                ],
            ),
            Error(
                Some(4),
                "row is 80000011 bytes, longer than the limit of 1000000 bytes",
            ),
            data("C", &["ok"]),
        ],
    );
    let stray = [
        data("A", &["hi"]),
        Error(Some(3), "the quote opened on line 3 is never closed"),
    ];
    let run = check_capped(p, CAP_MIB, &[&limit[..], &["stray.csv"]].concat(), None);
    assert_batch(&run, "stray.csv", &stray);
    // from standard input, which is copied to a temporary file to be read
    // twice
    let run = check_capped(
        p,
        CAP_MIB,
        &[&limit[..], &["--input-format", "csv"]].concat(),
        Some(&p.join("stray.csv")),
    );
    assert_batch(&run, "-", &stray);
    let run = check_capped(p, CAP_MIB, &[&limit[..], &["endless.txt"]].concat(), None);
    assert_batch(
        &run,
        "endless.txt",
        &[
            data("T1", &["hi", "ok"]),
            // the line where the transcript went over the limit
            // (the first turn's 20 bytes, then 62 a line: the 16,129th
            // filler line, line 16,135)
            Error(Some(16_135), "transcript is longer than the limit"),
            data("T3", &["fine"]),
        ],
    );
}

#[test]
fn a_csv_conversation_longer_than_the_limit_is_an_error_record() {
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("id,role,text\nA,agent,first\n");
    for _ in 0..100 {
        body.push_str("B,customer,where is my parcel\n");
    }
    body.push_str("C,agent,last\n");
    std::fs::write(dir.path().join("long.csv"), &body).unwrap();
    let run = check_in(
        dir.path(),
        &[
            "--format",
            "jsonl",
            "--max-record-bytes",
            "1000",
            "long.csv",
        ],
    );
    assert_batch(
        &run,
        "long.csv",
        &[
            data("A", &["first"]),
            // 30 bytes a row: the 34th row of B (line 36) goes over 1000
            Error(
                Some(36),
                "conversation is longer than the limit of 1000 bytes",
            ),
            data("C", &["last"]),
        ],
    );
}

#[test]
fn interleaved_csv_is_grouped_in_windows_as_it_would_be_whole() {
    // conversations whose rows are interleaved are grouped in memory, at
    // most 16 × --max-record-bytes of them at a time: a larger file is read
    // once per window of conversations, and gives the same records
    let dir = tempfile::tempdir().unwrap();
    let mut body = String::from("id,role,text\n");
    for round in 0..4 {
        for c in 0..800 {
            if c % 97 == 0 {
                body.push_str(",agent,a row without an id\n");
            }
            let (role, text) = if round % 2 == 0 {
                ("customer", "THIS IS THE THIRD TIME!!! where is it")
            } else {
                ("agent", "I'm sorry, but per our policy we cannot refund.")
            };
            body.push_str(&format!("C{c},{role},\"{text} ({round})\"\n"));
        }
    }
    // (several windows of 80,000 bytes)
    assert!(body.len() > 2 * 80_000, "{}", body.len());
    std::fs::write(dir.path().join("mixed.csv"), &body).unwrap();
    let whole = check_in(dir.path(), &["--format", "jsonl", "mixed.csv"]);
    let windows = check_in(
        dir.path(),
        &[
            "--format",
            "jsonl",
            "--max-record-bytes",
            "5000",
            "mixed.csv",
        ],
    );
    assert_eq!(whole.code, 2, "{}", whole.stderr);
    let recs = records(&whole.stdout);
    assert_eq!(recs.len(), 800 + 4 * 9, "{:.500}", whole.stdout);
    assert_eq!(recs[0]["error"]["line"], 2);
    assert_eq!(recs[1]["id"], "C0");
    assert_eq!(
        recs[1]["findings"].as_array().map(|f| f.len() > 2),
        Some(true)
    );
    assert!(
        windows.stdout == whole.stdout,
        "windows differ from one pass"
    );
    assert_eq!(windows.stderr, whole.stderr);
    // and from standard input
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .args([
            "check",
            "--format",
            "jsonl",
            "--max-record-bytes",
            "5000",
            "--input-format",
            "csv",
            "-",
        ])
        .write_stdin(body)
        .output()
        .unwrap();
    assert!(out.stdout == whole.stdout.replace("mixed.csv", "-").as_bytes());
}

// ------------------------------------------------- configured patterns

#[test]
fn configured_patterns_that_match_nothing_are_rejected_like_empty_groups() {
    // an empty or blank entry (and a comment, an example line, tags alone,
    // a line break) was skipped without a word: a phrase the team thinks
    // it added that matches nothing
    let dir = tempfile::tempdir().unwrap();
    let rec = json!({"id": "T", "turns": turns_json(&[("agent", "ok")])});
    std::fs::write(dir.path().join("t.jsonl"), format!("{rec}\n")).unwrap();
    let cases = [
        ("()", "empty alternative in a group"),
        ("(|)", "empty alternative in a group"),
        ("we (really||truly) cannot", "empty alternative in a group"),
        ("", "pattern matches nothing (it is empty)"),
        ("   ", "pattern matches nothing (it is empty)"),
        ("\t", "pattern matches nothing (it is empty)"),
        (
            "# our phrases",
            "pattern matches nothing (a line starting with '#'",
        ),
        (
            "+ we cannot",
            "pattern matches nothing (a line starting with '+ '",
        ),
        (
            "[statement]",
            "pattern matches nothing (tags with no pattern)",
        ),
        ("we cannot\nper policy", "a pattern is one line"),
    ];
    for table in ["extend-phrases", "allow-phrases"] {
        let key = if table == "extend-phrases" {
            "procedural.policy_as_reason"
        } else {
            "procedural"
        };
        for (pattern, message) in cases {
            let toml = format!(
                "[{table}]\n\"{key}\" = [\"per the rulebook\", {}]\n",
                serde_json::to_string(pattern).unwrap()
            );
            std::fs::write(dir.path().join("tactful.toml"), toml).unwrap();
            for command in [&["check", "t.jsonl"][..], &["config", "--show"]] {
                let out = Command::cargo_bin("tactful")
                    .unwrap()
                    .current_dir(dir.path())
                    .args(command)
                    .output()
                    .unwrap();
                let stderr = String::from_utf8_lossy(&out.stderr);
                assert_eq!(out.status.code(), Some(2), "{pattern:?}: {stderr}");
                if command[0] == "check" {
                    assert!(out.stdout.is_empty(), "no record is read");
                }
                let want = format!("tactful.toml:2: {table}.{key}: pattern {pattern:?}: {message}");
                assert!(stderr.contains(&want), "{want}\nnot in: {stderr}");
            }
        }
    }
}

// ------------------------------------------------------------ full disk

#[test]
fn help_and_version_to_a_full_disk_exit_non_zero() {
    if !Path::new("/dev/full").exists() {
        eprintln!("no /dev/full here: skipped");
        return;
    }
    for args in [
        &["--help"][..],
        &["--version"],
        &["-V"],
        &["check", "--help"],
        &["help", "report"],
    ] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
            .args(args)
            .stdout(full)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("tactful: cannot write to standard output: No space left on device"),
            "{args:?}: {stderr}"
        );
        // to a terminal or a pipe, as before
        let out = Command::cargo_bin("tactful")
            .unwrap()
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert!(!out.stdout.is_empty() && out.stderr.is_empty(), "{args:?}");
    }
}

// ----------------------------------------------------- stderr escaping

#[test]
fn file_names_on_stderr_are_escaped_like_human_output() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let name = "a\u{1b}]0;pwned\u{7}\ntactful: ok.jsonl:1: fake.jsonl";
    std::fs::write(p.join(name), "{\"id\": broken\n").unwrap();
    let missing = "gone\u{1b}[2J.jsonl";
    let run = check_in(p, &["--format", "jsonl", name, missing]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    // the records keep the names as they are (JSON escapes them)
    let recs = records(&run.stdout);
    assert_eq!(recs[0]["error"]["file"], name);
    assert_eq!(recs[1]["error"]["file"], missing);
    // stderr shows them escaped, one line per error
    let escaped = "a\\u{1b}]0;pwned\\u{7}\\u{a}tactful: ok.jsonl:1: fake.jsonl";
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(
        lines[0].starts_with(&format!("tactful: {escaped}:1: invalid JSON")),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("tactful: gone\\u{1b}[2J.jsonl: cannot open"),
        "{}",
        lines[1]
    );
    assert!(
        !run.stderr.contains(['\u{1b}', '\u{7}']),
        "{:?}",
        run.stderr
    );
    // the same in report, and for a configuration file named so
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(p)
        .args(["report", missing])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("tactful: gone\\u{1b}[2J.jsonl: cannot open"),
        "{stderr}"
    );
    let run = check_in(p, &["--config", missing, name]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("gone\\u{1b}[2J.jsonl"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains('\u{1b}'), "{:?}", run.stderr);
}

// ---------------------------------------------------------------- UTF-16

/// `text` in UTF-16 with its byte-order mark.
fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

#[test]
fn utf16_files_with_a_byte_order_mark_are_decoded() {
    // a spreadsheet's "Unicode text" export: it gave "invalid JSON" and
    // "invalid UTF-8" records, three for two transcripts
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let agent = "I'm sorry, but per our policy we cannot refund 😡.";
    let jsonl = format!(
        "{}\r\n{}\r\n",
        json!({"id": "U-1", "turns": turns_json(&[("customer", "THIS IS UNACCEPTABLE!!!"), ("agent", agent)])}),
        json!({"id": "U-2", "turns": turns_json(&[("agent", "שלום, happy to help")])}),
    );
    let expected = [
        data("U-1", &["THIS IS UNACCEPTABLE!!!", agent]),
        data("U-2", &["שלום, happy to help"]),
    ];
    for (name, little) in [("le.jsonl", true), ("be.jsonl", false)] {
        std::fs::write(p.join(name), utf16(&jsonl, little)).unwrap();
        let run = check_in(p, &["--format", "jsonl", name]);
        assert_batch(&run, name, &expected);
        let recs = records(&run.stdout);
        assert!(recs[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule"] == "apology.but"));
    }
    let json = format!("[{}]", jsonl.trim_end().replace("\r\n", ",\r\n"));
    std::fs::write(p.join("a.json"), utf16(&json, true)).unwrap();
    assert_batch(
        &check_in(p, &["--format", "jsonl", "a.json"]),
        "a.json",
        &expected,
    );
    // CSV, interleaved (grouped from the decoded stream), and from stdin
    let csv = format!(
        "id,role,text\r\nU-1,customer,THIS IS UNACCEPTABLE!!!\r\nU-2,agent,\"שלום, happy to help\"\r\nU-1,agent,\"{agent}\"\r\n"
    );
    std::fs::write(p.join("a.csv"), utf16(&csv, false)).unwrap();
    let run = check_in(p, &["--format", "jsonl", "a.csv"]);
    assert_batch(&run, "a.csv", &expected);
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .args(["check", "--input-format", "csv", "-"])
        .write_stdin(utf16(&csv, true))
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), run.stdout);
    let text = format!(
        "# id: U-1\r\nCustomer: THIS IS UNACCEPTABLE!!!\r\nAgent: {agent}\r\n---\r\n# id: U-2\r\nAgent: שלום, happy to help\r\n"
    );
    std::fs::write(p.join("a.txt"), utf16(&text, true)).unwrap();
    assert_batch(
        &check_in(p, &["--format", "jsonl", "a.txt"]),
        "a.txt",
        &expected,
    );
    // canned replies
    let macros = p.join("macros");
    std::fs::create_dir(&macros).unwrap();
    std::fs::write(macros.join("r.txt"), utf16(&format!("{agent}\r\n"), true)).unwrap();
    let run = check_in(p, &["--replies", "--format", "jsonl", "macros"]);
    let recs = records(&run.stdout);
    assert_eq!(recs.len(), 1, "{}", run.stdout);
    assert!(recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "apology.but"));
    // an unpaired surrogate fails its record only, as invalid UTF-8 does
    let mut broken = utf16(&jsonl, true);
    let second = broken.len() - 20;
    broken[second..second + 2].copy_from_slice(&0xD800u16.to_le_bytes());
    std::fs::write(p.join("broken.jsonl"), broken).unwrap();
    assert_batch(
        &check_in(p, &["--format", "jsonl", "broken.jsonl"]),
        "broken.jsonl",
        &[expected[0].clone(), Error(Some(2), "invalid UTF-8")],
    );
}
