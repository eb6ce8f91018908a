//! Behaviour of every detector on positive, negative and hard cases from the
//! category guide. Each case is a tiny transcript: turns separated by `|`,
//! each `C:` (customer), `A:` (agent) or `S:` (system).

use std::sync::LazyLock;
use tactful::{Analyzer, Role, Transcript, Turn};

/// Built once: building compiles every phrase list.
static ANALYZER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);

fn transcript(spec: &str) -> Transcript<'_> {
    let mut t = Transcript::new("case");
    for part in spec.split(" | ") {
        let (role, text) = part.split_once(": ").expect("role: text");
        let role = match role.trim() {
            "C" => Role::Customer,
            "A" => Role::Agent,
            "S" => Role::System,
            other => panic!("bad role {other}"),
        };
        t.turns.push(Turn::new(role, text));
    }
    t
}

/// (rule, flagged text) pairs found in the transcript.
fn found(spec: &str) -> Vec<(String, String)> {
    let analyzer = &*ANALYZER;
    let t = transcript(spec);
    let report = analyzer.analyze(&t);
    report
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

fn has(spec: &str, rule: &str) -> bool {
    found(spec)
        .iter()
        .any(|(r, _)| r == rule || r.starts_with(&format!("{rule}.")))
}

#[track_caller]
fn assert_has(spec: &str, rule: &str) {
    assert!(
        has(spec, rule),
        "expected {rule} in {spec:?}, found {:?}",
        found(spec)
    );
}

#[track_caller]
fn assert_not(spec: &str, rule: &str) {
    assert!(
        !has(spec, rule),
        "did not expect {rule} in {spec:?}, found {:?}",
        found(spec)
    );
}

#[track_caller]
fn assert_span(spec: &str, rule: &str, text: &str) {
    let f = found(spec);
    assert!(
        f.iter().any(|(r, t)| r == rule && t == text),
        "expected {rule} at {text:?} in {spec:?}, found {f:?}"
    );
}

// ------------------------------------------------------------------ apology

#[test]
fn sincere_apologies() {
    for s in [
        "A: I'm sorry we lost your bag.",
        "A: I apologize for the delay.",
        "A: We're sorry — this is on us.",
        "A: Sorry for the long wait!",
        "A: Sorry!",
        "A: Apologies!",
        "A: Sorry for the mix-up, I've fixed it.",
        "A: I'm so sorry for the confusion our email caused.",
        "A: Please accept my apology for the late delivery.",
        "A: You're owed an apology for how that call went.",
        // "didn't get" or "didn't understand" with an act or a request as
        // the object owns a failure; only what was said is a pardon
        "A: Sorry we didn't get the parcel to you on time.",
        "A: Sorry I didn't get back to you sooner.",
        "A: Sorry we didn't understand the request at first, it's fixed now.",
    ] {
        assert_has(s, "apology.sincere");
        for bad in [
            "apology.conditional",
            "apology.deflecting",
            "apology.but",
            "apology.scripted",
        ] {
            assert_not(s, bad);
        }
    }
}

#[test]
fn conditional_apologies() {
    for s in [
        "A: Sorry if you were inconvenienced.",
        "A: I apologize if that upset you.",
        "A: We apologise if the increase was unexpected.",
        "A: If the delay caused any issues, we do apologise.",
        "A: To the extent that this caused problems, please accept our apologies.",
        "A: We apologize for any inconvenience if the parcel was late.",
        // the condition after a greeting set off by a comma
        "A: Hello Mr Aziz, to the extent that our team may have misled you, we apologise.",
        "A: Okay, well, if the fitting was rushed, I do apologise.",
    ] {
        assert_has(s, "apology.conditional");
        assert_not(s, "apology.sincere");
        assert_not(s, "apology.scripted");
    }
}

#[test]
fn deflecting_apologies() {
    for s in [
        "A: I'm sorry you feel that way.",
        "A: Sorry that you are upset.",
        "A: Sorry you think so!",
        "A: Sorry for any misunderstanding.",
        "A: Sorry for the frustration.",
        "A: We're sorry you were under the impression the fee was refundable.",
        "A: I'm sorry you came away from the visit feeling that way.",
        "A: I'm sorry it wasn't clearer to you how the allocation works.",
        "A: Apologies that this has been perceived as a fault.",
    ] {
        assert_has(s, "apology.deflecting");
        assert_not(s, "apology.sincere");
    }
}

#[test]
fn but_apologies() {
    for s in [
        "A: I'm sorry, but that's our policy.",
        "A: We apologize; however, there is nothing we can do.",
        "A: Sorry, that's not possible.",
        "A: Apologies, however we cannot refund it.",
        "A: Sorry but the offer has ended.",
        "A: I'm sorry,\nbut we can't change it.",
    ] {
        assert_has(s, "apology.but");
        assert_not(s, "apology.sincere");
    }
    // a "but" whose clause admits the company's own failure explains the
    // fault it apologizes for; one that denies it cancels the apology
    let s = "A: Sorry for the wait – the refund was approved on the 2nd but never sent, which is on us.";
    assert_has(s, "apology.sincere");
    assert_not(s, "apology.but");
    let s = "A: Sorry for the wait, but the courier lost it and that's not on us.";
    assert_has(s, "apology.but");
    // the same admission made before the "but" tells the fault; a refusal
    // after it still cancels the apology
    let s = "A: Sorry, that's our error: the sofa is on your notes but got dropped from the list.";
    assert_has(s, "apology.sincere");
    assert_not(s, "apology.but");
    let s = "A: Sorry, that was our mistake, but we can't refund the fee.";
    assert_has(s, "apology.but");
    // after a named object, a "but" that turns to help does not cancel it
    let s =
        "A: Sorry for the delays we are seeing due to demand, but you can share your details here.";
    assert_has(s, "apology.sincere");
    assert_not(s, "apology.but");
    // decision 5 (revised): a contrast opening the very next sentence and
    // turning to a refusal or an excuse cancels the apology, whatever the
    // distance in words
    for s in [
        "A: I'm sorry for the wait. Unfortunately we cannot refund it.",
        "A: I'm sorry your order is late. Unfortunately, the warehouse cannot ship it before Monday.",
        "A: I do apologise for that. However, seat allocation is handled by the system and I'm unable to override it.",
        "A: Sorry about that. But looking at the order, the restaurant took 70 minutes, so that's not on us.",
    ] {
        assert_has(s, "apology.but");
        assert_not(s, "apology.sincere");
    }
    // a refusal that comes later, after other content, leaves it sincere
    let s = "A: I'm sorry for the wait. I've checked your order and it left today. \
             Unfortunately we cannot refund the shipping.";
    assert_has(s, "apology.sincere");
    assert_not(s, "apology.but");
    // a contrast that turns to help cancels nothing
    let s = "A: I'm sorry for the wait. However, I've now sent the replacement.";
    assert_has(s, "apology.sincere");
    assert_not(s, "apology.but");
    // a politeness formula is no apology class at all
    for s in [
        "A: Sorry, but I'll be quick.",
        "A: Sorry, but could you confirm your date of birth?",
        "A: Sorry to bother you, but is this still the best number?",
        "A: Sorry, I meant $42, not $24.",
    ] {
        for class in ["apology.but", "apology.sincere"] {
            assert_not(s, class);
        }
    }
}

#[test]
fn deflecting_by_what_follows_sorry() {
    for s in [
        "A: Sorry you didn't like the change to the menu.",
        "A: I'm sorry you missed the notice about the closure.",
        "A: We're sorry that you weren't aware of the fee.",
    ] {
        assert_has(s, "apology.deflecting");
    }
    // the customer's loss is no feeling or perception: sincere
    assert_has(
        "A: I'm sorry you missed your flight because of our delay.",
        "apology.sincere",
    );
}

#[test]
fn scripted_apologies() {
    for s in [
        "A: We apologize for any inconvenience this may have caused.",
        "A: Sorry for the inconvenience.",
        "A: We regret any inconvenience.",
        "A: Sorry for any trouble.",
        "A: We apologise for any\ninconvenience caused.",
    ] {
        assert_has(s, "apology.scripted");
        assert_not(s, "apology.sincere");
    }
}

#[test]
fn not_apologies() {
    for s in [
        "A: Sorry, could you repeat the order number?",
        "A: Sorry, what was the booking reference?",
        "A: I'm not sorry.",
        "A: I won't apologize for following the rules.",
        "A: No need to apologize!",
        "A: We regret to inform you that the claim was declined.",
        // a bare singular "apology" is a speech-to-text slip ("write you out a
        // policy today" heard as "apology today"), not an apology
        "A: Yeah, apology today with the offer.",
        // condolence on a death is sympathy, not an apology for an act
        "A: We're so sorry for the loss of Rufus, he was clearly loved.",
        "A: Sorry, I didn't get that, could you say it again?",
        "A: Sorry, I didn't catch your surname.",
        // the regret of a sale that did not happen: no service failed
        "A: I'm sorry we couldn't do business this time.",
        "A: Sorry the quote wasn't as low as you'd hoped.",
    ] {
        assert_not(s, "apology");
    }
    // sympathy is empathy, not an apology class
    let s = "A: I'm sorry to hear that.";
    assert_not(s, "apology");
    assert_has(s, "empathy.sympathy");
}

#[test]
fn customer_apologies_are_not_agent_apologies() {
    assert_not(
        "C: Sorry for the long message, my parcel is missing.",
        "apology",
    );
}

#[test]
fn apology_spans_cover_the_expression() {
    assert_span(
        "A: I'm sorry, but that's our policy.",
        "apology.but",
        "I'm sorry, but",
    );
    assert_span(
        "A: We apologize for any inconvenience.",
        "apology.scripted",
        "We apologize for any inconvenience",
    );
}

#[test]
fn curly_apostrophes_and_case() {
    assert_has("A: I’M SORRY, BUT we can’t.", "apology.but");
    assert_has("A: I’m sorry you feel that way.", "apology.deflecting");
}

// --------------------------------------------------------------- procedural

#[test]
fn procedural_language() {
    for (s, rule) in [
        (
            "A: Per our policy, we cannot refund opened items.",
            "procedural.policy_as_reason",
        ),
        (
            "A: Company policy states that refunds take 30 days.",
            "procedural.policy_as_reason",
        ),
        (
            "A: The system won't let me change the date.",
            "procedural.system_as_authority",
        ),
        (
            "A: You will need to submit a new ticket.",
            "procedural.bureaucratic_handoff",
        ),
        (
            "A: That's not my department.",
            "procedural.bureaucratic_handoff",
        ),
        (
            "A: There's nothing I can do.",
            "procedural.refusal_without_alternative",
        ),
        (
            "A: Please be advised that your claim has been closed.",
            "procedural.template_formality",
        ),
        (
            "A: Kindly note that refunds are not possible after 30 days.",
            "procedural.template_formality",
        ),
    ] {
        assert_has(s, rule);
    }
}

#[test]
fn procedural_hard_cases() {
    // naming a policy to grant something
    assert_not(
        "A: Our policy lets me refund you in full today.",
        "procedural.policy_as_reason",
    );
    // negated
    assert_not(
        "A: This is not a policy issue, I'll fix it now.",
        "procedural",
    );
    // quoted by the customer: customer turns are not judged for policy-speak
    assert_not("C: You said \"per our policy\" last time!", "procedural");
    // line breaks and extra spaces inside a phrase
    assert_has(
        "A: Per  our\npolicy we can't.",
        "procedural.policy_as_reason",
    );
    // the same phrase twice is reported twice
    let twice = found("A: Per our policy, no. Per our policy, still no.");
    assert_eq!(
        twice
            .iter()
            .filter(|(r, _)| r == "procedural.policy_as_reason")
            .count(),
        2,
        "{twice:?}"
    );
}

// ------------------------------------------------------------------- excuse

#[test]
fn excuses() {
    for (s, rule) in [
        ("A: That's the courier's fault.", "excuse.third_party_blame"),
        (
            "A: Due to circumstances beyond our control the flight was cancelled.",
            "excuse.circumstances",
        ),
        (
            "A: Because of the high volume of calls, we are slow.",
            "excuse.circumstances",
        ),
        (
            "A: You should have read the terms.",
            "excuse.blaming_customer",
        ),
        ("A: It's not our fault.", "excuse.denial"),
        ("A: It's only a small delay.", "excuse.minimizing"),
    ] {
        assert_has(s, rule);
    }
}

#[test]
fn excuse_hard_cases() {
    assert_not("A: It's not your fault at all, I'll sort it.", "excuse");
    assert_not(
        "A: I'm not making excuses: we got this wrong and I've refunded you.",
        "excuse",
    );
    assert_not(
        "C: Due to circumstances beyond my control I missed the call.",
        "excuse",
    );
}

// ----------------------------------------------------- distress and empathy

#[test]
fn distress_signals() {
    for (s, rule) in [
        ("C: I am absolutely furious.", "distress.emotion"),
        (
            "C: This is the third time I'm writing.",
            "distress.repeat_contact",
        ),
        ("C: I'm cancelling my account.", "distress.churn_threat"),
        (
            "C: Your drivers are sloppy and careless!!",
            "distress.criticism",
        ),
        (
            "C: I'll be posting this on Twitter.",
            "distress.public_threat",
        ),
        (
            "C: My lawyer will hear about this.",
            "distress.legal_threat",
        ),
        ("C: The party is TOMORROW.", "distress.intensity"),
        ("C: Where is it!!!", "distress.intensity"),
        ("C: This is unacceptable.", "distress.intensity"),
    ] {
        assert_has(s, rule);
    }
}

#[test]
fn calm_reports_are_not_distress() {
    for s in [
        "C: Hi, I was charged twice for order 1182. Could you refund one?",
        "C: My parcel hasn't arrived yet, can you check? Order UPS 1Z999.",
        "C: Could you help me reset my password asap?",
        "C: Is this still on sale?! Thanks",
        // redaction placeholders of exports are not shouting
        "C: Hi, this is [PERSON_NAME] calling from [LOCATION] about [ORGANIZATION].",
        "C: It was [DURATION] [DURATION] ago, {{ORDER_ID}}.",
        // everyday uses of phrases that are distress elsewhere
        "C: I had it with Geico before, and I've been with them my whole life.",
        "C: All of them have one step up from the minimum coverage.",
        // on a call, a lone "Hello?" checks the line
        "A: Please stay on the line while we connect you. | C: Hello? | A: Hello?",
        // a stake named calmly in a question that raises no problem is
        // context (the same stake beside a problem is below)
        "C: Can my order come before 9? I start work at 9 and it's insulin.",
        "C: Recording from a hospital bed this week, chemo going fine. Can I upload from my phone?",
    ] {
        assert_not(s, "distress");
    }
    assert_has(
        "C: My card was declined at the pharmacy and I had to leave my insulin at the counter.",
        "distress.stakes",
    );
    assert_has(
        "C: The boiler has packed in and my toddler is sleeping in two jumpers.",
        "distress",
    );
    // a chaser or shouting next to a placeholder still counts
    assert_has("C: Hello?? Anyone there?", "distress.repeat_contact");
    assert_has("C: I've had it with you people.", "distress.emotion");
    assert_has("C: You need to step up.", "distress.intensity");
    assert_has(
        "C: [PERSON_NAME] here and this is UNACCEPTABLE",
        "distress.intensity",
    );
}

#[test]
fn marks_closing_praise_are_delight() {
    // "!!!" closing a sentence whose words praise and none complains
    assert_not(
        "C: Mia on chat walked me through everything in ten minutes. Best support ever!!!",
        "distress.intensity",
    );
    // the same marks on a sentence that complains still count
    assert_has("C: Worst support ever!!!", "distress.intensity");
    assert_has("C: Great, the parcel is lost again!!!", "distress");
    // letters joined to a code are a reference, not slang
    assert_not("C: Erm... TF-20931.", "distress.intensity");
    assert_has("C: tf is this", "distress.intensity");
}

#[test]
fn praise_of_a_person_and_a_glad_yes_are_delight() {
    assert_not("C: Got them. You're a LEGEND!!!", "distress.intensity");
    assert_not("C: yes please!!", "distress.intensity");
    // relief in capitals once the fix works
    assert_not("C: Hang on. GOT IT, it opened.", "distress.intensity");
    assert_has("C: I GOT NOTHING from you for weeks.", "distress.intensity");
    // a longer yes may snap back at the agent
    assert_has("C: Yes it's plugged in!! I'm not an idiot.", "distress");
}

#[test]
fn a_sorry_closing_a_refusal_is_but_and_after_a_shortage_it_is_regret() {
    let refusal = "C: Can I get a refund? | A: We can't refund that, sorry.";
    assert_has(refusal, "apology.but");
    assert_not(refusal, "apology.sincere");
    let shortage = "C: Do you have rooms for the 12th? | A: We're fully booked for those dates, sorry! We do have space from the 28th.";
    assert_has(shortage, "apology.sincere");
    assert_not(shortage, "apology.but");
}

#[test]
fn a_call_greeting_names_the_company_and_a_caller_names_herself() {
    let greeting = "A: FreshCart, you're speaking to Liam. | C: Hi, my delivery is late. | A: Let me check that for you.";
    assert_not(greeting, "courtesy.name");
    let caller = "C: hi, it's Hannah Price, just calling to book a booster | A: Done, Hannah, 4:30 on the 12th.";
    assert_span(caller, "courtesy.name", "Hannah");
    // a day is no name
    assert_not(
        "C: hi, it's Monday and still nothing | A: Sorry, Monday is a bank holiday here.",
        "courtesy.name",
    );
}

#[test]
fn empathy_gap_when_distress_is_not_acknowledged() {
    let s = "C: Third time I'm writing, this is ridiculous!! | A: Please send your order number.";
    assert_has(s, "empathy_gap");
    // the gap points at the agent turn
    let analyzer = &*ANALYZER;
    let t = transcript(s);
    let r = analyzer.analyze(&t);
    let gap = r
        .findings
        .iter()
        .find(|f| f.rule.starts_with("empathy_gap"))
        .unwrap();
    assert_eq!(gap.turn, 1);
}

#[test]
fn acknowledgment_closes_the_gap() {
    for reply in [
        "A: I understand how frustrating this is. Please send your order number.",
        "A: I'm so sorry you've had to chase us. Please send your order number.",
        "A: I'm sorry to hear that. Let me check.",
        "A: Sorry for the wait! Let me check.",
    ] {
        let s = format!("C: Third time I'm writing, this is ridiculous!! | {reply}");
        assert_not(&s, "empathy_gap");
    }
}

#[test]
fn scripted_or_but_apologies_and_thanks_do_not_acknowledge() {
    for reply in [
        "A: We apologize for any inconvenience. Please send your order number.",
        "A: I'm sorry, but we can't do anything until Monday.",
        "A: We appreciate your patience. Rest assured we are on it.",
    ] {
        let s = format!("C: I am furious, my order is a week late!! | {reply}");
        assert_has(&s, "empathy_gap");
    }
}

#[test]
fn empathy_gap_turn_rules() {
    // no distress, no gap, whatever the agent says
    assert_not(
        "C: Can I change my delivery address? | A: Per our policy, no.",
        "empathy_gap",
    );
    // distress in the last turn with no reply after it: no gap
    assert_not("C: Hi | A: Hello | C: This is ridiculous!!", "empathy_gap");
    // a reply split over several messages is judged as a whole
    assert_not(
        "C: I'm so frustrated!! | A: Let me look. | A: I understand how frustrating this is.",
        "empathy_gap",
    );
    // a later acknowledgment does not undo a miss
    assert_has(
        "C: I'm furious!! | A: Send your order number. | C: 123 | A: I understand how frustrating this is.",
        "empathy_gap",
    );
    // system turns are skipped
    assert_has(
        "C: I'm furious!! | S: An agent will join shortly. | A: Order number?",
        "empathy_gap",
    );
}

/// One positive example per rule; the test also fails if a rule is added to
/// the registry without an example here.
const EXAMPLES: &[(&str, &str)] = &[
    ("apology.but", "A: I'm sorry, but we can't do that."),
    ("apology.conditional", "A: I apologize if that upset you."),
    ("apology.deflecting", "A: I'm sorry you feel that way."),
    (
        "apology.scripted",
        "A: We apologize for any inconvenience caused.",
    ),
    ("apology.sincere", "A: I'm sorry we lost your bag."),
    (
        "distress.churn_threat",
        "C: I'm switching to another provider.",
    ),
    (
        "distress.criticism",
        "C: Your delivery drivers are careless and lazy!!",
    ),
    ("distress.emotion", "C: I'm so frustrated with this."),
    (
        "distress.implied",
        "C: Third box in a row has turned up half empty. I pay every month for this.",
    ),
    ("distress.intensity", "C: This is absolutely ridiculous."),
    (
        "distress.legal_threat",
        "C: I'll be taking you to small claims court.",
    ),
    (
        "distress.public_threat",
        "C: I'm going to leave a review about this.",
    ),
    (
        "distress.repeat_contact",
        "C: I've called three times already.",
    ),
    ("distress.stakes", "C: Because of this I missed my flight."),
    ("empathy.sympathy", "A: Sorry to hear that."),
    (
        "empathy.validation",
        "A: I can imagine how stressful that was.",
    ),
    (
        "empathy_gap.no_acknowledgment",
        "C: I'm furious, third time writing!! | A: What is your order number?",
    ),
    (
        "action.specific",
        "A: I've issued a refund of $40 to your card.",
    ),
    ("action.vague", "A: We'll look into it."),
    ("courtesy.name", "A: Hi Sarah, your order is on its way."),
    ("courtesy.thanks", "A: Thanks for letting us know."),
    (
        "language.patronizing",
        "A: As I already explained, the fee stands.",
    ),
    ("ownership.taken", "A: Leave it with me."),
    (
        "excuse.blaming_customer",
        "A: You should have checked the size guide.",
    ),
    ("excuse.circumstances", "A: We are short-staffed this week."),
    ("excuse.denial", "A: We did nothing wrong here."),
    (
        "excuse.implied",
        "C: My train was cancelled and I missed the wedding. | A: Well, the trains were delayed by the weather, which nobody controls.",
    ),
    ("excuse.minimizing", "A: This happens all the time."),
    (
        "excuse.third_party_blame",
        "A: The manufacturer is responsible for that.",
    ),
    (
        "procedural.bureaucratic_handoff",
        "A: Please refer to our FAQ.",
    ),
    (
        "procedural.implied",
        "C: I was charged twice and I want my money back now. | A: Refunds for duplicate charges are handled by the billing office once the statement closes.",
    ),
    (
        "procedural.policy_as_reason",
        "A: It is against our policy.",
    ),
    (
        "procedural.refusal_without_alternative",
        "A: Unfortunately we cannot do that.",
    ),
    (
        "procedural.system_as_authority",
        "A: I can't override the system.",
    ),
    (
        "procedural.template_formality",
        "A: We regret to inform you that it has shipped.",
    ),
];

#[test]
fn every_rule_has_a_firing_example() {
    // (`distress.tone` names the evidence of a turn distressed by its words'
    // valence alone, which the built-in threshold never is: its own test
    // below lowers the threshold; `timing.slow_reply` reads timestamps, not
    // text: tests/timing.rs)
    for rule in tactful::rule::all()
        .iter()
        .filter(|r| r.id != "distress.tone" && r.id != "timing.slow_reply")
    {
        let example = EXAMPLES
            .iter()
            .find(|(id, _)| *id == rule.id)
            .unwrap_or_else(|| panic!("no example for {}", rule.id));
        assert_span_rule(example.1, rule.id);
    }
}

#[track_caller]
fn assert_span_rule(spec: &str, rule: &str) {
    let f = found(spec);
    assert!(
        f.iter().any(|(r, _)| r == rule),
        "expected {rule} in {spec:?}, found {f:?}"
    );
}

#[test]
fn several_categories_in_one_sentence_are_all_reported() {
    let f = found("A: I'm sorry, but per our policy it's the courier's fault.");
    for rule in [
        "apology.but",
        "procedural.policy_as_reason",
        "excuse.third_party_blame",
    ] {
        assert!(f.iter().any(|(r, _)| r == rule), "{rule} missing in {f:?}");
    }
}

#[test]
fn validation_is_not_thanks_or_reassurance() {
    for s in [
        "A: We appreciate your patience.",
        "A: Thanks for bringing this up.",
        "A: Rest assured we are looking into it.",
        "A: That's not on us, the courier lost it.",
    ] {
        assert_not(s, "empathy");
    }
    for s in [
        "A: We hear you.",
        "A: I understand this isn't ideal.",
        "A: That shouldn't have happened.",
    ] {
        assert_has(s, "empathy.validation");
    }
}

/// Decision 11: a phrase counts only in the role it plays. Each line is what a
/// long sales or service call holds that is no excuse, no policy-speak and no
/// refusal: questions, hypotheticals, small talk, lists of cover, closings.
#[test]
fn talk_that_plays_no_role_is_not_flagged() {
    for (s, category) in [
        ("A: Was it your fault or not?", "excuse"),
        (
            "A: Also, if you're in an accident and it's your fault, you're covered.",
            "excuse",
        ),
        ("A: Just a brief moment while I connect you.", "excuse"),
        ("A: I'll call you back in just a little bit.", "excuse"),
        (
            "A: If you'd like to save some money, just give me a call.",
            "excuse",
        ),
        (
            "A: It protects you against fire, theft, hail and any acts of God.",
            "excuse",
        ),
        (
            "A: Have you had any claims in the last five years?",
            "excuse",
        ),
        ("A: I'm sorry I couldn't help you out today.", "procedural"),
        (
            "A: I won't be able to give you an accurate quote without all the right information.",
            "procedural",
        ),
        ("A: Ideally, that's the way it is.", "procedural"),
        (
            "A: If you believe a site breaks our terms of service, you can report it here.",
            "procedural",
        ),
        (
            "A: Would you like a copy of our returns policy?",
            "procedural",
        ),
    ] {
        let found = found(s);
        assert!(
            !found.iter().any(|(r, _)| r.starts_with(category)),
            "did not expect {category} in {s:?}, found {found:?}"
        );
    }
    // politeness formulas and slips are no apology of any class
    for s in [
        "A: I do apologize, but I'm going to try to make this quick.",
        "A: I'm so sorry, I know I asked a second ago, but do you own or rent?",
        "A: I'm sorry if I didn't hear you correctly, what limits do you want?",
        "A: I'm sorry, you're cutting out.",
        "A: I'm sorry, for your street address, did you say Elm Street.",
    ] {
        let found = found(s);
        assert!(
            !found.iter().any(|(r, _)| r.starts_with("apology.")),
            "no apology class in {s:?}, found {found:?}"
        );
    }
}

/// Families stated as patterns find wording no list spelled out.
#[test]
fn families_cover_unlisted_wording() {
    for (s, rule) in [
        ("A: As set out in section 9 of your tenancy agreement, the deposit is held for 10 days.", "procedural.policy_as_reason"),
        ("A: The portal won't allow a second amendment, sorry.", "procedural.system_as_authority"),
        ("A: You'll need to lodge the dispute with your card issuer yourself.", "procedural.bureaucratic_handoff"),
        ("A: We are regrettably unable to reimburse the fee.", "procedural.refusal_without_alternative"),
        ("A: Had you registered the warranty, this would be free.", "excuse.blaming_customer"),
        ("A: The fault was most likely introduced by the installer.", "excuse.third_party_blame"),
        ("A: Because of a stock shortage at our supplier the order is late.", "excuse.circumstances"),
    ] {
        assert_has(s, rule);
    }
}

/// Findings of one customer turn (or a customer turn after another, a
/// chaser) under a distress threshold of `threshold`.
fn customer_findings(texts: &[&str], threshold: u8) -> Vec<(String, String, usize)> {
    let mut config = tactful::Config::default();
    config.distress.threshold = threshold;
    let analyzer = tactful::Analyzer::from_config(&config).expect("valid config");
    let mut t = tactful::Transcript::new("t");
    for text in texts {
        t = t.with_turn(tactful::Turn::new(tactful::Role::Customer, *text));
    }
    analyzer
        .analyze(&t)
        .findings
        .iter()
        .map(|f| {
            let text = f.text(&t.turns[f.turn].text).to_string();
            (f.rule.to_string(), text, f.turn)
        })
        .collect()
}

#[test]
fn a_turn_distressed_by_evidence_no_phrase_names_points_at_it() {
    // the most negative word, when nothing else is named
    let f = customer_findings(&["The weather here was grim all week."], 1);
    assert_eq!(f, [("distress.tone".to_string(), "grim".to_string(), 0)]);
    // a chaser: the second message with no reply between
    let f = customer_findings(&["Order 1182 please.", "Order 1182."], 1);
    assert!(
        f.contains(&("distress.repeat_contact".into(), "Order 1182.".into(), 1)),
        "{f:?}"
    );
    // at the built-in threshold neither is distress
    assert!(customer_findings(&["The weather here was grim all week."], 50).is_empty());
    // and at a threshold above every score nothing is
    assert!(customer_findings(&["I am absolutely furious!!!"], 101).is_empty());
}

#[test]
fn a_bare_acknowledgment_taken_back_by_a_refusal_is_none() {
    for s in [
        "A: I get it, but policy is policy.",
        "A: I hear you, however the terms state that refunds are not possible.",
        "A: I get it. Unfortunately nothing can be done.",
    ] {
        assert!(!has(s, "empathy"), "{s}: {:?}", found(s));
    }
    // a full validation before a refusal still acknowledges, and so does a
    // bare one before help
    for s in [
        "A: I understand how frustrating this is, but per our policy we cannot refund.",
        "A: I hear you, I'll refund it now.",
    ] {
        assert_has(s, "empathy.validation");
    }
    // sympathy said outright is no apology a contrast cancels (decision 6)
    let s = "A: Sorry to hear this. Unfortunately we're unable to open lockers remotely. \
             You'll need to contact the retailer who sent your parcel.";
    assert_has(s, "empathy.sympathy");
    // "I hear" alone, of news, is no acknowledgment
    assert!(!has(
        "A: I hear the courier was late on your street.",
        "empathy"
    ));
}

#[test]
fn acknowledgment_in_its_other_forms() {
    for (s, rule) in [
        ("A: I know exactly how you feel.", "empathy.validation"),
        (
            "A: I can see why you're angry about it.",
            "empathy.validation",
        ),
        (
            "A: Hang in there, the engineer is on his way.",
            "empathy.validation",
        ),
        (
            "A: What a rotten start to your holiday.",
            "empathy.sympathy",
        ),
        ("A: That sounds really hard.", "empathy.sympathy"),
        ("A: I'd be upset too.", "empathy.validation"),
    ] {
        assert_has(s, rule);
    }
}

#[test]
fn talk_in_a_long_call_that_is_not_distress() {
    // decision 11: an old bereavement in a routine answer, mild
    // interjections, price talk, hypotheticals and filler are not distress
    for s in [
        "C: My husband passed away a few years back, so it's just me on the policy now.",
        "C: Oh my gosh, I honestly don't know who my insurer is.",
        "C: Geez, let me find the paperwork.",
        "C: I think I could do better rate-wise somewhere else.",
        "C: If I ever wrecked the tractor, would that be covered?",
        "C: If you think you can do better, I'll listen.",
        "C: Once again, the total was forty dollars.",
        "C: Can I give you my personal information later?",
        // what a caller says to the room after a note of background noise
        "C: [children shouting in background] Kids, OUTSIDE please. Sorry. I'd like to book a tent.",
        "C: [puppy yapping] Sorry, that's the new one, she's an absolute menace!! Anyway, my card details changed.",
        // a box crushed, a puzzle worked out, a partner hung up on
        "C: The box was crushed on one corner but the mug inside is fine. Can I order another?",
        "C: I can't work out which way round the ridge bars go.",
        "C: My partner keeps thinking I've hung up on her when the call drops, ha.",
    ] {
        assert!(!has(s, "distress"), "{s}: {:?}", found(s));
    }
    // the caller's own tears are no background noise
    assert!(has(
        "C: I tried it on and [crying] it's too short, the wedding's in nine days!!",
        "distress"
    ));
    for (s, rule) in [
        (
            "C: My mum just passed away and the account is in her name.",
            "distress.stakes",
        ),
        (
            "C: All my photos have vanished since the update.",
            "distress.stakes",
        ),
        (
            "C: You can do better than this. I am fed up.",
            "distress.intensity",
        ),
    ] {
        assert_has(s, rule);
    }
}

#[test]
fn a_cause_given_with_ownership_is_no_excuse() {
    for s in [
        "A: The courier lost it, but honestly that's on us: we chose them. A new one ships today.",
        "A: Our system was down on Monday. That was our failure, and I've refunded the fee.",
    ] {
        assert!(!has(s, "excuse"), "{s}: {:?}", found(s));
    }
    // without ownership the same cause is an excuse, and ownership does not
    // excuse blaming the customer
    assert_has(
        "A: The courier lost it, so you'll need to ask them.",
        "excuse",
    );
    assert_has(
        "A: That's on us, but you should have read the terms.",
        "excuse.blaming_customer",
    );
}

#[test]
fn contrasts_that_take_an_apology_back() {
    for s in [
        "A: I do apologise, the thing is the warranty expired last month.",
        "A: We're sorry for the delay; nonetheless the charge stands.",
        "A: Sorry about that! That said, you did agree to the terms.",
    ] {
        assert_has(s, "apology.but");
    }
    // a contrast that leads to help does not
    assert_has(
        "A: I'm so sorry. That said, I've refunded you in full.",
        "apology.sincere",
    );
}

#[test]
fn a_bare_sorry_on_a_calm_call_is_a_pardon() {
    // taking details down, the agent did not catch a name: no apology
    assert_not("C: It's Reyes, R-E-Y-E-S. | A: I'm sorry.", "apology");
    assert_not(
        "C: My zip code is 90210. | A: I'm sorry, I lost you for a second.",
        "apology",
    );
    // after a problem, the same words apologize
    assert_has(
        "C: My parcel never arrived. | A: I'm sorry.",
        "apology.sincere",
    );
    // once a problem is raised, a bare "I'm sorry." answering a short calm
    // turn that names no problem (a spelled name) is still a pardon; one
    // answering the problem itself apologizes
    assert_not(
        "C: My parcel never arrived. | A: Can I take your surname? | C: Okonkwo, O-K-O-N. | A: And I'm sorry.",
        "apology",
    );
    assert_has(
        "C: Okonkwo. | A: Thanks. | C: My parcel is late. | A: I'm sorry.",
        "apology.sincere",
    );
    // a lone reply, with no customer turn to read, is judged on its words
    assert_has("A: I'm sorry.", "apology.sincere");
}

#[test]
fn acknowledgment_needs_something_to_acknowledge() {
    assert_not("C: I'm already home now. | A: I get that.", "empathy");
    assert_has(
        "C: I'm so frustrated, the app keeps crashing. | A: I get that.",
        "empathy.validation",
    );
    // "I get you" getting the customer somewhere acknowledges nothing
    assert_not(
        "C: I'm so frustrated, nobody answers. | A: One moment while I get you connected.",
        "empathy",
    );
}

#[test]
fn an_aside_goes_on_in_the_customers_next_turns() {
    let aside =
        "C: They were on about the election on TV all night. | C: It's terrible, I'm so worried.";
    assert_not(aside, "distress");
    // a turn that turns to the company is about the service again
    assert_has(
        "C: They were on about the election on TV all night. | C: Your app is terrible and I'm so worried about my money.",
        "distress",
    );
    // a fear told as someone else's trait
    assert_not(
        "C: My mum doesn't drive. | C: She's scared of getting on the motorway.",
        "distress",
    );
}

#[test]
fn spoken_fillers_are_not_lectures_or_vague_promises() {
    assert_not(
        "C: I got rear-ended last year. | A: It's obviously not your fault if someone hits you.",
        "language.patronizing",
    );
    assert_has(
        "C: Where is my code? | A: Obviously you didn't read the email.",
        "language.patronizing",
    );
    // narration of data entry on a call is neither vague nor specific
    assert_not(
        "C: It's a 2015 Civic. | A: Okay, I'll update that.",
        "action",
    );
    assert_not(
        "C: I have a fireplace. | A: Let me add that on here.",
        "action",
    );
    assert_has(
        "C: My address changed. | A: I'll update your address today.",
        "action.specific",
    );
    // a number's or a version's full stop ends no sentence: the time
    // after it dates the promise
    assert_has(
        "C: The app keeps crashing. | A: I'll send you the 2.5 build by 5pm today.",
        "action.specific",
    );
    assert_not(
        "C: The app keeps crashing. | A: I'll send you version 3.8.2 by 5pm today.",
        "action.vague",
    );
    // a redacted time is a time
    assert_has(
        "C: Can you check the price? | A: We'll circle back in about [DURATION].",
        "action.specific",
    );
}

#[test]
fn read_backs_and_recaps_on_a_call() {
    // "sorry" opening a read-back question, or a pardon over a redacted word
    assert_not(
        "C: I'm in Leeds. | A: I'm sorry, you are located in Leeds, correct?",
        "apology",
    );
    assert_not(
        "C: It's on Mill Lane. | A: I'm sorry. [LOCATION] [LOCATION].",
        "apology",
    );
    // a bare "as I said" in a written reply holds the customer to what they
    // were told; "like I already told you" lectures (a bare spoken "like I
    // said" deep in a calm call recaps: tests/calls.rs)
    assert_has(
        "C: So who do I ask then? | A: As I said, the relevant authorities.",
        "language.patronizing",
    );
    // to an upset customer asking again, the same words are impatience
    assert_has(
        "C: This is ridiculous, where is my refund?! I am furious. | A: Like I said, give it ten days.",
        "language.patronizing",
    );
    assert_has(
        "C: Where's my refund? | A: Like I already told you twice, it takes ten days.",
        "language.patronizing",
    );
    // a transition is no promise
    assert_not(
        "C: Okay, no tickets. | A: Okay. We'll move forward.",
        "action",
    );
    // the call's own steps are no promise: a transfer, a hold, coming back
    // to the line once a task is done
    assert_not(
        "C: Can I get a quote? | A: I'm going to transfer you back on the line so we can go over the options.",
        "action",
    );
    assert_not(
        "C: Can I get a quote? | A: I'll place you on a brief hold and come back with the numbers.",
        "action",
    );
    assert_not("C: Okay. | A: I'll return once it's done.", "action");
    assert_has(
        "C: Where's my money? | A: I'll transfer the money back to your card today.",
        "action.specific",
    );
    // what the cover does in a hypothetical is no promise; a promise on a
    // plain condition still is
    assert_not(
        "C: What does roadside cover do? | A: So let's say you blow a tire, all you do is call us and we'll send a tow truck out.",
        "action.vague",
    );
    assert_has(
        "C: Any news on my voucher? | A: If anything changes, we'll keep you posted.",
        "action.vague",
    );
}

#[test]
fn speech_retold_after_a_quotative_is_not_the_agents_own() {
    // "I go, ..." and "I'm like, ..." retell words: no excuse, no promise
    assert_not(
        "C: Was it your fault? | A: Ha, I know. I go, yeah, but it wasn't my fault.",
        "excuse",
    );
    assert_not(
        "C: Saving up? | A: And I'm like, we'll pick up cans and save all our money.",
        "action",
    );
    // the agent's own words after the retold sentence still count
    assert_has(
        "C: Where's my refund? | A: He said, it's fine. It wasn't our fault.",
        "excuse.denial",
    );
    // "like" as a comparison is no quotative
    assert_has(
        "C: Where's my refund? | A: It's like, not our fault, the bank holds it.",
        "excuse",
    );
}

#[test]
fn praise_news_about_others_and_asides_to_the_room_are_not_distress() {
    // marks of intensity in a review rated four or five stars are praise
    assert_not(
        "C: ★★★★★ Easiest move-in ever. The front desk had the unit ready and a trolley waiting!!! Will recommend. | A: Thank you, that made our day!",
        "distress",
    );
    // the same marks on a one-star review still count
    assert_has(
        "C: ★☆☆☆☆ Waited two hours and nobody came!!! Never again. | A: Thanks for the review.",
        "distress",
    );
    // a top rating whose sad words are the story, none aimed at the company, is
    // praise too; the same story on a one-star review aimed at the company is not
    assert_not(
        "C: ★★★★★ They got my late grandad's radio working again after thirty years. I cried when it crackled into life. | A: That's so lovely to hear.",
        "distress",
    );
    assert_has(
        "C: ★☆☆☆☆ You broke my late grandad's radio. I cried when I opened the box. | A: That's so lovely to hear.",
        "distress",
    );
    // someone else's feeling, in a turn that raises no problem, is news
    assert_not(
        "C: Oh, the July course is full? She'll be disappointed, she's been practising all spring. | A: I can put her on the August one.",
        "distress.emotion",
    );
    // the customer's own feeling still counts
    assert_has(
        "C: The July course is full? I'm so disappointed. | A: I can put her on the August one.",
        "distress",
    );
    // a caller turned away from the phone speaks to the room
    assert_not(
        "C: Mainly mornings. [to someone in the room] Mum, it's the care people. No, the CARE people. | A: No problem.",
        "distress",
    );
    // a thing crushed is damage; an email shared is no repeat contact
    assert_not(
        "C: My canvas arrived this morning with one corner crushed. | A: Sorry about that, a new one ships today.",
        "distress.emotion",
    );
    assert_not(
        "C: go on then, its Dev Patel, same email as my account | A: Done.",
        "distress.repeat_contact",
    );
}

#[test]
fn counterfactual_blame_is_read_as_a_clause_frame() {
    // the customer blamed through a counterfactual, words between in any number
    assert_has(
        "C: I was charged for the wing mirror! | A: Had you folded your mirrors in as per the boarding instructions, this wouldn't have happened, to be honest.",
        "excuse.blaming_customer",
    );
    assert_has(
        "C: The ride never ended and I was charged £40. | A: If you'd pushed the bike in until you heard the click, the ride would have ended normally.",
        "excuse.blaming_customer",
    );
    assert_has(
        "C: Why is my form rejected? | A: If you'd emailed it like it says, you wouldn't be in this position.",
        "excuse.blaming_customer",
    );
    // an offer, a question, the agent's own counterfactual: no blame
    assert_not(
        "C: Can I change the date? | A: If you'd like, we would have a slot on Friday.",
        "excuse",
    );
    assert_not(
        "C: It broke again. | A: Had you used it before it broke, would it have made a noise?",
        "excuse",
    );
    assert_not(
        "C: It arrived late. | A: Had we checked the label, this wouldn't have happened. That's on us.",
        "excuse",
    );
    // "had" with its object, "had your ... <participle>", an adverb in the
    // consequent, and a clause number that is no sentence end
    assert_has(
        "C: The tank leaked again! | A: If you'd had a filter fitted like the manual says, it probably wouldn't have happened.",
        "excuse.blaming_customer",
    );
    assert_has(
        "C: Where is my parcel? | A: Had your form included a mobile number, the driver could have been in touch.",
        "excuse.blaming_customer",
    );
    assert_has(
        "C: My claim was refused. | A: Had you asked the desk for a letter, as set out in section 4.2 of the policy, we would have paid it.",
        "excuse.blaming_customer",
    );
    assert_has(
        "C: The vase came broken. | A: If you'd chosen the padded box it wouldn't really have been an issue.",
        "excuse.blaming_customer",
    );
    assert_not(
        "C: Can I still return it? | A: If you'd had any trouble we would have helped, and yes, you can.",
        "excuse",
    );
}

#[test]
fn a_caller_turned_away_comes_back_to_the_call() {
    // "Look," turns back to the agent: the stress told after it counts
    assert_has(
        "C: [to someone in the room] Jen, they're saying there's been an accident. Look, we have to hand the keys back by four or we get charged another night. I'm really stressed out here. | A: They'll be there in an hour.",
        "distress",
    );
    // a promise to call back within the call has a time
    assert_not(
        "C: Can you check the price? | A: All right, I'll call you back here in just a little bit.",
        "action.vague",
    );
}

#[test]
fn a_strong_contrast_opening_the_next_sentence_makes_the_apology_but() {
    // decision 5: "However," or "Unfortunately" opening the very next
    // sentence turns the apology to a limit, in words no list holds
    assert_has(
        "C: You sent the wrong frame! | A: I'm sorry we sent the wrong frame. However, our next delivery slot in your area isn't until next Thursday.",
        "apology.but",
    );
    assert_has(
        "C: The alarm never went off. | A: I apologise that the alarm didn't alert us. However, our records show the system was set to part-arm at the time.",
        "apology.but",
    );
    // help in that sentence keeps the apology sincere
    assert_not(
        "C: You sent the wrong frame! | A: I'm sorry we sent the wrong frame. However, I've booked a courier to swap it tomorrow morning.",
        "apology.but",
    );
    // a weak connective ("Still", "Though") does not
    assert_not(
        "C: You sent the wrong frame! | A: I'm sorry we sent the wrong frame. Still, the right one is on its way today.",
        "apology.but",
    );
}

#[test]
fn a_bare_apology_whose_next_sentence_opens_with_a_refusal_is_but() {
    // decision 5 across a full stop: "I'm sorry." then the refusal
    assert_has(
        "C: Can I pay in cash when I collect? | A: Sorry! We don't take cash.",
        "apology.but",
    );
    assert_has(
        "C: I cancelled two days before, can I have the fee back? | A: I'm sorry. We can't refund the booking fee.",
        "apology.but",
    );
    // a refusal followed by help is a limit with an alternative
    assert_not(
        "C: Is the renal food in? | A: Sorry! It's out of stock at our supplier until the 14th. I've ordered the equivalent in for you for tomorrow.",
        "apology.but",
    );
    // an apology with an object is not bare
    assert_not(
        "C: It's been weeks! | A: I'm sorry it's taken this long. We can't speed the lab up, but I've chased them today.",
        "apology.but",
    );
}

#[test]
fn an_apology_closing_one_message_reads_the_next_agent_message() {
    // decision 2: consecutive agent messages are one turn
    assert_has(
        "C: We've got three kids and my sister's wedding rehearsal is at six! | A: Yeah, I'm sorry about that, Ms. Delgado. | A: Unfortunately with the holiday weekend the minivans just aren't back yet.",
        "apology.but",
    );
    assert_not(
        "C: We've got three kids and my sister's wedding rehearsal is at six! | A: Yeah, I'm sorry about that, Ms. Delgado. | A: Unfortunately the minivans aren't back, so I've put you in a Suburban at the same rate.",
        "apology.but",
    );
    // sorry for the customer's hopes is deflecting (decision 3)
    assert_has(
        "C: I failed my test and the instructor was on his phone! | A: I'm sorry your lessons with us didn't turn out the way you'd hoped.",
        "apology.deflecting",
    );
}

#[test]
fn a_generic_link_as_the_whole_answer_is_a_hand_off() {
    // decision 7: a landing page instead of an answer to a problem
    assert_has(
        "C: Why was I charged £80 for a tuning visit that took ten minutes?! | A: Our pricing is explained here: keynotetuning.co.uk/prices",
        "procedural.bureaucratic_handoff",
    );
    assert_has(
        "C: The event was cancelled and I still have no refund. | A: Hi, we're unable to look into individual orders over social media. Please see tixwave.com/help/refunds for information.",
        "procedural",
    );
    // an article on the problem itself, a form, a route to a person, or an
    // act beside the link is help
    assert_not(
        "C: I can't connect to the game online. | A: Please try the troubleshooting here: support.example.com/articles/3600129/Connection-Troubleshooting-for-PS4",
        "procedural",
    );
    assert_not(
        "C: My order never arrived. | A: Sorry! DM us your order number and we'll sort it: example.com/help",
        "procedural",
    );
    assert_not(
        "C: My order never arrived. | A: I've refunded it today. Details of refunds: example.com/help/refunds",
        "procedural",
    );
}

// ------------------------------------------------- the customer's protest

#[test]
fn saying_it_again_for_a_customer_who_did_not_hear_is_no_impatience() {
    let said = "I said I'm sorry, three price rises in a year is a lot.";
    assert_not(
        &format!("C: My plan is going up again, third time this year. | A: That's a lot, I'm sorry. | C: Sorry, what was that? The kettle's going. | A: {said}"),
        "language.patronizing",
    );
    // and an apology offered is no demand to accept a rule
    assert_not(
        "C: Nobody came on Tuesday. | A: Please accept our apologies for the missed visit; the engineer will come at 9 tomorrow.",
        "language.patronizing",
    );
    // the same words to a customer who heard and asked again stay impatience
    assert_has(
        "C: Why was I charged twice? | A: It's a pre-authorisation, it drops off in three days. | C: But why was I charged twice? | A: Like I said, it's a pre-authorisation. You need to understand that it isn't a charge.",
        "language.patronizing",
    );
}

#[test]
fn a_protest_at_being_talked_down_to_marks_the_turn_it_answers() {
    // the sentence that names what the customer says they know
    assert_span(
        "C: My payment went up by four hundred a month. | A: Okay, let me explain. Escrow is basically a savings jar we pay your taxes from. | C: I know what escrow is. I'm asking why it's four hundred more.",
        "language.patronizing",
        "Escrow is basically a savings jar we pay your taxes from.",
    );
    // no named term in the agent's words: the first statement of the turn
    assert_span(
        "C: The total on my credit agreement is higher than the premium. | A: Have a think about it. Someone lends you the money up front, yes? | C: Yes, I understand how interest works. I was asking about the figure.",
        "language.patronizing",
        "Have a think about it.",
    );
    // a question the customer takes as talking down: with the protest it is
    // reported, without it not
    assert_span(
        "C: The app keeps logging me out. | A: Can you check that the caps lock key is off? | C: I'm not an idiot, I've used it for years.",
        "language.patronizing",
        "Can you check that the caps lock key is off?",
    );
    assert_not(
        "C: The app keeps logging me out. | A: Can you check that the caps lock key is off? | C: It is off, I've used it for years.",
        "language.patronizing",
    );
    // thanks for an explanation that helped, or knowing what the agent
    // means, is no protest
    assert_not(
        "C: How do I reset the router? | A: Hold the button on the back for ten seconds. | C: Great, now I know how to do it, thanks!",
        "language.patronizing",
    );
    assert_not(
        "C: Why is my bill higher? | A: The discount ended in March, so the full rate applies from April. | C: I know what you mean, but nobody told me.",
        "language.patronizing",
    );
    // a protest in the customer's first turn answers no explanation
    assert_not(
        "A: Hello, you're through to Brightline Energy. | C: I know how a meter works, I'm an engineer, and mine is reading double.",
        "language.patronizing",
    );
}

#[test]
fn a_bare_apology_said_in_one_breath_with_an_excuse_is_but() {
    assert_has(
        "C: I came in for my appointment and waited an hour. | A: Sorry, we've been really short on staff at the branch this month.",
        "apology.but",
    );
    // the refusal may come a long clause after the bare "Sorry,", as long as
    // the sentence is one breath
    assert_has(
        "C: Can we move tomorrow's lesson? She's ill. | A: Sorry, that lesson is inside the 24-hour window now and the booking system won't let me move it.",
        "apology.but",
    );
    // with an object it apologizes for something, and the excuse after it
    // is its own finding
    assert_has(
        "C: I came in for my appointment and waited an hour. | A: Sorry for the wait, and I've booked you first in tomorrow at 9am.",
        "apology.sincere",
    );
    // a pardon with the caller's name in it is no apology
    assert_not(
        "C: It was the week of the ninth. | A: Sorry, Bernard, you cut out a bit there — which week was it?",
        "apology",
    );
    assert_not(
        "C: I need to move my booking. | A: Sorry to butt in before I check – could you confirm the email?",
        "apology",
    );
}

#[test]
fn an_apology_whose_object_only_points_back_is_bare_before_an_excuse() {
    // "about that" names nothing: the excuse in the same breath cancels it
    assert_has(
        "C: I asked for the blue one and got green, I'm really fed up. | A: I'm sorry about that, my colleague must have misheard you.",
        "apology.but",
    );
    assert_has(
        "C: I asked for the blue one and got green, I'm really fed up. | A: I'm sorry about that, my colleague must have misheard you.",
        "excuse.third_party_blame",
    );
    // a cause the sentence owns is an explanation, not a shield
    assert_has(
        "C: I paused my box but was still charged. | A: So sorry about that — the pause didn't save properly on our side. I've refunded both payments.",
        "apology.sincere",
    );
    // a guess that owns the slip is no excuse
    assert_not(
        "C: You sent the wrong size. | A: Sorry, I must have misread your message; a medium is on its way today.",
        "excuse",
    );
}

#[test]
fn a_name_spelt_back_for_verification_is_not_used_on_the_customer() {
    assert_not(
        "A: Can I take your surname? | C: It's Doyle, D-O-Y-L-E. | A: Okay, Doyle, D, O, Y, L, E.",
        "courtesy.name",
    );
    assert_has(
        "A: Can I take your surname? | C: It's Doyle, D-O-Y-L-E. | A: Thanks, Ms Doyle, I have your booking here.",
        "courtesy.name",
    );
}

#[test]
fn counterfactual_blame_names_what_the_company_could_then_have_done() {
    assert_has(
        "C: Your cleaner cracked a pane in our window. | A: If you'd mentioned it to the cleaner on the day, we could have inspected it there and then.",
        "excuse.blaming_customer",
    );
    // what the customer could do now is advice, not blame
    assert_not(
        "C: Your cleaner cracked a pane in our window. | A: If you send a photo today, we can have a glazier out on Friday.",
        "excuse.blaming_customer",
    );
}

#[test]
fn an_apology_said_without_commas_is_bare_before_an_excuse_too() {
    // a call transcript's "sorry about that she must have misheard you"
    assert_has(
        "C: I wanted the other plan, not this one. | A: Oh, sorry about that she must have misheard you.",
        "apology.but",
    );
    // the next clause owning the slip keeps it sincere
    assert_has(
        "C: I wanted the other plan, not this one. | A: Sorry about that I'll switch you over now.",
        "apology.sincere",
    );
}

#[test]
fn what_the_agent_can_do_named_as_an_offer_is_an_alternative() {
    assert_not(
        "C: I want my money back for the cancelled flight. | A: All we can do in your case is provide you with travel funds, valid for a year.",
        "procedural.refusal_without_alternative",
    );
    assert_has(
        "C: I want my money back for the cancelled flight. | A: All we can do is apologise, the fare was nonrefundable.",
        "procedural.refusal_without_alternative",
    );
}

#[test]
fn a_gap_in_a_letter_is_shown_on_its_first_sentence_not_its_salutation() {
    let spec = "C: Second time my boat's been damaged in your marina. I'm moving to another one. \
                | A: Dear Mr Pryce,\n\nThank you for your email. Under clause 9 the berth holder is responsible.";
    assert_span(
        spec,
        "empathy_gap.no_acknowledgment",
        "Thank you for your email.",
    );
    // a reply with no salutation keeps its first sentence
    let plain = "C: Second time my boat's been damaged in your marina. I'm moving to another one. \
                 | A: Under clause 9 the berth holder is responsible.";
    assert_span(
        plain,
        "empathy_gap.no_acknowledgment",
        "Under clause 9 the berth holder is responsible.",
    );
}
