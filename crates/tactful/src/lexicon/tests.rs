use super::*;

fn texts(p: &str) -> Vec<String> {
    parse(p).unwrap().into_iter().map(|p| p.text).collect()
}

#[test]
fn expands_groups_and_optionals() {
    let got = texts("(we|i) (can't|cannot)? help");
    for want in [
        "we can't help",
        "we cannot help",
        "we help",
        "i cannot help",
        "i cant help",
    ] {
        assert!(got.iter().any(|g| g == want), "missing {want} in {got:?}");
    }
}

#[test]
fn punctuation_attaches_to_the_previous_word() {
    assert_eq!(
        texts("sorry (,|?)? could"),
        ["sorry could", "sorry, could", "sorry? could"]
    );
}

#[test]
fn question_marks_after_punctuation_are_literal() {
    assert_eq!(texts("hello (?|??)"), ["hello?", "hello??"]);
    // a pattern whose every part is optional could match nothing
    assert!(parse("hello?").is_err());
    assert!(parse("(|)").is_err());
    assert!(parse("(a|)? (b)?").is_err());
}

#[test]
fn config_entries_that_are_no_pattern_line_are_problems() {
    for entry in [
        "",
        "   ",
        "\t",
        "# note",
        "+ we cannot",
        "- fine",
        "[statement]",
        "a\nb",
        "a\rb",
    ] {
        assert!(entry_problem(entry).is_some(), "{entry:?}");
    }
    for entry in [
        "per our policy",
        "! our policy",
        "[statement] we cannot",
        "?",
        ",",
    ] {
        assert_eq!(entry_problem(entry), None, "{entry:?}");
    }
}

#[test]
fn plain_words_are_single_tokens_and_the_rest_still_parses() {
    let w = |s: &str| Node::Word(WordText::new(s));
    assert_eq!(
        parse_tree("we (can|could_2) help").unwrap(),
        [
            w("we"),
            Node::Choice(std::sync::Arc::new(vec![
                Seq::from(vec![w("can")]),
                Seq::from(vec![w("could_2")])
            ])),
            w("help")
        ]
    );
    // not plain: optional, glued, upper case, punctuation, clitics
    assert_eq!(
        parse_tree("sorry? Per policy, i'm").unwrap(),
        [
            Node::Choice(std::sync::Arc::new(vec![
                Seq::from(vec![w("sorry")]),
                Seq::from(vec![])
            ])),
            w("per"),
            w("policy"),
            w(","),
            Node::Choice(std::sync::Arc::new(vec![
                Seq::from(vec![w("i"), w("'m")]),
                Seq::from(vec![w("im")])
            ])),
        ]
    );
    assert_eq!(parse_tree("polic(y|ies)").unwrap().len(), 1);
}

#[test]
fn a_space_inside_a_glued_group_is_an_error() {
    // the space would be dropped and "you will" read as one word "youwill"
    let err = parse_tree("as you('ll| will) see").unwrap_err();
    assert!(err.contains("glued"), "{err}");
    // a space inside an alternative is kept: "to be honest," is four tokens
    assert!(parse_tree("(honestly|to be honest)?, it is").is_ok());
    assert!(parse_tree("(i'm sure)? you('ll)? see").is_ok());
    assert!(parse_tree("you (will|can) see").is_ok());
}

#[test]
fn comments_and_blank_lines_are_skipped() {
    assert_eq!(texts("# a comment\n\nper policy\n"), ["per policy"]);
}

#[test]
fn bad_patterns_name_the_line() {
    let err = parse("ok\n(unclosed group\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(parse("(a|b").is_err());
    assert!(parse("a )b").is_err());
    // an empty way through a group would make it silently optional
    let err = parse("ok\n(nice||lovely) day\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.to_string().contains("empty alternative"), "{err}");
    assert!(parse("(|a) b").is_err());
    assert!(parse("(a|) b").is_err());
    assert!(parse("() b").is_err());
    // a backslash is no escape: `\.` never matched and `\?` matched anything
    let err = parse("ok\nsorry (\\.|,)\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.to_string().contains("backslash"), "{err}");
}

#[test]
fn groups_nest_and_join_without_space() {
    assert_eq!(
        texts("polic(y|ies) (means (i|we) can)?"),
        [
            "policies",
            "policies means i can",
            "policies means we can",
            "policy",
            "policy means i can",
            "policy means we can"
        ]
    );
}

#[test]
fn expansion_is_bounded() {
    let line = "(a|b|c|d|e|f|g|h) ".repeat(6);
    assert!(parse(&line).is_err());
}

#[test]
fn phrases_are_normalized() {
    assert_eq!(texts("I’M   Sorry"), ["i'm sorry", "im sorry"]);
}

#[test]
fn the_built_in_classes_parse_and_each_is_used_or_documented() {
    let classes = Classes::parse(CLASSES_SOURCE).unwrap_or_else(|e| panic!("classes.txt {e}"));
    assert!(classes.names().len() >= 10);
    for name in classes.names() {
        let members = classes.members(name).unwrap_or_default();
        assert!(!members.is_empty(), "@{name} has no members");
    }
}

#[test]
fn classes_inflections_and_gaps_parse_and_expand() {
    assert!(expand("@nope x")
        .unwrap_err()
        .contains("unknown word class @nope"));
    assert!(expand("we * help")
        .unwrap()
        .contains(&"we help".to_string()));
    assert!(expand("* help").is_err());
    assert!(expand("help *").is_err());
    assert!(expand("we *9 help").is_err());
    assert!(expand("we *0 help").is_err());
    assert!(
        expand("we x*y help").is_ok(),
        "a star inside a word is literal"
    );
    let forms = expand("(we|i) cancel~").unwrap();
    for want in ["we cancelled", "i canceled", "we cancels", "i cancelling"] {
        assert!(forms.contains(&want.to_string()), "{want} in {forms:?}");
    }
    assert!(expand("we can't~").is_err());
    assert!(expand("@policy").unwrap().contains(&"policies".to_string()));
}

#[test]
fn sections_examples_and_prefixes_are_read() {
    let src = "[statement]\nyour fault\n[question, unless-help] my fault\n[any]\nno fault\n+ It's your fault.\n- Was it your fault?\n";
    let p = parse_patterns(src).unwrap();
    let kinds: Vec<Sentence> = p.iter().map(|p| p.sentence).collect();
    assert_eq!(
        kinds,
        [Sentence::Statement, Sentence::Question, Sentence::Any]
    );
    let help: Vec<bool> = p.iter().map(|p| p.conditions.unless_help).collect();
    assert_eq!(help, [false, true, false]);
    assert!(parse_patterns("[sometimes] x").is_err());
    let ex = examples(src);
    assert_eq!(ex.len(), 2);
    assert!(ex[0].flagged && !ex[1].flagged);
    assert_eq!(ex[1].text, "Was it your fault?");
    assert_eq!(ex[1].line, 7);
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}a{}", "(".repeat(100_000), ")".repeat(100_000));
    assert!(expand(&deep).unwrap_err().contains("nested"));
}
