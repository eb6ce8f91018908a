//! Word valence: how negative or positive the words of a customer turn are.
//!
//! The valences come from the VADER sentiment lexicon (MIT License, the data
//! and its notice in `lexicons/external/`), with tactful's corrections: words
//! that in a service conversation name the fault or the request rather than a
//! mood ("problem", "delayed", "please") read as 0
//! (`lexicons/internal/valence.neutral.txt`). A word after a negator in its
//! clause ("not happy") counts reversed and damped, as VADER does it.
//!
//! The scan also notes which negative words are aimed at the company: said in
//! a sentence that addresses it ("you", "your", "@brand") or names its service
//! ("your app", "this company", "customer service").

use crate::matcher::TokenHasher;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::LazyLock;

const VADER: &str = include_str!("../../lexicons/external/vader.tsv");
const NEUTRAL: &str = include_str!("../../lexicons/internal/valence.neutral.txt");

/// How much a negated word keeps of its valence, reversed (VADER's constant).
const NEGATED: f32 = -0.74;

/// The lexicon: words of up to 8 bytes (nearly all) packed into a `u64`
/// key, longer ones by their text.
#[derive(Default)]
struct Table {
    /// One bit per [`sketch`] of the words in the table: a word whose bit is
    /// clear is not in it (most words of a turn), found with no hashing.
    sketches: Vec<u64>,
    short: HashMap<u64, Entry, BuildHasherDefault<TokenHasher>>,
    long: HashMap<&'static str, Entry, BuildHasherDefault<TokenHasher>>,
}

/// What the scan needs to know of a word, found in one look-up.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Entry {
    /// Its valence (0 when the lexicon does not score it).
    valence: f32,
    /// Whether it addresses the company or names its service.
    address: bool,
    /// Whether it negates what follows.
    negator: bool,
}

/// A word of up to 8 bytes as a `u64` (zero-padded, so no two collide).
fn pack(word: &str) -> Option<u64> {
    let b = word.as_bytes();
    if b.len() > 8 {
        return None;
    }
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    Some(u64::from_le_bytes(w))
}

/// Bits of [`Table::sketches`].
const SKETCH_BITS: usize = 1 << 16;

/// A cheap 16-bit summary of a packed word (one multiply).
#[inline]
fn sketch(key: u64) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 48) as usize % SKETCH_BITS
}

impl Table {
    fn entry(&mut self, word: &'static str) -> &mut Entry {
        if self.sketches.is_empty() {
            self.sketches = vec![0; SKETCH_BITS / 64];
        }
        match pack(word) {
            Some(key) => {
                let k = sketch(key);
                self.sketches[k / 64] |= 1 << (k % 64);
                self.short.entry(key).or_default()
            }
            None => self.long.entry(word).or_default(),
        }
    }

    /// The entry of a word of up to 8 bytes, by its packed key.
    #[inline]
    fn get_key(&self, key: u64) -> Option<Entry> {
        let k = sketch(key);
        if self
            .sketches
            .get(k / 64)
            .is_none_or(|bits| bits & (1 << (k % 64)) == 0)
        {
            return None;
        }
        self.short.get(&key).copied()
    }
}

/// The lexicon, parsed once.
static TABLE: LazyLock<Table> = LazyLock::new(|| {
    let neutral: std::collections::HashSet<&str> = NEUTRAL
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let mut table = Table::default();
    // (sized once: the lexicon's 7,000 words grew the table by rehashing)
    table
        .short
        .reserve(memchr::memchr_iter(b'\n', VADER.as_bytes()).count() + 64);
    // (split as `lines` splits, by a vectorized search)
    for (_, line) in crate::topics::model_lines(VADER) {
        if line.starts_with('#') {
            continue;
        }
        // (as `line.split('\t')`'s first two parts, found by byte)
        let (word, value) = match memchr::memchr(b'\t', line.as_bytes()) {
            Some(i) => {
                let rest = &line[i + 1..];
                let end = memchr::memchr(b'\t', rest.as_bytes()).unwrap_or(rest.len());
                (&line[..i], &rest[..end])
            }
            None => continue,
        };
        let Some(value) = decimal(value).or_else(|| value.parse::<f32>().ok()) else {
            continue;
        };
        if !neutral.contains(word) {
            table.entry(word).valence = value;
        }
    }
    for word in ADDRESS {
        table.entry(word).address = true;
    }
    // happy emoji read as positive words ("Perfect!! 😊"); the angry and sad
    // ones are distress phrases of their own
    // (a smile is aimed at whoever reads it, as thanks are)
    for emoji in POSITIVE_EMOJI.into_iter().chain(PRAISE) {
        let entry = table.entry(emoji);
        entry.valence = 2.0;
        entry.address = true;
    }
    // (the tokenizer splits "don't" into "do" and "n't")
    for word in crate::analyzer::NEGATORS.into_iter().chain(["n't"]) {
        table.entry(word).negator = true;
    }
    table
});

/// A plain decimal (`-?` one to seven digits, then maybe `.` and one to
/// three digits) as `str::parse::<f32>` reads it, with no general float
/// parse: the digits as an integer (exact in an `f32` below 2^24) divided by
/// a power of ten (exact), and a division is rounded correctly, so the
/// result is the `f32` nearest the decimal, as `parse` gives. `None` for
/// anything else, which the caller parses.
fn decimal(v: &str) -> Option<f32> {
    let (neg, b) = match v.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        b => (false, b),
    };
    let (int, frac) = match b.iter().position(|&c| c == b'.') {
        Some(dot) => (&b[..dot], &b[dot + 1..]),
        None => (b, &b""[..]),
    };
    if int.is_empty()
        || int.len() > 7
        || (b.len() > int.len() && (frac.is_empty() || frac.len() > 3))
    {
        return None;
    }
    // (ten digits at most: no overflow)
    let mut n: u64 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u64::from(c - b'0');
    }
    if n >= 1 << 24 {
        return None;
    }
    let x = n as f32 / [1.0, 10.0, 100.0, 1000.0][frac.len()];
    Some(if neg { -x } else { x })
}

/// The valence of one lower-case word (0 when the lexicon does not score it
/// or reads it as neutral in a service conversation).
pub(crate) fn valence_of(word: &str) -> f32 {
    let entry = match pack(word) {
        Some(key) => TABLE.get_key(key),
        None => TABLE.long.get(word).copied(),
    };
    entry.map_or(0.0, |e| e.valence)
}

/// What [`ValenceScan::token`] finds for the token `word` (none for a word
/// the lexicon does not have), to be handed to [`ValenceScan::token_known`].
pub(crate) fn entry_of(word: &str) -> Option<Entry> {
    match pack(word) {
        Some(key) => TABLE.get_key(key),
        None => TABLE.long.get(word).copied(),
    }
}

/// Forces the lexicon to load (so the first turn analyzed does not pay for it).
pub(crate) fn preload() {
    LazyLock::force(&TABLE);
}

/// The valence of a turn.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Valence {
    /// Sum of the negative valences, as a positive number.
    pub negative: f32,
    /// Sum of the positive valences.
    pub positive: f32,
    /// The part of `negative` said in sentences aimed at the company.
    pub aimed: f32,
    /// The part of `positive` said in sentences aimed at the company
    /// ("thank you", "you guys rock").
    pub aimed_positive: f32,
    /// The most negative word aimed at the company, if any (normalized byte
    /// range and valence).
    pub strongest: Option<(u32, u32, f32)>,
    /// The most negative word, aimed or not (same form).
    pub worst: Option<(u32, u32, f32)>,
}

/// Words that address the company or name its service (and any `@handle`),
/// thanks included: thanks are said to someone.
const ADDRESS: [&str; 36] = [
    "you",
    "your",
    "you're",
    "youre",
    "yours",
    "yourself",
    "yourselves",
    "u",
    "ur",
    "y'all",
    "yall",
    "company",
    "service",
    "services",
    "support",
    "app",
    "website",
    "site",
    "staff",
    "team",
    "airline",
    "bank",
    "store",
    "shop",
    "business",
    "firm",
    "outfit",
    "product",
    "system",
    "thanks",
    "thank",
    "thx",
    "ty",
    "cheers",
    "ta",
    "appreciate",
];

/// Emoji of delight or approval, scored as a clearly positive word.
const POSITIVE_EMOJI: [&str; 22] = [
    "😊", "😀", "😁", "😃", "😄", "😍", "🥰", "😘", "🙂", "😂", "🤣", "👍", "🙏", "🎉", "💯", "✨",
    "🙌", "🥳", "🤩", "👌", "💖", "💕",
];

/// Words of public praise the sentiment lexicon does not score ("shoutout to
/// the lad at the dumpling stall!!!"), read as the happy emoji are.
const PRAISE: [&str; 2] = ["shoutout", "shoutouts"];

/// Reads the valence of a normalized customer turn from its tokens, as the
/// matcher's tokenizer gives them (`crate::lexicon::fast_tokens`): feed
/// every token to [`ValenceScan::token`], then take [`ValenceScan::finish`].
/// The matcher hands the tokens over during its own pass
/// (`Matcher::scan_with`), so the text is read once.
pub(crate) struct ValenceScan {
    table: &'static Table,
    v: Valence,
    /// The current sentence: its negative and positive sums, whether it
    /// addresses the company, and its most negative word.
    negative: f32,
    positive: f32,
    addressed: bool,
    strongest: Option<(u32, u32, f32)>,
    /// Whether each of the last three words of the clause negates.
    negators: [bool; 3],
    /// The last token was `@` (a handle follows).
    at: bool,
}

impl ValenceScan {
    /// A scan at the start of a turn.
    pub(crate) fn new() -> ValenceScan {
        ValenceScan {
            table: &TABLE,
            v: Valence::default(),
            negative: 0.0,
            positive: 0.0,
            addressed: false,
            strongest: None,
            negators: [false; 3],
            at: false,
        }
    }

    /// Reads the token `a..b` of `norm` (`key`: its bytes packed as the
    /// tokenizer packs them, 0 past eight bytes).
    #[inline]
    pub(crate) fn token(&mut self, norm: &str, a: usize, b: usize, key: u64) {
        if self.mark(a, b, key) {
            return;
        }
        let entry = if key != 0 {
            self.table.get_key(key)
        } else {
            norm.get(a..b).and_then(|w| self.table.long.get(w).copied())
        };
        self.word(a, b, entry);
    }

    /// [`ValenceScan::token`] of a token whose entry was looked up before
    /// ([`entry_of`] of its text).
    #[inline]
    pub(crate) fn token_known(&mut self, a: usize, b: usize, key: u64, entry: Option<Entry>) {
        if !self.mark(a, b, key) {
            self.word(a, b, entry);
        }
    }

    /// Reads the token `a..b` if it is a mark that ends a sentence or a
    /// clause or opens a handle; whether it was.
    #[inline(always)]
    fn mark(&mut self, a: usize, b: usize, key: u64) -> bool {
        if b - a == 1 {
            match key as u8 {
                b'.' | b'!' | b'?' => {
                    self.close_sentence();
                    self.negators = [false; 3];
                    return true;
                }
                b',' | b';' | b':' => {
                    self.negators = [false; 3];
                    return true;
                }
                b'@' => {
                    self.at = true;
                    return true;
                }
                _ => {}
            }
        }
        false
    }

    /// Reads the token `a..b` (no mark) whose entry is `entry`.
    #[inline(always)]
    fn word(&mut self, a: usize, b: usize, entry: Option<Entry>) {
        if std::mem::take(&mut self.at) {
            self.addressed = true;
        }
        let Some(entry) = entry else {
            self.negators = [self.negators[1], self.negators[2], false];
            return;
        };
        self.addressed |= entry.address;
        if entry.valence != 0.0 {
            let value = if self.negators.contains(&true) {
                entry.valence * NEGATED
            } else {
                entry.valence
            };
            if value < 0.0 {
                self.negative -= value;
                // a negated kind word ("not great") counts in the sums, but
                // only a word negative in itself is pointed at as evidence
                if entry.valence < 0.0 {
                    let here = Some((a as u32, b as u32, value));
                    if self.v.worst.is_none_or(|w| value < w.2) {
                        self.v.worst = here;
                    }
                    if self.strongest.is_none_or(|s| value < s.2) {
                        self.strongest = here;
                    }
                }
            } else {
                self.positive += value;
            }
        }
        self.negators = [self.negators[1], self.negators[2], entry.negator];
    }

    fn close_sentence(&mut self) {
        let v = &mut self.v;
        v.negative += self.negative;
        v.positive += self.positive;
        if self.addressed {
            v.aimed += self.negative;
            v.aimed_positive += self.positive;
            if let Some(s) = self.strongest {
                if v.strongest.is_none_or(|b| s.2 < b.2) {
                    v.strongest = Some(s);
                }
            }
        }
        self.negative = 0.0;
        self.positive = 0.0;
        self.addressed = false;
        self.strongest = None;
    }

    /// The turn's valence.
    pub(crate) fn finish(mut self) -> Valence {
        self.close_sentence();
        self.v
    }
}

/// Scans a normalized customer turn and returns its valence (what
/// [`ValenceScan`] gives when fed the turn's tokens).
#[cfg(test)]
pub(crate) fn scan(norm: &str) -> Valence {
    let mut scan = ValenceScan::new();
    let mut tokens = crate::lexicon::fast_tokens(norm);
    while let Some((a, b, key)) = tokens.next_keyed() {
        scan.token(norm, a, b, key);
    }
    scan.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_decimal_reads_as_parse_reads_it() {
        let mut values: Vec<String> = VADER
            .lines()
            .filter_map(|l| l.split('\t').nth(1))
            .map(str::to_string)
            .collect();
        for n in 0..20_000u32 {
            values.push(format!("{}.{:03}", n / 1000, n % 1000));
            values.push(format!("-{}.{:02}", n / 100, n % 100));
            values.push(format!("{}.{}", n / 10, n % 10));
            values.push(format!("-{n}"));
        }
        for v in [
            "",
            "-",
            ".",
            "1.",
            ".5",
            "-.5",
            "+1",
            "1e3",
            "0",
            "-0",
            "-0.0",
            "1.2345",
            "16777215",
            "1677721.5",
            "9999999.999",
            "12345678",
            "1.2.3",
            "1-2",
            " 1",
            "nan",
            "inf",
        ] {
            values.push(v.to_string());
        }
        let mut taken = 0;
        for v in &values {
            if let Some(x) = decimal(v) {
                taken += 1;
                let want = v.parse::<f32>().unwrap_or_else(|_| panic!("{v:?}"));
                assert_eq!(x.to_bits(), want.to_bits(), "{v:?}");
            }
        }
        assert!(taken > 80_000, "{taken}");
    }
    use crate::text::Normalized;

    fn valence(text: &str) -> Valence {
        scan(Normalized::of(text).as_str())
    }

    #[test]
    fn negative_words_aimed_at_the_company_are_noted() {
        let v = valence("Your app is useless. The storm was terrible.");
        assert!(v.negative > 3.0, "{v:?}");
        assert!(v.aimed > 1.0 && v.aimed < v.negative, "{v:?}");
        let n = Normalized::of("Your app is useless. The storm was terrible.");
        let (s, e, _) = v.strongest.expect("an aimed word");
        assert_eq!(&n.as_str()[s as usize..e as usize], "useless");
    }

    #[test]
    fn negation_reverses_and_fault_words_are_neutral() {
        assert!(valence("I'm not happy with you").negative > 0.5);
        assert!(valence("not bad at all").positive > 0.5);
        let calm = valence("Please help, the delivery is delayed and there is a problem.");
        assert_eq!(calm.negative, 0.0, "{calm:?}");
        assert!(valence("thank you so much!!").positive > 1.0);
    }
}
