//! `tactful rules`: the rule list, or the phrase lists as literals.

use std::io::{self, Write};

/// Runs `tactful rules`: every rule as a table, or as JSON.
pub(crate) fn run(json: bool) -> anyhow::Result<u8> {
    let mut out = io::stdout().lock();
    if json {
        let list: Vec<serde_json::Value> = tactful::rule::all()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "category": r.category, "kind": r.kind.as_str(),
                    "severity": r.severity, "role": r.role, "summary": r.summary,
                    "message": r.message, "suggestion": r.suggestion,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(0);
    }
    let width = tactful::rule::all()
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0);
    for r in tactful::rule::all() {
        writeln!(
            out,
            "{:width$}  {:8}  {:7}  {}",
            r.id,
            r.kind.as_str(),
            r.severity.as_str(),
            r.summary
        )?;
    }
    Ok(0)
}

/// Runs `tactful rules --phrases`: one literal phrase per pattern of every
/// phrase list.
pub(crate) fn phrases() -> anyhow::Result<u8> {
    let mut out = io::stdout().lock();
    for r in tactful::rule::all() {
        let Some(src) = tactful::rule::phrase_list(r.id) else {
            continue;
        };
        for line in src.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with("! ") {
                continue;
            }
            if let Some(first) = tactful::lexicon::expand(line)
                .ok()
                .and_then(|v| v.into_iter().next())
            {
                writeln!(out, "{first}")?;
            }
        }
    }
    Ok(0)
}
