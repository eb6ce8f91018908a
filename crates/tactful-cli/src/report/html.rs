//! The report as one self-contained HTML page: inline CSS and SVG, no
//! scripts, nothing fetched. Transcripts are shown as excerpts: each finding
//! with a few turns around it, long turns cut around the flagged phrase.

use super::{duration, nearest_rank, Aggregate, Group, Mark, Shown, RECOVERY};
use std::fmt::Write as _;
use tactful::{Category, Kind, Role};

/// Turns shown before and after a flagged turn of a lowest-scoring transcript.
const TURNS_BEFORE: usize = 2;
const TURNS_AFTER: usize = 1;
/// Characters kept on each side of the findings of a flagged turn, and of a
/// turn shown for context.
const CHARS_AROUND: usize = 240;
/// The same for the example of a phrase: one turn before, less text.
const EXAMPLE_TURNS_BEFORE: usize = 1;
const EXAMPLE_CHARS_AROUND: usize = 160;

/// Some turns of a transcript around some of its findings.
#[derive(Debug, Clone)]
pub(super) struct Excerpt {
    /// How many turns the transcript has.
    total_turns: usize,
    turns: Vec<ExcerptTurn>,
}

/// One turn of an [`Excerpt`]: its text, or the part of it around the
/// findings, with the marks that lie inside that part.
#[derive(Debug, Clone)]
struct ExcerptTurn {
    index: usize,
    role: Role,
    text: String,
    cut_before: bool,
    cut_after: bool,
    /// Marks inside `text`, offsets relative to it.
    marks: Vec<Mark>,
    /// Personal data inside `text` (with redaction), offsets relative to it.
    pii: Vec<crate::redact::Found>,
    /// The findings this excerpt is about that lie in this turn, listed
    /// under it (rule id and message).
    listed: Vec<Mark>,
}

impl Excerpt {
    /// The turns of `shown` around its marks `focus` (indexes into
    /// `shown.marks`): each flagged turn cut to a few hundred characters
    /// around its findings, with a few turns before and after it.
    pub(super) fn of(shown: &Shown, focus: &[usize]) -> Excerpt {
        Excerpt::around(shown, focus, EXAMPLE_TURNS_BEFORE, 0, EXAMPLE_CHARS_AROUND)
    }

    /// The excerpt of a lowest-scoring transcript: every issue finding.
    fn of_issues(shown: &Shown) -> Excerpt {
        let focus: Vec<usize> = (0..shown.marks.len())
            .filter(|&i| shown.marks[i].kind == Kind::Issue)
            .collect();
        Excerpt::around(shown, &focus, TURNS_BEFORE, TURNS_AFTER, CHARS_AROUND)
    }

    fn around(
        shown: &Shown,
        focus: &[usize],
        before: usize,
        after: usize,
        chars: usize,
    ) -> Excerpt {
        let n = shown.turns.len();
        let focus: Vec<Mark> = focus
            .iter()
            .filter_map(|&i| shown.marks.get(i).copied())
            .filter(|m| m.turn < n)
            .collect();
        let mut included = vec![false; n];
        let mut flagged = vec![false; n];
        for m in &focus {
            flagged[m.turn] = true;
            let (from, to) = (m.turn.saturating_sub(before), (m.turn + after).min(n - 1));
            included[from..=to].iter_mut().for_each(|x| *x = true);
        }
        let mut turns = Vec::new();
        for (index, (role, text)) in shown.turns.iter().enumerate() {
            if !included[index] {
                continue;
            }
            let listed: Vec<Mark> = focus.iter().filter(|m| m.turn == index).copied().collect();
            let (from, to) = if flagged[index] {
                let start = listed.iter().map(|m| m.start).min().unwrap_or(0);
                let end = listed.iter().map(|m| m.end).max().unwrap_or(0);
                (
                    back_chars(text, start, chars),
                    forward_chars(text, end, chars),
                )
            } else if flagged[index + 1..n.min(index + 1 + before)]
                .iter()
                .any(|&f| f)
            {
                // context before a flagged turn: its end
                (back_chars(text, text.len(), chars), text.len())
            } else {
                // context after one: its start
                (0, forward_chars(text, 0, chars))
            };
            let marks = shown
                .marks
                .iter()
                .filter(|m| m.turn == index && from <= m.start && m.end <= to)
                .map(|m| Mark {
                    start: m.start - from,
                    end: m.end - from,
                    ..*m
                })
                .collect();
            let pii = shown
                .pii
                .get(index)
                .into_iter()
                .flatten()
                .filter(|f| f.end > from && f.start < to)
                .map(|f| crate::redact::Found {
                    start: f.start.max(from) - from,
                    end: f.end.min(to) - from,
                    kind: f.kind,
                })
                .collect();
            turns.push(ExcerptTurn {
                index,
                role: *role,
                pii,
                text: text[from..to].to_string(),
                cut_before: from > 0,
                cut_after: to < text.len(),
                marks,
                listed,
            });
        }
        Excerpt {
            total_turns: n,
            turns,
        }
    }

    /// The excerpt as HTML: the turns shown, a line for the turns left out
    /// between them, and under each flagged turn its findings (rule id and
    /// message, visible in print too).
    fn html(&self, o: &mut String) {
        let mut next = 0;
        for t in &self.turns {
            gap(o, t.index - next);
            next = t.index + 1;
            let _ = write!(
                o,
                "<div class=\"turn\"><span class=\"role\">{}</span><span class=\"tn\">turn {}</span>{}{}{}</div>",
                t.role,
                t.index,
                if t.cut_before { "… " } else { "" },
                highlight(&t.text, &t.marks, &t.pii),
                if t.cut_after { " …" } else { "" },
            );
            if !t.listed.is_empty() {
                let _ = write!(o, "<ul class=\"found\">");
                for m in &t.listed {
                    let _ = write!(
                        o,
                        "<li class=\"{}\"><code class=\"rule\">{}</code> {}</li>",
                        m.kind.as_str(),
                        esc(m.rule),
                        esc(m.message)
                    );
                }
                let _ = write!(o, "</ul>");
            }
        }
        gap(o, self.total_turns.saturating_sub(next));
    }
}

/// A line standing for `n` turns left out of an excerpt.
fn gap(o: &mut String, n: usize) {
    if n > 0 {
        let _ = write!(
            o,
            "<div class=\"gap\">… {n} turn{} not shown …</div>",
            if n == 1 { "" } else { "s" }
        );
    }
}

/// The byte offset `n` characters before `at` in `text` (or 0).
fn back_chars(text: &str, at: usize, n: usize) -> usize {
    let at = floor_boundary(text, at);
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// The byte offset `n` characters after `at` in `text` (or its length).
fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    let at = floor_boundary(text, at);
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// `at`, moved back to a character boundary of `text` if it is not one.
fn floor_boundary(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
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
h3{font-size:15px;margin:0 0 6px}
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
.tn{font-size:12px;color:var(--muted);margin-right:6px}
.gap{font-size:12px;color:var(--muted);font-style:italic;margin:4px 0}
mark{background:none;border-bottom:3px solid;padding:0 1px}
mark.issue{border-color:var(--issue);background:#fbe9e7}mark.strength{border-color:var(--strength);background:#e8f5ee}mark.signal{border-color:var(--signal);background:#e8f0fa}
sup.rule{font-size:10px;color:var(--muted);margin-left:2px}
ul.found{margin:2px 0 10px;padding-left:20px;font-size:13px}ul.found li.issue code{color:var(--issue)}
code.rule{font-weight:600}
.tag{font-size:12px;color:var(--muted)}
@media print{body{background:#fff}main{max-width:none;padding:0}.conv,table,svg{break-inside:avoid}a{color:inherit;text-decoration:none}}
";

impl Aggregate {
    /// The report as one self-contained HTML page: inline CSS and SVG, no
    /// scripts, nothing fetched.
    pub fn html(&self) -> String {
        let mut o = String::new();
        let _ = write!(
            o,
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>tactful report</title><style>{CSS}</style></head><body><main>"
        );
        let _ = write!(o, "<h1>tactful report</h1><p class=\"muted\">{} transcripts, {} turns, {} input errors</p>", self.transcripts, self.turns, self.errors);
        self.html_cards(&mut o);
        let _ = write!(o, "<div class=\"grid2\">");
        self.html_histogram(&mut o);
        self.html_categories(&mut o);
        let _ = write!(o, "</div>");
        self.html_topics(&mut o);
        self.html_groups(&mut o);
        self.html_phrases(&mut o);
        self.html_lowest(&mut o);
        let _ = write!(o, "<p class=\"muted\">Marked: <mark class=\"issue\">issue</mark> <mark class=\"strength\">strength</mark> <mark class=\"signal\">customer distress</mark>; each mark is followed by its rule id.</p></main></body></html>");
        o.push('\n');
        o
    }

    /// The summary cards: mean, median, p10/p90, distress acknowledged.
    fn html_cards(&self, o: &mut String) {
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
    }

    /// The score histogram: ten-point bins from 0–9 to 90–99, and a bar of
    /// its own for 100 (often the largest: it would hide in 90–100).
    fn html_histogram(&self, o: &mut String) {
        let mut bins = [0u64; 11];
        for (score, count) in self.histogram.iter().enumerate() {
            bins[(score / 10).min(10)] += count;
        }
        let max = bins.iter().copied().max().unwrap_or(0).max(1) as f64;
        let _ = write!(o, "<section><h2>Score distribution</h2><svg id=\"histogram\" viewBox=\"0 0 420 220\" role=\"img\" aria-label=\"score histogram\">");
        for (i, count) in bins.iter().enumerate() {
            let h = 160.0 * *count as f64 / max;
            let x = 14.0 + i as f64 * 36.0;
            let label = if i == 10 {
                "100".to_string()
            } else {
                format!("{}–{}", i * 10, i * 10 + 9)
            };
            let _ = write!(
                o,
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"30\" height=\"{h:.1}\" fill=\"{}\"><title>{label}: {count}</title></rect><text x=\"{:.1}\" y=\"205\" font-size=\"10\" text-anchor=\"middle\">{label}</text><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{count}</text>",
                180.0 - h,
                if i == 10 { "#1e824c" } else { "#2c6fb7" },
                x + 15.0,
                x + 15.0,
                (176.0 - h).max(10.0)
            );
        }
        let _ = write!(o, "</svg></section>");
    }

    /// The share of transcripts flagged in each category, as bars.
    fn html_categories(&self, o: &mut String) {
        let n = self.transcripts.max(1) as f64;
        let _ = write!(o, "<section><h2>Transcripts flagged, by category</h2><svg id=\"categories\" viewBox=\"0 0 420 220\" role=\"img\" aria-label=\"category shares\">");
        for (i, c) in categories().iter().enumerate() {
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
        let _ = write!(o, "</svg></section>");
    }

    /// The agent and team tables, lowest mean score first.
    fn html_groups(&self, o: &mut String) {
        let cats = categories();
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
            for r in RECOVERY {
                let _ = write!(o, "<th class=\"num\">{r}</th>");
            }
            let _ = write!(o, "<th class=\"num\">first reply, median</th><th class=\"num\">first reply, p90</th></tr></thead><tbody>");
            for (name, g) in rows {
                let _ = write!(o, "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.1}</td><td class=\"num\">{:.1}</td>", esc(name), g.count, g.mean, g.std_dev());
                for c in &cats {
                    let rate = *g.flagged.get(c).unwrap_or(&0) as f64 / g.count as f64;
                    let _ = write!(o, "<td class=\"num\">{:.0}%</td>", 100.0 * rate);
                }
                for i in 0..RECOVERY.len() {
                    let _ = write!(
                        o,
                        "<td class=\"num\">{:.0}%</td>",
                        100.0 * g.recovery_rate(i)
                    );
                }
                let mut times = g.first_responses.clone();
                times.sort_unstable();
                for p in [50.0, 90.0] {
                    let t = nearest_rank(&times, p).map_or("n/a".to_string(), duration);
                    let _ = write!(o, "<td class=\"num\">{t}</td>");
                }
                let _ = write!(o, "</tr>");
            }
            let _ = write!(o, "</tbody></table>");
        }
    }

    /// What customers contact about: count, share, share with an issue,
    /// mean score and example ids per topic, and the batch's first response
    /// times.
    fn html_topics(&self, o: &mut String) {
        let _ = write!(o, "<h2>Topics</h2>");
        let rows = self.topic_rows();
        if rows.is_empty() {
            let _ = write!(
                o,
                "<p class=\"muted\">No topic found in the customer turns.</p>"
            );
        } else {
            let n = self.transcripts.max(1) as f64;
            let _ = write!(o, "<table id=\"topics\"><thead><tr><th>topic</th><th class=\"num\">transcripts</th><th class=\"num\">share</th><th class=\"num\">with an issue</th><th class=\"num\">mean score</th><th>examples</th></tr></thead><tbody>");
            for (tag, t) in rows {
                let examples: Vec<String> = t.examples.iter().map(|e| esc(e)).collect();
                let _ = write!(
                    o,
                    "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{:.0}%</td><td class=\"num\">{:.0}%</td><td class=\"num\">{:.1}</td><td>{}</td></tr>",
                    esc(tag),
                    t.count,
                    100.0 * t.count as f64 / n,
                    100.0 * t.flagged as f64 / t.count.max(1) as f64,
                    t.score_sum as f64 / t.count.max(1) as f64,
                    examples.join(", ")
                );
            }
            let _ = write!(o, "</tbody></table>");
        }
        let mut times = self.first_responses.clone();
        times.sort_unstable();
        if let (Some(median), Some(p90)) = (nearest_rank(&times, 50.0), nearest_rank(&times, 90.0))
        {
            let _ = write!(
                o,
                "<p id=\"first-response\">First response: median {}, 90th percentile {} ({} transcripts with timestamps).</p>",
                duration(median),
                duration(p90),
                times.len()
            );
        }
    }

    /// The most frequent phrases of each rule, each example id linking to
    /// the example's excerpt below the table.
    fn html_phrases(&self, o: &mut String) {
        let top = self.top_phrases();
        let _ = write!(o, "<h2>Most frequent flagged phrases</h2><table id=\"phrases\"><thead><tr><th>rule</th><th>phrase</th><th class=\"num\">count</th><th>example</th></tr></thead><tbody>");
        let mut examples = String::new();
        let mut k = 0;
        for (rule, list) in &top {
            for (phrase, p) in list {
                let example = match &p.context {
                    Some(context) => {
                        k += 1;
                        let _ = write!(
                            examples,
                            "<article class=\"conv\" id=\"ex-{k}\"><h3><code class=\"rule\">{}</code> “{}” <span class=\"tag\">in {}</span></h3>",
                            esc(rule),
                            esc(phrase),
                            esc(&p.example)
                        );
                        context.html(&mut examples);
                        let _ = write!(examples, "</article>");
                        format!("<a href=\"#ex-{k}\">{}</a>", esc(&p.example))
                    }
                    None => esc(&p.example),
                };
                let _ = write!(
                    o,
                    "<tr><td><code class=\"rule\">{}</code></td><td>{}</td><td class=\"num\">{}</td><td>{example}</td></tr>",
                    esc(rule),
                    esc(phrase),
                    p.count
                );
            }
        }
        let _ = write!(o, "</tbody></table>");
        if !examples.is_empty() {
            let _ = write!(
                o,
                "<h2>Examples of the phrases</h2><section id=\"examples\">{examples}</section>"
            );
        }
    }

    /// The lowest-scoring transcripts: each finding with a few turns of
    /// context.
    fn html_lowest(&self, o: &mut String) {
        let _ = write!(
            o,
            "<h2>Lowest-scoring transcripts</h2><section id=\"worst\">"
        );
        for (k, w) in self.worst.iter().enumerate() {
            let issues = w.marks.iter().filter(|m| m.kind == Kind::Issue).count();
            let _ = write!(
                o,
                "<article class=\"conv\" id=\"t-{}\"><h3>{} <span class=\"tag\">score {}/100, {issues} issue{}, {} turns</span></h3>",
                k + 1,
                esc(&w.id),
                w.score,
                if issues == 1 { "" } else { "s" },
                w.turns.len()
            );
            Excerpt::of_issues(w).html(o);
            let _ = write!(o, "</article>");
        }
        let _ = write!(o, "</section>");
    }
}

/// The categories of the charts and tables: those with issues or signals.
fn categories() -> Vec<Category> {
    super::flagged_categories()
}

/// The text with its marks wrapped in `<mark>`, each followed by its rule id
/// (overlaps: the earlier mark wins; empathy gaps, which cover a whole
/// sentence, are listed under the turn rather than marked).
fn highlight(text: &str, marks: &[Mark], pii: &[crate::redact::Found]) -> String {
    let shown = |range: std::ops::Range<usize>| esc(&crate::redact::mask(text, range, pii));
    let mut spans: Vec<&Mark> = marks
        .iter()
        .filter(|m| {
            !m.rule.starts_with("empathy_gap")
                && m.start < m.end
                && m.end <= text.len()
                && text.is_char_boundary(m.start)
                && text.is_char_boundary(m.end)
        })
        .collect();
    spans.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let mut out = String::new();
    let mut at = 0;
    for m in spans {
        if m.start < at {
            continue;
        }
        out.push_str(&shown(at..m.start));
        let _ = write!(
            out,
            "<mark class=\"{}\" title=\"{}: {}\">{}</mark><sup class=\"rule\">{}</sup>",
            m.kind.as_str(),
            esc(m.rule),
            esc(m.message),
            shown(m.start..m.end),
            esc(m.rule)
        );
        at = m.end;
    }
    out.push_str(&shown(at..text.len()));
    out
}
