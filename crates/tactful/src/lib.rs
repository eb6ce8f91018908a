//! # tactful
//!
//! Audits customer-service conversations the way a seasoned QA lead would:
//! it flags **procedural language** (policy-speak instead of help),
//! **excuses** (blame-shifting, defensiveness), judges **apology quality**
//! (sincere apologies are credited; conditional, deflecting, "sorry, but" and
//! scripted ones are flagged), reads customer **distress** and reports an
//! **empathy gap** when an upset customer gets no acknowledgment.
//!
//! ## Concepts
//! - A **rule** ([`RuleInfo`]) is one check with a stable id `category.name`
//!   (`apology.but`), a [`Category`], a [`Kind`] and a default [`Severity`];
//!   its `doc` says what it flags and why. [`rule::all`] lists every rule;
//!   each is also a constant in its [`rules`] submodule.
//! - A **category** is a family of rules (the part of the id before the dot).
//!   Four categories carry a score: procedural, excuse, apology and empathy
//!   (the empathy score counts the `empathy_gap` findings).
//! - A **kind** says how a finding counts: an *issue* costs its category
//!   points; a *strength* (`apology.sincere`, `empathy.*`) adds no points but
//!   answers customer distress, so it prevents an `empathy_gap`; a *signal*
//!   (`distress.*`) is evidence only. [`Report::findings`] holds all three
//!   kinds; filter on `kind == Kind::Issue` for problems only.
//! - A [`Finding`] is one rule firing in one turn: `turn` is the index into
//!   [`Transcript::turns`] and `span` a [`Span`] of byte offsets into that
//!   turn's original text (on character boundaries), so
//!   `&transcript.turns[f.turn].text[f.span.range()]` is the flagged text.
//! - A [`Score`] (0–100 with a per-category breakdown) is computed from the
//!   findings; [`score`] documents the formula.
//!
//! ## Design
//! - A [`Transcript`] is an id and ordered [`Turn`]s, each with a [`Role`] and
//!   a text. Texts are `Cow<str>` so callers can borrow from their buffers.
//! - Phrase rules are data files compiled in (syntax: [`lexicon`]) and matched
//!   in one pass per turn by one automaton, on a normalized view of the text
//!   ([`text::Normalized`]: case, curly quotes and whitespace folded) whose
//!   offsets map back exactly.
//! - An [`Analyzer`] compiles everything once; it is `Send + Sync` and
//!   [`Analyzer::analyze`] takes `&self`, so one analyzer serves every thread
//!   (share it by reference or in an `Arc`). It does no I/O, starts no threads
//!   and keeps no mutable global state. For batches, pass one [`Scratch`] per
//!   thread to [`Analyzer::analyze_with`] to reuse buffers.
//! - A [`Report`] holds the findings and the [`Score`]. Findings borrow nothing
//!   from the transcript (their strings are `&'static str`), so a report can
//!   outlive the transcript; keep the turn texts too if you want to show the
//!   flagged text later.
//! - For live chat, a [`Conversation`] takes turns one at a time and returns the
//!   findings each adds, with the same end result as analyzing the whole
//!   transcript.
//! - A [`Config`] (the CLI's `tactful.toml`, or a value built in code) selects
//!   rules, sets severities, adds or allows phrases and tunes scoring:
//!   [`Analyzer::from_config`]. Invalid configurations are reported as an
//!   [`Error`] that names the offending key.
//!
//! ## Example
//! ```
//! use tactful::{Analyzer, Role, Transcript, Turn};
//!
//! let analyzer = Analyzer::new();
//! let transcript = Transcript::new("T-1")
//!     .with_turn(Turn::new(Role::Customer, "This is the THIRD time I'm writing!!"))
//!     .with_turn(Turn::new(Role::Agent, "Please be advised that refunds take 10 days."));
//! let report = analyzer.analyze(&transcript);
//! for f in &report.findings {
//!     let text = &transcript.turns[f.turn].text[f.span.range()];
//!     println!("{} turn {}: {:?}", f.rule, f.turn, text);
//! }
//! assert!(report.findings.iter().any(|f| f.rule == "empathy_gap.no_acknowledgment"));
//! assert!(report.score.total < 100);
//! ```
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod analyzer;
pub mod config;
pub mod conversation;
pub mod distress;
pub mod error;
pub mod finding;
pub mod lexicon;
mod matcher;
mod names;
pub mod rule;
pub mod rules;
pub mod score;
pub mod sentence_model;
pub mod span;
pub mod text;
pub mod timing;
pub mod topics;
pub mod transcript;

pub use analyzer::{Analyzer, Report, Scratch};
pub use config::{Config, ScoreConfig};
pub use conversation::Conversation;
pub use error::{Error, ErrorKind};
pub use finding::{Category, Finding, Kind, Severity, Upset};
pub use rule::RuleInfo;
pub use score::Score;
pub use span::Span;
pub use transcript::{Role, Transcript, Turn};
