//! Compiling patterns into the automaton: the Thompson construction over word
//! tokens, the prefix trie shared by the patterns' first words, and the
//! per-state closures and tables of a [`Matcher`].

use super::*;

#[derive(Debug, Clone, Copy)]
pub(super) enum State {
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
    pub(super) names: Vec<String>,
    pub(super) patterns: Vec<(LexiconId, lexicon::Pattern)>,
    /// Whether [`MatcherBuilder::add_source`] only registers the lexicon's
    /// name, neither parsing nor keeping its patterns: the built-in lists,
    /// whose matchers `build.rs` compiled (see [`super::blob`]).
    pub(crate) names_only: bool,
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
        if self.names_only {
            return Ok(id);
        }
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
    pub(super) fn build_with_trie(
        &self,
        keep: impl Fn(LexiconId) -> bool,
        depth: usize,
    ) -> Matcher {
        let mut nfa = Nfa::default();
        let mut trie = vec![TrieNode::default()];
        // ways that differ only in their first words share the rest: each
        // slice is compiled once per state it leads to (keyed by where a
        // slice lies: hashed cheaply, not by the default SipHash, whose
        // keying buys nothing here); one map for every pattern, cleared for
        // each (a map made per pattern was an allocation and a free each)
        let mut compiled: HashMap<(usize, usize, u32), u32, BuildHasherDefault<TokenHasher>> =
            HashMap::default();
        // (one set of buffers for every pattern's ways)
        let mut ways = Heads::default();
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
            if heads(&p.tree, depth, &mut ways) && ways.iter().all(|(prefix, _)| !prefix.is_empty())
            {
                compiled.clear();
                for (prefix, rest) in ways.iter() {
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
                    for w in prefix {
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
            } else {
                let entry = nfa.compile_seq(&p.tree, accept);
                nfa.entries.push(entry);
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
pub(super) const TRIE_DEPTH: usize = 2;

/// Most ways into a pattern that are split into the trie; a pattern with
/// more (a class in its first two words, say) is compiled whole.
pub(super) const TRIE_HEADS: usize = 32;

/// A node of the prefix trie: its children by word id, and the entry states
/// of what follows the prefix it spells.
#[derive(Debug, Default)]
pub(super) struct TrieNode {
    pub(super) children: std::collections::BTreeMap<u32, usize>,
    pub(super) ends: Vec<u32>,
}

/// The ways into a pattern that [`heads`] finds: each way's first words,
/// and the rest of it after them (slices of the pattern's tree, read from
/// the last to the first). Kept in buffers shared by every way and reused
/// for every pattern (a way's words and rest were two vectors of its own,
/// some 50,000 allocations and frees of the start-up).
#[derive(Debug, Default)]
pub(super) struct Heads<'a> {
    /// Every way's first words, one way after another.
    words: Vec<&'a WordText>,
    /// Every way's rest, one way after another.
    rests: Vec<&'a [Node]>,
    /// Per way: where its words and its rest end in `words` and `rests`.
    ends: Vec<(usize, usize)>,
    /// The walk's chain of slices (see [`walk_heads`]).
    chain: Vec<&'a [Node]>,
    /// The walk's words so far.
    prefix: Vec<&'a WordText>,
}

impl<'a> Heads<'a> {
    /// The number of ways.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    /// Adds a way: the words `prefix`, then the slices of `rest` that are
    /// not empty.
    fn push(&mut self, prefix: &[&'a WordText], rest: &[&'a [Node]]) {
        self.words.extend_from_slice(prefix);
        self.rests
            .extend(rest.iter().copied().filter(|s| !s.is_empty()));
        self.ends.push((self.words.len(), self.rests.len()));
    }

    /// Each way: its first words and its rest.
    pub(super) fn iter(&self) -> impl Iterator<Item = (&[&'a WordText], &[&'a [Node]])> + '_ {
        let starts = std::iter::once((0, 0)).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|((w0, r0), &(w1, r1))| (&self.words[w0..w1], &self.rests[r0..r1]))
    }
}

/// The first `k` words of every way into `seq`, each with what follows them,
/// into `out` (cleared first); a way stops early at a gap or at the end.
/// False when there are more than [`TRIE_HEADS`] ways (found without
/// expanding past that).
pub(super) fn heads<'a>(seq: &'a [Node], k: usize, out: &mut Heads<'a>) -> bool {
    out.words.clear();
    out.rests.clear();
    out.ends.clear();
    let mut chain = std::mem::take(&mut out.chain);
    chain.clear();
    chain.push(seq);
    // count first, without building anything: most patterns with a class in
    // their first words have far more ways than the cap
    let ok = count_heads(&mut chain, k, TRIE_HEADS + 1) <= TRIE_HEADS && {
        chain.clear();
        chain.push(seq);
        let mut prefix = std::mem::take(&mut out.prefix);
        prefix.clear();
        let ok = walk_heads(&mut chain, k, &mut prefix, out);
        out.prefix = prefix;
        ok
    };
    out.chain = chain;
    ok
}

/// The number of ways [`heads`] would find, counted up to `cap` (the same
/// walk, building nothing).
fn count_heads(chain: &mut Vec<&[Node]>, k: usize, cap: usize) -> usize {
    let Some(pos) = chain.iter().rposition(|s| !s.is_empty()) else {
        return 1;
    };
    let top = chain[pos];
    if k == 0 || matches!(top[0], Node::Gap(_)) {
        return 1;
    }
    chain[pos] = &top[1..];
    let n = match &top[0] {
        Node::Word(_) => count_heads(chain, k - 1, cap),
        Node::Choice(alts) => {
            let mut n = 0;
            for alt in alts.iter() {
                chain.push(alt);
                n += count_heads(chain, k, cap - n.min(cap));
                chain.pop();
                if n >= cap {
                    break;
                }
            }
            n
        }
        Node::Gap(_) => 1,
    };
    chain[pos] = top;
    n
}

/// One step of [`heads`]: `chain` is the rest of the way, as slices to be
/// read from the last to the first; whether the ways stayed within the cap.
pub(super) fn walk_heads<'a>(
    chain: &mut Vec<&'a [Node]>,
    k: usize,
    prefix: &mut Vec<&'a WordText>,
    out: &mut Heads<'a>,
) -> bool {
    let Some(pos) = chain.iter().rposition(|s| !s.is_empty()) else {
        out.push(prefix, &[]);
        return out.len() <= TRIE_HEADS;
    };
    let top = chain[pos];
    if k == 0 || matches!(top[0], Node::Gap(_)) {
        out.push(prefix, &chain[..=pos]);
        return out.len() <= TRIE_HEADS;
    }
    // (empty slices above `pos` stay: they read as nothing, and the caller
    // pops what it pushed)
    chain[pos] = &top[1..];
    let ok = match &top[0] {
        Node::Word(w) => {
            prefix.push(w);
            let ok = walk_heads(chain, k - 1, prefix, out);
            prefix.pop();
            ok
        }
        Node::Choice(alts) if out.len() + alts.len() > TRIE_HEADS + 1 => false,
        Node::Choice(alts) => {
            let mut ok = true;
            for alt in alts.iter() {
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
pub(super) struct Nfa {
    pub(super) vocab: Vocab,
    pub(super) states: Vec<State>,
    pub(super) splits: Vec<u32>,
    pub(super) entries: Vec<u32>,
    /// The entries of the choices being compiled ([`Nfa::compile_seq`]).
    pub(super) pending: Vec<u32>,
}

impl Nfa {
    pub(super) fn push(&mut self, s: State) -> u32 {
        self.states.push(s);
        (self.states.len() - 1) as u32
    }

    /// The id of word `w`, given one if it has none yet (a short word by
    /// its packed key, as it lies in the node: most words are, and the
    /// lists' shared classes are compiled once per use).
    pub(super) fn word_id(&mut self, w: &WordText) -> u32 {
        match w.short_key() {
            Some(key) => self.vocab.insert_short(key),
            None => self.vocab.insert(w),
        }
    }

    pub(super) fn split(&mut self, targets: &[u32]) -> u32 {
        let first = self.splits.len() as u32;
        self.splits.extend_from_slice(targets);
        self.push(State::Split {
            first,
            len: targets.len() as u32,
        })
    }

    /// The states of trie node `at` and its subtree: a split over a word
    /// move to each child and the entries of the patterns that end there.
    pub(super) fn materialize(&mut self, trie: &[TrieNode], at: usize) -> u32 {
        let mut targets = Vec::new();
        for (&word, &child) in &trie[at].children {
            let next = self.materialize(trie, child);
            targets.push(self.push(State::Word { word, next }));
        }
        targets.extend_from_slice(&trie[at].ends);
        self.split(&targets)
    }

    /// Compiles `seq` so that it continues to `next`; returns its entry state.
    pub(super) fn compile_seq(&mut self, seq: &[Node], next: u32) -> u32 {
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
                    // (the entries on a stack shared by the nested choices:
                    // a vector per choice was an allocation and a free each)
                    let base = self.pending.len();
                    for a in alts.iter() {
                        let e = self.compile_seq(a, out);
                        self.pending.push(e);
                    }
                    let first = self.splits.len() as u32;
                    self.splits.extend_from_slice(&self.pending[base..]);
                    self.pending.truncate(base);
                    self.push(State::Split {
                        first,
                        len: alts.len() as u32,
                    })
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

    pub(super) fn build(mut self) -> Matcher {
        // the ids the matcher gives its words: the common words' first (the
        // states and their order stay as compiled; only the ids the tables
        // are keyed by change)
        let new_id = self.vocab.frequency_order();
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
        // per state a thread can be in: the accepts and the (word, next)
        // moves of its closure. Only the states a thread can reach (a start
        // state, or a target of a move or a gap move from one) get moves:
        // the others (splits and words inside a pattern, which a thread
        // passes through only as part of a closure) held some 40% of all
        // moves, and every one of them made the table larger and slower.
        let mut closer = Closer::new(self.states.len());
        let mut moves = Vec::new();
        let mut targets = Vec::new();
        let mut accepts = Vec::new();
        let mut any_targets: Vec<u32> = Vec::new();
        let unreached = Ranges {
            accepts: (0, 0),
            any: (0, 0),
            live: false,
        };
        let mut ranges = vec![unreached; self.states.len()];
        let mut transitions = Transitions::new(self.vocab.len());
        let mut move_bits = vec![[0u64; 2]; self.states.len()];
        let mut flags: Vec<u32> = starts
            .iter()
            .map(|&s| if s == u32::MAX { 0 } else { STARTS })
            .collect();
        let mut reached = vec![false; self.states.len()];
        let mut queue: Vec<u32> = Vec::new();
        for &s in &starts {
            if s != u32::MAX && !reached[s as usize] {
                reached[s as usize] = true;
                queue.push(s);
            }
        }
        let mut next_in_queue = 0;
        while let Some(&state) = queue.get(next_in_queue) {
            next_in_queue += 1;
            closer.closure(&self.states, &self.splits, state, &mut closure);
            moves.clear();
            let a0 = accepts.len() as u32;
            let g0 = any_targets.len() as u32;
            for &x in &closure {
                match self.states[x as usize] {
                    // (word, next) as one integer: sorted as the pairs
                    // are, with one compare each
                    State::Word { word, next } => {
                        moves.push(u64::from(word) << 32 | u64::from(next))
                    }
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
            let mut bits = [0u64; 2];
            for group in moves.chunk_by(|a, b| a >> 32 == b >> 32) {
                let word = (group[0] >> 32) as u32;
                targets.clear();
                targets.extend(group.iter().map(|&m| m as u32));
                transitions.insert(state, new_id[word as usize], &targets);
                flags[word as usize] |= MOVES;
                let (w, bit) = move_bit(new_id[word as usize]);
                bits[w] |= bit;
            }
            let g1 = any_targets.len() as u32;
            let went_to = moves.iter().map(|&m| m as u32);
            for next in went_to.chain(any_targets[g0 as usize..].iter().copied()) {
                if !reached[next as usize] {
                    reached[next as usize] = true;
                    queue.push(next);
                }
            }
            move_bits[state as usize] = bits;
            ranges[state as usize] = Ranges {
                accepts: (a0, accepts.len() as u32),
                any: (g0, g1),
                live: !moves.is_empty() || g0 < g1,
            };
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
        // (`flags` and `starts` are by the old ids)
        let mut by_id = vec![0; flags.len()];
        let mut start_accepts = vec![(0, 0); starts.len()];
        for (old, (&f, &state)) in flags.iter().zip(&starts).enumerate() {
            let new = new_id[old] as usize;
            by_id[new] = f;
            start_accepts[new] = ranges.get(state as usize).map_or((0, 0), |r| r.accepts);
        }
        self.vocab.renumber(&new_id);
        self.vocab.set_flags(&by_id);
        Matcher {
            id: next_id(),
            vocab: self.vocab,
            transitions,
            accepts,
            any_targets,
            ranges,
            start_accepts,
            move_bits,
        }
    }
}

/// A new matcher's id (unique per matcher built or read from a blob).
pub(super) fn next_id() -> u64 {
    /// The id of the next matcher made.
    static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

/// Finds epsilon closures: the Word and Accept states a state reaches.
pub(super) struct Closer {
    pub(super) stack: Vec<u32>,
    /// Per state: the call that last reached it.
    pub(super) seen: Vec<u32>,
    pub(super) call: u32,
}

impl Closer {
    pub(super) fn new(states: usize) -> Closer {
        Closer {
            stack: Vec::new(),
            seen: vec![0; states],
            call: 0,
        }
    }

    /// The closure of state `s`, into `out` (cleared first), in the order
    /// of a depth-first walk.
    pub(super) fn closure(&mut self, states: &[State], splits: &[u32], s: u32, out: &mut Vec<u32>) {
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
