//! The output formats: JSON array, CSV rows, human lines.

use super::*;

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
