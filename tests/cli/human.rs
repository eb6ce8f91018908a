//! The human format of `check`: which transcripts it prints, and where its
//! underlines and locations point.

use super::*;

/// Runs `tactful check --format human --color never ARGS` on `stdin`.
fn human(args: &[&str], stdin: &str) -> (i32, String, String) {
    let out = tactful()
        .args(["check", "--format", "human", "--color", "never"])
        .args(args)
        .write_stdin(stdin.to_string())
        .output()
        .unwrap();
    (
        out.status.code().expect("exited normally"),
        String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    )
}

const CLEAN_AND_FLAGGED: &str = concat!(
    r#"{"id":"CLEAN-1","turns":[{"role":"customer","text":"Can you change my address?"},{"role":"agent","text":"Done, it's updated."}]}"#,
    "\n",
    r#"{"id":"FLAGGED-2","turns":[{"role":"customer","text":"Can I return it?"},{"role":"agent","text":"I'm sorry, but per our policy we cannot refund opened items."}]}"#,
    "\n",
    r#"{"id":"CLEAN-3","turns":[{"role":"customer","text":"Thanks!"},{"role":"agent","text":"You're welcome."}]}"#,
    "\n",
    "not json\n",
);

#[test]
fn human_output_prints_transcripts_with_issues_then_a_summary() {
    let (code, out, _) = human(&["-"], CLEAN_AND_FLAGGED);
    assert_eq!(code, 2, "the malformed line is an input error");
    assert!(out.contains("FLAGGED-2"), "{out}");
    assert!(out.contains("apology.but"), "{out}");
    assert!(
        !out.contains("CLEAN-1") && !out.contains("CLEAN-3"),
        "{out}"
    );
    // error records are always printed
    assert!(out.contains("-:4: error: invalid JSON"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("4 records: 1 with issues, 2 clean (not shown; --show-all prints them);"),
        "{last}"
    );
    assert!(last.ends_with("1 error"), "{last}");
}

#[test]
fn show_all_prints_clean_transcripts_too() {
    let (_, out, _) = human(&["--show-all", "-"], CLEAN_AND_FLAGGED);
    let at = |id: &str| {
        out.find(id)
            .unwrap_or_else(|| panic!("{id} missing:\n{out}"))
    };
    assert!(at("CLEAN-1") < at("FLAGGED-2") && at("FLAGGED-2") < at("CLEAN-3"));
    assert!(out.contains("score 100/100"), "{out}");
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("4 records: 1 with issues, 2 clean;"),
        "{last}"
    );
}

/// The line of `out` holding the underline of `rule`.
fn underline_of<'a>(out: &'a str, rule: &str) -> &'a str {
    out.lines()
        .find(|l| l.contains('^') && l.contains(rule))
        .unwrap_or_else(|| panic!("no underline for {rule} in:\n{out}"))
}

#[test]
fn carets_align_by_display_width_after_emoji_and_cjk() {
    let input = r#"{"turns":[{"role":"customer","text":"😡😡😡 客服 third time!!!"}]}"#;
    let (_, out, _) = human(&["--show-all", "-"], input);
    let quoted = out
        .lines()
        .find(|l| l.contains("third time"))
        .unwrap_or_else(|| panic!("{out}"));
    // "  turn 0, customer: " is 20 columns; each emoji and CJK character
    // takes two, so "third" starts at column 20 + 3 * 2 + 1 + 2 * 2 + 1 = 32
    assert!(
        quoted.starts_with("  turn 0, customer: 😡😡😡 客服 third"),
        "{quoted}"
    );
    let line = underline_of(&out, "distress.repeat_contact");
    assert_eq!(line.find('^'), Some(32), "{out}");
    // the emoji are underlined two columns each, from column 20
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with('^') && l.find('^') == Some(20))
        .unwrap_or_else(|| panic!("no underline at column 20:\n{out}"));
    assert!(line[20..].starts_with("^^"), "{line}");
}

/// Every `(path, line, column, rule)` of the findings in human output.
fn locations(out: &str) -> Vec<(String, usize, Option<usize>, String)> {
    out.lines()
        .filter(|l| l.trim_start().starts_with('^'))
        .map(|l| {
            let rest = l.trim_start().trim_start_matches('^').trim_start();
            let parts: Vec<&str> = rest.splitn(5, ':').collect();
            match parts[2].parse::<usize>() {
                Ok(col) => (
                    parts[0].to_string(),
                    parts[1].parse().unwrap(),
                    Some(col),
                    parts[3].trim().to_string(),
                ),
                Err(_) => (
                    parts[0].to_string(),
                    parts[1].parse().unwrap(),
                    None,
                    parts[2].trim().to_string(),
                ),
            }
        })
        .collect()
}

#[test]
fn human_output_gives_path_line_col_for_line_based_inputs() {
    // plain text: the line and column (speaker prefix counted) of the phrase
    let (_, out, _) = human(&["fixtures/sample.txt"], "");
    let file = String::from_utf8(fixture_text("fixtures/sample.txt")).unwrap();
    let lines: Vec<&str> = file.lines().collect();
    let found = locations(&out);
    assert!(found.len() > 5, "{out}");
    let mut blame = false;
    for (path, line, col, rule) in &found {
        assert_eq!(path, "fixtures/sample.txt");
        let col = col.expect("a column");
        let at: String = lines[line - 1].chars().skip(col - 1).collect();
        if rule == "excuse.third_party_blame" && at.starts_with("That's the courier's fault") {
            blame = true;
            assert_eq!((*line, col), (3, 8), "{out}");
        }
        assert!(!at.is_empty(), "{path}:{line}:{col} is past its line");
    }
    assert!(blame, "{out}");
    // CSV: the row of the turn
    let (_, out, _) = human(&["fixtures/sample.csv"], "");
    let file = String::from_utf8(fixture_text("fixtures/sample.csv")).unwrap();
    let rows: Vec<&str> = file.lines().collect();
    let scripted = locations(&out)
        .into_iter()
        .find(|l| l.3 == "apology.scripted")
        .expect("a scripted apology in the CSV fixture");
    assert!(
        rows[scripted.1 - 1].contains("We apologize for any inconvenience"),
        "{scripted:?}"
    );
    assert_eq!(scripted.2, Some(1));
    // JSONL: the record's line
    let (_, out, _) = human(&["fixtures/sample.jsonl"], "");
    let file = String::from_utf8(fixture_text("fixtures/sample.jsonl")).unwrap();
    let records: Vec<&str> = file.lines().collect();
    let blame = locations(&out)
        .into_iter()
        .find(|l| l.3 == "excuse.third_party_blame")
        .expect("a third-party blame in the JSONL fixture");
    assert!(
        records[blame.1 - 1].contains("courier's fault"),
        "{blame:?}"
    );
    assert!(blame.2.is_some());
    // JSON: the element's line, no column
    let (_, out, _) = human(&["fixtures/sample.json"], "");
    assert!(
        locations(&out).iter().all(|l| l.2.is_none() && l.1 > 0),
        "{out}"
    );
}

#[test]
fn a_missed_acknowledgment_says_which_turn_was_upset_and_why() {
    let input = concat!(
        r#"{"id":"GAP-1","turns":[{"role":"customer","text":"Where is my parcel?"},"#,
        r#"{"role":"customer","text":"Third time asking. I will cancel my account!!"},"#,
        r#"{"role":"agent","text":"Please send your order number."}]}"#,
        "\n"
    );
    let (_, out, _) = human(&["-"], input);
    let lines: Vec<&str> = out.lines().collect();
    let gap = lines
        .iter()
        .position(|l| l.contains("empathy_gap.no_acknowledgment"))
        .unwrap_or_else(|| panic!("no gap:\n{out}"));
    let why = lines[gap + 1].trim_start();
    assert!(
        why.starts_with("why: turn 1 is upset (distress ")
            && why.contains(r#"): "I will cancel" at -:1:"#),
        "{out}"
    );
    assert!(lines[gap + 2].trim_start().starts_with("try: "), "{out}");
}
