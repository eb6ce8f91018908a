//! `check --format sarif|github`, `--statistics` and `--output`.

use super::*;

const INPUTS: [&str; 4] = [
    "fixtures/sample.jsonl",
    "fixtures/sample.txt",
    "fixtures/sample.json",
    "fixtures/hostile/malformed_line.jsonl",
];

/// The issue findings of the JSONL records of `INPUTS`: (transcript, turn,
/// start, end, rule).
fn issues_of_inputs() -> Vec<(String, u64, u64, u64, String)> {
    let (_, stdout, _) = check(&[&["--format", "jsonl"][..], &INPUTS].concat());
    let mut out = Vec::new();
    for rec in records(&stdout) {
        for f in rec["findings"].as_array().into_iter().flatten() {
            if f["kind"] == "issue" {
                out.push((
                    id_string(&rec["id"]),
                    f["turn"].as_u64().unwrap(),
                    f["start"].as_u64().unwrap(),
                    f["end"].as_u64().unwrap(),
                    f["rule"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    out
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let schema: Value =
        serde_json::from_slice(&fixture_text("tests/schemas/sarif-schema-2.1.0.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let (code, stdout, _) = check(&[&["--format", "sarif"][..], &INPUTS].concat());
    assert_eq!(code, 2, "an input error");
    let log: Value = serde_json::from_str(&stdout).expect("one JSON document");
    let problems: Vec<String> = validator.iter_errors(&log).map(|e| e.to_string()).collect();
    assert!(problems.is_empty(), "{problems:?}");
    // the schema is not vacuous
    let mut bad = log.clone();
    bad["runs"][0]["results"][0]["level"] = json!("severe");
    assert!(!validator.is_valid(&bad));

    let run = &log["runs"][0];
    // the rules are the registry's, and an input error's
    let ids: Vec<&str> = run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let mut registry: Vec<&str> = tactful::rule::all().iter().map(|r| r.id).collect();
    registry.push("input-error");
    assert_eq!(ids, registry);
    // one result per issue, with turn and span in its properties, in order
    let results = run["results"].as_array().unwrap();
    let got: Vec<(String, u64, u64, u64, String)> = results
        .iter()
        .filter(|r| r["ruleId"] != "input-error")
        .map(|r| {
            let p = &r["properties"];
            (
                p["transcript"].as_str().unwrap().to_string(),
                p["turn"].as_u64().unwrap(),
                p["start"].as_u64().unwrap(),
                p["end"].as_u64().unwrap(),
                r["ruleId"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got, issues_of_inputs());
    // locations: file and line, and a column where the input has lines
    let text = results
        .iter()
        .find(|r| {
            r["ruleId"] == "excuse.third_party_blame"
                && r["properties"]["transcript"] == "PARCEL-77"
        })
        .expect("PARCEL-77's blame");
    let loc = &text["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "fixtures/sample.txt");
    assert_eq!(loc["region"]["startLine"], 3);
    assert_eq!(loc["region"]["startColumn"], 8);
    let error = results
        .iter()
        .find(|r| r["ruleId"] == "input-error")
        .expect("the input error is a result");
    let loc = &error["locations"][0]["physicalLocation"];
    assert_eq!(
        loc["artifactLocation"]["uri"],
        "fixtures/hostile/malformed_line.jsonl"
    );
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn github_annotations_give_one_workflow_command_per_issue() {
    let (code, stdout, _) = check(&[&["--format", "github"][..], &INPUTS].concat());
    assert_eq!(code, 2);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), issues_of_inputs().len() + 1, "{stdout}");
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::warning file=fixtures/sample.txt,line=3,col=8,title=excuse.third_party_blame::"
        )),
        "{stdout}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(
            "::error file=fixtures/hostile/malformed_line.jsonl,line=2,title=input-error::invalid JSON"
        )),
        "{stdout}"
    );
    for l in &lines {
        assert!(l.starts_with("::"), "{l}");
    }
    // a file name with a comma or a colon cannot break the command
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("a,b:c.jsonl"),
        jsonl_line("X", "Where is it?", "Per our policy, no."),
    )
    .unwrap();
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(dir.path())
        .args(["check", "--format", "github", "a,b:c.jsonl"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.starts_with("::warning file=a%2Cb%3Ac.jsonl,line=1,col="),
        "{stdout}"
    );
}

#[test]
fn statistics_count_findings_per_rule() {
    let (_, stdout, _) = check(&[&["--statistics", "--format", "json"][..], &INPUTS].concat());
    let stats: Value = serde_json::from_str(&stdout).unwrap();
    let (_, records_out, _) = check(&[&["--format", "jsonl"][..], &INPUTS].concat());
    let mut expected: std::collections::BTreeMap<String, u64> = Default::default();
    for rec in records(&records_out) {
        for f in rec["findings"].as_array().into_iter().flatten() {
            *expected
                .entry(f["rule"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
    }
    let got: std::collections::BTreeMap<String, u64> = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["rule"].as_str().unwrap().to_string(),
                s["count"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, expected);
    // most frequent first
    let counts: Vec<u64> = stats
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["count"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // without --format, a table, then the summary line
    let (_, table, _) = check(&["--statistics", "fixtures/sample.jsonl"]);
    let first: Vec<&str> = table.lines().next().unwrap().split_whitespace().collect();
    assert!(first[0].parse::<u64>().is_ok(), "{table}");
    assert!(tactful::rule::find(first[1]).is_some(), "{table}");
    assert!(
        table.lines().last().unwrap().contains(" records: "),
        "{table}"
    );
}

#[test]
fn output_writes_to_a_file_and_never_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("out.jsonl");
    let out = tactful()
        .args(["check", "fixtures/sample.jsonl", "--output"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // a file is not a terminal: JSONL by default
    let written = std::fs::read_to_string(&file).unwrap();
    assert_records(&written, &read_fixture("fixtures/sample.jsonl"));
    let report = dir.path().join("report.html");
    let out = tactful()
        .args(["report", "--format", "html", "fixtures/sample.jsonl", "-o"])
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(std::fs::read_to_string(&report)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
    // the output is one of the inputs: refused before anything is written
    let input = dir.path().join("in.jsonl");
    std::fs::copy(root().join("fixtures/sample.jsonl"), &input).unwrap();
    let out = tactful()
        .arg("check")
        .arg(&input)
        .arg("--output")
        .arg(&input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is one of the inputs"));
    assert_eq!(
        std::fs::read(&input).unwrap(),
        fixture_text("fixtures/sample.jsonl")
    );
    // a file that cannot be created is an error naming it
    let out = tactful()
        .args([
            "check",
            "fixtures/sample.jsonl",
            "--output",
            "/nonexistent-dir/x.jsonl",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write /nonexistent-dir/x.jsonl"));
}
