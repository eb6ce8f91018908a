//! `apology.*`: every apology expression in an agent turn, classified.
//!
//! An apology word (`lexicons/internal/apology.trigger.txt`) opens an
//! expression; what surrounds it in its clause and sentence decides the class,
//! one class per expression, in this order:
//!
//! 1. not an apology: pardon ("sorry, could you repeat..."), negation ("I'm not
//!    sorry"), sympathy ("sorry to hear", credited as `empathy.sympathy`);
//! 2. `conditional`: an "if" on the apology ("sorry if...", "If that caused
//!    problems, we apologize");
//! 3. `deflecting`: for the customer's feeling or perception ("sorry you feel
//!    that way", "sorry for the confusion"), unless the sentence owns a cause;
//! 4. `but`: cancelled in the same sentence ("sorry, but...", "Sorry, that's
//!    not possible"), or by the very next sentence when it opens with a
//!    contrast ("However,", "Unfortunately,", "That said,", "But") and turns to
//!    a refusal or an excuse (a match of a procedural or excuse list);
//! 5. `scripted`: a stock, vague object ("for any inconvenience");
//! 6. `sincere` otherwise.

use crate::matcher::{Hit, LexiconId};
use crate::rule::declare_rule;
use crate::rule::RuleInfo;
use crate::text::Normalized;

declare_rule! {
    /// ## What it credits
    /// An unqualified apology that owns the act: "I'm sorry we lost your bag",
    /// "I apologize for the delay", "We're sorry, this is on us", "Sorry for the
    /// wait". A bare "Sorry!" counts.
    ///
    /// ## Why it matters
    /// A sincere apology is the first step of service recovery, and it answers a
    /// distressed customer (it counts as acknowledgment for `empathy_gap`).
    SINCERE {
        id: "apology.sincere",
        category: Apology,
        kind: Strength,
        severity: Info,
        role: Agent,
        summary: "a sincere, unqualified apology",
        message: "A sincere apology that owns the problem.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it flags
    /// An apology made conditional: "sorry if you were inconvenienced", "I
    /// apologize if that upset you", "to the extent that this caused problems".
    ///
    /// ## Why it matters
    /// "If" doubts that anything went wrong; the customer hears a non-apology.
    ///
    /// ## Example
    /// Flagged: "I apologize if the fee was a surprise."
    /// Better: "I'm sorry the fee came as a surprise; I should have flagged it."
    CONDITIONAL {
        id: "apology.conditional",
        category: Apology,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "an apology made conditional (\"sorry if...\")",
        message: "The apology is conditional; \"if\" doubts that anything went wrong.",
        suggestion: Some("Drop the \"if\" and name what happened: \"I'm sorry the fee came as a surprise.\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// An apology for the customer's feelings or perception rather than for the
    /// act: "sorry you feel that way", "sorry that you are upset", "sorry you
    /// think so", "sorry for the confusion", "sorry for any misunderstanding".
    ///
    /// ## Why it matters
    /// It puts the problem in the customer's head. An apology that owns a cause
    /// ("sorry for the confusion our email caused") is sincere and not flagged.
    ///
    /// ## Example
    /// Flagged: "We're sorry you feel your stay did not meet expectations."
    /// Better: "I'm sorry the room wasn't ready when you arrived."
    DEFLECTING {
        id: "apology.deflecting",
        category: Apology,
        kind: Issue,
        severity: Error,
        role: Agent,
        summary: "an apology for the customer's feelings, not the act",
        message: "The apology is for the customer's feelings or perception, not for what happened.",
        suggestion: Some("Apologize for the act: \"I'm sorry we [what happened].\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// An apology cancelled in the same breath: "I'm sorry, but that's our
    /// policy", "we apologize; however, there is nothing...", and an apology
    /// immediately followed by a refusal ("Sorry, that's not possible").
    ///
    /// ## Why it matters
    /// Everything before "but" is heard as a preamble to the refusal. A refusal
    /// in a later, separate sentence is not flagged here.
    ///
    /// ## Example
    /// Flagged: "I'm sorry, but we can't refund it."
    /// Better: "I'm sorry. I can't refund it, but I can ..."
    BUT {
        id: "apology.but",
        category: Apology,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "an apology cancelled by \"but\" or a refusal",
        message: "The apology is cancelled by what follows it in the same breath.",
        suggestion: Some("End the apology, then help: \"I'm sorry. Here is what I can do: ...\""),
    }
}

declare_rule! {
    /// ## What it flags
    /// Boilerplate from the manual: "we apologize for any inconvenience this may
    /// have caused", "sorry for the inconvenience", "we regret any
    /// inconvenience", "sorry for any trouble". The vague "any" and
    /// "inconvenience" are the marks.
    ///
    /// ## Why it matters
    /// A stock phrase tells the customer nobody read their message. It does not
    /// count as acknowledging distress. "Sorry for the wait/delay/mix-up" is
    /// specific and counts as sincere.
    ///
    /// ## Example
    /// Flagged: "We apologize for any inconvenience caused."
    /// Better: "I'm sorry your delivery missed the party."
    SCRIPTED {
        id: "apology.scripted",
        category: Apology,
        kind: Issue,
        severity: Warning,
        role: Agent,
        summary: "a scripted apology (\"sorry for any inconvenience\")",
        message: "A scripted apology; name what went wrong for this customer.",
        suggestion: Some("Name the impact: \"I'm sorry your order missed the party.\""),
    }
}

/// Internal phrase lists of the apology classifier (not rules by themselves).
pub(crate) const INTERNAL_LEXICONS: &[(&str, &str)] = &[
    (
        "apology.trigger",
        include_str!("../../lexicons/internal/apology.trigger.txt"),
    ),
    (
        "apology.not",
        include_str!("../../lexicons/internal/apology.not.txt"),
    ),
    (
        "apology.conditional",
        include_str!("../../lexicons/internal/apology.conditional.txt"),
    ),
    (
        "apology.deflecting_feeling",
        include_str!("../../lexicons/internal/apology.deflecting_feeling.txt"),
    ),
    (
        "apology.deflecting_noun",
        include_str!("../../lexicons/internal/apology.deflecting_noun.txt"),
    ),
    (
        "apology.deflecting_before",
        include_str!("../../lexicons/internal/apology.deflecting_before.txt"),
    ),
    (
        "apology.owned_cause",
        include_str!("../../lexicons/internal/apology.owned_cause.txt"),
    ),
    (
        "apology.scripted",
        include_str!("../../lexicons/internal/apology.scripted.txt"),
    ),
    (
        "apology.but",
        include_str!("../../lexicons/internal/apology.but.txt"),
    ),
    (
        "apology.refusal",
        include_str!("../../lexicons/internal/apology.refusal.txt"),
    ),
    (
        "apology.help_pivot",
        include_str!("../../lexicons/internal/apology.help_pivot.txt"),
    ),
    (
        "apology.next_contrast",
        include_str!("../../lexicons/internal/apology.next_contrast.txt"),
    ),
    (
        "apology.slip",
        include_str!("../../lexicons/internal/apology.slip.txt"),
    ),
];

/// Lexicon ids the classifier reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ApologyLexicons {
    pub trigger: LexiconId,
    pub not: LexiconId,
    pub conditional: LexiconId,
    pub deflecting_feeling: LexiconId,
    pub deflecting_noun: LexiconId,
    pub deflecting_before: LexiconId,
    pub owned_cause: LexiconId,
    pub scripted: LexiconId,
    pub but: LexiconId,
    pub refusal: LexiconId,
    pub help_pivot: LexiconId,
    pub sympathy: LexiconId,
    /// A contrast opening the sentence after an apology.
    pub next_contrast: LexiconId,
    /// The agent's own slip put right ("sorry, I misread that"), read only
    /// deep in a calm call.
    pub slip: LexiconId,
}

/// One classified apology expression (normalized offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Apology {
    pub rule: &'static RuleInfo,
    pub start: usize,
    pub end: usize,
}

/// The hits of one lexicon in a (lexicon, start)-sorted hit list.
pub(crate) fn hits_of(hits: &[Hit], lexicon: LexiconId) -> &[Hit] {
    let a = hits.partition_point(|h| h.lexicon < lexicon);
    let b = hits.partition_point(|h| h.lexicon <= lexicon);
    &hits[a..b]
}

/// In `classify`'s `cancels`: a lexicon of an excuse list.
pub(crate) const EXCUSES: u8 = 1;
/// In `classify`'s `cancels`: a lexicon of a procedural list (a refusal, a
/// rule, a hand-off).
pub(crate) const REFUSES: u8 = 2;

/// Words of at most this many that may sit between an apology and a refusal.
const REFUSAL_GAP_WORDS: usize = 5;
/// Words of at most this many between a bare apology ("Sorry,") and the
/// excuse or refusal it opens in the same sentence.
const BARE_GAP_WORDS: usize = 11;

/// Whether the apology word ending at `te` stands bare, with no object: a
/// comma, a dash or a colon comes right after it ("Sorry, ...",
/// "Apologies – ..."), or after an object that only points back ("Sorry
/// about that, ...", "Apologies for this – ...": the object names nothing).
fn bare_trigger(text: &str, te: usize) -> bool {
    const STOPS: [char; 6] = [',', ':', ';', '-', '\u{2013}', '\u{2014}'];
    let rest = text.get(te..).unwrap_or("").trim_start();
    if rest.starts_with(STOPS) {
        return true;
    }
    let Some(rest) = ["about ", "for "].iter().find_map(|p| {
        rest.get(..p.len())
            .filter(|h| h.eq_ignore_ascii_case(p))
            .map(|_| &rest[p.len()..])
    }) else {
        return false;
    };
    // (a transcript without commas: "sorry about that he must have
    // misunderstood", the next clause opening on its subject)
    const SUBJECTS: [&str; 9] = [
        "he ", "she ", "they ", "we ", "i ", "it ", "the ", "our ", "there ",
    ];
    ["that", "this", "it"].iter().any(|w| {
        rest.get(..w.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(w))
            && {
                let after = rest[w.len()..].trim_start();
                after.starts_with(STOPS)
                    || (rest[w.len()..].starts_with(' ')
                        && SUBJECTS.iter().any(|s| {
                            after
                                .get(..s.len())
                                .is_some_and(|h| h.eq_ignore_ascii_case(s))
                        }))
            }
    })
}

/// Whether only punctuation and spaces lie between the apology word ending at
/// `te` and its sentence's end `se` ("..., sorry.", "... sorry!").
fn closes_sentence(text: &str, te: usize, se: usize) -> bool {
    text.get(te..se.max(te))
        .is_some_and(|t| t.bytes().all(|b| matches!(b, b' ' | b'.' | b'!' | b',')))
}

/// Words of at most this many between an apology and a "but" in its
/// sentence (decision 5: the sentence decides, not the distance; the bound
/// only keeps a run-on turn linear).
const BUT_GAP_WORDS: usize = 40;

/// Classifies every apology expression of one agent turn.
///
/// `cancels` tells, per lexicon id, whether a match of that lexicon refuses
/// ([`REFUSES`]) or excuses ([`EXCUSES`]), or neither (0) (the procedural and excuse lists): such a match in a sentence
/// that opens with a contrast right after an apology makes it `but`.
pub(crate) fn classify(
    norm: &Normalized,
    hits: &[Hit],
    lx: &ApologyLexicons,
    cancels: &[u8],
    out: &mut Vec<Apology>,
) {
    let text = norm.as_str();
    let not = hits_of(hits, lx.not);
    let sympathy = hits_of(hits, lx.sympathy);
    // Every lookup below is bounded (binary search, capped word counts, the
    // previous trigger's sentence reused), so that a long sentence of
    // apologies ("sorry sorry sorry ...") costs linear time, not quadratic.
    let mut prev: Option<Bounds> = None;
    // the spans of the refusing and excusing matches, sorted by start, made
    // at the first bare apology (most turns have none)
    let mut cancelling: Option<Vec<(usize, usize)>> = None;
    for t in hits_of(hits, lx.trigger) {
        let (ts, te) = (t.start as usize, t.end as usize);
        if overlapping(not, ts, te) || overlapping(sympathy, ts, te) {
            continue;
        }
        let (ss, se) = sentence_bounds(norm, ts, te, prev);
        let ce = match prev {
            Some(p) if p.se == se && p.te <= te && te <= p.ce => p.ce,
            _ => clause_end(norm, te, se),
        };
        prev = Some(Bounds { ts, te, ss, se, ce });
        // the first hit of `lex` inside `from..to` (hits of one lexicon are
        // sorted by start and do not overlap)
        let within = |lex: LexiconId, from: usize, to: usize| {
            let of = hits_of(hits, lex);
            of[of.partition_point(|h| (h.start as usize) < from)..]
                .iter()
                .take_while(|h| h.start as usize <= to)
                .find(|h| (h.end as usize) <= to)
                .copied()
        };
        let start = extend_subject(text, ts, ss);
        let mut decide = |rule: &'static RuleInfo, end: usize| {
            out.push(Apology {
                rule,
                start,
                end: end.max(te),
            })
        };

        // a "sorry" closing a sentence that refuses in a policy list's words
        // ("We can't refund that, sorry."): decision 5's one
        // breath, the apology after the refusal instead of before it (after a
        // plain "we're fully booked", or after a cause, it is regret)
        if ts > ss && closes_sentence(text, te, se) {
            let refused = hits.iter().any(|h| {
                (h.start as usize) >= ss
                    && (h.end as usize) <= ts
                    && cancels.get(h.lexicon as usize) == Some(&REFUSES)
            });
            if refused {
                decide(&BUT, te);
                continue;
            }
        }
        if let Some(h) = within(lx.conditional, te, ce) {
            decide(&CONDITIONAL, h.end as usize);
            continue;
        }
        // a condition opening the sentence: "If that caused problems, we apologize"
        let conditional = hits_of(hits, lx.conditional);
        // (after an opener set off by a comma: "Hello Mr Aziz, to the extent
        // that our team may have misled you, we apologise")
        let opening = |at: usize| {
            let head = text[ss..at].trim_end();
            words_upto(head, 1) <= 1 || (head.ends_with(',') && words_upto(head, 4) <= 4)
        };
        if conditional[conditional.partition_point(|h| (h.start as usize) < ss)..]
            .iter()
            .take_while(|h| opening(h.start as usize))
            .any(|h| (h.end as usize) <= ts)
        {
            decide(&CONDITIONAL, te);
            continue;
        }
        if let Some(h) = within(lx.deflecting_feeling, te, ce) {
            decide(&DEFLECTING, h.end as usize);
            continue;
        }
        if let Some(h) = within(lx.deflecting_noun, te, ce) {
            if within(lx.owned_cause, h.end as usize, se).is_none() {
                decide(&DEFLECTING, h.end as usize);
                continue;
            }
        }
        if within(lx.deflecting_before, ss, ts).is_some() {
            decide(&DEFLECTING, te);
            continue;
        }
        if let Some(h) = within(lx.but, te, se) {
            // decision 5: "sorry, but ... ?" asks something; a politeness
            // formula for a request is no apology class at all
            if text.as_bytes().get(se) == Some(&b'?') && within(lx.refusal, te, se).is_none() {
                continue;
            }
            let gap = words_upto(&text[te..h.start as usize], BUT_GAP_WORDS);
            // "Sorry, but ..." in one breath is always `but`; after a named
            // object, a "but" that turns to help does not cancel the apology
            // (the words before a pivot only grow with its start: the first
            // pivot after the "but" decides)
            let pivots = hits_of(hits, lx.help_pivot);
            let pivot = gap > 0
                && pivots[pivots.partition_point(|p| p.start < h.end)..]
                    .first()
                    .is_some_and(|p| words_upto(&text[h.end as usize..p.start as usize], 1) <= 1);
            // (and a "but" whose clause admits the company's own failure,
            // "sorry for the wait – it was approved but never sent, which is
            // on us", explains the fault it apologizes for: it cancels
            // nothing)
            // (and the same admission made between the apology and the
            // "but", "Sorry, that's our error: it was on the notes but got
            // dropped", where no refusal follows: the "but" tells the fault)
            let owned = owns_fault(&text[h.end as usize..se])
                || (owns_fault(&text[te..h.start as usize])
                    && within(lx.refusal, h.end as usize, se).is_none());
            if gap <= BUT_GAP_WORDS && !pivot && !owned {
                decide(&BUT, h.end as usize);
                continue;
            }
        }
        if let Some(h) = within(lx.refusal, te, se) {
            if words_upto(&text[te..h.start as usize], REFUSAL_GAP_WORDS) <= REFUSAL_GAP_WORDS {
                decide(&BUT, h.end as usize);
                continue;
            }
        }
        // a bare apology ("Sorry,", "Apologies –") said in one breath with an
        // excuse or a refusal a list names ("Sorry, we've been really short
        // on staff this month"): decision 5's "but" without the word
        if bare_trigger(text, te) {
            let spans = cancelling.get_or_insert_with(|| {
                let mut v: Vec<(usize, usize)> = hits
                    .iter()
                    .filter(|h| cancels.get(h.lexicon as usize).is_some_and(|&c| c != 0))
                    .map(|h| (h.start as usize, h.end as usize))
                    .collect();
                v.sort_unstable();
                v
            });
            let first = spans[spans.partition_point(|&(s, _)| s < te)..]
                .iter()
                .take_while(|&&(s, _)| s <= se)
                .find(|&&(_, e)| e <= se);
            if let Some(&(start, end)) = first {
                // in the same clause: "Sorry, we missed you; your post came in
                // when no one was on" owns the miss before the cause
                // (a cause the sentence owns, "the pause didn't save on our
                // side", is an explanation, not a shield: decision 3's "not
                // an excuse")
                let between = &text[te..start];
                if !between.contains([';', ':'])
                    && words_upto(between, BARE_GAP_WORDS) <= BARE_GAP_WORDS
                    && within(lx.owned_cause, te, se).is_none()
                {
                    decide(&BUT, end);
                    continue;
                }
            }
        }
        if let Some(end) = next_sentence_cancels(norm, hits, lx, cancels, se) {
            decide(&BUT, end.min(se));
            continue;
        }
        // a bare apology ("I'm sorry.", "Sorry!") whose next sentence opens
        // with a refusal ("We can't refund that.") is the same "but" said
        // across a full stop (decision 5)
        let bare_end = text[te..]
            .find(['.', '!', '?'])
            .map_or(text.len(), |k| te + k);
        if words_upto(&text[te..bare_end], 2) <= 1
            && next_sentence_refuses(text, hits, lx, bare_end)
        {
            decide(&BUT, se);
            continue;
        }
        if let Some(h) = within(lx.scripted, te, ce) {
            decide(&SCRIPTED, h.end as usize);
            continue;
        }
        // sincere: include a short object ("for the delay") in the span
        let object_end = if words_upto(&text[te..ce], 6) <= 6 {
            ce
        } else {
            te
        };
        decide(&SINCERE, trim_end(text, te, object_end));
    }
}

/// Contrasts that, opening the sentence after an apology, turn it to a limit
/// or an excuse on their own (decision 5): what follows "However," is a
/// limit unless it gives help.
pub(crate) const STRONG_CONTRASTS: &[&str] = &[
    "however",
    "unfortunately",
    "regrettably",
    "sadly",
    "that said",
    "having said that",
    "nevertheless",
    "nonetheless",
    "that being said",
    "with that said",
    "i'm afraid",
    "i am afraid",
    "the thing is",
    "the problem is",
    "the issue is",
    "even so",
];

/// Whether the sentence after the one ending at `se` opens with a refusal
/// (a match of the refusal list within its first words).
fn next_sentence_refuses(text: &str, hits: &[Hit], lx: &ApologyLexicons, se: usize) -> bool {
    let bytes = text.as_bytes();
    let mut ns = se;
    while ns < bytes.len() && matches!(bytes[ns], b'.' | b'!' | b'?' | b' ') {
        ns += 1;
    }
    if ns >= bytes.len() || ns == se {
        return false;
    }
    let refusals = hits_of(hits, lx.refusal);
    // (a refusal followed by help, "It's out of stock until the 14th. I've
    // ordered the equivalent in for you", is a limit with an alternative)
    refusals[refusals.partition_point(|h| (h.start as usize) < ns)..]
        .first()
        .is_some_and(|h| {
            let between = &text[ns..h.start as usize];
            !between.contains(['.', '!', '?'])
                && words_upto(between, 2) <= 2
                && !text[h.end as usize..]
                    .split_inclusive(['.', '!', '?'])
                    .any(gives_help)
        })
}

/// Whether the sentence after the one ending at `se` opens with a contrast
/// (a match of `next_contrast` on its first words) and holds a refusal or an
/// excuse; the end of the apology's span if so.
fn next_sentence_cancels(
    norm: &Normalized,
    hits: &[Hit],
    lx: &ApologyLexicons,
    cancels: &[u8],
    se: usize,
) -> Option<usize> {
    let text = norm.as_str();
    let bytes = text.as_bytes();
    // the next sentence starts after the terminator and spaces
    let mut ns = se;
    while ns < bytes.len() && matches!(bytes[ns], b'.' | b'!' | b'?' | b' ') {
        ns += 1;
    }
    if ns >= bytes.len() || ns == se && se != 0 {
        return None;
    }
    let contrast = hits_of(hits, lx.next_contrast);
    let opener = contrast[contrast.partition_point(|h| (h.start as usize) < ns)..]
        .first()
        .filter(|h| h.start as usize == ns)?;
    let (_, nse) = sentence_bounds(norm, ns, opener.end as usize, None);
    let refuses = hits.iter().any(|h| {
        let inside = (h.start as usize) >= ns && (h.end as usize) <= nse;
        inside
            && (h.lexicon == lx.refusal || cancels.get(h.lexicon as usize).is_some_and(|&c| c != 0))
    });
    if refuses {
        return Some(se);
    }
    // a strong contrast ("However,", "Unfortunately", "That said,") opening
    // the next sentence turns the apology to a limit or an excuse in words
    // no list holds ("However, our next slot isn't until Thursday"), unless
    // that sentence gives help ("However, I've refunded the fee")
    let opening = &text[ns..opener.end as usize];
    let strong = STRONG_CONTRASTS
        .iter()
        .any(|w| opening.trim_end_matches([',', ' ']) == *w);
    let sentence = &text[ns..nse];
    (strong && !gives_help(sentence)).then_some(se)
}

/// Whether a sentence gives help in the agent's own voice: an act done or
/// promised ("I've", "we'll", "I can", "let me"), or good news. An
/// obligation on the company ("we have to rely on what they tell us", "I've
/// got to follow the rules") is a limit, not help.
pub(crate) fn gives_help(sentence: &str) -> bool {
    let mut words = sentence
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .peekable();
    let mut prev = "";
    while let Some(w) = words.next() {
        let next = words.peek().copied().unwrap_or("");
        let obliged = matches!(next, "to" | "got");
        // "we can only assess stamped forms" is a limit, not help
        let limited = next == "only";
        let hit = (matches!(w, "i've" | "we've") && !obliged)
            || matches!(
                w,
                "i'll" | "we'll" | "i'd" | "we'd" | "let" | "happy" | "glad"
            )
            || (matches!(prev, "i" | "we")
                && ((matches!(w, "will" | "can" | "could" | "would" | "managed") && !limited)
                    || (w == "have" && !obliged)))
            || (prev == "good" && w == "news");
        if hit {
            return true;
        }
        prev = w;
    }
    false
}

/// The trigger before, with its sentence and clause (normalized offsets).
#[derive(Debug, Clone, Copy)]
struct Bounds {
    ts: usize,
    te: usize,
    ss: usize,
    se: usize,
    ce: usize,
}

/// Whether a hit of `of` (sorted by start, not overlapping) overlaps `start..end`.
fn overlapping(of: &[Hit], start: usize, end: usize) -> bool {
    of.get(of.partition_point(|h| (h.end as usize) <= start))
        .is_some_and(|h| (h.start as usize) < end)
}

/// Sentence around `start..end`: from after the previous terminator or line
/// break to the next one (normalized offsets). What was found for the
/// trigger before (`prev`) is reused: the scan back from `start` ends where
/// the scan from an earlier start ended once it reaches that start, and the
/// scan forward from an end between the earlier trigger's end and sentence
/// end finds that same sentence end.
fn sentence_bounds(
    norm: &Normalized,
    start: usize,
    end: usize,
    prev: Option<Bounds>,
) -> (usize, usize) {
    let text = norm.as_str();
    let bytes = text.as_bytes();
    let back = prev.filter(|p| p.ts <= start);
    let mut s = start;
    while s > 0 {
        if let Some(p) = back.filter(|p| p.ts == s) {
            s = p.ss;
            break;
        }
        let b = bytes[s - 1];
        if b == b' ' && (norm.has_break(s - 1, s) || is_terminator_before(bytes, s - 1)) {
            break;
        }
        s -= 1;
    }
    if let Some(p) = prev.filter(|p| p.te <= end && end <= p.se) {
        return (s, p.se);
    }
    let mut e = end;
    while e < bytes.len() {
        let b = bytes[e];
        if matches!(b, b'.' | b'!' | b'?') && bytes.get(e + 1).is_none_or(|&n| n == b' ') {
            break;
        }
        if b == b' ' && norm.has_break(e, e + 1) {
            break;
        }
        // an emoji then a space closes a sentence in chat and social
        // writing ("So sorry for the hassle 🙈 Our booking site had a
        // wobble ... but the emails didn't send": that "but" is the story)
        if b == 0xF0
            && bytes.get(e + 1) == Some(&0x9F)
            && bytes.get(e + 4).is_none_or(|&n| n == b' ')
        {
            break;
        }
        e += 1;
    }
    (s, e)
}

/// Whether a clause admits the company's own failure in so many words
/// ("which is on us", "that was our mistake"): the list of owned causes
/// also names "our system" and "our team", which a refusal names too.
fn owns_fault(clause: &str) -> bool {
    // (read in place, ignoring ASCII case: no lower-cased copy)
    let b = clause.as_bytes();
    let ends_with = |head: &[u8], tail: &str| {
        head.len() >= tail.len()
            && head[head.len() - tail.len()..].eq_ignore_ascii_case(tail.as_bytes())
    };
    [
        " on us",
        " on me",
        "our mistake",
        "our error",
        "our fault",
        "my mistake",
        "my error",
        "my fault",
    ]
    .iter()
    .any(|p| {
        let n = p.len();
        (0..b.len().saturating_sub(n - 1)).any(|i| {
            if !b[i..i + n].eq_ignore_ascii_case(p.as_bytes()) {
                return false;
            }
            // ("that's not on us", "it wasn't our fault" deny it)
            let before = clause[..i].trim_end().as_bytes();
            b.get(i + n).is_none_or(|c| !c.is_ascii_alphanumeric())
                && !["not", "n't", "never", "no"]
                    .iter()
                    .any(|t| ends_with(before, t))
        })
    })
}

fn is_terminator_before(bytes: &[u8], space: usize) -> bool {
    space > 0 && matches!(bytes[space - 1], b'.' | b'!' | b'?')
}

/// End of the clause that starts at `from`: the next `, ; : ( )` or dash, or the sentence end.
pub(crate) fn clause_end(norm: &Normalized, from: usize, sentence_end: usize) -> usize {
    let text = &norm.as_str()[from..sentence_end];
    for (i, c) in text.char_indices() {
        if matches!(c, ',' | ';' | ':' | '(' | ')' | '\u{2014}' | '\u{2013}')
            || (c == '-' && text[i..].starts_with("- "))
        {
            return from + i;
        }
    }
    sentence_end
}

/// The number of words in `s`, counted up to `cap + 1` at most (every caller
/// compares it with `cap`), so that a far word costs no scan to its end.
fn words_upto(s: &str, cap: usize) -> usize {
    s.split(|c: char| !crate::text::is_word_char(c) && c != '\'')
        .filter(|w| !w.is_empty())
        .take(cap + 1)
        .count()
}

fn trim_end(text: &str, floor: usize, end: usize) -> usize {
    let trimmed = text[floor..end].trim_end_matches(|c: char| !crate::text::is_word_char(c));
    floor + trimmed.len()
}

/// Words that may precede an apology word as part of the same expression.
const SUBJECT_WORDS: &[&str] = &[
    "i'm",
    "im",
    "i",
    "am",
    "we're",
    "we",
    "are",
    "so",
    "very",
    "really",
    "truly",
    "sincerely",
    "deeply",
    "terribly",
    "awfully",
    "extremely",
    "do",
    "please",
    "accept",
    "our",
    "my",
    "again",
    "i'd",
    "we'd",
    "like",
    "to",
    "want",
    "would",
    "genuinely",
    "profoundly",
    "most",
    "oh",
    "and",
];

/// Moves `start` back over subject words ("I'm so") within the sentence.
fn extend_subject(text: &str, start: usize, floor: usize) -> usize {
    let mut s = start;
    for _ in 0..5 {
        let before = &text[floor..s];
        let trimmed = before.trim_end_matches(' ');
        if trimmed.len() == before.len() && s != start {
            break;
        }
        let word_start = trimmed
            .char_indices()
            .rev()
            .find(|&(_, c)| !(crate::text::is_word_char(c) || c == '\''))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &trimmed[word_start..];
        if word.is_empty() || !SUBJECT_WORDS.contains(&word) {
            break;
        }
        s = floor + word_start;
    }
    // never start on a connective
    let rest = &text[s..start];
    for lead in ["and ", "to "] {
        if rest.starts_with(lead) {
            s += lead.len();
        }
    }
    s
}
