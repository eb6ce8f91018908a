//! `tactful report`: a whole batch aggregated, streaming, in memory bounded by
//! the number of distinct agents, teams and flagged phrases.
//!
//! This module aggregates and writes the human and JSON forms; `html` writes
//! the HTML page.

mod html;

use crate::output::escape_controls;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use tactful::{Category, Kind, Report, Role, Transcript};

/// Most frequent phrases listed per rule.
const TOP_PHRASES: usize = 5;
/// Lowest-scoring transcripts shown in the report (HTML and JSON).
const WORST: usize = 10;

/// A finding as the report shows it: where it is, which rule, what kind.
#[derive(Debug, Clone, Copy)]
struct Mark {
    turn: usize,
    start: usize,
    end: usize,
    rule: &'static str,
    kind: Kind,
    message: &'static str,
}

/// A transcript kept for the report's "lowest-scoring transcripts" (and as
/// the example of the phrases it flags first): its turns and findings.
#[derive(Debug, Clone)]
struct Shown {
    id: String,
    score: u8,
    turns: Vec<(Role, String)>,
    /// Every finding, in order.
    marks: Vec<Mark>,
    /// With redaction, the personal data of each turn (masked wherever the
    /// report shows the turn's text); empty without.
    pii: Vec<Vec<crate::redact::Found>>,
}

impl Shown {
    /// The transcript's id, score and issues, for the JSON report.
    fn json(&self) -> Value {
        let issues: Vec<Value> = self
            .marks
            .iter()
            .filter(|m| m.kind == Kind::Issue)
            .map(|m| {
                let text = self.turns.get(m.turn).and_then(|t| {
                    t.1.get(m.start..m.end)?;
                    Some(match self.pii.get(m.turn) {
                        Some(found) => crate::redact::mask(&t.1, m.start..m.end, found),
                        None => std::borrow::Cow::Borrowed(&t.1[m.start..m.end]),
                    })
                });
                json!({"rule": m.rule, "turn": m.turn, "start": m.start, "end": m.end,
                       "text": text, "message": m.message})
            })
            .collect();
        json!({"id": self.id, "score": self.score, "issues": issues})
    }
}

/// A flagged phrase of the batch: how often, and its first example (the
/// transcript's id, and the finding with a few turns around it).
#[derive(Debug, Clone)]
struct Phrase {
    count: u64,
    example: String,
    context: Option<html::Excerpt>,
}

/// What one transcript contributes to the aggregate.
#[derive(Debug, Clone)]
pub struct Summary {
    id: String,
    score: u8,
    turns: usize,
    agent: Option<String>,
    team: Option<String>,
    /// Categories with at least one issue (or, for distress, a signal).
    flagged: Vec<Category>,
    judged: usize,
    missed: usize,
    /// (rule, flagged phrase lower-cased, index in `shown.marks`) of each
    /// issue finding.
    phrases: Vec<(&'static str, String, usize)>,
    shown: Option<Shown>,
    /// The transcript's topic tags.
    topics: Vec<String>,
    /// Whether it has an issue finding.
    has_issue: bool,
    /// Per rule of [`RECOVERY`]: whether the transcript has a finding of it.
    recovery: [bool; RECOVERY.len()],
    /// Seconds to the first agent reply, where timing was on.
    first_response: Option<u64>,
}

/// The recovery rules whose rates the report gives per agent and team: the
/// share of their transcripts with at least one finding of each.
pub(super) const RECOVERY: [&str; 5] = [
    "action.specific",
    "action.vague",
    "courtesy.thanks",
    "courtesy.name",
    "language.patronizing",
];

/// Example ids kept per topic.
const TOPIC_EXAMPLES: usize = 3;

/// The categories the report counts flagged transcripts of: those with
/// issues or signals (not empathy, ownership and courtesy, which only
/// credit, nor resolution, which only names a score).
pub(super) fn flagged_categories() -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| {
            !matches!(
                c,
                Category::Empathy | Category::Ownership | Category::Courtesy | Category::Resolution
            )
        })
        .collect()
}

/// The value at percentile `p` (nearest rank) of sorted `values`.
fn nearest_rank(values: &[u64], p: f64) -> Option<u64> {
    if values.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * values.len() as f64).ceil().max(1.0) as usize;
    values.get(rank - 1).copied()
}

/// Median and 90th percentile of first response times, in seconds.
fn response_json(times: &[u64]) -> Value {
    let mut sorted = times.to_vec();
    sorted.sort_unstable();
    json!({"transcripts": sorted.len(), "median": nearest_rank(&sorted, 50.0), "p90": nearest_rank(&sorted, 90.0)})
}

/// Per topic: how many transcripts, how many with an issue, their score sum,
/// and the first example ids.
#[derive(Debug, Default, Clone)]
struct TopicStat {
    count: u64,
    flagged: u64,
    score_sum: u64,
    examples: Vec<String>,
}

impl Summary {
    /// Summarizes one analyzed transcript.
    pub fn new(t: &Transcript<'_>, report: &Report) -> Summary {
        Summary::with_redaction(t, report, false)
    }

    /// [`Summary::new`]; with `redact`, the personal data in the phrases
    /// and turns it keeps is masked wherever the report shows them.
    pub fn with_redaction(t: &Transcript<'_>, report: &Report, redact: bool) -> Summary {
        // a transcript the report shows none of (a perfect score, no issue
        // phrase) needs no search for personal data
        let shows_text =
            report.score.total < 100 || report.findings.iter().any(|f| f.kind == Kind::Issue);
        let pii: Vec<Vec<crate::redact::Found>> = if redact && shows_text {
            t.turns
                .iter()
                .map(|u| crate::redact::find(&u.text))
                .collect()
        } else {
            Vec::new()
        };
        let roles: Vec<Role> = t.turns.iter().map(|u| u.role).collect();
        let (judged, missed) = tactful::score::empathy_counts(&roles, &report.findings);
        let mut flagged: Vec<Category> = report
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Issue || f.category == Category::Distress)
            .map(|f| f.category)
            .collect();
        flagged.sort();
        flagged.dedup();
        let phrases = report
            .findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == Kind::Issue && f.category != Category::EmpathyGap)
            .map(|(i, f)| {
                let turn: &str = &t.turns[f.turn].text;
                let text = match pii.get(f.turn) {
                    Some(found) => crate::redact::mask(turn, f.span.range(), found),
                    None => std::borrow::Cow::Borrowed(f.text(turn)),
                };
                // case, curly quotes and white space folded, as phrases are matched
                let folded = tactful::text::Normalized::of(&text);
                (f.rule, folded.as_str().trim().to_string(), i)
            })
            .collect();
        let shown = (report.score.total < 100).then(|| Shown {
            id: t.id.to_string(),
            score: report.score.total,
            turns: t
                .turns
                .iter()
                .map(|u| (u.role, u.text.to_string()))
                .collect(),
            marks: report
                .findings
                .iter()
                .map(|f| Mark {
                    turn: f.turn,
                    start: f.span.start as usize,
                    end: f.span.end as usize,
                    rule: f.rule,
                    kind: f.kind,
                    message: f.message,
                })
                .collect(),
            pii,
        });
        let mut recovery = [false; RECOVERY.len()];
        for f in &report.findings {
            if let Some(i) = RECOVERY.iter().position(|r| *r == f.rule) {
                recovery[i] = true;
            }
        }
        Summary {
            topics: report.topics.clone(),
            has_issue: report.findings.iter().any(|f| f.kind == Kind::Issue),
            recovery,
            first_response: report.timing.as_ref().and_then(|t| t.first_response),
            shown,
            id: t.id.to_string(),
            score: report.score.total,
            turns: t.turns.len(),
            agent: t.agent.as_deref().map(str::to_string),
            team: t.team.as_deref().map(str::to_string),
            flagged,
            judged,
            missed,
            phrases,
        }
    }
}

/// Count, mean and spread of scores, and category rates, of one agent or team.
#[derive(Debug, Default, Clone)]
struct Group {
    count: u64,
    mean: f64,
    m2: f64,
    flagged: BTreeMap<Category, u64>,
    /// Transcripts with a finding of each rule of [`RECOVERY`].
    recovery: [u64; RECOVERY.len()],
    /// First response times, in seconds.
    first_responses: Vec<u64>,
}

impl Group {
    fn add(&mut self, s: &Summary) {
        self.count += 1;
        let x = f64::from(s.score);
        let delta = x - self.mean;
        self.mean += delta / self.count as f64;
        self.m2 += delta * (x - self.mean);
        for c in &s.flagged {
            *self.flagged.entry(*c).or_default() += 1;
        }
        for (n, &has) in self.recovery.iter_mut().zip(&s.recovery) {
            *n += u64::from(has);
        }
        self.first_responses.extend(s.first_response);
    }

    /// The share of transcripts with a finding of `RECOVERY[i]`.
    fn recovery_rate(&self, i: usize) -> f64 {
        self.recovery[i] as f64 / self.count.max(1) as f64
    }

    fn std_dev(&self) -> f64 {
        if self.count < 2 {
            0.0
        } else {
            (self.m2 / (self.count - 1) as f64).sqrt()
        }
    }

    fn json(&self, name: &str) -> Value {
        let rates: BTreeMap<String, f64> = self
            .flagged
            .iter()
            .map(|(c, n)| (c.to_string(), round(*n as f64 / self.count as f64)))
            .collect();
        let recovery: BTreeMap<&str, f64> = RECOVERY
            .iter()
            .enumerate()
            .map(|(i, r)| (*r, round(self.recovery_rate(i))))
            .collect();
        json!({"name": name, "transcripts": self.count, "mean_score": round(self.mean),
               "std_dev": round(self.std_dev()), "category_rates": rates,
               "recovery_rates": recovery,
               "first_response_seconds": response_json(&self.first_responses)})
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// A number of seconds as a short duration: "45s", "12m", "3.5h", "2.0d".
pub(super) fn duration(secs: u64) -> String {
    match secs {
        s if s < 60 => format!("{s}s"),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86400 => format!("{:.1}h", s as f64 / 3600.0),
        s => format!("{:.1}d", s as f64 / 86400.0),
    }
}

/// The batch so far.
#[derive(Debug, Default)]
pub struct Aggregate {
    transcripts: u64,
    turns: u64,
    errors: u64,
    histogram: Vec<u64>,
    flagged: BTreeMap<Category, u64>,
    judged: u64,
    missed: u64,
    agents: BTreeMap<String, Group>,
    teams: BTreeMap<String, Group>,
    /// (rule, phrase) -> its count and first example
    phrases: HashMap<(&'static str, String), Phrase>,
    /// The lowest-scoring transcripts so far (at most WORST), lowest first.
    worst: Vec<Shown>,
    /// Per topic tag.
    topics: BTreeMap<String, TopicStat>,
    /// First response times of the whole batch, in seconds.
    first_responses: Vec<u64>,
}

impl Aggregate {
    /// An empty aggregate.
    pub fn new() -> Aggregate {
        Aggregate {
            histogram: vec![0; 101],
            ..Aggregate::default()
        }
    }

    /// Adds one transcript.
    pub fn add(&mut self, s: Summary) {
        self.transcripts += 1;
        self.turns += s.turns as u64;
        self.histogram[usize::from(s.score.min(100))] += 1;
        for c in &s.flagged {
            *self.flagged.entry(*c).or_default() += 1;
        }
        self.judged += s.judged as u64;
        self.missed += s.missed as u64;
        for topic in &s.topics {
            let t = self.topics.entry(topic.clone()).or_default();
            t.count += 1;
            t.flagged += u64::from(s.has_issue);
            t.score_sum += u64::from(s.score);
            if t.examples.len() < TOPIC_EXAMPLES {
                t.examples.push(s.id.clone());
            }
        }
        self.first_responses.extend(s.first_response);
        if let Some(a) = &s.agent {
            self.agents.entry(a.clone()).or_default().add(&s);
        }
        if let Some(t) = &s.team {
            self.teams.entry(t.clone()).or_default().add(&s);
        }
        for (rule, phrase, mark) in s.phrases {
            self.phrases
                .entry((rule, phrase))
                .or_insert_with(|| Phrase {
                    count: 0,
                    example: s.id.clone(),
                    context: s
                        .shown
                        .as_ref()
                        .map(|shown| html::Excerpt::of(shown, &[mark])),
                })
                .count += 1;
        }
        if let Some(shown) = s.shown {
            let full = self.worst.len() >= WORST;
            if !full || self.worst.last().is_some_and(|w| shown.score < w.score) {
                let at = self.worst.partition_point(|w| w.score <= shown.score);
                self.worst.insert(at, shown);
                self.worst.truncate(WORST);
            }
        }
    }

    /// Counts an input record that could not be read.
    pub fn add_error(&mut self) {
        self.errors += 1;
    }

    /// The score at percentile `p` (nearest rank), or `None` with no transcript.
    fn percentile(&self, p: f64) -> Option<u8> {
        if self.transcripts == 0 {
            return None;
        }
        let rank = ((p / 100.0) * self.transcripts as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (score, n) in self.histogram.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return Some(score as u8);
            }
        }
        Some(100)
    }

    /// The batch's mean score, or `None` with no transcript.
    pub fn mean_score(&self) -> Option<f64> {
        self.mean()
    }

    fn mean(&self) -> Option<f64> {
        (self.transcripts > 0).then(|| {
            let sum: u64 = self
                .histogram
                .iter()
                .enumerate()
                .map(|(s, n)| s as u64 * n)
                .sum();
            sum as f64 / self.transcripts as f64
        })
    }

    /// The most frequent phrases of each rule, most frequent first.
    fn top_phrases(&self) -> BTreeMap<&'static str, Vec<(&String, &Phrase)>> {
        let mut by_rule: BTreeMap<&'static str, Vec<(&String, &Phrase)>> = BTreeMap::new();
        for ((rule, phrase), p) in &self.phrases {
            by_rule.entry(rule).or_default().push((phrase, p));
        }
        for list in by_rule.values_mut() {
            list.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
            list.truncate(TOP_PHRASES);
        }
        by_rule
    }

    /// The topics, most frequent first (ties by name).
    fn topic_rows(&self) -> Vec<(&String, &TopicStat)> {
        let mut rows: Vec<(&String, &TopicStat)> = self.topics.iter().collect();
        rows.sort_by(|a, b| b.1.count.cmp(&a.1.count).then(a.0.cmp(b.0)));
        rows
    }

    /// The report as a JSON document.
    pub fn json(&self) -> Value {
        let n = self.transcripts.max(1) as f64;
        let topics: Vec<Value> = self
            .topic_rows()
            .into_iter()
            .map(|(tag, t)| {
                json!({"topic": tag, "count": t.count, "share": round(t.count as f64 / n),
                       "share_flagged": round(t.flagged as f64 / t.count.max(1) as f64),
                       "mean_score": round(t.score_sum as f64 / t.count.max(1) as f64),
                       "examples": t.examples})
            })
            .collect();
        let shares: BTreeMap<String, f64> = flagged_categories()
            .iter()
            .map(|c| {
                (
                    c.to_string(),
                    round(*self.flagged.get(c).unwrap_or(&0) as f64 / n),
                )
            })
            .collect();
        let phrases: BTreeMap<&str, Vec<Value>> = self
            .top_phrases()
            .into_iter()
            .map(|(rule, list)| {
                let items = list
                    .into_iter()
                    .map(|(p, f)| json!({"phrase": p, "count": f.count, "example": f.example}))
                    .collect();
                (rule, items)
            })
            .collect();
        json!({
            "schema_version": crate::output::SCHEMA_VERSION,
            "transcripts": self.transcripts,
            "turns": self.turns,
            "errors": self.errors,
            "score": {
                "mean": self.mean().map(round),
                "median": self.percentile(50.0),
                "p10": self.percentile(10.0),
                "p90": self.percentile(90.0),
                "histogram": self.histogram,
            },
            "category_share": shares,
            "distress_acknowledged": {
                "judged": self.judged,
                "acknowledged": self.judged - self.missed,
                "share": (self.judged > 0).then(|| round((self.judged - self.missed) as f64 / self.judged as f64)),
            },
            "agents": self.agents.iter().map(|(k, g)| g.json(k)).collect::<Vec<_>>(),
            "teams": self.teams.iter().map(|(k, g)| g.json(k)).collect::<Vec<_>>(),
            "top_phrases": phrases,
            "topics": topics,
            "first_response_seconds": response_json(&self.first_responses),
            "lowest": self.worst.iter().map(Shown::json).collect::<Vec<_>>(),
        })
    }

    /// The report as a readable terminal summary.
    pub fn human(&self) -> String {
        let mut o = String::new();
        let pct = |x: u64| 100.0 * x as f64 / self.transcripts.max(1) as f64;
        let _ = writeln!(
            o,
            "{} transcripts, {} turns, {} input errors",
            self.transcripts, self.turns, self.errors
        );
        if let (Some(mean), Some(p10), Some(median), Some(p90)) = (
            self.mean(),
            self.percentile(10.0),
            self.percentile(50.0),
            self.percentile(90.0),
        ) {
            let _ = writeln!(
                o,
                "score: mean {mean:.1}, median {median}, p10 {p10}, p90 {p90}"
            );
        }
        let _ = writeln!(o, "\ntranscripts flagged, by category:");
        for c in flagged_categories() {
            let n = *self.flagged.get(&c).unwrap_or(&0);
            let _ = writeln!(
                o,
                "  {:<12} {:>6.1}%  {}",
                c.as_str(),
                pct(n),
                "#".repeat((pct(n) / 2.0).round() as usize)
            );
        }
        if self.judged > 0 {
            let ack = self.judged - self.missed;
            let _ = writeln!(
                o,
                "\ndistressed customers acknowledged: {ack} of {} ({:.1}%)",
                self.judged,
                100.0 * ack as f64 / self.judged as f64
            );
        }
        let topics = self.topic_rows();
        if !topics.is_empty() {
            let _ = writeln!(o, "\ntopics (most frequent first):");
            let _ = writeln!(
                o,
                "  {:<16} {:>6} {:>7} {:>8} {:>6}  examples",
                "topic", "n", "share", "flagged", "mean"
            );
            for (tag, t) in topics {
                let examples: Vec<String> = t
                    .examples
                    .iter()
                    .map(|e| escape_controls(e).into_owned())
                    .collect();
                let _ = writeln!(
                    o,
                    "  {:<16} {:>6} {:>6.1}% {:>7.1}% {:>6.1}  {}",
                    escape_controls(tag),
                    t.count,
                    pct(t.count),
                    100.0 * t.flagged as f64 / t.count.max(1) as f64,
                    t.score_sum as f64 / t.count.max(1) as f64,
                    examples.join(", ")
                );
            }
        }
        let mut times = self.first_responses.clone();
        times.sort_unstable();
        if let (Some(median), Some(p90)) = (nearest_rank(&times, 50.0), nearest_rank(&times, 90.0))
        {
            let _ = writeln!(
                o,
                "\nfirst response: median {}, p90 {} ({} transcripts with timestamps)",
                duration(median),
                duration(p90),
                times.len()
            );
        }
        for (title, groups) in [("agents", &self.agents), ("teams", &self.teams)] {
            if groups.is_empty() {
                continue;
            }
            let mut rows: Vec<(&String, &Group)> = groups.iter().collect();
            rows.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.cmp(b.0)));
            let _ = writeln!(o, "\n{title} (lowest mean score first):");
            let _ = writeln!(
                o,
                "  {:<24} {:>6} {:>6} {:>7} {:>9} {:>6} {:>7} {:>5} {:>8} {:>9}",
                "name",
                "n",
                "mean",
                "spread",
                "specific",
                "vague",
                "thanks",
                "name",
                "patroniz",
                "1st reply"
            );
            for (name, g) in rows {
                let mut line = format!(
                    "  {:<24} {:>6} {:>6.1} {:>7.1}",
                    escape_controls(name),
                    g.count,
                    g.mean,
                    g.std_dev()
                );
                for (i, width) in [9, 6, 7, 5, 8].into_iter().enumerate() {
                    let _ = write!(
                        line,
                        " {:>width$}",
                        format!("{:.0}%", 100.0 * g.recovery_rate(i))
                    );
                }
                let mut times = g.first_responses.clone();
                times.sort_unstable();
                let median = nearest_rank(&times, 50.0).map_or("-".to_string(), duration);
                let _ = writeln!(o, "{line} {median:>9}");
            }
        }
        let top = self.top_phrases();
        if !top.is_empty() {
            let _ = writeln!(o, "\nmost frequent flagged phrases:");
            for (rule, list) in top {
                let _ = writeln!(o, "  {rule}");
                for (phrase, p) in list {
                    let count = p.count;
                    let (phrase, id) = (escape_controls(phrase), escape_controls(&p.example));
                    let _ = writeln!(o, "    {count:>6}  \"{phrase}\"  (e.g. {id})");
                }
            }
        }
        o
    }
}
