//! The tokens phrases are matched on: words with their clitics split off, and
//! single punctuation characters, in a plain form for tools and tests and a
//! fast form for the matcher's hot loop.

/// Clitics split from the word before them: `i'm` is `i` + `'m`, `don't` is
/// `do` + `n't`, so `(i|we) ('d|would)` matches "i'd".
const CLITICS: [&str; 6] = ["s", "d", "ll", "ve", "re", "m"];

/// Splits one run into its word and clitic (ranges into the run).
pub(super) fn split_clitic(run: &str) -> Vec<(usize, usize)> {
    match clitic_start(run) {
        Some(p) => vec![(0, p), (p, run.len())],
        None => vec![(0, run.len())],
    }
}

/// Where the clitic of one run starts, if it has one ([`split_clitic`]
/// with nothing allocated).
fn clitic_start(run: &str) -> Option<usize> {
    let p = run.rfind('\'')?;
    let suffix = &run[p + 1..];
    if p > 0 && CLITICS.contains(&suffix) {
        return Some(p);
    }
    if p >= 2 && suffix == "t" && run[..p].ends_with('n') {
        return Some(p - 1);
    }
    None
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
pub(super) fn runs(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
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
    #[inline(always)]
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
            } else if let Some(token) = self.tail(i) {
                return token;
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

impl FastTokens<'_> {
    /// [`FastTokens::next_keyed`]'s fast path for the text's last bytes
    /// (`i` on, fewer than eight): read padded with NULs, a padding NUL told
    /// from a NUL of the text by where the text ends. The end of the text,
    /// a word of lower-case letters up to it or followed by punctuation,
    /// and a punctuation byte, are given as [`Iterator::next`] gives them;
    /// `None` for the rest.
    #[inline]
    fn tail(&mut self, i: usize) -> Option<Option<(usize, usize, u64)>> {
        let rest = self.text.as_bytes().get(i..)?;
        if rest.is_empty() {
            self.i = i;
            return Some(None);
        }
        let mut w = [0u8; 8];
        w.get_mut(..rest.len())?.copy_from_slice(rest);
        let x = u64::from_le_bytes(w);
        // (not 0: the padding is no letter)
        let stop = not_lower(x);
        let at = stop.trailing_zeros() & 56;
        let len = (at / 8) as usize;
        if len >= rest.len() {
            // letters up to the end (the padding's zeros are the key's)
            self.i = i + rest.len();
            return Some(Some((i, self.i, x)));
        }
        let end = (x >> at) as u8;
        if ENDS_WORD[end as usize] {
            if len > 0 {
                self.i = i + len;
                let key = x & ((stop ^ stop.wrapping_sub(1)) >> 8);
                return Some(Some((i, i + len, key)));
            }
            if end != b' ' {
                self.i = i + 1;
                return Some(Some((i, i + 1, u64::from(end))));
            }
        }
        None
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
            if let Some(p) = clitic_start(&text[start..i]) {
                self.pending = Some((start + p, i));
                return Some((start, start + p));
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

#[cfg(test)]
mod tests {
    use super::*;

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
            // the last bytes (fewer than eight) read padded
            "ok",
            "thanks.",
            "a . b",
            "x\0",
            "ab\0\0",
            "we're",
            "so !",
            "so  ",
            "abcdefg",
            "é",
            "hi é",
            "hi, a'",
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

        /// The agent's sentence models pass over a question's words by
        /// finding its `?` as a byte (`check_turn_findings`): each `.`,
        /// `!`, `?` and line break is a token of its own, and no token
        /// holds one inside it.
        #[test]
        fn sentence_marks_are_tokens_of_their_own(
            text in "[a-z A-Z09_'&,.!?\n\t@:/é’😀]{0,40}"
        ) {
            let marks: Vec<usize> = text
                .bytes()
                .enumerate()
                .filter(|&(_, b)| matches!(b, b'.' | b'!' | b'?' | b'\n'))
                .map(|(i, _)| i)
                .collect();
            let mut tokens = fast_tokens(&text);
            let mut got = Vec::new();
            while let Some((a, b, _)) = tokens.next_keyed() {
                let inside = marks.iter().filter(|&&i| a <= i && i < b).count();
                if inside > 0 {
                    proptest::prop_assert_eq!((inside, b - a), (1, 1));
                    got.push(a);
                }
            }
            proptest::prop_assert_eq!(got, marks);
        }
    }
}
