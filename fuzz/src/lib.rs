//! What every fuzz target checks. This file is also compiled into the
//! workspace test `fuzz_regressions` (with `#[path]`), so the committed
//! regression inputs in `fuzz/regressions/` replay under `cargo test` with the
//! very same checks, and without a nightly compiler.

use std::io::Cursor;
use std::sync::OnceLock;

use tactful::{Analyzer, Config, Conversation, Report, Role, Scratch, Transcript, Turn};
use tactful_cli::input::{self, InputFormat, Item, Origin, Unit};
use tactful_cli::output::{self, Style};
use tactful_cli::settings;

/// One analyzer for the whole fuzzing process (building it takes ~20 ms).
pub fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(Analyzer::new)
}

/// Record size limit used by the input targets: small, so the limit's error
/// path is fuzzed too.
pub const MAX_RECORD: usize = 64 * 1024;

/// Reads `data` as `format`, then analyzes and writes every unit in every
/// output format, as `tactful check` does. Panics (the fuzzer's "crash") if
/// a reader, the analyzer or a writer panics, if a span is not a char-boundary
/// slice of its turn, if an output record is not valid JSON, or if a JSONL
/// input does not give exactly one unit per non-blank line.
pub fn check_input(data: &[u8], format: InputFormat) {
    let mut units = Vec::new();
    input::read_reader(
        Box::new(Cursor::new(data.to_vec())),
        "fuzz",
        format,
        MAX_RECORD,
        &mut |u| {
            units.push(u);
            true
        },
    );
    assert!(!units.is_empty(), "every input gives at least one record");
    if format == InputFormat::Jsonl {
        let expected = jsonl_records(data).max(1);
        assert_eq!(units.len(), expected, "one unit per non-blank JSONL line");
    }
    let mut last_line = 0;
    for unit in units {
        // a CSV conversation's error names the line of the bad row, which
        // may come after a row error held while the conversation was open:
        // CSV records are in the order of the lines they start on, which a
        // unit does not carry
        let line = unit.origin().line;
        if format != InputFormat::Csv {
            assert!(line >= last_line, "units come in input order");
        }
        last_line = line;
        process(unit);
    }
}

/// How many records a JSONL input holds: its lines that are not blank (a BOM
/// at the start of the first line does not count as content).
pub fn jsonl_records(data: &[u8]) -> usize {
    data.split(|&b| b == b'\n')
        .enumerate()
        .filter(|(i, line)| {
            let line = if *i == 0 {
                line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line)
            } else {
                line
            };
            !line.iter().all(u8::is_ascii_whitespace)
        })
        .count()
}

fn process(unit: Unit) {
    match unit {
        Unit::JsonLine { origin, bytes } => {
            match input::parse_record(&bytes, &origin.line.to_string()) {
                Ok(item) => write_all(&item, &origin, output::Place::Line),
                Err(e) => write_error(&origin, e.id.as_deref(), &e.message),
            }
        }
        Unit::Item {
            origin,
            item,
            turns_at,
        } => write_all(&item, &origin, output::Place::of_item(&turns_at)),
        Unit::Error {
            origin,
            id,
            message,
        } => write_error(&origin, id.as_deref(), &message),
        Unit::JsonLines { .. } => panic!("read_reader gives JSONL line by line"),
    }
}

fn write_all(item: &Item, origin: &Origin, place: output::Place<'_>) {
    let report = analyzer().analyze_with(&item.transcript, &mut Scratch::default());
    check_report(&item.transcript, &report);
    let mut out = Vec::new();
    output::json_record(&mut out, item, &report);
    let v: serde_json::Value = serde_json::from_slice(&out).expect("a record is valid JSON");
    assert_eq!(
        v["findings"].as_array().map(Vec::len),
        Some(report.findings.len()),
        "every finding is written"
    );
    out.clear();
    output::json_record_styled(&mut out, item, &report, Style::new(false).redacting(true));
    let _: serde_json::Value =
        serde_json::from_slice(&out).expect("a redacted record is valid JSON");
    out.clear();
    output::csv_rows(&mut out, item, &report);
    assert!(std::str::from_utf8(&out).is_ok(), "CSV rows are UTF-8");
    out.clear();
    output::human_record(&mut out, item, origin, place, &report, Style::new(true))
        .expect("writes to a Vec");
    out.clear();
    output::sarif_results(
        &mut out,
        item,
        origin,
        place,
        &report,
        Style::new(false).redacting(true),
    );
    for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let _: serde_json::Value = serde_json::from_slice(line).expect("a SARIF result is JSON");
    }
    out.clear();
    output::github_annotations(&mut out, item, origin, place, &report, Style::new(false));
    let annotations = std::str::from_utf8(&out).expect("annotations are UTF-8");
    assert!(
        annotations.lines().all(|l| l.starts_with("::")),
        "one workflow command per line"
    );
}

fn write_error(origin: &Origin, id: Option<&str>, message: &str) {
    assert!(!message.is_empty(), "an error says what is wrong");
    let mut out = Vec::new();
    output::json_error(&mut out, origin, id, message);
    let v: serde_json::Value = serde_json::from_slice(&out).expect("an error record is valid JSON");
    assert!(v["error"].is_object() || v["error"].is_string(), "{v}");
    out.clear();
    output::csv_error(&mut out, origin, id, message);
    output::human_error(&mut out, origin, id, message, Style::new(false)).expect("writes");
    out.clear();
    output::sarif_error(&mut out, origin, id, message);
    output::github_error(&mut out, origin, message);
}

/// The invariants of one report on its transcript.
pub fn check_report(t: &Transcript<'_>, report: &Report) {
    assert!(report.score.total <= 100, "score is 0-100");
    for f in &report.findings {
        let turn = t.turns.get(f.turn).expect("finding names an existing turn");
        let text: &str = &turn.text;
        let (s, e) = (f.span.start as usize, f.span.end as usize);
        assert!(s <= e && e <= text.len(), "span inside its turn");
        assert!(
            text.is_char_boundary(s) && text.is_char_boundary(e),
            "span on char boundaries"
        );
        assert_eq!(f.text(text), &text[s..e]);
    }
}

/// Splits fuzz bytes into turns: lossy UTF-8, turns separated by U+001E; the
/// first character of a turn picks the role (`a` agent, `s` system, anything
/// else customer).
pub fn turns_from(data: &[u8]) -> Vec<(Role, String)> {
    let s = String::from_utf8_lossy(data);
    s.split('\u{1e}')
        .map(|part| {
            let role = match part.chars().next() {
                Some('a') => Role::Agent,
                Some('s') => Role::System,
                _ => Role::Customer,
            };
            (role, part.to_string())
        })
        .collect()
}

/// Analyzes arbitrary turns whole and turn by turn: no panic, valid spans,
/// deterministic, and the incremental API ends with the same findings.
pub fn check_analyzer(data: &[u8]) {
    let turns = turns_from(data);
    let mut t = Transcript::new("fuzz");
    for (role, text) in &turns {
        t = t.with_turn(Turn::new(*role, text.as_str()));
    }
    let a = analyzer();
    let whole = a.analyze(&t);
    check_report(&t, &whole);
    assert_eq!(whole, a.analyze(&t), "analysis is deterministic");
    let mut conv = Conversation::new(a);
    let mut seen = Vec::new();
    for (role, text) in &turns {
        seen.extend(conv.push(*role, text));
    }
    seen.extend(conv.finish());
    let key = |f: &tactful::Finding| (f.turn, f.span.start, f.span.end, f.rule);
    let mut inc: Vec<_> = seen.iter().map(key).collect();
    let mut all: Vec<_> = whole.findings.iter().map(key).collect();
    inc.sort_unstable();
    all.sort_unstable();
    assert_eq!(
        inc, all,
        "incremental findings equal whole-transcript findings"
    );
}

/// Fuzzes the configuration a team edits by hand: `tactful.toml` and the
/// pattern syntax of its phrase lists. The first byte picks what the rest is:
///
/// - `\x01` or `\x02`: one pattern per line, as the `[extend-phrases]` of
///   `procedural.policy_as_reason` (`\x01`) or the `[allow-phrases]` of
///   `procedural` (`\x02`), given to `Analyzer::from_config` as a `Config`;
///   when it builds, a transcript made of the patterns' own sample phrases is
///   analyzed (valid spans, deterministic);
/// - `\x03`: a lexicon file, through the pattern parser alone
///   (`parse_patterns`, `expand` and `sample` of each line);
/// - anything else: a whole `tactful.toml` (lossy UTF-8) through
///   `settings::parse`, whose errors start with a line number within the
///   file, and whose accepted configurations show as TOML that reads back
///   as the same configuration.
///
/// Panics (the fuzzer's "crash") on a panic, a stack overflow, or a broken
/// invariant.
pub fn check_config(data: &[u8]) {
    match data.split_first() {
        Some((1, rest)) => check_phrases(rest, false),
        Some((2, rest)) => check_phrases(rest, true),
        Some((3, rest)) => check_pattern_language(&String::from_utf8_lossy(rest)),
        _ => check_toml(&String::from_utf8_lossy(data)),
    }
}

fn check_toml(text: &str) {
    match settings::parse(text) {
        Ok(config) => {
            let shown = settings::show(&config);
            let again: Config = toml::from_str(&shown)
                .unwrap_or_else(|e| panic!("the shown configuration reads back: {e}\n{shown}"));
            assert_eq!(again, config, "show round-trips");
        }
        Err(e) => {
            let (line, message) = e.split_once(": ").expect("an error starts with its line");
            let line: usize = line.parse().expect("an error starts with its line number");
            assert!(
                line >= 1 && line <= text.lines().count().max(1),
                "line {line} is in the file"
            );
            assert!(!message.is_empty(), "an error says what is wrong");
        }
    }
}

fn check_phrases(data: &[u8], allow: bool) {
    let text = String::from_utf8_lossy(data);
    let patterns: Vec<String> = text.lines().map(str::to_string).collect();
    let mut config = Config::default();
    if allow {
        config
            .allow_phrases
            .insert("procedural".into(), patterns.clone());
    } else {
        config
            .extend_phrases
            .insert("procedural.policy_as_reason".into(), patterns.clone());
    }
    let analyzer = match Analyzer::from_config(&config) {
        Ok(a) => a,
        Err(e) => {
            assert!(!e.message().is_empty(), "an error says what is wrong");
            return;
        }
    };
    // the patterns' own phrases, and the lines as written, in an agent turn
    let mut reply = String::new();
    for p in &patterns {
        for phrase in tactful::lexicon::sample(p, 3).unwrap_or_default() {
            reply.push_str(&phrase);
            reply.push_str(". ");
        }
        reply.push_str(p);
        reply.push('\n');
    }
    let t = Transcript::new("fuzz")
        .with_turn(Turn::new(Role::Customer, "This is the third time!!!"))
        .with_turn(Turn::new(Role::Agent, reply.as_str()));
    let report = analyzer.analyze(&t);
    check_report(&t, &report);
    assert_eq!(report, analyzer.analyze(&t), "analysis is deterministic");
}

fn check_pattern_language(text: &str) {
    let parsed = tactful::lexicon::parse_patterns(text);
    if let Err(e) = &parsed {
        assert!(e.line >= 1, "an error names its line");
    }
    for line in text.lines() {
        if let Ok(phrases) = tactful::lexicon::expand(line) {
            assert!(!phrases.is_empty(), "a pattern that expands has phrases");
            assert!(
                phrases.windows(2).all(|w| w[0] < w[1]),
                "phrases are sorted, without duplicates"
            );
        }
        let _ = tactful::lexicon::sample(line, 4);
    }
}
