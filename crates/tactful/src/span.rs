//! Byte spans into a turn's text.

use serde::{Deserialize, Serialize};
use std::ops::Range;

/// A half-open byte range `start..end` into a turn's text.
///
/// Offsets are `u32` bytes (a turn is at most 4 GiB). Spans in findings
/// always lie on UTF-8 character boundaries of the text they were made from,
/// so they index that `str` directly: `&text[span.range()]`. Use
/// [`Span::slice`] when the span may not belong to the text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
pub struct Span {
    /// First byte of the span.
    pub start: u32,
    /// One past the last byte of the span.
    pub end: u32,
}

impl Span {
    /// Makes a span; `end` is clamped so that `start <= end` always holds.
    pub fn new(start: usize, end: usize) -> Span {
        let start = u32::try_from(start).unwrap_or(u32::MAX);
        let end = u32::try_from(end).unwrap_or(u32::MAX).max(start);
        Span { start, end }
    }

    /// The span as a `Range<usize>` for slicing.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// Whether `other` lies entirely inside `self`.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The slice of `text` this span covers, or `None` if it does not fit.
    pub fn slice(self, text: &str) -> Option<&str> {
        text.get(self.range())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_keeps_start_before_end() {
        let s = Span::new(5, 2);
        assert_eq!((s.start, s.end), (5, 5));
        assert!(s.is_empty());
    }

    #[test]
    fn contains_and_overlaps() {
        let a = Span::new(2, 10);
        assert!(a.contains(Span::new(2, 10)));
        assert!(a.contains(Span::new(3, 4)));
        assert!(!a.contains(Span::new(1, 4)));
        assert!(a.overlaps(Span::new(9, 12)));
        assert!(!a.overlaps(Span::new(10, 12)));
    }

    #[test]
    fn slice_rejects_out_of_range_and_non_boundary() {
        let text = "héllo";
        assert_eq!(Span::new(0, 1).slice(text), Some("h"));
        assert_eq!(Span::new(1, 2).slice(text), None);
        assert_eq!(Span::new(0, 99).slice(text), None);
    }
}
