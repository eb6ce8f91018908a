//! Long calls: talk around the call is not distress, a time agreed a turn or
//! two before dates a promise, work narrated on the call is no promise, and a
//! formula that frames an excuse is reported as the excuse only.

use tactful::{Analyzer, Role, Transcript, Turn};

fn rules_at(analyzer: &Analyzer, t: &Transcript<'_>, prefix: &str) -> Vec<(String, usize)> {
    analyzer
        .analyze(t)
        .findings
        .iter()
        .filter(|f| f.rule.starts_with(prefix))
        .map(|f| (f.rule.to_string(), f.turn))
        .collect()
}

/// A customer turn and the agent's reply.
fn pair<'a>(customer: &'a str, agent: &'a str) -> Transcript<'a> {
    Transcript::new("t")
        .with_turn(Turn::new(Role::Customer, customer))
        .with_turn(Turn::new(Role::Agent, agent))
}

/// `t` with sixteen calm turns of details taken on a call.
fn calm_details(mut t: Transcript<'_>) -> Transcript<'_> {
    for i in 0..8 {
        t = t
            .with_turn(Turn::new(
                Role::Agent,
                if i % 2 == 0 {
                    "And what's the zip code at that address?"
                } else {
                    "Okay, and the year of the vehicle?"
                },
            ))
            .with_turn(Turn::new(Role::Customer, "Sure, that's right."));
    }
    t
}

/// A sales call: sixteen calm turns of details before `last`.
fn sales_call<'a>(last: &'a str) -> Transcript<'a> {
    let t = calm_details(Transcript::new("call"));
    t.with_turn(Turn::new(Role::Customer, last))
        .with_turn(Turn::new(Role::Agent, "Okay. And is it garaged at home?"))
}

#[test]
fn a_feeling_in_small_talk_late_in_a_calm_call_is_not_distress() {
    let analyzer = Analyzer::new();
    let story = sales_call("Oh, I'm scared of flying, honestly.");
    assert!(rules_at(&analyzer, &story, "distress").is_empty());
    assert!(rules_at(&analyzer, &story, "empathy_gap").is_empty());
    // the same words aimed at the company, or at the start of a call, still count
    let aimed = sales_call("Honestly, I'm scared you'll cancel my cover.");
    assert!(!rules_at(&analyzer, &aimed, "distress").is_empty());
    let early = pair("Oh, I'm scared of flying, honestly.", "Okay.");
    assert!(!rules_at(&analyzer, &early, "distress").is_empty());
}

#[test]
fn a_time_promised_a_turn_or_two_before_dates_the_next_promise() {
    let analyzer = Analyzer::new();
    let t = Transcript::new("t")
        .with_turn(Turn::new(
            Role::Customer,
            "My quote is wrong, the price doubled.",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "I'll call you back tomorrow at 10am with a corrected quote. Does that work?",
        ))
        .with_turn(Turn::new(Role::Customer, "That'll be fine."))
        .with_turn(Turn::new(Role::Agent, "Great, I'll call you then."));
    let actions = rules_at(&analyzer, &t, "action");
    assert!(
        actions.contains(&("action.specific".into(), 3)),
        "{actions:?}"
    );
    assert!(
        !actions.iter().any(|(r, _)| r == "action.vague"),
        "{actions:?}"
    );
    // with no time before, the same promise is vague
    let bare = pair(
        "My quote is wrong, the price doubled.",
        "I'll call you back.",
    );
    assert_eq!(
        rules_at(&analyzer, &bare, "action"),
        vec![("action.vague".to_string(), 1)]
    );
}

#[test]
fn work_narrated_on_the_call_is_no_promise() {
    let analyzer = Analyzer::new();
    for said in [
        "Okay, cool, I'll match that.",
        "We'll apply a discount for your education.",
        "I'll let you know what I need from you and then we can move on.",
    ] {
        let t = pair("My bill went up and I want it lower.", said);
        assert!(rules_at(&analyzer, &t, "action").is_empty(), "{said}");
    }
}

#[test]
fn a_formula_framing_an_excuse_is_reported_as_the_excuse_only() {
    let analyzer = Analyzer::new();
    let t = pair(
        "The headphones kept cutting out all night.",
        "Please be aware that range can be affected by other wifi networks in the building.",
    );
    let found = rules_at(&analyzer, &t, "");
    assert!(
        found.iter().any(|(r, _)| r.starts_with("excuse.")),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(r, _)| r.starts_with("procedural.")),
        "{found:?}"
    );
    // framing a rule as well, it stays policy-speak
    let rule = pair("My unit was broken into.", "Please be advised that, as per clause 12 of your licence agreement, we are not liable for loss of stored goods.");
    let found = rules_at(&analyzer, &rule, "procedural");
    assert!(found.len() >= 2, "{found:?}");
}

#[test]
fn a_hedged_callback_with_its_day_is_specific_and_time_wasted_is_frustration() {
    let analyzer = Analyzer::new();
    let t = pair(
        "You're wasting my time, the quote is wrong.",
        "I'll try and reach out to you tomorrow with the corrected quote.",
    );
    let found = rules_at(&analyzer, &t, "");
    assert!(found.contains(&("action.specific".into(), 1)), "{found:?}");
    assert!(!found.iter().any(|(r, _)| r == "action.vague"), "{found:?}");
    assert!(found.contains(&("distress.emotion".into(), 0)), "{found:?}");
    assert!(
        !found.iter().any(|(r, _)| r == "distress.stakes"),
        "{found:?}"
    );
    // the hedge with no time is still vague
    let bare = pair("The quote is wrong.", "We'll try to get it fixed.");
    assert!(rules_at(&analyzer, &bare, "action.vague").len() == 1);
}

#[test]
fn policy_named_late_in_a_call_with_no_problem_refuses_nothing() {
    let analyzer = Analyzer::new();
    let mut t = sales_call("Sure, it's a P.O. box.");
    t = t.with_turn(Turn::new(
        Role::Agent,
        "We can't provide the quote based on the P.O. box.",
    ));
    assert!(rules_at(&analyzer, &t, "procedural").is_empty());
    // the same refusal answering a problem is policy-speak
    let complaint = pair(
        "You charged me twice and I want it back.",
        "We can't refund the charge.",
    );
    assert!(!rules_at(&analyzer, &complaint, "procedural").is_empty());
}

#[test]
fn a_broadcast_in_the_room_and_a_feeling_in_a_condition_are_not_distress() {
    let analyzer = Analyzer::new();
    let tv = Transcript::new("t")
        .with_turn(Turn::new(Role::Agent, "And the make and model?"))
        .with_turn(Turn::new(
            Role::Customer,
            "Show us why these gadgets never work.",
        ))
        .with_turn(Turn::new(Role::Customer, "Wow, that's terrible."))
        .with_turn(Turn::new(Role::Agent, "Okay, and the year?"));
    assert!(rules_at(&analyzer, &tv, "distress").is_empty());
    let hypothetical = pair(
        "It can still spread even if you never ran a fever or felt sick.",
        "Okay.",
    );
    assert!(rules_at(&analyzer, &hypothetical, "distress").is_empty());
    // said of the service, the same words are distress
    let said = pair("Wow, that's terrible service.", "Okay.");
    assert!(!rules_at(&analyzer, &said, "distress").is_empty());
}

/// A call that raised a problem at its start (a bill), then sixteen turns of
/// routine questions, then the agent's question `asked` and the customer's
/// answer `answer`.
fn call_with_problem<'a>(asked: &'a str, answer: &'a str) -> Transcript<'a> {
    details_taken("My bill went up again this month.")
        .with_turn(Turn::new(Role::Agent, asked))
        .with_turn(Turn::new(Role::Customer, "Yes."))
        .with_turn(Turn::new(Role::Customer, answer))
        .with_turn(Turn::new(
            Role::Agent,
            "Okay. And is the house in your name now?",
        ))
}

/// A call opened by the customer's `opening` and the agent pulling the
/// account up, then eight calm rounds of details taken down.
fn details_taken(opening: &str) -> Transcript<'_> {
    let mut t = Transcript::new("call")
        .with_turn(Turn::new(Role::Customer, opening))
        .with_turn(Turn::new(Role::Agent, "Let me pull up the account."));
    for _ in 0..8 {
        t = t
            .with_turn(Turn::new(
                Role::Agent,
                "And the date of birth on the account?",
            ))
            .with_turn(Turn::new(Role::Customer, "Sure, it's the same."));
    }
    t
}

#[test]
fn a_stake_told_in_answer_to_a_routine_question_on_a_call_is_not_distress() {
    let analyzer = Analyzer::new();
    // decision 11: an old bereavement or a job lost, told calmly in answer
    // to the agent's question, is not distress about the service
    for answer in [
        "My husband just died here not too long ago.",
        "Like I said, I'm laid off and waiting on the first unemployment check.",
    ] {
        let t = call_with_problem(
            "And you're the only driver in the house, is that right?",
            answer,
        );
        assert!(rules_at(&analyzer, &t, "distress").is_empty(), "{answer}");
        assert!(
            rules_at(&analyzer, &t, "empathy_gap").is_empty(),
            "{answer}"
        );
    }
    // the same stake aimed at the company, or not asked for, is distress
    let aimed = call_with_problem(
        "And you're the only driver in the house, is that right?",
        "My husband just died and you still sent his bill.",
    );
    assert!(!rules_at(&analyzer, &aimed, "distress").is_empty());
    let unasked = call_with_problem(
        "Okay, I've noted that.",
        "My husband just died here not too long ago.",
    );
    assert!(!rules_at(&analyzer, &unasked, "distress").is_empty());
}

#[test]
fn a_script_read_before_the_customer_speaks_is_no_policy_speak() {
    let analyzer = Analyzer::new();
    let rule =
        "Our guidelines require all customers to provide proof of ownership for every vehicle.";
    let mut t = Transcript::new("call");
    for opening in [
        "This call may be recorded to help us train our staff.",
        "By requesting a quote you agree to our terms.",
        "We take your privacy seriously.",
        rule,
    ] {
        t = t.with_turn(Turn::new(Role::Agent, opening));
    }
    let t = t
        .with_turn(Turn::new(
            Role::Customer,
            "Hi, I'd like a quote for my car.",
        ))
        .with_turn(Turn::new(Role::Agent, "Sure, what's the zip code?"));
    assert!(rules_at(&analyzer, &t, "procedural").is_empty());
    // the same rule said to a customer's request is policy-speak
    let answer = pair("Can you insure my brother's car on my policy?", rule);
    assert!(!rules_at(&analyzer, &answer, "procedural").is_empty());
}

#[test]
fn work_done_deep_in_a_call_as_it_is_said_is_no_vague_promise() {
    let analyzer = Analyzer::new();
    for said in [
        "So I'll have a look at all the other quotes on offer for you.",
        "I'm going to go over the coverages with you and then let you know what your price is.",
        "So I'll email you a.",
    ] {
        let deep = call_with_problem("And what's the zip code at that address?", "It's 43210.")
            .with_turn(Turn::new(Role::Agent, said));
        assert!(
            rules_at(&analyzer, &deep, "action.vague").is_empty(),
            "{said}: {:?}",
            rules_at(&analyzer, &deep, "action")
        );
    }
    // in a short exchange the same hedge promises later work with no time
    let short = pair(
        "My bill went up and I want it lower.",
        "I'll have a look at all the other quotes on offer for you.",
    );
    assert!(!rules_at(&analyzer, &short, "action.vague").is_empty());
}

#[test]
fn effort_talk_on_a_sales_call_opens_the_quote_and_is_no_vague_promise() {
    let analyzer = Analyzer::new();
    for said in [
        "I'll do my very best for you on the premium.",
        "Right, let's see what we can come up with for you.",
    ] {
        let sale = sales_call("Sure, it's a P.O. box.").with_turn(Turn::new(Role::Agent, said));
        assert!(
            rules_at(&analyzer, &sale, "action.vague").is_empty(),
            "{said}: {:?}",
            rules_at(&analyzer, &sale, "action")
        );
        // where the customer raised a problem, the same hedge is a vague promise
        let complaint =
            call_with_problem("And what's the zip code at that address?", "It's 43210.")
                .with_turn(Turn::new(Role::Agent, said));
        assert!(
            !rules_at(&analyzer, &complaint, "action.vague").is_empty(),
            "{said}"
        );
    }
}

#[test]
fn a_hedge_right_after_a_calm_answer_deep_in_a_call_moves_the_call_on() {
    let analyzer = Analyzer::new();
    let hedge = "Right, let's see what we can come up with for you.";
    // the problem was raised at the start; the customer has just answered
    // the agent's question with nothing new: the hedge opens work done on
    // the call, judged from what came before it only
    let answered = details_taken("My bill went up again this month.")
        .with_turn(Turn::new(
            Role::Agent,
            "Any accidents in the last three years?",
        ))
        .with_turn(Turn::new(Role::Customer, "One."))
        .with_turn(Turn::new(Role::Customer, "My fault."))
        .with_turn(Turn::new(Role::Agent, hedge));
    assert!(
        rules_at(&analyzer, &answered, "action.vague").is_empty(),
        "{:?}",
        rules_at(&analyzer, &answered, "action")
    );
    // the same hedge answering a complaint just made is a vague promise
    let complained = details_taken("My bill went up again this month.")
        .with_turn(Turn::new(
            Role::Agent,
            "Any accidents in the last three years?",
        ))
        .with_turn(Turn::new(
            Role::Customer,
            "No, and I'm sick of paying more every month for the same cover.",
        ))
        .with_turn(Turn::new(Role::Agent, hedge));
    assert!(!rules_at(&analyzer, &complained, "action.vague").is_empty());
    // and so is it where the agent asked nothing before it
    let unasked = details_taken("My bill went up again this month.")
        .with_turn(Turn::new(Role::Agent, "Right, I can see the account."))
        .with_turn(Turn::new(Role::Customer, "Okay."))
        .with_turn(Turn::new(Role::Agent, hedge));
    assert!(!rules_at(&analyzer, &unasked, "action.vague").is_empty());
}

#[test]
fn a_bare_apology_for_a_slip_deep_in_a_calm_call_is_no_apology() {
    let analyzer = Analyzer::new();
    // the agent misheard a town and puts it right: a courtesy for the
    // agent's own slip (decision 11)
    let slip = sales_call("No, it's Dunmore, not Dunmow.")
        .with_turn(Turn::new(Role::Agent, "Sorry about that."))
        .with_turn(Turn::new(Role::Agent, "I apologize."))
        .with_turn(Turn::new(Role::Agent, "Well, I do apologize, ma'am."));
    assert!(rules_at(&analyzer, &slip, "apology").is_empty());
    // the same words after the customer names a problem are an apology
    let owned = sales_call("You charged my card twice for the last payment.")
        .with_turn(Turn::new(Role::Agent, "Sorry about that."));
    assert!(rules_at(&analyzer, &owned, "apology.sincere").len() == 1);
    // and so are they to a customer who was upset on the call
    let upset = sales_call("This is ridiculous, I'm furious with you people.")
        .with_turn(Turn::new(Role::Customer, "No, Dunmore."))
        .with_turn(Turn::new(Role::Agent, "Sorry about that."));
    assert!(!rules_at(&analyzer, &upset, "apology.sincere").is_empty());
}

#[test]
fn a_slip_put_right_in_words_deep_in_a_calm_call_is_no_apology() {
    let analyzer = Analyzer::new();
    // the agent corrects their own talk: a carrier not noticed, a figure
    // quoted on the wrong basis, a date misread (decision 11)
    for said in [
        "Sorry, I didn't realize you were with Northfield Mutual.",
        "Sorry, that was without the bundle discount.",
        "Oh, I apologize, I misread the start date there.",
    ] {
        let slip = sales_call("We've been with them about six years.")
            .with_turn(Turn::new(Role::Agent, said));
        assert!(rules_at(&analyzer, &slip, "apology").is_empty(), "{said}");
        // to a customer upset on the call, the same words own a miss
        let upset = sales_call("This is ridiculous, I'm furious with you people.")
            .with_turn(Turn::new(Role::Customer, "We've been with them six years."))
            .with_turn(Turn::new(Role::Agent, said));
        assert!(
            !rules_at(&analyzer, &upset, "apology").is_empty(),
            "{said}: {:?}",
            rules_at(&analyzer, &upset, "")
        );
    }
}

#[test]
fn work_narrated_on_a_call_is_no_promise_and_no_commitment() {
    let analyzer = Analyzer::new();
    // details typed in as the export shows them: no act the customer can
    // count on
    for said in [
        "Let me change the town to [LOCATION].",
        "I'm just going to put a start date of [DATE] on this to get the quote going.",
    ] {
        let call = sales_call("It's the new address now.").with_turn(Turn::new(Role::Agent, said));
        assert!(rules_at(&analyzer, &call, "action").is_empty(), "{said}");
    }
    // the same verb on a request is an act
    let act = pair(
        "Can you move my delivery to Friday?",
        "Let me change this to Friday for you now.",
    );
    assert!(!rules_at(&analyzer, &act, "action.specific").is_empty());
    // a recorded greeting routing the call promises nothing
    let greeting = Transcript::new("ivr")
        .with_turn(Turn::new(Role::Agent, "Thank you for calling."))
        .with_turn(Turn::new(
            Role::Agent,
            "We're working to match you with the best agent.",
        ));
    assert!(rules_at(&analyzer, &greeting, "action").is_empty());
}

#[test]
fn a_bare_recap_deep_in_a_calm_call_is_no_lecture() {
    let analyzer = Analyzer::new();
    let recap = sales_call("How much would I save?").with_turn(Turn::new(
        Role::Agent,
        "And like I said, that'll save you $200 on the year.",
    ));
    assert!(rules_at(&analyzer, &recap, "language.patronizing").is_empty());
}

#[test]
fn a_calls_recorded_hold_message_promises_nothing() {
    let analyzer = Analyzer::new();
    // the hold loop transcribed as the agent's words, after a complaint
    let hold = pair(
        "My claim has been stuck for weeks.",
        "Let me check on that.",
    )
    .with_turn(Turn::new(
        Role::Agent,
        "Your call is really important to us.",
    ))
    .with_turn(Turn::new(
        Role::Agent,
        "Our agents will be with you as soon as possible.",
    ));
    assert!(rules_at(&analyzer, &hold, "action.vague").is_empty());
    // the agent's own words after the customer speaks again are judged
    let live = hold
        .with_turn(Turn::new(Role::Customer, "Hello? Is anyone there?"))
        .with_turn(Turn::new(
            Role::Agent,
            "Sorry about that. We'll sort it out as soon as possible.",
        ));
    assert!(!rules_at(&analyzer, &live, "action.vague").is_empty());
}

#[test]
fn a_transcripts_note_of_a_recording_is_that_row_only() {
    let analyzer = Analyzer::new();
    // the transcript marks the recording in brackets: its promise is no
    // promise of the agent's, and the agent back on the line is judged
    let t = pair(
        "The engineer still isn't here and the freezer is warming up.",
        "Bear with me just a second.",
    )
    .with_turn(Turn::new(
        Role::Agent,
        "[recorded message: 'Thank you for holding. We'll sort it out as soon as possible.']",
    ))
    .with_turn(Turn::new(
        Role::Agent,
        "Thanks for holding. I've booked the engineer for 11am today.",
    ));
    let found = rules_at(&analyzer, &t, "action");
    assert!(!found.iter().any(|(_, turn)| *turn == 2), "{found:?}");
    assert!(
        found.contains(&("action.specific".to_string(), 3)),
        "{found:?}"
    );
    // the same words without the brackets are the agent's own
    let said = pair(
        "The engineer still isn't here and the freezer is warming up.",
        "Thank you for holding. We'll sort it out as soon as possible.",
    );
    assert!(!rules_at(&analyzer, &said, "action.vague").is_empty());
}

#[test]
fn a_detail_read_back_after_sorry_is_no_apology() {
    let analyzer = Analyzer::new();
    // an export's placeholder right after "sorry": the agent putting right
    // their own reading of a figure, an address or a date
    for said in [
        "I'm sorry. $[MONEY_AMOUNT] a month, which is still a big saving.",
        "The email is [EMAIL_ADDRESS] sorry, [EMAIL_ADDRESS].",
        "Right, sorry, [PERSON_NAME], it's [DATE_OF_BIRTH].",
    ] {
        let call = pair("It's the one on the letter.", said);
        assert!(rules_at(&analyzer, &call, "apology").is_empty(), "{said}");
    }
    let owned = pair(
        "You lost my parcel.",
        "Sorry, [PERSON_NAME], we lost your parcel and I've sent a new one.",
    );
    assert_eq!(rules_at(&analyzer, &owned, "apology.sincere").len(), 1);
}

#[test]
fn the_policy_read_out_deep_in_a_calm_call_is_no_policy_speak() {
    let analyzer = Analyzer::new();
    // a problem named early on does not make the cover read out later a
    // refusal: the turn it follows names none
    let read_out = sales_call("My last insurer overcharged me and the refund never came.")
        .with_turn(Turn::new(Role::Customer, "Okay, go on."))
        .with_turn(Turn::new(
            Role::Agent,
            "Towing is in. Rental and funeral expenses are not included in the policy.",
        ));
    assert!(rules_at(&analyzer, &read_out, "procedural.policy_as_reason").is_empty());
    // a refusal in the agent's own words answers the request made earlier
    let refused = sales_call("I want a refund for the opened blender.")
        .with_turn(Turn::new(Role::Customer, "Okay, go on."))
        .with_turn(Turn::new(
            Role::Agent,
            "Per our policy we cannot refund opened items.",
        ));
    assert!(!rules_at(&analyzer, &refused, "procedural.policy_as_reason").is_empty());
    // the same words answering a problem the customer just raised are the
    // policy given as the reason
    let refusal = sales_call("Fine.")
        .with_turn(Turn::new(
            Role::Customer,
            "You refused my windscreen claim and I want my money back.",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "Windscreens are not included in the policy.",
        ));
    assert!(!rules_at(&analyzer, &refusal, "procedural.policy_as_reason").is_empty());
}

#[test]
fn someone_elses_words_retold_without_marks_promise_nothing() {
    let analyzer = Analyzer::new();
    let asked = "Can you cancel the old policy for me?";
    // a transcript of speech has no quotation marks: what the other company
    // will say is theirs, not the agent's promise
    let retold = pair(
        asked,
        "If they give me any trouble, they'll probably say, well, we're going to call you to verify it.",
    );
    assert!(rules_at(&analyzer, &retold, "action").is_empty());
    // the agent's own words, and the agent's own "I'd say,", are theirs
    let own = pair(asked, "We're going to call you tomorrow to verify it.");
    assert!(!rules_at(&analyzer, &own, "action.specific").is_empty());
    let hedge = pair(
        asked,
        "I'd say, we're going to call you tomorrow to verify it.",
    );
    assert!(!rules_at(&analyzer, &hedge, "action.specific").is_empty());
}

#[test]
fn a_pardon_for_the_agents_own_pace_after_a_but_is_no_apology() {
    let analyzer = Analyzer::new();
    let pace = pair(
        "It's Smith, S, M, I, T, H, then the second name.",
        "I'm sorry, sir, again, I'm doing my best here, but I'm not quite keeping up with you.",
    );
    assert!(rules_at(&analyzer, &pace, "apology").is_empty());
    let refusal = pair(
        "My parcel is two weeks late.",
        "I'm sorry about that, but we can't refund it.",
    );
    assert!(!rules_at(&analyzer, &refusal, "apology.but").is_empty());
}

/// A call that names a problem at its start, then talks calmly: the
/// customer's `story` deep in it and the agent's `reply`.
fn story_deep_in_a_call<'a>(story: &'a str, reply: &'a str) -> Transcript<'a> {
    details_taken("I have a question about my bill.")
        .with_turn(Turn::new(Role::Customer, story))
        .with_turn(Turn::new(Role::Agent, reply))
}

#[test]
fn a_feeling_word_answering_small_talk_deep_in_a_call_validates_nothing() {
    let analyzer = Analyzer::new();
    let story = "I know people who've been married four times and they're not even forty.";
    let reply = "That's scary. That's a lot of weddings.";
    let t = story_deep_in_a_call(story, reply);
    assert!(rules_at(&analyzer, &t, "empathy.validation").is_empty());
    // answering a worried customer, the same words validate
    let worried = pair(
        "I'm so worried, my card was charged twice!",
        "That's scary. Let me fix it for you now.",
    );
    assert!(!rules_at(&analyzer, &worried, "empathy.validation").is_empty());
}

#[test]
fn the_agents_story_answering_calm_talk_deep_in_a_call_is_no_excuse() {
    // (a model bar of 1% reads nearly any statement as an excuse: what is
    // tested is the call's context, not the model)
    let mut config = tactful::Config::default();
    config.excuse_model.threshold = Some(1);
    let analyzer = Analyzer::from_config(&config).unwrap();
    let story = "With all the time the other agent has put in, I'd feel I should go with her.";
    let reply = "Trust me, I've spent hours working up quotes and had another agent take the sale.";
    let t = story_deep_in_a_call(story, reply);
    assert!(rules_at(&analyzer, &t, "excuse.implied").is_empty());
    // answering a problem, the model's reading stands
    let upset = pair("My claim was refused and I'm furious.", reply);
    assert!(!rules_at(&analyzer, &upset, "excuse.implied").is_empty());
}

#[test]
fn the_agents_aside_answering_calm_talk_deep_in_a_call_talks_down_to_no_one() {
    // (as above, a model bar of 1%: what is tested is the call's context)
    let mut config = tactful::Config::default();
    config.patronizing_model.threshold = Some(1);
    let analyzer = Analyzer::from_config(&config).unwrap();
    let story = "Everybody on the telly says they'll save me a fortune if I switch.";
    let reply = "Well, at the bottom of every advert there's that tiny print nobody can read.";
    let t = story_deep_in_a_call(story, reply);
    assert!(rules_at(&analyzer, &t, "language.patronizing").is_empty());
    // answering a problem, the model's reading stands
    let upset = pair("My claim was refused and I'm furious.", reply);
    assert!(!rules_at(&analyzer, &upset, "language.patronizing").is_empty());
}

#[test]
fn a_consent_disclosure_read_from_the_script_is_no_policy_of_the_agents() {
    // (a model bar of 1% reads nearly any statement as policy-speak: what is
    // tested is the disclosure setting the models aside)
    let mut config = tactful::Config::default();
    config.procedural_model.threshold = Some(1);
    let analyzer = Analyzer::from_config(&config).unwrap();
    let disclosure = "While your consent is not required to get a quote, we have your permission to text you offers on this number.";
    let t = pair("My premium went up again and I'm furious.", disclosure);
    assert!(rules_at(&analyzer, &t, "procedural.implied").is_empty());
    // the same bar reads the agent's own rule as policy-speak
    let rule = "Quotes are only valid on the day they are given.";
    let t = pair("My premium went up again and I'm furious.", rule);
    assert!(!rules_at(&analyzer, &t, "procedural.implied").is_empty());
}

#[test]
fn a_short_goodbye_row_deep_in_a_call_is_no_vague_promise() {
    let analyzer = Analyzer::new();
    for said in ["We'll be in touch.", "Speak soon."] {
        let deep = call_with_problem("And what's the zip code at that address?", "It's 43210.")
            .with_turn(Turn::new(Role::Agent, said));
        assert!(
            rules_at(&analyzer, &deep, "action.vague").is_empty(),
            "{said}: {:?}",
            rules_at(&analyzer, &deep, "action")
        );
    }
    // in a written reply to a problem the same words promise contact with no time
    let short = pair(
        "My bill went up and nobody has explained why.",
        "We'll be in touch.",
    );
    assert!(!rules_at(&analyzer, &short, "action.vague").is_empty());
    // and a longer row deep in the call that promises contact stays vague
    let longer = call_with_problem("And what's the zip code at that address?", "It's 43210.")
        .with_turn(Turn::new(
            Role::Agent,
            "Someone from our claims team will be in touch about it.",
        ));
    assert!(!rules_at(&analyzer, &longer, "action.vague").is_empty());
}

#[test]
fn a_phone_menus_thanks_thank_no_one_and_the_live_agent_after_a_hand_over_does() {
    let analyzer = Analyzer::new();
    let menu = |rows: &[&'static str]| {
        rows.iter().fold(Transcript::new("call"), |t, r| {
            t.with_turn(Turn::new(Role::Agent, *r))
        })
    };
    // the keypad prompt, then the recording's own thanks: no credit
    let t = menu(&[
        "If you are calling from Ohio, press 1.",
        "Please enter your home's five digit zip code.",
        "Thanks for calling Acme, where you're in good hands.",
        "Please choose from the following options.",
    ])
    .with_turn(Turn::new(Role::Customer, "Hi, I need a quote."));
    let found = rules_at(&analyzer, &t, "courtesy.thanks");
    assert!(found.is_empty(), "{found:?}");
    // the menu hands over to a person: that person's thanks is credited
    let t = menu(&[
        "If you're a homeowner, please press 1.",
        "I'm now connecting you with a licensed agent in your area.",
        "Thanks for calling Acme. This is Dana.",
    ])
    .with_turn(Turn::new(Role::Customer, "Hi Dana, I need a quote."));
    let found = rules_at(&analyzer, &t, "courtesy.thanks");
    assert!(
        found.contains(&("courtesy.thanks".to_string(), 2)),
        "{found:?}"
    );
    // and a live agent's thanks after the customer has spoken is the agent's
    let t = menu(&["Please enter your billing zip code."])
        .with_turn(Turn::new(Role::Customer, "It's 43210."))
        .with_turn(Turn::new(Role::Agent, "Thank you. How can I help today?"));
    let found = rules_at(&analyzer, &t, "courtesy.thanks");
    assert!(
        found.contains(&("courtesy.thanks".to_string(), 2)),
        "{found:?}"
    );
}

/// The distressed customer's words, then agent rows until the next customer
/// turn.
fn transferred<'a>(rows: &[&'a str]) -> Transcript<'a> {
    let mut t = Transcript::new("transfer").with_turn(Turn::new(
        Role::Customer,
        "You're wasting my time, this is the third time I've been passed around!!",
    ));
    for r in rows {
        t = t.with_turn(Turn::new(Role::Agent, *r));
    }
    t.with_turn(Turn::new(Role::Customer, "Hello? Yes, I'm here."))
}

#[test]
fn what_was_said_to_a_recording_is_not_a_gap_of_the_agent_who_picks_up() {
    let analyzer = Analyzer::new();
    // the reply plays the transfer's recorded message: the live agent after
    // it never heard the complaint
    let t = transferred(&[
        "Please stay on the line while we transfer your call.",
        "Your call may be monitored or recorded for quality assurance.",
        "Hi, this is Dana with Acme, who do I have the pleasure of speaking with?",
    ]);
    assert!(rules_at(&analyzer, &t, "empathy_gap").is_empty());
    // the same live agent's words with no recording are a reply, and a gap
    let t =
        transferred(&["Hi, this is Dana with Acme, who do I have the pleasure of speaking with?"]);
    assert_eq!(
        rules_at(&analyzer, &t, "empathy_gap"),
        [("empathy_gap.no_acknowledgment".to_string(), 1)]
    );
    // a transcript's bracketed hold note is the same agent coming back: judged
    let t = transferred(&[
        "Let me check that.",
        "[hold music]",
        "Right, what's your postcode?",
    ]);
    assert_eq!(rules_at(&analyzer, &t, "empathy_gap").len(), 1);
    // and the live chat reports what the batch analysis reports
    let rows = [
        "Please stay on the line while we transfer your call.",
        "Hi, this is Dana with Acme, who do I have the pleasure of speaking with?",
    ];
    let t = transferred(&rows);
    let mut chat = tactful::Conversation::new(&analyzer);
    let mut live = Vec::new();
    for turn in &t.turns {
        live.extend(chat.push(turn.role, &turn.text));
    }
    live.extend(chat.finish());
    assert!(live.iter().all(|f| !f.rule.starts_with("empathy_gap")));
    assert!(rules_at(&analyzer, &t, "empathy_gap").is_empty());
}

/// A call upset at its start, then calm details, the customer's `last` turn
/// and the agent's remark about fine print.
fn fine_print_call(last: &str) -> Transcript<'_> {
    let t = Transcript::new("fine-print")
        .with_turn(Turn::new(
            Role::Agent,
            "Thanks for calling, who am I speaking with?",
        ))
        .with_turn(Turn::new(
            Role::Customer,
            "This is ridiculous, I've been on hold for forty minutes!!",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "I'm sorry about the wait. Let's get you a quote.",
        ));
    let t = calm_details(t);
    t.with_turn(Turn::new(Role::Customer, last))
        .with_turn(Turn::new(
        Role::Agent,
        "Down at the bottom of all of them there's that teeny little print you can't even read.",
    ))
}

#[test]
fn the_agents_own_talk_after_a_calm_run_is_no_lesson_whatever_came_before() {
    let analyzer = Analyzer::new();
    // deep in a call that was upset at its start, the agent's talk after the
    // customer's calm run talks down to no one
    let t = fine_print_call("On everybody's adverts, yeah.");
    assert!(rules_at(&analyzer, &t, "language.patronizing").is_empty());
    // the same words answering a complaint are still read by the model
    let t = fine_print_call("You charged me twice this month and I want a refund now!!");
    assert_eq!(
        rules_at(&analyzer, &t, "language.patronizing"),
        [("language.patronizing".to_string(), 20)]
    );
}

#[test]
fn the_post_call_surveys_thanks_and_the_agents_own_name_are_not_credited() {
    let analyzer = Analyzer::new();
    // the survey the call hands over to thanks no one
    let t = Transcript::new("call")
        .with_turn(Turn::new(Role::Customer, "Thank you."))
        .with_turn(Turn::new(Role::Agent, "Bye bye."))
        .with_turn(Turn::new(
            Role::Agent,
            "Please remain on the line for a brief survey.",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "Thank you for agreeing to answer a few questions about today's call.",
        ));
    let found = rules_at(&analyzer, &t, "courtesy.thanks");
    assert!(!found.iter().any(|(_, turn)| *turn == 3), "{found:?}");
    // the agent answering the call with their own name addresses no one
    let t = Transcript::new("call")
        .with_turn(Turn::new(Role::Customer, "Hello?"))
        .with_turn(Turn::new(
            Role::Agent,
            "Yes, [PERSON_NAME] with [ORGANIZATION].",
        ));
    assert!(rules_at(&analyzer, &t, "courtesy.name").is_empty());
    // the same placeholder addressing the customer is their name
    let t = Transcript::new("call")
        .with_turn(Turn::new(Role::Customer, "Hello?"))
        .with_turn(Turn::new(
            Role::Agent,
            "Okay, [PERSON_NAME], that is not a problem.",
        ));
    assert!(!rules_at(&analyzer, &t, "courtesy.name").is_empty());
}

/// Before the customer has spoken, a greeting of a few words that closes
/// on a name ("Lettings desk, Priya.") is the agent giving their own; a
/// name the agent says to the customer later is credited.
#[test]
fn a_name_closing_the_opening_greeting_is_the_agents_own() {
    let analyzer = Analyzer::default();
    let t = Transcript::new("t")
        .with_turn(Turn::new(Role::Agent, "Lettings desk, Priya."))
        .with_turn(Turn::new(
            Role::Customer,
            "Hi, this is Marguerite, flat 3. The boiler's out again.",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "I'm sorry, Marguerite. An engineer will be with you by 2pm today.",
        ));
    let found = rules_at(&analyzer, &t, "courtesy.name");
    assert_eq!(found, [("courtesy.name".to_string(), 2)], "{found:?}");
}

/// The same greeting with more said after it ("Boatyard office, Tam. Sorry
/// to keep you.") is still the agent's own name; a salutation opening the
/// first message ("Hi Jerome! Your helmet is ready.") is the customer's.
#[test]
fn a_name_closing_the_greetings_first_sentence_is_the_agents_own() {
    let analyzer = Analyzer::default();
    let own = Transcript::new("t")
        .with_turn(Turn::new(
            Role::Agent,
            "Boatyard office, Tam. Sorry to keep you.",
        ))
        .with_turn(Turn::new(
            Role::Customer,
            "No bother. Is my mooring paid up?",
        ));
    let found = rules_at(&analyzer, &own, "courtesy.name");
    assert!(found.is_empty(), "{found:?}");
    let salutation = Transcript::new("t")
        .with_turn(Turn::new(
            Role::Agent,
            "Hi Jerome! Your helmet is ready for pickup.",
        ))
        .with_turn(Turn::new(Role::Customer, "Great, see you tomorrow."));
    let found = rules_at(&analyzer, &salutation, "courtesy.name");
    assert_eq!(found, [("courtesy.name".to_string(), 0)], "{found:?}");
}
