//! The sentence models beside the phrase lists: a sentence that reads as an
//! excuse (or as policy-speak) in words no list names is reported as
//! `excuse.implied` (`procedural.implied`), and the cases the lists set aside
//! are set aside for them too.

use tactful::{Analyzer, Config, Conversation, Role, Transcript, Turn};

const UPSET: &str = "My train was cancelled and I missed my sister's wedding.";
const WEATHER: &str = "Well, the trains were delayed by the weather, which nobody controls.";

fn pair<'a>(customer: &'a str, agent: &'a str) -> Transcript<'a> {
    Transcript::new("t")
        .with_turn(Turn::new(Role::Customer, customer))
        .with_turn(Turn::new(Role::Agent, agent))
}

fn implied(analyzer: &Analyzer, t: &Transcript<'_>) -> Vec<String> {
    analyzer
        .analyze(t)
        .findings
        .iter()
        .filter(|f| f.rule == "excuse.implied")
        .map(|f| f.text(&t.turns[f.turn].text).to_string())
        .collect()
}

#[test]
fn an_excuse_no_list_names_is_found_by_the_model_and_highlighted() {
    let analyzer = Analyzer::new();
    let agent = format!("Thanks for getting in touch. {WEATHER} Have a good day.");
    let t = pair(UPSET, &agent);
    let why = analyzer.explain_excuse(&t);
    assert!(why.sentences.iter().all(|s| !s.listed), "{why:?}");
    // the finding points at the excusing sentence, not the whole turn
    assert_eq!(
        implied(&analyzer, &t),
        ["Well, the trains were delayed by the weather, which nobody controls"]
    );
    let best = why
        .sentences
        .iter()
        .max_by(|a, b| a.score.total_cmp(&b.score))
        .unwrap();
    assert!(best.text.contains("weather"), "{best:?}");
    assert!(best.score >= why.threshold);
    // a plain courtesy sentence scores low
    assert!(why.sentences[0].score < why.threshold, "{why:?}");
}

#[test]
fn a_turn_whose_lists_name_an_excuse_gets_no_second_finding() {
    let analyzer = Analyzer::new();
    let agent = format!("{WEATHER} It's the rail operator's fault.");
    let t = pair(UPSET, &agent);
    let report = analyzer.analyze(&t);
    assert!(report
        .findings
        .iter()
        .any(|f| f.rule == "excuse.third_party_blame"));
    assert!(implied(&analyzer, &t).is_empty());
}

#[test]
fn questions_quotes_hypotheticals_and_owned_causes_are_set_aside() {
    let analyzer = Analyzer::new();
    for agent in [
        "Were the trains delayed by the weather, which nobody controls?",
        "The notice said \"trains were delayed by the weather, which nobody controls\".",
        "Let's say the trains were delayed by the weather, which nobody controls.",
        "The trains were delayed by the weather, but that's on us: we should have rebooked you.",
    ] {
        assert!(
            implied(&analyzer, &pair(UPSET, agent)).is_empty(),
            "{agent}"
        );
    }
}

#[test]
fn a_report_of_the_agents_own_act_is_not_an_excuse() {
    let analyzer = Analyzer::new();
    // the same words the model reads as an excuse, told as the agent's work
    let own =
        "I've passed the delay by the weather on to the rail operator, which nobody controls.";
    let t = pair(UPSET, own);
    let why = analyzer.explain_excuse(&t);
    assert!(
        why.sentences.iter().any(|s| s.score >= why.threshold),
        "the model must read this sentence as an excuse for the test to mean anything: {why:?}"
    );
    assert!(why.sentences.iter().all(|s| !s.listed), "{why:?}");
    assert!(implied(&analyzer, &t).is_empty());
    // a finding reported after an investigation is still read
    let found = format!("We have checked and found that {}", WEATHER.to_lowercase());
    assert!(
        !implied(&analyzer, &pair(UPSET, &found)).is_empty(),
        "{found}"
    );
}

#[test]
fn with_no_problem_raised_an_explanation_is_not_an_excuse() {
    let analyzer = Analyzer::new();
    let t = pair("What time is the first train on Sunday?", WEATHER);
    assert!(implied(&analyzer, &t).is_empty());
}

#[test]
fn the_threshold_turns_the_model_off_or_makes_it_stricter() {
    let t = pair(UPSET, WEATHER);
    let mut config = Config::default();
    config.excuse_model.threshold = Some(100);
    assert!(implied(&Analyzer::from_config(&config).unwrap(), &t).is_empty());
    config.excuse_model.threshold = Some(80);
    assert_eq!(
        implied(&Analyzer::from_config(&config).unwrap(), &t).len(),
        1
    );
    // the rule can be ignored like any other
    let mut config = Config::default();
    config.ignore.push("excuse.implied".into());
    assert!(implied(&Analyzer::from_config(&config).unwrap(), &t).is_empty());
}

#[test]
fn a_long_transcript_raises_the_bar() {
    let analyzer = Analyzer::new();
    // a sentence of middling probability is reported in a short exchange,
    // and not after a hundred ordinary sentences: with many read, one passes
    // a fixed bar by chance more often, so the bar rises
    let contractors = "The staff there are contractors rather than our employees.";
    assert_eq!(implied(&analyzer, &pair(UPSET, contractors)).len(), 1);
    let mut t = Transcript::new("t").with_turn(Turn::new(Role::Customer, UPSET));
    for _ in 0..100 {
        t = t
            .with_turn(Turn::new(Role::Agent, "Okay, let me check that for you."))
            .with_turn(Turn::new(Role::Customer, "Sure."));
    }
    let t = t.with_turn(Turn::new(Role::Agent, contractors));
    let why = analyzer.explain_excuse(&t);
    let last = why.sentences.last().unwrap();
    assert!(last.score >= why.threshold, "{last:?}");
    assert!(implied(&analyzer, &t).is_empty());
}

#[test]
fn live_chat_reports_it_as_the_turn_arrives() {
    let analyzer = Analyzer::new();
    let mut chat = Conversation::new(&analyzer);
    assert!(chat
        .push(Role::Customer, UPSET)
        .iter()
        .all(|f| f.rule != "excuse.implied"));
    let found = chat.push(Role::Agent, WEATHER);
    assert!(
        found.iter().any(|f| f.rule == "excuse.implied"),
        "{found:?}"
    );
}

const CHARGED: &str = "I was charged twice and I want my money back now.";
const PROCESS: &str =
    "Refunds for duplicate charges are handled by the billing office once the statement closes.";

fn rule_texts(analyzer: &Analyzer, t: &Transcript<'_>, rule: &str) -> Vec<String> {
    analyzer
        .analyze(t)
        .findings
        .iter()
        .filter(|f| f.rule == rule)
        .map(|f| f.text(&t.turns[f.turn].text).to_string())
        .collect()
}

#[test]
fn policy_speak_no_list_names_is_found_by_the_procedural_model() {
    let analyzer = Analyzer::new();
    let t = pair(CHARGED, PROCESS);
    let why = analyzer.explain_procedural(&t);
    assert!(why.sentences.iter().all(|s| !s.listed), "{why:?}");
    assert!(why.sentences[0].score >= why.threshold, "{why:?}");
    assert_eq!(
        rule_texts(&analyzer, &t, "procedural.implied"),
        [PROCESS.trim_end_matches('.')]
    );
    // a turn whose lists already name policy-speak gets no second finding
    let agent = format!("{PROCESS} It is against our policy.");
    let t = pair(CHARGED, &agent);
    assert!(rule_texts(&analyzer, &t, "procedural.implied").is_empty());
    // the same words as a question, or with no problem raised, are not reported
    let t = pair(
        CHARGED,
        "Are refunds for duplicate charges handled by the billing office once the statement closes?",
    );
    assert!(rule_texts(&analyzer, &t, "procedural.implied").is_empty());
    let t = pair("How do returns work?", PROCESS);
    assert!(rule_texts(&analyzer, &t, "procedural.implied").is_empty());
    // and the threshold turns it off
    let mut config = Config::default();
    config.procedural_model.threshold = Some(100);
    let t = pair(CHARGED, PROCESS);
    assert!(rule_texts(
        &Analyzer::from_config(&config).unwrap(),
        &t,
        "procedural.implied"
    )
    .is_empty());
}

#[test]
fn talking_down_no_list_names_is_found_by_the_patronizing_model() {
    let analyzer = Analyzer::new();
    let customer = "The router still won't connect and I've wasted my whole evening on this.";
    let agent = "Have another go and read each step slowly this time.";
    let t = pair(customer, agent);
    let why = analyzer.explain_patronizing(&t);
    assert!(why.sentences.iter().all(|s| !s.listed), "{why:?}");
    assert!(why.sentences[0].score >= why.threshold, "{why:?}");
    // reported under the patronizing rule itself, as the list reports it
    assert_eq!(
        rule_texts(&analyzer, &t, "language.patronizing"),
        [agent.trim_end_matches('.')]
    );
    let mut config = Config::default();
    config.patronizing_model.threshold = Some(100);
    let lists_only = Analyzer::from_config(&config).unwrap();
    assert!(rule_texts(&lists_only, &t, "language.patronizing").is_empty());
    // a plain instruction is not talking down
    let t = pair(
        customer,
        "Please press the green button on the back of the router.",
    );
    assert!(rule_texts(&analyzer, &t, "language.patronizing").is_empty());
}

/// A concrete act in words the promise lists do not name.
const STOCK: &str = "Fresh stock lands Tuesday and yours is first on the list.";
const MISSING: &str = "My order arrived with a chair missing.";

#[test]
fn a_specific_act_no_list_names_is_credited_by_the_action_model() {
    let analyzer = Analyzer::new();
    let t = pair(MISSING, STOCK);
    assert_eq!(
        rule_texts(&analyzer, &t, "action.specific"),
        ["Fresh stock lands Tuesday and yours is first on the list"]
    );
    let why = analyzer.explain_action(&t);
    assert_eq!(why.sentences.len(), 1);
    assert!(!why.sentences[0].listed, "{why:?}");
    assert!(why.sentences[0].score >= why.threshold, "{why:?}");
    // off at 100
    let mut config = Config::default();
    config.action_model.threshold = Some(100);
    let off = Analyzer::from_config(&config).expect("config");
    assert!(rule_texts(&off, &t, "action.specific").is_empty());
}

#[test]
fn the_action_model_reads_no_question_and_no_hypothetical() {
    let analyzer = Analyzer::new();
    for agent in [
        "Shall I put yours first on the list when fresh stock lands Tuesday?",
        "If fresh stock landed Tuesday, yours would be first on the list.",
    ] {
        let t = pair(MISSING, agent);
        assert!(
            rule_texts(&analyzer, &t, "action.specific").is_empty(),
            "{agent}"
        );
    }
}

#[test]
fn an_act_offered_as_a_back_up_plan_is_no_vague_promise() {
    let analyzer = Analyzer::new();
    // the help was given; the act is what follows if it fails
    let plan = "If that doesn't get you in, tell me and I'll unlock the van remotely.";
    assert!(rule_texts(&analyzer, &pair(MISSING, plan), "action.vague").is_empty());
    let again = "If it happens again, tell me and I'll unlock the van remotely.";
    assert!(rule_texts(&analyzer, &pair(MISSING, again), "action.vague").is_empty());
    // so is one that hangs on what a check finds
    let check =
        "If the readings are under the regional average, I'll send someone up to check the panels.";
    assert!(rule_texts(&analyzer, &pair(MISSING, check), "action.vague").is_empty());
    let plain = "I'll send someone up to check the panels.";
    assert!(!rule_texts(&analyzer, &pair(MISSING, plain), "action.vague").is_empty());
    // the same act with no condition is judged as ever
    let act = "Tell me and I'll unlock the van remotely.";
    assert!(!rule_texts(&analyzer, &pair(MISSING, act), "action.specific").is_empty());
}

#[test]
fn a_vague_promise_no_list_names_is_found_by_the_vague_model_where_a_problem_was_raised() {
    let analyzer = Analyzer::new();
    let agent = "Let me see what I can sort out for you.";
    let t = pair(MISSING, agent);
    assert_eq!(
        rule_texts(&analyzer, &t, "action.vague"),
        ["Let me see what I can sort out for you"]
    );
    // beside a specific act in the same reply it is not reported
    let both = format!("{agent} Fresh stock lands Tuesday and yours is first on the list.");
    let t = pair(MISSING, &both);
    assert!(rule_texts(&analyzer, &t, "action.vague").is_empty());
    // with no problem raised (a greeting), there is nothing to promise on
    let t = pair("Hello!", agent);
    assert!(rule_texts(&analyzer, &t, "action.vague").is_empty());
    let mut config = Config::default();
    config.vague_model.threshold = Some(100);
    let off = Analyzer::from_config(&config).expect("config");
    assert!(rule_texts(&off, &pair(MISSING, agent), "action.vague").is_empty());
}

#[test]
fn a_sentence_that_apologizes_or_acknowledges_does_not_talk_down() {
    let analyzer = Analyzer::new();
    let customer = "I've been coming for nine years and my massage was interrupted by a \
                    therapist taking a call. I'm really disappointed.";
    let agent = "Thank you for writing. I'm sorry — a therapist taking a call mid-treatment \
                 is unacceptable, and you came to us to unwind, not to listen to the kitchen.";
    let t = pair(customer, agent);
    let rules: Vec<&str> = analyzer
        .analyze(&t)
        .findings
        .iter()
        .map(|f| f.rule)
        .collect();
    assert!(rules.contains(&"apology.sincere"), "{rules:?}");
    assert!(!rules.contains(&"language.patronizing"), "{rules:?}");
}

#[test]
fn a_sentence_the_list_sets_aside_by_an_exception_is_not_reported_by_the_model() {
    // a threshold so low that the patronizing model reports the best
    // sentence of any reply to a customer who raised a problem
    let mut config = Config::default();
    config.patronizing_model.threshold = Some(1);
    let analyzer = Analyzer::from_config(&config).unwrap();
    let patronizing = |agent: &str| {
        let t = pair("My parcel is late and I need it for tomorrow.", agent);
        analyzer
            .analyze(&t)
            .findings
            .iter()
            .any(|f| f.rule == "language.patronizing")
    };
    // the control: at this threshold an ordinary sentence is reported
    assert!(patronizing("It has to go through the depot first."));
    // the agent's own time, which the list sets aside by an exception
    assert!(!patronizing("It only takes a minute for me to do that."));
}

#[test]
fn what_something_costs_said_as_a_state_is_no_specific_act() {
    let analyzer = Analyzer::new();
    // the model reads "today" and a price phrase as an act; the list's
    // exception sets the state aside
    for agent in [
        "So, today is completely free of charge.",
        "The replacement today is free of charge.",
    ] {
        let t = pair("How much is the quote going to cost me?", agent);
        assert!(
            rule_texts(&analyzer, &t, "action.specific").is_empty(),
            "{agent}"
        );
    }
    // the act itself, done free of charge, is still specific
    let act = "I've refunded the call-out fee, so the visit is free of charge.";
    let t = pair(MISSING, act);
    assert!(!rule_texts(&analyzer, &t, "action.specific").is_empty());
}
