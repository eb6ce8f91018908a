//! What every reader shares: the [`Unit`]s they emit and where each came
//! from ([`Origin`]), line-limited reading, and the wording of errors.

use serde_json::value::RawValue;
use std::io::{self, BufRead};
use std::sync::Arc;
use tactful::Transcript;

/// A transcript with the fields passed through to the output.
#[derive(Debug)]
pub struct Item<'a> {
    /// The transcript (borrowing from a JSONL line, or owning its text).
    pub transcript: Transcript<'a>,
    /// The `metadata` field, passed through as given.
    pub metadata: Option<Box<RawValue>>,
}

impl Item<'_> {
    /// The same item owning all its text.
    pub fn into_owned(self) -> Item<'static> {
        Item {
            transcript: self.transcript.into_owned(),
            metadata: self.metadata,
        }
    }
}

/// Where a record came from.
#[derive(Debug, Clone)]
pub struct Origin {
    /// File name as given (`-` for standard input).
    pub file: Arc<str>,
    /// 1-based line where the record starts (0 for a whole file).
    pub line: usize,
}

/// Where a turn's text starts in a line-based input: its 1-based line, and
/// the characters before it on that line (a speaker prefix such as
/// `Agent: `), so that a phrase's column is counted as an editor counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TurnAt {
    /// 1-based line where the turn's text starts.
    pub line: usize,
    /// Characters on that line before the turn's text.
    pub column: usize,
}

/// One unit of work, in input order.
#[derive(Debug)]
pub enum Unit {
    /// A raw JSONL line, parsed by a worker.
    JsonLine { origin: Origin, bytes: Vec<u8> },
    /// Whole JSONL lines, the first at `origin.line`, split and parsed by a
    /// worker with [`super::jsonl_lines`] (read with
    /// [`super::JsonlUnits::Blocks`]: the reader neither splits nor copies
    /// lines). `max` is the longest line.
    JsonLines {
        origin: Origin,
        bytes: Vec<u8>,
        max: usize,
    },
    /// A transcript already read. `turns_at` says where each turn's text
    /// starts in a line-based input (CSV, plain text); it is empty for
    /// JSON, whose records are not lines.
    Item {
        origin: Origin,
        item: Box<Item<'static>>,
        turns_at: Vec<TurnAt>,
    },
    /// A record or file that could not be read.
    Error {
        origin: Origin,
        id: Option<String>,
        message: String,
    },
}

impl Unit {
    /// Where the unit came from.
    pub fn origin(&self) -> &Origin {
        match self {
            Unit::JsonLine { origin, .. }
            | Unit::JsonLines { origin, .. }
            | Unit::Item { origin, .. }
            | Unit::Error { origin, .. } => origin,
        }
    }

    /// The record's id when already known.
    pub fn id(&self) -> Option<String> {
        match self {
            Unit::JsonLine { .. } | Unit::JsonLines { .. } => None,
            Unit::Item { item, .. } => Some(item.transcript.id.to_string()),
            Unit::Error { id, .. } => id.clone(),
        }
    }

    /// Input bytes the unit came from (exact for JSONL, close for the other
    /// formats), for progress.
    pub fn input_bytes(&self) -> usize {
        match self {
            Unit::JsonLine { bytes, .. } => bytes.len() + 1,
            Unit::JsonLines { bytes, .. } => bytes.len(),
            Unit::Item { item, .. } => item
                .transcript
                .turns
                .iter()
                .map(|t| t.text.len() + 12)
                .sum(),
            Unit::Error { .. } => 0,
        }
    }

    /// Rough size in bytes, for chunking.
    pub fn weight(&self) -> usize {
        match self {
            Unit::JsonLine { bytes, .. } => bytes.len() + 64,
            Unit::JsonLines { bytes, .. } => bytes.len() + 64,
            Unit::Item { item, .. } => {
                item.transcript
                    .turns
                    .iter()
                    .map(|t| t.text.len() + 32)
                    .sum::<usize>()
                    + 64
            }
            Unit::Error { message, .. } => message.len() + 64,
        }
    }
}

pub(super) fn error(
    origin: &Origin,
    line: usize,
    id: Option<String>,
    message: impl Into<String>,
) -> Unit {
    Unit::Error {
        origin: Origin {
            file: origin.file.clone(),
            line,
        },
        id,
        message: message.into(),
    }
}

/// A short, lowercase description of an I/O error.
pub fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Outcome of reading one line.
pub(super) enum Line {
    Eof,
    Read,
    TooLong(usize),
}

/// Reads up to and including the next line end into `buf` (cleared first):
/// `\n`, `\r\n`, or a lone `\r` (old Mac exports). A line longer than `max`
/// is skipped to its end and reported as `TooLong`, unless it is blank (ASCII
/// white space only): a blank line is read as an empty one, however long.
pub(super) fn read_line_limited(
    r: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Line> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    // while too long: whether the line so far is blank
    let mut blank = true;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if total == 0 {
                Line::Eof
            } else if too_long && !blank {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
        let (take, done, cr_at_end) = match memchr::memchr2(b'\n', b'\r', chunk) {
            Some(i) if chunk[i] == b'\r' => match chunk.get(i + 1) {
                Some(b'\n') => (i + 2, true, false),
                Some(_) => (i + 1, true, false),
                // the next block may start with the `\n` of a `\r\n`
                None => (i + 1, true, true),
            },
            Some(i) => (i + 1, true, false),
            None => (chunk.len(), false, false),
        };
        total += take;
        if !too_long {
            if total > max {
                too_long = true;
                blank = buf.iter().all(u8::is_ascii_whitespace);
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        if too_long {
            blank = blank && chunk[..take].iter().all(u8::is_ascii_whitespace);
        }
        r.consume(take);
        if cr_at_end && next_is_lf(r) {
            total += 1;
            if !too_long {
                if total > max {
                    too_long = true;
                    buf.clear();
                } else {
                    buf.push(b'\n');
                }
            }
            r.consume(1);
        }
        if done {
            return Ok(if too_long && !blank {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
    }
}

/// Whether the next byte is `\n` (a read error is left for the next read).
fn next_is_lf(r: &mut impl BufRead) -> bool {
    loop {
        match r.fill_buf() {
            Ok(c) => return c.first() == Some(&b'\n'),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        }
    }
}

pub(super) fn trim_line(bytes: &[u8]) -> &[u8] {
    let mut b = bytes;
    while let Some((&last, rest)) = b.split_last() {
        if last == b'\n' || last == b'\r' {
            b = rest;
        } else {
            break;
        }
    }
    b
}

pub(super) fn strip_bom(bytes: &mut Vec<u8>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
}

/// 1-based line number of byte `offset`.
pub(super) fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lines `read_line_limited` reads, trimmed, or `!N` for too long.
    fn lines(data: &[u8], capacity: usize, max: usize) -> Vec<String> {
        let mut r = io::BufReader::with_capacity(capacity, data);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        loop {
            match read_line_limited(&mut r, &mut buf, max).unwrap() {
                Line::Eof => return out,
                Line::Read => out.push(String::from_utf8_lossy(trim_line(&buf)).into_owned()),
                Line::TooLong(n) => out.push(format!("!{n}")),
            }
        }
    }

    #[test]
    fn lf_crlf_and_lone_cr_end_lines_across_block_boundaries() {
        let data = b"ab\r\ncd\ref\n\rgh\r\r\nij";
        for capacity in 1..=data.len() + 1 {
            assert_eq!(
                lines(data, capacity, 100),
                ["ab", "cd", "ef", "", "gh", "", "ij"],
                "capacity {capacity}"
            );
            assert_eq!(
                lines(b"abc\r\nd\r", capacity, 3),
                ["!5", "d"],
                "capacity {capacity}"
            );
            // a blank line is blank however long
            assert_eq!(
                lines(b" \t  \r\n  \n  x \n", capacity, 3),
                ["", "  ", "!5"],
                "capacity {capacity}"
            );
        }
    }
}
