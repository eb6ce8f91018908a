//! JSONL: one transcript per line, read in blocks of whole lines that the
//! workers split ([`jsonl_lines`]) and parse ([`super::parse_record`]).

use super::common::{error, trim_line, Origin, Unit};
use super::pump::Idle;
use std::io::{self, BufRead};

/// What units JSONL input comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonlUnits {
    /// One [`Unit::JsonLine`] per non-blank line (and an error unit per line
    /// over the limit).
    Lines,
    /// [`Unit::JsonLines`] blocks of whole lines, about [`JSONL_BLOCK`] bytes
    /// each, for a worker to split: the reader does no work per line.
    Blocks,
}

/// Bytes a JSONL block is read up to before it is cut after its last line.
pub const JSONL_BLOCK: usize = 256 * 1024;

/// The error of a line longer than `--max-record-bytes`.
pub fn too_long(len: usize, max: usize) -> String {
    format!("line is {len} bytes, longer than the limit of {max} bytes (--max-record-bytes)")
}

/// A line of a JSONL block, as [`jsonl_lines`] gives it.
#[derive(Debug, PartialEq, Eq)]
pub enum JsonlLine<'a> {
    /// A record: its 1-based line number and bytes, without the line ending
    /// (and without a byte-order mark on line 1).
    Record { line: usize, bytes: &'a [u8] },
    /// A line over the limit: its number and length in bytes, line ending
    /// included.
    TooLong { line: usize, len: usize },
}

/// The lines of a block of whole JSONL lines whose first line is
/// `first_line`, in order: records, and lines over `max` bytes; blank lines
/// are skipped. Both JSONL readers (per line and per block) see lines
/// through this one function.
pub fn jsonl_lines(
    block: &[u8],
    first_line: usize,
    max: usize,
) -> impl Iterator<Item = JsonlLine<'_>> {
    let mut rest = block;
    let mut line = first_line;
    std::iter::from_fn(move || loop {
        if rest.is_empty() {
            return None;
        }
        let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |i| i + 1);
        let raw = &rest[..len];
        rest = &rest[len..];
        let number = line;
        line += 1;
        let mut bytes = trim_line(raw);
        if number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        // a blank line is blank however long
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if len > max {
            return Some(JsonlLine::TooLong { line: number, len });
        }
        return Some(JsonlLine::Record {
            line: number,
            bytes,
        });
    })
}

/// Newlines in `bytes`, counted in byte-wide lanes (255 bytes at most per
/// lane sum), which the compiler vectorizes well.
fn newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|c| usize::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum()
}

/// Sends the whole JSONL lines of `lines` (the first at `first_line`) as
/// `units`, noting in `any` whether there was a line to report; false when
/// `emit` asks to stop.
fn send_lines(
    lines: Vec<u8>,
    first_line: usize,
    any: &mut bool,
    origin: &Origin,
    max: usize,
    units: JsonlUnits,
    emit: &mut dyn FnMut(Unit) -> bool,
) -> bool {
    if !*any {
        *any = jsonl_lines(&lines, first_line, max).next().is_some();
    }
    match units {
        JsonlUnits::Blocks => emit(Unit::JsonLines {
            origin: Origin {
                file: origin.file.clone(),
                line: first_line,
            },
            bytes: lines,
            max,
        }),
        JsonlUnits::Lines => {
            for l in jsonl_lines(&lines, first_line, max) {
                let unit = match l {
                    JsonlLine::Record { line, bytes } => Unit::JsonLine {
                        origin: Origin {
                            file: origin.file.clone(),
                            line,
                        },
                        bytes: bytes.to_vec(),
                    },
                    JsonlLine::TooLong { line, len } => {
                        error(origin, line, None, too_long(len, max))
                    }
                };
                if !emit(unit) {
                    return false;
                }
            }
            true
        }
    }
}

/// Cuts `block` after its first `whole` bytes (whole lines): returns them
/// and their line count, and leaves the rest in `block` to start the next
/// one (`searched`: how much of it is known to hold no newline).
fn cut_block(block: &mut Vec<u8>, whole: usize, searched: &mut usize) -> (Vec<u8>, usize) {
    let mut rest = Vec::with_capacity(2 * JSONL_BLOCK);
    rest.extend_from_slice(&block[whole..]);
    block.truncate(whole);
    *searched = rest.len();
    let lines = newlines(block);
    (std::mem::replace(block, rest), lines)
}

pub(super) fn read_jsonl(
    r: &mut impl BufRead,
    origin: &Origin,
    max: usize,
    units: JsonlUnits,
    idle: &Idle,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    // Whole lines are read in blocks, straight from the reader (a
    // `BufReader` with an empty buffer passes a large read through); a block
    // is cut after its last line and the rest starts the next one. Only a
    // line longer than the block grows it, up to `max`.
    let mut any = false;
    let mut first_line = 1usize;
    let mut block: Vec<u8> = Vec::with_capacity(2 * JSONL_BLOCK);
    // bytes at the start of `block` known to hold no newline
    let mut searched = 0usize;
    // units emitted since the input was last idle
    let mut held = false;
    loop {
        if idle.now() {
            // the input has nothing more for now: the whole lines read so
            // far go on in a smaller block, and what was emitted before is
            // asked to go on too, rather than wait for more input
            let whole = memchr::memrchr(b'\n', &block[searched..]).map_or(0, |i| searched + i + 1);
            if whole > 0 || held {
                let (next, lines) = cut_block(&mut block, whole, &mut searched);
                idle.request_flush();
                if !send_lines(next, first_line, &mut any, origin, max, units, emit) {
                    return;
                }
                first_line += lines;
                held = false;
            }
        }
        // a read of at least the reader's buffer size skips its buffer
        let filled = block.len();
        block.resize(filled + JSONL_BLOCK, 0);
        let read = loop {
            match r.read(&mut block[filled..]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        block.truncate(filled + *read.as_ref().unwrap_or(&0));
        let eof = matches!(read, Ok(0));
        if let Err(e) = read {
            // the whole lines read so far, then the error on the line after
            let whole = memchr::memrchr(b'\n', &block).map_or(0, |i| i + 1);
            block.truncate(whole);
            let line = first_line + newlines(&block);
            if !block.is_empty()
                && !send_lines(block, first_line, &mut any, origin, max, units, emit)
            {
                return;
            }
            emit(error(origin, line, None, format!("read error: {e}")));
            return;
        }
        if eof || block.len() >= JSONL_BLOCK {
            let whole = if eof {
                block.len()
            } else {
                memchr::memrchr(b'\n', &block[searched..]).map_or(0, |i| searched + i + 1)
            };
            if whole > 0 {
                let (next, lines) = cut_block(&mut block, whole, &mut searched);
                if !send_lines(next, first_line, &mut any, origin, max, units, emit) {
                    return;
                }
                first_line += lines;
                held = true;
                if eof {
                    break;
                }
            } else if eof {
                break;
            } else if block.len() <= max {
                // a line longer than a block: read on
                searched = block.len();
            } else {
                // one line longer than the limit: skipped to its end (a
                // blank one, however long, is blank)
                let mut len = block.len();
                let head = match block.strip_prefix(b"\xEF\xBB\xBF".as_slice()) {
                    Some(rest) if first_line == 1 => rest,
                    _ => &block[..],
                };
                let mut blank = head.iter().all(u8::is_ascii_whitespace);
                block.clear();
                let ended = loop {
                    let chunk = match r.fill_buf() {
                        Ok(c) => c,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => {
                            emit(error(origin, first_line, None, format!("read error: {e}")));
                            return;
                        }
                    };
                    if chunk.is_empty() {
                        break false;
                    }
                    let (take, done) = match memchr::memchr(b'\n', chunk) {
                        Some(i) => (i + 1, true),
                        None => (chunk.len(), false),
                    };
                    len += take;
                    blank = blank && chunk[..take].iter().all(u8::is_ascii_whitespace);
                    r.consume(take);
                    if done {
                        break true;
                    }
                };
                searched = 0;
                if !blank {
                    any = true;
                    if !emit(error(origin, first_line, None, too_long(len, max))) {
                        return;
                    }
                }
                first_line += 1;
                if !ended {
                    break;
                }
            }
        }
    }
    if !any {
        emit(error(origin, 0, None, "empty input: no transcripts"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::test_support::{ids, units};
    use crate::input::InputFormat;
    use std::io::{BufReader, Read};
    use std::sync::Arc;

    /// A JSONL input as (line, record bytes or error message), read the
    /// plain way, a line at a time: what both JSONL readers must give.
    fn jsonl_reference(data: &[u8], max: usize) -> Vec<(usize, Result<Vec<u8>, String>)> {
        let mut out = Vec::new();
        let (mut rest, mut line) = (data, 1);
        while !rest.is_empty() {
            let len = rest
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| i + 1);
            let raw = &rest[..len];
            rest = &rest[len..];
            let mut b = trim_line(raw);
            if line == 1 {
                b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
            }
            if b.iter().all(u8::is_ascii_whitespace) {
                // blank, however long
            } else if len > max {
                out.push((line, Err(too_long(len, max))));
            } else {
                out.push((line, Ok(b.to_vec())));
            }
            line += 1;
        }
        if out.is_empty() {
            out.push((0, Err("empty input: no transcripts".to_string())));
        }
        out
    }

    /// A reader that gives at most `step` bytes per read.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = buf.len().min(self.step).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// `data` read by the JSONL reader as `units`, in the reference's shape
    /// (blocks split by [`jsonl_lines`], as the workers do).
    fn jsonl_read(
        data: &[u8],
        max: usize,
        units: JsonlUnits,
        step: usize,
    ) -> Vec<(usize, Result<Vec<u8>, String>)> {
        let mut r = BufReader::with_capacity(4096, Trickle { data, step });
        let origin = Origin {
            file: Arc::from("t"),
            line: 0,
        };
        let mut out = Vec::new();
        read_jsonl(&mut r, &origin, max, units, &Idle::default(), &mut |u| {
            match u {
                Unit::JsonLine { origin, bytes } => out.push((origin.line, Ok(bytes))),
                Unit::JsonLines { origin, bytes, max } => {
                    for l in jsonl_lines(&bytes, origin.line, max) {
                        out.push(match l {
                            JsonlLine::Record { line, bytes } => (line, Ok(bytes.to_vec())),
                            JsonlLine::TooLong { line, len } => (line, Err(too_long(len, max))),
                        });
                    }
                }
                Unit::Error {
                    origin, message, ..
                } => out.push((origin.line, Err(message))),
                Unit::Item { .. } => panic!("JSONL gives no items"),
            }
            true
        });
        out
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn both_jsonl_readers_read_lines_as_a_line_at_a_time_would(
            pieces in proptest::collection::vec((0usize..7, 0usize..120_000), 0..12),
            max in proptest::sample::select(vec![50usize, 1_000, 100_000, 300_000, 64 << 20]),
            step in proptest::sample::select(vec![1_000usize, 70_000, 1 << 20]),
        ) {
            let mut data = Vec::new();
            for (kind, n) in pieces {
                match kind {
                    0 => data.extend_from_slice(b"{\"id\":1}\n"),
                    1 => data.extend_from_slice(b"\r\n  \n"),
                    2 => data.extend_from_slice(b"\xEF\xBB\xBF"),
                    // up to 360 KB without a newline: lines across blocks and
                    // longer than one
                    3 => data.extend(std::iter::repeat_n(b'x', 3 * n)),
                    4 => data.extend(std::iter::repeat_n(b' ', n % 300)),
                    5 => data.push(b'\n'),
                    _ => data.extend(std::iter::repeat_n(b'y', n).chain([b'\n'])),
                }
            }
            let expected = jsonl_reference(&data, max);
            proptest::prop_assert_eq!(&jsonl_read(&data, max, JsonlUnits::Lines, step), &expected);
            proptest::prop_assert_eq!(&jsonl_read(&data, max, JsonlUnits::Blocks, step), &expected);
        }
    }

    #[test]
    fn jsonl_skips_blank_lines_strips_bom_and_crlf_and_limits_length() {
        let mut data = b"\xEF\xBB\xBF{\"id\":1}\r\n\n".to_vec();
        data.extend(vec![b'x'; 2000]);
        data.extend(b"\n{\"id\":3}");
        let u = units(InputFormat::Jsonl, &data);
        let got = ids(&u);
        assert_eq!(got[0], "line1");
        assert!(got[1].starts_with("error@3:line is 2001 bytes"), "{got:?}");
        assert_eq!(got[2], "line4");
        let Unit::JsonLine { bytes, .. } = &u[0] else {
            panic!()
        };
        assert_eq!(bytes, b"{\"id\":1}");
    }
}
