//! Findings: what a rule reports, where.

use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The family a rule belongs to: the part of a rule id before the dot.
///
/// Procedural, excuse, apology, empathy, language and resolution carry a
/// score (see [`crate::score`]); `empathy_gap` findings lower the empathy
/// score, `distress` findings decide where empathy is judged, and `action`
/// issues lower the resolution score. New categories may be
/// added, so a `match` needs a wildcard arm.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Category {
    /// Policy-speak instead of help (agent issue).
    Procedural,
    /// Deflecting responsibility (agent issue).
    Excuse,
    /// Apology quality: sincere (strength) or conditional, deflecting, "but", scripted (issues).
    Apology,
    /// A distressed customer met with no acknowledgment (conversation-level issue).
    EmpathyGap,
    /// Acknowledging the customer's feelings or their impact (agent strength).
    Empathy,
    /// Evidence that the customer is upset (customer-side signal).
    Distress,
    /// Talking down to the customer (agent issue).
    Language,
    /// What the agent commits to: a specific act (strength) or a vague
    /// promise (issue). Vague actions count against [`Category::Resolution`].
    Action,
    /// The agent makes the problem theirs (agent strength).
    Ownership,
    /// Thanks and the customer's name (agent strengths).
    Courtesy,
    /// How long the customer waited for a reply (agent issue, read from
    /// turn timestamps; not scored).
    Timing,
    /// The score of how the agent resolves the problem: vague actions
    /// ([`Category::Action`] issues) count against it. No rule has this
    /// category; it names a score.
    Resolution,
}

impl Category {
    /// Every category, in output order.
    pub const ALL: [Category; 12] = [
        Category::Procedural,
        Category::Excuse,
        Category::Apology,
        Category::EmpathyGap,
        Category::Empathy,
        Category::Distress,
        Category::Language,
        Category::Action,
        Category::Ownership,
        Category::Courtesy,
        Category::Timing,
        Category::Resolution,
    ];

    /// The category's name as written in rule ids and output.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Procedural => "procedural",
            Category::Excuse => "excuse",
            Category::Apology => "apology",
            Category::EmpathyGap => "empathy_gap",
            Category::Empathy => "empathy",
            Category::Distress => "distress",
            Category::Language => "language",
            Category::Action => "action",
            Category::Ownership => "ownership",
            Category::Courtesy => "courtesy",
            Category::Timing => "timing",
            Category::Resolution => "resolution",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a finding is marked down, credited, or only evidence.
///
/// Only issues cost points. Every rule has one fixed kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Kind {
    /// Something a QA lead would mark down.
    Issue,
    /// Something a QA lead would credit.
    Strength,
    /// Evidence about the conversation (customer distress), neither good nor bad.
    Signal,
}

impl Kind {
    /// The kind's name as written in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Issue => "issue",
            Kind::Strength => "strength",
            Kind::Signal => "signal",
        }
    }
}

/// How much a finding matters; ordered `Info < Warning < Error`.
///
/// Each rule has a default severity, which [`crate::Config::severity`] can
/// change. For an issue the severity sets the points it costs
/// ([`crate::ScoreConfig::penalties`]); strengths and signals cost nothing
/// whatever their severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; strengths and signals are `info`.
    Info,
    /// A QA lead would mark it down.
    Warning,
    /// A serious breach of good service.
    Error,
}

impl Severity {
    /// The severity's name as written in output.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `info`, `warning` (or `warn`) or `error`, ignoring case and
    /// surrounding space. Deserialization accepts only the lowercase names.
    pub fn parse(s: &str) -> Option<Severity> {
        match s.trim().to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warning" | "warn" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing a rule found in one turn.
///
/// A finding does not borrow the transcript: to get the flagged text, index
/// the turn's text with `span` or call [`Finding::text`]. It serializes as
///
/// ```json
/// {"rule": "apology.but", "category": "apology", "kind": "issue", "severity": "warning",
///  "turn": 1, "span": {"start": 0, "end": 14},
///  "message": "...", "suggestion": "..."}
/// ```
///
/// (`suggestion` is `null` when there is none). It does not implement
/// `Deserialize`, since `rule` and `message` are `&'static str`; look a
/// stored id up with [`crate::rule::find`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Finding {
    /// The rule's id, `category.name`.
    pub rule: &'static str,
    /// The rule's category.
    pub category: Category,
    /// Issue, strength or signal.
    pub kind: Kind,
    /// How much it matters.
    pub severity: Severity,
    /// 0-based index of the turn in [`crate::Transcript::turns`] (system
    /// turns count), or in push order for a [`crate::Conversation`].
    pub turn: usize,
    /// Where in that turn's text: byte offsets into the original text. For
    /// `empathy_gap.no_acknowledgment`, the first sentence of the reply's
    /// first turn.
    pub span: Span,
    /// Why it was flagged, in one sentence.
    pub message: &'static str,
    /// A better wording, where one exists.
    pub suggestion: Option<&'static str>,
    /// For `empathy_gap.no_acknowledgment`: the customer turn whose distress
    /// the reply missed and why it reads as upset; `None` for every other
    /// rule (and left out of the serialized finding).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upset: Option<Upset>,
}

/// Why a reply missed distress: the customer turn with the highest distress
/// score among those it answers, that score, and the turn's strongest
/// evidence (the `distress.*` finding named first: threats, then criticism of
/// the company, chasing, feelings, stakes, tone, intensity marks).
///
/// ```
/// use tactful::{Analyzer, Role, Transcript, Turn};
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Customer, "Third time I'm writing. I will cancel my plan!!"))
///     .with_turn(Turn::new(Role::Agent, "Please send your order number."));
/// let report = Analyzer::new().analyze(&t);
/// let gap = report.findings.iter().find(|f| f.rule == "empathy_gap.no_acknowledgment").unwrap();
/// let upset = gap.upset.unwrap();
/// assert_eq!((upset.turn, upset.rule), (0, "distress.churn_threat"));
/// assert_eq!(upset.span.slice(&t.turns[0].text), Some("I will cancel"));
/// assert!(upset.score >= 50);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Upset {
    /// 0-based index of the customer turn.
    pub turn: usize,
    /// Its distress score, 0 to 100.
    pub score: u8,
    /// The rule id of its strongest evidence (`distress.*`).
    pub rule: &'static str,
    /// Where that evidence is in the turn's text (byte offsets).
    pub span: Span,
}

impl Finding {
    /// The flagged text, given the turn's text it points into; `""` if the
    /// span does not fit `turn_text` (e.g. the wrong turn was given).
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Agent, "We apologize for any inconvenience."));
    /// let report = Analyzer::new().analyze(&t);
    /// let f = &report.findings[0];
    /// assert_eq!(f.rule, "apology.scripted");
    /// assert_eq!(f.text(&t.turns[f.turn].text), "We apologize for any inconvenience");
    /// ```
    pub fn text<'t>(&self, turn_text: &'t str) -> &'t str {
        self.span.slice(turn_text).unwrap_or("")
    }
}
