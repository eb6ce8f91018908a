//! `timing.*`: how long the customer waited for a reply.
//!
//! Read from turn timestamps (see [`crate::timing`]), not from text.

use crate::rule::declare_rule;

declare_rule! {
    /// ## What it flags
    /// An agent reply that came after the customer waited longer than the
    /// channel's target (`[timing]` in the configuration; by default 5
    /// minutes on chat, 1 hour on social media, 24 hours by email, 2 minutes
    /// on the phone, 24 hours elsewhere). The wait runs from the first
    /// customer message the reply answers. The finding points at the reply's
    /// first sentence; the record's `timing` gives the wait.
    ///
    /// ## Why it matters
    /// Every hour without an answer makes the customer angrier and more
    /// likely to chase, on a second channel or in public.
    ///
    /// ## Example
    /// Flagged: a chat reply 40 minutes after the customer's message.
    SLOW_REPLY {
        id: "timing.slow_reply",
        category: Timing,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "the customer waited longer than the channel's target",
        message: "The customer waited longer than this channel's target for this reply.",
        suggestion: Some("Reply sooner, even if only to say who is on it and when you will be back."),
    }
}
