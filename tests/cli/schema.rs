//! Output records validated against the JSON Schemas in `schemas/`.

use super::*;

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
