//! Masking personal data in what the output repeats (`--redact`): e-mail
//! addresses, URLs, card numbers, phone numbers and account numbers in a
//! turn's text are shown as `[email]`, `[url]`, `[card]`, `[phone]` and
//! `[account]`. Only the text shown is masked: spans and offsets stay those
//! of the original input.
//!
//! What it catches: e-mail addresses (`name@domain.tld`); URLs starting
//! with `http://`, `https://` or `www.`; numbers of 13 to 19 digits, with or
//! without spaces or dashes, that pass the Luhn check (card numbers); phone
//! numbers (7 to 15 digits with `+`, brackets, spaces, dots or dashes
//! between groups, or 10 or 11 digits in a row); IBANs and any other run of
//! 8 or more digits (account numbers). What it cannot catch: names, postal
//! addresses, dates of birth, numbers written in words or split across
//! turns, account numbers shorter than 8 digits, and e-mail addresses
//! written to dodge filters ("jane at example dot com"). ISO dates
//! (`2024-05-01`) are left as they are.
//!
//! The patterns run on the `regex` crate, whose matching is linear in the
//! text whatever it holds.

use regex::Regex;
use std::borrow::Cow;
use std::ops::Range;
use std::sync::LazyLock;

/// The kinds of personal data masked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pii {
    /// An e-mail address.
    Email,
    /// A URL.
    Url,
    /// A payment card number (Luhn-valid).
    Card,
    /// A phone number.
    Phone,
    /// An IBAN or another long account number.
    Account,
}

impl Pii {
    /// The mask shown in place of the data.
    pub fn mask(self) -> &'static str {
        match self {
            Pii::Email => "[email]",
            Pii::Url => "[url]",
            Pii::Card => "[card]",
            Pii::Phone => "[phone]",
            Pii::Account => "[account]",
        }
    }
}

/// A stretch of personal data in a text: byte range and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// Byte offset of its start.
    pub start: usize,
    /// Byte offset of its end (exclusive).
    pub end: usize,
    /// What it is.
    pub kind: Pii,
}

/// One pattern for every kind, tried in this order at each position.
static PATTERN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<url>\b(?:[hH][tT][tT][pP][sS]?://|[wW][wW][wW]\.)[^\s<>()\[\]{}]+)",
        r"|(?P<email>[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,})",
        r"|(?P<iban>\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]{4}){3,7}(?: ?[A-Z0-9]{1,3})?\b)",
        r"|(?P<num>(?:\+[0-9]{1,3}[ .-]?)?(?:\([0-9]{1,5}\)[ .-]?)?[0-9](?:[ .-]?[0-9]){6,22})",
    ))
    .ok()
});

/// The personal data in `text`, in order, not overlapping.
pub fn find(text: &str) -> Vec<Found> {
    let Some(re) = PATTERN.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for caps in re.captures_iter(text) {
        let (m, kind) = if let Some(m) = caps.name("url") {
            // a sentence's closing punctuation is not part of the URL
            let trimmed = m
                .as_str()
                .trim_end_matches(['.', ',', ';', ':', '!', '?', '\'', '"']);
            (m.start()..m.start() + trimmed.len(), Some(Pii::Url))
        } else if let Some(m) = caps.name("email") {
            (m.range(), Some(Pii::Email))
        } else if let Some(m) = caps.name("iban") {
            (m.range(), Some(Pii::Account))
        } else if let Some(m) = caps.name("num") {
            (m.range(), number_kind(m.as_str()))
        } else {
            continue;
        };
        if let Some(kind) = kind {
            // digits glued to letters ("A1234567B", a product code) are not a number
            let bytes = text.as_bytes();
            let glued = kind != Pii::Url
                && kind != Pii::Email
                && (m.start > 0 && bytes[m.start - 1].is_ascii_alphabetic()
                    || bytes.get(m.end).is_some_and(u8::is_ascii_alphabetic));
            if !glued && m.start < m.end {
                out.push(Found {
                    start: m.start,
                    end: m.end,
                    kind,
                });
            }
        }
    }
    out
}

/// What a run of digits is, if it is personal data.
fn number_kind(s: &str) -> Option<Pii> {
    let digits: Vec<u8> = s
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    let n = digits.len();
    let plain = s.bytes().all(|b| b.is_ascii_digit());
    let iso_date = s.len() == 10
        && s.as_bytes()[4] == b'-'
        && s.as_bytes()[7] == b'-'
        && s.bytes().filter(|&b| b == b'-').count() == 2;
    if iso_date {
        return None;
    }
    if (13..=19).contains(&n) && luhn(&digits) {
        return Some(Pii::Card);
    }
    let phone_like = s.starts_with('+') || s.contains('(');
    if phone_like && (7..=15).contains(&n) {
        return Some(Pii::Phone);
    }
    if plain {
        return match n {
            10 | 11 => Some(Pii::Phone),
            n if n >= 8 => Some(Pii::Account),
            _ => None,
        };
    }
    match n {
        7..=15 => Some(Pii::Phone),
        _ => Some(Pii::Account),
    }
}

/// The Luhn checksum of card numbers.
fn luhn(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

/// `text[range]` with the personal data in `found` (found in the whole of
/// `text`) masked: each stretch that meets the range is shown as its mask,
/// once, where it starts within the range.
pub fn mask<'t>(text: &'t str, range: Range<usize>, found: &[Found]) -> Cow<'t, str> {
    let piece = &text[range.clone()];
    let first = found.partition_point(|f| f.end <= range.start);
    let meets = found[first..]
        .iter()
        .take_while(|f| f.start < range.end)
        .filter(|f| f.end > range.start);
    let mut out = String::new();
    let mut at = range.start;
    let mut any = false;
    for f in meets {
        any = true;
        let start = f.start.max(range.start);
        if start > at {
            out.push_str(&text[at..start]);
        }
        out.push_str(f.kind.mask());
        at = f.end.min(range.end);
    }
    if !any {
        return Cow::Borrowed(piece);
    }
    out.push_str(&text[at..range.end]);
    Cow::Owned(out)
}

/// The whole of `text` masked.
pub fn redact(text: &str) -> Cow<'_, str> {
    let found = find(text);
    mask(text, 0..text.len(), &found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_shaped_personal_data_is_masked_by_kind() {
        let cases = [
            (
                "Email me at jane.doe+orders@example.co.uk.",
                "Email me at [email].",
            ),
            (
                "write to J_Smith@mail-host.io, thanks",
                "write to [email], thanks",
            ),
            (
                "see https://shop.example.com/orders?id=991&x=1.",
                "see [url].",
            ),
            ("go to www.example.org/help!", "go to [url]!"),
            (
                "card 4111 1111 1111 1111 exp 12/27",
                "card [card] exp 12/27",
            ),
            ("card 4111-1111-1111-1111", "card [card]"),
            ("card 5500005555555559", "card [card]"),
            ("call +44 20 7946 0958 today", "call [phone] today"),
            ("call (555) 123-4567", "call [phone]"),
            ("call 555.123.4567 or 5551234567", "call [phone] or [phone]"),
            (
                "IBAN GB82 WEST 1234 5698 7654 32 please",
                "IBAN [account] please",
            ),
            ("account 12345678 is frozen", "account [account] is frozen"),
            (
                "card 4111 1111 1111 1112 (a typo)",
                "card [account] (a typo)",
            ),
        ];
        for (input, expected) in cases {
            assert_eq!(redact(input), expected, "{input}");
        }
    }

    #[test]
    fn ordinary_text_and_short_numbers_are_left_alone() {
        for text in [
            "Order #5521 arrived on 2024-05-01 at 10:30.",
            "It cost £89.99, twice, on 12/05/2024.",
            "The tracking code is 1Z999AA10123456784.",
            "I'm sorry, but per our policy we cannot refund.",
            "Model X200 and PS4 and a 3-2-1 offer",
            "",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn a_range_is_masked_with_the_data_found_in_the_whole_text() {
        let text = "Mail jane@example.com now";
        let found = find(text);
        // a range cutting the address still masks what it holds
        assert_eq!(mask(text, 0..9, &found), "Mail [email]");
        assert_eq!(mask(text, 8..25, &found), "[email] now");
        assert_eq!(mask(text, 21..25, &found), " now");
    }

    #[test]
    fn hostile_texts_are_handled_whole() {
        let long_at = "a@".repeat(100_000);
        let long_digits = "1 ".repeat(100_000);
        let long_url = format!("http://{}", "x".repeat(1_000_000));
        let dots = "a.".repeat(100_000) + "@b";
        let mixed = "+(1) ".repeat(50_000);
        for text in [&long_at, &long_digits, &long_url, &dots, &mixed] {
            let out = redact(text);
            assert!(!out.is_empty());
            // masks replace, never add data: every digit run left is short
            let longest_digits = out
                .split(|c: char| !c.is_ascii_digit())
                .map(str::len)
                .max()
                .unwrap_or(0);
            assert!(longest_digits < 8, "{}", &out[..out.len().min(80)]);
        }
        assert_eq!(redact(&long_url), "[url]");
        // "1 1 1 ..." is one long number (an account number), masked
        assert!(redact(&long_digits).contains("[account]"));
    }
}
