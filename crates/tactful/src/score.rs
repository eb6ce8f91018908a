//! Scores: 0–100 per transcript with a per-category breakdown.
//!
//! Each judged category starts at 100 and loses points per issue finding by
//! severity (info 5, warning 15, error 30), floored at 0. Procedural, excuse and
//! apology are judged when the transcript has an agent turn; empathy is judged
//! only where the customer showed distress and an agent replied, and scores the
//! share of those replies that acknowledged it. The total is the weighted mean
//! of the judged categories (empathy counts double); a category that was not
//! judged is "not applicable" and the weights renormalize. With no agent turn
//! the score is 100 and every category is not applicable.

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
    /// Per judged category: its 0–100 score, or `None` when not applicable.
    pub categories: BTreeMap<Category, Option<u8>>,
}

/// Points lost per issue finding of this severity.
pub fn penalty(severity: Severity) -> u32 {
    match severity {
        Severity::Info => 5,
        Severity::Warning => 15,
        Severity::Error => 30,
    }
}

/// The judged categories and their weights.
const WEIGHTS: [(Category, u32); 4] = [
    (Category::Procedural, 1),
    (Category::Excuse, 1),
    (Category::Apology, 1),
    (Category::Empathy, 2),
];

/// Scores one transcript from its roles and findings.
pub fn score(roles: &[Role], findings: &[Finding]) -> Score {
    let has_agent = roles.contains(&Role::Agent);
    let mut categories = BTreeMap::new();
    let (mut sum, mut weight) = (0u32, 0u32);
    for (category, w) in WEIGHTS {
        let value = if !has_agent {
            None
        } else if category == Category::Empathy {
            empathy_score(roles, findings)
        } else {
            let lost: u32 = findings
                .iter()
                .filter(|f| f.category == category && f.kind == Kind::Issue)
                .map(|f| penalty(f.severity))
                .sum();
            Some(100u32.saturating_sub(lost) as u8)
        };
        if let Some(v) = value {
            sum += u32::from(v) * w;
            weight += w;
        }
        categories.insert(category, value);
    }
    let total = (sum + weight / 2)
        .checked_div(weight)
        .map_or(100, |t| t as u8);
    Score { total, categories }
}

/// Share of distressed customer groups whose agent reply acknowledged them:
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
    let mut judged = 0;
    let mut pending = false;
    let mut prev: Option<Role> = None;
    for (i, &role) in roles.iter().enumerate() {
        if role == Role::System {
            continue;
        }
        if role == Role::Customer
            && findings
                .iter()
                .any(|f| f.turn == i && f.category == Category::Distress)
        {
            pending = true;
        }
        if role == Role::Agent && prev == Some(Role::Customer) && pending {
            judged += 1;
            pending = false;
        }
        if role == Role::Agent {
            pending = false;
        }
        prev = Some(role);
    }
    judged
}
