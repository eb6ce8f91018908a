//! Build script: indexes the common-word list (`lexicons/external/words.txt`)
//! so that looking a word up needs no parsing at run time, reads the
//! built-in models' weight files (`models/*.txt`, see `models` below) into
//! blobs that start-up reads with no parsing, and compiles the built-in
//! phrase lists into the two matchers start-up reads as they are (see
//! `matchers` below).
//!
//! The list has some 40,000 lines; splitting it into a sorted vector on the
//! first look cost about 4.5 M instructions once per process (on the first
//! caps word or name look-up of a worker). The index written here gives each
//! word's place in the text the crate includes (`include_str!` of the same
//! file): its byte offset shifted left by 8, or'ed with its length; per
//! first byte, where the words opening with it start in the index (for the
//! tests' reference search); and a hash table of the same spans, where a
//! look-up reads a slot or two and one word instead of a dozen steps of a
//! binary search over 40,000 words (a cache miss each, the list being read
//! on one turn in ten).

/// log2 of the slots of `WORD_TABLE` (about 30% full).
const TABLE_BITS: u32 = 17;

/// The first slot of `word` in `WORD_TABLE`: FNV-1a over its bytes, then
/// the top bits of a multiply (`rules::distress::word_slot` computes the
/// same).
fn word_slot(word: &[u8]) -> usize {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in word {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    (h.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TABLE_BITS)) as usize
}

use std::fmt::Write as _;

// The phrase-list parser and the matcher's builder (and the text
// normalization the parser reads literals with), as the crate has them: the
// built-in lists are compiled here (see `matchers` below).
#[allow(dead_code, unused_imports, unreachable_pub)]
#[path = "src"]
mod src {
    pub(crate) mod lexicon;
    pub(crate) mod matcher;
    pub(crate) mod span;
    pub(crate) mod text;
}
use src::{lexicon, matcher, span, text};

/// What `src/text/graphemes.rs` reads of a finding (the build script never
/// makes one).
mod finding {
    pub(crate) struct Finding {
        pub(crate) rule: &'static str,
        pub(crate) span: crate::span::Span,
    }
}

/// What the parser reads of `src/topics.rs`.
mod topics {
    /// The lines of `text` as `topics::model_lines` splits them (a copy: a
    /// copy that drifts fails the test that holds the matchers compiled
    /// here equal to those compiled at run time).
    pub(crate) fn model_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
        let mut rest = text;
        let mut n = 0;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            n += 1;
            let Some(i) = memchr::memchr(b'\n', rest.as_bytes()) else {
                return Some((n, std::mem::take(&mut rest)));
            };
            let line = &rest[..i];
            rest = &rest[i + 1..];
            Some((n, line.strip_suffix('\r').unwrap_or(line)))
        })
    }
}

// The feature hashes and the weight reader, as the crate has them.
#[allow(dead_code)]
#[path = "build/model_hash.rs"]
mod model_hash;

fn main() {
    let dir = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    models(std::path::Path::new(&dir));
    matchers(std::path::Path::new(&dir));
    let src = "lexicons/external/words.txt";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/model_hash.rs");
    let text = std::fs::read_to_string(src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let mut spans = Vec::new();
    // the first byte of each word, for the index by first byte
    let mut firsts = Vec::new();
    let mut at = 0;
    // the lines as `str::lines` splits them (a `\r` before a line break
    // dropped), neither empty nor a `#` comment
    for line in text.split_inclusive('\n') {
        let body = match line.strip_suffix('\n') {
            Some(l) => l.strip_suffix('\r').unwrap_or(l),
            None => line,
        };
        if !body.is_empty() && !body.starts_with('#') {
            assert!(body.len() < 256 && at < 1 << 24, "{src}: line too long");
            spans.push((at as u32) << 8 | body.len() as u32);
            firsts.push(body.as_bytes()[0]);
        }
        at += line.len();
    }
    let mut out = String::new();
    writeln!(
        out,
        "/// Each word of the common-word list: its byte offset in the list's\n\
         /// text shifted left by 8, or'ed with its length (written by\n\
         /// `build.rs`; the table below holds the same spans).\n\
         #[cfg(test)]\n\
         static WORD_SPANS: [u32; {}] = [",
        spans.len()
    )
    .unwrap_or_default();
    for chunk in spans.chunks(16) {
        let line: Vec<String> = chunk.iter().map(u32::to_string).collect();
        writeln!(out, "    {},", line.join(", ")).unwrap_or_default();
    }
    out.push_str("];\n");
    // (the list is sorted, so the words opening with one byte are
    // consecutive: entry `b` is where those opening with `b` or later start)
    writeln!(
        out,
        "/// Per first byte `b`, the index in `WORD_SPANS` of the first word\n\
         /// opening with `b` or a later byte (entry 256: the number of words):\n\
         /// the words opening with `b` are `WORD_FIRST[b]..WORD_FIRST[b + 1]`\n\
         /// (written by `build.rs`).\n\
         #[cfg(test)]\n\
         static WORD_FIRST: [u32; 257] = ["
    )
    .unwrap_or_default();
    for b in 0..=256usize {
        let n = firsts.iter().filter(|&&f| usize::from(f) < b).count();
        writeln!(out, "    {n},").unwrap_or_default();
    }
    out.push_str("];\n");
    // the spans again, each in its slot (linear probing from `word_slot`;
    // 0, which no word's span is, marks a free slot)
    let mut table = vec![0u32; 1 << TABLE_BITS];
    assert!(2 * spans.len() < table.len(), "{src}: too many words");
    let mask = table.len() - 1;
    for &span in &spans {
        let (start, len) = ((span >> 8) as usize, (span & 0xff) as usize);
        assert!(span != 0, "{src}: a word at offset 0");
        let mut i = word_slot(&text.as_bytes()[start..start + len]);
        while table[i] != 0 {
            i = (i + 1) & mask;
        }
        table[i] = span;
    }
    writeln!(
        out,
        "/// The spans of `WORD_SPANS` in an open-addressing table: a word's\n\
         /// first slot is `word_slot` of it, then the next ones; 0 marks a free\n\
         /// slot (written by `build.rs`).\n\
         static WORD_TABLE: [u32; {}] = [",
        table.len()
    )
    .unwrap_or_default();
    for chunk in table.chunks(32) {
        let line: Vec<String> = chunk.iter().map(u32::to_string).collect();
        writeln!(out, "    {},", line.join(",")).unwrap_or_default();
    }
    out.push_str("];\n");
    writeln!(
        out,
        "/// log2 of the slots of `WORD_TABLE` (written by `build.rs`).\n\
         const WORD_TABLE_BITS: u32 = {TABLE_BITS};"
    )
    .unwrap_or_default();
    let path = std::path::Path::new(&dir).join("words_index.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// The weight files of the built-in models, read at build time into blobs
/// the crate includes (`models/<name>.bin` in `OUT_DIR`), so start-up reads
/// each feature's hash and weights with no parsing (the text files stay the
/// source of truth; a test holds each blob's model equal to the one the
/// run-time reader makes of the text). Every number is little-endian: the
/// line count of the text (to size the table as the reader does), the
/// threshold's bits, the number of weights a line (`k`), the `list:` lines
/// (a count, then each tag's length, its bytes and `k` weights), the bias
/// (`k` weights), the number of features, then each feature's hash and `k`
/// weights. A fault in a file fails the build.
fn models(out: &std::path::Path) {
    const FILES: [(&str, usize); 7] = [
        ("excuse", 1),
        ("procedural", 1),
        ("patronizing", 1),
        ("action-specific", 1),
        ("action-vague", 1),
        ("distress-words", 1),
        ("topics", 10),
    ];
    for (name, k) in FILES {
        let src = format!("models/{name}.txt");
        println!("cargo:rerun-if-changed={src}");
        let text = std::fs::read_to_string(&src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let blob = model_blob(&text, k).unwrap_or_else(|e| panic!("{src}: {e}"));
        let path = out.join(format!("{name}.bin"));
        std::fs::write(&path, blob).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// The blob of one model file with `k` weights a line (see [`models`]).
fn model_blob(text: &str, k: usize) -> Result<Vec<u8>, String> {
    let mut threshold = 0.5f32;
    let mut bias = vec![0f32; k];
    let mut lists: Vec<(String, Vec<f32>)> = Vec::new();
    let mut features: Vec<(u64, Vec<f32>)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, values) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected a name, a tab and weights", n + 1))?;
        let values: Vec<&str> = if k == 1 {
            vec![values.trim()]
        } else {
            values.split('\t').collect()
        };
        let mut row = Vec::new();
        for v in &values {
            let x = model_hash::milli(v)
                .or_else(|| v.parse::<f32>().ok())
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("line {}: `{v}` is not a number", n + 1))?;
            row.push(x);
        }
        if name == "threshold" {
            let x = *row.first().unwrap_or(&0.0);
            if !(x > 0.0 && x < 1.0) || row.len() != 1 {
                return Err(format!("line {}: the threshold must be in (0, 1)", n + 1));
            }
            threshold = x;
            continue;
        }
        if row.len() != k {
            return Err(format!(
                "line {}: {} weights, expected {k}",
                n + 1,
                row.len()
            ));
        }
        if name == "bias" {
            bias = row;
        } else if let Some(tag) = name.strip_prefix("list:").filter(|_| k > 1) {
            lists.push((tag.to_string(), row));
        } else {
            let parts: Vec<&str> = name.split(' ').collect();
            let hash = match parts[..] {
                [w] if !w.is_empty() => model_hash::word_hash(w, ""),
                [a, b] if !a.is_empty() && !b.is_empty() => model_hash::pair_hash(
                    model_hash::word_hash(a, ""),
                    model_hash::word_hash(b, ""),
                ),
                _ => return Err(format!("line {}: bad feature `{name}`", n + 1)),
            };
            if !seen.insert(hash) {
                return Err(format!("line {}: `{name}` given twice", n + 1));
            }
            features.push((hash, row));
        }
    }
    let mut b = Vec::new();
    let lines = text.bytes().filter(|&c| c == b'\n').count() + 1;
    b.extend_from_slice(&(lines as u32).to_le_bytes());
    b.extend_from_slice(&threshold.to_bits().to_le_bytes());
    b.extend_from_slice(&(k as u32).to_le_bytes());
    b.extend_from_slice(&(lists.len() as u32).to_le_bytes());
    for (tag, row) in &lists {
        b.extend_from_slice(&(tag.len() as u32).to_le_bytes());
        b.extend_from_slice(tag.as_bytes());
        for x in row {
            b.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }
    for x in &bias {
        b.extend_from_slice(&x.to_bits().to_le_bytes());
    }
    b.extend_from_slice(&(features.len() as u32).to_le_bytes());
    for (hash, row) in &features {
        b.extend_from_slice(&hash.to_le_bytes());
        for x in row {
            b.extend_from_slice(&x.to_bits().to_le_bytes());
        }
    }
    Ok(b)
}

/// The built-in phrase lists in the order `Analyzer::from_config` adds them
/// (the rules' lists, the internal ones, the topics'), each with its
/// lexicon's name and whether it is read on customer turns (else on agent
/// turns).
fn phrase_lists() -> Vec<(String, String, bool)> {
    const AGENT: bool = false;
    const CUSTOMER: bool = true;
    let mut lists = Vec::new();
    let mut add = |dir: &str, names: &[&str], role: bool| {
        for name in names {
            lists.push((name.to_string(), format!("lexicons/{dir}{name}.txt"), role));
        }
    };
    add(
        "",
        &[
            "procedural.policy_as_reason",
            "procedural.system_as_authority",
            "procedural.bureaucratic_handoff",
            "procedural.refusal_without_alternative",
            "procedural.template_formality",
            "excuse.third_party_blame",
            "excuse.circumstances",
            "excuse.blaming_customer",
            "excuse.denial",
            "excuse.minimizing",
            "empathy.validation",
            "empathy.sympathy",
        ],
        AGENT,
    );
    add(
        "",
        &[
            "distress.emotion",
            "distress.stakes",
            "distress.repeat_contact",
            "distress.churn_threat",
            "distress.public_threat",
            "distress.legal_threat",
            "distress.intensity",
        ],
        CUSTOMER,
    );
    add(
        "",
        &[
            "language.patronizing",
            "action.specific",
            "action.vague",
            "ownership.taken",
            "courtesy.thanks",
        ],
        AGENT,
    );
    add(
        "internal/",
        &[
            "apology.trigger",
            "apology.not",
            "apology.conditional",
            "apology.deflecting_feeling",
            "apology.deflecting_noun",
            "apology.deflecting_before",
            "apology.owned_cause",
            "apology.scripted",
            "apology.but",
            "apology.refusal",
            "apology.help_pivot",
            "apology.next_contrast",
            "apology.slip",
            "help.offer",
            "excuse.owned",
        ],
        AGENT,
    );
    add("internal/", &["distress.aside"], CUSTOMER);
    add(
        "internal/",
        &["distress.smalltalk", "call.recording"],
        AGENT,
    );
    add("internal/", &["language.objection"], CUSTOMER);
    add(
        "internal/",
        &[
            "action.future",
            "action.when",
            "action.immediate",
            "action.on_call",
            "action.sale_talk",
        ],
        AGENT,
    );
    for tag in [
        "delivery",
        "refund",
        "billing",
        "account",
        "technical",
        "cancellation",
        "delay",
        "availability",
        "quality",
        "staff",
    ] {
        lists.push((
            format!("topic:{tag}"),
            format!("lexicons/topics/{tag}.txt"),
            CUSTOMER,
        ));
    }
    lists
}

/// The two matchers of the built-in phrase lists (the lexicons read on
/// agent turns, those read on customer turns), compiled here as start-up
/// compiled them and written as blobs (`matcher-agent.bin` and
/// `matcher-customer.bin` in `OUT_DIR`, see `src/matcher/blob.rs`) that
/// start-up reads when the configuration adds no phrases of its own. The
/// list files stay the source of truth. A pattern that does not parse fails
/// the build.
fn matchers(out: &std::path::Path) {
    for dir in [
        "lexicons",
        "src/lexicon",
        "src/matcher",
        "src/text",
        "src/text.rs",
        "src/span.rs",
    ] {
        println!("cargo:rerun-if-changed={dir}");
    }
    let mut b = matcher::MatcherBuilder::default();
    let mut customer: Vec<bool> = Vec::new();
    for (name, path, role) in phrase_lists() {
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let id = b
            .add_source(&name, &text)
            .unwrap_or_else(|e| panic!("{path}: {e:?}"));
        let i = usize::from(id);
        if customer.len() <= i {
            customer.resize(i + 1, false);
        }
        customer[i] = role;
    }
    for (role, file) in [(false, "matcher-agent.bin"), (true, "matcher-customer.bin")] {
        let m = b.build_where(|id| customer.get(usize::from(id)) == Some(&role));
        let path = out.join(file);
        std::fs::write(&path, m.to_blob()).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
