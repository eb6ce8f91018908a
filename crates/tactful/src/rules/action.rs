//! `action.*`: what the agent commits to.
//!
//! Three phrase lists read on agent turns, statements only:
//! - `lexicons/action.specific.txt`: a concrete act done or under way ("I've
//!   refunded", "a replacement has been sent"), specific as it stands;
//! - `lexicons/internal/action.future.txt`: a concrete act promised ("I'll
//!   call you", "we will send a new card"), specific when its sentence says
//!   when ([`ActionLexicons::when`]: "tomorrow before noon", "within 48
//!   hours"), vague otherwise;
//! - `lexicons/action.vague.txt`: a promise with no concrete act ("we'll look
//!   into it", "we're working on it"), vague unless the same reply promises
//!   an act with a time.
//!
//! A request for details ("can you DM us your order number?") is neither.

use crate::matcher::LexiconId;
use crate::rule::{declare_rule, RuleInfo};

declare_rule! {
    /// ## What it credits
    /// A concrete next step the agent takes or has taken, with what is done
    /// and, for a promise, when: "I've issued a refund of $40, it reaches
    /// your card in 3 to 5 business days", "I'll call you tomorrow before
    /// noon", "a replacement ships today", "I've rebooked you on the 6 pm
    /// flight". An act stated in the passive counts ("your refund has been
    /// processed").
    ///
    /// ## Why it matters
    /// A decisive, specific agreed action is the fourth step of a recovery:
    /// the customer knows what happens next and when.
    ///
    /// ## Example
    /// Credited: "I've cancelled the duplicate charge; you'll see it back on
    /// your card by Friday."
    SPECIFIC {
        id: "action.specific",
        category: Action,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "a concrete act, done or promised with a when",
        message: "Commits to a concrete act the customer can count on.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it flags
    /// A promise with no concrete act or no time: "we'll look into it",
    /// "someone will get back to you", "we'll see what can be done", "we're
    /// working on it", "it will be sorted soon", "in due course", "we'll pass
    /// it on", and a concrete act promised with no when ("we'll send you a
    /// new one").
    ///
    /// ## Why it matters
    /// A vague promise leaves the customer waiting without knowing for what or
    /// how long, so they chase, and each chase starts angrier.
    ///
    /// ## Example
    /// Flagged: "We'll look into it and get back to you."
    /// Better: "I've asked the warehouse to trace the parcel and I'll email
    /// you what they find by 4 pm tomorrow."
    ///
    /// Not flagged: asking for details ("can you DM us your order number?").
    VAGUE {
        id: "action.vague",
        category: Action,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "a promise with no concrete act or no time",
        message: "A promise with no concrete act or no time; say what you will do and by when.",
        suggestion: Some("Name the act and the time: \"I'll ... and update you by ...\""),
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&RuleInfo, &str)] = &[
    (
        &SPECIFIC,
        include_str!("../../lexicons/action.specific.txt"),
    ),
    (&VAGUE, include_str!("../../lexicons/action.vague.txt")),
];

/// The internal lexicon of concrete acts promised for the future.
pub(crate) const FUTURE: (&str, &str) = (
    "action.future",
    include_str!("../../lexicons/internal/action.future.txt"),
);

/// The internal lexicon of times an act is promised for.
pub(crate) const WHEN: (&str, &str) = (
    "action.when",
    include_str!("../../lexicons/internal/action.when.txt"),
);

/// The internal lexicon of information sent during the conversation itself.
pub(crate) const IMMEDIATE: (&str, &str) = (
    "action.immediate",
    include_str!("../../lexicons/internal/action.immediate.txt"),
);

/// The internal lexicon of work done on a call as it is said ("I'll take a
/// look at the options for you").
pub(crate) const ON_CALL: (&str, &str) = (
    "action.on_call",
    include_str!("../../lexicons/internal/action.on_call.txt"),
);

/// The internal lexicon of a sales call's effort talk ("I'll do my best
/// here on the price").
pub(crate) const SALE_TALK: (&str, &str) = (
    "action.sale_talk",
    include_str!("../../lexicons/internal/action.sale_talk.txt"),
);

/// The ids of the internal action lexicons in an analyzer's matcher.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ActionLexicons {
    /// Concrete acts promised for the future.
    pub future: LexiconId,
    /// Times ("by Friday", "within 24 hours").
    pub when: LexiconId,
    /// Information sent during the conversation ("I'll text you the
    /// link"): done now, so never vague.
    pub immediate: LexiconId,
    /// Work done on a call as it is said ("I'll go over the coverages"):
    /// deep in a call, never vague.
    pub on_call: LexiconId,
    /// A sales call's effort talk ("let's just see what we can get you"):
    /// deep in a call that raised no problem, never vague.
    pub sale_talk: LexiconId,
}
