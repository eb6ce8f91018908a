//! The topic model beside the phrase lists: what it adds, what it leaves,
//! and that a team's own topics and list extensions still tag.

use tactful::{Analyzer, Config, Role, Transcript, Turn};

fn customer(text: &str) -> Transcript<'_> {
    Transcript::new("t").with_turn(Turn::new(Role::Customer, text))
}

fn score(analyzer: &Analyzer, text: &str, tag: &str) -> f32 {
    let why = analyzer.explain_topics(&customer(text));
    why.scores
        .iter()
        .find(|(t, _)| *t == tag)
        .map(|(_, s)| *s)
        .unwrap_or_else(|| panic!("no score for {tag}"))
}

#[test]
fn a_fault_told_without_the_lists_words_is_tagged_by_the_model() {
    let analyzer = Analyzer::new();
    let t = customer(
        "The keypad on our back door still won't take my code, I've reported it three times and had to wait outside.",
    );
    let why = analyzer.explain_topics(&t);
    assert!(!why.listed.iter().any(|x| x == "technical"), "{why:?}");
    assert!(analyzer.analyze(&t).topics.iter().any(|x| x == "technical"));
}

#[test]
fn the_models_scores_follow_the_words() {
    let analyzer = Analyzer::new();
    let calm = "Thanks so much, lovely chat.";
    for (tag, text) in [
        (
            "technical",
            "The keypad by the gate keeps rejecting my code and the screen flickers.",
        ),
        (
            "billing",
            "Two payments for the same invoice left my bank account this week.",
        ),
        (
            "delivery",
            "The parcel tracking says delivered but nothing came to the house.",
        ),
        (
            "staff",
            "The fitter was rude to my wife and shrugged when she asked him to tidy up.",
        ),
    ] {
        let (hot, cold) = (score(&analyzer, text, tag), score(&analyzer, calm, tag));
        assert!(
            hot > 2.0 * cold,
            "{tag}: {hot} against {cold} for a calm text"
        );
    }
}

#[test]
fn small_talk_gets_no_topic() {
    let analyzer = Analyzer::new();
    for text in [
        "Thanks so much, lovely chat.",
        "Hello, is that Sam? Great, cheers.",
    ] {
        let topics = analyzer.analyze(&customer(text)).topics;
        assert!(topics.is_empty(), "{text}: {topics:?}");
    }
}

#[test]
fn words_and_pairs_are_read_from_customer_turns_only() {
    let analyzer = Analyzer::new();
    let t = Transcript::new("t")
        .with_turn(Turn::new(Role::Customer, "My parcels never arrived."))
        .with_turn(Turn::new(Role::Agent, "Your invoice is attached."));
    let why = analyzer.explain_topics(&t);
    for w in ["parcel", "my parcel", "never arriv"] {
        assert!(
            why.words.iter().any(|x| x == w),
            "{w} not in {:?}",
            why.words
        );
    }
    assert!(
        !why.words.iter().any(|x| x.contains("invoic")),
        "{:?}",
        why.words
    );
    // a pair never spans a full stop
    let why = analyzer.explain_topics(&customer("It broke. Parcel late."));
    assert!(
        !why.words.iter().any(|x| x == "broke parcel"),
        "{:?}",
        why.words
    );
}

#[test]
fn a_teams_own_topic_and_extension_still_tag_by_their_phrases() {
    let mut config = Config::default();
    config.topics.insert(
        "loyalty".into(),
        vec!["(points|rewards) (balance|missing)".into()],
    );
    config
        .topics
        .insert("delivery".into(), vec!["pigeon post".into()]);
    let analyzer = Analyzer::from_config(&config).unwrap();
    let topics = analyzer
        .analyze(&customer(
            "My points balance is wrong and the pigeon post was odd.",
        ))
        .topics;
    assert!(topics.iter().any(|x| x == "loyalty"), "{topics:?}");
    assert!(topics.iter().any(|x| x == "delivery"), "{topics:?}");
}

#[test]
fn live_chat_reports_the_same_topics_as_a_batch() {
    let analyzer = Analyzer::new();
    let text = "The keypad on our back door still won't take my code, I've reported it three times and had to wait outside.";
    let mut chat = tactful::Conversation::new(&analyzer);
    chat.push(Role::Customer, text);
    assert_eq!(
        chat.report().topics,
        analyzer.analyze(&customer(text)).topics
    );
}

#[test]
fn a_person_who_is_not_free_is_no_availability() {
    let analyzer = Analyzer::new();
    for text in [
        "My wife takes care of all that stuff and she's not available right now.",
        "I'm not available Tuesday, could the call be Wednesday?",
    ] {
        let why = analyzer.explain_topics(&customer(text));
        assert!(
            !why.listed.iter().any(|x| x == "availability"),
            "{text}: {why:?}"
        );
    }
    let why = analyzer.explain_topics(&customer("The size 10 is not available in any store."));
    assert!(why.listed.iter().any(|x| x == "availability"), "{why:?}");
}
