//! A closed standard output (`tactful ... | head -1`) ends every subcommand
//! quietly, with exit code 0.

use super::*;

/// Runs `tactful ARGS` with its stdout a pipe whose reading end is closed
/// before the program writes: (exit code, stderr).
fn with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(root())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_subcommand_ends_quietly_on_a_closed_pipe() {
    for args in [
        &["rules"][..],
        &["rules", "--json"],
        &["rules", "--phrases"],
        &["explain", "apology.but"],
        &["config", "--show"],
        &["report", "fixtures/sample.jsonl"],
        &["report", "--format", "json", "fixtures/sample.jsonl"],
        &["report", "--format", "html", "fixtures/sample.jsonl"],
        &["check", "--format", "json", "fixtures/sample.jsonl"],
        &["check", "--format", "csv", "fixtures/sample.jsonl"],
        &["--help"],
    ] {
        let (code, err) = with_closed_stdout(args);
        assert_eq!(code, Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}
