//! Standard input, several files, and output order whatever the thread count.

use super::*;

#[test]
fn stdin_is_read_with_a_dash_or_no_file() {
    let data = fixture_text("fixtures/sample.jsonl");
    let input = read_fixture("fixtures/sample.jsonl");
    for args in [&["check", "-"][..], &["check"][..]] {
        let out = tactful()
            .args(args)
            .write_stdin(data.clone())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_records(&String::from_utf8(out.stdout).unwrap(), &input);
    }
    let out = tactful()
        .args(["check", "--input-format", "csv", "-"])
        .write_stdin(fixture_text("fixtures/sample.csv"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_records(
        &String::from_utf8(out.stdout).unwrap(),
        &read_fixture("fixtures/sample.csv"),
    );
}

#[test]
fn several_files_keep_file_order() {
    let files = [
        "fixtures/sample.txt",
        "fixtures/sample.jsonl",
        "fixtures/sample.csv",
        "fixtures/sample.json",
    ];
    let (code, out, err) = check(&files);
    assert_eq!(code, 0, "{err}");
    let expected: Vec<Transcript> = files.iter().flat_map(|f| read_fixture(f)).collect();
    assert_records(&out, &expected);
}

#[test]
fn one_two_and_five_threads_give_byte_identical_output() {
    // 10,000 records: three chunks of work (4,096 records at most each), so
    // chunks finish out of order with several threads and must be put back
    let n = 10_000;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.jsonl");
    std::fs::write(&path, generated_jsonl(n)).unwrap();
    let run = |threads: &str| {
        let out = tactful()
            .args(["check", "--quiet", "--threads", threads])
            .arg(&path)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "the generated file holds malformed lines"
        );
        out.stdout
    };
    let one = run("1");
    assert!(one == run("2"), "--threads 1 and --threads 2 differ");
    assert!(one == run("5"), "--threads 1 and --threads 5 differ");
    let recs = records(std::str::from_utf8(&one).unwrap());
    assert_eq!(recs.len(), n);
    for (i, r) in recs.iter().enumerate() {
        if i % 500 == 499 {
            assert_eq!(error_of(r).1, Some(i as u64 + 1), "{r}");
        } else {
            assert_eq!(id_string(&r["id"]), format!("GEN-{i}"));
        }
    }
}
