//! The automaton's tables: the vocabulary of words and the (state, word)
//! moves, each an open-addressing table sized to stay in cache.

use super::*;

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

/// The commonest tokens of the labeled transcripts (`tests/labeled`, both
/// roles), commonest first, one a line (`scripts/frequent-tokens.py`):
/// the order [`Vocab::frequency_order`] numbers the words in. Only the ids
/// depend on it, no result.
pub(super) const FREQUENT: &str = include_str!("frequent.txt");

pub(super) type LongVocab = HashMap<String, Word, BuildHasherDefault<TokenHasher>>;

/// A word of the vocabulary: its id and what the automaton does with it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Word {
    pub(super) id: u32,
    /// [`STARTS`], [`MOVES`], [`START_LIVE`] and [`START_ACCEPTS`] bits,
    /// above the [`START_STATE`] bits: the state a match starting on the
    /// word is in (so a token that starts one reads no other table).
    pub(super) flags: u32,
}

/// Flag of a [`Word`] that a pattern starts with.
pub(super) const STARTS: u32 = 1 << 31;
/// Flag of a [`Word`] on which some state has a move (a thread can go on).
pub(super) const MOVES: u32 = 1 << 30;
/// Flag of a [`Word`] whose start state has a move.
pub(super) const START_LIVE: u32 = 1 << 29;
/// Flag of a [`Word`] whose start state has accepts.
pub(super) const START_ACCEPTS: u32 = 1 << 28;
/// Flag of a [`Word`] whose start state has a gap (moves on any token).
pub(super) const START_ANY: u32 = 1 << 27;
/// The bits of a [`Word`]'s flags that hold its start state.
pub(super) const START_STATE: u32 = (1 << 27) - 1;

/// The lexicons' words, each with an id. Tokens of at most 8 bytes (nearly
/// all) are packed into a `u64` and found in an open-addressing table with one
/// multiply and one integer compare; longer ones use a hash map. Each slot
/// holds the word's flags too, so that a token that neither starts nor
/// continues a match costs one table probe.
#[derive(Debug, Clone, Default)]
pub(super) struct Vocab {
    pub(super) short: Vec<(u64, Word)>,
    pub(super) long: LongVocab,
    pub(super) len: usize,
    /// The number of words in `short`.
    pub(super) short_len: usize,
    /// `64 - log2(short.len())`: the shift that takes a key's hash to its
    /// first slot ([`slot`]).
    pub(super) shift: u32,
}

pub(crate) fn pack(token: &str) -> Option<u64> {
    let b = token.as_bytes();
    if b.is_empty() || b.len() > 8 {
        return None;
    }
    let mut w = [0u8; 8];
    w[..b.len()].copy_from_slice(b);
    Some(u64::from_le_bytes(w))
}

/// The first slot of `key` in a table of `2^(64 - shift)` slots: the top
/// bits of a multiplicative hash, which depend on every byte of the key
/// (its low bits depend only on the key's first bytes, and its middle bits
/// collide more on the vocabulary). Taking as many top bits as the table
/// needs keeps keys spread at any size: a fixed window of 16 bits (as
/// before) piled every key of a table past 2^16 slots into long clusters,
/// and building 100,000 custom phrases took seconds (issue 19, item 8).
#[inline]
pub(super) fn slot(key: u64, shift: u32) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> shift) as usize
}

impl Vocab {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// The word `token`, if it is one (the tests' look-up by text).
    #[cfg(test)]
    pub(super) fn get(&self, token: &str) -> Option<Word> {
        match pack(token) {
            Some(key) => self.get_short(key),
            None => self.long.get(token).copied(),
        }
    }

    /// The word of the token `norm[a..b]` whose bytes the tokenizer packed
    /// into `key` (0 for a token longer than eight bytes, or of NULs: it is
    /// looked up by its text).
    #[inline(always)]
    pub(super) fn get_keyed(&self, norm: &str, a: usize, b: usize, key: u64) -> Option<Word> {
        if key != 0 {
            self.get_short(key)
        } else {
            self.long.get(&norm[a..b]).copied()
        }
    }

    #[inline]
    pub(super) fn get_short(&self, key: u64) -> Option<Word> {
        let mask = self.short.len().checked_sub(1)?;
        let mut i = slot(key, self.shift) & mask;
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

    pub(super) fn insert(&mut self, token: &str) -> u32 {
        if let Some(key) = pack(token) {
            return self.insert_short(key);
        }
        if let Some(w) = self.long.get(token) {
            return w.id;
        }
        let id = self.len as u32;
        self.len += 1;
        self.long.insert(token.to_string(), Word { id, flags: 0 });
        id
    }

    /// [`Vocab::insert`] of the token of at most eight bytes that packs
    /// to `key` ([`pack`]).
    pub(super) fn insert_short(&mut self, key: u64) -> u32 {
        if let Some(w) = self.get_short(key) {
            return w.id;
        }
        let id = self.len as u32;
        self.len += 1;
        let word = Word { id, flags: 0 };
        // keep the table at most half full
        if self.short.len() / 2 <= self.short_len {
            let old = std::mem::take(&mut self.short);
            let size = (old.len() * 2).max(1024);
            self.short = vec![(0, Word::default()); size];
            self.shift = 64 - size.trailing_zeros();
            for (k, v) in old.into_iter().filter(|e| e.0 != 0) {
                self.place(k, v);
            }
        }
        self.place(key, word);
        self.short_len += 1;
        id
    }

    pub(super) fn place(&mut self, key: u64, word: Word) {
        let mask = self.short.len() - 1;
        let mut i = slot(key, self.shift) & mask;
        while self.short[i].0 != 0 {
            i = (i + 1) & mask;
        }
        self.short[i] = (key, word);
    }

    /// New ids for the words, indexed by their ids: the words of
    /// [`FREQUENT`] first, in its order, then the others in the order of
    /// their ids. The per-word tables indexed by id (the matcher's, and
    /// those its callers build with [`Matcher::word_table`]) then hold the
    /// common words' entries in a few cache lines: a token's entry is read
    /// right after its vocabulary slot, and was a second cache miss.
    pub(super) fn frequency_order(&self) -> Vec<u32> {
        const NONE: u32 = u32::MAX;
        let mut new_id = vec![NONE; self.len];
        let mut next = 0;
        for token in FREQUENT.lines() {
            let word = match pack(token) {
                Some(key) => self.get_short(key),
                None => self.long.get(token).copied(),
            };
            if let Some(w) = word {
                if new_id[w.id as usize] == NONE {
                    new_id[w.id as usize] = next;
                    next += 1;
                }
            }
        }
        for id in &mut new_id {
            if *id == NONE {
                *id = next;
                next += 1;
            }
        }
        new_id
    }

    /// Gives every word the id `new_id` has for its id
    /// ([`Vocab::frequency_order`]).
    pub(super) fn renumber(&mut self, new_id: &[u32]) {
        let entries = self.short.iter_mut().filter(|e| e.0 != 0).map(|(_, w)| w);
        for w in entries.chain(self.long.values_mut()) {
            w.id = new_id[w.id as usize];
        }
    }

    /// Sets every word's flags (indexed by word id).
    pub(super) fn set_flags(&mut self, flags: &[u32]) {
        let entries = self.short.iter_mut().map(|(_, w)| w);
        for w in entries.chain(self.long.values_mut()) {
            w.flags = flags.get(w.id as usize).copied().unwrap_or(0);
        }
    }
}

/// Every (state, word) move of the automaton, in an open-addressing table:
/// one probe finds the states a thread goes to on a token. Most threads die
/// at their next token, so a one-bit-per-hash filter in front of the table
/// (small enough to stay in cache) answers most lookups without a probe.
#[derive(Debug, Clone)]
pub(super) struct Transitions {
    /// Keys are `state * words + word + 1` (0 marks a free slot); a value
    /// with the high bit clear is the one target state, else the low bits
    /// index `targets`, which holds the count and then the states.
    pub(super) slots: Vec<(u32, u32)>,
    pub(super) targets: Vec<u32>,
    /// One bit per hash of each key (a fixed size: indexing it needs no
    /// bounds check).
    pub(super) filter: Box<[u64; FILTER_WORDS]>,
    /// The number of words (key = state * words + word + 1).
    pub(super) words: u64,
    /// The table for an automaton whose keys do not fit in 32 bits.
    pub(super) wide: HashMap<u64, u32, BuildHasherDefault<TokenHasher>>,
    /// Entries collected before [`Transitions::finish`] builds the table.
    pub(super) pending: Vec<(u64, u32)>,
}

pub(super) const MULTI: u32 = 1 << 31;
pub(super) const FILTER_BITS: u32 = 20;
/// The `u64` words of [`Transitions::filter`].
pub(super) const FILTER_WORDS: usize = (1 << FILTER_BITS) / 64;

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

pub(super) fn mix(key: u64) -> u64 {
    key.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Transitions {
    pub(super) fn new(words: usize) -> Transitions {
        Transitions {
            words: words as u64,
            ..Transitions::default()
        }
    }

    pub(super) fn key(&self, state: u32, word: u32) -> u64 {
        u64::from(state) * self.words + u64::from(word) + 1
    }

    pub(super) fn insert(&mut self, state: u32, word: u32, targets: &[u32]) {
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
    pub(super) fn finish(&mut self, kind: impl Fn(u32) -> u32) {
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

    pub(super) fn targets_of(&self, value: u32) -> &[u32] {
        if value & MULTI == 0 {
            return &self.targets[..0];
        }
        let at = (value & !MULTI) as usize;
        let len = self.targets[at] as usize;
        &self.targets[at + 1..at + 1 + len]
    }

    /// The states `state` goes to on token `word` (none if it dies).
    #[inline(always)]
    pub(super) fn get(&self, state: u32, word: u32) -> &[u32] {
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
