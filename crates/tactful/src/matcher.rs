//! One automaton over every lexicon: a single pass per turn finds every phrase.
//!
//! Patterns are compiled, without expanding their alternatives, into one
//! token-level NFA (Thompson construction over word tokens). A turn's
//! normalized text is split into tokens once; each token is looked up in the
//! lexicons' vocabulary and advances every live thread of the automaton. A
//! token outside the vocabulary ends every thread, so the cost per token is a
//! hash lookup plus the few threads that are live.
//!
//! Why not one aho-corasick automaton over literal phrases: the phrase lists
//! use alternatives freely, and expanding them gives some 300 000 literals,
//! whose DFA took seconds to build. The token NFA builds in milliseconds, and
//! whole-token matching gives word boundaries for free.

use crate::lexicon::{self, Node, PatternError, Sentence};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Index of a lexicon inside a [`Matcher`].
pub(crate) type LexiconId = u16;

/// A phrase found in the normalized text (normalized byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub lexicon: LexiconId,
    /// Whether the pattern is dropped when the turn offers help.
    pub unless_help: bool,
    pub start: u32,
    pub end: u32,
}

/// An error in a lexicon, naming it.
#[derive(Debug, Clone)]
pub(crate) struct LexiconError {
    pub lexicon: String,
    pub error: PatternError,
}

/// A small, fast hasher for short token strings (FNV-1a over 8-byte words).
#[derive(Default, Clone, Copy)]
pub(crate) struct TokenHasher(u64);

impl Hasher for TokenHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0 ^ 0xcbf2_9ce4_8422_2325;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(c);
            h = (h ^ u64::from_le_bytes(w)).wrapping_mul(0x0000_0100_0000_01b3);
            h ^= h >> 29;
        }
        for &b in chunks.remainder() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
        self.0 = h;
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type LongVocab = HashMap<String, Word, BuildHasherDefault<TokenHasher>>;

/// A word of the vocabulary: its id and what the automaton does with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Word {
    id: u32,
    /// [`STARTS`], [`MOVES`], [`START_LIVE`] and [`START_ACCEPTS`] bits,
    /// above the [`START_STATE`] bits: the state a match starting on the
    /// word is in (so a token that starts one reads no other table).
    flags: u32,
}

/// Flag of a [`Word`] that a pattern starts with.
const STARTS: u32 = 1 << 31;
/// Flag of a [`Word`] on which some state has a move (a thread can go on).
const MOVES: u32 = 1 << 30;
/// Flag of a [`Word`] whose start state has a move.
const START_LIVE: u32 = 1 << 29;
/// Flag of a [`Word`] whose start state has accepts.
const START_ACCEPTS: u32 = 1 << 28;
/// Flag of a [`Word`] whose start state has a gap (moves on any token).
const START_ANY: u32 = 1 << 27;
/// The bits of a [`Word`]'s flags that hold its start state.
const START_STATE: u32 = (1 << 27) - 1;

/// The lexicons' words, each with an id. Tokens of at most 8 bytes (nearly
/// all) are packed into a `u64` and found in an open-addressing table with one
/// multiply and one integer compare; longer ones use a hash map. Each slot
/// holds the word's flags too, so that a token that neither starts nor
/// continues a match costs one table probe.
#[derive(Debug, Clone, Default)]
struct Vocab {
    short: Vec<(u64, Word)>,
    long: LongVocab,
    len: usize,
    /// The number of words in `short`.
    short_len: usize,
}

fn pack(token: &str) -> Option<u64> {
    let b = token.as_bytes();
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    Some(u64::from_le_bytes(w))
}

/// The first slot of `key` in a table of `mask + 1` slots (a power of two
/// up to 2^16): the top bits of a multiplicative hash, which depend on every
/// byte of the key (its middle bits collide more on the vocabulary).
#[inline]
fn slot(key: u64, mask: usize) -> usize {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(16) as usize & mask
}

impl Vocab {
    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, token: &str) -> Option<Word> {
        match pack(token) {
            Some(key) => self.get_short(key),
            None => self.long.get(token).copied(),
        }
    }

    #[inline]
    fn get_short(&self, key: u64) -> Option<Word> {
        let mask = self.short.len().checked_sub(1)?;
        let mut i = slot(key, mask);
        loop {
            let (k, w) = self.short[i];
            // (0 marks a free slot: no token packs to it but NUL, which is
            // no word)
            if k == 0 {
                return None;
            }
            if k == key {
                return Some(w);
            }
            i = (i + 1) & mask;
        }
    }

    fn insert(&mut self, token: &str) -> u32 {
        if let Some(w) = self.get(token) {
            return w.id;
        }
        let id = self.len as u32;
        self.len += 1;
        let word = Word { id, flags: 0 };
        match pack(token) {
            Some(key) => {
                // keep the table at most half full
                if self.short.len() / 2 <= self.short_len {
                    let old = std::mem::take(&mut self.short);
                    let size = (old.len() * 2).max(1024);
                    self.short = vec![(0, Word::default()); size];
                    for (k, v) in old.into_iter().filter(|e| e.0 != 0) {
                        self.place(k, v);
                    }
                }
                self.place(key, word);
                self.short_len += 1;
            }
            None => {
                self.long.insert(token.to_string(), word);
            }
        }
        id
    }

    fn place(&mut self, key: u64, word: Word) {
        let mask = self.short.len() - 1;
        let mut i = slot(key, mask);
        while self.short[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.short[i] = (key, word);
    }

    /// Sets every word's flags (indexed by word id).
    fn set_flags(&mut self, flags: &[u32]) {
        let entries = self.short.iter_mut().map(|(_, w)| w);
        for w in entries.chain(self.long.values_mut()) {
            w.flags = flags.get(w.id as usize).copied().unwrap_or(0);
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum State {
    /// Consume a token with this word id, then go to `next`.
    Word { word: u32, next: u32 },
    /// Consume any token but a clause boundary (a gap), then go to `next`.
    Any { next: u32 },
    /// Go to every one of these states without consuming (`first..first+len` in `splits`).
    Split { first: u32, len: u32 },
    /// A pattern of this lexicon matched (if its sentence is of this type).
    Accept {
        lexicon: LexiconId,
        exception: bool,
        sentence: Sentence,
        unless_help: bool,
    },
}

/// Builds a [`Matcher`] from named lexicon sources.
///
/// Sources are parsed when added and compiled by [`MatcherBuilder::build`]
/// or [`MatcherBuilder::build_where`], which may keep only some lexicons
/// (lexicon ids stay the same in every matcher built).
#[derive(Debug, Default)]
pub(crate) struct MatcherBuilder {
    names: Vec<String>,
    patterns: Vec<(LexiconId, lexicon::Pattern)>,
}

impl MatcherBuilder {
    /// Registers a lexicon name (with no phrases yet) and returns its id.
    pub fn lexicon(&mut self, name: &str) -> LexiconId {
        if let Some(i) = self.names.iter().position(|n| n == name) {
            return i as LexiconId;
        }
        self.names.push(name.to_string());
        (self.names.len() - 1) as LexiconId
    }

    /// The id of a lexicon already registered under `name`.
    pub fn existing(&self, name: &str) -> Option<LexiconId> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| i as LexiconId)
    }

    /// Adds every pattern of `source` to lexicon `name`.
    pub fn add_source(&mut self, name: &str, source: &str) -> Result<LexiconId, LexiconError> {
        let id = self.lexicon(name);
        let patterns = lexicon::parse_patterns(source).map_err(|error| LexiconError {
            lexicon: name.to_string(),
            error,
        })?;
        self.patterns.extend(patterns.into_iter().map(|p| (id, p)));
        Ok(id)
    }

    /// The automaton of every lexicon.
    pub fn build(&self) -> Matcher {
        self.build_where(|_| true)
    }

    /// The automaton of the lexicons `keep` accepts: it finds the same
    /// matches of those lexicons as [`MatcherBuilder::build`]'s, and none
    /// of the others.
    pub fn build_where(&self, keep: impl Fn(LexiconId) -> bool) -> Matcher {
        self.build_with_trie(keep, TRIE_DEPTH)
    }

    /// [`MatcherBuilder::build_where`] sharing the first `depth` words of
    /// the patterns in a prefix trie (0: no trie; the matches are the same).
    fn build_with_trie(&self, keep: impl Fn(LexiconId) -> bool, depth: usize) -> Matcher {
        let mut nfa = Nfa::default();
        let mut trie = vec![TrieNode::default()];
        for (id, p) in &self.patterns {
            if !keep(*id) {
                continue;
            }
            let accept = nfa.push(State::Accept {
                lexicon: *id,
                exception: p.exception,
                sentence: p.conditions.sentence,
                unless_help: p.conditions.unless_help,
            });
            match heads(&p.tree, depth) {
                Some(heads) if heads.iter().all(|(prefix, _)| !prefix.is_empty()) => {
                    // ways that differ only in their first words share the
                    // rest: each slice is compiled once per state it leads to
                    let mut compiled: HashMap<(usize, usize, u32), u32> = HashMap::new();
                    for (prefix, rest) in heads {
                        let mut entry = accept;
                        for slice in rest {
                            let key = (slice.as_ptr() as usize, slice.len(), entry);
                            entry = match compiled.get(&key) {
                                Some(&e) => e,
                                None => {
                                    let e = nfa.compile_seq(slice, entry);
                                    compiled.insert(key, e);
                                    e
                                }
                            };
                        }
                        let mut node = 0;
                        for w in &prefix {
                            let word = nfa.word_id(w);
                            node = match trie[node].children.get(&word) {
                                Some(&child) => child,
                                None => {
                                    trie.push(TrieNode::default());
                                    let child = trie.len() - 1;
                                    trie[node].children.insert(word, child);
                                    child
                                }
                            };
                        }
                        trie[node].ends.push(entry);
                    }
                }
                _ => {
                    let entry = nfa.compile_seq(&p.tree, accept);
                    nfa.entries.push(entry);
                }
            }
        }
        let root = nfa.materialize(&trie, 0);
        nfa.entries.push(root);
        nfa.build()
    }
}

/// Leading words of every pattern that are shared in a prefix trie: after
/// "if you", one thread stands for every pattern that starts so, instead of
/// one thread per pattern (the automaton is not determinized, so patterns
/// that share their first words would otherwise run side by side).
const TRIE_DEPTH: usize = 2;

/// Most ways into a pattern that are split into the trie; a pattern with
/// more (a class in its first two words, say) is compiled whole.
const TRIE_HEADS: usize = 32;

/// A node of the prefix trie: its children by word id, and the entry states
/// of what follows the prefix it spells.
#[derive(Debug, Default)]
struct TrieNode {
    children: std::collections::BTreeMap<u32, usize>,
    ends: Vec<u32>,
}

/// The rest of a way into a pattern after its first words: slices of the
/// pattern's tree, read from the last to the first.
type Rest<'a> = Vec<&'a [Node]>;

/// The first `k` words of every way into `seq`, each with what follows them;
/// a way stops early at a gap or at the end. `None` when there are more than
/// [`TRIE_HEADS`] ways (found without expanding past that).
fn heads(seq: &[Node], k: usize) -> Option<Vec<(Vec<String>, Rest<'_>)>> {
    let mut out = Vec::new();
    let mut chain = vec![seq];
    walk_heads(&mut chain, k, &mut Vec::new(), &mut out).then_some(out)
}

/// One step of [`heads`]: `chain` is the rest of the way, as slices to be
/// read from the last to the first; whether the ways stayed within the cap.
fn walk_heads<'a>(
    chain: &mut Vec<&'a [Node]>,
    k: usize,
    prefix: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, Rest<'a>)>,
) -> bool {
    let Some(pos) = chain.iter().rposition(|s| !s.is_empty()) else {
        out.push((prefix.clone(), Vec::new()));
        return out.len() <= TRIE_HEADS;
    };
    let top = chain[pos];
    if k == 0 || matches!(top[0], Node::Gap(_)) {
        let rest = chain[..=pos]
            .iter()
            .copied()
            .filter(|s| !s.is_empty())
            .collect();
        out.push((prefix.clone(), rest));
        return out.len() <= TRIE_HEADS;
    }
    // (empty slices above `pos` stay: they read as nothing, and the caller
    // pops what it pushed)
    chain[pos] = &top[1..];
    let ok = match &top[0] {
        Node::Word(w) => {
            prefix.push(w.clone());
            let ok = walk_heads(chain, k - 1, prefix, out);
            prefix.pop();
            ok
        }
        Node::Choice(alts) if out.len() + alts.len() > TRIE_HEADS + 1 => false,
        Node::Choice(alts) => {
            let mut ok = true;
            for alt in alts {
                chain.push(alt);
                ok = walk_heads(chain, k, prefix, out);
                chain.pop();
                if !ok {
                    break;
                }
            }
            ok
        }
        Node::Gap(_) => true,
    };
    chain[pos] = top;
    ok
}

/// The token NFA of some patterns, before [`Nfa::build`] makes it a [`Matcher`].
#[derive(Debug, Default)]
struct Nfa {
    vocab: Vocab,
    states: Vec<State>,
    splits: Vec<u32>,
    entries: Vec<u32>,
}

impl Nfa {
    fn push(&mut self, s: State) -> u32 {
        self.states.push(s);
        (self.states.len() - 1) as u32
    }

    fn word_id(&mut self, w: &str) -> u32 {
        self.vocab.insert(w)
    }

    fn split(&mut self, targets: &[u32]) -> u32 {
        let first = self.splits.len() as u32;
        self.splits.extend_from_slice(targets);
        self.push(State::Split {
            first,
            len: targets.len() as u32,
        })
    }

    /// The states of trie node `at` and its subtree: a split over a word
    /// move to each child and the entries of the patterns that end there.
    fn materialize(&mut self, trie: &[TrieNode], at: usize) -> u32 {
        let mut targets = Vec::new();
        for (&word, &child) in &trie[at].children {
            let next = self.materialize(trie, child);
            targets.push(self.push(State::Word { word, next }));
        }
        targets.extend_from_slice(&trie[at].ends);
        self.split(&targets)
    }

    /// Compiles `seq` so that it continues to `next`; returns its entry state.
    fn compile_seq(&mut self, seq: &[Node], next: u32) -> u32 {
        let mut out = next;
        for node in seq.iter().rev() {
            out = match node {
                Node::Word(w) => {
                    let id = self.word_id(w);
                    self.push(State::Word {
                        word: id,
                        next: out,
                    })
                }
                Node::Choice(alts) => {
                    let entries: Vec<u32> = alts.iter().map(|a| self.compile_seq(a, out)).collect();
                    self.split(&entries)
                }
                Node::Gap(n) => {
                    // up to n tokens: (any (any (...)?)?)? before `out`
                    let mut entry = out;
                    for _ in 0..*n {
                        let any = self.push(State::Any { next: entry });
                        entry = self.split(&[any, out]);
                    }
                    entry
                }
            };
        }
        out
    }

    fn build(mut self) -> Matcher {
        // one entry state per first word: a split over every pattern start
        let mut firsts: Vec<Vec<u32>> = vec![Vec::new(); self.vocab.len()];
        let mut closer = Closer::new(self.states.len());
        let mut closure = Vec::new();
        for &e in &self.entries {
            closer.closure(&self.states, &self.splits, e, &mut closure);
            for &c in &closure {
                if let State::Word { word, next } = self.states[c as usize] {
                    if !firsts[word as usize].contains(&next) {
                        firsts[word as usize].push(next);
                    }
                }
            }
        }
        let starts: Vec<u32> = firsts
            .iter()
            .map(|targets| {
                if targets.is_empty() {
                    u32::MAX
                } else {
                    self.split(targets)
                }
            })
            .collect();
        // per state: the accepts and the (word, next) moves of its closure
        let mut closer = Closer::new(self.states.len());
        let mut moves = Vec::new();
        let mut targets = Vec::new();
        let mut accepts = Vec::new();
        let mut any_targets: Vec<u32> = Vec::new();
        let mut ranges = Vec::with_capacity(self.states.len());
        let mut transitions = Transitions::new(self.vocab.len());
        let mut flags: Vec<u32> = starts
            .iter()
            .map(|&s| if s == u32::MAX { 0 } else { STARTS })
            .collect();
        for state in 0..self.states.len() as u32 {
            closer.closure(&self.states, &self.splits, state, &mut closure);
            moves.clear();
            let a0 = accepts.len() as u32;
            let g0 = any_targets.len() as u32;
            for &x in &closure {
                match self.states[x as usize] {
                    State::Word { word, next } => moves.push((word, next)),
                    State::Any { next } => {
                        if !any_targets[g0 as usize..].contains(&next) {
                            any_targets.push(next);
                        }
                    }
                    State::Accept {
                        lexicon,
                        exception,
                        sentence,
                        unless_help,
                    } => accepts.push(AcceptOf {
                        lexicon,
                        exception,
                        sentence,
                        unless_help,
                    }),
                    State::Split { .. } => {}
                }
            }
            moves.sort_unstable();
            moves.dedup();
            for group in moves.chunk_by(|a, b| a.0 == b.0) {
                targets.clear();
                targets.extend(group.iter().map(|&(_, next)| next));
                transitions.insert(state, group[0].0, &targets);
                flags[group[0].0 as usize] |= MOVES;
            }
            let g1 = any_targets.len() as u32;
            ranges.push(Ranges {
                accepts: (a0, accepts.len() as u32),
                any: (g0, g1),
                live: !moves.is_empty() || g0 < g1,
            });
        }
        let kind = |state: u32| match ranges.get(state as usize) {
            Some(r) => {
                let accepts = if r.accepts.0 < r.accepts.1 {
                    TARGET_ACCEPTS
                } else {
                    0
                };
                let any = if r.any.0 < r.any.1 { TARGET_ANY } else { 0 };
                accepts | any | if r.live { TARGET_LIVE } else { 0 }
            }
            None => 0,
        };
        for t in &mut any_targets {
            assert!(
                *t <= TARGET_STATE,
                "the lexicons' automaton has too many states"
            );
            *t |= kind(*t);
        }
        transitions.finish(kind);
        for (f, &state) in flags.iter_mut().zip(&starts) {
            if let Some(r) = ranges.get(state as usize) {
                assert!(
                    state <= START_STATE,
                    "the lexicons' automaton has too many states"
                );
                *f |= state;
                if r.live {
                    *f |= START_LIVE;
                }
                if r.accepts.0 < r.accepts.1 {
                    *f |= START_ACCEPTS;
                }
                if r.any.0 < r.any.1 {
                    *f |= START_ANY;
                }
            }
        }
        self.vocab.set_flags(&flags);
        let start_accepts = starts
            .iter()
            .map(|&state| ranges.get(state as usize).map_or((0, 0), |r| r.accepts))
            .collect();
        Matcher {
            vocab: self.vocab,
            transitions,
            accepts,
            any_targets,
            ranges,
            start_accepts,
        }
    }
}

/// Every (state, word) move of the automaton, in an open-addressing table:
/// one probe finds the states a thread goes to on a token. Most threads die
/// at their next token, so a one-bit-per-hash filter in front of the table
/// (small enough to stay in cache) answers most lookups without a probe.
#[derive(Debug, Clone)]
struct Transitions {
    /// Keys are `state * words + word + 1` (0 marks a free slot); a value
    /// with the high bit clear is the one target state, else the low bits
    /// index `targets`, which holds the count and then the states.
    slots: Vec<(u32, u32)>,
    targets: Vec<u32>,
    /// One bit per hash of each key (a fixed size: indexing it needs no
    /// bounds check).
    filter: Box<[u64; FILTER_WORDS]>,
    /// The number of words (key = state * words + word + 1).
    words: u64,
    /// The table for an automaton whose keys do not fit in 32 bits.
    wide: HashMap<u64, u32, BuildHasherDefault<TokenHasher>>,
    /// Entries collected before [`Transitions::finish`] builds the table.
    pending: Vec<(u64, u32)>,
}

const MULTI: u32 = 1 << 31;
const FILTER_BITS: u32 = 20;
/// The `u64` words of [`Transitions::filter`].
const FILTER_WORDS: usize = (1 << FILTER_BITS) / 64;

impl Default for Transitions {
    fn default() -> Transitions {
        Transitions {
            slots: Vec::new(),
            targets: Vec::new(),
            // (made on the heap: a 128 KB array is not built on the stack)
            filter: vec![0; FILTER_WORDS]
                .into_boxed_slice()
                .try_into()
                .expect("FILTER_WORDS words"),
            words: 0,
            wide: HashMap::default(),
            pending: Vec::new(),
        }
    }
}

fn mix(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Transitions {
    fn new(words: usize) -> Transitions {
        Transitions {
            words: words as u64,
            ..Transitions::default()
        }
    }

    fn key(&self, state: u32, word: u32) -> u64 {
        u64::from(state) * self.words + u64::from(word) + 1
    }

    fn insert(&mut self, state: u32, word: u32, targets: &[u32]) {
        let key = self.key(state, word);
        let value = if let [one] = targets {
            *one
        } else {
            let at = self.targets.len() as u32 | MULTI;
            self.targets.push(targets.len() as u32);
            self.targets.extend_from_slice(targets);
            at
        };
        self.pending.push((key, value));
    }

    /// Builds the table (or, for an automaton too large for 32-bit keys,
    /// the wide map), with each target state's [`TARGET_ACCEPTS`] and
    /// [`TARGET_LIVE`] bits as `kind` gives them.
    fn finish(&mut self, kind: impl Fn(u32) -> u32) {
        let mut pending = std::mem::take(&mut self.pending);
        let encode = |state: u32| {
            assert!(
                state <= TARGET_STATE,
                "the lexicons' automaton has too many states"
            );
            state | kind(state)
        };
        for (_, value) in &mut pending {
            if *value & MULTI == 0 {
                *value = encode(*value);
            } else {
                let at = (*value & !MULTI) as usize;
                let len = self.targets[at] as usize;
                for t in &mut self.targets[at + 1..at + 1 + len] {
                    *t = encode(*t);
                }
            }
        }
        let narrow = pending.iter().all(|&(k, _)| k <= u64::from(u32::MAX));
        self.filter.fill(0);
        if !narrow {
            for &(key, _) in &pending {
                let bit = (mix(key) >> (64 - FILTER_BITS)) as usize;
                self.filter[bit / 64] |= 1 << (bit % 64);
            }
            self.wide = pending.into_iter().collect();
            return;
        }
        let size = (pending.len() * 4 / 3 + 1).next_power_of_two().max(16);
        self.slots = vec![(0, 0); size];
        let mask = size - 1;
        for (key, value) in pending {
            let h = mix(key);
            let bit = (h >> (64 - FILTER_BITS)) as usize;
            self.filter[bit / 64] |= 1 << (bit % 64);
            let mut i = (h >> 32) as usize & mask;
            while self.slots[i].0 != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = (key as u32, value);
        }
    }

    fn targets_of(&self, value: u32) -> &[u32] {
        if value & MULTI == 0 {
            return &self.targets[..0];
        }
        let at = (value & !MULTI) as usize;
        let len = self.targets[at] as usize;
        &self.targets[at + 1..at + 1 + len]
    }

    /// The states `state` goes to on token `word` (none if it dies).
    #[inline]
    fn get(&self, state: u32, word: u32) -> &[u32] {
        let key = self.key(state, word);
        let h = mix(key);
        let bit = (h >> (64 - FILTER_BITS)) as usize;
        if self.filter[bit / 64] >> (bit % 64) & 1 == 0 {
            return &[];
        }
        if !self.wide.is_empty() {
            return match self.wide.get(&key) {
                Some(v) if v & MULTI == 0 => std::slice::from_ref(v),
                Some(&v) => self.targets_of(v),
                None => &[],
            };
        }
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = (h >> 32) as usize & mask;
        loop {
            let Some(e) = self.slots.get(i) else {
                return &[];
            };
            if u64::from(e.0) == key {
                return if e.1 & MULTI == 0 {
                    std::slice::from_ref(&e.1)
                } else {
                    self.targets_of(e.1)
                };
            }
            if e.0 == 0 {
                return &[];
            }
            i = (i + 1) & mask;
        }
    }
}

/// Finds epsilon closures: the Word and Accept states a state reaches.
struct Closer {
    stack: Vec<u32>,
    /// Per state: the call that last reached it.
    seen: Vec<u32>,
    call: u32,
}

impl Closer {
    fn new(states: usize) -> Closer {
        Closer {
            stack: Vec::new(),
            seen: vec![0; states],
            call: 0,
        }
    }

    /// The closure of state `s`, into `out` (cleared first), in the order
    /// of a depth-first walk.
    fn closure(&mut self, states: &[State], splits: &[u32], s: u32, out: &mut Vec<u32>) {
        out.clear();
        self.call += 1;
        self.stack.clear();
        self.stack.push(s);
        while let Some(x) = self.stack.pop() {
            if self.seen[x as usize] == self.call {
                continue;
            }
            self.seen[x as usize] = self.call;
            match states[x as usize] {
                State::Split { first, len } => {
                    self.stack
                        .extend_from_slice(&splits[first as usize..(first + len) as usize]);
                }
                _ => out.push(x),
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Ranges {
    accepts: (u32, u32),
    /// The targets of its gap moves, in `Matcher::any_targets`.
    any: (u32, u32),
    /// Whether the state has any move (a thread there can go on).
    live: bool,
}

/// The bits of a target of [`Transitions`] that hold the state.
const TARGET_STATE: u32 = (1 << 28) - 1;
/// Bit of a target of [`Transitions`] whose state has gap moves.
const TARGET_ANY: u32 = 1 << 28;
/// Bit of a target of [`Transitions`] whose state has accepts.
const TARGET_ACCEPTS: u32 = 1 << 29;
/// Bit of a target of [`Transitions`] whose state has a move.
const TARGET_LIVE: u32 = 1 << 30;

/// Every lexicon compiled into one token-level automaton.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    vocab: Vocab,
    /// The (state, word) moves.
    transitions: Transitions,
    accepts: Vec<AcceptOf>,
    /// The targets of every state's gap moves (ranges in [`Ranges::any`]),
    /// with their kind bits.
    any_targets: Vec<u32>,
    /// Per state (read only for a target with [`TARGET_ACCEPTS`]).
    ranges: Vec<Ranges>,
    /// Per word id: the accepts of the state a match starting on that word
    /// is in (read only for a word with [`START_ACCEPTS`]).
    start_accepts: Vec<(u32, u32)>,
}

/// What an accepting state reports.
#[derive(Debug, Clone, Copy)]
struct AcceptOf {
    lexicon: LexiconId,
    exception: bool,
    sentence: Sentence,
    unless_help: bool,
}

/// Whether a match ending at `end` of `norm` lies in a sentence of type
/// `want`: the sentence ends at the next `.`, `!` or `?` (or the end of the
/// text), and it is a question when that is a `?`.
fn in_sentence(norm: &str, end: usize, want: Sentence) -> bool {
    if want == Sentence::Any {
        return true;
    }
    let rest = norm.as_bytes().get(end..).unwrap_or_default();
    let question = rest
        .iter()
        .find(|&&b| matches!(b, b'.' | b'!' | b'?' | b'\n'))
        .is_some_and(|&b| b == b'?');
    question == (want == Sentence::Question)
}

/// Whether the token `a..b` of `norm` ends every gap: sentence punctuation
/// (a `.` only before a space or the end: "7.2" and "site.com" go on), a
/// dash, a bracket or quote, or a word that opens a new clause.
fn clause_boundary(norm: &str, a: usize, b: usize) -> bool {
    let token = &norm[a..b];
    if token == "." {
        return norm.as_bytes().get(b).is_none_or(|&c| c == b' ');
    }
    matches!(
        token,
        "." | "!"
            | "?"
            | ";"
            | ":"
            | "("
            | ")"
            | "["
            | "]"
            | "\""
            | "\u{2014}"
            | "\u{2013}"
            | "-"
            | "but"
            | "however"
            | "although"
            | "though"
            | "because"
            | "so"
            | "and"
            | "or"
            | "if"
            | "unless"
            | "when"
            | "while"
    )
}

/// A live thread: the state reached and the byte where its match started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Thread {
    /// The state in the [`TARGET_STATE`] bits; the bits above may hold its
    /// kind (as a target of [`Transitions`] does), the same for every thread
    /// in that state.
    state: u32,
    start: u32,
}

/// Reusable buffers for [`Matcher::scan`].
#[derive(Debug, Default, Clone)]
pub(crate) struct ScanBuffers {
    exceptions: Vec<Hit>,
    threads: Vec<Thread>,
    next: Vec<Thread>,
    /// The states entered in a crowded step.
    seen: StepSet,
}

/// Threads of one step up to which duplicates are found by looking the
/// threads over; past it, by the hash set `ScanBuffers::seen`.
const LINEAR_DEDUP: usize = 16;

/// The states entered in the current step once it has many threads: open
/// addressing over (generation, state) slots, where a slot of an older
/// generation is empty, so nothing is cleared between restarts (each takes a
/// new generation, so a step with few threads costs nothing). Small (it grows
/// with the threads of the most crowded step, not with the automaton), so a
/// fresh `Scratch` stays cheap.
#[derive(Debug, Default, Clone)]
struct StepSet {
    slots: Vec<(u32, u32)>,
    /// 32 minus log2 of the number of slots.
    shift: u32,
    len: usize,
    /// The mark of the slots filled since the last restart.
    generation: u32,
}

impl StepSet {
    /// Empties the set (a new generation) and adds `states` (the threads
    /// kept so far in this step), making room for at least twice as many.
    fn restart(&mut self, states: impl Iterator<Item = u32> + Clone) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            // marks of older generations could match again: clear them
            self.slots.fill((0, 0));
            self.generation = 1;
        }
        let n = states.clone().count();
        if self.slots.len() < 4 * n.max(16) {
            let size = (4 * n.max(16)).next_power_of_two();
            self.slots = vec![(0, 0); size];
            self.shift = 32 - size.trailing_zeros();
        }
        self.len = 0;
        for state in states {
            self.insert(state);
        }
    }

    /// Adds `state`; whether it was not there yet.
    #[inline]
    fn insert(&mut self, state: u32) -> bool {
        let generation = self.generation;
        let mask = self.slots.len() - 1;
        let mut i = (state.wrapping_mul(0x9E37_79B9) >> self.shift) as usize;
        loop {
            let slot = &mut self.slots[i];
            if slot.0 != generation {
                *slot = (generation, state);
                self.len += 1;
                return true;
            }
            if slot.1 == state {
                return false;
            }
            i = (i + 1) & mask;
        }
    }
}

/// Where [`Matcher::enter`] puts what it finds.
struct Step<'a> {
    /// The text scanned (for the sentence type of a match).
    norm: &'a str,
    end: u32,
    next: &'a mut Vec<Thread>,
    /// Bit `state % 64` of every state in `next` while it has few threads:
    /// a state whose bit is clear is not there yet, with no look.
    few: u64,
    /// Used only once a step has many threads (restarted then).
    seen: &'a mut StepSet,
    out: &'a mut Vec<Hit>,
    exc: &'a mut Vec<Hit>,
    /// Whether a thread in `next` is in a gap.
    gaps: bool,
}

impl Matcher {
    /// Records a thread at `target` (a target of [`Transitions`], with its
    /// kind bits) from a match starting at `start`, after a token ending at
    /// `step.end`: emits the accepts it reaches and keeps it if it can go
    /// on. A state already reached at this token by an earlier start is not
    /// added twice: the earlier start gives the longer match.
    #[inline(always)]
    fn enter(&self, target: u32, start: u32, step: &mut Step<'_>) {
        let t = Thread {
            state: target,
            start,
        };
        if target & TARGET_ACCEPTS != 0 {
            let r = self.ranges[(target & TARGET_STATE) as usize];
            self.emit(
                r.accepts,
                t.start,
                step.end,
                step.norm,
                &mut *step.out,
                &mut *step.exc,
            );
        }
        if target & TARGET_LIVE != 0 {
            step.gaps |= target & TARGET_ANY != 0;
            if step.next.len() < LINEAR_DEDUP {
                // few threads (the usual case): look them over, no table,
                // unless the state's bit says it is new
                let bit = 1u64 << (t.state % 64);
                if step.few & bit == 0 || step.next.iter().all(|x| x.state != t.state) {
                    step.few |= bit;
                    step.next.push(t);
                    if step.next.len() == LINEAR_DEDUP {
                        // from here on the set decides: it starts with the
                        // threads kept so far
                        step.seen.restart(step.next.iter().map(|x| x.state));
                    }
                }
                return;
            }
            if 2 * (step.seen.len + 1) > step.seen.slots.len() {
                step.seen.restart(step.next.iter().map(|x| x.state));
            }
            if step.seen.insert(t.state) {
                step.next.push(t);
            }
        }
    }

    /// As [`Matcher::enter`] for a thread starting at the start state of
    /// `word` (one with [`STARTS`]) on a token `start..end`. No move leads to
    /// a start state, so no other thread of this step can be there: it needs
    /// no mark.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn start(
        &self,
        word: Word,
        start: u32,
        end: u32,
        norm: &str,
        next: &mut Vec<Thread>,
        out: &mut Vec<Hit>,
        exc: &mut Vec<Hit>,
    ) -> bool {
        if word.flags & START_ACCEPTS != 0 {
            let range = self.start_accepts[word.id as usize];
            self.emit(range, start, end, norm, out, exc);
        }
        if word.flags & START_LIVE != 0 {
            let any = if word.flags & START_ANY != 0 {
                TARGET_ANY
            } else {
                0
            };
            next.push(Thread {
                state: (word.flags & START_STATE) | any,
                start,
            });
            return any != 0;
        }
        false
    }

    /// Reports the accepts `range` of a match `start..end`: to `exc` for an
    /// exception, else to `out`; a pattern with a sentence type only where
    /// the match's sentence has it.
    #[inline]
    fn emit(
        &self,
        range: (u32, u32),
        start: u32,
        end: u32,
        norm: &str,
        out: &mut Vec<Hit>,
        exc: &mut Vec<Hit>,
    ) {
        for a in &self.accepts[range.0 as usize..range.1 as usize] {
            if !in_sentence(norm, end as usize, a.sentence) {
                continue;
            }
            let hit = Hit {
                lexicon: a.lexicon,
                unless_help: a.unless_help,
                start,
                end,
            };
            if a.exception {
                exc.push(hit);
            } else {
                out.push(hit);
            }
        }
    }

    /// Moves every thread in a gap over a token that is not in the
    /// vocabulary (threads elsewhere die on it); whether any went on.
    fn skip(
        &self,
        norm: &str,
        a: usize,
        b: usize,
        buf: &mut ScanBuffers,
        out: &mut Vec<Hit>,
    ) -> bool {
        buf.next.clear();
        let mut gaps = false;
        if !clause_boundary(norm, a, b) {
            let mut step = Step {
                norm,
                end: b as u32,
                next: &mut buf.next,
                few: 0,
                seen: &mut buf.seen,
                out,
                exc: &mut buf.exceptions,
                gaps: false,
            };
            for &t in &buf.threads {
                if t.state & TARGET_ANY != 0 {
                    self.gap_moves(t, &mut step);
                }
            }
            gaps = step.gaps;
        }
        std::mem::swap(&mut buf.threads, &mut buf.next);
        gaps
    }

    /// Enters the targets of the gap moves of thread `t` (one with
    /// [`TARGET_ANY`]).
    #[inline(always)]
    fn gap_moves(&self, t: Thread, step: &mut Step<'_>) {
        let r = self.ranges[(t.state & TARGET_STATE) as usize];
        for &target in &self.any_targets[r.any.0 as usize..r.any.1 as usize] {
            self.enter(target, t.start, step);
        }
    }

    /// Finds every phrase of every lexicon in `norm` (whole tokens only).
    ///
    /// Matches inside an exception of their lexicon are dropped; within one
    /// lexicon overlapping matches are resolved leftmost-longest. `out` is
    /// cleared first and comes back sorted by (lexicon, start).
    pub fn scan(&self, norm: &str, out: &mut Vec<Hit>, buf: &mut ScanBuffers) {
        out.clear();
        buf.exceptions.clear();
        buf.threads.clear();
        // whether a thread of `buf.threads` is in a gap
        let mut gaps = false;
        let mut tokens = lexicon::fast_tokens(norm);
        while let Some((a, b, key)) = tokens.next_keyed() {
            // (a key of 0: a token longer than eight bytes, or of NULs)
            let found = if key != 0 {
                self.vocab.get_short(key)
            } else {
                self.vocab.long.get(&norm[a..b]).copied()
            };
            let Some(word) = found else {
                if gaps {
                    gaps = self.skip(norm, a, b, buf, out);
                } else {
                    buf.threads.clear();
                }
                continue;
            };
            if buf.threads.is_empty() || (word.flags & MOVES == 0 && !gaps) {
                // the common case: no thread goes on, at most one starts here
                buf.threads.clear();
                gaps = false;
                if word.flags & STARTS != 0 {
                    let (a, b) = (a as u32, b as u32);
                    let (threads, exc) = (&mut buf.threads, &mut buf.exceptions);
                    gaps = self.start(word, a, b, norm, threads, out, exc);
                }
                continue;
            }
            let boundary = gaps && clause_boundary(norm, a, b);
            buf.next.clear();
            let mut step = Step {
                norm,
                end: b as u32,
                next: &mut buf.next,
                few: 0,
                seen: &mut buf.seen,
                out: &mut *out,
                exc: &mut buf.exceptions,
                gaps: false,
            };
            for &t in &buf.threads {
                if word.flags & MOVES != 0 {
                    for &target in self.transitions.get(t.state & TARGET_STATE, word.id) {
                        self.enter(target, t.start, &mut step);
                    }
                }
                if t.state & TARGET_ANY != 0 && !boundary {
                    self.gap_moves(t, &mut step);
                }
            }
            if word.flags & STARTS != 0 {
                let (a, b) = (a as u32, b as u32);
                step.gaps |= self.start(word, a, b, norm, step.next, step.out, step.exc);
            }
            gaps = step.gaps;
            std::mem::swap(&mut buf.threads, &mut buf.next);
        }
        if !buf.exceptions.is_empty() {
            let exc = &buf.exceptions;
            out.retain(|h| {
                !exc.iter()
                    .any(|e| e.lexicon == h.lexicon && e.start <= h.start && h.end <= e.end)
            });
        }
        // leftmost-longest within each lexicon
        out.sort_unstable_by(|x, y| {
            (x.lexicon, x.start, std::cmp::Reverse(x.end)).cmp(&(
                y.lexicon,
                y.start,
                std::cmp::Reverse(y.end),
            ))
        });
        let mut keep = 0;
        let mut last: Option<Hit> = None;
        for i in 0..out.len() {
            let h = out[i];
            if let Some(l) = last {
                if l.lexicon == h.lexicon && h.start < l.end {
                    continue;
                }
            }
            out[keep] = h;
            keep += 1;
            last = Some(h);
        }
        out.truncate(keep);
    }
}

#[cfg(test)]
mod tests {
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
        let classes =
            crate::lexicon::Classes::parse("@doc = (terms|polic(y|ies)|clause~)").unwrap();
        let patterns =
            crate::lexicon::parse_patterns_with("under @doc 7 * refund~", &classes).unwrap();
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
}
