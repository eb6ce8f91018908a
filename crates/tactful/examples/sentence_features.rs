//! Prints what a sentence model reads in labeled conversations, the input of
//! `scripts/fit-sentence-model.py`.
//!
//! ```sh
//! cargo run --release --example sentence_features -- --label excuse < set.jsonl > features.jsonl
//! ```
//!
//! `--label` is `excuse` (the default), `procedural`, `patronizing` or
//! `specific` or `vague` (agent sentences; the label is `action` holding
//! that kind, `listed`: the promise lists find `action.specific` or
//! `action.vague`), or
//! `distress` (each customer turn, whole, as the distress word model reads
//! it; `listed`: the evidence alone makes the conversation distressed). Reads one
//! conversation a line (`{"id", "team"?, "turns": [{"role", "text"}],
//! "labels": {"excuse": bool}}`, other keys ignored) and writes one JSON
//! object a line: its id, its team (brand) if given, its label (`null` when
//! it has none), whether the phrase lists of that category find anything in
//! it, and each statement sentence of its agent turns with its words and word
//! pairs, its probability, and whether a phrase-list finding of the category
//! lies in it, as `Analyzer::explain_excuse` (or `explain_procedural`) gives
//! them. Lines that do not parse are reported on stderr and skipped.

use std::io::{BufRead, Write};
use tactful::{Analyzer, Category, Config, Role, Transcript, Turn};

fn main() -> std::io::Result<()> {
    // `--label procedural`: the same sentences, with that label and category
    let args: Vec<String> = std::env::args().collect();
    let label = match args.iter().position(|a| a == "--label") {
        Some(i) => args.get(i + 1).cloned().unwrap_or_default(),
        None => "excuse".to_string(),
    };
    let analyzer = Analyzer::new();
    // what the phrase lists alone find: the models switched off
    let mut config = Config::default();
    config.excuse_model.threshold = Some(100);
    config.procedural_model.threshold = Some(100);
    config.patronizing_model.threshold = Some(100);
    config.distress_words_model.threshold = Some(100);
    config.action_model.threshold = Some(100);
    config.vague_model.threshold = Some(100);
    let lists = Analyzer::from_config(&config).map_err(std::io::Error::other)?;
    let category = match label.as_str() {
        "patronizing" => "language",
        other => other,
    }
    .to_string();
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
        let listed = lists.analyze(&transcript).findings.iter().any(|f| {
            if label == "specific" || label == "vague" {
                f.rule == format!("action.{label}")
            } else {
                category_name(f.category) == category
            }
        });
        let why = match label.as_str() {
            "distress" => analyzer.explain_distress_words(&transcript),
            "specific" => analyzer.explain_action(&transcript),
            "vague" => analyzer.explain_vague(&transcript),
            "procedural" => analyzer.explain_procedural(&transcript),
            "patronizing" => analyzer.explain_patronizing(&transcript),
            _ => analyzer.explain_excuse(&transcript),
        };
        let sentences: Vec<serde_json::Value> = why
            .sentences
            .iter()
            .map(|s| serde_json::json!({"turn": s.turn, "listed": s.listed, "score": s.score, "words": s.words}))
            .collect();
        let row = serde_json::json!({
            "id": id,
            "team": item["team"].as_str().unwrap_or_default(),
            "label": match label.as_str() {
                // the action label is a list of kinds
                "specific" | "vague" => item["labels"]["action"]
                    .as_array()
                    .map(|a| a.iter().any(|k| *k == label.as_str())),
                _ => item["labels"][label.as_str()].as_bool(),
            },
            "listed": listed,
            "sentences": sentences,
        });
        writeln!(out, "{row}")?;
    }
    Ok(())
}

/// A category's name as the labels spell it.
fn category_name(c: Category) -> String {
    serde_json::to_value(c)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
