//! Snapshot tests: every transcript in `fixtures/annotated/` rendered with its
//! findings as caret-annotated text, so any change in behaviour shows up in
//! review as a snapshot diff (`cargo insta review`).

use std::fmt::Write as _;
use std::path::Path;
use tactful::{Analyzer, Role, Transcript, Turn};

fn parse(text: &str) -> Transcript<'_> {
    let mut t = Transcript::new("fixture");
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let (speaker, said) = line.split_once(": ").expect("Speaker: text");
        let role = Role::parse(speaker).expect("known role");
        t.turns.push(Turn::new(role, said));
    }
    t
}

fn render(t: &Transcript<'_>, analyzer: &Analyzer) -> String {
    let report = analyzer.analyze(t);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "score {}  {:?}",
        report.score.total, report.score.categories
    );
    for (i, turn) in t.turns.iter().enumerate() {
        let head = format!("[{i}] {}: ", turn.role);
        let _ = writeln!(out, "{head}{}", turn.text);
        for f in report.findings.iter().filter(|f| f.turn == i) {
            let pre = turn.text[..f.span.start as usize].chars().count();
            let len = f.text(&turn.text).chars().count().max(1);
            let _ = writeln!(
                out,
                "{}{}{} {}",
                " ".repeat(head.chars().count()),
                " ".repeat(pre),
                "^".repeat(len),
                f.rule
            );
        }
    }
    out
}

#[test]
fn annotated_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/annotated");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures/annotated exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    assert!(
        paths.len() >= 5,
        "expected annotated fixtures in {}",
        dir.display()
    );
    let analyzer = Analyzer::new();
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("readable fixture");
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("fixture")
            .to_string();
        let rendered = render(&parse(&text), &analyzer);
        insta::assert_snapshot!(name, rendered);
    }
}
