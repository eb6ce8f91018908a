//! `distress.*`: customer-side evidence that the customer is upset.
//!
//! Phrase lists (`lexicons/distress.*.txt`) read on customer turns, plus
//! `distress.intensity` marks found in code: ALL-CAPS emphasis (not acronyms
//! or codes), runs of "!!", "??" or "?!?", sad or angry emoticons (`:(`,
//! `>:(`, `T_T`) and words stretched for emphasis ("sooooo").

use crate::rule::declare_rule;
use crate::span::Span;

declare_rule! {
    /// ## What it detects
    /// Negative emotion: "furious", "so frustrated", "fed up", "I'm done",
    /// "disgusted", "stressed out".
    ///
    /// ## Why it matters
    /// Feeds `empathy_gap`: the agent's next reply should acknowledge it.
    EMOTION {
        id: "distress.emotion",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "negative emotion",
        message: "The customer expresses a negative emotion.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Harm or stakes beyond the fault itself: "I missed my meeting", "my
    /// daughter's birthday is ruined", "no money for rent", "lost all my work".
    ///
    /// ## Why it matters
    /// The impact is what the agent should name when acknowledging.
    STAKES {
        id: "distress.stakes",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "harm or stakes for the customer",
        message: "The customer describes harm or stakes beyond the fault itself.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Repeated contact and chasers: "third time I'm writing", "still waiting",
    /// "awaiting response", "hello??", failed attempts to reach support.
    ///
    /// ## Why it matters
    /// A customer who had to chase is already let down once.
    REPEAT_CONTACT {
        id: "distress.repeat_contact",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "repeated contact or chasing",
        message: "The customer has had to chase or contact support repeatedly.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Threats to leave: "I'm cancelling", "switching to another provider",
    /// "never ordering again".
    ///
    /// ## Why it matters
    /// Churn risk; it feeds the escalation-risk figure.
    CHURN_THREAT {
        id: "distress.churn_threat",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "a threat to leave",
        message: "The customer threatens to leave.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Threats to go public: "posting this on Twitter", "leaving a review",
    /// "telling everyone".
    PUBLIC_THREAT {
        id: "distress.public_threat",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "a threat to go public",
        message: "The customer threatens to go public.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Legal or regulatory threats: "my lawyer", "small claims court",
    /// "reporting you to the ombudsman".
    LEGAL_THREAT {
        id: "distress.legal_threat",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "a legal or regulatory threat",
        message: "The customer mentions legal or regulatory action.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Intensity marks: ALL-CAPS emphasis ("the party is TOMORROW"; acronyms and
    /// codes such as USPS or PS4 are not counted), "!!", "??", "?!?!", and words
    /// such as "ridiculous", "unacceptable", "worst"; angry or sad emoji and
    /// emoticons (`:(`, `T_T`); words stretched for emphasis ("sooooo").
    ///
    /// A lone "?!" is not counted.
    INTENSITY {
        id: "distress.intensity",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "intensity: ALL CAPS, \"!!!\", \"ridiculous\"",
        message: "The customer writes with intensity (caps, repeated punctuation, strong words).",
        suggestion: None,
    }
}

/// The phrase lists of this category, by rule.
pub(crate) const LEXICONS: &[(&crate::rule::RuleInfo, &str)] = &[
    (
        &EMOTION,
        include_str!("../../lexicons/distress.emotion.txt"),
    ),
    (&STAKES, include_str!("../../lexicons/distress.stakes.txt")),
    (
        &REPEAT_CONTACT,
        include_str!("../../lexicons/distress.repeat_contact.txt"),
    ),
    (
        &CHURN_THREAT,
        include_str!("../../lexicons/distress.churn_threat.txt"),
    ),
    (
        &PUBLIC_THREAT,
        include_str!("../../lexicons/distress.public_threat.txt"),
    ),
    (
        &LEGAL_THREAT,
        include_str!("../../lexicons/distress.legal_threat.txt"),
    ),
    (
        &INTENSITY,
        include_str!("../../lexicons/distress.intensity.txt"),
    ),
];

const ACRONYMS: &str = include_str!("../../lexicons/internal/acronyms.txt");

/// The acronym list, parsed once (sorted, so lookups are binary searches).
fn acronyms() -> &'static [&'static str] {
    static LIST: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
        let mut v: Vec<&str> = ACRONYMS
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        v.sort_unstable();
        v
    });
    &LIST
}

fn is_acronym(word: &str) -> bool {
    acronyms().binary_search(&word).is_ok()
}

/// Finds intensity marks in the original text of a customer turn: runs of
/// repeated `!`/`?` and ALL-CAPS emphasis. Spans are original byte offsets.
pub(crate) fn intensity_marks(text: &str, out: &mut Vec<Span>) {
    // one cheap pass decides which detectors can find anything: a repeated
    // mark needs `!`/`?` twice in a row, caps emphasis two upper-case letters
    // in a row, an emoticon one of its characters, a stretched word one
    // letter four times in a row
    let (mut pair_punct, mut pair_caps, mut emoticon, mut stretched) = (false, false, false, false);
    let mut run = 0u8;
    let mut prev = 0u8;
    for &b in text.as_bytes() {
        pair_punct |= matches!(prev, b'!' | b'?') && matches!(b, b'!' | b'?');
        pair_caps |= prev.is_ascii_uppercase() && b.is_ascii_uppercase();
        emoticon |= matches!(b, b'(' | b'<' | b'_');
        run = if b == prev && b.is_ascii_alphabetic() {
            run.saturating_add(1)
        } else {
            1
        };
        stretched |= run >= 4;
        prev = b;
    }
    if pair_punct {
        punctuation_runs(text, out);
    }
    if pair_caps {
        caps_runs(text, out);
    }
    if emoticon {
        emoticons(text, out);
    }
    if stretched {
        elongations(text, out);
    }
}

/// Sad or angry text emoticons: `:(`, `:-(`, `:'(`, `>:(`, `T_T`.
const EMOTICONS: [&str; 8] = [">:(", ":'(", ":-(", ":((", ":(", ";(", "):<", "T_T"];

fn emoticons(text: &str, out: &mut Vec<Span>) {
    if !text.contains(['(', 'T', '<']) {
        return;
    }
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !matches!(bytes[i], b':' | b';' | b'>' | b')' | b'T') {
            i += 1;
            continue;
        }
        let found = EMOTICONS
            .iter()
            .find(|e| bytes[i..].starts_with(e.as_bytes()));
        match found {
            Some(e) => {
                // not part of a word or a URL: "T_T" must stand alone
                let before_ok = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
                let after = i + e.len();
                let after_ok = after >= bytes.len() || !bytes[after].is_ascii_alphanumeric();
                if before_ok && (after_ok || e.ends_with('(')) {
                    out.push(Span::new(i, after));
                }
                i = after;
            }
            None => i += 1,
        }
    }
}

/// Words stretched for emphasis: one letter four or more times in a row
/// ("sooooo", "pleaseeee").
fn elongations(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        let mut stretched = false;
        let mut run = 1;
        i += 1;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            if bytes[i].eq_ignore_ascii_case(&bytes[i - 1]) {
                run += 1;
                stretched |= run >= 4;
            } else {
                run = 1;
            }
            i += 1;
        }
        // a URL or handle is not a word
        let attached =
            start > 0 && matches!(bytes[start - 1], b'/' | b'@' | b'#' | b'.' | b'=' | b'_');
        if stretched && !attached && !(i < bytes.len() && matches!(bytes[i], b'.' | b'/' | b'_')) {
            out.push(Span::new(start, i));
        }
    }
}

fn punctuation_runs(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'!' || bytes[i] == b'?' {
            let start = i;
            let (mut bangs, mut questions) = (0, 0);
            while i < bytes.len() && (bytes[i] == b'!' || bytes[i] == b'?') {
                if bytes[i] == b'!' {
                    bangs += 1;
                } else {
                    questions += 1;
                }
                i += 1;
            }
            if bangs >= 2 || questions >= 2 {
                out.push(Span::new(start, i));
            }
        } else {
            i += 1;
        }
    }
}

/// A word in ALL CAPS counts as emphasis when it has at least 4 letters, or
/// when at least two caps words of 2+ letters stand together, and it is not a
/// handle, hashtag, code or known acronym.
fn caps_runs(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // the current run of caps words: (start, end, words, has a long word)
    let mut run: Option<(usize, usize, usize, bool)> = None;
    let flush = |run: &mut Option<(usize, usize, usize, bool)>, out: &mut Vec<Span>| {
        if let Some((s, e, n, long)) = run.take() {
            if n >= 2 || long {
                out.push(Span::new(s, e));
            }
        }
    };
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            if bytes[i] >= 0x80 || bytes[i] == b'\n' || bytes[i].is_ascii_digit() {
                flush(&mut run, out);
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len()
            && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'\'' || bytes[i] == b'&')
        {
            i += 1;
        }
        let word = &text[start..i];
        let letters = word.bytes().filter(u8::is_ascii_alphabetic).count();
        let prev = start.checked_sub(1).map(|p| bytes[p]);
        let next = bytes.get(i).copied();
        let all_caps = !word
            .bytes()
            .any(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
        if all_caps && letters == 1 {
            continue; // "I", "A": neither emphasis nor a break
        }
        // attached to a handle, path or code, or a redaction placeholder of an
        // export ("[PERSON_NAME]", "{{ORDER}}", "<EMAIL>", "%NAME%")
        let attached = matches!(
            prev,
            Some(b'@' | b'#' | b'/' | b'.' | b'_' | b'-' | b'=' | b'&' | b'[' | b'{' | b'<' | b'%')
        ) || matches!(
            next,
            Some(b'/' | b'_' | b'@' | b'=' | b']' | b'}' | b'>' | b'%')
        ) || (next == Some(b'.')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric));
        if !all_caps {
            flush(&mut run, out);
            continue;
        }
        let bare = word
            .strip_suffix("'S")
            .or_else(|| word.strip_suffix("'s"))
            .unwrap_or(word);
        if !attached && !is_acronym(bare) && word_like(bare) {
            let long = letters >= 4;
            run = Some(match run {
                Some((s, _, n, l)) => (s, i, n + 1, l || long),
                None => (start, i, 1, long),
            });
        } else {
            flush(&mut run, out);
        }
    }
    flush(&mut run, out);
}

/// Whether a caps word looks like an English word rather than a code or a
/// brand abbreviation: at least a quarter of its letters are vowels (A, E, I,
/// O, U) and it does not open with three consonants (bar STR, SCH, THR...).
fn word_like(word: &str) -> bool {
    let b = word.as_bytes();
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let is_vowel = |c: &u8| matches!(c, b'A' | b'E' | b'I' | b'O' | b'U');
    let vowels = b.iter().filter(|c| is_vowel(c)).count();
    let opening = b.len() >= 3 && !b[..3].iter().any(|c| is_vowel(c) || *c == b'Y');
    let english_cluster = [
        "STR", "SCR", "SPR", "SPL", "SCH", "THR", "CHR", "SHR", "PHR",
    ]
    .iter()
    .any(|c| b.starts_with(c.as_bytes()));
    letters > 0 && vowels * 4 >= letters && (!opening || english_cluster)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        intensity_marks(text, &mut out);
        out.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn repeated_punctuation_counts_but_a_lone_interrobang_does_not() {
        assert_eq!(marks("where is it?? hello!!!"), ["??", "!!!"]);
        assert_eq!(marks("really?!?! ok"), ["?!?!"]);
        assert!(marks("really?! ok. Fine!").is_empty());
    }

    #[test]
    fn sad_emoticons_and_stretched_words() {
        assert_eq!(marks("i want to play :( please"), [":("]);
        assert_eq!(marks("why :'( ok"), [":'("]);
        assert_eq!(marks("this is sooooo slow"), ["sooooo"]);
        assert!(marks("see (link) at www.aaaaa.com/x, hmm ok").is_empty());
        assert!(marks("Hello! (see below)").is_empty());
    }

    #[test]
    fn caps_emphasis_but_not_acronyms_handles_or_codes() {
        assert_eq!(marks("the party is TOMORROW"), ["TOMORROW"]);
        assert_eq!(marks("this is NOT OK"), ["NOT OK"]);
        assert!(marks("shipped with USPS to NYC, my PS4 and @DELTA #FAIL").is_empty());
        assert!(marks("I am fine, OK").is_empty());
        assert_eq!(marks("I NEED HELP now"), ["NEED HELP"]);
        assert!(marks("COVID delays").is_empty());
        assert!(marks("my HD 2600 XT card and MCPE").is_empty());
    }

    #[test]
    fn redaction_placeholders_are_not_shouting() {
        assert!(marks("Hi, this is [PERSON_NAME] with [ORGANIZATION].").is_empty());
        assert!(marks("about [DURATION] [DURATION] ago in [LOCATION], [LOCATION]").is_empty());
        assert!(marks("Dear {{CUSTOMER}}, your <EMAIL> and %NAME%").is_empty());
        // real shouting next to a placeholder still counts
        assert_eq!(marks("[NAME] this is UNACCEPTABLE"), ["UNACCEPTABLE"]);
    }
}
