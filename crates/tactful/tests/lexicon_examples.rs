//! The phrase lists test themselves: every `+ ` example line of a rule's list
//! must be flagged by that rule, every `- ` line must not (run through the
//! whole analyzer, as one turn of the rule's role (an agent turn answering an
//! upset customer), with every customer turn
//! counted as distressed so that a list's evidence shows whatever the
//! distress model makes of it); and no phrase of one
//! category's list is found whole by another category's list unless the list
//! says why (a comment `overlap with <rule id>: <reason>`).

use tactful::{lexicon, rule, Analyzer, Transcript, Turn};

/// The rule ids `text`, as one turn of `role`, is flagged with, and their spans.
fn flagged(
    analyzer: &Analyzer,
    role: tactful::Role,
    text: &str,
) -> Vec<(&'static str, usize, usize)> {
    // an agent line answers an upset customer with a problem, so that
    // acknowledgment (credited only where there is something to
    // acknowledge) is judged on its words
    let mut t = Transcript::new("example");
    if role == tactful::Role::Agent {
        t = t.with_turn(Turn::new(
            tactful::Role::Customer,
            "I'm really upset, my order still hasn't arrived.",
        ));
    }
    let t = t.with_turn(Turn::new(role, text));
    analyzer
        .analyze(&t)
        .findings
        .iter()
        .map(|f| (f.rule, f.span.start as usize, f.span.end as usize))
        .collect()
}

/// The configuration with the sentence models off: the lists' examples are
/// about the lists (a model may read a listed phrase too).
fn lists_only() -> tactful::Config {
    let mut config = tactful::Config::default();
    config.excuse_model.threshold = Some(100);
    config.procedural_model.threshold = Some(100);
    config.patronizing_model.threshold = Some(100);
    config.vague_model.threshold = Some(100);
    config
}

#[test]
fn every_example_line_of_every_list_holds() {
    let mut config = lists_only();
    config.distress.threshold = 0;
    let analyzer = Analyzer::from_config(&config).expect("the default lists build");
    let mut failures = Vec::new();
    let mut checked = 0;
    for r in rule::all() {
        let Some(src) = rule::phrase_list(r.id) else {
            continue;
        };
        for ex in lexicon::examples(src) {
            checked += 1;
            let got = flagged(&analyzer, r.role, &ex.text);
            let hit = got.iter().any(|(id, _, _)| *id == r.id);
            if hit != ex.flagged {
                failures.push(format!(
                    "{} line {}: {:?} should {}be flagged (got {:?})",
                    r.id,
                    ex.line,
                    ex.text,
                    if ex.flagged { "" } else { "not " },
                    got.iter().map(|g| g.0).collect::<Vec<_>>()
                ));
            }
        }
    }
    assert!(checked >= 40, "only {checked} example lines");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_example_line_of_every_topic_list_holds() {
    // a `+ ` line of a topic's list, as a customer turn, is tagged with that
    // topic; a `- ` line is not
    let analyzer = Analyzer::from_config(&lists_only()).expect("the default lists build");
    let mut failures = Vec::new();
    let mut checked = 0;
    for (tag, src) in tactful::topics::BUILTIN {
        lexicon::parse_patterns(src).unwrap_or_else(|e| panic!("topic {tag}: {e}"));
        for ex in lexicon::examples(src) {
            checked += 1;
            let t = Transcript::new("example")
                .with_turn(Turn::new(tactful::Role::Customer, ex.text.as_str()));
            let topics = analyzer.explain_topics(&t).listed;
            if topics.iter().any(|x| x == tag) != ex.flagged {
                failures.push(format!(
                    "topic {tag} line {}: {:?} got {topics:?}",
                    ex.line, ex.text
                ));
            }
        }
    }
    assert!(checked >= 15, "only {checked} example lines");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_phrase_sits_in_two_categories_lists_without_a_reason() {
    let analyzer = Analyzer::from_config(&lists_only()).expect("the default lists build");
    let mut failures = Vec::new();
    for r in rule::all() {
        let Some(src) = rule::phrase_list(r.id) else {
            continue;
        };
        for line in src.lines().map(str::trim) {
            if line.is_empty()
                || line.starts_with('#')
                || line.starts_with("! ")
                || line.starts_with("+ ")
                || line.starts_with("- ")
                || (line.starts_with('[') && line.ends_with(']'))
            {
                continue;
            }
            let pattern = match line.strip_prefix('[').and_then(|l| l.split_once(']')) {
                Some((_, rest)) => rest.trim(),
                None => line,
            };
            for phrase in lexicon::sample(pattern, 24).unwrap_or_default() {
                for (other, start, end) in flagged(&analyzer, r.role, &phrase) {
                    let Some(o) = rule::find(other) else { continue };
                    if o.category == r.category
                        || rule::phrase_list(o.id).is_none()
                        || start != 0
                        || end != phrase.len()
                    {
                        continue;
                    }
                    let documented = src.contains(&format!("overlap with {}", o.id))
                        || rule::phrase_list(o.id)
                            .is_some_and(|s| s.contains(&format!("overlap with {}", r.id)));
                    if !documented {
                        failures.push(format!("{:?}: in {} and {}", phrase, r.id, o.id));
                    }
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_pattern_guide_names_every_word_class() {
    let guide = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/patterns.md"
    ))
    .expect("docs/patterns.md");
    let classes = lexicon::Classes::parse(lexicon::CLASSES_SOURCE).expect("classes parse");
    for name in classes.names() {
        assert!(
            guide.contains(&format!("`@{name}`")),
            "docs/patterns.md does not describe @{name}"
        );
    }
}
