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

/// Whether an agent reply opens by laughing ("Ha, tell me about it.",
/// "Haha! No worries", "lol fair"): it answers a joke, so the customer's turn
/// before it was banter, and no gap is judged on it (the sets' writers call
/// such a reply a gap 4 times in 38).
pub(crate) fn opens_with_laugh(text: &str) -> bool {
    let t = text.trim_start();
    let end = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let word = &t[..end];
    ["ha", "haha", "hahaha", "hah", "lol", "hehe"]
        .iter()
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether an `ownership.taken` phrase admits the fault ("that's on us",
/// "our mistake", "we should have told you"): owning what went wrong
/// acknowledges what it did to the customer, as a sincere apology does.
/// Taking the work on ("leave it with me", "I'll chase it myself") does not.
pub(crate) fn owns_fault(phrase: &str) -> bool {
    let p = phrase.to_lowercase().replace('\u{2019}', "'");
    [
        "on us",
        "our mistake",
        "our fault",
        "our error",
        "our failure",
        "our side",
        "our bad",
        "my mistake",
        "my fault",
        "my error",
        "we should have",
        "we should've",
    ]
    .iter()
    .any(|w| p.contains(w))
}

/// The distressed customer groups whose reply acknowledges nothing.
/// `owns` tells whether an `ownership.taken` finding admits the fault
/// ([`owns_fault`] of its phrase), which acknowledges too.
pub(crate) fn missed_turns(
    roles: &[Role],
    findings: &[Finding],
    distress: &[TurnDistress],
    owns: impl Fn(&Finding) -> bool,
) -> Vec<Missed> {
    // no distress, no gap (and nothing to allocate, the usual case)
    if !findings.iter().any(|f| f.category == Category::Distress) {
        return Vec::new();
    }
    // per turn, whether it shows distress or acknowledges it: one pass over
    // the findings (not one per group: many turns would cost their product)
    let (mut upset, mut ack) = (TurnFlags::new(roles.len()), TurnFlags::new(roles.len()));
    for f in findings {
        if f.turn >= roles.len() {
            continue;
        }
        if f.category == Category::Distress {
            upset.set(f.turn);
        }
        if (f.category == Category::Empathy && f.kind == Kind::Strength)
            || f.rule == super::apology::SINCERE.id
            || (f.rule == super::ownership::TAKEN.id && owns(f))
        {
            ack.set(f.turn);
        }
    }
    let mut missed = Vec::new();
    // (the groups read as they are needed, not gathered into a list first)
    let mut groups = Groups { roles, at: 0 };
    while let Some(g) = groups.next() {
        if g.role != Role::Customer {
            continue;
        }
        if !upset.any_in(g.first, g.last) {
            continue;
        }
        let Some(reply) = groups.clone().find(|r| r.role == Role::Agent) else {
            continue;
        };
        let acknowledged = ack.any_in(reply.first, reply.last);
        if !acknowledged {
            // the group's most distressed turn (the first upset one if no
            // score is known)
            let peak = distress
                .iter()
                .filter(|d| (g.first..=g.last).contains(&d.turn) && upset.get(d.turn))
                .fold(None, |best: Option<(usize, u8)>, d| match best {
                    Some((_, s)) if s >= d.score => best,
                    _ => Some((d.turn, d.score)),
                })
                .or_else(|| upset.first_in(g.first, g.last).map(|t| (t, 100)));
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

/// The [`Group`]s of a transcript's roles, in order: a turn of the role of
/// the group before it (system turns between them skipped) joins that
/// group.
#[derive(Debug, Clone)]
struct Groups<'a> {
    roles: &'a [Role],
    /// The first turn not yet read.
    at: usize,
}

impl Iterator for Groups<'_> {
    type Item = Group;

    fn next(&mut self) -> Option<Group> {
        while self.roles.get(self.at) == Some(&Role::System) {
            self.at += 1;
        }
        let role = *self.roles.get(self.at)?;
        let first = self.at;
        let mut last = first;
        self.at += 1;
        while let Some(&r) = self.roles.get(self.at) {
            if r == role {
                last = self.at;
            } else if r != Role::System {
                break;
            }
            self.at += 1;
        }
        Some(Group { role, first, last })
    }
}

/// A flag per turn of a transcript: the bits of one word for a transcript
/// of at most 128 turns (nearly all), a vector past that. The empathy gap
/// and the empathy score each allocated their flags (and the gap a list of
/// groups) for every transcript with distress: about 1.5 M instructions of
/// `calloc` and `free` on the 3 MB benchmark corpus.
#[derive(Debug, Clone)]
pub(crate) enum TurnFlags {
    /// Bit `i` for turn `i`.
    Bits(u128),
    /// One flag per turn.
    Many(Vec<bool>),
}

impl TurnFlags {
    /// The flags of `n` turns, none set.
    pub(crate) fn new(n: usize) -> TurnFlags {
        if n <= 128 {
            TurnFlags::Bits(0)
        } else {
            TurnFlags::Many(vec![false; n])
        }
    }

    /// Sets the flag of turn `i` (one of the `n` turns).
    pub(crate) fn set(&mut self, i: usize) {
        match self {
            TurnFlags::Bits(b) => *b |= 1 << i,
            TurnFlags::Many(v) => v[i] = true,
        }
    }

    /// Whether turn `i` is flagged.
    pub(crate) fn get(&self, i: usize) -> bool {
        match self {
            TurnFlags::Bits(b) => i < 128 && b >> i & 1 == 1,
            TurnFlags::Many(v) => v[i],
        }
    }

    /// Whether one of the turns `first..=last` (of the `n`) is flagged.
    pub(crate) fn any_in(&self, first: usize, last: usize) -> bool {
        match self {
            TurnFlags::Bits(b) => b & range_bits(first, last) != 0,
            TurnFlags::Many(v) => v[first..=last].contains(&true),
        }
    }

    /// The first flagged turn of `first..=last` (of the `n`).
    pub(crate) fn first_in(&self, first: usize, last: usize) -> Option<usize> {
        match self {
            TurnFlags::Bits(b) => {
                let m = b & range_bits(first, last);
                (m != 0).then(|| m.trailing_zeros() as usize)
            }
            TurnFlags::Many(v) => (first..=last).find(|&t| v[t]),
        }
    }
}

/// The bits `first..=last` of a word (`first <= last < 128`).
fn range_bits(first: usize, last: usize) -> u128 {
    let upto = u128::MAX >> (127 - last);
    upto & (u128::MAX << first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owning_the_fault_is_told_from_taking_the_work_on() {
        for owned in [
            "That's on us",
            "that was our mistake",
            "We should've called",
            "a bug on our side",
            "That\u{2019}s on us",
        ] {
            assert!(owns_fault(owned), "{owned}");
        }
        for taken in ["Leave it with me", "I'll chase it myself", "I'm on it"] {
            assert!(!owns_fault(taken), "{taken}");
        }
    }

    #[test]
    fn a_reply_opening_with_a_laugh_answers_a_joke() {
        assert!(opens_with_laugh(
            "Ha, tell me about it. Right, your order number?"
        ));
        assert!(opens_with_laugh("  Haha! No worries at all."));
        assert!(opens_with_laugh("lol fair, let me look"));
        assert!(!opens_with_laugh("Hang on, I'll check."));
        assert!(!opens_with_laugh("Happy to help with that."));
        assert!(!opens_with_laugh("I'm so sorry, that's awful."));
    }

    /// The groups as first gathered, into a list.
    fn groups_listed(roles: &[Role]) -> Vec<(Role, usize, usize)> {
        let mut groups: Vec<(Role, usize, usize)> = Vec::new();
        for (i, &role) in roles.iter().enumerate() {
            if role == Role::System {
                continue;
            }
            match groups.last_mut() {
                Some(g) if g.0 == role => g.2 = i,
                _ => groups.push((role, i, i)),
            }
        }
        groups
    }

    proptest::proptest! {
        #[test]
        fn groups_read_in_turn_are_the_groups_listed(
            roles in proptest::collection::vec(0u8..3, 0..40)
        ) {
            let roles: Vec<Role> = roles
                .iter()
                .map(|&r| [Role::Customer, Role::Agent, Role::System][usize::from(r)])
                .collect();
            let read: Vec<(Role, usize, usize)> = Groups { roles: &roles, at: 0 }
                .map(|g| (g.role, g.first, g.last))
                .collect();
            proptest::prop_assert_eq!(read, groups_listed(&roles));
        }

        #[test]
        fn turn_flags_answer_as_a_vector_of_flags(
            n in 1usize..300,
            set in proptest::collection::vec(0usize..300, 0..12),
            ranges in proptest::collection::vec((0usize..300, 0usize..300), 1..12),
        ) {
            let mut flags = TurnFlags::new(n);
            let mut plain = vec![false; n];
            for &i in set.iter().filter(|&&i| i < n) {
                flags.set(i);
                plain[i] = true;
            }
            for (i, &p) in plain.iter().enumerate() {
                proptest::prop_assert_eq!(flags.get(i), p);
            }
            for &(a, b) in &ranges {
                let (first, last) = (a.min(b) % n, a.max(b) % n);
                let (first, last) = (first.min(last), first.max(last));
                proptest::prop_assert_eq!(
                    flags.any_in(first, last),
                    plain[first..=last].contains(&true)
                );
                proptest::prop_assert_eq!(
                    flags.first_in(first, last),
                    (first..=last).find(|&t| plain[t])
                );
            }
        }
    }
}
