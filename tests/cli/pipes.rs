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

/// `consumer | tactful check -`: the records of the lines that have come in
/// go out while standard input stays open, in input order, one per line;
/// closing it then ends the run with every record.
#[test]
fn records_from_a_pipe_that_stays_open_come_out_before_it_closes() {
    use std::io::{BufRead, BufReader, Write};
    use std::time::{Duration, Instant};
    let line = |i: usize| {
        format!(
            r#"{{"id":"r{i}","turns":[{{"role":"customer","text":"Where is my parcel?"}},{{"role":"agent","text":"Sorry, it ships today."}}]}}"#
        ) + "\n"
    };
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(root())
        .args(["check", "--format", "jsonl", "--isolated", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let lines = std::thread::spawn(move || {
        for l in BufReader::new(stdout).lines() {
            if tx.send(l.unwrap()).is_err() {
                return;
            }
        }
    });
    let first = 5;
    for i in 0..first {
        stdin.write_all(line(i).as_bytes()).unwrap();
    }
    stdin.flush().unwrap();
    // stdin still open: the five records must come out anyway
    let mut got = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while got.len() < first && Instant::now() < deadline {
        if let Ok(l) = rx.recv_timeout(Duration::from_millis(100)) {
            got.push(l);
        }
    }
    assert_eq!(
        got.len(),
        first,
        "records out after 60 s with stdin open: {got:?}"
    );
    // more records, then the end of the input
    let all = 8;
    for i in first..all {
        stdin.write_all(line(i).as_bytes()).unwrap();
    }
    drop(stdin);
    let status = child.wait().unwrap();
    lines.join().unwrap();
    got.extend(rx.try_iter());
    assert_eq!(status.code(), Some(0));
    let recs = records(&(got.join("\n") + "\n"));
    let expected: Vec<String> = (0..all).map(|i| format!("r{i}")).collect();
    assert_eq!(ids(&recs), expected);
}
