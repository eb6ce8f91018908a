//! Scores: 0–100 per transcript with a per-category breakdown.
//!
//! Each judged category starts at 100 and loses points for each of its issue
//! findings by severity (by default info 5, warning 15, error 30), down to
//! `100 - cap` (by default 0). Procedural, excuse and apology are judged when
//! the transcript has an agent turn. Empathy is judged only where the customer
//! showed distress and an agent replied: it scores the share of those replies
//! that acknowledged it. The total is the weighted mean of the judged
//! categories (by default empathy counts double); a category that was not
//! judged is "not applicable" and the weights renormalize. With no agent turn
//! the score is 100 and every category is not applicable. A finding of a
//! critical rule caps the total at `critical-cap` and marks the transcript
//! failed. All of these numbers come from [`ScoreConfig`].

use crate::config::{self, ScoreConfig, SCORED};
use crate::finding::{Category, Finding, Kind};
use crate::transcript::Role;
use serde::Serialize;
use std::collections::BTreeMap;

/// A transcript's score: the total and each category's part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Score {
    /// 0–100, higher is better.
    pub total: u8,
    /// Per scored category: its 0–100 score, or `None` when not applicable.
    pub categories: BTreeMap<Category, Option<u8>>,
    /// Whether a critical rule fired (the total is then capped).
    pub failed: bool,
}

/// Scores one transcript from its roles and findings.
///
/// ```
/// use tactful::{score, ScoreConfig};
/// let s = score::score(&[], &[], &ScoreConfig::default());
/// assert_eq!(s.total, 100);
/// ```
pub fn score(roles: &[Role], findings: &[Finding], config: &ScoreConfig) -> Score {
    let has_agent = roles.contains(&Role::Agent);
    let mut categories = BTreeMap::new();
    let (mut sum, mut weight) = (0u64, 0u64);
    for category in SCORED {
        let value = if !has_agent {
            None
        } else if category == Category::Empathy {
            empathy_score(roles, findings)
        } else {
            let lost: u32 = findings
                .iter()
                .filter(|f| f.category == category && f.kind == Kind::Issue)
                .map(|f| config.penalty(f.severity))
                .fold(0u32, u32::saturating_add);
            let lost = lost.min(config.cap(category));
            Some((100 - lost) as u8)
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

/// How many distressed customer turns (groups) got an agent reply, and how
/// many of those replies missed the distress (`empathy_gap` findings).
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
/// judged = distressed groups with a reply; missed = `empathy_gap` findings.
fn empathy_score(roles: &[Role], findings: &[Finding]) -> Option<u8> {
    let judged = distressed_with_reply(roles, findings);
    if judged == 0 {
        return None;
    }
    let missed = findings
        .iter()
        .filter(|f| f.category == Category::EmpathyGap)
        .count()
        .min(judged);
    Some((100 * (judged - missed) / judged) as u8)
}

fn distressed_with_reply(roles: &[Role], findings: &[Finding]) -> usize {
    // which turns show distress, in one pass over the findings (not one per
    // turn: a transcript of many turns would cost their product)
    let mut distressed = vec![false; roles.len()];
    for f in findings {
        if f.category == Category::Distress {
            if let Some(d) = distressed.get_mut(f.turn) {
                *d = true;
            }
        }
    }
    let mut judged = 0;
    let mut pending = false;
    for (i, &role) in roles.iter().enumerate() {
        match role {
            Role::System => {}
            Role::Customer => {
                pending |= distressed[i];
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
