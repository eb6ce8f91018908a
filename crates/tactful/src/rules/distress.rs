//! `distress.*`: customer-side evidence that the customer is upset.
//!
//! The evidence is reported only in turns that [`crate::distress`]'s model
//! scores at or above the threshold.
//!
//! Phrase lists (`lexicons/distress.*.txt`) read on customer turns, plus
//! `distress.intensity` marks found in code: ALL-CAPS emphasis (not acronyms
//! or codes), runs of "!!", "???" or "?!?", sad or angry emoticons (`:(`,
//! `>:(`, `T_T`) and words stretched for emphasis ("sooooo"). The byte-level
//! scans that find them live beside the text model, in `text::emphasis`;
//! this module says which of them count (known acronyms do not).

use crate::rule::declare_rule;
use crate::span::Span;
use crate::text::emphasis::{self, Needs};

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
    /// Criticism or insult aimed at the company, its staff or its product,
    /// found by the valence of the words (a sentiment lexicon) in a sentence
    /// that addresses the company: "your app is useless", "you lot are
    /// clowns", "worst airline ever @brand".
    ///
    /// ## Why it matters
    /// Open anger at the brand is distress even with no feeling word.
    CRITICISM {
        id: "distress.criticism",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "criticism aimed at the company",
        message: "The customer criticizes the company, its staff or its product.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// Negative words about the situation that no other distress rule names
    /// ("this is a disaster", "what a mess"), reported when they tip the
    /// turn's distress score over the threshold.
    TONE {
        id: "distress.tone",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "a negative tone",
        message: "The customer's words are strongly negative.",
        suggestion: None,
    }
}

declare_rule! {
    /// ## What it detects
    /// A customer turn whose words read as upset to the distress word model
    /// (see [`crate::sentence_model`]) though the evidence the phrase lists
    /// and marks give does not reach the threshold: harm told calmly ("the
    /// kids have missed their lesson and we've stood here two hours"),
    /// sarcasm, a complaint told flat. Points at the sentence that weighs
    /// most.
    ///
    /// ## Why it matters
    /// Upset is not always said in the words a list names; the agent should
    /// acknowledge it all the same.
    IMPLIED {
        id: "distress.implied",
        category: Distress,
        kind: Signal,
        severity: Info,
        role: Customer,
        summary: "upset in words no list names",
        message: "The customer's words read as upset.",
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
    /// codes such as USPS or PS4 are not counted), "!!", "???", "?!?!", and words
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

/// Whether a caps word is a known acronym or code ("USPS", "NYC"), which is
/// not shouting.
fn is_acronym(word: &str) -> bool {
    acronyms().binary_search(&word).is_ok()
}

/// Whether a quote mark stands right before or right after `span`.
fn quoted(text: &str, span: Span) -> bool {
    let is_quote = |c: char| {
        matches!(
            c,
            '\'' | '"' | '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}'
        )
    };
    let before = text
        .get(..span.start as usize)
        .and_then(|t| t.chars().next_back());
    let after = text.get(span.end as usize..).and_then(|t| t.chars().next());
    before.is_some_and(is_quote) || after.is_some_and(is_quote)
}

/// Whether the capitals are called out to someone in the room, in an aside
/// between dashes: a name in capitals that is no English word, a comma, then
/// the run ("— JAYDEN, SHOES ON, NOW — sorry", "doing it now – MIA, BELT,
/// PLEASE"). A name called to the company ("STEVE, WHERE IS MY REFUND")
/// opens no aside.
fn said_in_the_room(text: &str, span: Span) -> bool {
    let before = text
        .get(..span.start as usize)
        .unwrap_or_default()
        .trim_end();
    let Some(before) = before.strip_suffix(',') else {
        return false;
    };
    let before = before.trim_end();
    let name_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_ascii_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = &before[name_start..];
    name.len() >= 2
        && name.bytes().all(|b| b.is_ascii_uppercase())
        && !is_shouted_word(name)
        && before[..name_start]
            .trim_end()
            .ends_with(['\u{2014}', '\u{2013}', '-'])
}

/// Whether the capitals are called to someone in the room in a sentence of
/// their own, the caller then turning back to the agent: the sentence is the
/// capitals alone ("He's in the garden. MARTIN! Hang on...") or opens or
/// closes with a name that is no English word set off by a comma ("Tobi, put
/// that DOWN, it's not yours. Sorry, the kids are off school.", "No, the BLUE
/// bag, Alan. Sorry, that was my husband."), and the next sentence opens
/// with a word to the agent about the interruption ("sorry", "hang on",
/// "one sec").
fn called_aside(text: &str, span: Span) -> bool {
    let (start, end) = (span.start as usize, span.end as usize);
    let (Some(before), Some(after)) = (text.get(..start), text.get(end..)) else {
        return false;
    };
    let Some(close) = after.find(['.', '!', '?']) else {
        return false;
    };
    let next = after[close..]
        .trim_start_matches(['.', '!', '?', ' ', '\n'])
        .as_bytes();
    let at = |p: &str| crate::text::starts_with_ignore_case(next, p.as_bytes());
    if ![
        "sorry",
        "hang on",
        "hold on",
        "one sec",
        "one moment",
        "one minute",
        "just a sec",
        "just a minute",
        "bear with",
        "excuse me",
        "apologies",
    ]
    .iter()
    .any(|p| at(p))
    {
        return false;
    }
    // ("Sorry for shouting", "sorry, but it is": the apology owns the raised
    // voice or keeps to it, and speaks of no interruption)
    let apology = ["sorry", "apologies"]
        .iter()
        .find(|p| at(p))
        .map_or(0, |p| p.len());
    let rest = next[apology..].trim_ascii_start();
    let rest = rest.strip_prefix(b",").unwrap_or(rest).trim_ascii_start();
    if apology > 0
        && [&b"for"[..], b"but", b"about", b"if", b"to "]
            .iter()
            .any(|w| crate::text::starts_with_ignore_case(rest, w))
    {
        return false;
    }
    let opening = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let sentence = before[opening..].trim_start();
    if sentence.is_empty() {
        // the capitals are the sentence ("MARTIN!")
        return after[..close].trim().is_empty();
    }
    // a name opening the sentence ("Tobi, put that DOWN") or closing it
    // ("No, the BLUE bag, Alan.")
    let opens = sentence.split_once(',').map(|(name, _)| name);
    let closes = after[..close].rsplit_once(',').map(|(_, name)| name.trim());
    opens.is_some_and(is_name) || closes.is_some_and(is_name)
}

/// Whether `word` is a capitalized name that is no English word ("Tobi",
/// "Alan"; not "Honestly", "No").
fn is_name(word: &str) -> bool {
    let mut lower = [0u8; 32];
    word.len() >= 2
        && word.len() <= lower.len()
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.bytes().all(|b| b.is_ascii_alphabetic())
        && {
            for (l, c) in lower.iter_mut().zip(word.bytes()) {
                *l = c.to_ascii_lowercase();
            }
            !is_common_word(&lower[..word.len()])
        }
}

/// The words before `span`, nearest first (a colon or a comma right before
/// it skipped: "status: DECLINED").
fn words_before(text: &str, span: Span) -> impl Iterator<Item = &str> {
    text.get(..span.start as usize)
        .unwrap_or_default()
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | ','))
        .rsplit(|c: char| !c.is_alphabetic() && c != '\'')
        .filter(|w| !w.is_empty())
}

/// Whether the word before `span` says the capitals are read off a screen, a
/// label or a status ("the gate says INVALID", "status: DECLINED", "it
/// shows PENDING").
fn shown_text(text: &str, span: Span) -> bool {
    let mut words = words_before(text, span);
    let word = words.next().unwrap_or_default();
    // what the customer said themselves is their own voice ("I said STOP")
    if words.next().is_some_and(|w| {
        ["i", "we", "i've", "we've", "i'd", "we'd"]
            .iter()
            .any(|s| w.eq_ignore_ascii_case(s))
    }) {
        return false;
    }
    [
        "says",
        "said",
        "saying",
        "shows",
        "showing",
        "showed",
        "reads",
        "reading",
        "displays",
        "displaying",
        "status",
        "error",
        "message",
        "labelled",
        "labeled",
        "marked",
        "stamped",
        "printed",
    ]
    .iter()
    .any(|w| word.eq_ignore_ascii_case(w))
}

/// Whether the token after `span` is a reference code ("ORDER TB-1192",
/// "REF #4410"): the capitals label it.
fn labels_a_code(text: &str, span: Span) -> bool {
    let rest = text.get(span.end as usize..).unwrap_or_default();
    let Some(next) = rest
        .strip_prefix([' ', ':'])
        .map(|r| r.trim_start())
        .and_then(|r| {
            r.split(|c: char| c.is_whitespace() || matches!(c, ')' | ',' | '.'))
                .next()
        })
    else {
        return false;
    };
    next.bytes().any(|b| b.is_ascii_digit())
        && (next.starts_with('#') || next.bytes().any(|b| b.is_ascii_uppercase()))
        && !is_ordinal(next)
}

/// Whether the capitals are a keyword the customer texted or typed ("I
/// texted PAWS to 70085", "reply STOP"): the word before the run sends it,
/// or a short code follows ("... to 70085").
fn sent_keyword(text: &str, span: Span) -> bool {
    let prev = words_before(text, span).next().unwrap_or_default();
    const SENDS: [&str; 14] = [
        "text", "texted", "texting", "txt", "txted", "reply", "replied", "replying", "send",
        "sent", "sending", "type", "typed", "typing",
    ];
    let rest = text.get(span.end as usize..).unwrap_or_default();
    SENDS.iter().any(|w| prev.eq_ignore_ascii_case(w))
        || rest
            .strip_prefix(" to ")
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a word is an ordinal in figures ("4TH", "21st", "2ND"): a date
/// or a count said in capitals, not a code.
fn is_ordinal(word: &str) -> bool {
    let b = word.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    digits > 0
        && b.len() == digits + 2
        && ["st", "nd", "rd", "th"]
            .iter()
            .any(|s| b[digits..].eq_ignore_ascii_case(s.as_bytes()))
}

/// Whether the word after `span` makes it the name of a plan or product.
fn names_a_product(text: &str, span: Span) -> bool {
    // the first word after the run that is not itself in capitals or a
    // number ("the UNLIMITED MAX 5G plan")
    let rest = text.get(span.end as usize..).unwrap_or_default();
    let next = rest
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(4)
        .find(|w| w.chars().any(|c| c.is_lowercase()))
        .unwrap_or_default()
        .to_lowercase();
    matches!(
        next.as_str(),
        "plan"
            | "plans"
            | "package"
            | "bundle"
            | "tier"
            | "edition"
            | "model"
            | "version"
            | "membership"
            | "pass"
            | "card"
            | "account"
            | "subscription"
            | "deal"
            | "offer"
            | "range"
            | "series"
            | "box"
            | "kit"
            | "file"
            | "files"
            | "format"
            | "formats"
            | "button"
            | "key"
            | "tab"
            | "menu"
            | "mode"
            | "setting"
            | "option"
            | "code"
            | "extension"
    )
}

const WORDS: &str = include_str!("../../lexicons/external/words.txt");

// (`WORD_SPANS`, the index of the list written by `build.rs`)
include!(concat!(env!("OUT_DIR"), "/words_index.rs"));

/// The word of the common-word list at `span` (an entry of `WORD_SPANS`).
#[inline]
fn listed_word(span: u32) -> &'static [u8] {
    let start = (span >> 8) as usize;
    let end = start + (span & 0xff) as usize;
    WORDS.as_bytes().get(start..end).unwrap_or_default()
}

/// Whether `lower` (lower case) is a common English word (SCOWL size 35,
/// lower case, sorted): a caps word is emphasis only if it is one of them
/// ("STILL", "WHY", "TOMORROW"), not a brand, product code or acronym
/// ("CPAP", "YOUTUBE", "MCPE"). A look in the list's hash table, written at
/// build time: nothing is parsed at run time (splitting the 40,000 lines on
/// the first look cost some 4.5 M instructions a process).
///
/// The table's slots hold the words' spans, so a look reads a slot (or a
/// few: it is about 30% full) and compares the one word of the same length
/// there; a binary search through the words opening with `lower`'s first
/// byte took a dozen steps, each a load from a list read on only one turn
/// in ten, and so a cache miss (the test holds the two to the same answers).
pub(crate) fn is_common_word(lower: &[u8]) -> bool {
    let mask = WORD_TABLE.len() - 1;
    let mut i = word_slot(lower);
    loop {
        let span = WORD_TABLE[i];
        if span == 0 {
            return false;
        }
        if (span & 0xff) as usize == lower.len() && listed_word(span) == lower {
            return true;
        }
        i = (i + 1) & mask;
    }
}

/// The first slot of `word` in `WORD_TABLE` (as `build.rs` places the
/// words): FNV-1a over its bytes, then the top bits of a multiply.
#[inline]
fn word_slot(word: &[u8]) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - WORD_TABLE_BITS)) as usize
}

/// [`is_common_word`] as a binary search through the words opening with
/// `lower`'s first byte (`WORD_FIRST`), comparing the bytes after it: the
/// reference the hash table is held to.
#[cfg(test)]
fn is_common_word_searched(lower: &[u8]) -> bool {
    let Some((&first, rest)) = lower.split_first() else {
        return false;
    };
    let b = usize::from(first);
    let (from, to) = (WORD_FIRST[b] as usize, WORD_FIRST[b + 1] as usize);
    WORD_SPANS
        .get(from..to)
        .unwrap_or_default()
        .binary_search_by(|&span| listed_word(span).get(1..).unwrap_or_default().cmp(rest))
        .is_ok()
}

/// Whether a word written in capitals is shouting: an English word that is
/// not a known acronym ("OK" counts as a word).
fn is_shouted_word(word: &str) -> bool {
    if is_acronym(word) {
        return false;
    }
    // lower-cased on the stack (a caps word is short)
    let mut buf = [0u8; 32];
    let Some(lower) = buf.get_mut(..word.len()) else {
        let lower = word.to_ascii_lowercase();
        return lower == "ok" || is_common_word(lower.as_bytes());
    };
    for (l, c) in lower.iter_mut().zip(word.bytes()) {
        *l = c.to_ascii_lowercase();
    }
    lower == b"ok" || is_common_word(lower)
}

/// Finds intensity marks in the original text of a customer turn: repeated
/// `!`/`?`, ALL-CAPS emphasis that is not a known acronym, sad or angry
/// emoticons and stretched words, as the byte-level scans of
/// [`crate::text::emphasis`] find them. Spans are original byte offsets.
pub(crate) fn intensity_marks(text: &str, out: &mut Vec<Span>) {
    // one cheap pass decides which detectors can find anything: a repeated
    // mark needs `!`/`?` twice in a row, caps emphasis two upper-case letters
    // in a row, an emoticon one of its characters, a stretched word one
    // letter four times in a row
    // (the pre-check and the detectors are `inline(never)`: inlined into
    // the turn loop they cost more instructions, by callgrind)
    let Needs {
        pair_punct,
        pair_caps,
        emoticon,
        stretched,
    } = emphasis::needs(text.as_bytes());
    if pair_punct {
        emphasis::punctuation_runs(text, out);
    }
    if pair_caps {
        let from = out.len();
        emphasis::caps_runs(text, is_shouted_word, out);
        // capitals quoted from a screen or a manual ("'PAYMENT FAILED'", "the
        // label says DO NOT IMMERSE") or naming a plan ("the UNLIMITED MAX
        // plan") are not the customer raising their voice
        let mut k = 0;
        out.retain(|span| {
            k += 1;
            k <= from
                || !(quoted(text, *span)
                    || said_in_the_room(text, *span)
                    || called_aside(text, *span)
                    || names_a_product(text, *span)
                    || shown_text(text, *span)
                    || labels_a_code(text, *span)
                    || sent_keyword(text, *span))
        });
    }
    if emoticon {
        emphasis::emoticons(text, out);
    }
    if stretched {
        emphasis::elongations(text, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitals_called_to_someone_in_the_room_then_a_word_to_the_agent() {
        let found = |t: &str| {
            let mut out = Vec::new();
            intensity_marks(t, &mut out);
            out.iter()
                .map(|s| t[s.start as usize..s.end as usize].to_string())
                .collect::<Vec<_>>()
        };
        assert!(found("He's out the back. MARTIN! Hang on, he's coming.").is_empty());
        assert!(
            found("Kai, put that DOWN, it's not yours. Sorry, the kids are off today.").is_empty()
        );
        // said to the agent, or no turn back to the agent: still raised
        assert_eq!(
            found("This is the third time. STOP sending me letters."),
            ["STOP"]
        );
        assert_eq!(found("Kai, put that DOWN, it's not yours."), ["DOWN"]);
        // a keyword texted or typed is no raised voice; the same word
        // shouted is
        assert!(found("I texted PAWS to 70085 on Sunday and got charged three times.").is_empty());
        assert!(found("It says reply STOP to opt out.").is_empty());
        assert_eq!(found("Please STOP sending me letters."), ["STOP"]);
        assert!(found("No, the BLUE bag, Kai. Sorry, that was my husband.").is_empty());
        assert_eq!(
            found("Three weeks now. RIDICULOUS! Sorry for shouting."),
            ["RIDICULOUS"]
        );
        assert_eq!(
            found("Honestly, this is a JOKE. Sorry, but it is."),
            ["JOKE"]
        );
    }

    #[test]
    fn an_ordinal_after_capitals_is_no_code() {
        for (w, ordinal) in [
            ("4TH", true),
            ("21st", true),
            ("2ND", true),
            ("3rd", true),
            ("4TH5", false),
            ("TH", false),
            ("AB12", false),
            ("12", false),
            ("4THS", false),
        ] {
            assert_eq!(is_ordinal(w), ordinal, "{w}");
        }
        let caps = |t: &str| {
            let mut out = Vec::new();
            intensity_marks(t, &mut out);
            !out.is_empty()
        };
        assert!(caps("I PAID THIS ON THE 4TH."));
        assert!(!caps("MY ORDER NUMBER AB12345 is wrong"));
        // called out to a child in the room, not at the company
        assert!(!caps(
            "any chance of nine? it's the school run \u{2014} KAYDEN, COAT ON, NOW \u{2014} sorry."
        ));
        assert!(caps("any chance of nine? KAYDEN, COAT ON, NOW"));
        assert!(caps("I asked twice \u{2014} WHERE IS MY REFUND"));
    }

    #[test]
    fn the_word_list_is_indexed_as_lines_splits_it() {
        let plain: Vec<&str> = WORDS
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let indexed: Vec<&[u8]> = WORD_SPANS.iter().map(|&s| listed_word(s)).collect();
        let plain_bytes: Vec<&[u8]> = plain.iter().map(|w| w.as_bytes()).collect();
        assert_eq!(indexed, plain_bytes);
        assert!(plain.len() > 30_000 && plain.windows(2).all(|w| w[0] < w[1]));
        // every word is found, and a word not listed is not
        for w in &plain {
            assert!(is_common_word(w.as_bytes()), "{w}");
            assert!(!is_common_word(format!("{w}qx").as_bytes()), "{w}qx");
        }
        assert!(!is_common_word(b""));
        assert!(!is_common_word(b"zzzzzzzz"));
        // the index by first byte, and the search through it, agree with
        // one binary search of the whole list (words, their prefixes and
        // words one byte longer, any byte first)
        let plain_search = |w: &[u8]| plain_bytes.binary_search(&w).is_ok();
        for b in 0..256 {
            let (from, to) = (WORD_FIRST[b] as usize, WORD_FIRST[b + 1] as usize);
            assert!(from <= to);
            assert!(indexed[from..to].iter().all(|w| usize::from(w[0]) == b));
        }
        assert_eq!(WORD_FIRST[256] as usize, plain.len());
        let mut probes: Vec<Vec<u8>> = Vec::new();
        for w in plain.iter().step_by(7) {
            let w = w.as_bytes();
            for cut in 1..=w.len() {
                probes.push(w[..cut].to_vec());
            }
            probes.push([w, b"a"].concat());
            probes.push([w, b"\xff"].concat());
            probes.push([&[0xc3], w].concat());
        }
        for b in 0..=255u8 {
            probes.push(vec![b]);
            probes.push(vec![b, b'a']);
        }
        for p in &probes {
            assert_eq!(is_common_word(p), plain_search(p), "{p:?}");
            assert_eq!(is_common_word_searched(p), plain_search(p), "{p:?}");
        }
    }

    #[test]
    fn shouted_words_are_read_as_their_lower_case() {
        for w in [
            "STILL", "OK", "Ok", "WHY", "NASA", "USPS", "YOUTUBE", "I'M", "CPAP", "",
        ] {
            let lower = w.to_ascii_lowercase();
            let want = !is_acronym(w) && (lower == "ok" || is_common_word(lower.as_bytes()));
            assert_eq!(is_shouted_word(w), want, "{w}");
        }
        // a word longer than the stack buffer
        let long = "A".repeat(40);
        assert!(!is_shouted_word(&long));
    }

    fn marks(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        intensity_marks(text, &mut out);
        out.iter().map(|s| &text[s.range()]).collect()
    }

    #[test]
    fn repeated_punctuation_counts_but_a_lone_interrobang_does_not() {
        assert_eq!(marks("where is it?? hello!!!"), ["!!!"]);
        assert_eq!(marks("where is it??? ok?!?"), ["???", "?!?"]);
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
        // a word that starts in lower case or with a digit is one word,
        // never caps, whatever follows inside it
        assert!(marks("my iPHONE and a3BCDE, x'DONE& ok").is_empty());
        assert_eq!(marks("GREAT now THIS IS it"), ["GREAT", "THIS IS"]);
        // read off a screen or a label, or naming a reference code
        assert!(marks("the pass won't scan, the gate says INVALID").is_empty());
        assert!(marks("status: DECLINED again").is_empty());
        assert!(marks("my tote bag (ORDER TB-1192) came wrong").is_empty());
        assert_eq!(marks("it STILL says nothing"), ["STILL"]);
        assert_eq!(marks("I WAITED 3 hours"), ["WAITED"]);
    }

    #[test]
    fn caps_are_shouting_only_in_english_words() {
        // tested against a word list, not by the look of the letters
        assert_eq!(marks("it STILL does not work"), ["STILL"]);
        assert_eq!(marks("WHY IS THIS so slow"), ["WHY IS THIS"]);
        assert!(marks("my CPAP machine and the MCPE app").is_empty());
        assert!(marks("HI YOUTUBE please").is_empty());
        // the short number words stress a count ("after ONE wash")
        assert_eq!(marks("it cracked after ONE wash"), ["ONE"]);
        assert_eq!(marks("no slots for SIX weeks"), ["SIX"]);
    }

    #[test]
    fn quoted_capitals_and_plan_names_are_not_shouting() {
        assert!(marks("the screen says 'PAYMENT FAILED' again").is_empty());
        assert!(marks("I'm on the UNLIMITED MAX plan").is_empty());
        assert_eq!(marks("I said STOP calling me"), ["STOP"]);
    }

    #[test]
    fn redaction_placeholders_are_not_shouting() {
        assert!(marks("Hello, [PERSON_NAME] here from [ORGANIZATION].").is_empty());
        assert!(marks("about [DURATION] [DURATION] ago in [LOCATION], [LOCATION]").is_empty());
        assert!(marks("Dear {{CUSTOMER}}, your <EMAIL> and %NAME%").is_empty());
        // real shouting next to a placeholder still counts
        assert_eq!(marks("[NAME] this is UNACCEPTABLE"), ["UNACCEPTABLE"]);
    }
}
