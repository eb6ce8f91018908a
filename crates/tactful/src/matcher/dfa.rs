//! A lazily built DFA over the automaton's thread lists: the step from a
//! list of live threads on a token, once computed, is kept and replayed.
//!
//! The automaton is run as a list of threads (a state and the byte where
//! its match started), in order: a step on a token enters, thread by thread,
//! the targets of its moves and gap moves, keeping the first thread to reach
//! a state, then the thread starting on the token. What a step does depends
//! only on the list's states and the token's class (its word and whether it
//! ends a gap), never on the starts: a step maps each thread of the new list
//! to the thread of the old list it came from (or to the new start), and
//! each hit it reports to the thread whose start it takes. So a list of
//! states is interned as a DFA state, and a step, computed once by the
//! automaton's own code with each thread's index in place of its start,
//! is kept as (next list, where each thread came from, the hits with the
//! index of their thread). Replaying it gives the same threads, starts and
//! hits, in the same order, as stepping the threads again.
//!
//! This is what regex engines' lazy DFAs do; here the starts ride along.
//! Most tokens step the same few lists (a thread in a gap after "we", two
//! after "the"), so after a few thousand turns nearly every step is one
//! table look and a copy of a few starts.

use super::tables::slot;
use super::{move_bit, Hit, TARGET_STATE};

/// The bit of a DFA state id whose list has a thread in a gap.
pub(super) const GAPS: u32 = 1 << 31;
/// The DFA state of no thread.
pub(super) const EMPTY: u32 = 0;
/// The id of a list that is not interned (its states are in
/// [`Dfa::loose`]), with or without [`GAPS`].
pub(super) const LOOSE: u32 = GAPS - 1;
/// The class of a token outside the vocabulary (one that is no clause
/// boundary: a boundary ends every thread, with no step).
pub(super) const MISS: u32 = u32::MAX;

/// A kept step: the next DFA state (with [`GAPS`]), where in [`Dfa::prov`]
/// its threads' sources start and how many threads it has, and where in
/// [`Dfa::hits`] its hits are (`out` to the hits, `exc` to the exceptions
/// after them). Sixteen bytes, kept with its key in [`Dfa::kept`] (a step
/// with more than 255 threads or hits of a kind is not kept).
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub(super) next: u32,
    pub(super) prov: u32,
    pub(super) hits: u32,
    /// The number of threads of the next list.
    pub(super) len: u8,
    pub(super) out: u8,
    pub(super) exc: u8,
}

/// The bytes of text a [`Dfa`]'s buffers scan with its matcher before it
/// is built: a scratch made for one transcript never builds it (its steps
/// would nearly all be computed and kept once, at about five times the
/// cost of stepping the threads); a worker's builds it within its first
/// hundred transcripts or so.
pub(super) const WARM_AFTER: usize = 1 << 14;

/// The bits of a slot of [`Dfa::table`] that hold the index of its step in
/// [`Dfa::kept`] plus one (0: a free slot); the bits above them hold a
/// fingerprint of the step's key ([`fingerprint`]).
const INDEX_BITS: u32 = 18;
/// The mask of [`INDEX_BITS`].
const INDEX_MASK: u32 = (1 << INDEX_BITS) - 1;
/// Most steps kept: their indexes plus one fit in [`INDEX_BITS`].
const MOST_KEPT: usize = INDEX_MASK as usize;

/// Most threads of a list that is interned (a longer list is stepped
/// thread by thread, as the automaton does, and not kept).
pub(super) const MAX_LIST: usize = 64;

/// The lazily built DFA of one [`super::Matcher`] (found by its id), kept in
/// the scan buffers of one worker.
#[derive(Debug, Clone)]
pub(super) struct Dfa {
    /// The id of the matcher whose steps these are.
    pub(super) matcher: u64,
    /// Per DFA state: where its states are in `lists`, and how many.
    pub(super) states: Vec<(u32, u32)>,
    /// Per DFA state: the union of its states' move bits
    /// ([`super::Matcher::move_bits`]): a word whose bit is clear moves
    /// none of its threads.
    pub(super) moves: Vec<[u64; 2]>,
    pub(super) lists: Vec<u32>,
    /// Open addressing over (the list's hash's low half, DFA state) of
    /// every state but [`EMPTY`]; a state of 0 marks a free slot.
    pub(super) ids: Vec<(u32, u32)>,
    /// `64 - log2(ids.len())`.
    pub(super) ids_shift: u32,
    /// Open addressing over the kept steps' keys, four bytes a slot: a
    /// fingerprint of the key above [`INDEX_BITS`] and the step's index in
    /// `kept` plus one (0 marks a free slot). A look reads this small
    /// table (64 KB for the 8,000 steps a worker keeps in its first
    /// megabytes, where slots of the key and the step, 24 bytes, took
    /// 384 KB and missed the cache on most tokens), and `kept` only where
    /// the fingerprint matches: nearly always the step looked for, and
    /// the steps kept first, which are the common ones, sit together at
    /// its start.
    pub(super) table: Vec<u32>,
    /// The kept steps in the order they were kept, each with its key: the
    /// DFA state (without [`GAPS`]) in the high half and the token's class
    /// in the low.
    pub(super) kept: Vec<(u64, Entry)>,
    /// `64 - log2(table.len())`.
    pub(super) shift: u32,
    /// The number of steps kept.
    pub(super) entries: usize,
    /// Per thread of a kept step's next list: the index of the thread of
    /// the old list it came from (the old list's length for the thread
    /// starting on the token).
    pub(super) prov: Vec<u32>,
    /// The hits of the kept steps, each with the index of its thread in
    /// `start` (as in `prov`) and no end.
    pub(super) hits: Vec<Hit>,
    /// Per word id: the DFA state of the thread starting on it alone
    /// ([`LOOSE`] while not known yet).
    pub(super) singles: Vec<u32>,
    /// The states of the current list when it is [`LOOSE`].
    pub(super) loose: Vec<u32>,
    /// The most entries, and the most `u32`s in `lists`, `prov` and `hits`
    /// (a hit counted as four) kept: past them no step is kept, and the
    /// next scan starts the DFA afresh.
    pub(super) max_entries: usize,
    pub(super) max_words: usize,
    /// Whether the DFA is built (until then the scans step the threads one
    /// by one, and nothing above is allocated).
    pub(super) warm: bool,
    /// The bytes scanned before the DFA is built, and how many are.
    pub(super) scanned: usize,
    pub(super) warm_after: usize,
    /// The number of words in the matcher's vocabulary.
    pub(super) words: usize,
}

impl Dfa {
    /// The DFA of matcher `matcher`, whose vocabulary has `words` words,
    /// not built yet (nothing allocated).
    pub(super) fn new(matcher: u64, words: usize) -> Dfa {
        Dfa {
            matcher,
            states: Vec::new(),
            moves: Vec::new(),
            lists: Vec::new(),
            ids: Vec::new(),
            ids_shift: 64,
            table: Vec::new(),
            kept: Vec::new(),
            shift: 64,
            entries: 0,
            prov: Vec::new(),
            hits: Vec::new(),
            singles: Vec::new(),
            loose: Vec::new(),
            max_entries: 1 << 17,
            max_words: 1 << 21,
            warm: false,
            scanned: 0,
            warm_after: WARM_AFTER,
            words,
        }
    }

    /// Builds the DFA (empty).
    pub(super) fn warm_up(&mut self) {
        self.warm = true;
        self.singles = vec![LOOSE; self.words];
        self.clear();
    }

    /// Forgets every state and step (the empty list stays state 0).
    pub(super) fn clear(&mut self) {
        self.states.clear();
        self.moves.clear();
        self.lists.clear();
        self.ids.clear();
        self.entries = 0;
        self.prov.clear();
        self.hits.clear();
        self.singles.fill(LOOSE);
        // (sized for the steps a worker keeps in its first few megabytes:
        // each doubling moves every entry)
        self.table = vec![0; 1 << 14];
        self.kept.clear();
        self.shift = 64 - 14;
        self.ids = vec![(0, 0); 1 << 14];
        self.ids_shift = 64 - 14;
        self.states.push((0, 0));
        self.moves.push([0; 2]);
    }

    /// Whether a thread of DFA state `d` (without [`GAPS`]; [`LOOSE`]
    /// included) may have a move on word `id`: false only when none has.
    #[inline(always)]
    pub(super) fn may_move(&self, d: u32, id: u32) -> bool {
        let (w, bit) = move_bit(id);
        self.moves.get(d as usize).is_none_or(|m| m[w] & bit != 0)
    }

    /// Whether no more states or steps are kept.
    pub(super) fn full(&self) -> bool {
        self.entries >= self.max_entries.min(MOST_KEPT)
            || self.lists.len() + self.prov.len() + 4 * self.hits.len() >= self.max_words
    }

    /// The states of DFA state `d` (without [`GAPS`]; not [`LOOSE`]).
    #[inline]
    pub(super) fn list(&self, d: u32) -> &[u32] {
        let (at, len) = self.states[d as usize];
        &self.lists[at as usize..(at + len) as usize]
    }

    /// The DFA state of `list` (with [`GAPS`] if `gaps`), interned if it is
    /// new and there is room; [`LOOSE`] (with [`GAPS`] if `gaps`) otherwise.
    /// `move_bits` are the matcher's, per state.
    pub(super) fn intern(&mut self, list: &[u32], gaps: bool, move_bits: &[[u64; 2]]) -> u32 {
        let gaps = if gaps { GAPS } else { 0 };
        if list.is_empty() {
            return EMPTY;
        }
        if list.len() > MAX_LIST {
            return LOOSE | gaps;
        }
        let h = hash_list(list) as u32;
        let mask = self.ids.len() - 1;
        let mut i = slot(u64::from(h), self.ids_shift) & mask;
        loop {
            let (k, d) = self.ids[i];
            if d == 0 {
                break;
            }
            if k == h && self.list(d) == list {
                return d | gaps;
            }
            i = (i + 1) & mask;
        }
        if self.full() {
            return LOOSE | gaps;
        }
        let d = self.states.len() as u32;
        self.states
            .push((self.lists.len() as u32, list.len() as u32));
        let mut moves = [0; 2];
        for &state in list {
            let bits = move_bits[(state & TARGET_STATE) as usize];
            moves = [moves[0] | bits[0], moves[1] | bits[1]];
        }
        self.moves.push(moves);
        self.lists.extend_from_slice(list);
        self.ids[i] = (h, d);
        if 2 * self.states.len() > self.ids.len() {
            let size = 2 * self.ids.len();
            let old = std::mem::replace(&mut self.ids, vec![(0, 0); size]);
            self.ids_shift -= 1;
            let mask = size - 1;
            for (k, d) in old.into_iter().filter(|s| s.1 != 0) {
                let mut i = slot(u64::from(k), self.ids_shift) & mask;
                while self.ids[i].1 != 0 {
                    i = (i + 1) & mask;
                }
                self.ids[i] = (k, d);
            }
        }
        d | gaps
    }

    /// The kept step of DFA state `d` (not [`LOOSE`]) on a token of
    /// `class`, if any.
    #[inline(always)]
    pub(super) fn get(&self, d: u32, class: u32) -> Option<&Entry> {
        let key = u64::from(d & !GAPS) << 32 | u64::from(class);
        let mask = self.table.len() - 1;
        let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let (mut i, fp) = ((h >> self.shift) as usize & mask, fingerprint(h));
        loop {
            let s = self.table[i];
            if s == 0 {
                return None;
            }
            if s & !INDEX_MASK == fp {
                let (k, ref e) = self.kept[(s & INDEX_MASK) as usize - 1];
                if k == key {
                    return Some(e);
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Keeps `entry` as the step of DFA state `d` (not [`LOOSE`]) on a
    /// token of `class` (not when [`Dfa::full`]).
    pub(super) fn insert(&mut self, d: u32, class: u32, entry: Entry) {
        debug_assert!(self.kept.len() < MOST_KEPT, "room for the step's index");
        self.entries += 1;
        // (at most three quarters full: a kept step is nearly always
        // found, within a probe or two)
        if 4 * self.entries > 3 * self.table.len() {
            self.table = vec![0; 2 * self.table.len()];
            self.shift -= 1;
            for n in 0..self.kept.len() {
                self.place(n);
            }
        }
        self.kept
            .push((u64::from(d & !GAPS) << 32 | u64::from(class), entry));
        self.place(self.kept.len() - 1);
    }

    /// Puts step `n` of `kept` in its key's first free slot.
    fn place(&mut self, n: usize) {
        let key = self.kept[n].0;
        let mask = self.table.len() - 1;
        let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut i = (h >> self.shift) as usize & mask;
        while self.table[i] != 0 {
            i = (i + 1) & mask;
        }
        self.table[i] = fingerprint(h) | (n as u32 + 1);
    }
}

/// The fingerprint of a key whose multiplicative hash is `h`, in the bits
/// of a slot above [`INDEX_BITS`]: the hash's bits 32 to 45, below those
/// that choose the slot (the top ones, [`slot`]) in a table of up to 2^18
/// slots, and above those that depend only on the key's low half (the
/// token's class). A shift by a constant and a mask: the bits just below the
/// slot's, taken by a shift that depends on the table's size, cost a
/// subtraction and two shifts on every look.
#[inline(always)]
fn fingerprint(h: u64) -> u32 {
    (h >> (32 - INDEX_BITS)) as u32 & !INDEX_MASK
}

/// The hash of a list of states (for [`Dfa::ids`]).
fn hash_list(list: &[u32]) -> u64 {
    let mut h = list.len() as u64;
    for &s in list {
        h = (h ^ u64::from(s)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        h ^= h >> 29;
    }
    h
}
