//! The customer's name: where a customer gives it, and where an agent uses it
//! (`courtesy.name`).
//!
//! A name is taken from a customer turn's `name` field, from "my name is
//! ...", "this is ..." or "... here" opening a message, or from a sign-off
//! ("Thanks, Sarah", a last line "- Sarah"). An agent uses a name when a
//! known name appears as a word in the reply, or when a salutation is
//! followed by a capitalized name ("Hi Sarah", "Dear Mr Kaplan", "Thanks,
//! Priya"). Social handles (`@user`) are never names.

use crate::span::Span;

/// Words that open a salutation or a thanks addressed to someone.
const SALUTATIONS: &[&str] = &[
    "absolutely",
    "afternoon",
    "apologies",
    "certainly",
    "cheers",
    "congrats",
    "congratulations",
    "dear",
    "evening",
    "great",
    "greetings",
    "hello",
    "hey",
    "heya",
    "hi",
    "hiya",
    "howdy",
    "morning",
    "ok",
    "okay",
    "perfect",
    "sorry",
    "sure",
    "thank",
    "thanks",
    "welcome",
    "yes",
];

/// Words that may sit between a salutation and the name ("thank you so
/// much, Sarah", "good morning Sarah").
const FILLERS: &[&str] = &[
    "again", "all", "for", "good", "info", "much", "so", "that", "the", "there", "this", "very",
    "you",
];

/// Titles before a family name.
const TITLES: &[&str] = &[
    "dr", "madam", "miss", "mister", "mr", "mrs", "ms", "mx", "prof", "sir",
];

/// Titles that address the customer with a family name mid-reply ("..., Mr
/// Marsh."), unlike "Dr" or "Prof", which usually name staff.
const FAMILY_TITLES: &[&str] = &["miss", "mr", "mrs", "ms", "mx"];

/// The length in bytes of the name-like run opening `text`: letters, `'`,
/// `’` and `-`.
fn name_run(text: &str) -> usize {
    text.char_indices()
        .find(|&(_, ch)| !(ch.is_alphabetic() || ch == '\'' || ch == '-' || ch == '’'))
        .map_or(text.len(), |(k, _)| k)
}

/// Capitalized words that are never a person's name after a salutation
/// (discourse words too: "Apologies. However, ...").
const NOT_NAMES: &[&str] = &[
    "a",
    "absolutely",
    "actually",
    "additionally",
    "again",
    "agent",
    "ah",
    "ahh",
    "all",
    "alright",
    "alrighty",
    "also",
    "alternatively",
    "an",
    "and",
    "anyway",
    "anyways",
    "apologies",
    "applicant",
    "argh",
    "at",
    "aw",
    "awesome",
    "aww",
    "awww",
    "aye",
    "basically",
    "besides",
    "blimey",
    "bookholder",
    "but",
    "buyer",
    "cardholder",
    "certainly",
    "client",
    "cool",
    "crikey",
    "customer",
    "definitely",
    "done",
    "donor",
    "eek",
    "er",
    "erm",
    "everybody",
    "everyone",
    "finally",
    "firstly",
    "folks",
    "for",
    "fortunately",
    "friend",
    "friends",
    "furthermore",
    "glad",
    "gosh",
    "gotcha",
    "great",
    "guest",
    "guys",
    "happy",
    "hello",
    "hey",
    "heya",
    "hi",
    "hiya",
    "hm",
    "hmm",
    "homeowner",
    "honestly",
    "host",
    "householder",
    "however",
    "huh",
    "i",
    "i'd",
    "i'll",
    "i'm",
    "i've",
    "in",
    "instead",
    "it",
    "just",
    "learner",
    "lol",
    "luckily",
    "ma'am",
    "maam",
    "madam",
    "meanwhile",
    "member",
    "mhm",
    "mm",
    "moreover",
    "nah",
    "name",
    "nevertheless",
    "no",
    "nonetheless",
    "nope",
    "noted",
    "oh",
    "oh-kay",
    "ok",
    "okay",
    "okey",
    "on",
    "oof",
    "ooh",
    "oops",
    "otherwise",
    "ouch",
    "our",
    "parent",
    "passenger",
    "patient",
    "patron",
    "perfect",
    "phew",
    "please",
    "policyholder",
    "regardless",
    "regrettably",
    "resident",
    "right",
    "right-o",
    "righto",
    "sadly",
    "secondly",
    "seller",
    "sir",
    "so",
    "sorry",
    "sorted",
    "student",
    "subscriber",
    "support",
    "supporter",
    "surname",
    "sweet",
    "team",
    "tenant",
    "thank",
    "thanks",
    "that",
    "the",
    "there",
    "therefore",
    "thirdly",
    "this",
    "to",
    "traveler",
    "traveller",
    "ugh",
    "uh",
    "uh-huh",
    "um",
    "um-hum",
    "understood",
    "unfortunately",
    "user",
    "valued",
    "we",
    "welcome",
    "well",
    "welp",
    "whoa",
    "whoops",
    "woo",
    "wow",
    "yah",
    "yay",
    "yeah",
    "yeh",
    "yep",
    "yes",
    "yikes",
    "you",
    "your",
    "yup",
];

/// Whether `w` (as written) looks like a given or family name: a capital
/// then letters (with `'` or `-` inside), not a common word unless
/// `allow_common`.
fn name_like(w: &str, allow_common: bool) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    // a capital then a small letter (or `'`): "DUIs", "LT" and words
    // shouted in capitals are no names
    match chars.next() {
        Some(second) if first.is_uppercase() && !second.is_uppercase() => {}
        _ => return false,
    }
    if !w
        .chars()
        .all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '’')
    {
        return false;
    }
    let mut buf = [0u8; 32];
    match lower(w, &mut buf) {
        Some(l) => {
            // (a word longer than [`KEY_LEN`] is in neither list)
            let key = word_key(l);
            key.is_none_or(|k| {
                NOT_NAME_KEYS.binary_search(&k).is_err() && SALUTE_KEYS.binary_search(&k).is_err()
            }) && (allow_common || !common(l))
        }
        // not ASCII or long: in no list of this module
        None => allow_common || !is_common(w),
    }
}

/// The longest word [`word_key`] packs.
const KEY_LEN: usize = 15;

/// A word of at most [`KEY_LEN`] bytes packed into an integer: its bytes
/// from the top, zeros after them, and its length in the low byte. Packed
/// words that hold no zero byte compare as the words do (a prefix first),
/// and two packed words are equal only if the words are.
const fn pack_word(w: &[u8]) -> u128 {
    let mut key = 0u128;
    let mut i = 0;
    while i < KEY_LEN {
        key = key << 8 | if i < w.len() { w[i] as u128 } else { 0 };
        i += 1;
    }
    key << 8 | w.len() as u128
}

/// [`pack_word`] of `w`, if it fits.
fn word_key(w: &[u8]) -> Option<u128> {
    (w.len() <= KEY_LEN).then(|| pack_word(w))
}

/// The words of a sorted list, each of at most [`KEY_LEN`] bytes with no
/// zero byte, packed by [`pack_word`]: sorted as the list (a list that is
/// not, or a word that does not fit, fails the build), so a binary search
/// of the keys compares integers instead of calling `memcmp`.
const fn packed_list<const N: usize>(list: &[&str]) -> [u128; N] {
    assert!(list.len() == N);
    let mut keys = [0u128; N];
    let mut k = 0;
    while k < N {
        let w = list[k].as_bytes();
        assert!(w.len() <= KEY_LEN);
        let mut i = 0;
        while i < w.len() {
            assert!(w[i] != 0);
            i += 1;
        }
        keys[k] = pack_word(w);
        assert!(k == 0 || keys[k - 1] < keys[k]);
        k += 1;
    }
    keys
}

/// [`NOT_NAMES`] packed ([`packed_list`]).
static NOT_NAME_KEYS: [u128; NOT_NAMES.len()] = packed_list(NOT_NAMES);

/// [`SALUTATIONS`] packed ([`packed_list`]).
static SALUTE_KEYS: [u128; SALUTATIONS.len()] = packed_list(SALUTATIONS);

/// `w` lower-cased into `buf`, if it is ASCII and fits.
fn lower<'b>(w: &str, buf: &'b mut [u8; 32]) -> Option<&'b [u8]> {
    if w.len() > buf.len() || !w.is_ascii() {
        return None;
    }
    for (b, c) in buf.iter_mut().zip(w.bytes()) {
        *b = c.to_ascii_lowercase();
    }
    Some(&buf[..w.len()])
}

/// Whether `w` is one of `list` (lower-case ASCII words), ignoring case.
/// (The lists here are short: a scan, most words rejected on their length.)
fn in_list(w: &str, list: &[&str]) -> bool {
    list.iter().any(|x| x.eq_ignore_ascii_case(w))
}

/// Whether `w`, lower-cased, is a common English word (the SCOWL list the
/// caps detector uses). Lower-cases into a stack buffer: no allocation.
fn is_common(w: &str) -> bool {
    let mut buf = [0u8; 32];
    match lower(w, &mut buf) {
        Some(l) => common(l),
        None => common(w.to_lowercase().as_bytes()),
    }
}

/// Whether `lower` (lower-cased) is a common English word.
fn common(lower: &[u8]) -> bool {
    crate::rules::distress::is_common_word(lower)
}

/// A bracketed placeholder a redacting export puts for a name
/// (`[PERSON_NAME]`, `[NAME]`, `{first_name}`).
fn placeholder(w: &str) -> bool {
    let inner = w
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| w.strip_prefix('{').and_then(|r| r.strip_suffix('}')))
        .or_else(|| w.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")));
    inner.is_some_and(|i| {
        let i = i.to_ascii_lowercase();
        i.contains("name") && i.len() < 24
    })
}

/// The first `limit` words (at most [`Words::MAX`]) of `text` with their
/// byte spans: runs of letters, digits, `'`, `’`, `-`, `@`, `_`, and
/// bracketed placeholders, so a handle or a placeholder stays one word.
/// Kept on the stack: this runs on the opening of many replies. (The
/// same loop as [`WordReader`]'s, which reads lazily, in one piece: a
/// full reading through the resumable one costs more; a test holds the two
/// to each other.)
fn words_upto(text: &str, limit: usize) -> Words<'_> {
    let limit = limit.min(Words::MAX);
    let mut out = Words {
        items: [(0, ""); Words::MAX + 1],
        len: 0,
    };
    // words found, before trimming (the limit counts them)
    let mut raw = 0;
    fn push<'a>(out: &mut Words<'a>, s: usize, w: &'a str, raw: &mut usize) {
        *raw += 1;
        let w = trim_name_end(w);
        if !w.is_empty() {
            out.items[out.len] = (s, w);
            out.len += 1;
        }
    }
    let mut start = None;
    let mut bracket = false;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() && raw < limit {
        let b = bytes[i];
        // plain ASCII outside brackets: run over a word, or over the bytes
        // between words, at once
        let class = ASCII_CLASS[usize::from(b)];
        if !bracket && class != SLOW {
            if class == PART {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                push(&mut out, s, &text[s..i], &mut raw);
                if raw >= limit {
                    break;
                }
            }
            i += 1;
            while i < bytes.len() && ASCII_CLASS[usize::from(bytes[i])] == class {
                i += 1;
            }
            continue;
        }
        // ASCII: a byte at a time; anything else decoded as a char
        let (c, len) = if b < 0x80 {
            (b as char, 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => break,
            }
        };
        if c == '[' || c == '{' {
            if let Some(s) = start.take() {
                push(&mut out, s, &text[s..i], &mut raw);
            }
            start = Some(i);
            bracket = true;
            i += len;
            continue;
        }
        if bracket && (c == ']' || c == '}') {
            let s = start.take().unwrap_or(i);
            let end = i + len;
            // `{{first_name}}`: take the second closing brace too
            let end = if bytes.get(end) == Some(&b'}') {
                end + 1
            } else {
                end
            };
            push(&mut out, s, &text[s..end], &mut raw);
            bracket = false;
            i = end;
            continue;
        }
        let part = if b < 0x80 {
            b.is_ascii_alphanumeric()
                || matches!(b, b'\'' | b'-' | b'@' | b'_')
                || (bracket && b != b' ')
        } else {
            c.is_alphanumeric() || c == '’' || bracket
        };
        if part {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            push(&mut out, s, &text[s..i], &mut raw);
            bracket = false;
        }
        i += len;
    }
    if let Some(s) = start {
        push(&mut out, s, &text[s..], &mut raw);
    }
    out
}

/// [`words_upto`] read lazily: the words are read only as far as
/// [`WordReader::get`] asks, so a salutation decided by its first words
/// does not read eight. The words read are always those `words_upto` gives
/// (the same loop, stopped and resumed between its steps).
struct WordReader<'a> {
    text: &'a str,
    /// At most [`Words::MAX`].
    limit: usize,
    /// The words read so far.
    words: Words<'a>,
    /// Words found, before trimming (the limit counts them).
    raw: usize,
    /// Where the loop stands, where the word being read starts, and whether
    /// it is a bracketed placeholder.
    i: usize,
    start: Option<usize>,
    bracket: bool,
    /// The loop has ended (and the last word is pushed).
    done: bool,
}

impl<'a> WordReader<'a> {
    fn new(text: &'a str, limit: usize) -> Self {
        WordReader {
            text,
            limit: limit.min(Words::MAX),
            words: Words {
                items: [(0, ""); Words::MAX + 1],
                len: 0,
            },
            raw: 0,
            i: 0,
            start: None,
            bracket: false,
            done: false,
        }
    }

    /// Word `k` of [`words_upto`]`(text, limit)`, reading on until it is
    /// read or there are no more.
    fn get(&mut self, k: usize) -> Option<(usize, &'a str)> {
        while self.words.len <= k && !self.done {
            self.advance();
        }
        self.words.get(k).copied()
    }

    fn push(&mut self, s: usize, end: usize) {
        let w = &self.text[s..end];
        self.raw += 1;
        let w = trim_name_end(w);
        if !w.is_empty() {
            self.words.items[self.words.len] = (s, w);
            self.words.len += 1;
        }
    }

    /// One step of the reading: a run of plain ASCII bytes, one other
    /// character, or, once the text or the limit is reached, the last word.
    #[inline(always)]
    fn advance(&mut self) {
        let text = self.text;
        let bytes = text.as_bytes();
        let i = self.i;
        if !(i < bytes.len() && self.raw < self.limit) {
            if let Some(s) = self.start.take() {
                self.push(s, text.len());
            }
            self.done = true;
            return;
        }
        let b = bytes[i];
        // plain ASCII outside brackets: run over a word, or over the bytes
        // between words, at once
        let class = ASCII_CLASS[usize::from(b)];
        if !self.bracket && class != SLOW {
            if class == PART {
                self.start.get_or_insert(i);
            } else if let Some(s) = self.start.take() {
                self.push(s, i);
                if self.raw >= self.limit {
                    self.done = true;
                    return;
                }
            }
            let mut i = i + 1;
            while i < bytes.len() && ASCII_CLASS[usize::from(bytes[i])] == class {
                i += 1;
            }
            self.i = i;
            return;
        }
        // ASCII: a byte at a time; anything else decoded as a char
        let (c, len) = if b < 0x80 {
            (b as char, 1)
        } else {
            match text[i..].chars().next() {
                Some(c) => (c, c.len_utf8()),
                None => {
                    // (not reached: `i` is a char boundary below the end)
                    self.i = bytes.len();
                    return;
                }
            }
        };
        if c == '[' || c == '{' {
            if let Some(s) = self.start.take() {
                self.push(s, i);
            }
            self.start = Some(i);
            self.bracket = true;
            self.i = i + len;
            return;
        }
        if self.bracket && (c == ']' || c == '}') {
            let s = self.start.take().unwrap_or(i);
            let end = i + len;
            // `{{first_name}}`: take the second closing brace too
            let end = if bytes.get(end) == Some(&b'}') {
                end + 1
            } else {
                end
            };
            self.push(s, end);
            self.bracket = false;
            self.i = end;
            return;
        }
        let part = if b < 0x80 {
            b.is_ascii_alphanumeric()
                || matches!(b, b'\'' | b'-' | b'@' | b'_')
                || (self.bracket && b != b' ')
        } else {
            c.is_alphanumeric() || c == '’' || self.bracket
        };
        if part {
            self.start.get_or_insert(i);
        } else if let Some(s) = self.start.take() {
            self.push(s, i);
            self.bracket = false;
        }
        self.i = i + len;
    }
}

/// How [`words_upto`] reads each byte outside brackets: [`SEP`] between
/// words, [`PART`] in a word (ASCII letters and digits, `'`, `-`, `@`, `_`),
/// or [`SLOW`], a char at a time (`[`, `{` and the bytes of non-ASCII
/// characters). A run of one class is passed over with one test a byte.
static ASCII_CLASS: [u8; 256] = {
    let part = word_bytes(false);
    let mut t = [SEP; 256];
    let mut b = 0;
    while b < 256 {
        t[b] = if b >= 0x80 || b == b'[' as usize || b == b'{' as usize {
            SLOW
        } else if part[b] {
            PART
        } else {
            SEP
        };
        b += 1;
    }
    t
};

/// A byte between words ([`ASCII_CLASS`]).
const SEP: u8 = 0;
/// A byte of a word ([`ASCII_CLASS`]).
const PART: u8 = 1;
/// A byte read a char at a time ([`ASCII_CLASS`]).
const SLOW: u8 = 2;

/// A table of the bytes read as part of a word: ASCII letters and digits,
/// `'`, `-`, `@`, `_`, and, with `non_ascii`, every byte of a non-ASCII
/// character.
const fn word_bytes(non_ascii: bool) -> [bool; 256] {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = c.is_ascii_alphanumeric()
            || matches!(c, b'\'' | b'-' | b'@' | b'_')
            || (non_ascii && c >= 0x80);
        b += 1;
    }
    t
}

/// The words [`words_upto`] found, with their byte offsets.
struct Words<'a> {
    /// One more than [`Words::MAX`]: a bracket right after the last word
    /// counted still closes a word.
    items: [(usize, &'a str); Words::MAX + 1],
    len: usize,
}

impl Words<'_> {
    /// The most words read.
    const MAX: usize = 8;
}

impl<'a> std::ops::Deref for Words<'a> {
    type Target = [(usize, &'a str)];

    fn deref(&self) -> &Self::Target {
        &self.items[..self.len]
    }
}

/// Adds the names a customer turn gives (its `name` field, an introduction,
/// a sign-off) to `names`, without duplicates.
#[inline(never)]
pub(crate) fn customer_names(field: Option<&str>, text: &str, names: &mut Vec<String>) {
    let mut add = |n: &str| {
        let n = n.trim_matches(|c: char| !c.is_alphabetic());
        if n.chars().count() >= 2 && !names.iter().any(|m| m.eq_ignore_ascii_case(n)) {
            names.push(n.to_string());
        }
    };
    // (family names, added after the closure's last use)
    let mut field_family = None;
    if let Some(field) = field {
        // the first word of a display name, if it is a name (not a handle,
        // a role or an id)
        if let Some(first) = field.split_whitespace().next() {
            let first = first.trim_end_matches(',');
            let capital = first.chars().next().map(|c| {
                // (a field written in capitals, "JOHN", is still a name)
                let rest = first[c.len_utf8()..].to_lowercase();
                c.to_uppercase().collect::<String>() + &rest
            });
            if let Some(cap) = capital {
                if !first.starts_with('@') && name_like(&cap, true) {
                    add(first);
                }
            }
        }
        // and its last word, a family name ("Alan Fenwick", "Mr Nwosu"):
        // an agent's "I'm sorry, Mr Fenwick" uses it
        let mut words = field.split_whitespace();
        if let (Some(first), Some(last)) = (words.next(), words.next_back()) {
            let last = last.trim_matches(|c: char| !c.is_alphabetic());
            if !first.starts_with('@')
                && last.starts_with(char::is_uppercase)
                && name_like(last, false)
            {
                field_family = Some(last);
            }
        }
    }
    // "my name is Sarah", "my name's Sarah": read the words after each "my name"
    // (the places where "my n" opens, found 64 bytes at a time: a search
    // for every "m" stopped about 25 times in a thousand bytes)
    let bytes = text.as_bytes();
    // (the first 64 bytes read once for both searches: "my n" here, the
    // introductions' words below)
    let (mut mask, first_words) = first_block(bytes);
    let mut from = 0;
    let mut base = 64;
    loop {
        while mask == 0 && base < bytes.len() {
            mask = my_name_mask(&bytes[base..]);
            base += 64;
        }
        if mask == 0 {
            break;
        }
        let at = base - 64 + mask.trailing_zeros() as usize;
        mask &= mask - 1;
        if at < from {
            continue;
        }
        from = at + 1;
        if !bytes
            .get(at..at + 7)
            .is_some_and(|x| x.eq_ignore_ascii_case(b"my name"))
        {
            continue;
        }
        from = at + 7;
        if at > 0 && is_word_byte(bytes[at - 1]) {
            continue;
        }
        let w = words_upto(&text[at..], 5);
        let is = |i: usize, x: &str| w.get(i).is_some_and(|(_, y)| y.eq_ignore_ascii_case(x));
        let k = if is(1, "name") && is(2, "is") {
            3
        } else if is(1, "name's") {
            2
        } else {
            continue;
        };
        if let Some((_, n)) = w.get(k).filter(|(_, n)| name_like(n, true)) {
            add(n);
        }
    }
    // "this is Sarah", "I'm Sarah": only near the start of a message
    // (the first character boundary at or past byte 80)
    let mut head_len = text.len().min(80);
    while !text.is_char_boundary(head_len) {
        head_len += 1;
    }
    // (read only if one of the first words opens "this is", "I am" or "I'm")
    // (the head's first 64 bytes are the text's: `first_words` is theirs)
    let w = if introduces_from(&text.as_bytes()[..head_len], first_words) {
        words_upto(&text[..head_len], 8)
    } else {
        words_upto("", 0)
    };
    let is = |i: usize, x: &str| w.get(i).is_some_and(|(_, y)| y.eq_ignore_ascii_case(x));
    let mut family = None;
    for i in 0..w.len().min(4) {
        let next = |k: usize| w.get(i + k).map(|(_, x)| *x);
        // a first name that is also a word ("Rob", "Will", "Grace") is a
        // name when a surname follows it ("it's Rob Tiernan")
        let named = |k: usize| {
            next(k).filter(|n| {
                name_like(n, false)
                    || (name_like(n, true) && next(k + 1).is_some_and(|s| name_like(s, false)))
            })
        };
        if (is(i, "this") && is(i + 1, "is")) || (is(i, "i") && is(i + 1, "am")) {
            if let Some(n) = named(2) {
                add(n);
            }
        }
        if is(i, "i'm") || is(i, "im") || is(i, "i’m") {
            if let Some(n) = named(1) {
                add(n);
            }
        }
        // a caller's "hi, it's Hannah Price": a capitalized word that is no
        // common one ("it's Monday", "it's Broken" are not read)
        // (words are read with "'s" trimmed: "it's" reads "it")
        let its = w.get(i).is_some_and(|&(at, x)| {
            x.eq_ignore_ascii_case("it")
                && text
                    .get(at + 2..)
                    .is_some_and(|r| r.starts_with("'s ") || r.starts_with("’s "))
        });
        if its && i <= 3 {
            if let Some(n) = named(1).filter(|n| !weekday_or_month(n)) {
                add(n);
                // ("it's Siobhan Delaney": the family name too)
                if let Some(f) = next(2).filter(|f| {
                    f.starts_with(char::is_uppercase) && name_like(f, false) && !weekday_or_month(f)
                }) {
                    family = Some(f);
                }
            }
        }
    }
    if let Some(n) = sign_off(text) {
        add(n);
    }
    for f in [field_family, family].into_iter().flatten() {
        add_family(names, f);
    }
}

/// Adds a customer's family name to `names`, marked with a leading `~`: it
/// counts as the name said only after a title ("Mr Fenwick", "Mrs Delaney"),
/// not alone, where an agent reads it back while finding the account
/// ("Whitlock, yep.", "Fenwick with a K?").
fn add_family(names: &mut Vec<String>, family: &str) {
    let marked = format!("~{family}");
    if !names.iter().any(|m| m.eq_ignore_ascii_case(&marked)) {
        names.push(marked);
    }
}

/// A bit per place among the first 64 bytes of `bytes` where "my n" may
/// open ([`customer_names`]' "my name"): an `m` and a `y` in either case,
/// a space and an `n` in either case (bit `k` for byte `k`).
fn my_name_mask(bytes: &[u8]) -> u64 {
    let mut block = [0u8; 67];
    let n = bytes.len().min(67);
    block[..n].copy_from_slice(&bytes[..n]);
    // a byte per place: 1 where the four bytes match (no early exit, so
    // vectorized)
    let mut flags = [0u8; 64];
    let (m, y, space, n) = (&block[..64], &block[1..65], &block[2..66], &block[3..67]);
    for (k, f) in flags.iter_mut().enumerate() {
        *f = u8::from(
            (m[k] | 0x20 == b'm')
                & (y[k] | 0x20 == b'y')
                & (space[k] == b' ')
                & (n[k] | 0x20 == b'n'),
        );
    }
    crate::text::bits64(&flags)
}

/// [`my_name_mask`] and [`word_and_ti_bits`] of `bytes` in one pass over
/// its first 64 bytes (and the three after them the first reads).
fn first_block(bytes: &[u8]) -> (u64, (u64, u64)) {
    let mut block = [0u8; 67];
    let n = bytes.len().min(67);
    block[..n].copy_from_slice(&bytes[..n]);
    let (mut my_n, mut word, mut ti) = ([0u8; 64], [0u8; 64], [0u8; 64]);
    let (m, y, space, nn) = (&block[..64], &block[1..65], &block[2..66], &block[3..67]);
    for k in 0..64 {
        let b = m[k];
        let lower = b | 0x20;
        my_n[k] = u8::from(
            (lower == b'm') & (y[k] | 0x20 == b'y') & (space[k] == b' ') & (nn[k] | 0x20 == b'n'),
        );
        word[k] = word_byte_flag(b);
        ti[k] = u8::from((lower == b't') | (lower == b'i'));
    }
    (
        crate::text::bits64(&my_n),
        (crate::text::bits64(&word), crate::text::bits64(&ti)),
    )
}

/// Whether `introduces` reads byte `b` as part of a word: 1 or 0.
#[inline(always)]
fn word_byte_flag(b: u8) -> u8 {
    let lower = b | 0x20;
    u8::from(
        b.is_ascii_digit()
            | lower.is_ascii_lowercase()
            | (b == b'\'')
            | (b == b'-')
            | (b == b'@')
            | (b == b'_')
            | (b >= 0x80),
    )
}

/// Whether `w` names a day of the week or a month ("it's Friday").
fn weekday_or_month(w: &str) -> bool {
    const DAYS: &[&str] = &[
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "christmas",
        "easter",
    ];
    DAYS.iter().any(|d| d.eq_ignore_ascii_case(w))
}

/// Whether one of the first words of `head` (eight, more than the four
/// [`customer_names`] reads, as words here may split finer) starts "this",
/// "i am", "i'm", "im ", "i’m", "it's" or "it’s", ignoring case: the
/// introductions [`customer_names`] reads.
#[cfg(test)]
fn introduces(head: &[u8]) -> bool {
    introduces_from(head, word_and_ti_bits(head))
}

/// [`introduces`] given [`word_and_ti_bits`] of `head` (its first 64
/// bytes) already.
#[inline(never)]
fn introduces_from(head: &[u8], first: (u64, u64)) -> bool {
    // the words' first bytes, 64 bytes at a time: a bit per byte of a word
    // and per `t` or `i`, a word's start where a word byte follows none
    let mut left = 8u32;
    let mut in_word = false;
    let mut base = 0;
    while base < head.len() && left > 0 {
        let (word, ti) = if base == 0 {
            first
        } else {
            word_and_ti_bits(&head[base..])
        };
        let mut starts = word & !(word << 1 | u64::from(in_word));
        let n = starts.count_ones();
        if n > left {
            // (only the first `left` starts count)
            let mut last = starts;
            for _ in 1..left {
                last &= last - 1;
            }
            starts &= u64::MAX >> (63 - last.trailing_zeros());
        }
        let mut open = starts & ti;
        while open != 0 {
            let i = base + open.trailing_zeros() as usize;
            open &= open - 1;
            if opens_introduction(&head[i..]) {
                return true;
            }
        }
        left -= n.min(left);
        in_word = word >> 63 == 1;
        base += 64;
    }
    false
}

/// A bit per byte among the first 64 of `bytes` that [`introduces`] reads
/// as part of a word ([`WORD_BYTE`]), and one per `t` or `i` in either
/// case (bit `k` for byte `k`; none past the end).
fn word_and_ti_bits(bytes: &[u8]) -> (u64, u64) {
    let mut block = [0u8; 64];
    let n = bytes.len().min(64);
    block[..n].copy_from_slice(&bytes[..n]);
    // bytes a byte: no early exit, so vectorized (a zero past the end is
    // neither)
    let (mut word, mut ti) = ([0u8; 64], [0u8; 64]);
    for ((w, t), &b) in word.iter_mut().zip(&mut ti).zip(&block) {
        let lower = b | 0x20;
        *w = word_byte_flag(b);
        *t = u8::from((lower == b't') | (lower == b'i'));
    }
    (crate::text::bits64(&word), crate::text::bits64(&ti))
}

/// Whether a word opening `rest` starts one of the introductions
/// [`introduces`] looks for, ignoring case.
fn opens_introduction(rest: &[u8]) -> bool {
    let starts = |p: &[u8]| crate::text::starts_with_ignore_case(rest, p);
    starts(b"this")
        // ("it's " only before a capital: "it's been a week" is
        // the commonest opening of all, and names nobody)
        || (starts(b"it's ") && rest.get(5).is_some_and(u8::is_ascii_uppercase))
        || (starts("it’s ".as_bytes()) && rest.get(7).is_some_and(u8::is_ascii_uppercase))
        || starts(b"i am")
        || starts(b"i'm")
        || starts(b"im ")
        || starts("i’m".as_bytes())
}

/// Bytes [`introduces`] reads as part of a word: ASCII letters and digits,
/// `'`, `-`, `@`, `_`, and every byte of a non-ASCII character (as
/// [`word_and_ti_bits`] computes them; the table is the first reading's,
/// kept for its test).
#[cfg(test)]
static WORD_BYTE: [bool; 256] = word_bytes(true);

/// The name a message is signed with: a last line (or the last words after a
/// closing such as "Thanks,") holding one or two capitalized names.
#[inline(never)]
fn sign_off(text: &str) -> Option<&str> {
    const CLOSINGS: &[&str] = &[
        "thanks",
        "thank you",
        "many thanks",
        "regards",
        "kind regards",
        "best regards",
        "warm regards",
        "best",
        "best wishes",
        "cheers",
        "sincerely",
        "yours sincerely",
        "yours faithfully",
        "thx",
        "ta",
        "yours",
    ];
    let trimmed = trim_end_ws(text);
    // (`trim_end_matches(['.', '!'])`, a byte at a time)
    let dots = trimmed
        .bytes()
        .rev()
        .take_while(|&b| b == b'.' || b == b'!')
        .count();
    let trimmed = &trimmed[..trimmed.len() - dots];
    let tb = trimmed.as_bytes();
    // the last line break and the last comma after it, by one backward
    // search for either (most messages are one line: a second search
    // only when a comma is found)
    let (newline, comma) = match memchr::memrchr2(b'\n', b',', tb) {
        // one line and no comma: a name only after a dash opening it
        // (`dashed` below)
        None if !trim_start_ws(trimmed).starts_with(['-', '–', '—', '~']) => return None,
        None => (None, None),
        Some(k) if tb[k] == b'\n' => (Some(k), None),
        Some(k) => (memchr::memrchr(b'\n', &tb[..k]), Some(k)),
    };
    let multi_line = newline.is_some();
    let line_start = newline.map_or(0, |k| k + 1);
    let last_line = trim_ws(&trimmed[line_start..]);
    // "Thanks, Sarah" at the very end, or a last line "- Sarah" / "Sarah"
    // (the comma is in `last_line`, which only trims white space: its
    // parts are those of the line untrimmed, trimmed)
    let (before, name_part) = match comma {
        Some(k) => (trim_ws(&trimmed[line_start..k]), trim_ws(&trimmed[k + 1..])),
        None => ("", last_line),
    };
    let name_part = name_part.trim_start_matches(['-', '–', '—', '~', ' ']);
    let dashed = last_line.starts_with(['-', '–', '—', '~']);
    if !(dashed || multi_line || !before.is_empty()) {
        // (no closing without a comma before the name)
        return None;
    }
    // (the first word must open with a capital, `name_like`: a part that
    // opens with any other ASCII byte but white space (that of
    // `char::is_whitespace`) is no name, and is not split into words)
    if name_part
        .as_bytes()
        .first()
        .is_none_or(|&b| b < 0x80 && !b.is_ascii_uppercase() && !matches!(b, b' ' | b'\t'..=b'\r'))
    {
        return None;
    }
    // one or two words, each a name; a lone last line must not be a
    // closing itself or a sentence
    let mut parts = name_part.split_whitespace();
    let first = parts.next()?;
    let second = parts.next();
    if parts.next().is_some() {
        return None;
    }
    let closing = CLOSINGS.iter().any(|c| {
        before.len() >= c.len()
            && before.is_char_boundary(before.len() - c.len())
            && before[before.len() - c.len()..].eq_ignore_ascii_case(c)
    });
    if !(closing || dashed || (multi_line && before.is_empty())) {
        return None;
    }
    let allow = closing || dashed;
    (name_like(first, allow) && second.is_none_or(|p| name_like(p, allow))).then_some(first)
}

/// `s.trim()`, the same slice: the ASCII white space at either end passed
/// over a byte at a time, `str::trim` only for an end that is not ASCII
/// (most ends are).
fn trim_ws(s: &str) -> &str {
    trim_end_ws(trim_start_ws(s))
}

/// Whether an ASCII byte is white space by [`char::is_whitespace`] (tab,
/// line feed, vertical tab, form feed, carriage return, space).
fn ascii_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// `s.trim_start()`, the same slice, as [`trim_ws`].
fn trim_start_ws(s: &str) -> &str {
    let lead = s.bytes().take_while(|&b| ascii_ws(b)).count();
    let t = &s[lead..];
    if t.as_bytes().first().is_some_and(|&b| b >= 0x80) {
        t.trim_start()
    } else {
        t
    }
}

/// `s.trim_end()`, the same slice, as [`trim_ws`].
fn trim_end_ws(s: &str) -> &str {
    let trail = s.bytes().rev().take_while(|&b| ascii_ws(b)).count();
    let t = &s[..s.len() - trail];
    if t.as_bytes().last().is_some_and(|&b| b >= 0x80) {
        t.trim_end()
    } else {
        t
    }
}

/// Finds where an agent's reply uses the customer's name: each use of a
/// known name as a word, and a salutation followed by a capitalized name
/// ("Hi Sarah", "Dear Mr Kaplan"). Spans are byte offsets into `text`.
#[inline(never)]
pub(crate) fn agent_uses(text: &str, names: &[String], out: &mut Vec<Span>) {
    known_names(text, names, out);
    salutations(text, out);
    comma_names(text, out);
    if out.len() > 1 {
        out.sort_unstable();
        out.dedup();
        // a longer span ("Mr Kaplan") wins over one inside it
        let mut k = 0;
        while k < out.len() {
            let s = out[k];
            let inside = out
                .iter()
                .any(|o| *o != s && o.start <= s.start && s.end <= o.end);
            if inside {
                out.remove(k);
            } else {
                k += 1;
            }
        }
    }
}

/// Whether `text` spells something out letter by letter: a run of at
/// least four single letters or name placeholders, at least two of them
/// followed by a comma, a hyphen or a full stop ("J, O, H, N", "K-A-T-E",
/// "[PERSON_NAME], [PERSON_NAME], [PERSON_NAME], [PERSON_NAME]" in a
/// redacted call). An agent turn that does so reads the customer's details
/// back for verification: a name in it is checked, not said to the
/// customer.
pub(crate) fn spells_out(text: &str) -> bool {
    // (items of the current run, and how many of them a separator ends)
    let (mut run, mut marked) = (0usize, 0usize);
    // the words between ASCII white space (as `split_ascii_whitespace`),
    // a byte at a time: most are no item by their first two bytes (a
    // letter then a letter, or no letter), and are not read as a `str`
    let bytes = text.as_bytes();
    let mut i = 0;
    loop {
        while i < bytes.len() && bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if i >= bytes.len() {
            return false;
        }
        let start = i;
        // an item is a placeholder (a bracket first), or opens with a
        // single letter (then nothing, a hyphen or a closing mark)
        let may = match bytes[start] {
            b'[' | b'{' => true,
            b if b.is_ascii_alphabetic() => bytes.get(start + 1).is_none_or(|&c| {
                c.is_ascii_whitespace()
                    || matches!(c, b'-' | b'.' | b',' | b';' | b':' | b'?' | b'!')
            }),
            _ => false,
        };
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        // (the word's ends are ASCII white space or the text's ends: char
        // boundaries)
        match may.then(|| spelt_item(&text[start..i])).flatten() {
            None => (run, marked) = (0, 0),
            Some((items, ended)) => {
                run += items;
                marked += ended;
                // (or five in a row with no separator at all: "[PERSON_NAME]
                // [PERSON_NAME] [PERSON_NAME] [PERSON_NAME] [PERSON_NAME]" is
                // a name spelt out and redacted letter by letter, no name
                // runs to five words)
                if run >= 4 && marked >= 2 || run >= 5 {
                    return true;
                }
            }
        }
    }
}

/// What one word (between white space) adds to a spelling's run
/// ([`spells_out`]): its items and how many of them a separator ends, or
/// `None` for a word that is no item (and ends the run).
fn spelt_item(raw: &str) -> Option<(usize, usize)> {
    // "K-A-T-E" in one word: its parts are the run's items
    let word = raw.trim_end_matches(['.', ',', ';', ':', '?', '!']);
    let ended = usize::from(raw.len() > word.len() && !raw.ends_with(['?', '!']));
    let parts = word.split('-').count();
    let letter = |w: &str| w.len() == 1 && w.bytes().all(|b| b.is_ascii_alphabetic());
    if parts > 1 && word.split('-').all(letter) {
        Some((parts, parts - 1 + ended))
    } else {
        (letter(word) || placeholder(word)).then_some((1, ended))
    }
}

/// Each use of a known name as a word in `text` ([`agent_uses`]).
fn known_names(text: &str, names: &[String], out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // a known name, wherever it stands as a word
    for n in names {
        // (a family name, marked `~`, counts only after a title)
        let (n, family) = match n.strip_prefix('~') {
            Some(f) => (f.as_bytes(), true),
            None => (n.as_bytes(), false),
        };
        if n.is_empty() {
            continue;
        }
        let first = n[0].to_ascii_lowercase();
        let mut at = 0;
        while at + n.len() <= bytes.len() {
            // jump to the next byte that can open the name
            match crate::text::find::find2(first, first.to_ascii_uppercase(), &bytes[at..]) {
                Some(k) => at += k,
                None => break,
            }
            if at + n.len() > bytes.len() {
                break;
            }
            if bytes[at..at + n.len()].eq_ignore_ascii_case(n)
                && (at == 0 || !is_word_byte(bytes[at - 1]))
                // "@gregsbikes" is a handle mentioned, not a name said
                && (at == 0 || bytes[at - 1] != b'@')
                && bytes.get(at + n.len()).is_none_or(|&b| !is_word_byte(b))
                && text.is_char_boundary(at)
                && text.is_char_boundary(at + n.len())
            {
                let word = &text[at..at + n.len()];
                if family {
                    if let Some(title) = title_before(&text[..at]) {
                        out.push(Span::new(title, at + n.len()));
                    }
                } else if word.starts_with(char::is_uppercase) || !is_common(word) {
                    out.push(Span::new(at, at + n.len()));
                }
                at += n.len();
            } else {
                at += 1;
            }
        }
    }
}

/// Where a title closing `before` starts ("... sorry, Mr " gives the
/// place of "Mr"): one of [`FAMILY_TITLES`], with or without a full stop,
/// and a single space after it.
fn title_before(before: &str) -> Option<usize> {
    let head = before.strip_suffix(' ')?;
    let head = head.strip_suffix('.').unwrap_or(head);
    // (past the last character that is no ASCII letter, whatever its width:
    // "Oh — Mr " has a three-byte dash)
    let start = head
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_ascii_alphabetic())
        .map_or(0, |(k, c)| k + c.len_utf8());
    in_list(&head[start..], FAMILY_TITLES).then_some(start)
}

/// Salutations and a name opening the reply ([`agent_uses`]).
fn salutations(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // salutations and a name opening the reply: at each sentence start,
    // reading only the first words of the sentence
    let mut at = 0;
    let mut first = true;
    // the next terminator of each kind at or after `at` (two vectorized
    // searches of three bytes each, for `.!?` and `\n:;`)
    let mut stops = Stops::new(bytes);
    loop {
        while at < bytes.len() && bytes[at].is_ascii_whitespace() {
            at += 1;
        }
        if at >= bytes.len() {
            break;
        }
        // (past the opening, a sentence is read only if its first word is a
        // salutation: most are not, and reading costs)
        // (the opening's handles, as `opening_may_name` passed over them:
        // bytes and words; none for a later sentence)
        let opening = if first {
            opening_may_name(&text[at..])
        } else {
            None
        };
        if opening.is_some() || opens_with_salutation(&bytes[at..]) {
            let mut end = (at + if first { 96 } else { 48 }).min(bytes.len());
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            // a call's inbound greeting names the company and the agent
            // ("FreshCart, you're speaking to Liam.", "Hello, Dulcet Decor
            // customer line, Bryony speaking."), not the customer (read
            // only when the opening gave a name)
            let found = out.len();
            let skip = opening.unwrap_or((0, 0, 0));
            salutation(text, at, &text[at..end], first, skip, out);
            if first && out.len() > found && inbound_greeting(&text[at..end]) {
                out.truncate(found);
            }
        }
        first = false;
        // the next sentence
        match stops.next_from(at) {
            Some(k) => at = k + 1,
            None => break,
        }
    }
}

/// Whether the first sentence of `window` is an agent's greeting on an
/// inbound call: "... speaking", "you're speaking to", "you're through to",
/// "customer line", "how can I help".
///
/// One pass over the sentence's bytes, ignoring ASCII case, with no copy:
/// each phrase is compared only where a byte can open it (the sentence
/// lower-cased into a `String` and searched eight times was about a sixth
/// of [`agent_uses`]' instructions).
fn inbound_greeting(window: &str) -> bool {
    let b = window.as_bytes();
    let end = b
        .iter()
        .position(|&c| matches!(c, b'.' | b'!' | b'?' | b'\n'))
        .unwrap_or(b.len());
    let s = &b[..end];
    let at = |i: usize, p: &[u8]| {
        s.get(i..i + p.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(p))
    };
    (0..s.len()).any(|i| match s[i] | 0x20 {
        // " speaking" closing the sentence, " speaking,", "speaking to ",
        // "speaking with "
        b's' => {
            at(i, b"speaking")
                && ((i > 0 && s[i - 1] == b' ' && s.get(i + 8).is_none_or(|&c| c == b','))
                    || at(i + 8, b" to ")
                    || at(i + 8, b" with "))
        }
        b't' => at(i, b"through to "),
        b'c' => at(i, b"customer line"),
        b'h' => at(i, b"how can i help") || at(i, b"how may i help"),
        _ => false,
    })
}

/// A name closing a sentence after a comma ([`agent_uses`]).
fn comma_names(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    // a name closing a sentence after a comma ("Sorry for the wait, John!")
    for c in crate::text::find::find_iter(b',', bytes) {
        let rest = &text[c + 1..];
        let lead = rest.len() - rest.trim_start_matches(' ').len();
        let start = c + 1 + lead;
        // (a name opens with a capital: most commas are followed by a small
        // letter, a digit or a space, and are passed over here)
        if bytes
            .get(start)
            .is_some_and(|&b| b < 0x80 && !b.is_ascii_uppercase())
        {
            continue;
        }
        let word_len = name_run(&text[start..]);
        let word = text[start..start + word_len].trim_end_matches(['-', '\'', '’']);
        if word.is_empty() || !word.starts_with(char::is_uppercase) {
            continue;
        }
        let after = &text[start + word.len()..];
        // a title and a family name closing the sentence ("..., Mr Marsh.")
        if in_list(word, FAMILY_TITLES) {
            let gap = after.len() - after.trim_start_matches(['.', ' ']).len();
            let family_start = start + word.len() + gap;
            let family_len = name_run(&text[family_start..]);
            let family = &text[family_start..family_start + family_len];
            let rest = &text[family_start + family_len..];
            if gap > 0
                && name_like(family, true)
                && (rest.trim_start().is_empty() || rest.starts_with(['!', '.', '?', ',', '\n']))
            {
                out.push(Span::new(start, family_start + family_len));
            }
            continue;
        }
        let closing = after.is_empty()
            || after.starts_with(['!', '.', '?', '\n'])
            || after.trim_start().is_empty()
            || after.starts_with(" -");
        if closing
            && name_like(word, false)
            && !names_own_role(&text[..c])
            && !names_a_firm(&text[..c])
        {
            out.push(Span::new(start, start + word.len()));
        }
    }
}

/// Whether the text before a comma ends with a kind of firm ("handled by
/// our software provider, Belaystack.", "sent with our courier, Parcelink."):
/// the name after the comma is the firm's, in apposition, not the customer
/// addressed.
fn names_a_firm(before: &str) -> bool {
    const FIRMS: &[&str] = &[
        "provider",
        "supplier",
        "partner",
        "partners",
        "courier",
        "carrier",
        "contractor",
        "installer",
        "manufacturer",
        "insurer",
        "distributor",
        "platform",
        "company",
        "firm",
        "agency",
        "subcontractor",
        "vendor",
        "processor",
        "lab",
        "laboratory",
    ];
    let last = before
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or_default();
    FIRMS.iter().any(|f| f.eq_ignore_ascii_case(last))
}

/// Whether the sentence that ends `before` (the text before a comma) is the
/// agent naming their own role ("I'm the yard manager", "I am your claims
/// handler"): the name after the comma is the agent's own ("I'm the yard
/// manager, Marcus."), not the customer addressed.
fn names_own_role(before: &str) -> bool {
    const ROLES: &[&str] = &[
        "manager",
        "supervisor",
        "lead",
        "leader",
        "advisor",
        "adviser",
        "agent",
        "rep",
        "representative",
        "coordinator",
        "engineer",
        "technician",
        "owner",
        "director",
        "nurse",
        "receptionist",
        "administrator",
        "officer",
        "controller",
        "dispatcher",
        "handler",
        "specialist",
        "consultant",
        "assistant",
    ];
    let start = before.rfind(['.', '!', '?', '\n']).map_or(0, |i| i + 1);
    let clause = before[start..].trim();
    let Some(rest) = ["i'm ", "i am ", "i\u{2019}m "].iter().find_map(|p| {
        clause
            .get(..p.len())
            .filter(|h| h.eq_ignore_ascii_case(p))
            .map(|_| &clause[p.len()..])
    }) else {
        return false;
    };
    let mut words = rest.split_whitespace();
    let opens = words.next().is_some_and(|w| {
        ["the", "your", "a", "an"]
            .iter()
            .any(|d| d.eq_ignore_ascii_case(w))
    });
    // (at most four words after the determiner, the last of them a role)
    let (mut count, mut last) = (0, "");
    for w in words {
        count += 1;
        last = w;
    }
    opens && (1..=4).contains(&count) && ROLES.iter().any(|r| r.eq_ignore_ascii_case(last))
}

/// The sentence terminators of a text (`.`, `!`, `?`, a line break, `:`,
/// `;`), found in order: a bit per byte of one 64-byte block at a time,
/// each block's bits found in one branch-free pass (which the compiler
/// vectorizes). (Two `memchr3` searches, again after each terminator,
/// cost about four instructions a byte: agents' replies hold many stops,
/// most of them `:` and `.` in links.)
struct Stops<'a> {
    bytes: &'a [u8],
    /// Where the block of `mask` starts (`usize::MAX`: none read yet).
    base: usize,
    /// A bit per terminator of the block at `base`.
    mask: u64,
}

impl<'a> Stops<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Stops {
            bytes,
            base: usize::MAX,
            mask: 0,
        }
    }

    /// The first terminator at or after `at`.
    fn next_from(&mut self, mut at: usize) -> Option<usize> {
        while at < self.bytes.len() {
            let base = at & !63;
            if base != self.base {
                self.base = base;
                self.mask = stop_mask(&self.bytes[base..]);
            }
            let m = self.mask & (u64::MAX << (at - base));
            if m != 0 {
                return Some(base + m.trailing_zeros() as usize);
            }
            at = base + 64;
        }
        None
    }
}

/// A bit per sentence terminator ([`Stops`]) among the first 64 bytes of
/// `bytes` (bit `k` for byte `k`; none past the end).
fn stop_mask(bytes: &[u8]) -> u64 {
    let mut block = [0u8; 64];
    let n = bytes.len().min(64);
    block[..n].copy_from_slice(&bytes[..n]);
    // a byte per byte: 1 for a terminator (no early exit, so vectorized)
    let mut flags = [0u8; 64];
    for (f, &b) in flags.iter_mut().zip(&block) {
        *f = u8::from(
            (b == b'.') | (b == b'!') | (b == b'?') | (b == b'\n') | (b == b':') | (b == b';'),
        );
    }
    crate::text::bits64(&flags)
}

/// Whether an ASCII word may be one of [`SALUTATIONS`], by its first two
/// letters and its length: a cheap test before the list's, for every
/// sentence.
fn may_salute(word: &[u8]) -> bool {
    let [first, second, ..] = *word else {
        return false;
    };
    word.len() < 32 && salute_lengths(first, second) >> word.len() & 1 == 1
}

/// A bit per length of the [`SALUTATIONS`] that open with the letters
/// `first` and `second` (any case; none for bytes that are no ASCII
/// letters).
fn salute_lengths(first: u8, second: u8) -> u32 {
    /// Per first and second letter, a bit per length of the salutations
    /// they open.
    static LENGTHS: [[u32; 26]; 26] = {
        let mut t = [[0u32; 26]; 26];
        let mut k = 0;
        while k < SALUTATIONS.len() {
            let w = SALUTATIONS[k].as_bytes();
            t[(w[0] - b'a') as usize][(w[1] - b'a') as usize] |= 1 << w.len();
            k += 1;
        }
        t
    };
    // (only the bytes of ASCII letters map below 26)
    let letter = |b: u8| usize::from((b | 0x20).wrapping_sub(b'a'));
    LENGTHS
        .get(letter(first))
        .and_then(|row| row.get(letter(second)))
        .copied()
        .unwrap_or(0)
}

/// Whether `word` is one of [`SALUTATIONS`], ignoring ASCII case (as
/// `in_list(word, SALUTATIONS)`): a test of its first letters and length,
/// then a comparison with the salutations that open with its two letters
/// ([`SALUTE_FROM`]), no search of the list.
fn is_salutation(word: &[u8]) -> bool {
    if !may_salute(word) {
        return false;
    }
    // the salutations opening with the word's two letters (at most three)
    // follow one another in the sorted list: one of the word's length is the
    // only candidate
    let letter = |b: u8| usize::from((b | 0x20).wrapping_sub(b'a'));
    let Some(&from) = SALUTE_FROM
        .get(letter(word[0]))
        .and_then(|row| row.get(letter(word[1])))
    else {
        return false;
    };
    SALUTATIONS
        .iter()
        .skip(usize::from(from))
        .take_while(|s| s.as_bytes()[..2].eq_ignore_ascii_case(&word[..2]))
        .any(|s| s.as_bytes().eq_ignore_ascii_case(word))
}

/// Per first and second letter, the index in [`SALUTATIONS`] of the first
/// salutation they open (the list's length for none).
static SALUTE_FROM: [[u8; 26]; 26] = {
    let mut t = [[SALUTATIONS.len() as u8; 26]; 26];
    let mut k = SALUTATIONS.len();
    // (backwards, so that the first of each pair of letters is kept)
    while k > 0 {
        k -= 1;
        let w = SALUTATIONS[k].as_bytes();
        t[(w[0] - b'a') as usize][(w[1] - b'a') as usize] = k as u8;
    }
    t
};

/// Whether the ASCII letters opening `bytes` spell one of [`SALUTATIONS`]
/// (any case). Most sentences open with two letters no salutation opens
/// with ("I", "If", "We", "Please"), or with no letter: those are not
/// counted.
fn opens_with_salutation(bytes: &[u8]) -> bool {
    match *bytes {
        [first, second, ..] if salute_lengths(first, second) != 0 => {}
        _ => return false,
    }
    let head = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    is_salutation(&bytes[..head])
}

/// Whether the opening of a reply (after any handles) may hold a name: its
/// first word is a salutation, or is followed by a comma or a dash, or it
/// is not plain ASCII (left to the full reading).
///
/// `Some` if it may, with the handles passed over, for [`salutation`] not
/// to read them again: the bytes they take with the white space after
/// them, how many they are, and the length of the ASCII letters after them
/// where those spell a salutation (0 where they do not). Given only when
/// each handle is read as one word of [`words_upto`] (its bytes, up to the
/// white space, are all [`PART`] bytes); `(0, 0, 0)` otherwise.
#[inline(never)]
fn opening_may_name(text: &str) -> Option<(usize, usize, usize)> {
    let mut rest = text;
    let mut handles = 0;
    let mut plain = true;
    while let Some(r) = rest.strip_prefix('@') {
        // (the word bytes of `words_upto` first: a handle is mostly made of
        // them, and then ends where `words_upto`'s word ends)
        let rb = r.as_bytes();
        let run = rb
            .iter()
            .take_while(|&&b| ASCII_CLASS[usize::from(b)] == PART)
            .count();
        let space = match rb.get(run).copied() {
            // (the ASCII white space of `first_whitespace`)
            None | Some(b' ' | b'\t'..=b'\r') => run,
            Some(_) => {
                let more = first_whitespace(&r[run..]);
                plain &= more == 0;
                run + more
            }
        };
        rest = r[space..].trim_start();
        handles += 1;
    }
    let skip = if plain {
        (text.len() - rest.len(), handles, 0)
    } else {
        (0, 0, 0)
    };
    let bytes = rest.as_bytes();
    let head = bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if head == 0 {
        return (!rest.is_empty() && !bytes[0].is_ascii()).then_some(skip);
    }
    let after = &rest[head..];
    if is_salutation(&bytes[..head]) {
        // (`salutation` reads the handles' bytes as passed over only when
        // `plain`: then its window starts where `rest` does)
        return Some(if plain { (skip.0, skip.1, head) } else { skip });
    }
    (after.starts_with(',')
        || after.starts_with(" -")
        || after.starts_with(" –")
        || after.starts_with(" —")
        || after.starts_with(['\'', '’', '-'])
        || !after.is_empty() && !after.as_bytes()[0].is_ascii()
        // ("Mrs Lindqvist, I'm sorry": a title and a family name opening
        // the reply, with no greeting before them)
        || in_list(&rest[..head], FAMILY_TITLES))
    .then_some(skip)
}

/// Where the first whitespace character of `s` (by [`char::is_whitespace`])
/// starts, or the length of `s`: as `s.find(char::is_whitespace)`, reading
/// ASCII a byte at a time (a handle is ASCII, mostly).
fn first_whitespace(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b < 0x80 {
            // (the ASCII whitespace of `char::is_whitespace`: tab, line
            // feed, vertical tab, form feed, carriage return, space)
            if matches!(b, b' ' | b'\t'..=b'\r') {
                return i;
            }
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|r| r.chars().next()) else {
            break;
        };
        if c.is_whitespace() {
            return i;
        }
        i += c.len_utf8();
    }
    s.len()
}

/// Whether a byte is part of a word (for name boundaries).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Reads the first words of a sentence starting at `offset` (`window`: its
/// first hundred or so bytes): a salutation and a name ("Hi Sarah", "Dear
/// Mr Kaplan", "Thanks, Priya"), or, opening the reply (`first`, after any
/// handles), a name with a comma or a dash ("Hannah, we're so sorry").
///
/// `skip`: the bytes and the words of handles opening `window` that
/// [`opening_may_name`] passed over, each read as one word (`(0, 0, _)`
/// for none): the reading starts after them, with as many words fewer to
/// read; and the length of the salutation it found right after them (0 for
/// none): a first word that is those bytes is not tested again.
#[inline(never)]
fn salutation(
    text: &str,
    offset: usize,
    window: &str,
    first: bool,
    skip: (usize, usize, usize),
    out: &mut Vec<Span>,
) {
    let (skip_bytes, skip_words, saluted) = skip;
    if skip_words >= Words::MAX || (skip_words > 0 && skip_bytes >= window.len()) {
        // (the handles fill the eight words, or the window: no word after)
        return;
    }
    let (offset, window) = (offset + skip_bytes, &window[skip_bytes..]);
    // (the words are read only as far as the tests below look: most
    // openings are decided by their first two or three)
    let mut w = WordReader::new(window, Words::MAX - skip_words);
    let mut i = 0;
    if first {
        while w.get(i).is_some_and(|(_, x)| x.starts_with('@')) {
            i += 1;
        }
    }
    let Some((at0, word0)) = w.get(i) else {
        return;
    };
    let abs = |k: usize| offset + k;
    // (a first word that is the salutation `opening_may_name` found: the
    // same bytes, from the window's first on)
    let salute = (at0 == 0 && word0.len() == saluted) || is_salutation(word0.as_bytes());
    if first && !salute {
        // a family title and a family name closing the address ("Mrs
        // Lindqvist, I'm sorry", "Mr Okafor - thanks for waiting")
        if in_list(word0, FAMILY_TITLES) {
            if let Some((at1, family)) = w.get(i + 1) {
                let end = at1 + family.len();
                let gap_ok = window[at0 + word0.len()..at1]
                    .chars()
                    .all(|c| c == ' ' || c == '.');
                if gap_ok && name_like(family, true) && ends_address(window, end) {
                    out.push(Span::new(abs(at0), abs(end)));
                }
            }
            return;
        }
        let after = &window[at0 + word0.len()..];
        if (after.starts_with(',')
            || after.starts_with(" -")
            || after.starts_with(" –")
            || after.starts_with(" —"))
            && name_like(word0, false)
            && !glosses(after)
        {
            out.push(Span::new(abs(at0), abs(at0 + word0.len())));
        }
        return;
    }
    if word0.len() > 15 || !salute {
        return;
    }
    let mut j = i + 1;
    while j <= i + 3 {
        let Some((_, filler)) = w.get(j).filter(|(_, x)| in_list(x, FILLERS)) else {
            break;
        };
        // "thank you, Sarah", but not "thanks for the info Sarah"
        if filler.eq_ignore_ascii_case("for") {
            return;
        }
        j += 1;
    }
    let Some((at, word)) = w.get(j) else {
        return;
    };
    // nothing but spaces and a comma between the words
    let gap_ok = |a: usize, b: usize| {
        window[a..b]
            .chars()
            .all(|c| c.is_whitespace() || c == ',' || c == '.')
    };
    let prev_end = w.get(j - 1).map_or(0, |(s, x)| s + x.len());
    if !gap_ok(prev_end, at) {
        return;
    }
    if in_list(word.trim_end_matches('.'), TITLES) {
        // "Mr. Kaplan", not "sir, Something": a comma ends the address
        let family_gap =
            |a: usize, b: usize| window[a..b].chars().all(|c| c.is_whitespace() || c == '.');
        // (a couple addressed together: "Dear Mr and Mrs Patel")
        // ("Mr & Mrs": the "&" is no word of the reader)
        let mut k = j + 1;
        let and = usize::from(w.get(k).is_some_and(|(_, x)| x.eq_ignore_ascii_case("and")));
        if w.get(k + and).is_some_and(|(a, x)| {
            in_list(x.trim_end_matches('.'), FAMILY_TITLES)
                && (and == 1 || window[at + word.len()..a].contains('&'))
        }) {
            k += and + 1;
        }
        if let Some((at2, family)) = w.get(k) {
            let prev_end = w.get(k - 1).map_or(0, |(s, x)| s + x.len());
            if family_gap(prev_end, at2) && name_like(family, true) {
                out.push(Span::new(abs(at), abs(at2 + family.len())));
            }
        }
        return;
    }
    // an initial and a family name ("Dear H. Mensah,")
    if word.len() == 1
        && word.as_bytes()[0].is_ascii_uppercase()
        && window[at + 1..].starts_with(". ")
    {
        if let Some((at2, family)) = w.get(j + 1) {
            let end = abs(at2 + family.len());
            if at2 == at + 3 && name_like(family, false) && text[end..].starts_with([',', '\n']) {
                out.push(Span::new(abs(at), end));
            }
        }
        return;
    }
    // a common word ("Hi Bill,") counts only when punctuation closes it
    let end = abs(at + word.len());
    let closed = text[end..].starts_with([',', '!', '.', '?']);
    // (the cheap tests of what follows the word first)
    if (placeholder(word) && !introduces_self(text, end))
        || (ends_address(text, end) && name_like(word, false))
        || (closed && name_like(word, true))
    {
        out.push(Span::new(abs(at), end));
    }
}

/// Whether what follows a word opening a reply, after its comma, explains
/// the word ("Aftermarket, like sound systems?", "Excess, meaning the part
/// you pay"): the agent saying a word again to gloss it, no one addressed.
fn glosses(after: &str) -> bool {
    let rest = after.trim_start_matches([',', ' ']).as_bytes();
    let at = |p: &str| crate::text::starts_with_ignore_case(rest, p.as_bytes());
    // ("Priya, like I said, it's sorted" addresses Priya)
    (at("like ") && !at("like i ") && !at("like we "))
        || ["as in ", "meaning ", "i.e.", "e.g.", "such as "]
            .iter()
            .any(|p| at(p))
}

/// Whether what follows a name at `end` makes it the speaker's own, as a
/// call is answered ("Yes, [PERSON_NAME] with [ORGANIZATION]", "... from
/// Acme", "... speaking", "... here"): no address to the customer.
fn introduces_self(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches(' ').as_bytes();
    ["with ", "from ", "at ", "speaking", "here"]
        .iter()
        .any(|p| crate::text::starts_with_ignore_case(rest, p.as_bytes()))
}

/// Whether a name ending at `end` closes the address: a comma, a sentence
/// mark, a line break, an emoji or the end of the text follows, or a second
/// capitalized word (a family name).
fn ends_address(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches(' ');
    match rest.chars().next() {
        None => true,
        Some(',' | '.' | '!' | '?' | '\n' | ':' | ';' | '-' | '–' | '—' | ')') => true,
        Some(c) if !c.is_alphanumeric() && !c.is_ascii() => true,
        Some(c) => c.is_uppercase(),
    }
}

/// A word read as a possible name without what trails it: `'s`, `-` and
/// quotes are not part of a name (none to trim after a last letter or digit,
/// the common case).
#[inline]
fn trim_name_end(w: &str) -> &str {
    let w = match w.as_bytes().last() {
        Some(b) if b.is_ascii_alphanumeric() => w,
        _ => w.trim_end_matches(['-', '\'', '’']),
    };
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_after_the_agents_own_role_is_the_agents() {
        fn found(t: &str) -> Vec<&str> {
            let mut out = Vec::new();
            comma_names(t, &mut out);
            out.iter().map(|s| &t[s.range()]).collect()
        }
        assert!(found("I'm the depot manager, Keira. I'll ring you by 4pm.").is_empty());
        assert!(found("Sorry about that. I am your claims handler, Omar.").is_empty());
        // an apology or thanks ending with the name speaks to the customer
        assert_eq!(found("I'm so sorry, Keira."), ["Keira"]);
        assert_eq!(found("I'm on it now, Keira."), ["Keira"]);
        // a firm named in apposition is no one addressed
        assert!(found("That's handled by our payments provider, Stripewell.").is_empty());
        assert_eq!(found("I've chased the courier today, Keira."), ["Keira"]);
    }

    #[test]
    fn a_handle_mentioned_is_no_name_said() {
        fn found<'a>(t: &'a str, names: &[String]) -> Vec<&'a str> {
            let mut out = Vec::new();
            agent_uses(t, names, &mut out);
            out.iter().map(|s| &t[s.range()]).collect()
        }
        let handle = ["petalpusher".to_string()];
        assert!(found("@petalpusher Thanks, we've rebooked it.", &handle).is_empty());
        assert_eq!(
            found("Thanks petalpusher, we've rebooked it.", &handle),
            ["petalpusher"]
        );
    }

    #[test]
    fn a_word_said_again_to_gloss_it_is_no_name() {
        fn found(t: &str) -> Vec<&str> {
            let mut out = Vec::new();
            agent_uses(t, &[], &mut out);
            out.iter().map(|s| &t[s.range()]).collect()
        }
        assert!(found("Aftermarket, like sound systems or a tow bar?").is_empty());
        assert!(found("Excess, meaning the part you pay yourself.").is_empty());
        assert_eq!(found("Priya, like I said, it's sorted."), ["Priya"]);
        assert_eq!(found("Priya, I've sorted it."), ["Priya"]);
    }

    #[test]
    fn a_placeholder_before_with_or_speaking_is_the_speakers_own_name() {
        let t = "Yes, [PERSON_NAME] with [ORGANIZATION].";
        let at = t.find(" with").unwrap_or(0);
        assert!(introduces_self(t, at));
        let t = "Thanks, [PERSON_NAME]. Have a good day.";
        let at = t.find('.').unwrap_or(0);
        assert!(!introduces_self(t, at));
    }

    /// [`inbound_greeting`] as it was written first: the sentence
    /// lower-cased and searched for each phrase.
    fn inbound_greeting_by_search(window: &str) -> bool {
        let end = window.find(['.', '!', '?', '\n']).unwrap_or(window.len());
        let s = window[..end].to_ascii_lowercase();
        s.ends_with(" speaking")
            || s.contains(" speaking,")
            || s.contains("speaking to ")
            || s.contains("speaking with ")
            || s.contains("through to ")
            || s.contains("customer line")
            || s.contains("how can i help")
            || s.contains("how may i help")
    }

    #[test]
    fn inbound_greeting_reads_as_the_search_did() {
        let heads = [
            "",
            "Hi",
            "Liam speaking",
            "Liam Speaking.",
            "Liam speaking, how",
            "speaking",
            " speaking",
            "Liamspeaking",
            "liam speaking to",
            "Speaking to you",
            "you're speaking to Liam",
            "You're SPEAKING WITH Ann",
            "speaking with",
            "you're through to",
            "You're through to Liam",
            "FreshCart customer line",
            "Customer Line, Bryony",
            "How can I help?",
            "how may i help you both",
            "How can I",
            "speaking, hi",
            "a speaking. b speaking",
            "Hi! you're speaking to",
            "line\nspeaking to ",
            "Hello, Dulcet Decor customer line, Bryony speaking.",
            "FreshCart, you're speaking to Liam.",
            "Thanks for calling, how may I help",
            "Ça va, speaking to é",
            "throughto ",
            "through to",
            "speakingspeaking to ",
            "x speaking;",
            "x speaking ,",
            "Hi Sarah, thanks for reaching out.",
        ];
        for h in heads {
            for tail in ["", ".", " more", "? then speaking to x", "\nhow can i help"] {
                let w = format!("{h}{tail}");
                assert_eq!(
                    inbound_greeting(&w),
                    inbound_greeting_by_search(&w),
                    "{w:?}"
                );
            }
        }
    }

    #[test]
    fn a_first_name_that_is_also_a_word_needs_a_surname() {
        assert_eq!(
            given(None, "Hi, it's Rob Tiernan, my wire's snapped."),
            ["Rob", "~Tiernan"]
        );
        assert_eq!(
            given(None, "Hello, this is Will Ashworth from flat 2."),
            ["Will"]
        );
        assert!(given(None, "Hi, it's Rob here, my wire's snapped.").is_empty());
        assert!(given(None, "Hi, this is Customer Services calling?").is_empty());
    }

    fn given(field: Option<&str>, text: &str) -> Vec<String> {
        let mut v = Vec::new();
        customer_names(field, text, &mut v);
        v
    }

    fn used(text: &str, names: &[&str]) -> Vec<String> {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        agent_uses(text, &names, &mut out);
        out.iter().map(|s| text[s.range()].to_string()).collect()
    }

    /// [`spells_out`] as it was written first: each word read as a `str`.
    fn spells_out_reference(text: &str) -> bool {
        // (items of the current run, and how many of them a separator ends)
        let (mut run, mut marked) = (0usize, 0usize);
        for raw in text.split_ascii_whitespace() {
            // "K-A-T-E" in one word: its parts are the run's items
            let word = raw.trim_end_matches(['.', ',', ';', ':', '?', '!']);
            let ended = raw.len() > word.len() && !raw.ends_with(['?', '!']);
            let parts = word.split('-').count();
            let letter = |w: &str| w.len() == 1 && w.bytes().all(|b| b.is_ascii_alphabetic());
            let item = if parts > 1 && word.split('-').all(letter) {
                run += parts - 1;
                marked += parts - 1;
                true
            } else {
                letter(word) || placeholder(word)
            };
            if !item {
                (run, marked) = (0, 0);
                continue;
            }
            run += 1;
            marked += usize::from(ended);
            if run >= 4 && marked >= 2 {
                return true;
            }
        }
        false
    }

    proptest::proptest! {
        #[test]
        fn a_spelling_is_found_as_the_word_by_word_reading_finds_it(
            text in "(A|b|Z|K-A-T|a-b|ab|a-bc|I|\\[PERSON_NAME\\]|\\{name\\}|\\{\\{first_name\\}\\}|\\[x\\]|\\[name\\],|\\[|\\{|\\.|,|;|:|\\?|!|-| |  |\n|\t|é|é,|1|x{1,3}){0,40}"
        ) {
            proptest::prop_assert_eq!(spells_out(&text), spells_out_reference(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_my_name_mask_marks_each_place_my_n_opens(
            text in "(m|M|y|Y|n|N| |my n|MY N|My name|x|é|\n){0,90}"
        ) {
            let b = text.as_bytes();
            let mut want = 0u64;
            for k in 0..b.len().min(64) {
                if b[k..].len() >= 4
                    && b[k..k + 4].eq_ignore_ascii_case(b"my n")
                {
                    want |= 1 << k;
                }
            }
            proptest::prop_assert_eq!(my_name_mask(b), want);
        }

        #[test]
        fn the_first_block_is_the_two_masks(
            text in "(m|M|y|Y|n|N|t|T|i|I| |my n|MY N|this|it's|'|-|@|_|9|é|\n|[.]){0,90}"
        ) {
            let b = text.as_bytes();
            proptest::prop_assert_eq!(first_block(b), (my_name_mask(b), word_and_ti_bits(b)));
        }
    }

    /// [`introduces`] as it was written first: a byte at a time.
    fn introduces_reference(head: &[u8]) -> bool {
        let mut words = 0;
        let mut i = 0;
        while i < head.len() && words < 8 {
            if !WORD_BYTE[usize::from(head[i])] {
                i += 1;
                continue;
            }
            words += 1;
            let rest = &head[i..];
            let starts = |p: &[u8]| crate::text::starts_with_ignore_case(rest, p);
            if matches!(head[i] | 0x20, b't' | b'i')
                && (starts(b"this")
                    // ("it's " only before a capital: "it's been a week" is
                    // the commonest opening of all, and names nobody)
                    || (starts(b"it's ") && rest.get(5).is_some_and(u8::is_ascii_uppercase))
                    || (starts("it’s ".as_bytes()) && rest.get(7).is_some_and(u8::is_ascii_uppercase))
                    || starts(b"i am")
                    || starts(b"i'm")
                    || starts(b"im ")
                    || starts("i’m".as_bytes()))
            {
                return true;
            }
            while i < head.len() && WORD_BYTE[usize::from(head[i])] {
                i += 1;
            }
        }
        false
    }

    proptest::proptest! {
        #[test]
        fn introductions_are_found_as_the_byte_reading_finds_them(
            text in "(this|This is|THIS|i am|I am|I'm|i’m|im |Im|it's |it’s |It's A|it's Bo|it|ice|tiny|Hi|Sarah|x|ab|@x|_|-|'|é| |  |, |\n|\\.|!|1|a{1,9}){0,30}"
        ) {
            let b = text.as_bytes();
            let mut head_len = b.len().min(80);
            while !text.is_char_boundary(head_len) {
                head_len += 1;
            }
            proptest::prop_assert_eq!(introduces(&b[..head_len]), introduces_reference(&b[..head_len]));
            proptest::prop_assert_eq!(introduces(b), introduces_reference(b));
        }
    }

    #[test]
    fn a_spelling_read_back_is_told_from_a_list_and_from_plain_talk() {
        for spelt in [
            "Got it: [PERSON_NAME], [PERSON_NAME] [PERSON_NAME], [PERSON_NAME].",
            "So that's Niamh, N, I, A, M, H?",
            "Let me read it back: K-A-T-E Doyle.",
            "Surname D. O. Y. L. E., is that right?",
            "Okay. [PERSON_NAME] [PERSON_NAME] [PERSON_NAME] [PERSON_NAME] [PERSON_NAME].",
        ] {
            assert!(spells_out(spelt), "{spelt}");
        }
        for plain in [
            "Thanks, [PERSON_NAME], I have everything I need.",
            "Lovely, [PERSON_NAME], [PERSON_NAME] think [PERSON_NAME] got it all now.",
            "Niamh, you can pick plan A, B or C.",
            "Hi Kate, your X-ray is booked for 9 am.",
            "I'm sorry, Mr. Doyle, I see what happened.",
            "Okay, [PERSON_NAME] [PERSON_NAME], that's all done.",
        ] {
            assert!(!spells_out(plain), "{plain}");
        }
    }

    #[test]
    fn word_lists_are_sorted_lower_case_and_prefiltered() {
        for list in [SALUTATIONS, FILLERS, TITLES, FAMILY_TITLES, NOT_NAMES] {
            assert!(list.windows(2).all(|w| w[0] < w[1]), "{list:?}");
            assert!(list.iter().all(|w| w
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'\'' || b == b'-')));
        }
        for w in SALUTATIONS {
            assert!(may_salute(w.as_bytes()) && may_salute(w.to_uppercase().as_bytes()));
        }
        assert!(!may_salute(b"archive") && !may_salute(b"") && !may_salute(b"1"));
        assert!(name_like("Sarah", false) && !name_like("Team", true));
        assert!(!name_like("Happy", true));
        assert!(!name_like("Will", false) && name_like("Will", true));
        assert!(name_like("Zoë", false) && !name_like("Zoë2", true));
        assert!(!name_like("I'm", true) && !name_like("Yeah", true) && !name_like("LT", true));
        assert!(name_like("O'Brien", false) && name_like("McKay", true));
    }

    #[test]
    fn stops_are_the_terminators_in_order() {
        // every start in texts of every length around the 64-byte blocks,
        // terminators at their edges, and multi-byte characters
        let mut texts: Vec<String> = vec![
            String::new(),
            "Hi. See https://t.co/abc: ok; fine!\nNext? yes".to_string(),
            "é.ü:😀;\n!?".repeat(9),
        ];
        for n in [1, 62, 63, 64, 65, 127, 128, 129, 200] {
            for stop in ['.', '!', '?', '\n', ':', ';', 'x'] {
                let mut t = "a".repeat(n);
                t.push(stop);
                texts.push(t.clone());
                t.insert(0, stop);
                texts.push(t.clone());
                texts.push(format!("{}{stop}", "b ".repeat(n)));
            }
        }
        for t in &texts {
            let bytes = t.as_bytes();
            let mut stops = Stops::new(bytes);
            for at in 0..=bytes.len() + 1 {
                let expected = bytes
                    .get(at..)
                    .unwrap_or_default()
                    .iter()
                    .position(|b| b".!?\n:;".contains(b))
                    .map(|k| at + k);
                // resumed forwards, and each start afresh
                assert_eq!(stops.next_from(at), expected, "{t:?} {at}");
                assert_eq!(Stops::new(bytes).next_from(at), expected, "{t:?} {at}");
            }
        }
    }

    #[test]
    fn the_packed_lists_find_what_a_search_of_the_words_finds() {
        // every word of both lists, its prefixes, one byte longer (a zero
        // byte too), and words of 15 and 16 bytes
        let mut probes: Vec<Vec<u8>> = vec![Vec::new(), vec![0], b"congratulationss".to_vec()];
        for w in NOT_NAMES.iter().chain(SALUTATIONS) {
            let w = w.as_bytes();
            for cut in 0..=w.len() {
                probes.push(w[..cut].to_vec());
            }
            for extra in [b'a', b's', b'-', 0] {
                probes.push([w, &[extra]].concat());
            }
            probes.push([&[0], w].concat());
        }
        for p in &probes {
            for (list, keys) in [
                (NOT_NAMES, &NOT_NAME_KEYS[..]),
                (SALUTATIONS, &SALUTE_KEYS[..]),
            ] {
                let want = list.binary_search_by(|x| x.as_bytes().cmp(p)).is_ok();
                let got = word_key(p).is_some_and(|k| keys.binary_search(&k).is_ok());
                assert_eq!(got, want, "{p:?}");
            }
        }
    }

    /// [`sign_off`] as first written (two backward searches).
    fn sign_off_reference(text: &str) -> Option<&str> {
        const CLOSINGS: &[&str] = &[
            "thanks",
            "thank you",
            "many thanks",
            "regards",
            "kind regards",
            "best regards",
            "warm regards",
            "best",
            "best wishes",
            "cheers",
            "sincerely",
            "yours sincerely",
            "yours faithfully",
            "thx",
            "ta",
            "yours",
        ];
        let trimmed = text.trim_end().trim_end_matches(['.', '!']);
        let newline = memchr::memrchr(b'\n', trimmed.as_bytes());
        let multi_line = newline.is_some();
        let last_line = trimmed[newline.map_or(0, |k| k + 1)..].trim();
        // "Thanks, Sarah" at the very end, or a last line "- Sarah" / "Sarah"
        let (before, name_part) = match memchr::memrchr(b',', last_line.as_bytes()) {
            Some(k) => (last_line[..k].trim(), last_line[k + 1..].trim()),
            None => ("", last_line),
        };
        let name_part = name_part.trim_start_matches(['-', '–', '—', '~', ' ']);
        let dashed = last_line.starts_with(['-', '–', '—', '~']);
        if !(dashed || multi_line || !before.is_empty()) {
            // (no closing without a comma before the name)
            return None;
        }
        // one or two words, each a name; a lone last line must not be a
        // closing itself or a sentence
        let mut parts = name_part.split_whitespace();
        let first = parts.next()?;
        let second = parts.next();
        if parts.next().is_some() {
            return None;
        }
        let closing = CLOSINGS.iter().any(|c| {
            before.len() >= c.len()
                && before.is_char_boundary(before.len() - c.len())
                && before[before.len() - c.len()..].eq_ignore_ascii_case(c)
        });
        if !(closing || dashed || (multi_line && before.is_empty())) {
            return None;
        }
        let allow = closing || dashed;
        (name_like(first, allow) && second.is_none_or(|p| name_like(p, allow))).then_some(first)
    }

    proptest::proptest! {
        #[test]
        fn sign_offs_are_found_as_two_backward_searches_find_them(
            text in "(this|This is|THIS|i am|I am|I'm|i’m|im |Im|it|ice|tiny|Hi|Sarah|Kim|thanks|Thanks,|Kind regards|regards|Bob Lee| |  |, |,|\n|\n\n|\t|\\x0b| - |-|— |~|\\.|!|é|@x|'|x{1,9}){0,30}"
        ) {
            proptest::prop_assert_eq!(sign_off(&text), sign_off_reference(&text));
        }
    }

    proptest::proptest! {
        #[test]
        fn the_byte_trims_are_str_trims(
            text in "( |\t|\n|\\x0b|\r|\u{a0}|\u{3000}|\u{85}|\u{1c}|x|é|\\.|!){0,12}"
        ) {
            proptest::prop_assert_eq!(trim_ws(&text), text.trim());
            proptest::prop_assert_eq!(trim_start_ws(&text), text.trim_start());
            proptest::prop_assert_eq!(trim_end_ws(&text), text.trim_end());
        }
    }

    proptest::proptest! {
        #[test]
        fn salutations_read_the_same_after_the_handles_passed_over(
            text in "(@|@x|@x_1|@x.y|@é|@x'|@x-|@x's|[x]|\\{x\\}|x|Hi|hi|Dear|Mr|Mr\\.|Sarah|Kim|Sarah's|thanks|Thanks|so much|for| |  |\u{a0}|\n|\t|\\x0b|,|, |-| - | — |\\.|!|é|'|x{1,9}){0,24}"
        ) {
            // (as `salutations` calls it on the first sentence)
            let at = text.len() - text.trim_start_matches(|c: char| c.is_ascii_whitespace()).len();
            if let Some(skip) = opening_may_name(&text[at..]) {
                let mut end = (at + 96).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let (mut skipped, mut read) = (Vec::new(), Vec::new());
                salutation(&text, at, &text[at..end], true, skip, &mut skipped);
                salutation(&text, at, &text[at..end], true, (0, 0, 0), &mut read);
                proptest::prop_assert_eq!(skipped, read);
            }
        }
    }

    #[test]
    fn the_cheap_tests_agree_with_the_plain_ones() {
        let words = "hi HI Hi hello Thanks THANKYOU thank you yes yess congratulations \
            Congratulationss h 1 sorry Sorr zoë héllo ok Okay OKAY absolutely Welcome we \
            perfect please";
        let words = words.split_whitespace().chain([""]);
        for w in words {
            assert_eq!(is_salutation(w.as_bytes()), in_list(w, SALUTATIONS), "{w}");
        }
        for w in SALUTATIONS {
            let upper = w.to_uppercase();
            assert!(is_salutation(w.as_bytes()) && is_salutation(upper.as_bytes()));
            for tail in ["", ", Sarah", "! x", "s", "'s", "é"] {
                let text = format!("{upper}{tail}");
                let head = text.bytes().take_while(u8::is_ascii_alphabetic).count();
                assert_eq!(
                    opens_with_salutation(text.as_bytes()),
                    in_list(&text[..head], SALUTATIONS),
                    "{text}"
                );
            }
        }
        for s in [
            "",
            "abc",
            "abc def",
            "a\tb",
            "a\u{b}b",
            "a\u{c}",
            "a\rb",
            "ab\u{a0}c",
            "é\u{2003}x",
            "\u{85}",
            "zoë ",
            "@x_y\n",
            "日本語 x",
        ] {
            assert_eq!(
                first_whitespace(s),
                s.find(char::is_whitespace).unwrap_or(s.len()),
                "{s:?}"
            );
        }
    }

    /// The plain byte-at-a-time reading `words_upto` must agree with.
    fn reference_words(text: &str, limit: usize) -> Vec<(usize, &str)> {
        let mut out = Vec::with_capacity(limit.min(16));
        let mut start = None;
        let mut bracket = false;
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() && out.len() < limit {
            let b = bytes[i];
            // ASCII: a byte at a time; anything else decoded as a char
            let (c, len) = if b < 0x80 {
                (b as char, 1)
            } else {
                match text[i..].chars().next() {
                    Some(c) => (c, c.len_utf8()),
                    None => break,
                }
            };
            let part = if b < 0x80 {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'\'' | b'-' | b'@' | b'_')
                    || (bracket && b != b' ')
            } else {
                c.is_alphanumeric() || c == '’' || bracket
            };
            if c == '[' || c == '{' {
                if let Some(s) = start.take() {
                    out.push((s, &text[s..i]));
                }
                start = Some(i);
                bracket = true;
                i += len;
                continue;
            }
            if bracket && (c == ']' || c == '}') {
                let s = start.take().unwrap_or(i);
                let end = i + len;
                // `{{first_name}}`: take the second closing brace too
                let end = if text[end..].starts_with('}') {
                    end + 1
                } else {
                    end
                };
                out.push((s, &text[s..end]));
                bracket = false;
                i = end;
                continue;
            }
            if part {
                start.get_or_insert(i);
            } else if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
                bracket = false;
            }
            i += len;
        }
        if let Some(s) = start {
            out.push((s, &text[s..]));
        }
        // trailing `'s`, `-` and quotes are not part of a name
        out.into_iter()
            .map(|(s, w)| {
                let w = w.trim_end_matches(['-', '\'', '’']);
                let w = w
                    .strip_suffix("'s")
                    .or_else(|| w.strip_suffix("’s"))
                    .unwrap_or(w);
                (s, w)
            })
            .filter(|(_, w)| !w.is_empty())
            .collect()
    }

    /// Texts of names, placeholders, brackets, quotes and odd spacing for
    /// the word readers' tests.
    const WORD_TEXTS: [&str; 6] = [
        "@ann_1 Hi [PERSON NAME], it's Bob's {{first_name}}x y",
        "Zoë – Ünal’s order, Mr. O'Neil-Smith's [NAME] {first_name}!",
        "abc[def] ghi{jkl}} -- ' - x_y@z 12ab; e-mail: a.b@c.com",
        "Hi  there,\tSarah!!  Thanks ,Priya. [unclosed bracket words here",
        "   ",
        "",
    ];

    /// Each text cut at every char boundary: the part before and the part
    /// after.
    fn halves<'a>(texts: &[&'a str]) -> Vec<&'a str> {
        let mut out = Vec::new();
        for text in texts {
            for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
                out.push(&text[..cut]);
                out.push(&text[cut..]);
            }
        }
        out
    }

    #[test]
    fn words_read_lazily_are_the_words_read_at_once() {
        let mut texts = WORD_TEXTS.to_vec();
        texts.extend([
            "a b c d e f g h [i j] k",
            "a b c d e f g [h i] j",
            "' - ' a '' b",
        ]);
        for t in halves(&texts) {
            for limit in [0, 1, 3, 5, 8] {
                let all = words_upto(t, limit);
                // asked in order, out of order, and past the end
                let mut lazy = WordReader::new(t, limit);
                for k in 0..=Words::MAX + 1 {
                    assert_eq!(lazy.get(k), all.get(k).copied(), "{t:?} {limit} {k}");
                }
                for k in (0..=Words::MAX + 1).rev() {
                    let mut lazy = WordReader::new(t, limit);
                    assert_eq!(lazy.get(k), all.get(k).copied(), "{t:?} {limit} {k}");
                    assert_eq!(lazy.get(0), all.first().copied(), "{t:?} {limit}");
                }
            }
        }
    }

    #[test]
    fn words_are_split_as_the_plain_reading_splits_them() {
        for t in halves(&WORD_TEXTS) {
            for limit in [0, 1, 3, 5, 8] {
                assert_eq!(
                    *words_upto(t, limit),
                    *reference_words(t, limit),
                    "{t:?} {limit}"
                );
            }
        }
    }

    #[test]
    fn customers_give_names_in_fields_introductions_and_sign_offs() {
        assert_eq!(given(Some("Sarah Lee"), "hi"), ["Sarah"]);
        assert_eq!(given(Some("JOHN SMITH"), "hi"), ["JOHN"]);
        assert!(given(Some("@sarah99"), "hi").is_empty());
        assert!(given(Some("customer"), "hi").is_empty());
        assert_eq!(
            given(None, "Hello, my name is Priya and my order is late"),
            ["Priya"]
        );
        assert_eq!(given(None, "Hi, this is Tomasz from flat 4."), ["Tomasz"]);
        assert_eq!(given(None, "Where is my refund?\nThanks,\nDana"), ["Dana"]);
        assert_eq!(
            given(None, "Still no parcel. Regards, Omar Haddad"),
            ["Omar"]
        );
        assert_eq!(given(None, "No reply yet\n- Kwame"), ["Kwame"]);
        assert!(given(None, "I'm furious about this").is_empty());
        assert!(given(None, "Thanks, Sorry").is_empty());
        assert!(given(None, "my order is late.\nStill Waiting").is_empty());
        // a caller's name after a stammered opening ("hi, yes, hi - it's ...")
        assert_eq!(
            given(None, "Hi, yes, hi - it's Aoife Brennan, booking 40317."),
            ["Aoife", "~Brennan"]
        );
    }

    #[test]
    fn titles_couples_and_initials_address_the_customer() {
        // a title and a family name opening the reply, with no greeting
        assert_eq!(used("Mrs Lindqvist, I'm sorry.", &[]), ["Mrs Lindqvist"]);
        assert_eq!(used("Mr Okafor - thanks for waiting.", &[]), ["Mr Okafor"]);
        assert!(used("Mrs Smith is our manager.", &[]).is_empty());
        assert!(used("Mr Whippy is closed today.", &[]).is_empty());
        // a couple addressed together, and an initial with a family name
        assert_eq!(
            used("Dear Mr and Mrs Patel, we apologise.", &[]),
            ["Mr and Mrs Patel"]
        );
        assert_eq!(used("Dear Mr & Mrs Patel,", &[]), ["Mr & Mrs Patel"]);
        assert_eq!(used("Dear H. Mensah,\nThank you.", &[]), ["H. Mensah"]);
        assert!(used("Dear Mr and the team,", &[]).is_empty());
        // a family name the customer gave counts after a title, not alone
        // (read back while the account is found), and a wide character
        // before the title is read whole
        assert_eq!(
            used("I'm sorry Mr Fenwick, but it's closed.", &["~Fenwick"]),
            ["Mr Fenwick"]
        );
        assert!(used("Fenwick with a K? Right.", &["~Fenwick"]).is_empty());
        assert_eq!(used("Oh — Mr Fenwick, yes.", &["~Fenwick"]), ["Mr Fenwick"]);
        assert!(used("Oh — Fenwick, yes.", &["~Fenwick"]).is_empty());
        assert_eq!(given(Some("Alan Fenwick"), "hi"), ["Alan", "~Fenwick"]);
        assert_eq!(
            given(None, "Hi, it's Siobhan Delaney, my son's in the class."),
            ["Siobhan", "~Delaney"]
        );
        assert!(used("Dear H. and thanks.", &[]).is_empty());
    }

    #[test]
    fn agents_use_known_names_and_salutations() {
        assert_eq!(used("Hi Sarah, I've found it.", &[]), ["Sarah"]);
        assert_eq!(used("@sarah99 Hi Sarah! Sorry about that.", &[]), ["Sarah"]);
        assert_eq!(
            used("Dear Mr Kaplan, your claim is open.", &[]),
            ["Mr Kaplan"]
        );
        assert_eq!(used("Thanks, Priya. It ships today.", &[]), ["Priya"]);
        assert_eq!(used("Thank you so much, Ana!", &[]), ["Ana"]);
        assert_eq!(
            used("I've checked, dana, and it's sent.", &["Dana"]),
            ["dana"]
        );
        assert_eq!(used("Thank you, [PERSON_NAME].", &[]), ["[PERSON_NAME]"]);
        assert!(used("Hi there, thanks for waiting.", &[]).is_empty());
        assert!(used("Hi team, please see below.", &[]).is_empty());
        assert!(used("Hi @sarah99, sorry about that.", &[]).is_empty());
        assert!(used("Thanks for the info Sarah", &[]).is_empty());
        assert!(used("We will mark it as urgent.", &["Mark"]).is_empty());
        assert!(used("Sorry Unfortunately the store is shut.", &[]).is_empty());
        assert_eq!(used("@ruthiebee42 Hey Ruth, we can help.", &[]), ["Ruth"]);
        assert_eq!(used("@x Hannah, we are so sorry.", &[]), ["Hannah"]);
        assert_eq!(used("@x Edgar - sorry for the delay.", &[]), ["Edgar"]);
        assert_eq!(used("Sorry for the bother, Priya!", &[]), ["Priya"]);
        assert_eq!(used("Hmm, that is odd.", &[]), Vec::<String>::new());
        assert!(used("It works on Mac, Windows.", &[]).is_empty());
        assert!(used("Hi Bill payers are due today", &[]).is_empty());
        // spoken fillers, plural acronyms and a title closed by a comma
        // are no names (call transcripts)
        assert!(used("Yeah, they'll ring you back on it.", &[]).is_empty());
        assert!(used("Yep, got it.", &[]).is_empty());
        assert!(used("DUIs, SR22s in the last five years?", &[]).is_empty());
        assert!(used("Yes sir, I'm checking now.", &[]).is_empty());
        assert!(used("Okay sir, Something came up.", &[]).is_empty());
        assert_eq!(used("Thank you, Mr. Kaplan.", &[]), ["Mr. Kaplan"]);
        assert_eq!(
            used(
                "I do apologise for the wait, Mr Marsh. So the codes...",
                &[]
            ),
            ["Mr Marsh"]
        );
        assert_eq!(used("Okay, DeShawn, let me check.", &[]), ["DeShawn"]);
    }
}
