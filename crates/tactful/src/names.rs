//! The customer's name: where a customer gives it, and where an agent uses it
//! (`courtesy.name`).
//!
//! A name is taken from a customer turn's `name` field, from "my name is
//! ...", "this is ..." or "... here" opening a message, or from a sign-off
//! ("Thanks, Sarah", a last line "- Sarah"). An agent uses a name when a
//! known name appears as a word in the reply, or when a salutation is
//! followed by a capitalized name ("Hi Sarah", "Dear Mr Kaplan", "Thanks,
//! Priya"). Social handles (`@user`) are never names.

use crate::span::Span;

/// Words that open a salutation or a thanks addressed to someone.
const SALUTATIONS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "hiya",
    "heya",
    "dear",
    "morning",
    "afternoon",
    "evening",
    "thanks",
    "thank",
    "cheers",
    "welcome",
    "sorry",
    "apologies",
    "congrats",
    "congratulations",
    "greetings",
    "howdy",
    "yes",
    "ok",
    "okay",
    "sure",
    "absolutely",
    "certainly",
    "great",
    "perfect",
];

/// Words that may sit between a salutation and the name ("thank you so
/// much, Sarah", "good morning Sarah").
const FILLERS: &[&str] = &[
    "you", "so", "much", "very", "again", "there", "good", "for", "that", "this", "all", "the",
    "info",
];

/// Titles before a family name.
const TITLES: &[&str] = &[
    "mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "madam", "mister",
];

/// Capitalized words that are never a person's name after a salutation.
const NOT_NAMES: &[&str] = &[
    "team",
    "all",
    "everyone",
    "everybody",
    "folks",
    "guys",
    "there",
    "customer",
    "client",
    "friend",
    "friends",
    "sir",
    "madam",
    "again",
    "so",
    "you",
    "for",
    "and",
    "but",
    "i",
    "we",
    "our",
    "your",
    "this",
    "that",
    "it",
    "the",
    "a",
    "an",
    "to",
    "in",
    "on",
    "at",
    "just",
    "user",
    "member",
    "valued",
    "patron",
    "guest",
    "traveller",
    "traveler",
    "passenger",
    "support",
    "agent",
    "sorry",
    "thanks",
    "thank",
    "please",
    "yes",
    "no",
    "ok",
    "okay",
    "hmm",
    "hm",
    "oh",
    "ah",
    "aw",
    "ugh",
    "wow",
    "yikes",
    "oops",
    "uh",
    "um",
    "yay",
    "whoa",
    "hey",
    "hi",
    "hello",
    "apologies",
    "unfortunately",
    "hiya",
    "heya",
    "ahh",
    "ooh",
    "eek",
    "gotcha",
    "alright",
    "right",
    "well",
    "great",
    "perfect",
    "awesome",
    "cool",
    "noted",
    "understood",
    "absolutely",
    "certainly",
    "definitely",
    "happy",
    "glad",
    "welcome",
];

/// Whether `w` (as written) looks like a given or family name: a capital
/// then letters (with `'` or `-` inside), not a common word unless
/// `allow_common`.
fn name_like(w: &str, allow_common: bool) -> bool {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    if !first.is_uppercase() || w.chars().count() < 2 {
        return false;
    }
    if !w
        .chars()
        .all(|c| c.is_alphabetic() || c == '\'' || c == '-' || c == '’')
    {
        return false;
    }
    let lower = w.to_lowercase();
    if NOT_NAMES.contains(&lower.as_str()) || SALUTATIONS.contains(&lower.as_str()) {
        return false;
    }
    allow_common
        || crate::rules::distress::words()
            .binary_search(&lower.as_str())
            .is_err()
}

/// A bracketed placeholder a redacting export puts for a name
/// (`[PERSON_NAME]`, `[NAME]`, `{first_name}`).
fn placeholder(w: &str) -> bool {
    let inner = w
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .or_else(|| w.strip_prefix('{').and_then(|r| r.strip_suffix('}')))
        .or_else(|| w.strip_prefix("{{").and_then(|r| r.strip_suffix("}}")));
    inner.is_some_and(|i| {
        let i = i.to_ascii_lowercase();
        i.contains("name") && i.len() < 24
    })
}

/// Words of `text` with their byte spans: runs of letters, digits, `'`,
/// `’`, `-`, `@`, `_`, and bracketed placeholders, so a handle or a
/// placeholder stays one word.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    let mut bracket = false;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric()
            || matches!(c, '\'' | '’' | '-' | '@' | '_')
            || (bracket && c != ' ');
        if c == '[' || c == '{' {
            if let Some(s) = start.take() {
                out.push((s, &text[s..i]));
            }
            start = Some(i);
            bracket = true;
            continue;
        }
        if bracket && (c == ']' || c == '}') {
            let s = start.take().unwrap_or(i);
            let end = i + c.len_utf8();
            // `{{first_name}}`: take the second closing brace too
            let end = if text[end..].starts_with('}') {
                end + 1
            } else {
                end
            };
            out.push((s, &text[s..end]));
            bracket = false;
            continue;
        }
        if part {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, &text[s..i]));
            bracket = false;
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    // trailing `'s`, `-` and quotes are not part of a name
    out.into_iter()
        .map(|(s, w)| {
            let w = w.trim_end_matches(['-', '\'', '’']);
            let w = w
                .strip_suffix("'s")
                .or_else(|| w.strip_suffix("’s"))
                .unwrap_or(w);
            (s, w)
        })
        .filter(|(_, w)| !w.is_empty())
        .collect()
}

/// Adds the names a customer turn gives (its `name` field, an introduction,
/// a sign-off) to `names`, without duplicates.
pub(crate) fn customer_names(field: Option<&str>, text: &str, names: &mut Vec<String>) {
    let mut add = |n: &str| {
        let n = n.trim_matches(|c: char| !c.is_alphabetic());
        if n.chars().count() >= 2 && !names.iter().any(|m| m.eq_ignore_ascii_case(n)) {
            names.push(n.to_string());
        }
    };
    if let Some(field) = field {
        // the first word of a display name, if it is a name (not a handle,
        // a role or an id)
        if let Some(first) = field.split_whitespace().next() {
            let first = first.trim_end_matches(',');
            let capital = first
                .chars()
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + &first[c.len_utf8()..]);
            if let Some(cap) = capital {
                if !first.starts_with('@') && name_like(&cap, true) {
                    add(first);
                }
            }
        }
    }
    let w = words(text);
    let lower: Vec<String> = w.iter().map(|(_, x)| x.to_lowercase()).collect();
    for i in 0..w.len() {
        // "my name is Sarah", "my name's Sarah", "name: Sarah"
        let next = |k: usize| w.get(i + k).map(|(_, x)| *x);
        if lower[i] == "my"
            && lower
                .get(i + 1)
                .is_some_and(|x| x == "name" || x == "name's")
        {
            let k = if lower[i + 1] == "name" { 3 } else { 2 };
            if lower[i + 1] == "name" && lower.get(i + 2).is_none_or(|x| x != "is") {
                continue;
            }
            if let Some(n) = next(k).filter(|n| name_like(n, true)) {
                add(n);
            }
        }
        // "this is Sarah" or "I'm Sarah" near the start of a message
        if i < 4
            && ((lower[i] == "this" && lower.get(i + 1).is_some_and(|x| x == "is"))
                || (lower[i] == "i" && lower.get(i + 1).is_some_and(|x| x == "am")))
        {
            if let Some(n) = next(2).filter(|n| name_like(n, false)) {
                add(n);
            }
        }
        if i < 4 && (lower[i] == "i'm" || lower[i] == "im" || lower[i] == "i’m") {
            if let Some(n) = next(1).filter(|n| name_like(n, false)) {
                add(n);
            }
        }
    }
    if let Some(n) = sign_off(text) {
        add(n);
    }
}

/// The name a message is signed with: a last line (or the last words after a
/// closing such as "Thanks,") holding one or two capitalized names.
fn sign_off(text: &str) -> Option<&str> {
    const CLOSINGS: &[&str] = &[
        "thanks",
        "thank you",
        "many thanks",
        "regards",
        "kind regards",
        "best regards",
        "warm regards",
        "best",
        "best wishes",
        "cheers",
        "sincerely",
        "yours sincerely",
        "yours faithfully",
        "thx",
        "ta",
        "yours",
    ];
    let trimmed = text.trim_end().trim_end_matches(['.', '!']);
    let last_line = trimmed.rsplit('\n').next()?.trim();
    let multi_line = trimmed.contains('\n');
    // "Thanks, Sarah" at the very end, or a last line "- Sarah" / "Sarah"
    let (before, name_part) = match last_line.rsplit_once(',') {
        Some((b, n)) => (b.trim(), n.trim()),
        None => ("", last_line),
    };
    let name_part = name_part.trim_start_matches(['-', '–', '—', '~', ' ']);
    let closing = CLOSINGS.iter().any(|c| before.to_lowercase().ends_with(c));
    let dashed = last_line.starts_with(['-', '–', '—', '~']);
    let parts: Vec<&str> = name_part.split_whitespace().collect();
    if parts.is_empty() || parts.len() > 2 {
        return None;
    }
    if !(closing || dashed || (multi_line && before.is_empty())) {
        return None;
    }
    // a lone last line must not be a closing itself or a sentence
    if parts.iter().all(|p| name_like(p, closing || dashed)) {
        Some(parts[0])
    } else {
        None
    }
}

/// Finds where an agent's reply uses the customer's name: each use of a
/// known name as a word, and a salutation followed by a capitalized name
/// ("Hi Sarah", "Dear Mr Kaplan"). Spans are byte offsets into `text`.
pub(crate) fn agent_uses(text: &str, names: &[String], out: &mut Vec<Span>) {
    let w = words(text);
    let mut taken = vec![false; w.len()];
    for (i, &(at, word)) in w.iter().enumerate() {
        if word.starts_with('@') {
            continue;
        }
        let known = names.iter().any(|n| {
            word.eq_ignore_ascii_case(n)
                && (word.chars().next().is_some_and(char::is_uppercase)
                    || crate::rules::distress::words()
                        .binary_search(&n.to_lowercase().as_str())
                        .is_err())
        });
        if known {
            out.push(Span::new(at, at + word.len()));
            taken[i] = true;
        }
    }
    for i in 0..w.len() {
        let lower = w[i].1.to_lowercase();
        if !SALUTATIONS.contains(&lower.as_str()) {
            continue;
        }
        // the salutation opens a sentence: nothing but a handle, space or
        // punctuation before it since the last sentence end
        let before = &text[..w[i].0];
        let opens = before
            .trim_end_matches(|c: char| c.is_whitespace() || c == ',')
            .chars()
            .next_back()
            .is_none_or(|c| matches!(c, '.' | '!' | '?' | '\n' | ':' | ';' | ')'))
            || w[..i].iter().all(|(_, x)| x.starts_with('@'));
        if !opens {
            continue;
        }
        let mut j = i + 1;
        while j < w.len() && j <= i + 3 && FILLERS.contains(&w[j].1.to_lowercase().as_str()) {
            // "thank you, Sarah", but not "thanks for the info Sarah"
            if w[j].1.eq_ignore_ascii_case("for") {
                j = w.len();
                break;
            }
            j += 1;
        }
        let Some(&(at, word)) = w.get(j) else {
            continue;
        };
        if taken[j] {
            continue;
        }
        // nothing but spaces and a comma between the words
        let gap_ok = |a: usize, b: usize| {
            text[a..b]
                .chars()
                .all(|c| c.is_whitespace() || c == ',' || c == '.')
        };
        let prev_end = w[j - 1].0 + w[j - 1].1.len();
        if !gap_ok(prev_end, at) {
            continue;
        }
        let title = TITLES.contains(&word.to_lowercase().trim_end_matches('.'));
        if title {
            if let Some(&(at2, family)) = w.get(j + 1) {
                if gap_ok(at + word.len(), at2) && name_like(family, true) {
                    out.push(Span::new(at, at2 + family.len()));
                }
            }
            continue;
        }
        // a common word ("Hi Bill,") counts only when punctuation closes it
        let closed = text[at + word.len()..].starts_with([',', '!', '.', '?']);
        if placeholder(word)
            || (name_like(word, false) && ends_address(text, at + word.len()))
            || (name_like(word, true) && closed)
        {
            out.push(Span::new(at, at + word.len()));
            taken[j] = true;
        }
    }
    vocatives(text, &w, &mut taken, out);
    out.sort_unstable();
    out.dedup();
}

/// Adds names used to address the customer without a salutation: the reply
/// opening with a name ("Hannah, we're so sorry", "Edgar - sorry for the
/// delay", after any handles) or a name closing a sentence after a comma
/// ("Sorry for the trouble, John!"). The name must not be a common word.
fn vocatives(text: &str, w: &[(usize, &str)], taken: &mut [bool], out: &mut Vec<Span>) {
    let first = w.iter().position(|(_, x)| !x.starts_with('@'));
    for (i, &(at, word)) in w.iter().enumerate() {
        if taken[i] || word.starts_with('@') || !name_like(word, false) {
            continue;
        }
        let end = at + word.len();
        let after = &text[end..];
        let before = text[..at].trim_end_matches(' ');
        let opening = Some(i) == first
            && (after.starts_with(',')
                || after.starts_with(" -")
                || after.starts_with(" –")
                || after.starts_with(" —"));
        let closing = before.ends_with(',')
            && (after.is_empty()
                || after.starts_with(['!', '.', '?'])
                || after.trim_start().is_empty()
                || after.starts_with(" -")
                || after.starts_with('\n'));
        if opening || closing {
            out.push(Span::new(at, end));
            taken[i] = true;
        }
    }
}

/// Whether a name ending at `end` closes the address: a comma, a sentence
/// mark, a line break, an emoji or the end of the text follows, or a second
/// capitalized word (a family name).
fn ends_address(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start_matches(' ');
    match rest.chars().next() {
        None => true,
        Some(',' | '.' | '!' | '?' | '\n' | ':' | ';' | '-' | '–' | '—' | ')') => true,
        Some(c) if !c.is_alphanumeric() && !c.is_ascii() => true,
        Some(c) => c.is_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(field: Option<&str>, text: &str) -> Vec<String> {
        let mut v = Vec::new();
        customer_names(field, text, &mut v);
        v
    }

    fn used(text: &str, names: &[&str]) -> Vec<String> {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let mut out = Vec::new();
        agent_uses(text, &names, &mut out);
        out.iter().map(|s| text[s.range()].to_string()).collect()
    }

    #[test]
    fn customers_give_names_in_fields_introductions_and_sign_offs() {
        assert_eq!(given(Some("Sarah Lee"), "hi"), ["Sarah"]);
        assert!(given(Some("@sarah99"), "hi").is_empty());
        assert!(given(Some("customer"), "hi").is_empty());
        assert_eq!(
            given(None, "Hello, my name is Priya and my order is late"),
            ["Priya"]
        );
        assert_eq!(given(None, "Hi, this is Tomasz from flat 4."), ["Tomasz"]);
        assert_eq!(given(None, "Where is my refund?\nThanks,\nDana"), ["Dana"]);
        assert_eq!(
            given(None, "Still no parcel. Regards, Omar Haddad"),
            ["Omar"]
        );
        assert_eq!(given(None, "No reply yet\n- Kwame"), ["Kwame"]);
        assert!(given(None, "I'm furious about this").is_empty());
        assert!(given(None, "Thanks, Sorry").is_empty());
        assert!(given(None, "my order is late.\nStill Waiting").is_empty());
    }

    #[test]
    fn agents_use_known_names_and_salutations() {
        assert_eq!(used("Hi Sarah, I've found it.", &[]), ["Sarah"]);
        assert_eq!(used("@sarah99 Hi Sarah! Sorry about that.", &[]), ["Sarah"]);
        assert_eq!(
            used("Dear Mr Kaplan, your claim is open.", &[]),
            ["Mr Kaplan"]
        );
        assert_eq!(used("Thanks, Priya. It ships today.", &[]), ["Priya"]);
        assert_eq!(used("Thank you so much, Ana!", &[]), ["Ana"]);
        assert_eq!(
            used("I've checked, dana, and it's sent.", &["Dana"]),
            ["dana"]
        );
        assert_eq!(used("Thank you, [PERSON_NAME].", &[]), ["[PERSON_NAME]"]);
        assert!(used("Hi there, thanks for waiting.", &[]).is_empty());
        assert!(used("Hi team, please see below.", &[]).is_empty());
        assert!(used("Hi @sarah99, sorry about that.", &[]).is_empty());
        assert!(used("Thanks for the info Sarah", &[]).is_empty());
        assert!(used("We will mark it as urgent.", &["Mark"]).is_empty());
        assert!(used("Sorry Unfortunately the store is shut.", &[]).is_empty());
        assert_eq!(used("@d0nhawk Hey Don, help's here.", &[]), ["Don"]);
        assert_eq!(used("@x Hannah, we are so sorry.", &[]), ["Hannah"]);
        assert_eq!(used("@x Edgar - sorry for the delay.", &[]), ["Edgar"]);
        assert_eq!(used("Sorry for the trouble, John!", &[]), ["John"]);
        assert_eq!(used("Hmm, that is odd.", &[]), Vec::<String>::new());
        assert!(used("It works on Mac, Windows.", &[]).is_empty());
        assert!(used("Hi Bill payers are due today", &[]).is_empty());
    }
}
