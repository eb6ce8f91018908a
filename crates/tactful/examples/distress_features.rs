//! Prints the distress evidence of every customer turn of labeled
//! conversations, the input of `scripts/fit-distress.py`.
//!
//! ```sh
//! cargo run --release --example distress_features < set.jsonl > features.tsv
//! ```
//!
//! Reads one conversation a line (`{"id", "turns": [{"role", "text"}],
//! "labels": {"distress": bool}}`, other keys ignored) and writes a
//! tab-separated table: the conversation's id, its team (brand) if given,
//! the turn's index, the
//! conversation's `distress` label (1, 0, or empty when it has none), then one
//! column per feature, as `tactful::distress::FEATURES` names them. Lines that
//! do not parse are reported on stderr and skipped.

use std::io::{BufRead, Write};
use tactful::{distress, Analyzer};

fn main() -> std::io::Result<()> {
    let analyzer = Analyzer::new();
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    writeln!(
        out,
        "id\tteam\tturn\tlabel\t{}",
        distress::FEATURES.join("\t")
    )?;
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
        let label = match item["labels"]["distress"].as_bool() {
            Some(true) => "1",
            Some(false) => "0",
            None => "",
        };
        let mut last = "";
        let turns = item["turns"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for (i, turn) in turns.iter().enumerate() {
            let role = turn["role"].as_str().unwrap_or_default();
            let text = turn["text"].as_str().unwrap_or_default();
            if role == "customer" && !text.is_empty() {
                let why = analyzer.explain_distress(text, last == "customer");
                let values: Vec<String> = why.features.iter().map(|f| format!("{}", f.1)).collect();
                writeln!(out, "{id}\t{team}\t{i}\t{label}\t{}", values.join("\t"))?;
            }
            if role == "customer" || role == "agent" {
                last = role;
            }
        }
    }
    Ok(())
}
