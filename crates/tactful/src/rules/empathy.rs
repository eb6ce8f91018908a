//! `empathy.*`: acknowledging the customer's feelings or the impact on them.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it credits
    /// Naming or validating the customer's feeling or the impact on them: "I
    /// understand how frustrating this is", "I can imagine how stressful that
    /// was", "I'd be upset too", "that's not the experience you should have had",
    /// "we hear you", "that shouldn't have happened".
    ///
    /// ## Why it matters
    /// An upset customer needs to feel heard before a fix lands. Thanks and
    /// reassurance ("we appreciate your patience", "rest assured") do not count.
    ///
    /// ## Example
    /// Credited: "I can imagine how stressful that was with your flight tomorrow."
    VALIDATION {
        id: "empathy.validation",
        category: Empathy,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "the customer's feeling or its impact is acknowledged",
        message: "Acknowledges the customer's feelings or the impact on them.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it credits
    /// Sympathy: "sorry to hear it's been such a hassle", "sorry to see this",
    /// "sorry you're having trouble with this", "that sounds so frustrating".
    ///
    /// ## Why it matters
    /// Sympathy is not an apology (it does not own a failure), but it does tell
    /// the customer their experience was heard, so it answers distress.
    ///
    /// ## Example
    /// Credited: "Sorry to hear the parcel hasn't arrived. Let me check."
    SYMPATHY {
        id: "empathy.sympathy",
        category: Empathy,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "sympathy for the customer's situation",
        message: "Expresses sympathy for the customer's situation.",
        suggestion: None,
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] = &[
    (
        &VALIDATION,
        include_str!("../../lexicons/empathy.validation.txt"),
    ),
    (
        &SYMPATHY,
        include_str!("../../lexicons/empathy.sympathy.txt"),
    ),
];
