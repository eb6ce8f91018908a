//! Live chat: analyze a conversation turn by turn as messages arrive.

use crate::analyzer::{Analyzer, Report, Scratch};
use crate::distress::TurnDistress;
use crate::finding::{Category, Finding, Kind};
use crate::rules::{apology, empathy_gap};
use crate::timing::Clock;
use crate::transcript::{Role, Turn};

/// A conversation analyzed incrementally, one turn at a time.
///
/// [`Conversation::push`] returns the findings the new turn adds. An
/// `empathy_gap` is reported when the agent's reply to a distressed customer
/// is complete, that is when the next customer turn arrives or at
/// [`Conversation::finish`] (a reply split over several messages is judged as
/// a whole, as in [`Analyzer::analyze`]); it points at the reply's first turn.
/// After `finish`, [`Conversation::report`] equals what
/// [`Analyzer::analyze`] gives for the whole transcript.
///
/// Turn indices count every pushed turn from 0, system turns included. A
/// conversation does not keep the texts: spans index the `text` given to
/// [`Conversation::push`], and an `empathy_gap` returned by a later push
/// points into an earlier turn, so keep the texts if you need to show them.
///
/// ```
/// use tactful::{Analyzer, Conversation, Role};
/// let analyzer = Analyzer::new();
/// let mut chat = Conversation::new(&analyzer);
/// let f = chat.push(Role::Customer, "Third time I'm writing, this is ridiculous!!");
/// assert!(f.iter().any(|f| f.rule.starts_with("distress.")));
/// chat.push(Role::Agent, "Please send your order number.");
/// // the reply is judged once it is complete: here, when the customer answers
/// let f = chat.push(Role::Customer, "It's 1182.");
/// assert!(f.iter().any(|f| f.rule == "empathy_gap.no_acknowledgment" && f.turn == 1));
/// assert!(chat.finish().is_empty()); // no agent reply left open
/// ```
///
/// A conversation borrows its analyzer. To keep conversations in long-lived
/// session state (a `Conversation` is `Send`, so it can move between threads
/// or async tasks), give them a `'static` analyzer:
///
/// ```
/// use std::sync::LazyLock;
/// use tactful::{Analyzer, Conversation};
/// static ANALYZER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);
/// let chat: Conversation<'static> = Conversation::new(&ANALYZER);
/// assert!(chat.is_empty());
/// ```
#[derive(Debug)]
pub struct Conversation<'a> {
    analyzer: &'a Analyzer,
    scratch: Scratch,
    roles: Vec<Role>,
    /// Every finding so far, including those of rules the configuration hides
    /// (distress and acknowledgment still decide empathy gaps).
    findings: Vec<Finding>,
    last: Option<Role>,
    /// The current customer group's highest score among its distressed
    /// turns, if any was distressed, with that turn's strongest evidence
    /// (the first such turn on a tie).
    distressed: Option<(u8, Option<crate::finding::Upset>)>,
    /// Each customer turn's distress score so far.
    distress: Vec<TurnDistress>,
    /// The agent reply being judged: its first turn, the gap finding to report
    /// if it ends unacknowledged, and whether it acknowledged.
    judged: Option<(Finding, bool)>,
    /// The channel, for the slow-reply target.
    channel: Option<String>,
    /// Response times so far; `None` once a turn came without a readable
    /// timestamp.
    clock: Option<Clock>,
}

impl<'a> Conversation<'a> {
    /// An empty conversation analyzed by `analyzer`.
    pub fn new(analyzer: &'a Analyzer) -> Conversation<'a> {
        Conversation {
            analyzer,
            scratch: Scratch::default(),
            roles: Vec::new(),
            findings: Vec::new(),
            last: None,
            distressed: None,
            distress: Vec::new(),
            judged: None,
            channel: None,
            clock: Some(Clock::default()),
        }
    }

    /// Sets the channel (`chat`, `email`, `twitter`...), which picks the
    /// slow-reply target for turns pushed with timestamps (see
    /// [`crate::timing`]).
    pub fn with_channel(mut self, channel: impl Into<String>) -> Conversation<'a> {
        self.channel = Some(channel.into());
        self
    }

    /// Adds a turn with its optional `name` and `timestamp`, as
    /// [`Conversation::push`] does with a role and a text. A customer's
    /// `name` is remembered for `courtesy.name`; with timestamps on every
    /// turn, an agent reply that kept the customer waiting past the channel's
    /// target gets a `timing.slow_reply` finding.
    ///
    /// ```
    /// use tactful::{Analyzer, Conversation, Role, Turn};
    /// let analyzer = Analyzer::new();
    /// let mut chat = Conversation::new(&analyzer).with_channel("chat");
    /// chat.push_turn(&Turn::new(Role::Customer, "Is my order coming?")
    ///     .with_name("Sarah").with_timestamp("2024-05-01T09:00:00Z"));
    /// let f = chat.push_turn(&Turn::new(Role::Agent, "Yes Sarah, it ships today.")
    ///     .with_timestamp("2024-05-01T09:20:00Z"));
    /// assert!(f.iter().any(|f| f.rule == "courtesy.name"));
    /// assert!(f.iter().any(|f| f.rule == "timing.slow_reply"));
    /// ```
    pub fn push_turn(&mut self, turn: &Turn<'_>) -> Vec<Finding> {
        self.push_with(
            turn.role,
            &turn.text,
            turn.name.as_deref(),
            turn.timestamp.as_deref(),
        )
    }

    /// Adds a turn and returns the findings it adds (in position order), plus
    /// an `empathy_gap` for the previous agent reply if this turn completes it.
    ///
    /// Only a customer turn completes an agent reply; the gap finding comes
    /// last and its `turn` is the reply's first turn, not this one. Findings of
    /// rules the configuration disables are not returned.
    pub fn push(&mut self, role: Role, text: &str) -> Vec<Finding> {
        self.push_with(role, text, None, None)
    }

    fn push_with(
        &mut self,
        role: Role,
        text: &str,
        name: Option<&str>,
        timestamp: Option<&str>,
    ) -> Vec<Finding> {
        let index = self.roles.len();
        if role == Role::Customer {
            crate::names::customer_names(name, text, &mut self.scratch.names);
        }
        let mut wait = None;
        if role != Role::System {
            let stamp = timestamp.and_then(crate::timing::parse_timestamp);
            self.clock = match (self.clock.take(), stamp) {
                (Some(mut clock), Some(ms)) => match clock.turn(index, role, ms) {
                    Some(w) => {
                        wait = w;
                        Some(clock)
                    }
                    None => None,
                },
                _ => None,
            };
        }
        self.roles.push(role);
        let mut new = Vec::new();
        let chaser = self.last == Some(Role::Customer);
        let scored =
            self.analyzer
                .check_turn(index, role, text, chaser, &mut self.scratch, &mut new);
        self.distress.extend(scored);
        let mut added = Vec::new();
        match role {
            Role::System => {}
            Role::Customer => {
                if self.last != Some(Role::Customer) {
                    added.extend(self.close_reply());
                    self.distressed = None;
                }
                if new.iter().any(|f| f.category == Category::Distress) {
                    let score = scored.map_or(100, |d| d.score);
                    if self.distressed.is_none_or(|(peak, _)| score > peak) {
                        let upset = crate::rules::empathy_gap::upset_in(&new, index, score);
                        self.distressed = Some((score, upset));
                    }
                }
            }
            Role::Agent => {
                if self.last != Some(Role::Agent) {
                    // (a reply that opens by laughing answers a joke: no gap
                    // is judged on it, as in `Analyzer::analyze`)
                    if let Some((peak, upset)) = self.distressed.take() {
                        if !crate::rules::empathy_gap::opens_with_laugh(text) {
                            let mut gap = self.analyzer.gap_finding(index, text, peak);
                            gap.upset = upset;
                            self.judged = Some((gap, false));
                        }
                    }
                }
                if let Some((_, acknowledged)) = &mut self.judged {
                    // (a recorded message in the reply hands the call over:
                    // no gap is judged, as in `Analyzer::analyze`)
                    *acknowledged |= self.scratch.recorded_row(index)
                        || new.iter().any(|f| {
                            (f.category == Category::Empathy && f.kind == Kind::Strength)
                                || f.rule == apology::SINCERE.id
                                || (f.rule == crate::rules::ownership::TAKEN.id
                                    && text
                                        .get(f.span.range())
                                        .is_some_and(crate::rules::empathy_gap::owns_fault))
                        });
                }
            }
        }
        if let Some(w) = wait {
            if w.seconds > self.analyzer.reply_target(self.channel.as_deref()) {
                new.push(self.analyzer.slow_reply(index, text));
            }
        }
        if role != Role::System {
            self.last = Some(role);
        }
        new.sort_by_key(|f| (f.span.start, f.span.end, f.rule));
        self.findings.extend(new.iter().cloned());
        new.extend(added);
        new.retain(|f| self.analyzer.enabled(f.rule));
        new
    }

    /// Ends the conversation: judges an agent reply still open and returns
    /// its `empathy_gap`, if any. Call it after the last turn; calling it again
    /// returns nothing new.
    pub fn finish(&mut self) -> Vec<Finding> {
        let mut out = self.close_reply();
        out.retain(|f| self.analyzer.enabled(f.rule));
        out
    }

    fn close_reply(&mut self) -> Vec<Finding> {
        match self.judged.take() {
            Some((gap, false)) if self.analyzer.enabled(empathy_gap::NO_ACKNOWLEDGMENT.id) => {
                self.findings.push(gap.clone());
                vec![gap]
            }
            _ => Vec::new(),
        }
    }

    /// Number of turns pushed so far.
    pub fn len(&self) -> usize {
        self.roles.len()
    }

    /// Whether no turn was pushed yet.
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty()
    }

    /// The findings and score of the conversation so far (an open agent reply
    /// is judged only after [`Conversation::finish`]).
    pub fn report(&self) -> Report {
        let timing = self.clock.as_ref().map(Clock::timing);
        let topics = self.analyzer.topic_model().decide(
            &self.scratch.topic_scan,
            self.scratch.topics,
            self.analyzer.topics_kept,
        );
        self.analyzer.finish(
            &self.roles,
            self.findings.clone(),
            self.distress.clone(),
            self.scratch.topics,
            topics,
            timing,
        )
    }
}
