//! `courtesy.*`: thanks and the customer's name, the last step of a recovery.
//!
//! Thanks is a phrase list (`lexicons/courtesy.thanks.txt`); the name is
//! found in code ([`crate::names`]): a name the customer gave, used by the
//! agent, or a salutation with a name.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it credits
    /// The agent thanking the customer: "thanks for your patience today", "thanks
    /// for letting us know", "thanks for flagging this", "we appreciate your
    /// patience".
    ///
    /// ## Why it matters
    /// Thanks closes a recovery well. It is a strength, but it does not answer
    /// distress: "thanks for your patience" to a furious customer is no
    /// acknowledgment (see `empathy_gap`).
    ///
    /// ## Example
    /// Credited: "Thanks for flagging this, Dana; it helps us fix it for everyone."
    ///
    /// Not credited: "thanks to the storm" (a cause), "no thanks".
    THANKS {
        id: "courtesy.thanks",
        category: Courtesy,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "the agent thanks the customer",
        message: "Thanks the customer.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it credits
    /// The agent addressing the customer by name: a name the customer gave (a
    /// `name` on the customer's turns, a sign-off such as "Thanks, Sarah", or
    /// "my name is ...") used in a reply, or a salutation with a name ("Hi
    /// Sarah", "Dear Mr Kaplan", "Thanks, Priya").
    ///
    /// ## Why it matters
    /// A name tells the customer a person is reading their case, not a script.
    /// Social handles (@user) are not names and do not count.
    ///
    /// ## Example
    /// Credited: "Hi Sarah, I've found your order."
    NAME {
        id: "courtesy.name",
        category: Courtesy,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "the agent uses the customer's name",
        message: "Addresses the customer by name.",
        suggestion: None,
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] =
    &[(&THANKS, include_str!("../../lexicons/courtesy.thanks.txt"))];
