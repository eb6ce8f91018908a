//! Pathological text: analyzing a customer turn and an agent turn, each of
//! size n, 2n, 4n and 8n, made of one very long word, repeated "sorry " and
//! "sorry but ", emoji and combining marks, one huge grapheme cluster,
//! right-to-left text and zero-width characters inside phrases. Cost must
//! grow linearly: the reported throughput (bytes/s) stays about the same
//! across sizes.
//!
//! Run with `cargo bench --bench pathological`; see `benches/README.md`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::time::Duration;
use tactful::{Analyzer, Scratch};

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
}

criterion_group!(all, benches);
criterion_main!(all);
