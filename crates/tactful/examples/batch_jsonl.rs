//! Batch: analyze a JSONL file of transcripts in parallel with rayon, keeping
//! input order, and print one line per transcript.
//!
//! Run: `cargo run --release -p tactful --example batch_jsonl -- fixtures/sample.jsonl`
//!
//! Each line is deserialized straight into a `Transcript`: ids may be strings
//! or numbers and roles may use aliases (`User`, `rep`, `bot`), but `id` is
//! required, so the one line of `fixtures/sample.jsonl` without an id prints an
//! error here (the `tactful` CLI numbers such a record by its line instead).

use rayon::prelude::*;
use std::io::{BufRead, BufReader};
use tactful::{Analyzer, Scratch, Transcript};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "fixtures/sample.jsonl".to_string());
    let lines: Vec<String> = BufReader::new(std::fs::File::open(&path)?)
        .lines()
        .collect::<Result<_, _>>()?;
    let analyzer = Analyzer::new(); // built once, shared by every thread
    let results: Vec<String> = lines
        .par_iter()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map_init(
            Scratch::default,
            |scratch, (i, line)| match serde_json::from_str::<Transcript>(line) {
                Ok(t) => {
                    let r = analyzer.analyze_with(&t, scratch);
                    format!("{}\t{}\t{} findings", t.id, r.score.total, r.findings.len())
                }
                Err(e) => format!("line {}\terror: {e}", i + 1),
            },
        )
        .collect();
    for r in results {
        println!("{r}");
    }
    Ok(())
}
