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
#[derive(Debug, Clone, Copy, Default)]
struct Entry {
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

/// A cheap 16-bit summary of a word: its first two bytes, its last byte and
/// its length.
fn sketch(word: &[u8]) -> usize {
    let (first, second, last) = match word {
        [] => (0, 0, 0),
        [a] => (*a, 0, *a),
        [a, b, rest @ ..] => (*a, *b, *rest.last().unwrap_or(b)),
    };
    let h = (u32::from(first) << 11)
        ^ (u32::from(second) << 5)
        ^ (u32::from(last).wrapping_mul(0x9e37))
        ^ ((word.len() as u32) << 12);
    h as usize % SKETCH_BITS
}

impl Table {
    fn entry(&mut self, word: &'static str) -> &mut Entry {
        if self.sketches.is_empty() {
            self.sketches = vec![0; SKETCH_BITS / 64];
        }
        let k = sketch(word.as_bytes());
        self.sketches[k / 64] |= 1 << (k % 64);
        match pack(word) {
            Some(k) => self.short.entry(k).or_default(),
            None => self.long.entry(word).or_default(),
        }
    }

    fn get(&self, word: &str) -> Option<Entry> {
        let k = sketch(word.as_bytes());
        if self
            .sketches
            .get(k / 64)
            .is_none_or(|bits| bits & (1 << (k % 64)) == 0)
        {
            return None;
        }
        match pack(word) {
            Some(k) => self.short.get(&k).copied(),
            None => self.long.get(word).copied(),
        }
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
    for line in VADER.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut parts = line.split('\t');
        let (Some(word), Some(value)) = (parts.next(), parts.next()) else {
            continue;
        };
        let Ok(value) = value.parse::<f32>() else {
            continue;
        };
        if !neutral.contains(word) {
            table.entry(word).valence = value;
        }
    }
    for word in ADDRESS {
        table.entry(word).address = true;
    }
    for word in crate::analyzer::NEGATORS {
        table.entry(word).negator = true;
    }
    table
});

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

/// Words that address the company or name its service (and any `@handle`).
const ADDRESS: [&str; 29] = [
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
];

/// Scans a normalized customer turn and returns its valence.
pub(crate) fn scan(norm: &str) -> Valence {
    let table = &*TABLE;
    let mut v = Valence::default();
    // the current sentence: its negative sum, whether it addresses the
    // company, and its most negative word
    let (mut sentence_negative, mut addressed) = (0.0f32, false);
    let mut sentence_positive = 0.0f32;
    let mut sentence_strongest: Option<(u32, u32, f32)> = None;
    // whether each of the last three words of the clause negates
    let mut negators = [false; 3];
    let bytes = norm.as_bytes();
    let mut i = 0;
    let close_sentence = |v: &mut Valence,
                          negative: &mut f32,
                          positive: &mut f32,
                          addressed: &mut bool,
                          strongest: &mut Option<(u32, u32, f32)>| {
        v.negative += *negative;
        v.positive += *positive;
        if *addressed {
            v.aimed += *negative;
            v.aimed_positive += *positive;
            if let Some(s) = strongest.take() {
                if v.strongest.is_none_or(|b| s.2 < b.2) {
                    v.strongest = Some(s);
                }
            }
        }
        *negative = 0.0;
        *positive = 0.0;
        *addressed = false;
        *strongest = None;
    };
    while i < bytes.len() {
        let b = bytes[i];
        let word_byte = |b: u8| b.is_ascii_alphanumeric() || b == b'\'' || b >= 0x80;
        if b.is_ascii_alphanumeric() || b == b'@' || b >= 0x80 {
            let start = i;
            i += 1;
            while i < bytes.len() && word_byte(bytes[i]) {
                i += 1;
            }
            // (non-ASCII bytes are taken whole, so `i` is on a char boundary)
            let word = norm[start..i].trim_end_matches('\'');
            let entry = table.get(word).unwrap_or_default();
            if entry.address || word.starts_with('@') {
                addressed = true;
            }
            if entry.valence != 0.0 {
                let value = entry.valence;
                let value = if negators.contains(&true) {
                    value * NEGATED
                } else {
                    value
                };
                if value < 0.0 {
                    sentence_negative -= value;
                    if v.worst.is_none_or(|w| value < w.2) {
                        v.worst = Some((start as u32, i as u32, value));
                    }
                    if sentence_strongest.is_none_or(|s| value < s.2) {
                        sentence_strongest = Some((start as u32, i as u32, value));
                    }
                } else {
                    sentence_positive += value;
                }
            }
            negators = [negators[1], negators[2], entry.negator];
            continue;
        }
        match b {
            b'.' | b'!' | b'?' | b'\n' => {
                close_sentence(
                    &mut v,
                    &mut sentence_negative,
                    &mut sentence_positive,
                    &mut addressed,
                    &mut sentence_strongest,
                );
                negators = [false; 3];
            }
            b',' | b';' | b':' => negators = [false; 3],
            _ => {}
        }
        i += 1;
    }
    close_sentence(
        &mut v,
        &mut sentence_negative,
        &mut sentence_positive,
        &mut addressed,
        &mut sentence_strongest,
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;
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
