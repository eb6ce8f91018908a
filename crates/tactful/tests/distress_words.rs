//! The distress word model beside the distress evidence: a customer turn
//! whose words and pairs read as upset, in wording no phrase list names, is
//! distressed (`distress.implied`), and the agent's reply is judged on it.

use tactful::{Analyzer, Config, Role, Transcript, Turn};

/// Harm told flat: no feeling word, no stake or chase the lists name, no mark.
const CALM_HARM: &str = "We have been stood outside the venue since half eight with the kids. \
                         Nobody has opened up and the class started an hour ago.";
const NEUTRAL: &str = "Hi, can I change the delivery address on my order to my office please?";
const COLD_REPLY: &str = "What is your booking reference?";

fn pair<'a>(customer: &'a str, agent: &'a str) -> Transcript<'a> {
    Transcript::new("t")
        .with_turn(Turn::new(Role::Customer, customer))
        .with_turn(Turn::new(Role::Agent, agent))
}

fn rules(analyzer: &Analyzer, t: &Transcript<'_>) -> Vec<(String, String)> {
    analyzer
        .analyze(t)
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                f.text(&t.turns[f.turn].text).to_string(),
            )
        })
        .collect()
}

#[test]
fn upset_told_flat_is_distress_and_an_unacknowledging_reply_a_gap() {
    let analyzer = Analyzer::new();
    let t = pair(CALM_HARM, COLD_REPLY);
    let found = rules(&analyzer, &t);
    // the finding points at the sentence that weighs most (which one is the
    // fitted weights' call), not the whole turn
    let sentences = [
        "We have been stood outside the venue since half eight with the kids",
        "Nobody has opened up and the class started an hour ago",
    ];
    assert!(
        found
            .iter()
            .any(|(r, text)| r == "distress.implied" && sentences.contains(&text.as_str())),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(r, _)| r == "empathy_gap.no_acknowledgment"),
        "{found:?}"
    );
    // the evidence alone does not make the turn distressed: the words do
    let why = analyzer.explain_distress(CALM_HARM, false);
    assert!(why.words && why.distressed, "{why:?}");
    let lists = analyzer.explain_distress_words(&t);
    assert_eq!(lists.sentences.len(), 1);
    assert!(!lists.sentences[0].listed);
    assert!(lists.sentences[0].score >= lists.threshold);
}

#[test]
fn an_acknowledging_reply_to_it_is_no_gap() {
    let t = pair(
        CALM_HARM,
        "I'm so sorry, that's a miserable start to the morning for you and the kids. \
         I'm calling the venue manager now.",
    );
    let found = rules(&Analyzer::new(), &t);
    assert!(
        found.iter().any(|(r, _)| r == "distress.implied"),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(r, _)| r.starts_with("empathy_gap")),
        "{found:?}"
    );
}

#[test]
fn a_plain_request_is_not_lifted() {
    let analyzer = Analyzer::new();
    let t = pair(NEUTRAL, COLD_REPLY);
    let found = rules(&analyzer, &t);
    assert!(
        !found
            .iter()
            .any(|(r, _)| r.starts_with("distress") || r.starts_with("empathy_gap")),
        "{found:?}"
    );
    assert!(!analyzer.explain_distress(NEUTRAL, false).words);
}

#[test]
fn the_threshold_or_the_rule_switch_turns_the_model_off() {
    let t = pair(CALM_HARM, COLD_REPLY);
    let mut config = Config::default();
    config.distress_words_model.threshold = Some(100);
    let off = Analyzer::from_config(&config).expect("config");
    let found = rules(&off, &t);
    assert!(
        !found
            .iter()
            .any(|(r, _)| r.starts_with("distress") || r.starts_with("empathy_gap")),
        "{found:?}"
    );
    let mut config = Config::default();
    config.ignore = vec!["distress.implied".to_string()];
    let found = rules(&Analyzer::from_config(&config).expect("config"), &t);
    assert!(
        !found.iter().any(|(r, _)| r == "distress.implied"),
        "{found:?}"
    );
}

#[test]
fn a_short_answer_in_a_call_is_not_lifted() {
    // a call's answers to the agent's questions are facts, not upset
    let mut t = Transcript::new("call");
    for _ in 0..3 {
        t = t
            .with_turn(Turn::new(Role::Agent, "And what's your current situation?"))
            .with_turn(Turn::new(Role::Customer, "Nobody has opened up."));
    }
    let found = rules(&Analyzer::new(), &t);
    assert!(
        !found.iter().any(|(r, _)| r == "distress.implied"),
        "{found:?}"
    );
}

#[test]
fn marks_aimed_at_the_weather_or_at_asking_are_no_distress() {
    let analyzer = Analyzer::new();
    let reply = "Yes, your permit covers Saturdays too.";
    let calm = |customer: &str| {
        let found = rules(&analyzer, &pair(customer, reply));
        !found
            .iter()
            .any(|(r, _)| r.starts_with("distress") || r.starts_with("empathy_gap"))
    };
    // the weather, with caps and "!!", in a sentence of its own
    assert!(calm(
        "Absolutely FREEZING on the platform this morning!! quick q, does my permit cover Saturdays?"
    ));
    // the customer's own apology for asking
    assert!(calm(
        "sorry to be a pain!! can I change the delivery address on tomorrow's order?"
    ));
    // the same marks aimed at the service are distress
    assert!(!calm(
        "Your permit machine ate my card AGAIN this morning!! does my permit cover Saturdays?"
    ));
    assert!(!calm(
        "sorry but this is the third time your app has failed me!!"
    ));
}

#[test]
fn a_life_event_given_as_the_reason_to_cancel_is_no_distress() {
    let analyzer = Analyzer::new();
    let reply = "Thank you for telling us.";
    let distressed = |customer: &str| {
        rules(&analyzer, &pair(customer, reply))
            .iter()
            .any(|(r, _)| r.starts_with("distress"))
    };
    assert!(!distressed(
        "Hi, we need to cancel our June booking please, my dad's been taken into hospital so we won't be able to travel."
    ));
    // a loss the fault caused is distress, whatever the customer asks for
    assert!(distressed(
        "My 2pm assessment was cancelled at 1pm because your podiatrist was unwell. I'd taken the afternoon off work unpaid for it, so please refund it."
    ));
}
