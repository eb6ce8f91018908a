//! Quality guard: per-label F1 on the sets of `tests/labeled/`, conversations
//! written from the category guide alone (by writers who had not seen the
//! detectors' phrase lists), labeled by the guide. The labels are
//! judged per transcript as the evaluation scorer does: is there a finding of
//! that category (for apologies: of that rule) anywhere in the conversation?

use serde_json::Value;
use std::borrow::Cow;
use std::collections::BTreeMap;
use tactful::{Analyzer, Role, Transcript, Turn};

const BINARY: [&str; 4] = ["procedural", "excuse", "empathy_gap", "distress"];
const APOLOGY: [&str; 5] = ["sincere", "conditional", "deflecting", "but", "scripted"];

/// Per label: F1, true positives, false positives, false negatives.
type LabelScores = BTreeMap<String, (f64, u32, u32, u32)>;

/// The items of one set of `tests/labeled/`: a JSON object per non-blank
/// line.
fn labeled_set(name: &str) -> Vec<Value> {
    let path = format!("{}/../../tests/labeled/{name}", env!("CARGO_MANIFEST_DIR"));
    let data = std::fs::read_to_string(&path).expect("labeled set present");
    data.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("valid JSON"))
        .collect()
}

/// The transcript of a labeled item (its `turns`), with this id.
fn transcript<'a>(id: impl Into<Cow<'a, str>>, v: &Value) -> Transcript<'a> {
    let mut t = Transcript::new(id);
    for turn in v["turns"].as_array().expect("turns") {
        let role = Role::parse(turn["role"].as_str().unwrap_or("")).expect("role");
        t.turns.push(Turn::new(
            role,
            turn["text"].as_str().unwrap_or("").to_string(),
        ));
    }
    t
}

/// Per label scores and the macro-F1 of the detectors on one set.
fn scores(name: &str) -> (LabelScores, f64) {
    let analyzer = Analyzer::new();
    // label -> (tp, fp, fn)
    let mut counts: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    let mut items = 0;
    for v in labeled_set(name) {
        let t = transcript(v["id"].as_str().unwrap_or("?").to_string(), &v);
        let report = analyzer.analyze(&t);
        let labels = &v["labels"];
        let mut check = |label: String, truth: bool, predicted: bool| {
            let c = counts.entry(label).or_default();
            match (truth, predicted) {
                (true, true) => c.0 += 1,
                (false, true) => c.1 += 1,
                (true, false) => c.2 += 1,
                (false, false) => {}
            }
        };
        for label in BINARY {
            let truth = labels[label].as_bool().unwrap_or(false);
            let predicted = report.findings.iter().any(|f| f.category.as_str() == label);
            check(label.to_string(), truth, predicted);
        }
        let classes: Vec<&str> = labels["apology"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for class in APOLOGY {
            let rule = format!("apology.{class}");
            let predicted = report.findings.iter().any(|f| f.rule == rule);
            check(rule, classes.contains(&class), predicted);
        }
        items += 1;
    }
    assert!(items >= 50, "only {items} items");
    let mut out = BTreeMap::new();
    for (label, (tp, fp, fn_)) in counts {
        let f1 = if tp + fp + fn_ == 0 {
            1.0
        } else {
            2.0 * f64::from(tp) / f64::from(2 * tp + fp + fn_)
        };
        out.insert(label, (f1, tp, fp, fn_));
    }
    let macro_f1 = out.values().map(|v| v.0).sum::<f64>() / out.len() as f64;
    (out, macro_f1)
}

#[test]
fn guide_set_quality_holds() {
    let (labels, macro_f1) = scores("guide-set.jsonl");
    for (label, (f1, tp, fp, fn_)) in &labels {
        assert!(
            *f1 >= 0.8,
            "{label}: F1 {f1:.3} (tp {tp}, fp {fp}, fn {fn_})"
        );
    }
    assert!(macro_f1 >= 0.92, "macro-F1 {macro_f1:.3}");
}

/// The blind sets (`tests/labeled/README.md`) were scored once before any
/// tuning on them; these floors only keep later changes from sliding back
/// below what was measured when they were committed.
#[test]
fn blind_sets_do_not_regress() {
    for (set, floor) in [
        ("blind-1.jsonl", 0.88),
        ("blind-2.jsonl", 0.86),
        ("blind-3.jsonl", 0.91),
        ("blind-4.jsonl", 0.89),
        ("blind-5.jsonl", 0.92),
        ("blind-6.jsonl", 0.88),
        ("blind-7.jsonl", 0.90),
        ("blind-8.jsonl", 0.89),
        ("blind-9.jsonl", 0.89),
        ("blind-10.jsonl", 0.90),
        ("blind-11.jsonl", 0.88),
        ("blind-12.jsonl", 0.90),
        ("blind-13.jsonl", 0.84),
        ("blind-14.jsonl", 0.94),
        ("blind-15.jsonl", 0.88),
        ("blind-16.jsonl", 0.87),
        ("blind-17.jsonl", 0.92),
        ("blind-18.jsonl", 0.93),
        ("blind-19.jsonl", 0.87),
        ("blind-20.jsonl", 0.85),
        ("blind-21.jsonl", 0.90),
        ("blind-22.jsonl", 0.90),
        ("blind-23.jsonl", 0.90),
        ("blind-24.jsonl", 0.87),
        ("blind-25.jsonl", 0.90),
        ("blind-26.jsonl", 0.89),
        ("blind-27.jsonl", 0.92),
        ("blind-28.jsonl", 0.88),
        ("blind-29.jsonl", 0.89),
        ("blind-30.jsonl", 0.88),
        ("blind-31.jsonl", 0.91),
        ("blind-32.jsonl", 0.91),
        ("blind-33.jsonl", 0.90),
        ("blind-34.jsonl", 0.90),
        ("blind-35.jsonl", 0.91),
        ("blind-36.jsonl", 0.92),
        ("blind-37.jsonl", 0.91),
        // (0.942 when scored; 0.939 after the next session's distress and
        // procedural families: one distressed item no longer read so, one
        // procedural false alarm; never tuned on)
        ("blind-38.jsonl", 0.93),
        ("blind-39.jsonl", 0.92),
        ("blind-40.jsonl", 0.94),
        ("blind-41.jsonl", 0.92),
        ("blind-42.jsonl", 0.92),
        ("blind-43.jsonl", 0.89),
        ("blind-44.jsonl", 0.87),
        ("blind-45.jsonl", 0.92),
        ("blind-46.jsonl", 0.92),
        ("blind-47.jsonl", 0.91),
        ("blind-48.jsonl", 0.89),
        ("blind-49.jsonl", 0.92),
        ("blind-50.jsonl", 0.92),
        ("blind-51.jsonl", 0.94),
        ("blind-52.jsonl", 0.91),
        ("blind-53.jsonl", 0.92),
        ("blind-54.jsonl", 0.90),
        ("blind-55.jsonl", 0.93),
        ("blind-56.jsonl", 0.89),
        ("blind-57.jsonl", 0.93),
        ("blind-58.jsonl", 0.89),
        ("blind-59.jsonl", 0.90),
        ("blind-60.jsonl", 0.89),
        ("blind-61.jsonl", 0.95),
        ("blind-62.jsonl", 0.87),
        ("blind-63.jsonl", 0.91),
        ("blind-64.jsonl", 0.87),
        ("blind-65.jsonl", 0.96),
        ("blind-66.jsonl", 0.92),
        ("blind-67.jsonl", 0.96),
        ("blind-68.jsonl", 0.92),
        ("blind-69.jsonl", 0.89),
        ("blind-70.jsonl", 0.95),
        ("blind-71.jsonl", 0.94),
        ("blind-72.jsonl", 0.95),
        ("blind-73.jsonl", 0.92),
        ("blind-74.jsonl", 0.91),
        ("blind-75.jsonl", 0.94),
        ("blind-76.jsonl", 0.95),
        ("blind-77.jsonl", 0.96),
        ("blind-78.jsonl", 0.96),
        ("blind-79.jsonl", 0.92),
        ("blind-80.jsonl", 0.93),
        ("blind-81.jsonl", 0.94),
        ("blind-82.jsonl", 0.94),
        ("blind-83.jsonl", 0.92),
        ("blind-84.jsonl", 0.95),
        ("blind-85.jsonl", 0.94),
        ("blind-86.jsonl", 0.93),
        ("blind-87.jsonl", 0.95),
        ("blind-88.jsonl", 0.93),
        ("blind-89.jsonl", 0.97),
        ("blind-90.jsonl", 0.96),
        ("blind-91.jsonl", 0.96),
        // (0.93 at its one scoring, 0.958 once read and tuned on)
        ("blind-92.jsonl", 0.95),
        ("blind-93.jsonl", 0.97),
        // (0.933 at its one scoring, 0.943 once read and tuned on)
        ("blind-94.jsonl", 0.94),
        // (0.923 at its one scoring, 0.952 once read and tuned on)
        ("blind-95.jsonl", 0.94),
        ("blind-96.jsonl", 0.97),
        // (0.934 at its one scoring, 0.950 once read and tuned on)
        ("blind-97.jsonl", 0.94),
        ("blind-98.jsonl", 0.91),
    ] {
        let (labels, macro_f1) = scores(set);
        assert!(
            macro_f1 >= floor,
            "{set}: macro-F1 {macro_f1:.3} below {floor}: {labels:?}"
        );
    }
}

/// The recovery labels (rule id per label key) judged per transcript.
const RECOVERY: [(&str, &str); 4] = [
    ("patronizing", "language.patronizing"),
    ("ownership", "ownership.taken"),
    ("thanks", "courtesy.thanks"),
    ("name", "courtesy.name"),
];

/// The macro-F1 of the six recovery rules and the micro-F1 of the topic tags
/// on one set.
fn recovery_scores(name: &str) -> (f64, f64) {
    let analyzer = Analyzer::new();
    let mut rules: BTreeMap<String, (u32, u32, u32)> = BTreeMap::new();
    let mut topics = (0u32, 0u32, 0u32);
    let tally = |c: &mut (u32, u32, u32), truth: bool, predicted: bool| match (truth, predicted) {
        (true, true) => c.0 += 1,
        (false, true) => c.1 += 1,
        (true, false) => c.2 += 1,
        (false, false) => {}
    };
    for v in labeled_set(name) {
        let t = transcript("item", &v);
        let report = analyzer.analyze(&t);
        let labels = &v["labels"];
        let has = |rule: &str| report.findings.iter().any(|f| f.rule == rule);
        for (key, rule) in RECOVERY {
            let truth = labels[key].as_bool().unwrap_or(false);
            tally(rules.entry(rule.to_string()).or_default(), truth, has(rule));
        }
        let actions: Vec<&str> = labels["action"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for kind in ["specific", "vague"] {
            let rule = format!("action.{kind}");
            let predicted = has(&rule);
            tally(
                rules.entry(rule).or_default(),
                actions.contains(&kind),
                predicted,
            );
        }
        let truth: Vec<&str> = labels["topics"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (tag, _) in tactful::topics::BUILTIN {
            let predicted = report.topics.iter().any(|x| x == tag);
            tally(&mut topics, truth.contains(&tag), predicted);
        }
    }
    let f1 = |(tp, fp, fn_): (u32, u32, u32)| {
        if tp + fp + fn_ == 0 {
            1.0
        } else {
            2.0 * f64::from(tp) / f64::from(2 * tp + fp + fn_)
        }
    };
    let macro_f1 = rules.values().map(|c| f1(*c)).sum::<f64>() / rules.len() as f64;
    (macro_f1, f1(topics))
}

/// The recovery rules and topics on the blind sets that carry their labels:
/// `blind-3` was scored once right after the rules were built and
/// `blind-4` once after their tuning on the dev sets, `blind-5` once at the
/// start of their second session (then tuned on), `blind-6` once at its end
/// (never tuned on), `blind-7` at the start and the end of the next session
/// (never tuned on), `blind-8` likewise the session after, `blind-9` once
/// at that session's end (never tuned on), `blind-10` once at the start of
/// the next session (then tuned on) and `blind-11` once at its end (never
/// tuned on), `blind-12` once at the start of the session after (then tuned
/// on) and `blind-13` once at its end (never tuned on), `blind-14` once at
/// the start of the session after (then tuned on) and `blind-15` once at its
/// end (never tuned on), `blind-16` once at the start of the session after
/// (then tuned on) and `blind-17` once at its end (never tuned on), `blind-18`
/// once at the start of the session after (then tuned on) and `blind-19`
/// once at its end (never tuned on), `blind-20` once in the session after,
/// with its topic model (never tuned on), `blind-21` once in the session
/// after, with its excuse model (fitted on since), and `blind-22` once at
/// that session's end (fitted on since), and `blind-23` at that session's
/// very end and `blind-24` after one more change (both fitted on since),
/// and `blind-25` once after the models were refitted on all of them (never
/// tuned on or fitted on), and `blind-26` once at the start of the session
/// after (tuned on since), and `blind-27` once at that session's end (never
/// tuned on), and `blind-28` once at the start of the session after (tuned on since), and
/// `blind-29` once at that session's end (never tuned on), and `blind-30` once
/// at the start of the session after (tuned on since), and `blind-31` and
/// `blind-32` once at that session's end (never tuned on), and `blind-33` once
/// at the start of the session after (tuned on since) and `blind-34` once at
/// its end (never tuned on), and `blind-35` once at the start of the session
/// after (tuned on since) and `blind-36` once at its end (never tuned on), and
/// `blind-37` once at the start of the session after (tuned on since) and
/// `blind-38` once at its end (never tuned on), and `blind-39` once at the
/// start of the session after (tuned on since) and `blind-40` once at its end
/// (never tuned on), and `blind-41` once at the start of the session after
/// (tuned on since) and `blind-42` once at its end (never tuned on), and
/// `blind-43` once at the start of the session after (tuned on since) and
/// `blind-44` once at its end (never tuned on), and `blind-45` once at the
/// start of the session after (tuned on since) and `blind-46` once at its end
/// (never tuned on), and `blind-47` once at the start of the session after
/// (tuned on since) and `blind-48` once at its end (never tuned on), and
/// `blind-49` once at the start of the session after (tuned on and, for the
/// topic and patronizing models, fitted on since) and `blind-50` once at its
/// end (never tuned on), and `blind-51` once at the start of the session
/// after (tuned on since) and `blind-52` once at its end (never tuned on),
/// and `blind-53` once at the start of the session after (tuned on and, for
/// the topic model, fitted on since) and `blind-54` once at its end (never
/// tuned on), and `blind-55` once at the start of the session after (tuned on
/// and, for the topic model, fitted on since) and `blind-56` once at its end
/// (never tuned on), and `blind-57` once at the start of the session after
/// (tuned on and, for the topic model, fitted on since) and `blind-58` once at
/// its end (never tuned on), and `blind-59` once at the start of the session
/// after (tuned on and, for the excuse model, fitted on since) and `blind-60`
/// once at its end (never tuned on), and `blind-61` once at the start of the
/// session after (tuned on since) and `blind-62` once at its end (never tuned
/// on), and `blind-63` once at the start of the session after (tuned on since)
/// and `blind-64` once at its end (never tuned on), and `blind-65` once at
/// the start of the session after (tuned on since), `blind-67` and `blind-68`
/// once each in its middle, before tuning on them (tuned on since), and
/// `blind-66` once at its end (never tuned on), and `blind-69` once after that
/// (tuned on since), and `blind-70` once at the start of the session after
/// (tuned on since) and `blind-71` once at its end (never tuned on, read and tuned
/// on the session after), and `blind-72` once at the start of that session
/// (tuned on since), `blind-74` once in its middle (tuned on since) and
/// `blind-73` once at its end (never tuned on, read and tuned on the session
/// after), and `blind-75` once at the start of that session (tuned on since),
/// `blind-76` once in its middle (tuned on since) and `blind-77` once at its
/// end (never tuned on), and `blind-78` once at the start of the session after
/// (tuned on since) and `blind-79` once at its end (never tuned on, read and
/// tuned on the session after), and `blind-80` once at the start of that
/// session (tuned on since) and `blind-81` once at its end (never tuned on),
/// and `blind-82` once at the start of the session after (tuned on since) and
/// `blind-83` once at its end (never tuned on), and `blind-84` once at the
/// start of the session after (tuned on since) and `blind-85` once at its end
/// (read and tuned on in the same session, after that scoring), and `blind-86`
/// once at that session's very end (never tuned on), and `blind-87` once at
/// the start of the session after (tuned on since) and `blind-88` once at its
/// end (never tuned on), and `blind-89` once at the start of the session after
/// (tuned on since) and `blind-90` once at its end (tuned on the session after),
/// and `blind-91` once at the start of the session after (tuned on since) and
/// `blind-92` once at its end (read the session after), and `blind-93` to
/// `blind-95` in the session after (`blind-95` at its end, read the session
/// after), and `blind-96` once at the start of the session after (tuned on
/// since) and `blind-97` once at its end (read and tuned on in the same
/// session, after that scoring), and `blind-98` once at that session's very
/// end (never tuned on);
/// the floors keep later changes from sliding back below those figures.
#[test]
fn recovery_labels_on_blind_sets_do_not_regress() {
    for (set, rules_floor, topics_floor) in [
        ("blind-3.jsonl", 0.86, 0.58),
        ("blind-4.jsonl", 0.85, 0.57),
        ("blind-5.jsonl", 0.90, 0.69),
        ("blind-6.jsonl", 0.87, 0.62),
        ("blind-7.jsonl", 0.83, 0.57),
        ("blind-8.jsonl", 0.75, 0.57),
        ("blind-9.jsonl", 0.81, 0.53),
        ("blind-10.jsonl", 0.88, 0.67),
        ("blind-11.jsonl", 0.80, 0.53),
        ("blind-12.jsonl", 0.80, 0.62),
        ("blind-13.jsonl", 0.80, 0.57),
        ("blind-14.jsonl", 0.80, 0.56),
        ("blind-15.jsonl", 0.79, 0.49),
        ("blind-16.jsonl", 0.88, 0.62),
        ("blind-17.jsonl", 0.83, 0.54),
        ("blind-18.jsonl", 0.80, 0.60),
        ("blind-19.jsonl", 0.82, 0.62),
        ("blind-20.jsonl", 0.82, 0.60),
        ("blind-21.jsonl", 0.80, 0.62),
        ("blind-22.jsonl", 0.71, 0.68),
        ("blind-23.jsonl", 0.80, 0.68),
        ("blind-24.jsonl", 0.73, 0.64),
        ("blind-25.jsonl", 0.82, 0.58),
        ("blind-26.jsonl", 0.81, 0.66),
        ("blind-27.jsonl", 0.77, 0.61),
        ("blind-28.jsonl", 0.79, 0.60),
        ("blind-29.jsonl", 0.82, 0.60),
        ("blind-30.jsonl", 0.81, 0.56),
        ("blind-31.jsonl", 0.81, 0.59),
        ("blind-32.jsonl", 0.84, 0.60),
        ("blind-33.jsonl", 0.83, 0.61),
        ("blind-34.jsonl", 0.82, 0.66),
        ("blind-35.jsonl", 0.83, 0.59),
        // (topics 0.602 until the topic model was refitted with blind-39..45,
        // which lifted 8 of the 10 held-out sets and lowered this one to 0.586)
        ("blind-36.jsonl", 0.81, 0.58),
        ("blind-37.jsonl", 0.88, 0.70),
        ("blind-38.jsonl", 0.89, 0.61),
        ("blind-39.jsonl", 0.89, 0.66),
        ("blind-40.jsonl", 0.85, 0.64),
        ("blind-41.jsonl", 0.86, 0.71),
        ("blind-42.jsonl", 0.85, 0.59),
        ("blind-43.jsonl", 0.87, 0.66),
        ("blind-44.jsonl", 0.84, 0.67),
        ("blind-45.jsonl", 0.88, 0.57),
        ("blind-46.jsonl", 0.86, 0.69),
        ("blind-47.jsonl", 0.87, 0.60),
        ("blind-48.jsonl", 0.86, 0.60),
        ("blind-49.jsonl", 0.90, 0.80),
        ("blind-50.jsonl", 0.88, 0.68),
        ("blind-51.jsonl", 0.90, 0.68),
        ("blind-52.jsonl", 0.87, 0.68),
        ("blind-53.jsonl", 0.89, 0.70),
        ("blind-54.jsonl", 0.91, 0.70),
        ("blind-55.jsonl", 0.93, 0.73),
        ("blind-56.jsonl", 0.79, 0.65),
        ("blind-57.jsonl", 0.93, 0.90),
        ("blind-58.jsonl", 0.89, 0.73),
        ("blind-59.jsonl", 0.87, 0.70),
        ("blind-60.jsonl", 0.87, 0.70),
        ("blind-61.jsonl", 0.89, 0.75),
        ("blind-62.jsonl", 0.83, 0.70),
        ("blind-63.jsonl", 0.90, 0.74),
        ("blind-64.jsonl", 0.85, 0.72),
        ("blind-65.jsonl", 0.90, 0.79),
        ("blind-66.jsonl", 0.90, 0.80),
        ("blind-67.jsonl", 0.92, 0.76),
        ("blind-68.jsonl", 0.88, 0.72),
        ("blind-69.jsonl", 0.86, 0.71),
        ("blind-70.jsonl", 0.93, 0.75),
        ("blind-71.jsonl", 0.87, 0.72),
        ("blind-72.jsonl", 0.92, 0.71),
        // (topics 0.745 -> 0.739 when the topic model was refitted on 2026-12-07
        // with the sets tuned on since `blind-57`: the 26 sets never fitted on
        // went 0.707 -> 0.712 together)
        ("blind-73.jsonl", 0.86, 0.73),
        ("blind-74.jsonl", 0.89, 0.79),
        ("blind-75.jsonl", 0.92, 0.74),
        ("blind-76.jsonl", 0.86, 0.72),
        ("blind-77.jsonl", 0.91, 0.71),
        ("blind-78.jsonl", 0.92, 0.76),
        // (topics 0.671 -> 0.649 with the same refit)
        ("blind-79.jsonl", 0.89, 0.64),
        ("blind-80.jsonl", 0.87, 0.67),
        ("blind-81.jsonl", 0.94, 0.68),
        ("blind-82.jsonl", 0.93, 0.69),
        ("blind-83.jsonl", 0.88, 0.72),
        ("blind-84.jsonl", 0.89, 0.70),
        ("blind-85.jsonl", 0.89, 0.73),
        ("blind-86.jsonl", 0.92, 0.74),
        ("blind-87.jsonl", 0.91, 0.75),
        // (topics 0.731 -> 0.715 when the topic model was refitted on 2026-12-07
        // with the sets tuned on up to `blind-93`: the 29 sets never fitted on
        // went 0.715 -> 0.721 together)
        ("blind-88.jsonl", 0.90, 0.71),
        ("blind-89.jsonl", 0.93, 0.70),
        ("blind-90.jsonl", 0.92, 0.68),
        ("blind-91.jsonl", 0.92, 0.71),
        ("blind-92.jsonl", 0.91, 0.75),
        ("blind-93.jsonl", 0.95, 0.75),
        ("blind-94.jsonl", 0.92, 0.73),
        ("blind-95.jsonl", 0.91, 0.74),
        // (topics: a training figure since the refit of 2026-12-08; 0.724 at
        // its first scoring)
        ("blind-96.jsonl", 0.95, 0.72),
        ("blind-97.jsonl", 0.92, 0.74),
        ("blind-98.jsonl", 0.92, 0.72),
    ] {
        let (rules, topics) = recovery_scores(set);
        assert!(
            rules >= rules_floor,
            "{set}: recovery macro-F1 {rules:.3} below {rules_floor}"
        );
        assert!(
            topics >= topics_floor,
            "{set}: topics micro-F1 {topics:.3} below {topics_floor}"
        );
    }
}
