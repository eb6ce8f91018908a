//! Property tests of the readers and the batch, in process (fast): a
//! transcript's findings do not depend on the other transcripts of its batch,
//! on the order or the number of threads they are analyzed with, nor on the
//! input format it came in (the same conversation written as JSONL, CSV and
//! text and read back through `tactful_cli::input` gives the same turns and
//! the same findings). `tests/cli.rs` checks the same end to end on fixed
//! inputs with the real binary.

use proptest::prelude::*;
use rayon::prelude::*;
use std::path::Path;
use std::sync::LazyLock;
use tactful::{Analyzer, Report, Scratch, Transcript};
use tactful_cli::input::{self, InputFormat, Item, Unit};

static ANALYZER: LazyLock<Analyzer> = LazyLock::new(Analyzer::new);

/// Worker pools of 1 and 2 threads, as `--threads 1` and `--threads 2` run.
static POOLS: LazyLock<[rayon::ThreadPool; 2]> = LazyLock::new(|| {
    [1, 2].map(|n| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n)
            .build()
            .unwrap()
    })
});

/// A conversation: (role, text) turns.
type Conversation = Vec<(&'static str, String)>;

/// Pieces of a turn: real trigger phrases of every category (so findings are
/// not trivial), and arbitrary Unicode, line breaks, NUL, quotes, commas,
/// emoji, combining marks, right-to-left script and zero-width characters
/// (the characters a reader could mangle).
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("sorry".to_string()),
        Just("I’m sorry, but ".to_string()),
        Just("Sorry if that upset you. ".to_string()),
        Just("sorry you feel that way".to_string()),
        Just("We apologize for any inconvenience. ".to_string()),
        Just("per our policy we cannot ".to_string()),
        Just("Unfortunately, ".to_string()),
        Just("that's the courier's fault".to_string()),
        Just("!!!".to_string()),
        Just("this is ridiculous".to_string()),
        Just("THIS IS THE THIRD TIME ".to_string()),
        Just("I understand how frustrating this is. ".to_string()),
        Just("I'm cancelling and leaving a review".to_string()),
        Just("per\u{200B} our policy".to_string()),
        Just("e\u{301}\u{302} 😡🤬 ".to_string()),
        Just("שלום مرحبا بك ".to_string()),
        Just("\"quoted\", with commas, ".to_string()),
        Just("\n".to_string()),
        Just("\r\n\n".to_string()),
        Just("\0".to_string()),
        Just(" \t\u{a0}".to_string()),
        any::<String>(),
        "[a-zA-Z' ,.!?]{0,20}",
    ]
}

fn turn_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..6).prop_map(|v| v.concat())
}

fn conversation() -> impl Strategy<Value = Conversation> {
    let role = prop_oneof![
        3 => Just("customer"),
        3 => Just("agent"),
        1 => Just("system"),
    ];
    prop::collection::vec((role, turn_text()), 1..6)
}

/// The conversation as the text format can carry it. A text-format turn is
/// lines: a line break inside a turn would start a new turn when the next
/// line looks like a speaker prefix (`Agent: ...`), be dropped as a comment
/// or id when it starts with `#`, end the transcript when it is `---` or the
/// second of two blank lines, lose its content when it is only white space,
/// and lose a final `\r` (taken for a CRLF line end). So each turn is kept
/// on one line: line breaks become spaces.
fn text_safe(conversation: &Conversation) -> Conversation {
    conversation
        .iter()
        .map(|(r, t)| (*r, t.replace(['\n', '\r'], " ")))
        .collect()
}

fn write_jsonl(path: &Path, batch: &[(String, Conversation)]) {
    let mut out = String::new();
    for (id, conversation) in batch {
        let turns: Vec<serde_json::Value> = conversation
            .iter()
            .map(|(r, t)| serde_json::json!({"role": r, "text": t}))
            .collect();
        out.push_str(&serde_json::json!({"id": id, "turns": turns}).to_string());
        out.push('\n');
    }
    std::fs::write(path, out).unwrap();
}

fn write_csv(path: &Path, batch: &[(String, Conversation)]) {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(["conversation_id", "role", "text"]).unwrap();
    for (id, conversation) in batch {
        for (r, t) in conversation {
            w.write_record([id.as_str(), r, t]).unwrap();
        }
    }
    w.flush().unwrap();
}

fn write_text(path: &Path, batch: &[(String, Conversation)]) {
    let mut out = String::new();
    for (id, conversation) in batch {
        out.push_str(&format!("# id: {id}\n"));
        for (r, t) in conversation {
            let label = match *r {
                "agent" => "Agent",
                "customer" => "Customer",
                _ => "System",
            };
            out.push_str(&format!("{label}: {t}\n"));
        }
        out.push_str("---\n");
    }
    std::fs::write(path, out).unwrap();
}

/// Reads a file through the CLI's readers; any error record fails the test.
fn read(path: &Path, format: InputFormat) -> Vec<Item<'static>> {
    let mut items = Vec::new();
    input::read_input(
        path,
        Some(format),
        input::DEFAULT_MAX_RECORD_BYTES,
        &mut |unit| {
            items.push(match unit {
                Unit::JsonLine { origin, bytes } => {
                    match input::parse_record(&bytes, &origin.line.to_string()) {
                        Ok(item) => item.into_owned(),
                        Err(e) => panic!("{format:?} line {}: {}", origin.line, e.message),
                    }
                }
                Unit::Item { item, .. } => *item,
                Unit::Error {
                    origin, message, ..
                } => panic!("{format:?} line {}: {message}", origin.line),
                Unit::JsonLines { .. } => panic!("read_input gives JSONL line by line"),
            });
            true
        },
    );
    items
}

/// (role, text) of each turn, as read.
fn turns_of(t: &Transcript) -> Conversation {
    t.turns
        .iter()
        .map(|turn| (turn.role.as_str(), turn.text.to_string()))
        .collect()
}

fn ids(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("C-{i}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(100))]

    #[test]
    fn the_same_conversations_in_jsonl_csv_and_text_give_the_same_findings(
        batch in prop::collection::vec(conversation(), 1..4)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let named = |convs: Vec<Conversation>| -> Vec<(String, Conversation)> {
            ids(convs.len()).into_iter().zip(convs).collect()
        };
        // JSONL and CSV carry any text, line breaks included
        let raw = named(batch.clone());
        let jsonl = dir.path().join("raw.jsonl");
        let csv_path = dir.path().join("raw.csv");
        write_jsonl(&jsonl, &raw);
        write_csv(&csv_path, &raw);
        let from_jsonl = read(&jsonl, InputFormat::Jsonl);
        let from_csv = read(&csv_path, InputFormat::Csv);
        prop_assert_eq!(from_jsonl.len(), raw.len());
        prop_assert_eq!(from_csv.len(), raw.len());
        for ((id, conv), (j, c)) in raw.iter().zip(from_jsonl.iter().zip(&from_csv)) {
            prop_assert_eq!(&*j.transcript.id, id.as_str());
            prop_assert_eq!(&*c.transcript.id, id.as_str());
            prop_assert_eq!(&turns_of(&j.transcript), conv);
            prop_assert_eq!(&turns_of(&c.transcript), conv);
            prop_assert_eq!(
                ANALYZER.analyze(&j.transcript),
                ANALYZER.analyze(&c.transcript),
                "JSONL and CSV differ"
            );
        }
        // all three on what the text format can carry
        let safe = named(batch.iter().map(text_safe).collect());
        let paths = ["safe.jsonl", "safe.csv", "safe.txt"].map(|n| dir.path().join(n));
        write_jsonl(&paths[0], &safe);
        write_csv(&paths[1], &safe);
        write_text(&paths[2], &safe);
        let read_all = [
            read(&paths[0], InputFormat::Jsonl),
            read(&paths[1], InputFormat::Csv),
            read(&paths[2], InputFormat::Text),
        ];
        for items in &read_all {
            prop_assert_eq!(items.len(), safe.len());
        }
        for (k, (id, conv)) in safe.iter().enumerate() {
            let reports: Vec<Report> = read_all
                .iter()
                .map(|items| {
                    let t = &items[k].transcript;
                    assert_eq!(&*t.id, id.as_str());
                    assert_eq!(&turns_of(t), conv, "turns read back differ");
                    ANALYZER.analyze(t)
                })
                .collect();
            prop_assert_eq!(&reports[0], &reports[1], "JSONL and CSV differ");
            prop_assert_eq!(&reports[0], &reports[2], "JSONL and text differ");
        }
    }

    #[test]
    fn findings_do_not_depend_on_the_batch_its_order_or_threads(
        batch in prop::collection::vec(conversation(), 1..12)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let named: Vec<(String, Conversation)> = ids(batch.len()).into_iter().zip(batch).collect();
        let path = dir.path().join("batch.jsonl");
        write_jsonl(&path, &named);
        let items = read(&path, InputFormat::Jsonl);
        prop_assert_eq!(items.len(), named.len());
        // each transcript alone: its own file, a fresh scratch
        let alone: Vec<Report> = named
            .iter()
            .enumerate()
            .map(|(k, one)| {
                let p = dir.path().join(format!("one-{k}.jsonl"));
                write_jsonl(&p, std::slice::from_ref(one));
                let mut read_one = read(&p, InputFormat::Jsonl);
                assert_eq!(read_one.len(), 1);
                ANALYZER.analyze(&read_one.remove(0).transcript)
            })
            .collect();
        // one scratch reused across the batch, as a worker thread does, in
        // input order and reversed
        let mut scratch = Scratch::default();
        let shared: Vec<Report> = items
            .iter()
            .map(|i| ANALYZER.analyze_with(&i.transcript, &mut scratch))
            .collect();
        prop_assert_eq!(&shared, &alone);
        let mut reversed: Vec<Report> = items
            .iter()
            .rev()
            .map(|i| ANALYZER.analyze_with(&i.transcript, &mut scratch))
            .collect();
        reversed.reverse();
        prop_assert_eq!(&reversed, &alone);
        // the binary's chunk of work on 1 and 2 threads
        for pool in POOLS.iter() {
            let got: Vec<Report> = pool.install(|| {
                items
                    .par_iter()
                    .map_init(Scratch::default, |s, i| ANALYZER.analyze_with(&i.transcript, s))
                    .collect()
            });
            prop_assert_eq!(&got, &alone, "{} threads", pool.current_num_threads());
        }
    }
}
