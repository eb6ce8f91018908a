//! Each input format read from its fixture, and the same conversation in every format.

use super::*;

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

#[test]
fn an_unknown_extension_is_an_unknown_format_naming_input_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.xlsx"), "PK\u{3}\u{4} not a transcript").unwrap();
    let out = tactful()
        .args(["check", "--format", "jsonl"])
        .arg(dir.path().join("a.xlsx"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let recs = records(&String::from_utf8(out.stdout).unwrap());
    assert_eq!(recs.len(), 1);
    let (file, line, message) = error_of(&recs[0]);
    assert!(file.ends_with("a.xlsx"), "{file}");
    assert_eq!(line, None);
    assert!(message.starts_with("unknown input format"), "{message}");
    assert!(
        message.contains(".xlsx") && message.contains("--input-format"),
        "{message}"
    );
    assert!(!message.contains("invalid JSON"), "{message}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("--input-format"), "{err}");
}
