//! Build script: indexes the common-word list (`lexicons/external/words.txt`)
//! so that looking a word up needs no parsing at run time.
//!
//! The list has some 40,000 lines; splitting it into a sorted vector on the
//! first look cost about 4.5 M instructions once per process (on the first
//! caps word or name look-up of a worker). The index written here gives each
//! word's place in the text the crate includes (`include_str!` of the same
//! file): its byte offset shifted left by 8, or'ed with its length; and,
//! per first byte, where the words opening with it start in the index.

use std::fmt::Write as _;

fn main() {
    let src = "lexicons/external/words.txt";
    println!("cargo:rerun-if-changed={src}");
    println!("cargo:rerun-if-changed=build.rs");
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
         /// `build.rs`).\n\
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
         static WORD_FIRST: [u32; 257] = ["
    )
    .unwrap_or_default();
    for b in 0..=256usize {
        let n = firsts.iter().filter(|&&f| usize::from(f) < b).count();
        writeln!(out, "    {n},").unwrap_or_default();
    }
    out.push_str("];\n");
    let dir = std::env::var("OUT_DIR").unwrap_or_else(|e| panic!("OUT_DIR: {e}"));
    let path = std::path::Path::new(&dir).join("words_index.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}
