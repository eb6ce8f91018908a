//! `--redact`: personal data masked in what the output repeats, spans still
//! true to the input.

use super::*;

const CUSTOMER: &str = "I'm furious!!! Email me at jane.doe@example.com or call +44 20 7946 0958, card 4111 1111 1111 1111.";
const AGENT: &str =
    "Per our policy, email refunds@shop.example.com or visit https://shop.example.com/help.";

fn batch() -> String {
    format!(
        "{}\n",
        json!({"id": "P-1", "agent": "Ann", "turns": [
            {"role": "customer", "text": CUSTOMER},
            {"role": "agent", "text": AGENT},
        ]})
    )
}

const PERSONAL: [&str; 5] = [
    "jane.doe@example.com",
    "7946 0958",
    "4111 1111 1111 1111",
    "refunds@shop.example.com",
    "https://shop.example.com",
];

fn assert_masked(out: &str, what: &str) {
    for p in PERSONAL {
        assert!(!out.contains(p), "{what}: {p} shown:\n{out}");
    }
}

fn run(args: &[&str]) -> String {
    let out = tactful().args(args).write_stdin(batch()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{args:?}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn check_redact_masks_finding_texts_and_keeps_spans_true() {
    let plain = records(&run(&["check", "--format", "jsonl", "-"]));
    let masked = records(&run(&["check", "--redact", "--format", "jsonl", "-"]));
    assert_masked(&masked[0].to_string(), "jsonl");
    let (pf, mf) = (
        plain[0]["findings"].as_array().unwrap(),
        masked[0]["findings"].as_array().unwrap(),
    );
    assert_eq!(pf.len(), mf.len());
    let turns = [CUSTOMER, AGENT];
    let mut changed = 0;
    for (p, m) in pf.iter().zip(mf) {
        // the same findings at the same offsets into the original text
        for key in ["rule", "turn", "start", "end"] {
            assert_eq!(p[key], m[key]);
        }
        let (turn, start, end) = (
            p["turn"].as_u64().unwrap() as usize,
            p["start"].as_u64().unwrap() as usize,
            p["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(p["text"], &turns[turn][start..end]);
        changed += usize::from(p["text"] != m["text"]);
    }
    assert!(changed >= 1, "{masked:?}");
    let gap = mf
        .iter()
        .find(|f| f["rule"] == "empathy_gap.no_acknowledgment")
        .expect("an empathy gap over the whole reply");
    assert_eq!(gap["text"], "Per our policy, email [email] or visit [url].");
    for format in ["csv", "sarif", "github", "human"] {
        let out = run(&["check", "--redact", "--show-all", "--format", format, "-"]);
        assert_masked(&out, format);
        assert!(out.contains("[email]"), "{format}: {out}");
    }
    // the human format underlines the masked text where it stands
    let out = run(&[
        "check", "--redact", "--format", "human", "--color", "never", "-",
    ]);
    let lines: Vec<&str> = out.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("empathy_gap.no_acknowledgment"))
        .unwrap();
    let carets = lines[at].trim_start().split(' ').next().unwrap().len();
    assert_eq!(
        carets,
        "Per our policy, email [email] or visit [url].".len(),
        "{out}"
    );
    // without --redact, the texts are the input's
    let out = run(&["check", "--format", "csv", "-"]);
    assert!(out.contains("refunds@shop.example.com"), "{out}");
}

#[test]
fn the_html_report_masks_personal_data_unless_no_redact() {
    let page = run(&["report", "--format", "html", "-"]);
    assert_masked(&page, "html");
    for mask in ["[email]", "[phone]", "[card]", "[url]"] {
        assert!(page.contains(mask), "{mask} missing");
    }
    let page = run(&["report", "--format", "html", "--no-redact", "-"]);
    assert!(
        page.contains("jane.doe@example.com"),
        "--no-redact shows the text"
    );
    // JSON and human reports mask with --redact
    let json = run(&["report", "--format", "json", "--redact", "-"]);
    assert_masked(&json, "report json");
    assert!(json.contains("[email]"), "{json}");
    let json = run(&["report", "--format", "json", "-"]);
    assert!(json.contains("refunds@shop.example.com"), "{json}");
}
