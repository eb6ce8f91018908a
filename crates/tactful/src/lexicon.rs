//! Phrase lists: the data files behind the detectors, and their pattern syntax.
//!
//! A lexicon is a text file, one pattern a line:
//!
//! ```text
//! # comments start with '#'
//! (as per|per|according to) (our|the|company) polic(y|ies)
//! ! our policy (allows|lets) (me|us)
//! ```
//!
//! - Tokens are separated by spaces. A group `(a|b|c)` is one token with
//!   alternatives (which may contain spaces and nested groups); a token followed
//!   by `?` is optional; tokens written together (`polic(y|ies)`) join without a
//!   space, and punctuation attaches to the word before it (`sorry (,)? but`).
//! - A word with an apostrophe (`can't`) also matches without it (`cant`).
//! - A line starting with `! ` is an *exception*: a match of the lexicon that lies
//!   inside a match of an exception is dropped.
//! - Patterns are matched case-insensitively on word boundaries against the
//!   normalized view of a turn (see [`crate::text::Normalized`]).

use std::fmt;

/// Most literal phrases a single pattern line may expand into.
pub(crate) const MAX_EXPANSION: usize = 4096;

/// One literal phrase, expanded from a pattern line.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    /// The phrase, normalized (lowercase, single spaces).
    pub text: String,
    /// Whether it came from an exception (`! `) line.
    pub exception: bool,
    /// 1-based line of the pattern it came from.
    pub line: usize,
}

/// One pattern line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The token tree.
    pub(crate) tree: Vec<Node>,
    /// Whether it is an exception (`! `) line.
    pub exception: bool,
    /// 1-based line in its source.
    pub line: usize,
}

/// Parses a whole lexicon file into pattern trees, without expanding them.
pub fn parse_patterns(source: &str) -> Result<Vec<Pattern>, PatternError> {
    let mut out = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (exception, pattern) = match trimmed.strip_prefix("! ") {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        let tree = parse_tree(pattern).map_err(|message| PatternError { line, message })?;
        out.push(Pattern {
            tree,
            exception,
            line,
        });
    }
    Ok(out)
}

/// A pattern that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// 1-based line of the pattern.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PatternError {}

/// Parses a whole lexicon file into its literal phrases (tests compare
/// them with what the automaton finds).
#[cfg(test)]
pub(crate) fn parse(source: &str) -> Result<Vec<Phrase>, PatternError> {
    let mut out = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let (exception, pattern) = match trimmed.strip_prefix("! ") {
            Some(rest) => (true, rest.trim()),
            None => (false, trimmed),
        };
        for text in expand(pattern).map_err(|message| PatternError { line, message })? {
            let bare = text.replace('\'', "");
            let has_apostrophe = bare.len() != text.len();
            out.push(Phrase {
                text,
                exception,
                line,
            });
            if has_apostrophe && !bare.trim().is_empty() {
                out.push(Phrase {
                    text: bare,
                    exception,
                    line,
                });
            }
        }
    }
    Ok(out)
}

/// A pattern as a tree: a sequence of nodes, each a word token or a choice
/// between sequences (an optional part is a choice with an empty sequence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    /// One token (a word, or a single punctuation character or symbol).
    Word(String),
    /// Alternatives; an empty sequence makes the choice optional.
    Choice(Vec<Vec<Node>>),
}

/// Parses one pattern line into its token tree without expanding it.
///
/// Atoms written together (`polic(y|ies)`) are expanded locally into their
/// literal forms, since they make up one token.
pub(crate) fn parse_tree(pattern: &str) -> Result<Vec<Node>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let seq = tree_seq(&chars, &mut pos, false)?;
    if pos < chars.len() {
        return Err(format!("unexpected {:?} at column {}", chars[pos], pos + 1));
    }
    if seq.is_empty() {
        return Err("pattern matches nothing".to_string());
    }
    Ok(seq)
}

/// Reads a word atom (up to a space or a group character) at `pos`; whether
/// it is optional. `word?` is optional; `?` or `??` after no word character
/// is literal.
fn bare_word(chars: &[char], pos: &mut usize) -> (String, bool) {
    let start = *pos;
    while let Some(&w) = chars.get(*pos) {
        if matches!(w, ' ' | '\t' | '(' | ')' | '|') {
            break;
        }
        *pos += 1;
    }
    let mut word: String = chars[start..*pos].iter().collect();
    let optional = word.ends_with('?')
        && word
            .chars()
            .rev()
            .nth(1)
            .is_some_and(crate::text::is_word_char);
    if optional {
        word.pop();
    }
    (word, optional)
}

/// One space-separated unit: atoms written together.
fn tree_seq(chars: &[char], pos: &mut usize, in_group: bool) -> Result<Vec<Node>, String> {
    let mut seq = Vec::new();
    loop {
        while matches!(chars.get(*pos), Some(' ' | '\t')) {
            *pos += 1;
        }
        match chars.get(*pos) {
            None => break,
            Some('|' | ')') if in_group => break,
            Some(&c @ ('|' | ')')) => {
                return Err(format!("{c:?} outside a group at column {}", *pos + 1))
            }
            _ => {}
        }
        let start = *pos;
        // the usual unit, a plain lower-case word standing alone, is one token
        let plain = chars[start..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || **c == '_')
            .count();
        if plain > 0
            && chars
                .get(start + plain)
                .is_none_or(|c| matches!(c, ' ' | '\t' | '|' | ')'))
        {
            *pos = start + plain;
            seq.push(Node::Word(chars[start..*pos].iter().collect()));
            continue;
        }
        // collect glued atoms up to the next space (or group end / bar)
        let mut atoms: Vec<(Vec<Vec<Node>>, bool)> = Vec::new();
        while let Some(&c) = chars.get(*pos) {
            if matches!(c, ' ' | '\t' | '|' | ')') {
                break;
            }
            if c == '(' {
                *pos += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(tree_seq(chars, pos, true)?);
                    match chars.get(*pos) {
                        Some('|') => *pos += 1,
                        Some(')') => {
                            *pos += 1;
                            break;
                        }
                        _ => return Err("unclosed group".to_string()),
                    }
                }
                let optional = chars.get(*pos) == Some(&'?');
                if optional {
                    *pos += 1;
                }
                atoms.push((alts, optional));
            } else {
                let (word, optional) = bare_word(chars, pos);
                atoms.push((vec![words(&word)], optional));
            }
        }
        if atoms.len() == 1 {
            let (alts, optional) = atoms.pop().unwrap_or_default();
            let mut alts = alts;
            if optional {
                alts.push(Vec::new());
            }
            if alts.len() == 1 {
                seq.extend(alts.pop().unwrap_or_default());
            } else {
                seq.push(Node::Choice(alts));
            }
        } else {
            // glued atoms form one token: expand this unit's literal forms
            let unit: String = chars[start..*pos].iter().collect();
            let literals = expand(&unit)?;
            let alts: Vec<Vec<Node>> = literals.iter().map(|l| words(l)).collect();
            seq.push(Node::Choice(alts));
        }
    }
    Ok(seq)
}

/// The tokens of a literal, as nodes. A word with an apostrophe also
/// matches without it: `can't` is `(ca n't | cant)`.
fn words(literal: &str) -> Vec<Node> {
    // a plain lower-case word (most of them) is its own one token
    if !literal.is_empty()
        && literal
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return vec![Node::Word(literal.to_string())];
    }
    let norm = crate::text::Normalized::of(literal);
    let text = norm.as_str();
    let mut out = Vec::new();
    for (a, b) in runs(text) {
        let run = &text[a..b];
        let parts: Vec<Node> = split_clitic(run)
            .into_iter()
            .map(|(x, y)| Node::Word(run[x..y].to_string()))
            .collect();
        let bare: String = run.chars().filter(|&c| c != '\'').collect();
        if run.contains('\'') && !run.starts_with('\'') && !bare.is_empty() {
            out.push(Node::Choice(vec![parts, vec![Node::Word(bare)]]));
        } else {
            out.extend(parts);
        }
    }
    out
}

/// Clitics split from the word before them: `i'm` is `i` + `'m`, `don't` is
/// `do` + `n't`, so `(i|we) ('d|would)` matches "i'd".
const CLITICS: [&str; 6] = ["s", "d", "ll", "ve", "re", "m"];

/// Splits one run into its word and clitic (ranges into the run).
fn split_clitic(run: &str) -> Vec<(usize, usize)> {
    if let Some(p) = run.rfind('\'') {
        let suffix = &run[p + 1..];
        if p > 0 && CLITICS.contains(&suffix) {
            return vec![(0, p), (p, run.len())];
        }
        if p >= 2 && suffix == "t" && run[..p].ends_with('n') {
            return vec![(0, p - 1), (p - 1, run.len())];
        }
    }
    vec![(0, run.len())]
}

/// Whether `text[at..]` opens with an apostrophe and a clitic (`'d`, `'ll`...).
fn clitic_at(text: &str, at: usize) -> Option<usize> {
    let rest = text[at..].strip_prefix('\'')?;
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let word = &rest[..len];
    let ends = rest[len..]
        .chars()
        .next()
        .is_none_or(|c| !crate::text::is_word_char(c));
    (ends && (CLITICS.contains(&word) || word == "t")).then_some(at + 1 + len)
}

/// Splits normalized text into runs: words (letters, digits, `_`, and `'`
/// or `&` between word characters; a leading `'d`-style clitic) and single
/// other non-space characters. Yields byte ranges.
fn runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && bytes[i] == b' ' {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        let first = text[i..].chars().next()?;
        if !crate::text::is_word_char(first) {
            if let Some(end) = clitic_at(text, i) {
                i = end;
                return Some((start, i));
            }
            i += first.len_utf8();
            return Some((start, i));
        }
        while i < bytes.len() {
            let b = bytes[i];
            let joiner = (b == b'\'' || b == b'&')
                && text[i + 1..]
                    .chars()
                    .next()
                    .is_some_and(crate::text::is_word_char);
            if b.is_ascii_alphanumeric() || b == b'_' || joiner {
                i += 1;
            } else if b >= 0x80 {
                match text[i..].chars().next() {
                    Some(c) if crate::text::is_word_char(c) => i += c.len_utf8(),
                    _ => break,
                }
            } else {
                break;
            }
        }
        Some((start, i))
    })
}

/// Splits normalized text into the tokens phrases are matched on: runs,
/// with clitics split off (`we'll` is `we` + `'ll`, `can't` is `ca` + `n't`).
#[cfg(test)]
pub(crate) fn tokenize(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let mut pending: Option<(usize, usize)> = None;
    let mut inner = runs(text);
    std::iter::from_fn(move || {
        if let Some(p) = pending.take() {
            return Some(p);
        }
        let (a, b) = inner.next()?;
        let run = &text[a..b];
        if run.bytes().skip(1).any(|c| c == b'\'') {
            let parts = split_clitic(run);
            if parts.len() == 2 {
                pending = Some((a + parts[1].0, a + parts[1].1));
                return Some((a + parts[0].0, a + parts[0].1));
            }
        }
        Some((a, b))
    })
}

/// ASCII bytes that are word characters: letters, digits and `_`.
const ASCII_WORD: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = (b as u8).is_ascii_alphanumeric() || b == b'_' as usize;
        b += 1;
    }
    t
};

/// Whether the character starting at byte `i` of `text` (a char boundary) is
/// a word character; false at the end of the text.
#[inline]
fn word_char_at(text: &str, i: usize) -> bool {
    match text.as_bytes().get(i) {
        None => false,
        Some(&b) if b < 0x80 => ASCII_WORD[b as usize],
        Some(_) => text[i..]
            .chars()
            .next()
            .is_some_and(crate::text::is_word_char),
    }
}

/// The same tokens as [`tokenize`], in order, as byte ranges: one pass over
/// the bytes with ASCII fast paths, for the matcher's hot loop.
pub(crate) fn fast_tokens(text: &str) -> FastTokens<'_> {
    FastTokens {
        text,
        i: 0,
        pending: None,
    }
}

/// The iterator of [`fast_tokens`].
pub(crate) struct FastTokens<'a> {
    text: &'a str,
    i: usize,
    /// The clitic split off the last word, given next.
    pending: Option<(usize, usize)>,
}

/// The high bit of each byte of an 8-byte word.
const HI: u64 = 0x8080_8080_8080_8080;

/// `b` in every byte of a `u64`.
const fn splat(b: u8) -> u64 {
    (b as u64) * 0x0101_0101_0101_0101
}

/// The high bit of each byte of `x` that is not an ASCII lower-case letter,
/// exact up to the lowest such byte (bits above it are not: see below).
#[inline]
fn not_lower(x: u64) -> u64 {
    // high bit set in `ge_a` where an ASCII byte is >= b'a', in `gt_z` where
    // it is > b'z'. A byte of 0x80 or more is a stop whatever they say; a
    // carry out of a byte only comes from such a byte (a letter plus either
    // constant stays below 0x100), so it only spoils the bytes above the
    // lowest stop, which callers never look at.
    let ge_a = x.wrapping_add(splat(0x80 - b'a'));
    let gt_z = x.wrapping_add(splat(0x80 - b'z' - 1));
    (!ge_a | gt_z | x) & HI
}

/// ASCII bytes that end a word (not word bytes, not `'` or `&`, which may
/// join two word parts) and that are a one-byte token on their own (not a
/// space, not `'`, which may open a clitic): the punctuation after a word,
/// and that punctuation as a token.
const ENDS_WORD: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = !ASCII_WORD[b] && b != b'\'' as usize && b != b'&' as usize;
        b += 1;
    }
    t
};

impl FastTokens<'_> {
    /// The next token as [`Iterator::next`], with its bytes packed
    /// little-endian into a `u64` (the rest zero) when it has at most eight
    /// bytes, else 0 (as for a token of NULs, which is no word). A word of
    /// one to fifteen ASCII lower-case letters followed by punctuation or a
    /// space, and a punctuation byte, take a fast path: one 8-byte load (two
    /// past seven letters) gives the token's end and its key.
    #[inline]
    pub(crate) fn next_keyed(&mut self) -> Option<(usize, usize, u64)> {
        if self.pending.is_none() {
            let bytes = self.text.as_bytes();
            let mut i = self.i;
            if bytes.get(i) == Some(&b' ') {
                i += 1;
            }
            if let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
                let x = u64::from_le_bytes(*chunk);
                let stop = not_lower(x);
                let at = stop.trailing_zeros() & 56;
                let end = (x >> at) as u8;
                // (eight letters: `stop` is 0 and `end` the first letter,
                // which ends no word)
                if ENDS_WORD[end as usize] {
                    let len = (at / 8) as usize;
                    if len > 0 {
                        self.i = i + len;
                        // the bytes before the lowest stop bit's byte
                        let key = x & ((stop ^ stop.wrapping_sub(1)) >> 8);
                        return Some((i, i + len, key));
                    }
                    if end != b' ' {
                        self.i = i + 1;
                        return Some((i, i + 1, u64::from(end)));
                    }
                } else if stop == 0 {
                    // eight letters: a word that ends in the next eight bytes
                    if let Some(chunk) = bytes.get(i + 8..).and_then(<[u8]>::first_chunk::<8>) {
                        let y = u64::from_le_bytes(*chunk);
                        let at = not_lower(y).trailing_zeros() & 56;
                        if ENDS_WORD[(y >> at) as u8 as usize] {
                            let len = 8 + (at / 8) as usize;
                            self.i = i + len;
                            return Some((i, i + len, if len == 8 { x } else { 0 }));
                        }
                    }
                }
            }
        }
        let (a, b) = self.next()?;
        let len = b - a;
        if len > 8 {
            return Some((a, b, 0));
        }
        let bytes = self.text.as_bytes();
        let key = match bytes.get(a..a + 8) {
            Some(chunk) => {
                let mut w = [0u8; 8];
                w.copy_from_slice(chunk);
                // keep the token's `len` (1 to 8) bytes
                u64::from_le_bytes(w) & (u64::MAX >> (64 - 8 * len))
            }
            None => {
                let mut w = [0u8; 8];
                w[..len].copy_from_slice(&bytes[a..b]);
                u64::from_le_bytes(w)
            }
        };
        Some((a, b, key))
    }
}

impl Iterator for FastTokens<'_> {
    type Item = (usize, usize);

    #[inline]
    fn next(&mut self) -> Option<(usize, usize)> {
        if let Some(p) = self.pending.take() {
            return Some(p);
        }
        let text = self.text;
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut i = self.i;
        while i < n && bytes[i] == b' ' {
            i += 1;
        }
        if i >= n {
            self.i = i;
            return None;
        }
        let b = bytes[i];
        let start = i;
        let word_start = if b < 0x80 {
            WORD_BYTE[b as usize]
        } else {
            word_char_at(text, i)
        };
        if !word_start {
            // one non-word character, or an apostrophe opening a clitic
            self.i = match (b == b'\'').then(|| clitic_at(text, i)).flatten() {
                Some(end) => end,
                None => i + text[i..].chars().next().map_or(1, char::len_utf8),
            };
            return Some((start, self.i));
        }
        // a word: word characters, and `'` or `&` between word characters
        let mut apostrophe = false;
        loop {
            while i < n && WORD_BYTE[bytes[i] as usize] {
                i += 1;
            }
            if i >= n {
                break;
            }
            let c = bytes[i];
            if c == b'\'' || c == b'&' {
                if word_char_at(text, i + 1) {
                    apostrophe |= c == b'\'';
                    i += 1;
                    continue;
                }
                break;
            }
            if c >= 0x80 {
                match text[i..].chars().next() {
                    Some(ch) if crate::text::is_word_char(ch) => {
                        i += ch.len_utf8();
                        continue;
                    }
                    _ => break,
                }
            }
            break;
        }
        self.i = i;
        if apostrophe {
            let parts = split_clitic(&text[start..i]);
            if parts.len() == 2 {
                self.pending = Some((start + parts[1].0, start + parts[1].1));
                return Some((start + parts[0].0, start + parts[0].1));
            }
        }
        Some((start, i))
    }
}

/// [`ASCII_WORD`] over every byte value (false from 0x80 up).
const WORD_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 128 {
        t[b] = ASCII_WORD[b];
        b += 1;
    }
    t
};

/// Expands one pattern line into its literal phrases, normalized, sorted
/// and without duplicates (for tools and tests; matching never expands).
/// A word with an apostrophe also matches without it, but that bare form is
/// not listed here.
///
/// ```
/// use tactful::lexicon::expand;
/// let phrases = expand("(per|as per) (our|the)? policy").unwrap();
/// assert_eq!(phrases.len(), 6);
/// assert!(phrases.contains(&"as per the policy".to_string()));
/// assert!(phrases.contains(&"per policy".to_string()));
/// assert!(expand("(unclosed").is_err());
/// ```
pub fn expand(pattern: &str) -> Result<Vec<String>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut pos = 0;
    let acc = parse_seq(&chars, &mut pos, false)?;
    if pos < chars.len() {
        return Err(format!("unexpected {:?} at column {}", chars[pos], pos + 1));
    }
    let mut out: Vec<String> = acc
        .into_iter()
        .map(|s| normalize_phrase(&s))
        .filter(|s| !s.is_empty())
        .collect();
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err("pattern matches nothing".to_string());
    }
    Ok(out)
}

fn parse_seq(chars: &[char], pos: &mut usize, in_group: bool) -> Result<Vec<String>, String> {
    let mut acc: Vec<String> = vec![String::new()];
    let mut space = false;
    while let Some(&c) = chars.get(*pos) {
        match c {
            ' ' | '\t' => {
                space = true;
                *pos += 1;
                continue;
            }
            '|' | ')' if in_group => break,
            '|' | ')' => return Err(format!("{c:?} outside a group at column {}", *pos + 1)),
            _ => {}
        }
        let (alternatives, optional) = if c == '(' {
            *pos += 1;
            let mut alts = Vec::new();
            loop {
                alts.extend(parse_seq(chars, pos, true)?);
                match chars.get(*pos) {
                    Some('|') => *pos += 1,
                    Some(')') => {
                        *pos += 1;
                        break;
                    }
                    _ => return Err("unclosed group".to_string()),
                }
            }
            let optional = chars.get(*pos) == Some(&'?');
            if optional {
                *pos += 1;
            }
            (alts, optional)
        } else {
            let (word, optional) = bare_word(chars, pos);
            (vec![word], optional)
        };
        let sep = if space { " " } else { "" };
        let mut next = Vec::with_capacity(acc.len() * (alternatives.len() + 1));
        for prefix in &acc {
            if optional {
                next.push(prefix.clone());
            }
            for alt in &alternatives {
                next.push(format!("{prefix}{sep}{alt}"));
            }
        }
        if next.len() > MAX_EXPANSION {
            return Err(format!(
                "pattern expands to more than {MAX_EXPANSION} phrases"
            ));
        }
        acc = next;
        space = false;
    }
    Ok(acc)
}

/// Normalizes a phrase the way turns are normalized (case, quotes, spaces),
/// with no space before punctuation.
pub(crate) fn normalize_phrase(s: &str) -> String {
    let folded = crate::text::Normalized::of(s.trim()).as_str().to_string();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(p: &str) -> Vec<String> {
        parse(p).unwrap().into_iter().map(|p| p.text).collect()
    }

    #[test]
    fn expands_groups_and_optionals() {
        let got = texts("(we|i) (can't|cannot)? help");
        for want in [
            "we can't help",
            "we cannot help",
            "we help",
            "i cannot help",
            "i cant help",
        ] {
            assert!(got.iter().any(|g| g == want), "missing {want} in {got:?}");
        }
    }

    #[test]
    fn empty_alternative_is_optional() {
        assert_eq!(texts("sorry (so|) much"), ["sorry much", "sorry so much"]);
    }

    #[test]
    fn punctuation_attaches_to_the_previous_word() {
        assert_eq!(
            texts("sorry (,|?)? could"),
            ["sorry could", "sorry, could", "sorry? could"]
        );
    }

    #[test]
    fn question_marks_after_punctuation_are_literal() {
        assert_eq!(texts("hello (?|??)"), ["hello?", "hello??"]);
        assert_eq!(texts("hello?"), ["hello"]);
    }

    #[test]
    fn tokens_split_clitics_and_punctuation() {
        let text = "i'd say we'll see, don't you? 'quoted' at&t";
        let got: Vec<&str> = tokenize(text).map(|(a, b)| &text[a..b]).collect();
        assert_eq!(
            got,
            [
                "i", "'d", "say", "we", "'ll", "see", ",", "do", "n't", "you", "?", "'", "quoted",
                "'", "at&t"
            ]
        );
    }

    #[test]
    fn the_fast_tokenizer_agrees_with_tokenize() {
        let texts = [
            "i'd say we'll see, don't you? 'quoted' at&t",
            "'s 'd 'dx 'll' can't won't n't x'y a'' a&&b a& &b _a_ 9's",
            "ça — été's naïve' 'été l'été we’re 😀 a😀b x\u{300}y don't'",
            "'t 't' ''t at&t's rock'n'roll it's' ' '",
            "",
            "   ",
            "a",
            "é",
            "''",
        ];
        for text in texts {
            let want: Vec<(usize, usize)> = tokenize(text).collect();
            let got: Vec<(usize, usize)> = fast_tokens(text).collect();
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// The tokens of [`FastTokens::next_keyed`], each checked against its key.
    fn keyed(text: &str) -> Vec<(usize, usize)> {
        let mut tokens = fast_tokens(text);
        let mut got = Vec::new();
        while let Some((a, b, key)) = tokens.next_keyed() {
            let mut w = [0u8; 8];
            if b - a <= 8 {
                w[..b - a].copy_from_slice(&text.as_bytes()[a..b]);
            }
            assert_eq!(key, u64::from_le_bytes(w), "{text:?} at {a}..{b}");
            got.push((a, b));
        }
        got
    }

    #[test]
    fn keyed_tokens_agree_with_tokenize_and_pack_their_bytes() {
        let texts = [
            "i'd say we'll see, don't you? 'quoted' at&t",
            "we are sorry,  for the wait. abcdefg abcdefgh abcdefghi x abcdefghijklmno, abcdefghijklmnop. abcdefgh's abcdefghé",
            "a,b ,c;d  e!? ,, \0 \0\0 x\0y ab\u{7f}cd é é's a_b A1 a1 \tz",
            "'s 'd 'dx 'll' can't won't n't x'y a'' a&&b a& &b _a_ 9's",
        ];
        for text in texts {
            let want: Vec<(usize, usize)> = tokenize(text).collect();
            assert_eq!(keyed(text), want, "{text:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn the_fast_tokenizer_agrees_on_any_text(text in "[a-z0-9_' &é’😀\u{300},.t]{0,24}") {
            let want: Vec<(usize, usize)> = tokenize(&text).collect();
            let got: Vec<(usize, usize)> = fast_tokens(&text).collect();
            proptest::prop_assert_eq!(got, want);
        }

        #[test]
        fn not_lower_finds_the_first_byte_that_is_no_lower_case_letter(
            bytes in proptest::array::uniform8(proptest::prop_oneof![
                3 => b'a'..=b'z',
                1 => proptest::num::u8::ANY,
            ])
        ) {
            let x = u64::from_le_bytes(bytes);
            let first = bytes.iter().position(|b| !b.is_ascii_lowercase());
            let got = not_lower(x);
            let got = (got != 0).then(|| got.trailing_zeros() as usize / 8);
            proptest::prop_assert_eq!(got, first);
        }

        #[test]
        fn keyed_tokens_agree_on_any_text(text in "[a-z A-Z09_'&,.!\0\t\x7fé’]{0,40}") {
            let want: Vec<(usize, usize)> = tokenize(&text).collect();
            proptest::prop_assert_eq!(keyed(&text), want);
        }
    }

    #[test]
    fn plain_words_are_single_tokens_and_the_rest_still_parses() {
        let w = |s: &str| Node::Word(s.to_string());
        assert_eq!(
            parse_tree("we (can|could_2) help").unwrap(),
            [
                w("we"),
                Node::Choice(vec![vec![w("can")], vec![w("could_2")]]),
                w("help")
            ]
        );
        // not plain: optional, glued, upper case, punctuation, clitics
        assert_eq!(
            parse_tree("sorry? Per policy, i'm").unwrap(),
            [
                Node::Choice(vec![vec![w("sorry")], vec![]]),
                w("per"),
                w("policy"),
                w(","),
                Node::Choice(vec![vec![w("i"), w("'m")], vec![w("im")]]),
            ]
        );
        assert_eq!(parse_tree("polic(y|ies)").unwrap().len(), 1);
    }

    #[test]
    fn comments_and_blank_lines_are_skipped() {
        assert_eq!(texts("# a comment\n\nper policy\n"), ["per policy"]);
    }

    #[test]
    fn bad_patterns_name_the_line() {
        let err = parse("ok\n(unclosed group\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(parse("(a|b").is_err());
        assert!(parse("a )b").is_err());
    }

    #[test]
    fn groups_nest_and_join_without_space() {
        assert_eq!(
            texts("polic(y|ies) (means (i|we) can)?"),
            [
                "policies",
                "policies means i can",
                "policies means we can",
                "policy",
                "policy means i can",
                "policy means we can"
            ]
        );
    }

    #[test]
    fn expansion_is_bounded() {
        let line = "(a|b|c|d|e|f|g|h) ".repeat(6);
        assert!(parse(&line).is_err());
    }

    #[test]
    fn phrases_are_normalized() {
        assert_eq!(texts("I’M   Sorry"), ["i'm sorry", "im sorry"]);
    }
}
