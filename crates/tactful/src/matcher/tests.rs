use super::build::*;
use super::*;

#[test]
fn the_step_set_finds_duplicates_across_growth_and_generations() {
    let mut set = StepSet::default();
    set.restart([5u32, 9, 5].into_iter());
    assert_eq!(
        set.len, 2,
        "a duplicate among the first states is kept once"
    );
    // many distinct states: the set grows and keeps finding duplicates
    for state in 0..1000u32 {
        if 2 * (set.len + 1) > set.slots.len() {
            let kept: Vec<u32> = (0..state).chain([5, 9]).collect();
            set.restart(kept.into_iter());
        }
        let new = set.insert(state);
        assert_eq!(new, state != 5 && state != 9, "state {state}");
        assert!(!set.insert(state));
    }
    // a new generation starts empty without clearing
    set.restart(std::iter::empty());
    assert!(set.insert(7));
    assert!(!set.insert(7));
    // and after the generation counter wraps, the old marks are cleared
    set.generation = u32::MAX;
    set.restart(std::iter::empty());
    assert_eq!(set.generation, 1);
    assert!(set.insert(7));
    assert!(!set.insert(7));
}

fn matcher(lexicons: &[(&str, &str)]) -> Matcher {
    let mut b = MatcherBuilder::default();
    for (name, src) in lexicons {
        b.add_source(name, src).unwrap();
    }
    b.build()
}

fn found(m: &Matcher, text: &str) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    m.scan(text, &mut out, &mut ScanBuffers::default());
    out.iter()
        .map(|h| {
            (
                h.lexicon,
                text[h.start as usize..h.end as usize].to_string(),
            )
        })
        .collect()
}

#[test]
fn transitions_find_one_or_many_targets_with_narrow_or_wide_keys() {
    for words in [100, 1 << 40] {
        let mut t = Transitions::new(words);
        t.insert(3, 5, &[7]);
        t.insert(3, 6, &[8, 9]);
        t.insert(1 << 20, 5, &[10, 11, 12]);
        t.finish(|_| 0);
        assert_eq!(t.wide.is_empty(), words == 100);
        assert_eq!(t.get(3, 5), [7]);
        assert_eq!(t.get(3, 6), [8, 9]);
        assert_eq!(t.get(1 << 20, 5), [10, 11, 12]);
        assert!(t.get(3, 7).is_empty());
        assert!(t.get(4, 5).is_empty());
    }
    assert!(Transitions::default().get(0, 0).is_empty());
}

#[test]
fn a_matcher_of_some_lexicons_finds_their_matches_only() {
    let mut b = MatcherBuilder::default();
    b.add_source("a", "our policy\nper our policy\n! our policy lets me")
        .unwrap();
    b.add_source("b", "policy\nour policy lets").unwrap();
    let (all, only_a) = (b.build(), b.build_where(|id| id == 0));
    for text in [
        "per our policy",
        "our policy lets me go",
        "policy, our policy",
    ] {
        let want: Vec<_> = found(&all, text).into_iter().filter(|h| h.0 == 0).collect();
        assert_eq!(found(&only_a, text), want, "{text}");
    }
}

#[test]
fn a_nul_token_is_no_word() {
    // NUL packs to the key that marks a free vocabulary slot
    let m = matcher(&[("a", "policy\npolicy says")]);
    assert!(found(&m, "\0").is_empty());
    assert_eq!(found(&m, "policy \0 says").len(), 1);
}

#[test]
fn word_boundaries_are_required() {
    let m = matcher(&[("a", "policy")]);
    assert_eq!(
        found(&m, "policyholder policy"),
        [(0, "policy".to_string())]
    );
    assert!(found(&m, "apolicy").is_empty());
}

#[test]
fn leftmost_longest_within_a_lexicon_all_lexicons_reported() {
    let m = matcher(&[("a", "our policy\nper our policy"), ("b", "policy")]);
    let got = found(&m, "per our policy");
    assert_eq!(
        got,
        [(0, "per our policy".to_string()), (1, "policy".to_string())]
    );
}

#[test]
fn exceptions_drop_matches_inside_them() {
    let m = matcher(&[("a", "our policy\n! our policy lets me")]);
    assert!(found(&m, "our policy lets me refund").is_empty());
    assert_eq!(found(&m, "our policy says no").len(), 1);
}

#[test]
fn same_phrase_twice_is_reported_twice() {
    let m = matcher(&[("a", "as per")]);
    assert_eq!(found(&m, "as per x, as per y").len(), 2);
}

#[test]
fn groups_optionals_and_contractions() {
    let m = matcher(&[("a", "(we|i) (can't|cannot)? help (you)?")]);
    for text in [
        "we can't help",
        "i cant help you",
        "we help",
        "i cannot help you",
    ] {
        assert_eq!(found(&m, text).len(), 1, "{text}");
        assert_eq!(found(&m, text)[0].1, text, "longest match in {text}");
    }
    assert!(found(&m, "they can't help")
        .iter()
        .all(|(_, t)| !t.starts_with("they")));
}

#[test]
fn clitics_match_written_either_way() {
    let m = matcher(&[("a", "(i|we) ('d|would) be upset\nwe (won't|will not) help")]);
    for text in [
        "i'd be upset",
        "we would be upset",
        "we won't help",
        "we wont help",
        "we will not help",
    ] {
        assert_eq!(found(&m, text).len(), 1, "{text}");
    }
    let m = matcher(&[("a", "i'd be upset")]);
    assert_eq!(found(&m, "id be upset").len(), 1);
    let m = matcher(&[("a", "the courier's fault")]);
    assert_eq!(found(&m, "it's the courier's fault").len(), 1);
}

#[test]
fn punctuation_and_glued_atoms() {
    let m = matcher(&[("a", "sorry (,)? (could|can) you\npolic(y|ies) apply")]);
    assert_eq!(found(&m, "sorry, could you").len(), 1);
    assert_eq!(found(&m, "sorry can you").len(), 1);
    assert_eq!(found(&m, "policies apply").len(), 1);
    assert!(found(&m, "polic apply").is_empty());
}

#[test]
fn overlapping_starts_are_all_tried() {
    // "sorry sorry for" must still find "sorry for" starting at the second word
    let m = matcher(&[("a", "sorry for")]);
    assert_eq!(found(&m, "sorry sorry for"), [(0, "sorry for".to_string())]);
    let m = matcher(&[("a", "a a b")]);
    assert_eq!(found(&m, "a a a b"), [(0, "a a b".to_string())]);
}

fn texts(m: &Matcher, text: &str) -> Vec<String> {
    found(m, text).into_iter().map(|(_, t)| t).collect()
}

#[test]
fn gaps_skip_words_outside_the_vocabulary_up_to_their_bound() {
    let m = matcher(&[("a", "we *2 (can't|cannot) refund")]);
    assert_eq!(texts(&m, "we can't refund"), ["we can't refund"]);
    assert_eq!(
        texts(&m, "we really can't refund"),
        ["we really can't refund"]
    );
    assert_eq!(
        texts(&m, "sadly we really truly cannot refund it"),
        ["we really truly cannot refund"]
    );
    // three words are one too many for *2
    assert!(texts(&m, "we really truly sadly cannot refund").is_empty());
    // a gap word may itself be a word of the vocabulary
    assert_eq!(
        texts(&m, "we refund can't refund"),
        ["we refund can't refund"]
    );
    // a bare `*` is up to three words
    let m = matcher(&[("a", "we * unable")]);
    assert_eq!(
        texts(&m, "we are sadly quite unable"),
        ["we are sadly quite unable"]
    );
    assert!(texts(&m, "we are sadly quite really unable").is_empty());
}

#[test]
fn gaps_stop_at_clause_boundaries() {
    let m = matcher(&[("a", "sorry *4 (can't|cannot)")]);
    assert_eq!(texts(&m, "sorry, we can't"), ["sorry, we can't"]);
    // a full stop inside a number or an address is no boundary
    assert_eq!(
        texts(&m, "sorry clause 7.2 can't"),
        ["sorry clause 7.2 can't"]
    );
    // nor is a hyphen inside a word, while a dash between spaces is
    assert_eq!(texts(&m, "sorry 30-day can't"), ["sorry 30-day can't"]);
    assert!(texts(&m, "sorry - we can't").is_empty());
    for text in [
        "sorry. we can't",
        "sorry but we can't",
        "sorry; we can't",
        "sorry! we can't",
        "sorry if we can't",
        "sorry and we can't",
        "sorry (we can't",
    ] {
        assert!(texts(&m, text).is_empty(), "{text}");
    }
}

#[test]
fn a_gap_right_after_the_first_word_starts_live() {
    // the start state itself has the gap: its threads must carry the bit
    let m = matcher(&[("a", "policy * prevents"), ("b", "x")]);
    assert_eq!(
        texts(&m, "the policy clearly prevents"),
        ["policy clearly prevents"]
    );
    assert_eq!(texts(&m, "policy prevents"), ["policy prevents"]);
}

#[test]
fn classes_and_inflections_match_every_member() {
    let classes = crate::lexicon::Classes::parse("@doc = (terms|polic(y|ies)|clause~)").unwrap();
    let patterns = crate::lexicon::parse_patterns_with("under @doc 7 * refund~", &classes).unwrap();
    let mut b = MatcherBuilder::default();
    let id = b.lexicon("a");
    b.patterns.extend(patterns.into_iter().map(|p| (id, p)));
    let m = b.build();
    for text in [
        "under clauses 7 we refunded",
        "under policies 7 you were refunding",
        "under terms 7 refunds",
    ] {
        assert_eq!(texts(&m, text).len(), 1, "{text}");
    }
    assert!(texts(&m, "under clauses 8 we refunded").is_empty());
}

#[test]
fn sentence_types_filter_matches() {
    let m = matcher(&[
        ("s", "[statement] your fault"),
        ("q", "[question] your fault"),
        ("a", "your fault"),
    ]);
    let q = "was it your fault or not? i see.";
    let got: Vec<u16> = found(&m, q).into_iter().map(|(l, _)| l).collect();
    assert_eq!(got, [1, 2], "{q}");
    let st = "it was your fault. really?";
    let got: Vec<u16> = found(&m, st).into_iter().map(|(l, _)| l).collect();
    assert_eq!(got, [0, 2], "{st}");
    // a match that ends with its own sentence's mark is read in that
    // sentence, not in the question after it
    let m2 = matcher(&[
        ("s", "[statement] your fault (.|!)"),
        ("q", "[question] your fault (?)"),
    ]);
    let mixed = "it was your fault. was it?";
    let got: Vec<u16> = found(&m2, mixed).into_iter().map(|(l, _)| l).collect();
    assert_eq!(got, [0], "{mixed}");
    let asked = "your fault? i see.";
    let got: Vec<u16> = found(&m2, asked).into_iter().map(|(l, _)| l).collect();
    assert_eq!(got, [1], "{asked}");
    // a section line sets the default for the lines after it
    let m = matcher(&[("s", "[question]\nyour fault\n[any]\nmy fault")]);
    assert!(found(&m, "your fault. my fault.").len() == 1);
    assert_eq!(found(&m, "your fault? my fault?").len(), 2);
}

/// Every built-in list, as the analyzer compiles them.
fn built_in() -> MatcherBuilder {
    let mut b = MatcherBuilder::default();
    for (rule, src) in crate::rule::phrase_lexicons() {
        b.add_source(rule.id, src).unwrap();
    }
    for (name, src) in crate::rules::apology::INTERNAL_LEXICONS {
        b.add_source(name, src).unwrap();
    }
    b.add_source(crate::analyzer::HELP_OFFER.0, crate::analyzer::HELP_OFFER.1)
        .unwrap();
    b
}

const WORDS: &[&str] = &[
    "we", "i", "you", "if", "had", "'d", "can't", "cannot", "are", "'re", "'m", "unable", "to",
    "refund", "the", "your", "our", "policy", "terms", "is", "was", "not", "n't", "it", "that",
    "sorry", "but", ",", ".", "?", "!", "please", "contact", "courier", "by", "caused", "due",
    "high", "demand", "really", "sadly", "in", "line", "with", "as", "per", "of", "system",
    "won't", "let", "me", "read", "email", "this", "would", "have", "happened", "need", "fill",
    "out", "form", "yourself", "just", "how", "banks", "work", "and", "so", "however",
];

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(400))]
    /// The prefix trie changes how patterns share states, never what
    /// they find: on texts made of the lists' own words, the matcher with
    /// the trie finds exactly what the matcher without it finds.
    #[test]
    fn the_prefix_trie_finds_the_same_matches(
        words in proptest::collection::vec(0..WORDS.len(), 0..40)
    ) {
        use std::sync::OnceLock;
        static BOTH: OnceLock<(Matcher, Matcher)> = OnceLock::new();
        let (with, without) = BOTH.get_or_init(|| {
            let b = built_in();
            (b.build_with_trie(|_| true, TRIE_DEPTH), b.build_with_trie(|_| true, 0))
        });
        let text: Vec<&str> = words.iter().map(|&i| WORDS[i]).collect();
        let text = text.join(" ").replace(" '", "'").replace(" n't", "n't");
        let (mut a, mut b) = (Vec::new(), Vec::new());
        with.scan(&text, &mut a, &mut ScanBuffers::default());
        without.scan(&text, &mut b, &mut ScanBuffers::default());
        proptest::prop_assert_eq!(a, b, "{}", text);
    }
}

/// The longest run of occupied slots in the vocabulary's short-word table
/// (with linear probing, a lookup may walk that far).
fn longest_cluster(vocab: &Vocab) -> usize {
    let (mut longest, mut run) = (0, 0);
    for &(key, _) in vocab.short.iter().chain(&vocab.short) {
        run = if key == 0 { 0 } else { run + 1 };
        longest = longest.max(run);
    }
    longest.min(vocab.short.len())
}

#[test]
fn the_vocabulary_spreads_keys_past_two_to_the_sixteen_slots() {
    // a team's generated phrases: many words sharing their first letters
    // (issue 19, item 8: 100,000 phrases took 9.5 s to build, as every
    // key of a table past 2^16 slots fell into one long cluster)
    let mut vocab = Vocab::default();
    let words: Vec<String> = (0..100_000).map(|i| format!("zx{i:06}")).collect();
    for (i, w) in words.iter().enumerate() {
        assert_eq!(vocab.insert(w), i as u32);
    }
    assert!(vocab.short.len() > 1 << 16, "{} slots", vocab.short.len());
    // at most half full, the longest cluster of a well-spread table stays
    // short (8 slots for this one); before the fix these 100,000 keys made
    // one cluster of 99,999 slots
    let longest = longest_cluster(&vocab);
    assert!(longest < 200, "a cluster of {longest} slots");
    for (i, w) in words.iter().enumerate() {
        assert_eq!(vocab.get(w).map(|w| w.id), Some(i as u32), "{w}");
    }
    assert_eq!(vocab.get("zz999999"), None);
}

#[test]
fn the_table_holds_only_the_moves_a_thread_can_take() {
    // a thread is only ever after "a" (moving on "x"), after "x" (at the
    // choice: "b" or "c") or after either (moving on "d"): four moves. The
    // splits and words inside the pattern are states too, but no thread
    // stands on them; their moves (twelve in all) only made the table larger.
    let m = matcher(&[("x", "a x (b|c) d\n")]);
    let filled = m.transitions.slots.iter().filter(|s| s.0 != 0).count();
    assert_eq!(filled, 4);
    assert_eq!(found(&m, "a x b d"), vec![(0, "a x b d".to_string())]);
    assert_eq!(found(&m, "so a x c d"), vec![(0, "a x c d".to_string())]);
    assert!(found(&m, "a x d").is_empty());
    assert!(found(&m, "x b d").is_empty());
}

#[test]
fn a_clause_boundary_is_told_by_the_key_as_by_the_text() {
    let texts = [
        "but however although though because so and or if unless when while",
        "a . b - c -- d ; e : f ( g ) [ h ] \" i \u{2014} j \u{2013} k ! l ? m",
        "7.2 site.com 30-day - . .. ... -x x- butt and, so! if? whilst becausee",
        "a\u{0}nd so\u{0} \u{0}if \u{0} unlessly howevers although-ish",
        ".",
        "-",
        "so",
        "",
    ];
    for text in texts {
        let mut tokens = crate::lexicon::fast_tokens(text);
        while let Some((a, b, key)) = tokens.next_keyed() {
            assert_eq!(
                clause_boundary_keyed(text, a, b, key),
                clause_boundary(text, a, b),
                "{:?} in {text:?}",
                &text[a..b]
            );
        }
    }
}

/// The scan as the automaton steps its threads one by one, with no DFA
/// (the loop the DFA replaced): the reference the DFA's scan is held to.
/// Gives the hits and the exceptions as found, before the sentence types,
/// exceptions and overlaps are resolved.
fn scan_threads(m: &Matcher, norm: &str) -> (Vec<Hit>, Vec<Hit>) {
    let mut buf = ScanBuffers::default();
    let mut out = Vec::new();
    let mut threads: Vec<Thread> = Vec::new();
    let mut gaps = false;
    let mut tokens = crate::lexicon::fast_tokens(norm);
    while let Some((a, b, key)) = tokens.next_keyed() {
        let found = if key != 0 {
            m.vocab.get_short(key)
        } else {
            m.vocab.long.get(&norm[a..b]).copied()
        };
        let boundary = gaps && clause_boundary_keyed(norm, a, b, key);
        buf.next.clear();
        let mut step = Step {
            end: b as u32,
            next: &mut buf.next,
            few: 0,
            seen: &mut buf.seen,
            out: &mut out,
            exc: &mut buf.exceptions,
            gaps: false,
        };
        for &t in &threads {
            if let Some(word) = found {
                if word.flags & MOVES != 0 {
                    for &target in m.transitions.get(t.state & TARGET_STATE, word.id) {
                        m.enter(target, t.start, &mut step);
                    }
                }
            }
            if t.state & TARGET_ANY != 0 && !boundary {
                m.gap_moves(t, &mut step);
            }
        }
        if let Some(word) = found {
            if word.flags & STARTS != 0 {
                let (a, b) = (a as u32, b as u32);
                step.gaps |= m.start(word, a, b, step.next, step.out, step.exc);
            }
        }
        gaps = step.gaps;
        std::mem::swap(&mut threads, &mut buf.next);
    }
    (out, buf.exceptions)
}

/// The hits of [`Matcher::scan_with`] before they are resolved (as
/// [`scan_threads`] gives them): the scan with the resolution left out.
fn scan_raw(m: &Matcher, norm: &str, buf: &mut ScanBuffers) -> (Vec<Hit>, Vec<Hit>) {
    let mut out = Vec::new();
    m.scan_raw(norm, &mut out, buf, |_, _, _, _| {});
    (out, buf.exceptions.clone())
}

/// Texts of the lists' own words, and some that are not.
fn texts_for_the_dfa() -> Vec<String> {
    let mut texts = Vec::new();
    let mut x = 12345u64;
    for len in 0..400 {
        let mut words = Vec::new();
        for _ in 0..len % 60 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            words.push(WORDS[(x >> 33) as usize % WORDS.len()]);
        }
        let text = words.join(" ").replace(" '", "'").replace(" n't", "n't");
        texts.push(text);
    }
    texts.extend(
        [
            "we are unable to refund your order as per our policy, sorry",
            "i'm sorry but we can't do that. please contact the courier yourself",
            "you would have had to fill out the form by yourself xyzzy plugh and so on",
            "due to high demand we're unable to read this email right now! sadly",
            "it was not our system that caused it; the banks work that way, however",
        ]
        .map(String::from),
    );
    texts
}

#[test]
fn the_dfa_steps_as_the_threads_do() {
    let b = built_in();
    let m = b.build();
    let customer = b.build_where(|id| id % 2 == 0);
    let texts = texts_for_the_dfa();
    // one set of buffers for every text and both matchers (as a worker
    // keeps them): later texts replay the steps earlier ones kept; then
    // buffers whose DFA can keep nothing (every step computed, and the
    // lists left loose), or very little; then buffers whose DFA is built
    // only after some texts, and never
    let (cold, never) = (Some((0, 0, 2000)), Some((0, 0, usize::MAX)));
    for limits in [None, Some((0, 0, 0)), Some((3, 40, 0)), cold, never] {
        let mut buf = ScanBuffers::default();
        for round in 0..2 {
            for text in &texts {
                for m in [&m, &customer] {
                    let di = buf.dfa_of(m);
                    let dfa = &mut buf.dfas[di];
                    match limits {
                        None => dfa.warm_after = 0,
                        Some((entries, words, warm_after)) => {
                            dfa.warm_after = warm_after;
                            if warm_after < 2000 {
                                dfa.max_entries = entries;
                                dfa.max_words = words;
                            }
                        }
                    }
                    let want = scan_threads(m, text);
                    let got = scan_raw(m, text, &mut buf);
                    assert_eq!(got, want, "{text:?} (round {round}, {limits:?})");
                }
            }
        }
    }
}

#[test]
fn the_word_table_gives_each_id_its_token() {
    let m = matcher(&[
        (
            "a",
            "thank you\nso (much|very much)\nextraordinarily helpful",
        ),
        ("b", "you're welcome .\nwhat ? !\n😊"),
    ]);
    let texts = m.word_table(None, |w| Some(w.to_string()));
    assert_eq!(texts.len(), m.vocab.len());
    for (id, text) in texts.iter().enumerate() {
        let text = text.as_deref().expect("every id has a token");
        assert_eq!(m.vocab.get(text).map(|w| w.id), Some(id as u32), "{text}");
    }
    // the ids handed over in a scan are those of the table
    let norm = "thank you so very much, extraordinarily helpful 😊 zzz";
    let (mut out, mut buf) = (Vec::new(), ScanBuffers::default());
    m.scan_words(norm, &mut out, &mut buf, |a, b, _, id| {
        let word = texts.get(id as usize).and_then(|t| t.as_deref());
        match m.vocab.get(&norm[a..b]) {
            Some(w) => assert_eq!((w.id, word), (id, Some(&norm[a..b]))),
            None => assert_eq!(id, NO_WORD),
        }
    });
}

#[test]
fn a_states_move_bits_cover_every_word_it_moves_on() {
    let m = built_in().build();
    let t = &m.transitions;
    let keys: Vec<u64> = t
        .slots
        .iter()
        .filter(|s| s.0 != 0)
        .map(|s| u64::from(s.0))
        .chain(t.wide.keys().copied())
        .collect();
    assert!(keys.len() > 1000, "{} moves", keys.len());
    for key in keys {
        let (state, word) = ((key - 1) / t.words, (key - 1) % t.words);
        let (w, bit) = move_bit(word as u32);
        assert!(m.move_bits[state as usize][w] & bit != 0, "{state} {word}");
    }
    // and a DFA state has its threads' bits
    let mut dfa = dfa::Dfa::new(m.id, m.vocab.len());
    dfa.warm_up();
    let d = dfa.intern(&[3, 5], false, &m.move_bits);
    let want = [0, 1].map(|i| m.move_bits[3][i] | m.move_bits[5][i]);
    assert_eq!(dfa.moves[d as usize], want);
    assert!(dfa.may_move(LOOSE, 0), "a loose list may move");
}
