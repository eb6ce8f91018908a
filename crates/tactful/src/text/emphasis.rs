//! Byte-level scans for the marks of emphasis in a text: ALL-CAPS runs,
//! repeated `!`/`?`, sad or angry emoticons and stretched words, with a
//! word-at-a-time pre-check ([`needs`]) that says which scans can find
//! anything. Spans are byte offsets into the text. What counts as customer
//! distress is decided in `rules::distress`, which calls these.

use super::{load8, splat, HI, LO7};
use crate::span::Span;

/// Which scans can find anything in a text ([`needs`]).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Needs {
    /// `!` or `?` twice in a row.
    pub(crate) pair_punct: bool,
    /// Two ASCII upper-case letters in a row.
    pub(crate) pair_caps: bool,
    /// One of `(`, `<`, `_`.
    pub(crate) emoticon: bool,
    /// One ASCII letter four times in a row (same byte).
    pub(crate) stretched: bool,
}

/// The high bit of each ASCII byte of `x` in `lo..=hi` (`0 < lo <= hi < 0x80`).
fn bytes_in(x: u64, lo: u8, hi: u8) -> u64 {
    let low = x & LO7;
    (low + splat(0x80 - lo)) & !(low + splat(0x7f - hi)) & !x & HI
}

/// [`Needs`] of `bytes`, sixteen start positions at a time: a fold over
/// each block (and the three bytes after it) with no early exit, which the
/// compiler turns into a few vector operations. The last bytes are read
/// from a copy padded with zeros (a zero byte is in no mark, and pairs with
/// nothing).
#[inline(never)]
pub(crate) fn needs(bytes: &[u8]) -> Needs {
    // per lane: pair_punct, pair_caps, emoticon, stretched (nonzero once
    // found), folded across lanes only at the end
    let mut found = [[0u8; 16]; 4];
    let mut i = 0;
    while let Some(w) = bytes.get(i..i + 19) {
        needs_block(w, &mut found);
        i += 16;
    }
    // (fewer than 19 bytes are left: two blocks of the padded copy)
    let mut tail = [0u8; 35];
    let rest = &bytes[i..];
    tail[..rest.len()].copy_from_slice(rest);
    needs_block(&tail[..19], &mut found);
    needs_block(&tail[16..], &mut found);
    let any = |lanes: &[u8; 16]| lanes.iter().fold(0, |a, &b| a | b) != 0;
    Needs {
        pair_punct: any(&found[0]),
        pair_caps: any(&found[1]),
        emoticon: any(&found[2]),
        stretched: any(&found[3]),
    }
}

/// Folds the [`Needs`] of start positions `0..16` of `w` (19 bytes) into
/// the lanes of `found`.
#[inline(always)]
fn needs_block(w: &[u8], found: &mut [[u8; 16]; 4]) {
    let mark = |b: u8| (b == b'!') | (b == b'?');
    let upper = |b: u8| b.wrapping_sub(b'A') < 26;
    let w = &w[..19];
    for k in 0..16 {
        let (b, next) = (w[k], w[k + 1]);
        found[0][k] |= u8::from(mark(b) & mark(next));
        found[1][k] |= u8::from(upper(b) & upper(next));
        found[2][k] |= u8::from((b == b'(') | (b == b'<') | (b == b'_'));
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        found[3][k] |= u8::from(letter & (next == b) & (w[k + 2] == b) & (w[k + 3] == b));
    }
}

/// Sad or angry text emoticons: `:(`, `:-(`, `:'(`, `>:(`, `T_T`.
const EMOTICONS: [&str; 8] = [">:(", ":'(", ":-(", ":((", ":(", ";(", "):<", "T_T"];

/// The sad or angry [`EMOTICONS`], standing alone.
///
/// Every emoticon holds `(`, `<` or `_` in its first three bytes, so a
/// match can only start at most two bytes before one of them: `memchr3`
/// finds each such byte, and only the positions from two bytes before it
/// up to it are tried, left to right as a byte-at-a-time scan would
/// (a match skips past itself).
#[inline(never)]
pub(crate) fn emoticons(text: &str, out: &mut Vec<Span>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(k) = memchr::memchr3(b'(', b'<', b'_', bytes.get(i..).unwrap_or_default()) {
        let key = i + k;
        i = i.max(key.saturating_sub(2));
        while i <= key {
            i = emoticon_at(bytes, i, out);
        }
    }
}

/// Tries the [`EMOTICONS`] at `i` (pushing a match that stands alone) and
/// returns where the scan goes on: past the match, or the next byte.
#[inline(always)]
fn emoticon_at(bytes: &[u8], i: usize, out: &mut Vec<Span>) -> usize {
    if !matches!(bytes[i], b':' | b';' | b'>' | b')' | b'T') {
        return i + 1;
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
            after
        }
        None => i + 1,
    }
}

/// Words stretched for emphasis: one letter four or more times in a row
/// ("sooooo", "pleaseeee").
#[inline(never)]
pub(crate) fn elongations(text: &str, out: &mut Vec<Span>) {
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

/// Runs of `!` and `?`: "!!", "???" or a mixed run of three ("?!?"); not a
/// lone "??" or "?!".
#[inline(never)]
pub(crate) fn punctuation_runs(text: &str, out: &mut Vec<Span>) {
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
            // "!!", "???", "?!?": a lone "??" or "?!" is a question, not
            // intensity (a chaser's "hello??" is a phrase of its own)
            if bangs >= 2 || questions >= 3 || (bangs >= 1 && bangs + questions >= 3) {
                out.push(Span::new(start, i));
            }
        } else {
            i += 1;
        }
    }
}

/// The first ASCII upper-case letter at or after `from`, eight bytes at a time.
fn next_upper(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= bytes.len() {
        let upper = bytes_in(load8(bytes, i), b'A', b'Z');
        if upper != 0 {
            return Some(i + upper.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes[i..]
        .iter()
        .position(u8::is_ascii_uppercase)
        .map(|k| i + k)
}

/// Words of three letters that stress a sentence alone when written in
/// capitals ("For a closure YOU made", "I DID return it", "it is NOT
/// fixed"): pronouns, auxiliaries, negation and question words, and the
/// short number words ("cracked after ONE wash", "no slots for SIX weeks"),
/// which name no product, code or acronym.
const STRESSED: [&str; 18] = [
    "YOU", "DID", "NOT", "NOW", "WHY", "HOW", "ANY", "YET", "WAS", "ARE", "HAS", "HAD", "OUR",
    "WHO", "ONE", "TWO", "SIX", "TEN",
];

/// A word in ALL CAPS counts as emphasis when it has at least 4 letters (or
/// is one of the [`STRESSED`] words), or
/// when at least two caps words of 2+ letters stand together, and it is not a
/// handle, hashtag or code, and `is_word` accepts it (an English word, not
/// an acronym or a brand: the caller decides).
#[inline(never)]
pub(crate) fn caps_runs(text: &str, is_word: impl Fn(&str) -> bool, out: &mut Vec<Span>) {
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
    let in_word = |b: u8| b.is_ascii_alphanumeric() || b == b'\'' || b == b'&';
    let mut i = 0;
    while i < bytes.len() {
        if run.is_none() && !bytes[i].is_ascii_uppercase() {
            // nothing to flush, and a word starting in lower case is not in
            // caps: go to the next upper-case letter. Bytes before it are
            // lower case or not letters; it starts a word unless a lower-case
            // letter before it opens the same word ("iPhone"), which is then
            // skipped whole.
            let Some(p) = next_upper(bytes, i) else {
                break;
            };
            let inside = bytes[i..p]
                .iter()
                .rev()
                .take_while(|&&b| in_word(b))
                .any(u8::is_ascii_alphabetic);
            if inside {
                i = p + 1;
                while i < bytes.len() && in_word(bytes[i]) {
                    i += 1;
                }
                continue;
            }
            i = p;
        }
        if !bytes[i].is_ascii_alphabetic() {
            if bytes[i] >= 0x80 || bytes[i] == b'\n' || bytes[i].is_ascii_digit() {
                flush(&mut run, out);
            }
            i += 1;
            continue;
        }
        let start = i;
        if bytes[i].is_ascii_lowercase()
            || bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            // a lower-case letter or a digit in its first two bytes: the
            // word is not in caps, which ends the run (the common case, a
            // capital opening a sentence or a name); skip it whole
            i += 1;
            while i < bytes.len() && in_word(bytes[i]) {
                i += 1;
            }
            flush(&mut run, out);
            continue;
        }
        while i < bytes.len() && in_word(bytes[i]) {
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
        if !attached && is_word(bare) {
            let long = letters >= 4 || STRESSED.contains(&bare);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Words the scans accept (they take the caller's test as a predicate):
    /// all but a few acronyms of the real list.
    fn is_word(word: &str) -> bool {
        !["ASAP", "NASA", "UPS"].contains(&word)
    }

    /// The byte-at-a-time scan [`emoticons`] replaced (it now jumps to the
    /// bytes every emoticon holds).
    fn emoticons_reference(text: &str, out: &mut Vec<Span>) {
        if !text.contains(['(', 'T', '<']) {
            return;
        }
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            i = emoticon_at(bytes, i, out);
        }
    }

    #[test]
    fn emoticons_match_the_byte_at_a_time_scan() {
        let pieces = [
            ">:(", ":'(", ":-(", ":((", ":(", ";(", "):<", "T_T", ":", ";", ">", ")", "(", "<",
            "_", "T", "a", " ", "é", "x_y", "::", "((",
        ];
        let mut texts: Vec<String> = vec![String::new()];
        for a in pieces {
            texts.push(a.to_string());
            for b in pieces {
                texts.push(format!("{a}{b}"));
                for c in pieces {
                    texts.push(format!("{a}{b}{c}"));
                    texts.push(format!("w {a}{b} {c}w"));
                }
            }
        }
        texts.push("so sad :( really T_T and >:(( then ):< ok".to_string());
        for t in &texts {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            emoticons(t, &mut fast);
            emoticons_reference(t, &mut slow);
            assert_eq!(fast, slow, "{t:?}");
        }
    }

    /// The byte-at-a-time pre-check [`needs`] replaced.
    fn needs_reference(text: &[u8]) -> Needs {
        let mut n = Needs::default();
        let (mut run, mut prev) = (0u8, 0u8);
        for &b in text {
            n.pair_punct |= matches!(prev, b'!' | b'?') && matches!(b, b'!' | b'?');
            n.pair_caps |= prev.is_ascii_uppercase() && b.is_ascii_uppercase();
            n.emoticon |= matches!(b, b'(' | b'<' | b'_');
            run = if b == prev && b.is_ascii_alphabetic() {
                run.saturating_add(1)
            } else {
                1
            };
            n.stretched |= run >= 4;
            prev = b;
        }
        n
    }

    /// The byte-at-a-time scan [`caps_runs`] replaced (it now jumps to
    /// the next upper-case letter).
    fn caps_runs_reference(text: &str, out: &mut Vec<Span>) {
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
            if run.is_none() && !bytes[i].is_ascii_uppercase() {
                // nothing to flush, and a word starting in lower case is not
                // in caps: skip the byte, or the whole word
                if bytes[i].is_ascii_lowercase() {
                    i += 1;
                    while i < bytes.len()
                        && (bytes[i].is_ascii_alphanumeric()
                            || bytes[i] == b'\''
                            || bytes[i] == b'&')
                    {
                        i += 1;
                    }
                } else {
                    i += 1;
                }
                continue;
            }
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
                Some(
                    b'@' | b'#'
                        | b'/'
                        | b'.'
                        | b'_'
                        | b'-'
                        | b'='
                        | b'&'
                        | b'['
                        | b'{'
                        | b'<'
                        | b'%'
                )
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
            if !attached && is_word(bare) {
                let long = letters >= 4 || STRESSED.contains(&bare);
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

    proptest::proptest! {
        #[test]
        fn the_word_at_a_time_pre_check_is_exact(text in "([aAZz@\\[`{!?(<_ Éé\u{c0}\u{e0}]|aaa|ZZ|!!){0,30}") {
            proptest::prop_assert_eq!(needs(text.as_bytes()), needs_reference(text.as_bytes()));
        }

        #[test]
        fn caps_runs_finds_what_the_byte_scan_found(
            text in "([aAzZ1'&@#/._\\-\\[\\]{}<>%=\n é]|THIS|IS|LATE|YOU|DID|iPhone|NASA|ASAP|UPS|A|I|'S| ){0,40}"
        ) {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            caps_runs(&text, is_word, &mut fast);
            caps_runs_reference(&text, &mut slow);
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn pre_check_examples() {
        for text in [
            "",
            "aaaa",
            "xxxxxxxxxxxxaaaa",
            "AAAAAAAAAAAA",
            "xxxxxxxxxxx!?",
            "@@@@[[[[````{{{{",
            "soooo much",
            "ÀÀÀÀàààà",
            "(",
            "xxxxxxxxxxxxxxxxxxxxxxxxx_",
            "xxxxxxx!?xxxxxxxxxx",
            "xxxxxxxAAxxxxxxxxxx",
            "xxxxxxxxxxxxxxxA",
            "xxxxxxxxxxxA",
            "xxxxxxxxxxxAB",
            "xxxxxxxxxxxxxxxxxxx!",
            "xxxxxxxxxxx!?",
            "xxxxxxxxxxxxxxxxxxxxaaaa",
        ] {
            assert_eq!(
                needs(text.as_bytes()),
                needs_reference(text.as_bytes()),
                "{text}"
            );
        }
    }
}
