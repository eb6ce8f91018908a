//! `check --replies`: walking folders of canned replies.

use super::*;

/// Runs `tactful check --replies --format jsonl ARGS` in `dir`.
fn replies_in(dir: &Path, args: &[&str]) -> (i32, Vec<Value>, String) {
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .current_dir(dir)
        .args(["check", "--replies", "--format", "jsonl"])
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().expect("exited normally"),
        records(&String::from_utf8(out.stdout).unwrap()),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn a_link_back_to_the_folder_is_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("macros");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(m.join("a.txt"), "Per our policy we cannot refund.\n").unwrap();
    std::os::unix::fs::symlink(".", m.join("again")).unwrap();
    std::os::unix::fs::symlink("..", m.join("up")).unwrap();
    let (code, recs, err) = replies_in(dir.path(), &["macros"]);
    assert_eq!(ids(&recs), ["macros/a.txt"], "{err}");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_folder_that_cannot_be_read_is_an_error_record_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("macros");
    std::fs::create_dir(&m).unwrap();
    std::fs::write(m.join("a.txt"), "Per our policy we cannot refund.\n").unwrap();
    std::fs::write(m.join("z.txt"), "Happy to help.\n").unwrap();
    // a folder nested past PATH_MAX (4096 bytes): no path names it
    let name = "d".repeat(200);
    let script = format!(
        "cd macros && for i in $(seq 25); do mkdir {name} && cd {name}; done && echo hi > deep.txt"
    );
    let made = std::process::Command::new("bash")
        .current_dir(dir.path())
        .args(["-c", &script])
        .status()
        .unwrap();
    assert!(made.success());
    let (code, recs, err) = replies_in(dir.path(), &["macros"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(recs.len(), 3, "{recs:?}");
    assert_eq!(recs[0]["id"], "macros/a.txt");
    let (file, _, message) = error_of(&recs[1]);
    assert!(file.starts_with(&format!("macros/{name}/")), "{file}");
    assert!(message.starts_with("cannot read directory"), "{message}");
    assert_eq!(recs[2]["id"], "macros/z.txt");
}

#[test]
fn a_suppression_on_a_line_of_a_canned_reply_silences_that_rule_there() {
    let dir = tempfile::tempdir().unwrap();
    let m = dir.path().join("macros");
    std::fs::create_dir(&m).unwrap();
    let body = "Per our policy we cannot refund. <!-- tactful: ignore[procedural.policy_as_reason] -->\nPer our policy we cannot refund.\n";
    std::fs::write(m.join("a.md"), body).unwrap();
    std::fs::write(
        m.join("b.md"),
        "Per our policy we cannot refund.\nPer our policy we cannot refund.\n",
    )
    .unwrap();
    std::fs::write(
        m.join("c.txt"),
        "Per our policy we cannot refund. tactful: ignore[procedural]\nI'm sorry, but no. tactful: ignore[excuse]\n",
    )
    .unwrap();
    let (code, recs, err) = replies_in(dir.path(), &["macros"]);
    assert_eq!(code, 0, "{err}");
    let spans = |rec: &Value| -> Vec<(String, u64)> {
        rec["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["start"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let second_line = body.find('\n').unwrap() as u64 + 1;
    let a = spans(&recs[0]);
    assert!(
        !a.contains(&("procedural.policy_as_reason".to_string(), 0)),
        "{a:?}"
    );
    assert!(
        a.contains(&("procedural.policy_as_reason".to_string(), second_line)),
        "{a:?}"
    );
    assert!(
        a.iter()
            .any(|(r, at)| r == "procedural.refusal_without_alternative" && *at == 15),
        "{a:?}"
    );
    // the score counts what is left
    assert!(
        recs[0]["score"].as_u64() > recs[1]["score"].as_u64(),
        "{recs:?}"
    );
    // per line, with a category
    let (_, recs, _) = replies_in(dir.path(), &["--per-line", "macros/c.txt"]);
    assert!(
        spans(&recs[0])
            .iter()
            .all(|(r, _)| !r.starts_with("procedural")),
        "{recs:?}"
    );
    assert!(
        spans(&recs[1]).iter().any(|(r, _)| r == "apology.but"),
        "{recs:?}"
    );
}
