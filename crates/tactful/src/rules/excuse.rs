//! `excuse.*`: deflecting responsibility.
//!
//! Phrase lists (`lexicons/excuse.*.txt`) read on agent turns, with negated
//! ("I'm not making excuses") and quoted uses skipped.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it flags
    /// Blame put on a third party: "that's the courier's fault", "the manufacturer
    /// is responsible", "it's in the hands of the carrier".
    ///
    /// ## Why it matters
    /// The customer chose you, not your supplier. Pointing elsewhere reads as
    /// "not my problem".
    ///
    /// ## Example
    /// Flagged: "Delays like this are on the carrier's end."
    /// Better: "Our carrier let you down, and that's on us to fix: I've ..."
    ///
    /// Not flagged: a cause given with ownership ("a packing error on our side
    /// sent the wrong size, that's on us").
    THIRD_PARTY_BLAME {
        id: "excuse.third_party_blame",
        category: Excuse,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "blame put on a third party",
        message: "Blame is shifted to a third party; own the problem on the customer's behalf.",
        suggestion: Some("Own it: \"Our partner let you down, and it's on us to fix it. Here's what I've done: ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// Circumstances used as a shield: "due to circumstances beyond our control",
    /// "because of the high volume of calls", "we are short-staffed", "the system
    /// was down", "due to high demand", "no agents were available".
    ///
    /// ## Why it matters
    /// The customer's problem is the same whatever the reason; the reason offered
    /// as a shield sounds like an excuse.
    ///
    /// ## Example
    /// Flagged: "Due to high call volumes, responses are delayed."
    /// Better: "I'm sorry you waited so long. I've got your case now and ..."
    CIRCUMSTANCES {
        id: "excuse.circumstances",
        category: Excuse,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "circumstances used as a shield",
        message: "Circumstances are offered as a shield; acknowledge the impact and say what happens next.",
        suggestion: Some("Skip the shield: \"I'm sorry for the wait. I'm on it now, and ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// Blame put on the customer: "you should have read the terms", "if you had
    /// checked in earlier", "that's not a bug, it's your graphics card".
    ///
    /// ## Why it matters
    /// Even when true, it makes the customer defensive and ends trust.
    ///
    /// ## Example
    /// Flagged: "You should have read the terms before booking."
    /// Better: "That fee is easy to miss. Here's what I can do about it: ..."
    BLAMING_CUSTOMER {
        id: "excuse.blaming_customer",
        category: Excuse,
        kind: Issue,
        severity: Error,
        role: Agent,
        summary: "blame put on the customer",
        message: "The customer is blamed; explain what happened without fault-finding.",
        suggestion: Some("Explain without blame: \"That setting is easy to miss. Let's fix it together: ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// Denial and defensiveness: "it's not our fault", "we did nothing wrong",
    /// "that's not on us", "I'm not sorry", "I won't apologize".
    ///
    /// ## Why it matters
    /// Arguing about fault tells the customer you care more about being right
    /// than about their problem.
    ///
    /// ## Example
    /// Flagged: "This is not our fault."
    /// Better: "Whatever caused it, I want to get this sorted for you: ..."
    DENIAL {
        id: "excuse.denial",
        category: Excuse,
        kind: Issue,
        severity: Error,
        role: Agent,
        summary: "denial or defensiveness",
        message: "Defensive denial of responsibility; focus on solving the problem.",
        suggestion: Some("Drop the defence: \"Let's get this sorted. Here's what I'll do: ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// Minimizing the customer's problem: "it's only a small delay", "this happens
    /// all the time", "it's not a big deal".
    ///
    /// ## Why it matters
    /// What is small to the company may be large to the customer; shrinking it
    /// dismisses them.
    ///
    /// ## Example
    /// Flagged: "It's only a small scratch."
    /// Better: "I'm sorry it arrived scratched. I can send a replacement or refund
    /// 20%: which would you prefer?"
    MINIMIZING {
        id: "excuse.minimizing",
        category: Excuse,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "the customer's problem minimized",
        message: "The problem is minimized; take it as seriously as the customer does.",
        suggestion: Some("Take it seriously: \"I can see why that matters. Here's what I'll do: ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// A sentence that reads as an excuse in words no phrase list spells out,
    /// found by the excuse model (see [`crate::sentence_model`]): "the staff
    /// there are contractors, not our employees, and they set their own
    /// hours", "the trains were delayed by the weather, which nobody
    /// controls".
    ///
    /// ## Why it matters
    /// Whatever the wording, an explanation that puts the problem on
    /// someone or something else tells the customer it is not the company's
    /// to fix.
    ///
    /// ## Example
    /// Flagged: "Well, the trains were delayed by the weather, which nobody
    /// controls."
    /// Better: "Your connection was missed and that's ours to sort out: I've
    /// ..."
    ///
    /// Not flagged: a question, a quoted rule, or a cause given with
    /// ownership ("our packing team missed it, that's on us").
    IMPLIED {
        id: "excuse.implied",
        category: Excuse,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "a sentence that reads as an excuse",
        message: "This sentence reads as an excuse; own the problem and say what you will do.",
        suggestion: Some("Own it: \"That shouldn't have happened. Here's what I'm doing about it: ...\""),
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] = &[
    (
        &THIRD_PARTY_BLAME,
        include_str!("../../lexicons/excuse.third_party_blame.txt"),
    ),
    (
        &CIRCUMSTANCES,
        include_str!("../../lexicons/excuse.circumstances.txt"),
    ),
    (
        &BLAMING_CUSTOMER,
        include_str!("../../lexicons/excuse.blaming_customer.txt"),
    ),
    (&DENIAL, include_str!("../../lexicons/excuse.denial.txt")),
    (
        &MINIMIZING,
        include_str!("../../lexicons/excuse.minimizing.txt"),
    ),
];
