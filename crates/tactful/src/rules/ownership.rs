//! `ownership.*`: the agent makes the problem theirs.
//!
//! A phrase list (`lexicons/ownership.taken.txt`) read on agent turns.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it credits
    /// The agent taking the problem on as their own: "I'll make sure this is
    /// fixed", "leave it with me", "I'll personally follow up", "I'll take
    /// care of it", "I'm on it", "that's on us, and I'll put it right", "we
    /// got this wrong".
    ///
    /// ## Why it matters
    /// A customer who hears that one person owns the problem stops chasing it.
    /// Passing the buck is the other side of this, flagged by `procedural`
    /// (hand-offs) and `excuse` (blaming others).
    ///
    /// ## Example
    /// Credited: "Leave it with me: I'll chase the warehouse myself and call you by 5 pm."
    TAKEN {
        id: "ownership.taken",
        category: Ownership,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "the agent makes the problem theirs",
        message: "Takes ownership of the problem.",
        suggestion: None,
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] =
    &[(&TAKEN, include_str!("../../lexicons/ownership.taken.txt"))];
