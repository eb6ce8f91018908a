//! `procedural.*`: policy-speak instead of help.
//!
//! Every rule here is a phrase list (`lexicons/procedural.*.txt`) read on agent
//! turns, with negated ("not our policy") and quoted uses skipped.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it flags
    /// Policy, terms or rules given as the reason for an outcome: "per our policy",
    /// "company policy states", "according to our terms and conditions", "it is
    /// against our policy", "rules are rules".
    ///
    /// ## Why it matters
    /// An upset customer hears "the rules matter more than you". A policy can
    /// explain a limit, but leading with it puts process before the person.
    ///
    /// ## Example
    /// Flagged: "Per our policy, we cannot refund opened items."
    /// Better: "I can't refund an opened item, but I can exchange it today or
    /// give you store credit: which would help more?"
    ///
    /// Not flagged: naming a policy to grant something ("our policy lets me refund
    /// you in full"); a negated form ("I won't hide behind policy here").
    POLICY_AS_REASON {
        id: "procedural.policy_as_reason",
        category: Procedural,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "policy or terms given as the reason instead of help",
        message: "Policy is given as the reason; lead with what you can do for the customer.",
        suggestion: Some("Lead with the help: \"Here's what I can do: ...\", then explain the limit in plain words."),
    }
}

declare_rule! {
    /// ## What it flags
    /// The system named as the authority: "the system won't let me", "I can't
    /// override the system", "the system doesn't allow it".
    ///
    /// ## Why it matters
    /// It tells the customer nobody is in charge of their problem.
    ///
    /// ## Example
    /// Flagged: "The system won't let me change the date."
    /// Better: "I can't change the date from here, so I've asked our bookings team
    /// to do it and I'll confirm by 3 pm."
    SYSTEM_AS_AUTHORITY {
        id: "procedural.system_as_authority",
        category: Procedural,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "the system named as the authority",
        message: "The system is presented as the authority; own the problem and the next step.",
        suggestion: Some("Own it: \"I can't change that from here, so I've ... and I'll update you by ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// A bureaucratic hand-off instead of help: "you will need to submit a new
    /// ticket", "that's not my department", "you must contact the other team",
    /// "please refer to our FAQ", "fill out the form"; limiting help ("support here
    /// is limited to technical issues", "we can't assist over social media");
    /// sending the customer to another company; a generic help-site link in place
    /// of an answer.
    ///
    /// ## Why it matters
    /// The customer has to start over somewhere else. A route to real help ("DM us
    /// your order number", "here's the form to file the claim") is help and is not
    /// flagged.
    ///
    /// ## Example
    /// Flagged: "That's not my department, you'll need to open a new ticket."
    /// Better: "I've passed this to our billing team with your details, so you
    /// won't need to repeat anything; they'll email you today."
    BUREAUCRATIC_HANDOFF {
        id: "procedural.bureaucratic_handoff",
        category: Procedural,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "the customer is sent elsewhere instead of helped",
        message: "The customer is handed off to another place or process instead of being helped.",
        suggestion: Some("Do the hand-off for them: \"I've passed this to ... with your details; they'll contact you by ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// A refusal with no alternative: "there's nothing I can do", "I am unable to
    /// assist with that", "unfortunately we cannot do that", "that is not possible".
    ///
    /// ## Why it matters
    /// A bare "no" ends the conversation; the customer leaves with nothing.
    ///
    /// ## Example
    /// Flagged: "Unfortunately there's nothing we can do."
    /// Better: "I can't reverse the charge, but I can credit the fee to your next
    /// bill, or escalate it to a supervisor today."
    REFUSAL_WITHOUT_ALTERNATIVE {
        id: "procedural.refusal_without_alternative",
        category: Procedural,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "a refusal with no alternative offered",
        message: "A refusal with no alternative; say what you can do instead.",
        suggestion: Some("Pair the no with a yes: \"I can't ..., but what I can do is ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// Form-letter formality: "please be advised", "kindly note", "we regret to
    /// inform you", "as per".
    ///
    /// ## Why it matters
    /// Manual language sounds like a machine reading a rule book at the customer.
    ///
    /// ## Example
    /// Flagged: "Please be advised that your claim has been closed."
    /// Better: "I've closed your claim because ...; if anything changes, reply here
    /// and I'll reopen it."
    TEMPLATE_FORMALITY {
        id: "procedural.template_formality",
        category: Procedural,
        kind: Issue,
        severity: Info,
        role: Agent,
        summary: "form-letter formality (\"please be advised\", \"as per\")",
        message: "Form-letter wording sounds like a rule book, not a person.",
        suggestion: Some("Say it plainly, as you would to a neighbour."),
    }
}

declare_rule! {
    /// ## What it flags
    /// A sentence that reads as policy-speak in words no phrase list spells
    /// out, found by the procedural model (see [`crate::sentence_model`]): a
    /// rule, a process or a channel put where help should be ("requests like
    /// this are handled by the claims department, who will review it in due
    /// course").
    ///
    /// ## Why it matters
    /// Whatever the wording, pointing at the process instead of the person
    /// tells the customer the rule matters more than their problem.
    ///
    /// ## Example
    /// Flagged: "Refunds for duplicate charges are handled by the billing
    /// office once the statement closes."
    /// Better: "I've sent the form to the team myself; you'll hear back by
    /// Friday."
    ///
    /// Not flagged: a question, a quoted rule, a hypothetical.
    IMPLIED {
        id: "procedural.implied",
        category: Procedural,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "a sentence that reads as policy-speak",
        message: "This sentence reads as policy-speak; say what you will do for the customer.",
        suggestion: Some("Lead with the help: \"Here's what I can do for you: ...\""),
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] = &[
    (
        &POLICY_AS_REASON,
        include_str!("../../lexicons/procedural.policy_as_reason.txt"),
    ),
    (
        &SYSTEM_AS_AUTHORITY,
        include_str!("../../lexicons/procedural.system_as_authority.txt"),
    ),
    (
        &BUREAUCRATIC_HANDOFF,
        include_str!("../../lexicons/procedural.bureaucratic_handoff.txt"),
    ),
    (
        &REFUSAL_WITHOUT_ALTERNATIVE,
        include_str!("../../lexicons/procedural.refusal_without_alternative.txt"),
    ),
    (
        &TEMPLATE_FORMALITY,
        include_str!("../../lexicons/procedural.template_formality.txt"),
    ),
];
