//! Scores: 0–100 per transcript with a per-category breakdown.
//!
//! Each judged category starts at 100 and loses points for each of its issue
//! findings by severity (by default info 5, warning 15, error 30), but never
//! goes below `100 - cap` (caps default to 100, so down to 0). Procedural,
//! excuse, apology and language (patronizing wording) are judged when the
//! transcript has an agent turn. Resolution is judged only where the
//! customer raised a problem (a customer turn with a topic or distress): each
//! vague action (`action.vague`) costs it points.
//! Empathy is judged only where the customer showed distress and an agent
//! replied: it scores the share of those replies that acknowledged it (each
//! `empathy_gap` finding is one miss). Strengths add no points. The total is
//! the weighted mean of the judged categories, rounded to the nearest integer
//! (by default empathy counts double, the others once); a category that was not judged is "not
//! applicable" (`None`) and the weights renormalize. With no agent turn the
//! score is 100 and every category is not applicable. A finding of a critical
//! rule caps the total at `critical-cap` and marks the transcript failed. All
//! of these numbers come from [`ScoreConfig`].
//!
//! Only findings of enabled rules count. If the configuration ignores every
//! `distress` rule, empathy gaps are still found but the empathy category is
//! not applicable.
//!
//! ```
//! use tactful::{Analyzer, Category, Role, Transcript, Turn};
//! let t = Transcript::new("T-1")
//!     .with_turn(Turn::new(Role::Customer, "I'm furious, my order is late."))
//!     .with_turn(Turn::new(Role::Agent, "I'm sorry, but per our policy we cannot refund."));
//! let score = Analyzer::new().analyze(&t).score;
//! // procedural: two warnings (policy_as_reason, refusal_without_alternative)
//! assert_eq!(score.categories[&Category::Procedural], Some(100 - 15 - 15));
//! assert_eq!(score.categories[&Category::Excuse], Some(100));
//! assert_eq!(score.categories[&Category::Apology], Some(100 - 15)); // apology.but
//! assert_eq!(score.categories[&Category::Empathy], Some(0)); // 0 of 1 acknowledged
//! assert_eq!(score.categories[&Category::Language], Some(100));
//! // a problem was raised (a late order) and no vague promise was made
//! assert_eq!(score.categories[&Category::Resolution], Some(100));
//! // (70 + 100 + 85 + 2 × 0 + 100 + 100) / 7 = 65
//! assert_eq!(score.total, 65);
//! ```

use crate::config::{self, ScoreConfig, SCORED};
use crate::finding::{Category, Finding, Kind, Severity};
use crate::transcript::Role;
use serde::Serialize;
use std::collections::BTreeMap;

/// A transcript's score: the total and each category's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Score {
    /// 0–100, higher is better.
    pub total: u8,
    /// Per scored category (procedural, excuse, apology, empathy, language,
    /// resolution; always all six keys): its 0–100 score, or `None` when not
    /// applicable. A category
    /// with weight 0 still gets a score but does not count in the total.
    pub categories: BTreeMap<Category, Option<u8>>,
    /// Whether a critical rule fired (the total is then capped).
    pub failed: bool,
}

/// Scores one transcript from its roles (one per turn, in order) and
/// findings.
///
/// [`crate::Analyzer`] calls this on its reports; call it yourself to
/// re-score stored findings under other settings without analyzing again.
///
/// ```
/// use tactful::{score, Analyzer, Category, Role, ScoreConfig, Transcript, Turn};
/// assert_eq!(score::score(&[], &[], &ScoreConfig::default()).total, 100);
///
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Agent, "Per our policy, refunds take 10 days."));
/// let report = Analyzer::new().analyze(&t);
/// let roles: Vec<Role> = t.turns.iter().map(|turn| turn.role).collect();
/// let mut strict = ScoreConfig::default();
/// strict.critical.push("procedural".into());
/// let s = score::score(&roles, &report.findings, &strict);
/// assert!(s.failed && s.total == 0);
/// assert_eq!(s.categories[&Category::Procedural], report.score.categories[&Category::Procedural]);
/// ```
pub fn score(roles: &[Role], findings: &[Finding], config: &ScoreConfig) -> Score {
    let problem = findings.iter().any(|f| f.category == Category::Distress);
    score_with(roles, findings, problem, config)
}

/// Scores like [`score`], saying whether the customer raised a problem
/// (`problem`), which decides whether resolution is judged. The analyzer
/// passes whether a customer turn carries a topic or distress; [`score`]
/// passes whether a distress finding is among `findings`.
///
/// ```
/// use tactful::{score, Analyzer, Category, Role, ScoreConfig, Transcript, Turn};
/// let t = Transcript::new("T-1")
///     .with_turn(Turn::new(Role::Customer, "My parcel never arrived."))
///     .with_turn(Turn::new(Role::Agent, "We'll look into it."));
/// let report = Analyzer::new().analyze(&t);
/// assert_eq!(report.topics, ["delivery"]);
/// let roles: Vec<Role> = t.turns.iter().map(|turn| turn.role).collect();
/// let config = ScoreConfig::default();
/// let judged = score::score_with(&roles, &report.findings, true, &config);
/// assert_eq!(judged, report.score);
/// assert!(judged.categories[&Category::Resolution].unwrap() < 100);
/// let not = score::score_with(&roles, &report.findings, false, &config);
/// assert_eq!(not.categories[&Category::Resolution], None);
/// ```
pub fn score_with(
    roles: &[Role],
    findings: &[Finding],
    problem: bool,
    config: &ScoreConfig,
) -> Score {
    score_by(roles, findings, problem, &ScoreTable::new(config), config)
}

/// A [`ScoreConfig`]'s numbers read into arrays once (the analyzer keeps
/// one beside its configuration): its maps' look-ups cost about as much as
/// the rest of scoring a short transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScoreTable {
    /// [`ScoreConfig::penalty`] of info, warning and error.
    penalty: [u32; 3],
    /// [`ScoreConfig::weight`] of each category of [`SCORED`], in its order.
    weight: [u32; SCORED.len()],
    /// [`ScoreConfig::cap`] of each category of [`SCORED`], in its order.
    cap: [u32; SCORED.len()],
}

impl ScoreTable {
    /// `config`'s penalties, weights and caps.
    pub(crate) fn new(config: &ScoreConfig) -> ScoreTable {
        ScoreTable {
            penalty: [Severity::Info, Severity::Warning, Severity::Error]
                .map(|s| config.penalty(s)),
            weight: SCORED.map(|c| config.weight(c)),
            cap: SCORED.map(|c| config.cap(c)),
        }
    }

    /// The points an issue of severity `s` costs.
    fn penalty(&self, s: Severity) -> u32 {
        match s {
            Severity::Info => self.penalty[0],
            Severity::Warning => self.penalty[1],
            Severity::Error => self.penalty[2],
        }
    }
}

/// The place of `c` in [`SCORED`] (`None` for a category with no score),
/// as `SCORED.iter().position` gives it.
fn scored_slot(c: Category) -> Option<usize> {
    match c {
        Category::Procedural => Some(0),
        Category::Excuse => Some(1),
        Category::Apology => Some(2),
        Category::Empathy => Some(3),
        Category::Language => Some(4),
        Category::Resolution => Some(5),
        _ => None,
    }
}

/// [`score_with`] with `config`'s numbers read into `table`
/// (`ScoreTable::new(config)`); `config` still gives the critical rules.
pub(crate) fn score_by(
    roles: &[Role],
    findings: &[Finding],
    problem: bool,
    table: &ScoreTable,
    config: &ScoreConfig,
) -> Score {
    let has_agent = roles.contains(&Role::Agent);
    // points lost per scored category, in one pass over the findings
    let mut lost = [0u32; SCORED.len()];
    for f in findings.iter().filter(|f| f.kind == Kind::Issue) {
        // vague actions count against resolution
        let category = match f.category {
            Category::Action => Category::Resolution,
            c => c,
        };
        if let Some(i) = scored_slot(category) {
            lost[i] = lost[i].saturating_add(table.penalty(f.severity));
        }
    }
    // (the six entries are gathered, then the map built at once from them:
    // six inserts cost about twice as much, one search and one node step each)
    let mut entries = SCORED.map(|c| (c, None));
    let (mut sum, mut weight) = (0u64, 0u64);
    for (i, category) in SCORED.into_iter().enumerate() {
        let value = if !has_agent {
            None
        } else if category == Category::Empathy {
            empathy_score(roles, findings)
        } else if category == Category::Resolution && !problem {
            None
        } else {
            Some((100 - lost[i].min(table.cap[i])) as u8)
        };
        let w = u64::from(table.weight[i]);
        if let Some(v) = value {
            sum += u64::from(v) * w;
            weight += w;
        }
        entries[i].1 = value;
    }
    let categories = BTreeMap::from(entries);
    let mut total = (sum + weight / 2)
        .checked_div(weight)
        .map_or(100, |t| t as u8);
    let failed = !config.critical.is_empty()
        && findings
            .iter()
            .any(|f| config::names(&config.critical, f.rule));
    if failed {
        total = total.min(config.critical_cap);
    }
    Score {
        total,
        categories,
        failed,
    }
}

/// How many distressed customer turns (groups of consecutive customer turns)
/// got an agent reply, and how many of those replies missed the distress
/// (`empathy_gap` findings): the inputs of the empathy score.
pub fn empathy_counts(roles: &[Role], findings: &[Finding]) -> (usize, usize) {
    let judged = distressed_with_reply(roles, findings);
    let missed = findings
        .iter()
        .filter(|f| f.category == Category::EmpathyGap)
        .count()
        .min(judged);
    (judged, missed)
}

/// Share of distressed customer turns whose agent reply acknowledged them:
/// judged = distressed groups with a reply; each `empathy_gap` finding is a
/// miss weighed by its severity (error 1, warning 1/2, info 1/4: a gap after
/// mild distress costs less than one after strong distress).
fn empathy_score(roles: &[Role], findings: &[Finding]) -> Option<u8> {
    let judged = distressed_with_reply(roles, findings);
    if judged == 0 {
        return None;
    }
    // in quarters of a miss
    let missed: usize = findings
        .iter()
        .filter(|f| f.category == Category::EmpathyGap)
        .map(|f| match f.severity {
            Severity::Error => 4,
            Severity::Warning => 2,
            Severity::Info => 1,
        })
        .sum::<usize>()
        .min(4 * judged);
    Some((100 * (4 * judged - missed) / (4 * judged)) as u8)
}

fn distressed_with_reply(roles: &[Role], findings: &[Finding]) -> usize {
    if !findings.iter().any(|f| f.category == Category::Distress) {
        return 0;
    }
    // which turns show distress, in one pass over the findings (not one per
    // turn: a transcript of many turns would cost their product)
    // (flags in a word, not a vector: see `TurnFlags`)
    let mut distressed = crate::rules::empathy_gap::TurnFlags::new(roles.len());
    for f in findings {
        if f.category == Category::Distress && f.turn < roles.len() {
            distressed.set(f.turn);
        }
    }
    let mut judged = 0;
    let mut pending = false;
    for (i, &role) in roles.iter().enumerate() {
        match role {
            Role::System => {}
            Role::Customer => {
                pending |= distressed.get(i);
            }
            Role::Agent => {
                if pending {
                    judged += 1;
                }
                pending = false;
            }
        }
    }
    judged
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_score_table_holds_what_the_config_maps_give() {
        // every category finds its place in `SCORED` as a search would
        for c in Category::ALL {
            assert_eq!(scored_slot(c), SCORED.iter().position(|&s| s == c), "{c:?}");
        }
        let mut config = ScoreConfig::default();
        let table = |config: &ScoreConfig| {
            let t = ScoreTable::new(config);
            for s in [Severity::Info, Severity::Warning, Severity::Error] {
                assert_eq!(t.penalty(s), config.penalty(s));
            }
            for (i, c) in SCORED.into_iter().enumerate() {
                assert_eq!(t.weight[i], config.weight(c));
                assert_eq!(t.cap[i], config.cap(c));
            }
        };
        table(&config);
        // missing entries, caps over 100, a category with no score
        config.weights.remove(&Category::Empathy);
        config.weights.insert(Category::Distress, 7);
        config.penalties.remove(&Severity::Warning);
        config.caps.insert(Category::Excuse, 40);
        config.caps.insert(Category::Language, 250);
        table(&config);
        config.weights.clear();
        config.penalties.clear();
        table(&config);
    }

    /// Scoring as it was before the table: each number looked up in the
    /// config's maps.
    fn by_maps(roles: &[Role], findings: &[Finding], problem: bool, config: &ScoreConfig) -> Score {
        let has_agent = roles.contains(&Role::Agent);
        let mut lost = [0u32; SCORED.len()];
        for f in findings.iter().filter(|f| f.kind == Kind::Issue) {
            let category = match f.category {
                Category::Action => Category::Resolution,
                c => c,
            };
            if let Some(i) = SCORED.iter().position(|&c| c == category) {
                lost[i] = lost[i].saturating_add(config.penalty(f.severity));
            }
        }
        let mut categories = BTreeMap::new();
        let (mut sum, mut weight) = (0u64, 0u64);
        for (i, category) in SCORED.into_iter().enumerate() {
            let value = if !has_agent {
                None
            } else if category == Category::Empathy {
                empathy_score(roles, findings)
            } else if category == Category::Resolution && !problem {
                None
            } else {
                Some((100 - lost[i].min(config.cap(category))) as u8)
            };
            let w = u64::from(config.weight(category));
            if let Some(v) = value {
                sum += u64::from(v) * w;
                weight += w;
            }
            categories.insert(category, value);
        }
        let mut total = (sum + weight / 2)
            .checked_div(weight)
            .map_or(100, |t| t as u8);
        let failed = findings
            .iter()
            .any(|f| config::names(&config.critical, f.rule));
        if failed {
            total = total.min(config.critical_cap);
        }
        Score {
            total,
            categories,
            failed,
        }
    }

    #[test]
    fn scoring_by_the_table_equals_scoring_by_the_config() {
        use crate::{Analyzer, Transcript, Turn};
        let t = Transcript::new("T-1")
            .with_turn(Turn::new(Role::Customer, "I'm furious, my order is late."))
            .with_turn(Turn::new(
                Role::Agent,
                "I'm sorry, but per our policy we cannot refund. We'll look into it.",
            ));
        let report = Analyzer::new().analyze(&t);
        let roles: Vec<Role> = t.turns.iter().map(|turn| turn.role).collect();
        let mut configs = vec![ScoreConfig::default()];
        let mut c = ScoreConfig::default();
        c.caps.insert(Category::Procedural, 20);
        c.weights.insert(Category::Resolution, 3);
        c.critical.push("procedural".into());
        c.critical_cap = 40;
        configs.push(c);
        for config in &configs {
            for problem in [false, true] {
                for roles in [&roles[..], &roles[..1], &[]] {
                    let by = score_by(
                        roles,
                        &report.findings,
                        problem,
                        &ScoreTable::new(config),
                        config,
                    );
                    assert_eq!(by, by_maps(roles, &report.findings, problem, config));
                }
            }
        }
    }
}
