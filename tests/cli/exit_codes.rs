//! Exit codes: `--fail-on`, usage errors.

use super::*;

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
