//! Analyze one transcript and print its findings.
//!
//! Run: `cargo run -p tactful --example analyze_one`

use tactful::{Analyzer, Role, Transcript, Turn};

fn main() {
    let analyzer = Analyzer::new();
    let transcript = Transcript::new("T-1")
        .with_turn(Turn::new(
            Role::Customer,
            "My order was meant to arrive for my son's birthday. I'm furious!!",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "I'm sorry, but per our policy we cannot refund until the parcel is returned.",
        ));
    let report = analyzer.analyze(&transcript);
    println!("{}: score {}/100", transcript.id, report.score.total);
    for f in &report.findings {
        let text = f.text(&transcript.turns[f.turn].text);
        println!("  turn {} {:<34} {:?}", f.turn, f.rule, text);
        if let Some(better) = f.suggestion {
            println!("    try: {better}");
        }
    }
}
