//! One JSON transcript record (a JSONL line or a JSON array element), read
//! through serde_json: the reference that the fast reader
//! (`fast_record`) must agree with, and the one that words every error.

use super::common::Item;
use super::fast_record::fast_record;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use tactful::{Role, Transcript, Turn};

/// A transcript as written in JSON, borrowing from the input where it can.
#[derive(Deserialize)]
struct WireTranscript<'a> {
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "messages", alias = "conversation")]
    turns: WireTurns<'a>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    agent: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    team: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    channel: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    metadata: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct WireTurn<'a> {
    #[serde(
        borrow,
        alias = "speaker",
        alias = "sender",
        alias = "author",
        alias = "author_type"
    )]
    role: Cow<'a, str>,
    #[serde(borrow, alias = "message", alias = "body", alias = "content")]
    text: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    name: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    timestamp: Option<Cow<'a, str>>,
}

/// The `turns` array, read straight into [`Turn`]s (no vector of
/// [`WireTurn`]s to copy from). A turn with an unknown role is not kept: the
/// first one is remembered and reported once the whole record has parsed, so
/// that a JSON error later in the record still comes first.
struct WireTurns<'a> {
    turns: Vec<Turn<'a>>,
    /// Index and role of the first turn whose role is unknown.
    bad_role: Option<(usize, Cow<'a, str>)>,
}

impl<'de: 'a, 'a> Deserialize<'de> for WireTurns<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = WireTurns<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                // as `Vec`'s visitor says, which this replaces
                f.write_str("a sequence")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = WireTurns {
                    turns: Vec::with_capacity(4),
                    bad_role: None,
                };
                let mut i = 0usize;
                while let Some(t) = seq.next_element::<WireTurn<'a>>()? {
                    if out.bad_role.is_none() {
                        match Role::parse(&t.role) {
                            Some(role) => {
                                let mut turn = Turn::new(role, t.text);
                                turn.name = t.name;
                                turn.timestamp = t.timestamp;
                                out.turns.push(turn);
                            }
                            None => out.bad_role = Some((i, t.role)),
                        }
                    }
                    i += 1;
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// Only the id, to name a record whose other fields are wrong.
#[derive(Deserialize)]
struct IdOnly<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
}

impl IdOnly<'_> {
    /// The id as [`loose_cow`] reads it, a number as written; none when it
    /// is not a string, number or boolean.
    fn id(text: &str) -> Option<String> {
        let raw = serde_json::from_str::<IdOnly>(text).ok()?.id?;
        match raw.get().as_bytes().first()? {
            b'"' => serde_json::from_str::<String>(raw.get()).ok(),
            b'-' | b'0'..=b'9' | b't' | b'f' => Some(raw.get().to_string()),
            _ => None,
        }
    }
}

/// The loose fields of a record as raw JSON, to read numbers as written
/// (serde_json gives a number that does not fit 64 bits, or has a fraction
/// or an exponent, as an `f64`, which rewrites its digits).
#[derive(Deserialize)]
struct RawLoose<'a> {
    #[serde(default, borrow)]
    id: Option<&'a RawValue>,
    #[serde(default, borrow)]
    agent: Option<&'a RawValue>,
    #[serde(default, borrow)]
    team: Option<&'a RawValue>,
    #[serde(default, borrow)]
    channel: Option<&'a RawValue>,
}

/// A number as written in the input, for a loose field that was read from
/// something other than a plain string.
fn number_as_written<'a>(raw: Option<&'a RawValue>, value: &mut Option<Cow<'a, str>>) {
    if let (Some(raw), Some(Cow::Owned(_))) = (raw, &*value) {
        let r = raw.get();
        if matches!(r.as_bytes().first(), Some(b'-' | b'0'..=b'9')) {
            *value = Some(Cow::Borrowed(r));
        }
    }
}

/// A string, a number or a boolean as a string (`null` as none), borrowing
/// a string without escapes from the input.
fn loose_cow<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
}

/// A failed record: the id if known and what is wrong.
pub struct RecordError {
    /// The record's id, when it could be read.
    pub id: Option<String>,
    /// What is wrong, with the place inside the record.
    pub message: String,
}

/// Parses one JSON transcript (a JSONL line or an array element).
/// `default_id` is used when the record has no `id`.
pub fn parse_record<'a>(bytes: &'a [u8], default_id: &str) -> Result<Item<'a>, RecordError> {
    parse_with(bytes, DefaultId::Given(default_id))
}

/// [`parse_record`] of the record on line `line`, whose number is its id
/// when it has none: `parse_record(bytes, &line.to_string())`, with the
/// number written only for a record that has no id (not once a record).
pub fn parse_record_at(bytes: &[u8], line: usize) -> Result<Item<'_>, RecordError> {
    parse_with(bytes, DefaultId::Line(line))
}

/// The id given to a record that has none: a string, or a line number
/// written out only when it is needed.
#[derive(Debug, Clone, Copy)]
pub(super) enum DefaultId<'a> {
    /// This string.
    Given(&'a str),
    /// This line number, in decimal.
    Line(usize),
}

impl DefaultId<'_> {
    /// The id, written.
    pub(super) fn written(self) -> String {
        match self {
            DefaultId::Given(s) => s.to_string(),
            DefaultId::Line(n) => n.to_string(),
        }
    }
}

/// [`parse_record`] with the id for a record that has none.
fn parse_with<'a>(bytes: &'a [u8], default_id: DefaultId<'_>) -> Result<Item<'a>, RecordError> {
    let text = std::str::from_utf8(bytes).map_err(|e| RecordError {
        id: None,
        message: format!(
            "invalid UTF-8 at byte {} of the record",
            e.valid_up_to() + 1
        ),
    })?;
    match fast_record(text, default_id) {
        Some(item) => Ok(item),
        None => serde_record(text, default_id),
    }
}

/// [`parse_record`] through serde_json, for every record: the reference the
/// fast reader ([`super::fast_record::fast_record`]) must agree with, and the one that words
/// every error.
pub(super) fn serde_record<'a>(
    text: &'a str,
    default_id: DefaultId<'_>,
) -> Result<Item<'a>, RecordError> {
    let mut wire: WireTranscript = serde_json::from_str(text).map_err(|e| RecordError {
        id: IdOnly::id(text),
        message: json_message(&e),
    })?;
    // a loose field read from a number, a boolean or an escaped string is
    // owned: only then is the record read again, for numbers as written
    if [&wire.id, &wire.agent, &wire.team, &wire.channel]
        .iter()
        .any(|v| matches!(v, Some(Cow::Owned(_))))
    {
        if let Ok(raw) = serde_json::from_str::<RawLoose>(text) {
            number_as_written(raw.id, &mut wire.id);
            number_as_written(raw.agent, &mut wire.agent);
            number_as_written(raw.team, &mut wire.team);
            number_as_written(raw.channel, &mut wire.channel);
        }
    }
    let id = wire.id.unwrap_or_else(|| Cow::Owned(default_id.written()));
    if let Some(m) = wire.metadata {
        if too_deep(m.get()) {
            return Err(RecordError {
                id: Some(id.into_owned()),
                message: format!("metadata is nested deeper than {MAX_DEPTH} levels"),
            });
        }
        // passed through raw, so checked to read back as JSON: a number out of
        // range (`1e9999`) is valid syntax that JSON readers reject
        if let Err(e) = serde_json::from_str::<serde_json::Value>(m.get()) {
            return Err(RecordError {
                id: Some(id.into_owned()),
                message: format!("metadata would not read back as JSON: {e} of the metadata value"),
            });
        }
    }
    if let Some((i, role)) = wire.turns.bad_role {
        return Err(RecordError {
            id: Some(id.into_owned()),
            message: format!(
                "turn {i}: unknown role {:?} (expected customer, agent or system, or an alias such as user, rep, bot)",
                role
            ),
        });
    }
    let mut transcript = Transcript::new(id);
    transcript.turns = wire.turns.turns;
    transcript.agent = wire.agent;
    transcript.team = wire.team;
    transcript.channel = wire.channel;
    Ok(Item {
        transcript,
        metadata: wire.metadata.map(compact_raw),
    })
}

/// Deepest nesting of arrays and objects passed through in `metadata`, so
/// that every output record (which adds a level) stays within the recursion
/// limits of JSON readers (serde_json's is 128). serde_json holds the typed
/// fields to its limit; `metadata` is kept raw, so it is checked here.
const MAX_DEPTH: usize = 100;

/// Whether a JSON value nests arrays and objects deeper than [`MAX_DEPTH`].
fn too_deep(json: &str) -> bool {
    // each level takes at least two bytes
    if json.len() <= 2 * MAX_DEPTH {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The raw value without whitespace between tokens, so that a pretty-printed
/// `metadata` (from a `.json` file) cannot break a JSONL output line.
fn compact_raw(raw: &RawValue) -> Box<RawValue> {
    let src = raw.get();
    if !src.contains(['\n', '\r']) {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(src.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in src.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    RawValue::from_string(out).unwrap_or_else(|_| raw.to_owned())
}

pub(super) fn json_message(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "invalid JSON",
        serde_json::error::Category::Data => "not a transcript",
        serde_json::error::Category::Io => "read error",
    };
    // serde_json appends "at line L column C"; keep the column, the line is ours.
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &msg[..i], e.column()),
        None => msg,
    };
    format!("{what}: {msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_errors_name_the_problem() {
        let e = parse_record(
            b"{\"id\": \"A\", \"turns\": [{\"role\": \"narrator\", \"text\": \"x\"}]}",
            "1",
        )
        .err()
        .unwrap();
        assert_eq!(e.id.as_deref(), Some("A"));
        assert!(
            e.message.contains("unknown role \"narrator\""),
            "{}",
            e.message
        );
        let e = parse_record(b"{\"id\": \"A\", \"turns\": [", "1")
            .err()
            .unwrap();
        assert!(e.message.starts_with("invalid JSON"), "{}", e.message);
        let e = parse_record(
            b"{\"turns\": [{\"role\": \"agent\", \"text\": \"\xff\"}]}",
            "1",
        )
        .err()
        .unwrap();
        assert!(e.message.contains("invalid UTF-8"), "{}", e.message);
        let ok = parse_record(
            b"{\"turns\": [{\"speaker\": \"User\", \"message\": \"hi\"}], \"team\": 7, \"x\": {}}",
            "12",
        )
        .ok()
        .unwrap();
        assert_eq!(ok.transcript.id, "12");
        assert_eq!(ok.transcript.team.as_deref(), Some("7"));
        assert_eq!(ok.transcript.turns[0].role, Role::Customer);
    }

    fn record_error(data: &str) -> (Option<String>, String) {
        match parse_record(data.as_bytes(), "9") {
            Ok(_) => panic!("{data} parsed"),
            Err(e) => (e.id, e.message),
        }
    }

    #[test]
    fn an_unknown_role_is_reported_after_json_and_metadata_errors() {
        // the first unknown role, by index, once the record has parsed
        let (id, m) = record_error(
            r#"{"turns": [{"role": "agent", "text": "a"}, {"role": "x", "text": "b"}, {"role": "y", "text": "c"}]}"#,
        );
        assert_eq!(id.as_deref(), Some("9"));
        assert!(m.starts_with("turn 1: unknown role \"x\""), "{m}");
        // a JSON error later in the record comes first
        let (_, m) = record_error(r#"{"turns": [{"role": "x", "text": "b"}], "team": }"#);
        assert!(m.starts_with("invalid JSON"), "{m}");
        let (_, m) = record_error(r#"{"turns": [{"role": "x", "text": "b"}, {"role": "agent"}]}"#);
        assert!(
            m.starts_with("not a transcript: missing field `text`"),
            "{m}"
        );
        // so does a metadata error
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        let (_, m) = record_error(&format!(
            r#"{{"id": 5, "turns": [{{"role": "x", "text": "b"}}], "metadata": {deep}}}"#
        ));
        assert!(m.starts_with("metadata is nested deeper"), "{m}");
        // `turns` must be an array, named as `Vec`'s reader names it
        let (_, m) = record_error(r#"{"turns": "x"}"#);
        assert_eq!(
            m,
            "not a transcript: invalid type: string \"x\", expected a sequence (column 13)"
        );
    }

    #[test]
    fn a_record_read_at_a_line_is_read_as_with_the_line_written_out() {
        // the line number is the id of a record that has none, by the fast
        // reader and by serde's, and an error names the same id
        for data in [
            &br#"{"turns": [{"role": "agent", "text": "hi"}]}"#[..],
            br#"{"id": "A", "turns": [{"role": "agent", "text": "hi"}]}"#,
            br#"{"turns": [{"speaker": "User", "message": "hi"}], "team": 7}"#,
            br#"{"turns": [{"role": "x", "text": "b"}]}"#,
            br#"{"id": 5, "turns": "x"}"#,
            b"{\"turns\": [{\"role\": \"agent\", \"text\": \"\xff\"}]}",
        ] {
            for line in [0, 7, 12_345, usize::MAX] {
                let given = parse_record(data, &line.to_string());
                let at = parse_record_at(data, line);
                match (given, at) {
                    (Ok(a), Ok(b)) => {
                        assert_eq!(a.transcript, b.transcript);
                        assert_eq!(
                            a.metadata.map(|m| m.get().to_string()),
                            b.metadata.map(|m| m.get().to_string())
                        );
                    }
                    (Err(a), Err(b)) => {
                        assert_eq!((a.id, a.message), (b.id, b.message));
                    }
                    _ => panic!("{} read differently", String::from_utf8_lossy(data)),
                }
            }
        }
    }

    #[test]
    fn pretty_metadata_is_compacted_to_one_line() {
        let data =
            b"{\"turns\": [], \"metadata\": {\n  \"a\": [1, 2],\n  \"b\": \"x \\\" \\n y\"\n}}";
        let item = parse_record(data, "1").ok().unwrap();
        assert_eq!(
            item.metadata.unwrap().get(),
            r#"{"a":[1,2],"b":"x \" \n y"}"#
        );
    }
}
