//! Pathological text (the inputs of `benches/pathological.rs`): one very
//! long word, 10,000 repeated "sorry " and "sorry but ", emoji and combining
//! marks, one huge grapheme cluster, right-to-left text and zero-width
//! characters inside phrases analyze without panic, every finding's span is
//! a slice of its turn on character boundaries, and the analysis is the
//! same twice. Not timed: the benchmark shows the cost grows linearly.

use tactful::Analyzer;

#[path = "../../../benches/pathological_inputs.rs"]
mod inputs;

#[test]
fn pathological_texts_analyze_with_valid_spans() {
    let analyzer = Analyzer::new();
    for (name, make) in inputs::INPUTS {
        // 10,000 "sorry " is 60,000 bytes
        let text = make(60_000);
        assert!(text.len() >= 60_000, "{name}");
        let t = inputs::transcript(&text);
        let report = analyzer.analyze(&t);
        for f in &report.findings {
            let turn = &t.turns[f.turn].text;
            let (start, end) = (f.span.start as usize, f.span.end as usize);
            assert!(start <= end && end <= turn.len(), "{name}: {f:?}");
            assert!(
                turn.is_char_boundary(start) && turn.is_char_boundary(end),
                "{name}: {f:?}"
            );
            assert!(f.span.slice(turn).is_some(), "{name}: {f:?}");
        }
        assert!(report.score.total <= 100, "{name}");
        assert_eq!(report, analyzer.analyze(&t), "{name}: not deterministic");
    }
    // the repeated apologies are each classified
    let sorry = inputs::sorry_repeated(60_000);
    let report = analyzer.analyze(&inputs::transcript(&sorry));
    let apologies = report
        .findings
        .iter()
        .filter(|f| f.turn == 1 && f.rule.starts_with("apology."))
        .count();
    assert_eq!(apologies, 10_000);
    let but = inputs::sorry_but_repeated(60_000);
    let report = analyzer.analyze(&inputs::transcript(&but));
    assert_eq!(
        report
            .findings
            .iter()
            .filter(|f| f.rule == "apology.but")
            .count(),
        6_000
    );
}

#[test]
fn a_transcript_of_100_000_turns_is_analyzed() {
    // per-turn judgments once cost turns × findings: 160,000 turns took
    // two minutes; the benchmark shows the cost is now linear
    let analyzer = Analyzer::new();
    let t = inputs::many_turns(100_000);
    let report = analyzer.analyze(&t);
    // each round of five turns: a distressed customer, then a reply (split by
    // a system note) with a cancelled apology and an excuse: no acknowledgment
    let gaps = report
        .findings
        .iter()
        .filter(|f| f.rule == "empathy_gap.no_acknowledgment")
        .count();
    assert_eq!(gaps, 20_000);
    assert_eq!(
        report.score.categories[&tactful::Category::Empathy],
        Some(0)
    );
}
