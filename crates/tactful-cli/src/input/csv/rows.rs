//! CSV rows read in bounded memory: the csv-core parser, fed from a
//! `BufRead`, keeps at most `max` bytes of a row; a longer row is parsed to
//! its end without keeping the rest (its first fields, those that ended
//! within the limit, stay readable: the id column is usually one of them).
//! A [`QuoteTracker`] follows the bytes the parser consumes, for the line
//! where each row starts and for a quote that is never closed.

use std::collections::VecDeque;
use std::io::{self, BufRead};

/// Bytes of output taken at a time while a row is over the limit (thrown away).
const DISCARD_BYTES: usize = 64 * 1024;

/// A reader of CSV rows that never holds more than about `max` bytes of one.
pub(super) struct Rows<R> {
    inner: R,
    core: csv_core::Reader,
    tracker: QuoteTracker,
    max: usize,
    /// The kept field bytes of the current row, back to back.
    fields: Vec<u8>,
    /// The end of each field in `fields` (csv-core writes them as if the
    /// row were in one buffer).
    ends: Vec<usize>,
    /// Fields of the current row that are complete and kept.
    kept: usize,
    /// 1-based line where the current row starts.
    line: usize,
    /// The current row's bytes in the file (from its first byte to its line
    /// end, blank lines before it not counted).
    bytes: u64,
    /// Whether the current row is longer than `max`.
    too_long: bool,
    /// Whether every byte of the current row's fields is ASCII white space.
    blank: bool,
    /// Where the output of a row over the limit goes.
    discard: Vec<u8>,
    discard_ends: Vec<usize>,
}

impl<R: BufRead> Rows<R> {
    /// Rows of `inner`, each kept up to `max` bytes.
    pub(super) fn new(inner: R, max: usize) -> Rows<R> {
        Rows {
            inner,
            core: csv_core::Reader::new(),
            tracker: QuoteTracker::new(),
            max,
            fields: Vec::new(),
            ends: Vec::new(),
            kept: 0,
            line: 0,
            bytes: 0,
            too_long: false,
            blank: true,
            discard: Vec::new(),
            discard_ends: Vec::new(),
        }
    }

    /// Reads the next row; `false` at the end of the input. Blank lines
    /// between rows are skipped (a line of spaces is a row, of one field).
    pub(super) fn next_row(&mut self) -> io::Result<bool> {
        use csv_core::ReadRecordResult::*;
        self.fields.clear();
        self.ends.clear();
        self.kept = 0;
        self.too_long = false;
        self.blank = true;
        self.tracker.row_bytes = 0;
        let (mut outlen, mut endlen) = (0usize, 0usize);
        loop {
            let input = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            let (res, nin, nout, nend) = if self.too_long {
                let (res, nin, nout, nend) =
                    self.core
                        .read_record(input, &mut self.discard, &mut self.discard_ends);
                self.blank = self.blank && self.discard[..nout].iter().all(u8::is_ascii_whitespace);
                (res, nin, nout, nend)
            } else {
                // (the row is at most `max` bytes here, so this stays
                // within twice that)
                if outlen == self.fields.len() {
                    self.fields.resize((outlen * 2).max(1024), 0);
                }
                if endlen == self.ends.len() {
                    self.ends.resize((endlen * 2).max(16), 0);
                }
                self.core
                    .read_record(input, &mut self.fields[outlen..], &mut self.ends[endlen..])
            };
            self.tracker.track(&input[..nin]);
            self.inner.consume(nin);
            self.bytes = self.tracker.row_bytes;
            if !self.too_long {
                outlen += nout;
                endlen += nend;
                if self.bytes > self.max as u64 {
                    // keep the fields complete so far; throw the rest away
                    self.too_long = true;
                    self.kept = endlen;
                    self.blank = self.fields[..outlen].iter().all(u8::is_ascii_whitespace);
                    self.fields.truncate(outlen);
                    self.discard.resize(DISCARD_BYTES, 0);
                    self.discard_ends.resize(64, 0);
                }
            }
            match res {
                InputEmpty | OutputFull | OutputEndsFull => continue,
                Record => {
                    if !self.too_long {
                        self.kept = endlen;
                        self.fields.truncate(outlen);
                        self.blank = self.fields.iter().all(u8::is_ascii_whitespace);
                    }
                    self.line = self.tracker.next_start().unwrap_or(self.tracker.line);
                    return Ok(true);
                }
                End => return Ok(false),
            }
        }
    }

    /// Field `i` of the current row, if it ended within the limit.
    pub(super) fn field(&self, i: usize) -> Option<&[u8]> {
        if i >= self.kept {
            return None;
        }
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.fields.get(start..self.ends[i])
    }

    /// The number of fields of the current row that can be read.
    pub(super) fn len(&self) -> usize {
        self.kept
    }

    /// The fields that can be read.
    pub(super) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.kept).filter_map(|i| self.field(i))
    }

    /// 1-based line where the current row starts.
    pub(super) fn line(&self) -> usize {
        self.line
    }

    /// The current row's size in the file, when it is longer than the limit.
    pub(super) fn too_long(&self) -> Option<u64> {
        self.too_long.then_some(self.bytes)
    }

    /// The current row's size in the file (up to its line end).
    pub(super) fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Whether the current row's fields are all empty or white space (also
    /// when it is longer than the limit: a blank row is blank however long).
    pub(super) fn is_blank(&self) -> bool {
        self.blank
    }

    /// At the end of the input: the line where a never-closed quote opened.
    pub(super) fn unterminated(&self) -> Option<usize> {
        self.tracker.unterminated()
    }
}

/// Follows the CSV quoting state of the bytes the parser consumes (a quote
/// opens a quoted field only at the start of a field; `""` inside is an
/// escaped quote; blank lines are skipped), for what csv-core does not tell:
/// - a quoted field left open at the end of the file: the parser accepts it
///   silently, and every row after the stray quote would vanish into one
///   field;
/// - the line where each row starts, and its size (blank lines before it
///   are no part of it).
struct QuoteTracker {
    state: QuoteState,
    /// 1-based line of the next byte.
    line: usize,
    /// Line where the quoted field being read opened.
    opened: usize,
    /// Start lines of the rows begun and not yet returned.
    starts: VecDeque<usize>,
    /// Whether the last byte read was `\r` (a lone `\r` ends a line, as
    /// the parser reads it; `\r\n` is one line end).
    after_cr: bool,
    /// Bytes of the current row so far.
    row_bytes: u64,
}

#[derive(Clone, Copy, PartialEq)]
enum QuoteState {
    RecordStart,
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: closing, or the first of `""`.
    QuoteInQuoted,
}

impl QuoteTracker {
    fn new() -> QuoteTracker {
        QuoteTracker {
            state: QuoteState::RecordStart,
            line: 1,
            opened: 0,
            starts: VecDeque::new(),
            after_cr: false,
            row_bytes: 0,
        }
    }

    /// At the end of the input: the line where a never-closed quote opened.
    fn unterminated(&self) -> Option<usize> {
        (self.state == QuoteState::Quoted).then_some(self.opened)
    }

    /// The start line of the next row, in parse order.
    fn next_start(&mut self) -> Option<usize> {
        self.starts.pop_front()
    }

    fn track(&mut self, bytes: &[u8]) {
        use QuoteState::*;
        for &b in bytes {
            let between_rows = self.state == RecordStart && (b == b'\n' || b == b'\r');
            if self.state == RecordStart && !between_rows {
                self.starts.push_back(self.line);
                self.state = FieldStart;
            }
            if !between_rows {
                self.row_bytes += 1;
            }
            self.state = match (self.state, b) {
                (Quoted, b'"') => QuoteInQuoted,
                (Quoted, _) => Quoted,
                (FieldStart, b'"') => {
                    self.opened = self.line;
                    Quoted
                }
                (QuoteInQuoted, b'"') => Quoted,
                (_, b'\n' | b'\r') => RecordStart,
                (_, b',') => FieldStart,
                _ => Unquoted,
            };
            if b == b'\r' || (b == b'\n' && !self.after_cr) {
                self.line += 1;
            }
            self.after_cr = b == b'\r';
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each row as `line:fields` (`!N` for a row of N bytes over the limit,
    /// then its readable fields), read through a buffer of `capacity` bytes.
    fn rows(data: &[u8], capacity: usize, max: usize) -> Vec<String> {
        let mut rows = Rows::new(io::BufReader::with_capacity(capacity, data), max);
        let mut out = Vec::new();
        while rows.next_row().unwrap() {
            let fields: Vec<String> = rows
                .iter()
                .map(|f| String::from_utf8_lossy(f).into_owned())
                .collect();
            let long = rows.too_long().map(|n| format!("!{n}")).unwrap_or_default();
            out.push(format!("{}:{long}{}", rows.line(), fields.join("|")));
        }
        out
    }

    #[test]
    fn rows_keep_their_fields_and_lines_across_buffer_boundaries() {
        let data = b"a,b\r\n\n\"x\ny\",2\rz,\"q\"\"\"\n";
        for capacity in 1..=data.len() + 1 {
            assert_eq!(
                rows(data, capacity, 100),
                ["1:a|b", "3:x\ny|2", "5:z|q\""],
                "capacity {capacity}"
            );
        }
    }

    #[test]
    fn a_row_over_the_limit_keeps_only_its_first_fields() {
        let data = b"id,role,text\nA,agent,\"0123456789\n0123456789\"\nB,agent,ok\n";
        for capacity in 1..=data.len() + 1 {
            let got = rows(data, capacity, 16);
            // (the text may be kept too when the row ends in the read that
            // goes over the limit)
            assert!(
                got.len() == 3
                    && got[0] == "1:id|role|text"
                    && got[1].starts_with("2:!32A|agent")
                    && got[2] == "4:B|agent|ok",
                "capacity {capacity}: {got:?}"
            );
        }
        // blank rows are blank however long
        let mut r = Rows::new(&b"   ,  ,    \nx\n"[..], 4);
        assert!(r.next_row().unwrap());
        assert!(r.is_blank() && r.too_long().is_some());
        assert!(r.next_row().unwrap());
        assert!(!r.is_blank());
        assert!(!r.next_row().unwrap());
    }

    #[test]
    fn a_quote_left_open_is_reported_with_its_line() {
        let mut r = Rows::new(&b"a,b\nc,\"d\ne,f\n"[..], 1000);
        while r.next_row().unwrap() {}
        assert_eq!(r.unterminated(), Some(2));
    }
}
