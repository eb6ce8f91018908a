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
