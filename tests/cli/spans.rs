//! Spans of findings against what a reader sees as one character.

use super::*;

#[test]
fn spans_never_split_a_grapheme_cluster_and_a_run_of_one_mark_is_one_finding() {
    let input = concat!(
        r#"{"id":"FACEPALM","turns":[{"role":"customer","text":"🤦‍♀️ seriously"},{"role":"agent","text":"ok"}]}"#,
        "\n",
        r#"{"id":"RUN","turns":[{"role":"customer","text":"😡😡😡 客服 third time!!!"}]}"#,
        "\n",
    );
    let out = tactful()
        .args(["check", "--format", "jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let recs = records(&String::from_utf8(out.stdout).unwrap());
    let texts = |rec: &Value| -> Vec<String> {
        rec["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "distress.intensity")
            .map(|f| f["text"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(texts(&recs[0]), ["🤦\u{200d}♀\u{fe0f}"], "{}", recs[0]);
    assert_eq!(texts(&recs[1]), ["😡😡😡", "!!!"], "{}", recs[1]);
    let f = &recs[1]["findings"][0];
    assert_eq!(
        (f["start"].as_u64(), f["end"].as_u64()),
        (Some(0), Some(12))
    );
}
