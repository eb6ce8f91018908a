//! Inline suppressions in canned replies: a line holding
//! `tactful: ignore[RULE, ...]` silences those rules (ids, or categories
//! such as `procedural`) for the findings that start on that line.

use tactful::{Analyzer, Report, Role};

/// The marker of a suppression.
const MARKER: &str = "tactful: ignore[";

/// The suppressions of `text`: each line's byte range and the selectors its
/// `tactful: ignore[...]` names (trimmed, non-empty).
fn directives(text: &str) -> Vec<(usize, usize, Vec<&str>)> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let end = start + line.len();
        let mut selectors = Vec::new();
        let mut rest = line;
        while let Some(at) = rest.find(MARKER) {
            let after = &rest[at + MARKER.len()..];
            let Some(close) = after.find(']') else {
                break;
            };
            selectors.extend(
                after[..close]
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty()),
            );
            rest = &after[close + 1..];
        }
        if !selectors.is_empty() {
            out.push((start, end, selectors));
        }
        start = end;
    }
    out
}

/// Whether `selector` (a rule id or a category) names `rule`.
fn names(selector: &str, rule: &str) -> bool {
    rule == selector
        || rule
            .strip_prefix(selector)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Drops from `report` the findings of one canned reply (a single agent
/// turn, `text`) that a suppression on their line silences, and scores the
/// rest again. Returns how many were dropped.
pub fn apply(text: &str, report: &mut Report, analyzer: &Analyzer) -> usize {
    if !text.contains(MARKER) {
        return 0;
    }
    let lines = directives(text);
    let before = report.findings.len();
    report.findings.retain(|f| {
        let at = f.span.start as usize;
        !lines.iter().any(|(start, end, selectors)| {
            *start <= at && at < *end && selectors.iter().any(|s| names(s, f.rule))
        })
    });
    let dropped = before - report.findings.len();
    if dropped > 0 {
        report.score =
            tactful::score::score(&[Role::Agent], &report.findings, analyzer.score_config());
    }
    dropped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directives_name_rules_per_line() {
        let text = "a\nb <!-- tactful: ignore[apology.but, procedural] -->\nc tactful: ignore[] tactful: ignore[x]\nd tactful: ignore[unclosed\n";
        let d = directives(text);
        assert_eq!(d.len(), 2);
        assert_eq!(
            &text[d[0].0..d[0].1],
            "b <!-- tactful: ignore[apology.but, procedural] -->\n"
        );
        assert_eq!(d[0].2, ["apology.but", "procedural"]);
        assert_eq!(d[1].2, ["x"]);
        assert!(names("procedural", "procedural.policy_as_reason"));
        assert!(names("apology.but", "apology.but"));
        assert!(!names("apology.b", "apology.but"));
        assert!(!names("proc", "procedural.policy_as_reason"));
    }
}
