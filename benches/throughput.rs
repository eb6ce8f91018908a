//! Criterion benchmarks: normalizing a turn, analyzing a short reply, a long
//! email and a whole transcript with a prebuilt `Analyzer`, and parsing JSONL.
//!
//! Run with `cargo bench`; see `benches/README.md` for figures.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use tactful::text::Normalized;
use tactful::{Analyzer, Conversation, Role, Scratch, Transcript, Turn};

const SHORT_REPLY: &str = "Hi Dana, I'm sorry, but per our policy we cannot refund opened items. \
You will need to submit a new ticket with the returns team, who can look at an exchange. \
Due to high demand this may take a few days. Thanks for your patience!";

fn long_email() -> String {
    let para = "Dear Customer,\n\nThank you for contacting us about your recent order. Please be \
advised that, as per our terms and conditions, refunds can only be issued within 30 days of \
purchase. We apologize for any inconvenience this may have caused. Our records show the parcel \
was handed to the courier on Monday, so any delay after that point is the courier's \
responsibility rather than ours. If you would like to pursue this further, you will need to \
fill out the claim form on our website and attach your receipt. ";
    let mut s = String::new();
    while s.split_whitespace().count() < 400 {
        s.push_str(para);
    }
    s
}

fn transcript() -> Transcript<'static> {
    Transcript::new("bench")
        .with_turn(Turn::new(
            Role::Customer,
            "This is the THIRD time I'm writing!! My order was supposed to arrive for my \
             daughter's birthday and it's still not here. Absolutely ridiculous.",
        ))
        .with_turn(Turn::new(Role::Agent, SHORT_REPLY))
        .with_turn(Turn::new(
            Role::Customer,
            "I'm cancelling my account and posting this on Twitter.",
        ))
        .with_turn(Turn::new(
            Role::Agent,
            "I understand how frustrating this is, and I'm so sorry we let you down. I've \
             refunded the order in full and sent a replacement by express delivery today.",
        ))
}

fn benches(c: &mut Criterion) {
    let analyzer = Analyzer::new();
    let email = long_email();

    let mut g = c.benchmark_group("normalize");
    for (name, text) in [("short_reply", SHORT_REPLY), ("long_email", email.as_str())] {
        g.throughput(Throughput::Bytes(text.len() as u64));
        let mut n = Normalized::new();
        g.bench_with_input(BenchmarkId::from_parameter(name), text, |b, text| {
            b.iter(|| {
                n.reset(black_box(text));
                black_box(n.as_str().len())
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("analyze");
    let reply = Transcript::new("r").with_turn(Turn::new(Role::Agent, SHORT_REPLY));
    let mail = Transcript::new("e").with_turn(Turn::new(Role::Agent, email.as_str()));
    let whole = transcript();
    for (name, t) in [
        ("short_reply_50w", &reply),
        ("long_email_400w", &mail),
        ("transcript_4_turns", &whole),
    ] {
        let bytes: usize = t.turns.iter().map(|u| u.text.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        let mut scratch = Scratch::default();
        g.bench_with_input(BenchmarkId::from_parameter(name), t, |b, t| {
            b.iter(|| {
                black_box(
                    analyzer
                        .analyze_with(black_box(t), &mut scratch)
                        .findings
                        .len(),
                )
            })
        });
    }
    g.finish();

    let mut g = c.benchmark_group("live_chat");
    g.throughput(Throughput::Bytes(SHORT_REPLY.len() as u64));
    g.bench_function("push_50w_reply", |b| {
        b.iter_batched_ref(
            || {
                let mut chat = Conversation::new(&analyzer);
                chat.push(
                    Role::Customer,
                    "This is the THIRD time I'm writing!! Where is my refund?",
                );
                chat
            },
            |chat| black_box(chat.push(Role::Agent, black_box(SHORT_REPLY)).len()),
            criterion::BatchSize::SmallInput,
        )
    });
    g.finish();

    let mut g = c.benchmark_group("parse_jsonl");
    let line = serde_json::to_string(&whole).unwrap_or_default();
    g.throughput(Throughput::Bytes(line.len() as u64));
    g.bench_function("transcript_4_turns", |b| {
        b.iter(|| {
            let item = tactful_cli::input::parse_record(black_box(line.as_bytes()), "1");
            black_box(item.map(|i| i.transcript.turns.len()).unwrap_or(0))
        })
    });
    g.finish();
}

criterion_group!(all, benches);
criterion_main!(all);
