//! Prints what the excuse model reads in labeled conversations, the input of
//! `scripts/fit-excuse.py`.
//!
//! ```sh
//! cargo run --release --example excuse_features < set.jsonl > features.jsonl
//! ```
//!
//! Reads one conversation a line (`{"id", "team"?, "turns": [{"role",
//! "text"}], "labels": {"excuse": bool}}`, other keys ignored) and writes one
//! JSON object a line: its id, its team (brand) if given, its `excuse` label
//! (`null` when it has none), whether the `excuse.*` phrase lists find an
//! excuse in it, and each statement sentence of its agent turns with its
//! words and word pairs and whether a phrase-list excuse lies in it, as
//! `Analyzer::explain_excuse` gives them. Lines that do not parse are reported
//! on stderr and skipped.

use std::io::{BufRead, Write};
use tactful::{Analyzer, Category, Role, Transcript, Turn};

fn main() -> std::io::Result<()> {
    let analyzer = Analyzer::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
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
        let listed = analyzer
            .analyze(&transcript)
            .findings
            .iter()
            .any(|f| f.category == Category::Excuse && f.rule != "excuse.implied");
        let why = analyzer.explain_excuse(&transcript);
        let sentences: Vec<serde_json::Value> = why
            .sentences
            .iter()
            .map(|s| serde_json::json!({"turn": s.turn, "listed": s.listed, "score": s.score, "words": s.words}))
            .collect();
        let row = serde_json::json!({
            "id": id,
            "team": item["team"].as_str().unwrap_or_default(),
            "label": item["labels"]["excuse"].as_bool(),
            "listed": listed,
            "sentences": sentences,
        });
        writeln!(out, "{row}")?;
    }
    Ok(())
}
