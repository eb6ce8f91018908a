//! The [`Analyzer`]: every rule compiled once, shared by reference across threads.

use crate::config::{Config, DistressConfig, RuleTable, ScoreConfig};
use crate::distress::{
    self as distress_model, valence, Evidence, Explanation, Model, TurnDistress,
};
use crate::error::{Error, ErrorKind};
use crate::finding::{Category, Finding, Kind, Severity};
use crate::matcher::{Hit, LexiconId, Matcher, MatcherBuilder, ScanBuffers};
use crate::rule::RuleInfo;
use crate::rules::{self, action, apology, distress, empathy_gap};
use crate::score::{self, Score};
use crate::sentence_model::Kind as SentenceKind;
use crate::span::Span;
use crate::text::Normalized;
use crate::transcript::{Role, Transcript};

/// The findings and score of one transcript.
///
/// A report borrows nothing from the transcript, so it can be kept after the
/// transcript is dropped; to show a finding's text later, keep the turn texts
/// too (see [`Finding::text`]). It serializes (serde) as
/// `{"findings": [...], "score": {...}}`:
///
/// ```
/// use tactful::{Analyzer, Role, Transcript, Turn};
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Agent, "Per our policy we cannot refund."));
/// let report = Analyzer::new().analyze(&t);
/// let json = serde_json::json!({"id": t.id, "report": report});
/// assert_eq!(json["report"]["findings"][0]["rule"], "procedural.policy_as_reason");
/// assert_eq!(
///     json["report"]["findings"][0]["span"],
///     serde_json::json!({"start": 0, "end": 14})
/// );
/// assert!(json["report"]["score"]["total"].as_u64().unwrap() < 100);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct Report {
    /// Every finding of an enabled rule (issues, strengths and signals),
    /// ordered by turn, then position, then rule id.
    pub findings: Vec<Finding>,
    /// The transcript's score and per-category breakdown.
    pub score: Score,
    /// Each customer turn's distress score, in turn order (turns with no
    /// text are left out).
    pub distress: Vec<TurnDistress>,
    /// What the customer contacts about: the topic tags found in customer
    /// turns, in the order of the built-in list, then the configuration's
    /// own (see [`crate::topics`]).
    pub topics: Vec<String>,
    /// Response times, where every customer and agent turn carries a
    /// readable timestamp; `None` otherwise (see [`crate::timing`]).
    pub timing: Option<crate::timing::Timing>,
}

/// Analyzes transcripts: build once, then call [`Analyzer::analyze`] from any thread.
///
/// Building compiles every phrase list, so create one analyzer per
/// configuration and share it (`&Analyzer` or `Arc<Analyzer>`; it is
/// `Send + Sync`) rather than building or cloning one per transcript.
/// Analysis cannot fail: every transcript gives a [`Report`].
///
/// ```
/// use tactful::{Analyzer, Role, Transcript, Turn};
/// let analyzer = Analyzer::new();
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Customer, "Where is my refund?"))
///     .with_turn(Turn::new(Role::Agent, "I'm sorry, but per our policy we cannot refund."));
/// let report = analyzer.analyze(&t);
/// let rules: Vec<&str> = report.findings.iter().map(|f| f.rule).collect();
/// assert!(rules.contains(&"apology.but"));
/// assert!(rules.contains(&"procedural.policy_as_reason"));
/// ```
#[derive(Debug, Clone)]
pub struct Analyzer {
    /// The lexicons read on agent turns (agent rules, the apology lists and
    /// the allow-lists of agent rules).
    agent_matcher: Matcher,
    /// The lexicons read on customer turns.
    customer_matcher: Matcher,
    /// For each lexicon id, the rule it reports (None for internal lexicons).
    lexicon_rules: Vec<Option<&'static RuleInfo>>,
    /// For each lexicon id, the rule whose findings it silences (`allow-phrases`).
    allow_rules: Vec<Option<&'static str>>,
    apology: apology::ApologyLexicons,
    /// The internal lexicon of acts of help (for `[unless-help]` patterns).
    help: LexiconId,
    /// The internal lexicon of ownership stated outright.
    owned: LexiconId,
    /// The internal lexicon of asides in a customer turn.
    aside: LexiconId,
    /// The internal lexicon of an agent's small-talk questions.
    smalltalk: LexiconId,
    /// A call's recorded messages (`call.recording`).
    recording: LexiconId,
    /// The internal lexicon of a customer's protest at being talked down to.
    objection: LexiconId,
    /// The internal lexicons of promised acts and their times.
    action: action::ActionLexicons,
    /// Per lexicon id: the index of the topic it tags, if it is a topic list.
    topic_of: Vec<Option<u8>>,
    /// The built-in topic tags a team extended with its own phrases: their
    /// list matches stand whatever the topic model says.
    pub(crate) topics_kept: u64,
    /// Topic tags by index.
    topic_names: Vec<String>,
    /// The topic model over the customer turns' words (built-in tags).
    topic_model: crate::topics::Model,
    /// The sentence models over the agent turns' sentences (excuse,
    /// procedural).
    sentence_models: crate::sentence_model::Models,
    /// The distress word model over each customer turn's words and pairs.
    distress_words: crate::sentence_model::Model,
    /// The topic model's and the distress word model's features in one
    /// table (one look per customer word and pair serves both).
    customer_words: crate::topics::CustomerWords,
    /// Per word of the customer matcher's vocabulary (by id), what a
    /// customer turn's readers look up for it (`None` for a token that is
    /// no word: it is read as any token is).
    customer_known: Vec<Option<KnownCustomerWord>>,
    /// Per word of the agent matcher's vocabulary (by id), what the
    /// sentence models read of it.
    agent_known: Vec<Option<KnownAgentToken>>,
    timing: crate::timing::TimingConfig,
    /// Per lexicon id: whether its matches refuse or excuse (procedural and
    /// excuse lists), which cancel an apology just before them.
    cancels: Vec<u8>,
    rules: RuleTable,
    score: ScoreConfig,
    /// `score`'s numbers in arrays, read once.
    score_table: score::ScoreTable,
    /// The distress model and when a turn counts as distressed.
    model: Model,
    distress: DistressConfig,
}

/// What the sentence models read of a token of the agent matcher's
/// vocabulary, found once when the analyzer is built.
#[derive(Debug, Clone, Copy, PartialEq)]
enum KnownAgentToken {
    /// A word: the hash of its stem ([`crate::topics::stem_hash`]) and its
    /// row in the sentence models ([`crate::sentence_model::Models::row`]).
    Word(u64, u32),
    /// A token that is no word: its [`crate::sentence_model::mark_of`].
    Mark(u8),
}

/// What a customer turn's readers look up for a word of the customer
/// matcher's vocabulary, found once when the analyzer is built.
#[derive(Debug, Clone, Copy, PartialEq)]
struct KnownCustomerWord {
    /// The hash of its stem ([`crate::topics::stem_hash`]); 0 for a token
    /// that is no word ([`crate::topics::is_word`]), which the models read
    /// by `mark` alone.
    h: u64,
    /// For a token that is no word: [`MARK_BREAKS`] if it ends a run of
    /// words ([`crate::topics::breaks`]), [`MARK_CLOSES`] if it closes the
    /// distress word model's sentence (as [`crate::sentence_model::Model::turn_hashed`]
    /// reads it); 0 for a word.
    mark: u8,
    /// Its row in the topic model and its weight in the distress word
    /// model ([`crate::topics::CustomerWords::get`] of `h`).
    rows: crate::topics::CustomerRows,
    /// Its entry in the valence lexicon ([`valence::entry_of`]).
    valence: Option<valence::Entry>,
}

/// [`KnownCustomerWord::mark`]: the token ends a run of words.
const MARK_BREAKS: u8 = 1;
/// [`KnownCustomerWord::mark`]: the token closes a sentence.
const MARK_CLOSES: u8 = 2;

/// [`KnownCustomerWord::mark`] of a token that is no word.
fn customer_mark(token: &str) -> u8 {
    let breaks = if crate::topics::breaks(token) {
        MARK_BREAKS
    } else {
        0
    };
    let closes = if matches!(token.as_bytes().first(), Some(b'.' | b'!' | b'?' | b'\n')) {
        MARK_CLOSES
    } else {
        0
    };
    breaks | closes
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

/// The internal lexicon of acts of help and alternatives an agent offers.
pub(crate) const HELP_OFFER: (&str, &str) = (
    "help.offer",
    include_str!("../lexicons/internal/help.offer.txt"),
);

/// The fewest words a customer turn needs for the distress word model to
/// lift it: a call's short answers ("I'm laid off", "she passed away") are
/// facts given to a question, and the model is fitted on whole messages.
const MIN_WORDS_READ: usize = 5;

/// The internal lexicon of asides in a customer turn (a story from the past,
/// small talk about the news or the weather): distress words in their
/// sentence are not about the service.
pub(crate) const DISTRESS_ASIDE: (&str, &str) = (
    "distress.aside",
    include_str!("../lexicons/internal/distress.aside.txt"),
);

/// The internal lexicon of an agent's small-talk questions ("how's your day
/// going?"): the customer's answer is small talk, not about the service.
/// A call's recorded messages (the hold loop, the menu) transcribed as the
/// agent's words.
pub(crate) const CALL_RECORDING: (&str, &str) = (
    "call.recording",
    include_str!("../lexicons/internal/call.recording.txt"),
);

pub(crate) const DISTRESS_SMALLTALK: (&str, &str) = (
    "distress.smalltalk",
    include_str!("../lexicons/internal/distress.smalltalk.txt"),
);

/// The internal lexicon of a customer's protest at being talked down to ("I
/// know what escrow is", "I'm not an idiot"): the agent turn it answers is
/// reported as `language.patronizing`.
pub(crate) const PATRONIZING_OBJECTION: (&str, &str) = (
    "language.objection",
    include_str!("../lexicons/internal/language.objection.txt"),
);

/// The internal lexicon of ownership stated outright ("that's on us"), which
/// turns a cause the agent gives into explanation rather than excuse.
pub(crate) const EXCUSE_OWNED: (&str, &str) = (
    "excuse.owned",
    include_str!("../lexicons/internal/excuse.owned.txt"),
);

/// Rejects an entry of a configured phrase list that is no pattern line
/// (empty, white space, a comment, an example, tags alone, a line break):
/// it would match nothing, silently.
fn check_entries(table: &str, key: &str, patterns: &[String]) -> Result<(), Error> {
    for p in patterns {
        if let Some(problem) = crate::lexicon::entry_problem(p) {
            return Err(Error::new(
                ErrorKind::Config,
                format!("{table}.{key}: pattern {p:?}: {problem}"),
            ));
        }
    }
    Ok(())
}

/// The matcher of the built-in phrase lists read on agent turns, as
/// `build.rs` compiled it ([`Matcher::to_blob`]); the lists' text stays the
/// source (a test holds this equal to the matcher compiled from it here).
static AGENT_MATCHER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matcher-agent.bin"));

/// The matcher of the built-in phrase lists read on customer turns (as
/// [`AGENT_MATCHER`]).
static CUSTOMER_MATCHER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/matcher-customer.bin"));

/// The internal apology lexicon that `extend-phrases` of an apology rule adds to.
fn apology_extension(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "apology.conditional" => "apology.conditional",
        "apology.deflecting" => "apology.deflecting_feeling",
        "apology.scripted" => "apology.scripted",
        "apology.but" => "apology.but",
        _ => return None,
    })
}

impl Analyzer {
    /// An analyzer with every built-in rule and phrase list and default scoring
    /// (the same as `Analyzer::from_config(&Config::default())`).
    pub fn new() -> Analyzer {
        // The built-in lexicons are tested to parse, so this cannot fail; if it
        // ever did, an analyzer that finds nothing is better than a panic.
        Analyzer::from_config(&Config::default()).unwrap_or_else(|_| Analyzer::empty())
    }

    /// An analyzer built from a configuration value (see [`Config`]).
    ///
    /// Errors are of kind [`ErrorKind::Config`] and name the offending key: an
    /// unknown rule or category, a phrase pattern that does not parse, phrases
    /// for a rule that has no phrase list, a score weight or cap for a
    /// category that is not scored.
    ///
    /// ```
    /// use tactful::{Analyzer, Config, ErrorKind};
    /// let mut config = Config::default();
    /// config.ignore.push("procedural.nope".into());
    /// let err = Analyzer::from_config(&config).unwrap_err();
    /// assert_eq!(err.kind(), ErrorKind::Config);
    /// assert!(err.to_string().starts_with("ignore: unknown rule or category \"procedural.nope\""));
    /// ```
    pub fn from_config(config: &Config) -> Result<Analyzer, Error> {
        Analyzer::from_config_with(config, true)
    }

    /// [`Analyzer::from_config`], its two matchers read from the blobs
    /// `build.rs` compiled of the built-in phrase lists when `blobs` is set
    /// and the configuration adds no phrases or topics of its own (else,
    /// and for the test that holds the two ways equal, the lists are parsed
    /// and compiled here).
    fn from_config_with(config: &Config, blobs: bool) -> Result<Analyzer, Error> {
        let rules = RuleTable::new(config)?;
        let mut b = MatcherBuilder::default();
        b.names_only = blobs
            && config.extend_phrases.is_empty()
            && config.allow_phrases.is_empty()
            && config.topics.is_empty();
        let mut lexicon_rules: Vec<Option<&'static RuleInfo>> = Vec::new();
        let mut allow_rules: Vec<Option<&'static str>> = Vec::new();
        // per lexicon id, the role of the turns it is read on
        let mut lexicon_roles: Vec<Option<Role>> = Vec::new();
        fn set<T: Copy>(v: &mut Vec<Option<T>>, id: LexiconId, value: T) {
            let i = id as usize;
            if v.len() <= i {
                v.resize(i + 1, None);
            }
            v[i] = Some(value);
        }
        for (rule, source) in crate::rule::phrase_lexicons() {
            let id = b.add_source(rule.id, source).map_err(Error::lexicon)?;
            set(&mut lexicon_rules, id, rule);
            set(&mut lexicon_roles, id, rule.role);
        }
        for (name, source) in apology::INTERNAL_LEXICONS {
            let id = b.add_source(name, source).map_err(Error::lexicon)?;
            set(&mut lexicon_roles, id, Role::Agent);
        }
        let help = b
            .add_source(HELP_OFFER.0, HELP_OFFER.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, help, Role::Agent);
        let owned = b
            .add_source(EXCUSE_OWNED.0, EXCUSE_OWNED.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, owned, Role::Agent);
        let aside = b
            .add_source(DISTRESS_ASIDE.0, DISTRESS_ASIDE.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, aside, Role::Customer);
        let smalltalk = b
            .add_source(DISTRESS_SMALLTALK.0, DISTRESS_SMALLTALK.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, smalltalk, Role::Agent);
        let recording = b
            .add_source(CALL_RECORDING.0, CALL_RECORDING.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, recording, Role::Agent);
        let objection = b
            .add_source(PATRONIZING_OBJECTION.0, PATRONIZING_OBJECTION.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, objection, Role::Customer);
        let future = b
            .add_source(action::FUTURE.0, action::FUTURE.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, future, Role::Agent);
        let when = b
            .add_source(action::WHEN.0, action::WHEN.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, when, Role::Agent);
        let immediate = b
            .add_source(action::IMMEDIATE.0, action::IMMEDIATE.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, immediate, Role::Agent);
        let on_call = b
            .add_source(action::ON_CALL.0, action::ON_CALL.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, on_call, Role::Agent);
        let sale_talk = b
            .add_source(action::SALE_TALK.0, action::SALE_TALK.1)
            .map_err(Error::lexicon)?;
        set(&mut lexicon_roles, sale_talk, Role::Agent);
        let mut topic_of: Vec<Option<u8>> = Vec::new();
        let mut topic_names: Vec<String> = Vec::new();
        let own = config
            .topics
            .iter()
            .filter(|(tag, _)| !crate::topics::BUILTIN.iter().any(|(b, _)| b == tag));
        for (tag, _) in own.clone() {
            if !crate::topics::valid_tag(tag) {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("topics: bad tag {tag:?} (lower-case letters, digits, `_` or `-`, at most 40)"),
                ));
            }
        }
        let tags = crate::topics::BUILTIN
            .iter()
            .map(|(t, _)| *t)
            .chain(own.map(|(t, _)| t.as_str()));
        for tag in tags {
            if topic_names.len() == crate::topics::MAX_TOPICS {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!("topics: more than {} topics", crate::topics::MAX_TOPICS),
                ));
            }
            let name = format!("topic:{tag}");
            let id = b.lexicon(&name);
            if let Some((_, src)) = crate::topics::BUILTIN.iter().find(|(t, _)| *t == tag) {
                b.add_source(&name, src).map_err(Error::lexicon)?;
            }
            if let Some(patterns) = config.topics.get(tag) {
                check_entries("topics", tag, patterns)?;
                b.add_source(&name, &patterns.join("\n"))
                    .map_err(|e| Error::pattern("topics", tag, patterns, e))?;
            }
            set(&mut lexicon_roles, id, Role::Customer);
            set(&mut topic_of, id, topic_names.len() as u8);
            topic_names.push(tag.to_string());
        }
        for (key, patterns) in &config.extend_phrases {
            let rule = crate::rule::find(key.trim()).ok_or_else(|| {
                Error::new(
                    ErrorKind::Config,
                    format!("extend-phrases: unknown rule {key:?} (give a rule id, see `tactful rules`)"),
                )
            })?;
            let target = if crate::rule::phrase_lexicons().any(|(r, _)| r.id == rule.id) {
                rule.id
            } else if let Some(internal) = apology_extension(rule.id) {
                internal
            } else {
                return Err(Error::new(
                    ErrorKind::Config,
                    format!(
                        "extend-phrases: rule {} has no phrase list to extend",
                        rule.id
                    ),
                ));
            };
            check_entries("extend-phrases", key, patterns)?;
            let source = patterns.join("\n");
            b.add_source(target, &source)
                .map_err(|e| Error::pattern("extend-phrases", key, patterns, e))?;
        }
        for (key, patterns) in &config.allow_phrases {
            check_entries("allow-phrases", key, patterns)?;
            let source = patterns.join("\n");
            for rule in crate::config::resolve(key, "allow-phrases")? {
                let name = format!("allow:{}", rule.id);
                let id = b
                    .add_source(&name, &source)
                    .map_err(|e| Error::pattern("allow-phrases", key, patterns, e))?;
                set(&mut allow_rules, id, rule.id);
                set(&mut lexicon_roles, id, rule.role);
            }
        }
        let internal = |name: &str| {
            b.existing(name).ok_or_else(|| {
                Error::new(
                    ErrorKind::Lexicon,
                    format!("internal phrase list {name} is missing"),
                )
            })
        };
        let apology = apology::ApologyLexicons {
            trigger: internal("apology.trigger")?,
            not: internal("apology.not")?,
            conditional: internal("apology.conditional")?,
            deflecting_feeling: internal("apology.deflecting_feeling")?,
            deflecting_noun: internal("apology.deflecting_noun")?,
            deflecting_before: internal("apology.deflecting_before")?,
            owned_cause: internal("apology.owned_cause")?,
            scripted: internal("apology.scripted")?,
            but: internal("apology.but")?,
            refusal: internal("apology.refusal")?,
            help_pivot: internal("apology.help_pivot")?,
            next_contrast: internal("apology.next_contrast")?,
            slip: internal("apology.slip")?,
            sympathy: internal(rules::empathy::SYMPATHY.id)?,
        };
        let cancels = lexicon_rules
            .iter()
            .map(|r| match r.map(|r| r.category) {
                Some(Category::Procedural) => apology::REFUSES,
                Some(Category::Excuse) => apology::EXCUSES,
                _ => 0,
            })
            .collect();
        // a lexicon is read only on turns of its role (one with no role on
        // every turn): the matches of each lexicon are the same either way
        let read_on = |role: Role| {
            let roles = &lexicon_roles;
            move |id: LexiconId| {
                roles
                    .get(id as usize)
                    .copied()
                    .flatten()
                    .is_none_or(|r| r == role)
            }
        };
        let (agent_matcher, customer_matcher) = if b.names_only {
            (
                Matcher::from_blob(AGENT_MATCHER),
                Matcher::from_blob(CUSTOMER_MATCHER),
            )
        } else {
            (
                b.build_where(read_on(Role::Agent)),
                b.build_where(read_on(Role::Customer)),
            )
        };
        let mut analyzer = Analyzer {
            agent_matcher,
            customer_matcher,
            lexicon_rules,
            allow_rules,
            apology,
            help,
            owned,
            aside,
            smalltalk,
            recording,
            objection,
            action: action::ActionLexicons {
                future,
                when,
                immediate,
                on_call,
                sale_talk,
            },
            topic_of,
            topics_kept: crate::topics::BUILTIN
                .iter()
                .enumerate()
                .filter(|(_, (t, _))| config.topics.contains_key(*t))
                .fold(0, |bits, (k, _)| bits | 1 << k),
            topic_names,
            topic_model: crate::topics::Model::builtin()
                .with_threshold(config.topic_model.threshold),
            sentence_models: crate::sentence_model::Models::new(SentenceKind::ALL.map(|kind| {
                let percent = match kind {
                    SentenceKind::Excuse => config.excuse_model.threshold,
                    SentenceKind::Procedural => config.procedural_model.threshold,
                    SentenceKind::Patronizing => config.patronizing_model.threshold,
                    SentenceKind::Specific => config.action_model.threshold,
                    SentenceKind::Vague => config.vague_model.threshold,
                };
                let model = crate::sentence_model::Model::builtin(kind);
                match percent {
                    Some(p) => model.with_threshold(p),
                    None => model,
                }
            })),
            distress_words: match config.distress_words_model.threshold {
                Some(p) => crate::sentence_model::Model::distress_words().with_threshold(p),
                None => crate::sentence_model::Model::distress_words(),
            },
            timing: config.timing.clone(),
            cancels,
            rules,
            score: config.score.clone(),
            score_table: score::ScoreTable::new(&config.score),
            model: {
                valence::preload();
                Model::builtin()
            },
            distress: config.distress.clone(),
            customer_words: crate::topics::CustomerWords::default(),
            customer_known: Vec::new(),
            agent_known: Vec::new(),
        };
        analyzer.customer_words =
            crate::topics::CustomerWords::new(&analyzer.topic_model, &analyzer.distress_words);
        analyzer.know_words();
        Ok(analyzer)
    }

    fn empty() -> Analyzer {
        let mut b = MatcherBuilder::default();
        let mut id = |n: &str| b.lexicon(n);
        let apology = apology::ApologyLexicons {
            trigger: id("t"),
            not: id("n"),
            conditional: id("c"),
            deflecting_feeling: id("df"),
            deflecting_noun: id("dn"),
            deflecting_before: id("db"),
            owned_cause: id("o"),
            scripted: id("s"),
            but: id("b"),
            refusal: id("r"),
            help_pivot: id("h"),
            next_contrast: id("nc"),
            slip: id("sl"),
            sympathy: id("y"),
        };
        let help = id("help");
        let owned = id("owned");
        let aside = id("aside");
        let smalltalk = id("smalltalk");
        let recording = id("recording");
        let objection = id("objection");
        let action = action::ActionLexicons {
            future: id("future"),
            when: id("when"),
            immediate: id("immediate"),
            on_call: id("on_call"),
            sale_talk: id("sale_talk"),
        };
        Analyzer {
            agent_matcher: b.build(),
            customer_matcher: b.build(),
            lexicon_rules: Vec::new(),
            allow_rules: Vec::new(),
            apology,
            help,
            owned,
            aside,
            smalltalk,
            recording,
            objection,
            action,
            topic_of: Vec::new(),
            topics_kept: 0,
            topic_names: Vec::new(),
            topic_model: crate::topics::Model::default(),
            sentence_models: crate::sentence_model::Models::default(),
            distress_words: crate::sentence_model::Model::default(),
            timing: crate::timing::TimingConfig::default(),
            cancels: Vec::new(),
            rules: RuleTable::defaults(),
            score: ScoreConfig::default(),
            score_table: score::ScoreTable::new(&ScoreConfig::default()),
            model: Model::builtin(),
            distress: DistressConfig::default(),
            customer_words: crate::topics::CustomerWords::default(),
            customer_known: Vec::new(),
            agent_known: Vec::new(),
        }
    }

    /// Fills `customer_known` and `agent_known` from the matchers'
    /// vocabularies and the tables they read.
    fn know_words(&mut self) {
        let hash = |w: &str| {
            crate::topics::is_word(w).then(|| {
                let (stem, end) = crate::topics::stem(w);
                crate::topics::word_hash(stem, end)
            })
        };
        let table = &self.customer_words;
        self.customer_known = self.customer_matcher.word_table(None, |w| {
            Some(match hash(w) {
                Some(h) => KnownCustomerWord {
                    h,
                    mark: 0,
                    rows: table.get(h),
                    valence: valence::entry_of(w),
                },
                None => KnownCustomerWord {
                    h: 0,
                    mark: customer_mark(w),
                    rows: crate::topics::CustomerRows::NONE,
                    valence: valence::entry_of(w),
                },
            })
        });
        let models = &self.sentence_models;
        self.agent_known = self.agent_matcher.word_table(None, |w| {
            Some(match hash(w) {
                Some(h) => KnownAgentToken::Word(h, models.row(h)),
                None => KnownAgentToken::Mark(crate::sentence_model::mark_of(w)),
            })
        });
    }

    /// Analyzes one transcript.
    ///
    /// Customer turns are read for distress, agent turns for everything else;
    /// [`Role::System`] turns and empty texts are skipped but keep their index.
    /// Allocates fresh buffers on each call; see [`Analyzer::analyze_with`]
    /// to reuse them.
    pub fn analyze(&self, transcript: &Transcript<'_>) -> Report {
        let mut scratch = Scratch::default();
        self.analyze_with(transcript, &mut scratch)
    }

    /// Analyzes one transcript reusing `scratch`'s buffers; the report is the
    /// same as [`Analyzer::analyze`] gives. Keep one [`Scratch`] per thread
    /// (it is taken by `&mut`) and reuse it for every transcript that thread
    /// analyzes.
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Scratch, Transcript, Turn};
    /// let analyzer = Analyzer::new();
    /// let mut scratch = Scratch::default();
    /// for id in ["T-1", "T-2"] {
    ///     let t = Transcript::new(id).with_turn(Turn::new(Role::Agent, "Sorry for the wait!"));
    ///     let report = analyzer.analyze_with(&t, &mut scratch);
    ///     assert_eq!(report, analyzer.analyze(&t));
    /// }
    /// ```
    pub fn analyze_with(&self, transcript: &Transcript<'_>, scratch: &mut Scratch) -> Report {
        let mut findings = Vec::new();
        let mut distress = Vec::new();
        let mut last = None;
        // the agent rows that play a call's recorded message (a transfer or
        // a hold loop: "Calls to this line may be monitored...")
        let mut recorded = Vec::new();
        scratch.start_transcript();
        for (index, turn) in transcript.turns.iter().enumerate() {
            let chaser = last == Some(Role::Customer);
            if turn.role == Role::Customer {
                crate::names::customer_names(turn.name.as_deref(), &turn.text, &mut scratch.names);
            }
            distress.extend(self.check_turn(
                index,
                turn.role,
                &turn.text,
                chaser,
                scratch,
                &mut findings,
            ));
            if scratch.recorded_row(index) {
                recorded.push(index);
            }
            if turn.role != Role::System {
                last = Some(turn.role);
            }
        }
        self.but_across_messages(transcript, &mut findings);
        self.objected_to(transcript, &scratch.objections, &mut findings);
        let mut roles = std::mem::take(&mut scratch.roles);
        roles.clear();
        roles.extend(transcript.turns.iter().map(|t| t.role));
        if self.rules.enabled(empathy_gap::NO_ACKNOWLEDGMENT.id) {
            // judged on every distress and acknowledgment finding, even those
            // of rules the configuration hides from the output
            let owns = |f: &Finding| {
                transcript
                    .turns
                    .get(f.turn)
                    .and_then(|t| t.text.get(f.span.range()))
                    .is_some_and(empathy_gap::owns_fault)
            };
            for m in empathy_gap::missed_turns(&roles, &findings, &distress, owns) {
                // a reply that plays a recorded message hands the call over
                // or holds it: the live agent after it did not hear what the
                // customer said before it (decision 12), so no gap is judged
                let end = (m.reply..roles.len())
                    .find(|&i| roles[i] == Role::Customer)
                    .unwrap_or(roles.len());
                if recorded.iter().any(|&r| (m.reply..end).contains(&r)) {
                    continue;
                }
                let text = &transcript.turns[m.reply].text;
                if empathy_gap::opens_with_laugh(text) {
                    continue;
                }
                let mut gap = self.gap_finding(m.reply, text, m.peak);
                gap.upset = m.upset;
                findings.push(gap);
            }
        }
        let timing = crate::timing::waits(
            transcript
                .turns
                .iter()
                .map(|t| (t.role, t.timestamp.as_deref())),
        );
        if let Some(timing) = &timing {
            let target = self.timing.target(transcript.channel.as_deref());
            for w in timing.waits.iter().filter(|w| w.seconds > target) {
                findings.push(self.slow_reply(w.turn, &transcript.turns[w.turn].text));
            }
        }
        let topics = self
            .topic_model
            .decide(&scratch.topic_scan, scratch.topics, self.topics_kept);
        let report = self.finish(&roles, findings, distress, scratch.topics, topics, timing);
        scratch.roles = roles;
        report
    }

    /// Reports as `language.patronizing` the agent turn a customer's protest
    /// at being talked down to answers ("I know what escrow is", "I'm not an
    /// idiot"): the agent turns since the customer's previous turn, where
    /// none of them was reported as patronizing already. The span is the
    /// agent's sentence that names what the customer says they know, or
    /// else the first statement of the last of those turns. A protest in the
    /// customer's first turn answers no explanation.
    fn objected_to(
        &self,
        transcript: &Transcript<'_>,
        objections: &[(usize, Span)],
        out: &mut Vec<Finding>,
    ) {
        let turns = &transcript.turns;
        let mut done = usize::MAX;
        for &(at, span) in objections {
            if at == done {
                continue;
            }
            done = at;
            let Some(prev) = (0..at).rev().find(|&i| turns[i].role == Role::Customer) else {
                continue;
            };
            let agent: Vec<usize> = (prev + 1..at)
                .filter(|&i| turns[i].role == Role::Agent && !turns[i].text.trim().is_empty())
                .collect();
            let Some(&last) = agent.last() else {
                continue;
            };
            let said = &turns[at].text[span.start as usize..span.end as usize];
            let named = objection_terms(said);
            let hit = agent.iter().rev().find_map(|&i| {
                let text = &turns[i].text;
                crate::text::sentences(text)
                    .find(|s| {
                        let sentence = text[s.start as usize..s.end as usize].to_lowercase();
                        let found = crate::text::words(&sentence)
                            .any(|w| named.iter().any(|n| same_word(w.text, n)));
                        found
                    })
                    .map(|s| (i, s))
            });
            let patronizing = |f: &Finding| f.rule == rules::language::PATRONIZING.id;
            if let Some(k) = out
                .iter()
                .position(|f| agent.contains(&f.turn) && patronizing(f))
            {
                // the reply was found talking down already: the protest says
                // where ("I know what escrow is" points at the sentence that
                // explains escrow, not at "Okay, let me explain")
                if let Some((turn, sentence)) = hit {
                    if !out
                        .iter()
                        .any(|f| f.turn == turn && patronizing(f) && f.span.overlaps(sentence))
                    {
                        out[k] = self.finding(&rules::language::PATRONIZING, turn, sentence);
                    }
                }
                continue;
            }
            let (turn, sentence) = hit.unwrap_or_else(|| {
                let text = &turns[last].text;
                let first = crate::text::sentences(text)
                    .find(|s| !text[s.start as usize..s.end as usize].ends_with('?'))
                    .unwrap_or_else(|| crate::text::first_sentence(text));
                (last, first)
            });
            out.push(self.finding(&rules::language::PATRONIZING, turn, sentence));
        }
    }

    /// The `timing.slow_reply` finding for an agent turn with this text.
    pub(crate) fn slow_reply(&self, turn: usize, text: &str) -> Finding {
        self.finding(
            &rules::timing::SLOW_REPLY,
            turn,
            crate::text::first_sentence(text),
        )
    }

    /// The topic model.
    pub(crate) fn topic_model(&self) -> &crate::topics::Model {
        &self.topic_model
    }

    /// The slow-reply target for a channel, in seconds.
    pub(crate) fn reply_target(&self, channel: Option<&str>) -> u64 {
        self.timing.target(channel)
    }

    /// Hides disabled rules, orders the findings and scores them.
    pub(crate) fn finish(
        &self,
        roles: &[Role],
        mut findings: Vec<Finding>,
        distress: Vec<TurnDistress>,
        listed: u64,
        topics: u64,
        timing: Option<crate::timing::Timing>,
    ) -> Report {
        findings.retain(|f| self.rules.enabled(f.rule));
        findings.sort_by(|a, b| {
            (a.turn, a.span.start, a.span.end, a.rule).cmp(&(
                b.turn,
                b.span.start,
                b.span.end,
                b.rule,
            ))
        });
        let threshold = self.distress.threshold;
        // a problem is one the phrase lists name (the model's topics tag,
        // they do not decide what the resolution is judged on)
        let problem = listed != 0 || distress.iter().any(|d| d.score >= threshold);
        let score = score::score_by(roles, &findings, problem, &self.score_table, &self.score);
        let topics = self
            .topic_names
            .iter()
            .enumerate()
            .filter(|(i, _)| topics & (1 << i) != 0)
            .map(|(_, t)| t.clone())
            .collect();
        Report {
            findings,
            score,
            distress,
            topics,
            timing,
        }
    }

    /// The weights, penalties and caps this analyzer scores with, for a
    /// caller that rescores a report after dropping findings (a linter's
    /// inline suppressions) with [`crate::score::score`].
    pub fn score_config(&self) -> &ScoreConfig {
        &self.score
    }

    /// Whether a rule is enabled by the configuration.
    pub(crate) fn enabled(&self, rule: &str) -> bool {
        self.rules.enabled(rule)
    }

    /// The `empathy_gap` finding for an agent turn with this text, answering
    /// distress that peaked at `peak`: milder than `strong`, it is one
    /// severity level lower than the rule's.
    pub(crate) fn gap_finding(&self, turn: usize, text: &str, peak: u8) -> Finding {
        // (a letter's salutation on its own line, "Dear Mr Pryce," or "Hi
        // Meenal,", is no sentence of the reply: the span is the first one
        // after it)
        let mut span = crate::text::first_sentence(text);
        let first = text.get(span.range()).unwrap_or_default();
        if first.ends_with(',') && first.split_whitespace().count() <= 5 {
            let rest = &text[span.end as usize..];
            let next = crate::text::first_sentence(rest);
            if !next.is_empty() {
                span = Span::new(
                    span.end as usize + next.start as usize,
                    span.end as usize + next.end as usize,
                );
            }
        }
        let mut f = self.finding(&empathy_gap::NO_ACKNOWLEDGMENT, turn, span);
        if peak < self.distress.strong {
            f.severity = match f.severity {
                Severity::Error => Severity::Warning,
                Severity::Warning | Severity::Info => Severity::Info,
            };
        }
        f
    }

    /// Why a customer's text scores the distress it does: each feature's
    /// value and weight. `follows_customer` says whether the text comes
    /// right after another customer turn with no agent reply between (a
    /// chaser), as in a transcript.
    ///
    /// ```
    /// use tactful::Analyzer;
    /// let analyzer = Analyzer::new();
    /// let why = analyzer.explain_distress("Third time I'm writing, this is ridiculous!!", false);
    /// assert!(why.distressed);
    /// let calm = analyzer.explain_distress("Hi, what time do you open on Sunday?", false);
    /// assert!(!calm.distressed && calm.score < why.score);
    /// ```
    pub fn explain_distress(&self, text: &str, follows_customer: bool) -> Explanation {
        let mut scratch = Scratch::default();
        let mut out = Vec::new();
        let (evidence, score) =
            self.customer_evidence(0, text, follows_customer, &mut scratch, &mut out);
        let mut why = Explanation::new(&self.model, &evidence, self.distress.threshold);
        // the distress word model lifted the turn
        if score > why.score {
            why.score = score;
            why.distressed = score >= self.distress.threshold;
            why.words = true;
        }
        why
    }

    /// Why a transcript gets the topics it does: the tags whose phrase lists
    /// match, the words the topic model reads in the customer turns, and the
    /// model's probability for each built-in tag (see [`crate::topics`]).
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let analyzer = Analyzer::new();
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "I was charged twice for one order."));
    /// let why = analyzer.explain_topics(&t);
    /// assert!(why.listed.contains(&"billing".to_string()));
    /// assert!(why.words.contains(&"charg twic".to_string()));
    /// let billing = why.scores.iter().find(|(tag, _)| *tag == "billing").unwrap();
    /// assert!(billing.1 > why.threshold);
    /// ```
    pub fn explain_topics(&self, transcript: &Transcript<'_>) -> crate::topics::TopicExplanation {
        let mut s = Scratch::default();
        let _ = self.analyze_with(transcript, &mut s);
        let listed = self
            .topic_names
            .iter()
            .enumerate()
            .filter(|(i, _)| s.topics & (1 << i) != 0)
            .map(|(_, t)| t.clone())
            .collect();
        let mut words = std::collections::BTreeSet::new();
        for turn in transcript.turns.iter().filter(|t| t.role == Role::Customer) {
            s.norm.reset(&turn.text);
            let norm = s.norm.as_str();
            let mut prev = None;
            self.customer_matcher
                .scan_with(norm, &mut s.hits, &mut s.scan, |a, b, _| {
                    if let Some(token) = norm.get(a..b) {
                        crate::topics::token_words(token, &mut prev, |w| {
                            words.insert(w);
                        });
                    }
                });
        }
        let (scores, threshold) = self.topic_model.scores(&s.topic_scan, s.topics);
        crate::topics::TopicExplanation {
            listed,
            words: words.into_iter().collect(),
            scores,
            threshold,
        }
    }

    /// How the excuse model reads the agent turns: each statement sentence
    /// with its words and word pairs, whether an `excuse.*` phrase-list
    /// finding lies in it, and its probability of reading as an excuse (see
    /// [`crate::sentence_model`]).
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "My parcel is a week late."))
    ///     .with_turn(Turn::new(Role::Agent, "That's the courier's fault. Can I help with anything else?"));
    /// let why = Analyzer::new().explain_excuse(&t);
    /// assert_eq!(why.sentences.len(), 1);
    /// assert!(why.sentences[0].listed);
    /// assert!(why.sentences[0].words.contains(&"courier".to_string()));
    /// ```
    pub fn explain_excuse(
        &self,
        transcript: &Transcript<'_>,
    ) -> crate::sentence_model::SentenceExplanation {
        self.explain_sentences(transcript, SentenceKind::Excuse)
    }

    /// How the procedural model reads the agent turns, as
    /// [`Analyzer::explain_excuse`] does for excuses: each statement
    /// sentence with its words and pairs, whether a `procedural.*`
    /// phrase-list finding lies in it, and its probability of reading as
    /// policy-speak.
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "Can I get a refund?"))
    ///     .with_turn(Turn::new(Role::Agent, "It is against our policy."));
    /// let why = Analyzer::new().explain_procedural(&t);
    /// assert!(why.sentences[0].listed);
    /// ```
    pub fn explain_procedural(
        &self,
        transcript: &Transcript<'_>,
    ) -> crate::sentence_model::SentenceExplanation {
        self.explain_sentences(transcript, SentenceKind::Procedural)
    }

    /// How the patronizing model reads the agent turns, as
    /// [`Analyzer::explain_excuse`] does for excuses: each statement
    /// sentence with its words and pairs, whether the `language.patronizing`
    /// phrase list finds it, and its probability of talking down (the model
    /// reports under that same rule).
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "The app keeps logging me out."))
    ///     .with_turn(Turn::new(Role::Agent, "As I already explained, just log in again."));
    /// let why = Analyzer::new().explain_patronizing(&t);
    /// assert!(why.sentences[0].listed);
    /// ```
    pub fn explain_patronizing(
        &self,
        transcript: &Transcript<'_>,
    ) -> crate::sentence_model::SentenceExplanation {
        self.explain_sentences(transcript, SentenceKind::Patronizing)
    }

    /// How the specific-action model reads the agent turns: each statement
    /// sentence with its words and word pairs, whether an `action.*`
    /// finding of the promise lists lies in it, and its probability of
    /// promising a concrete act (see [`crate::sentence_model`]).
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "My card was swallowed by the machine."))
    ///     .with_turn(Turn::new(Role::Agent, "A new card will reach you by Friday."));
    /// let why = Analyzer::new().explain_action(&t);
    /// assert_eq!(why.sentences.len(), 1);
    /// assert!(why.sentences[0].words.contains(&"friday".to_string()));
    /// ```
    pub fn explain_action(
        &self,
        transcript: &Transcript<'_>,
    ) -> crate::sentence_model::SentenceExplanation {
        self.explain_sentences(transcript, SentenceKind::Specific)
    }

    /// How the vague-action model reads the agent turns, as
    /// [`Analyzer::explain_action`] shows the specific-action model.
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "My card was swallowed by the machine."))
    ///     .with_turn(Turn::new(Role::Agent, "We'll look into it."));
    /// let why = Analyzer::new().explain_vague(&t);
    /// assert_eq!(why.sentences.len(), 1);
    /// assert!(why.sentences[0].listed);
    /// ```
    pub fn explain_vague(
        &self,
        transcript: &Transcript<'_>,
    ) -> crate::sentence_model::SentenceExplanation {
        self.explain_sentences(transcript, SentenceKind::Vague)
    }

    /// How the distress word model reads the customer turns: each turn
    /// (whole: the model reads a turn's words and pairs together) with its
    /// words and word pairs, whether the evidence alone makes it distressed
    /// (`listed`), and its probability of reading as upset (see
    /// [`crate::sentence_model`]).
    ///
    /// ```
    /// use tactful::{Analyzer, Role, Transcript, Turn};
    /// let t = Transcript::new("T-1")
    ///     .with_turn(Turn::new(Role::Customer, "I'm furious. Three weeks and no refund!!"))
    ///     .with_turn(Turn::new(Role::Agent, "Let me check that for you."));
    /// let why = Analyzer::new().explain_distress_words(&t);
    /// assert_eq!(why.sentences.len(), 1);
    /// assert!(why.sentences[0].listed);
    /// assert!(why.sentences[0].words.contains(&"refund".to_string()));
    /// ```
    pub fn explain_distress_words(
        &self,
        transcript: &Transcript<'_>,
    ) -> crate::sentence_model::SentenceExplanation {
        let mut s = Scratch {
            lists_only: true,
            ..Scratch::default()
        };
        let report = self.analyze_with(transcript, &mut s);
        let model = &self.distress_words;
        let mut sentences = Vec::new();
        for (turn, t) in transcript.turns.iter().enumerate() {
            if t.role != Role::Customer || t.text.is_empty() {
                continue;
            }
            s.norm.reset(&t.text);
            let norm = s.norm.as_str();
            let mut scan = crate::sentence_model::TurnScan::default();
            let mut words = std::collections::BTreeSet::new();
            let mut prev = None;
            self.customer_matcher
                .scan_with(norm, &mut s.hits, &mut s.scan, |a, b, _| {
                    if let Some(token) = norm.get(a..b) {
                        crate::topics::token_words(token, &mut prev, |w| {
                            words.insert(w);
                        });
                        model.turn_token(token, a, b, &mut scan);
                    }
                });
            let z = model.turn_end(&mut scan).map_or(model.bias(), |(b, _)| b.z);
            let listed = report
                .distress
                .iter()
                .any(|d| d.turn == turn && d.score >= self.distress.threshold);
            sentences.push(crate::sentence_model::ScoredSentence {
                turn,
                text: norm.to_string(),
                listed,
                words: words.into_iter().collect(),
                score: 1.0 / (1.0 + (-z).exp()),
            });
        }
        crate::sentence_model::SentenceExplanation {
            sentences,
            threshold: model.threshold(),
        }
    }

    /// What a sentence model reads in the agent turns.
    fn explain_sentences(
        &self,
        transcript: &Transcript<'_>,
        kind: SentenceKind,
    ) -> crate::sentence_model::SentenceExplanation {
        let (model, category, _) = self.sentence_model(kind);
        // what the phrase lists find, without the sentence models
        let mut s = Scratch {
            lists_only: true,
            ..Scratch::default()
        };
        let report = self.analyze_with(transcript, &mut s);
        let mut sentences = Vec::new();
        for (turn, t) in transcript.turns.iter().enumerate() {
            if t.role != Role::Agent {
                continue;
            }
            s.norm.reset(&t.text);
            let norm = s.norm.as_str();
            let mut tokens = Vec::new();
            self.agent_matcher
                .scan_with(norm, &mut s.hits, &mut s.scan, |a, b, _| {
                    tokens.push((a, b))
                });
            model.sentences(tokens.into_iter(), norm, |a, b, words, score| {
                let span = s.norm.to_original(a, b);
                let listed = report
                    .findings
                    .iter()
                    .any(|f| f.turn == turn && f.category == category && f.span.overlaps(span));
                sentences.push(crate::sentence_model::ScoredSentence {
                    turn,
                    text: norm[a..b].to_string(),
                    listed,
                    words,
                    score,
                });
            });
        }
        crate::sentence_model::SentenceExplanation {
            sentences,
            threshold: model.threshold(),
        }
    }

    /// A sentence model with its category and the rule it reports.
    fn sentence_model(
        &self,
        kind: SentenceKind,
    ) -> (&crate::sentence_model::Model, Category, &'static RuleInfo) {
        match kind {
            SentenceKind::Excuse => (
                &self.sentence_models.heads[0],
                Category::Excuse,
                &rules::excuse::IMPLIED,
            ),
            SentenceKind::Procedural => (
                &self.sentence_models.heads[1],
                Category::Procedural,
                &rules::procedural::IMPLIED,
            ),
            SentenceKind::Patronizing => (
                &self.sentence_models.heads[2],
                Category::Language,
                &rules::language::PATRONIZING,
            ),
            SentenceKind::Specific => (
                &self.sentence_models.heads[3],
                Category::Action,
                &rules::action::SPECIFIC,
            ),
            SentenceKind::Vague => (
                &self.sentence_models.heads[4],
                Category::Action,
                &rules::action::VAGUE,
            ),
        }
    }

    /// Analyzes one turn, pushing its findings to `out`; a customer turn
    /// also gets its distress score (`chaser`: it follows another customer
    /// turn with no reply between). Its `distress.*` findings stay only if
    /// the score reaches the threshold.
    pub(crate) fn check_turn(
        &self,
        index: usize,
        role: Role,
        text: &str,
        chaser: bool,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> Option<TurnDistress> {
        let mark = out.len();
        let distress = self.check_turn_findings(index, role, text, chaser, s, out);
        // no span cuts a grapheme cluster, and a run of one mark is one finding
        crate::text::whole_marks(text, out, mark);
        join_touching(text, out, mark);
        distress
    }

    /// [`Analyzer::check_turn`] before its spans are put on grapheme
    /// clusters.
    fn check_turn_findings(
        &self,
        index: usize,
        role: Role,
        text: &str,
        chaser: bool,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> Option<TurnDistress> {
        match role {
            Role::System => None,
            _ if text.is_empty() => None,
            Role::Customer => {
                s.answering = s.agent_asked;
                let (_, score) = self.customer_evidence(index, text, chaser, s, out);
                if !s.in_run {
                    (s.run_peak, s.run_topic, s.in_run) = (0, false, true);
                }
                s.run_peak = s.run_peak.max(score);
                s.run_topic |= s.last_customer_topic;
                s.last_customer = Some(score);
                s.last_customer_recap = says_recap(text);
                // (kept only when short: a request to say it again is; it is
                // read only when the next agent turn talks down)
                s.last_customer_short.clear();
                if text.len() <= 160 {
                    s.last_customer_short.push_str(text);
                }
                s.last_customer_asked_rule = asks_about_rules(text);
                s.peak = s.peak.max(score);
                s.recording_turn = None;
                s.menu_turn = None;
                s.transfer_intro = None;
                Some(TurnDistress { turn: index, score })
            }
            Role::Agent => {
                s.in_run = false;
                s.prev_agent_asked = s.answering;
                s.answering = false;
                s.agent_asked = has_byte(text, b'?');
                let mark = out.len();
                let mut scans = s.sentence_scans.take().unwrap_or_default();
                scans.turn();
                let models = &self.sentence_models;
                let on = SentenceKind::ALL.map(|kind| {
                    let (model, _, rule) = self.sentence_model(kind);
                    model.active() && self.rules.enabled(rule.id) && !s.lists_only
                });
                let weigh = on.iter().any(|&o| o);
                let known = &self.agent_known;
                // (a token of the matcher's vocabulary: its hash and row, or
                // what it ends, found at build time)
                let mut feed = |norm: &str, a: usize, b: usize, key: u64, id: u32| match known
                    .get(id as usize)
                {
                    Some(&Some(KnownAgentToken::Word(h, row))) => {
                        models.word_known(h, row, (a, b), &mut scans);
                    }
                    Some(&Some(KnownAgentToken::Mark(mark))) => {
                        models.mark(mark, b, &mut scans, on);
                    }
                    _ => {
                        if let Some(token) = norm.get(a..b) {
                            models.token(token, key, (a, b), &mut scans, on);
                        }
                    }
                };
                if weigh && s.agent_asked {
                    // (a question is not weighed, so its words are not
                    // looked up: `.`, `!`, `?` and a line break are always a
                    // token of their own, so the sentence a token is in ends
                    // at the first of those bytes from it on. That byte is
                    // sought at each sentence's first token (`seek`); the
                    // tokens before a `?` it finds (`question`) are passed
                    // over. The `?` itself is read: it ends the question,
                    // leaving what the question's words would have left.)
                    let (mut seek, mut question) = (0, 0);
                    self.phrase_findings(index, role, text, s, out, |norm, a, b, key, id| {
                        if a >= seek {
                            let bytes = norm.as_bytes();
                            match crate::text::next_mark(bytes, a) {
                                Some(e) => {
                                    seek = e + 1;
                                    if bytes[e] == b'?' {
                                        question = e;
                                    }
                                }
                                None => seek = usize::MAX,
                            }
                        }
                        if a >= question {
                            feed(norm, a, b, key, id);
                        }
                    });
                } else if weigh {
                    self.phrase_findings(index, role, text, s, out, feed);
                } else {
                    self.phrase_findings(index, role, text, s, out, |_, _, _, _, _| {});
                }
                if weigh {
                    models.end_turn(&mut scans, on);
                }
                s.sentence_scans = Some(scans);
                self.counterfactual_blame(index, s, out, mark);
                // the answer to a small-talk question is small talk; a
                // backchannel ("Yeah, well.", "I'm listening.") leaves the
                // customer's aside running
                if !backchannel(text) {
                    s.aside_run = s.hits.iter().any(|h| h.lexicon == self.smalltalk);
                }
                // (the passes below only drop the turn's own findings: a turn
                // with none, most of them, skips their code)
                if out.len() > mark {
                    self.drop_read_elsewhere(text, s, out, mark);
                }
                for kind in SentenceKind::ALL {
                    if !matches!(kind, SentenceKind::Specific | SentenceKind::Vague) {
                        self.implied(kind, index, s, out, mark);
                    }
                }
                // a bare "like I said" deep in a call to a customer who never
                // got upset recaps (a sales call is full of them); to an upset
                // one it is impatience, and in a written reply it holds the
                // customer to what they were told ("As I said, the relevant
                // authorities.")
                // (and in a call, one that echoes the customer's own "like I
                // said" of the turn it answers mirrors them, whatever their
                // mood)
                if out.len() > mark
                    && s.last_customer.is_some()
                    && (s.peak < self.distress.threshold || s.last_customer_recap)
                    && index >= LONG_CALL
                {
                    drop_from(out, mark, |f| {
                        f.rule == rules::language::PATRONIZING.id && bare_recap(f.text(text))
                    });
                }
                // what the agent says again because the customer did not hear
                // it ("Sorry, what was that?" ... "I said I'm sorry, two rises
                // is a lot") is a repeat, not impatience
                if out[mark..]
                    .iter()
                    .any(|f| f.rule == rules::language::PATRONIZING.id)
                    && asks_to_repeat(&s.last_customer_short)
                {
                    drop_from(out, mark, |f| {
                        f.rule == rules::language::PATRONIZING.id && repeats_itself(f.text(text))
                    });
                }
                self.settle_actions(index, s, out, mark);
                self.implied_action(SentenceKind::Specific, index, s, out, mark);
                self.implied_action(SentenceKind::Vague, index, s, out, mark);
                // a message or a call promised beside an act done or dated
                // in the same reply ("Done, 4:30 on the 12th. We'll text you
                // a reminder", "He's 15 minutes away. I'll text you when
                // he's parked") keeps the customer posted on that act: no
                // promise put in place of one
                if out.len() > mark && out[mark..].iter().any(|f| f.rule == action::SPECIFIC.id) {
                    drop_from(out, mark, |f| {
                        f.rule == action::VAGUE.id && contact_promise(f.text(text))
                    });
                }
                // deep in a call, a row of four words or fewer that keeps in
                // touch ("We'll be in touch.", "Speak soon.") is the call's
                // goodbye, not a promise put in place of an act (decision 11)
                if out.len() > mark && index >= LONG_CALL && text.split_whitespace().count() <= 4 {
                    drop_from(out, mark, |f| {
                        f.rule == action::VAGUE.id && call_goodbye(f.text(text))
                    });
                }
                // a call's recorded message, and the three agent rows after
                // one with no customer turn between, promise nothing of the
                // agent's (decision 11)
                // (a transcript's own note of a recording, one row in brackets,
                // "[recorded message: 'Thank you for holding...']", is that row
                // only: the row after it is the agent back on the line)
                // (a bracketed hit that does not fill the row, "[hold music]
                // Thanks for bearing with me...", marks nothing: the rest is
                // the agent's own words)
                let (mut recording, mut bracketed, mut menu) = (false, false, false);
                let norm_bytes = s.norm.as_str().as_bytes();
                for h in s.hits.iter().filter(|h| h.lexicon == self.recording) {
                    let at = norm_bytes.get(h.start as usize..).unwrap_or_default();
                    if at.first() == Some(&b'[') {
                        bracketed = true;
                    } else {
                        recording = true;
                        menu |= is_menu(at);
                    }
                }
                if menu {
                    s.menu_turn = Some(index);
                }
                // the phone menu's own thanks ("Please enter the zip code of the home."
                // ... "Thanks for calling Acme, where you're in good hands."):
                // a row with a menu prompt and the three agent rows after it
                // with no customer turn between thank no one (a live greeting
                // follows a customer's first words or a "this call may be
                // recorded", not a keypad prompt)
                if out.len() > mark && s.menu_turn.is_some_and(|t| index <= t + 3) {
                    drop_from(out, mark, |f| f.rule == "courtesy.thanks");
                }
                // (the menu hands the call over: "I'm now connecting you to a
                // provider" ... "Thanks for calling Acme. This is Dana." is
                // the live agent)
                if s.menu_turn.is_some() && hands_over(s.norm.as_str()) {
                    s.menu_turn = None;
                }
                let note = bracketed && {
                    let t = text.trim();
                    t.starts_with('[') && t.ends_with(']')
                };
                if recording && !note {
                    s.recording_turn = Some(index);
                }
                if out.len() > mark && (note || s.recording_turn.is_some_and(|t| index <= t + 3)) {
                    drop_from(out, mark, |f| f.category == Category::Action);
                }
                self.link_as_answer(index, text, s, out, mark);
                s.name_spans.clear();
                crate::names::agent_uses(text, &s.names, &mut s.name_spans);
                // a name spelt back letter by letter is checked, not said to
                // the customer
                if !s.name_spans.is_empty() && crate::names::spells_out(text) {
                    s.name_spans.clear();
                }
                // nor is one read back while the details are taken, just
                // after the name was asked for ("What's your first name?"
                // ... "Okay, Dana."): a turn of the name and acknowledgments
                // only (a "Thanks, Dana" still speaks to the customer)
                if !s.name_spans.is_empty()
                    && s.name_asked.is_some_and(|t| index <= t + 2)
                    && only_acks_besides(text, &s.name_spans)
                {
                    s.name_spans.clear();
                }
                // deep in a call, a name said just after someone on the
                // company's side introduced themself, before the customer
                // speaks again, greets the colleague taking the call over
                // ("Hi, this is [name]." / "Hey, [name]. I have Mr Cole on
                // the line"), not the customer (once: the new agent's own
                // "Hello, [name]" after the handover is to the customer)
                if !s.name_spans.is_empty() && s.transfer_intro.is_some_and(|t| index <= t + 2) {
                    s.name_spans.clear();
                    s.transfer_intro = None;
                }
                if index >= LONG_CALL && introduces_speaker(text) {
                    s.transfer_intro = Some(index);
                }
                // before the customer has said a word, a name opening the
                // reply bare ("Tolland, yard.", "ScreenDoc, Dunmore Road.")
                // is the company answering the phone: the agent knows no
                // name yet (a salutation, "Hi Sarah", still counts)
                // and so is a name closing a greeting of a few words
                // ("Brambleworth, Kyle.", "Lettings desk, Priya."): the agent
                // giving their own
                if !s.name_spans.is_empty() && s.last_customer.is_none() && s.names.is_empty() {
                    let opening = text.len() - text.trim_start().len();
                    let closing = text
                        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '.' | '!'))
                        .len();
                    // (the words counted only for a name that closes the turn)
                    let greeting = || text.split_ascii_whitespace().nth(5).is_none();
                    // or that closes the greeting's first sentence, more said
                    // after it ("Flatpack Friends, Jo. Sorry for the wait.")
                    let first_end = text.find(['.', '!', '?', '\n']).unwrap_or(text.len());
                    // (after a comma, "Hi Jerome!" being a salutation)
                    let first_greeting = |start: usize| {
                        let sentence = &text[..first_end];
                        let salutes = sentence.split_ascii_whitespace().next().is_some_and(|w| {
                            let w = w.trim_end_matches([',', '!']).to_ascii_lowercase();
                            matches!(
                                w.as_str(),
                                "hi" | "hello"
                                    | "hey"
                                    | "dear"
                                    | "morning"
                                    | "afternoon"
                                    | "evening"
                                    | "good"
                                    | "hiya"
                            )
                        });
                        sentence.split_ascii_whitespace().nth(5).is_none()
                            && !salutes
                            && text[..start].trim_end().ends_with(',')
                    };
                    s.name_spans.retain(|span| {
                        span.start as usize != opening
                            && !(span.end as usize == closing && greeting())
                            && !(span.end as usize == first_end
                                && first_greeting(span.start as usize))
                    });
                }
                // (most agent turns ask nothing: the question mark first)
                if has_byte(s.norm.as_str(), b'?') && asks_for_name(s.norm.as_str()) {
                    s.name_asked = Some(index);
                }
                for &span in &s.name_spans {
                    out.push(self.finding(&rules::courtesy::NAME, index, span));
                }
                s.apologies.clear();
                let (lx, cancels) = (&self.apology, &self.cancels);
                apology::classify(&s.norm, &s.hits, lx, cancels, &mut s.apologies);
                for a in &s.apologies {
                    if inside_quotes(&s.quotes, a.start, a.end)
                        || self.allowed(a.rule.id, a.start, a.end, &s.hits)
                    {
                        continue;
                    }
                    if a.rule.id == apology::SINCERE.id && self.pardon(index, s, a) {
                        continue;
                    }
                    out.push(self.finding(a.rule, index, s.norm.to_original(a.start, a.end)));
                }
                // a circumstance named as what a sincere apology is for
                // ("we're sorry the site was down this morning") is the fault
                // owned, not a shield; after "sorry, but" or "sorry if" it
                // stays an excuse
                // (rare: the two in one turn; the spans are copied only then)
                if s.apologies.iter().any(|a| a.rule.id == apology::SINCERE.id)
                    && out[mark..]
                        .iter()
                        .any(|f| f.rule == rules::excuse::CIRCUMSTANCES.id)
                {
                    let sincere: Vec<Span> = out[mark..]
                        .iter()
                        .filter(|g| g.rule == apology::SINCERE.id)
                        .map(|g| g.span)
                        .collect();
                    drop_from(out, mark, |f| {
                        f.rule == rules::excuse::CIRCUMSTANCES.id
                            && sincere.iter().any(|&g| apology_object(text, g, f.span))
                    });
                }
                // a feeling named back in the agent's own words ("that must be
                // so deflating", "I know it's scary", "I understand you're
                // upset"): a frame of acknowledgment around any negative word
                if s.peak >= CONCERN
                    && self.rules.enabled(rules::empathy::VALIDATION.id)
                    && !out[mark..].iter().any(|f| f.category == Category::Empathy)
                {
                    if let Some((a, b)) = feeling_frame(s.norm.as_str()) {
                        if !inside_quotes(&s.quotes, a, b) {
                            let span = s.norm.to_original(a, b);
                            out.push(self.finding(&rules::empathy::VALIDATION, index, span));
                        }
                    }
                }
                // validation is credited only where there is a feeling or a
                // problem to validate: a problem raised or a customer turn with
                // some distress so far ("I totally get it" in small talk is
                // rapport); sympathy answers sad news however calmly told
                // and deep in a long call, a feeling word answering the
                // customer's calm talk that names no problem (a story about
                // other people: "That's scary. That's a lot of divorces.") is
                // small talk, whatever the call raised before (decision 11)
                let small_talk = index >= LONG_CALL
                    && s.last_customer.is_some()
                    && s.run_peak < self.distress.threshold
                    && !s.run_topic;
                if out.len() > mark
                    && ((s.topics == 0 && s.last_customer.is_some() && s.peak < CONCERN)
                        || small_talk)
                {
                    drop_from(out, mark, |f| f.rule == rules::empathy::VALIDATION.id);
                }
                None
            }
        }
    }

    /// The agent turn's findings (from `mark`) that another finding of the
    /// turn reads otherwise: an excuse the patronizing list names, a
    /// formula framing an excuse, an acknowledgment taken back, a refusal
    /// that hands off, a cause owned outright, the rule given as the reason.
    /// Out of line: most agent turns have no finding for it to read.
    #[inline(never)]
    fn drop_read_elsewhere(&self, text: &str, s: &Scratch, out: &mut Vec<Finding>, mark: usize) {
        // "most of our members manage it" is one remark that two lists
        // read: where the patronizing list names it, it talks down
        // (the remark's tone is the finding), and the excuse goes
        let both = |f: &Finding| {
            matches!(f.rule, "excuse.minimizing" | "excuse.denial")
                && out[mark..]
                    .iter()
                    .any(|g| g.rule == rules::language::PATRONIZING.id && g.span.overlaps(f.span))
        };
        if (mark..out.len()).any(|i| both(&out[i])) {
            let drop: Vec<usize> = (mark..out.len()).filter(|&i| both(&out[i])).collect();
            for i in drop.into_iter().rev() {
                out.remove(i);
            }
        }
        // a formula that frames an excuse ("Please be aware that range
        // can be affected by other networks") is part of the excuse:
        // the excuse is reported, the framing is not policy-speak
        // (one that frames a rule as well, "as per clause 12", stays, and
        // so does "we regret to inform you", the guide's own example of
        // policy-speak, whatever it announces)
        let framed = |f: &Finding, all: &[Finding]| {
            let near =
                |g: &Finding| same_sentence(text, f.span.start as usize, g.span.start as usize);
            f.rule == rules::procedural::TEMPLATE_FORMALITY.id
                && !text
                    .get(f.span.range())
                    .is_some_and(|p| p.to_ascii_lowercase().contains("regret to"))
                && all
                    .iter()
                    .any(|g| g.category == Category::Excuse && near(g))
                && !all
                    .iter()
                    .any(|g| g.category == Category::Procedural && g.span != f.span && near(g))
        };
        let drop: Vec<usize> = (mark..out.len())
            .filter(|&i| framed(&out[i], &out[mark..]))
            .collect();
        for i in drop.into_iter().rev() {
            out.remove(i);
        }
        drop_taken_back(text, out, mark);
        // a refusal of one thing that sends the customer somewhere ("We
        // are unable to assist over social media. Please call 1-800...",
        // "we cannot remove it, you will need to follow the steps in this
        // guide") gives a route, not nothing: the hand-off is the
        // finding. A dead end said outright ("there's nothing I can do")
        // stays one, whatever follows it.
        if out[mark..]
            .iter()
            .any(|f| f.rule == rules::procedural::BUREAUCRATIC_HANDOFF.id)
        {
            drop_from(out, mark, |f| {
                f.rule == rules::procedural::REFUSAL_WITHOUT_ALTERNATIVE.id
                    && !f
                        .text(text)
                        .to_ascii_lowercase()
                        .split(|c: char| !c.is_ascii_alphanumeric())
                        .any(|w| w == "nothing")
            });
        }
        // a cause given with ownership stated outright explains, it
        // does not excuse ("our engineer missed the slot; that's on us"),
        // and a standard step named beside it denies nothing ("every
        // order is checked, and this one slipped through: that's on us")
        if out.len() > mark && s.hits.iter().any(|h| h.lexicon == self.owned) {
            drop_from(out, mark, |f| {
                matches!(
                    f.rule,
                    "excuse.third_party_blame"
                        | "excuse.circumstances"
                        | "excuse.minimizing"
                        | "excuse.denial"
                )
            });
        }
        // a notice sent before the customer has said anything ("the 7.30
        // is running late due to a technical issue, doors now 7.15",
        // "cancelled as our tutor is ill") answers no complaint: a plain
        // cause is news, not a shield. The shields the guide names stay
        // excuses even there: "due to unforeseen circumstances", "beyond
        // our control", "high demand", a shortage or a backlog, a wait put
        // down to how busy it is ("it's been mad this morning")
        if out.len() > mark && s.last_customer.is_none() {
            const SHIELDS: [&str; 14] = [
                "circumstance",
                "control",
                "demand",
                "volume",
                "busy",
                "staff",
                "unforeseen",
                "mad",
                "hectic",
                "swamped",
                "rush",
                "shortage",
                "limited",
                "backlog",
            ];
            drop_from(out, mark, |f| {
                f.rule == "excuse.circumstances" && {
                    let t = f.text(text).to_ascii_lowercase();
                    !SHIELDS.iter().any(|w| t.contains(w))
                }
            });
        }
        // one expression in two categories' lists is read in one: the
        // rule given as the reason ("it's in the contract you signed",
        // "as set out in the terms you agreed to", "I don't make the
        // rules") or the hand-off ("that falls under our freight desk")
        // is policy-speak, and the same words are no blame or denial
        let policy = |g: &Finding| {
            g.rule == rules::procedural::POLICY_AS_REASON.id
                || g.rule == rules::procedural::BUREAUCRATIC_HANDOFF.id
        };
        let read_as_policy: Vec<usize> = (mark..out.len())
            .filter(|&i| {
                matches!(out[i].rule, "excuse.blaming_customer" | "excuse.denial")
                    && out[mark..]
                        .iter()
                        .any(|g| policy(g) && g.span.overlaps(out[i].span))
            })
            .collect();
        for i in read_as_policy.into_iter().rev() {
            out.remove(i);
        }
    }

    /// Whether the agent turn `index` just scanned is a bare "(I'm) sorry"
    /// (with at most an "oh", a "ma'am" or an "about that") answering a calm
    /// customer turn in a conversation that has raised no problem, or
    /// answering a calm turn of six words or fewer that names no problem: a
    /// pardon while taking details down on a call ("I'm sorry." when a name
    /// was not caught), not an apology (decision 5). Deep in a call where the
    /// customer has never shown concern, a bare "Sorry about that." or "I
    /// apologize." after a turn that names no problem is the agent's own
    /// slip put right (a word misheard, a question misput: decision 11), and
    /// so is an apology the slip list names ("Sorry, I didn't realize you
    /// were with Acme", "Sorry, that was without the bundle").
    fn pardon(&self, index: usize, s: &Scratch, a: &apology::Apology) -> bool {
        let calm = s.last_customer.is_some_and(|d| d < self.distress.threshold);
        // (once a problem is raised, a bare "I'm sorry." may apologize for it,
        // unless it answers a calm turn of a few words: a name, a number, a
        // "what was that?" not caught)
        let short_answer = s.last_customer_words <= 6 && !s.last_customer_topic;
        // ("sorry about that" to a customer who was upset at some point may
        // own what upset them)
        let never_upset = s.peak < CONCERN;
        let slip = index >= LONG_CALL && never_upset && !s.last_customer_topic;
        if slip
            && calm
            && apology::hits_of(&s.hits, self.apology.slip)
                .iter()
                .any(|h| (h.start as usize) < a.end && a.start < h.end as usize)
        {
            return true;
        }
        if (s.topics != 0 && !short_answer && !slip) || !calm || s.norm.as_str().len() > 120 {
            return false;
        }
        s.norm
            .as_str()
            .split_whitespace()
            // (a placeholder an export put for what was said: "[LOCATION]")
            .filter(|t| !t.starts_with('['))
            .flat_map(|t| t.split(|c: char| !(c.is_alphanumeric() || c == '\'')))
            .filter(|w| !w.is_empty())
            .all(|w| {
                matches!(
                    w,
                    "i'm"
                        | "im"
                        | "i"
                        | "am"
                        | "sorry"
                        | "oh"
                        | "um"
                        | "uh"
                        | "ah"
                        | "okay"
                        | "ok"
                        | "ma'am"
                        | "sir"
                        | "madam"
                        | "again"
                        | "my"
                        | "apologies"
                        | "and"
                ) || (never_upset
                    && matches!(
                        w,
                        "apologize"
                            | "apologise"
                            | "about"
                            | "that"
                            | "so"
                            | "do"
                            | "well"
                            | "you"
                            | "know"
                            | "yeah"
                            | "if"
                            | "mr"
                            | "mrs"
                            | "ms"
                            | "miss"
                    ))
            })
    }

    /// A customer turn's distress evidence. Pushes its `distress.*` findings
    /// when its score reaches the threshold (adding one for the strongest
    /// evidence the phrase lists do not name: criticism, a negative word, a
    /// chaser), none otherwise.
    fn customer_evidence(
        &self,
        index: usize,
        text: &str,
        chaser: bool,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
    ) -> (Evidence, u8) {
        let mark = out.len();
        background_noise(text, &mut s.background);
        let mut scan = valence::ValenceScan::new();
        let mut topic = std::mem::take(&mut s.topic_scan);
        topic.turn();
        let model = &self.topic_model;
        let words_model = &self.distress_words;
        let weigh =
            words_model.active() && !s.lists_only && self.rules.enabled(distress::IMPLIED.id);
        let mut turn_scan = std::mem::take(&mut s.turn_scan);
        turn_scan.turn();
        let table = &self.customer_words;
        let known = &self.customer_known;
        self.phrase_findings(
            index,
            Role::Customer,
            text,
            s,
            out,
            |norm, a, b, key, id| {
                if let Some(Some(k)) = known.get(id as usize) {
                    // a word of the matcher's vocabulary: its valence, hash and
                    // rows found at build time
                    scan.token_known(a, b, key, k.valence);
                    if k.h == 0 {
                        // a token that is no word: what it ends, found at
                        // build time
                        if k.mark & MARK_BREAKS != 0 {
                            topic.break_run();
                        }
                        if weigh {
                            let (breaks, closes) =
                                (k.mark & MARK_BREAKS != 0, k.mark & MARK_CLOSES != 0);
                            words_model.turn_mark(breaks, closes, &mut turn_scan);
                        }
                        return;
                    }
                    let words = weigh.then_some((words_model, &mut turn_scan));
                    table.word_rows(k.h, k.rows, (a, b), model, &mut topic, words);
                    return;
                }
                scan.token(norm, a, b, key);
                if let Some(token) = norm.get(a..b) {
                    if crate::topics::is_word(token) {
                        // (one look per word and pair for both models)
                        let h = crate::topics::stem_hash(token, key);
                        let words = weigh.then_some((words_model, &mut turn_scan));
                        table.word(h, (a, b), model, &mut topic, words);
                    } else {
                        model.token_keyed(token, key, &mut topic);
                        if weigh {
                            words_model.turn_hashed(token, None, a, b, &mut turn_scan);
                        }
                    }
                }
            },
        );
        s.topic_scan = topic;
        let worded = if weigh {
            words_model.turn_end(&mut turn_scan)
        } else {
            None
        };
        s.turn_scan = turn_scan;
        let valence = scan.finish();
        self.note_topics(s);
        let mut e = Evidence::default();
        // praise said flat after a failure is sarcasm ("So I can't see my
        // cameras for a week. Brilliant."): a feeling, however polite the words
        // (praise words are positive in the valence lexicon: a turn with none
        // is not read for sarcasm)
        let sarcasm = if valence.positive > 0.0 || s.norm.as_str().contains('\u{1f44f}') {
            sarcastic_praise(s.norm.as_str())
        } else {
            None
        };
        if sarcasm.is_some() {
            e.hit(distress_model::EMOTION);
        }
        for f in &out[mark..] {
            let feature = match f.rule {
                r if r == distress::EMOTION.id => distress_model::EMOTION,
                r if r == distress::STAKES.id => distress_model::STAKES,
                r if r == distress::REPEAT_CONTACT.id => distress_model::REPEAT,
                r if r == distress::CHURN_THREAT.id => distress_model::CHURN,
                r if r == distress::PUBLIC_THREAT.id => distress_model::PUBLIC,
                r if r == distress::LEGAL_THREAT.id => distress_model::LEGAL,
                r if r == distress::INTENSITY.id => distress_model::STRONG,
                _ => continue,
            };
            e.hit(feature);
        }
        s.spans.clear();
        distress::intensity_marks(text, &mut s.spans);
        // marks said to someone in the room ("[kids shouting] Kids, OUTSIDE
        // please") are not aimed at the service
        if !s.background.is_empty() {
            let bg = &s.background;
            s.spans.retain(|m| !in_background(bg, m.start as usize));
        }
        // a reply keyword opening a text message ("STOP", "CALL pls",
        // "CARD. new one is ...") is a command, not a raised voice (unless
        // the turn raises it again: "NO. NOT AGAIN")
        if s.spans.len() == 1 && reply_keyword(text, s.spans[0]) {
            s.spans.clear();
        }
        // a raised voice on a word of praise ("it is GORGEOUS!!!", "LOVE
        // it!!") is delight, whatever else the turn reports
        // (and marks alone, "!!!", on a sentence whose words praise and
        // none complains: "Best support ever!!!")
        // (and marks closing the customer's own apology for asking, "sorry
        // to be a pain!!", are politeness, not a raised voice)
        s.spans.retain(|m| {
            let mark = m.slice(text).unwrap_or_default();
            !(praise_mark(mark)
                || (bare_mark(mark)
                    && (praise_sentence(text, m.start as usize)
                        || self_apology_sentence(text, m.start as usize))))
        });
        // marks in a sentence that holds an aside (the weather, the news:
        // "Absolutely FREEZING on the platform this morning!!") are not aimed
        // at the service, unless the sentence negates or speaks to the
        // company ("I don't have the box anymore, it was 6 years ago!!")
        let aside = self.aside;
        if !s.spans.is_empty() && s.hits.iter().any(|h| h.lexicon == aside) {
            let (hits, norm) = (&s.hits, &s.norm);
            s.spans.retain(|m| {
                let at = m.start as usize;
                !hits.iter().filter(|h| h.lexicon == aside).any(|h| {
                    let a = norm.to_original(h.start as usize, h.end as usize).start as usize;
                    same_sentence(text, at, a)
                }) || negates_or_addresses(text, at)
            });
        }
        let norm = s.norm.as_str();
        // (counted by `memchr`'s vector loop: a byte at a time took about
        // two instructions a byte of every customer turn)
        let words = crate::text::find::count(b' ', norm.as_bytes()) + 1;
        s.last_customer_words = words;
        s.last_customer_topic = s.hits.iter().any(|h| self.topic_of(h.lexicon).is_some());
        e.finish(text, &s.spans, &valence, chaser, words);
        // a stake named calmly beside a question, in a conversation that
        // raises no problem ("can it come before 9? it's insulin",
        // "recording from a hospital bed, can I upload from my phone?"), is
        // context, not distress
        // (and one given as the reason for a request, in a conversation that
        // asks only to cancel or for money back: "I need to cancel the trip,
        // my mum's been taken into hospital")
        // (only a life event: a consequence of the fault, "I'd taken the
        // afternoon off unpaid", is distress whatever is asked)
        if (s.topics == 0 && has_byte(text, b'?'))
            || (s.topics != 0
                && s.topics & !REQUEST_TOPICS == 0
                && out[mark..]
                    .iter()
                    .filter(|f| f.rule == distress::STAKES.id)
                    .all(|f| life_event(f.text(text))))
        {
            let own = out[mark..]
                .iter()
                .filter(|f| f.rule == distress::STAKES.id && life_event(f.text(text)))
                .map(|f| stake_negative(f.text(text)))
                .sum();
            e.drop_calm_stakes(&valence, false, own);
        }
        // deep in a call, a stake told in answer to the agent's question,
        // about neither the company nor a topic ("my husband just died",
        // "I'm laid off, so as low as I can get"), is a calm answer, not
        // distress about the service (decision 11), whatever its words weigh
        if index >= LONG_CALL && s.agent_asked && !s.last_customer_topic && !addresses_company(norm)
        {
            e.drop_calm_stakes(&valence, true, 0.0);
        }
        let evidence_score = self.model.score(&e);
        // the distress word model reads the upset no list names (harm told
        // calmly, sarcasm, a complaint told flat): it lifts a turn whose
        // words and pairs reach its threshold, unless the lists would set
        // the turn aside
        let lifted = match worded {
            Some((best, true))
                if evidence_score < self.distress.threshold
                    && !s.turn_aside
                    && words >= MIN_WORDS_READ =>
            {
                Some(best)
            }
            _ => None,
        };
        let score = match lifted {
            Some(best) => evidence_score
                .max(crate::sentence_model::percent(best.z))
                .max(self.distress.threshold),
            None => evidence_score,
        };
        if score < self.distress.threshold {
            out.truncate(mark);
            return (e, score);
        }
        if let Some(best) = lifted {
            let (start, end) = outside_links(s.norm.as_str(), best.start, best.end);
            let span = s.norm.to_original(start, end);
            out.push(self.finding(&distress::IMPLIED, index, span));
        }
        for &span in &s.spans {
            out.push(self.finding(&distress::INTENSITY, index, span));
        }
        if let Some((start, end, v)) = valence.strongest {
            // criticism of the company is named even beside other evidence,
            // unless a phrase list already names that word
            let span = s.norm.to_original(start as usize, end as usize);
            let named = out[mark..].iter().any(|f| f.span.overlaps(span));
            // (the customer's own state, "I am struggling to reset it", is
            // no criticism of anyone: the fallback below names its tone)
            if !named
                && (v <= -1.5 || out.len() == mark)
                && !own_state(s.norm.as_str(), start as usize)
            {
                out.push(self.finding(&distress::CRITICISM, index, span));
            }
        }
        if out.len() == mark {
            // the score rests on evidence no phrase names: point at the
            // chaser itself, or at the turn's most negative word
            let (rule, span) = match valence.worst {
                _ if e.chaser() => (&distress::REPEAT_CONTACT, crate::text::first_sentence(text)),
                _ if sarcasm.is_some() => {
                    let (a, b) = sarcasm.unwrap_or_default();
                    (&distress::TONE, s.norm.to_original(a, b))
                }
                Some((a, b, _)) => (&distress::TONE, s.norm.to_original(a as usize, b as usize)),
                None => (&distress::TONE, crate::text::first_sentence(text)),
            };
            out.push(self.finding(rule, index, span));
        }
        (e, score)
    }

    /// The phrase-list findings of a turn of `role`; `on_token` sees every
    /// token of the normalized text as the matcher reads it.
    fn phrase_findings(
        &self,
        index: usize,
        role: Role,
        text: &str,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
        mut on_token: impl FnMut(&str, usize, usize, u64, u32),
    ) {
        s.norm.reset(text);
        let matcher = if role == Role::Customer {
            &self.customer_matcher
        } else {
            &self.agent_matcher
        };
        let norm = s.norm.as_str();
        matcher.scan_words(norm, &mut s.hits, &mut s.scan, |a, b, key, id| {
            on_token(norm, a, b, key, id);
        });
        quote_positions(norm, &mut s.quotes);
        // patterns tagged [unless-help] stand only in a turn that offers no help
        let helped = s.hits.iter().any(|h| h.unless_help)
            && !apology::hits_of(&s.hits, self.help).is_empty();
        // an aside earlier in the customer's run goes on in a turn that does
        // not address the company (a call transcript's turns are sentences)
        let aside_run = role == Role::Customer
            && s.aside_run
            && !addresses_company(norm)
            && !states_purpose(norm)
            && !s.hits.iter().any(|h| self.topic_of(h.lexicon).is_some());
        // (a turn that says why the customer is in touch, "well, that's why
        // I'm ringing", turns the small talk to the matter, and the run
        // after it is the matter too)
        if role == Role::Customer && s.aside_run && states_purpose(norm) {
            s.aside_run = false;
        }
        if role == Role::Customer && s.hits.iter().any(|h| h.lexicon == self.aside) {
            s.aside_run = true;
        }
        if role == Role::Customer {
            for h in s.hits.iter().filter(|h| h.lexicon == self.objection) {
                let (start, end) = (h.start as usize, h.end as usize);
                if !inside_quotes(&s.quotes, start, end) {
                    s.objections.push((index, s.norm.to_original(start, end)));
                }
            }
        }
        // a long call that has raised no problem by now (no topic named, no
        // turn of concern) is a sale or an enquiry: a feeling, a stake or a
        // strong word in a turn that neither addresses the company nor names
        // a topic is talk around the call (decision 11)
        let around_call = role == Role::Customer
            && index >= LONG_CALL
            && s.topics == 0
            && s.peak < CONCERN
            && !addresses_company(norm)
            && !s.hits.iter().any(|h| self.topic_of(h.lexicon).is_some());
        // policy named on such a call explains the product ("those are not
        // included in the policy", "every one of us is bound by the same guidelines"):
        // with no problem raised there is nothing it refuses
        // (a topic counts where the topic model, reading the customer's words
        // so far, keeps it: "too hard" or "paid for" said in passing on a
        // sales call names no problem). A script the agent reads before the
        // customer has said a word (the call's disclosures: "guidelines
        // require all customers to...") answers no request either.
        let quoting_call = role == Role::Agent
            && ((index >= LONG_CALL && s.peak < CONCERN && !self.problem_named(s))
                || (index >= SCRIPT_TURNS && s.last_customer.is_none()));
        // and deep in a calm call, the policy named after a customer turn
        // that raises no problem is the cover being read out ("those are not
        // included in the policy"), whatever problem the call named earlier
        // (unless the same turn refuses in its own words: "per our policy we
        // cannot refund opened items" answers a request made earlier)
        // (a calm customer who asked what the policy or the terms say is
        // answered by quoting them, in a call or in writing: decision 11)
        let reading_cover = role == Role::Agent
            && ((index >= LONG_CALL && !s.last_customer_topic) || s.last_customer_asked_rule)
            && s.peak < CONCERN
            && !s.hits.iter().any(|h| {
                self.lexicon_rules
                    .get(h.lexicon as usize)
                    .copied()
                    .flatten()
                    == Some(&rules::procedural::REFUSAL_WITHOUT_ALTERNATIVE)
            });
        s.turn_aside = aside_run
            || around_call
            || !s.background.is_empty()
            || s.hits.iter().any(|h| h.lexicon == self.aside);
        for h in &s.hits {
            if helped && h.unless_help {
                continue;
            }
            let Some(rule) = self
                .lexicon_rules
                .get(h.lexicon as usize)
                .copied()
                .flatten()
            else {
                continue;
            };
            if rule.role != role {
                continue;
            }
            let (start, end) = (h.start as usize, h.end as usize);
            // a hypothetical is no excuse, no policy-speak, no harm done, no
            // feeling ("even if you never ran a fever or felt sick") and no outburst ("if I ever wrecked the car...", "if you think you
            // can do better, I'll listen"); a threat keeps its condition
            if (matches!(rule.category, Category::Procedural | Category::Excuse)
                || rule.id == distress::STAKES.id
                || rule.id == distress::INTENSITY.id
                || rule.id == distress::EMOTION.id)
                && in_condition(norm, start)
            {
                continue;
            }
            if (quoting_call && rule.category == Category::Procedural)
                || (reading_cover && rule.id == rules::procedural::POLICY_AS_REASON.id)
                || negated_before(norm, start)
                || inside_quotes(&s.quotes, start, end)
                || (role == Role::Agent
                    && matches!(rule.category, Category::Procedural | Category::Excuse)
                    && customers_words(norm, start))
                || self.allowed(rule.id, start, end, &s.hits)
            {
                continue;
            }
            // a feeling, a stake or a strong word told in an aside (a story
            // from years ago, the news, the weather) is not about the service
            if matches!(
                rule.id,
                "distress.emotion" | "distress.stakes" | "distress.intensity"
            ) && (aside_run
                || around_call
                || (rule.id == "distress.emotion"
                    && third_person_feeling(norm, start)
                    && !(s.topics != 0 && grave_state(norm, start, end))
                    && !s.hits.iter().any(|h| self.topic_of(h.lexicon).is_some()))
                || s.hits.iter().any(|a| {
                    a.lexicon == self.aside
                        && same_sentence(norm, start, a.start as usize)
                        && !(rule.id == "distress.emotion" && feeling_now(norm, start))
                })
                || (role == Role::Customer
                    && !s.background.is_empty()
                    && in_background(&s.background, s.norm.to_original(start, end).start as usize)))
            {
                continue;
            }
            out.push(self.finding(rule, index, s.norm.to_original(start, end)));
        }
    }

    /// Reports the agent turn's most telling statement sentence as
    /// `excuse.implied` (or `procedural.implied`) where the sentence model's
    /// probability reaches its threshold, unless a phrase list names that
    /// category in the turn or the turn sets it aside as the lists do: a
    /// cause owned outright, a quoted or hypothetical sentence, an answer to
    /// small talk, an allowed phrase.
    fn implied(
        &self,
        kind: SentenceKind,
        index: usize,
        s: &Scratch,
        out: &mut Vec<Finding>,
        mark: usize,
    ) {
        let (model, category, rule) = self.sentence_model(kind);
        let Some(scans) = s.sentence_scans.as_ref() else {
            return;
        };
        let Some(best) = scans.best[kind as usize] else {
            return;
        };
        let read = scans.read[kind as usize];
        let norm = s.norm.as_str();
        // an excuse or a policy answers a problem: with none raised yet (no
        // topic named, no customer turn of concern), a sentence about how
        // things work is an explanation (a sales call, an enquiry)
        let problem = s.topics != 0 || s.peak >= CONCERN;
        // and deep in a call that never got upset, one answering the
        // customer's calm talk that names no problem is the agent's story or
        // an explanation ("trust me, I've spent hours on quotes and had
        // another agent snatch the sale"), whatever the call named before;
        // the same talk is no lesson to the customer either ("there's that
        // tiny print at the bottom nobody can read", said of an advert)
        // (talking down answers the customer's words: deep in a call, after
        // a calm run that names no problem, a sentence of the agent's own
        // talk is no lesson, whatever the call went through before)
        let calm_talk = index >= LONG_CALL
            && (s.peak < CONCERN || kind == SentenceKind::Patronizing)
            && s.last_customer.is_some()
            && s.run_peak < self.distress.threshold
            && !s.run_topic;
        let mid = (best.start + best.end) / 2;
        if !problem
            || calm_talk
            || !model.reaches(best.z, read)
            || out[mark..].iter().any(|f| f.category == category)
            || s.hits.iter().any(|h| {
                h.lexicon == self.smalltalk
                    || (kind == SentenceKind::Excuse && h.lexicon == self.owned)
            })
            || inside_quotes(&s.quotes, mid, mid + 1)
            || hypothetical_sentence(norm, best.end)
            || opens_with_condition(&norm[best.start..best.end])
            || (kind == SentenceKind::Excuse
                && (reports_own_act(&norm[best.start..best.end])
                    || states_unavailability(&norm[best.start..best.end])))
            || self.allowed(rule.id, best.start, best.end, &s.hits)
            // a sentence that is mostly what the category's list sets aside
            // by an exception (the agent's own time: "it only takes [DURATION]
            // for me to do that") the model does not report either
            || s.scan.exceptions().iter().any(|h| {
                let (a, b) = (
                    (h.start as usize).max(best.start),
                    (h.end as usize).min(best.end),
                );
                a < b
                    && 2 * (b - a) >= best.end - best.start
                    && self
                        .lexicon_rules
                        .get(h.lexicon as usize)
                        .copied()
                        .flatten()
                        .is_some_and(|r| r.category == category)
            })
        {
            return;
        }
        let (start, end) = outside_links(s.norm.as_str(), best.start, best.end);
        let span = s.norm.to_original(start, end);
        // a sentence that apologizes sincerely or acknowledges the customer
        // ("I'm sorry: a call mid-treatment is unacceptable, and you came to
        // us to unwind") does not talk down in the same breath
        if kind == SentenceKind::Patronizing
            && out[mark..].iter().any(|f| {
                (f.category == Category::Empathy || f.rule == rules::apology::SINCERE.id)
                    && f.span.overlaps(span)
            })
        {
            return;
        }
        out.push(self.finding(rule, index, span));
    }

    /// Reports the agent turn's most telling statement sentence as
    /// `action.specific` where the specific-action model's probability
    /// reaches its threshold and the promise lists found no specific act in
    /// the turn: a concrete act in words the lists do not name ("fresh stock
    /// lands Tuesday and yours is first on the list"). A vague promise the
    /// lists found in that sentence is the same act, now read as specific,
    /// and is dropped. With `kind` vague: `action.vague` where the turn has
    /// no action found at all and the customer raised a problem. Quoted and
    /// hypothetical sentences and answers to small talk are set aside.
    fn implied_action(
        &self,
        kind: SentenceKind,
        index: usize,
        s: &Scratch,
        out: &mut Vec<Finding>,
        mark: usize,
    ) {
        let (model, _, rule) = self.sentence_model(kind);
        let Some(scans) = s.sentence_scans.as_ref() else {
            return;
        };
        let Some(best) = scans.best[kind as usize] else {
            return;
        };
        let read = scans.read[kind as usize];
        let norm = s.norm.as_str();
        let mid = (best.start + best.end) / 2;
        if s.lists_only
            || !model.active()
            || !self.rules.enabled(rule.id)
            || !model.reaches(best.z, read)
            || out[mark..].iter().any(|f| f.rule == rule.id)
            // a vague promise: only in a reply with no action found at all,
            // to a customer who raised a problem (on a sale, an act with no
            // time is the product's description)
            || (kind == SentenceKind::Vague
                && (out[mark..].iter().any(|f| f.category == Category::Action)
                    || (s.topics == 0 && s.peak < CONCERN)
                    || self.sale_talk_in(index, s, best.start, best.end)
                    // deep in a call, a hedge the lists do not name, said
                    // right after the customer answered the agent's
                    // question with no new concern ("My fault." / "Right,
                    // let's see what we can come up with"), moves the call on
                    // to work done on it: judged from what came before only,
                    // so a live finding is never taken back
                    || (index >= LONG_CALL
                        && s.prev_agent_asked
                        && !s.run_topic
                        && s.run_peak < CONCERN)))
            || s.hits.iter().any(|h| h.lexicon == self.smalltalk)
            || inside_quotes(&s.quotes, mid, mid + 1)
            || hypothetical_sentence(norm, best.end)
            || opens_with_condition(&norm[best.start..best.end])
            || self.allowed(rule.id, best.start, best.end, &s.hits)
            // what the promise list sets aside by an exception (a step of
            // the call itself: "once I'm done, I'll get you connected") the
            // model does not credit either
            || s.scan.exceptions().iter().any(|h| {
                self.lexicon_rules.get(h.lexicon as usize).copied().flatten() == Some(rule)
                    && (h.start as usize) < best.end
                    && best.start < h.end as usize
            })
        {
            return;
        }
        let (start, end) = outside_links(s.norm.as_str(), best.start, best.end);
        let span = s.norm.to_original(start, end);
        // a future act whose only time is a loose one ("they'll get a
        // corrected one out to you soon", "in due course") has no when: it
        // is a vague promise where the customer raised a problem
        // (decision: a future act needs a when), and no finding otherwise
        let mut rule = rule;
        if kind == SentenceKind::Specific && loose_time_only(&norm[best.start..best.end]) {
            if (s.topics == 0 && s.peak < CONCERN)
                || !self.rules.enabled(rules::action::VAGUE.id)
                || out[mark..]
                    .iter()
                    .any(|f| f.rule == rules::action::VAGUE.id)
            {
                return;
            }
            rule = &rules::action::VAGUE;
        }
        drop_from(out, mark, |f| {
            f.rule == rules::action::VAGUE.id && f.span.overlaps(span)
        });
        out.push(self.finding(rule, index, span));
    }

    /// Settles the actions of an agent turn whose phrase findings start at
    /// `mark`: a promised act (internal list) is specific with a when in its
    /// sentence and vague without, unless an action finding already covers
    /// it; a turn that promises an act with a time has no vague promise.
    fn settle_actions(&self, index: usize, s: &mut Scratch, out: &mut Vec<Finding>, mark: usize) {
        let lx = self.action;
        let norm = s.norm.as_str();
        let whens: Vec<usize> = s
            .hits
            .iter()
            .filter(|h| h.lexicon == lx.when && !negated_before(norm, h.start as usize))
            .map(|h| h.start as usize)
            .collect();
        // a time offered in a question later in the reply dates the act
        // ("I'll get an engineer out to reset it. I've got Thursday
        // morning, eight till twelve?")
        let offered = |w: usize| sentence_end(norm, w).1;
        // a time the agent promised an act for a turn or two before holds
        // for a promise that follows it ("I'll ring you tomorrow between ten and noon?"
        // "Sounds good." "Then I'll ring you at ten.")
        let agreed = s.when_turn.is_some_and(|t| index <= t + 3);
        let dated = |at: usize| {
            agreed
                || whens
                    .iter()
                    .any(|&w| same_sentence(norm, at, w) || (w > at && offered(w)))
        };
        // information sent during the conversation is done now, and so is
        // the work of a call said as it is done, deep in a call
        let on_call = index >= LONG_CALL;
        let sent_now = |at: usize| {
            s.hits.iter().any(|h| {
                (h.lexicon == lx.immediate || (on_call && h.lexicon == lx.on_call))
                    && h.start as usize <= at
                    && at < h.end as usize
            })
        };
        // a hedge the vague list names over that work ("I'll take a look at
        // the options for you") is the work itself
        // (and on a sales call that has raised no problem, the effort talk
        // that opens the quote: "I'll do my very best for you on that premium")
        let sale = self.sale_talk_in(index, s, 0, norm.len());
        let work_here = |h: &Hit| h.lexicon == lx.on_call || (sale && h.lexicon == lx.sale_talk);
        if on_call && s.hits.iter().any(work_here) {
            let work: Vec<Span> = s
                .hits
                .iter()
                .filter(|h| work_here(h))
                .map(|h| s.norm.to_original(h.start as usize, h.end as usize))
                .collect();
            drop_from(out, mark, |f| {
                f.rule == action::VAGUE.id && work.iter().any(|w| w.overlaps(f.span))
            });
        }
        let mut promised_with_time = false;
        for h in s.hits.iter().filter(|h| h.lexicon == lx.future) {
            let (start, end) = (h.start as usize, h.end as usize);
            if negated_before(norm, start)
                || in_condition(norm, start)
                || inside_quotes(&s.quotes, start, end)
            {
                continue;
            }
            let span = s.norm.to_original(start, end);
            // (a hedge the vague list names, "I'll try and", does not hide an
            // act it runs into that has its time: "I'll try and reach out to
            // you tomorrow" is a callback with a day; the hedge goes below)
            if out[mark..].iter().any(|f| {
                f.category == Category::Action
                    && f.span.overlaps(span)
                    && !(f.rule == action::VAGUE.id && dated(start))
            }) {
                continue;
            }
            let rule = if dated(start) {
                promised_with_time = true;
                &action::SPECIFIC
            } else if sent_now(start)
                || hypothetical_sentence(norm, start)
                || contingent(norm, start, end)
                || s.last_customer.is_none()
            {
                // (what the cover does "if you blow a tire" is no promise,
                // vague or not; nor is a call's recorded greeting before the
                // customer has said anything: "We're working to match you
                // with the best agent". A broadcast the vague list names,
                // "engineers are working to restore service", stays)
                continue;
            } else {
                &action::VAGUE
            };
            if !self.allowed(rule.id, start, end, &s.hits) {
                out.push(self.finding(rule, index, span));
            }
        }
        // a reply that promises an act with a time ("I'll message you with
        // an update by 5 pm") is held to that time: its other promises in
        // looser words ("I'll look into why it stalled") are not vague
        if promised_with_time {
            drop_from(out, mark, |f| f.rule == action::VAGUE.id);
            s.when_turn = Some(index);
        }
    }

    /// Blames the customer through a counterfactual, wherever the words
    /// between fall: "had you folded your mirrors in as per the
    /// instructions, this wouldn't have happened", "if you'd pushed the
    /// bike in until it clicked, the ride would have ended". The clause
    /// frame: "had you", "if you'd" or "if you had" with a verb after it
    /// (not "if you'd like", "if you had any questions"), and a past
    /// conditional ("would(n't) have", "wouldn't be", "could have been")
    /// later in the same sentence, in a statement. Reported once per
    /// sentence, unless a phrase list already names the blame there.
    fn counterfactual_blame(
        &self,
        index: usize,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
        mark: usize,
    ) {
        let rule = &rules::excuse::BLAMING_CUSTOMER;
        if !self.rules.enabled(rule.id) {
            return;
        }
        let norm = s.norm.as_str();
        let bytes = norm.as_bytes();
        static YOU: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new("you"));
        let mut from = 0;
        while let Some(k) = YOU.find(&bytes[from..]) {
            let at = from + k;
            from = at + 3;
            // the opening: "had you", "if you'd", "if you had", "if you would have"
            let before = &norm[..at];
            let opener = if let Some(head) = before.strip_suffix("had ") {
                head.is_empty() || head.ends_with([' ', ',', '.', ';', '\n', '(', '-'])
            } else {
                before.ends_with("if ") || before.ends_with("if only ")
            };
            if !opener || at > 0 && !before.ends_with(' ') {
                continue;
            }
            let rest = &norm[at + 3..];
            let mut words = rest.split(' ').filter(|w| !w.is_empty());
            let mut verb = words.next().unwrap_or_default();
            if before.ends_with("had ") && verb == "r" {
                // "had your <thing> <participle>": "had your details included
                // a contact", "had your meter been read"
                verb = words
                    .by_ref()
                    .take(3)
                    .find(|w| {
                        let w = w.trim_end_matches([',', '.']);
                        w == "been" || w.len() > 4 && w.ends_with("ed")
                    })
                    .unwrap_or_default();
                if verb == "been" {
                    verb = "done";
                }
            } else if !before.ends_with("had ") {
                // "you'd X", "you had X", "you would have X"
                verb = match verb {
                    "'d" => words.next().unwrap_or_default(),
                    "had" => words.next().unwrap_or_default(),
                    "would" if words.next() == Some("have") => words.next().unwrap_or_default(),
                    v if v.starts_with("'d") => v,
                    _ => continue,
                };
                if let Some(r) = rest.strip_prefix("'d") {
                    verb = r.split(' ').find(|w| !w.is_empty()).unwrap_or_default();
                }
                // "if you'd had a softener fitted": "had" with its object
                if verb == "had" {
                    let mut after = rest.split(' ').filter(|w| !w.is_empty());
                    let object = after.find(|w| *w == "had").and(after.next());
                    if matches!(
                        object,
                        Some("a" | "an" | "the" | "your" | "it" | "them" | "this" | "that")
                    ) {
                        verb = "done";
                    }
                }
            }
            // "if you'd been riding it in the wet": a past progressive is a
            // done act
            if verb == "been" && words.clone().next().is_some_and(|w| w.ends_with("ing")) {
                verb = "done";
            }
            let verb = verb.trim_end_matches([',', '.', '!', '?']);
            if matches!(
                verb,
                "" | "like"
                    | "love"
                    | "prefer"
                    | "want"
                    | "rather"
                    | "care"
                    | "be"
                    | "any"
                    | "a"
                    | "an"
                    | "the"
                    | "questions"
                    | "more"
                    | "been"
                    | "had"
                    | "have"
                    | "need"
                    | "needed"
                    | "wanted"
                    | "liked"
                    | "known"
                    | "got"
                    | "some"
                    | "no"
                    | "not"
            ) || !verb.ends_with("ed")
                && !matches!(
                    verb,
                    "read"
                        | "sent"
                        | "put"
                        | "set"
                        | "left"
                        | "kept"
                        | "told"
                        | "paid"
                        | "let"
                        | "made"
                        | "taken"
                        | "done"
                        | "chosen"
                        | "given"
                        | "brought"
                        | "bought"
                        | "shown"
                        | "rung"
                        | "run"
                        | "come"
                        | "gone"
                        | "spoken"
                        | "written"
                        | "hung"
                        | "held"
                        | "stuck"
                        | "shut"
                        | "fed"
                        | "met"
                )
            {
                continue;
            }
            // the sentence's end, and a past conditional after the opening
            let (end, question) = sentence_end(norm, at);
            if question {
                continue;
            }
            let sentence = &norm[at..end];
            let consequent = [
                "would have",
                "would've",
                "wouldn't have",
                "would not have",
                "wouldn't've",
                "wouldn't be",
                "would not be",
                "could have been",
                "could've been",
                "'d have",
                "none of this",
                "would be fine",
                "would have been",
                "wouldn't really have",
                "wouldn't even have",
                "would never have",
                "would probably have",
                "would likely have",
                "would all have",
                "would've",
                "could've been",
                // what the company could then have done ("if you'd mentioned
                // it on the day, we could have inspected it")
                "could have",
                "could've",
                "might have been able",
                // what the customer's act would account for ("that would
                // explain the bearings", "this wouldn't normally happen")
                "would explain",
                "would account for",
                "wouldn't normally",
                "would not normally",
                "wouldn't usually",
                "would not usually",
                "wouldn't happen",
                "would not happen",
            ]
            .iter()
            .filter_map(|c| {
                memchr::memmem::find(sentence.as_bytes(), c.as_bytes()).map(|i| i + c.len())
            })
            .min();
            let Some(cons_end) = consequent else {
                continue;
            };
            let start = before.rfind([' ', '\n']).map_or(0, |i| i + 1);
            let stop = at + cons_end;
            if negated_before(norm, start)
                || inside_quotes(&s.quotes, start, stop)
                || self.allowed(rule.id, start, stop, &s.hits)
            {
                continue;
            }
            let span = s.norm.to_original(start, stop);
            if !out[mark..]
                .iter()
                .any(|f| f.category == Category::Excuse && f.span.overlaps(span))
            {
                out.push(self.finding(rule, index, span));
            }
            from = end;
        }
    }

    /// Decision 7: a generic link as the whole answer to a customer who
    /// raised a problem ("Our pricing is explained here:
    /// example.co.uk/prices", "you can report faults here: example.com/help")
    /// is a hand-off, not help. The frame: a short reply holding a link to a
    /// help, policy, account or pricing page, with no act, no promise, no
    /// question back and no route to a person ("DM us"); a link to a form
    /// or to the customer's own case is help.
    fn link_as_answer(
        &self,
        index: usize,
        text: &str,
        s: &Scratch,
        out: &mut Vec<Finding>,
        mark: usize,
    ) {
        let rule = &rules::procedural::BUREAUCRATIC_HANDOFF;
        if !self.rules.enabled(rule.id) || (s.topics == 0 && s.peak < self.distress.threshold) {
            return;
        }
        let Some(link) = generic_link(text) else {
            return;
        };
        let engaged = out[mark..].iter().any(|f| {
            matches!(
                f.category,
                Category::Action | Category::Procedural | Category::Ownership
            )
        });
        let norm = s.norm.as_str();
        if engaged || has_byte(norm, b'?') {
            return;
        }
        let words = text
            .split_whitespace()
            .filter(|w| !w.contains('/') && !w.starts_with('@'))
            .take(46)
            .count();
        if words > 45 {
            return;
        }
        let routes = [
            "dm",
            "direct message",
            "private message",
            "message us",
            "send us",
            "reply with",
            "drop us",
            "call us",
            "give us a call",
            "form",
        ]
        .iter()
        .any(|r| {
            norm.match_indices(r).any(|(i, _)| {
                let before = norm[..i]
                    .chars()
                    .next_back()
                    .is_none_or(|c| !c.is_alphanumeric());
                let after = norm[i + r.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
                before && after
            })
        });
        if routes {
            return;
        }
        out.push(self.finding(rule, index, link));
    }

    /// Decision 2 reads consecutive agent messages as one turn, so an
    /// apology closing one message is `but` when the next agent message
    /// opens with a strong contrast and gives no help in its first
    /// sentence ("I'm sorry about that, Ms. Delgado." then "Unfortunately
    /// with the holiday weekend the minivans just aren't back").
    fn but_across_messages(&self, transcript: &Transcript<'_>, findings: &mut [Finding]) {
        if !self.rules.enabled(apology::BUT.id) {
            return;
        }
        for f in findings.iter_mut() {
            if f.rule != apology::SINCERE.id {
                continue;
            }
            let (Some(turn), Some(next)) = (
                transcript.turns.get(f.turn),
                transcript.turns.get(f.turn + 1),
            ) else {
                continue;
            };
            if turn.role != Role::Agent || next.role != Role::Agent {
                continue;
            }
            // the apology's sentence ends its message
            let rest = turn.text.get(f.span.end as usize..).unwrap_or_default();
            let ends_ci = |end: usize, t: &str| {
                end >= t.len()
                    && rest.as_bytes()[end - t.len()..end].eq_ignore_ascii_case(t.as_bytes())
            };
            let more = rest.char_indices().any(|(i, c)| {
                let title = c == '.'
                    && ["mr", "mrs", "ms", "dr", "st", "mx"]
                        .iter()
                        .any(|t| ends_ci(i, t));
                matches!(c, '.' | '!' | '?')
                    && !title
                    && rest[i + 1..].trim_start().starts_with(char::is_alphabetic)
            });
            if more {
                continue;
            }
            // the next message's first sentence, read only when a strong
            // contrast opens it
            let opening = next.text.trim_start();
            let strong = apology::STRONG_CONTRASTS.iter().any(|w| {
                opening
                    .as_bytes()
                    .get(..w.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(w.as_bytes()))
                    && opening[w.len()..].starts_with(|c: char| !c.is_alphanumeric())
            });
            if !strong {
                continue;
            }
            let first = opening
                .find(['.', '!', '?', '\n'])
                .map_or(opening, |i| &opening[..i])
                .to_lowercase();
            let first = first.as_str();
            if !apology::gives_help(first) {
                f.rule = apology::BUT.id;
                f.category = apology::BUT.category;
                f.kind = apology::BUT.kind;
                f.severity = self.rules.severity(&apology::BUT);
                f.message = apology::BUT.message;
                f.suggestion = apology::BUT.suggestion;
            }
        }
    }

    /// The topic a lexicon's hits tag, if it is a topic list.
    fn topic_of(&self, lexicon: LexiconId) -> Option<u8> {
        self.topic_of.get(lexicon as usize).copied().flatten()
    }

    /// Whether the agent sentence at `start..end`, deep in a call that has
    /// raised no problem, holds a sales call's effort talk ("we'll see what
    /// it comes up to when we get there"): the quote being run, no promise.
    fn sale_talk_in(&self, index: usize, s: &Scratch, start: usize, end: usize) -> bool {
        index >= LONG_CALL
            && s.peak < CONCERN
            && s.hits.iter().any(|h| {
                h.lexicon == self.action.sale_talk
                    && (h.start as usize) < end
                    && start < h.end as usize
            })
            && !self.problem_named(s)
    }

    /// Whether the customer turns so far named a problem: a topic the lists
    /// found that the topic model, reading the words so far, keeps.
    fn problem_named(&self, s: &Scratch) -> bool {
        s.topics != 0
            && self
                .topic_model
                .decide(&s.topic_scan, s.topics, self.topics_kept)
                & s.topics
                != 0
    }

    /// Adds to `s.topics` the topics of the customer turn just scanned.
    fn note_topics(&self, s: &mut Scratch) {
        if self.topic_names.is_empty() {
            return;
        }
        for h in &s.hits {
            let Some(topic) = self.topic_of(h.lexicon) else {
                continue;
            };
            // a topic is what the turn is about, negated or not ("I haven't
            // had my refund"), asked or quoted
            s.topics |= 1 << topic;
        }
    }

    /// Whether an `allow-phrases` match of this rule covers `start..end`.
    fn allowed(&self, rule: &str, start: usize, end: usize, hits: &[Hit]) -> bool {
        if self.allow_rules.is_empty() {
            return false;
        }
        hits.iter().any(|h| {
            self.allow_rules.get(h.lexicon as usize).copied().flatten() == Some(rule)
                && h.start as usize <= start
                && end <= h.end as usize
        })
    }

    fn finding(&self, rule: &'static RuleInfo, turn: usize, span: Span) -> Finding {
        Finding {
            rule: rule.id,
            category: rule.category,
            kind: rule.kind,
            severity: self.rules.severity(rule),
            turn,
            span,
            message: rule.message,
            suggestion: rule.suggestion,
            upset: None,
        }
    }
}

/// Reusable per-thread buffers for [`Analyzer::analyze_with`].
///
/// Holds no results and no settings, only allocations: reusing one saves
/// allocating per transcript in batch loops. It can be used with any
/// analyzer. With rayon, `map_init(Scratch::default, ...)` gives one per
/// worker (see the `batch_jsonl` example).
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    norm: Normalized,
    /// The customer's protests at being talked down to so far in the
    /// transcript: the turn and the protest's span.
    objections: Vec<(usize, Span)>,
    hits: Vec<Hit>,
    scan: ScanBuffers,
    apologies: Vec<apology::Apology>,
    spans: Vec<Span>,
    quotes: Vec<u32>,
    roles: Vec<Role>,
    /// The topics the phrase lists found so far in the transcript (bit per
    /// topic index).
    pub(crate) topics: u64,
    /// What the customer turns gave the topic model so far.
    pub(crate) topic_scan: crate::topics::TopicScan,
    /// What the agent turn being read gave the sentence models (boxed: the
    /// turn takes them out of the scratch and puts them back, moving a
    /// pointer, not some 1,200 bytes twice a turn; `None` before the first
    /// agent turn).
    sentence_scans: Option<Box<crate::sentence_model::SentenceScans>>,
    /// What the customer turn being read gave the distress word model.
    turn_scan: crate::sentence_model::TurnScan,
    /// Whether the customer turn being read is set aside as the distress
    /// lists set it aside (an aside, a call's talk around the call, noise in
    /// the room): the distress word model does not read it.
    turn_aside: bool,
    /// Whether the sentence models are left out (for explanations: what the
    /// phrase lists alone find).
    lists_only: bool,
    /// The names the customer gave so far.
    pub(crate) names: Vec<String>,
    name_spans: Vec<Span>,
    /// The highest distress score of a customer turn so far.
    pub(crate) peak: u8,
    /// The distress score of the last customer turn, if one came yet (with
    /// none, a reply is judged on its words alone).
    pub(crate) last_customer: Option<u8>,
    /// The number of words of the last customer turn (0 before one), and
    /// whether it named a topic.
    last_customer_words: usize,
    last_customer_topic: bool,
    /// Whether the last customer turn said "like I said" or "as I said" (an
    /// agent's "like I said" answering it echoes them).
    last_customer_recap: bool,
    /// The last customer turn's text if it is short (160 bytes at most;
    /// empty otherwise): read for a request to say something again ("Sorry,
    /// what was that?") only when the agent's reply talks down.
    last_customer_short: String,
    /// Whether the last customer turn asked about a policy, the terms or a
    /// rule (a reply quoting it answers the question: decision 11).
    last_customer_asked_rule: bool,
    /// Whether the customer's current run of turns (no agent turn between)
    /// has told an aside (the news, politics, a story): its next turns that
    /// do not address the company are the aside going on.
    aside_run: bool,
    /// The most distress of a turn of the customer's current (or last) run,
    /// whether one of its turns named a topic, and whether the run is open
    /// (no agent turn since its last turn).
    run_peak: u8,
    run_topic: bool,
    in_run: bool,
    /// The last agent turn that promised an act with a time.
    when_turn: Option<usize>,
    /// The last agent turn that asked for the customer's name ("and what's
    /// your first name?"): a name said back just after it is taken down.
    name_asked: Option<usize>,
    /// The agent turn where a speaker on the company's side introduced
    /// themself deep in a call ("Hi, this is Dana.") with no customer turn
    /// since: a warm transfer, whose first greeting is said to the colleague
    /// joining.
    transfer_intro: Option<usize>,
    /// The last agent turn that held a call's recorded message, while no
    /// customer turn has come since.
    recording_turn: Option<usize>,
    /// The last agent row with a phone menu's keypad prompt since the last
    /// customer turn.
    menu_turn: Option<usize>,
    /// Whether the last agent turn asked the customer something.
    agent_asked: bool,
    /// Whether the customer turns since the last agent turn answer a
    /// question that agent turn asked.
    answering: bool,
    /// Whether the agent turn being read follows the customer's answer to
    /// the agent's question (no agent turn between).
    prev_agent_asked: bool,
    /// The byte ranges of the current customer turn that a transcript's
    /// note of background noise opens ("[dog barking] Sorry, that's the
    /// dog!!"), up to the end of that sentence.
    background: Vec<(usize, usize)>,
}

impl Scratch {
    /// Whether agent row `index`, just analyzed, played a call's recorded
    /// message (not a transcript's bracketed note of one).
    pub(crate) fn recorded_row(&self, index: usize) -> bool {
        self.recording_turn == Some(index)
    }

    /// Forgets what the previous transcript's turns left (topics, names,
    /// distress so far).
    pub(crate) fn start_transcript(&mut self) {
        self.topics = 0;
        self.objections.clear();
        self.topic_scan.clear();
        if let Some(scans) = &mut self.sentence_scans {
            scans.clear();
        }
        self.turn_scan.clear();
        self.names.clear();
        self.peak = 0;
        self.last_customer = None;
        self.last_customer_words = 0;
        self.last_customer_topic = false;
        self.last_customer_recap = false;
        self.last_customer_short.clear();
        self.last_customer_asked_rule = false;
        self.aside_run = false;
        self.run_peak = 0;
        self.run_topic = false;
        self.in_run = false;
        self.when_turn = None;
        self.name_asked = None;
        self.transfer_intro = None;
        self.recording_turn = None;
        self.menu_turn = None;
        self.agent_asked = false;
        self.answering = false;
        self.prev_agent_asked = false;
    }
}

/// Drops, among the findings from `mark` on (the turn being analyzed), those
/// `drop` picks; earlier turns' findings stay.
/// Whether a recorded row hands the call over to a person ("I'm now
/// connecting you to a provider", "please hold, you are being transferred").
fn hands_over(norm: &str) -> bool {
    [
        "connecting you",
        "transferring you",
        "being transferred",
        "transfer you",
        "put you through",
    ]
    .iter()
    .any(|p| norm.contains(p))
}

/// Whether a recorded-message match (normalized text from its start) is a
/// phone menu's keypad prompt ("press 1", "please enter the ZIP of the home",
/// "using your keypad"), not the hold loop or the recording notice a live
/// agent also reads out.
fn is_menu(at: &[u8]) -> bool {
    [
        "press ",
        "please enter ",
        "using your keypad",
        "please choose ",
        "please select ",
        // the post-call survey ("Please remain on the line for a short survey
        // on this call." ... "Thanks for agreeing to rate the help you got")
        "please remain on the line for ",
        "please stay on the line for ",
        "remain on the line for ",
        "stay on the line for ",
    ]
    .iter()
    .any(|p| at.starts_with(p.as_bytes()))
}

fn drop_from(out: &mut Vec<Finding>, mark: usize, mut drop: impl FnMut(&Finding) -> bool) {
    let mut k = 0;
    out.retain(|f| {
        k += 1;
        k <= mark || !drop(f)
    });
}

/// The distress score from which a customer turn shows enough concern for an
/// acknowledgment to be credited (with no topic raised): well under the
/// distress threshold, above the score of a calm turn.
const CONCERN: u8 = 25;

/// The turn from which a conversation that has raised no problem reads as a
/// call about something else (a sale, an enquiry), whose asides are not
/// distress.
const LONG_CALL: usize = 16;

/// The number of agent turns opening a conversation, before any customer
/// turn, from which the agent is reading a script (a call's recorded
/// disclosures) rather than answering anyone.
const SCRIPT_TURNS: usize = 3;

/// Makes one finding of findings of the same rule in `out[from..]` that are
/// one expression: they overlap, or touch with at most [`JOIN_GAP_WORDS`]
/// words between them and no sentence break or clause opener ("We're
/// currently seeing" + "longer delivery times than normal"; "Someone
/// will be in touch" + "in due course"). Strengths and apologies are left
/// apart: two acts in one sentence are two acts, and each apology is
/// classified on its own. The joined finding keeps the first one's place and
/// spans both.
fn join_touching(text: &str, out: &mut Vec<Finding>, from: usize) {
    let joinable = |f: &Finding| f.kind != Kind::Strength && f.category != Category::Apology;
    if out.len() < from + 2 || out[from..].iter().filter(|f| joinable(f)).nth(1).is_none() {
        return;
    }
    let mut order: Vec<usize> = (from..out.len()).filter(|&i| joinable(&out[i])).collect();
    order.sort_by_key(|&i| (out[i].rule, out[i].span.start, out[i].span.end));
    let mut removed = vec![false; out.len()];
    let mut head = order[0];
    for &i in &order[1..] {
        let (a, b) = (out[head].span, out[i].span);
        let touching = out[head].rule == out[i].rule
            && (b.start <= a.end
                || text
                    .get(a.end as usize..b.start as usize)
                    .is_some_and(one_expression_gap));
        if touching {
            out[head].span = Span::new(a.start as usize, a.end.max(b.end) as usize);
            removed[i] = true;
        } else {
            head = i;
        }
    }
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !removed[k - 1]
    });
}

/// Whether the text between two findings of one rule leaves them one
/// expression ([`join_touching`]): no sentence break and no word that opens
/// a new clause, and at most [`JOIN_GAP_WORDS`] words.
fn one_expression_gap(between: &str) -> bool {
    if between.contains(['.', '!', '?', '\n', ';', ':']) {
        return false;
    }
    let mut words = 0;
    for w in between.split(|c: char| !(c.is_alphanumeric() || c == '\'')) {
        if w.is_empty() {
            continue;
        }
        words += 1;
        let opener = crate::matcher::CLAUSE_OPENERS
            .iter()
            .any(|o| w.eq_ignore_ascii_case(o));
        if opener || words > JOIN_GAP_WORDS {
            return false;
        }
    }
    true
}

/// Words that may stand between two findings of one rule read as one
/// expression ([`join_touching`]).
const JOIN_GAP_WORDS: usize = 2;

/// Whether an intensity mark's words are all words of praise in the valence
/// lexicon ("GORGEOUS!!!", "LOVE IT"), with at least one of them: the marks
/// then say how pleased the customer is, not how upset.
fn praise_mark(mark: &str) -> bool {
    let mut any = false;
    for w in mark.split(|c: char| !(c.is_alphabetic() || c == '\'')) {
        if w.is_empty() {
            continue;
        }
        let lower = w.to_lowercase();
        let v = crate::distress::valence::valence_of(&lower);
        // (and relief in capitals: "GOT IT", "FOUND IT", "IT WORKED")
        let relief = matches!(
            lower.as_str(),
            "got" | "found" | "worked" | "works" | "done" | "yes" | "yay" | "phew"
        );
        if v > 0.0 || praise_noun(&lower) || relief {
            any = true;
        } else if !matches!(
            lower.as_str(),
            "it" | "is"
                | "so"
                | "very"
                | "this"
                | "that"
                | "just"
                | "a"
                | "an"
                | "you're"
                | "youre"
        ) {
            return false;
        }
    }
    any
}

/// Whether a word names a person in praise ("you're a LEGEND!!!", "an
/// absolute star"): nouns the valence lexicon does not score.
fn praise_noun(word: &str) -> bool {
    matches!(
        word,
        "legend"
            | "legends"
            | "star"
            | "stars"
            | "superstar"
            | "superstars"
            | "gem"
            | "angel"
            | "lifesaver"
            | "lifesavers"
            | "rockstar"
            | "diamond"
    )
}

/// Whether an intensity mark is punctuation alone ("!!!", "?!?!").
fn bare_mark(mark: &str) -> bool {
    !mark.is_empty() && mark.bytes().all(|b| matches!(b, b'!' | b'?' | b'.'))
}

/// The words of `text` before byte `end` back to the last sentence mark or
/// line break: the sentence a mark at `end` closes.
fn sentence_before(text: &str, end: usize) -> Option<&str> {
    let before = text.get(..end)?;
    let start = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    Some(&before[start..])
}

/// Whether the sentence that ends at byte `end` of `text` (from the last
/// sentence break before it) has a word of praise in the valence lexicon
/// and no word of complaint: a mark closing it is delight ("Best support
/// ever!!!", "Mia was brilliant!!").
fn praise_sentence(text: &str, end: usize) -> bool {
    let Some(sentence) = sentence_before(text, end) else {
        return false;
    };
    let (mut any, mut yes, mut words) = (false, false, 0);
    // a fix reported with joy ("It worked!!", "sorted!!") is delight, unless
    // a negator turns it ("still not working!!", "it never worked!!")
    let (mut success, mut negated) = (false, false);
    for w in sentence.split(|c: char| !(c.is_alphabetic() || c == '\'')) {
        if w.is_empty() {
            continue;
        }
        words += 1;
        let lower = w.to_lowercase();
        // (a swear word that only intensifies: "bloody brilliant!!")
        if matches!(
            lower.as_str(),
            "bloody"
                | "damn"
                | "dead"
                | "freaking"
                | "fricking"
                | "effing"
                | "fucking"
                | "insanely"
        ) {
            continue;
        }
        let v = crate::distress::valence::valence_of(&lower);
        if v < 0.0 {
            return false;
        }
        any |= v > 0.0 || praise_noun(&lower);
        success |= matches!(
            lower.as_str(),
            "worked" | "works" | "working" | "fixed" | "sorted" | "solved" | "resolved"
        );
        negated |= is_negator(&lower)
            || lower.ends_with("n't")
            || matches!(lower.as_str(), "still" | "stopped" | "again");
        yes |= matches!(
            lower.as_str(),
            "yes" | "yess" | "yesss" | "yep" | "yup" | "yeah"
        );
    }
    // a glad yes of two words to an offer ("yes please!!", "yep, perfect!!")
    // is delight, though the lexicon reads "yes" as neutral (a longer one
    // may snap back: "Yes it's plugged in!!")
    any || (yes && words <= 2) || (success && !negated)
}

/// Whether `text` holds any of `needles` (lower-case ASCII), in any case.
fn mentions_any(text: &str, needles: &[&str]) -> bool {
    let lower = text.to_ascii_lowercase();
    needles.iter().any(|n| lower.contains(n))
}

/// The built-in topics a customer asks for rather than complains of (refund,
/// cancellation), as bits of `Scratch::topics`: the built-in tags take the
/// first indices, in `topics::BUILTIN` order.
const REQUEST_TOPICS: u64 = 1 << 1 | 1 << 5;

/// Whether a stake's words name a life event (a stay in hospital, a death,
/// a birthday, a wedding) rather than a loss the fault caused.
/// The negative valence of a stake's own words ("passed away", "bowel
/// cancer"), as the valence scan would count them.
fn stake_negative(stake: &str) -> f32 {
    stake
        .split(|c: char| !c.is_alphanumeric() && c != '\'')
        .filter(|w| !w.is_empty())
        .map(|w| (-crate::distress::valence::valence_of(&w.to_lowercase())).max(0.0))
        .sum()
}

fn life_event(stake: &str) -> bool {
    mentions_any(
        stake,
        &[
            "hospital",
            "passed",
            "died",
            "death",
            "birthday",
            "wedding",
            "funeral",
            "surgery",
            "operation",
            "pregnan",
            "born",
            "illness",
        ],
    )
}

/// Whether the sentence holding byte `at` of `text` has a negator or speaks
/// to the company ("you", "your"): what it says is about the service.
fn negates_or_addresses(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let start = (0..at)
        .rev()
        .find(|&i| bytes[i] == b'\n' || crate::text::ends_sentence_at(bytes, i))
        .map_or(0, |i| i + 1);
    let (end, _) = sentence_end(text, at);
    text.get(start..end).is_some_and(|sentence| {
        sentence
            .split(|c: char| !(c.is_alphabetic() || c == '\'' || c == '\u{2019}'))
            .filter(|w| !w.is_empty())
            .any(|w| {
                let w = w.to_lowercase().replace('\u{2019}', "'");
                w.ends_with("n't")
                    || is_negator(&w)
                    || matches!(w.as_str(), "you" | "your" | "you're")
            })
    })
}

/// Whether the sentence that ends at byte `end` of `text` is the customer's
/// own apology for asking ("sorry to be a pain", "sorry for all the
/// questions", "apologies for bothering you again", a bare "sorry!!"): it
/// opens with "sorry" or "apologies", alone or followed by "to", "for" or
/// "if", no contrast follows, and
/// no word in it weighs negative but the politeness itself. A mark closing it is politeness.
fn self_apology_sentence(text: &str, end: usize) -> bool {
    const POLITE: &[&str] = &[
        "sorry",
        "apologies",
        "pain",
        "bother",
        "bothering",
        "trouble",
        "troubling",
        "nuisance",
        "hassle",
        "annoying",
        "pest",
        "pestering",
    ];
    let Some(sentence) = sentence_before(text, end) else {
        return false;
    };
    // (after a dash, what came before is a word of its own: "MOVE - sorry
    // for the late reply!!")
    let sentence = [" - ", " \u{2014} ", " \u{2013} "]
        .iter()
        .filter_map(|d| sentence.rfind(d).map(|k| k + d.len()))
        .max()
        .and_then(|k| sentence.get(k..))
        .unwrap_or(sentence);
    let words: Vec<String> = sentence
        .split(|c: char| !(c.is_alphabetic() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let apology =
        |w: Option<&String>| matches!(w.map(String::as_str), Some("sorry" | "soz" | "apologies"));
    // (or is the apology alone: "omg it's there. behind the bin. sorry!!")
    let opens = apology(words.first())
        && matches!(
            words.get(1).map(String::as_str),
            Some("to" | "for" | "if") | None
        );
    // or closes a note of the customer's own ("running 10 min late for the
    // 6am, sorry!!")
    let closes = words.len() > 1 && apology(words.last());
    // (a contrast turns it to a complaint: "sorry to say this, but ...")
    (opens || closes)
        && words.iter().all(|w| {
            !matches!(w.as_str(), "but" | "however" | "though")
                && (POLITE.contains(&w.as_str()) || crate::distress::valence::valence_of(w) >= 0.0)
        })
}

/// Whether a promise's words only keep in touch ("we'll be in touch",
/// "speak soon", "talk to you soon"): on a call's last rows, a goodbye.
fn call_goodbye(promise: &str) -> bool {
    mentions_any(
        promise,
        &[
            "in touch",
            "speak soon",
            "talk soon",
            "chat soon",
            "speak to you soon",
            "talk to you soon",
        ],
    )
}

/// Whether a sentence times its act only loosely: "soon", "shortly",
/// "eventually", "asap", "in due course" or "at some point", with no
/// day, date or clock time ("by Friday", "at 3pm", "tomorrow") beside it.
fn loose_time_only(sentence: &str) -> bool {
    let mut loose = false;
    let mut prev = "";
    for w in sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
    {
        match w {
            "soon" | "shortly" | "eventually" | "asap" => loose = true,
            "course" if prev == "due" => loose = true,
            "point" if prev == "some" => loose = true,
            "today" | "tonight" | "tomorrow" | "monday" | "tuesday" | "wednesday" | "thursday"
            | "friday" | "saturday" | "sunday" | "week" | "weekend" | "morning" | "afternoon"
            | "evening" | "hour" | "hours" | "minutes" | "days" => {
                return false;
            }
            _ if w.bytes().next().is_some_and(|b| b.is_ascii_digit()) => return false,
            _ => {}
        }
        prev = w;
    }
    loose
}

/// A sentence's range `start..end` of `norm` moved off the link it was cut
/// in: the models end a sentence at every `.`, `!` or `?`, so the sentences
/// of "Visit https://site.com/help for more info." are read as "Visit
/// https://site" and "com/help for more info". A span shown to a reader
/// opens after the rest of such a link ("for more info") and closes before
/// one ("Visit"), where that leaves any of it; it opens after a handle
/// ("@jo Thanks for..." is read from "jo", the `@` breaking no sentence).
fn outside_links(norm: &str, start: usize, end: usize) -> (usize, usize) {
    let bytes = norm.as_bytes();
    let cut_inside = |at: usize| {
        at > 0
            && at < bytes.len()
            && !crate::text::ends_sentence_at(bytes, at)
            && matches!(bytes[at], b'.' | b'!' | b'?')
    };
    let mut a = start;
    if a > 0 && (cut_inside(a - 1) || bytes[a - 1] == b'@') {
        // (and every handle after it: "@brand @brandsupport what is...")
        let handle = bytes[a - 1] == b'@';
        loop {
            while a < end && !bytes[a].is_ascii_whitespace() {
                a += 1;
            }
            while a < end && bytes[a].is_ascii_whitespace() {
                a += 1;
            }
            if !(handle && a < end && bytes[a] == b'@') {
                break;
            }
        }
    }
    let mut b = end;
    if cut_inside(b) {
        while b > a && !bytes[b - 1].is_ascii_whitespace() {
            b -= 1;
        }
        while b > a
            && (bytes[b - 1].is_ascii_whitespace()
                || matches!(bytes[b - 1], b':' | b',' | b';' | b'-'))
        {
            b -= 1;
        }
    }
    if a < b {
        (a, b)
    } else {
        (start, end)
    }
}

/// Whether `text` holds the ASCII byte `b` (as `text.contains(char::from(b))`),
/// by the vectorized search of the `memchr` crate (a short text a byte at a
/// time, [`crate::text::find`]): the standard library's `contains(char)`
/// reads a word at a time, and these run on every turn.
#[inline]
fn has_byte(text: &str, b: u8) -> bool {
    debug_assert!(b.is_ascii());
    crate::text::find::find(b, text.as_bytes()).is_some()
}

/// Whether a normalized customer text addresses the company: a "you", a
/// "your" or a handle.
fn addresses_company(norm: &str) -> bool {
    has_byte(norm, b'@')
        || norm
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .any(|w| matches!(w, "you" | "your" | "you're" | "y'all" | "yall" | "u" | "ur"))
}

/// Whether an agent turn asks for the customer's name: a question holding
/// the word "name" ("and could I get your first name?", "so your name is Ann or
/// Anne?"). `norm` is the normalized (lowercase) text.
fn asks_for_name(norm: &str) -> bool {
    let bytes = norm.as_bytes();
    memchr::memmem::find_iter(bytes, b"name").any(|k| {
        let rest = &bytes[k..];
        let end = memchr::memchr3(b'.', b'!', b'?', rest)
            .into_iter()
            .chain(memchr::memchr(b'\n', rest))
            .min()
            .unwrap_or(rest.len());
        rest.get(end) == Some(&b'?')
    })
}

/// Whether `text` holds nothing but the names at `spans` and words of
/// acknowledgment ("Okay, Dana.", "Right, so Dana. Perfect.").
fn only_acks_besides(text: &str, spans: &[Span]) -> bool {
    const ACKS: [&str; 14] = [
        "okay", "ok", "alright", "all", "right", "so", "and", "yes", "yeah", "perfect", "great",
        "got", "it", "mhm",
    ];
    let mut rest = String::with_capacity(text.len());
    let mut at = 0;
    for sp in spans {
        let (a, b) = (sp.start as usize, sp.end as usize);
        if a < at || b > text.len() || !text.is_char_boundary(a) || !text.is_char_boundary(b) {
            return false;
        }
        rest.push_str(&text[at..a]);
        rest.push(' ');
        at = b;
    }
    rest.push_str(&text[at..]);
    rest.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| ACKS.iter().any(|a| a.eq_ignore_ascii_case(w)))
}

/// Whether a customer turn says why they are in touch ("that's why I'm
/// ringing", "the reason I'm writing", "I'm calling about"): what follows is
/// the matter, not talk around it.
fn states_purpose(norm: &str) -> bool {
    const VERBS: [&str; 6] = [
        "ringing",
        "calling",
        "phoning",
        "writing",
        "emailing",
        "messaging",
    ];
    let Some(at) = norm.find("i'm ").or_else(|| norm.find("i am ")) else {
        return false;
    };
    // every "i'm"/"i am" of the turn, from the first
    norm[at..]
        .match_indices("i'm ")
        .chain(norm[at..].match_indices("i am "))
        .any(|(k, m)| {
            let before = &norm[..at + k];
            let after = &norm[at + k + m.len()..];
            let verb = VERBS.iter().find(|v| after.starts_with(*v));
            verb.is_some_and(|v| {
                let rest = after[v.len()..].trim_start();
                before.ends_with("why ")
                    || before.ends_with("reason ")
                    || before.ends_with("reason that ")
                    || before.ends_with("reason why ")
                    || rest.starts_with("about")
                    || rest.starts_with("because")
                    || rest.starts_with("to complain")
                    || rest.starts_with("to report")
            })
        })
}

/// Whether an agent turn is only a backchannel on a call: four words or
/// fewer and no question ("Okay.", "Yeah, well, it's.", "I'm listening.").
fn backchannel(text: &str) -> bool {
    // (no fifth word: the words of a long turn are not all counted)
    !has_byte(text, b'?') && text.split_whitespace().nth(4).is_none()
}

/// Whether a customer's text asks about a policy, the terms or a rule: a
/// question holding one of those words ("what's your policy on late
/// cancellations?", "is that allowed under your terms?").
fn asks_about_rules(text: &str) -> bool {
    if !has_byte(text, b'?') {
        return false;
    }
    // the question's own sentence names the rule ("Can you explain?" after a
    // sentence about the policy bought asks about the claim, not the rule)
    let mut from = 0;
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'.' | b'!' | b'\n' => from = i + 1,
            b'?' => {
                // (the customer's own policy, "on my policy", is what they
                // bought: a question about it asks about their cover)
                let mut before = "";
                let names = text[from..i]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '&'))
                    .filter(|w| !w.is_empty())
                    .any(|w| {
                        let own =
                            before.eq_ignore_ascii_case("my") || before.eq_ignore_ascii_case("our");
                        before = w;
                        !own && [
                            "policy",
                            "policies",
                            "terms",
                            "rule",
                            "rules",
                            "conditions",
                            "t&c",
                            "t&cs",
                        ]
                        .iter()
                        .any(|k| w.eq_ignore_ascii_case(k))
                    });
                if names {
                    return true;
                }
                from = i + 1;
            }
            _ => {}
        }
    }
    false
}

/// Whether a text says "like I said" or "as I said" (any case).
fn says_recap(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr2_iter(b's', b'S', b).any(|i| {
        if i == 0
            || b[i - 1] != b' '
            || !b
                .get(i..i + 4)
                .is_some_and(|w| w.eq_ignore_ascii_case(b"said"))
        {
            return false;
        }
        let before = &b[..i - 1];
        let Some((&i_word, rest)) = before.split_last() else {
            return false;
        };
        if !i_word.eq_ignore_ascii_case(&b'i') {
            return false;
        }
        let rest = rest.strip_suffix(b" ").unwrap_or(rest);
        let word = |w: &[u8]| {
            rest.len() >= w.len()
                && rest[rest.len() - w.len()..].eq_ignore_ascii_case(w)
                && rest[..rest.len() - w.len()]
                    .last()
                    .is_none_or(|c| !c.is_ascii_alphanumeric())
        };
        rest.len() < before.len() - 1 && (word(b"like") || word(b"as"))
    })
}

/// Whether a customer turn asks for what was said to be said again: a short
/// turn with "pardon", "what was that", "say that again", "come again",
/// "didn't catch" or "didn't hear" ("Sorry, what was that? My grandson's
/// got the hoover going.").
fn asks_to_repeat(text: &str) -> bool {
    // (one pass over a short turn's bytes, no copy: each phrase is compared
    // only where a byte can open it)
    let b = text.as_bytes();
    if b.len() > 160 {
        return false;
    }
    let at = |i: usize, p: &[u8]| {
        b.get(i..i + p.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(p))
    };
    (0..b.len()).any(|i| match b[i] | 0x20 {
        b'p' => at(i, b"pardon"),
        b'w' => at(i, b"what was that") || at(i, b"what did you say"),
        b's' => at(i, b"say that again") || at(i, b"say again"),
        b'c' => at(i, b"come again"),
        b'd' => {
            at(i, b"didn't catch")
                || at(i, b"didnt catch")
                || at(i, b"didn't hear")
                || at(i, b"didnt hear")
        }
        b'r' => at(i, b"repeat that"),
        b'y' => at(i, b"you cut out") || at(i, b"you're breaking up"),
        _ => false,
    })
}

/// Whether a sentence opens by saying something again ("I said ...",
/// "Like I said, ...", "As I was saying, ...").
fn repeats_itself(sentence: &str) -> bool {
    let s = sentence.trim_start().as_bytes();
    [
        "i said",
        "like i said",
        "as i said",
        "i was saying",
        "as i was saying",
        "i just said",
    ]
    .iter()
    .any(|p| {
        s.get(..p.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(p.as_bytes()))
    })
}

/// Whether a patronizing match is only a spoken recap: "like I said",
/// "like I say", "like I told you" or "as I mentioned (earlier)", nothing more.
fn bare_recap(matched: &str) -> bool {
    let mut words = matched
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let is = |w: Option<&str>, s: &str| w.is_some_and(|w| w.eq_ignore_ascii_case(s));
    let (a, b, c, d) = (words.next(), words.next(), words.next(), words.next());
    ((is(a, "like") || is(a, "as"))
        && (is(b, "i") || is(b, "we"))
        && ["said", "say", "mentioned", "explained"]
            .iter()
            .any(|w| is(c, w))
        && d.is_none_or(|d| d == ","))
        || matched.eq_ignore_ascii_case("like i told you")
        || matched.eq_ignore_ascii_case("as i told you")
        || (is(a, "as")
            && is(b, "i")
            && is(c, "mentioned")
            && (d.is_none() || is(d, "earlier") || is(d, "before"))
            && words.next().is_none())
}

/// Words inside a transcript's bracketed note that say it records noise
/// around the caller, not the caller ("[dog barking]", "(baby crying)",
/// "[TV in background: cricket]"). Notes of the call itself ("[inaudible]",
/// "[crosstalk]", "[laughs]") and of the caller ("[crying]", "[shouting]")
/// are not among them.
const NOISE_WORDS: &[&str] = &[
    "background",
    "bark",
    "barking",
    "barks",
    "yapping",
    "yaps",
    "doorbell",
    "knocking",
    "tv",
    "television",
    "radio",
    "music",
    "hoover",
    "vacuum",
    "drilling",
    "siren",
    "sirens",
    "baby",
    "dog",
    "dogs",
    "puppy",
    "kids",
    "children",
    "noise",
];

/// Into `out`, the byte ranges of `text` that a note of background noise
/// opens: from the note to the end of its sentence (with the run of marks
/// that ends it). What the caller says there is said to the room.
fn background_noise(text: &str, out: &mut Vec<(usize, usize)>) {
    out.clear();
    let bytes = text.as_bytes();
    for open in crate::text::find::find2_iter(b'[', b'(', bytes) {
        let close = if bytes[open] == b'[' { b']' } else { b')' };
        let Some(len) = bytes[open + 1..].iter().take(64).position(|&b| b == close) else {
            continue;
        };
        let inner = &text[open + 1..open + 1 + len];
        let noise = inner
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| NOISE_WORDS.iter().any(|n| n.eq_ignore_ascii_case(w)));
        let away = speaking_away(inner);
        if !noise && !away {
            continue;
        }
        let after = open + 1 + len + 1;
        let rest = &bytes[after..];
        let mut end = rest
            .iter()
            .position(|&b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
            .map_or(bytes.len(), |i| after + i);
        if away {
            end = back_on_the_call(text, end);
        }
        while end < bytes.len() && matches!(bytes[end], b'.' | b'!' | b'?') {
            end += 1;
        }
        out.push((open, end));
    }
    dash_asides(text, out);
}

/// Asides set off by dashes that open by calling someone in the room by
/// name ("Is that bad? -- Rob, it's the solar people, no, the SOLAR --
/// sorry, go on", "-- Jamie! Where's the card? --"): the range from the
/// dash to the closing dash, or to the end of the sentence without one.
fn dash_asides(text: &str, out: &mut Vec<(usize, usize)>) {
    const DASHES: [&str; 3] = [" -- ", " \u{2014} ", " \u{2013} "];
    const NOT_NAMES: &[&str] = &[
        "I",
        "Sorry",
        "Please",
        "Yes",
        "No",
        "Oh",
        "Okay",
        "Ok",
        "Well",
        "So",
        "And",
        "But",
        "Look",
        "Listen",
        "Honestly",
        "Seriously",
        "Thanks",
        "Hello",
        "Hi",
        "Right",
        "Anyway",
        "Sir",
        "Madam",
    ];
    // the first of the DASHES at or after `from`, and its length: a space
    // before a `-` or a dash's lead byte, found by a vectorized search (a
    // substring search per dash cost more than the rest of the check)
    let bytes = text.as_bytes();
    let dash_at = |from: usize| {
        let mut p = from + 1;
        while let Some(k) = bytes
            .get(p..)
            .and_then(|r| crate::text::find::find2(b'-', 0xE2, r))
        {
            p += k;
            if bytes[p - 1] == b' ' {
                if let Some(d) = DASHES
                    .iter()
                    .find(|d| bytes[p - 1..].starts_with(d.as_bytes()))
                {
                    return Some((p - 1, d.len()));
                }
            }
            p += 1;
        }
        None
    };
    // (most turns have no dash: one vectorized look)
    if crate::text::find::find2(b'-', 0xE2, bytes).is_none() {
        return;
    }
    let mut from = 0;
    while let Some((at, len)) = dash_at(from) {
        let inner = at + len;
        from = inner;
        let rest = &text[inner..];
        let name_len = rest
            .find(|c: char| !c.is_alphabetic())
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        let vocative = rest[name_len..].starts_with([',', '!']);
        let capital = name.chars().next().is_some_and(char::is_uppercase)
            && name.chars().skip(1).all(char::is_lowercase)
            && name.chars().count() >= 2;
        if !(vocative && capital) || NOT_NAMES.contains(&name) {
            continue;
        }
        let end = match dash_at(inner) {
            Some((close, _)) if close - inner <= 240 => close,
            _ => rest
                .find(['.', '!', '?', '\n'])
                .map_or(text.len(), |i| inner + i),
        };
        out.push((at, end));
        from = end;
    }
}

/// Whether a promise's words are a message or a call to the customer:
/// "I'll text", "we'll email you", "he'll ring", "'ll message you".
fn contact_promise(promise: &str) -> bool {
    let mut words = promise
        .split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty());
    let mut word = words.next().unwrap_or_default().to_ascii_lowercase();
    if matches!(word.as_str(), "i" | "we" | "he" | "she" | "they") {
        if !words.next().is_some_and(|w| w.eq_ignore_ascii_case("will")) {
            return false;
        }
    } else if !word.ends_with("'ll") && !word.ends_with("\u{2019}ll") {
        return false;
    }
    word = words.next().unwrap_or_default().to_ascii_lowercase();
    matches!(
        word.as_str(),
        "text" | "email" | "e-mail" | "ring" | "call" | "message" | "phone" | "ping"
    )
}

/// Whether `what` is the object of the apology at `apology` in `text`:
/// inside its span, or right after it in the same clause with at most three
/// words between and none that opens a reason ("sorry the card machine was
/// down", not "sorry for the wait, the system was down" or "sorry, but").
fn apology_object(text: &str, apology: Span, what: Span) -> bool {
    if apology.contains(what) {
        return true;
    }
    let (end, start) = (apology.end as usize, what.start as usize);
    let Some(between) = text.get(end..start).filter(|_| end <= start) else {
        return false;
    };
    let mut words = 0;
    for w in between.split(' ').filter(|w| !w.is_empty()) {
        words += 1;
        let opens = [
            "but",
            "however",
            "because",
            "as",
            "since",
            "due",
            "unfortunately",
            "though",
        ]
        .iter()
        .any(|o| o.eq_ignore_ascii_case(w));
        if opens
            || words > 3
            || w.contains(|c: char| {
                matches!(
                    c,
                    ',' | ';' | ':' | '.' | '!' | '?' | '-' | '\u{2014}' | '\n'
                )
            })
        {
            return false;
        }
    }
    true
}

/// Whether the feeling word at `start` is the customer's own, now: "I'm
/// (honestly) heartbroken", "we are so upset", "I feel sick about it". A
/// story's date in the same sentence ("she wore it in 1961, and I'm
/// heartbroken") does not make a present feeling part of the story.
fn feeling_now(norm: &str, start: usize) -> bool {
    let (clause, _) = clause_before(norm, start, 32, |c| {
        matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n')
    });
    let words: Vec<&str> = clause.split(' ').filter(|w| !w.is_empty()).collect();
    let n = words.len();
    (n.saturating_sub(3)..n).any(|k| {
        matches!(words[k], "i'm" | "im" | "we're" | "am")
            || (matches!(words[k], "feel" | "are") && k > 0 && matches!(words[k - 1], "i" | "we"))
    })
}

/// Whether the feeling matched at `start..end` is a grave state someone is
/// in now ("she's devastated", "my dad was in tears"), not a passing or
/// imagined one ("he'd be horrified", "she'll be upset"): said of someone
/// close in a conversation about a failure, it is the harm the failure did.
fn grave_state(norm: &str, start: usize, end: usize) -> bool {
    let word = norm.get(start..end).unwrap_or_default();
    let grave = [
        "devastated",
        "distraught",
        "heartbroken",
        "inconsolable",
        "in tears",
        "traumatised",
        "traumatized",
        "terrified",
        "in bits",
        "beside herself",
        "beside himself",
        "beside themselves",
    ]
    .iter()
    .any(|g| word.eq_ignore_ascii_case(g));
    let (clause, _) = clause_before(norm, start, 48, |c| {
        matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n')
    });
    let imagined = clause.split(' ').any(|w| {
        matches!(
            w,
            "would"
                | "will"
                | "might"
                | "could"
                | "he'd"
                | "she'd"
                | "they'd"
                | "he'll"
                | "she'll"
                | "they'll"
        )
    });
    grave && !imagined
}

/// Whether the word at `start` of `norm` says the speaker's own state: a
/// first-person subject and a form of "be" just before it, with at most one
/// adverb between ("I am struggling", "we're really stuck", "I've been
/// suffering").
fn own_state(norm: &str, start: usize) -> bool {
    let before = norm.get(..start).unwrap_or_default();
    let mut words = before.rsplit(' ').filter(|w| !w.is_empty());
    let Some(a) = words.next() else {
        return false;
    };
    if matches!(a, "i'm" | "im" | "we're") {
        return true;
    }
    let Some(b) = words.next() else {
        return false;
    };
    let c = words.next();
    let subject_be = |x: &str, y: &str| {
        matches!(x, "i'm" | "im" | "we're" | "i've" | "we've")
            && matches!(y, "been" | "just" | "really" | "so" | "still" | "honestly")
            || matches!(
                (x, y),
                ("i", "am" | "was") | ("we", "are" | "were") | ("i've" | "we've", "been")
            )
    };
    subject_be(b, a) || c.is_some_and(|c| subject_be(c, b))
}

/// Whether the feeling at `start` is someone else's: a third-person subject
/// just before it in its clause ("he's not happy", "she'll be
/// disappointed", "they were gutted"). In a turn that raises no problem,
/// that is news about someone, not the customer upset with the service
/// (unless it is a [`grave_state`] in a conversation that raised one).
fn third_person_feeling(norm: &str, start: usize) -> bool {
    let (clause, _) = clause_before(norm, start, 48, |c| {
        matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\n')
    });
    let words: Vec<&str> = clause.split(' ').filter(|w| !w.is_empty()).collect();
    let third = |w: &str| {
        matches!(
            w,
            "he" | "she"
                | "they"
                | "he's"
                | "she's"
                | "they're"
                | "he'll"
                | "she'll"
                | "they'll"
                | "he'd"
                | "she'd"
                | "they'd"
        )
    };
    let first = |w: &str| {
        matches!(
            w,
            "i" | "i'm" | "we" | "we're" | "me" | "us" | "i'll" | "we'll" | "i've" | "we've"
        )
    };
    // "my neighbour was livid", "the wife's more upset about her cushions"
    let someone = |k: usize| {
        let w = words[k].trim_end_matches("'s");
        k > 0
            && matches!(words[k - 1], "my" | "the" | "our" | "his" | "her" | "their")
            && matches!(
                w,
                "neighbour"
                    | "neighbor"
                    | "neighbours"
                    | "neighbors"
                    | "friend"
                    | "friends"
                    | "wife"
                    | "husband"
                    | "partner"
                    | "missus"
                    | "mum"
                    | "mom"
                    | "dad"
                    | "sister"
                    | "brother"
                    | "colleague"
                    | "boss"
                    | "mate"
                    | "cousin"
                    | "aunt"
                    | "uncle"
            )
    };
    let from = words.len().saturating_sub(4);
    (words.iter().rev().take(4).any(|w| third(w)) || (from..words.len()).any(someone))
        && !words.iter().rev().take(4).any(|w| first(w))
}

/// Where a caller turned away from the phone comes back to the call: the
/// start of the first sentence after `from` that opens with a word of
/// return ("Sorry", "Look", "Right", "So", "Anyway") or speaks to the agent
/// ("you", "your"); the end of the turn if none does. "[to someone in the
/// room] Mum, it's the care people. No, the CARE people. Sorry." turns back
/// at "Sorry".
fn back_on_the_call(text: &str, from: usize) -> usize {
    const RETURNS: &[&str] = &[
        "sorry", "look", "right", "so", "anyway", "okay", "ok", "yes", "yeah", "where", "as", "um",
        "uh", "hi", "hello", "listen",
    ];
    let bytes = text.as_bytes();
    let mut at = from;
    loop {
        // past the marks that end this sentence, to the next one's start
        while at < bytes.len() && matches!(bytes[at], b'.' | b'!' | b'?' | b'\n' | b' ' | b'"') {
            at += 1;
        }
        if at >= bytes.len() {
            return bytes.len();
        }
        let end = bytes[at..]
            .iter()
            .position(|&b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
            .map_or(bytes.len(), |i| at + i);
        let sentence = &text[at..end];
        let first = sentence
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .find(|w| !w.is_empty())
            .unwrap_or_default();
        let addresses = sentence
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .any(|w| w.eq_ignore_ascii_case("you") || w.eq_ignore_ascii_case("your"));
        if addresses || RETURNS.iter().any(|r| r.eq_ignore_ascii_case(first)) {
            return at;
        }
        at = end;
    }
}

/// The first link in `text` to a generic page (help, FAQ, support, policy,
/// terms, pricing, account, contact), as a span of `text`.
fn generic_link(text: &str) -> Option<Span> {
    const GENERIC: &[&str] = &[
        "help",
        "faq",
        "faqs",
        "support",
        "policy",
        "policies",
        "terms",
        "fup",
        "prices",
        "pricing",
        "account",
        "contact",
        "contact-us",
        "info",
        "kb",
        "knowledge",
        "hc",
        "articles",
        "article",
        "requirements",
        "legal",
        "returns",
        "refunds",
        "shipping",
        "delivery",
        "status",
    ];
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(k) = crate::text::find::find(b'/', &bytes[from..]) {
        let slash = from + k;
        // the link's token: back to a space, on to a space
        let start = text[..slash]
            .char_indices()
            .rev()
            .find(|(_, c)| c.is_whitespace())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = next_whitespace(text, slash);
        let token = text[start..end].trim_end_matches(['.', ',', ')', '!']);
        let rest = token
            .strip_prefix("https://")
            .or_else(|| token.strip_prefix("http://"))
            .unwrap_or(token);
        // (the splits and counts below by byte, as `split_once('/')`,
        // `contains('.')`, `matches('/').count()`, `rsplit('/')` and
        // `split(['?', '#', '.'])` give them: a reply's links are many)
        let Some(slash) = crate::text::find::find(b'/', rest.as_bytes()) else {
            from = end;
            continue;
        };
        let (host, path) = (&rest[..slash], &rest[slash + 1..]);
        if !has_byte(host, b'.') {
            from = end;
            continue;
        }
        // a landing page (at most two path segments, the last one generic:
        // "/help", "/help/refunds", "/prices", "/weather-faq"), not an article on the problem
        // ("/articles/3600129/Connection-Troubleshooting-for-PS4")
        let path = path.trim_end_matches('/');
        if path.bytes().filter(|&b| b == b'/').count() <= 1 {
            let last = memchr::memrchr(b'/', path.as_bytes()).map_or(path, |i| &path[i + 1..]);
            let cut = last
                .bytes()
                .position(|b| matches!(b, b'?' | b'#' | b'.'))
                .unwrap_or(last.len());
            let last = &last[..cut];
            // a generic word as the whole segment or as one of its
            // hyphenated parts ("/weather-faq", "/refund_policy")
            if last
                .split(['-', '_'])
                .any(|part| GENERIC.iter().any(|g| g.eq_ignore_ascii_case(part)))
            {
                return Some(Span::new(start, start + token.len()));
            }
        }
        from = end;
    }
    None
}

/// Praise standing alone as a sentence ("Brilliant.", "Great system.",
/// "Oh, perfect.") after a sentence of the same turn that reports a failure
/// (three words or more with a negator, "nobody" or "still"; a bare "No." answers a
/// question), or applause (👏) in the sentence after one: sarcasm. The span of
/// the praise, in `norm`.
fn sarcastic_praise(norm: &str) -> Option<(usize, usize)> {
    const PRAISE: &[&str] = &[
        "brilliant",
        "great",
        "fantastic",
        "perfect",
        "wonderful",
        "lovely",
        "marvellous",
        "marvelous",
        "super",
        "amazing",
        "awesome",
        "excellent",
        "superb",
        "terrific",
        "splendid",
        "fabulous",
        "genius",
        "classic",
        "nice",
        "stellar",
        "outstanding",
        "impressive",
        "charming",
    ];
    const ALLOWED: &[&str] = &[
        "oh",
        "just",
        "well",
        "really",
        "so",
        "how",
        "that's",
        "thats",
        "system",
        "service",
        "job",
        "stuff",
        "work",
        "one",
        "news",
        "customer",
        "absolutely",
        "simply",
        "truly",
    ];
    // a sentence reports a failure in three words or more with a negator,
    // "nobody", "nothing" or "still", or a word naming the failure ("late",
    // "broken") (a bare "No." answers a question); read
    // only for the sentence before a praise fragment
    let failure = |sentence: &str| {
        let mut count = 0;
        let mut negative = false;
        // (or names the failure in a word of its own, and nothing in it says
        // the failure was put right: "turned up nine days late. Lovely.")
        let (mut named, mut resolved) = (false, false);
        for (_, w) in plain_words(sentence) {
            count += 1;
            resolved = resolved
                || matches!(
                    w,
                    "but" | "thanks" | "thank" | "sorted" | "fixed" | "resolved" | "replaced"
                );
            named = named
                || matches!(
                    w,
                    "late"
                        | "again"
                        | "broken"
                        | "wrong"
                        | "missing"
                        | "stale"
                        | "damaged"
                        | "faulty"
                        | "delayed"
                        | "overcharged"
                        | "ruined"
                        | "wasted"
                        | "stuck"
                        | "cancelled"
                        | "canceled"
                        | "removed"
                        | "refused"
                        | "lost"
                        | "zero"
                        | "dead"
                        | "twice"
                );
            negative = negative
                || w.ends_with("n't")
                || matches!(
                    w,
                    "still" | "cannot" | "nobody" | "nothing" | "none" | "nowhere" | "noone"
                )
                || is_negator(w);
        }
        count >= 3 && (negative || (named && !resolved))
    };
    let bytes = norm.as_bytes();
    let mut previous: Option<(usize, usize)> = None;
    // the sentence before `previous` where `previous` is a short fragment
    let mut earlier: Option<(usize, usize)> = None;
    let mut from = 0;
    // the first line break at or after `from` (searched again only once
    // passed: a text with none is not read to its end at every sentence)
    let mut newline = crate::text::find::find(b'\n', bytes);
    while from < bytes.len() {
        if newline.is_some_and(|k| k < from) {
            newline = crate::text::find::find(b'\n', &bytes[from..]).map(|k| from + k);
        }
        let stop = memchr::memchr3(b'.', b'!', b'?', &bytes[from..])
            .map(|k| from + k)
            .into_iter()
            .chain(newline)
            .min()
            .map_or(bytes.len(), |k| k + 1);
        let sentence = &norm[from..stop];
        // the sentence's first words, four at most (a fourth rules it
        // out), read before any is looked up: most sentences are longer
        let mut words = [(0, ""); 3];
        let mut count = 0;
        for word in plain_words(sentence) {
            if count == 3 {
                count = 4;
                break;
            }
            words[count] = word;
            count += 1;
        }
        // a sentence that opens "love that" or "love how" and says nothing
        // good after it is sarcasm ("Love how your app charged me for a
        // 3 hour ride", "Love that for me.")
        if let Some(span) = loves_that(sentence) {
            return Some((from + span.0, from + span.1));
        }
        // applause after a failure is the same sarcasm, in however many
        // words ("... came back with the camera not working. Great job guys
        // 👏👏"); applause after good news is praise
        if let Some(k) = sentence.find('\u{1f44f}') {
            if let Some((a, b)) = previous {
                if failure(&norm[a..b]) || earlier.is_some_and(|(c, d)| failure(&norm[c..d])) {
                    return Some((from + k, from + k + '\u{1f44f}'.len_utf8()));
                }
            }
        }
        if (1..=3).contains(&count) {
            let words = &words[..count];
            let praise = words.iter().any(|(_, w)| PRAISE.contains(w));
            let only_praise = words
                .iter()
                .all(|(_, w)| PRAISE.contains(w) || ALLOWED.contains(w));
            // thanks that no help has earned, after a failure ("Valentine's
            // ruined. Thanks a lot."); a plain "Thanks." closes politely
            let thanked = matches!(
                words,
                [(_, "thanks"), (_, "a"), (_, "lot" | "bunch")]
                    | [(_, "thanks"), (_, "for"), (_, "nothing")]
            );
            if (praise && only_praise) || thanked {
                if let Some((a, b)) = previous {
                    if failure(&norm[a..b]) || earlier.is_some_and(|(c, d)| failure(&norm[c..d])) {
                        let (first, last) = (words[0], words[count - 1]);
                        return Some((from + first.0, from + last.0 + last.1.len()));
                    }
                }
            }
        }
        // praise that opens a longer sentence and turns on "so" or "now"
        // after a comma, after a failure, is the same sarcasm ("... taken
        // twice. Oh wonderful, so I'm paying for your mistakes now?")
        if count == 4 {
            let comma_after =
                |(at, w): (usize, &str)| sentence.as_bytes().get(at + w.len()) == Some(&b',');
            let opening = match words {
                [p, (_, "so" | "now"), _] if PRAISE.contains(&p.1) && comma_after(p) => Some(p),
                [(_, "oh" | "well"), p, (_, "so" | "now")]
                    if PRAISE.contains(&p.1) && comma_after(p) =>
                {
                    Some(p)
                }
                _ => None,
            };
            if let (Some(p), Some((a, b))) = (opening, previous) {
                if failure(&norm[a..b]) || earlier.is_some_and(|(c, d)| failure(&norm[c..d])) {
                    return Some((from + words[0].0, from + p.0 + p.1.len()));
                }
            }
        }
        // (a short fragment between the failure and the praise is more of
        // the same sarcasm: "... nine days late. Really fresh. Lovely.")
        earlier = match previous {
            Some(p) if count <= 3 => earlier.or(Some(p)),
            _ => None,
        };
        previous = Some((from, stop));
        from = stop;
    }
    None
}

/// A sentence of `norm` that opens "love that", "love how" or "loving
/// how" (after "I", "just", "gotta", "really") with no word of praise after
/// it: the span of the opening words. "Love that for me" needs no more.
fn loves_that(sentence: &str) -> Option<(usize, usize)> {
    let mut words = plain_words(sentence);
    let (first, mut w) = words.next()?;
    if matches!(w, "i" | "just" | "gotta" | "really" | "so") {
        (_, w) = words.next()?;
    }
    if !matches!(w, "love" | "loving") {
        return None;
    }
    let (at, that) = words.next()?;
    if !matches!(that, "that" | "how") {
        return None;
    }
    let span = (first, at + that.len());
    // (read word by word: this runs on every sentence of a turn with praise
    // in it, and a list of the rest is not needed)
    let (mut count, mut head, mut praise) = (0, ["", ""], false);
    for (_, w) in words {
        if let Some(slot) = head.get_mut(count) {
            *slot = w;
        }
        count += 1;
        praise |= crate::distress::valence::valence_of(w) > 0.0;
    }
    if that == "that" && count == 2 && matches!(head, ["for", "me" | "us"]) {
        return Some(span);
    }
    (count > 0 && !praise).then_some(span)
}

/// The end of the sentence holding byte `at` of `text` (the next `.`, `!`,
/// `?` or line break, or the text's end), and whether that end is a `?`.
fn sentence_end(text: &str, at: usize) -> (usize, bool) {
    let bytes = text.as_bytes();
    let mut from = at.min(bytes.len());
    let end = loop {
        let Some(e) = memchr::memchr3(b'.', b'!', b'?', &bytes[from..]) else {
            break bytes.len();
        };
        let i = from + e;
        // a full stop inside "7.2" or "site.com" ends no sentence
        if bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) {
            from = i + 1;
            continue;
        }
        break i;
    };
    let end = crate::text::find::find(b'\n', &bytes[at.min(end)..end]).map_or(end, |e| at + e);
    (end, bytes.get(end) == Some(&b'?'))
}

/// The words of a normalized text with their byte offsets: runs of ASCII
/// letters, digits, apostrophes and non-ASCII characters.
fn plain_words(norm: &str) -> PlainWords<'_> {
    PlainWords { text: norm, at: 0 }
}

/// The iterator of [`plain_words`]: a byte scan (every byte of a non-ASCII
/// character counts as part of a word, so spans stay on char boundaries).
struct PlainWords<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for PlainWords<'a> {
    type Item = (usize, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(usize, &'a str)> {
        let bytes = self.text.as_bytes();
        let word = |b: u8| PLAIN_WORD[usize::from(b)];
        let mut i = self.at;
        while i < bytes.len() && !word(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            self.at = i;
            return None;
        }
        let start = i;
        while i < bytes.len() && word(bytes[i]) {
            i += 1;
        }
        self.at = i;
        Some((start, &self.text[start..i]))
    }
}

/// An acknowledgment built around a negative word in a frame that names the
/// customer's experience, in a statement: "(that|this) (must|would|will)?
/// (be|have been|feel|sound|seem|look)" or "(that|this) (is|was|'s|sounds)",
/// "it must be / sounds", or "I (know|understand|can imagine|can see)
/// (it's|this is|that's|you're|you were|you must be|how) ...", then at most
/// two intensifiers, then a word the valence lexicon scores at -1.2 or below
/// ("frightening", "scary", "upset"). The span runs from the frame's first word
/// to that word. A negator or an article breaks the frame ("that's not bad",
/// "that must be a mistake").
fn feeling_frame(norm: &str) -> Option<(usize, usize)> {
    // every frame opens with "that's", "thats", "that", "this", "it", "i" or
    // "we": only the words that open with `t`, `i` or `w` are read, found a
    // 64-byte block at a time ([`frame_heads`]); the words between are not
    // walked
    let bytes = norm.as_bytes();
    let mut base = 0;
    // whether the last byte of the block before is a word byte
    let mut carry = 0;
    while base < bytes.len() {
        let (word, opens) = frame_heads(&bytes[base..]);
        let mut starts = opens & !(word << 1 | carry);
        carry = word >> 63;
        while starts != 0 {
            let start = base + starts.trailing_zeros() as usize;
            starts &= starts - 1;
            if let Some(found) = frame_at(norm, start) {
                return Some(found);
            }
        }
        base += 64;
    }
    None
}

/// Bytes of a word of [`plain_words`]: ASCII letters and digits, `'`, every
/// non-ASCII byte.
static PLAIN_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric() || c == b'\'' || c >= 0x80;
        b += 1;
    }
    t
};

/// Of the first 64 bytes of `bytes` (bit `k` for byte `k`, none past the
/// end): the bytes of words ([`PLAIN_WORD`]), and the bytes `t`, `i` and
/// `w`, which open every head of a [`feeling_frame`]. One branch-free pass,
/// which the compiler vectorizes.
fn frame_heads(bytes: &[u8]) -> (u64, u64) {
    let mut block = [0u8; 64];
    let n = bytes.len().min(64);
    block[..n].copy_from_slice(&bytes[..n]);
    let (mut word, mut opens) = ([0u8; 64], [0u8; 64]);
    for ((w, o), &b) in word.iter_mut().zip(opens.iter_mut()).zip(&block) {
        *w = u8::from(
            (b.wrapping_sub(b'0') < 10)
                | ((b | 0x20).wrapping_sub(b'a') < 26)
                | (b == b'\'')
                | (b >= 0x80),
        );
        *o = u8::from((b == b't') | (b == b'i') | (b == b'w'));
    }
    (crate::text::bits64(&word), crate::text::bits64(&opens))
}

/// The [`feeling_frame`] whose head is the word at `start` (a word of
/// [`plain_words`]), if it is a head and the frame is complete.
fn frame_at(norm: &str, start: usize) -> Option<(usize, usize)> {
    const INTENSIFIERS: &[&str] = &[
        "so",
        "really",
        "very",
        "incredibly",
        "extremely",
        "quite",
        "pretty",
        "super",
        "absolutely",
        "truly",
        "awfully",
        "terribly",
        "hugely",
        "utterly",
        "such",
        "bit",
        "little",
        "just",
        "totally",
        "completely",
        "especially",
        "genuinely",
        "understandably",
        "been",
    ];
    const LINKS: &[&str] = &[
        "sounds", "sounded", "seems", "seemed", "looks", "feels", "is", "was", "'s",
    ];
    const SUBORDINATORS: &[&str] = &[
        "unless", "if", "when", "once", "until", "whether", "where", "before", "after", "whenever",
        "while",
    ];
    let bytes = norm.as_bytes();
    let word = |b: u8| PLAIN_WORD[usize::from(b)];
    let mut end = start;
    while end < bytes.len() && word(bytes[end]) {
        end += 1;
    }
    let head = &norm[start..end];
    // (only these heads open a frame)
    if !matches!(
        head,
        "that's" | "thats" | "that" | "this" | "it" | "i" | "we"
    ) {
        return None;
    }
    // the word before the head (none: ""): a condition or a time clause
    // names no feeling ("unless that's ticked", "once that's sorted")
    let mut before_end = start;
    while before_end > 0 && !word(bytes[before_end - 1]) {
        before_end -= 1;
    }
    let mut before_start = before_end;
    while before_start > 0 && word(bytes[before_start - 1]) {
        before_start -= 1;
    }
    if SUBORDINATORS.contains(&&norm[before_start..before_end]) {
        return None;
    }
    // the words after the head
    let mut ahead = PlainWords {
        text: norm,
        at: end,
    };
    let mut next = || ahead.next().unwrap_or((norm.len(), ""));
    let mut w = next();
    let is = |w: (usize, &str), set: &[&str]| set.contains(&w.1);
    if head == "that's" || head == "thats" {
        // the feeling word may start here
    } else if head == "that" || head == "this" {
        if is(w, &["must", "would", "will", "'d"]) {
            w = next();
            if is(w, &["have"]) {
                w = next();
            }
            if !is(w, &["be", "been", "feel", "felt", "sound", "seem", "look"]) {
                return None;
            }
        } else if !is(w, LINKS) {
            return None;
        }
        w = next();
    } else if head == "it" && is(w, &["must", "sounds", "sounded"]) {
        let must = is(w, &["must"]);
        w = next();
        if must {
            if is(w, &["have"]) {
                w = next();
            }
            if !is(w, &["be", "been", "feel", "felt"]) {
                return None;
            }
            w = next();
        }
    } else if head == "i" || head == "we" {
        if is(w, &["can"]) {
            w = next();
            if !is(w, &["imagine", "see", "tell"]) {
                return None;
            }
        } else if !is(
            w,
            &["know", "understand", "appreciate", "realise", "realize"],
        ) {
            return None;
        }
        w = next();
        if is(w, &["how"]) {
            w = next();
        }
        if is(w, &["it's", "that's", "you're"]) {
            w = next();
        } else if is(w, &["it", "this", "that", "you"]) {
            w = next();
            if !is(
                w,
                &["is", "was", "are", "were", "must", "feel", "felt", "'re"],
            ) {
                return None;
            }
            let must = is(w, &["must"]);
            w = next();
            if must && is(w, &["be", "feel", "have"]) {
                let have = is(w, &["have"]);
                w = next();
                if have && is(w, &["been", "felt"]) {
                    w = next();
                }
            }
        } else {
            return None;
        }
    } else {
        return None;
    }
    let mut skipped = 0;
    let mut last = "";
    while skipped < 2 && is(w, INTENSIFIERS) {
        last = w.1;
        w = next();
        skipped += 1;
    }
    // "a bit", "such a": an article only after one of them
    if w.1 == "a" && matches!(last, "bit" | "little" | "such") {
        w = next();
    }
    let (at, word) = w;
    // (a sentence adverb is no feeling: "which is unfortunately ...")
    if word.is_empty() || word.ends_with("ly") || crate::distress::valence::valence_of(word) > -1.2
    {
        return None;
    }
    let end = at + word.len();
    // fairness to others given as a reason names no feeling of the
    // customer's ("as this would be unfair to other guests")
    let after = (next(), next());
    if matches!(after.0 .1, "to" | "on")
        && matches!(
            after.1 .1,
            "other" | "others" | "everyone" | "everybody" | "all" | "our" | "every" | "the"
        )
    {
        return None;
    }
    // a statement: the sentence does not end in a question mark
    (!sentence_end(norm, end).1).then_some((start, end))
}

/// The byte offset of the first whitespace character at or after `from`
/// (a char boundary) in `text`, or its length. Reads ASCII bytes as they
/// are and decodes only the others (a link is read to its end on every
/// reply that carries one).
fn next_whitespace(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    // eight bytes at a time while none is at or below a space (every ASCII
    // white space is) and none is past ASCII: a link's run of plain bytes
    // (the test is exact for "any": a borrow only marks bytes above one it
    // finds)
    const ONES: u64 = u64::MAX / 255;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut a = [0u8; 8];
        a.copy_from_slice(chunk);
        let w = u64::from_le_bytes(a);
        if (w.wrapping_sub(ONES * 0x21) | w) & (ONES << 7) != 0 {
            break;
        }
        i += 8;
    }
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            // char::is_whitespace on ASCII: tab to carriage return, space
            if matches!(b, b'\t'..=b'\r' | b' ') {
                return i;
            }
            i += 1;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_whitespace() {
            return i;
        }
        i += c.len_utf8();
    }
    bytes.len()
}

/// Whether a bracketed note says the caller is speaking to someone else
/// ("[to someone in the room]", "[to her son]", "[aside]", "[away from the
/// phone]", "[shouting to the kids]").
fn speaking_away(inner: &str) -> bool {
    let lower = inner.trim().to_ascii_lowercase();
    let mut words = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    let first = words.next().unwrap_or_default();
    first == "to"
        || first == "aside"
        || lower.contains("in the room")
        || lower.contains("away from")
        || lower.contains("off the phone")
        || lower.contains("off phone")
        || [
            "speaking to",
            "talking to",
            "shouting to",
            "calling to",
            "yelling to",
            "calls to",
            "shouts to",
            "says to",
        ]
        .iter()
        .any(|p| lower.contains(p))
}

/// Whether `at` lies in one of the ranges [`background_noise`] found.
fn in_background(ranges: &[(usize, usize)], at: usize) -> bool {
    ranges.iter().any(|&(a, b)| a <= at && at < b)
}

/// Whether no sentence end (`.`, `!`, `?`; not the `.` of "2.5") lies
/// between two positions of a normalized text.
fn same_sentence(norm: &str, a: usize, b: usize) -> bool {
    let (lo, hi) = (a.min(b), a.max(b));
    let bytes = norm.as_bytes();
    hi <= bytes.len() && !(lo..hi).any(|i| crate::text::ends_sentence_at(bytes, i))
}

/// Drops, among the findings from `mark` on, a bare acknowledgment ("I hear
/// you", "I get it", "I understand") that a contrast takes back into a
/// refusal or an excuse shortly after ("I get it, but policy is policy"): a
/// fragment said on the way to "no" acknowledges nothing. A full validation
/// ("I understand how frustrating this is, but...", "I understand your
/// frustration. Unfortunately...") stands.
fn drop_taken_back(text: &str, out: &mut Vec<Finding>, mark: usize) {
    let turn = &out[mark..];
    if !turn.iter().any(|f| f.category == Category::Empathy)
        || !turn
            .iter()
            .any(|f| matches!(f.category, Category::Procedural | Category::Excuse))
    {
        return;
    }
    let refusals: Vec<Span> = turn
        .iter()
        .filter(|f| matches!(f.category, Category::Procedural | Category::Excuse))
        .map(|f| f.span)
        .collect();
    let mut k = mark;
    out.retain(|f| {
        let keep_index = k;
        k += 1;
        // (sympathy, "sorry to hear this", is said outright and is no
        // apology a contrast can cancel (decision 6): only the bare "I
        // hear you" or "I get it" is taken back)
        if keep_index < mark
            || f.category != Category::Empathy
            || f.rule == rules::empathy::SYMPATHY.id
        {
            return true;
        }
        let phrase = text.get(f.span.range()).unwrap_or_default();
        let bare = phrase.split_whitespace().count() <= 4
            && phrase.split(|c: char| !c.is_alphanumeric()).any(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "hear" | "get" | "understand"
                )
            })
            && !phrase.contains(" how ")
            && !phrase.contains(" why ")
            // (the feeling named, "I understand your frustration", is a
            // full validation)
            && !phrase.to_ascii_lowercase().contains("your ");
        if !bare {
            return true;
        }
        !refusals.iter().any(|r| {
            let (from, to) = (f.span.end as usize, r.start as usize);
            to >= from
                && to - from <= 160
                && text.get(from..to).is_some_and(|between| {
                    between.split(|c: char| !c.is_alphanumeric()).any(|w| {
                        matches!(
                            w.to_ascii_lowercase().as_str(),
                            "but" | "however" | "unfortunately" | "though" | "sadly"
                        )
                    })
                })
        })
    });
}

/// Words that negate the phrase after them ("not our policy").
pub(crate) const NEGATORS: [&str; 27] = [
    "not",
    "never",
    "no",
    "nor",
    "without",
    "isn't",
    "isnt",
    "wasn't",
    "wasnt",
    "aren't",
    "arent",
    "weren't",
    "werent",
    "won't",
    "wont",
    "don't",
    "dont",
    "doesn't",
    "doesnt",
    "didn't",
    "didnt",
    "shouldn't",
    "wouldn't",
    "haven't",
    "hasn't",
    "hadn't",
    "ain't",
];

/// Whether `w` is one of [`NEGATORS`].
pub(crate) fn is_negator(w: &str) -> bool {
    NEGATORS.contains(&w)
}

/// The part of `start`'s clause that comes before it, looking back at most
/// `window` bytes: from after the last character `is_break` accepts. Also
/// whether the window cut the clause (its first word may then be partial).
fn clause_before(
    norm: &str,
    start: usize,
    window: usize,
    is_break: impl Fn(char) -> bool,
) -> (&str, bool) {
    let mut from = start.saturating_sub(window);
    while !norm.is_char_boundary(from) {
        from += 1;
    }
    let before = &norm[from..start];
    // the last character `is_break` accepts, read back a byte at a time: an
    // ASCII byte is its own character, any other character is decoded from
    // its first byte and the bytes after it are passed over (what
    // `char_indices().rev()` finds, without decoding every character back:
    // this runs for every excuse, policy and distress match)
    let bytes = before.as_bytes();
    let mut clause_start = 0;
    let mut j = bytes.len();
    while j > 0 {
        j -= 1;
        let b = bytes[j];
        if b < 0x80 {
            if is_break(char::from(b)) {
                clause_start = j + 1;
                break;
            }
        } else if b >= 0xC0 {
            if let Some(c) = before[j..].chars().next().filter(|&c| is_break(c)) {
                clause_start = j + c.len_utf8();
                break;
            }
        }
    }
    (&before[clause_start..], from > 0 && clause_start == 0)
}

/// Whether `start` lies in the customer's own words reported back to them:
/// "you said", "you mentioned", "you told me" earlier in its sentence ("I
/// know you said it wasn't that big of a difference, but..."). What the
/// customer said is theirs, not the agent's excuse or policy (decision 11).
fn customers_words(norm: &str, start: usize) -> bool {
    let (clause, _) = clause_before(norm, start, 64, |c| matches!(c, '.' | ';' | '!' | '?'));
    [
        "you said ",
        "you mentioned ",
        "you told me ",
        "you told us ",
        "you were saying ",
        "you'd said ",
        "you had said ",
    ]
    .iter()
    .any(|p| clause.contains(p))
}

/// Whether one of the (up to) three words before `start` in its clause is a negator.
pub(crate) fn negated_before(norm: &str, start: usize) -> bool {
    // three words sit well within the last 64 bytes; never scan further back
    let (clause, cut) = clause_before(norm, start, 64, |c| {
        matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\u{2014}')
    });
    // a word cut by the window is not a whole word
    let n = if cut { 2 } else { 3 };
    // the last `n` words, as `clause.split(' ').filter(|w| !w.is_empty())`
    // gives them from the back, read by byte (the split's reverse search
    // costs more than the few words it finds)
    let bytes = clause.as_bytes();
    let mut end = bytes.len();
    for _ in 0..n {
        while end > 0 && bytes[end - 1] == b' ' {
            end -= 1;
        }
        if end == 0 {
            break;
        }
        let mut start = end;
        while start > 0 && bytes[start - 1] != b' ' {
            start -= 1;
        }
        // (`start` and `end` sit next to spaces or at the ends: char
        // boundaries)
        if is_negator(&clause[start..end]) {
            return true;
        }
        end = start;
    }
    false
}

/// Whether `start` lies inside a conditional clause of its sentence: an
/// "if", "unless", "whether", "suppose" or "in case" before it with no clause
/// break (`,` `;` `:` or a dash) between (decision 11: a hypothetical is no
/// excuse and no policy-speak; "If you cancel now, we can't refund" keeps its
/// main clause). Looks back at most 200 bytes.
pub(crate) fn in_condition(norm: &str, start: usize) -> bool {
    let (clause, _) = clause_before(norm, start, 200, |c| {
        matches!(
            c,
            '.' | ',' | ';' | ':' | '!' | '?' | '\u{2014}' | '\u{2013}'
        )
    });
    // (split on the space byte, as `split(' ')` splits, without the char
    // searcher's per-word setup: this runs for every excuse and policy match)
    let words = clause
        .as_bytes()
        .split(|&b| b == b' ')
        .filter(|w| !w.is_empty());
    let mut prev: &[u8] = b"";
    // words read since the clause's last conditional word, if any
    let mut since: Option<usize> = None;
    for w in words {
        let hit = matches!(
            w,
            b"if" | b"unless" | b"whether" | b"suppose" | b"supposing"
        ) || (prev == b"in" && w == b"case");
        since = if hit { Some(0) } else { since.map(|n| n + 1) };
        prev = w;
    }
    // "if the fault persists you must raise a new job": with no comma, the
    // main clause opens at a subject and a modal of obligation or refusal
    // after a condition of two words or more
    since.is_some_and(|n| {
        n < 2
            || !norm
                .get(start..)
                .is_some_and(|rest| opens_main_clause(rest) && !ends_in_report(clause))
    })
}

/// Whether a text opens with a subject and a modal of obligation or refusal
/// ("you must", "you'll need to", "we can't"), the way a main clause does
/// after its condition.
fn opens_main_clause(rest: &str) -> bool {
    const OPENERS: &[&str] = &[
        "you must ",
        "you'll need to ",
        "you will need to ",
        "you'll have to ",
        "you will have to ",
        "you need to ",
        "you have to ",
        "you'd need to ",
        "you would need to ",
        "you'd have to ",
        "you would have to ",
        "you're required to ",
        "you are required to ",
        "we can't ",
        "we cannot ",
        "we won't ",
        "we will not ",
        "we're unable to ",
        "we are unable to ",
        "i can't ",
        "i cannot ",
        "i'm unable to ",
        "i am unable to ",
    ];
    let b = rest.as_bytes();
    OPENERS
        .iter()
        .any(|o| b.len() >= o.len() && b[..o.len()].eq_ignore_ascii_case(o.as_bytes()))
}

/// Whether a clause ends in a verb of saying or thinking, so that what
/// follows is reported ("if the courier says you must sign"), not a main
/// clause.
fn ends_in_report(clause: &str) -> bool {
    clause.trim_end().rsplit(' ').next().is_some_and(|w| {
        matches!(
            w,
            "says"
                | "said"
                | "say"
                | "think"
                | "thinks"
                | "thought"
                | "that"
                | "tells"
                | "told"
                | "mean"
                | "means"
                | "feel"
                | "feels"
                | "believe"
                | "believes"
        )
    })
}

/// Whether the sentence before `start` sets up a hypothetical the way an
/// agent explains what a product does ("let's say you blow a tire, ... we'll
/// send a truck", "that means if you hit someone's car, we'll pay"):
/// "let's say", "suppose", "whenever", "that means if" or "if you ever"
/// anywhere earlier in the sentence. A plain "if" is not enough: "if
/// anything changes, we'll keep you posted" is still a (vague) promise.
/// Whether a mark of capitals is a reply keyword: the turn's first word,
/// alone in its sentence or followed only by "pls" or "please" ("STOP",
/// "CALL pls", "CARD. the old one expired", "CHANGE - we're away till
/// Thursday"), or by a clause opened with "but" or "and" ("RENEW but can
/// I change the date").
fn reply_keyword(text: &str, mark: Span) -> bool {
    let (start, end) = (mark.start as usize, mark.end as usize);
    let word = text.get(start..end).unwrap_or_default();
    if !text.get(..start).is_some_and(|t| t.trim().is_empty())
        || word.len() < 2
        || !word.bytes().all(|b| b.is_ascii_uppercase())
    {
        return false;
    }
    let rest = text.get(end..).unwrap_or_default().trim_start();
    let rest = rest
        .strip_prefix("pls")
        .or_else(|| rest.strip_prefix("please"))
        .unwrap_or(rest)
        .trim_start();
    rest.is_empty()
        || rest.starts_with(['.', ',', '\n', '-', '–', '—', ':'])
        // a keyword of three letters or more with a clause after it ("RENEW
        // but can i change the start date")
        || (word.len() >= 3 && (rest.starts_with("but ") || rest.starts_with("and ")))
}

/// Whether a sentence opens with a condition ("if you want the cheapest,
/// we would ...", "but then if the lender notices ..."): within its first four
/// words.
fn opens_with_condition(sentence: &str) -> bool {
    sentence
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .take(4)
        .any(|w| matches!(w, "if" | "unless" | "suppose" | "supposing"))
}

/// Whether the words before an act hold a condition of it ("all right, so
/// when I call them or if they give me a hard time, we'll just call you"):
/// an "if" or "unless" anywhere before the act, not one that asks ("I'll
/// see if", "let me check if").
fn condition_before(before: &str) -> bool {
    let mut prev = "";
    for w in before.split([' ', ',']).filter(|w| !w.is_empty()) {
        if matches!(w, "if" | "unless")
            && !matches!(
                prev,
                "see"
                    | "check"
                    | "checking"
                    | "ask"
                    | "asking"
                    | "know"
                    | "wonder"
                    | "wondering"
                    | "out"
                    | "sure"
                    | "whether"
            )
        {
            return true;
        }
        prev = w;
    }
    false
}

/// Whether the sentence of the act at `start` opens with a condition that
/// comes before the act ("If the readings are under the regional average,
/// I'll send someone up to check the strings", "Unless the courier scans it
/// today, we'll send a replacement"): a concrete act the agent will do
/// should a check or an event turn out one way is a contingency, neither a
/// vague promise nor the agreed act (decision 12, as for a back-up plan).
/// A promise to be in touch keeps its condition ("If anything changes,
/// we'll keep you posted" is the vague update it always was).
fn contingent(norm: &str, start: usize, end: usize) -> bool {
    let (sentence, _) = clause_before(norm, start, 300, |c| matches!(c, '.' | '!' | '?' | '\n'));
    let act = norm.get(start..end).unwrap_or_default();
    const CONTACT: [&str; 12] = [
        "posted",
        "updated",
        "informed",
        "know",
        "back to",
        "get back",
        "in touch",
        "update",
        "contact",
        "reach out",
        "confirm",
        "come back",
    ];
    (opens_with_condition(sentence) || condition_before(sentence))
        && !CONTACT.iter().any(|w| act.contains(w))
}

/// Whether a short turn introduces its speaker by name: "Hi, this is
/// Dana.", "This is [PERSON_NAME] with claims.", "Dana speaking." (a name
/// or a redaction placeholder after "this is", or before "speaking").
fn introduces_speaker(text: &str) -> bool {
    let t = text.trim();
    if t.len() > 80 {
        return false;
    }
    let named = |w: &str| w.starts_with('[') || w.starts_with(|c: char| c.is_uppercase());
    // (the two words before each word, read as the split gives them: no
    // list of the words is kept)
    let mut before = ["", ""];
    for w in t
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
    {
        if (before[0].eq_ignore_ascii_case("this")
            && before[1].eq_ignore_ascii_case("is")
            && named(w))
            || (named(before[1])
                && w.trim_end_matches(['.', '!'])
                    .eq_ignore_ascii_case("speaking"))
        {
            return true;
        }
        before = [before[1], w];
    }
    false
}

/// Whether a sentence goes on to give a cause ("because", "due to", ...).
fn gives_cause(sentence: &str) -> bool {
    [
        " because ",
        " due to ",
        " caused ",
        " owing to ",
        " as a result",
        " since ",
    ]
    .iter()
    .any(|c| sentence.contains(c))
}

/// Whether a sentence only states that something or someone is not
/// available ("unfortunately it doesn't look like we have an adviser in
/// your area at the moment"), with no cause given: a fact about the
/// service, not a shield for a failure. With a cause ("due to", "because")
/// it is read as any other sentence.
fn states_unavailability(sentence: &str) -> bool {
    let lacks = [
        "we don't have",
        "we do not have",
        "like we have no",
        "like we don't have",
        "there isn't",
        "there aren't",
        "there is no",
        "there are no",
        "isn't available",
        "aren't available",
        "is not available",
        "are not available",
        "doesn't look like we have",
    ]
    .iter()
    .any(|p| sentence.contains(p))
        && ["available", "in your area", "at the moment", "right now", "in stock"]
            .iter()
            .any(|p| sentence.contains(p))
        // "we have no record of ..." is a denial, read as any other
        && !sentence.contains("record");
    let cause = gives_cause(sentence);
    lacks && !cause
}

/// Whether a sentence opens by reporting an act of the agent's own, done
/// ("I've looped our experts in and passed the info on", "we have now
/// resubmitted the form"): the agent's own work, told as such, is no
/// excuse, whatever words it shares with one. What happened to the
/// company ("we've experienced", "we have received a high volume") and a
/// sentence that goes on to give a cause ("because", "due to") are not
/// set aside.
fn reports_own_act(sentence: &str) -> bool {
    let mut words = sentence
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .skip_while(|w| {
            matches!(
                *w,
                "ok" | "okay"
                    | "so"
                    | "and"
                    | "also"
                    | "right"
                    | "now"
                    | "however"
                    | "but"
                    | "still"
                    | "instead"
            )
        })
        .peekable();
    // an opening adjunct of the act's manner ("However, as a goodwill
    // gesture we have applied a credit"): the act follows within a few words
    if words.peek() == Some(&"as") {
        if let Some(at) = words
            .clone()
            .take(6)
            .position(|w| matches!(w, "i" | "we" | "i've" | "we've"))
        {
            for _ in 0..at {
                words.next();
            }
        }
    }
    let subject = match words.next() {
        Some("i've" | "we've") => true,
        Some("i" | "we") => matches!(words.next(), Some("have")),
        _ => false,
    };
    if !subject {
        return false;
    }
    let Some(verb) = words.find(|w| {
        !matches!(
            *w,
            "just" | "now" | "already" | "also" | "since" | "personally"
        )
    }) else {
        return false;
    };
    let done = verb.len() > 4 && verb.ends_with("ed")
        || matches!(
            verb,
            "sent" | "put" | "made" | "got" | "given" | "taken" | "set"
        );
    let befell = matches!(
        verb,
        "experienced" | "received" | "noticed" | "faced" | "encountered" | "detected" | "identified"
            | "discovered" | "learned" | "learnt" | "heard" | "suffered" | "struggled" | "needed"
            | "changed" | "updated" | "moved" | "switched" | "introduced" | "stopped" | "ceased"
            | "decided" | "discontinued" | "limited" | "restricted" | "paused" | "suspended"
            // an investigation whose finding may be the excuse ("we have
            // checked our records and can confirm the instruction was
            // cancelled")
            | "checked" | "looked" | "reviewed" | "investigated" | "confirmed" | "established"
            | "verified" | "examined" | "inspected" | "traced" | "tested" | "assessed"
    );
    let cause = gives_cause(sentence)
        || [" which is why", " that's why", " as we ", " as the "]
            .iter()
            .any(|c| sentence.contains(c));
    done && !befell && !cause
}

pub(crate) fn hypothetical_sentence(norm: &str, start: usize) -> bool {
    let (sentence, _) = clause_before(norm, start, 300, |c| matches!(c, '.' | '!' | '?' | '\n'));
    if back_up_plan(sentence) {
        return true;
    }
    let mut prev = "";
    let mut before = "";
    sentence
        .split([' ', ','])
        .filter(|w| !w.is_empty())
        .any(|w| {
            let hit = matches!(w, "suppose" | "supposing" | "whenever")
                || (prev == "let's" && w == "say")
                || (before == "that" && prev == "means" && w == "if")
                || (prev == "you" && w == "ever" && before == "if");
            before = prev;
            prev = w;
            hit
        })
}

/// Whether the words of a sentence before an act make it a back-up plan:
/// the sentence opens with "if" or "unless" and the condition is the help
/// failing or the fault coming back ("If that doesn't get you in within a
/// couple of minutes, tell me and I'll unlock the van", "if it happens
/// again, we'll swap it"). Such an act is a contingency, neither the vague
/// promise put in place of help nor the agreed act (decision 12).
fn back_up_plan(sentence: &str) -> bool {
    let mut words = sentence.split([' ', ',']).filter(|w| !w.is_empty());
    let mut first = words.next();
    if matches!(
        first,
        Some("and" | "but" | "so" | "or" | "otherwise" | "then")
    ) {
        first = words.next();
    }
    if !matches!(first, Some("if" | "unless")) {
        return false;
    }
    words.any(|w| {
        matches!(
            w,
            "doesn't"
                | "don't"
                | "didn't"
                | "isn't"
                | "aren't"
                | "hasn't"
                | "haven't"
                | "won't"
                | "can't"
                | "cannot"
                | "not"
                | "fails"
                | "failed"
                | "still"
                | "again"
        )
    })
}

/// Positions of the double quotes of a normalized text, to answer
/// [`inside_quotes`] without rescanning it for every match.
///
/// Speech reported without quotation marks counts as quoted too: the rest
/// of a sentence after "he goes," or "I was like," ("and I'm like, we'll
/// pick up cans"; "I go, look, that was never down to me"; "they'll probably
/// say, well, we're going to call to verify") is someone's words
/// retold, not the agent's own (decision 11). It is read only in a text
/// with no double quotes, so the positions still pair up.
pub(crate) fn quote_positions(norm: &str, out: &mut Vec<u32>) {
    out.clear();
    if has_byte(norm, b'"') {
        out.extend(crate::text::find::find_iter(b'"', norm.as_bytes()).map(|i| i as u32));
        return;
    }
    reported_speech(norm, out);
}

/// Adds to `out`, in order, the start and end of each stretch of speech
/// retold after a quotative ("he said,", "she goes,", "I was like,"): from
/// the quotative to the end of its sentence.
fn reported_speech(norm: &str, out: &mut Vec<u32>) {
    let bytes = norm.as_bytes();
    let mut last_end = 0;
    for comma in crate::text::find::find_iter(b',', bytes) {
        if comma < last_end {
            continue;
        }
        // (most commas follow no quotative verb: the bytes before say so
        // without splitting words)
        let head = &bytes[..comma];
        if !matches!(head.last(), Some(b'e' | b'o' | b's' | b'd' | b'y'))
            || ![&b" like"[..], b" go", b" goes", b" said", b" says", b" say"]
                .iter()
                .any(|v| head.ends_with(v))
        {
            continue;
        }
        let mut words = norm[..comma].rsplit(' ');
        let verb = words.next().unwrap_or_default();
        // (past adverbs before a verb of saying: "they probably personally
        // say, well, we're going to call")
        let subject = if matches!(verb, "say" | "says" | "said") {
            words
                .by_ref()
                .find(|w| !(w.ends_with("ly") || matches!(*w, "just" | "always" | "then" | "also")))
                .unwrap_or_default()
        } else {
            words.next().unwrap_or_default()
        };
        let quotative = match verb {
            // "I was like," "she's like," "and we're like,"
            "like" => {
                matches!(
                    subject,
                    "i'm" | "he's" | "she's" | "they're" | "we're" | "was" | "were" | "am" | "is"
                ) && (!matches!(subject, "was" | "were" | "am" | "is")
                    || matches!(
                        words.next().unwrap_or_default(),
                        "i" | "he" | "she" | "they" | "we"
                    ))
            }
            "go" | "goes" => matches!(subject, "i" | "he" | "she" | "they" | "we"),
            "say" => matches!(
                subject,
                "they" | "they'll" | "they'd" | "he'll" | "she'll" | "he'd" | "she'd" | "people"
            ),
            "said" | "says" => matches!(
                subject,
                "he" | "she"
                    | "they"
                    | "husband"
                    | "wife"
                    | "mum"
                    | "mom"
                    | "dad"
                    | "son"
                    | "daughter"
                    | "boss"
                    | "friend"
            ),
            _ => false,
        };
        if !quotative {
            continue;
        }
        let end =
            memchr::memchr3(b'.', b'!', b'?', &bytes[comma..]).map_or(bytes.len(), |k| comma + k);
        let end = crate::text::find::find(b'\n', &bytes[comma..end]).map_or(end, |k| comma + k);
        out.push(comma as u32);
        out.push(end as u32);
        last_end = end;
    }
}

/// Whether `start..end` lies between a pair of double quotes, given the
/// positions of every quote (from [`quote_positions`]).
pub(crate) fn inside_quotes(quotes: &[u32], start: usize, end: usize) -> bool {
    if quotes.is_empty() {
        return false;
    }
    let before = quotes.partition_point(|&q| (q as usize) < start);
    let after = quotes.len() - quotes.partition_point(|&q| (q as usize) < end);
    before % 2 == 1 && after % 2 == 1
}

/// The words of a customer's protest that name what they know ("escrow" in
/// "I know what escrow is"): those left after the protest's own words.
fn objection_terms(said: &str) -> Vec<String> {
    const FRAME: &[&str] = &[
        "i",
        "i'm",
        "im",
        "am",
        "already",
        "know",
        "what",
        "how",
        "understand",
        "get",
        "well",
        "fully",
        "perfectly",
        "quite",
        "very",
        "aware",
        "of",
        "a",
        "an",
        "the",
        "my",
        "your",
        "is",
        "are",
        "means",
        "mean",
        "does",
        "do",
        "works",
        "work",
        "yes",
        "yeah",
        "yep",
        "yup",
        "ok",
        "okay",
        "look",
        "mate",
        "love",
        "to",
        "where",
        "not",
        "that",
        "this",
        "it",
        "words",
    ];
    let lower = said.to_lowercase();
    crate::text::words(&lower)
        .map(|w| w.text.trim_matches('\'').to_string())
        .filter(|w| w.chars().count() >= 3 && !FRAME.contains(&w.as_str()))
        .collect()
}

/// Whether a word of the agent's sentence is the word the customer named, or
/// an inflection of it (one shares the other's first five letters, or the
/// whole of a shorter one).
fn same_word(agent: &str, named: &str) -> bool {
    let a = agent.trim_matches('\'');
    if a == named {
        return true;
    }
    let common = a
        .bytes()
        .zip(named.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    common >= 5 || (common >= 3 && common == a.len().min(named.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_read_back_while_details_are_taken_is_told_apart() {
        assert!(asks_for_name("and could i get your first name? dana."));
        assert!(asks_for_name("so your name is ann or anne?"));
        assert!(!asks_for_name("my name is sam. how can i help?"));
        assert!(!asks_for_name("what can i sort out for you?"));
        let text = "Okay, Dana.";
        assert!(only_acks_besides(text, &[Span::new(6, 10)]));
        let text = "Thanks, Dana.";
        assert!(!only_acks_besides(text, &[Span::new(8, 12)]));
        // a span that is no character boundary reads as no read-back
        assert!(!only_acks_besides("Okay, Dañ", &[Span::new(6, 9)]));
    }

    #[test]
    fn a_turn_that_says_why_the_customer_is_in_touch_is_told_apart() {
        for yes in [
            "well, that's why i'm ringing. the plot is full of glass.",
            "the reason i'm writing is the invoice",
            "hi, i'm calling about my order",
            "i am emailing to complain about the driver",
        ] {
            assert!(states_purpose(yes), "{yes}");
        }
        for no in [
            "i'm fine thanks, busy week",
            "i'm ringing from the car",
            "my sister is calling about it later",
            "",
        ] {
            assert!(!states_purpose(no), "{no}");
        }
    }

    /// [`clause_before`] as first written, by `char_indices().rev()`.
    fn clause_before_by_chars(
        norm: &str,
        start: usize,
        window: usize,
        is_break: impl Fn(char) -> bool,
    ) -> (&str, bool) {
        let mut from = start.saturating_sub(window);
        while !norm.is_char_boundary(from) {
            from += 1;
        }
        let before = &norm[from..start];
        let clause_start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| is_break(c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        (&before[clause_start..], from > 0 && clause_start == 0)
    }

    proptest::proptest! {
        #[test]
        fn a_clause_read_back_by_bytes_is_the_clause_read_by_chars(
            text in "(a|bc|if |not |, |\\.|;|:|!|\\?|\n|\u{2014}|\u{2013}|\u{2015}|é|日|😡| ){0,40}",
            window in 0usize..80,
        ) {
            let breaks = |c: char| {
                matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\u{2014}' | '\u{2013}' | '日')
            };
            for start in (0..=text.len()).filter(|&k| text.is_char_boundary(k)) {
                proptest::prop_assert_eq!(
                    clause_before(&text, start, window, breaks),
                    clause_before_by_chars(&text, start, window, breaks)
                );
            }
        }
    }

    #[test]
    fn the_matchers_written_at_build_time_are_those_compiled_from_the_lists() {
        // the built-in lists parsed and compiled here, as start-up did
        // before `build.rs` wrote the blobs: a blob gone stale (or a build
        // script that compiles the lists otherwise) fails here
        let config = Config::default();
        let compiled = Analyzer::from_config_with(&config, false).expect("the lists compile");
        let read = Analyzer::from_config(&config).expect("the blobs read");
        for (name, blob, compiled, read) in [
            (
                "agent",
                AGENT_MATCHER,
                &compiled.agent_matcher,
                &read.agent_matcher,
            ),
            (
                "customer",
                CUSTOMER_MATCHER,
                &compiled.customer_matcher,
                &read.customer_matcher,
            ),
        ] {
            // (every field but the id: see `Matcher::to_blob`)
            assert!(
                compiled.to_blob() == blob,
                "the {name} matcher of build.rs differs from the one compiled from the lists"
            );
            assert!(
                read.to_blob() == blob,
                "the {name} matcher read from its blob is not the blob's"
            );
        }
        // the lexicon ids are the same either way
        assert_eq!(
            format!("{:?}", compiled.apology),
            format!("{:?}", read.apology)
        );
        assert_eq!(compiled.topic_of, read.topic_of);
        assert_eq!(compiled.lexicon_rules.len(), read.lexicon_rules.len());
        // a configuration that adds phrases compiles its own
        let mut config = Config::default();
        config
            .extend_phrases
            .insert("excuse.denial".into(), vec!["not our doing at all".into()]);
        let own = Analyzer::from_config(&config).expect("the phrase parses");
        assert!(own.agent_matcher.to_blob() != AGENT_MATCHER);
        assert!(own.customer_matcher.to_blob() == CUSTOMER_MATCHER);
    }

    #[test]
    fn the_words_known_at_build_time_are_what_the_readers_look_up() {
        let a = Analyzer::new();
        let customer = a.customer_matcher.word_table(None, |w| Some(w.to_string()));
        assert_eq!(customer.len(), a.customer_known.len());
        let (mut words, mut marks) = (0, 0);
        for (text, known) in customer.iter().zip(&a.customer_known) {
            let text = text.as_deref().expect("every word has its text");
            // (as the customer turn's reader hashes a token: by its key)
            let key = crate::matcher::pack_token(text).unwrap_or(0);
            if !crate::topics::is_word(text) {
                let breaks = crate::topics::breaks(text);
                let closes = matches!(text.as_bytes()[0], b'.' | b'!' | b'?' | b'\n');
                let want = KnownCustomerWord {
                    h: 0,
                    mark: u8::from(breaks) * MARK_BREAKS + u8::from(closes) * MARK_CLOSES,
                    rows: crate::topics::CustomerRows::NONE,
                    valence: valence::entry_of(text),
                };
                assert_eq!(*known, Some(want), "{text}");
                marks += 1;
                continue;
            }
            let h = crate::topics::stem_hash(text, key);
            let want = KnownCustomerWord {
                h,
                mark: 0,
                rows: a.customer_words.get(h),
                valence: valence::entry_of(text),
            };
            assert_eq!(*known, Some(want), "{text}");
            words += 1;
        }
        assert!(words > 1000, "{words} customer words");
        assert!(marks > 0, "{marks} customer marks");
        let agent = a.agent_matcher.word_table(None, |w| Some(w.to_string()));
        assert_eq!(agent.len(), a.agent_known.len());
        for (text, known) in agent.iter().zip(&a.agent_known) {
            let text = text.as_deref().expect("every word has its text");
            let key = crate::matcher::pack_token(text).unwrap_or(0);
            let want = if crate::topics::is_word(text) {
                let h = crate::topics::stem_hash(text, key);
                KnownAgentToken::Word(h, a.sentence_models.row(h))
            } else {
                KnownAgentToken::Mark(crate::sentence_model::mark_of(text))
            };
            assert_eq!(*known, Some(want), "{text}");
        }
    }

    #[test]
    fn the_default_analyzer_builds_from_the_built_in_lists() {
        // Analyzer::new() falls back to an empty analyzer rather than panic;
        // this keeps that fallback from ever hiding a broken list.
        let a = Analyzer::from_config(&Config::default());
        assert!(a.is_ok(), "{:?}", a.err());
    }

    #[test]
    fn negation_looks_back_three_words_within_the_clause() {
        let text = "this is not a policy issue";
        assert!(negated_before(text, text.find("policy").unwrap()));
        let text = "no, per our policy";
        assert!(!negated_before(text, text.find("per").unwrap()));
        let text = "we can't refund it per our policy";
        assert!(!negated_before(text, text.find("per").unwrap()));
    }

    #[test]
    fn quotes_must_close_on_both_sides() {
        let mut q = Vec::new();
        let text = "you said \"per our policy\" again";
        quote_positions(text, &mut q);
        let at = text.find("per").unwrap();
        assert!(inside_quotes(&q, at, at + 14));
        let text = "a stray \" then per our policy";
        quote_positions(text, &mut q);
        let at = text.find("per").unwrap();
        assert!(!inside_quotes(&q, at, at + 14));
    }

    #[test]
    fn a_conditional_clause_is_a_hypothetical() {
        let t = "also if you're in an accident and it's your fault, you're covered";
        assert!(in_condition(t, t.find("your fault").unwrap()));
        let t = "if you cancel now, we can't refund the deposit";
        assert!(!in_condition(t, t.find("we can't").unwrap()));
        let t = "we can't refund it in case of damage";
        assert!(!in_condition(t, t.find("we can't").unwrap()));
        let t = "in case the courier lost it, it's their fault";
        assert!(!in_condition(t, t.find("their").unwrap()));
        let t = "in case the courier lost it it's their fault";
        assert!(in_condition(t, t.find("their").unwrap()));
        // with no comma, the main clause opens at "you must" after the condition
        let t = "if the fault persists you must raise a new job through the portal";
        assert!(!in_condition(t, t.find("you must").unwrap()));
        // ... but not right after the "if", nor after a verb of saying
        let t = "if you must cancel, ring us";
        assert!(in_condition(t, t.find("you must").unwrap()));
        let t = "if the courier says you must sign for it";
        assert!(in_condition(t, t.find("you must").unwrap()));
    }

    #[test]
    fn a_dash_aside_calling_someone_by_name_is_background() {
        let text = "Is that bad? -- Rob, it's the solar people, no, the SOLAR -- sorry, go on.";
        let mut out = Vec::new();
        background_noise(text, &mut out);
        let solar = text.find("SOLAR").unwrap_or_default();
        assert!(in_background(&out, solar), "{out:?}");
        assert!(!in_background(&out, text.find("go on").unwrap_or_default()));
        // a dash with no name called is the caller's own sentence
        let text = "It came broken -- Honestly, this is the WORST service.";
        background_noise(text, &mut out);
        assert!(!in_background(&out, text.find("WORST").unwrap_or_default()));
    }

    #[test]
    fn a_sentence_that_negates_or_speaks_to_the_company_is_about_the_service() {
        let t = "Absolutely FREEZING on the platform this morning!! I don't have the box, it was 6 years ago!! Did you see the match?";
        assert!(!negates_or_addresses(t, t.find("FREEZING").unwrap_or(0)));
        assert!(negates_or_addresses(t, t.find("ago!!").unwrap_or(0) + 3));
        assert!(negates_or_addresses(t, t.find("match").unwrap_or(0)));
    }

    #[test]
    fn the_request_topics_are_refund_and_cancellation() {
        let named: Vec<&str> = (0..crate::topics::BUILTIN.len())
            .filter(|k| REQUEST_TOPICS & 1 << k != 0)
            .map(|k| crate::topics::BUILTIN[k].0)
            .collect();
        assert_eq!(named, ["refund", "cancellation"]);
    }

    #[test]
    fn marks_closing_a_fix_reported_with_joy_are_delight() {
        let at = |t: &str| praise_sentence(t, t.find("!!").unwrap_or(t.len()));
        assert!(at("It worked!! Both showing"));
        assert!(at("ok that's sorted!!"));
        assert!(!at("It still isn't working!!"));
        assert!(!at("it worked for a day and stopped again!!"));
        assert!(!at("the app won't load!!"));
    }

    #[test]
    fn marks_closing_the_customers_own_apology_are_politeness() {
        let at = |t: &str| self_apology_sentence(t, t.find("!!").unwrap_or(t.len()));
        assert!(at("sorry to be a pain!! can I change the address?"));
        assert!(at("Thanks. Sorry for all the questions!!"));
        // a complaint that opens with "sorry" is still a complaint
        assert!(!at("sorry to say this but your service is rubbish!!"));
        assert!(!at("sorry if this sounds harsh, your courier is useless!!"));
        assert!(!at("this is a joke!!"));
        assert!(at("omg it's there. behind the bin. sorry!!"));
        assert!(!at("sorry, this is useless!!"));
        // an apology that closes the customer's own note, or follows a dash
        assert!(at("running 10 min late for the 6am, so sorry!! traffic"));
        assert!(at("MOVE - sorry for the late reply!! work is mad"));
        assert!(!at("the parcel is damaged and useless, sorry!!"));
    }

    #[test]
    fn a_present_feeling_of_ones_own_is_no_part_of_a_dated_story() {
        let at = |t: &str, w: &str| feeling_now(t, t.find(w).unwrap_or(t.len()));
        assert!(at(
            "she wore it in 1961, and i'm honestly heartbroken",
            "heartbroken"
        ));
        assert!(at("in 2019 the roof went and we are gutted", "gutted"));
        assert!(at("since 2015 i feel let down", "let down"));
        assert!(!at("in 2015 my dad was heartbroken", "heartbroken"));
        assert!(!at("back in 1998 she was devastated", "devastated"));
    }

    #[test]
    fn flat_praise_after_a_failure_is_sarcasm() {
        fn found(t: &str) -> Option<&str> {
            sarcastic_praise(t).map(|(a, b)| &t[a..b])
        }
        assert_eq!(
            found("so i just can't see my own cameras for a week. brilliant. great system."),
            Some("brilliant")
        );
        assert_eq!(found("still no refund. oh, perfect!"), Some("oh, perfect"));
        // praise after good news, or with more to say, is praise
        assert_eq!(found("it's green! i'm in. brilliant."), None);
        assert_eq!(found("i can't do monday. great, tuesday works."), None);
        assert_eq!(found("brilliant, thank you"), None);
        assert_eq!(found("no. perfect."), None);
        assert_eq!(
            found("nobody mentioned that when i signed up. great stuff."),
            Some("great stuff")
        );
        // a sentence that names the failure in a word of its own
        assert_eq!(
            found("another bag that turned up nine days late. really fresh. lovely."),
            Some("lovely")
        );
        assert_eq!(found("it was late but it's here now, thanks. great."), None);
        // thanks no help has earned, after a failure; a plain thanks is polite
        assert_eq!(
            found("paid for same day and they came at 10pm, birthday ruined. thanks a lot."),
            Some("thanks a lot")
        );
        assert_eq!(found("the code still doesn't work. thanks."), None);
        // more words of praise, and more words that name the failure
        assert_eq!(
            found("the app has shown zero since sunday. genius."),
            Some("genius")
        );
        assert_eq!(
            found("my class got cancelled the day before. nice."),
            Some("nice")
        );
        assert_eq!(found("the class went ahead as planned. nice."), None);
        // praise that turns on "so" or "now" after a comma
        assert_eq!(
            found(
                "you've charged the deposit twice. oh wonderful, so i'm paying for your mistakes?"
            ),
            Some("oh wonderful")
        );
        assert_eq!(
            found("the part is still missing. great, now i have to take another day off."),
            Some("great")
        );
        assert_eq!(
            found("it arrived on time. great, so i can bake tonight."),
            None
        );
        assert_eq!(
            found("the part is still missing. great, can you chase it?"),
            None
        );
        // "love that" or "love how" with nothing good after it
        assert_eq!(
            found("love how your app charged me for a 3 hour ride when i rode for 10 minutes"),
            Some("love how")
        );
        assert_eq!(
            found("parcel's gone missing again. love that for me."),
            Some("love that")
        );
        assert_eq!(found("love how friendly and helpful the team were!"), None);
        assert_eq!(found("i love that you do a gluten-free range"), None);
        assert_eq!(found("the code works now. thanks a lot."), None);
        // applause after a failure, in any number of words
        assert_eq!(
            found("sent it in for a new battery and it came back not charging at all. top work everyone \u{1f44f}\u{1f44f}"),
            Some("\u{1f44f}")
        );
        // applause for good news, or with no failure before it, is praise
        assert_eq!(found("engineer came out today and sorted the boiler in an hour. proper service \u{1f44f}"), None);
        assert_eq!(
            found("refund paid in two days flat, legend \u{1f44f}"),
            None
        );
    }

    #[test]
    fn feeling_frames_found_by_block_are_found_word_by_word() {
        // the reference: every word of the text in turn, as a head
        fn word_by_word(norm: &str) -> Option<(usize, usize)> {
            plain_words(norm).find_map(|(start, _)| frame_at(norm, start))
        }
        let frames = [
            "that must be so frightening for you",
            "i know it's scary",
            "it sounds awful",
            "we understand how stressful this is",
            "that's terrible",
            "unless that's awful",
            "this is a bit upsetting?",
            "thats horrible. i can see you're upset",
        ];
        let fillers = ["", "x", "ok, ", "with", "tiw ", "é", "\n", "what", "twit"];
        let mut texts = Vec::new();
        for f in frames {
            for pad in [0, 1, 7, 55, 56, 57, 60, 63, 64, 65, 120, 127, 128] {
                for filler in fillers {
                    let lead = "a".repeat(pad);
                    texts.push(format!("{lead}{filler}{f}"));
                    texts.push(format!("{lead} {filler} {f}."));
                    texts.push(format!("{lead}. {f} {filler}"));
                }
            }
        }
        texts.push(String::new());
        texts.push("it".to_string());
        texts.push("i i i we we that this it's".repeat(20));
        for t in &texts {
            assert_eq!(feeling_frame(t), word_by_word(t), "{t:?}");
        }
        assert!(texts.iter().filter(|t| feeling_frame(t).is_some()).count() > 1000);
    }

    #[test]
    fn a_feeling_named_in_a_frame_acknowledges_it() {
        fn found(t: &str) -> Option<&str> {
            feeling_frame(t).map(|(a, b)| &t[a..b])
        }
        assert_eq!(
            found("okay, i know it's scary. how big is he?"),
            Some("i know it's scary")
        );
        assert_eq!(
            found("that must be so frightening for you."),
            Some("that must be so frightening")
        );
        assert_eq!(
            found("i understand you're upset. here is the form."),
            Some("i understand you're upset")
        );
        assert_eq!(
            found("that sounds really stressful"),
            Some("that sounds really stressful")
        );
        // fairness to others is a reason, not the customer's feeling
        assert_eq!(
            found("we cannot make exceptions, as this would be unfair to other guests."),
            None
        );
        assert_eq!(
            found("this would be unfair to you, so i've refunded it."),
            Some("this would be unfair")
        );
        // a negator, an article, an adverb, a question or a modal of chance
        // breaks the frame
        assert_eq!(found("that's not bad at all"), None);
        assert_eq!(found("that must be a mistake on the invoice"), None);
        assert_eq!(found("the part, which is unfortunately discontinued"), None);
        assert_eq!(found("is that annoying you?"), None);
        assert_eq!(found("would that be stressful for you?"), None);
        assert_eq!(found("this could have been avoided"), None);
        assert_eq!(
            found("it won't file unless that's ticked in settings"),
            None
        );
        assert_eq!(found("we can send a new one today"), None);
    }

    #[test]
    fn the_words_before_a_match_are_read_as_the_split_reads_them() {
        let reference = |norm: &str, start: usize| {
            let (clause, cut) = clause_before(norm, start, 64, |c| {
                matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\u{2014}')
            });
            let mut words = clause.split(' ').filter(|w| !w.is_empty()).rev();
            let n = if cut { 2 } else { 3 };
            words.by_ref().take(n).any(is_negator)
        };
        for norm in [
            "we can't refund it",
            "  we  never   do refunds",
            "no. we refund",
            "i don't think we really can refund",
            "not \u{e9}t\u{e9} refunded",
            "a b c d e f g h i j k l m n o p q r s t u v w x y z never a b c d e f g refund",
            "nothing",
            "",
        ] {
            for (start, _) in norm.char_indices().chain([(norm.len(), ' ')]) {
                assert_eq!(
                    negated_before(norm, start),
                    reference(norm, start),
                    "{norm:?} at {start}"
                );
            }
        }
    }

    #[test]
    fn the_speakers_own_state_is_told_by_the_words_before() {
        let at = |t: &str, w: &str| t.find(w).expect("the word");
        for (text, word, own) in [
            ("i am struggling to reset it", "struggling", true),
            ("i'm struggling", "struggling", true),
            ("we're really stuck here", "stuck", true),
            ("i've been suffering for weeks", "suffering", true),
            ("i was so frustrated", "frustrated", true),
            ("your service is terrible", "terrible", false),
            ("you are useless", "useless", false),
            ("this is terrible", "terrible", false),
            ("terrible", "terrible", false),
        ] {
            assert_eq!(own_state(text, at(text, word)), own, "{text}");
        }
    }

    #[test]
    fn a_question_about_the_rules_is_told_by_its_words() {
        assert!(asks_about_rules(
            "what's your policy on late cancellations?"
        ));
        assert!(asks_about_rules("Is that allowed under your T&Cs?"));
        assert!(asks_about_rules(
            "What do the Terms say? I can't find them."
        ));
        assert!(!asks_about_rules("Your policy is a joke."));
        assert!(!asks_about_rules("Can I change my booking?"));
        assert!(!asks_about_rules("What about the ruler I ordered?"));
        assert!(!asks_about_rules(
            "We took the policy out in May. Can you explain?"
        ));
        assert!(!asks_about_rules(
            "Can you insure my brother's car on my policy?"
        ));
    }

    #[test]
    fn a_customer_recap_is_told_by_its_words_in_any_case() {
        for (text, said) in [
            ("So would you beat it, like I said, full cover?", true),
            ("as i said on the phone", true),
            ("AS I SAID", true),
            ("Like  I said", false),
            ("unlike I said", false),
            ("alias I said", false),
            ("I said no", false),
            ("like he said", false),
            ("like Isaid", false),
            ("", false),
        ] {
            assert_eq!(says_recap(text), said, "{text:?}");
        }
        // deep in a call, an agent's bare "like I said" answering it is
        // dropped, whatever the mood; in a written reply it stands
        let a = Analyzer::new();
        let upset =
            "This is ridiculous, I've called three times. Like I said, I want it cancelled today.";
        let t = |customer: &'static str, call: bool| {
            let mut t = Transcript::new("T-1");
            if call {
                for k in 0..LONG_CALL {
                    let (role, text) = if k % 2 == 0 {
                        (Role::Agent, "Okay.")
                    } else {
                        (Role::Customer, "Yes.")
                    };
                    t = t.with_turn(crate::Turn::new(role, text));
                }
            }
            t.with_turn(crate::Turn::new(Role::Customer, customer))
                .with_turn(crate::Turn::new(
                    Role::Agent,
                    "Like I said, the cancellation goes through today.",
                ))
        };
        let patronizing = |r: &Report| {
            r.findings
                .iter()
                .any(|f| f.rule == rules::language::PATRONIZING.id)
        };
        assert!(!patronizing(&a.analyze(&t(upset, true))));
        assert!(patronizing(&a.analyze(&t(upset, false))));
        assert!(patronizing(&a.analyze(&t(
            "This is ridiculous, I've called three times and I want it cancelled today.",
            true
        ))));
    }

    #[test]
    fn a_generic_link_is_found_as_the_string_splits_found_it() {
        // the reading before the splits were made by byte
        fn reference(text: &str) -> Option<Span> {
            let bytes = text.as_bytes();
            let mut from = 0;
            while let Some(k) = crate::text::find::find(b'/', &bytes[from..]) {
                let slash = from + k;
                let start = text[..slash]
                    .char_indices()
                    .rev()
                    .find(|(_, c)| c.is_whitespace())
                    .map_or(0, |(i, c)| i + c.len_utf8());
                let end = next_whitespace(text, slash);
                let token = text[start..end].trim_end_matches(['.', ',', ')', '!']);
                let rest = token
                    .strip_prefix("https://")
                    .or_else(|| token.strip_prefix("http://"))
                    .unwrap_or(token);
                let Some((host, path)) = rest.split_once('/') else {
                    from = end;
                    continue;
                };
                if !host.contains('.') {
                    from = end;
                    continue;
                }
                let path = path.trim_end_matches('/');
                let last = path.rsplit('/').next().unwrap_or_default();
                let last = last.split(['?', '#', '.']).next().unwrap_or_default();
                if path.matches('/').count() <= 1
                    && ["help", "support", "faq", "contact", "returns"]
                        .iter()
                        .any(|g| g.eq_ignore_ascii_case(last))
                {
                    return Some(Span::new(start, start + token.len()));
                }
                from = end;
            }
            None
        }
        for text in [
            "see https://x.com/help now",
            "see https://x.com/help/ now.",
            "https://x.com/help/returns!",
            "go to x.com/Support?ref=1 or y.com/faq#top",
            "https://www.shop.example/articles/3600129/Connection-Troubleshooting",
            "a/b c/d e.f/help.html",
            "and/or help/faq",
            "https://caf\u{e9}.example/contact\u{a0}now",
            "\u{2003}x.com/help\u{3000}",
            "https://web.archive.org/web/20200401224734/https://support.google.com/youtube/answer/185111",
            "https://support.google.com/youtube/",
            "https://x.com//help",
            "/",
            "",
        ] {
            // (the texts name no generic word the reference's short list
            // lacks)
            assert_eq!(generic_link(text), reference(text), "{text:?}");
        }
    }

    #[test]
    fn a_generic_word_as_a_hyphenated_part_of_the_last_segment_is_a_landing_page() {
        for (text, generic) in [
            ("all the info is here: skies.example/weather-faq", true),
            ("see shop.example/refund_policy.", true),
            ("see shop.example/help-centre/delivery-times", true),
            ("see shop.example/helpful-tips", false),
            ("see shop.example/articles/77/help-with-wifi", false),
        ] {
            assert_eq!(generic_link(text).is_some(), generic, "{text:?}");
        }
    }

    #[test]
    fn a_link_is_read_to_the_next_whitespace_of_any_kind() {
        for text in [
            "see https://x.com/help now",
            "https://x.com/caf\u{e9}/help\u{a0}thanks",
            "a/b\u{b}c",
            "end/of/text",
            "\u{2003}/\u{3000}x",
            "https://web.archive.org/web/20200401224734/https://support.google.com/x!\ty",
            "https://example.com/a-long-path/with_underscores/and~tildes/0123456789 x",
            "https://example.com/a-long-path/\u{7f}with/caf\u{e9}/and\u{85}/more/\u{2028}x",
            "!!!!!!!!!!!!!!!!\x1f!!!!!!!!\r!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\u{a0}",
        ] {
            for (from, _) in text.char_indices() {
                let want = text[from..]
                    .find(char::is_whitespace)
                    .map_or(text.len(), |i| from + i);
                assert_eq!(next_whitespace(text, from), want, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn a_backchannel_is_four_words_or_fewer_with_no_question() {
        for text in [
            "",
            "Okay.",
            "Yeah, well, it's.",
            "I'm listening.",
            "one two three four",
            "one two three four five",
            "  one\ttwo\u{a0}three \n four  ",
            "one two three four\u{2003}five",
            "Okay?",
            "a b c d e f g h i j k l",
        ] {
            let counted = !text.contains('?') && text.split_whitespace().count() <= 4;
            assert_eq!(backchannel(text), counted, "{text:?}");
        }
    }

    #[test]
    fn a_byte_is_found_as_contains_finds_it() {
        for text in [
            "",
            "?",
            "no mark here at all",
            "a long text with the mark only at the very end, past thirty-two bytes?",
            "\u{201c}quoted\u{201d} and \"quoted\" twice \"",
            "caf\u{e9} @handle",
        ] {
            for b in [b'?', b'"', b'@', b','] {
                assert_eq!(has_byte(text, b), text.contains(char::from(b)), "{text:?}");
            }
            let mut quotes = Vec::new();
            quote_positions(text, &mut quotes);
            if text.contains('"') {
                let want: Vec<u32> = text.match_indices('"').map(|(i, _)| i as u32).collect();
                assert_eq!(quotes, want, "{text:?}");
            }
        }
    }

    #[test]
    fn a_reply_keyword_opening_a_text_is_no_raised_voice() {
        let spans = |t: &str| {
            let mut v = Vec::new();
            crate::rules::distress::intensity_marks(t, &mut v);
            v
        };
        // as the analyzer asks: the turn's only mark, and a keyword
        let keyword = |t: &str| {
            let v = spans(t);
            v.len() == 1 && reply_keyword(t, v[0])
        };
        for t in [
            "STOP",
            "CALL pls",
            "CARD. old one expired, new one ends 4471",
            "  CANCEL please",
            "CHANGE - we're away till Wed night, can you do Thu 13th?",
            "RESCHEDULE: the 9th works",
        ] {
            assert!(keyword(t), "{t}");
        }
        for t in ["STOP charging me twice", "I said STOP", "NO. NOT AGAIN"] {
            assert!(!keyword(t), "{t}");
        }
    }

    #[test]
    fn own_acts_and_unavailability_are_told_apart_from_excuses() {
        // (sentences as the analyzer sees them: normalized, lower case)
        assert!(reports_own_act(
            "i've looped our experts in and passed the info on so that they can follow up"
        ));
        assert!(reports_own_act("we have now resubmitted the entry"));
        assert!(reports_own_act(
            "however, as a goodwill gesture we have applied a credit to your account"
        ));
        for s in [
            "however, as a result we have experienced delays",
            "as you know the courier has lost it",
            "we've experienced a high volume of calls",
            "we have checked our records and the instruction was cancelled",
            "i've passed it on because the courier lost it",
            "the courier lost it",
        ] {
            assert!(!reports_own_act(s), "{s}");
        }
        assert!(states_unavailability(
            "unfortunately it doesn't look like we have an adviser in your area at the moment"
        ));
        for s in [
            "we have no record of a booking under your name",
            "there are no drivers available due to the strike",
            "we don't have your details",
        ] {
            assert!(!states_unavailability(s), "{s}");
        }
    }

    #[test]
    fn the_customers_words_reported_back_are_theirs() {
        let text = "i know you said it wasn't that big of a difference, but it's lower";
        assert!(customers_words(
            text,
            text.find("wasn't").unwrap_or_default()
        ));
        let text = "you said it was late. it wasn't that big of a delay";
        assert!(!customers_words(
            text,
            text.find("wasn't").unwrap_or_default()
        ));
    }

    #[test]
    fn a_feeling_of_someone_else_is_told_apart_from_the_customers() {
        // (normalized text; the feeling word starts at the index given)
        for (text, word) in [
            ("she was livid", "livid"),
            ("my neighbour was livid when they dug the road up", "livid"),
            ("the wife's more upset about her cushions", "upset"),
        ] {
            let at = text.find(word).unwrap_or_default();
            assert!(third_person_feeling(text, at), "{text}");
        }
        for (text, word) in [
            ("i'm livid", "livid"),
            ("my neighbour and i are livid", "livid"),
            ("the neighbour's dog bit me and i'm upset", "upset"),
        ] {
            let at = text.find(word).unwrap_or_default();
            assert!(!third_person_feeling(text, at), "{text}");
        }
    }

    #[test]
    fn a_speaker_introduced_by_name_is_told_apart() {
        for t in [
            "Hi, this is [PERSON_NAME].",
            "This is Dana with claims.",
            "Dana speaking.",
        ] {
            assert!(introduces_speaker(t), "{t}");
        }
        for t in [
            "this is the best rate I can get you.",
            "This is the quote we talked about.",
            "Okay, thank you for holding, I'm back with your quote and it's lower than this one.",
        ] {
            assert!(!introduces_speaker(t), "{t}");
        }
    }

    #[test]
    fn a_sentence_span_opens_and_closes_outside_a_link_or_a_handle() {
        let text = "visit https://help.site.com/faq for more info. thanks";
        let shown = |a: usize, b: usize| {
            let (a, b) = outside_links(text, a, b);
            &text[a..b]
        };
        // the models' sentences around the link's full stops
        let site = text.find("site.").unwrap();
        let com = text.find("com/").unwrap();
        assert_eq!(shown(0, site + 4), "visit");
        assert_eq!(shown(com, text.find(". thanks").unwrap()), "for more info");
        // a sentence that is the link's inside alone is left as it was
        assert_eq!(shown(site, site + 4), "site");
        // a sentence cut at a true full stop is left as it is
        let thanks = text.find("thanks").unwrap();
        assert_eq!(shown(thanks, text.len()), "thanks");
        let tweet = "@jo_m @shop we are on it. @jo_m";
        let (a, b) = outside_links(tweet, 1, 24);
        assert_eq!(&tweet[a..b], "we are on it");
    }

    #[test]
    fn negation_window_is_bounded() {
        let long = format!("{} not a policy", "word ".repeat(100));
        assert!(negated_before(&long, long.find("policy").unwrap()));
        let long = format!("{}policy", "x".repeat(200));
        assert!(!negated_before(&long, 200));
    }
}
