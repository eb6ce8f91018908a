//! Text model: the normalized view used for matching, words and sentences.
//!
//! Matching runs on a *normalized view* of each turn: ASCII and simple Unicode
//! letters are lower-cased, curly quotes and apostrophes are straightened, every
//! run of whitespace (line breaks, tabs, non-breaking spaces) becomes one space
//! and zero-width characters are dropped. Every byte of the view remembers the
//! byte of the original text it came from, so a match in the view maps back to
//! an exact [`Span`] of the original.

use crate::span::Span;
use unicode_segmentation::UnicodeSegmentation;

pub(crate) mod emphasis;
pub(crate) mod find;
mod graphemes;

pub use graphemes::grapheme_span;
pub(crate) use graphemes::whole_marks;

/// A normalized, matchable view of a text with an exact map back to it.
///
/// The buffers are reused: call [`Normalized::reset`] for each new text to
/// avoid allocating per turn.
///
/// ```
/// use tactful::text::Normalized;
/// let original = "I’m  SORRY,\nbut";
/// let view = Normalized::of(original);
/// assert_eq!(view.as_str(), "i'm sorry, but");
/// let at = view.as_str().find("sorry, but").unwrap();
/// let span = view.to_original(at, at + "sorry, but".len());
/// assert_eq!(&original[span.range()], "SORRY,\nbut");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    text: String,
    /// The map back to the original, in pieces: `(at, from)` says that
    /// byte `at + k` of `text` came from the character at original byte
    /// `from + k`, until the next piece (the last piece starts at
    /// `text.len()`, at the original length). Ascending; a plain ASCII run
    /// is one piece, so most bytes cost no entry.
    segments: Vec<(u32, u32)>,
    /// Positions in `text` of folded spaces that held a line break ending a
    /// sentence (not a line wrapped mid-sentence), ascending.
    breaks: Vec<u32>,
}

impl Normalized {
    /// An empty view with no allocation yet.
    pub fn new() -> Normalized {
        Normalized::default()
    }

    /// The normalized view of `original`.
    pub fn of(original: &str) -> Normalized {
        let mut n = Normalized::new();
        n.reset(original);
        n
    }

    /// Replaces the view with the normalized form of `original`, reusing the buffers.
    pub fn reset(&mut self, original: &str) {
        // built as a `String` from whole characters and slices of `original`
        // at character boundaries, so it needs no UTF-8 check at the end
        let mut text = std::mem::take(&mut self.text);
        text.clear();
        self.segments.clear();
        self.breaks.clear();
        text.reserve(original.len());
        let map = &mut self.segments;
        let breaks = &mut self.breaks;
        let mut in_space = false;
        let mut newlines = 0usize;
        let bytes = original.as_bytes();
        let n = bytes.len();
        let mut i = 0;
        while i < n {
            let b = bytes[i];
            if b.is_ascii() {
                if PLAIN[b as usize] {
                    if in_space && newlines > 0 {
                        end_line_run(text.as_bytes(), breaks, newlines, b.is_ascii_lowercase());
                    }
                    in_space = false;
                    // a run of plain ASCII, single spaces between plain bytes
                    // included (they fold to themselves): copy, lower-case and
                    // map in bulk
                    let mut run = i + 1;
                    // sixteen bytes at a time (a fold the compiler
                    // vectorizes), then eight, while each is plain, or a
                    // space before a plain byte
                    while let Some(w) = bytes.get(run..run + 17) {
                        if !plain_block(w) {
                            break;
                        }
                        run += 16;
                    }
                    while run + 9 <= n {
                        let x = load8(bytes, run);
                        let space = zero_bytes(x ^ splat(b' '));
                        let stop = not_plain(x);
                        // the same masks of the byte after each: these
                        // shifted, and the ninth byte (a space is not plain)
                        let ninth = bytes[run + 8];
                        let ninth_stops = ninth >= 0x80 || !PLAIN[ninth as usize];
                        let space_after = stop >> 8 | u64::from(ninth_stops) << 63;
                        if stop & !space != 0 || space & space_after != 0 {
                            break;
                        }
                        run += 8;
                    }
                    while run < n {
                        let c = bytes[run];
                        if PLAIN[c as usize & 0x7f] && c < 0x80 {
                            run += 1;
                        } else if c == b' '
                            && run + 1 < n
                            && bytes[run + 1] < 0x80
                            && PLAIN[bytes[run + 1] as usize]
                        {
                            run += 2;
                        } else {
                            break;
                        }
                    }
                    note(map, text.len(), i);
                    // (copied as it is: lower-cased with the rest at the end)
                    // (`i` and `run` are at ASCII bytes or the end: boundaries)
                    text.push_str(&original[i..run]);
                    i = run;
                } else if b.is_ascii_whitespace() {
                    if !in_space {
                        text.push(' ');
                        note(map, text.len() - 1, i);
                        in_space = true;
                        newlines = 0;
                    }
                    if b == b'\n' {
                        newlines += 1;
                    }
                    i += 1;
                } else {
                    // a backtick, as an apostrophe, or a control character
                    if in_space && newlines > 0 {
                        end_line_run(text.as_bytes(), breaks, newlines, false);
                    }
                    in_space = false;
                    text.push(char::from(if b == b'`' { b'\'' } else { b }));
                    note(map, text.len() - 1, i);
                    i += 1;
                }
                continue;
            }
            // Non-ASCII: decode one char. `original` is a `str`, so `i` is a char boundary.
            let c = original[i..].chars().next().unwrap_or('\u{FFFD}');
            let width = c.len_utf8();
            match classify(c) {
                Class::Drop => {}
                Class::Space => {
                    if !in_space {
                        text.push(' ');
                        note(map, text.len() - 1, i);
                        in_space = true;
                        newlines = 0;
                    }
                    if c == '\u{2028}' || c == '\u{2029}' || c == '\u{85}' {
                        newlines += 1;
                    }
                }
                Class::Apostrophe => {
                    if in_space && newlines > 0 {
                        end_line_run(text.as_bytes(), breaks, newlines, false);
                    }
                    text.push('\'');
                    note(map, text.len() - 1, i);
                    in_space = false;
                }
                Class::Quote => {
                    if in_space && newlines > 0 {
                        end_line_run(text.as_bytes(), breaks, newlines, false);
                    }
                    text.push('"');
                    note(map, text.len() - 1, i);
                    in_space = false;
                }
                Class::Keep => {
                    if in_space && newlines > 0 {
                        end_line_run(text.as_bytes(), breaks, newlines, c.is_lowercase());
                    }
                    let mut lower = c.to_lowercase();
                    let out = match (lower.next(), lower.next()) {
                        (Some(l), None) => l,
                        _ => c,
                    };
                    let out_len = out.len_utf8();
                    text.push(out);
                    for k in 0..out_len {
                        note(map, text.len() - out_len + k, i);
                    }
                    in_space = false;
                }
            }
            i += width;
        }
        note(map, text.len(), original.len());
        // the plain runs were copied in their case; every other ASCII byte
        // pushed is no letter, and a non-ASCII character is pushed lower-cased
        // as a whole (its bytes are no ASCII): one pass lower-cases the runs
        // (`make_ascii_lowercase` is branch-free: the compiler vectorizes it)
        text.make_ascii_lowercase();
        self.text = text;
    }

    /// Whether a line break lies in the normalized range `start..end`.
    pub fn has_break(&self, start: usize, end: usize) -> bool {
        let i = self.breaks.partition_point(|&b| (b as usize) < start);
        self.breaks.get(i).is_some_and(|&b| (b as usize) < end)
    }

    /// Positions of the spaces that stand for line breaks, ascending.
    pub fn breaks(&self) -> &[u32] {
        &self.breaks
    }

    /// The normalized text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Maps a byte range of the normalized text back to the original text.
    ///
    /// `start..end` must be within the view; the result starts at the first
    /// original character that produced `start` and ends right after the
    /// original character that produced `end - 1`.
    pub fn to_original(&self, start: usize, end: usize) -> Span {
        let len = self.text.len();
        let start = start.min(len);
        let end = end.clamp(start, len);
        if start == end {
            let at = self.map_at(start);
            return Span::new(at, at);
        }
        Span::new(self.map_at(start), self.map_at(end))
    }

    /// The original byte offset of the character that produced byte `at`
    /// (`at <= len`) of the view; for `at == len`, the original length.
    fn map_at(&self, at: usize) -> usize {
        let i = self
            .segments
            .partition_point(|&(from, _)| from as usize <= at);
        match i.checked_sub(1).map(|i| self.segments[i]) {
            Some((from, orig)) => orig as usize + (at - from as usize),
            None => 0,
        }
    }

    /// The original byte offset that produced normalized byte `at` (or the
    /// original length for `at == len`).
    pub fn original_offset(&self, at: usize) -> usize {
        self.map_at(at.min(self.text.len()))
    }
}

/// Records that byte `at` of the view came from original byte `from`: a
/// new piece of the map unless it continues the last one.
#[inline]
fn note(segments: &mut Vec<(u32, u32)>, at: usize, from: usize) {
    let (at, from) = (at as u32, from as u32);
    if let Some(&(a, f)) = segments.last() {
        if from.wrapping_sub(f) == at - a {
            return;
        }
    }
    segments.push((at, from));
}

/// Called at the end of a whitespace run that held line breaks: records a
/// sentence break unless the line was wrapped mid-sentence (a single break
/// after a comma or before a lowercase word). `text` ends with the folded space.
fn end_line_run(text: &[u8], breaks: &mut Vec<u32>, newlines: usize, next_is_lower: bool) {
    // the folded space is the last byte; the characters that mark a wrap are
    // ASCII, so the byte before it is enough
    let at = text.len() - 1;
    let before = at.checked_sub(1).map(|p| text[p]);
    let wrapped = newlines == 1
        && (next_is_lower || matches!(before, Some(b',' | b';' | b'-' | b'&' | b'(')));
    if !wrapped {
        breaks.push(at as u32);
    }
}

/// ASCII bytes that are copied as they are (lower-cased): printable, not
/// white space, not a backtick.
const PLAIN: [bool; 128] = {
    let mut t = [false; 128];
    let mut b = 0x21;
    while b < 0x7f {
        t[b] = b != b'`' as usize;
        b += 1;
    }
    t
};

/// Whether each of the first 16 bytes of `w` (17 bytes: the last is the
/// byte after them) is [`PLAIN`], or a space before a plain byte: a block
/// that a plain run goes on through. Written as a fold over the block, with
/// no early exit, so that it compiles to a few vector operations.
#[inline]
fn plain_block(w: &[u8]) -> bool {
    let plain = |c: u8| c.wrapping_sub(0x21) < 0x5e && c != b'`';
    let mut bad = 0u8;
    for k in 0..16 {
        let (c, next) = (w[k], w[k + 1]);
        let ok = plain(c) | ((c == b' ') & plain(next));
        bad |= u8::from(!ok);
    }
    bad == 0
}

/// Whether `hay` starts with `prefix`, ASCII letters compared without case
/// ("Sorry for", "sorry for").
#[inline]
pub(crate) fn starts_with_ignore_case(hay: &[u8], prefix: &[u8]) -> bool {
    hay.get(..prefix.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(prefix))
}

/// The flags of 64 bytes (each 0 or 1) as the bits of a word: bit `k` is
/// flag `k`. Eight flags at a time: a multiplication gathers each byte's low
/// bit into the top byte (each partial product lands on a bit of its own,
/// so no carries). With the flags computed by a branch-free loop, this is a
/// vector compare and a few multiplications per 64 bytes.
pub(crate) fn bits64(flags: &[u8; 64]) -> u64 {
    let mut mask = 0u64;
    for (k, eight) in flags.chunks_exact(8).enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(eight);
        let bits = u64::from_le_bytes(w).wrapping_mul(0x0102_0408_1020_4080) >> 56;
        mask |= bits << (8 * k);
    }
    mask
}

const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
const HI: u64 = 0x8080_8080_8080_8080;

const fn splat(b: u8) -> u64 {
    (b as u64) * 0x0101_0101_0101_0101
}

fn load8(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

/// The high bit of each byte of `x` that is zero.
fn zero_bytes(x: u64) -> u64 {
    !(((x & LO7).wrapping_add(LO7)) | x) & HI
}

/// The high bit of each byte of `x` that is not [`PLAIN`] (space included).
fn not_plain(x: u64) -> u64 {
    let below_bang = !((x & LO7).wrapping_add(splat(0x80 - 0x21))) & HI;
    (x & HI) | below_bang | zero_bytes(x ^ splat(0x7f)) | zero_bytes(x ^ splat(b'`'))
}

enum Class {
    Keep,
    Drop,
    Space,
    Apostrophe,
    Quote,
}

fn classify(c: char) -> Class {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' | '\u{2032}'
        | '\u{FF07}' => Class::Apostrophe,
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}'
        | '\u{00BB}' | '\u{FF02}' => Class::Quote,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' => Class::Drop,
        c if c.is_whitespace() => Class::Space,
        _ => Class::Keep,
    }
}

/// Whether `c` counts as part of a word for phrase boundaries.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// A word or other segment of a text, borrowed, with its byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// The token's text.
    pub text: &'a str,
    /// Where it lies in the text it came from.
    pub span: Span,
}

impl Token<'_> {
    /// Whether the token holds a letter or digit (a word, not punctuation or space).
    pub fn is_word(&self) -> bool {
        self.text.chars().any(char::is_alphanumeric)
    }
}

/// The words and other segments of `text` by Unicode word boundaries (UAX #29).
pub fn tokens(text: &str) -> impl Iterator<Item = Token<'_>> {
    text.split_word_bound_indices().map(|(at, t)| Token {
        text: t,
        span: Span::new(at, at + t.len()),
    })
}

/// Only the word tokens of `text` (no spaces or punctuation).
pub fn words(text: &str) -> impl Iterator<Item = Token<'_>> {
    tokens(text).filter(Token::is_word)
}

/// The sentences of `text` by Unicode sentence boundaries (UAX #29), each
/// without its trailing whitespace.
pub fn sentences(text: &str) -> impl Iterator<Item = Span> + '_ {
    text.split_sentence_bound_indices().filter_map(|(at, s)| {
        let trimmed = s.trim_end();
        if trimmed.trim_start().is_empty() {
            return None;
        }
        let lead = trimmed.len() - trimmed.trim_start().len();
        Some(Span::new(at + lead, at + trimmed.len()))
    })
}

/// The first sentence of `text`: up to the first `.`, `!` or `?` followed by
/// white space, or the first line break, without surrounding white space.
/// A cheap stand-in for the first item of [`sentences`].
pub fn first_sentence(text: &str) -> Span {
    let lead = text.len() - text.trim_start().len();
    let bytes = text.as_bytes();
    let mut end = bytes.len();
    let mut i = lead;
    // (from one line break or mark to the next: the bytes between are
    // passed over eight at a time)
    while let Some(k) = next_mark(bytes, i) {
        if bytes[k] == b'\n' {
            end = k;
            break;
        }
        let mut j = k + 1;
        while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?') {
            j += 1;
        }
        if j == bytes.len() || bytes[j].is_ascii_whitespace() {
            end = j;
            break;
        }
        i = j;
    }
    let trimmed = text[lead..end].trim_end();
    Span::new(lead, lead + trimmed.len())
}

/// Whether byte `i` of `bytes` ends a sentence: a `.`, `!` or `?` that is
/// not inside a number, a version or an address ("2.5", "3.8.2",
/// "site.com", "page?id=4": a mark with a letter or digit on both sides).
pub fn ends_sentence_at(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i), Some(b'.' | b'!' | b'?'))
        && !(i > 0
            && bytes[i - 1].is_ascii_alphanumeric()
            && bytes.get(i + 1).is_some_and(u8::is_ascii_alphanumeric))
}

/// The first byte at or after `from` that is a line break or a sentence
/// mark (`\n`, `.`, `!`, `?`), eight bytes at a time: the searches for the
/// end of a sentence stop only there (a byte at a time, with a test of
/// each, they cost about eight instructions a byte).
pub(crate) fn next_mark(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= bytes.len() {
        let x = load8(bytes, i);
        let marks = zero_bytes(x ^ splat(b'\n'))
            | zero_bytes(x ^ splat(b'.'))
            | zero_bytes(x ^ splat(b'!'))
            | zero_bytes(x ^ splat(b'?'));
        if marks != 0 {
            return Some(i + marks.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    bytes
        .get(i..)?
        .iter()
        .position(|b| matches!(b, b'\n' | b'.' | b'!' | b'?'))
        .map(|k| i + k)
}

/// The first byte at or after `from` that ends a sentence or a line: a line
/// break, or a mark [`ends_sentence_at`] accepts (the matcher looks for the
/// end of the sentence of each hit whose pattern wants a sentence type).
pub(crate) fn next_sentence_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    loop {
        i = next_mark(bytes, i)?;
        if bytes[i] == b'\n' || ends_sentence_at(bytes, i) {
            return Some(i);
        }
        i += 1;
    }
}

/// The sentence of `text` that contains byte `at` (or the whole trimmed text).
pub fn sentence_at(text: &str, at: usize) -> Span {
    let mut last = Span::new(0, text.len());
    for s in sentences(text) {
        last = s;
        if (at as u32) < s.end {
            return s;
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn the_next_sentence_end_is_the_first_a_byte_at_a_time_finds(
            text in "(a|1|x.y|2.5|\\.|!|\\?|\n| |é|\u{2028}){0,40}"
        ) {
            let bytes = text.as_bytes();
            for from in 0..=bytes.len() {
                let want = (from..bytes.len())
                    .find(|&i| bytes[i] == b'\n' || ends_sentence_at(bytes, i));
                proptest::prop_assert_eq!(next_sentence_end(bytes, from), want);
            }
        }

        #[test]
        fn the_first_sentence_is_the_one_a_byte_at_a_time_finds(
            text in "(a|1|x.y|2.5|\\.|!|\\?|\n| |\t|é|\u{2028}){0,40}"
        ) {
            proptest::prop_assert_eq!(first_sentence(&text), first_sentence_by_bytes(&text));
        }
    }

    /// [`first_sentence`] as first written, a byte at a time.
    fn first_sentence_by_bytes(text: &str) -> Span {
        let lead = text.len() - text.trim_start().len();
        let bytes = text.as_bytes();
        let mut end = bytes.len();
        let mut i = lead;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => {
                    end = i;
                    break;
                }
                b'.' | b'!' | b'?' => {
                    let mut j = i + 1;
                    while j < bytes.len() && matches!(bytes[j], b'.' | b'!' | b'?') {
                        j += 1;
                    }
                    if j == bytes.len() || bytes[j].is_ascii_whitespace() {
                        end = j;
                        break;
                    }
                    i = j;
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        let trimmed = text[lead..end].trim_end();
        Span::new(lead, lead + trimmed.len())
    }

    #[test]
    fn bits64_sets_the_bit_of_each_flag() {
        let mut flags = [0u8; 64];
        assert_eq!(bits64(&flags), 0);
        for k in 0..64 {
            flags[k] = 1;
            let expected = (0..=k).fold(0u64, |m, j| m | 1 << j);
            assert_eq!(bits64(&flags), expected);
            let mut one = [0u8; 64];
            one[k] = 1;
            assert_eq!(bits64(&one), 1 << k);
        }
        let odd: [u8; 64] = std::array::from_fn(|k| u8::from(k % 3 == 1));
        assert_eq!(
            bits64(&odd),
            (0..64).filter(|k| k % 3 == 1).fold(0, |m, k| m | 1 << k)
        );
    }

    fn check_map(original: &str) {
        let n = Normalized::of(original);
        let norm = n.as_str();
        // every char start of the view maps to a char boundary of the original
        for (i, _) in norm.char_indices() {
            let span = n.to_original(i, norm.len());
            assert!(original.is_char_boundary(span.start as usize));
            assert!(original.is_char_boundary(span.end as usize));
        }
    }

    #[test]
    fn folds_case_quotes_and_space() {
        let n = Normalized::of("  Per OUR\r\n\tpolicy, I’m “sure”");
        assert_eq!(n.as_str(), " per our policy, i'm \"sure\"");
    }

    #[test]
    fn maps_back_exactly_across_folded_whitespace() {
        let original = "we are\n\n   UNABLE to";
        let n = Normalized::of(original);
        let at = n.as_str().find("are unable").unwrap();
        let span = n.to_original(at, at + "are unable".len());
        assert_eq!(&original[span.range()], "are\n\n   UNABLE");
    }

    #[test]
    fn maps_back_around_multibyte_chars() {
        let original = "Ça — I’m sorry ÉTÉ";
        let n = Normalized::of(original);
        assert_eq!(n.as_str(), "ça — i'm sorry été");
        let at = n.as_str().find("i'm").unwrap();
        let span = n.to_original(at, at + 3);
        assert_eq!(&original[span.range()], "I’m");
        let at = n.as_str().find("été").unwrap();
        let span = n.to_original(at, n.as_str().len());
        assert_eq!(&original[span.range()], "ÉTÉ");
        check_map(original);
    }

    #[test]
    fn remembers_line_breaks() {
        let n = Normalized::of("Hi,\r\n\r\nSorry  for that");
        assert_eq!(n.as_str(), "hi, sorry for that");
        assert!(n.has_break(0, 5));
        assert!(!n.has_break(5, n.as_str().len()));
        // a line wrapped mid-sentence is not a break
        let n = Normalized::of("We apologise,\nhowever we\ncannot.\nThanks");
        assert_eq!(n.breaks().len(), 1);
        assert_eq!(&n.as_str()[n.breaks()[0] as usize + 1..], "thanks");
    }

    /// The normalization as first written (one character at a time), to
    /// check the bulk ASCII paths against.
    fn reference(original: &str) -> (String, Vec<u32>, Vec<u32>) {
        let (mut text, mut map, mut breaks) = (String::new(), Vec::new(), Vec::new());
        let end_line_run = |text: &String, breaks: &mut Vec<u32>, newlines: usize, lower: bool| {
            let at = text.len() - 1;
            let before = text[..at].chars().next_back();
            let wrapped =
                newlines == 1 && (lower || matches!(before, Some(',' | ';' | '-' | '&' | '(')));
            if !wrapped {
                breaks.push(at as u32);
            }
        };
        let (mut in_space, mut newlines) = (false, 0);
        for (i, c) in original.char_indices() {
            let class = match c {
                '`' => Class::Apostrophe,
                c if c.is_ascii_whitespace() => Class::Space,
                c if c.is_ascii() => Class::Keep,
                c => classify(c),
            };
            match class {
                Class::Drop => {}
                Class::Space => {
                    if !in_space {
                        text.push(' ');
                        map.push(i as u32);
                        in_space = true;
                        newlines = 0;
                    }
                    if matches!(c, '\n' | '\u{2028}' | '\u{2029}' | '\u{85}') {
                        newlines += 1;
                    }
                }
                Class::Apostrophe | Class::Quote | Class::Keep => {
                    let (out, lower) = match class {
                        Class::Apostrophe => ('\'', false),
                        Class::Quote => ('"', false),
                        _ => {
                            let mut l = c.to_lowercase();
                            let out = match (l.next(), l.next()) {
                                (Some(l), None) => l,
                                _ => c,
                            };
                            (out, c.is_lowercase())
                        }
                    };
                    if in_space && newlines > 0 {
                        end_line_run(&text, &mut breaks, newlines, lower);
                    }
                    in_space = false;
                    for _ in 0..out.len_utf8() {
                        map.push(i as u32);
                    }
                    text.push(out);
                }
            }
        }
        map.push(original.len() as u32);
        (text, map, breaks)
    }

    #[test]
    fn word_masks_agree_with_the_byte_table() {
        for b in 0..=255u8 {
            let x = u64::from(b) << 24 | splat(b'a') & !(0xff << 24);
            let want = if b < 0x80 && PLAIN[b as usize] {
                0
            } else {
                0x80 << 24
            };
            assert_eq!(not_plain(x), want, "{b:#x}");
            assert_eq!(zero_bytes(x ^ splat(b)) >> 24 & 0x80, 0x80);
        }
    }

    proptest::proptest! {
        #[test]
        fn bulk_normalization_matches_the_reference(
            original in "([aZ9 ,;(&\\-`'\t\r\n\u{0b}\u{0c}\u{1}\u{7f}\u{a0}\u{2028}\u{85}\u{200b}’“ÉéȺİ😀]|[a-z]{1,9}|  | ){0,24}"
        ) {
            let n = Normalized::of(&original);
            let (text, map, breaks) = reference(&original);
            proptest::prop_assert_eq!(n.as_str(), text.as_str());
            let got: Vec<u32> = (0..=text.len()).map(|at| n.map_at(at) as u32).collect();
            proptest::prop_assert_eq!(&got, &map);
            proptest::prop_assert_eq!(n.breaks(), breaks.as_slice());
        }
    }

    #[test]
    fn drops_zero_width_characters() {
        let original = "so\u{200B}rry";
        let n = Normalized::of(original);
        assert_eq!(n.as_str(), "sorry");
        let span = n.to_original(0, 5);
        assert_eq!(&original[span.range()], original);
    }

    #[test]
    fn a_mark_inside_a_number_or_address_ends_no_sentence() {
        let ends = |t: &str| -> Vec<usize> {
            (0..t.len())
                .filter(|&i| ends_sentence_at(t.as_bytes(), i))
                .collect()
        };
        assert_eq!(
            ends("the 2.5 build, v3.8.2 or site.com/a?b=1"),
            Vec::<usize>::new()
        );
        assert_eq!(ends("Done. Why? Now!"), vec![4, 9, 14]);
        assert_eq!(ends("costs 4. 5 more"), vec![7]);
    }

    #[test]
    fn sentences_split_and_trim() {
        let text = "Sorry about that. We will fix it!  Thanks";
        let got: Vec<&str> = sentences(text).map(|s| &text[s.range()]).collect();
        assert_eq!(got, ["Sorry about that.", "We will fix it!", "Thanks"]);
        assert_eq!(&text[sentence_at(text, 20).range()], "We will fix it!");
    }

    #[test]
    fn first_sentence_stops_at_a_terminator_or_line_break() {
        let t = "  Hi there!! How are you?";
        assert_eq!(&t[first_sentence(t).range()], "Hi there!!");
        let t = "Dear Customer,\nThanks";
        assert_eq!(&t[first_sentence(t).range()], "Dear Customer,");
        let t = "see www.example.com now";
        assert_eq!(&t[first_sentence(t).range()], t);
        assert!(first_sentence("").is_empty());
    }

    #[test]
    fn words_skip_punctuation() {
        let got: Vec<&str> = words("I'm sorry, but no.").map(|t| t.text).collect();
        assert_eq!(got, ["I'm", "sorry", "but", "no"]);
    }
}
