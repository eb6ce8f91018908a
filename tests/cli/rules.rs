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
    "excuse.implied",
    "excuse.minimizing",
    "excuse.third_party_blame",
    "procedural.bureaucratic_handoff",
    "procedural.implied",
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

#[test]
fn completions_for_every_shell_name_the_subcommands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = tactful().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["check", "report", "explain", "statistics", "isolated"] {
            assert!(script.contains(word), "{shell}: no {word}");
        }
    }
    // the bash script is valid bash
    let out = tactful().args(["completions", "bash"]).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tactful.bash");
    std::fs::write(&path, &out.stdout).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        syntax.status.success(),
        "{}",
        String::from_utf8_lossy(&syntax.stderr)
    );
    // an unknown shell is a usage error
    let out = tactful().args(["completions", "tcsh"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_man_page_documents_every_subcommand_and_option() {
    let out = tactful().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.contains(".TH tactful 1"), "{page}");
    for sub in [
        "CHECK",
        "REPORT",
        "RULES",
        "EXPLAIN",
        "CONFIG",
        "COMPLETIONS",
    ] {
        assert!(page.contains(&format!(".SH \"TACTFUL {sub}\"")), "no {sub}");
    }
    // roff escapes the dashes of options
    for option in [
        "statistics",
        "fail\\-under",
        "isolated",
        "output",
        "show\\-all",
    ] {
        assert!(page.contains(&format!("\\-\\-{option}")), "no --{option}");
    }
}
