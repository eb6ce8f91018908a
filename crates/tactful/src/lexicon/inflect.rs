//! Regular English inflections of a marked lemma (`refund~`), for the pattern
//! language: the forms a verb or noun takes with `-s`, `-ed` and `-ing`.
//!
//! The rules over-generate on purpose ("policied" is no word): a form that
//! never occurs costs one vocabulary entry and matches nothing, while a form
//! the rules missed would be a silent gap in a list. Irregular forms ("sent",
//! "paid") are written out in the lists.

/// Whether `c` is a vowel letter.
fn vowel(c: u8) -> bool {
    matches!(c, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The lemma and its regular inflections, without duplicates: plural or
/// third person (`-s`, `-es`, `-ies`), past (`-ed`, `-d`, `-ied`, doubled
/// final consonant), and `-ing` (dropping a silent `e`, doubling).
pub(super) fn forms(lemma: &str) -> Vec<String> {
    let mut out = vec![lemma.to_string()];
    let b = lemma.as_bytes();
    let n = b.len();
    if n == 0 || !lemma.is_ascii() {
        return out;
    }
    let last = b[n - 1];
    let before = if n >= 2 { b[n - 2] } else { 0 };
    // -s
    if lemma.ends_with('s')
        || lemma.ends_with('x')
        || lemma.ends_with('z')
        || lemma.ends_with("ch")
        || lemma.ends_with("sh")
        || lemma.ends_with('o')
    {
        out.push(format!("{lemma}es"));
    }
    if last == b'y' && n >= 2 && !vowel(before) {
        let stem = &lemma[..n - 1];
        out.push(format!("{stem}ies"));
        out.push(format!("{stem}ied"));
    } else {
        out.push(format!("{lemma}s"));
    }
    // -ed
    if last == b'e' {
        out.push(format!("{lemma}d"));
    } else if last != b'y' || vowel(before) {
        out.push(format!("{lemma}ed"));
    }
    // -ing
    if last == b'e' && before != b'e' && n > 2 {
        out.push(format!("{}ing", &lemma[..n - 1]));
    } else {
        out.push(format!("{lemma}ing"));
    }
    if lemma.ends_with("ie") {
        out.push(format!("{}ying", &lemma[..n - 2]));
    }
    // a final consonant after one vowel may double: stop -> stopped,
    // cancel -> cancelled (and canceled, above)
    let third = if n >= 3 { b[n - 3] } else { 0 };
    if n >= 3
        && !vowel(last)
        && !matches!(last, b'w' | b'x' | b'y')
        && vowel(before)
        && !vowel(third)
    {
        let c = last as char;
        out.push(format!("{lemma}{c}ed"));
        out.push(format!("{lemma}{c}ing"));
    }
    out.sort();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::forms;

    fn has(lemma: &str, want: &[&str]) {
        let got = forms(lemma);
        for w in want {
            assert!(got.iter().any(|g| g == w), "{lemma}: no {w} in {got:?}");
        }
    }

    #[test]
    fn regular_verbs_and_nouns() {
        has("refund", &["refund", "refunds", "refunded", "refunding"]);
        has("policy", &["policy", "policies"]);
        has("reimburse", &["reimburses", "reimbursed", "reimbursing"]);
        has("discontinue", &["discontinued", "discontinuing"]);
        has("apply", &["applies", "applied", "applying"]);
        has("stop", &["stopped", "stopping"]);
        has(
            "cancel",
            &["cancelled", "canceled", "cancelling", "canceling"],
        );
        has("process", &["processes", "processed"]);
        has("delay", &["delays", "delayed", "delaying"]);
        has("agree", &["agreed", "agreeing", "agrees"]);
        has("tie", &["tied", "tying"]);
    }

    #[test]
    fn no_form_is_listed_twice() {
        for lemma in ["refund", "agree", "stop", "box", "a"] {
            let got = forms(lemma);
            let mut sorted = got.clone();
            sorted.dedup();
            assert_eq!(got, sorted);
        }
    }
}
