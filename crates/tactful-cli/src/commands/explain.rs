//! `tactful explain RULE`: a rule's full documentation.

use std::io::{self, Write};

/// Runs `tactful explain RULE`; exit code 2 for an unknown rule.
pub(crate) fn run(id: &str) -> anyhow::Result<u8> {
    let Some(r) = tactful::rule::find(id) else {
        let near: Vec<&str> = tactful::rule::matching(id).map(|r| r.id).collect();
        if near.is_empty() {
            match tactful_cli::suggest::nearest_rule(id) {
                Some(s) => warn!(
                    "tactful: no rule {id:?}; did you mean `{s}`? (`tactful rules` lists them all)"
                ),
                None => warn!("tactful: no rule {id:?}; `tactful rules` lists them all"),
            }
        } else {
            warn!(
                "tactful: {id:?} is a category; its rules: {}",
                near.join(", ")
            );
        }
        return Ok(2);
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}  ({}, {}, default severity {})\n",
        r.id,
        r.category,
        r.kind.as_str(),
        r.severity
    )?;
    writeln!(out, "{}\n", r.summary)?;
    for line in r.doc.lines() {
        writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
    }
    writeln!(out, "Message: {}", r.message)?;
    if let Some(s) = r.suggestion {
        writeln!(out, "Suggestion: {s}")?;
    }
    Ok(0)
}
