//! One automaton over every lexicon: a single pass per turn finds every phrase.

use crate::lexicon::{self, PatternError};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// Index of a lexicon inside a [`Matcher`].
pub(crate) type LexiconId = u16;

/// A phrase found in the normalized text (normalized byte offsets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit {
    pub lexicon: LexiconId,
    pub start: u32,
    pub end: u32,
}

#[derive(Debug, Clone, Copy)]
struct Owner {
    lexicon: LexiconId,
    exception: bool,
}

/// Builds a [`Matcher`] from named lexicon sources.
#[derive(Debug, Default)]
pub(crate) struct MatcherBuilder {
    names: Vec<String>,
    phrases: HashMap<String, Vec<Owner>>,
}

/// An error in a lexicon, naming it.
#[derive(Debug, Clone)]
pub(crate) struct LexiconError {
    pub lexicon: String,
    pub error: PatternError,
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

    /// Adds every pattern of `source` to lexicon `name`.
    pub fn add_source(&mut self, name: &str, source: &str) -> Result<LexiconId, LexiconError> {
        let id = self.lexicon(name);
        let phrases = lexicon::parse(source).map_err(|error| LexiconError {
            lexicon: name.to_string(),
            error,
        })?;
        for p in phrases {
            self.add_phrase(id, p.text, p.exception);
        }
        Ok(id)
    }

    /// Adds one literal (already normalized) phrase.
    pub fn add_phrase(&mut self, lexicon: LexiconId, text: String, exception: bool) {
        let owners = self.phrases.entry(text).or_default();
        if !owners
            .iter()
            .any(|o| o.lexicon == lexicon && o.exception == exception)
        {
            owners.push(Owner { lexicon, exception });
        }
    }

    pub fn build(self) -> Matcher {
        let mut phrases: Vec<(String, Vec<Owner>)> = self.phrases.into_iter().collect();
        phrases.sort_by(|a, b| a.0.cmp(&b.0));
        let mut owners = Vec::new();
        let mut ranges = Vec::with_capacity(phrases.len());
        let mut bounds = Vec::with_capacity(phrases.len());
        for (text, o) in &phrases {
            ranges.push((owners.len() as u32, (owners.len() + o.len()) as u32));
            owners.extend_from_slice(o);
            let first = text.chars().next().is_some_and(crate::text::is_word_char);
            let last = text.chars().last().is_some_and(crate::text::is_word_char);
            bounds.push((first, last));
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(phrases.iter().map(|(t, _)| t.as_str()))
            .or_else(|_| {
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(phrases.iter().map(|(t, _)| t.as_str()))
            })
            .ok();
        Matcher {
            ac,
            owners,
            ranges,
            bounds,
            lexicon_count: self.names.len(),
        }
    }
}

/// Every lexicon compiled into one automaton.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    ac: Option<AhoCorasick>,
    owners: Vec<Owner>,
    ranges: Vec<(u32, u32)>,
    bounds: Vec<(bool, bool)>,
    lexicon_count: usize,
}

/// Reusable buffers for [`Matcher::scan`].
#[derive(Debug, Default, Clone)]
pub(crate) struct ScanBuffers {
    exceptions: Vec<Hit>,
}

impl Matcher {
    /// Number of lexicons.
    #[allow(dead_code)]
    pub fn lexicon_count(&self) -> usize {
        self.lexicon_count
    }

    /// Finds every phrase of every lexicon in `norm` on word boundaries.
    ///
    /// Matches inside an exception of their lexicon are dropped; within one
    /// lexicon overlapping matches are resolved leftmost-longest. `out` is
    /// cleared first and comes back sorted by (lexicon, start).
    pub fn scan(&self, norm: &str, out: &mut Vec<Hit>, buf: &mut ScanBuffers) {
        out.clear();
        buf.exceptions.clear();
        let Some(ac) = &self.ac else { return };
        let bytes = norm.as_bytes();
        for m in ac.find_overlapping_iter(norm) {
            let pid = m.pattern().as_usize();
            let (first, last) = self.bounds[pid];
            if first && !boundary_before(norm, m.start()) {
                continue;
            }
            if last && !boundary_after(norm, bytes, m.end()) {
                continue;
            }
            let (a, b) = self.ranges[pid];
            for o in &self.owners[a as usize..b as usize] {
                let hit = Hit {
                    lexicon: o.lexicon,
                    start: m.start() as u32,
                    end: m.end() as u32,
                };
                if o.exception {
                    buf.exceptions.push(hit);
                } else {
                    out.push(hit);
                }
            }
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

fn boundary_before(norm: &str, at: usize) -> bool {
    match norm[..at].chars().next_back() {
        None => true,
        Some(c) => !crate::text::is_word_char(c),
    }
}

fn boundary_after(norm: &str, bytes: &[u8], at: usize) -> bool {
    match bytes.get(at) {
        None => true,
        Some(b) if b.is_ascii() => !(b.is_ascii_alphanumeric() || *b == b'_'),
        Some(_) => !norm[at..]
            .chars()
            .next()
            .is_some_and(crate::text::is_word_char),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
