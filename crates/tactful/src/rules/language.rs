//! `language.*`: clear, non-patronizing language.
//!
//! A phrase list (`lexicons/language.patronizing.txt`) read on agent turns,
//! with negated and quoted uses skipped.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it flags
    /// Talking down to the customer: telling them to calm down, reminding them
    /// they were already told ("as I already explained", "like I said"),
    /// lecturing ("you need to understand that", "obviously", "if you had read
    /// the email"), calling it simple ("it's very simple", "even you can"),
    /// pet names ("sweetie") and "with all due respect".
    ///
    /// ## Why it matters
    /// Condescension turns a problem into a contest. The customer stops
    /// listening to the fix and remembers the tone.
    ///
    /// ## Example
    /// Flagged: "As I already explained, you need to understand that refunds take time."
    /// Better: "Refunds take 5 to 7 days to reach your card; yours went out on
    /// Monday, so it should show by Tuesday."
    ///
    /// Not flagged: a step explained plainly ("here is how to reset it: ...");
    /// "as mentioned above" pointing to the agent's own message.
    PATRONIZING {
        id: "language.patronizing",
        category: Language,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "talking down to the customer",
        message: "Talks down to the customer; state the facts and the next step without the lecture.",
        suggestion: Some("Drop the reminder and say it plainly: \"Here's where things stand: ...\""),
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] = &[(
    &PATRONIZING,
    include_str!("../../lexicons/language.patronizing.txt"),
)];
