//! Response times from turn timestamps, and `timing.slow_reply`.

use tactful::{Analyzer, Config, Role, Transcript, Turn};

fn stamped<'a>(channel: Option<&'a str>, turns: &[(Role, &'a str, &'a str)]) -> Transcript<'a> {
    let mut t = Transcript::new("t");
    if let Some(c) = channel {
        t = t.with_channel(c);
    }
    for (role, text, ts) in turns {
        t.turns.push(Turn::new(*role, *text).with_timestamp(*ts));
    }
    t
}

fn slow(report: &tactful::Report) -> Vec<usize> {
    report
        .findings
        .iter()
        .filter(|f| f.rule == "timing.slow_reply")
        .map(|f| f.turn)
        .collect()
}

#[test]
fn each_channel_has_its_own_target() {
    let turns = [
        (
            Role::Customer,
            "Is my order coming?",
            "2024-05-01T09:00:00Z",
        ),
        (Role::Agent, "Yes, it ships today.", "2024-05-01T09:40:00Z"),
    ];
    let analyzer = Analyzer::new();
    // 40 minutes: slow for chat (5 minutes), fine for social (1 hour) and email
    let chat = analyzer.analyze(&stamped(Some("chat"), &turns));
    assert_eq!(slow(&chat), [1]);
    assert_eq!(chat.timing.as_ref().unwrap().first_response, Some(2400));
    assert!(slow(&analyzer.analyze(&stamped(Some("twitter"), &turns))).is_empty());
    assert!(slow(&analyzer.analyze(&stamped(Some("email"), &turns))).is_empty());
    assert!(slow(&analyzer.analyze(&stamped(None, &turns))).is_empty());
    // a team's own target, for a channel of its own
    let mut config = Config::default();
    config.timing = serde_json::from_str(r#"{"slow-reply": {"kiosk": "30m"}}"#).unwrap();
    let own = Analyzer::from_config(&config).unwrap();
    assert_eq!(slow(&own.analyze(&stamped(Some("Kiosk"), &turns))), [1]);
}

#[test]
fn epoch_seconds_and_offsets_read_alike() {
    let a = stamped(
        Some("chat"),
        &[
            (Role::Customer, "Hello?", "1714554000"),
            (Role::Agent, "Hi, how can I help?", "1714554060"),
        ],
    );
    let b = stamped(
        Some("chat"),
        &[
            (Role::Customer, "Hello?", "2024-05-01T11:00:00+02:00"),
            (Role::Agent, "Hi, how can I help?", "2024-05-01 09:01:00"),
        ],
    );
    let (a, b) = (Analyzer::new().analyze(&a), Analyzer::new().analyze(&b));
    assert_eq!(a.timing, b.timing);
    assert_eq!(a.timing.unwrap().longest_wait, Some(60));
}

#[test]
fn a_bad_or_missing_timestamp_switches_timing_off_without_failing() {
    let bad = stamped(
        Some("chat"),
        &[
            (
                Role::Customer,
                "Where is my parcel?",
                "2024-05-01T09:00:00Z",
            ),
            (
                Role::Agent,
                "Per our policy we cannot refund.",
                "half past nine",
            ),
        ],
    );
    let r = Analyzer::new().analyze(&bad);
    assert!(r.timing.is_none());
    assert!(slow(&r).is_empty());
    // the rest of the analysis stands
    assert!(r
        .findings
        .iter()
        .any(|f| f.rule == "procedural.policy_as_reason"));
    let mut missing = bad.clone();
    missing.turns[1].timestamp = None;
    assert!(Analyzer::new().analyze(&missing).timing.is_none());
}

#[test]
fn a_live_conversation_reports_slow_replies_as_they_arrive() {
    let analyzer = Analyzer::new();
    let mut chat = tactful::Conversation::new(&analyzer).with_channel("chat");
    let turns = [
        (
            Role::Customer,
            "Hi, my card was declined",
            "2024-05-01T09:00:00Z",
        ),
        (Role::Customer, "hello??", "2024-05-01T09:03:00Z"),
        (Role::Agent, "Sorry for the wait!", "2024-05-01T09:09:00Z"),
        (Role::Customer, "ok", "2024-05-01T09:10:00Z"),
        (Role::Agent, "It's fixed now.", "2024-05-01T09:11:00Z"),
    ];
    let mut seen = Vec::new();
    for (role, text, ts) in turns {
        let f = chat.push_turn(&Turn::new(role, text).with_timestamp(ts));
        seen.extend(
            f.iter()
                .filter(|f| f.rule == "timing.slow_reply")
                .map(|f| f.turn),
        );
    }
    chat.finish();
    // 9 minutes from the first unanswered message, not 6 from the chaser
    assert_eq!(seen, [2]);
    let whole = analyzer.analyze(&stamped(Some("chat"), &turns));
    assert_eq!(chat.report(), whole);
    assert_eq!(whole.timing.unwrap().waits.len(), 2);
}
