//! Sentence models: excuses, policy-speak and talking down in wording the
//! phrase lists do not spell out.
//!
//! The `excuse.*`, `procedural.*` and `language.patronizing` phrase lists name
//! the families of each category; an agent finds new words for them every
//! day. Beside the lists, three logistic models read every statement sentence
//! of an agent turn (its words and word pairs, regular endings taken off as
//! the topic model does, see [`crate::topics`]) and give it a probability of
//! reading as an excuse, as policy-speak, and as talking down. A
//! conversation's score is that of its most telling sentence (the models are
//! fitted that way, by `scripts/fit-sentence-model.py`, on the labeled sets:
//! a conversation's label says only that *some* sentence is of the category).
//! Where the probability reaches the model's threshold and no phrase list of
//! the category names anything in that turn, the sentence is reported as
//! `excuse.implied`, `procedural.implied` or `language.patronizing`; the cases
//! the lists set aside (a question, a quoted rule, a hypothetical, a cause
//! given with ownership) are set aside for the models too. The three are
//! read in one pass over one table ([`Models`]).
//! [`crate::Analyzer::explain_excuse`], `explain_procedural` and
//! `explain_patronizing` show each sentence's probability.
//!
//! ```
//! use tactful::{Analyzer, Role, Transcript, Turn};
//! let t = Transcript::new("T-1")
//!     .with_turn(Turn::new(Role::Customer, "My order never came."))
//!     .with_turn(Turn::new(Role::Agent, "What is the order number?"));
//! let why = Analyzer::new().explain_excuse(&t);
//! // a question is not read: only statements can excuse
//! assert!(why.sentences.is_empty());
//! ```

use crate::topics::{breaks, is_word, pair_hash, stem, stem_hash, word_hash, FeatureIndex};
#[cfg(test)]
use crate::topics::{feature_hash, line_count, milli, split_tab};

/// The built-in models' weights, written by `scripts/fit-sentence-model.py`
/// (read at build time into the blobs below; the tests read the text too).
#[cfg(test)]
const EXCUSE: &str = include_str!("../models/excuse.txt");
#[cfg(test)]
const PROCEDURAL: &str = include_str!("../models/procedural.txt");
#[cfg(test)]
const PATRONIZING: &str = include_str!("../models/patronizing.txt");
/// The specific-action model's weights (agent sentences that promise a
/// concrete act), written by `scripts/fit-sentence-model.py --label specific`.
#[cfg(test)]
const ACTION_SPECIFIC: &str = include_str!("../models/action-specific.txt");
/// The vague-action model's weights (agent sentences that promise nothing
/// concrete or give no time), written by `scripts/fit-sentence-model.py
/// --label vague`.
#[cfg(test)]
const ACTION_VAGUE: &str = include_str!("../models/action-vague.txt");
/// The distress word model's weights (customer turns), written by
/// `scripts/fit-sentence-model.py --label distress`.
#[cfg(test)]
const DISTRESS_WORDS: &str = include_str!("../models/distress-words.txt");

/// The built-in models as `build.rs` reads their files, in the order of
/// [`Kind::ALL`], then the distress word model's.
const BLOBS: [&[u8]; KINDS + 1] = [
    include_bytes!(concat!(env!("OUT_DIR"), "/excuse.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/procedural.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/patronizing.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/action-specific.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/action-vague.bin")),
    include_bytes!(concat!(env!("OUT_DIR"), "/distress-words.bin")),
];

/// How many built-in sentence models there are.
pub(crate) const KINDS: usize = 5;

/// Which built-in sentence model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Excuses (`excuse.implied`).
    Excuse,
    /// Policy-speak (`procedural.implied`).
    Procedural,
    /// Talking down (`language.patronizing`, the rule its phrase list
    /// reports too).
    Patronizing,
    /// A concrete act promised (`action.specific`, the rule the promise
    /// lists report too).
    Specific,
    /// A promise of nothing concrete or with no time (`action.vague`, the
    /// rule the promise lists report too).
    Vague,
}

impl Kind {
    /// The models in their column order.
    pub(crate) const ALL: [Kind; KINDS] = [
        Kind::Excuse,
        Kind::Procedural,
        Kind::Patronizing,
        Kind::Specific,
        Kind::Vague,
    ];
}

/// How many words and pairs a sentence may give the model before their
/// summed weights are scaled down (as `scripts/fit-sentence-model.py`).
const TYPICAL: f32 = 24.0;

/// How many statement sentences a transcript's agent turns may give before
/// the bar a sentence must reach rises (see [`Model::reaches`]).
const SENTENCES: f32 = 20.0;

/// Why a sentence model reads a transcript's agent turns as it does: see
/// [`crate::Analyzer::explain_excuse`] and
/// [`crate::Analyzer::explain_procedural`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct SentenceExplanation {
    /// Each statement sentence of the agent turns (questions are not read).
    pub sentences: Vec<ScoredSentence>,
    /// The probability from which a sentence is reported.
    pub threshold: f32,
}

/// One agent sentence as a sentence model reads it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct ScoredSentence {
    /// The turn's index in the transcript.
    pub turn: usize,
    /// The sentence, as normalized for matching (lower case).
    pub text: String,
    /// Whether a phrase-list finding of the model's category lies in it.
    pub listed: bool,
    /// The words and word pairs the model reads (stemmed as in
    /// [`crate::topics::TopicExplanation::words`]), sorted, each once.
    pub words: Vec<String>,
    /// The model's probability that the sentence is of its category (0–1).
    pub score: f32,
}

/// A bit of [`mark_of`]: the token ends a run of words ([`breaks`]).
const BREAKS: u8 = 1;
/// [`mark_of`] (less [`BREAKS`]) of a token that ends a statement: `.`,
/// `!` or a line break first.
const STATEMENT_END: u8 = 2;
/// [`mark_of`] (less [`BREAKS`]) of a token that ends a question (`?`
/// first).
const QUESTION_END: u8 = 4;

/// What a token that is no word does to the sentence being read (for
/// [`Models::mark`]): whether it [`breaks`] a run of words, and whether it
/// ends a statement or a question.
#[inline]
pub(crate) fn mark_of(token: &str) -> u8 {
    // (both depend on the first byte only: one load of a table of them)
    token
        .as_bytes()
        .first()
        .map_or(0, |&b| MARKS[usize::from(b)])
}

/// [`mark_of`] of a token by its first byte.
static MARKS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        let end = match c {
            b'.' | b'!' | b'\n' => STATEMENT_END,
            b'?' => QUESTION_END,
            _ => 0,
        };
        // (as `breaks`: ASCII punctuation other than `'` and `-`)
        let breaks = c.is_ascii_punctuation() && c != b'\'' && c != b'-';
        t[b] = end | if breaks { BREAKS } else { 0 };
        b += 1;
    }
    t
};

/// [`mark_of`] as first written, for the test of its table.
#[cfg(test)]
fn mark_of_by_tests(token: &str) -> u8 {
    let end = match token.as_bytes().first() {
        Some(b'.' | b'!' | b'\n') => STATEMENT_END,
        Some(b'?') => QUESTION_END,
        _ => 0,
    };
    end | u8::from(breaks(token))
}

/// A model's row of each known word or pair, by its hash.
type Index = FeatureIndex;

/// The rows a word (hash `h`) hits after the word `prev` (0 at a sentence's
/// or clause's start): the pair's, then the word's own.
#[inline]
fn rows_of(index: &Index, prev: u64, h: u64, mut hit: impl FnMut(u32)) {
    if prev != 0 {
        if let Some(r) = index.get(pair_hash(prev, h)) {
            hit(r);
        }
    }
    if let Some(r) = index.get(h) {
        hit(r);
    }
}

/// A sentence model: a weight per known word or pair and a bias; a
/// sentence's log-odds is the bias plus its features' weights (each once),
/// scaled past [`TYPICAL`] of them by the square root of their share.
#[derive(Debug, Clone, Default)]
pub(crate) struct Model {
    index: Index,
    /// Each row's feature hash, in row order.
    features: Vec<u64>,
    weights: Vec<f32>,
    bias: f32,
    threshold: f32,
    cut: f32,
}

/// A feature's weight in each model, and a bit per model that has it,
/// alone in 32 bytes (24 unaligned, a quarter of the rows spanned two cache
/// lines).
#[derive(Debug, Clone, Copy, Default)]
#[repr(align(32))]
struct Row([f32; KINDS], u8);

/// The two built-in sentence models read in one pass: one lookup per word
/// and per pair gives both models' weights (each model's sentences sum only
/// its own features, so each reads exactly as it would alone).
#[derive(Debug, Clone, Default)]
pub(crate) struct Models {
    index: Index,
    /// Per feature: its weight in each model, and a bit per model that has it.
    rows: Vec<Row>,
    /// The models (bias, threshold; their own tables serve explanations).
    pub(crate) heads: [Model; KINDS],
}

impl Models {
    /// The models in one table, in the order of [`Kind::ALL`].
    pub(crate) fn new(heads: [Model; KINDS]) -> Models {
        let mut m = Models::default();
        // (room for the largest model's features: most features are in
        // several models, so the table grows only if the others bring more;
        // sized for their sum it was four times as large, and so was the
        // memory the per-pair looks touch)
        m.index.reserve(
            heads
                .iter()
                .map(|model| model.features.len())
                .max()
                .unwrap_or(0),
        );
        for (k, model) in heads.iter().enumerate() {
            // (in row order, so row numbers do not depend on the hasher)
            for (r, &h) in model.features.iter().enumerate() {
                let next = m.rows.len() as u32;
                let row = m.index.insert(h, next).unwrap_or(next);
                if row == next {
                    m.rows.push(Row([0.0; KINDS], 0));
                }
                let entry = &mut m.rows[row as usize];
                entry.0[k] = model.weights[r];
                entry.1 |= 1 << k;
            }
        }
        m.heads = heads;
        m
    }

    /// Reads one token (bytes `a..b`, `key` its bytes packed as the
    /// tokenizer packs them, 0 past eight bytes or when not known) of an
    /// agent turn's normalized text into the scans of the models `on`
    /// names.
    #[inline]
    pub(crate) fn token(
        &self,
        token: &str,
        key: u64,
        (a, b): (usize, usize),
        scans: &mut SentenceScans,
        on: [bool; KINDS],
    ) {
        if is_word(token) {
            let h = stem_hash(token, key);
            let prev = scans.prev;
            if !scans.words {
                scans.words = true;
                scans.start = a;
            }
            scans.end = b;
            scans.prev = h;
            rows_of(&self.index, prev, h, |r| self.hit(r, scans));
            return;
        }
        self.mark(mark_of(token), b, scans, on);
    }

    /// [`Models::token`] of a token that is no word, ending at `b`, by its
    /// [`mark_of`].
    #[inline]
    pub(crate) fn mark(&self, mark: u8, b: usize, scans: &mut SentenceScans, on: [bool; KINDS]) {
        if mark & BREAKS != 0 {
            scans.prev = 0;
        }
        match mark & !BREAKS {
            STATEMENT_END => {
                self.end_sentence(scans, false, on);
                scans.clear_seen();
            }
            QUESTION_END => {
                self.end_sentence(scans, true, on);
                scans.clear_seen();
            }
            _ if scans.words => scans.end = b,
            _ => {}
        }
    }

    /// The row of the word (or pair) of hash `h` in the models' table
    /// ([`crate::topics::NO_ROW`]: none).
    pub(crate) fn row(&self, h: u64) -> u32 {
        self.index.get(h).unwrap_or(crate::topics::NO_ROW)
    }

    /// [`Models::token`] of a word token (one [`is_word`] takes; bytes
    /// `a..b`) whose stem hash `h` and row `row` ([`Models::row`] of `h`)
    /// were found before.
    #[inline]
    pub(crate) fn word_known(
        &self,
        h: u64,
        row: u32,
        (a, b): (usize, usize),
        scans: &mut SentenceScans,
    ) {
        let prev = scans.prev;
        if !scans.words {
            scans.words = true;
            scans.start = a;
        }
        scans.end = b;
        scans.prev = h;
        if prev != 0 {
            if let Some(r) = self.index.get(pair_hash(prev, h)) {
                self.hit(r, scans);
            }
        }
        if row != crate::topics::NO_ROW {
            self.hit(row, scans);
        }
    }

    /// Adds a row's weights to the scans, once per sentence.
    #[inline(always)]
    fn hit(&self, r: u32, scans: &mut SentenceScans) {
        // one list of the rows the sentence hit serves every model: a row
        // is looked for once, not once per model (a bit per row modulo 1024
        // answers most looks with no scan)
        let bit = 1u64 << (r % 64);
        let word = &mut scans.seen_bits[(r / 64) as usize % SEEN_WORDS];
        if *word & bit != 0 && scans.seen.contains(&r) {
            return;
        }
        *word |= bit;
        scans.seen.push(r);
        // (every model's sum, with no branch on the row or on whether the
        // model is on: a model without the row has weight 0.0 there, and
        // adding 0.0 leaves a sum that started at 0.0 as it was, bit for
        // bit; the sum of a model that is off is never read. How many of
        // the rows each model has is counted at the sentence's end, and
        // only when it matters: see `Models::counts`.)
        // (the row and the sums read into locals first: added in place,
        // they were added one lane at a time, each a load and a store)
        let (w, mut sums) = (self.rows[r as usize].0, scans.sum);
        for (sum, x) in sums.iter_mut().zip(w) {
            *sum += x;
        }
        scans.sum = sums;
    }

    /// How many of the rows the sentence hit each model has: counted only
    /// where the sentence hit more than [`TYPICAL`] rows in all. With
    /// fewer, no model has more than [`TYPICAL`] and none has its sum
    /// scaled, so the row count stands in for each (the same log-odds as
    /// the exact counts, bit for bit).
    fn counts(&self, scans: &SentenceScans) -> [u32; KINDS] {
        let total = scans.seen.len() as u32;
        if total as f32 <= TYPICAL {
            return [total; KINDS];
        }
        let mut n = [0u32; KINDS];
        for &r in &scans.seen {
            let has = self.rows[r as usize].1;
            for (k, n) in n.iter_mut().enumerate() {
                *n += u32::from(has >> k & 1);
            }
        }
        n
    }

    /// Ends the sentence being read for the models `on` names (a question
    /// is not weighed), as [`Model::end_sentence`] ends it for each; call
    /// it once more at the turn's end ([`Models::end_turn`]).
    fn end_sentence(&self, scans: &mut SentenceScans, question: bool, on: [bool; KINDS]) {
        if scans.words && !question {
            let n = self.counts(scans);
            for (k, &on) in on.iter().enumerate() {
                if on {
                    scans.read[k] += 1;
                    let z = self.heads[k].logit_of(scans.sum[k], n[k]);
                    if scans.best[k].is_none_or(|b| z > b.z) {
                        scans.best[k] = Some(Best {
                            start: scans.start,
                            end: scans.end,
                            z,
                        });
                    }
                }
            }
        }
        scans.words = false;
        // (the pairs are looked up after the first model's previous word,
        // which only that model's end of a sentence clears)
        if on[0] {
            scans.prev = 0;
        }
        scans.sum = [0.0; KINDS];
    }

    /// Ends an agent turn for the models `on` names.
    pub(crate) fn end_turn(&self, scans: &mut SentenceScans, on: [bool; KINDS]) {
        self.end_sentence(scans, false, on);
    }
}

/// What an agent turn gave the sentence models read together ([`Models`]):
/// where the sentence being read starts and ends, the rows it hit (each
/// once) and each model's sum, count and best sentence. Every model that is
/// on reads the same words in the same sentences, so the sentence's bounds
/// and rows are kept once; only the sums and the results are per model
/// (a model that is off has its sum added to but never read, and no best
/// sentence).
#[derive(Debug, Default, Clone)]
pub(crate) struct SentenceScans {
    /// The hash of the previous word (0 at a sentence's or clause's start).
    prev: u64,
    /// Where the sentence being read starts and ends (0, 0 before a word).
    start: usize,
    end: usize,
    words: bool,
    /// The rows the sentence hit, each once.
    seen: Vec<u32>,
    /// A bit per row (modulo 1024) of `seen`: a clear bit means not seen.
    seen_bits: [u64; SEEN_WORDS],
    /// Per model: the summed weights of the sentence's rows.
    sum: [f32; KINDS],
    /// Per model: the most telling statement sentence of the turn.
    pub(crate) best: [Option<Best>; KINDS],
    /// Per model: how many statement sentences the transcript's agent
    /// turns gave so far (the more are read, the likelier one passes by
    /// chance).
    pub(crate) read: [u32; KINDS],
}

impl SentenceScans {
    /// Forgets the rows the sentence hit.
    fn clear_seen(&mut self) {
        self.seen.clear();
        self.seen_bits = [0; SEEN_WORDS];
    }

    /// A new turn of the same transcript.
    pub(crate) fn turn(&mut self) {
        self.prev = 0;
        self.words = false;
        self.clear_seen();
        self.sum = [0.0; KINDS];
        self.best = [None; KINDS];
    }

    /// A new transcript.
    pub(crate) fn clear(&mut self) {
        self.turn();
        self.read = [0; KINDS];
    }
}

/// The best statement sentence of a turn so far: byte range in the
/// normalized text and log-odds.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Best {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) z: f32,
}

/// What an agent turn gave a sentence model so far.
#[derive(Debug, Default, Clone)]
pub(crate) struct SentenceScan {
    /// The hash of the previous word (0 at a sentence's or clause's start).
    prev: u64,
    /// Where the sentence being read starts and ends (0, 0 before a word).
    start: usize,
    end: usize,
    words: bool,
    /// The rows the sentence hit, each once (read alone), their number
    /// and their summed weights.
    rows: Vec<u32>,
    n: u32,
    sum: f32,
    /// The most excusing statement sentence of the turn.
    pub(crate) best: Option<Best>,
    /// How many statement sentences the transcript's agent turns gave so
    /// far (the more are read, the likelier one passes by chance).
    pub(crate) read: u32,
}

/// The `u64` words of [`SentenceScans::seen_bits`].
const SEEN_WORDS: usize = 16;

/// A log-odds as a score in percent (0–100).
pub(crate) fn percent(z: f32) -> u8 {
    (100.0 / (1.0 + (-z).exp())).round().clamp(0.0, 100.0) as u8
}

/// What a customer turn gave the distress word model so far (see
/// [`Model::turn_token`]): the model reads the words and pairs of the whole
/// turn together, each once (the customer's upset may take several short
/// sentences to tell), and points at the sentence that gave the most.
#[derive(Debug, Default, Clone)]
pub(crate) struct TurnScan {
    /// The hash of the previous word (0 at a sentence's or clause's start).
    prev: u64,
    /// The rows the turn hit, each once, and a bit per row of them.
    rows: Vec<u32>,
    seen: Vec<u64>,
    sum: f32,
    /// The sentence being read (`z`: the summed weights of the rows first
    /// hit in it) and whether it has a word yet.
    sentence: Best,
    words: bool,
    /// The sentence that gave the most so far.
    best: Option<Best>,
    /// How many customer turns of the transcript were read so far.
    read: u32,
}

impl TurnScan {
    /// A word at `a..b`: it opens the sentence if the sentence has no word
    /// yet, and ends it so far.
    #[inline]
    fn word_at(&mut self, a: usize, b: usize) {
        if !self.words {
            self.words = true;
            self.sentence = Best {
                start: a,
                end: b,
                z: 0.0,
            };
        }
        self.sentence.end = b;
    }

    /// The hash of the previous word (0 at a sentence's or clause's start).
    #[inline]
    pub(crate) fn prev(&self) -> u64 {
        self.prev
    }

    /// A new customer turn of the same transcript.
    pub(crate) fn turn(&mut self) {
        for &r in &self.rows {
            if let Some(word) = self.seen.get_mut((r / 64) as usize) {
                *word = 0;
            }
        }
        self.rows.clear();
        self.prev = 0;
        self.sum = 0.0;
        self.words = false;
        self.best = None;
    }

    /// A new transcript.
    pub(crate) fn clear(&mut self) {
        self.turn();
        self.read = 0;
    }

    /// Adds the weight `w` of row `id` (see [`Model::turn_weights`]),
    /// once per turn (a bit per row).
    #[inline(always)]
    fn add(&mut self, id: u32, w: f32) {
        let (i, bit) = ((id / 64) as usize, 1u64 << (id % 64));
        // (one test of the length: the word's own, where `seen` has it)
        let word = match self.seen.get_mut(i) {
            Some(word) => word,
            None => self.grow(i),
        };
        if *word & bit != 0 {
            return;
        }
        *word |= bit;
        self.rows.push(id);
        self.sum += w;
        self.sentence.z += w;
    }

    /// Makes room for bit word `i` of `seen` and gives it (the scan's first
    /// turns only: kept out of the per-word path).
    #[cold]
    #[inline(never)]
    fn grow(&mut self, i: usize) -> &mut u64 {
        self.seen.resize((i + 1).next_power_of_two(), 0);
        &mut self.seen[i]
    }

    /// Ends the sentence being read.
    fn close(&mut self) {
        if self.words && self.best.is_none_or(|b| self.sentence.z > b.z) {
            self.best = Some(self.sentence);
        }
        self.words = false;
        self.prev = 0;
    }
}

impl Model {
    /// A built-in model.
    pub(crate) fn builtin(kind: Kind) -> Model {
        Model::from_blob(BLOBS[kind as usize])
    }

    /// The built-in distress word model, read on customer turns.
    pub(crate) fn distress_words() -> Model {
        Model::from_blob(BLOBS[KINDS])
    }

    /// The model of a blob `build.rs` wrote (the files are part of the
    /// crate, and a fault in one fails the build): the same as
    /// [`Model::parse`] makes of the text (the same rows in the same order,
    /// and the table sized for the text's lines), with no parsing. A test
    /// holds the two equal.
    fn from_blob(bytes: &[u8]) -> Model {
        let mut b = crate::topics::Blob(bytes);
        let mut m = Model::default();
        let lines = b.u32() as usize;
        m.index.reserve(lines);
        m.threshold = b.f32();
        assert_eq!(b.u32(), 1, "a sentence model has one weight a line");
        assert_eq!(b.u32(), 0, "a sentence model has no lists");
        m.bias = b.f32();
        let n = b.u32() as usize;
        m.features.reserve(n);
        m.weights.reserve(n);
        for r in 0..n {
            let h = b.u64();
            m.index.insert(h, r as u32);
            m.features.push(h);
            m.weights.push(b.f32());
        }
        m.cut = (m.threshold / (1.0 - m.threshold)).ln();
        m
    }

    #[cfg(test)]
    /// Reads the model file: tab-separated lines of a name and a weight
    /// (`bias`, `threshold`, or a word or word pair). (The built-in models
    /// are read from the blobs `build.rs` writes; the tests read the text
    /// with this and hold the two equal.)
    pub(crate) fn parse(text: &str) -> Result<Model, String> {
        Model::parse_lines(text, true)
    }

    #[cfg(test)]
    /// [`Model::parse`]; with `fast`, a line of the common shape (a feature
    /// and a weight of three decimals, [`common_line`]) is read in one pass
    /// over its bytes, every other line as before. (Start-up reads some
    /// 50,000 lines of about 15 bytes: the searches for the line break, the
    /// tab and the pair's space, each set up for long texts, and the trims
    /// cost several hundred instructions a line.) A test holds the two ways
    /// to the same models and errors.
    fn parse_lines(text: &str, fast: bool) -> Result<Model, String> {
        let mut m = Model {
            threshold: 0.5,
            ..Model::default()
        };
        m.index.reserve(line_count(text));
        m.weights.reserve(line_count(text));
        let mut rest = text;
        let mut line_no = 0;
        while !rest.is_empty() {
            line_no += 1;
            let n = line_no - 1;
            let common = if fast { common_line(rest) } else { None };
            let (name, x, hash) = match common {
                Some(c) => {
                    rest = &rest[c.next..];
                    (c.name, c.weight, Some(c.hash))
                }
                None => {
                    // the line as `model_lines` (and `str::lines`) splits it
                    let line = match memchr::memchr(b'\n', rest.as_bytes()) {
                        Some(i) => {
                            let line = &rest[..i];
                            rest = &rest[i + 1..];
                            line.strip_suffix('\r').unwrap_or(line)
                        }
                        None => std::mem::take(&mut rest),
                    };
                    if line.trim().is_empty() || line.starts_with('#') {
                        continue;
                    }
                    let (name, value) = split_tab(line).ok_or_else(|| {
                        format!("line {}: expected a name, a tab and a weight", n + 1)
                    })?;
                    let value = value.trim();
                    let x = milli(value)
                        .or_else(|| value.parse::<f32>().ok())
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| format!("line {}: `{value}` is not a number", n + 1))?;
                    (name, x, None)
                }
            };
            match name {
                "threshold" if x > 0.0 && x < 1.0 => m.threshold = x,
                "threshold" => {
                    return Err(format!("line {}: the threshold must be in (0, 1)", n + 1))
                }
                "bias" => m.bias = x,
                _ => {
                    let hash = hash
                        .or_else(|| feature_hash(name))
                        .ok_or_else(|| format!("line {}: bad feature `{name}`", n + 1))?;
                    if m.index.insert(hash, m.weights.len() as u32).is_some() {
                        return Err(format!("line {}: `{name}` given twice", n + 1));
                    }
                    m.features.push(hash);
                    m.weights.push(x);
                }
            }
        }
        m.cut = (m.threshold / (1.0 - m.threshold)).ln();
        Ok(m)
    }

    /// The model with its threshold set to `percent` (100 or more: it never
    /// reports).
    pub(crate) fn with_threshold(mut self, percent: u8) -> Model {
        (self.threshold, self.cut) = crate::topics::threshold_cut(percent);
        self
    }

    /// Whether the model can report at all (it has weights and its
    /// threshold is below 100%).
    pub(crate) fn active(&self) -> bool {
        !self.weights.is_empty() && self.cut < f32::INFINITY
    }

    /// The log-odds with no feature.
    pub(crate) fn bias(&self) -> f32 {
        self.bias
    }

    /// The threshold as a probability.
    pub(crate) fn threshold(&self) -> f32 {
        self.threshold
    }

    /// Whether a sentence's log-odds reaches the threshold, when `read`
    /// statement sentences of the transcript have been read: past
    /// [`SENTENCES`] of them the bar rises by the log of their share, so a
    /// long call's hundreds of sentences do not pass it by chance (the
    /// model is fitted on conversations of a few).
    pub(crate) fn reaches(&self, z: f32, read: u32) -> bool {
        let n = read as f32;
        let raise = if n > SENTENCES {
            (n / SENTENCES).ln()
        } else {
            0.0
        };
        z >= self.cut + raise
    }

    /// Reads one token (bytes `a..b`) of an agent turn's normalized text.
    #[inline]
    pub(crate) fn token(&self, token: &str, a: usize, b: usize, scan: &mut SentenceScan) {
        if is_word(token) {
            if !scan.words {
                scan.words = true;
                scan.start = a;
            }
            scan.end = b;
            let (s, e) = stem(token);
            let h = word_hash(s, e);
            rows_of(&self.index, scan.prev, h, |r| self.hit(r, scan));
            scan.prev = h;
            return;
        }
        if breaks(token) {
            scan.prev = 0;
        }
        match token.as_bytes().first() {
            Some(b'.' | b'!' | b'\n') => self.end_sentence(scan, false),
            Some(b'?') => self.end_sentence(scan, true),
            _ if scan.words => scan.end = b,
            _ => {}
        }
    }

    /// Adds a row's weight, once per sentence.
    #[inline]
    fn hit(&self, r: u32, scan: &mut SentenceScan) {
        if !scan.rows.contains(&r) {
            scan.rows.push(r);
            scan.n += 1;
            scan.sum += self.weights[r as usize];
        }
    }

    /// The log-odds of the sentence being read.
    fn logit(&self, scan: &SentenceScan) -> f32 {
        self.logit_of(scan.sum, scan.n)
    }

    /// The log-odds of a sentence whose `n` features sum to `sum`.
    #[inline]
    fn logit_of(&self, sum: f32, n: u32) -> f32 {
        let n = n as f32;
        let scale = if n > TYPICAL {
            (TYPICAL / n).sqrt()
        } else {
            1.0
        };
        self.bias + sum * scale
    }

    /// Ends the sentence being read (a question is not weighed); call it
    /// once more at the turn's end.
    pub(crate) fn end_sentence(&self, scan: &mut SentenceScan, question: bool) {
        if scan.words && !question {
            scan.read += 1;
            let z = self.logit(scan);
            if scan.best.is_none_or(|b| z > b.z) {
                scan.best = Some(Best {
                    start: scan.start,
                    end: scan.end,
                    z,
                });
            }
        }
        scan.words = false;
        scan.prev = 0;
        scan.rows.clear();
        scan.n = 0;
        scan.sum = 0.0;
    }

    /// Reads one token (bytes `a..b`) of a customer turn's normalized text
    /// into the turn's scan (the distress word model: the whole turn is one
    /// bag of words and pairs, questions included).
    #[inline]
    pub(crate) fn turn_token(&self, token: &str, a: usize, b: usize, scan: &mut TurnScan) {
        let word = is_word(token).then(|| {
            let (s, e) = stem(token);
            word_hash(s, e)
        });
        self.turn_hashed(token, word, a, b, scan);
    }

    /// [`Model::turn_token`] with the word's hash (`None`: not a word)
    /// already taken, as the topic model takes it.
    #[inline]
    pub(crate) fn turn_hashed(
        &self,
        token: &str,
        word: Option<u64>,
        a: usize,
        b: usize,
        scan: &mut TurnScan,
    ) {
        if let Some(h) = word {
            scan.word_at(a, b);
            rows_of(&self.index, scan.prev, h, |r| self.turn_hit(r, scan));
            scan.prev = h;
            return;
        }
        if breaks(token) {
            scan.prev = 0;
        }
        if matches!(token.as_bytes().first(), Some(b'.' | b'!' | b'?' | b'\n')) {
            scan.close();
        }
    }

    /// [`Model::turn_hashed`] of a token that is no word, by what it does:
    /// `breaks` ([`breaks`] of it) and `closes` (it starts with `.`, `!`,
    /// `?` or a line break).
    #[inline]
    pub(crate) fn turn_mark(&self, breaks: bool, closes: bool, scan: &mut TurnScan) {
        if breaks {
            scan.prev = 0;
        }
        if closes {
            scan.close();
        }
    }

    /// [`Model::turn_hashed`] for a word (hash `h`) whose rows and
    /// weights were already looked up (see
    /// [`crate::topics::CustomerWords`]): `pair` the row of its pair with
    /// the previous word and the bits of its weight
    /// ([`crate::topics::NO_ROW`]: the model has no such pair), `word` the
    /// word's own.
    #[inline(always)]
    pub(crate) fn turn_weights(
        &self,
        h: u64,
        (a, b): (usize, usize),
        pair: (u32, u32),
        word: (u32, u32),
        scan: &mut TurnScan,
    ) {
        scan.word_at(a, b);
        if pair.1 != crate::topics::NO_ROW {
            scan.add(pair.0, f32::from_bits(pair.1));
        }
        if word.1 != crate::topics::NO_ROW {
            scan.add(word.0, f32::from_bits(word.1));
        }
        scan.prev = h;
    }

    /// Each feature's hash, in row order.
    pub(crate) fn features(&self) -> &[u64] {
        &self.features
    }

    /// Each feature's weight, in row order.
    pub(crate) fn weights(&self) -> &[f32] {
        &self.weights
    }

    /// Adds a row's weight, once per turn (a bit per row: a turn of any
    /// length costs one look per word and pair).
    #[inline]
    fn turn_hit(&self, r: u32, scan: &mut TurnScan) {
        let (i, bit) = ((r / 64) as usize, 1u64 << (r % 64));
        // (one test of the length: the word's own, where `seen` has it)
        let word = match scan.seen.get_mut(i) {
            Some(word) => word,
            None => scan.grow(i),
        };
        if *word & bit != 0 {
            return;
        }
        *word |= bit;
        scan.rows.push(r);
        let w = self.weights[r as usize];
        scan.sum += w;
        scan.sentence.z += w;
    }

    /// Ends a customer turn: its log-odds and the byte range of the sentence
    /// that gave the most, if the turn has a word, and whether that reaches
    /// the threshold (the bar rising past [`SENTENCES`] customer turns, as
    /// [`Model::reaches`]).
    pub(crate) fn turn_end(&self, scan: &mut TurnScan) -> Option<(Best, bool)> {
        scan.close();
        scan.read += 1;
        let best = scan.best?;
        let n = scan.rows.len() as f32;
        let scale = if n > TYPICAL {
            (TYPICAL / n).sqrt()
        } else {
            1.0
        };
        let z = self.bias + scan.sum * scale;
        Some((Best { z, ..best }, self.reaches(z, scan.read)))
    }

    /// Each statement sentence of one normalized agent turn: its byte
    /// range, its words and pairs as text, and its probability.
    pub(crate) fn sentences(
        &self,
        tokens: impl Iterator<Item = (usize, usize)>,
        norm: &str,
        mut f: impl FnMut(usize, usize, Vec<String>, f32),
    ) {
        let mut scan = SentenceScan::default();
        let mut words = std::collections::BTreeSet::new();
        let mut prev = None;
        let flush = |scan: &mut SentenceScan,
                     words: &mut std::collections::BTreeSet<String>,
                     question: bool,
                     f: &mut dyn FnMut(usize, usize, Vec<String>, f32)| {
            if scan.words && !question {
                let z = self.logit(scan);
                let list = std::mem::take(words).into_iter().collect();
                f(scan.start, scan.end, list, 1.0 / (1.0 + (-z).exp()));
            }
            words.clear();
        };
        for (a, b) in tokens {
            let Some(token) = norm.get(a..b) else {
                continue;
            };
            let end = match token.as_bytes().first() {
                Some(b'.' | b'!' | b'\n') => Some(false),
                Some(b'?') => Some(true),
                _ => None,
            };
            if let Some(question) = end {
                flush(&mut scan, &mut words, question, &mut f);
                self.end_sentence(&mut scan, question);
                prev = None;
                continue;
            }
            crate::topics::token_words(token, &mut prev, |w| {
                words.insert(w);
            });
            self.token(token, a, b, &mut scan);
        }
        flush(&mut scan, &mut words, false, &mut f);
    }
}

#[cfg(test)]
/// A model file line of the common shape, read by [`common_line`].
struct CommonLine<'a> {
    /// The name before the tab.
    name: &'a str,
    /// Its feature hash, as [`feature_hash`] gives it.
    hash: u64,
    /// The weight, as [`milli`] reads it.
    weight: f32,
    /// Where the next line starts (past the line break), or the text's end.
    next: usize,
}

#[cfg(test)]
/// The line opening `rest`, when it has the common shape: a name of
/// printable ASCII that is one word or two joined by one space (no `#`
/// first), a tab, and a weight of one to four digits, a point and three
/// digits, maybe after a minus, then a line break (`\n` or `\r\n`) or the end
/// of the text. Read in one pass over its bytes; `None` for any other line
/// (blank, a comment, a fault, or any other spelling of a weight), which the
/// caller reads the general way. For a line it takes, the general reading
/// gives the same name, weight and hash: a name of printable ASCII is no
/// blank line and keeps no white space to trim, and the weight has the shape
/// [`milli`] reads.
fn common_line(rest: &str) -> Option<CommonLine<'_>> {
    let b = rest.as_bytes();
    let mut i = 0;
    let mut space = None;
    loop {
        match *b.get(i)? {
            b'\t' => break,
            b' ' if i > 0 && space.is_none() => space = Some(i),
            0x21..=0x7e => {}
            _ => return None,
        }
        i += 1;
    }
    let tab = i;
    if tab == 0 || b[0] == b'#' || space == Some(tab - 1) {
        return None;
    }
    // the weight: up to the line break
    let start = tab + 1;
    let mut end = start;
    while end < b.len() && b[end].is_ascii_digit() | (b[end] == b'.') | (b[end] == b'-') {
        end += 1;
    }
    let next = match b.get(end) {
        None => end,
        Some(b'\n') => end + 1,
        Some(b'\r') if b.get(end + 1) == Some(&b'\n') => end + 2,
        Some(_) => return None,
    };
    let weight = milli(&rest[start..end])?;
    let name = &rest[..tab];
    let hash = match space {
        None => word_hash(name, ""),
        Some(k) => pair_hash(word_hash(&name[..k], ""), word_hash(&name[k + 1..], "")),
    };
    Some(CommonLine {
        name,
        hash,
        weight,
        next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(text: &str) -> Model {
        Model::parse(text).unwrap()
    }

    fn best(m: &Model, norm: &str) -> Option<Best> {
        let mut scan = SentenceScan::default();
        let mut at = 0;
        for token in norm.split(' ') {
            m.token(token, at, at + token.len(), &mut scan);
            at += token.len() + 1;
        }
        m.end_sentence(&mut scan, false);
        scan.best
    }

    #[test]
    fn the_marks_table_gives_what_the_tests_give() {
        for b in 0..=255u8 {
            let bytes = [b, b'x'];
            for token in [&bytes[..1], &bytes[..]] {
                // (a token of the byte alone, and one it opens; bytes that
                // are no UTF-8 alone are read as the first byte of text)
                let text = String::from_utf8_lossy(token);
                if text.as_bytes().first() == Some(&b) {
                    assert_eq!(mark_of(&text), mark_of_by_tests(&text), "{b}");
                }
            }
        }
        assert_eq!(mark_of(""), mark_of_by_tests(""));
        for t in ["é", "’", "😀", "\u{2028}"] {
            assert_eq!(mark_of(t), mark_of_by_tests(t), "{t}");
        }
    }

    #[test]
    fn the_built_in_models_parse() {
        for kind in Kind::ALL {
            let m = Model::builtin(kind);
            assert!(m.active());
            assert!(m.threshold() > 0.0 && m.threshold() < 1.0);
        }
    }

    /// The built-in models' texts, in `Kind::ALL` order, the distress-words
    /// model last.
    const MODEL_TEXTS: [&str; 6] = [
        EXCUSE,
        PROCEDURAL,
        PATRONIZING,
        ACTION_SPECIFIC,
        ACTION_VAGUE,
        DISTRESS_WORDS,
    ];

    #[test]
    fn the_blobs_written_at_build_time_give_what_the_text_gives() {
        // (every field, the index's slots and filter included, compared by
        // their debug forms: a float's is exact)
        let texts = MODEL_TEXTS;
        for (k, text) in texts.into_iter().enumerate() {
            let built = match Kind::ALL.get(k) {
                Some(&kind) => Model::builtin(kind),
                None => Model::distress_words(),
            };
            let parsed = Model::parse(text).unwrap();
            assert!(!parsed.features.is_empty(), "model {k}");
            assert_eq!(format!("{built:?}"), format!("{parsed:?}"), "model {k}");
            assert_eq!(built.cut.to_bits(), parsed.cut.to_bits(), "model {k}");
        }
    }

    #[test]
    fn the_common_lines_read_in_one_pass_give_what_the_general_reading_gives() {
        let same = |text: &str| {
            let (fast, slow) = (
                Model::parse_lines(text, true),
                Model::parse_lines(text, false),
            );
            match (fast, slow) {
                (Ok(f), Ok(s)) => {
                    assert_eq!(f.features, s.features, "{text:?}");
                    let bits = |m: &Model| {
                        let w: Vec<u32> = m.weights.iter().map(|x| x.to_bits()).collect();
                        (w, m.bias.to_bits(), m.threshold.to_bits(), m.cut.to_bits())
                    };
                    assert_eq!(bits(&f), bits(&s), "{text:?}");
                    for &h in &s.features {
                        assert_eq!(f.index.get(h), s.index.get(h), "{text:?}");
                    }
                }
                (Err(f), Err(s)) => assert_eq!(f, s, "{text:?}"),
                (f, s) => panic!("{text:?}: fast ok={} general ok={}", f.is_ok(), s.is_ok()),
            }
        };
        for text in MODEL_TEXTS {
            same(text);
            same(&text.replace('\n', "\r\n"));
        }
        for text in [
            "",
            "\n\n",
            "# c\nbias\t-1.000\nthreshold\t0.400\nword\t0.250\nmy word\t-12.125",
            "a\t1.000\r",
            "a\t1.000\rb\t2.000\n",
            "a\t1.000 \nb\t 2.000\n c\t3.000\nd \t4.000\n",
            "a  b\t1.000\n a\t1.000\n",
            "a b c\t1.000\n",
            "caf\u{e9}\t1.000\n",
            "a\t1.0\nb\t1e3\nc\t-0.500\nd\t12345.000\ne\t1.0000\n",
            "a\t--1.000\nb\t1.-00\nc\t.500\n",
            "a\t1.000\na\t2.000\n",
            "bias\t2.000\nthreshold\t1.000\n",
            "x\t\t1.000\n",
            "x\n",
            "\t1.000\n",
            "#a\t1.000\n",
        ] {
            same(text);
        }
    }

    #[test]
    fn faults_in_the_model_file_name_their_line() {
        let e = Model::parse("bias\t-1.000\nfoo\tx\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = Model::parse("bias\t-1.000\nthreshold\t1.5\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
        let e = Model::parse("a b c\t1.000\n").unwrap_err();
        assert!(e.contains("bad feature"), "{e}");
        let e = Model::parse("courier\t1.000\ncourier\t2.000\n").unwrap_err();
        assert!(e.contains("given twice"), "{e}");
    }

    #[test]
    fn the_most_excusing_statement_wins_and_questions_are_not_read() {
        let m = model("bias\t-3.000\ncourier\t2.000\nweather\t2.000\nlate\t1.500\n");
        // "the courier was late ." scores -3 + 2 + 1.5; the question before
        // it scores more but is a question
        let b = best(&m, "was the courier late weather ? the courier was late .").unwrap();
        assert_eq!(b.z, 0.5);
        assert_eq!(b.start, 31);
        // a word said twice in a sentence counts once
        let b = best(&m, "courier courier courier").unwrap();
        assert_eq!(b.z, -1.0);
        // a pair is a feature of its own, and never spans a full stop
        let m = model("bias\t-3.000\nour fault\t4.000\n");
        assert_eq!(best(&m, "it is our fault").unwrap().z, 1.0);
        assert_eq!(best(&m, "it is our . fault").unwrap().z, -3.0);
    }

    /// `text` (tokens split on spaces) read by every model of `models` as one turn.
    fn scan_all(models: &Models, text: &str) -> SentenceScans {
        let mut scans = SentenceScans::default();
        let mut at = 0;
        for token in text.split(' ') {
            models.token(token, 0, (at, at + token.len()), &mut scans, [true; KINDS]);
            at += token.len() + 1;
        }
        models.end_turn(&mut scans, [true; KINDS]);
        scans
    }

    #[test]
    fn both_models_in_one_table_read_as_each_alone() {
        let e = model("bias\t-3.000\ncourier\t2.000\nlate\t1.500\nthe courier\t0.500\n");
        let p = model("bias\t-2.000\npolicy\t3.000\nlate\t-1.000\n");
        let t = model("bias\t-1.000\nas\t1.000\nthe courier\t-0.500\n");
        let a = model("bias\t-2.000\ncall you\t1.000\nlate\t0.500\n");
        let v = model("bias\t-1.000\nlook into\t1.000\n");
        let both = Models::new([e.clone(), p.clone(), t.clone(), a.clone(), v.clone()]);
        let text = "the courier was late . our policy is late ? policy says the courier as";
        let scans = scan_all(&both, text);
        for (k, m) in [&e, &p, &t, &a, &v].into_iter().enumerate() {
            assert_eq!(scans.best[k], best(m, text), "model {k}");
            assert_eq!(scans.read[k], 2);
        }
    }

    #[test]
    fn a_long_sentence_reads_in_one_table_as_in_each_model_alone() {
        // more than TYPICAL rows hit in all, each model having a different
        // share of them: each model's count (and so its scale) is its own
        let (mut e, mut p, mut t) = (
            String::from("bias\t-1.000\n"),
            String::from("bias\t0.500\n"),
            String::from("bias\t0.000\n"),
        );
        let mut sentence = String::new();
        for i in 0..40 {
            e.push_str(&format!("w{i}x\t0.250\n"));
            if i % 3 == 0 {
                p.push_str(&format!("w{i}x\t-0.125\n"));
            }
            if i < 20 {
                t.push_str(&format!("w{i}x w{}x\t0.500\n", i + 1));
            }
            sentence.push_str(&format!("w{i}x "));
        }
        let (e, p, t) = (model(&e), model(&p), model(&t));
        let a = model("bias\t-2.000\nw3x\t1.000\n");
        let v = model("bias\t-1.000\nw39x\t1.000\n");
        let both = Models::new([e.clone(), p.clone(), t.clone(), a.clone(), v.clone()]);
        let text = format!("{} . w1x w2x . {sentence}", sentence.trim());
        let text = text.trim();
        let scans = scan_all(&both, text);
        for (k, m) in [&e, &p, &t, &a, &v].into_iter().enumerate() {
            assert_eq!(scans.best[k], best(m, text), "model {k}");
            assert_eq!(scans.read[k], 3);
        }
    }

    #[test]
    fn a_turn_is_read_whole_and_points_at_its_weightiest_sentence() {
        let m = model("threshold\t0.5\nbias\t-3.000\nkid\t1.000\nstood\t1.500\nnobody\t1.000\nhour ago\t1.000\n");
        let text = "we stood there with the kid . nobody came ? the kid waited an hour ago";
        let mut scan = TurnScan::default();
        let mut at = 0;
        for token in text.split(' ') {
            m.turn_token(token, at, at + token.len(), &mut scan);
            at += token.len() + 1;
        }
        let (best, reaches) = m.turn_end(&mut scan).unwrap();
        // every feature once across the turn's sentences (the second "kid"
        // adds nothing), the question read too: -3 + 1 + 1.5 + 1 + 1
        assert!((best.z - 1.5).abs() < 1e-6, "{}", best.z);
        assert!(reaches);
        // the first sentence gave the most
        assert_eq!(&text[best.start..best.end], "we stood there with the kid");
        // the next turn starts afresh, and a turn with no word gives nothing
        scan.turn();
        m.turn_token("!!", 0, 2, &mut scan);
        assert!(m.turn_end(&mut scan).is_none());
    }

    #[test]
    fn a_long_sentence_has_its_sum_scaled() {
        let mut text = String::from("bias\t0.000\n");
        let mut sentence = String::new();
        for i in 0..96 {
            text.push_str(&format!("w{i}x\t1.000\n"));
            sentence.push_str(&format!("w{i}x "));
        }
        let m = model(&text);
        let b = best(&m, sentence.trim()).unwrap();
        // 96 features of weight 1, scaled by sqrt(24 / 96) = 0.5
        assert!((b.z - 48.0).abs() < 1e-3, "{}", b.z);
    }

    #[test]
    fn the_threshold_can_switch_the_model_off() {
        let m = model("bias\t-1.000\nlate\t1.000\n");
        assert!(m.reaches(0.0, 1));
        let off = m.clone().with_threshold(100);
        assert!(!off.active());
        assert!(!off.reaches(50.0, 1));
        // past 20 sentences read the bar rises by the log of their share
        assert!(!m.reaches(0.5, 40));
        assert!(m.reaches(0.7, 40));
        assert!(m.with_threshold(80).reaches(1.4, 20));
    }
}
