//! Prints what the topic model reads in labeled conversations, the input of
//! `scripts/fit-topics.py`.
//!
//! ```sh
//! cargo run --release --example topic_features < set.jsonl > features.tsv
//! ```
//!
//! Reads one conversation a line (`{"id", "team"?, "turns": [{"role",
//! "text"}], "labels": {"topics": [...]}}`, other keys ignored) and writes a
//! tab-separated table, one conversation a row: its id, its team (brand) if
//! given, its `topics` label (comma-separated; `-` when it has none), the
//! tags whose phrase lists match, and the words and word pairs of its
//! customer turns (`|`-separated), as `Analyzer::explain_topics` gives them.
//! Lines that do not parse are reported on stderr and skipped.

use std::io::{BufRead, Write};
use tactful::{Analyzer, Role, Transcript, Turn};

fn main() -> std::io::Result<()> {
    let analyzer = Analyzer::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(out, "id\tteam\tlabel\tlisted\twords")?;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let item: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                eprintln!("line {}: {e}", n + 1);
                continue;
            }
        };
        let id = item["id"].as_str().unwrap_or_default();
        let team = item["team"].as_str().unwrap_or_default();
        let label = match item["labels"]["topics"].as_array() {
            Some(tags) => tags
                .iter()
                .filter_map(|t| t.as_str())
                .collect::<Vec<_>>()
                .join(","),
            None => "-".to_string(),
        };
        let mut transcript = Transcript::new(id);
        for turn in item["turns"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let role = match turn["role"].as_str().unwrap_or_default() {
                "customer" => Role::Customer,
                "agent" => Role::Agent,
                _ => Role::System,
            };
            let text = turn["text"].as_str().unwrap_or_default();
            transcript = transcript.with_turn(Turn::new(role, text.to_string()));
        }
        let why = analyzer.explain_topics(&transcript);
        writeln!(
            out,
            "{id}\t{team}\t{label}\t{}\t{}",
            why.listed.join(","),
            why.words.join("|")
        )?;
    }
    Ok(())
}
