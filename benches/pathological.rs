//! Pathological text: analyzing a customer turn and an agent turn, each of
//! size n, 2n, 4n and 8n, made of one very long word, repeated "sorry " and
//! "sorry but ", emoji and combining marks, one huge grapheme cluster,
//! right-to-left text and zero-width characters inside phrases. Cost must
//! grow linearly: the reported throughput (bytes/s) stays about the same
//! across sizes.
//!
//! A team's own phrases: building the analyzer with 12,500, 25,000, 50,000
//! and 100,000 custom phrases, and scanning a reply with it; the phrases/s
//! of the build stays about the same across sizes (issue 19, item 8).
//!
//! Run with `cargo bench --bench pathological`; see `benches/README.md`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use tactful::{Analyzer, Config, Role, Scratch, Transcript, Turn};

#[path = "pathological_inputs.rs"]
mod inputs;

/// The smallest size: 10,000 "sorry " is 60,000 bytes.
const N: usize = 60_000;

fn benches(c: &mut Criterion) {
    let analyzer = Analyzer::new();
    for (name, make) in inputs::INPUTS {
        let mut g = c.benchmark_group(format!("pathological/{name}"));
        g.sample_size(10)
            .warm_up_time(Duration::from_millis(500))
            .measurement_time(Duration::from_secs(2));
        for k in [1, 2, 4, 8] {
            let text = make(k * N);
            // the text as a customer turn (distress rules) and as the
            // agent's reply (phrase, apology and empathy rules)
            let t = inputs::transcript(&text);
            g.throughput(Throughput::Bytes(2 * text.len() as u64));
            let mut scratch = Scratch::default();
            g.bench_with_input(BenchmarkId::from_parameter(format!("{k}n")), &t, |b, t| {
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
    }
    // many short turns in one transcript: per-turn judgments (empathy gaps,
    // scores) must not cost turns × findings
    let mut g = c.benchmark_group("pathological/many_turns");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for k in [1, 2, 4, 8] {
        let t = inputs::many_turns(k * 2_500);
        g.throughput(Throughput::Elements(t.turns.len() as u64));
        let mut scratch = Scratch::default();
        g.bench_with_input(BenchmarkId::from_parameter(format!("{k}n")), &t, |b, t| {
            b.iter(|| {
                black_box(
                    analyzer
                        .analyze_with(black_box(t), &mut scratch)
                        .score
                        .total,
                )
            })
        });
    }
    g.finish();
    custom_phrases(c);
}

/// A configuration of `n` generated phrases of two made-up words each, as a
/// team's export of product names or macro phrases would be.
fn phrases_config(n: usize) -> Config {
    let mut config = Config::default();
    let phrases = (0..n)
        .map(|i| format!("zx{i:06} qv{:06}", i * 7919 % 1_000_000))
        .collect();
    config
        .extend_phrases
        .insert("procedural.policy_as_reason".into(), phrases);
    config
}

fn custom_phrases(c: &mut Criterion) {
    let mut g = c.benchmark_group("pathological/custom_phrases_build");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5));
    for k in [1, 2, 4, 8] {
        let config = phrases_config(k * 12_500);
        g.throughput(Throughput::Elements((k * 12_500) as u64));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("{k}n")),
            &config,
            |b, config| b.iter(|| black_box(Analyzer::from_config(config).is_ok())),
        );
    }
    g.finish();
    // scanning with many phrases costs about what it costs without them
    let mut g = c.benchmark_group("pathological/custom_phrases_scan");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let reply = "zx000001 qv007919, I'm sorry, but per our policy we cannot refund. ".repeat(20);
    let t = Transcript::new("T").with_turn(Turn::new(Role::Agent, reply.as_str()));
    for k in [0, 1, 8] {
        let analyzer = Analyzer::from_config(&phrases_config(k * 12_500)).expect("valid phrases");
        let mut scratch = Scratch::default();
        g.throughput(Throughput::Bytes(reply.len() as u64));
        g.bench_with_input(BenchmarkId::from_parameter(format!("{k}n")), &t, |b, t| {
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
}

criterion_group!(all, benches);
criterion_main!(all);
