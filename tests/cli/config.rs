//! `tactful.toml`, `--config`, `--select`/`--ignore`, `--fail-under`.

use super::*;

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
    // procedural 100 - 15 - 5 = 80, the four other judged categories 100: 96
    let (code, out, _) = check_stdin(&["--fail-under", "97"], POLICY_LINE);
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

/// Runs `tactful ARGS` in `dir` on `POLICY_LINE`: (exit code, the rules of
/// the record, stderr).
fn run_in(dir: &Path, args: &[&str]) -> (i32, Vec<String>, String) {
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .write_stdin(POLICY_LINE)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let rules = records(&stdout)
        .first()
        .map(|r| rules_of(r).into_iter().map(str::to_string).collect())
        .unwrap_or_default();
    (
        out.status.code().unwrap(),
        rules,
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_nearest_tactful_toml_above_the_current_directory_is_read_and_isolated_reads_none() {
    let dir = config_dir("ignore = [\"procedural\"]\n");
    let deep = dir.path().join("team/macros");
    std::fs::create_dir_all(&deep).unwrap();
    let check = ["check", "--format", "jsonl", "-"];
    let (code, rules, err) = run_in(&deep, &check);
    assert_eq!(code, 0, "{err}");
    assert!(
        rules.iter().all(|r| !r.starts_with("procedural")),
        "{rules:?}"
    );
    // a nearer file wins
    std::fs::write(
        dir.path().join("team/tactful.toml"),
        "ignore = [\"excuse\"]\n",
    )
    .unwrap();
    let (_, rules, _) = run_in(&deep, &check);
    assert!(
        rules.iter().any(|r| r.starts_with("procedural")),
        "{rules:?}"
    );
    // --isolated ignores every file, a broken one too
    std::fs::write(
        dir.path().join("team/tactful.toml"),
        "ignore = [\"nope\"]\n",
    )
    .unwrap();
    let (code, _, err) = run_in(&deep, &check);
    assert_eq!(code, 2, "{err}");
    let (code, rules, err) = run_in(&deep, &["check", "--isolated", "--format", "jsonl", "-"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        rules.iter().any(|r| r.starts_with("procedural")),
        "{rules:?}"
    );
    // config --show says which file it read
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(&deep)
        .args(["config", "--show", "--isolated"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout)
        .starts_with("# effective configuration: defaults (--isolated)"));
    std::fs::remove_file(dir.path().join("team/tactful.toml")).unwrap();
    let out = Command::cargo_bin("tactful")
        .unwrap()
        .current_dir(&deep)
        .args(["config", "--show"])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        shown.lines().next().unwrap().ends_with("tactful.toml") && shown.contains("procedural"),
        "{shown}"
    );
}

#[test]
fn unknown_rule_ids_and_config_keys_suggest_the_nearest_name() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, err) = run_in(dir.path(), &["check", "--select", "apology.bt", "-"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `apology.but`?"), "{err}");
    std::fs::write(dir.path().join("tactful.toml"), "selct = []\n").unwrap();
    let (code, _, err) = run_in(dir.path(), &["check", "-"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("tactful.toml:1:") && err.contains("did you mean `select`?"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("tactful.toml"),
        "[severity]\n\"excuse.denail\" = \"error\"\n",
    )
    .unwrap();
    let (_, _, err) = run_in(dir.path(), &["check", "-"]);
    assert!(
        err.contains("tactful.toml:2:") && err.contains("did you mean `excuse.denial`?"),
        "{err}"
    );
    let (code, _, err) = run_in(dir.path(), &["explain", "procedual"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `procedural`?"), "{err}");
    // nothing near: no guess
    let (_, _, err) = run_in(dir.path(), &["explain", "qqqqqq"]);
    assert!(!err.contains("did you mean"), "{err}");
}

#[test]
fn topic_model_threshold_100_leaves_the_lists_alone_to_tag() {
    let line = r#"{"id":"K","turns":[{"role":"customer","text":"The keypad on our back door still won't take my code, I've reported it three times and had to wait outside. I was also charged twice."}]}"#;
    let topics = |config: Option<&str>| {
        let dir = config_dir(config.unwrap_or(""));
        let out = tactful()
            .args(["check", "--format", "jsonl", "--config"])
            .arg(dir.path().join("tactful.toml"))
            .write_stdin(line)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0));
        let recs = records(&String::from_utf8(out.stdout).unwrap());
        recs[0]["topics"].clone()
    };
    assert!(topics(None)
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "technical"));
    let off = topics(Some("[topic-model]\nthreshold = 100\n"));
    assert!(
        !off.as_array().unwrap().iter().any(|t| t == "technical"),
        "{off}"
    );
    // the lists still tag with the model off
    assert!(
        off.as_array().unwrap().iter().any(|t| t == "billing"),
        "{off}"
    );
}
