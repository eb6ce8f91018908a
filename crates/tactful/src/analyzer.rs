//! The [`Analyzer`]: every rule compiled once, shared by reference across threads.

use crate::error::Error;
use crate::finding::{Category, Finding, Kind};
use crate::matcher::{Hit, LexiconId, Matcher, MatcherBuilder, ScanBuffers};
use crate::rule::RuleInfo;
use crate::rules::{self, apology, distress, empathy_gap};
use crate::score::{self, Score};
use crate::span::Span;
use crate::text::Normalized;
use crate::transcript::{Role, Transcript};

/// The findings and score of one transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// Every finding, ordered by turn, then position, then rule id.
    pub findings: Vec<Finding>,
    /// The transcript's score and per-category breakdown.
    pub score: Score,
}

/// Analyzes transcripts: build once, then call [`Analyzer::analyze`] from any thread.
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
    matcher: Matcher,
    /// For each lexicon id, the rule it reports (None for internal lexicons).
    lexicon_rules: Vec<Option<&'static RuleInfo>>,
    apology: apology::ApologyLexicons,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer::new()
    }
}

impl Analyzer {
    /// An analyzer with every built-in rule and phrase list.
    pub fn new() -> Analyzer {
        // The built-in lexicons are tested to parse; should one ever fail,
        // `build_default` skips it rather than panicking.
        Analyzer::build_default().unwrap_or_else(|_| Analyzer::empty())
    }

    fn build_default() -> Result<Analyzer, Error> {
        let mut b = MatcherBuilder::default();
        let mut lexicon_rules: Vec<Option<&'static RuleInfo>> = Vec::new();
        let mut set = |id: LexiconId, rule: Option<&'static RuleInfo>| {
            let i = id as usize;
            if lexicon_rules.len() <= i {
                lexicon_rules.resize(i + 1, None);
            }
            lexicon_rules[i] = rule;
        };
        for (rule, source) in rules::phrase_lexicons() {
            let id = b.add_source(rule.id, source).map_err(Error::lexicon)?;
            set(id, Some(rule));
        }
        let mut internal = |name: &str| -> Result<LexiconId, Error> {
            let source = apology::INTERNAL_LEXICONS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, s)| *s)
                .unwrap_or("");
            b.add_source(name, source).map_err(Error::lexicon)
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
            sympathy: b.lexicon(rules::empathy::SYMPATHY.id),
        };
        let matcher = b.build();
        for (i, r) in lexicon_rules.iter().enumerate() {
            debug_assert!(r.is_none() || i < matcher.lexicon_count());
        }
        Ok(Analyzer {
            matcher,
            lexicon_rules,
            apology,
        })
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
            sympathy: id("y"),
        };
        Analyzer {
            matcher: b.build(),
            lexicon_rules: Vec::new(),
            apology,
        }
    }

    /// Analyzes one transcript.
    pub fn analyze(&self, transcript: &Transcript<'_>) -> Report {
        let mut scratch = Scratch::default();
        self.analyze_with(transcript, &mut scratch)
    }

    /// Analyzes one transcript reusing `scratch`'s buffers (one per thread).
    pub fn analyze_with(&self, transcript: &Transcript<'_>, scratch: &mut Scratch) -> Report {
        let mut findings = Vec::new();
        for (index, turn) in transcript.turns.iter().enumerate() {
            self.check_turn(index, turn.role, &turn.text, scratch, &mut findings);
        }
        let roles: Vec<Role> = transcript.turns.iter().map(|t| t.role).collect();
        for turn in empathy_gap::missed_turns(&roles, &findings) {
            let text = &transcript.turns[turn].text;
            let first = crate::text::sentences(text)
                .next()
                .unwrap_or(Span::new(0, 0));
            findings.push(finding(&empathy_gap::NO_ACKNOWLEDGMENT, turn, first));
        }
        findings.sort_by(|a, b| {
            (a.turn, a.span.start, a.span.end, a.rule).cmp(&(
                b.turn,
                b.span.start,
                b.span.end,
                b.rule,
            ))
        });
        let score = score::score(&roles, &findings);
        Report { findings, score }
    }

    fn check_turn(
        &self,
        index: usize,
        role: Role,
        text: &str,
        s: &mut Scratch,
        out: &mut Vec<Finding>,
    ) {
        if role == Role::System || text.is_empty() {
            return;
        }
        s.norm.reset(text);
        self.matcher.scan(s.norm.as_str(), &mut s.hits, &mut s.scan);
        let norm = s.norm.as_str();
        for h in &s.hits {
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
            if negated_before(norm, start) || inside_quotes(norm, start, end) {
                continue;
            }
            out.push(finding(rule, index, s.norm.to_original(start, end)));
        }
        match role {
            Role::Agent => {
                s.apologies.clear();
                apology::classify(&s.norm, &s.hits, &self.apology, &mut s.apologies);
                for a in &s.apologies {
                    if inside_quotes(norm, a.start, a.end) {
                        continue;
                    }
                    out.push(finding(a.rule, index, s.norm.to_original(a.start, a.end)));
                }
            }
            Role::Customer => {
                s.spans.clear();
                distress::intensity_marks(text, &mut s.spans);
                for &span in &s.spans {
                    out.push(finding(&distress::INTENSITY, index, span));
                }
            }
            Role::System => {}
        }
    }
}

fn finding(rule: &'static RuleInfo, turn: usize, span: Span) -> Finding {
    Finding {
        rule: rule.id,
        category: rule.category,
        kind: rule.kind,
        severity: rule.severity,
        turn,
        span,
        message: rule.message,
        suggestion: rule.suggestion,
    }
}

/// Reusable per-thread buffers for [`Analyzer::analyze_with`].
#[derive(Debug, Default, Clone)]
pub struct Scratch {
    norm: Normalized,
    hits: Vec<Hit>,
    scan: ScanBuffers,
    apologies: Vec<apology::Apology>,
    spans: Vec<Span>,
}

const NEGATORS: &[&str] = &[
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

/// Whether one of the (up to) three words before `start` in its clause is a negator.
pub(crate) fn negated_before(norm: &str, start: usize) -> bool {
    let before = &norm[..start];
    let clause_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, '.' | ',' | ';' | ':' | '!' | '?' | '\u{2014}'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    before[clause_start..]
        .split(' ')
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| NEGATORS.contains(&w))
}

/// Whether `start..end` lies between a pair of double quotes.
pub(crate) fn inside_quotes(norm: &str, start: usize, end: usize) -> bool {
    let before = norm[..start].bytes().filter(|&b| b == b'"').count();
    let after = norm[end..].bytes().filter(|&b| b == b'"').count();
    before % 2 == 1 && after % 2 == 1
}

/// Counts of findings per category of kind `issue`, for scoring and reports.
pub fn issue_count(findings: &[Finding], category: Category) -> usize {
    findings
        .iter()
        .filter(|f| f.category == category && f.kind == Kind::Issue)
        .count()
}
