//! Configuration: which rules run, their severities, team phrases, and scoring.
//!
//! The same types back the command line's `tactful.toml` and an embedding
//! program's own settings (they are `serde` types with kebab-case keys and
//! unknown keys rejected), so a program can build an [`crate::Analyzer`] from a
//! config value without files. The library reads no files and parses no TOML
//! itself; deserialize a `tactful.toml` with the `toml` crate (or any serde
//! format) if you want one.
//!
//! ```
//! use tactful::{Analyzer, Config};
//! let mut config = Config::default();
//! config.ignore.push("procedural.template_formality".into());
//! config
//!     .extend_phrases
//!     .insert("procedural.policy_as_reason".into(), vec!["house rules (say|state)".into()]);
//! let analyzer = Analyzer::from_config(&config).unwrap();
//! # let _ = analyzer;
//! ```
//!
//! Rules are named by id (`apology.but`) or, where noted, by category prefix
//! (`procedural`); [`crate::rule::all`] lists the ids. Names are checked when
//! the analyzer is built, not when the config is deserialized.
//!
//! When deserializing, a map that is given replaces its default as a whole:
//! `[score.weights]` with only `empathy = 3` leaves the other categories at
//! weight 0, and likewise for `penalties`. Give every entry, or start from
//! [`ScoreConfig::default`] in code and change single entries:
//!
//! ```
//! use tactful::{Category, ScoreConfig};
//! let partial: ScoreConfig = serde_json::from_str(r#"{"weights": {"empathy": 3}}"#).unwrap();
//! assert_eq!(partial.weight(Category::Procedural), 0);
//! let mut config = ScoreConfig::default();
//! config.weights.insert(Category::Empathy, 3);
//! assert_eq!(config.weight(Category::Procedural), 1);
//! ```

use crate::error::{Error, ErrorKind};
use crate::finding::{Category, Severity};
use crate::rule::{self, RuleInfo};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Rule selection, severities, phrases and scoring.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct Config {
    /// Rules to report, by id or category prefix (`procedural`); empty
    /// reports every rule.
    pub select: Vec<String>,
    /// Rules not to report, by id or category prefix; applied after `select`.
    /// Ignored `distress.*` and acknowledgment rules still decide empathy gaps.
    pub ignore: Vec<String>,
    /// Severity per rule id or category prefix (the more specific wins).
    pub severity: BTreeMap<String, Severity>,
    /// Extra phrase patterns per rule id (not a category), in the phrase-list
    /// syntax of [`crate::lexicon`]. Every phrase rule accepts them, and so do
    /// `apology.conditional`, `apology.deflecting`, `apology.scripted` and
    /// `apology.but`, whose patterns match what follows the apology word
    /// (`"for any disruption"`).
    pub extend_phrases: BTreeMap<String, Vec<String>>,
    /// Phrase patterns per rule id or category prefix that are accepted: a
    /// finding inside one of them is dropped.
    pub allow_phrases: BTreeMap<String, Vec<String>>,
    /// How transcripts are scored.
    pub score: ScoreConfig,
    /// When a customer turn counts as distressed.
    pub distress: DistressConfig,
    /// Topic phrase patterns per tag: a built-in tag (`delivery`, `refund`,
    /// `billing`, `account`, `technical`, `cancellation`, `delay`,
    /// `availability`, `quality`, `staff`) gets them added to its list; any
    /// other tag (lower case, digits, `_`, `-`) is a new topic. See
    /// [`crate::topics`].
    pub topics: BTreeMap<String, Vec<String>>,
    /// Response-time targets per channel (see [`crate::timing`]).
    pub timing: crate::timing::TimingConfig,
    /// When the topic model gives a built-in tag (see [`crate::topics`]).
    pub topic_model: TopicModelConfig,
    /// When the excuse model reports a sentence (see [`crate::sentence_model`]).
    pub excuse_model: SentenceModelConfig,
    /// When the procedural model reports a sentence (see
    /// [`crate::sentence_model`]).
    pub procedural_model: SentenceModelConfig,
    /// When the patronizing model reports a sentence (see
    /// [`crate::sentence_model`]).
    pub patronizing_model: SentenceModelConfig,
    /// When the specific-action model reports an agent sentence as
    /// `action.specific` (`[action-model]`; see [`SentenceModelConfig`]).
    pub action_model: SentenceModelConfig,
    /// When the vague-action model reports an agent sentence as
    /// `action.vague` (`[vague-model]`; see [`SentenceModelConfig`]).
    pub vague_model: SentenceModelConfig,
    /// When the distress word model lifts a customer turn to distressed
    /// (`distress.implied`, `[distress-words-model]`): a turn whose
    /// probability of reading as upset reaches the threshold (unset: the
    /// model's own, 90) is distressed; 100 or more turns the model off.
    pub distress_words_model: SentenceModelConfig,
}

/// When a sentence model reports an agent sentence as `excuse.implied`
/// (`[excuse-model]`), `procedural.implied` (`[procedural-model]`) or
/// `language.patronizing` (`[patronizing-model]`); see
/// [`crate::sentence_model`].
///
/// `threshold` is a probability in percent: a statement sentence whose
/// probability of reading as an excuse (as policy-speak, as talking down)
/// reaches it is reported, unless a phrase list already names that category
/// in its turn. Unset, each model's own fitted threshold applies (excuse 60,
/// procedural 80, patronizing 40, chosen on the held-out sets); higher reports fewer, and 100 or more turns the model off (the
/// phrase lists alone find the category).
///
/// ```
/// use tactful::{Analyzer, Config, Role, Transcript, Turn};
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Customer, "My train was cancelled and I missed the wedding."))
///     .with_turn(Turn::new(Role::Agent, "Well, the trains were delayed by the weather, which nobody controls."));
/// let implied = |a: &Analyzer| a.analyze(&t).findings.iter().any(|f| f.rule == "excuse.implied");
/// assert!(implied(&Analyzer::new()));
/// let mut config = Config::default();
/// config.excuse_model.threshold = Some(100);
/// assert!(!implied(&Analyzer::from_config(&config).unwrap()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct SentenceModelConfig {
    /// The probability, in percent, from which the model reports a
    /// sentence; `None`: the model's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<u8>,
}

/// When the topic model gives a built-in tag beside the phrase lists (see
/// [`crate::topics`]).
///
/// `threshold` is a probability in percent: the model gives a tag whose
/// probability reaches it; a tag whose phrase list matches is given unless
/// the model gives it under 5% (a tag the team extended with its own phrases
/// keeps every match). Default 50; higher gives fewer tags, and 100 or more
/// turns the model off (the lists alone tag, as a team wanting only its own
/// phrases may prefer).
///
/// ```
/// use tactful::{Analyzer, Config, Role, Transcript, Turn};
/// let text = "The keypad on our back door still won't take my code, I've reported it three times and had to wait outside.";
/// let t = Transcript::new("T-1").with_turn(Turn::new(Role::Customer, text));
/// assert!(Analyzer::new().analyze(&t).topics.contains(&"technical".to_string()));
/// let mut config = Config::default();
/// config.topic_model.threshold = 100;
/// let lists_only = Analyzer::from_config(&config).unwrap();
/// assert!(!lists_only.analyze(&t).topics.contains(&"technical".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct TopicModelConfig {
    /// The probability, in percent, from which the model gives a tag.
    pub threshold: u8,
}

impl Default for TopicModelConfig {
    fn default() -> Self {
        TopicModelConfig { threshold: 50 }
    }
}

/// When a customer turn counts as distressed (see [`crate::distress`]).
///
/// Each customer turn gets a distress score from 0 to 100. A turn at or above
/// `threshold` is distressed: its evidence is reported as `distress.*`
/// findings and the agent's next reply must acknowledge it. An `empathy_gap`
/// after a turn scoring at or above `strong` keeps its rule's severity (by
/// default error); after a milder one it is one level lower, so it costs less
/// (see [`crate::score`]). Defaults: threshold 50, strong 75.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct DistressConfig {
    /// The score (0–100) from which a customer turn is distressed.
    pub threshold: u8,
    /// The score (0–100) from which distress is strong.
    pub strong: u8,
}

impl Default for DistressConfig {
    fn default() -> Self {
        DistressConfig {
            threshold: 50,
            strong: 75,
        }
    }
}

/// Scoring settings (see [`crate::score`]).
///
/// Defaults: weights procedural 1, excuse 1, apology 1, empathy 2, language 1,
/// resolution 1; penalties
/// info 5, warning 15, error 30; no caps; no critical rules; `critical-cap` 0.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default, rename_all = "kebab-case")]
#[non_exhaustive]
pub struct ScoreConfig {
    /// Weight of each judged category in the total (procedural, excuse,
    /// apology, empathy, language, resolution); a missing category weighs 0.
    pub weights: BTreeMap<Category, u32>,
    /// Points an issue finding costs its category, by severity; a missing
    /// severity costs 0.
    pub penalties: BTreeMap<Severity, u32>,
    /// Most points a category can lose (100 = down to 0); a missing category
    /// can lose 100.
    pub caps: BTreeMap<Category, u32>,
    /// Rules (ids or category prefixes) that fail the transcript when found (a
    /// scorecard's "fail all").
    pub critical: Vec<String>,
    /// The highest total a transcript with a critical finding can get.
    pub critical_cap: u8,
}

impl Default for ScoreConfig {
    fn default() -> Self {
        ScoreConfig {
            weights: BTreeMap::from([
                (Category::Procedural, 1),
                (Category::Excuse, 1),
                (Category::Apology, 1),
                (Category::Empathy, 2),
                (Category::Language, 1),
                (Category::Resolution, 1),
            ]),
            penalties: BTreeMap::from([
                (Severity::Info, 5),
                (Severity::Warning, 15),
                (Severity::Error, 30),
            ]),
            caps: BTreeMap::new(),
            critical: Vec::new(),
            critical_cap: 0,
        }
    }
}

/// The categories that carry a score, in [`crate::Score::categories`] and in
/// [`ScoreConfig`]'s `weights` and `caps`.
pub(crate) const SCORED: [Category; 6] = [
    Category::Procedural,
    Category::Excuse,
    Category::Apology,
    Category::Empathy,
    Category::Language,
    Category::Resolution,
];

impl ScoreConfig {
    /// Weight of a category (0 when not scored).
    pub fn weight(&self, c: Category) -> u32 {
        self.weights.get(&c).copied().unwrap_or(0)
    }

    /// Points an issue of this severity costs.
    pub fn penalty(&self, s: Severity) -> u32 {
        self.penalties.get(&s).copied().unwrap_or(0)
    }

    /// Most points a category can lose.
    pub fn cap(&self, c: Category) -> u32 {
        self.caps.get(&c).copied().unwrap_or(100).min(100)
    }
}

/// The rules a selector names: an exact id or a category prefix.
pub(crate) fn resolve(selector: &str, key: &str) -> Result<Vec<&'static RuleInfo>, Error> {
    let rules: Vec<&'static RuleInfo> = rule::matching(selector.trim()).collect();
    if rules.is_empty() {
        return Err(Error::new(
            ErrorKind::Config,
            format!("{key}: unknown rule or category {selector:?} (see `tactful rules`)"),
        ));
    }
    Ok(rules)
}

/// Which rules run and at what severity, resolved from a config.
#[derive(Debug, Clone)]
pub(crate) struct RuleTable {
    enabled: Vec<bool>,
    severity: Vec<Severity>,
    /// Every rule enabled (the default): [`RuleTable::enabled`] answers
    /// without a look-up, as it is asked for every finding.
    all_enabled: bool,
    /// Every rule at its default severity (the default), likewise.
    default_severity: bool,
}

impl RuleTable {
    pub fn new(config: &Config) -> Result<RuleTable, Error> {
        let all = rule::all();
        let index = |r: &RuleInfo| all.iter().position(|x| x.id == r.id).unwrap_or(0);
        let mut enabled = vec![config.select.is_empty(); all.len()];
        for s in &config.select {
            for r in resolve(s, "select")? {
                enabled[index(r)] = true;
            }
        }
        for s in &config.ignore {
            for r in resolve(s, "ignore")? {
                enabled[index(r)] = false;
            }
        }
        let mut severity: Vec<Severity> = all.iter().map(|r| r.severity).collect();
        // category prefixes first, then exact ids, so the more specific wins
        let mut entries: Vec<(&String, &Severity)> = config.severity.iter().collect();
        entries.sort_by_key(|(k, _)| k.contains('.'));
        for (key, &sev) in entries {
            for r in resolve(key, "severity")? {
                severity[index(r)] = sev;
            }
        }
        for key in config.score.critical.iter() {
            resolve(key, "score.critical")?;
        }
        for c in config.score.weights.keys().chain(config.score.caps.keys()) {
            if !SCORED.contains(c) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("score: category {c} is not scored (use procedural, excuse, apology, empathy, language or resolution{})", if *c == Category::Action { "; vague actions count against resolution" } else { "" }),
                ));
            }
        }
        Ok(RuleTable::from_parts(enabled, severity))
    }

    fn from_parts(enabled: Vec<bool>, severity: Vec<Severity>) -> RuleTable {
        let all = rule::all();
        RuleTable {
            all_enabled: enabled.iter().all(|&e| e),
            default_severity: all.iter().zip(&severity).all(|(r, &s)| r.severity == s),
            enabled,
            severity,
        }
    }

    /// Every rule on at its default severity.
    pub fn defaults() -> RuleTable {
        let all = rule::all();
        RuleTable::from_parts(
            vec![true; all.len()],
            all.iter().map(|r| r.severity).collect(),
        )
    }

    fn position(id: &str) -> Option<usize> {
        // the registry is sorted by id (a test keeps it so)
        rule::all().binary_search_by(|r| r.id.cmp(id)).ok()
    }

    /// Whether the rule runs (`id` is a registry id: findings carry only
    /// those). (Inlined: the readers ask it several times a turn, and with
    /// every rule on, the default, the answer is one flag's load.)
    #[inline]
    pub fn enabled(&self, id: &str) -> bool {
        if self.all_enabled {
            return true;
        }
        Self::position(id).is_some_and(|i| self.enabled[i])
    }

    /// The rule's effective severity.
    #[inline]
    pub fn severity(&self, rule: &RuleInfo) -> Severity {
        if self.default_severity {
            return rule.severity;
        }
        Self::position(rule.id).map_or(rule.severity, |i| self.severity[i])
    }
}

/// Whether `rule` is named by any of `selectors` (ids or category prefixes).
pub(crate) fn names(selectors: &[String], rule: &str) -> bool {
    selectors.iter().any(|s| {
        let s = s.trim();
        rule == s
            || (rule.len() > s.len() && rule.starts_with(s) && rule.as_bytes()[s.len()] == b'.')
    })
}
