//! Output writers: one record per input record, in input order. `ci` holds
//! the formats for CI systems: SARIF 2.1.0 and GitHub Actions annotations.

mod ci;

pub use ci::{
    github_annotations, github_error, sarif_error, sarif_footer, sarif_header, sarif_results,
};

use crate::input::{Item, Origin, TurnAt};
use serde::Serialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use tactful::{Category, Finding, Report, Severity, Transcript};

/// Version of the output record schema; bumped on any breaking change.
pub const SCHEMA_VERSION: u32 = 1;

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Compiler-style diagnostics for people (default on a terminal).
    Human,
    /// One JSON record per line (default when stdout is not a terminal).
    Jsonl,
    /// One JSON array of records.
    Json,
    /// One row per finding (a transcript with none gets one row with empty finding columns).
    Csv,
    /// One SARIF 2.1.0 log: a result per issue, the rules from the registry.
    Sarif,
    /// GitHub Actions workflow commands: an annotation per issue.
    Github,
}

/// A finding as written in JSON and CSV.
#[derive(Serialize)]
pub struct FindingRecord<'a> {
    rule: &'static str,
    category: Category,
    kind: &'static str,
    severity: Severity,
    turn: usize,
    role: &'static str,
    start: u32,
    end: u32,
    text: Cow<'a, str>,
    message: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    suggestion: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    upset: Option<UpsetRecord<'a>>,
}

/// The `upset` of an `empathy_gap` finding as written in JSON: the customer
/// turn whose distress the reply missed, its score, and its strongest
/// evidence with the evidence's text.
#[derive(Serialize)]
pub struct UpsetRecord<'a> {
    turn: usize,
    score: u8,
    rule: &'static str,
    start: u32,
    end: u32,
    text: Cow<'a, str>,
}

/// The text a finding repeats from its transcript, with personal data
/// masked when redaction is on ([`crate::redact`]): the data is found once
/// per turn, in the whole turn, so that a phrase holding part of an address
/// is masked too.
pub(crate) struct Masker<'t> {
    turns: &'t [tactful::Turn<'t>],
    on: bool,
    found: Vec<Option<Vec<crate::redact::Found>>>,
}

impl<'t> Masker<'t> {
    /// A masker of `t`'s turns; with `on` false it returns the text as it is.
    pub(crate) fn new(t: &'t Transcript<'t>, on: bool) -> Masker<'t> {
        Masker {
            turns: &t.turns,
            on,
            found: Vec::new(),
        }
    }

    /// `range` of turn `turn`'s text, masked.
    pub(crate) fn text(&mut self, turn: usize, range: std::ops::Range<usize>) -> Cow<'t, str> {
        let text: &'t str = &self.turns[turn].text;
        let range = floor_char(text, range.start)..floor_char(text, range.end.max(range.start));
        if !self.on {
            return Cow::Borrowed(&text[range]);
        }
        if self.found.len() <= turn {
            self.found.resize(turn + 1, None);
        }
        let found = self.found[turn].get_or_insert_with(|| crate::redact::find(text));
        crate::redact::mask(text, range, found)
    }
}

impl<'a> FindingRecord<'a> {
    fn new(f: &Finding, t: &'a Transcript<'a>, masker: &mut Masker<'a>) -> FindingRecord<'a> {
        let turn = &t.turns[f.turn];
        FindingRecord {
            rule: f.rule,
            category: f.category,
            kind: f.kind.as_str(),
            severity: f.severity,
            turn: f.turn,
            role: turn.role.as_str(),
            start: f.span.start,
            end: f.span.end,
            text: masker.text(f.turn, f.span.range()),
            message: f.message,
            suggestion: f.suggestion,
            upset: f
                .upset
                .filter(|u| u.turn < t.turns.len())
                .map(|u| UpsetRecord {
                    turn: u.turn,
                    score: u.score,
                    rule: u.rule,
                    start: u.span.start,
                    end: u.span.end,
                    text: masker.text(u.turn, u.span.range()),
                }),
        }
    }
}

#[cfg_attr(not(test), allow(dead_code))]
#[derive(Serialize)]
struct Record<'a> {
    schema_version: u32,
    id: &'a str,
    score: u8,
    scores: &'a BTreeMap<Category, Option<u8>>,
    /// Present and true when a critical rule failed the transcript.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    failed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    agent: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    team: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    metadata: Option<&'a RawValue>,
    findings: Vec<FindingRecord<'a>>,
    distress: &'a [tactful::distress::TurnDistress],
    topics: &'a [String],
    timing: Option<&'a tactful::timing::Timing>,
}

#[derive(Serialize)]
struct ErrorRecord<'a> {
    schema_version: u32,
    id: Option<&'a str>,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    message: &'a str,
}

/// Writes one analyzed transcript as a JSON object (no newline).
///
/// Written field by field (the same bytes `serde_json` writes for this
/// module's private `Record` type, which a test checks), with strings that
/// need no escaping copied as they are.
pub fn json_record(out: &mut Vec<u8>, item: &Item, report: &Report) {
    json_record_styled(out, item, report, Style::new(false));
}

/// [`json_record`], with the finding texts masked when `style` redacts.
pub fn json_record_styled(out: &mut Vec<u8>, item: &Item, report: &Report, style: Style) {
    let t = &item.transcript;
    let mut masker = Masker::new(t, style.redact);
    out.reserve(
        256 + t.id.len()
            + report
                .findings
                .iter()
                .map(|f| {
                    160 + f.rule.len()
                        + f.message.len()
                        + f.suggestion.map_or(0, str::len)
                        + f.span.len()
                })
                .sum::<usize>(),
    );
    out.extend_from_slice(b"{\"schema_version\":");
    json_uint(out, u64::from(SCHEMA_VERSION));
    out.extend_from_slice(b",\"id\":");
    json_str(out, &t.id);
    out.extend_from_slice(b",\"score\":");
    json_uint(out, u64::from(report.score.total));
    out.extend_from_slice(b",\"scores\":{");
    json_scores(out, &report.score.categories);
    out.push(b'}');
    if report.score.failed {
        out.extend_from_slice(b",\"failed\":true");
    }
    for (key, value) in [
        (&b",\"agent\":"[..], &t.agent),
        (b",\"team\":", &t.team),
        (b",\"channel\":", &t.channel),
    ] {
        if let Some(v) = value {
            out.extend_from_slice(key);
            json_str(out, v);
        }
    }
    if let Some(m) = &item.metadata {
        out.extend_from_slice(b",\"metadata\":");
        out.extend_from_slice(m.get().as_bytes());
    }
    out.extend_from_slice(b",\"findings\":[");
    for (i, f) in report.findings.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_finding_masked(out, f, t, &mut masker);
    }
    out.extend_from_slice(b"],\"distress\":[");
    for (i, d) in report.distress.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_turn_value(out, d.turn, b"score", u64::from(d.score));
    }
    out.extend_from_slice(b"],\"topics\":[");
    for (i, topic) in report.topics.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_str(out, topic);
    }
    out.extend_from_slice(b"],\"timing\":");
    match &report.timing {
        None => out.extend_from_slice(b"null"),
        Some(timing) => {
            let opt = |out: &mut Vec<u8>, v: Option<u64>| match v {
                Some(v) => json_uint(out, v),
                None => out.extend_from_slice(b"null"),
            };
            out.extend_from_slice(b"{\"first_response_seconds\":");
            opt(out, timing.first_response);
            out.extend_from_slice(b",\"longest_wait_seconds\":");
            opt(out, timing.longest_wait);
            out.extend_from_slice(b",\"waits\":[");
            for (i, w) in timing.waits.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                json_turn_value(out, w.turn, b"seconds", w.seconds);
            }
            out.extend_from_slice(b"]}");
        }
    }
    out.push(b'}');
}

/// Writes the members of a record's `scores` object, `"name":score` (or
/// `null`) for each category, comma-separated, as [`json_scores_slow`]
/// writes them (a test holds the two to each other). Each member is two
/// fixed-size copies from tables ([`score_member`]'s quoted name and colon,
/// [`score_value`]'s digits) into a buffer on the stack, copied into `out`
/// at once: member by member through `json_name` and `json_uint` the six
/// of every record cost some 500 instructions.
fn json_scores(out: &mut Vec<u8>, categories: &BTreeMap<Category, Option<u8>>) {
    /// Room for every category's member (at most 16 bytes of name, a comma
    /// and four of value).
    const ROOM: usize = 21 * Category::ALL.len();
    let mut buf = [0u8; ROOM];
    let mut at = 0;
    for (i, (&category, &value)) in categories.iter().enumerate() {
        let (Some(name), Some(value)) = (score_member(category), score_value(value)) else {
            // (a category or a value the tables do not hold)
            return json_scores_slow(out, categories);
        };
        if at + 21 > ROOM {
            return json_scores_slow(out, categories);
        }
        buf[at] = b',';
        at += usize::from(i > 0);
        buf[at..at + 16].copy_from_slice(&name.0);
        at += usize::from(name.1);
        buf[at..at + 4].copy_from_slice(&value.0);
        at += usize::from(value.1);
    }
    out.extend_from_slice(&buf[..at]);
}

/// [`json_scores`] member by member: the reference.
fn json_scores_slow(out: &mut Vec<u8>, categories: &BTreeMap<Category, Option<u8>>) {
    for (i, (category, value)) in categories.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        json_name(out, category.as_str());
        out.push(b':');
        match value {
            Some(v) => json_uint(out, u64::from(*v)),
            None => out.extend_from_slice(b"null"),
        }
    }
}

/// `"name":`, zero-padded to 16 bytes, and its length.
const fn member_bytes(name: &str) -> ([u8; 16], u8) {
    let b = name.as_bytes();
    let mut out = [0u8; 16];
    out[0] = b'"';
    let mut i = 0;
    while i < b.len() {
        out[i + 1] = b[i];
        i += 1;
    }
    out[b.len() + 1] = b'"';
    out[b.len() + 2] = b':';
    (out, (b.len() + 3) as u8)
}

/// A category's `"name":` in the `scores` object ([`member_bytes`] of its
/// [`Category::as_str`]; `None` for a category added after this table).
fn score_member(c: Category) -> Option<&'static ([u8; 16], u8)> {
    static MEMBERS: [([u8; 16], u8); 12] = [
        member_bytes("procedural"),
        member_bytes("excuse"),
        member_bytes("apology"),
        member_bytes("empathy_gap"),
        member_bytes("empathy"),
        member_bytes("distress"),
        member_bytes("language"),
        member_bytes("action"),
        member_bytes("ownership"),
        member_bytes("courtesy"),
        member_bytes("timing"),
        member_bytes("resolution"),
    ];
    let i = match c {
        Category::Procedural => 0,
        Category::Excuse => 1,
        Category::Apology => 2,
        Category::EmpathyGap => 3,
        Category::Empathy => 4,
        Category::Distress => 5,
        Category::Language => 6,
        Category::Action => 7,
        Category::Ownership => 8,
        Category::Courtesy => 9,
        Category::Timing => 10,
        Category::Resolution => 11,
        _ => return None,
    };
    MEMBERS.get(i)
}

/// A score as `json_uint` writes it (or `null`), zero-padded to four bytes,
/// and its length; `None` past 100.
fn score_value(v: Option<u8>) -> Option<&'static ([u8; 4], u8)> {
    /// 0 to 100, then `null`.
    static VALUES: [([u8; 4], u8); 102] = {
        let mut t = [([0u8; 4], 0u8); 102];
        let mut v = 0;
        while v <= 100 {
            t[v] = if v < 10 {
                ([b'0' + v as u8, 0, 0, 0], 1)
            } else if v < 100 {
                ([b'0' + (v / 10) as u8, b'0' + (v % 10) as u8, 0, 0], 2)
            } else {
                (*b"100\0", 3)
            };
            v += 1;
        }
        t[101] = (*b"null", 4);
        t
    };
    match v {
        None => VALUES.get(101),
        Some(v) if v <= 100 => VALUES.get(usize::from(v)),
        Some(_) => None,
    }
}

/// Writes `{"turn":T,"KEY":V}`, a turn's distress score or wait in
/// [`json_record`] (`key` needs no JSON escaping).
fn json_turn_value(out: &mut Vec<u8>, turn: usize, key: &[u8], value: u64) {
    out.extend_from_slice(b"{\"turn\":");
    json_uint(out, turn as u64);
    out.extend_from_slice(b",\"");
    out.extend_from_slice(key);
    out.extend_from_slice(b"\":");
    json_uint(out, value);
    out.push(b'}');
}

/// Writes one finding of `transcript` as a JSON object (no newline), as it
/// appears in the `findings` array of [`json_record`].
pub fn json_finding(out: &mut Vec<u8>, f: &Finding, t: &Transcript<'_>) {
    json_finding_masked(out, f, t, &mut Masker::new(t, false));
}

fn json_finding_masked<'a>(
    out: &mut Vec<u8>,
    f: &Finding,
    t: &'a Transcript<'a>,
    masker: &mut Masker<'a>,
) {
    // the fields of `FindingRecord`, in its order (a test holds the bytes to
    // serde_json's); the rule's fields, message and suggestion come written
    // and escaped from the cache
    let text = masker.text(f.turn, f.span.range());
    FIXED.with(|cache| {
        let mut cache = cache.borrow_mut();
        let fixed = cache.get(f);
        out.extend_from_slice(&fixed.bytes[..fixed.head]);
        json_uint(out, f.turn as u64);
        out.extend_from_slice(b",\"role\":");
        json_name(out, t.turns[f.turn].role.as_str());
        out.extend_from_slice(b",\"start\":");
        json_uint(out, u64::from(f.span.start));
        out.extend_from_slice(b",\"end\":");
        json_uint(out, u64::from(f.span.end));
        out.extend_from_slice(b",\"text\":");
        json_str(out, &text);
        out.extend_from_slice(&fixed.bytes[fixed.head..]);
    });
    if let Some(u) = f.upset.filter(|u| u.turn < t.turns.len()) {
        out.extend_from_slice(b",\"upset\":{\"turn\":");
        json_uint(out, u.turn as u64);
        out.extend_from_slice(b",\"score\":");
        json_uint(out, u64::from(u.score));
        out.extend_from_slice(b",\"rule\":");
        json_name(out, u.rule);
        out.extend_from_slice(b",\"start\":");
        json_uint(out, u64::from(u.span.start));
        out.extend_from_slice(b",\"end\":");
        json_uint(out, u64::from(u.span.end));
        out.extend_from_slice(b",\"text\":");
        json_str(out, &masker.text(u.turn, u.span.range()));
        out.push(b'}');
    }
    out.push(b'}');
}

/// Number of slots of [`FixedCache`] (a power of two).
const FIXED_SLOTS: usize = 256;

thread_local! {
    /// The written parts of the findings' rules this thread has met.
    static FIXED: std::cell::RefCell<FixedCache> =
        const { std::cell::RefCell::new(FixedCache { slots: Vec::new(), used: 0 }) };
}

/// The [`Fixed`] parts met so far, in a table probed linearly from a hash
/// of the message's address (at most half full: emptied when it would be
/// fuller, which only more than 128 messages bring).
struct FixedCache {
    slots: Vec<Option<Fixed>>,
    used: usize,
}

impl FixedCache {
    /// The written parts of `f`, from the table or written now.
    fn get(&mut self, f: &Finding) -> &Fixed {
        if self.slots.is_empty() || self.used >= FIXED_SLOTS / 2 {
            self.slots.clear();
            self.slots.resize_with(FIXED_SLOTS, || None);
            self.used = 0;
        }
        let key = f.message.as_ptr() as usize as u64 ^ f.message.len() as u64;
        let mut slot = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 56) as usize % FIXED_SLOTS;
        loop {
            match self.slots[slot].as_ref() {
                Some(fixed) if fixed.fits(f) => break,
                Some(_) => slot = (slot + 1) % FIXED_SLOTS,
                None => {
                    self.slots[slot] = Some(Fixed::write(f));
                    self.used += 1;
                    break;
                }
            }
        }
        self.slots[slot].get_or_insert_with(|| Fixed::write(f))
    }
}

/// The parts of a finding's JSON that are the same for every finding of its
/// rule, written once: `{"rule":...,"category":...,"kind":...,"severity":...,"turn":`
/// (the head) and `,"message":...` with the suggestion, if any (the tail).
/// (Escaping the message and the suggestion again for every finding cost
/// about a third of the writer's time per finding.)
struct Fixed {
    rule: &'static str,
    category: Category,
    kind: tactful::Kind,
    severity: Severity,
    message: &'static str,
    suggestion: Option<&'static str>,
    /// The head, then the tail.
    bytes: Vec<u8>,
    /// Where the tail starts.
    head: usize,
}

impl Fixed {
    /// Whether `f` has exactly these fields: the same strings (the same
    /// address and length, so the same text, as a `&'static str` never
    /// changes) and the same enums.
    fn fits(&self, f: &Finding) -> bool {
        std::ptr::eq(self.message, f.message)
            && std::ptr::eq(self.rule, f.rule)
            && match (self.suggestion, f.suggestion) {
                (None, None) => true,
                (Some(a), Some(b)) => std::ptr::eq(a, b),
                _ => false,
            }
            && self.category == f.category
            && self.kind == f.kind
            && self.severity == f.severity
    }

    /// Writes the parts of `f` as `FindingRecord` serializes them.
    fn write(f: &Finding) -> Fixed {
        let mut bytes = Vec::with_capacity(96 + f.message.len() * 2);
        bytes.extend_from_slice(b"{\"rule\":");
        json_name(&mut bytes, f.rule);
        bytes.extend_from_slice(b",\"category\":");
        json_name(&mut bytes, f.category.as_str());
        bytes.extend_from_slice(b",\"kind\":");
        json_name(&mut bytes, f.kind.as_str());
        bytes.extend_from_slice(b",\"severity\":");
        json_name(&mut bytes, f.severity.as_str());
        bytes.extend_from_slice(b",\"turn\":");
        let head = bytes.len();
        bytes.extend_from_slice(b",\"message\":");
        json_str(&mut bytes, f.message);
        if let Some(s) = f.suggestion {
            bytes.extend_from_slice(b",\"suggestion\":");
            json_str(&mut bytes, s);
        }
        Fixed {
            rule: f.rule,
            category: f.category,
            kind: f.kind,
            severity: f.severity,
            message: f.message,
            suggestion: f.suggestion,
            bytes,
            head,
        }
    }
}

/// A name of the rule registry or of an enum (a rule id, category, kind,
/// severity or role): ASCII letters, digits, `_` and `.` only, which JSON
/// writes as they are (a test checks every one), so no escaping check.
fn json_name(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.'));
    out.reserve(s.len() + 2);
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// A JSON string, escaped exactly as `serde_json` does.
fn json_str(out: &mut Vec<u8>, s: &str) {
    // most strings need no escaping: one branch-free pass decides
    let plain = !s.bytes().fold(false, |any, b| {
        any | (b < 0x20) | (b == b'"') | (b == b'\\')
    });
    if plain {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        json_str_escaped(out, s);
    }
}

/// [`json_str`] for a string with bytes to escape, as `serde_json` escapes
/// them: `"` and `\\` with a backslash, the control characters with their
/// short escapes (`\n`, `\t`, `\r`, `\u{8}` as `\b`, `\u{c}` as `\f`) or as
/// `\u00XX` (lower-case hex), every other byte as it is. The runs between
/// such bytes are found eight and sixteen bytes at a time
/// ([`crate::input::find_special`]) and copied whole. (Through serde_json
/// these strings cost about four times as much.)
#[cold]
#[inline(never)]
fn json_str_escaped(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 8);
    out.push(b'"');
    let mut at = 0;
    while let Some(k) = bytes.get(at..).and_then(crate::input::find_special) {
        let i = at + k;
        out.extend_from_slice(&bytes[at..i]);
        json_escape(out, bytes[i]);
        at = i + 1;
    }
    out.extend_from_slice(bytes.get(at..).unwrap_or_default());
    out.push(b'"');
}

/// Writes the escape of `b`, a byte [`json_str`] escapes, as `serde_json`
/// writes it.
fn json_escape(out: &mut Vec<u8>, b: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        0x0c => b'f',
        b'\n' => b'n',
        b'\r' => b'r',
        b'\t' => b't',
        _ => {
            let (hi, lo) = (HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xf)]);
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hi, lo]);
            return;
        }
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// An unsigned integer in decimal. Most are below 100 (scores, turns,
/// seconds of short waits): one, two or three digits are written at once; larger
/// ones two digits at a time, from a table of the pairs.
fn json_uint(out: &mut Vec<u8>, mut v: u64) {
    /// "00", "01", ... "99", back to back.
    static PAIRS: [u8; 200] = {
        let mut t = [0u8; 200];
        let mut k = 0;
        while k < 100 {
            t[2 * k] = b'0' + (k / 10) as u8;
            t[2 * k + 1] = b'0' + (k % 10) as u8;
            k += 1;
        }
        t
    };
    let pair = |n: u64| {
        let k = n as usize * 2;
        [PAIRS[k], PAIRS[k + 1]]
    };
    if v < 10 {
        out.push(b'0' + v as u8);
        return;
    }
    if v < 100 {
        out.extend_from_slice(&pair(v));
        return;
    }
    // (a score of 100, the most common, and other three-digit numbers at once)
    if v < 1000 {
        let [tens, units] = pair(v % 100);
        out.extend_from_slice(&[b'0' + (v / 100) as u8, tens, units]);
        return;
    }
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    while v >= 100 {
        i -= 2;
        digits[i..i + 2].copy_from_slice(&pair(v % 100));
        v /= 100;
    }
    if v >= 10 {
        i -= 2;
        digits[i..i + 2].copy_from_slice(&pair(v));
    } else {
        i -= 1;
        digits[i] = b'0' + v as u8;
    }
    out.extend_from_slice(&digits[i..]);
}

/// Writes one analyzed transcript with `serde_json` (what [`json_record`]
/// must match byte for byte).
#[cfg(test)]
fn json_record_serde(out: &mut Vec<u8>, item: &Item, report: &Report) {
    let t = &item.transcript;
    let rec = Record {
        schema_version: SCHEMA_VERSION,
        id: &t.id,
        score: report.score.total,
        scores: &report.score.categories,
        failed: report.score.failed,
        agent: t.agent.as_deref(),
        team: t.team.as_deref(),
        channel: t.channel.as_deref(),
        metadata: item.metadata.as_deref(),
        findings: report
            .findings
            .iter()
            .map(|f| FindingRecord::new(f, t, &mut Masker::new(t, false)))
            .collect(),
        distress: &report.distress,
        topics: &report.topics,
        timing: report.timing.as_ref(),
    };
    let _ = serde_json::to_writer(&mut *out, &rec);
}

/// Writes one error record as a JSON object (no newline).
pub fn json_error(out: &mut Vec<u8>, origin: &Origin, id: Option<&str>, message: &str) {
    let rec = ErrorRecord {
        schema_version: SCHEMA_VERSION,
        id,
        error: ErrorBody {
            file: &origin.file,
            line: (origin.line > 0).then_some(origin.line),
            message,
        },
    };
    let _ = serde_json::to_writer(&mut *out, &rec);
}

/// The CSV header row.
pub const CSV_HEADER: &[&str] = &[
    "id",
    "score",
    "rule",
    "category",
    "kind",
    "severity",
    "turn",
    "role",
    "start",
    "end",
    "text",
    "message",
    "suggestion",
    "error",
];

/// Writes the CSV rows of one analyzed transcript.
pub fn csv_rows(out: &mut Vec<u8>, item: &Item, report: &Report) {
    csv_rows_styled(out, item, report, Style::new(false));
}

/// [`csv_rows`], with the finding texts masked when `style` redacts.
pub fn csv_rows_styled(out: &mut Vec<u8>, item: &Item, report: &Report, style: Style) {
    let t = &item.transcript;
    let mut masker = Masker::new(t, style.redact);
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(&mut *out);
    let score = report.score.total.to_string();
    if report.findings.is_empty() {
        let _ = w.write_record([
            &*t.id, &score, "", "", "", "", "", "", "", "", "", "", "", "",
        ]);
    }
    for f in &report.findings {
        let r = FindingRecord::new(f, t, &mut masker);
        let _ = w.write_record([
            &*t.id,
            &score,
            r.rule,
            r.category.as_str(),
            r.kind,
            r.severity.as_str(),
            &r.turn.to_string(),
            r.role,
            &r.start.to_string(),
            &r.end.to_string(),
            &r.text,
            r.message,
            r.suggestion.unwrap_or(""),
            "",
        ]);
    }
    let _ = w.flush();
}

/// Writes the CSV row of an error record.
pub fn csv_error(out: &mut Vec<u8>, origin: &Origin, id: Option<&str>, message: &str) {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(&mut *out);
    let place = location(origin);
    let _ = w.write_record([
        id.unwrap_or(""),
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        &format!("{place}: {message}"),
    ]);
    let _ = w.flush();
}

/// `file:line` or `file`.
pub fn location(origin: &Origin) -> String {
    if origin.line > 0 {
        format!("{}:{}", origin.file, origin.line)
    } else {
        origin.file.to_string()
    }
}

/// ANSI styles for the human format.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    on: bool,
    redact: bool,
}

impl Style {
    /// Colors on or off (and no redaction).
    pub fn new(on: bool) -> Style {
        Style { on, redact: false }
    }

    /// The same style, masking personal data in the text the output
    /// repeats when `redact` is true (`--redact`, see [`crate::redact`]).
    pub fn redacting(self, redact: bool) -> Style {
        Style { redact, ..self }
    }

    /// Whether personal data is masked.
    pub fn redacts(&self) -> bool {
        self.redact
    }
    fn paint(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// Where a transcript's turns are in its input, for the `path:line:col` of
/// each finding in the human format.
#[derive(Debug, Clone, Copy)]
pub enum Place<'a> {
    /// The whole record is one line (JSONL): every finding is on it, and its
    /// column is counted in its turn's text.
    Line,
    /// Each turn starts at a line of its own (CSV rows, plain text), and
    /// its line breaks are the file's.
    Turns(&'a [TurnAt]),
    /// A JSON element starting at the origin's line: no column.
    Element,
}

impl<'a> Place<'a> {
    /// Where the turns of a [`Unit::Item`](crate::input::Unit::Item) are,
    /// by its `turns_at`: [`Place::Turns`] when it says where each turn
    /// starts (CSV, plain text), [`Place::Element`] when it is empty (JSON).
    pub fn of_item(turns_at: &'a [TurnAt]) -> Place<'a> {
        if turns_at.is_empty() {
            Place::Element
        } else {
            Place::Turns(turns_at)
        }
    }
}

/// Finds the `path:line:col` of findings in position order, counting each
/// turn's characters and line breaks once (a turn with thousands of
/// findings is scanned once, not once per finding).
pub(crate) struct Locator<'a> {
    place: Place<'a>,
    /// The turn counted so far, and the byte it was counted up to.
    turn: usize,
    at: usize,
    /// Line breaks before `at`, and characters since the last one.
    breaks: usize,
    column: usize,
    /// Whether the byte before `at` is a CR (a CR LF is one line end).
    after_cr: bool,
    /// Characters before `at`.
    chars: usize,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(place: Place<'a>) -> Locator<'a> {
        Locator {
            place,
            turn: usize::MAX,
            at: 0,
            breaks: 0,
            column: 0,
            after_cr: false,
            chars: 0,
        }
    }

    /// `path:line:col` (or `path:line`) of the phrase starting at byte `at`
    /// of turn `turn`, whose text is `text`.
    fn locate(&mut self, origin: &Origin, turn: usize, text: &str, at: usize) -> String {
        let file = escape_controls(&origin.file);
        match self.line_col(origin, turn, text, at) {
            (line, Some(col)) => format!("{file}:{line}:{col}"),
            (line, None) => format!("{file}:{line}"),
        }
    }

    /// The line and column (none for a JSON element) of the phrase starting
    /// at byte `at` of turn `turn`, whose text is `text`.
    pub(crate) fn line_col(
        &mut self,
        origin: &Origin,
        turn: usize,
        text: &str,
        at: usize,
    ) -> (usize, Option<usize>) {
        let at = floor_char(text, at);
        if turn != self.turn || at < self.at {
            (self.turn, self.at, self.breaks, self.column, self.chars) = (turn, 0, 0, 0, 0);
            self.after_cr = false;
        }
        for c in text[self.at..at].chars() {
            match c {
                '\n' if self.after_cr => self.column = 0,
                '\n' | '\r' => {
                    self.breaks += 1;
                    self.column = 0;
                }
                _ => self.column += 1,
            }
            self.after_cr = c == '\r';
            self.chars += 1;
        }
        self.at = at;
        match self.place {
            // line breaks in a JSON string are escapes on the record's line:
            // the column counts every character of the turn before the phrase
            Place::Line => (origin.line, Some(1 + self.chars)),
            Place::Turns(turns) => {
                let start = turns.get(turn).copied().unwrap_or(TurnAt {
                    line: origin.line,
                    column: 0,
                });
                let col = if self.breaks == 0 {
                    1 + start.column + self.column
                } else {
                    1 + self.column
                };
                (start.line + self.breaks, Some(col))
            }
            Place::Element => (origin.line, None),
        }
    }
}

/// `at`, moved back to a character boundary of `text` if it is not one.
fn floor_char(text: &str, at: usize) -> usize {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// Writes one analyzed transcript as compiler-style diagnostics: each
/// finding's phrase underlined in its sentence, after it the finding's
/// `path:line:col` (see [`Place`]), rule id and message.
pub fn human_record(
    out: &mut Vec<u8>,
    item: &Item,
    origin: &Origin,
    place: Place<'_>,
    report: &Report,
    style: Style,
) -> io::Result<()> {
    let t = &item.transcript;
    let mut locator = Locator::new(place);
    let mut masker = Masker::new(t, style.redact);
    let issues = report
        .findings
        .iter()
        .filter(|f| f.kind == tactful::Kind::Issue)
        .count();
    let score = report.score.total;
    let score_s = style.paint(
        if score >= 80 {
            "32"
        } else if score >= 50 {
            "33"
        } else {
            "31"
        },
        &format!("score {score}/100"),
    );
    writeln!(
        out,
        "{}  {}  ({} issue{}, {} finding{})",
        style.paint("1", &escape_controls(&t.id)),
        score_s,
        issues,
        if issues == 1 { "" } else { "s" },
        report.findings.len(),
        if report.findings.len() == 1 { "" } else { "s" }
    )?;
    let mut i = 0;
    while i < report.findings.len() {
        let turn_index = report.findings[i].turn;
        let turn = &t.turns[turn_index];
        let text: &str = &turn.text;
        // findings of this turn, grouped by sentence
        let mut j = i;
        while j < report.findings.len() && report.findings[j].turn == turn_index {
            j += 1;
        }
        // the turn's sentences once (as `sentence_at` finds them), not a
        // scan from the start of the turn for each finding
        let sentences: Vec<tactful::Span> = tactful::text::sentences(text).collect();
        let mut by_sentence: Vec<(tactful::Span, Vec<&Finding>)> = Vec::new();
        let mut index: HashMap<(u32, u32), usize> = HashMap::new();
        for f in &report.findings[i..j] {
            let at = f.span.start;
            let s = match sentences.get(sentences.partition_point(|s| s.end <= at)) {
                Some(&s) => s,
                None => sentences
                    .last()
                    .copied()
                    .unwrap_or(tactful::Span::new(0, text.len())),
            };
            let s = tactful::Span::new(
                s.start.min(f.span.start) as usize,
                s.end.max(f.span.end) as usize,
            );
            match index.get(&(s.start, s.end)) {
                Some(&k) => by_sentence[k].1.push(f),
                None => {
                    index.insert((s.start, s.end), by_sentence.len());
                    by_sentence.push((s, vec![f]));
                }
            }
        }
        let head = format!("  turn {}, {}: ", turn_index, turn.role);
        let indent = " ".repeat(head.chars().count());
        let mut first_line = true;
        let mut line = |out: &mut Vec<u8>, quoted: &str| {
            if std::mem::take(&mut first_line) {
                writeln!(out, "{}{}", style.paint("2", &head), quoted)
            } else {
                writeln!(out, "{indent}{quoted}")
            }
        };
        for (sentence, findings) in &by_sentence {
            // a long sentence is not quoted whole under each of its findings
            // (the output would grow with the square of its length): each
            // finding gets an excerpt around it instead
            let long = text[sentence.range()]
                .chars()
                .nth(MAX_QUOTE_CHARS)
                .is_some();
            if !long {
                line(out, &display(&masker.text(turn_index, sentence.range())))?;
            }
            for f in findings {
                // columns before the phrase on its quoted line
                let pre = if long {
                    let (from, to) = excerpt(text, *sentence, f.span);
                    let cut_before = from > sentence.start as usize;
                    let cut_after = to < sentence.end as usize;
                    let quoted = format!(
                        "{}{}{}",
                        if cut_before { "…" } else { "" },
                        display(&masker.text(turn_index, from..to)),
                        if cut_after { "…" } else { "" }
                    );
                    line(out, &quoted)?;
                    usize::from(cut_before)
                        + display_width(&masker.text(turn_index, from..f.span.start as usize))
                } else {
                    display_width(
                        &masker.text(turn_index, sentence.start as usize..f.span.start as usize),
                    )
                };
                let len = display_width(&masker.text(turn_index, f.span.range())).max(1);
                let color = match (f.kind, f.severity) {
                    (tactful::Kind::Strength, _) => "32",
                    (tactful::Kind::Signal, _) => "36",
                    (_, Severity::Error) => "31",
                    (_, Severity::Warning) => "33",
                    _ => "34",
                };
                writeln!(
                    out,
                    "{indent}{}{} {}: {}: {}",
                    " ".repeat(pre),
                    style.paint(color, &"^".repeat(len)),
                    locator.locate(origin, f.turn, text, f.span.start as usize),
                    style.paint(color, f.rule),
                    f.message
                )?;
                if let Some(u) = f.upset.filter(|u| u.turn < t.turns.len()) {
                    let upset_text: &str = &t.turns[u.turn].text;
                    writeln!(
                        out,
                        "{indent}{}{} turn {} is upset (distress {}): \"{}\" at {}",
                        " ".repeat(pre),
                        style.paint("2", "why:"),
                        u.turn,
                        u.score,
                        display(&masker.text(u.turn, u.span.range())),
                        locator.locate(origin, u.turn, upset_text, u.span.start as usize),
                    )?;
                }
                if let Some(s) = f.suggestion {
                    writeln!(
                        out,
                        "{indent}{}{} {s}",
                        " ".repeat(pre),
                        style.paint("2", "try:")
                    )?;
                }
            }
        }
        i = j;
    }
    writeln!(out)
}

/// Longest sentence quoted whole in the human format, in characters.
const MAX_QUOTE_CHARS: usize = 1000;
/// Characters quoted on each side of a finding in a longer sentence.
const EXCERPT_CHARS: usize = 60;

/// The excerpt of `sentence` quoted for a finding at `span`: up to
/// [`EXCERPT_CHARS`] characters on each side.
fn excerpt(text: &str, sentence: tactful::Span, span: tactful::Span) -> (usize, usize) {
    let (ss, se) = (sentence.start as usize, sentence.end as usize);
    let (a, b) = (span.start as usize, span.end as usize);
    let from = text[ss..a]
        .char_indices()
        .rev()
        .nth(EXCERPT_CHARS - 1)
        .map_or(ss, |(i, _)| ss + i);
    let to = text[b..se]
        .char_indices()
        .nth(EXCERPT_CHARS)
        .map_or(se, |(i, _)| b + i);
    (from, to)
}

/// Writes the issues of one canned reply as `path:line:col: rule message`.
pub fn human_reply(
    out: &mut Vec<u8>,
    item: &Item,
    origin: &Origin,
    report: &Report,
    style: Style,
) -> io::Result<()> {
    let t = &item.transcript;
    let mut masker = Masker::new(t, style.redact);
    for f in report
        .findings
        .iter()
        .filter(|f| f.kind == tactful::Kind::Issue)
    {
        let text: &str = &t.turns[f.turn].text;
        let before = &text[..f.span.start as usize];
        let line = origin.line.max(1) + before.matches('\n').count();
        let col = 1 + before.rsplit('\n').next().map_or(0, |l| l.chars().count());
        let color = if f.severity == Severity::Error {
            "31"
        } else {
            "33"
        };
        writeln!(
            out,
            "{}:{line}:{col}: {} {} \"{}\"",
            escape_controls(&origin.file),
            style.paint(color, f.rule),
            f.message,
            display(&masker.text(f.turn, f.span.range()))
        )?;
        if let Some(s) = f.suggestion {
            writeln!(out, "    {} {s}", style.paint("2", "try:"))?;
        }
    }
    Ok(())
}

/// Writes one error record for people.
pub fn human_error(
    out: &mut Vec<u8>,
    origin: &Origin,
    id: Option<&str>,
    message: &str,
    style: Style,
) -> io::Result<()> {
    let id = id
        .map(|i| format!(" ({})", escape_controls(i)))
        .unwrap_or_default();
    let message = escape_controls(message);
    writeln!(
        out,
        "{}{id}: {}: {message}\n",
        style.paint("1", &escape_controls(&location(origin))),
        style.paint("31", "error")
    )
}

/// Text as shown on one line: line breaks and tabs as spaces, any other
/// control character escaped (see [`escape_controls`]).
fn display(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '\n' || c == '\r' || c == '\t' {
            out.push(' ');
        } else if c.is_control() {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    out
}

/// Text from the input as the human formats print it: every control
/// character (C0, DEL and C1, line breaks and tabs too) written as Rust
/// writes it escaped, `\u{1b}`, so that input can neither move the cursor,
/// recolour or retitle the terminal, ring its bell, nor start a line of its
/// own. tactful's own colour codes are added around the escaped text.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A message for stderr: control characters from the input (in file names,
/// ids, quoted lines) escaped as [`escape_controls`] escapes them, line
/// breaks kept (a configuration error shows its line under the message).
/// A message that must stay on one line (an input error) is escaped whole.
pub fn escape_message(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() && c != '\n' {
            push_escaped(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `\u{HEX}` for a control character.
fn push_escaped(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", c as u32);
}

/// Columns a text takes on a terminal as [`display`] shows it: each
/// character's display width (two for most emoji and CJK characters, none
/// for combining marks and zero-width characters), an escaped control
/// character its escape's width.
fn display_width(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(display(s).as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::parse_record;
    use tactful::Analyzer;

    #[test]
    fn json_records_are_the_bytes_serde_json_writes() {
        let analyzer = Analyzer::new();
        // the bundled sample export where the workspace is there (not in
        // the packaged crate), and records of its own
        let mut lines: Vec<String> = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/sample.jsonl"
        ))
        .map(|s| s.lines().map(str::to_string).collect())
        .unwrap_or_default();
        lines.push(
            r#"{"id":"S-1","agent":"Ann","turns":[{"role":"customer","text":"Where is my parcel?!! Third time asking."},{"role":"agent","text":"That's the courier's fault. You'll need to contact them directly."}]}"#
                .to_string(),
        );
        lines.push(
            r#"{"id":"q\"1\u0001","agent":"A\\b","team":"t","channel":"c\n","metadata":{"k":[1,"x"]},"turns":[{"role":"customer","text":"This is UNACCEPTABLE!! \"per our policy\"\n\tI am furious \u00e9\u2028"},{"role":"agent","text":"I'm sorry if you feel that way, but per our policy we can't."}]}"#
                .to_string(),
        );
        lines.push(r#"{"id":7,"turns":[{"role":"agent","text":"Hello"}]}"#.to_string());
        let mut checked = 0;
        for (n, line) in lines.iter().enumerate() {
            let Ok(item) = parse_record(line.as_bytes(), &n.to_string()) else {
                continue;
            };
            let report = analyzer.analyze(&item.transcript);
            let (mut fast, mut reference) = (Vec::new(), Vec::new());
            json_record(&mut fast, &item, &report);
            json_record_serde(&mut reference, &item, &report);
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&reference)
            );
            checked += 1;
        }
        assert!(checked >= 3);
    }

    #[test]
    fn scores_written_from_the_tables_are_those_written_member_by_member() {
        // every category with every value (and none), alone, in pairs and
        // all together; values past 100 take the slow path
        let values: Vec<Option<u8>> = (0..=255).map(Some).chain([None]).collect();
        let check = |map: &BTreeMap<Category, Option<u8>>| {
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            json_scores(&mut fast, map);
            json_scores_slow(&mut slow, map);
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&slow)
            );
        };
        check(&BTreeMap::new());
        for (k, &c) in Category::ALL.iter().enumerate() {
            assert_eq!(
                score_member(c).map(|m| m.0[..usize::from(m.1)].to_vec()),
                Some(format!("\"{}\":", c.as_str()).into_bytes())
            );
            for &v in &values {
                check(&BTreeMap::from([(c, v)]));
                let d = Category::ALL[(k + 5) % Category::ALL.len()];
                check(&BTreeMap::from([(c, v), (d, Some(100))]));
            }
        }
        for &v in &values {
            check(&Category::ALL.iter().map(|&c| (c, v)).collect());
        }
        // the analyzer's six, as records carry them
        for v in [Some(0), Some(7), Some(85), Some(100), None] {
            let mut map: BTreeMap<Category, Option<u8>> =
                Category::ALL.iter().map(|&c| (c, Some(100))).collect();
            map.retain(|c, _| !matches!(c, Category::Distress | Category::Action));
            map.insert(Category::Empathy, v);
            check(&map);
        }
    }

    #[test]
    fn findings_written_from_the_cache_are_serde_json_s_bytes() {
        // a finding of a record, given each rule's fields in turn (and
        // messages and suggestions to escape), written many times over so
        // that most are taken from the cache
        let item = parse_record(
            br#"{"id":"F","turns":[{"role":"customer","text":"Where is it?! \"now\""},{"role":"agent","text":"That's the courier's fault. You'll need to contact them."}]}"#,
            "1",
        );
        let Ok(item) = item else {
            panic!("the record is read");
        };
        let t = &item.transcript;
        let report = Analyzer::new().analyze(t);
        let base = report.findings.first().cloned().unwrap();
        let odd: [(&'static str, Option<&'static str>); 3] = [
            ("a \"quoted\"\nmessage\\", Some("tab\there \u{1}")),
            ("plain", None),
            ("plain", Some("é \"x\"")),
        ];
        let mut findings = Vec::new();
        for r in tactful::rule::all() {
            let mut f = base.clone();
            (f.rule, f.category, f.kind, f.severity) = (r.id, r.category, r.kind, r.severity);
            (f.message, f.suggestion) = (r.message, r.suggestion);
            findings.push(f.clone());
            for (message, suggestion) in odd {
                (f.message, f.suggestion) = (message, suggestion);
                findings.push(f.clone());
            }
        }
        for f in findings
            .iter()
            .chain(findings.iter().rev())
            .cycle()
            .take(findings.len() * 5)
        {
            let mut fast = Vec::new();
            json_finding(&mut fast, f, t);
            let reference =
                serde_json::to_vec(&FindingRecord::new(f, t, &mut Masker::new(t, false))).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&reference)
            );
        }
    }

    #[test]
    fn every_name_written_without_escaping_needs_none() {
        use tactful::{Category, Kind, Role, Severity};
        let names = tactful::rule::all()
            .iter()
            .flat_map(|r| {
                [
                    r.id,
                    r.category.as_str(),
                    r.kind.as_str(),
                    r.severity.as_str(),
                ]
            })
            .chain([Kind::Issue, Kind::Strength, Kind::Signal].map(Kind::as_str))
            .chain([Severity::Info, Severity::Warning, Severity::Error].map(Severity::as_str))
            .chain([Role::Customer, Role::Agent, Role::System].map(Role::as_str))
            .chain(Category::ALL.map(Category::as_str));
        for name in names {
            let mut out = Vec::new();
            json_name(&mut out, name);
            assert_eq!(out, serde_json::to_vec(name).unwrap(), "{name}");
        }
    }

    #[test]
    fn strings_and_numbers_match_serde_json() {
        for s in [
            "",
            "plain",
            "q\"uote",
            "back\\slash",
            "tab\tnl\n\u{1}\u{1f}",
            "é\u{7f}/<>",
        ] {
            let mut out = Vec::new();
            json_str(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap());
        }
        let mut text = String::new();
        let wide = ['é', '\u{2028}', '\u{7f}', '😀'];
        for c in (0u8..0x80).map(char::from).chain(wide) {
            text.push(c);
            for s in [text.as_str(), &text[text.len() - c.len_utf8()..], "plain"] {
                let mut out = Vec::new();
                json_str(&mut out, s);
                assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
            }
        }
        let long = ["a".repeat(40), "b\"".repeat(9), "\n\u{1}\\".repeat(3)].concat();
        for cut in 0..long.len() {
            let mut out = Vec::new();
            json_str(&mut out, &long[cut..]);
            assert_eq!(out, serde_json::to_vec(&long[cut..]).unwrap());
        }
        let powers = (0..20).flat_map(|k| {
            let p = 10u64.pow(k);
            [
                p - 1,
                p,
                p + 1,
                p.saturating_mul(5),
                p.saturating_mul(9).saturating_add(9),
            ]
        });
        let others = [255, 65_535, u64::from(u32::MAX), u64::MAX];
        for v in powers.chain(others).chain(0..1200) {
            let mut out = Vec::new();
            json_uint(&mut out, v);
            assert_eq!(out, v.to_string().as_bytes());
        }
    }
}
