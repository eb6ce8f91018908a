//! "Did you mean ...?": the nearest known name for a misspelt rule id,
//! category or configuration key.

/// The candidate nearest to `word` if it is near enough to be a likely
/// typo: a Jaro-Winkler similarity of at least 0.8 (as clap uses for
/// subcommands), or the same words in another case.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, c)| *score >= 0.8 && *c != word)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Every rule id and category name.
fn rule_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = tactful::rule::all().iter().map(|r| r.id).collect();
    names.extend(tactful::Category::ALL.iter().map(|c| c.as_str()));
    names
}

/// The nearest rule id or category to `word`.
pub fn nearest_rule(word: &str) -> Option<&'static str> {
    nearest(word, rule_names())
}

/// `message` with "; did you mean `X`?" added when it reports an unknown
/// rule or category (`unknown rule or category "X"`) or an unknown
/// configuration key (toml's ``unknown field `X`, expected one of `a`, `b` ``)
/// and a known one is near.
pub fn with_suggestion(message: &str) -> String {
    let quoted_after = |marker: &str, quote: char| -> Option<&str> {
        let rest = &message[message.find(marker)? + marker.len()..];
        let rest = rest.strip_prefix(quote)?;
        Some(&rest[..rest.find(quote)?])
    };
    let suggestion = if let Some(word) = quoted_after("unknown rule or category ", '"') {
        nearest_rule(word)
    } else if let Some(word) = quoted_after("unknown field ", '`') {
        let expected = message
            .split("expected one of ")
            .nth(1)
            .or_else(|| message.split("expected ").nth(1))
            .unwrap_or("");
        let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        nearest(word, keys)
    } else {
        None
    };
    match suggestion {
        Some(s) => format!("{message}; did you mean `{s}`?"),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_suggested_and_far_ones_are_not() {
        assert_eq!(nearest_rule("apology.bt"), Some("apology.but"));
        assert_eq!(nearest_rule("procedurl"), Some("procedural"));
        assert_eq!(nearest_rule("Apology.But"), Some("apology.but"));
        assert_eq!(nearest_rule("zzzz"), None);
        assert_eq!(
            with_suggestion("select: unknown rule or category \"excuse.denail\" (see `tactful rules`)"),
            "select: unknown rule or category \"excuse.denail\" (see `tactful rules`); did you mean `excuse.denial`?"
        );
        assert_eq!(
            with_suggestion("unknown field `weigths`, expected one of `weights`, `penalties`, `caps`"),
            "unknown field `weigths`, expected one of `weights`, `penalties`, `caps`; did you mean `weights`?"
        );
        assert_eq!(
            with_suggestion("unknown field `qqq`, expected `select`"),
            "unknown field `qqq`, expected `select`"
        );
        assert_eq!(with_suggestion("something else"), "something else");
    }
}
