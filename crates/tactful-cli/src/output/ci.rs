//! Formats for CI systems: a SARIF 2.1.0 log (code-scanning tools read it)
//! and GitHub Actions workflow commands (`::warning file=...::message`,
//! shown as annotations on a pull request).
//!
//! Both report the issue findings only (strengths and customer signals are
//! not problems to fix) and every input error. A finding's place is its
//! file and line where the input has lines (see [`Place`]); the transcript,
//! turn and byte span go in the SARIF result's `properties`.

use super::{escape_controls, Locator, Masker, Place, Style};
use crate::input::{Item, Origin};
use serde_json::{json, Value};
use tactful::{Finding, Kind, Report, Severity, Transcript, Turn};

/// The rule id of an input error in SARIF and GitHub output.
const INPUT_ERROR: &str = "input-error";

/// The SARIF level of a severity.
fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The start of a SARIF log, up to the opening of its results array: the
/// tool and every rule of the registry (and `input-error`).
pub fn sarif_header() -> Vec<u8> {
    let mut rules: Vec<Value> = tactful::rule::all()
        .iter()
        .map(|r| {
            let mut help = r.doc.trim().to_string();
            if let Some(s) = r.suggestion {
                help.push_str("\n\nSuggestion: ");
                help.push_str(s);
            }
            json!({
                "id": r.id,
                "shortDescription": {"text": r.summary},
                "fullDescription": {"text": r.message},
                "help": {"text": help},
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"category": r.category.as_str(), "kind": r.kind.as_str()},
            })
        })
        .collect();
    rules.push(json!({
        "id": INPUT_ERROR,
        "shortDescription": {"text": "an input record that could not be read"},
        "fullDescription": {"text": "The record could not be read (malformed JSON, invalid UTF-8, an unknown role, a record too long...); its message says why."},
        "defaultConfiguration": {"level": "error"},
    }));
    let driver = json!({
        "name": "tactful",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    let mut out = Vec::new();
    out.extend_from_slice(
        b"{\"$schema\":\"https://json.schemastore.org/sarif-2.1.0.json\",\"version\":\"2.1.0\",\"runs\":[{\"tool\":{\"driver\":",
    );
    // (a `Value` always serializes)
    let _ = serde_json::to_writer(&mut out, &driver);
    out.extend_from_slice(b"},\"results\":[\n");
    out
}

/// The end of a SARIF log after its results: the invocation, successful
/// when no input error was met.
pub fn sarif_footer(errors: usize) -> Vec<u8> {
    format!(
        "\n],\"invocations\":[{{\"executionSuccessful\":{}}}]}}]}}\n",
        errors == 0
    )
    .into_bytes()
}

/// An artifact URI for a file name: characters a URI reference cannot hold
/// as they are percent-encoded (UTF-8), `/` kept.
fn uri(file: &str) -> String {
    let mut out = String::with_capacity(file.len());
    for b in file.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SARIF location: the file, and the line (and column) when known.
fn sarif_location(file: &str, line: usize, col: Option<usize>) -> Value {
    let mut physical = json!({"artifactLocation": {"uri": uri(file)}});
    if line > 0 {
        let mut region = json!({"startLine": line});
        if let Some(c) = col {
            region["startColumn"] = json!(c);
        }
        physical["region"] = region;
    }
    json!([{"physicalLocation": physical}])
}

/// Each issue finding of `report` on transcript `t` (strengths and customer
/// signals are no problems to fix), in order, with the turn it is in and its
/// line and column in the input (see [`Place`]).
fn issues<'r, 't: 'r>(
    t: &'t Transcript<'t>,
    origin: &'r Origin,
    place: Place<'r>,
    report: &'r Report,
) -> impl Iterator<Item = (&'r Finding, &'t Turn<'t>, usize, Option<usize>)> + 'r {
    let mut locator = Locator::new(place);
    let issues = report.findings.iter().filter(|f| f.kind == Kind::Issue);
    issues.map(move |f| {
        let turn = &t.turns[f.turn];
        let (line, col) = locator.line_col(origin, f.turn, &turn.text, f.span.start as usize);
        (f, turn, line, col)
    })
}

/// A finding's message followed by its suggestion, if it has one
/// (`message Try: suggestion`).
fn with_suggestion(mut message: String, f: &Finding) -> String {
    if let Some(s) = f.suggestion {
        message.push_str(" Try: ");
        message.push_str(s);
    }
    message
}

/// Writes the SARIF results of one analyzed transcript, one JSON object per
/// line (the caller puts commas between them): one per issue finding.
pub fn sarif_results(
    out: &mut Vec<u8>,
    item: &Item,
    origin: &Origin,
    place: Place<'_>,
    report: &Report,
    style: Style,
) {
    let t = &item.transcript;
    let mut masker = Masker::new(t, style.redacts());
    for (f, turn, line, col) in issues(t, origin, place, report) {
        let result = json!({
            "ruleId": f.rule,
            "level": sarif_level(f.severity),
            "message": {"text": with_suggestion(f.message.to_string(), f)},
            "locations": sarif_location(&origin.file, line, col),
            "properties": {
                "transcript": &*t.id,
                "turn": f.turn,
                "role": turn.role.as_str(),
                "start": f.span.start,
                "end": f.span.end,
                "text": masker.text(f.turn, f.span.range()),
                "category": f.category.as_str(),
            },
        });
        let _ = serde_json::to_writer(&mut *out, &result);
        out.push(b'\n');
    }
}

/// Writes the SARIF result of an input error (one line).
pub fn sarif_error(out: &mut Vec<u8>, origin: &Origin, id: Option<&str>, message: &str) {
    let mut result = json!({
        "ruleId": INPUT_ERROR,
        "level": "error",
        "message": {"text": message},
        "locations": sarif_location(&origin.file, origin.line, None),
    });
    if let Some(id) = id {
        result["properties"] = json!({"transcript": id});
    }
    let _ = serde_json::to_writer(&mut *out, &result);
    out.push(b'\n');
}

/// GitHub's escaping of a workflow command's message.
fn github_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn github_property(s: &str) -> String {
    github_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// `file=F,line=L,col=C` of a workflow command.
fn github_place(file: &str, line: usize, col: Option<usize>) -> String {
    let mut p = format!("file={}", github_property(file));
    if line > 0 {
        p.push_str(&format!(",line={line}"));
        if let Some(c) = col {
            p.push_str(&format!(",col={c}"));
        }
    }
    p
}

/// Writes one GitHub Actions annotation per issue finding of a transcript:
/// `::warning file=F,line=L,col=C,title=RULE::message "phrase" (transcript T, turn N)`.
pub fn github_annotations(
    out: &mut Vec<u8>,
    item: &Item,
    origin: &Origin,
    place: Place<'_>,
    report: &Report,
    style: Style,
) {
    let t = &item.transcript;
    let mut masker = Masker::new(t, style.redacts());
    for (f, _, line, col) in issues(t, origin, place, report) {
        let level = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let message = with_suggestion(
            format!(
                "{} \"{}\" (transcript {}, turn {})",
                f.message,
                masker.text(f.turn, f.span.range()),
                t.id,
                f.turn
            ),
            f,
        );
        out.extend_from_slice(
            format!(
                "::{level} {},title={}::{}\n",
                github_place(&escape_controls(&origin.file), line, col),
                github_property(f.rule),
                github_data(&escape_controls(&message))
            )
            .as_bytes(),
        );
    }
}

/// Writes the GitHub Actions annotation of an input error.
pub fn github_error(out: &mut Vec<u8>, origin: &Origin, message: &str) {
    out.extend_from_slice(
        format!(
            "::error {},title={INPUT_ERROR}::{}\n",
            github_place(&escape_controls(&origin.file), origin.line, None),
            github_data(&escape_controls(message))
        )
        .as_bytes(),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_and_workflow_commands_are_escaped() {
        assert_eq!(uri("dir/a b%.jsonl"), "dir/a%20b%25.jsonl");
        assert_eq!(uri("é.txt"), "%C3%A9.txt");
        assert_eq!(github_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
        assert_eq!(github_data("x: y,\r\n"), "x: y,%0D%0A");
    }
}
