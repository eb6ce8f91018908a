//! `empathy_gap.*`: a distressed customer met with no acknowledgment.

use crate::distress::TurnDistress;
use crate::finding::{Category, Finding, Kind, Upset};
use crate::rule::declare_rule;
use crate::transcript::Role;

declare_rule! {
    /// ## What it flags
    /// A customer turn shows distress (`distress.*`) and the agent's next turn
    /// contains no acknowledgment: no `empathy.*` finding and no
    /// `apology.sincere`. The finding is on that reply's first turn and spans
    /// its first sentence.
    ///
    /// ## How turns are judged
    /// Consecutive turns of one role count as one turn (a reply split over
    /// several messages is judged as a whole); system and bot turns are
    /// skipped. The first agent reply after a distressed customer turn is
    /// judged; a later acknowledgment does not undo a miss, a new distressed
    /// turn is judged afresh, and distress in the last turn with no reply after
    /// it is no gap. The finding's severity is the rule's (error) when the
    /// distress it answered was strong, one level lower when it was milder
    /// (see the `[distress]` settings), so it costs the empathy score less. A scripted, conditional, deflecting or "but" apology is not
    /// an acknowledgment, nor are thanks or reassurance.
    ///
    /// ## Example
    /// Customer: "Third time I'm writing, this is ridiculous!!"
    /// Flagged reply: "Please send your order number."
    /// Better: "I'm sorry you've had to chase us three times. Could you send
    /// your order number so I can fix this now?"
    NO_ACKNOWLEDGMENT {
        id: "empathy_gap.no_acknowledgment",
        category: EmpathyGap,
        kind: Issue,
        severity: Error,
        role: Agent,
        summary: "a distressed customer's next reply has no acknowledgment",
        message: "The customer was upset and this reply does not acknowledge it.",
        suggestion: Some("Acknowledge first: \"I can see how frustrating this has been, and I'm sorry.\" Then the fix."),
    }
}

/// A run of consecutive turns by one role (system turns skipped).
#[derive(Debug, Clone, Copy)]
struct Group {
    role: Role,
    first: usize,
    last: usize,
}

/// Judges each distressed customer group against the next agent group and
/// returns the agent turns (first of their group) that missed it, each with
/// the highest distress score in the group it answered and that turn's
/// strongest evidence.
///
/// `findings` are the transcript's turn-level findings so far, `distress`
/// its customer turns' scores.
/// An agent reply that missed the customer's distress.
pub(crate) struct Missed {
    /// The reply's first turn.
    pub reply: usize,
    /// The highest distress score of the customer turns it answers.
    pub peak: u8,
    /// The turn with that score and its strongest evidence.
    pub upset: Option<Upset>,
}

/// The distress rules in the order their evidence is named when a turn has
/// several: threats, criticism of the company, chasing, feelings, stakes,
/// tone, the word model's reading, then intensity marks.
const EVIDENCE_ORDER: [&str; 10] = [
    "distress.legal_threat",
    "distress.public_threat",
    "distress.churn_threat",
    "distress.criticism",
    "distress.repeat_contact",
    "distress.emotion",
    "distress.stakes",
    "distress.tone",
    "distress.implied",
    "distress.intensity",
];

/// The strongest `distress.*` finding of `turn` (by [`EVIDENCE_ORDER`],
/// then the first in the text), as the [`Upset`] an `empathy_gap` finding
/// names.
pub(crate) fn upset_in(findings: &[Finding], turn: usize, score: u8) -> Option<Upset> {
    let rank = |f: &Finding| {
        EVIDENCE_ORDER
            .iter()
            .position(|r| *r == f.rule)
            .unwrap_or(EVIDENCE_ORDER.len())
    };
    findings
        .iter()
        .filter(|f| f.turn == turn && f.category == Category::Distress)
        .min_by_key(|f| (rank(f), f.span.start))
        .map(|f| Upset {
            turn,
            score,
            rule: f.rule,
            span: f.span,
        })
}

pub(crate) fn missed_turns(
    roles: &[Role],
    findings: &[Finding],
    distress: &[TurnDistress],
) -> Vec<Missed> {
    // no distress, no gap (and nothing to allocate, the usual case)
    if !findings.iter().any(|f| f.category == Category::Distress) {
        return Vec::new();
    }
    let mut groups: Vec<Group> = Vec::new();
    for (i, &role) in roles.iter().enumerate() {
        if role == Role::System {
            continue;
        }
        match groups.last_mut() {
            Some(g) if g.role == role => g.last = i,
            _ => groups.push(Group {
                role,
                first: i,
                last: i,
            }),
        }
    }
    // per turn, whether it shows distress or acknowledges it: one pass over
    // the findings (not one per group: many turns would cost their product)
    let (mut upset, mut ack) = (vec![false; roles.len()], vec![false; roles.len()]);
    for f in findings {
        if f.turn >= roles.len() {
            continue;
        }
        if f.category == Category::Distress {
            upset[f.turn] = true;
        }
        if (f.category == Category::Empathy && f.kind == Kind::Strength)
            || f.rule == super::apology::SINCERE.id
        {
            ack[f.turn] = true;
        }
    }
    let in_group = |g: &Group, flags: &[bool]| flags[g.first..=g.last].contains(&true);
    let distress_at = |turn: usize| upset[turn];
    let mut missed = Vec::new();
    for (k, g) in groups.iter().enumerate() {
        if g.role != Role::Customer {
            continue;
        }
        if !in_group(g, &upset) {
            continue;
        }
        let Some(reply) = groups[k + 1..].iter().find(|r| r.role == Role::Agent) else {
            continue;
        };
        let acknowledged = in_group(reply, &ack);
        if !acknowledged {
            // the group's most distressed turn (the first upset one if no
            // score is known)
            let peak = distress
                .iter()
                .filter(|d| (g.first..=g.last).contains(&d.turn) && distress_at(d.turn))
                .fold(None, |best: Option<(usize, u8)>, d| match best {
                    Some((_, s)) if s >= d.score => best,
                    _ => Some((d.turn, d.score)),
                })
                .or_else(|| (g.first..=g.last).find(|&t| upset[t]).map(|t| (t, 100)));
            let (peak_turn, peak) = peak.unwrap_or((g.first, 100));
            missed.push(Missed {
                reply: reply.first,
                peak,
                upset: upset_in(findings, peak_turn, peak),
            });
        }
    }
    missed
}
