//! Bad input: error records in place, limits, `--strict`, closed streams.

use super::*;

/// What one output record of a hostile batch should be.
enum Expect {
    /// A transcript with this id.
    Id(&'static str),
    /// An error record: line (none for a whole file) and part of the message.
    Error(Option<u64>, &'static str),
}

#[test]
fn hostile_files_give_error_records_in_place_and_the_batch_goes_on() {
    use Expect::{Error, Id};
    let batch: &[(&str, &[Expect])] = &[
        (
            "fixtures/hostile/malformed_line.jsonl",
            &[Id("H-1"), Error(Some(2), "invalid JSON"), Id("H-3")],
        ),
        (
            "fixtures/hostile/invalid_utf8.jsonl",
            &[Id("H-1"), Error(Some(2), "UTF-8"), Id("H-3")],
        ),
        (
            "fixtures/hostile/truncated.jsonl",
            &[Id("H-1"), Id("H-3"), Error(Some(3), "invalid JSON")],
        ),
        // line 6 counts the quoted newline inside the first conversation
        (
            "fixtures/hostile/unknown_role.csv",
            &[Id("U-1"), Error(Some(6), "narrator"), Id("U-3")],
        ),
        (
            "fixtures/hostile/missing_role_column.csv",
            &[Error(Some(1), "role")],
        ),
        ("fixtures/hostile/empty.jsonl", &[Error(None, "empty")]),
        ("fixtures/sample.txt", &[Id("PARCEL-77"), Id("8"), Id("13")]),
    ];
    let files: Vec<&str> = batch.iter().map(|(f, _)| *f).collect();
    let (code, out, err) = check(&files);
    assert_eq!(code, 2, "input errors exit 2");
    assert!(!err.contains("panicked"), "{err}");
    let recs = records(&out);
    let expected: Vec<(&str, &Expect)> = batch
        .iter()
        .flat_map(|(f, e)| e.iter().map(move |e| (*f, e)))
        .collect();
    assert_eq!(recs.len(), expected.len(), "{out}");
    for (rec, (file, expect)) in recs.iter().zip(&expected) {
        match expect {
            Id(id) => assert_eq!(id_string(&rec["id"]), *id, "{file}: {rec}"),
            Error(line, part) => {
                let (efile, eline, message) = error_of(rec);
                assert_eq!((efile, eline), (*file, *line), "{rec}");
                assert!(message.contains(part), "{file}: {message}");
                // stderr names file and line: `tactful: FILE:LINE: message`
                let place = match line {
                    Some(l) => format!("tactful: {file}:{l}: "),
                    None => format!("tactful: {file}: "),
                };
                assert!(err.contains(&place), "{place:?} not in stderr:\n{err}");
            }
        }
    }
    let good = recs[recs.len() - 3..]
        .iter()
        .map(|r| format!("{r}\n"))
        .collect::<String>();
    assert_records(&good, &read_fixture("fixtures/sample.txt"));
}

#[test]
fn bom_and_crlf_are_accepted_in_every_format() {
    let files = [
        "fixtures/hostile/bom_crlf.jsonl",
        "fixtures/hostile/bom_crlf.csv",
        "fixtures/hostile/bom_crlf.txt",
    ];
    let (code, out, err) = check(&files);
    assert_eq!(code, 0, "{err}");
    let input: Vec<Transcript> = files.iter().flat_map(|f| read_fixture(f)).collect();
    let expected = ["H-1", "H-3", "B-1", "B-2", "1", "4"];
    assert_eq!(
        input.iter().map(|t| t.id.as_str()).collect::<Vec<_>>(),
        expected
    );
    assert_records(&out, &input);
    for rec in records(&out) {
        for f in rec["findings"].as_array().unwrap() {
            assert!(!f["text"].as_str().unwrap().ends_with('\r'), "{f}");
        }
    }
}

#[test]
fn a_missing_file_or_a_directory_is_an_error_record_and_the_batch_goes_on() {
    let (code, out, err) = check(&[
        "fixtures/no-such-file.jsonl",
        "fixtures/sample.txt",
        "fixtures",
        "fixtures/sample.json",
    ]);
    assert_eq!(code, 2);
    let recs = records(&out);
    assert_eq!(recs.len(), 1 + 3 + 1 + 3);
    assert_eq!(error_of(&recs[0]).0, "fixtures/no-such-file.jsonl");
    assert_eq!(error_of(&recs[4]).0, "fixtures");
    assert_eq!(ids(&recs[5..]), ["RET-301", "ISP-88", "CAR-12"]);
    assert!(err.contains("fixtures/no-such-file.jsonl"), "{err}");
    assert!(err.contains("fixtures: "), "{err}");
}

#[test]
fn a_10_mb_line_is_an_ordinary_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let filler = "The parcel left the depot on Tuesday and the tracking shows it in transit. ";
    let mut huge = filler.repeat(10 * 1024 * 1024 / filler.len() + 1);
    huge.push_str("I'm sorry, but per our policy we cannot refund it.");
    let data = [
        jsonl_line("before", "Hi, where is my parcel?", "It arrives tomorrow."),
        jsonl_line("huge", "Where is my parcel?", &huge),
        jsonl_line("after", "Thanks!", "You're welcome."),
    ]
    .join("\n");
    assert!(data.len() > 10 * 1024 * 1024);
    std::fs::write(&path, &data).unwrap();
    let out = tactful().arg("check").arg(&path).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_records(
        std::str::from_utf8(&out.stdout).unwrap(),
        &read_jsonl(&data),
    );
}

#[test]
fn a_line_over_max_record_bytes_is_an_error_record_and_the_batch_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.jsonl");
    let long = "We have received your request. ".repeat(200);
    let data = [
        jsonl_line("A", "Hello?", "Hi, how can I help?"),
        jsonl_line("B", "Hello?", &long),
        jsonl_line("C", "Thanks", "Any time."),
    ]
    .join("\n");
    std::fs::write(&path, &data).unwrap();
    let out = tactful()
        .args(["check", "--max-record-bytes", "2000"])
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let recs = records(std::str::from_utf8(&out.stdout).unwrap());
    assert_eq!(ids(&recs), ["A", "<null>", "C"]);
    let (_, line, message) = error_of(&recs[1]);
    assert_eq!(line, Some(2));
    assert!(message.contains("2000"), "{message}");
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("long.jsonl:2:"), "{err}");
}

#[test]
fn strict_stops_at_the_first_error() {
    let (code, out, _) = check(&[
        "--strict",
        "fixtures/hostile/malformed_line.jsonl",
        "fixtures/sample.jsonl",
    ]);
    assert_eq!(code, 2);
    let recs = records(&out);
    assert_eq!(
        ids(&recs),
        ["H-1", "<null>"],
        "nothing after the first error"
    );
    assert_eq!(error_of(&recs[1]).1, Some(2));
}

#[test]
fn an_error_message_follows_its_record_when_both_streams_share_a_file() {
    // stdout and stderr on the same file (`2>&1`): each error's message on
    // stderr comes right after its record, not before it nor at the end
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mixed.jsonl");
    let good = |id: &str| {
        format!("{{\"id\":\"{id}\",\"turns\":[{{\"role\":\"agent\",\"text\":\"Sorry.\"}}]}}\n")
    };
    std::fs::write(
        &path,
        [
            good("A"),
            "{broken\n".into(),
            good("B"),
            "[1]\n".into(),
            good("C"),
        ]
        .concat(),
    )
    .unwrap();
    let both = std::fs::File::create(dir.path().join("both.txt")).unwrap();
    let status = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .args(["check", "--format", "jsonl"])
        .arg(&path)
        .stdout(both.try_clone().unwrap())
        .stderr(both)
        .status()
        .unwrap();
    assert_eq!(status.code(), Some(2));
    let text = std::fs::read_to_string(dir.path().join("both.txt")).unwrap();
    let kinds: Vec<String> = text
        .lines()
        .map(|l| match serde_json::from_str::<Value>(l) {
            Ok(r) if r.get("error").is_some() => format!("error record {}", r["error"]["line"]),
            Ok(r) => format!("record {}", r["id"].as_str().unwrap_or("?")),
            Err(_) if l.starts_with("tactful: ") && l.contains("mixed.jsonl:") => {
                let line = l
                    .split("mixed.jsonl:")
                    .nth(1)
                    .unwrap_or("")
                    .split(':')
                    .next()
                    .unwrap_or("");
                format!("message {line}")
            }
            Err(_) => format!("other: {l}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "record A",
            "error record 2",
            "message 2",
            "record B",
            "error record 4",
            "message 4",
            "record C"
        ],
        "{text}"
    );
}

#[test]
fn closing_the_output_early_is_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.jsonl");
    let block = generated_jsonl(499);
    std::fs::write(&path, block.repeat(12)).unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("tactful"))
        .arg("check")
        .arg(&path)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(first.contains("GEN-0"), "{first}");
    // the reader is dropped here: like `tactful check big.jsonl | head -1`
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert!(!err.to_lowercase().contains("broken pipe"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}
