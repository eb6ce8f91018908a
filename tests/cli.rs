//! Integration tests that run the real `tactful` binary on the files in
//! `fixtures/` and on inputs generated into a temporary directory.
//!
//! Detector findings are being tuned, so these tests check the contract
//! (record shape, order, offsets, error records, exit codes) rather than
//! exact findings; only a few unambiguous phrases are asserted by rule id.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

// ------------------------------------------------------------------ helpers

/// The workspace root (tests run with the package directory as cwd).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `tactful` run from the workspace root, so file names in messages are
/// the relative paths given on the command line.
fn tactful() -> Command {
    let mut cmd = Command::cargo_bin("tactful").expect("the tactful binary is built");
    cmd.current_dir(root());
    cmd
}

fn fixture_text(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Runs `tactful check ARGS` and returns (exit code, stdout, stderr).
fn check(args: &[&str]) -> (i32, String, String) {
    let out = tactful().arg("check").args(args).output().unwrap();
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

fn records(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|l| {
            serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("not one JSON record per line ({e}): {l}"))
        })
        .collect()
}

fn ids(records: &[Value]) -> Vec<String> {
    records.iter().map(|r| id_string(&r["id"])).collect()
}

fn id_string(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<null>".to_string(),
        v => v.to_string(),
    }
}

/// A transcript as read back by the tests, independently of the binary.
#[derive(Debug, Clone)]
struct Transcript {
    id: String,
    turns: Vec<(&'static str, String)>,
    /// The input object (JSON formats only), for pass-through fields.
    source: Option<Value>,
}

fn role(s: &str) -> &'static str {
    match s.trim().to_ascii_lowercase().as_str() {
        "customer" | "user" | "client" | "end-user" => "customer",
        "agent" | "admin" | "support" | "rep" | "operator" => "agent",
        "system" | "bot" => "system",
        other => panic!("test reader: unknown role {other:?}"),
    }
}

fn strip_bom(s: &str) -> &str {
    s.strip_prefix('\u{feff}').unwrap_or(s)
}

fn transcript_from_json(v: &Value, default_id: String) -> Transcript {
    let id = match &v["id"] {
        Value::Null => default_id,
        other => id_string(other),
    };
    let turns = v["turns"]
        .as_array()
        .expect("turns")
        .iter()
        .map(|t| {
            (
                role(t["role"].as_str().unwrap()),
                t["text"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    Transcript {
        id,
        turns,
        source: Some(v.clone()),
    }
}

fn read_jsonl(src: &str) -> Vec<Transcript> {
    strip_bom(src)
        .split('\n')
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            transcript_from_json(
                &serde_json::from_str(l.trim_end_matches('\r')).unwrap(),
                (i + 1).to_string(),
            )
        })
        .collect()
}

fn read_json(src: &str) -> Vec<Transcript> {
    let v: Value = serde_json::from_str(strip_bom(src)).unwrap();
    v.as_array()
        .unwrap()
        .iter()
        .map(|t| transcript_from_json(t, String::new()))
        .collect()
}

/// Help-desk CSV: contiguous rows of one conversation form a transcript.
fn read_csv(src: &str) -> Vec<Transcript> {
    let mut r = csv::Reader::from_reader(strip_bom(src).as_bytes());
    let headers = r.headers().unwrap().clone();
    let col = |names: &[&str]| headers.iter().position(|h| names.contains(&h)).unwrap();
    let (id, author, text) = (
        col(&["conversation_id", "id"]),
        col(&["author", "role"]),
        col(&["message", "text"]),
    );
    let mut out: Vec<Transcript> = Vec::new();
    for row in r.records() {
        let row = row.unwrap();
        let turn = (role(&row[author]), row[text].to_string());
        match out.last_mut() {
            Some(t) if t.id == row[id] => t.turns.push(turn),
            _ => out.push(Transcript {
                id: row[id].to_string(),
                turns: vec![turn],
                source: None,
            }),
        }
    }
    out
}

/// Plain text: `Customer:`/`Agent:` prefixes, continuation lines, `---` or
/// two blank lines between transcripts, `# id:` lines; a transcript without
/// one is named by the line it starts on.
fn read_text(src: &str) -> Vec<Transcript> {
    fn prefix(line: &str) -> Option<(&'static str, &str)> {
        let colon = line.find(':').filter(|&c| c <= 48)?;
        let label = line[..colon].trim();
        let word = label.split([' ', '(', '\t']).next()?;
        let r = match word.to_ascii_lowercase().as_str() {
            "customer" | "user" | "client" | "agent" | "rep" | "support" | "operator" => role(word),
            _ => return None,
        };
        let text = &line[colon + 1..];
        Some((r, text.strip_prefix(' ').unwrap_or(text)))
    }
    let mut out = Vec::new();
    let mut cur: Option<Transcript> = None;
    let mut blanks = 0;
    for (i, line) in strip_bom(src).split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        let trimmed = line.trim();
        if trimmed == "---" || (trimmed.is_empty() && blanks >= 1) {
            blanks = 0;
            out.extend(cur.take());
            continue;
        }
        if trimmed.is_empty() {
            blanks += 1;
            continue;
        }
        let pending = std::mem::take(&mut blanks);
        let t = cur.get_or_insert_with(|| Transcript {
            id: (i + 1).to_string(),
            turns: Vec::new(),
            source: None,
        });
        if let Some(id) = trimmed.strip_prefix("# id:") {
            t.id = id.trim().to_string();
        } else if let Some((r, text)) = prefix(line) {
            t.turns.push((r, text.to_string()));
        } else {
            let last = t.turns.last_mut().expect("continuation after a turn");
            last.1.push_str(if pending > 0 { "\n\n" } else { "\n" });
            last.1.push_str(line);
        }
    }
    out.extend(cur);
    out
}

fn read_fixture(path: &str) -> Vec<Transcript> {
    let src = String::from_utf8(fixture_text(path)).unwrap();
    match Path::new(path).extension().and_then(|e| e.to_str()) {
        Some("jsonl") => read_jsonl(&src),
        Some("json") => read_json(&src),
        Some("csv") => read_csv(&src),
        Some("txt") => read_text(&src),
        e => panic!("no test reader for {e:?}"),
    }
}

/// Asserts the contract's record shape and that every finding's `text` is
/// `turns[turn].text[start..end]` of the transcript as read by the tests.
fn assert_record(rec: &Value, t: &Transcript) {
    assert_eq!(id_string(&rec["id"]), t.id, "{rec}");
    assert!(rec.get("error").is_none(), "unexpected error record: {rec}");
    let score = rec["score"]
        .as_u64()
        .unwrap_or_else(|| panic!("no score: {rec}"));
    assert!(score <= 100, "{rec}");
    for f in rec["findings"]
        .as_array()
        .unwrap_or_else(|| panic!("no findings: {rec}"))
    {
        let s = |k: &str| {
            f[k].as_str()
                .unwrap_or_else(|| panic!("finding lacks {k}: {f}"))
        };
        let n = |k: &str| {
            f[k].as_u64()
                .unwrap_or_else(|| panic!("finding lacks {k}: {f}")) as usize
        };
        let (rule, category) = (s("rule"), s("category"));
        // the contract's categories, "and any category added later"
        assert!(
            !category.is_empty()
                && category
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{f}"
        );
        assert_eq!(rule.split_once('.').map(|(c, _)| c), Some(category), "{f}");
        assert!(["issue", "strength", "signal"].contains(&s("kind")), "{f}");
        assert!(["info", "warning", "error"].contains(&s("severity")), "{f}");
        assert!(!s("message").is_empty(), "{f}");
        let turn = n("turn");
        let (role, text) = t
            .turns
            .get(turn)
            .unwrap_or_else(|| panic!("turn out of range: {f}"));
        assert_eq!(s("role"), *role, "{f}");
        let (start, end) = (n("start"), n("end"));
        assert!(start < end && end <= text.len(), "{f} in {text:?}");
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{f}"
        );
        assert_eq!(s("text"), &text[start..end], "{f}");
    }
    if let Some(src) = &t.source {
        for k in ["agent", "team", "channel"] {
            if let Some(v) = src[k].as_str() {
                assert_eq!(rec[k].as_str(), Some(v), "{k} passes through: {rec}");
            }
        }
        if !src["metadata"].is_null() {
            assert_eq!(
                rec["metadata"], src["metadata"],
                "metadata passes through: {rec}"
            );
        }
    }
}

fn assert_records(stdout: &str, input: &[Transcript]) {
    let recs = records(stdout);
    assert_eq!(
        ids(&recs),
        input.iter().map(|t| t.id.clone()).collect::<Vec<_>>(),
        "one record per transcript, in input order"
    );
    for (rec, t) in recs.iter().zip(input) {
        assert_record(rec, t);
    }
}

fn rules_of(rec: &Value) -> Vec<&str> {
    rec["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

fn record_with_id<'a>(recs: &'a [Value], id: &str) -> &'a Value {
    recs.iter()
        .find(|r| id_string(&r["id"]) == id)
        .unwrap_or_else(|| panic!("no record {id}"))
}

fn error_of(rec: &Value) -> (&str, Option<u64>, &str) {
    let e = &rec["error"];
    (
        e["file"]
            .as_str()
            .unwrap_or_else(|| panic!("not an error record: {rec}")),
        e["line"].as_u64(),
        e["message"].as_str().unwrap(),
    )
}

/// A transcript line whose agent turn is `agent`.
fn jsonl_line(id: &str, customer: &str, agent: &str) -> String {
    json!({"id": id, "turns": [{"role": "customer", "text": customer}, {"role": "agent", "text": agent}]}).to_string()
}

/// `n` transcripts built from the sample's, each about 1 KB (so 3000 of them
/// span more than one 2 MB work chunk), with a malformed line every 500.
fn generated_jsonl(n: usize) -> String {
    let sample = read_fixture("fixtures/sample.jsonl");
    let mut out = String::new();
    for i in 0..n {
        if i % 500 == 499 {
            out.push_str("{\"id\": \"broken\", \"turns\": [\n");
            continue;
        }
        let (a, b) = (
            &sample[i % sample.len()],
            &sample[(i * 7 + 3) % sample.len()],
        );
        let turns: Vec<Value> = a
            .turns
            .iter()
            .chain(&b.turns)
            .map(|(r, t)| json!({"role": r, "text": t}))
            .collect();
        out.push_str(&json!({"id": format!("GEN-{i}"), "turns": turns}).to_string());
        out.push('\n');
    }
    out
}

// ----------------------------------------------------------- input formats

#[test]
fn jsonl_fixture_gives_one_record_per_transcript_in_order() {
    let input = read_fixture("fixtures/sample.jsonl");
    assert!(input.len() >= 8);
    let (code, out, err) = check(&["fixtures/sample.jsonl"]);
    assert_eq!(code, 0, "{err}");
    assert_records(&out, &input);
    let recs = records(&out);
    // a numeric id is kept; a missing id becomes the 1-based line number
    assert_eq!(id_string(&recs[2]["id"]), "1042");
    assert_eq!(id_string(&recs[3]["id"]), "4");
    assert!(rules_of(record_with_id(&recs, "GYM-778")).contains(&"procedural.policy_as_reason"));
    assert!(rules_of(record_with_id(&recs, "UTIL-0457")).contains(&"apology.but"));
}

#[test]
fn json_fixture_gives_one_record_per_array_element() {
    let input = read_fixture("fixtures/sample.json");
    assert_eq!(input.len(), 3);
    let (code, out, err) = check(&["fixtures/sample.json"]);
    assert_eq!(code, 0, "{err}");
    // pretty-printed metadata must not break the one-record-per-line output
    assert_records(&out, &input);
    assert!(rules_of(record_with_id(&records(&out), "RET-301"))
        .contains(&"procedural.policy_as_reason"));
}

#[test]
fn csv_fixture_groups_rows_into_conversations() {
    let input = read_fixture("fixtures/sample.csv");
    assert_eq!(input.len(), 4);
    assert!(
        input[1].turns[0].1.contains(", the blue kettle,") && input[1].turns[0].1.contains('\n')
    );
    let (code, out, err) = check(&["fixtures/sample.csv"]);
    assert_eq!(code, 0, "{err}");
    assert_records(&out, &input);
}

#[test]
fn text_fixture_splits_on_dashes_and_double_blank_lines() {
    let input = read_fixture("fixtures/sample.txt");
    assert_eq!(input.len(), 3);
    let (code, out, err) = check(&["fixtures/sample.txt"]);
    assert_eq!(code, 0, "{err}");
    assert_records(&out, &input);
    let recs = records(&out);
    assert_eq!(ids(&recs)[0], "PARCEL-77");
    let rules = rules_of(&recs[1]);
    assert!(
        rules.contains(&"apology.but") && rules.contains(&"procedural.policy_as_reason"),
        "{rules:?}"
    );
}

#[test]
fn input_format_flag_overrides_the_extension() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.dat");
    std::fs::write(&path, fixture_text("fixtures/sample.txt")).unwrap();
    let out = tactful()
        .args(["check", "--input-format", "text"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_records(
        &String::from_utf8(out.stdout).unwrap(),
        &read_fixture("fixtures/sample.txt"),
    );
}

#[test]
fn the_same_conversation_in_jsonl_csv_and_text_gives_the_same_findings() {
    let turns: &[(&str, &str)] = &[
        ("customer", "THIS IS THE THIRD TIME I'M WRITING!!! My order #5521 never arrived and I'm cancelling."),
        ("agent", "I’m sorry, but per our policy we cannot refund orders after 14 days. We apologize for any inconvenience."),
        ("customer", "That's the courier's fault? Café Löwe got theirs on Monday."),
        ("agent", "That's the courier's fault, not ours. Sorry if that's frustrating."),
        ("customer", "Fine. Can you at least resend it?"),
        ("agent", "Yes: I've resent it by express, and it will arrive tomorrow before noon."),
    ];
    let dir = tempfile::tempdir().unwrap();
    let jsonl = dir.path().join("c.jsonl");
    let csv_path = dir.path().join("c.csv");
    let txt = dir.path().join("c.txt");
    let v = json!({"id": "SAME-1", "turns": turns.iter().map(|(r, t)| json!({"role": r, "text": t})).collect::<Vec<_>>()});
    std::fs::write(&jsonl, format!("{v}\n")).unwrap();
    let mut w = csv::Writer::from_path(&csv_path).unwrap();
    w.write_record(["conversation_id", "timestamp", "author", "message", "agent"])
        .unwrap();
    for (i, (r, t)) in turns.iter().enumerate() {
        let agent = if *r == "agent" { "Noor" } else { "" };
        w.write_record(["SAME-1", &format!("2024-07-01 10:{i:02}"), r, t, agent])
            .unwrap();
    }
    w.flush().unwrap();
    let text: String = std::iter::once("# id: SAME-1\n".to_string())
        .chain(turns.iter().map(|(r, t)| {
            format!(
                "{}: {t}\n",
                if *r == "agent" { "Agent" } else { "Customer" }
            )
        }))
        .collect();
    std::fs::write(&txt, text).unwrap();

    // one run over the three files: three records of the same conversation
    let out = tactful()
        .arg("check")
        .args([&jsonl, &csv_path, &txt])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let recs = records(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(ids(&recs), ["SAME-1", "SAME-1", "SAME-1"]);
    let results: Vec<(Value, Value)> = recs
        .iter()
        .map(|r| (r["score"].clone(), r["findings"].clone()))
        .collect();
    assert!(!results[0].1.as_array().unwrap().is_empty());
    assert_eq!(results[0], results[1], "JSONL and CSV differ");
    assert_eq!(results[0], results[2], "JSONL and text differ");
}

// ---------------------------------------------------------- output formats

#[test]
fn format_json_is_one_array_with_a_record_per_transcript() {
    let input = read_fixture("fixtures/sample.jsonl");
    let out = tactful()
        .args(["check", "--format", "json", "fixtures/sample.jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one valid JSON document");
    let arr = v.as_array().expect("an array");
    assert_eq!(arr.len(), input.len());
    for (rec, t) in arr.iter().zip(&input) {
        assert_record(rec, t);
    }
    // with an error record in the middle it is still one valid array
    let out = tactful()
        .args([
            "check",
            "-f",
            "json",
            "fixtures/hostile/malformed_line.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).expect("one valid JSON document");
    assert_eq!(v.as_array().unwrap().len(), 3);
    assert!(v[1]["error"].is_object());
}

#[test]
fn format_csv_has_a_header_and_every_input_id() {
    let out = tactful()
        .args([
            "check",
            "--format",
            "csv",
            "fixtures/sample.jsonl",
            "fixtures/hostile/malformed_line.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let mut r = csv::Reader::from_reader(&out.stdout[..]);
    let headers = r.headers().unwrap().clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .unwrap_or_else(|| panic!("no column {n}"))
    };
    let (id, rule, text, error) = (col("id"), col("rule"), col("text"), col("error"));
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let seen: HashSet<&str> = rows.iter().map(|r| &r[id]).collect();
    for t in read_fixture("fixtures/sample.jsonl") {
        assert!(
            seen.contains(t.id.as_str()),
            "{} missing from CSV output",
            t.id
        );
    }
    assert!(rows.iter().any(|r| &r[id] == "H-3"));
    assert!(rows
        .iter()
        .any(|r| &r[rule] == "apology.but" && r[text].contains("sorry, but")));
    let errors: Vec<&str> = rows
        .iter()
        .map(|r| &r[error])
        .filter(|e| !e.is_empty())
        .collect();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("malformed_line.jsonl:2"), "{errors:?}");
}

#[test]
fn format_human_underlines_the_phrase_with_the_rule_id() {
    let out = tactful()
        .args([
            "check",
            "--format",
            "human",
            "--color",
            "never",
            "fixtures/sample.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.contains("PARCEL-77"), "{s}");
    assert!(!s.contains('\x1b'), "no color codes with --color never");
    let line = s
        .lines()
        .find(|l| l.contains("^^^") && l.contains("apology.but"))
        .unwrap_or_else(|| panic!("no underlined apology.but in:\n{s}"));
    // the carets sit under the phrase in the quoted sentence just above
    let lines: Vec<&str> = s.lines().collect();
    let at = lines.iter().position(|l| *l == line).unwrap();
    let caret = line.find('^').unwrap();
    let quoted = lines[..at]
        .iter()
        .rev()
        .find(|l| !l.trim_start().starts_with('^') && !l.trim_start().starts_with("try:"))
        .unwrap();
    assert!(
        quoted[caret..].starts_with("I'm sorry, but"),
        "{quoted:?}\n{line:?}"
    );
}

// ------------------------------------------------------- stdin, many files

#[test]
fn stdin_is_read_with_a_dash_or_no_file() {
    let data = fixture_text("fixtures/sample.jsonl");
    let input = read_fixture("fixtures/sample.jsonl");
    for args in [&["check", "-"][..], &["check"][..]] {
        let out = tactful()
            .args(args)
            .write_stdin(data.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_records(&String::from_utf8(out.stdout).unwrap(), &input);
    }
    let out = tactful()
        .args(["check", "--input-format", "csv", "-"])
        .write_stdin(fixture_text("fixtures/sample.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_records(
        &String::from_utf8(out.stdout).unwrap(),
        &read_fixture("fixtures/sample.csv"),
    );
}

#[test]
fn several_files_keep_file_order() {
    let files = [
        "fixtures/sample.txt",
        "fixtures/sample.jsonl",
        "fixtures/sample.csv",
        "fixtures/sample.json",
    ];
    let (code, out, err) = check(&files);
    assert_eq!(code, 0, "{err}");
    let expected: Vec<Transcript> = files.iter().flat_map(|f| read_fixture(f)).collect();
    assert_records(&out, &expected);
}

#[test]
fn one_two_and_five_threads_give_byte_identical_output() {
    // 10,000 records: three chunks of work (4,096 records at most each), so
    // chunks finish out of order with several threads and must be put back
    let n = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    std::fs::write(&path, generated_jsonl(n)).unwrap();
    let run = |threads: &str| {
        let out = tactful()
            .args(["check", "--quiet", "--threads", threads])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "the generated file holds malformed lines"
        );
        out.stdout
    };
    let one = run("1");
    assert!(one == run("2"), "--threads 1 and --threads 2 differ");
    assert!(one == run("5"), "--threads 1 and --threads 5 differ");
    let recs = records(std::str::from_utf8(&one).unwrap());
    assert_eq!(recs.len(), n);
    for (i, r) in recs.iter().enumerate() {
        if i % 500 == 499 {
            assert_eq!(error_of(r).1, Some(i as u64 + 1), "{r}");
        } else {
            assert_eq!(id_string(&r["id"]), format!("GEN-{i}"));
        }
    }
}

// ---------------------------------------------------------- hostile input

/// What one output record of a hostile batch should be.
enum Expect {
    /// A transcript with this id.
    Id(&'static str),
    /// An error record: line (none for a whole file) and part of the message.
    Error(Option<u64>, &'static str),
}

#[test]
fn hostile_files_give_error_records_in_place_and_the_batch_goes_on() {
    use Expect::{Error, Id};
    let batch: &[(&str, &[Expect])] = &[
        (
            "fixtures/hostile/malformed_line.jsonl",
            &[Id("H-1"), Error(Some(2), "invalid JSON"), Id("H-3")],
        ),
        (
            "fixtures/hostile/invalid_utf8.jsonl",
            &[Id("H-1"), Error(Some(2), "UTF-8"), Id("H-3")],
        ),
        (
            "fixtures/hostile/truncated.jsonl",
            &[Id("H-1"), Id("H-3"), Error(Some(3), "invalid JSON")],
        ),
        // line 6 counts the quoted newline inside the first conversation
        (
            "fixtures/hostile/unknown_role.csv",
            &[Id("U-1"), Error(Some(6), "narrator"), Id("U-3")],
        ),
        (
            "fixtures/hostile/missing_role_column.csv",
            &[Error(Some(1), "role")],
        ),
        ("fixtures/hostile/empty.jsonl", &[Error(None, "empty")]),
        ("fixtures/sample.txt", &[Id("PARCEL-77"), Id("8"), Id("13")]),
    ];
    let files: Vec<&str> = batch.iter().map(|(f, _)| *f).collect();
    let (code, out, err) = check(&files);
    assert_eq!(code, 2, "input errors exit 2");
    assert!(!err.contains("panicked"), "{err}");
    let recs = records(&out);
    let expected: Vec<(&str, &Expect)> = batch
        .iter()
        .flat_map(|(f, e)| e.iter().map(move |e| (*f, e)))
        .collect();
    assert_eq!(recs.len(), expected.len(), "{out}");
    for (rec, (file, expect)) in recs.iter().zip(&expected) {
        match expect {
            Id(id) => assert_eq!(id_string(&rec["id"]), *id, "{file}: {rec}"),
            Error(line, part) => {
                let (efile, eline, message) = error_of(rec);
                assert_eq!((efile, eline), (*file, *line), "{rec}");
                assert!(message.contains(part), "{file}: {message}");
                // stderr names file and line: `tactful: FILE:LINE: message`
                let place = match line {
                    Some(l) => format!("tactful: {file}:{l}: "),
                    None => format!("tactful: {file}: "),
                };
                assert!(err.contains(&place), "{place:?} not in stderr:\n{err}");
            }
        }
    }
    let good = recs[recs.len() - 3..]
        .iter()
        .map(|r| format!("{r}\n"))
        .collect::<String>();
    assert_records(&good, &read_fixture("fixtures/sample.txt"));
}

#[test]
fn bom_and_crlf_are_accepted_in_every_format() {
    let files = [
        "fixtures/hostile/bom_crlf.jsonl",
        "fixtures/hostile/bom_crlf.csv",
        "fixtures/hostile/bom_crlf.txt",
    ];
    let (code, out, err) = check(&files);
    assert_eq!(code, 0, "{err}");
    let input: Vec<Transcript> = files.iter().flat_map(|f| read_fixture(f)).collect();
    let expected = ["H-1", "H-3", "B-1", "B-2", "1", "4"];
    assert_eq!(
        input.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        expected
    );
    assert_records(&out, &input);
    for rec in records(&out) {
        for f in rec["findings"].as_array().unwrap() {
            assert!(!f["text"].as_str().unwrap().ends_with('\r'), "{f}");
        }
    }
}

#[test]
fn a_missing_file_or_a_directory_is_an_error_record_and_the_batch_goes_on() {
    let (code, out, err) = check(&[
        "fixtures/no-such-file.jsonl",
        "fixtures/sample.txt",
        "fixtures",
        "fixtures/sample.json",
    ]);
    assert_eq!(code, 2);
    let recs = records(&out);
    assert_eq!(recs.len(), 1 + 3 + 1 + 3);
    assert_eq!(error_of(&recs[0]).0, "fixtures/no-such-file.jsonl");
    assert_eq!(error_of(&recs[4]).0, "fixtures");
    assert_eq!(ids(&recs[5..]), ["RET-301", "ISP-88", "CAR-12"]);
    assert!(err.contains("fixtures/no-such-file.jsonl"), "{err}");
    assert!(err.contains("fixtures: "), "{err}");
}

#[test]
fn a_10_mb_line_is_an_ordinary_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let filler = "The parcel left the depot on Tuesday and the tracking shows it in transit. ";
    let mut huge = filler.repeat(10 * 1024 * 1024 / filler.len() + 1);
    huge.push_str("I'm sorry, but per our policy we cannot refund it.");
    let data = [
        jsonl_line("before", "Hi, where is my parcel?", "It arrives tomorrow."),
        jsonl_line("huge", "Where is my parcel?", &huge),
        jsonl_line("after", "Thanks!", "You're welcome."),
    ]
    .join("\n");
    assert!(data.len() > 10 * 1024 * 1024);
    std::fs::write(&path, &data).unwrap();
    let out = tactful().arg("check").arg(&path).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_records(
        std::str::from_utf8(&out.stdout).unwrap(),
        &read_jsonl(&data),
    );
}

#[test]
fn a_line_over_max_record_bytes_is_an_error_record_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let long = "We have received your request. ".repeat(200);
    let data = [
        jsonl_line("A", "Hello?", "Hi, how can I help?"),
        jsonl_line("B", "Hello?", &long),
        jsonl_line("C", "Thanks", "Any time."),
    ]
    .join("\n");
    std::fs::write(&path, &data).unwrap();
    let out = tactful()
        .args(["check", "--max-record-bytes", "2000"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let recs = records(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(ids(&recs), ["A", "<null>", "C"]);
    let (_, line, message) = error_of(&recs[1]);
    assert_eq!(line, Some(2));
    assert!(message.contains("2000"), "{message}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("long.jsonl:2:"), "{err}");
}

#[test]
fn strict_stops_at_the_first_error() {
    let (code, out, _) = check(&[
        "--strict",
        "fixtures/hostile/malformed_line.jsonl",
        "fixtures/sample.jsonl",
    ]);
    assert_eq!(code, 2);
    let recs = records(&out);
    assert_eq!(
        ids(&recs),
        ["H-1", "<null>"],
        "nothing after the first error"
    );
    assert_eq!(error_of(&recs[1]).1, Some(2));
}

#[test]
fn an_error_message_follows_its_record_when_both_streams_share_a_file() {
    // stdout and stderr on the same file (`2>&1`): each error's message on
    // stderr comes right after its record, not before it nor at the end
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl");
    let good = |id: &str| {
        format!("{{\"id\":\"{id}\",\"turns\":[{{\"role\":\"agent\",\"text\":\"Sorry.\"}}]}}\n")
    };
    std::fs::write(
        &path,
        [
            good("A"),
            "{broken\n".into(),
            good("B"),
            "[1]\n".into(),
            good("C"),
        ]
        .concat(),
    )
    .unwrap();
    let both = std::fs::File::create(dir.path().join("both.txt")).unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .args(["check", "--format", "jsonl"])
        .arg(&path)
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let text = std::fs::read_to_string(dir.path().join("both.txt")).unwrap();
    let kinds: Vec<String> = text
        .lines()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(r) if r.get("error").is_some() => format!("error record {}", r["error"]["line"]),
            Ok(r) => format!("record {}", r["id"].as_str().unwrap_or("?")),
            Err(_) if l.starts_with("tactful: ") && l.contains("mixed.jsonl:") => {
                let line = l
                    .split("mixed.jsonl:")
                    .nth(1)
                    .unwrap_or("")
                    .split(':')
                    .next()
                    .unwrap_or("");
                format!("message {line}")
            }
            Err(_) => format!("other: {l}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "record A",
            "error record 2",
            "message 2",
            "record B",
            "error record 4",
            "message 4",
            "record C"
        ],
        "{text}"
    );
}

#[test]
fn closing_the_output_early_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let block = generated_jsonl(499);
    std::fs::write(&path, block.repeat(12)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .arg("check")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("GEN-0"), "{first}");
    // the reader is dropped here: like `tactful check big.jsonl | head -1`
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.to_lowercase().contains("broken pipe"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

// ------------------------------------------------------------ exit codes

#[test]
fn fail_on_warning_exits_1_only_when_an_issue_reaches_it() {
    let warning = jsonl_line(
        "W",
        "Can I get my deposit back?",
        "I'm sorry, but we can't refund the deposit.",
    );
    let clean = jsonl_line(
        "C",
        "Could you send me a copy of the April invoice?",
        "Of course, I've emailed it to you just now.",
    );
    let run = |line: &str, extra: &[&str]| {
        tactful()
            .arg("check")
            .args(extra)
            .write_stdin(format!("{line}\n"))
            .output()
            .unwrap()
    };
    assert_eq!(
        run(&warning, &["--fail-on", "warning"]).status.code(),
        Some(1)
    );
    assert_eq!(run(&clean, &["--fail-on", "info"]).status.code(), Some(0));
}

#[test]
fn fail_on_agrees_with_the_issues_in_the_output() {
    // split the sample's transcripts by whether an issue reaches `warning`;
    // each part alone must exit 1 exactly when it holds such an issue
    let src = String::from_utf8(fixture_text("fixtures/sample.jsonl")).unwrap();
    let out = tactful()
        .args(["check", "--fail-on", "warning", "fixtures/sample.jsonl"])
        .output()
        .unwrap();
    let mut parts: [Vec<&str>; 2] = Default::default();
    for (line, rec) in src
        .lines()
        .zip(records(std::str::from_utf8(&out.stdout).unwrap()))
    {
        let fails = rec["findings"].as_array().unwrap().iter().any(|f| {
            f["kind"] == "issue" && ["warning", "error"].contains(&f["severity"].as_str().unwrap())
        });
        parts[usize::from(fails)].push(line);
    }
    let whole = if parts[1].is_empty() { 0 } else { 1 };
    assert_eq!(out.status.code(), Some(whole));
    for (fails, lines) in parts.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
        let out = tactful()
            .args(["check", "--fail-on", "warning"])
            .write_stdin(lines.join("\n"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(fails as i32), "{lines:?}");
    }
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["check", "--format", "xml"][..],
        &["check", "--fail-on", "sometimes"][..],
        &["check", "--threads", "0"][..],
        &["check", "--max-record-bytes", "lots"][..],
        &["check", "--no-such-flag"][..],
        &["frobnicate"][..],
        &[][..],
    ] {
        tactful()
            .args(args)
            .write_stdin("")
            .assert()
            .code(2)
            .stderr(predicate::str::is_empty().not());
    }
    tactful()
        .arg("--help")
        .assert()
        .code(0)
        .stdout(predicate::str::contains("check"));
}

// ----------------------------------------------------------- rules, explain

const RULE_IDS: &[&str] = &[
    "apology.but",
    "apology.conditional",
    "apology.deflecting",
    "apology.scripted",
    "apology.sincere",
    "distress.churn_threat",
    "distress.emotion",
    "distress.intensity",
    "distress.legal_threat",
    "distress.public_threat",
    "distress.repeat_contact",
    "distress.stakes",
    "empathy.sympathy",
    "empathy.validation",
    "empathy_gap.no_acknowledgment",
    "excuse.blaming_customer",
    "excuse.circumstances",
    "excuse.denial",
    "excuse.minimizing",
    "excuse.third_party_blame",
    "procedural.bureaucratic_handoff",
    "procedural.policy_as_reason",
    "procedural.refusal_without_alternative",
    "procedural.system_as_authority",
    "procedural.template_formality",
];

#[test]
fn rules_lists_every_rule_id() {
    let out = tactful().arg("rules").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let listed: HashSet<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect();
    for id in RULE_IDS {
        assert!(listed.contains(*id), "{id} missing from `tactful rules`");
    }
    let out = tactful().args(["rules", "--json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let json_ids: HashSet<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        json_ids.len(),
        v.as_array().unwrap().len(),
        "ids are unique"
    );
    for id in RULE_IDS {
        assert!(
            json_ids.contains(id),
            "{id} missing from `tactful rules --json`"
        );
    }
}

#[test]
fn explain_prints_a_rules_documentation() {
    let rules: Value =
        serde_json::from_slice(&tactful().args(["rules", "--json"]).output().unwrap().stdout)
            .unwrap();
    let but = rules
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "apology.but")
        .unwrap();
    let out = tactful().args(["explain", "apology.but"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let s = String::from_utf8(out.stdout).unwrap();
    assert!(s.starts_with("apology.but"), "{s}");
    assert!(s.contains(but["summary"].as_str().unwrap()), "{s}");
    assert!(s.contains(but["message"].as_str().unwrap()), "{s}");
    assert!(s.lines().count() >= 5, "the full doc, not one line: {s}");

    tactful()
        .args(["explain", "nope"])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains("nope"));
}

#[test]
fn an_empty_stdin_is_an_error_record_named_dash() {
    let out = tactful().arg("check").write_stdin("").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let recs = records(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(recs.len(), 1);
    assert_eq!(error_of(&recs[0]).0, "-");
    assert!(error_of(&recs[0]).2.contains("empty"));
}

// ------------------------------------------------- configuration and gating

/// Writes `content` to a fresh temporary `tactful.toml` and returns its dir.
fn config_dir(content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tactful.toml"), content).unwrap();
    dir
}

const POLICY_LINE: &str = r#"{"id":"P","turns":[{"role":"customer","text":"Can I return it?"},{"role":"agent","text":"Per our policy, no. Please be advised the store is closed."}]}"#;

#[test]
fn a_config_file_ignores_rules_and_adds_phrases() {
    let dir = config_dir(
        "ignore = [\"procedural.template_formality\"]\n[extend-phrases]\n\"procedural.policy_as_reason\" = [\"the store is (closed|shut)\"]\n",
    );
    let path = dir.path().join("tactful.toml");
    let out = tactful()
        .args(["check", "--format", "jsonl", "--config"])
        .arg(&path)
        .write_stdin(POLICY_LINE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let recs = records(&String::from_utf8(out.stdout).unwrap());
    let rules = rules_of(&recs[0]);
    assert!(
        !rules.contains(&"procedural.template_formality"),
        "{rules:?}"
    );
    let added: Vec<&Value> = recs[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["text"] == "the store is closed")
        .collect();
    assert_eq!(added.len(), 1, "{recs:?}");
    assert_eq!(added[0]["rule"], "procedural.policy_as_reason");
}

#[test]
fn tactful_toml_in_the_current_directory_is_read_and_cli_lists_override_it() {
    let dir = config_dir("ignore = [\"procedural\"]\n");
    let run = |extra: &[&str]| {
        let out = Command::cargo_bin("tactful")
            .unwrap()
            .current_dir(dir.path())
            .args(["check", "--format", "jsonl"])
            .args(extra)
            .write_stdin(POLICY_LINE)
            .output()
            .unwrap();
        records(&String::from_utf8(out.stdout).unwrap())
    };
    let recs = run(&[]);
    assert!(rules_of(&recs[0])
        .iter()
        .all(|r| !r.starts_with("procedural")));
    let recs = run(&["--ignore", "apology"]);
    assert!(rules_of(&recs[0]).contains(&"procedural.policy_as_reason"));
    let recs = run(&["--select", "procedural.template_formality"]);
    assert_eq!(rules_of(&recs[0]), ["procedural.template_formality"]);
}

#[test]
fn a_bad_config_exits_2_naming_the_key_and_line() {
    let dir = config_dir("select = []\n\n[severity]\n\"apology.butt\" = \"error\"\n");
    let out = tactful()
        .args(["check", "--config"])
        .arg(dir.path().join("tactful.toml"))
        .write_stdin(POLICY_LINE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("tactful.toml:4:"), "{err}");
    assert!(
        err.contains("severity") && err.contains("apology.butt"),
        "{err}"
    );
    assert!(out.stdout.is_empty());

    let dir = config_dir("[score]\nwieghts = {}\n");
    let out = tactful()
        .args(["config", "--show", "--config"])
        .arg(dir.path().join("tactful.toml"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains(":2:") && err.contains("wieghts"), "{err}");
}

#[test]
fn config_show_prints_the_effective_configuration() {
    let out = tactful()
        .args(["config", "--show", "--config", "tactful.example.toml"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("tactful.example.toml"), "{text}");
    assert!(text.contains("critical-cap = 40"), "{text}");
    assert!(text.contains("procedural.template_formality"), "{text}");
}

#[test]
fn fail_under_and_critical_rules_gate_the_exit_code() {
    let (code, out, _) = check_stdin(&["--fail-under", "95"], POLICY_LINE);
    assert_eq!(code, 1, "{out}");
    let (code, _, _) = check_stdin(&["--fail-under", "10"], POLICY_LINE);
    assert_eq!(code, 0);
    let dir =
        config_dir("[score]\ncritical = [\"procedural.policy_as_reason\"]\ncritical-cap = 20\n");
    let out = tactful()
        .args([
            "check",
            "--format",
            "jsonl",
            "--fail-under",
            "50",
            "--config",
        ])
        .arg(dir.path().join("tactful.toml"))
        .write_stdin(POLICY_LINE)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let recs = records(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(recs[0]["failed"], true);
    assert!(recs[0]["score"].as_u64().unwrap() <= 20);
}

fn check_stdin(args: &[&str], input: &str) -> (i32, String, String) {
    let out = tactful()
        .arg("check")
        .args(["--format", "jsonl"])
        .args(args)
        .write_stdin(input)
        .output()
        .unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn replies_lints_a_folder_of_macros_with_file_line_and_column() {
    let out = tactful()
        .args([
            "check",
            "--replies",
            "--per-line",
            "--format",
            "human",
            "--color",
            "never",
            "fixtures/macros",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    // a .md file is one whole reply: the phrase on line 3, column 1 ("I'm sorry, but")
    assert!(
        text.contains("fixtures/macros/refund-refused.md:3:1: apology.but"),
        "{text}"
    );
    assert!(
        text.contains("fixtures/macros/refund-refused.md:3:16: procedural.policy_as_reason"),
        "{text}"
    );
    // per-line replies keep their own line numbers
    assert!(
        text.contains("fixtures/macros/one-liners.txt:1:1: apology.scripted"),
        "{text}"
    );
    assert!(
        text.contains("fixtures/macros/one-liners.txt:3:1: procedural.template_formality"),
        "{text}"
    );
    // the sincere macro in a sub-folder has no issue
    assert!(!text.contains("late-fee.md:"), "{text}");

    let out = tactful()
        .args([
            "check",
            "--replies",
            "--per-line",
            "--format",
            "jsonl",
            "fixtures/macros",
        ])
        .output()
        .unwrap();
    let recs = records(&String::from_utf8(out.stdout).unwrap());
    let ids: Vec<String> = recs.iter().map(|r| id_string(&r["id"])).collect();
    assert_eq!(
        ids,
        [
            "fixtures/macros/billing/late-fee.md",
            "fixtures/macros/one-liners.txt:1",
            "fixtures/macros/one-liners.txt:2",
            "fixtures/macros/one-liners.txt:3",
            "fixtures/macros/refund-refused.md",
        ]
    );
}

// ------------------------------------------------------------------ schema

#[test]
fn every_output_record_validates_against_the_json_schema() {
    let schema: Value =
        serde_json::from_slice(&fixture_text("schemas/check-record.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    // data records from every fixture format, error records from hostile input,
    // and a failed record from a critical rule
    let dir = config_dir("[score]\ncritical = [\"apology.but\"]\n");
    let out = tactful()
        .args(["check", "--format", "jsonl", "--config"])
        .arg(dir.path().join("tactful.toml"))
        .args([
            "fixtures/sample.jsonl",
            "fixtures/sample.json",
            "fixtures/sample.csv",
            "fixtures/sample.txt",
            "fixtures/hostile/malformed_line.jsonl",
            "fixtures/hostile/unknown_role.csv",
            "fixtures/hostile/empty.jsonl",
            "no-such-file.jsonl",
        ])
        .output()
        .unwrap();
    let recs = records(&String::from_utf8(out.stdout).unwrap());
    assert!(recs.len() > 20, "{}", recs.len());
    let mut errors = 0;
    let mut failed = 0;
    for rec in &recs {
        let problems: Vec<String> = validator.iter_errors(rec).map(|e| e.to_string()).collect();
        assert!(problems.is_empty(), "{rec}\n{problems:?}");
        errors += usize::from(rec.get("error").is_some());
        failed += usize::from(rec.get("failed").is_some());
    }
    assert!(errors >= 3, "expected error records too");
    assert!(failed >= 1, "expected a failed record too");
    // and the schema is not vacuous: a record with a bad kind is rejected
    let mut bad = recs
        .iter()
        .find(|r| r["findings"].as_array().is_some_and(|f| !f.is_empty()))
        .unwrap()
        .clone();
    bad["findings"][0]["kind"] = json!("praise");
    assert!(!validator.is_valid(&bad));
}

#[test]
fn the_report_document_validates_against_its_json_schema() {
    let schema: Value =
        serde_json::from_slice(&fixture_text("schemas/report.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let report = |args: &[&str]| -> Value {
        let out = tactful()
            .args(["report", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).expect("one JSON document")
    };
    // a real batch with agents, teams, phrases and an error; and an empty one
    let full = report(&[
        "fixtures/sample.jsonl",
        "fixtures/sample.json",
        "fixtures/sample.csv",
        "fixtures/sample.txt",
        "fixtures/hostile/malformed_line.jsonl",
    ]);
    let empty = report(&["fixtures/hostile/empty.jsonl"]);
    for doc in [&full, &empty] {
        let problems: Vec<String> = validator.iter_errors(doc).map(|e| e.to_string()).collect();
        assert!(problems.is_empty(), "{doc}\n{problems:?}");
    }
    // every section is exercised, so the schema was checked against content
    for key in ["agents", "teams", "lowest"] {
        assert!(!full[key].as_array().unwrap().is_empty(), "{key} is empty");
    }
    assert!(!full["top_phrases"].as_object().unwrap().is_empty());
    assert!(empty["score"]["mean"].is_null());
    // the lowest transcripts' issue texts are the flagged phrases
    let lowest = &full["lowest"][0];
    assert!(lowest["score"].as_u64().unwrap() < 100);
    assert!(lowest["issues"][0]["text"]
        .as_str()
        .is_some_and(|t| !t.is_empty()));
    // and the schema is not vacuous
    let mut bad = full.clone();
    bad["score"]["histogram"] = json!([1, 2, 3]);
    assert!(!validator.is_valid(&bad));
    let mut bad = full.clone();
    bad["agents"][0]["std_dev"] = json!(-1.0);
    assert!(!validator.is_valid(&bad));
}

// ------------------------------------------------------------------ report

/// Four transcripts whose figures are worked out by hand below.
const REPORT_BATCH: &str = r#"{"id":"T1","agent":"A","team":"X","turns":[{"role":"customer","text":"Can you change my address?"},{"role":"agent","text":"Done, it's updated."}]}
{"id":"T2","agent":"A","team":"X","turns":[{"role":"customer","text":"Can I return it?"},{"role":"agent","text":"Per our policy, no."}]}
not json
{"id":"T3","agent":"B","team":"Y","turns":[{"role":"customer","text":"I'm furious!!"},{"role":"agent","text":"Order number?"}]}
{"id":"T4","agent":"B","team":"Y","turns":[{"role":"customer","text":"I'm furious!!"},{"role":"agent","text":"I understand how frustrating this is."}]}
"#;

#[test]
fn report_figures_match_a_hand_computed_batch() {
    let out = tactful()
        .args(["report", "--format", "json", "--quiet"])
        .write_stdin(REPORT_BATCH)
        .output()
        .unwrap();
    // the malformed line is an input error: counted, and exit code 2
    assert_eq!(out.status.code(), Some(2));
    let r: Value = serde_json::from_slice(&out.stdout).unwrap();
    // T1 clean: 100. T2 one procedural warning: procedural 85, total (85+100+100)/3 = 95.
    // T3 distress with no acknowledgment: empathy 0, total (100*3 + 2*0)/5 = 60. T4: 100.
    assert_eq!(r["transcripts"], 4);
    assert_eq!(r["turns"], 8);
    assert_eq!(r["errors"], 1);
    assert_eq!(r["score"]["mean"], 88.75); // (100 + 95 + 60 + 100) / 4
    assert_eq!(r["score"]["median"], 95); // nearest rank 2 of [60, 95, 100, 100]
    assert_eq!(r["score"]["p10"], 60);
    assert_eq!(r["score"]["p90"], 100);
    assert_eq!(r["score"]["histogram"][95], 1);
    assert_eq!(r["category_share"]["procedural"], 0.25);
    assert_eq!(r["category_share"]["empathy_gap"], 0.25);
    assert_eq!(r["category_share"]["distress"], 0.5);
    assert_eq!(r["distress_acknowledged"]["judged"], 2);
    assert_eq!(r["distress_acknowledged"]["acknowledged"], 1);
    let a = &r["agents"][0];
    assert_eq!(a["name"], "A");
    assert_eq!(a["mean_score"], 97.5);
    assert_eq!(a["std_dev"], 3.536); // sqrt((2.5^2 + 2.5^2) / 1)
    let b = &r["agents"][1];
    assert_eq!(b["mean_score"], 80.0);
    assert_eq!(b["std_dev"], 28.284); // sqrt((20^2 + 20^2) / 1)
    assert_eq!(b["category_rates"]["empathy_gap"], 0.5);
    assert_eq!(r["teams"][1]["name"], "Y");
    let top = &r["top_phrases"]["procedural.policy_as_reason"][0];
    assert_eq!(top["phrase"], "per our policy");
    assert_eq!(top["count"], 1);
    assert_eq!(top["example"], "T2");
}

#[test]
fn report_human_summary_ranks_agents_and_lists_phrases() {
    let out = tactful()
        .args(["report", "--quiet"])
        .write_stdin(REPORT_BATCH)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("4 transcripts, 8 turns, 1 input errors"),
        "{text}"
    );
    assert!(
        text.contains("score: mean 88.8, median 95, p10 60, p90 100"),
        "{text}"
    );
    assert!(
        text.contains("distressed customers acknowledged: 1 of 2 (50.0%)"),
        "{text}"
    );
    // lowest mean score first: B (80) before A (97.5)
    let b = text.find("  B ").expect("agent B listed");
    let a = text.find("  A ").expect("agent A listed");
    assert!(b < a, "{text}");
    assert!(text.contains("\"per our policy\"  (e.g. T2)"), "{text}");
}

/// Finds a headless Chromium, if installed (`.ci/run` installs Debian's).
fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .find_map(|name| {
            std::env::var_os("PATH").and_then(|paths| {
                std::env::split_paths(&paths)
                    .map(|p| p.join(name))
                    .find(|p| p.is_file())
            })
        })
}

#[test]
fn html_report_is_self_contained_and_renders_in_headless_chromium() {
    let out = tactful()
        .args([
            "report",
            "--format",
            "html",
            "fixtures/sample.jsonl",
            "fixtures/sample.csv",
            "fixtures/sample.txt",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let html = String::from_utf8(out.stdout).unwrap();
    // self-contained: no scripts, nothing fetched
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "nothing fetched"
    );
    for id in [
        "summary",
        "histogram",
        "categories",
        "agents",
        "teams",
        "phrases",
        "worst",
    ] {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "section {id} missing"
        );
    }
    assert!(
        html.contains("<mark class=\"issue\""),
        "flagged phrases highlighted"
    );

    let Some(browser) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("chromium not installed: skipping the rendering half of this test");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("report.html");
    std::fs::write(&page, &html).unwrap();
    let out = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium failed: {log}");
    assert!(!log.contains("CONSOLE"), "console messages: {log}");
    assert!(!log.contains("Uncaught"), "page errors: {log}");
    for table in ["agents", "teams", "phrases"] {
        assert!(
            dom.contains(&format!("<table id=\"{table}\"")),
            "rendered DOM lacks table {table}"
        );
    }
    assert!(dom.contains("tactful report"), "{dom}");
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    for cmd in ["check", "report"] {
        let out = tactful()
            .args([cmd, "fixtures/sample.jsonl"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        assert!(
            out.stderr.is_empty(),
            "{cmd}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}
