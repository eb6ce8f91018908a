//! A team's own phrases and scorecard from a config value, no file needed.
//!
//! Run: `cargo run -p tactful --example custom_phrases`

use tactful::{Analyzer, Config, Role, Transcript, Turn};

fn main() -> Result<(), tactful::Error> {
    let mut config = Config::default();
    // the team's house phrase for policy-speak
    config.extend_phrases.insert(
        "procedural.policy_as_reason".into(),
        vec!["(the|our) (handbook|rulebook) (says|states)".into()],
    );
    // a phrase the team accepts
    config
        .allow_phrases
        .insert("procedural".into(), vec!["as per your request".into()]);
    // deflecting apologies fail the transcript
    config.score.critical.push("apology.deflecting".into());
    let analyzer = Analyzer::from_config(&config)?;

    let t = Transcript::new("T-9")
        .with_turn(Turn::new(Role::Customer, "Why was I charged twice?"))
        .with_turn(Turn::new(
            Role::Agent,
            "As per your request I checked. The handbook says we refund in 10 days. Sorry you feel that way.",
        ));
    let report = analyzer.analyze(&t);
    for f in &report.findings {
        println!("{:<32} {:?}", f.rule, f.text(&t.turns[f.turn].text));
    }
    println!(
        "score {} (failed: {})",
        report.score.total, report.score.failed
    );
    Ok(())
}
