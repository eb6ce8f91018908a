//! Byte searches for the short texts most turns are: the `memchr` crate's
//! searches, with a text shorter than [`SHORT`] read a byte at a time here.
//!
//! `memchr` reads such a text a byte at a time too, but only after its
//! dispatch (a call through a function pointer picked at run time, then the
//! vector routine's own length tests): some 20 to 50 instructions a call,
//! which on a two-word turn was more than the search (callgrind: on a corpus
//! of two short turns a transcript, memchr's calls were 8.1% of the worker,
//! about 1,200 instructions a transcript). Each function returns what the
//! `memchr` function it is named after returns.

/// Texts shorter than this are searched here, a byte at a time: below
/// sixteen bytes `memchr` itself searches a byte at a time (its vector
/// routines need a whole vector), so this loop is never the slower one.
/// (Eight bytes at a time up to 32, `memchr`'s one-SSE2-vector range, took
/// fewer instructions on the short corpus but 2.5 M more on c3: the
/// iterator's loop was no longer inlined, and the turn loop's code grew.)
const SHORT: usize = 16;

/// The first position of `n` in `hay` (as [`memchr::memchr`]).
#[inline(always)]
pub(crate) fn find(n: u8, hay: &[u8]) -> Option<usize> {
    if hay.len() < SHORT {
        hay.iter().position(|&c| c == n)
    } else {
        memchr::memchr(n, hay)
    }
}

/// The first position of `n1` or `n2` in `hay` (as [`memchr::memchr2`]).
#[inline(always)]
pub(crate) fn find2(n1: u8, n2: u8, hay: &[u8]) -> Option<usize> {
    if hay.len() < SHORT {
        hay.iter().position(|&c| c == n1 || c == n2)
    } else {
        memchr::memchr2(n1, n2, hay)
    }
}

/// How many times `n` is in `hay` (as [`memchr::memchr_iter`]'s count).
#[inline(always)]
pub(crate) fn count(n: u8, hay: &[u8]) -> usize {
    if hay.len() < SHORT {
        hay.iter().filter(|&&c| c == n).count()
    } else {
        memchr::memchr_iter(n, hay).count()
    }
}

/// Every position of `n` in `hay`, in order (as [`memchr::memchr_iter`]).
#[inline]
pub(crate) fn find_iter(n: u8, hay: &[u8]) -> FindIter<'_> {
    FindIter {
        hay,
        at: 0,
        n1: n,
        n2: n,
    }
}

/// Every position of `n1` or `n2` in `hay`, in order (as
/// [`memchr::memchr2_iter`]).
#[inline]
pub(crate) fn find2_iter(n1: u8, n2: u8, hay: &[u8]) -> FindIter<'_> {
    FindIter { hay, at: 0, n1, n2 }
}

/// The positions of one or two bytes in a text (one: given twice), found
/// by [`find`] (one byte: over 16 bytes `memchr`, which takes fewer
/// instructions than `memchr2` with the byte twice) or [`find2`] on what is
/// left after the last one ([`find_iter`], [`find2_iter`]).
#[derive(Debug, Clone)]
pub(crate) struct FindIter<'h> {
    hay: &'h [u8],
    /// Where the search goes on (past the last position found).
    at: usize,
    n1: u8,
    n2: u8,
}

impl Iterator for FindIter<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        let rest = self.hay.get(self.at..)?;
        let found = if self.n1 == self.n2 {
            find(self.n1, rest)
        } else {
            find2(self.n1, self.n2, rest)
        };
        match found {
            Some(k) => {
                let at = self.at + k;
                self.at = at + 1;
                Some(at)
            }
            None => {
                self.at = self.hay.len() + 1;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts of 0 to 70 bytes over a small alphabet, forty of each length,
    /// with the needles at every position, short and long.
    fn texts() -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for len in 0..=70usize {
            for seed in 0..40u32 {
                let text = (0..len)
                    .map(|i| {
                        let x =
                            (i as u32 + 1).wrapping_mul(2_654_435_761) ^ seed.wrapping_mul(40_503);
                        b"ab,-\xe2 sS"[(x >> 7) as usize % 8]
                    })
                    .collect();
                out.push(text);
            }
            // one needle byte (or none) in a text of 'x': at every position
            for at in 0..=len {
                let mut text = vec![b'x'; len];
                if let Some(c) = text.get_mut(at) {
                    *c = b'a';
                }
                out.push(text);
            }
        }
        out
    }

    #[test]
    fn the_short_searches_find_what_memchr_finds() {
        for text in texts() {
            for n in [b'a', b',', b'-', 0xE2, b's', b'z', b'x'] {
                assert_eq!(find(n, &text), memchr::memchr(n, &text), "{text:?} {n}");
                assert_eq!(count(n, &text), memchr::memchr_iter(n, &text).count());
                assert_eq!(
                    find_iter(n, &text).collect::<Vec<_>>(),
                    memchr::memchr_iter(n, &text).collect::<Vec<_>>(),
                    "{text:?} {n}"
                );
                for m in [b'S', b'-', b'z', n] {
                    assert_eq!(find2(n, m, &text), memchr::memchr2(n, m, &text));
                    assert_eq!(
                        find2_iter(n, m, &text).collect::<Vec<_>>(),
                        memchr::memchr2_iter(n, m, &text).collect::<Vec<_>>(),
                        "{text:?} {n} {m}"
                    );
                }
            }
        }
    }
}
