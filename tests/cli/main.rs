//! Integration tests that run the real `tactful` binary on the files in
//! `fixtures/` and on inputs generated into a temporary directory.
//!
//! Detector findings are being tuned, so these tests check the contract
//! (record shape, order, offsets, error records, exit codes) rather than
//! exact findings; only a few unambiguous phrases are asserted by rule id.
//!
//! This file holds the helpers; the tests are in one module per topic.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::Stdio;

mod ci_formats;
mod config;
mod exit_codes;
mod hostile_input;
mod human;
mod input_formats;
mod output_formats;
mod pipes;
mod redact;
mod replies;
mod report;
mod rules;
mod schema;
mod spans;
mod stdin_and_files;

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
        // a missed acknowledgment names the customer turn and its evidence
        let upset = &f["upset"];
        assert_eq!(
            rule == "empathy_gap.no_acknowledgment",
            upset.is_object(),
            "{f}"
        );
        if upset.is_object() {
            let u = |k: &str| {
                upset[k]
                    .as_u64()
                    .unwrap_or_else(|| panic!("upset lacks {k}: {f}")) as usize
            };
            let (role, text) = t
                .turns
                .get(u("turn"))
                .unwrap_or_else(|| panic!("upset turn out of range: {f}"));
            assert!(u("turn") < turn && *role == "customer", "{f}");
            assert!(u("score") <= 100, "{f}");
            assert!(
                upset["rule"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("distress."),
                "{f}"
            );
            let (a, b) = (u("start"), u("end"));
            assert!(a < b && b <= text.len(), "{f}");
            assert_eq!(upset["text"].as_str(), Some(&text[a..b]), "{f}");
        }
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

/// Writes `content` to a fresh temporary `tactful.toml` and returns its dir.
fn config_dir(content: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("tactful.toml"), content).unwrap();
    dir
}
