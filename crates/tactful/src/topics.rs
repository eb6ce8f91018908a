//! Topics: what the customer contacts about, read from customer turns.
//!
//! Not findings but tags on the transcript ([`crate::Report::topics`]), for
//! root-cause counts across a batch; one transcript can have several. The ten
//! built-in tags are phrase lists in `lexicons/topics/`, in the pattern
//! language of every list ([`crate::lexicon`]); a team extends a tag or adds
//! its own with `[topics]` in the configuration ([`crate::Config::topics`]).
//! A topic is what a turn is about, so a negated or quoted phrase tags too
//! ("I still haven't had my refund").
//!
//! Beside the lists, a topic model (a logistic model per built-in tag over
//! the words and word pairs of the customer turns, its weights in
//! `models/topics.txt`, fitted by `scripts/fit-topics.py`) gives each tag a
//! probability: a tag is given when its list matches or the probability
//! reaches the model's threshold. A list, and a team's extension of a
//! built-in list, always tags; a team's own tag is given by its phrases.
//! [`crate::Analyzer::explain_topics`] shows both sides.
//!
//! ```
//! use tactful::{Analyzer, Config, Role, Transcript, Turn};
//! let t = Transcript::new("T-1")
//!     .with_turn(Turn::new(Role::Customer, "I was charged twice and the app keeps crashing."));
//! assert_eq!(Analyzer::new().analyze(&t).topics, ["billing", "technical"]);
//!
//! let mut config = Config::default();
//! config.topics.insert("loyalty".into(), vec!["(points|rewards) (balance|missing)".into()]);
//! let analyzer = Analyzer::from_config(&config).unwrap();
//! let t = Transcript::new("T-2")
//!     .with_turn(Turn::new(Role::Customer, "My points balance is wrong."));
//! assert_eq!(analyzer.analyze(&t).topics, ["loyalty"]);
//! ```

/// The built-in topic tags with their phrase lists, in output order.
pub const BUILTIN: [(&str, &str); 10] = [
    ("delivery", include_str!("../lexicons/topics/delivery.txt")),
    ("refund", include_str!("../lexicons/topics/refund.txt")),
    ("billing", include_str!("../lexicons/topics/billing.txt")),
    ("account", include_str!("../lexicons/topics/account.txt")),
    (
        "technical",
        include_str!("../lexicons/topics/technical.txt"),
    ),
    (
        "cancellation",
        include_str!("../lexicons/topics/cancellation.txt"),
    ),
    ("delay", include_str!("../lexicons/topics/delay.txt")),
    (
        "availability",
        include_str!("../lexicons/topics/availability.txt"),
    ),
    ("quality", include_str!("../lexicons/topics/quality.txt")),
    ("staff", include_str!("../lexicons/topics/staff.txt")),
];

/// Most topics one configuration can define (built-in and own).
pub const MAX_TOPICS: usize = 64;

/// Whether a topic tag is well formed: lower-case letters, digits, `_` or
/// `-`, 1 to 40 characters.
pub(crate) fn valid_tag(tag: &str) -> bool {
    (1..=40).contains(&tag.len())
        && tag
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// The built-in topic model's weights, written by `scripts/fit-topics.py`
/// (read at build time into [`BLOB`]; the tests read the text too).
#[cfg(test)]
const WEIGHTS: &str = include_str!("../models/topics.txt");

/// How many words and pairs a transcript's customer turns may give the model
/// before their summed weights are scaled down (as `scripts/fit-topics.py`).
const TYPICAL: f32 = 64.0;

/// The built-in topic model as `build.rs` reads `models/topics.txt`.
const BLOB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/topics.bin"));

/// A reader of a built-in model's blob, written by `build.rs` (its `models`
/// gives the layout): the blob is part of the crate, so running short of
/// bytes is a bug, found before release.
pub(crate) struct Blob<'a>(pub(crate) &'a [u8]);

impl<'a> Blob<'a> {
    /// The next four bytes, little-endian.
    pub(crate) fn u32(&mut self) -> u32 {
        let (h, t) = self.0.split_at(4);
        self.0 = t;
        u32::from_le_bytes([h[0], h[1], h[2], h[3]])
    }

    /// The next eight bytes, little-endian.
    pub(crate) fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | u64::from(self.u32()) << 32
    }

    /// The next four bytes as a float's bits.
    pub(crate) fn f32(&mut self) -> f32 {
        f32::from_bits(self.u32())
    }

    /// The next `n` bytes.
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (h, t) = self.0.split_at(n);
        self.0 = t;
        h
    }
}

/// How many topics the model weighs: the built-in ones, in [`BUILTIN`] order.
const N: usize = BUILTIN.len();

/// Why a transcript gets the topics it does: see
/// [`crate::Analyzer::explain_topics`].
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct TopicExplanation {
    /// The tags whose phrase lists match a customer turn (built-in and own).
    pub listed: Vec<String>,
    /// The words and word pairs of the customer turns the model reads
    /// (lower case, a regular ending taken off: "parcels" reads `parcel`,
    /// "charged" `charg`), sorted, each once.
    pub words: Vec<String>,
    /// Each built-in tag with the model's probability for it (0–1); a tag is
    /// given when its phrase list matches or this reaches `threshold`.
    pub scores: Vec<(&'static str, f32)>,
    /// The probability from which the model gives a tag.
    pub threshold: f32,
}

/// The topic model: a logistic model per built-in tag over the words and
/// word pairs of the customer turns (their weights summed, and past 64 of
/// them scaled by the square root of 64 over their number), with the phrase lists'
/// matches as evidence beside them. A tag is given when its list matches or the model's
/// probability reaches the threshold, so a list (and a team's extension of
/// it) always tags, and the model adds what the lists do not spell out.
#[derive(Debug, Clone, Default)]
pub(crate) struct Model {
    /// Feature hash (see [`word_hash`], [`pair_hash`]) to its row of weights.
    index: FeatureIndex,
    rows: Vec<Row>,
    bias: [f32; N],
    /// Per built-in tag whose list matched: what that adds to each tag.
    listed: [[f32; N]; N],
    /// The threshold as a probability, and as log-odds.
    threshold: f32,
    cut: f32,
}

/// A feature's weights for each topic, alone in a cache line (40 bytes
/// unaligned, half the rows a turn's words hit spanned two lines).
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(align(64))]
struct Row([f32; N]);

/// The row of each known feature (a word's or a pair's hash, see
/// [`word_hash`] and [`pair_hash`]): open addressing with linear probing,
/// at most half full, so a look costs one multiply and, for most words, one
/// or two compares (a general hash map took about twice the instructions
/// per look, and the models look up every word and pair of every turn),
/// behind a filter that answers most looks for a key that is no feature.
/// Feature hashes are odd, so a key of 0 marks a free slot.
///
/// A slot holds the feature's value `V` beside its key: the row of a model
/// (`u32`), or, in [`CustomerWords`], both models' rows (`(u32, u32)`, the
/// same sixteen bytes a slot of a `u32` takes with its padding), so that a
/// look that finds a feature reads them with no second load.
#[derive(Debug, Clone, Default)]
pub(crate) struct FeatureIndex<V = u32> {
    slots: Vec<(u64, V)>,
    /// A filter in front of the slots: four bits per slot, a feature's
    /// two bits set, both in one word ([`FeatureIndex::bit`]). Most words
    /// and nearly all pairs a model is asked about are not features: one
    /// of their bits is clear, and the look ends in this small table (a
    /// few tens of kilobytes, which stays in the cache) instead of a probe
    /// of the slots (a cache miss, most of the time). Two bits a feature
    /// let fewer of the others through than one did (about 0.8% against
    /// 4% for the agent's five models, at a third of a slot a feature, with
    /// eight bits a slot; at four, half the size and so fewer misses of
    /// the cache, about 2%).
    filter: Vec<u64>,
    len: usize,
    /// `64 - log2(slots.len())`: the shift that takes a key to its first
    /// slot.
    shift: u32,
}

impl<V: Copy + Default> FeatureIndex<V> {
    /// The first slot of `key`: the top bits of a multiplicative hash.
    #[inline]
    fn slot(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> self.shift) as usize
    }

    /// The value (row) of feature `key`, if it is known.
    #[inline]
    pub(crate) fn get(&self, key: u64) -> Option<V> {
        let mask = self.slots.len().checked_sub(1)?;
        let (word, bits) = self.bit(key);
        if self.filter[word] & bits != bits {
            return None;
        }
        let mut i = self.slot(key) & mask;
        loop {
            let (k, row) = self.slots[i];
            if k == key {
                return Some(row);
            }
            if k == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Adds feature `key` (not 0) with `row`; the row it had, if it was
    /// there already (then it keeps that row).
    pub(crate) fn insert(&mut self, key: u64, row: V) -> Option<V> {
        debug_assert!(key != 0, "feature hashes are odd");
        if let Some(old) = self.get(key) {
            return Some(old);
        }
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        self.place(key, row);
        self.len += 1;
        None
    }

    /// The value of feature `key`, to change, if it is known.
    fn get_mut(&mut self, key: u64) -> Option<&mut V> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = self.slot(key) & mask;
        loop {
            match self.slots[i].0 {
                k if k == key => return Some(&mut self.slots[i].1),
                0 => return None,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Makes room for `n` features in all without growing again.
    pub(crate) fn reserve(&mut self, n: usize) {
        if 2 * n > self.slots.len() {
            self.resize((2 * n).next_power_of_two());
        }
    }

    /// Doubles the slots (1024 at first) and places every feature again.
    fn grow(&mut self) {
        self.resize(self.slots.len() * 2);
    }

    /// Makes `size` slots (a power of two; at least 1024) and places every
    /// feature again.
    fn resize(&mut self, size: usize) {
        let old = std::mem::take(&mut self.slots);
        let size = size.max(1024);
        self.slots = vec![(0, V::default()); size];
        self.filter = vec![0; size / 16];
        self.shift = 64 - size.trailing_zeros();
        for (k, row) in old {
            if k != 0 {
                self.place(k, row);
            }
        }
    }

    /// Puts `key` in its first free slot (there is one: the table is never
    /// full).
    fn place(&mut self, key: u64, row: V) {
        let mask = self.slots.len() - 1;
        let mut i = self.slot(key) & mask;
        while self.slots[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.slots[i] = (key, row);
        let (word, bit) = self.bit(key);
        self.filter[word] |= bit;
    }

    /// The two bits of `key` in the filter (their word and mask): the
    /// word and the first bit from the top bits of a second multiplicative
    /// hash, independent of the slot's, the second bit from six of its
    /// middle bits (below the top 30, which a table of up to 2^28 slots
    /// uses; the two may be the same bit).
    #[inline]
    fn bit(&self, key: u64) -> (usize, u64) {
        let p = key.wrapping_mul(0xD6E8_FEB8_6659_FD93);
        let f = (p >> (self.shift - 2)) as usize;
        (f >> 6, 1u64 << (f & 63) | 1u64 << (p >> 24 & 63))
    }

    /// Every feature and its row, in no particular order.
    #[cfg(test)]
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u64, V)> + '_ {
        self.slots.iter().copied().filter(|&(k, _)| k != 0)
    }

    /// How many features there are.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.len
    }
}

/// No row: a feature that one of the models of [`CustomerWords`] does not
/// have.
pub(crate) const NO_ROW: u32 = u32::MAX;

/// No row in the sixteen bits [`CustomerRows`] keeps a row in.
pub(crate) const NO_SHORT_ROW: u16 = u16::MAX;

/// What [`CustomerWords`] holds of a customer feature, in eight bytes: its
/// row in the topic model and in the distress word model (each in sixteen
/// bits: the built-in models have some 8,800 and 7,800 features; a model of
/// more than 65,534 is refused when the table is built), and the distress
/// word model's weight for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct CustomerRows {
    /// The feature's row in the topic model ([`NO_SHORT_ROW`]: none).
    pub(crate) topic: u16,
    /// The feature's row in the distress word model ([`NO_SHORT_ROW`]:
    /// none).
    pub(crate) distress: u16,
    /// The distress word model's weight of the feature, as its bits
    /// ([`NO_ROW`], the bits of a NaN that no weight is: none).
    pub(crate) weight: u32,
}

impl CustomerRows {
    /// A feature of neither model.
    pub(crate) const NONE: CustomerRows = CustomerRows {
        topic: NO_SHORT_ROW,
        distress: NO_SHORT_ROW,
        weight: NO_ROW,
    };
}

/// Row `row` of a model of [`CustomerWords`] in sixteen bits.
fn short_row(row: usize) -> u16 {
    match u16::try_from(row) {
        Ok(r) if r != NO_SHORT_ROW => r,
        _ => panic!("a customer model of more than 65,534 features (row {row})"),
    }
}

/// The features of the two models that read every customer word, the topic
/// model and the distress word model, in one table: per feature hash, the
/// row each model has for it and the distress word model's weight
/// ([`CustomerRows`]), kept in the feature's slot. One look per word and one
/// per pair (the two models' previous words are the same but at a line
/// break, where only the distress model closes a sentence) instead of two of
/// each, and the distress weight read from the slot the look read (not from
/// the model's own list of weights: a second load, and a cache miss, for
/// most words); for any hash, the rows and the weight are what each model's
/// own table gives, so each model reads exactly as it would alone.
#[derive(Debug, Clone, Default)]
pub(crate) struct CustomerWords {
    index: FeatureIndex<CustomerRows>,
}

impl CustomerWords {
    /// The table of `topics`' and `words`' features.
    pub(crate) fn new(topics: &Model, words: &crate::sentence_model::Model) -> CustomerWords {
        let mut t = CustomerWords::default();
        let features = words.features();
        let weights = words.weights();
        // (room for the larger model's features: most of the smaller's are
        // the larger's too, so the table grows only if they are not; sized
        // for their sum it was twice as large, and so was the memory the
        // per-word looks touch)
        t.index.reserve(topics.index.len.max(features.len()));
        for &(h, row) in &topics.index.slots {
            if h != 0 {
                let rows = CustomerRows {
                    topic: short_row(row as usize),
                    ..CustomerRows::NONE
                };
                t.index.insert(h, rows);
            }
        }
        for (row, (&h, &w)) in features.iter().zip(weights).enumerate() {
            let (distress, weight) = (short_row(row), w.to_bits());
            debug_assert!(weight != NO_ROW, "a weight is a number");
            match t.index.get_mut(h) {
                Some(rows) => (rows.distress, rows.weight) = (distress, weight),
                None => {
                    let rows = CustomerRows {
                        distress,
                        weight,
                        ..CustomerRows::NONE
                    };
                    t.index.insert(h, rows);
                }
            }
        }
        t
    }

    /// The rows of feature `h` in the topic model and the distress word
    /// model, and its distress weight.
    #[inline]
    pub(crate) fn get(&self, h: u64) -> CustomerRows {
        self.index.get(h).unwrap_or(CustomerRows::NONE)
    }

    /// Reads a word (hash `h`, bytes `a..b`) of a customer turn into the
    /// topic model's scan and, where given, the distress word model's: as
    /// [`Model::token_keyed`] and
    /// [`crate::sentence_model::Model::turn_hashed`] read it.
    #[inline]
    pub(crate) fn word(
        &self,
        h: u64,
        (a, b): (usize, usize),
        topics: &Model,
        topic: &mut TopicScan,
        words: Option<(
            &crate::sentence_model::Model,
            &mut crate::sentence_model::TurnScan,
        )>,
    ) {
        self.word_rows(h, self.get(h), (a, b), topics, topic, words);
    }

    /// [`CustomerWords::word`] of a word whose own rows (`rows`, what
    /// [`CustomerWords::get`] gives for `h`) were looked up before.
    #[inline(always)]
    pub(crate) fn word_rows(
        &self,
        h: u64,
        rows: CustomerRows,
        (a, b): (usize, usize),
        topics: &Model,
        topic: &mut TopicScan,
        words: Option<(
            &crate::sentence_model::Model,
            &mut crate::sentence_model::TurnScan,
        )>,
    ) {
        let tp = topic.prev;
        let dp = words.as_ref().map_or(0, |(_, scan)| scan.prev());
        let (tpair, dpair) = if tp != 0 && tp == dp {
            let pair = self.get(pair_hash(tp, h));
            (pair.topic, pair)
        } else {
            let tpair = if tp != 0 {
                self.get(pair_hash(tp, h)).topic
            } else {
                NO_SHORT_ROW
            };
            let dpair = if dp != 0 {
                self.get(pair_hash(dp, h))
            } else {
                CustomerRows::NONE
            };
            (tpair, dpair)
        };
        if tpair != NO_SHORT_ROW {
            topic.hit(u32::from(tpair), &topics.rows[usize::from(tpair)].0);
        }
        if rows.topic != NO_SHORT_ROW {
            topic.hit(
                u32::from(rows.topic),
                &topics.rows[usize::from(rows.topic)].0,
            );
        }
        topic.prev = h;
        if let Some((model, scan)) = words {
            model.turn_weights(
                h,
                (a, b),
                (u32::from(dpair.distress), dpair.weight),
                (u32::from(rows.distress), rows.weight),
                scan,
            );
        }
    }
}

/// What a transcript's customer turns gave the topic model so far.
#[derive(Debug, Default, Clone)]
pub(crate) struct TopicScan {
    /// The hash of the previous word of the sentence (0 at its start).
    prev: u64,
    /// The rows hit so far, each once (a bit per row, and the rows to
    /// clear them), and the sum of their weights.
    seen: Vec<u64>,
    touched: Vec<u32>,
    sum: [f32; N],
}

impl TopicScan {
    /// Reads a token that ends a run of words (as [`Model::token_keyed`]
    /// reads one that is no word and [`breaks`] it): no pair spans it.
    #[inline]
    pub(crate) fn break_run(&mut self) {
        self.prev = 0;
    }

    /// Forgets the previous transcript.
    pub(crate) fn clear(&mut self) {
        self.prev = 0;
        for &r in &self.touched {
            self.seen[(r / 64) as usize] = 0;
        }
        self.touched.clear();
        self.sum = [0.0; N];
    }

    /// Adds a row's weights, once per transcript: a word said twice counts
    /// once.
    #[inline(always)]
    fn hit(&mut self, r: u32, w: &[f32; N]) {
        let (i, bit) = ((r / 64) as usize, 1u64 << (r % 64));
        // (one test of the length: the word's own, where `seen` has it)
        let word = match self.seen.get_mut(i) {
            Some(word) => word,
            None => self.grow(i),
        };
        if *word & bit == 0 {
            *word |= bit;
            self.touched.push(r);
            // (the row and the sums read into locals first: added in place,
            // the compiler could not tell the two apart where the scan and
            // the model meet inlined, and added one lane at a time)
            let (w, mut sum) = (*w, self.sum);
            for (s, x) in sum.iter_mut().zip(w) {
                *s += x;
            }
            self.sum = sum;
        }
    }

    /// Makes room for bit word `i` of `seen` and gives it (once per
    /// transcript scan's first rows: kept out of the per-word path).
    #[cold]
    #[inline(never)]
    fn grow(&mut self, i: usize) -> &mut u64 {
        self.seen.resize(i + 1, 0);
        &mut self.seen[i]
    }

    /// A new turn: no word pair spans two turns.
    pub(crate) fn turn(&mut self) {
        self.prev = 0;
    }
}

/// Splits a regular ending off a lower-case word: the stem and what to put
/// back ("parcels" → `parcel`, "deliveries" → `deliver` + `y`, "charged" and
/// "charge" → `charg`). Crude on purpose: the model only needs the forms of
/// one word to meet, and fitting and reading use this same function.
#[inline]
pub(crate) fn stem(w: &str) -> (&str, &'static str) {
    // (read from the last byte: the rules, in order, are "'s" off; "n't"
    // and "ss" kept; "ies" to "y"; "ing", "ed", "es" off; a final "e"
    // off; a final "s" off unless "us" or "is"; each with a minimum
    // length. Every byte cut is ASCII, so every cut is a char boundary.)
    let b = w.as_bytes();
    let n = b.len();
    let at = |k: usize| if n >= k { b[n - k] } else { 0 };
    match at(1) {
        b's' => match at(2) {
            b'\'' if n >= 3 => (&w[..n - 2], ""),
            b's' => (w, ""),
            b'e' if n >= 5 && at(3) == b'i' => (&w[..n - 3], "y"),
            b'e' if n >= 5 => (&w[..n - 2], ""),
            b'u' | b'i' => (w, ""),
            _ if n >= 4 => (&w[..n - 1], ""),
            _ => (w, ""),
        },
        b'g' if n >= 6 && at(2) == b'n' && at(3) == b'i' => (&w[..n - 3], ""),
        b'd' if n >= 5 && at(2) == b'e' => (&w[..n - 2], ""),
        b'e' if n >= 5 => (&w[..n - 1], ""),
        _ => (w, ""),
    }
}

#[cfg(test)]
/// A number written with three decimals (`-1.250`), as the fitting script
/// writes every weight, read without the general float parser (the same
/// value: an integer below 2^24 divided by 1000, rounded once).
pub(crate) fn milli(v: &str) -> Option<f32> {
    let (neg, b) = match v.as_bytes() {
        [b'-', rest @ ..] => (true, rest),
        b => (false, b),
    };
    let dot = b.iter().position(|&c| c == b'.')?;
    let (int, frac) = (&b[..dot], &b[dot + 1..]);
    if int.is_empty() || int.len() > 4 || frac.len() != 3 {
        return None;
    }
    let mut n: u32 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        n = n * 10 + u32::from(c - b'0');
    }
    let x = n as f32 / 1000.0;
    Some(if neg { -x } else { x })
}

#[cfg(test)]
/// The hash of a model file's feature name: a word, or two words
/// separated by one space (a pair); `None` for anything else.
pub(crate) fn feature_hash(name: &str) -> Option<u64> {
    // (as splitting on ' ' into one or two non-empty parts, read by byte:
    // start-up reads some 50,000 names)
    let b = name.as_bytes();
    match memchr::memchr(b' ', b) {
        None if !b.is_empty() => Some(word_hash(name, "")),
        Some(i) if i > 0 && i + 1 < b.len() && memchr::memchr(b' ', &b[i + 1..]).is_none() => Some(
            pair_hash(word_hash(&name[..i], ""), word_hash(&name[i + 1..], "")),
        ),
        _ => None,
    }
}

/// The lines of a model file with their 1-based numbers, as
/// [`str::lines`] splits them (at `\n`, a `\r` before it dropped), found
/// with a vectorized search (`lines` searched char by char, a tenth of the
/// start-up's model reading).
pub(crate) fn model_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut n = 0;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        let Some(i) = memchr::memchr(b'\n', rest.as_bytes()) else {
            // (the last line, with no line break: kept whole, as `lines`)
            return Some((n, std::mem::take(&mut rest)));
        };
        let line = &rest[..i];
        rest = &rest[i + 1..];
        Some((n, line.strip_suffix('\r').unwrap_or(line)))
    })
}

#[cfg(test)]
/// `line` split at its first tab, as [`str::split_once`] with `'\t'`.
#[inline]
pub(crate) fn split_tab(line: &str) -> Option<(&str, &str)> {
    let i = memchr::memchr(b'\t', line.as_bytes())?;
    Some((&line[..i], &line[i + 1..]))
}

#[cfg(test)]
/// How many lines a model file has at most (to size its table once).
pub(crate) fn line_count(text: &str) -> usize {
    memchr::memchr_iter(b'\n', text.as_bytes()).count() + 1
}

/// The log-odds under which a built-in tag its list matched is dropped (5%,
/// as `scripts/fit-topics.py`'s `VETO`; with the model off, never).
const VETO: f32 = -2.944_439;

/// A threshold in percent as a probability and as log-odds (0: every
/// score passes; 100 or more: none does).
pub(crate) fn threshold_cut(percent: u8) -> (f32, f32) {
    let p = f32::from(percent.min(100)) / 100.0;
    let cut = match percent {
        0 => f32::NEG_INFINITY,
        q if q >= 100 => f32::INFINITY,
        _ => (p / (1.0 - p)).ln(),
    };
    (p, cut)
}

/// The hash of a word: its stem and ending read as one string of bytes.
/// A word of up to eight bytes (nearly all) is its bytes packed into a
/// `u64`, little-endian and zero-padded (as the tokenizer packs a token),
/// put through a bijective mix, so no two such words collide; a longer one
/// mixes its bytes eight at a time with its length. Odd, so never 0.
pub(crate) fn word_hash(stem: &str, end: &str) -> u64 {
    let (s, e) = (stem.as_bytes(), end.as_bytes());
    let n = s.len() + e.len();
    if n <= 8 {
        // (little-endian: the last byte shifted in first; a copy into an
        // array of eight was a call to `memcpy`)
        let packed = s
            .iter()
            .chain(e)
            .rev()
            .fold(0u64, |p, &b| p << 8 | u64::from(b));
        return packed_hash(packed);
    }
    let mut h = 0x243f_6a88_85a3_08d3 ^ n as u64;
    if e.is_empty() {
        // (the usual case, read a whole chunk at a time: the same chunks as
        // the byte loop below makes)
        let mut chunks = s.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = mix(h ^ u64::from_le_bytes(w));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            h = mix(h ^ rest.iter().rev().fold(0u64, |p, &b| p << 8 | u64::from(b)));
        }
        return h | 1;
    }
    let (mut chunk, mut k) = (0u64, 0);
    for &b in s.iter().chain(e) {
        chunk |= u64::from(b) << (8 * k);
        k += 1;
        if k == 8 {
            h = mix(h ^ chunk);
            (chunk, k) = (0, 0);
        }
    }
    if k > 0 {
        h = mix(h ^ chunk);
    }
    h | 1
}

/// [`word_hash`] of a word of up to eight bytes, packed.
#[inline]
fn packed_hash(packed: u64) -> u64 {
    mix(packed ^ 0x9e37_79b9_7f4a_7c15) | 1
}

/// A bijective mix of 64 bits (MurmurHash3's finalizer).
#[inline]
fn mix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

/// [`word_hash`] of the stem of a lower-case word token ([`stem`]), with
/// `key` its bytes packed as the tokenizer packs them (0 past eight bytes,
/// or when not known): the stem of a short word is masked off its key,
/// with no pass over its bytes.
#[inline(always)]
pub(crate) fn stem_hash(token: &str, key: u64) -> u64 {
    let (s, e) = stem(token);
    if key == 0 || token.len() > 8 {
        return word_hash(s, e);
    }
    debug_assert_eq!(Some(key), crate::matcher::pack_token(token));
    // (the stem is a prefix of the token: its bytes are the key's low
    // ones; an ending put back is one byte, "y", and fits: the stem lost
    // three)
    let keep = 8 * s.len() as u32;
    let packed = key & u64::MAX.checked_shr(64 - keep).unwrap_or(0);
    match e.as_bytes() {
        [] => packed_hash(packed),
        [c] if keep < 64 => packed_hash(packed | u64::from(*c) << keep),
        _ => word_hash(s, e),
    }
}

/// The hash of a word pair from its words' hashes.
pub(crate) fn pair_hash(a: u64, b: u64) -> u64 {
    (a.rotate_left(23) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1
}

/// Whether a token of the normalized text is a word the model reads.
#[inline]
pub(crate) fn is_word(token: &str) -> bool {
    token.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
}

/// Whether a token ends a run of words (punctuation: a pair never spans it).
#[inline]
pub(crate) fn breaks(token: &str) -> bool {
    // (it depends on the first byte only: one load of a table of it)
    token
        .as_bytes()
        .first()
        .is_some_and(|&b| BREAKING[usize::from(b)])
}

/// Whether a first byte is ASCII punctuation other than `'` and `-` (the
/// bytes [`breaks`] takes), by byte.
static BREAKING: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = breaks_by_tests(c);
        b += 1;
    }
    t
};

/// [`breaks`] of a token whose first byte is `c`, as first written (the
/// table [`BREAKING`] is built from it).
const fn breaks_by_tests(c: u8) -> bool {
    c.is_ascii_punctuation() && c != b'\'' && c != b'-'
}

/// Calls `f` with each word and word pair a token adds, as text (for the
/// fitting script and explanations).
pub(crate) fn token_words(token: &str, prev: &mut Option<String>, mut f: impl FnMut(String)) {
    if is_word(token) {
        let (s, e) = stem(token);
        let w = format!("{s}{e}");
        if let Some(p) = prev.take() {
            f(format!("{p} {w}"));
        }
        f(w.clone());
        *prev = Some(w);
    } else if breaks(token) {
        *prev = None;
    }
}

impl Model {
    /// The built-in model.
    pub(crate) fn builtin() -> Model {
        // (a fault in the file fails the build)
        Model::from_blob(BLOB)
    }

    /// The model of a blob `build.rs` wrote: the same as [`Model::parse`]
    /// makes of the text (the same rows in the same order, and the table
    /// sized for the text's lines), with no parsing (a test holds the two
    /// equal).
    fn from_blob(bytes: &[u8]) -> Model {
        let mut b = Blob(bytes);
        let mut m = Model::default();
        m.index.reserve(b.u32() as usize);
        m.threshold = b.f32();
        assert_eq!(b.u32() as usize, N, "models/topics.txt: weights a line");
        for _ in 0..b.u32() {
            let n = b.u32() as usize;
            let tag = b.bytes(n);
            let t = BUILTIN
                .iter()
                .position(|(t, _)| t.as_bytes() == tag)
                .unwrap_or_else(|| panic!("models/topics.txt: unknown tag"));
            for x in &mut m.listed[t] {
                *x = b.f32();
            }
        }
        for x in &mut m.bias {
            *x = b.f32();
        }
        let n = b.u32() as usize;
        m.rows.reserve(n);
        for r in 0..n {
            let h = b.u64();
            let mut row = [0f32; N];
            for x in &mut row {
                *x = b.f32();
            }
            m.index.insert(h, r as u32);
            m.rows.push(Row(row));
        }
        m.cut = (m.threshold / (1.0 - m.threshold)).ln();
        m
    }

    #[cfg(test)]
    /// Reads the model file: tab-separated lines of a name and one weight
    /// per built-in tag (`bias`, `list:<tag>`, or a word or word pair), and
    /// `threshold<TAB>p`. (The built-in model is read from the blob
    /// `build.rs` writes; the tests read the text with this and hold the
    /// two equal.)
    pub(crate) fn parse(text: &str) -> Result<Model, String> {
        let mut m = Model {
            threshold: 0.5,
            ..Model::default()
        };
        m.index.reserve(line_count(text));
        for (line_no, line) in model_lines(text) {
            let n = line_no - 1;
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let (name, values) = split_tab(line)
                .ok_or_else(|| format!("line {}: expected a name, a tab and weights", n + 1))?;
            let number = |v: &str| {
                milli(v)
                    .or_else(|| v.parse::<f32>().ok())
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| format!("line {}: `{v}` is not a number", n + 1))
            };
            if name == "threshold" {
                m.threshold = number(values.trim())?;
                if !(m.threshold > 0.0 && m.threshold < 1.0) {
                    return Err(format!("line {}: the threshold must be in (0, 1)", n + 1));
                }
                continue;
            }
            let mut row = [0f32; N];
            let mut k = 0;
            let mut fields = Some(values);
            while let Some(rest) = fields {
                let v = match split_tab(rest) {
                    Some((v, next)) => {
                        fields = Some(next);
                        v
                    }
                    None => {
                        fields = None;
                        rest
                    }
                };
                if k == N {
                    return Err(format!("line {}: more than {N} weights", n + 1));
                }
                row[k] = number(v)?;
                k += 1;
            }
            if k != N {
                return Err(format!("line {}: {k} weights, expected {N}", n + 1));
            }
            if name == "bias" {
                m.bias = row;
            } else if let Some(tag) = name.strip_prefix("list:") {
                let t = BUILTIN
                    .iter()
                    .position(|(b, _)| *b == tag)
                    .ok_or_else(|| format!("line {}: unknown tag `{tag}`", n + 1))?;
                m.listed[t] = row;
            } else {
                let hash = feature_hash(name)
                    .ok_or_else(|| format!("line {}: bad feature `{name}`", n + 1))?;
                if m.index.insert(hash, m.rows.len() as u32).is_some() {
                    return Err(format!("line {}: `{name}` given twice", n + 1));
                }
                m.rows.push(Row(row));
            }
        }
        m.cut = (m.threshold / (1.0 - m.threshold)).ln();
        Ok(m)
    }

    /// The model with its threshold set to `percent` (100 or more: it never
    /// gives a tag; 0: it gives every tag).
    pub(crate) fn with_threshold(mut self, percent: u8) -> Model {
        (self.threshold, self.cut) = threshold_cut(percent);
        self
    }

    /// Reads one token of a customer turn's normalized text.
    #[cfg(test)]
    pub(crate) fn token(&self, token: &str, scan: &mut TopicScan) -> Option<u64> {
        self.token_keyed(token, 0, scan)
    }

    /// [`Model::token`] with the token's bytes packed as the tokenizer
    /// packs them (0 past eight bytes or when not known); the word's hash,
    /// if it is a word.
    #[inline]
    pub(crate) fn token_keyed(&self, token: &str, key: u64, scan: &mut TopicScan) -> Option<u64> {
        if is_word(token) {
            let h = stem_hash(token, key);
            if scan.prev != 0 {
                if let Some(r) = self.index.get(pair_hash(scan.prev, h)) {
                    scan.hit(r, &self.rows[r as usize].0);
                }
            }
            if let Some(r) = self.index.get(h) {
                scan.hit(r, &self.rows[r as usize].0);
            }
            scan.prev = h;
            return Some(h);
        } else if breaks(token) {
            scan.prev = 0;
        }
        None
    }

    /// Each built-in tag's log-odds, given what the customer turns gave and
    /// the bits of the lists that matched.
    fn logits(&self, scan: &TopicScan, listed: u64) -> [f32; N] {
        let mut z = self.bias;
        // past TYPICAL words, their sum is scaled by sqrt(TYPICAL / words): a
        // long call does not pile small weights up into a tag
        if !scan.touched.is_empty() {
            let scale = (TYPICAL / scan.touched.len() as f32).sqrt().min(1.0);
            for (k, s) in scan.sum.iter().enumerate() {
                z[k] += s * scale;
            }
        }
        for (t, w) in self.listed.iter().enumerate() {
            if listed & (1 << t) != 0 {
                for k in 0..N {
                    z[k] += w[k];
                }
            }
        }
        z
    }

    /// The topic bits of a transcript: the lists' bits and the model's
    /// (a built-in tag its list matched is dropped where the model gives
    /// it under 5%).
    /// `kept`: the tags whose list matches stand whatever the model says
    /// (those a team extended with its own phrases).
    pub(crate) fn decide(&self, scan: &TopicScan, listed: u64, kept: u64) -> u64 {
        if self.rows.is_empty() && self.bias == [0.0; N] {
            return listed;
        }
        let z = self.logits(scan, listed);
        let mut bits = listed;
        for (k, &v) in z.iter().enumerate() {
            if v >= self.cut {
                bits |= 1 << k;
            } else if v < VETO && self.cut.is_finite() && kept & (1 << k) == 0 {
                // the words around the list's match say the conversation
                // is about something else ("deliver" of a service)
                bits &= !(1 << k);
            }
        }
        bits
    }

    /// Each built-in tag's probability, and the threshold.
    pub(crate) fn scores(&self, scan: &TopicScan, listed: u64) -> (Vec<(&'static str, f32)>, f32) {
        let z = self.logits(scan, listed);
        let scores = BUILTIN
            .iter()
            .zip(z)
            .map(|((t, _), v)| (*t, 1.0 / (1.0 + (-v).exp())))
            .collect();
        (scores, self.threshold)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_by_table_is_breaks_by_tests() {
        for c in 0..=u8::MAX {
            assert_eq!(BREAKING[usize::from(c)], breaks_by_tests(c), "byte {c}");
        }
        for c in (0..128u8).map(char::from).chain(['é', '—', '\u{2019}']) {
            let token = format!("{c}x");
            let first = token.as_bytes()[0];
            let by_tests = first.is_ascii_punctuation() && first != b'\'' && first != b'-';
            assert_eq!(breaks(&token), by_tests, "{token:?}");
        }
        assert!(!breaks(""));
    }

    #[test]
    fn one_table_reads_each_customer_word_as_both_models_alone() {
        let topics = Model::builtin();
        let words = crate::sentence_model::Model::distress_words();
        let table = CustomerWords::new(&topics, &words);
        // line breaks (where only the distress model closes a sentence, so
        // the two previous words differ), pairs, repeats, long words
        let turns = [
            "my parcel never arrived and i was charged twice for the delivery !",
            "still waiting on my refund\nthe app keeps crashing when i log in\nawful service",
            "i have been on hold for hours . nobody answers the phone ? cancel my account",
            "the engineer didn't turn up\n\nagain . unacceptable , absolutely unacceptable",
        ];
        let (mut alone, mut both) = (TopicScan::default(), TopicScan::default());
        let (mut turn_alone, mut turn_both) = (
            crate::sentence_model::TurnScan::default(),
            crate::sentence_model::TurnScan::default(),
        );
        for norm in turns {
            alone.turn();
            both.turn();
            turn_alone.turn();
            turn_both.turn();
            let mut tokens = crate::lexicon::fast_tokens(norm);
            while let Some((a, b, key)) = tokens.next_keyed() {
                let token = &norm[a..b];
                let h = topics.token_keyed(token, key, &mut alone);
                words.turn_hashed(token, h, a, b, &mut turn_alone);
                if is_word(token) {
                    let h = stem_hash(token, key);
                    table.word(
                        h,
                        (a, b),
                        &topics,
                        &mut both,
                        Some((&words, &mut turn_both)),
                    );
                } else {
                    topics.token_keyed(token, key, &mut both);
                    words.turn_hashed(token, None, a, b, &mut turn_both);
                }
            }
            assert_eq!(
                words.turn_end(&mut turn_alone),
                words.turn_end(&mut turn_both),
                "{norm}"
            );
        }
        assert_eq!(alone.touched, both.touched);
        assert_eq!(alone.sum, both.sum);
        assert!(!alone.touched.is_empty());
    }

    #[test]
    fn the_customer_table_holds_each_models_rows_and_weights() {
        let topics = Model::builtin();
        let words = crate::sentence_model::Model::distress_words();
        let table = CustomerWords::new(&topics, &words);
        let mut both = 0;
        for (h, row) in topics.index.iter() {
            let rows = table.get(h);
            assert_eq!(u32::from(rows.topic), row);
            both += usize::from(rows.weight != NO_ROW);
        }
        for (row, (&h, &w)) in words.features().iter().zip(words.weights()).enumerate() {
            let rows = table.get(h);
            assert_eq!(usize::from(rows.distress), row);
            assert_eq!(rows.weight, w.to_bits());
            assert_eq!(
                u32::from(rows.topic),
                topics.index.get(h).map_or(u32::from(NO_SHORT_ROW), |r| r)
            );
        }
        // features of neither model, and pairs the models do not have
        for h in [
            3,
            5,
            pair_hash(word_hash("zzzz", ""), word_hash("qqqq", "")),
        ] {
            if topics.index.get(h).is_none() && !words.features().contains(&h) {
                assert_eq!(table.get(h), CustomerRows::NONE);
            }
        }
        assert!(both > 1000, "{both} features of both models");
    }

    /// The rules of `stem` written out one by one, in their order (the
    /// function reads them from the last byte).
    fn stem_by_rules(w: &str) -> (&str, &'static str) {
        let n = w.len();
        if n >= 3 && w.ends_with("'s") {
            return (&w[..n - 2], "");
        }
        if w.ends_with("n't") || w.ends_with("ss") {
            return (w, "");
        }
        if n >= 5 && w.ends_with("ies") {
            return (&w[..n - 3], "y");
        }
        if n >= 6 && w.ends_with("ing") {
            return (&w[..n - 3], "");
        }
        if n >= 5 && (w.ends_with("ed") || w.ends_with("es")) {
            return (&w[..n - 2], "");
        }
        if n >= 5 && w.ends_with('e') {
            return (&w[..n - 1], "");
        }
        if n >= 4 && w.ends_with('s') && !w.ends_with("us") && !w.ends_with("is") {
            return (&w[..n - 1], "");
        }
        (w, "")
    }

    #[test]
    fn stem_follows_its_rules_on_every_ending() {
        let heads = ["", "a", "x", "ab", "cat", "stor", "charg", "deliver", "t"];
        let tails = [
            "", "s", "'s", "ss", "ies", "es", "ing", "ed", "e", "us", "is", "n't", "t", "g", "ng",
            "d", "y", "ie", "'", "é", "ès",
        ];
        let mut n = 0;
        for h in heads {
            for t in tails {
                let w = format!("{h}{t}");
                assert_eq!(stem(&w), stem_by_rules(&w), "{w:?}");
                n += 1;
            }
        }
        assert_eq!(n, heads.len() * tails.len());
        assert_eq!(stem("deliveries"), ("deliver", "y"));
        assert_eq!(stem("charged"), ("charg", ""));
    }

    fn row(v: f32) -> String {
        vec![format!("{v}"); N].join("\t")
    }

    #[test]
    fn the_blob_written_at_build_time_gives_what_the_text_gives() {
        // (every field, the index's slots and filter included, compared by
        // their debug forms: a float's is exact)
        let built = Model::builtin();
        let parsed = Model::parse(WEIGHTS).unwrap();
        assert!(!parsed.rows.is_empty());
        assert!(parsed
            .listed
            .iter()
            .all(|row| row.iter().any(|&x| x != 0.0)));
        assert_eq!(format!("{built:?}"), format!("{parsed:?}"));
    }

    #[test]
    fn the_builtin_model_parses_and_weighs_words() {
        let m = Model::builtin();
        assert!(m.rows.len() > 1000, "{} features", m.rows.len());
        assert!(m.threshold > 0.0 && m.threshold < 1.0);
        // each list's own tag gains most from its match
        for (t, w) in m.listed.iter().enumerate() {
            let best = (0..N).max_by(|&a, &b| w[a].total_cmp(&w[b]));
            assert_eq!(best, Some(t), "list:{} {w:?}", BUILTIN[t].0);
        }
    }

    #[test]
    fn three_decimals_read_as_the_float_parser_reads_them() {
        for v in ["0.000", "1.250", "-0.049", "-12.345", "3.100", "9999.999"] {
            assert_eq!(milli(v), v.parse::<f32>().ok(), "{v}");
        }
        for v in ["1.25", "1", "-", ".125", "1.2x5", "12345.000", "1e3"] {
            assert_eq!(milli(v), None, "{v}");
        }
        for n in 0..20000u32 {
            let v = format!("{}.{:03}", n / 1000, n % 1000);
            assert_eq!(milli(&v), v.parse::<f32>().ok(), "{v}");
        }
    }

    #[test]
    fn the_feature_index_finds_what_a_hash_map_finds() {
        let mut index = FeatureIndex::default();
        assert_eq!(index.get(word_hash("late", "")), None);
        let mut map = std::collections::HashMap::new();
        let words: Vec<String> = (0..5000).map(|i| format!("w{i}")).collect();
        let mut prev = 0;
        for (i, w) in words.iter().enumerate() {
            let h = word_hash(w, "");
            for key in [h, pair_hash(prev, h)] {
                if i % 3 != 0 {
                    let row = map.len() as u32;
                    assert_eq!(index.insert(key, row), map.get(&key).copied());
                    map.entry(key).or_insert(row);
                }
            }
            prev = h;
        }
        assert_eq!(index.len(), map.len());
        // a second insert keeps the first row
        let (&k, &r) = map.iter().next().unwrap();
        assert_eq!(index.insert(k, 99_999), Some(r));
        assert_eq!(index.get(k), Some(r));
        let mut prev = 0;
        for w in words.iter().chain(&["nope".to_string()]) {
            let h = word_hash(w, "");
            for key in [h, pair_hash(prev, h), pair_hash(h, prev)] {
                assert_eq!(index.get(key), map.get(&key).copied(), "{w}");
            }
            prev = h;
        }
        let mut all: Vec<(u64, u32)> = index.iter().collect();
        let mut expected: Vec<(u64, u32)> = map.into_iter().collect();
        all.sort_unstable();
        expected.sort_unstable();
        assert_eq!(all, expected);
    }

    #[test]
    fn model_files_are_split_as_lines_and_split_once_split_them() {
        for text in [
            "",
            "\n",
            "a",
            "a\n",
            "a\r\nb\r\n",
            "a\r",
            "a\n\r",
            "\r\n\r\nx\ty\tz\r\n\n",
            "bias\t-1.000\nlate\t0.500\nour fault\t1.250",
            "é\tü\r\nñ\r",
        ] {
            let ours: Vec<(usize, &str)> = model_lines(text).collect();
            let std: Vec<(usize, &str)> =
                text.lines().enumerate().map(|(i, l)| (i + 1, l)).collect();
            assert_eq!(ours, std, "{text:?}");
            for (_, line) in ours {
                assert_eq!(split_tab(line), line.split_once('\t'), "{line:?}");
            }
            assert!(line_count(text) >= text.lines().count());
        }
        // a feature is one word or two, split by one space
        let by_split = |name: &str| {
            let mut words = name.split(' ');
            match (words.next(), words.next(), words.next()) {
                (Some(a), None, None) if !a.is_empty() => Some(word_hash(a, "")),
                (Some(a), Some(b), None) if !a.is_empty() && !b.is_empty() => {
                    Some(pair_hash(word_hash(a, ""), word_hash(b, "")))
                }
                _ => None,
            }
        };
        for name in [
            "",
            " ",
            "  ",
            "a",
            "a ",
            " a",
            "a b",
            "a  b",
            "a b c",
            "late",
            "our fault",
            "é ü",
            "a b ",
        ] {
            assert_eq!(feature_hash(name), by_split(name), "{name:?}");
        }
    }

    #[test]
    fn a_stem_hashed_from_the_packed_token_is_the_word_hash_of_the_stem() {
        let mut words: Vec<String> = [
            "a",
            "i",
            "is",
            "us",
            "bus",
            "its",
            "it's",
            "boss",
            "sorry",
            "charged",
            "charge",
            "parcels",
            "deliveries",
            "delivery",
            "flies",
            "ties",
            "waiting",
            "sing",
            "needed",
            "bed",
            "cases",
            "buses",
            "abcdefgh",
            "abcdefghs",
            "abcdeies",
            "shipping",
            "refunds",
            "don't",
            "ladies",
            "lies",
            "xies",
            "aaaaaies",
            "aaaaaaies",
        ]
        .iter()
        .map(|w| w.to_string())
        .collect();
        for stem in ["x", "abc", "charg", "abcdef", "abcdefg", "abcdefgh"] {
            for end in [
                "", "s", "'s", "es", "ies", "ed", "ing", "e", "ss", "us", "is",
            ] {
                words.push(format!("{stem}{end}"));
            }
        }
        for w in &words {
            let (s, e) = stem(w);
            let by_bytes = word_hash(s, e);
            assert_eq!(stem_hash(w, 0), by_bytes, "{w:?}");
            let key = crate::matcher::pack_token(w).unwrap_or(0);
            assert_eq!(stem_hash(w, key), by_bytes, "{w:?}");
            // a word's hash depends on its bytes alone, however split
            let joined = format!("{s}{e}");
            assert_eq!(word_hash(&joined, ""), by_bytes, "{w:?}");
        }
        // no two short words collide, and long ones are read whole
        assert_ne!(word_hash("abcdefgh", ""), word_hash("abcdefg", ""));
        assert_ne!(word_hash("abcdefghij", ""), word_hash("abcdefghik", ""));
        assert_eq!(word_hash("abcdefghij", ""), word_hash("abcdefgh", "ij"));
        for w in [
            "abcdefghy",
            "abcdefghijklmnopy",
            "abcdefghijklmnoy",
            "deliverabilitiy",
        ] {
            let (s, e) = w.split_at(w.len() - 1);
            assert_eq!(word_hash(w, ""), word_hash(s, e), "{w:?}");
        }
    }

    #[test]
    fn stems_meet_across_regular_endings() {
        let s = |w| {
            let (a, b) = stem(w);
            format!("{a}{b}")
        };
        assert_eq!(s("parcels"), "parcel");
        assert_eq!(s("deliveries"), "delivery");
        assert_eq!(s("charged"), s("charge"));
        assert_eq!(s("charges"), s("charging"));
        assert_eq!(s("courier's"), "courier");
        assert_eq!(s("class"), "class");
        assert_eq!(s("bus"), "bus");
        assert_eq!(s("didn't"), "didn't");
    }

    #[test]
    fn a_bad_model_file_is_refused_with_its_line() {
        for (text, want) in [
            ("bias\t1\t2".to_string(), "line 1: 2 weights"),
            (format!("bias\t{}\t1", row(0.0)), "more than"),
            ("threshold\t1.5".to_string(), "threshold"),
            (format!("list:weather\t{}", row(1.0)), "unknown tag"),
            (
                format!("# c\nword\t{}\nword\t{}", row(1.0), row(1.0)),
                "line 3: `word` given twice",
            ),
            (format!("a b c\t{}", row(1.0)), "bad feature"),
            (
                format!("word\t{}", row(1.0).replacen('1', "x", 1)),
                "not a number",
            ),
            ("no tab here".to_string(), "expected a name"),
        ] {
            let e = Model::parse(&text).expect_err(&text);
            assert!(e.contains(want), "{text:?}: {e}");
        }
    }

    #[test]
    fn a_tag_is_given_by_its_list_or_by_the_models_probability() {
        let text = format!(
            "threshold\t0.5\nbias\t{}\nleak\t{}\nleak pipe\t{}",
            row(-2.0),
            row(1.5),
            row(2.0)
        );
        let m = Model::parse(&text).unwrap();
        let read = |words: &[&str]| {
            let mut scan = TopicScan::default();
            for w in words {
                m.token(w, &mut scan);
            }
            scan
        };
        // one word: -2 + 1.5 < 0, no tag; with its pair, -2 + 3.5 > 0, a tag
        // for all ten
        assert_eq!(m.decide(&read(&["leak"]), 0, 0), 0);
        assert_eq!(m.decide(&read(&["leak", "pipe"]), 0, 0), (1 << N) - 1);
        // a full stop ends the pair; a word said twice counts once
        assert_eq!(m.decide(&read(&["leak", ".", "pipe"]), 0, 0), 0);
        assert_eq!(m.decide(&read(&["leak", "leak"]), 0, 0), 0);
        // a list's bit stays where the model gives it 5% or more (-2: 12%),
        // own topics' bits always
        assert_eq!(
            m.decide(&read(&["hello"]), 1 << 3 | 1 << 12, 0),
            1 << 3 | 1 << 12
        );
    }

    #[test]
    fn a_list_match_the_model_reads_as_off_topic_is_dropped_unless_extended() {
        let m = Model::parse(&format!("bias\t{}\nleak\t{}\n", row(-4.0), row(5.0))).unwrap();
        let mut scan = TopicScan::default();
        m.token("hello", &mut scan);
        // -4 is under 5%: the built-in list's bit goes, an own topic's stays
        assert_eq!(m.decide(&scan, 1 << 3 | 1 << 12, 0), 1 << 12);
        // a tag the team extended keeps its list's matches
        assert_eq!(m.decide(&scan, 1 << 3, 1 << 3), 1 << 3);
        // with the model off the lists alone decide
        let off = m.clone().with_threshold(100);
        assert_eq!(off.decide(&scan, 1 << 3, 0), 1 << 3);
    }

    #[test]
    fn many_words_of_no_weight_dilute_one_strong_word() {
        let mut text = format!("bias\t{}\nleak\t{}\n", row(-2.0), row(2.5));
        let filler: Vec<String> = (0..255).map(|n| format!("w{n}")).collect();
        for w in &filler {
            text.push_str(&format!("{w}\t{}\n", row(0.0)));
        }
        let m = Model::parse(&text).unwrap();
        let mut short = TopicScan::default();
        for w in ["leak"]
            .into_iter()
            .chain(filler[..63].iter().map(String::as_str))
        {
            m.token(w, &mut short);
        }
        // up to 64 words the sum is whole: -2 + 2.5 > 0
        assert_eq!(m.decide(&short, 0, 0), (1 << N) - 1);
        let mut long = TopicScan::default();
        for w in ["leak"]
            .into_iter()
            .chain(filler.iter().map(String::as_str))
        {
            m.token(w, &mut long);
        }
        // 256 words: -2 + 2.5 * sqrt(64 / 256) < 0
        assert_eq!(m.decide(&long, 0, 0), 0);
        // the scan forgets a transcript when cleared
        long.clear();
        m.token("leak", &mut long);
        assert_eq!(m.decide(&long, 0, 0), (1 << N) - 1);
    }
}
