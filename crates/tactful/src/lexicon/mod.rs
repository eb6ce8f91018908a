//! Phrase lists: the data files behind the detectors, and their pattern language.
//!
//! A lexicon is a text file, one pattern a line. The language states
//! *families* of wording, not lists of sentences:
//!
//! ```text
//! # comments start with '#'
//! (as per|per|according to) (our|the) @policy
//! we * (can't|cannot) refund~
//! [statement] had you (read|check~) *3 @customer_doc
//! ! our @policy (allows|lets) (me|us)
//! + Per our policy we cannot refund opened items.
//! - Our policy lets me refund you in full.
//! ```
//!
//! - **Words** are separated by spaces and matched whole, case-insensitively,
//!   against the normalized view of a turn (see [`crate::text::Normalized`]).
//!   A word with an apostrophe (`can't`) also matches without it (`cant`);
//!   punctuation is a token of its own and attaches to the word before it
//!   (`sorry (,)? but`).
//! - **Groups** `(a|b c|d)` are alternatives, which may hold spaces and nested
//!   groups; a word or group followed by `?` is optional; atoms written
//!   together (`polic(y|ies)`) join into one word.
//! - **Inflections**: `lemma~` matches the word's regular inflections
//!   (`refund~`: refund, refunds, refunded, refunding; `policy~`: policies;
//!   `cancel~`: cancelled, canceled). Irregular forms are written out.
//! - **Word classes**: `@name` stands for a class defined once in
//!   `lexicons/classes.txt` (`@policy = (polic(y|ies)|terms|...)`) and shared
//!   by every list and by a team's own `extend-phrases`.
//! - **Gaps**: `*` lets up to 3 words stand between its neighbours, `*N` up to
//!   N (1 to 8), for adverbs and modifiers ("we *2 can't" finds "we really
//!   can't"). A gap never crosses a clause boundary: sentence punctuation
//!   (`.`, `!`, `?`, `;`, `:`), a dash, brackets, quotes, or a word that opens a
//!   new clause (`but`, `however`, `although`, `though`, `because`, `so`,
//!   `and`, `or`, `if`, `unless`, `when`, `while`). A pattern cannot start or end
//!   with a gap.
//! - **Conditions** in brackets before a pattern: `[statement]` matches only
//!   in a sentence that does not end with `?`, `[question]` only in one that
//!   does; `[unless-help]` drops the match when the same turn offers help or
//!   an alternative (an act of the agent: "I've refunded", "what I can do
//!   is", "instead"). Tags combine (`[statement, unless-help]`). A line
//!   holding only tags sets the default for the lines after it; `[any]`
//!   resets it.
//! - **Exceptions**: a line starting with `! ` is an exception: a match of the
//!   lexicon that lies inside a match of an exception is dropped.
//! - **Examples**: a line starting with `+ ` is a sentence the list's rule
//!   must flag, one starting with `- ` a sentence it must not flag; the test
//!   suite runs every example through the analyzer (as harper's rule files do).

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, LazyLock};

mod inflect;
mod tokens;

pub(crate) use tokens::fast_tokens;
use tokens::{runs, split_clitic};

/// Most literal phrases a single pattern line may expand into.
pub(crate) const MAX_EXPANSION: usize = 4096;

/// Most words a gap (`*N`) may stand for.
pub const MAX_GAP: u8 = 8;

/// The gap of a bare `*`.
const DEFAULT_GAP: u8 = 3;

/// Deepest nesting of groups in one pattern.
pub const MAX_DEPTH: usize = 32;

/// One literal phrase, expanded from a pattern line.
#[cfg(test)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrase {
    /// The phrase, normalized (lowercase, single spaces).
    pub text: String,
    /// Whether it came from an exception (`! `) line.
    pub exception: bool,
    /// 1-based line of the pattern it came from.
    pub line: usize,
}

/// The kind of sentence a pattern may match in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sentence {
    /// Any sentence.
    #[default]
    Any,
    /// A sentence that does not end with a question mark.
    Statement,
    /// A sentence that ends with a question mark.
    Question,
}

/// The conditions on a pattern's matches (the bracketed tags before it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Conditions {
    /// The sentence type it matches in.
    pub sentence: Sentence,
    /// Whether a match is dropped when the turn offers help.
    pub unless_help: bool,
}

/// One pattern line, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// The token tree.
    pub(crate) tree: Vec<Node>,
    /// Whether it is an exception (`! `) line.
    pub exception: bool,
    /// The sentence type it matches in (as `conditions.sentence`).
    pub sentence: Sentence,
    /// Its conditions.
    pub conditions: Conditions,
    /// 1-based line in its source.
    pub line: usize,
}

/// An example line of a lexicon: a sentence its rule must (`+ `) or must not
/// (`- `) flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// The sentence.
    pub text: String,
    /// Whether the rule must flag it.
    pub flagged: bool,
    /// 1-based line in its source.
    pub line: usize,
}

/// What one line of a lexicon holds.
enum Line<'a> {
    Blank,
    Section(Result<Conditions, String>),
    Example(Example),
    Pattern {
        exception: bool,
        conditions: Option<Result<Conditions, String>>,
        text: &'a str,
    },
}

/// The conditions of a bracketed tag list (`[statement, unless-help]`), if
/// `s` is one.
fn tags(s: &str) -> Option<Result<Conditions, String>> {
    let inner = s.strip_prefix('[')?.strip_suffix(']')?;
    let mut c = Conditions::default();
    for tag in inner.split([',', ' ']).filter(|t| !t.is_empty()) {
        match tag {
            "any" => c = Conditions::default(),
            "statement" => c.sentence = Sentence::Statement,
            "question" => c.sentence = Sentence::Question,
            "unless-help" => c.unless_help = true,
            other => {
                return Some(Err(format!(
                    "unknown condition [{other}] (known: any, statement, question, unless-help)"
                )))
            }
        }
    }
    Some(Ok(c))
}

fn classify(raw: &str, line: usize) -> Line<'_> {
    let trimmed = raw.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Line::Blank;
    }
    if let Some(c) = tags(trimmed) {
        return Line::Section(c);
    }
    for (prefix, flagged) in [("+ ", true), ("- ", false)] {
        if let Some(text) = trimmed.strip_prefix(prefix) {
            return Line::Example(Example {
                text: text.trim().to_string(),
                flagged,
                line,
            });
        }
    }
    let (exception, rest) = match trimmed.strip_prefix("! ") {
        Some(rest) => (true, rest.trim()),
        None => (false, trimmed),
    };
    // (most patterns open with no bracket: the split is made only for those
    // that do)
    let split = if rest.starts_with('[') {
        rest.split_once(']')
    } else {
        None
    };
    let (conditions, text) = match split {
        Some((head, tail)) if !head.contains(['(', '|']) => {
            (tags(&format!("{head}]")), tail.trim())
        }
        _ => (None, rest),
    };
    Line::Pattern {
        exception,
        conditions,
        text,
    }
}

/// What is wrong with one entry of a phrase list given as a list of
/// patterns (`[extend-phrases]` and `[allow-phrases]` in `tactful.toml`),
/// where each entry is one pattern line: an entry with a line break, and one
/// that would be no pattern in a lexicon file (empty or white space, a
/// comment, an example line, tags alone), match nothing and are rejected,
/// as `()` is. `None` for an entry that is a pattern line (which may still
/// fail to parse).
pub(crate) fn entry_problem(entry: &str) -> Option<&'static str> {
    if entry.contains(['\n', '\r']) {
        return Some("a pattern is one line; give each pattern as its own string");
    }
    match classify(entry, 1) {
        Line::Pattern { .. } => None,
        Line::Blank if entry.trim().is_empty() => Some("pattern matches nothing (it is empty)"),
        Line::Blank => Some("pattern matches nothing (a line starting with '#' is a comment)"),
        Line::Example(_) => {
            Some("pattern matches nothing (a line starting with '+ ' or '- ' is an example)")
        }
        Line::Section(_) => Some("pattern matches nothing (tags with no pattern)"),
    }
}

/// Parses a whole lexicon file into pattern trees, without expanding them,
/// with the built-in word classes.
pub fn parse_patterns(source: &str) -> Result<Vec<Pattern>, PatternError> {
    parse_patterns_with(source, builtin_classes())
}

/// Parses a whole lexicon file into pattern trees with the given word classes.
pub fn parse_patterns_with(source: &str, classes: &Classes) -> Result<Vec<Pattern>, PatternError> {
    let mut out = Vec::new();
    let mut default = Conditions::default();
    // (split as `lines` splits, by a vectorized search: the lists hold some
    // 6,000 lines)
    for (line, raw) in crate::topics::model_lines(source) {
        let err = |message: String| PatternError { line, message };
        match classify(raw, line) {
            Line::Blank | Line::Example(_) => {}
            Line::Section(c) => default = c.map_err(err)?,
            Line::Pattern {
                exception,
                conditions,
                text,
            } => {
                let conditions = match conditions {
                    Some(c) => c.map_err(err)?,
                    None => default,
                };
                let tree = parse_tree_with(text, classes).map_err(err)?;
                out.push(Pattern {
                    tree,
                    exception,
                    sentence: conditions.sentence,
                    conditions,
                    line,
                });
            }
        }
    }
    Ok(out)
}

/// The example lines (`+ ` and `- `) of a lexicon file.
pub fn examples(source: &str) -> Vec<Example> {
    source
        .lines()
        .enumerate()
        .filter_map(|(i, raw)| match classify(raw, i + 1) {
            Line::Example(e) => Some(e),
            _ => None,
        })
        .collect()
}

/// A pattern that could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternError {
    /// 1-based line of the pattern.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for PatternError {}

/// Named word classes (`@name`), each a pattern: defined once, used by every
/// list.
///
/// ```
/// use tactful::lexicon::{expand_with, Classes};
/// let classes = Classes::parse("@pet = (cat~|dog~)\n@owner = my @pet").unwrap();
/// let phrases = expand_with("feed @owner", &classes).unwrap();
/// assert!(phrases.contains(&"feed my cats".to_string()));
/// assert!(Classes::parse("@a = @nope").is_err());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Classes {
    map: HashMap<String, Vec<Node>>,
}

impl Classes {
    /// Parses class definitions, one a line: `@name = pattern`. A class may
    /// use the classes defined above it. Comments and blank lines are
    /// skipped.
    pub fn parse(source: &str) -> Result<Classes, PatternError> {
        let mut classes = Classes::default();
        classes.extend(source)?;
        Ok(classes)
    }

    /// Adds the definitions of `source` (as [`Classes::parse`]) to these.
    pub fn extend(&mut self, source: &str) -> Result<(), PatternError> {
        for (i, raw) in source.lines().enumerate() {
            let line = i + 1;
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let err = |message: String| PatternError { line, message };
            let (name, body) = trimmed
                .split_once('=')
                .ok_or_else(|| err("a class is defined as `@name = pattern`".to_string()))?;
            let name = name.trim();
            let bare = name
                .strip_prefix('@')
                .filter(|n| {
                    !n.is_empty()
                        && n.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                })
                .ok_or_else(|| {
                    err(format!(
                        "bad class name {name:?}: `@` and lower-case letters, digits or `_`"
                    ))
                })?;
            let tree = parse_tree_with(body.trim(), self).map_err(err)?;
            self.map.insert(bare.to_string(), tree);
        }
        Ok(())
    }

    /// The names of the classes, sorted.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.map.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// The literal phrases of one class (for tools and docs).
    pub fn members(&self, name: &str) -> Option<Vec<String>> {
        let tree = self.map.get(name.trim_start_matches('@'))?;
        expand_tree(tree).ok()
    }
}

/// The built-in word classes (`lexicons/classes.txt`).
pub static CLASSES_SOURCE: &str = include_str!("../../lexicons/classes.txt");

/// The built-in word classes, parsed once.
pub fn builtin_classes() -> &'static Classes {
    static BUILT_IN: LazyLock<Classes> =
        LazyLock::new(|| Classes::parse(CLASSES_SOURCE).unwrap_or_default());
    &BUILT_IN
}

/// Parses a whole lexicon file into its literal phrases (tests compare
/// them with what the automaton finds). Gaps expand to nothing.
#[cfg(test)]
pub(crate) fn parse(source: &str) -> Result<Vec<Phrase>, PatternError> {
    let mut out: Vec<Phrase> = Vec::new();
    for p in parse_patterns(source)? {
        let mut texts = expand_tree(&p.tree).map_err(|message| PatternError {
            line: p.line,
            message,
        })?;
        texts.sort();
        texts.dedup();
        out.extend(texts.into_iter().map(|text| Phrase {
            text,
            exception: p.exception,
            line: p.line,
        }));
    }
    Ok(out)
}

/// A pattern as a tree: a sequence of nodes, each a word token, a choice
/// between sequences (an optional part is a choice with an empty sequence),
/// or a gap.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum Node {
    /// One token (a word, or a single punctuation character or symbol).
    Word(WordText),
    /// Alternatives; an empty sequence makes the choice optional. Shared:
    /// a word class's tree is used by every pattern that names it, and
    /// copying (and later dropping) its alternatives for each use was about
    /// a sixth of the start-up.
    Choice(Arc<Vec<Seq>>),
    /// Up to this many tokens of one clause.
    Gap(u8),
}

/// One alternative of a [`Node::Choice`]: a sequence of nodes, held
/// without a vector of its own when it is one node (most alternatives are a
/// single word: a vector each was some 50,000 allocations and frees of the
/// start-up, when the lists were parsed and when their trees were dropped).
#[derive(Clone)]
pub(crate) enum Seq {
    /// A single node.
    One(Node),
    /// Any other number of nodes (none: an optional group's empty way).
    Many(Vec<Node>),
}

impl Seq {
    /// The nodes, as a vector.
    fn into_vec(self) -> Vec<Node> {
        match self {
            Seq::One(n) => vec![n],
            Seq::Many(v) => v,
        }
    }
}

impl From<Vec<Node>> for Seq {
    fn from(mut v: Vec<Node>) -> Seq {
        match v.pop() {
            Some(n) if v.is_empty() => Seq::One(n),
            Some(n) => {
                v.push(n);
                Seq::Many(v)
            }
            None => Seq::Many(v),
        }
    }
}

impl std::ops::Deref for Seq {
    type Target = [Node];
    fn deref(&self) -> &[Node] {
        match self {
            Seq::One(n) => std::slice::from_ref(n),
            Seq::Many(v) => v,
        }
    }
}

impl PartialEq for Seq {
    fn eq(&self, other: &Seq) -> bool {
        **self == **other
    }
}

impl Eq for Seq {}

impl std::hash::Hash for Seq {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state);
    }
}

impl fmt::Debug for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

/// The longest word a [`WordText`] holds without a heap allocation.
const INLINE_WORD: usize = 22;

/// The text of a pattern's word token: held inline when it is short (nearly
/// every word of the lists is), so that parsing the lists and dropping their
/// trees at start-up allocate and free nothing per word (the per-word
/// `String`s were some 70,000 allocations and frees of the start-up).
#[derive(Clone)]
pub(crate) enum WordText {
    /// Up to [`INLINE_WORD`] bytes of UTF-8: `bytes[..len]`.
    Inline { len: u8, bytes: [u8; INLINE_WORD] },
    /// A longer word.
    Heap(Box<str>),
}

impl WordText {
    /// The word `s`.
    pub(crate) fn new(s: &str) -> WordText {
        let b = s.as_bytes();
        if b.len() <= INLINE_WORD {
            let mut bytes = [0u8; INLINE_WORD];
            bytes[..b.len()].copy_from_slice(b);
            WordText::Inline {
                len: b.len() as u8,
                bytes,
            }
        } else {
            WordText::Heap(s.into())
        }
    }

    /// The word's bytes packed as the matcher packs a token of at most
    /// eight bytes ([`crate::matcher::pack_token`]), without reading it as
    /// a string; `None` for an empty or longer word.
    #[inline]
    pub(crate) fn short_key(&self) -> Option<u64> {
        match self {
            WordText::Inline { len, bytes } if (1..=8).contains(len) => {
                // (the bytes past `len` are zero, as `pack_token` pads)
                let mut w = [0u8; 8];
                w.copy_from_slice(&bytes[..8]);
                Some(u64::from_le_bytes(w))
            }
            _ => None,
        }
    }

    /// The word as a string.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            // (the bytes are those of a `&str`: the check cannot fail)
            WordText::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            WordText::Heap(s) => s,
        }
    }
}

impl std::ops::Deref for WordText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for WordText {
    fn eq(&self, other: &WordText) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for WordText {}

impl std::hash::Hash for WordText {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for WordText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

/// Parses one pattern line into its token tree with the built-in classes.
#[cfg(test)]
pub(crate) fn parse_tree(pattern: &str) -> Result<Vec<Node>, String> {
    parse_tree_with(pattern, builtin_classes())
}

/// Parses one pattern line into its token tree without expanding it.
///
/// Atoms written together (`polic(y|ies)`) are expanded locally into their
/// literal forms, since they make up one token.
pub(crate) fn parse_tree_with(pattern: &str, classes: &Classes) -> Result<Vec<Node>, String> {
    // a backslash escapes nothing: `\.` was read as a token "\" before a full
    // stop (so it never matched) and `\?` as an optional "\" (so it matched
    // anything); punctuation is written as itself
    if let Some(at) = memchr::memchr(b'\\', pattern.as_bytes()) {
        return Err(format!(
            "backslash at column {}: punctuation is written as itself, `(.|?|!)`",
            pattern[..at].chars().count() + 1
        ));
    }
    let chars: Vec<char> = pattern.chars().collect();
    let mut parser = Parser {
        chars: &chars,
        text: pattern,
        pos: 0,
        classes,
        depth: 0,
        stack: Vec::new(),
    };
    let seq = parser.seq(false)?.into_vec();
    if parser.pos < chars.len() {
        return Err(format!(
            "unexpected {:?} at column {}",
            chars[parser.pos],
            parser.pos + 1
        ));
    }
    if !matches_something(&seq) {
        return Err("pattern matches nothing".to_string());
    }
    if matches!(first_node(&seq), Some(Node::Gap(_))) || matches!(seq.last(), Some(Node::Gap(_))) {
        return Err("a pattern cannot start or end with a gap".to_string());
    }
    Ok(seq)
}

/// The first node of a sequence, looking into a leading one-way choice.
fn first_node(seq: &[Node]) -> Option<&Node> {
    match seq.first()? {
        Node::Choice(alts) if alts.len() == 1 => first_node(&alts[0]),
        n => Some(n),
    }
}

/// Whether every way through `seq` takes at least one word (a pattern that
/// can match the empty string matches nothing useful).
fn matches_something(seq: &[Node]) -> bool {
    seq.iter().any(|n| match n {
        Node::Word(_) => true,
        Node::Gap(_) => false,
        Node::Choice(alts) => alts.iter().all(|a| matches_something(a)),
    })
}

struct Parser<'a> {
    chars: &'a [char],
    /// The pattern `chars` holds (when it is ASCII, as nearly every one is,
    /// a char's index is its byte's).
    text: &'a str,
    pos: usize,
    classes: &'a Classes,
    depth: usize,
    /// The nodes of the sequences being read, the innermost on top
    /// ([`Parser::seq`]).
    stack: Vec<Node>,
}

impl Parser<'_> {
    /// The chars `start..end` as a string: copied from the pattern's bytes
    /// where they are its bytes (collecting chars one by one was a sixth
    /// of the lists' parsing).
    fn string(&self, start: usize, end: usize) -> String {
        if self.text.len() == self.chars.len() {
            self.text[start..end].to_string()
        } else {
            self.chars[start..end].iter().collect()
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    /// Reads a word atom (up to a space or a group character); whether it
    /// is optional. `word?` is optional; `?` or `??` after no word
    /// character is literal.
    fn bare_word(&mut self) -> (String, bool) {
        let start = self.pos;
        while let Some(w) = self.peek() {
            if matches!(w, ' ' | '\t' | '(' | ')' | '|') {
                break;
            }
            self.pos += 1;
        }
        let mut word: String = self.string(start, self.pos);
        let optional = word.ends_with('?')
            && word
                .chars()
                .rev()
                .nth(1)
                .is_some_and(|c| crate::text::is_word_char(c) || c == '~');
        if optional {
            word.pop();
        }
        (word, optional)
    }

    /// A group's alternatives, after its `(`; and whether a `?` follows it.
    fn group(&mut self) -> Result<(Vec<Seq>, bool), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("groups nested more than {MAX_DEPTH} deep"));
        }
        let mut alts = Vec::new();
        loop {
            let at = self.pos;
            let alt = self.seq(true)?;
            if alt.is_empty() {
                // "(nice||lovely)" would match nothing as one way through,
                // silently making the whole group optional
                return Err(format!(
                    "empty alternative in a group at column {} (write `(a|b)?` for an optional group)",
                    at + 1
                ));
            }
            alts.push(alt);
            match self.peek() {
                Some('|') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    break;
                }
                _ => return Err("unclosed group".to_string()),
            }
        }
        self.depth -= 1;
        let optional = self.peek() == Some('?');
        if optional {
            self.pos += 1;
        }
        Ok((alts, optional))
    }

    /// A sequence of space-separated units, up to the end or (in a group)
    /// a `|` or `)`.
    fn seq(&mut self, in_group: bool) -> Result<Seq, String> {
        // (the nodes go on the parser's stack, above those of the sequences
        // this one is nested in, and are taken off at the end)
        let base = self.stack.len();
        loop {
            while matches!(self.peek(), Some(' ' | '\t')) {
                self.pos += 1;
            }
            match self.peek() {
                None => break,
                Some('|' | ')') if in_group => break,
                Some(c @ ('|' | ')')) => {
                    return Err(format!("{c:?} outside a group at column {}", self.pos + 1))
                }
                _ => {}
            }
            let start = self.pos;
            // the usual unit, a plain lower-case word standing alone, is one token
            let plain = self.chars[start..]
                .iter()
                .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || **c == '_')
                .count();
            if plain > 0
                && self
                    .chars
                    .get(start + plain)
                    .is_none_or(|c| matches!(c, ' ' | '\t' | '|' | ')'))
            {
                self.pos = start + plain;
                let word = Node::Word(if self.text.len() == self.chars.len() {
                    WordText::new(&self.text[start..self.pos])
                } else {
                    WordText::new(&self.string(start, self.pos))
                });
                self.stack.push(word);
                continue;
            }
            // collect glued atoms up to the next space (or group end / bar)
            let mut atoms: Vec<(Vec<Seq>, bool)> = Vec::new();
            let mut spaced = false;
            while let Some(c) = self.peek() {
                if matches!(c, ' ' | '\t' | '|' | ')') {
                    break;
                }
                if c == '(' {
                    let open = self.pos;
                    self.pos += 1;
                    atoms.push(self.group()?);
                    // an alternative that starts or ends with a space
                    spaced |= self.chars[open..self.pos].windows(2).any(|w| {
                        matches!(
                            (w[0], w[1]),
                            ('(' | '|', ' ' | '\t') | (' ' | '\t', '|' | ')')
                        )
                    });
                } else {
                    let (word, optional) = self.bare_word();
                    atoms.push((self.atom(&word)?, optional));
                }
            }
            if atoms.len() == 1 {
                let (mut alts, optional) = atoms.pop().unwrap_or_default();
                if optional {
                    alts.push(Seq::Many(Vec::new()));
                }
                match alts.pop() {
                    Some(Seq::One(n)) if alts.is_empty() => self.stack.push(n),
                    Some(Seq::Many(v)) if alts.is_empty() => self.stack.extend(v),
                    Some(last) => {
                        alts.push(last);
                        self.stack.push(Node::Choice(Arc::new(alts)));
                    }
                    None => {}
                }
            } else {
                // glued atoms form one token, and a space that opens or
                // closes an alternative of a glued group would be dropped
                // ("you('ll| will)" reads "youwill")
                if spaced {
                    return Err(format!(
                        "an alternative of a group glued to a word cannot start or end with a space, \
                         at column {}: write the alternatives as separate words",
                        start + 1
                    ));
                }
                // glued atoms form one token: its literal forms
                let mut forms = vec![String::new()];
                for (alts, optional) in &atoms {
                    let mut options: Vec<String> = Vec::new();
                    for alt in alts {
                        if alt.iter().any(|n| matches!(n, Node::Gap(_))) {
                            return Err("a gap cannot be glued to a word".to_string());
                        }
                        options.extend(expand_tree(alt)?);
                    }
                    if *optional {
                        options.push(String::new());
                    }
                    let mut next = Vec::with_capacity(forms.len() * options.len());
                    for f in &forms {
                        for o in &options {
                            next.push(format!("{f}{o}"));
                        }
                    }
                    if next.len() > MAX_EXPANSION {
                        return Err(format!(
                            "pattern expands to more than {MAX_EXPANSION} phrases"
                        ));
                    }
                    forms = next;
                }
                forms.sort();
                forms.dedup();
                let alts: Vec<Seq> = forms.iter().map(|l| words(l)).collect();
                self.stack.push(Node::Choice(Arc::new(alts)));
            }
        }
        Ok(if self.stack.len() == base + 1 {
            Seq::One(self.stack.pop().unwrap_or(Node::Gap(0)))
        } else {
            Seq::Many(self.stack.drain(base..).collect())
        })
    }

    /// One bare atom: a class reference, a gap, an inflected lemma or a
    /// literal; as alternatives.
    fn atom(&self, word: &str) -> Result<Vec<Seq>, String> {
        if let Some(name) = word.strip_prefix('@') {
            let tree = self
                .classes
                .map
                .get(name)
                .ok_or_else(|| format!("unknown word class @{name}"))?;
            return Ok(vec![Seq::from(tree.clone())]);
        }
        if let Some(n) = word.strip_prefix('*') {
            if n.is_empty() || n.bytes().all(|b| b.is_ascii_digit()) {
                let n: u8 = if n.is_empty() {
                    DEFAULT_GAP
                } else {
                    n.parse()
                        .ok()
                        .filter(|n| (1..=MAX_GAP).contains(n))
                        .ok_or_else(|| format!("a gap is *1 to *{MAX_GAP}, not *{n}"))?
                };
                return Ok(vec![Seq::One(Node::Gap(n))]);
            }
        }
        if let Some(lemma) = word.strip_suffix('~') {
            if lemma.is_empty()
                || lemma.starts_with('-')
                || !lemma
                    .chars()
                    .all(|c| crate::text::is_word_char(c) || c == '-')
            {
                return Err(format!("only a plain word can be inflected, not {word:?}"));
            }
            let lemma = lemma.to_lowercase();
            return Ok(inflect::forms(&lemma).iter().map(|f| words(f)).collect());
        }
        Ok(vec![words(word)])
    }
}

/// The tokens of a literal, as nodes. A word with an apostrophe also
/// matches without it: `can't` is `(ca n't | cant)`.
fn words(literal: &str) -> Seq {
    // a plain lower-case word (most of them) is its own one token
    if !literal.is_empty()
        && literal
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
    {
        return Seq::One(Node::Word(WordText::new(literal)));
    }
    thread_local! {
        /// The view [`words`] normalizes into, reused: a view made per
        /// literal was three allocations and frees each, some 4,000 times
        /// at start-up.
        static NORM: std::cell::RefCell<crate::text::Normalized> =
            std::cell::RefCell::new(crate::text::Normalized::new());
    }
    NORM.with(|norm| match norm.try_borrow_mut() {
        Ok(mut norm) => {
            norm.reset(literal);
            words_of(norm.as_str())
        }
        // (no call nests in another: this is never taken)
        Err(_) => words_of(crate::text::Normalized::of(literal).as_str()),
    })
}

/// [`words`] of a literal's normalized text.
fn words_of(text: &str) -> Seq {
    let mut out = Vec::new();
    for (a, b) in runs(text) {
        let run = &text[a..b];
        let parts: Vec<Node> = split_clitic(run)
            .into_iter()
            .map(|(x, y)| Node::Word(WordText::new(&run[x..y])))
            .collect();
        let bare: String = run.chars().filter(|&c| c != '\'').collect();
        if run.contains('\'') && !run.starts_with('\'') && !bare.is_empty() {
            out.push(Node::Choice(Arc::new(vec![
                Seq::from(parts),
                Seq::One(Node::Word(WordText::new(&bare))),
            ])));
        } else {
            out.extend(parts);
        }
    }
    Seq::from(out)
}

/// Expands one pattern line into its literal phrases, normalized, sorted
/// and without duplicates (for tools and tests; matching never expands).
/// Word classes are the built-in ones; a gap expands to nothing. A word with
/// an apostrophe also matches without it, and both forms are listed.
///
/// ```
/// use tactful::lexicon::expand;
/// let phrases = expand("(per|as per) (our|the)? policy").unwrap();
/// assert_eq!(phrases.len(), 6);
/// assert!(phrases.contains(&"as per the policy".to_string()));
/// assert!(phrases.contains(&"per policy".to_string()));
/// assert!(expand("(unclosed").is_err());
/// assert!(expand("we refund~").unwrap().contains(&"we refunded".to_string()));
/// ```
pub fn expand(pattern: &str) -> Result<Vec<String>, String> {
    expand_with(pattern, builtin_classes())
}

/// [`expand`] with the given word classes.
pub fn expand_with(pattern: &str, classes: &Classes) -> Result<Vec<String>, String> {
    let tree = parse_tree_with(pattern, classes)?;
    let mut out = expand_tree(&tree)?;
    out.retain(|s| !s.is_empty());
    out.sort();
    out.dedup();
    if out.is_empty() {
        return Err("pattern matches nothing".to_string());
    }
    Ok(out)
}

/// Up to `n` literal phrases of a pattern (the first ways through it; gaps
/// as nothing), for tests and tools that look at a family by example.
pub fn sample(pattern: &str, n: usize) -> Result<Vec<String>, String> {
    let tree = parse_tree_with(pattern, builtin_classes())?;
    let mut out = expand_capped(&tree, Some(n.max(1)))?;
    out.retain(|s| !s.is_empty());
    out.dedup();
    Ok(out)
}

/// The literal phrases of a token tree, normalized (gaps as nothing).
fn expand_tree(seq: &[Node]) -> Result<Vec<String>, String> {
    expand_capped(seq, None)
}

/// [`expand_tree`], keeping the first `cap` phrases instead of failing past
/// [`MAX_EXPANSION`] when a cap is given.
fn expand_capped(seq: &[Node], cap: Option<usize>) -> Result<Vec<String>, String> {
    let mut acc: Vec<Vec<&str>> = vec![Vec::new()];
    fn walk<'a>(
        seq: &'a [Node],
        acc: Vec<Vec<&'a str>>,
        cap: Option<usize>,
    ) -> Result<Vec<Vec<&'a str>>, String> {
        let mut acc = acc;
        for node in seq {
            acc = match node {
                Node::Word(w) => {
                    for a in &mut acc {
                        a.push(w);
                    }
                    acc
                }
                Node::Gap(_) => acc,
                Node::Choice(alts) => {
                    let mut next = Vec::new();
                    for alt in alts.iter() {
                        next.extend(walk(alt, acc.clone(), cap)?);
                        if let Some(cap) = cap {
                            next.truncate(cap);
                        } else if next.len() > MAX_EXPANSION {
                            return Err(format!(
                                "pattern expands to more than {MAX_EXPANSION} phrases"
                            ));
                        }
                    }
                    next
                }
            };
        }
        Ok(acc)
    }
    acc = walk(seq, std::mem::take(&mut acc), cap)?;
    Ok(acc.into_iter().map(|tokens| join_tokens(&tokens)).collect())
}

/// Joins tokens into a phrase: clitics and punctuation attach to the word
/// before them.
fn join_tokens(tokens: &[&str]) -> String {
    let mut out = String::new();
    for t in tokens {
        let attach = t.starts_with('\'') && t.len() > 1
            || *t == "n't"
            || matches!(*t, "," | "." | ";" | ":" | "!" | "?" | ")");
        if !out.is_empty() && !attach {
            out.push(' ');
        }
        out.push_str(t);
    }
    normalize_phrase(&out)
}

/// Normalizes a phrase the way turns are normalized (case, quotes, spaces),
/// with no space before punctuation.
pub(crate) fn normalize_phrase(s: &str) -> String {
    let folded = crate::text::Normalized::of(s.trim()).as_str().to_string();
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if matches!(c, ',' | '.' | ';' | ':' | '!' | '?' | ')') && out.ends_with(' ') {
            out.pop();
        }
        out.push(c);
    }
    out.trim().to_string()
}

#[cfg(test)]
mod tests;
