//! `tactful rules` and `tactful explain`.

use super::*;

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
