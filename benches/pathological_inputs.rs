//! Pathological turn texts of a given size, shared by the `pathological`
//! benchmark (cost must grow linearly with the size) and the library's
//! `pathological` test (no panic, valid spans).

use tactful::{Role, Transcript, Turn};

/// A transcript where `text` is both the customer's turn (distress rules)
/// and the agent's reply (phrase, apology and empathy rules).
pub fn transcript(text: &str) -> Transcript<'_> {
    Transcript::new("pathological")
        .with_turn(Turn::new(Role::Customer, text))
        .with_turn(Turn::new(Role::Agent, text))
}

/// Makes a text of at least the given number of bytes.
pub type Generator = fn(usize) -> String;

/// `(name, generator)` of every pathological input.
pub const INPUTS: &[(&str, Generator)] = &[
    ("long_word", long_word),
    ("sorry_repeated", sorry_repeated),
    ("sorry_but_repeated", sorry_but_repeated),
    ("emoji_and_combining", emoji_and_combining),
    ("one_huge_grapheme", one_huge_grapheme),
    ("right_to_left", right_to_left),
    ("zero_width_in_phrases", zero_width_in_phrases),
    ("statements_without_end", statements_without_end),
    ("nested_family_phrases", nested_family_phrases),
];

fn repeat_to(unit: &str, bytes: usize) -> String {
    unit.repeat(bytes.div_ceil(unit.len()).max(1))
}

/// A statement-only phrase repeated with no sentence end: every match asks
/// where its sentence ends (this once cost quadratic time).
pub fn statements_without_end(bytes: usize) -> String {
    repeat_to("caused by the the courier ", bytes)
}

/// Family patterns (word classes, optional slots, gaps) matching inside one
/// another over and over.
pub fn nested_family_phrases(bytes: usize) -> String {
    repeat_to(
        "under the terms of the terms of the we really can't refund ",
        bytes,
    )
}

/// One word without a space: letters, digits and an apostrophe.
pub fn long_word(bytes: usize) -> String {
    repeat_to("sorrybutunfortunately'policy42", bytes)
}

/// "sorry sorry sorry ...": every word starts an apology.
pub fn sorry_repeated(bytes: usize) -> String {
    repeat_to("sorry ", bytes)
}

/// "sorry but sorry but ...": every apology is qualified.
pub fn sorry_but_repeated(bytes: usize) -> String {
    repeat_to("sorry but ", bytes)
}

/// Emoji (with skin tones and ZWJ sequences) and stacked combining marks
/// between trigger phrases.
pub fn emoji_and_combining(bytes: usize) -> String {
    repeat_to(
        "😡👍🏽 👩\u{200D}👩\u{200D}👧 so\u{301}rry e\u{301}\u{302}\u{303} per our policy!!! ",
        bytes,
    )
}

/// One base letter followed by nothing but combining marks: a single
/// grapheme cluster as long as the text.
pub fn one_huge_grapheme(bytes: usize) -> String {
    let mut s = String::from("a");
    s.push_str(&repeat_to("\u{301}\u{302}", bytes));
    s
}

/// Arabic and Hebrew sentences with bidi marks, with English phrases mixed in.
pub fn right_to_left(bytes: usize) -> String {
    repeat_to(
        "\u{202B}مرحبا، نأسف جدا على التأخير. \u{202C}שלום, אנחנו מצטערים מאוד. \u{200F}sorry, but per our policy. ",
        bytes,
    )
}

/// Zero-width characters inside phrases: "per\u{200B} our policy".
pub fn zero_width_in_phrases(bytes: usize) -> String {
    repeat_to(
        "per\u{200B} our policy we can\u{200C}not. I'm so\u{200D}rry, but\u{2060} unfortunately\u{FEFF}. ",
        bytes,
    )
}

/// A transcript of `turns` short turns: distressed customers, agents,
/// runs of several customer messages, system notes.
pub fn many_turns(turns: usize) -> Transcript<'static> {
    const TURNS: &[(Role, &str)] = &[
        (Role::Customer, "THIS IS RIDICULOUS!!! Where is my parcel?"),
        (Role::Customer, "Third time I'm asking."),
        (
            Role::Agent,
            "I'm sorry, but per our policy we cannot refund it.",
        ),
        (Role::System, "Ticket reassigned."),
        (Role::Agent, "Unfortunately that's the courier's fault."),
    ];
    let mut t = Transcript::new("many-turns");
    for i in 0..turns {
        let (role, text) = TURNS[i % TURNS.len()];
        t = t.with_turn(Turn::new(role, text));
    }
    t
}
