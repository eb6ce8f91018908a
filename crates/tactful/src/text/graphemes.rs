//! Spans on grapheme-cluster boundaries: what a reader sees as one
//! character ("🤦‍♀️", "é" written as `e` and a combining accent, a flag) is
//! never cut by a finding, and a run of one mark ("😡😡😡") is one finding.

use crate::finding::Finding;
use crate::span::Span;
use unicode_segmentation::GraphemeCursor;

/// `span` widened to the grapheme clusters of `text` it touches: its start
/// moved back to the start of the cluster holding it, its end forward to the
/// end of the cluster holding its last byte. A span already on cluster
/// boundaries is returned as it is.
///
/// ```
/// use tactful::{text::grapheme_span, Span};
/// let text = "🤦\u{200d}♀\u{fe0f} again";
/// // the first code point and the joiner after it: half a cluster
/// let span = grapheme_span(text, Span::new(0, 7));
/// assert_eq!(&text[span.range()], "🤦\u{200d}♀\u{fe0f}");
/// ```
pub fn grapheme_span(text: &str, span: Span) -> Span {
    let (start, end) = (span.start as usize, span.end as usize);
    if end > text.len() || start > end {
        return span;
    }
    let new_start = floor(text, start);
    let new_end = if end == start {
        new_start
    } else {
        ceil(text, end)
    };
    Span::new(new_start, new_end.max(new_start))
}

/// Whether `at` is a cluster boundary by the bytes around it alone: both
/// neighbours ASCII and not CR LF (which is one cluster), or an end of the
/// text. `None` when the grapheme rules must decide.
fn plain_boundary(text: &str, at: usize) -> Option<bool> {
    let bytes = text.as_bytes();
    if at == 0 || at >= bytes.len() {
        return Some(true);
    }
    let (before, after) = (bytes[at - 1], bytes[at]);
    if before.is_ascii() && after.is_ascii() {
        return Some(!(before == b'\r' && after == b'\n'));
    }
    None
}

/// The start of the cluster holding byte `at`.
fn floor(text: &str, at: usize) -> usize {
    if plain_boundary(text, at) == Some(true) || !text.is_char_boundary(at) {
        return at;
    }
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(false) => cursor.prev_boundary(text, 0).ok().flatten().unwrap_or(0),
        _ => at,
    }
}

/// The end of the cluster holding byte `at - 1`.
fn ceil(text: &str, at: usize) -> usize {
    if plain_boundary(text, at) == Some(true) || !text.is_char_boundary(at) {
        return at;
    }
    let mut cursor = GraphemeCursor::new(at, text.len(), true);
    match cursor.is_boundary(text, 0) {
        Ok(false) => cursor
            .next_boundary(text, 0)
            .ok()
            .flatten()
            .unwrap_or(text.len()),
        _ => at,
    }
}

/// Puts the spans of `out[from..]`, findings in `text`, on cluster
/// boundaries ([`grapheme_span`]), then makes each run of one mark (the same
/// cluster, not a letter or digit, repeated with nothing between: "😡😡😡",
/// flagged once per emoji) one finding of that rule spanning the run. The
/// other findings keep their order.
pub(crate) fn whole_marks(text: &str, out: &mut Vec<Finding>, from: usize) {
    let from = from.min(out.len());
    for f in &mut out[from..] {
        f.span = grapheme_span(text, f.span);
    }
    if out.len() - from < 2 {
        return;
    }
    let mark_of = |f: &Finding| {
        text.get(f.span.range())
            .filter(|m| !m.is_empty() && !m.chars().any(char::is_alphanumeric))
    };
    // a run joins two findings or more, each a mark: with fewer marks there
    // is nothing to join (most turns have none), and the sort is skipped
    if out[from..]
        .iter()
        .filter(|f| mark_of(f).is_some())
        .nth(1)
        .is_none()
    {
        return;
    }
    join_runs(text, out, from);
}

/// The second step of [`whole_marks`]: each run of one mark in `out[from..]`
/// made one finding.
fn join_runs(text: &str, out: &mut Vec<Finding>, from: usize) {
    if out.len() - from < 2 {
        return;
    }
    let mark_of = |f: &Finding| {
        text.get(f.span.range())
            .filter(|m| !m.is_empty() && !m.chars().any(char::is_alphanumeric))
    };
    let mut order: Vec<usize> = (from..out.len()).collect();
    order.sort_by_key(|&i| (out[i].rule, out[i].span.start, out[i].span.end));
    let mut removed = vec![false; out.len()];
    let mut k = 0;
    while k < order.len() {
        let head = order[k];
        k += 1;
        let Some(mark) = mark_of(&out[head]) else {
            continue;
        };
        let mut end = out[head].span.end;
        while let Some(&next) = order.get(k) {
            let f = &out[next];
            if f.rule != out[head].rule || f.span.start != end || mark_of(f) != Some(mark) {
                break;
            }
            end = f.span.end;
            removed[next] = true;
            k += 1;
        }
        out[head].span = Span::new(out[head].span.start as usize, end as usize);
    }
    let mut i = 0;
    out.retain(|_| {
        i += 1;
        !removed[i - 1]
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_with_fewer_than_two_marks_are_left_as_they_are() {
        // whole_marks (which skips the joining under two marks) against the
        // joining run always, on findings of two rules over marks and words
        let text = "😡😡😡 ok!! no 😡 x😡😡";
        let rules = tactful_rules();
        let spans: Vec<(usize, usize)> = vec![
            (0, 4),
            (4, 8),
            (8, 12),
            (13, 15),
            (15, 16),
            (16, 17),
            (18, 20),
            (21, 25),
            (26, 27),
            (27, 31),
            (31, 35),
            (2, 6),
        ];
        // every pair and triple of spans, each with either rule
        let mut sets: Vec<Vec<Finding>> = Vec::new();
        for (i, &a) in spans.iter().enumerate() {
            for (j, &b) in spans.iter().enumerate().skip(i) {
                for &c in &spans[j..] {
                    for pick in 0..8usize {
                        let f = |k: usize, (s, e): (usize, usize)| {
                            let r = rules[pick >> k & 1];
                            Finding {
                                rule: r.id,
                                category: r.category,
                                kind: r.kind,
                                severity: r.severity,
                                turn: 0,
                                span: Span::new(s, e),
                                message: r.message,
                                suggestion: r.suggestion,
                                upset: None,
                            }
                        };
                        sets.push(vec![f(0, a), f(1, b)]);
                        sets.push(vec![f(0, a), f(1, b), f(2, c)]);
                    }
                }
            }
        }
        for set in sets {
            let (mut fast, mut slow) = (set.clone(), set.clone());
            whole_marks(text, &mut fast, 0);
            for f in &mut slow {
                f.span = grapheme_span(text, f.span);
            }
            join_runs(text, &mut slow, 0);
            assert_eq!(fast, slow, "{set:?}");
        }
    }

    /// Two rules of the registry.
    fn tactful_rules() -> [&'static crate::rule::RuleInfo; 2] {
        let all = crate::rule::all();
        [&all[0], &all[1]]
    }

    #[test]
    fn spans_are_widened_to_whole_clusters() {
        let text = "a🤦\u{200d}♀\u{fe0f}b e\u{301}x 🇫🇷!";
        let widen = |s: usize, e: usize| {
            let span = grapheme_span(text, Span::new(s, e));
            &text[span.range()]
        };
        assert_eq!(widen(1, 5), "🤦\u{200d}♀\u{fe0f}");
        assert_eq!(widen(1, 8), "🤦\u{200d}♀\u{fe0f}");
        let e = text.find('e').unwrap();
        assert_eq!(widen(e, e + 1), "e\u{301}");
        let flag = text.find('🇫').unwrap();
        assert_eq!(widen(flag, flag + 4), "🇫🇷");
        // already whole: unchanged
        assert_eq!(widen(0, 1), "a");
        assert_eq!(widen(text.len() - 1, text.len()), "!");
        assert_eq!(grapheme_span("a\r\nb", Span::new(1, 2)), Span::new(1, 3));
    }

    #[test]
    fn widened_spans_never_split_a_cluster() {
        use unicode_segmentation::UnicodeSegmentation;
        let text = "ok 👍🏽 na\u{308}ive 😡😡 客服 🏳\u{fe0f}\u{200d}🌈 x";
        let bounds: Vec<usize> = text
            .grapheme_indices(true)
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        for s in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            for e in (s..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let span = grapheme_span(text, Span::new(s, e));
                assert!(bounds.contains(&(span.start as usize)), "{s}..{e}");
                assert!(bounds.contains(&(span.end as usize)), "{s}..{e}");
                assert!(span.start as usize <= s, "{s}..{e}");
                if s < e {
                    assert!(e <= span.end as usize, "{s}..{e}");
                } else {
                    assert!(span.is_empty(), "{s}..{e}");
                }
            }
        }
    }
}
