//! `tactful report`: a whole batch aggregated, streaming, in memory bounded by
//! the number of distinct agents, teams and flagged phrases.

use crate::output::escape_controls;
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use tactful::{Category, Kind, Report, Role, Transcript};

/// Most frequent phrases listed per rule.
const TOP_PHRASES: usize = 5;
/// Lowest-scoring transcripts shown in the report (HTML and JSON).
const WORST: usize = 10;

/// A transcript kept for the HTML report's "worst transcripts" section.
#[derive(Debug, Clone)]
struct Shown {
    id: String,
    score: u8,
    turns: Vec<(Role, String)>,
    /// (turn, start, end, rule, kind, message), in order.
    marks: Vec<(usize, usize, usize, &'static str, Kind, &'static str)>,
}

impl Shown {
    /// The transcript's id, score and issues, for the JSON report.
    fn json(&self) -> Value {
        let issues: Vec<Value> = self
            .marks
            .iter()
            .filter(|m| m.4 == Kind::Issue)
            .map(|&(turn, start, end, rule, _, message)| {
                let text = self.turns.get(turn).and_then(|t| t.1.get(start..end));
                json!({"rule": rule, "turn": turn, "start": start, "end": end,
                       "text": text, "message": message})
            })
            .collect();
        json!({"id": self.id, "score": self.score, "issues": issues})
    }
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
    /// (rule, flagged phrase lower-cased) of each issue finding.
    phrases: Vec<(&'static str, String)>,
    shown: Option<Shown>,
}

impl Summary {
    /// Summarizes one analyzed transcript.
    pub fn new(t: &Transcript<'_>, report: &Report) -> Summary {
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
            .filter(|f| f.kind == Kind::Issue && f.category != Category::EmpathyGap)
            .map(|f| {
                let text = f.text(&t.turns[f.turn].text);
                // case, curly quotes and white space folded, as phrases are matched
                let folded = tactful::text::Normalized::of(text);
                (f.rule, folded.as_str().trim().to_string())
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
                .map(|f| {
                    (
                        f.turn,
                        f.span.start as usize,
                        f.span.end as usize,
                        f.rule,
                        f.kind,
                        f.message,
                    )
                })
                .collect(),
        });
        Summary {
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
        json!({"name": name, "transcripts": self.count, "mean_score": round(self.mean),
               "std_dev": round(self.std_dev()), "category_rates": rates})
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
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
    /// (rule, phrase) -> (count, first transcript id)
    phrases: HashMap<(&'static str, String), (u64, String)>,
    /// The lowest-scoring transcripts so far (at most WORST), lowest first.
    worst: Vec<Shown>,
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
        if let Some(a) = &s.agent {
            self.agents.entry(a.clone()).or_default().add(&s);
        }
        if let Some(t) = &s.team {
            self.teams.entry(t.clone()).or_default().add(&s);
        }
        if let Some(shown) = s.shown {
            let full = self.worst.len() >= WORST;
            if !full || self.worst.last().is_some_and(|w| shown.score < w.score) {
                let at = self.worst.partition_point(|w| w.score <= shown.score);
                self.worst.insert(at, shown);
                self.worst.truncate(WORST);
            }
        }
        for (rule, phrase) in s.phrases {
            self.phrases
                .entry((rule, phrase))
                .or_insert_with(|| (0, s.id.clone()))
                .0 += 1;
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

    fn top_phrases(&self) -> BTreeMap<&'static str, Vec<(&String, u64, &String)>> {
        let mut by_rule: BTreeMap<&'static str, Vec<(&String, u64, &String)>> = BTreeMap::new();
        for ((rule, phrase), (count, id)) in &self.phrases {
            by_rule.entry(rule).or_default().push((phrase, *count, id));
        }
        for list in by_rule.values_mut() {
            list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            list.truncate(TOP_PHRASES);
        }
        by_rule
    }

    /// The report as a JSON document.
    pub fn json(&self) -> Value {
        let n = self.transcripts.max(1) as f64;
        let shares: BTreeMap<String, f64> = Category::ALL
            .iter()
            .filter(|c| **c != Category::Empathy)
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
                    .map(|(p, c, id)| json!({"phrase": p, "count": c, "example": id}))
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
        for c in Category::ALL
            .into_iter()
            .filter(|c| *c != Category::Empathy)
        {
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
        for (title, groups) in [("agents", &self.agents), ("teams", &self.teams)] {
            if groups.is_empty() {
                continue;
            }
            let mut rows: Vec<(&String, &Group)> = groups.iter().collect();
            rows.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.cmp(b.0)));
            let _ = writeln!(o, "\n{title} (lowest mean score first):");
            let _ = writeln!(
                o,
                "  {:<24} {:>6} {:>6} {:>7}",
                "name", "n", "mean", "spread"
            );
            for (name, g) in rows {
                let _ = writeln!(
                    o,
                    "  {:<24} {:>6} {:>6.1} {:>7.1}",
                    escape_controls(name),
                    g.count,
                    g.mean,
                    g.std_dev()
                );
            }
        }
        let top = self.top_phrases();
        if !top.is_empty() {
            let _ = writeln!(o, "\nmost frequent flagged phrases:");
            for (rule, list) in top {
                let _ = writeln!(o, "  {rule}");
                for (phrase, count, id) in list {
                    let (phrase, id) = (escape_controls(phrase), escape_controls(id));
                    let _ = writeln!(o, "    {count:>6}  \"{phrase}\"  (e.g. {id})");
                }
            }
        }
        o
    }
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c => o.push(c),
        }
    }
    o
}

const CSS: &str = "
:root{--ink:#1d2330;--muted:#5b6475;--line:#dde2ea;--issue:#c0392b;--strength:#1e824c;--signal:#2c6fb7;--bg:#f7f8fa}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;color:var(--ink);background:var(--bg)}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:19px;margin:32px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
.muted{color:var(--muted)}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(160px,1fr));gap:12px;margin-top:16px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card b{display:block;font-size:24px}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);font-size:14px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:16px}
@media (max-width:800px){.grid2{grid-template-columns:1fr}}
svg{background:#fff;border:1px solid var(--line);border-radius:8px;width:100%;height:auto}
.conv{background:#fff;border:1px solid var(--line);border-radius:8px;padding:10px 14px;margin-bottom:14px;break-inside:avoid}
.turn{margin:6px 0;white-space:pre-wrap}.role{font-weight:600;color:var(--muted);margin-right:6px}
mark{background:none;border-bottom:3px solid;padding:0 1px}
mark.issue{border-color:var(--issue);background:#fbe9e7}mark.strength{border-color:var(--strength);background:#e8f5ee}mark.signal{border-color:var(--signal);background:#e8f0fa}
.tag{font-size:12px;color:var(--muted)}
@media print{body{background:#fff}main{max-width:none;padding:0}.conv,table,svg{break-inside:avoid}}
";

impl Aggregate {
    /// The report as one self-contained HTML page: inline CSS and SVG, no
    /// scripts, nothing fetched.
    pub fn html(&self) -> String {
        let mut o = String::new();
        let n = self.transcripts.max(1) as f64;
        let _ = write!(
            o,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>tactful report</title><style>{CSS}</style></head><body><main>"
        );
        let _ = write!(o, "<h1>tactful report</h1><p class=\"muted\">{} transcripts, {} turns, {} input errors</p>", self.transcripts, self.turns, self.errors);
        // summary cards
        let ack = if self.judged > 0 {
            format!(
                "{:.0}%",
                100.0 * (self.judged - self.missed) as f64 / self.judged as f64
            )
        } else {
            "n/a".to_string()
        };
        let fmt = |v: Option<u8>| v.map_or("n/a".to_string(), |v| v.to_string());
        let _ = write!(
            o,
            "<section class=\"cards\" id=\"summary\"><div class=\"card\"><b>{}</b>mean score</div><div class=\"card\"><b>{}</b>median score</div><div class=\"card\"><b>{} / {}</b>p10 / p90</div><div class=\"card\"><b>{}</b>distressed customers acknowledged</div><div class=\"card\"><b>{}</b>transcripts</div></section>",
            self.mean().map_or("n/a".to_string(), |m| format!("{m:.1}")),
            fmt(self.percentile(50.0)),
            fmt(self.percentile(10.0)),
            fmt(self.percentile(90.0)),
            ack,
            self.transcripts
        );
        // histogram in 10-point bins, and category bars
        let mut bins = [0u64; 10];
        for (score, count) in self.histogram.iter().enumerate() {
            bins[(score / 10).min(9)] += count;
        }
        let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
        let _ = write!(o, "<div class=\"grid2\"><section><h2>Score distribution</h2><svg id=\"histogram\" viewBox=\"0 0 420 220\" role=\"img\" aria-label=\"score histogram\">");
        for (i, count) in bins.iter().enumerate() {
            let h = 160.0 * *count as f64 / max;
            let x = 20.0 + i as f64 * 39.0;
            let _ = write!(
                o,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"33\" height=\"{h:.1}\" fill=\"#2c6fb7\"><title>{}-{}: {count}</title></rect><text x=\"{:.1}\" y=\"205\" font-size=\"11\" text-anchor=\"middle\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{count}</text>",
                180.0 - h,
                i * 10,
                if i == 9 { 100 } else { i * 10 + 9 },
                x + 16.5,
                i * 10,
                x + 16.5,
                (176.0 - h).max(10.0)
            );
        }
        let _ = write!(o, "</svg></section><section><h2>Transcripts flagged, by category</h2><svg id=\"categories\" viewBox=\"0 0 420 220\" role=\"img\" aria-label=\"category shares\">");
        let cats: Vec<Category> = Category::ALL
            .into_iter()
            .filter(|c| *c != Category::Empathy)
            .collect();
        for (i, c) in cats.iter().enumerate() {
            let share = *self.flagged.get(c).unwrap_or(&0) as f64 / n;
            let y = 15.0 + i as f64 * 38.0;
            let color = if *c == Category::Distress {
                "#2c6fb7"
            } else {
                "#c0392b"
            };
            let _ = write!(
                o,
                "<text x=\"10\" y=\"{:.1}\" font-size=\"12\">{}</text><rect x=\"110\" y=\"{:.1}\" width=\"{:.1}\" height=\"20\" fill=\"{color}\"></rect><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\">{:.1}%</text>",
                y + 14.0,
                c.as_str(),
                y,
                250.0 * share,
                115.0 + 250.0 * share,
                y + 14.0,
                100.0 * share
            );
        }
        let _ = write!(o, "</svg></section></div>");
        // agents and teams
        for (title, id, groups) in [
            ("Agents", "agents", &self.agents),
            ("Teams", "teams", &self.teams),
        ] {
            let _ = write!(o, "<h2>{title}, lowest mean score first</h2>");
            if groups.is_empty() {
                let _ = write!(o, "<p class=\"muted\">No {id} named in the input (the <code>{}</code> field).</p>", &id[..id.len() - 1]);
                continue;
            }
            let mut rows: Vec<(&String, &Group)> = groups.iter().collect();
            rows.sort_by(|a, b| a.1.mean.total_cmp(&b.1.mean).then(a.0.cmp(b.0)));
            let _ = write!(o, "<table id=\"{id}\"><thead><tr><th>name</th><th class=\"num\">transcripts</th><th class=\"num\">mean score</th><th class=\"num\">spread (sd)</th>");
            for c in &cats {
                let _ = write!(o, "<th class=\"num\">{}</th>", c.as_str());
            }
            let _ = write!(o, "</tr></thead><tbody>");
            for (name, g) in rows {
                let _ = write!(o, "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td>", esc(name), g.count, g.mean, g.std_dev());
                for c in &cats {
                    let rate = *g.flagged.get(c).unwrap_or(&0) as f64 / g.count as f64;
                    let _ = write!(o, "<td class=\"num\">{:.0}%</td>", 100.0 * rate);
                }
                let _ = write!(o, "</tr>");
            }
            let _ = write!(o, "</tbody></table>");
        }
        // top phrases
        let _ = write!(o, "<h2>Most frequent flagged phrases</h2><table id=\"phrases\"><thead><tr><th>rule</th><th>phrase</th><th class=\"num\">count</th><th>example</th></tr></thead><tbody>");
        for (rule, list) in self.top_phrases() {
            for (phrase, count, example) in list {
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td>{}</td><td class=\"num\">{count}</td><td>{}</td></tr>",
                    esc(rule),
                    esc(phrase),
                    esc(example)
                );
            }
        }
        let _ = write!(o, "</tbody></table>");
        // worst transcripts
        let _ = write!(
            o,
            "<h2>Lowest-scoring transcripts</h2><section id=\"worst\">"
        );
        for w in &self.worst {
            let _ = write!(
                o,
                "<div class=\"conv\"><b>{}</b> <span class=\"tag\">score {}/100</span>",
                esc(&w.id),
                w.score
            );
            for (i, (role, text)) in w.turns.iter().enumerate() {
                let _ = write!(
                    o,
                    "<div class=\"turn\"><span class=\"role\">{role}</span>{}</div>",
                    highlight(text, w.marks.iter().filter(|m| m.0 == i))
                );
            }
            let _ = write!(o, "</div>");
        }
        let _ = write!(o, "</section><p class=\"muted\">Marked: <mark class=\"issue\">issue</mark> <mark class=\"strength\">strength</mark> <mark class=\"signal\">customer distress</mark>; hover a mark for its rule.</p></main></body></html>");
        o.push('\n');
        o
    }
}

/// The turn's text with its findings wrapped in `<mark>` (overlaps: the
/// earlier mark wins; empathy gaps, which cover a whole sentence, are left out).
fn highlight<'a>(
    text: &str,
    marks: impl Iterator<Item = &'a (usize, usize, usize, &'static str, Kind, &'static str)>,
) -> String {
    let mut spans: Vec<&(usize, usize, usize, &str, Kind, &str)> = marks
        .filter(|m| {
            !m.3.starts_with("empathy_gap")
                && m.1 < m.2
                && text.is_char_boundary(m.1)
                && text.is_char_boundary(m.2.min(text.len()))
        })
        .collect();
    spans.sort_by_key(|m| (m.1, std::cmp::Reverse(m.2)));
    let mut out = String::new();
    let mut at = 0;
    for m in spans {
        let (start, end) = (m.1, m.2.min(text.len()));
        if start < at {
            continue;
        }
        out.push_str(&esc(&text[at..start]));
        let class = m.4.as_str();
        let _ = write!(
            out,
            "<mark class=\"{class}\" title=\"{}: {}\">{}</mark>",
            esc(m.3),
            esc(m.5),
            esc(&text[start..end])
        );
        at = end;
    }
    out.push_str(&esc(&text[at..]));
    out
}
