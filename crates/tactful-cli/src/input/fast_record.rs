//! The fast reader of JSON transcript records of the common shape: a
//! hand-written cursor that borrows strings without escapes and finds the
//! end of a string a word at a time. It gives up (`None`) on anything else,
//! which serde_json then reads ([`super::record`]).

use super::common::Item;
use super::record::DefaultId;
use std::borrow::Cow;
use tactful::{Role, Transcript, Turn};

/// Reads a record of the common shape faster than serde_json (whose string
/// scanning dominates): an object of `id`, `turns` (or an alias), `agent`,
/// `team` and `channel`, each turn an object of `role` and `text` (or their
/// aliases), `name` and `timestamp`, every value a string (`null` for the
/// optional ones). Any other record, and any record that is not valid JSON or
/// not a transcript, gives `None`, and is read by [`super::record::serde_record`], which
/// words the error: whatever this returns, serde_record returns the same.
///
/// It gives up on: a key with an escape, an unknown or repeated key (serde
/// rejects a field given twice, under an alias too), `metadata`, a number or
/// boolean where the loose fields take one, a control character in a string,
/// an escape other than the JSON ones, a `\u` surrogate that is not a high
/// one followed by a low one (serde rejects lone surrogates), an unknown role,
/// a missing `turns`, `role` or `text`, and trailing characters.
pub(super) fn fast_record<'a>(text: &'a str, default_id: DefaultId<'_>) -> Option<Item<'a>> {
    let mut p = Fast {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    p.eat(b'{')?;
    let (mut id, mut turns, mut agent, mut team, mut channel) = (None, None, None, None, None);
    let mut seen = 0u8;
    loop {
        let key = p.key()?;
        p.eat(b':')?;
        let bit = match key {
            "id" => {
                id = p.loose()?;
                1
            }
            "turns" | "messages" | "conversation" => {
                turns = Some(p.turns()?);
                2
            }
            "agent" => {
                agent = p.loose()?;
                4
            }
            "team" => {
                team = p.loose()?;
                8
            }
            "channel" => {
                channel = p.loose()?;
                16
            }
            _ => return None,
        };
        if !p.field_end(&mut seen, bit)? {
            break;
        }
    }
    p.ws();
    if p.i != p.b.len() {
        return None;
    }
    let mut transcript = Transcript::new(id.unwrap_or_else(|| Cow::Owned(default_id.written())));
    transcript.turns = turns?;
    transcript.agent = agent;
    transcript.team = team;
    transcript.channel = channel;
    Some(Item {
        transcript,
        metadata: None,
    })
}

/// The cursor of [`fast_record`]. Every method gives `None` to give up.
struct Fast<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Fast<'a> {
    /// Skips JSON whitespace.
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    fn bump(&mut self) -> Option<u8> {
        self.ws();
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    /// After a field's value: notes its `bit` in `seen` (a field given
    /// twice, under an alias too, gives up: serde rejects it) and reads `,`
    /// (true: another field follows) or `}` (false: the object ends).
    fn field_end(&mut self, seen: &mut u8, bit: u8) -> Option<bool> {
        if *seen & bit != 0 {
            return None;
        }
        *seen |= bit;
        match self.bump()? {
            b',' => Some(true),
            b'}' => Some(false),
            _ => None,
        }
    }

    /// Consumes `c` after whitespace.
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.bump()? == c).then_some(())
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// An object key: a string without escapes.
    fn key(&mut self) -> Option<&'a str> {
        if let Some(k) = self.short_plain() {
            return Some(k);
        }
        match self.string()? {
            Cow::Borrowed(k) => Some(k),
            Cow::Owned(_) => None,
        }
    }

    /// A string of at most 31 bytes without escapes at the cursor (after
    /// whitespace), its end found in the first four words after the quote
    /// with no call: the keys, roles, ids, stamps and names of a record, for
    /// which [`Fast::string`]'s search costs more than their few bytes.
    /// What it reads, `string` reads the same (borrowed, the cursor past
    /// it); anything else (a longer string, an escape, a control byte,
    /// fewer than 33 bytes left, no string) gives `None` with the cursor
    /// past the whitespace only, for `string` to read.
    fn short_plain(&mut self) -> Option<&'a str> {
        self.ws();
        let rest = self.b.get(self.i..self.i + 33)?;
        if rest[0] != b'"' {
            return None;
        }
        for word in (1..33).step_by(8) {
            // (the lowest mark of `special_word` is exact)
            let m = special_word(&rest[word..word + 8]);
            if m == 0 {
                continue;
            }
            let end = word + m.trailing_zeros() as usize / 8;
            if rest[end] != b'"' {
                return None;
            }
            let s = self.s.get(self.i + 1..self.i + end)?;
            self.i += end + 1;
            return Some(s);
        }
        None
    }

    /// A string (borrowed when it has no escapes), as serde_json reads it.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.i;
        let end = self.plain_run()?;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Some(Cow::Borrowed(self.s.get(start..end)?));
        }
        self.i = end;
        self.escaped(start)
    }

    /// The rest of a string from its first escape (at the cursor), `start`
    /// being where its text begins.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Option<Cow<'a, str>> {
        let mut out = String::with_capacity(self.i - start + 16);
        out.push_str(self.s.get(start..self.i)?);
        loop {
            // at a backslash
            let e = *self.b.get(self.i + 1)?;
            self.i += 2;
            out.push(match e {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let c = self.hex4()?;
                    match c {
                        0xD800..=0xDBFF => {
                            if self.b.get(self.i..self.i + 2)? != b"\\u" {
                                return None;
                            }
                            self.i += 2;
                            let low = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&low) {
                                return None;
                            }
                            char::from_u32(0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00))?
                        }
                        0xDC00..=0xDFFF => return None,
                        _ => char::from_u32(c)?,
                    }
                }
                _ => return None,
            });
            let start = self.i;
            let end = self.plain_run()?;
            out.push_str(self.s.get(start..end)?);
            self.i = end;
            if self.b[end] == b'"' {
                self.i = end + 1;
                return Some(Cow::Owned(out));
            }
        }
    }

    /// The end of the run of plain string bytes at the cursor: the index of
    /// the next `"` or `\\`, or `None` at the end of the input or at a
    /// control character (which JSON strings may not hold).
    fn plain_run(&self) -> Option<usize> {
        let rest = self.b.get(self.i..)?;
        let n = find_special(rest)?;
        (rest[n] >= 0x20).then_some(self.i + n)
    }

    /// Four hex digits of a `\\u` escape.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.i += 4;
        Some(v)
    }

    /// A string or `null` (none), for the loose fields; a number or a
    /// boolean gives up (serde_record formats them).
    fn loose(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => match self.short_plain() {
                Some(s) => Some(Some(Cow::Borrowed(s))),
                None => self.string().map(Some),
            },
            b'n' => {
                if self.b.get(self.i..self.i + 4)? != b"null" {
                    return None;
                }
                self.i += 4;
                Some(None)
            }
            _ => None,
        }
    }

    /// The turns array.
    fn turns(&mut self) -> Option<Vec<Turn<'a>>> {
        self.eat(b'[')?;
        let mut turns = Vec::with_capacity(4);
        if self.peek()? == b']' {
            self.i += 1;
            return Some(turns);
        }
        loop {
            turns.push(self.turn()?);
            match self.bump()? {
                b',' => {}
                b']' => return Some(turns),
                _ => return None,
            }
        }
    }

    /// One turn object.
    fn turn(&mut self) -> Option<Turn<'a>> {
        self.eat(b'{')?;
        let (mut role, mut text, mut name, mut timestamp) = (None, None, None, None);
        let mut seen = 0u8;
        loop {
            let key = self.key()?;
            self.eat(b':')?;
            let bit = match key {
                "role" | "speaker" | "sender" | "author" | "author_type" => {
                    role = Some(match self.short_plain() {
                        Some(r) => Cow::Borrowed(r),
                        None => self.string()?,
                    });
                    1
                }
                "text" | "message" | "body" | "content" => {
                    text = Some(self.string()?);
                    2
                }
                "name" => {
                    name = self.loose()?;
                    4
                }
                "timestamp" => {
                    timestamp = self.loose()?;
                    8
                }
                _ => return None,
            };
            if !self.field_end(&mut seen, bit)? {
                break;
            }
        }
        // the canonical names first, without Role::parse's normalizing
        let role = match role?.as_ref() {
            "customer" => Role::Customer,
            "agent" => Role::Agent,
            other => Role::parse(other)?,
        };
        let mut turn = Turn::new(role, text?);
        turn.name = name;
        turn.timestamp = timestamp;
        Some(turn)
    }
}

/// Whether a byte ends a run of plain bytes in a JSON string: a quote, a
/// backslash or a control character.
fn is_special(c: u8) -> bool {
    (c == b'"') | (c == b'\\') | (c < 0x20)
}

/// The special bytes ([`is_special`]) of 8 bytes, as the high bit of each in
/// a little-endian word. A byte above a special one may be marked too (a
/// borrow), never one below: the lowest mark is exact.
fn special_word(bytes: &[u8]) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    let mut a = [0u8; 8];
    a.copy_from_slice(bytes);
    let w = u64::from_le_bytes(a);
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * u64::from(b'\\'));
    let backslash = b.wrapping_sub(ONES) & !b;
    (control | quote | backslash) & (ONES << 7)
}

/// Index of the first special byte ([`is_special`]) of `b`, if any. (The
/// bytes JSON strings escape, so the JSON writers use it too.)
pub(crate) fn find_special(b: &[u8]) -> Option<usize> {
    // the first 16 bytes a word at a time: most strings are short
    let mut at = 0;
    while at < 16 && at + 8 <= b.len() {
        let m = special_word(&b[at..at + 8]);
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    if at == 16 {
        // then 16 bytes at a time (a fold, not `any`, and `|`, not `||`, so
        // that it is vectorized), and the word of the 16 that has it
        for chunk in b[16..].chunks_exact(16) {
            if chunk.iter().fold(false, |acc, &c| acc | is_special(c)) {
                let low = special_word(&chunk[..8]);
                let (word, m) = if low != 0 {
                    (0, low)
                } else {
                    (8, special_word(&chunk[8..]))
                };
                return Some(at + word + m.trailing_zeros() as usize / 8);
            }
            at += 16;
        }
    }
    b[at..].iter().position(|&c| is_special(c)).map(|n| at + n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::record::{parse_record, serde_record};

    /// parse_record gives exactly what serde_record gives (the same items,
    /// texts borrowed alike, the same errors), and says whether the fast
    /// reader took the record.
    fn same_as_serde(data: &str) -> bool {
        let fast = fast_record(data, DefaultId::Given("9"));
        let took = fast.is_some();
        let got = parse_record(data.as_bytes(), "9");
        let want = serde_record(data, DefaultId::Given("9"));
        match (got, want) {
            (Ok(g), Ok(w)) => {
                assert_eq!(g.transcript, w.transcript, "{data}");
                let borrowed = |t: &Transcript| {
                    t.turns
                        .iter()
                        .map(|t| matches!(t.text, Cow::Borrowed(_)))
                        .collect::<Vec<_>>()
                };
                assert_eq!(borrowed(&g.transcript), borrowed(&w.transcript), "{data}");
                assert_eq!(
                    g.metadata.map(|m| m.get().to_string()),
                    w.metadata.map(|m| m.get().to_string()),
                    "{data}"
                );
            }
            (Err(g), Err(w)) => {
                assert!(!took, "fast reader took a failing record: {data}");
                assert_eq!((g.id, g.message), (w.id, w.message), "{data}");
            }
            (g, w) => panic!("{data}: got ok={} want ok={}", g.is_ok(), w.is_ok()),
        }
        took
    }

    #[test]
    fn the_fast_reader_takes_the_common_shape_and_agrees_with_serde() {
        let taken = [
            r#"{"id": "a", "channel": "twitter", "team": "T", "turns": [{"role": "customer", "text": "hi", "timestamp": "2020"}, {"role": "agent", "text": "yo"}]}"#,
            r#" { "turns" : [ ] , "id" : null } "#,
            "{\"turns\":\t[\r\n{\"speaker\":\"User\",\"message\":\"a\\nb\"}]}",
            r#"{"messages": [{"sender": "rep", "body": "x", "name": null, "timestamp": null}], "agent": "A", "team": null}"#,
            r#"{"conversation": [{"author_type": " End_User ", "content": "q\"uote\\d \/ \b\f\r\t"}]}"#,
            r#"{"turns": [{"author": "bot", "text": "\u00e9\u0000\uD83D\uDE00 \ud83d\ude00x"}]}"#,
            r#"{"id": "\u0041-1", "turns": [{"text": "", "role": "agent", "name": "N\"ame"}]}"#,
            // special bytes on either side of 8- and 16-byte boundaries
            r#"{"turns": [{"role": "agent", "text": "0123456\"0123456789abcde\\f0123456789abcdef0123456789abcde\n"}]}"#,
            "{\"turns\": [{\"role\": \"agent\", \"text\": \"caf\u{e9} \u{1F600} \u{7f}\"}]}",
        ];
        for data in taken {
            assert!(same_as_serde(data), "not taken: {data}");
        }
        let left = [
            // numbers and booleans in loose fields, metadata, unknown fields
            r#"{"id": 42, "turns": []}"#,
            r#"{"id": -4.50e1, "turns": []}"#,
            r#"{"turns": [], "team": true}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "timestamp": 1700000000}]}"#,
            r#"{"turns": [], "metadata": {"a": [1, {"b": null}]}}"#,
            r#"{"turns": [], "metadata": null}"#,
            r#"{"turns": [], "extra": "x"}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "lang": "en"}]}"#,
            // keys with escapes, repeated keys (under aliases too)
            r#"{"turns": [{"role": "agent", "te\u0078t": "x"}]}"#,
            r#"{"id": "a", "id": "b", "turns": []}"#,
            r#"{"turns": [], "messages": []}"#,
            r#"{"turns": [{"role": "agent", "speaker": "customer", "text": "x"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "body": "y"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "name": "a", "name": null}]}"#,
            // surrogates: lone, reversed, broken
            r#"{"turns": [{"role": "agent", "text": "\ud83d"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\ud83dx"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\ude00\ud83d"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\ud83d\u0041"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\u12G4"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\x"}]}"#,
            // control characters, unknown roles, missing and wrong fields
            "{\"turns\": [{\"role\": \"agent\", \"text\": \"a\tb\"}]}",
            "{\"turns\": [{\"role\": \"agent\", \"text\": \"0123456789abcdef0123\nx\"}]}",
            r#"{"turns": [{"role": "narrator", "text": "x"}]}"#,
            r#"{"turns": [{"role": "Agent", "text": "x"}, {"role": "x", "text": "y"}]}"#,
            r#"{"turns": [{"role": "agent"}]}"#,
            r#"{"turns": [{"text": "x"}]}"#,
            r#"{"turns": [{}]}"#,
            r#"{"id": "a"}"#,
            r#"{}"#,
            r#"{"turns": null}"#,
            r#"{"turns": [{"role": 1, "text": "x"}]}"#,
            r#"{"turns": [{"role": "agent", "text": null}]}"#,
            r#"{"turns": [{"role": "agent", "text": ["x"]}]}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "name": nul}]}"#,
            r#"["a", []]"#,
            r#""x""#,
            // syntax: trailing commas and characters, truncation
            r#"{"turns": [],}"#,
            r#"{"turns": [{"role": "agent", "text": "x"},]}"#,
            r#"{"turns": [{"role": "agent", "text": "x",}]}"#,
            r#"{"turns": []} x"#,
            r#"{"turns": []}}"#,
            r#"{"turns": [{"role": "agent", "text": "x"}"#,
            r#"{"turns": [{"role": "agent", "text": "x"#,
            r#"{"turns": [{"role": "agent", "text": "x\"#,
            r#"{"turns": [{"role": "agent", "text": "x\u00"#,
            r#"{"turns" [] }"#,
            "",
        ];
        for data in left {
            assert!(!same_as_serde(data), "taken: {data}");
        }
    }

    #[test]
    fn short_strings_are_read_as_string_reads_them() {
        let long = format!("\"{}\"", "k".repeat(40));
        let cases = [
            r#""role""#,
            r#"  "author_type" , "#,
            r#""""#,
            r#""a\"b""#,
            r#""a\nb""#,
            "\"a\tb\"",
            "\"caf\u{e9}\"",
            "\"\u{7f}~ !\"",
            r#""0123456789abcdef0123456789abcdef""#,
            r#""0123456789abcdef0123456789abcdef0""#,
            r#""0123456789abcde" "#,
            r#""0123456789abcdef" "#,
            r#""2020-04-01T17:31:32.000Z", "text": "x""#,
            r#""0123456789abcdef0123456789abcde", "text": "x""#,
            r#""0123456789abcdef0123456789abcdef", "text": "x""#,
            r#""0123456789abcdef0123456789abcde\", "text": "x""#,
            r#""01234567" "#,
            r#""0123456" , "extra bytes""#,
            r#""customer", "text": "x""#,
            "\"caf\u{e9}\", \"text\": \"x\"",
            "\"a\u{1}b\", \"text\": \"x\"",
            r#""a\"b", "text": "x""#,
            long.as_str(),
            r#""unterminated"#,
            "x",
            "",
        ];
        for data in cases {
            let mut short = Fast {
                s: data,
                b: data.as_bytes(),
                i: 0,
            };
            let mut plain = Fast {
                s: data,
                b: data.as_bytes(),
                i: 0,
            };
            let want = plain.string();
            match short.short_plain() {
                Some(got) => {
                    assert_eq!(want, Some(Cow::Borrowed(got)), "{data:?}");
                    assert!(matches!(want, Some(Cow::Borrowed(_))), "{data:?}");
                    assert_eq!(short.i, plain.i, "{data:?}");
                }
                None => {
                    // left to `string`, which reads it as from the start
                    assert_eq!(short.string(), want, "{data:?}");
                    if want.is_some() {
                        assert_eq!(short.i, plain.i, "{data:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn find_special_finds_the_first_quote_backslash_or_control_byte() {
        let naive = |b: &[u8]| b.iter().position(|&c| is_special(c));
        for len in 0..70 {
            for at in 0..len {
                for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                    let mut b = vec![b'a'; len];
                    b[at] = special;
                    // special bytes after the first may not hide it
                    if at + 1 < len {
                        b[at + 1] = b'"';
                    }
                    assert_eq!(find_special(&b), Some(at), "{b:?}");
                }
                let mut b = vec![0xC3; len];
                b[at] = 0x20;
                assert_eq!(find_special(&b), None);
                assert_eq!(find_special(&b), naive(&b));
            }
        }
        assert!(!is_special(0x7f) && !is_special(0x80) && !is_special(b' '));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn find_special_agrees_with_a_byte_loop(b in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just(b'"'),
                proptest::prelude::Just(b'\\'),
                0u8..0x21,
                0x21u8..=0xff,
                0x21u8..=0xff,
                0x21u8..=0xff,
            ],
            0..80,
        )) {
            proptest::prop_assert_eq!(find_special(&b), b.iter().position(|&c| is_special(c)));
        }

        #[test]
        fn parse_record_agrees_with_serde_on_records_made_of_odd_pieces(
            fields in proptest::collection::vec((0usize..KEYS.len(), 0usize..VALUES.len()), 0..5),
            turns in proptest::collection::vec(
                proptest::collection::vec((0usize..TURN_KEYS.len(), 0usize..VALUES.len()), 0..5),
                0..4,
            ),
            ws in 0usize..WS.len(),
            turns_key in 0usize..3,
        ) {
            let w = WS[ws];
            let value = |v: usize| VALUES[v].to_string();
            let mut parts: Vec<String> = fields
                .iter()
                .map(|&(k, v)| format!("{}{w}:{w}{}", KEYS[k], value(v)))
                .collect();
            let turns: Vec<String> = turns
                .iter()
                .map(|t| {
                    let kv: Vec<String> = t
                        .iter()
                        .map(|&(k, v)| format!("{}{w}:{w}{}", TURN_KEYS[k], value(v)))
                        .collect();
                    format!("{{{w}{}{w}}}", kv.join(&format!("{w},{w}")))
                })
                .collect();
            let name = ["\"turns\"", "\"messages\"", "\"conversation\""][turns_key];
            parts.insert(fields.len() / 2, format!("{name}:{w}[{}]", turns.join(",")));
            let data = format!("{w}{{{}}}{w}", parts.join(&format!("{w},")));
            same_as_serde(&data);
        }
    }

    const WS: &[&str] = &["", " ", "\n\t", "\r "];
    const KEYS: &[&str] = &[
        "\"id\"",
        "\"id\"",
        "\"agent\"",
        "\"team\"",
        "\"channel\"",
        "\"metadata\"",
        "\"other\"",
        "\"turns\"",
        "\"i\\u0064\"",
        "\"ID\"",
    ];
    const TURN_KEYS: &[&str] = &[
        "\"role\"",
        "\"role\"",
        "\"text\"",
        "\"text\"",
        "\"speaker\"",
        "\"message\"",
        "\"name\"",
        "\"timestamp\"",
        "\"body\"",
        "\"x\"",
        "\"t\\u0065xt\"",
    ];
    const VALUES: &[&str] = &[
        "\"agent\"",
        "\"customer\"",
        "\"User \"",
        "\"narrator\"",
        "\"plain text\"",
        "\"\"",
        "null",
        "7",
        "-0.5e3",
        "true",
        "[]",
        "{}",
        "{\"a\": [1, 2]}",
        "\"a\\nb\\\"c\\\\d\\/e\\tf\"",
        "\"\\u00e9\\uD83D\\uDE00\"",
        "\"\\ud83d\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\q\"",
        "\"a\tb\"",
        "\"caf\u{e9} \u{1F600}\"",
        "\"0123456789abcdef0123456789ab\\\"cdef\"",
        "\"0123456789abcdef0123456789abcdef0\"",
        "nul",
        "\"unterminated",
    ];
}
