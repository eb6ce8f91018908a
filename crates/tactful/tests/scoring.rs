//! Score properties and configuration effects (see the README's "Scores").

use proptest::prelude::*;
use std::sync::LazyLock;
use tactful::{Analyzer, Category, Config, Role, Severity, Transcript, Turn};

/// Built once: building compiles every phrase list.
static ANALYZER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);
static ANOTHER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);

fn transcript<'a>(turns: &[(Role, &'a str)]) -> Transcript<'a> {
    let mut t = Transcript::new("t");
    for (role, text) in turns {
        t.turns.push(Turn::new(*role, *text));
    }
    t
}

const CUSTOMER: &[&str] = &[
    "Where is my parcel?",
    "This is the third time I'm writing, I'm furious!!",
    "Can you change my address please?",
    "I'm cancelling, this is ridiculous.",
    "Thanks, that works.",
    // mild distress: its gap is a warning, half a miss
    "Where is my order!!",
];

const AGENT: &[&str] = &[
    "I've sent a replacement today.",
    "I understand how frustrating this is. I've refunded you.",
    "Sorry for the wait! It's on its way.",
    "Let me check that for you.",
    "Your new address is saved.",
    "Hi Sarah, thanks for your patience. Leave it with me: I'll call you tomorrow before noon.",
];

const ISSUES: &[&str] = &[
    "Per our policy, we cannot refund.",
    "I'm sorry, but there's nothing I can do.",
    "We apologize for any inconvenience.",
    "That's the courier's fault.",
    "You should have read the terms.",
    "Sorry you feel that way.",
    "Please be advised the office is closed.",
    "As I already explained, the fee stands.",
    "We'll look into it and get back to you.",
];

/// Strengths of the rest of the recovery: credited, never scored.
const STRENGTHS: &[&str] = &[
    "Thanks for flagging this, Sarah.",
    "Leave it with me.",
    "I've issued a refund of $40 to your card.",
    "I'll call you tomorrow before noon.",
    "I'll make sure it's fixed myself.",
];

/// Ownership that admits the fault: it acknowledges a distressed customer,
/// as a sincere apology does, so it may close a gap, and lifts the score no
/// more than that apology would.
const FAULT_OWNED: &[&str] = &[
    "That's on us, and I'll make sure it's fixed.",
    "That was our mistake.",
    "We should have told you sooner.",
];

fn conversation() -> impl Strategy<Value = Vec<(Role, &'static str)>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(CUSTOMER).prop_map(|t| (Role::Customer, t)),
            prop::sample::select(AGENT).prop_map(|t| (Role::Agent, t)),
        ],
        1..8,
    )
}

/// The indexes of the agent turns of `turns`.
fn agent_turns(turns: &[(Role, &str)]) -> Vec<usize> {
    turns
        .iter()
        .enumerate()
        .filter(|(_, (r, _))| *r == Role::Agent)
        .map(|(i, _)| i)
        .collect()
}

/// The report on `turns` with `extra` appended to turn `i`.
fn analyze_appended(turns: &[(Role, &str)], i: usize, extra: &str) -> tactful::Report {
    let mut owned: Vec<(Role, String)> = turns.iter().map(|(r, t)| (*r, t.to_string())).collect();
    owned[i].1 = format!("{} {extra}", owned[i].1);
    let refs: Vec<(Role, &str)> = owned.iter().map(|(r, t)| (*r, t.as_str())).collect();
    ANALYZER.analyze(&transcript(&refs))
}

proptest! {
    #[test]
    fn adding_an_issue_never_raises_the_score(
        turns in conversation(),
        issue in prop::sample::select(ISSUES),
        at in any::<prop::sample::Index>(),
    ) {
        let analyzer = &*ANALYZER;
        let before = analyzer.analyze(&transcript(&turns)).score.total;
        // append the issue to an existing agent turn, or add it as a new agent turn
        let agents = agent_turns(&turns);
        let mut owned: Vec<(Role, String)> = turns.iter().map(|(r, t)| (*r, t.to_string())).collect();
        if agents.is_empty() {
            owned.push((Role::Agent, issue.to_string()));
        } else {
            let i = agents[at.index(agents.len())];
            owned[i].1 = format!("{} {issue}", owned[i].1);
        }
        let refs: Vec<(Role, &str)> = owned.iter().map(|(r, t)| (*r, t.as_str())).collect();
        let after = analyzer.analyze(&transcript(&refs)).score.total;
        // a new agent turn can make empathy applicable; appending never can
        if !agents.is_empty() {
            prop_assert!(after <= before, "{before} -> {after} for {refs:?}");
        }
    }

    #[test]
    fn a_recovery_strength_never_lifts_the_score(
        turns in conversation(),
        strength in prop::sample::select(STRENGTHS),
        at in any::<prop::sample::Index>(),
    ) {
        let agents = agent_turns(&turns);
        prop_assume!(!agents.is_empty());
        let before = ANALYZER.analyze(&transcript(&turns));
        let i = agents[at.index(agents.len())];
        let after = analyze_appended(&turns, i, strength);
        prop_assert!(after.findings.iter().any(|f| f.kind == tactful::Kind::Strength));
        prop_assert!(after.score.total <= before.score.total, "{} -> {} for {strength:?} in turn {i} of {turns:?}", before.score.total, after.score.total);
    }

    #[test]
    fn owning_the_fault_lifts_the_score_no_more_than_a_sincere_apology(
        turns in conversation(),
        owned_fault in prop::sample::select(FAULT_OWNED),
        at in any::<prop::sample::Index>(),
    ) {
        let agents = agent_turns(&turns);
        prop_assume!(!agents.is_empty());
        let i = agents[at.index(agents.len())];
        let owning = analyze_appended(&turns, i, owned_fault).score.total;
        let apologizing = analyze_appended(&turns, i, "I'm sorry we got this wrong.").score.total;
        prop_assert!(owning <= apologizing, "{owning} > {apologizing} for {owned_fault:?} in {turns:?}");
    }

    #[test]
    fn a_gap_of_any_severity_never_raises_the_score(
        turns in conversation(),
        severity in prop::sample::select(&[Severity::Info, Severity::Warning, Severity::Error][..]),
        at in any::<prop::sample::Index>(),
    ) {
        let t = transcript(&turns);
        let report = ANALYZER.analyze(&t);
        let roles: Vec<Role> = turns.iter().map(|(r, _)| *r).collect();
        let config = tactful::ScoreConfig::default();
        let before = tactful::score::score(&roles, &report.findings, &config);
        let agents: Vec<usize> = roles.iter().enumerate().filter(|(_, r)| **r == Role::Agent).map(|(i, _)| i).collect();
        prop_assume!(!agents.is_empty());
        // the empathy_gap finding of the analyzer, moved to any agent turn
        // and given any severity
        let gap = ANALYZER.analyze(&transcript(&[
            (Role::Customer, "I'm furious!!"),
            (Role::Agent, "Noted."),
        ]));
        let mut gap = gap.findings.into_iter().find(|f| f.category == Category::EmpathyGap).expect("a gap");
        gap.turn = agents[at.index(agents.len())];
        gap.severity = severity;
        let mut findings = report.findings.clone();
        findings.push(gap);
        let after = tactful::score::score(&roles, &findings, &config);
        prop_assert!(after.total <= before.total, "{} -> {} for {turns:?}", before.total, after.total);
    }

    #[test]
    fn the_same_input_always_gives_the_same_score(turns in conversation()) {
        let a = ANALYZER.analyze(&transcript(&turns));
        let b = ANOTHER.analyze(&transcript(&turns));
        prop_assert_eq!(a, b);
    }
}

#[test]
fn no_agent_turn_is_not_penalized() {
    let s = ANALYZER
        .analyze(&transcript(&[(
            Role::Customer,
            "I'm furious!! Third time writing.",
        )]))
        .score;
    assert_eq!(s.total, 100);
    assert!(s.categories.values().all(Option::is_none), "{s:?}");
}

#[test]
fn empathy_is_judged_only_where_the_customer_was_distressed() {
    let calm = transcript(&[
        (Role::Customer, "Can you change my address please?"),
        (Role::Agent, "Your new address is saved."),
    ]);
    let s = ANALYZER.analyze(&calm).score;
    assert_eq!(s.categories[&Category::Empathy], None);
    assert_eq!(s.total, 100);
    let upset = transcript(&[
        (
            Role::Customer,
            "This is the third time I'm writing, I'm furious!!",
        ),
        (Role::Agent, "Your new address is saved."),
    ]);
    let s = ANALYZER.analyze(&upset).score;
    assert_eq!(s.categories[&Category::Empathy], Some(0));
    assert!(s.total < 100);
}

#[test]
fn the_readme_worked_example() {
    let t = transcript(&[
        (
            Role::Customer,
            "This is the third time I'm writing, I'm furious!!",
        ),
        (
            Role::Agent,
            "I'm sorry, but per our policy we cannot refund.",
        ),
    ]);
    let r = ANALYZER.analyze(&t);
    let rules: Vec<&str> = r.findings.iter().map(|f| f.rule).collect();
    assert!(rules.contains(&"apology.but"), "{rules:?}");
    assert!(rules.contains(&"procedural.policy_as_reason"), "{rules:?}");
    assert!(
        rules.contains(&"empathy_gap.no_acknowledgment"),
        "{rules:?}"
    );
    assert!(
        rules.contains(&"procedural.refusal_without_alternative"),
        "{rules:?}"
    );
    // the figures the README states
    let c = &r.score.categories;
    assert_eq!(c[&Category::Procedural], Some(70));
    assert_eq!(c[&Category::Excuse], Some(100));
    assert_eq!(c[&Category::Apology], Some(85));
    assert_eq!(c[&Category::Empathy], Some(0));
    assert_eq!(c[&Category::Language], Some(100));
    assert_eq!(c[&Category::Resolution], Some(100));
    assert_eq!(r.score.total, 65);
}

#[test]
fn weights_and_caps_come_from_the_config() {
    let t = transcript(&[(
        Role::Agent,
        "Per our policy, no. Per our policy, never. As per our terms and conditions, no.",
    )]);
    let default = ANALYZER.analyze(&t).score;
    assert!(
        default.categories[&Category::Procedural].unwrap() < 60,
        "{default:?}"
    );

    let mut capped = Config::default();
    capped.score.caps.insert(Category::Procedural, 10);
    let s = Analyzer::from_config(&capped).unwrap().analyze(&t).score;
    assert_eq!(s.categories[&Category::Procedural], Some(90));

    let mut unweighted = Config::default();
    unweighted.score.weights.insert(Category::Procedural, 0);
    let s = Analyzer::from_config(&unweighted)
        .unwrap()
        .analyze(&t)
        .score;
    assert_eq!(s.total, 100);
}

#[test]
fn critical_rules_fail_the_transcript() {
    let t = transcript(&[
        (Role::Customer, "My card was charged twice."),
        (
            Role::Agent,
            "Sorry you feel that way. I've refunded the second charge.",
        ),
    ]);
    let mut config = Config::default();
    config.score.critical.push("apology.deflecting".into());
    config.score.critical_cap = 40;
    let s = Analyzer::from_config(&config).unwrap().analyze(&t).score;
    assert!(s.failed);
    assert!(s.total <= 40);
    let plain = ANALYZER.analyze(&t).score;
    assert!(!plain.failed);
    assert!(plain.total > 40);
}

#[test]
fn ignoring_a_rule_removes_its_findings() {
    let t = transcript(&[(Role::Agent, "Per our policy, we cannot. Please be advised.")]);
    let mut config = Config::default();
    config.ignore.push("procedural.policy_as_reason".into());
    let r = Analyzer::from_config(&config).unwrap().analyze(&t);
    assert!(r
        .findings
        .iter()
        .all(|f| f.rule != "procedural.policy_as_reason"));
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "procedural.template_formality"));
    // a category prefix selects all its rules
    let mut only = Config::default();
    only.select.push("apology".into());
    let r = Analyzer::from_config(&only).unwrap().analyze(&t);
    assert!(r.findings.iter().all(|f| f.rule.starts_with("apology.")));
}

#[test]
fn added_phrases_are_found_at_the_right_span() {
    let text = "Hello. The Handbook SAYS no refunds.";
    let t = transcript(&[(Role::Agent, text)]);
    let mut config = Config::default();
    config.extend_phrases.insert(
        "procedural.policy_as_reason".into(),
        vec!["the handbook (says|states)".into()],
    );
    let r = Analyzer::from_config(&config).unwrap().analyze(&t);
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "procedural.policy_as_reason")
        .expect("added phrase found");
    assert_eq!(&text[f.span.range()], "The Handbook SAYS");
}

#[test]
fn allowed_phrases_are_silenced_and_severities_overridden() {
    let t = transcript(&[(
        Role::Agent,
        "As per your request, I've closed the account. Per our policy, no.",
    )]);
    let mut config = Config::default();
    config
        .allow_phrases
        .insert("procedural".into(), vec!["as per your request".into()]);
    config
        .severity
        .insert("procedural.policy_as_reason".into(), Severity::Error);
    let r = Analyzer::from_config(&config).unwrap().analyze(&t);
    let procedural: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.category == Category::Procedural)
        .collect();
    assert_eq!(procedural.len(), 1, "{procedural:?}");
    assert_eq!(procedural[0].severity, Severity::Error);
}

#[test]
fn bad_configs_are_errors_naming_the_key() {
    let mut c = Config::default();
    c.ignore.push("procedural.nonsense".into());
    let e = Analyzer::from_config(&c).unwrap_err();
    assert!(e.message().starts_with("ignore"), "{e}");
    let mut c = Config::default();
    c.extend_phrases
        .insert("empathy_gap.no_acknowledgment".into(), vec!["x".into()]);
    assert!(Analyzer::from_config(&c).is_err());
}

#[test]
fn a_gap_after_mild_distress_costs_less_than_after_strong_distress() {
    let reply = "Per our policy, we cannot refund.";
    let strong = ANALYZER.analyze(&transcript(&[
        (Role::Customer, "I'm furious, my order is late."),
        (Role::Agent, reply),
    ]));
    let mild = ANALYZER.analyze(&transcript(&[
        (Role::Customer, "Where is my order!!"),
        (Role::Agent, reply),
    ]));
    let gap = |r: &tactful::Report| {
        r.findings
            .iter()
            .find(|f| f.category == Category::EmpathyGap)
            .map(|f| f.severity)
    };
    assert_eq!(gap(&strong), Some(Severity::Error));
    assert_eq!(gap(&mild), Some(Severity::Warning));
    assert_eq!(strong.score.categories[&Category::Empathy], Some(0));
    assert_eq!(mild.score.categories[&Category::Empathy], Some(50));
    assert!(mild.score.total > strong.score.total);
    // both customer turns carry their score, the strong one the higher
    assert!(strong.distress[0].score >= 75 && (50..75).contains(&mild.distress[0].score));
}
