//! Property tests over arbitrary Unicode: spans always lie on character
//! boundaries inside their turn, the normalized view maps back exactly, and
//! analysis is deterministic.

use proptest::prelude::*;
use std::sync::LazyLock;
use tactful::text::{first_sentence, sentences, tokens, Normalized};
use tactful::{Analyzer, Role, Transcript, Turn};

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);

/// Text mixing phrase fragments, curly quotes, emoji, combining marks,
/// right-to-left script, zero-width characters and odd white space.
fn messy_text() -> impl Strategy<Value = String> {
    let pieces = prop_oneof![
        Just("I’m sorry, but ".to_string()),
        Just("per our  policy\n".to_string()),
        Just("THIS IS RIDICULOUS!!! ".to_string()),
        Just("sorry you feel that way. ".to_string()),
        Just("we'll i'd can't ".to_string()),
        Just("so\u{200B}rry ".to_string()),
        Just("e\u{301}\u{302} ".to_string()),
        Just("مرحبا بك ".to_string()),
        Just("😡🤬 ".to_string()),
        Just("“quoted” ‘x’ ".to_string()),
        Just("\r\n\t \u{a0}".to_string()),
        Just("İstanbul ß ".to_string()),
        any::<String>(),
        "[a-zA-Z' ,.!?]{0,30}",
    ];
    prop::collection::vec(pieces, 0..8).prop_map(|v| v.concat())
}

fn transcript(turns: &[(bool, String)]) -> Transcript<'_> {
    let mut t = Transcript::new("p");
    for (agent, text) in turns {
        let role = if *agent { Role::Agent } else { Role::Customer };
        t.turns.push(Turn::new(role, text.as_str()));
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn normalized_offsets_map_back_to_char_boundaries(text in messy_text()) {
        let n = Normalized::of(&text);
        let view = n.as_str();
        let starts: Vec<usize> = view.char_indices().map(|(i, _)| i).chain([view.len()]).collect();
        for (k, &a) in starts.iter().enumerate() {
            for &b in &starts[k..] {
                let span = n.to_original(a, b);
                prop_assert!(span.start <= span.end);
                prop_assert!(text.is_char_boundary(span.start as usize));
                prop_assert!(text.is_char_boundary(span.end as usize));
                prop_assert!(span.end as usize <= text.len());
            }
        }
        // the whole view maps back to a span that covers every non-space char
        let all = n.to_original(0, view.len());
        let skipped = |c: char| {
            c.is_whitespace() || matches!(c, '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{AD}')
        };
        let lead_ok = text[..all.start as usize].chars().all(skipped);
        prop_assert!(lead_ok, "text before the view: {:?}", &text[..all.start as usize]);
    }

    #[test]
    fn tokens_and_sentences_lie_on_boundaries(text in messy_text()) {
        for t in tokens(&text) {
            prop_assert_eq!(&text[t.span.range()], t.text);
        }
        for s in sentences(&text) {
            prop_assert!(s.slice(&text).is_some());
        }
        prop_assert!(first_sentence(&text).slice(&text).is_some());
    }

    #[test]
    fn every_finding_span_is_a_slice_of_its_turn(
        turns in prop::collection::vec((any::<bool>(), messy_text()), 1..5)
    ) {
        let t = transcript(&turns);
        let report = ANALYZER.analyze(&t);
        for f in &report.findings {
            let text: &str = &t.turns[f.turn].text;
            prop_assert!(f.span.slice(text).is_some(), "{:?} in {:?}", f, text);
            prop_assert!(!f.span.is_empty() || text.trim().is_empty(), "empty span {:?} in {:?}", f, text);
        }
        prop_assert!(report.score.total <= 100);
        // deterministic
        prop_assert_eq!(&report, &ANALYZER.analyze(&t));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// Feeding turns one at a time gives the same report as analyzing the
    /// whole transcript, and every finding is returned exactly once.
    #[test]
    fn incremental_analysis_equals_whole_analysis(
        turns in prop::collection::vec(
            (0u8..3, prop::sample::select(vec![
                "This is the third time I'm writing, I'm furious!!",
                "Where is my parcel?",
                "I'm cancelling, this is ridiculous.",
                "Thanks.",
                "Please send your order number.",
                "I understand how frustrating this is.",
                "I'm sorry, but per our policy we cannot.",
                "Sorry for the wait! It's on its way.",
                "We apologize for any inconvenience.",
                "An agent will join shortly.",
            ])),
            0..9,
        )
    ) {
        let roles = [Role::Customer, Role::Agent, Role::System];
        let mut t = Transcript::new("inc");
        for (r, text) in &turns {
            t.turns.push(Turn::new(roles[*r as usize], *text));
        }
        let whole = ANALYZER.analyze(&t);
        let mut chat = tactful::Conversation::new(&ANALYZER);
        let mut streamed = Vec::new();
        for (r, text) in &turns {
            streamed.extend(chat.push(roles[*r as usize], text));
        }
        streamed.extend(chat.finish());
        prop_assert_eq!(&chat.report(), &whole);
        streamed.sort_by_key(|f| (f.turn, f.span.start, f.span.end, f.rule));
        prop_assert_eq!(streamed, whole.findings);
    }
}

/// The analyzer is shared across threads by reference, and a live-chat
/// `Conversation` can be moved into a session or task: a compile-time check.
#[test]
fn the_analyzer_is_send_and_sync_and_a_conversation_is_send() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    send_sync::<tactful::Analyzer>();
    send_sync::<tactful::Report>();
    send_sync::<tactful::Config>();
    send::<tactful::Conversation<'static>>();
    send::<tactful::Scratch>();
    // and one analyzer really serves several threads at once
    let analyzer = Analyzer::new();
    let t = Transcript::new("t").with_turn(Turn::new(Role::Agent, "Per our policy, no."));
    let reports: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2).map(|_| s.spawn(|| analyzer.analyze(&t))).collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("thread"))
            .collect()
    });
    assert_eq!(reports[0], reports[1]);
    assert!(!reports[0].findings.is_empty());
}
