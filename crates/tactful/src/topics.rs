//! Topics: what the customer contacts about, read from customer turns.
//!
//! Not findings but tags on the transcript ([`crate::Report::topics`]), for
//! root-cause counts across a batch; one transcript can have several. The ten
//! built-in tags are phrase lists in `lexicons/topics/`, in the pattern
//! language of every list ([`crate::lexicon`]); a team extends a tag or adds
//! its own with `[topics]` in the configuration ([`crate::Config::topics`]).
//! A topic is what a turn is about, so a negated or quoted phrase tags too
//! ("I still haven't had my refund").
//!
//! ```
//! use tactful::{Analyzer, Config, Role, Transcript, Turn};
//! let t = Transcript::new("T-1")
//!     .with_turn(Turn::new(Role::Customer, "I was charged twice and the app keeps crashing."));
//! assert_eq!(Analyzer::new().analyze(&t).topics, ["billing", "technical"]);
//!
//! let mut config = Config::default();
//! config.topics.insert("loyalty".into(), vec!["(points|rewards) (balance|missing)".into()]);
//! let analyzer = Analyzer::from_config(&config).unwrap();
//! let t = Transcript::new("T-2")
//!     .with_turn(Turn::new(Role::Customer, "My points balance is wrong."));
//! assert_eq!(analyzer.analyze(&t).topics, ["loyalty"]);
//! ```

/// The built-in topic tags with their phrase lists, in output order.
pub const BUILTIN: [(&str, &str); 10] = [
    ("delivery", include_str!("../lexicons/topics/delivery.txt")),
    ("refund", include_str!("../lexicons/topics/refund.txt")),
    ("billing", include_str!("../lexicons/topics/billing.txt")),
    ("account", include_str!("../lexicons/topics/account.txt")),
    (
        "technical",
        include_str!("../lexicons/topics/technical.txt"),
    ),
    (
        "cancellation",
        include_str!("../lexicons/topics/cancellation.txt"),
    ),
    ("delay", include_str!("../lexicons/topics/delay.txt")),
    (
        "availability",
        include_str!("../lexicons/topics/availability.txt"),
    ),
    ("quality", include_str!("../lexicons/topics/quality.txt")),
    ("staff", include_str!("../lexicons/topics/staff.txt")),
];

/// Most topics one configuration can define (built-in and own).
pub const MAX_TOPICS: usize = 64;

/// Whether a topic tag is well formed: lower-case letters, digits, `_` or
/// `-`, 1 to 40 characters.
pub(crate) fn valid_tag(tag: &str) -> bool {
    (1..=40).contains(&tag.len())
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}
