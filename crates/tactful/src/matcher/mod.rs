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

use crate::lexicon::{self, Node, PatternError, Sentence, WordText};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// The word id [`Matcher::scan_words`] gives a token outside the vocabulary.
pub(crate) const NO_WORD: u32 = u32::MAX;

/// Index of a lexicon inside a [`Matcher`].
pub(crate) type LexiconId = u16;

/// A phrase found in the normalized text (normalized byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub lexicon: LexiconId,
    /// Whether the pattern is dropped when the turn offers help.
    pub unless_help: bool,
    /// The sentence type the pattern matches in (checked once the scan is
    /// over, in one pass).
    pub sentence: Sentence,
    pub start: u32,
    pub end: u32,
}

/// An error in a lexicon, naming it.
#[derive(Debug, Clone)]
pub(crate) struct LexiconError {
    pub lexicon: String,
    pub error: PatternError,
}

mod blob;
mod build;
mod dfa;
mod tables;

pub(crate) use build::MatcherBuilder;
pub(crate) use tables::pack as pack_token;
pub(crate) use tables::TokenHasher;

use dfa::{Dfa, Entry, EMPTY, GAPS, LOOSE, MISS};
use tables::*;

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
    /// Tells this automaton's lazily built DFA ([`ScanBuffers`] keep one
    /// per matcher they scan with) from another's: unique per build.
    id: u64,
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
    /// Per state: the [`move_bit`] of every word it has a move on (a word
    /// whose bit is clear has none). A DFA state keeps the union of its
    /// threads' ([`dfa::Dfa::moves`]).
    move_bits: Vec<[u64; 2]>,
}

/// The word of a state's [`Matcher::move_bits`] and the bit in it of the
/// word `id`: the top seven bits of a multiplicative hash.
#[inline(always)]
fn move_bit(id: u32) -> (usize, u64) {
    let h = id.wrapping_mul(0x9E37_79B9) >> 25;
    ((h >> 6) as usize, 1 << (h & 63))
}

/// What an accepting state reports.
#[derive(Debug, Clone, Copy)]
struct AcceptOf {
    lexicon: LexiconId,
    exception: bool,
    sentence: Sentence,
    unless_help: bool,
}

/// Drops the hits (in order of their ends) whose sentence is not of the type
/// their pattern wants: a sentence ends at the next `.`, `!` or `?` (not the
/// `.` of "2.5" or "site.com") or line break (or the end of the text), and it is a question when that is a `?`. A hit
/// that ends with its sentence's mark is read in that sentence. One pass:
/// the next terminator is found once for every hit ending before it.
fn keep_sentence_types(norm: &str, hits: &mut Vec<Hit>) {
    if hits.iter().all(|h| h.sentence == Sentence::Any) {
        return;
    }
    let bytes = norm.as_bytes();
    // (an end, the first terminator at or after it): still the answer for
    // any end up to that terminator
    let mut last: Option<(usize, usize)> = None;
    hits.retain(|h| {
        if h.sentence == Sentence::Any {
            return true;
        }
        // (a match that ends with its sentence's own mark, "..., obviously.",
        // belongs to that sentence, not to the one after it)
        let end = match h.end as usize {
            e if e > 0 && matches!(bytes[e - 1], b'.' | b'!' | b'?') => e - 1,
            e => e,
        };
        let stop = match last {
            Some((from, at)) if from <= end && end <= at => at,
            _ => {
                let at = crate::text::next_sentence_end(bytes, end).unwrap_or(bytes.len());
                last = Some((end, at));
                at
            }
        };
        let question = bytes.get(stop) == Some(&b'?');
        question == (h.sentence == Sentence::Question)
    });
}

/// Whether the token `a..b` of `norm` ends every gap: sentence punctuation
/// (a `.` only before a space or the end: "7.2" and "site.com" go on), a
/// dash between spaces (not the hyphen of "30-day"), a bracket or quote, or
/// a word that opens a new clause.
fn clause_boundary(norm: &str, a: usize, b: usize) -> bool {
    let token = &norm[a..b];
    if token == "." || token == "-" {
        // "7.2", "site.com" and "30-day" go on; a dash between spaces stops
        return norm.as_bytes().get(b).is_none_or(|&c| c == b' ')
            && (token == "." || a == 0 || norm.as_bytes()[a - 1] == b' ');
    }
    matches!(
        token,
        "." | "!" | "?" | ";" | ":" | "(" | ")" | "[" | "]" | "\"" | "\u{2014}" | "\u{2013}"
    ) || CLAUSE_OPENERS.contains(&token)
}

/// The words that open a new clause: no gap runs past one, and two findings
/// with one between them are two expressions.
pub(crate) const CLAUSE_OPENERS: [&str; 12] = [
    "but", "however", "although", "though", "because", "so", "and", "or", "if", "unless", "when",
    "while",
];

/// `token`'s bytes packed as the tokenizer packs a token's key
/// (little-endian, at most eight bytes).
const fn key_of(token: &str) -> u64 {
    let b = token.as_bytes();
    let mut key = 0u64;
    let mut i = b.len();
    while i > 0 {
        i -= 1;
        key = key << 8 | b[i] as u64;
    }
    key
}

/// The keys of the tokens that may end a gap ([`clause_boundary`]).
const BOUNDARY_KEYS: [u64; 25] = [
    key_of("!"),
    key_of("?"),
    key_of(";"),
    key_of(":"),
    key_of("("),
    key_of(")"),
    key_of("["),
    key_of("]"),
    key_of("\""),
    key_of("\u{2014}"),
    key_of("\u{2013}"),
    key_of("but"),
    key_of("however"),
    key_of("although"),
    key_of("though"),
    key_of("because"),
    key_of("so"),
    key_of("and"),
    key_of("or"),
    key_of("if"),
    key_of("unless"),
    key_of("when"),
    key_of("while"),
    key_of("."),
    key_of("-"),
];

/// A bit of 256 for a key (its top eight bits after a multiply): the word
/// of [`BOUNDARY_BITS`] and the bit in it.
const fn boundary_bit(key: u64) -> (usize, u64) {
    let i = key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 56;
    ((i / 64) as usize, 1 << (i % 64))
}

/// The bits of [`BOUNDARY_KEYS`]: a key whose bit is clear is none of them.
const BOUNDARY_BITS: [u64; 4] = {
    let mut bits = [0; 4];
    let mut i = 0;
    while i < BOUNDARY_KEYS.len() {
        let (w, bit) = boundary_bit(BOUNDARY_KEYS[i]);
        bits[w] |= bit;
        i += 1;
    }
    bits
};

/// [`clause_boundary`] of a token with its key (its bytes packed, as the
/// tokenizer gives it; 0 when it has none): most tokens are told apart
/// from every word and mark that ends a gap by one bit of their key, with
/// no look at the text. A key of 0 (a token past eight bytes or of NULs),
/// and a key whose bit is set, are read as [`clause_boundary`] reads them.
#[inline(always)]
fn clause_boundary_keyed(norm: &str, a: usize, b: usize, key: u64) -> bool {
    let (w, bit) = boundary_bit(key);
    if key != 0 && BOUNDARY_BITS[w] & bit == 0 {
        // (no NUL is in any of those words and marks: a token that is one
        // of them has exactly its key, whose bit is set)
        return false;
    }
    clause_boundary(norm, a, b)
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

impl ScanBuffers {
    /// The exceptions (`! ...` lines) the last scan matched.
    pub(crate) fn exceptions(&self) -> &[Hit] {
        &self.exceptions
    }
}

/// Reusable buffers for [`Matcher::scan`], with the steps of each matcher
/// scanned with them kept ([`dfa`]): a worker's buffers grow faster with use.
#[derive(Debug, Default, Clone)]
pub(crate) struct ScanBuffers {
    exceptions: Vec<Hit>,
    /// The threads of a step being computed (each thread's start the index
    /// of the thread of the list it came from).
    threads: Vec<Thread>,
    next: Vec<Thread>,
    /// The states entered in a crowded step.
    seen: StepSet,
    /// The hits of a step being computed (starts as in `threads`).
    step_out: Vec<Hit>,
    step_exc: Vec<Hit>,
    /// The states of a list being interned.
    list: Vec<u32>,
    /// The starts of the live threads, in the order of their DFA state's
    /// list, and the next step's.
    starts: Vec<u32>,
    next_starts: Vec<u32>,
    /// The lazily built DFA of each matcher scanned with these buffers
    /// (the first made first).
    dfas: Vec<Dfa>,
}

/// Most matchers whose DFAs one [`ScanBuffers`] keeps (the analyzer scans
/// with two; past this many the least recently used is dropped).
const MAX_DFAS: usize = 4;

impl ScanBuffers {
    /// The DFA of matcher `m` (made, not built, if new; emptied if full).
    fn dfa_of(&mut self, m: &Matcher) -> usize {
        let i = match self.dfas.iter().position(|d| d.matcher == m.id) {
            Some(i) => i,
            None => {
                if self.dfas.len() == MAX_DFAS {
                    self.dfas.remove(0);
                }
                self.dfas.push(Dfa::new(m.id, m.vocab.len()));
                self.dfas.len() - 1
            }
        };
        if self.dfas[i].warm && self.dfas[i].full() {
            self.dfas[i].clear();
        }
        i
    }
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

/// Replays a step of the live threads (their starts `into.0`) on a token
/// `a..b`: each next thread's start is that of the thread it came from
/// (`prov`: an index into the old starts, their count for the thread
/// starting at `a`), into `into.0`; each hit (`hits.0` to `out`, `hits.1`
/// to `exc`) takes its thread's start and ends at `b`.
#[inline(always)]
fn replay(
    prov: impl Iterator<Item = u32>,
    hits: (&[Hit], &[Hit]),
    a: u32,
    b: u32,
    into: (&mut Vec<u32>, &mut Vec<u32>),
    out: &mut Vec<Hit>,
    exc: &mut Vec<Hit>,
) {
    let (starts, next) = into;
    starts.push(a);
    next.clear();
    next.extend(prov.map(|p| starts[p as usize]));
    for (hits, to) in [(hits.0, out), (hits.1, exc)] {
        for h in hits {
            to.push(Hit {
                start: starts[h.start as usize],
                end: b,
                ..*h
            });
        }
    }
    std::mem::swap(starts, next);
}

/// Where [`Matcher::enter`] puts what it finds.
struct Step<'a> {
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
            self.emit(r.accepts, t.start, step.end, &mut *step.out, &mut *step.exc);
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
        next: &mut Vec<Thread>,
        out: &mut Vec<Hit>,
        exc: &mut Vec<Hit>,
    ) -> bool {
        if word.flags & START_ACCEPTS != 0 {
            let range = self.start_accepts[word.id as usize];
            self.emit(range, start, end, out, exc);
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
        out: &mut Vec<Hit>,
        exc: &mut Vec<Hit>,
    ) {
        for a in &self.accepts[range.0 as usize..range.1 as usize] {
            let hit = Hit {
                lexicon: a.lexicon,
                unless_help: a.unless_help,
                sentence: a.sentence,
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

    /// A thread starting alone on `word` (one with [`STARTS`]), on a token
    /// `a..b` where no thread goes on: emits its accepts, and gives the
    /// DFA state of the list it leaves (with its start in `buf.starts`).
    #[inline(always)]
    fn start_alone(
        &self,
        word: Word,
        a: u32,
        b: u32,
        di: usize,
        buf: &mut ScanBuffers,
        out: &mut Vec<Hit>,
    ) -> u32 {
        if word.flags & START_ACCEPTS != 0 {
            let range = self.start_accepts[word.id as usize];
            self.emit(range, a, b, out, &mut buf.exceptions);
        }
        if word.flags & START_LIVE == 0 {
            return EMPTY;
        }
        buf.starts.clear();
        buf.starts.push(a);
        let dfa = &mut buf.dfas[di];
        let d = dfa.singles[word.id as usize];
        if d & !GAPS != LOOSE {
            return d;
        }
        // (the thread as `start` would push it)
        let any = word.flags & START_ANY != 0;
        let state = (word.flags & START_STATE) | if any { TARGET_ANY } else { 0 };
        let d = dfa.intern(&[state], any, &self.move_bits);
        if d & !GAPS == LOOSE {
            dfa.loose.clear();
            dfa.loose.push(state);
        } else {
            dfa.singles[word.id as usize] = d;
        }
        d
    }

    /// The step of the live threads (DFA state `d`, not [`EMPTY`], starts
    /// in `buf.starts`) on a token `a..b` of `class` (`word`'s id and
    /// whether the token ends a gap, or [`MISS`]), computed thread by
    /// thread as the automaton steps them: its hits go to `out` and the
    /// exceptions, the next starts to `buf.starts`, and it is kept in the
    /// DFA when there is room. Gives the next DFA state.
    #[inline(never)]
    #[allow(clippy::too_many_arguments)]
    fn step_slow(
        &self,
        d: u32,
        class: u32,
        word: Word,
        a: u32,
        b: u32,
        di: usize,
        buf: &mut ScanBuffers,
        out: &mut Vec<Hit>,
    ) -> u32 {
        let dfa = &mut buf.dfas[di];
        let list = if d & !GAPS == LOOSE {
            &dfa.loose[..]
        } else {
            dfa.list(d & !GAPS)
        };
        let n = list.len() as u32;
        buf.threads.clear();
        buf.threads.extend(
            list.iter()
                .zip(0..)
                .map(|(&state, start)| Thread { state, start }),
        );
        let gaps = self.step_threads(class, word, n, buf);
        buf.list.clear();
        buf.list.extend(buf.next.iter().map(|t| t.state));
        let dfa = &mut buf.dfas[di];
        let next = dfa.intern(&buf.list, gaps, &self.move_bits);
        if next & !GAPS == LOOSE {
            std::mem::swap(&mut dfa.loose, &mut buf.list);
        } else if let (true, Ok(len), Ok(out), Ok(exc)) = (
            d & !GAPS != LOOSE && !dfa.full(),
            u8::try_from(buf.next.len()),
            u8::try_from(buf.step_out.len()),
            u8::try_from(buf.step_exc.len()),
        ) {
            let entry = Entry {
                next,
                prov: dfa.prov.len() as u32,
                hits: dfa.hits.len() as u32,
                len,
                out,
                exc,
            };
            dfa.prov.extend(buf.next.iter().map(|t| t.start));
            dfa.hits.extend_from_slice(&buf.step_out);
            dfa.hits.extend_from_slice(&buf.step_exc);
            dfa.insert(d, class, entry);
        }
        let prov = buf.next.iter().map(|t| t.start);
        let into = (&mut buf.starts, &mut buf.next_starts);
        let hits = (&buf.step_out[..], &buf.step_exc[..]);
        replay(prov, hits, a, b, into, out, &mut buf.exceptions);
        next
    }

    /// The automaton's step of the threads `buf.threads` (each thread's
    /// start the index of the thread in its list; `n` threads) on a token
    /// of `class`: the next threads into `buf.next`, keeping the first to
    /// reach a state, then the thread starting on the token (with start
    /// `n`); the hits into `buf.step_out` and `buf.step_exc` (start as the
    /// thread's, end 0). Whether a next thread is in a gap.
    fn step_threads(&self, class: u32, word: Word, n: u32, buf: &mut ScanBuffers) -> bool {
        buf.next.clear();
        buf.step_out.clear();
        buf.step_exc.clear();
        let mut step = Step {
            end: 0,
            next: &mut buf.next,
            few: 0,
            seen: &mut buf.seen,
            out: &mut buf.step_out,
            exc: &mut buf.step_exc,
            gaps: false,
        };
        if class == MISS {
            // a token outside the vocabulary (not a boundary): only the
            // threads in a gap go on
            for &t in &buf.threads {
                if t.state & TARGET_ANY != 0 {
                    self.gap_moves(t, &mut step);
                }
            }
            return step.gaps;
        }
        let boundary = class & 1 != 0;
        self.advance(&buf.threads, word, boundary, (n, 0), &mut step)
    }

    /// Moves each of `threads` over a token of the vocabulary (`word`) and,
    /// unless the token is a clause boundary, on through a gap; then starts
    /// the patterns `word` opens, the new thread and its hits spanning
    /// `start..end`. Whether a next thread is in a gap. Shared by the
    /// thread-by-thread scan and the DFA's first computation of a step.
    #[inline(always)]
    fn advance(
        &self,
        threads: &[Thread],
        word: Word,
        boundary: bool,
        (start, end): (u32, u32),
        step: &mut Step<'_>,
    ) -> bool {
        for &t in threads {
            if word.flags & MOVES != 0 {
                for &target in self.transitions.get(t.state & TARGET_STATE, word.id) {
                    self.enter(target, t.start, step);
                }
            }
            if t.state & TARGET_ANY != 0 && !boundary {
                self.gap_moves(t, step);
            }
        }
        if word.flags & STARTS != 0 {
            step.gaps |= self.start(word, start, end, step.next, step.out, step.exc);
        }
        step.gaps
    }

    /// Moves every thread in a gap over a token that is not in the
    /// vocabulary (threads elsewhere die on it); whether any went on.
    #[allow(clippy::too_many_arguments)]
    fn skip(
        &self,
        norm: &str,
        a: usize,
        b: usize,
        key: u64,
        buf: &mut ScanBuffers,
        out: &mut Vec<Hit>,
    ) -> bool {
        buf.next.clear();
        let mut gaps = false;
        if !clause_boundary_keyed(norm, a, b, key) {
            let mut step = Step {
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
    #[cfg(test)]
    pub fn scan(&self, norm: &str, out: &mut Vec<Hit>, buf: &mut ScanBuffers) {
        self.scan_with(norm, out, buf, |_, _, _| {});
    }

    /// As [`Matcher::scan`], also handing every token (its byte range and
    /// key, as [`lexicon::fast_tokens`] gives them) to `on_token`, so that a
    /// caller reading the same tokens for something else needs no second
    /// pass.
    #[inline]
    pub fn scan_with(
        &self,
        norm: &str,
        out: &mut Vec<Hit>,
        buf: &mut ScanBuffers,
        mut on_token: impl FnMut(usize, usize, u64),
    ) {
        self.scan_words(norm, out, buf, |a, b, key, _| on_token(a, b, key));
    }

    /// As [`Matcher::scan_with`], also handing `on_token` the token's id in
    /// this matcher's vocabulary ([`NO_WORD`] for a token outside it), so
    /// that a caller can keep what it reads of each word in a table by id
    /// ([`Matcher::word_table`]) and look it up with no hashing of its own.
    #[inline]
    pub fn scan_words(
        &self,
        norm: &str,
        out: &mut Vec<Hit>,
        buf: &mut ScanBuffers,
        on_token: impl FnMut(usize, usize, u64, u32),
    ) {
        self.scan_raw(norm, out, buf, on_token);
        self.resolve(norm, out, buf);
    }

    /// A value per word of the vocabulary, by its id: `f` of the word's
    /// text (the token that has that id), `none` where it cannot be read.
    pub fn word_table<T: Clone>(&self, none: T, mut f: impl FnMut(&str) -> T) -> Vec<T> {
        let mut table = vec![none; self.vocab.len()];
        for &(key, word) in &self.vocab.short {
            if key == 0 {
                continue;
            }
            // (the key is the token's bytes, little-endian, zero-padded:
            // no word has a NUL)
            let bytes = key.to_le_bytes();
            let len = 8 - key.leading_zeros() as usize / 8;
            if let Ok(text) = std::str::from_utf8(&bytes[..len]) {
                table[word.id as usize] = f(text);
            }
        }
        for (text, word) in &self.vocab.long {
            table[word.id as usize] = f(text);
        }
        table
    }

    /// The loop of [`Matcher::scan_with`]: every match of every pattern
    /// into `out` and every exception's into `buf.exceptions`, as found
    /// (in order of their ends), before the sentence types, exceptions and
    /// overlaps are resolved.
    #[inline(always)]
    fn scan_raw(
        &self,
        norm: &str,
        out: &mut Vec<Hit>,
        buf: &mut ScanBuffers,
        mut on_token: impl FnMut(usize, usize, u64, u32),
    ) {
        out.clear();
        buf.exceptions.clear();
        let di = buf.dfa_of(self);
        let dfa = &mut buf.dfas[di];
        if !dfa.warm {
            // buffers that have read little with this matcher step the
            // threads one by one (a fresh scratch's scan costs no more than
            // before); past `warm_after` bytes the DFA is built
            dfa.scanned += norm.len();
            if dfa.scanned >= dfa.warm_after {
                dfa.warm_up();
            }
            self.scan_threads(norm, out, buf, on_token);
            return;
        }
        // the DFA state of the live threads (with `GAPS` when one is in a
        // gap), their starts in `starts`
        let mut d = EMPTY;
        let mut tokens = lexicon::fast_tokens(norm);
        while let Some((a, b, key)) = tokens.next_keyed() {
            let found = self.vocab.get_keyed(norm, a, b, key);
            on_token(a, b, key, found.map_or(NO_WORD, |w| w.id));
            let (a, b) = (a as u32, b as u32);
            let (word, class) = match found {
                // threads in a gap step over a token outside the
                // vocabulary, unless it ends the gap; the others die on it
                None if d & GAPS != 0
                    && !clause_boundary_keyed(norm, a as usize, b as usize, key) =>
                {
                    (Word::default(), MISS)
                }
                None => {
                    d = EMPTY;
                    continue;
                }
                Some(word)
                    if d == EMPTY
                        || (d & GAPS == 0
                            && (word.flags & MOVES == 0 || !buf.dfas[di].may_move(d, word.id))) =>
                {
                    // the common case: no thread goes on (none is in a gap,
                    // and none has a move on the word), at most one starts
                    // here
                    d = EMPTY;
                    if word.flags & STARTS != 0 {
                        d = self.start_alone(word, a, b, di, buf, out);
                    }
                    continue;
                }
                Some(word) => {
                    let boundary =
                        d & GAPS != 0 && clause_boundary_keyed(norm, a as usize, b as usize, key);
                    (word, word.id << 1 | u32::from(boundary))
                }
            };
            let dfa = &buf.dfas[di];
            if d & !GAPS != LOOSE {
                if let Some(e) = dfa.get(d, class) {
                    let prov = dfa.prov[e.prov as usize..][..e.len as usize]
                        .iter()
                        .copied();
                    let hits = &dfa.hits[e.hits as usize..];
                    let (hits_out, hits_exc) = hits.split_at(e.out as usize);
                    let into = (&mut buf.starts, &mut buf.next_starts);
                    let hits = (hits_out, &hits_exc[..e.exc as usize]);
                    replay(prov, hits, a, b, into, out, &mut buf.exceptions);
                    d = e.next;
                    continue;
                }
            }
            d = self.step_slow(d, class, word, a, b, di, buf, out);
        }
    }

    /// [`Matcher::scan_raw`] with the threads stepped one by one, no DFA.
    #[inline(never)]
    fn scan_threads(
        &self,
        norm: &str,
        out: &mut Vec<Hit>,
        buf: &mut ScanBuffers,
        mut on_token: impl FnMut(usize, usize, u64, u32),
    ) {
        buf.threads.clear();
        // whether a thread of `buf.threads` is in a gap
        let mut gaps = false;
        let mut tokens = lexicon::fast_tokens(norm);
        while let Some((a, b, key)) = tokens.next_keyed() {
            let found = self.vocab.get_keyed(norm, a, b, key);
            on_token(a, b, key, found.map_or(NO_WORD, |w| w.id));
            let Some(word) = found else {
                if gaps {
                    gaps = self.skip(norm, a, b, key, buf, out);
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
                    gaps = self.start(word, a, b, threads, out, exc);
                }
                continue;
            }
            let boundary = gaps && clause_boundary_keyed(norm, a, b, key);
            buf.next.clear();
            let mut step = Step {
                end: b as u32,
                next: &mut buf.next,
                few: 0,
                seen: &mut buf.seen,
                out: &mut *out,
                exc: &mut buf.exceptions,
                gaps: false,
            };
            gaps = self.advance(
                &buf.threads,
                word,
                boundary,
                (a as u32, b as u32),
                &mut step,
            );
            std::mem::swap(&mut buf.threads, &mut buf.next);
        }
    }

    /// Drops the hits of [`Matcher::scan_raw`] whose sentence type is not
    /// their pattern's or that an exception of their lexicon covers, then
    /// the overlaps within each lexicon (leftmost-longest).
    #[inline(always)]
    fn resolve(&self, norm: &str, out: &mut Vec<Hit>, buf: &mut ScanBuffers) {
        keep_sentence_types(norm, out);
        keep_sentence_types(norm, &mut buf.exceptions);
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
mod tests;
