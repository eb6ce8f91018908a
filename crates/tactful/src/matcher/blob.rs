//! A [`Matcher`] as bytes: `build.rs` compiles the built-in phrase lists
//! (this module and the parser and builder are included into the build
//! script) and writes the two matchers of the built-in lists as blobs, which
//! start-up reads with no parsing and no compiling.
//!
//! Every number is little-endian. The blob holds every field of the matcher
//! but its id, in the order [`Matcher::to_blob`] writes them: each table as
//! its length and then its entries, the two hash maps (the long words and the
//! wide moves) sorted by key, so that the same matcher always gives the same
//! bytes (a test holds the blob of the built-in lists equal to the blob of the
//! matcher built at run time from the same text).

use super::*;

/// The bytes of a blob being written.
struct Out(Vec<u8>);

impl Out {
    fn u32(&mut self, x: u32) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }

    fn u64(&mut self, x: u64) {
        self.0.extend_from_slice(&x.to_le_bytes());
    }

    fn len(&mut self, n: usize) {
        self.u32(u32::try_from(n).expect("a matcher's table fits in 32 bits"));
    }

    fn word(&mut self, w: Word) {
        self.u32(w.id);
        self.u32(w.flags);
    }
}

/// A blob being read (a blob `build.rs` wrote: a short one panics).
struct In<'a>(&'a [u8]);

impl<'a> In<'a> {
    #[inline]
    fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (h, t) = self.0.split_at(n);
        self.0 = t;
        h
    }

    #[inline]
    fn u32(&mut self) -> u32 {
        le32(self.bytes(4))
    }

    #[inline]
    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | u64::from(self.u32()) << 32
    }

    #[inline]
    fn len(&mut self) -> usize {
        self.u32() as usize
    }

    #[inline]
    fn word(&mut self) -> Word {
        Word {
            id: self.u32(),
            flags: self.u32(),
        }
    }

    /// The next `n` numbers of four bytes.
    #[inline]
    fn u32s(&mut self, n: usize) -> Vec<u32> {
        let mut out = vec![0; n];
        for (x, b) in out.iter_mut().zip(self.bytes(4 * n).chunks_exact(4)) {
            *x = le32(b);
        }
        out
    }
}

/// The number of four bytes `b` opens with, little-endian.
#[inline(always)]
fn le32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
}

/// The number of eight bytes `b` opens with, little-endian.
#[inline(always)]
fn le64(b: &[u8]) -> u64 {
    u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
}

fn sentence_code(s: Sentence) -> u32 {
    match s {
        Sentence::Any => 0,
        Sentence::Statement => 1,
        Sentence::Question => 2,
    }
}

#[inline]
fn sentence_of(code: u32) -> Sentence {
    match code {
        1 => Sentence::Statement,
        2 => Sentence::Question,
        _ => Sentence::Any,
    }
}

impl Matcher {
    /// The matcher as a blob (every field but its id; see the module's
    /// comment). Written by `build.rs`; in the crate, read by the tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) fn to_blob(&self) -> Vec<u8> {
        let Matcher {
            id: _,
            vocab,
            transitions,
            accepts,
            any_targets,
            ranges,
            start_accepts,
            move_bits,
        } = self;
        let mut o = Out(Vec::new());
        let Vocab {
            short,
            long,
            len,
            short_len,
            shift,
        } = vocab;
        o.len(*len);
        o.len(*short_len);
        o.u32(*shift);
        o.len(short.len());
        for &(key, w) in short {
            o.u64(key);
            o.word(w);
        }
        let mut long: Vec<_> = long.iter().collect();
        long.sort_unstable_by(|a, b| a.0.cmp(b.0));
        o.len(long.len());
        for (text, &w) in long {
            o.len(text.len());
            o.0.extend_from_slice(text.as_bytes());
            o.word(w);
        }
        let Transitions {
            slots,
            targets,
            filter,
            words,
            wide,
            pending,
        } = transitions;
        o.len(slots.len());
        for &(k, v) in slots {
            o.u32(k);
            o.u32(v);
        }
        o.len(targets.len());
        targets.iter().for_each(|&t| o.u32(t));
        filter.iter().for_each(|&f| o.u64(f));
        o.u64(*words);
        let mut wide: Vec<_> = wide.iter().collect();
        wide.sort_unstable();
        o.len(wide.len());
        for (&k, &v) in wide {
            o.u64(k);
            o.u32(v);
        }
        o.len(pending.len());
        for &(k, v) in pending {
            o.u64(k);
            o.u32(v);
        }
        o.len(accepts.len());
        for a in accepts {
            o.u32(u32::from(a.lexicon));
            o.u32(u32::from(a.exception) | u32::from(a.unless_help) << 1);
            o.u32(sentence_code(a.sentence));
        }
        o.len(any_targets.len());
        any_targets.iter().for_each(|&t| o.u32(t));
        // (most states are passed through only inside a closure, and have
        // no ranges and no move bits: only the others are written, each
        // with its index)
        o.len(ranges.len());
        let set: Vec<_> = (0u32..)
            .zip(ranges)
            .filter(|(_, r)| r.live || r.accepts != (0, 0) || r.any != (0, 0))
            .collect();
        o.len(set.len());
        for (at, r) in set {
            o.u32(at);
            o.u32(r.accepts.0);
            o.u32(r.accepts.1);
            o.u32(r.any.0);
            o.u32(r.any.1);
            o.u32(u32::from(r.live));
        }
        o.len(start_accepts.len());
        for &(a, b) in start_accepts {
            o.u32(a);
            o.u32(b);
        }
        o.len(move_bits.len());
        let set: Vec<_> = (0u32..)
            .zip(move_bits)
            .filter(|(_, m)| **m != [0, 0])
            .collect();
        o.len(set.len());
        for (at, m) in set {
            o.u32(at);
            o.u64(m[0]);
            o.u64(m[1]);
        }
        o.0
    }

    /// The matcher a blob of [`Matcher::to_blob`] holds, with an id of its
    /// own (the blob is one `build.rs` wrote: a fault in it panics). Plain
    /// loops, no closures, and inlined into its caller: the start-up's code
    /// stays out of the matcher's codegen unit, which the worker's scans
    /// are in.
    #[inline]
    pub(crate) fn from_blob(blob: &[u8]) -> Matcher {
        let mut i = In(blob);
        let len = i.len();
        let short_len = i.len();
        let shift = i.u32();
        let n = i.len();
        // (each table made of its size, then filled in place: one plain
        // loop)
        let mut short = vec![(0, Word::default()); n];
        for (s, b) in short.iter_mut().zip(i.bytes(16 * n).chunks_exact(16)) {
            let word = Word {
                id: le32(&b[8..12]),
                flags: le32(&b[12..]),
            };
            *s = (le64(b), word);
        }
        let n = i.len();
        let mut long = LongVocab::default();
        for _ in 0..n {
            let k = i.len();
            let text = String::from_utf8_lossy(i.bytes(k)).into_owned();
            long.insert(text, i.word());
        }
        let vocab = Vocab {
            short,
            long,
            len,
            short_len,
            shift,
        };
        let n = i.len();
        let mut slots = vec![(0, 0); n];
        for (s, b) in slots.iter_mut().zip(i.bytes(8 * n).chunks_exact(8)) {
            *s = (le32(b), le32(&b[4..]));
        }
        let n = i.len();
        let targets = i.u32s(n);
        let mut transitions = Transitions {
            slots,
            targets,
            ..Transitions::default()
        };
        let filter = i.bytes(8 * transitions.filter.len());
        for (f, b) in transitions.filter.iter_mut().zip(filter.chunks_exact(8)) {
            *f = le64(b);
        }
        transitions.words = i.u64();
        let n = i.len();
        for _ in 0..n {
            let key = i.u64();
            transitions.wide.insert(key, i.u32());
        }
        let n = i.len();
        for _ in 0..n {
            let key = i.u64();
            transitions.pending.push((key, i.u32()));
        }
        let n = i.len();
        let mut accepts = Vec::with_capacity(n);
        for _ in 0..n {
            let lexicon = i.u32() as LexiconId;
            let bits = i.u32();
            accepts.push(AcceptOf {
                lexicon,
                exception: bits & 1 != 0,
                unless_help: bits & 2 != 0,
                sentence: sentence_of(i.u32()),
            });
        }
        let n = i.len();
        let any_targets = i.u32s(n);
        let n = i.len();
        let unreached = Ranges {
            accepts: (0, 0),
            any: (0, 0),
            live: false,
        };
        let mut ranges = vec![unreached; n];
        let set = i.len();
        for b in i.bytes(24 * set).chunks_exact(24) {
            if let Some(r) = ranges.get_mut(le32(b) as usize) {
                *r = Ranges {
                    accepts: (le32(&b[4..8]), le32(&b[8..12])),
                    any: (le32(&b[12..16]), le32(&b[16..20])),
                    live: le32(&b[20..]) != 0,
                };
            }
        }
        let n = i.len();
        let mut start_accepts = vec![(0, 0); n];
        for (s, b) in start_accepts.iter_mut().zip(i.bytes(8 * n).chunks_exact(8)) {
            *s = (le32(b), le32(&b[4..]));
        }
        let n = i.len();
        let mut move_bits = vec![[0; 2]; n];
        let set = i.len();
        for b in i.bytes(20 * set).chunks_exact(20) {
            if let Some(m) = move_bits.get_mut(le32(b) as usize) {
                *m = [le64(&b[4..12]), le64(&b[12..])];
            }
        }
        Matcher {
            id: super::build::next_id(),
            vocab,
            transitions,
            accepts,
            any_targets,
            ranges,
            start_accepts,
            move_bits,
        }
    }
}
