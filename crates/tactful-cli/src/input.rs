//! Input readers: JSONL, JSON, CSV and plain text, streamed as [`Unit`]s.
//!
//! Readers never abort a batch: a record that cannot be read becomes a
//! [`Unit::Error`] naming the file and line, and reading goes on. JSONL lines
//! are handed to workers unparsed so that parsing runs in parallel.

use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use tactful::{Role, Transcript, Turn};

/// Longest record (JSONL line, text block) accepted; longer ones become errors.
pub const DEFAULT_MAX_RECORD_BYTES: usize = 64 * 1024 * 1024;

/// The input formats of the contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// One transcript per line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// One transcript object or an array of them (`.json`).
    Json,
    /// One message per row with a header (`.csv`).
    Csv,
    /// `Customer: ...` / `Agent: ...` lines (`.txt`).
    Text,
}

impl InputFormat {
    /// The format for a file name's extension, if it names one.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "jsonl" | "ndjson" => InputFormat::Jsonl,
            "json" => InputFormat::Json,
            "csv" => InputFormat::Csv,
            "txt" | "text" => InputFormat::Text,
            _ => return None,
        })
    }
}

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

/// One unit of work, in input order.
#[derive(Debug)]
pub enum Unit {
    /// A raw JSONL line, parsed by a worker.
    JsonLine { origin: Origin, bytes: Vec<u8> },
    /// Whole JSONL lines, the first at `origin.line`, split and parsed by a
    /// worker with [`jsonl_lines`] (read with [`JsonlUnits::Blocks`]: the
    /// reader neither splits nor copies lines). `max` is the longest line.
    JsonLines {
        origin: Origin,
        bytes: Vec<u8>,
        max: usize,
    },
    /// A transcript already read.
    Item {
        origin: Origin,
        item: Box<Item<'static>>,
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

fn error(origin: &Origin, line: usize, id: Option<String>, message: impl Into<String>) -> Unit {
    Unit::Error {
        origin: Origin {
            file: origin.file.clone(),
            line,
        },
        id,
        message: message.into(),
    }
}

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

/// Reads one input (a path or `-`) and sends each unit to `emit`, in order.
/// `emit` returns `false` to stop reading (output closed or `--strict`).
pub fn read_input(
    name: &str,
    format: Option<InputFormat>,
    max_record: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    read_input_as(name, format, max_record, JsonlUnits::Lines, emit);
}

/// [`read_input`], with JSONL in the units asked for.
pub fn read_input_as(
    name: &str,
    format: Option<InputFormat>,
    max_record: usize,
    jsonl: JsonlUnits,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    let file: Arc<str> = Arc::from(name);
    let origin = Origin {
        file: file.clone(),
        line: 0,
    };
    let format = format
        .or_else(|| InputFormat::from_path(Path::new(name)))
        .unwrap_or(InputFormat::Jsonl);
    let reader: Box<dyn Read + Send> = if name == "-" {
        Box::new(io::stdin())
    } else {
        let path = Path::new(name);
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                emit(error(&origin, 0, None, "is a directory, not a file"));
                return;
            }
            Ok(_) => {}
            Err(e) => {
                emit(error(
                    &origin,
                    0,
                    None,
                    format!("cannot open: {}", io_message(&e)),
                ));
                return;
            }
        }
        match File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                emit(error(
                    &origin,
                    0,
                    None,
                    format!("cannot open: {}", io_message(&e)),
                ));
                return;
            }
        }
    };
    read_stream(reader, name, name != "-", format, max_record, jsonl, emit);
}

/// Reads transcripts from any byte stream (standard input, a socket, a buffer)
/// and sends each unit to `emit`, in order, exactly as [`read_input`] does for
/// a file. `name` is used in error records; a CSV stream whose conversations
/// are not contiguous is buffered whole to group it.
pub fn read_reader(
    reader: Box<dyn Read + Send>,
    name: &str,
    format: InputFormat,
    max_record: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    read_stream(
        reader,
        name,
        false,
        format,
        max_record,
        JsonlUnits::Lines,
        emit,
    );
}

fn read_stream(
    reader: Box<dyn Read + Send>,
    name: &str,
    reopenable: bool,
    format: InputFormat,
    max_record: usize,
    jsonl: JsonlUnits,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    let origin = Origin {
        file: Arc::from(name),
        line: 0,
    };
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    match format {
        InputFormat::Jsonl => read_jsonl(&mut reader, &origin, max_record, jsonl, emit),
        InputFormat::Json => read_json(&mut reader, &origin, max_record, emit),
        InputFormat::Csv => read_csv(reader, name, reopenable, &origin, emit),
        InputFormat::Text => read_text(&mut reader, &origin, max_record, emit),
    }
}

/// Reads canned replies: each `.txt`/`.md` file (directories are walked in
/// name order) is one agent reply, or with `per_line` each non-empty line of a
/// `.txt` file is one. Ids are the path, or `path:line`.
pub fn read_replies(name: &str, per_line: bool, max: usize, emit: &mut dyn FnMut(Unit) -> bool) {
    let path = Path::new(name);
    let origin = Origin {
        file: Arc::from(name),
        line: 0,
    };
    if path.is_dir() {
        let mut files = Vec::new();
        if let Err(e) = walk(path, &mut files) {
            emit(error(
                &origin,
                0,
                None,
                format!("cannot read directory: {}", io_message(&e)),
            ));
            return;
        }
        files.sort();
        if files.is_empty() {
            emit(error(
                &origin,
                0,
                None,
                "no .txt or .md files in this directory",
            ));
        }
        for f in files {
            if !reply_file(&f.to_string_lossy(), per_line, max, emit) {
                return;
            }
        }
    } else {
        reply_file(name, per_line, max, emit);
    }
}

fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("md"))
        {
            out.push(p);
        }
    }
    Ok(())
}

fn reply_file(name: &str, per_line: bool, max: usize, emit: &mut dyn FnMut(Unit) -> bool) -> bool {
    let origin = Origin {
        file: Arc::from(name),
        line: 0,
    };
    let mut bytes = Vec::new();
    let read = File::open(name).and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes));
    if let Err(e) = read {
        return emit(error(
            &origin,
            0,
            None,
            format!("cannot open: {}", io_message(&e)),
        ));
    }
    if bytes.len() > max {
        return emit(error(
            &origin,
            0,
            None,
            format!("file is longer than the limit of {max} bytes"),
        ));
    }
    strip_bom(&mut bytes);
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = line_of(e.as_bytes(), at);
            return emit(error(&origin, line, None, "invalid UTF-8"));
        }
    };
    let reply = |id: String, line: usize, text: String| Unit::Item {
        origin: Origin {
            file: origin.file.clone(),
            line,
        },
        item: Box::new(Item {
            transcript: Transcript::new(id).with_turn(Turn::new(Role::Agent, text)),
            metadata: None,
        }),
    };
    let is_txt = name.to_ascii_lowercase().ends_with(".txt");
    if per_line && is_txt {
        for (i, line) in text.lines().enumerate() {
            let line_text = line.trim_end_matches('\r');
            if line_text.trim().is_empty() {
                continue;
            }
            if !emit(reply(
                format!("{name}:{}", i + 1),
                i + 1,
                line_text.to_string(),
            )) {
                return false;
            }
        }
        true
    } else {
        emit(reply(name.to_string(), 1, text))
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
enum Line {
    Eof,
    Read,
    TooLong(usize),
}

/// Reads up to and including the next `\n` into `buf` (cleared first). A line
/// longer than `max` is skipped to its end and reported as `TooLong`.
fn read_line_limited(r: &mut impl BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    buf.clear();
    let mut total = 0usize;
    let mut too_long = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if total == 0 {
                Line::Eof
            } else if too_long {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
        let (take, done) = match memchr::memchr(b'\n', chunk) {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        total += take;
        if !too_long {
            if total > max {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if done {
            return Ok(if too_long {
                Line::TooLong(total)
            } else {
                Line::Read
            });
        }
    }
}

fn trim_line(bytes: &[u8]) -> &[u8] {
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

fn strip_bom(bytes: &mut Vec<u8>) {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
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
        if len > max {
            return Some(JsonlLine::TooLong { line: number, len });
        }
        let mut bytes = trim_line(raw);
        if number == 1 {
            bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        }
        if bytes.iter().all(u8::is_ascii_whitespace) {
            continue;
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

fn read_jsonl(
    r: &mut impl BufRead,
    origin: &Origin,
    max: usize,
    units: JsonlUnits,
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
    loop {
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
                let mut rest = Vec::with_capacity(2 * JSONL_BLOCK);
                rest.extend_from_slice(&block[whole..]);
                block.truncate(whole);
                searched = rest.len();
                let lines = newlines(&block);
                let next = std::mem::replace(&mut block, rest);
                if !send_lines(next, first_line, &mut any, origin, max, units, emit) {
                    return;
                }
                first_line += lines;
                if eof {
                    break;
                }
            } else if eof {
                break;
            } else if block.len() <= max {
                // a line longer than a block: read on
                searched = block.len();
            } else {
                // one line longer than the limit: skipped to its end
                let mut len = block.len();
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
                    r.consume(take);
                    if done {
                        break true;
                    }
                };
                any = true;
                searched = 0;
                if !emit(error(origin, first_line, None, too_long(len, max))) {
                    return;
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

// ---------------------------------------------------------------- JSON records

/// A transcript as written in JSON, borrowing from the input where it can.
#[derive(Deserialize)]
struct WireTranscript<'a> {
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    id: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "messages", alias = "conversation")]
    turns: WireTurns<'a>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    agent: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    team: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    channel: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    metadata: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct WireTurn<'a> {
    #[serde(
        borrow,
        alias = "speaker",
        alias = "sender",
        alias = "author",
        alias = "author_type"
    )]
    role: Cow<'a, str>,
    #[serde(borrow, alias = "message", alias = "body", alias = "content")]
    text: Cow<'a, str>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    name: Option<Cow<'a, str>>,
    #[serde(default, borrow, deserialize_with = "loose_cow")]
    timestamp: Option<Cow<'a, str>>,
}

/// The `turns` array, read straight into [`Turn`]s (no vector of
/// [`WireTurn`]s to copy from). A turn with an unknown role is not kept: the
/// first one is remembered and reported once the whole record has parsed, so
/// that a JSON error later in the record still comes first.
struct WireTurns<'a> {
    turns: Vec<Turn<'a>>,
    /// Index and role of the first turn whose role is unknown.
    bad_role: Option<(usize, Cow<'a, str>)>,
}

impl<'de: 'a, 'a> Deserialize<'de> for WireTurns<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = WireTurns<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                // as `Vec`'s visitor says, which this replaces
                f.write_str("a sequence")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = WireTurns {
                    turns: Vec::with_capacity(4),
                    bad_role: None,
                };
                let mut i = 0usize;
                while let Some(t) = seq.next_element::<WireTurn<'a>>()? {
                    if out.bad_role.is_none() {
                        match Role::parse(&t.role) {
                            Some(role) => {
                                let mut turn = Turn::new(role, t.text);
                                turn.name = t.name;
                                turn.timestamp = t.timestamp;
                                out.turns.push(turn);
                            }
                            None => out.bad_role = Some((i, t.role)),
                        }
                    }
                    i += 1;
                }
                Ok(out)
            }
        }
        d.deserialize_seq(V(std::marker::PhantomData))
    }
}

/// Only the id, to name a record whose other fields are wrong.
#[derive(Deserialize)]
struct IdOnly {
    #[serde(default, deserialize_with = "loose_string")]
    id: Option<String>,
}

/// Accepts a string, number or boolean (as text) or null.
fn loose_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    loose_cow(d).map(|v| v.map(Cow::into_owned))
}

/// A string, a number or a boolean as a string (`null` as none), borrowing
/// a string without escapes from the input.
fn loose_cow<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'a, str>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Cow<'de, str>>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a string or a number")
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Borrowed(v)))
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(Cow::Owned(v.to_string())))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
    }
    d.deserialize_any(V)
}

/// A failed record: the id if known and what is wrong.
pub struct RecordError {
    /// The record's id, when it could be read.
    pub id: Option<String>,
    /// What is wrong, with the place inside the record.
    pub message: String,
}

/// Parses one JSON transcript (a JSONL line or an array element).
/// `default_id` is used when the record has no `id`.
pub fn parse_record<'a>(bytes: &'a [u8], default_id: &str) -> Result<Item<'a>, RecordError> {
    let text = std::str::from_utf8(bytes).map_err(|e| RecordError {
        id: None,
        message: format!(
            "invalid UTF-8 at byte {} of the record",
            e.valid_up_to() + 1
        ),
    })?;
    match fast_record(text, default_id) {
        Some(item) => Ok(item),
        None => serde_record(text, default_id),
    }
}

/// [`parse_record`] through serde_json, for every record: the reference the
/// fast reader ([`fast_record`]) must agree with, and the one that words
/// every error.
fn serde_record<'a>(text: &'a str, default_id: &str) -> Result<Item<'a>, RecordError> {
    let wire: WireTranscript = serde_json::from_str(text).map_err(|e| RecordError {
        id: serde_json::from_str::<IdOnly>(text).ok().and_then(|i| i.id),
        message: json_message(&e),
    })?;
    let id = wire
        .id
        .unwrap_or_else(|| Cow::Owned(default_id.to_string()));
    if let Some(m) = wire.metadata {
        if too_deep(m.get()) {
            return Err(RecordError {
                id: Some(id.into_owned()),
                message: format!("metadata is nested deeper than {MAX_DEPTH} levels"),
            });
        }
        // passed through raw, so checked to read back as JSON: a number out of
        // range (`1e9999`) is valid syntax that JSON readers reject
        if let Err(e) = serde_json::from_str::<serde_json::Value>(m.get()) {
            return Err(RecordError {
                id: Some(id.into_owned()),
                message: format!("metadata would not read back as JSON: {e} of the metadata value"),
            });
        }
    }
    if let Some((i, role)) = wire.turns.bad_role {
        return Err(RecordError {
            id: Some(id.into_owned()),
            message: format!(
                "turn {i}: unknown role {:?} (expected customer, agent or system, or an alias such as user, rep, bot)",
                role
            ),
        });
    }
    let mut transcript = Transcript::new(id);
    transcript.turns = wire.turns.turns;
    transcript.agent = wire.agent;
    transcript.team = wire.team;
    transcript.channel = wire.channel;
    Ok(Item {
        transcript,
        metadata: wire.metadata.map(compact_raw),
    })
}

/// Reads a record of the common shape faster than serde_json (whose string
/// scanning dominates): an object of `id`, `turns` (or an alias), `agent`,
/// `team` and `channel`, each turn an object of `role` and `text` (or their
/// aliases), `name` and `timestamp`, every value a string (`null` for the
/// optional ones). Any other record, and any record that is not valid JSON or
/// not a transcript, gives `None`, and is read by [`serde_record`], which
/// words the error: whatever this returns, serde_record returns the same.
///
/// It gives up on: a key with an escape, an unknown or repeated key (serde
/// rejects a field given twice, under an alias too), `metadata`, a number or
/// boolean where the loose fields take one, a control character in a string,
/// an escape other than the JSON ones, a `\u` surrogate that is not a high
/// one followed by a low one (serde rejects lone surrogates), an unknown role,
/// a missing `turns`, `role` or `text`, and trailing characters.
fn fast_record<'a>(text: &'a str, default_id: &str) -> Option<Item<'a>> {
    let mut p = Fast {
        s: text,
        b: text.as_bytes(),
        i: 0,
    };
    p.eat(b'{')?;
    let (mut id, mut turns, mut agent, mut team, mut channel) = (None, None, None, None, None);
    let mut seen = 0u8;
    loop {
        let key = p.key()?;
        p.eat(b':')?;
        let bit = match key {
            "id" => {
                id = p.loose()?;
                1
            }
            "turns" | "messages" | "conversation" => {
                turns = Some(p.turns()?);
                2
            }
            "agent" => {
                agent = p.loose()?;
                4
            }
            "team" => {
                team = p.loose()?;
                8
            }
            "channel" => {
                channel = p.loose()?;
                16
            }
            _ => return None,
        };
        if !p.field_end(&mut seen, bit)? {
            break;
        }
    }
    p.ws();
    if p.i != p.b.len() {
        return None;
    }
    let mut transcript = Transcript::new(id.unwrap_or_else(|| Cow::Owned(default_id.to_string())));
    transcript.turns = turns?;
    transcript.agent = agent;
    transcript.team = team;
    transcript.channel = channel;
    Some(Item {
        transcript,
        metadata: None,
    })
}

/// The cursor of [`fast_record`]. Every method gives `None` to give up.
struct Fast<'a> {
    s: &'a str,
    b: &'a [u8],
    i: usize,
}

impl<'a> Fast<'a> {
    /// Skips JSON whitespace.
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    /// The next byte after whitespace, consumed.
    fn bump(&mut self) -> Option<u8> {
        self.ws();
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    /// After a field's value: notes its `bit` in `seen` (a field given
    /// twice, under an alias too, gives up: serde rejects it) and reads `,`
    /// (true: another field follows) or `}` (false: the object ends).
    fn field_end(&mut self, seen: &mut u8, bit: u8) -> Option<bool> {
        if *seen & bit != 0 {
            return None;
        }
        *seen |= bit;
        match self.bump()? {
            b',' => Some(true),
            b'}' => Some(false),
            _ => None,
        }
    }

    /// Consumes `c` after whitespace.
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.bump()? == c).then_some(())
    }

    /// The next byte after whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.b.get(self.i).copied()
    }

    /// An object key: a string without escapes.
    fn key(&mut self) -> Option<&'a str> {
        match self.string()? {
            Cow::Borrowed(k) => Some(k),
            Cow::Owned(_) => None,
        }
    }

    /// A string (borrowed when it has no escapes), as serde_json reads it.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        self.eat(b'"')?;
        let start = self.i;
        let end = self.plain_run()?;
        if self.b[end] == b'"' {
            self.i = end + 1;
            return Some(Cow::Borrowed(self.s.get(start..end)?));
        }
        self.i = end;
        self.escaped(start)
    }

    /// The rest of a string from its first escape (at the cursor), `start`
    /// being where its text begins.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize) -> Option<Cow<'a, str>> {
        let mut out = String::with_capacity(self.i - start + 16);
        out.push_str(self.s.get(start..self.i)?);
        loop {
            // at a backslash
            let e = *self.b.get(self.i + 1)?;
            self.i += 2;
            out.push(match e {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let c = self.hex4()?;
                    match c {
                        0xD800..=0xDBFF => {
                            if self.b.get(self.i..self.i + 2)? != b"\\u" {
                                return None;
                            }
                            self.i += 2;
                            let low = self.hex4()?;
                            if !(0xDC00..=0xDFFF).contains(&low) {
                                return None;
                            }
                            char::from_u32(0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00))?
                        }
                        0xDC00..=0xDFFF => return None,
                        _ => char::from_u32(c)?,
                    }
                }
                _ => return None,
            });
            let start = self.i;
            let end = self.plain_run()?;
            out.push_str(self.s.get(start..end)?);
            self.i = end;
            if self.b[end] == b'"' {
                self.i = end + 1;
                return Some(Cow::Owned(out));
            }
        }
    }

    /// The end of the run of plain string bytes at the cursor: the index of
    /// the next `"` or `\\`, or `None` at the end of the input or at a
    /// control character (which JSON strings may not hold).
    fn plain_run(&self) -> Option<usize> {
        let rest = self.b.get(self.i..)?;
        let n = find_special(rest)?;
        (rest[n] >= 0x20).then_some(self.i + n)
    }

    /// Four hex digits of a `\\u` escape.
    fn hex4(&mut self) -> Option<u32> {
        let digits = self.b.get(self.i..self.i + 4)?;
        let mut v = 0u32;
        for &d in digits {
            v = v * 16 + char::from(d).to_digit(16)?;
        }
        self.i += 4;
        Some(v)
    }

    /// A string or `null` (none), for the loose fields; a number or a
    /// boolean gives up (serde_record formats them).
    fn loose(&mut self) -> Option<Option<Cow<'a, str>>> {
        match self.peek()? {
            b'"' => self.string().map(Some),
            b'n' => {
                if self.b.get(self.i..self.i + 4)? != b"null" {
                    return None;
                }
                self.i += 4;
                Some(None)
            }
            _ => None,
        }
    }

    /// The turns array.
    fn turns(&mut self) -> Option<Vec<Turn<'a>>> {
        self.eat(b'[')?;
        let mut turns = Vec::with_capacity(4);
        if self.peek()? == b']' {
            self.i += 1;
            return Some(turns);
        }
        loop {
            turns.push(self.turn()?);
            match self.bump()? {
                b',' => {}
                b']' => return Some(turns),
                _ => return None,
            }
        }
    }

    /// One turn object.
    fn turn(&mut self) -> Option<Turn<'a>> {
        self.eat(b'{')?;
        let (mut role, mut text, mut name, mut timestamp) = (None, None, None, None);
        let mut seen = 0u8;
        loop {
            let key = self.key()?;
            self.eat(b':')?;
            let bit = match key {
                "role" | "speaker" | "sender" | "author" | "author_type" => {
                    role = Some(self.string()?);
                    1
                }
                "text" | "message" | "body" | "content" => {
                    text = Some(self.string()?);
                    2
                }
                "name" => {
                    name = self.loose()?;
                    4
                }
                "timestamp" => {
                    timestamp = self.loose()?;
                    8
                }
                _ => return None,
            };
            if !self.field_end(&mut seen, bit)? {
                break;
            }
        }
        // the canonical names first, without Role::parse's normalizing
        let role = match role?.as_ref() {
            "customer" => Role::Customer,
            "agent" => Role::Agent,
            other => Role::parse(other)?,
        };
        let mut turn = Turn::new(role, text?);
        turn.name = name;
        turn.timestamp = timestamp;
        Some(turn)
    }
}

/// Whether a byte ends a run of plain bytes in a JSON string: a quote, a
/// backslash or a control character.
fn is_special(c: u8) -> bool {
    (c == b'"') | (c == b'\\') | (c < 0x20)
}

/// The special bytes ([`is_special`]) of 8 bytes, as the high bit of each in
/// a little-endian word. A byte above a special one may be marked too (a
/// borrow), never one below: the lowest mark is exact.
fn special_word(bytes: &[u8]) -> u64 {
    const ONES: u64 = u64::MAX / 255;
    let mut a = [0u8; 8];
    a.copy_from_slice(bytes);
    let w = u64::from_le_bytes(a);
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let q = w ^ (ONES * u64::from(b'"'));
    let quote = q.wrapping_sub(ONES) & !q;
    let b = w ^ (ONES * u64::from(b'\\'));
    let backslash = b.wrapping_sub(ONES) & !b;
    (control | quote | backslash) & (ONES << 7)
}

/// Index of the first special byte ([`is_special`]) of `b`, if any.
fn find_special(b: &[u8]) -> Option<usize> {
    // the first 16 bytes a word at a time: most strings are short
    let mut at = 0;
    while at < 16 && at + 8 <= b.len() {
        let m = special_word(&b[at..at + 8]);
        if m != 0 {
            return Some(at + m.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    if at == 16 {
        // then 16 bytes at a time (a fold, not `any`, and `|`, not `||`, so
        // that it is vectorized), and the word of the 16 that has it
        for chunk in b[16..].chunks_exact(16) {
            if chunk.iter().fold(false, |acc, &c| acc | is_special(c)) {
                let low = special_word(&chunk[..8]);
                let (word, m) = if low != 0 {
                    (0, low)
                } else {
                    (8, special_word(&chunk[8..]))
                };
                return Some(at + word + m.trailing_zeros() as usize / 8);
            }
            at += 16;
        }
    }
    b[at..].iter().position(|&c| is_special(c)).map(|n| at + n)
}

/// Deepest nesting of arrays and objects passed through in `metadata`, so
/// that every output record (which adds a level) stays within the recursion
/// limits of JSON readers (serde_json's is 128). serde_json holds the typed
/// fields to its limit; `metadata` is kept raw, so it is checked here.
const MAX_DEPTH: usize = 100;

/// Whether a JSON value nests arrays and objects deeper than [`MAX_DEPTH`].
fn too_deep(json: &str) -> bool {
    // each level takes at least two bytes
    if json.len() <= 2 * MAX_DEPTH {
        return false;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in json.as_bytes() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The raw value without whitespace between tokens, so that a pretty-printed
/// `metadata` (from a `.json` file) cannot break a JSONL output line.
fn compact_raw(raw: &RawValue) -> Box<RawValue> {
    let src = raw.get();
    if !src.contains(['\n', '\r']) {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(src.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in src.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            in_string = c == '"';
            out.push(c);
        }
    }
    RawValue::from_string(out).unwrap_or_else(|_| raw.to_owned())
}

fn json_message(e: &serde_json::Error) -> String {
    let what = match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => "invalid JSON",
        serde_json::error::Category::Data => "not a transcript",
        serde_json::error::Category::Io => "read error",
    };
    // serde_json appends "at line L column C"; keep the column, the line is ours.
    let msg = e.to_string();
    let msg = match msg.rfind(" at line ") {
        Some(i) => format!("{} (column {})", &msg[..i], e.column()),
        None => msg,
    };
    format!("{what}: {msg}")
}

fn read_json(
    r: &mut impl BufRead,
    origin: &Origin,
    max: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    let mut all = Vec::new();
    let limit = (max as u64).saturating_mul(16);
    if let Err(e) = r.take(limit.saturating_add(1)).read_to_end(&mut all) {
        emit(error(origin, 0, None, format!("read error: {e}")));
        return;
    }
    if all.len() as u64 > limit {
        // read whole, a .json file is limited; cutting it would misreport
        // it as truncated
        emit(error(
            origin,
            0,
            None,
            format!("a .json file is read whole and this one is longer than the limit of {limit} bytes (16 × --max-record-bytes); convert it to JSONL to stream it"),
        ));
        return;
    }
    strip_bom(&mut all);
    let Ok(text) = std::str::from_utf8(&all) else {
        let at = std::str::from_utf8(&all)
            .err()
            .map_or(0, |e| e.valid_up_to());
        let line = line_of(&all, at);
        emit(error(origin, line, None, "invalid UTF-8"));
        return;
    };
    if text.trim().is_empty() {
        emit(error(origin, 0, None, "empty input: no transcripts"));
        return;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') {
        // elements are collected one by one, so that those before a syntax
        // error (a truncated file) are kept; the error ends the file
        let mut elements: Vec<&RawValue> = Vec::new();
        let mut de = serde_json::Deserializer::from_str(text);
        let failure = de
            .deserialize_seq(Elements(&mut elements))
            .and_then(|()| de.end())
            .err();
        if elements.is_empty() && failure.is_none() {
            emit(error(origin, 0, None, "empty array: no transcripts"));
        }
        // lines are counted on from the previous element (elements come in
        // order), not from the start of the file for each
        let (mut counted, mut line) = (0usize, 1usize);
        for el in elements {
            let offset = (el.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
            line += line_of(&all[counted..], offset.saturating_sub(counted)) - 1;
            counted = counted.max(offset);
            let unit = match parse_record(el.get().as_bytes(), &line.to_string()) {
                Ok(item) => Unit::Item {
                    origin: Origin {
                        file: origin.file.clone(),
                        line,
                    },
                    item: Box::new(item.into_owned()),
                },
                Err(e) => error(origin, line, e.id, e.message),
            };
            if !emit(unit) {
                return;
            }
        }
        if let Some(e) = failure {
            emit(error(
                origin,
                e.line(),
                None,
                format!("{}; the rest of the file cannot be read", json_message(&e)),
            ));
        }
    } else {
        let line = line_of(&all, text.len() - trimmed.len());
        let unit = match parse_record(text.as_bytes(), &line.to_string()) {
            Ok(item) => Unit::Item {
                origin: Origin {
                    file: origin.file.clone(),
                    line,
                },
                item: Box::new(item.into_owned()),
            },
            Err(e) => error(origin, line, e.id, e.message),
        };
        emit(unit);
    }
}

/// Collects the elements of a JSON array one by one, so that the elements
/// before a syntax error are kept.
struct Elements<'a, 'v>(&'v mut Vec<&'a RawValue>);

impl<'de> Visitor<'de> for Elements<'de, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of transcripts")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(el) = seq.next_element::<&'de RawValue>()? {
            self.0.push(el);
        }
        Ok(())
    }
}

/// 1-based line number of byte `offset`.
fn line_of(bytes: &[u8], offset: usize) -> usize {
    1 + memchr::memchr_iter(b'\n', &bytes[..offset.min(bytes.len())]).count()
}

// ------------------------------------------------------------------------ CSV

const ID_COLUMNS: &[&str] = &[
    "conversation_id",
    "id",
    "ticket_id",
    "conversation",
    "chat_id",
    "thread_id",
];
const ROLE_COLUMNS: &[&str] = &[
    "role",
    "speaker",
    "sender",
    "author",
    "author_type",
    "sender_type",
];
const TEXT_COLUMNS: &[&str] = &["text", "message", "body", "content"];

struct Columns {
    id: usize,
    role: usize,
    text: usize,
    timestamp: Option<usize>,
    agent: Option<usize>,
    team: Option<usize>,
    channel: Option<usize>,
    name: Option<usize>,
}

fn find_column(headers: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| headers.iter().position(|h| h == n))
}

struct CsvGroup {
    id: String,
    line: usize,
    turns: Vec<Turn<'static>>,
    agent: Option<String>,
    team: Option<String>,
    channel: Option<String>,
    error: Option<(usize, String)>,
}

impl CsvGroup {
    fn into_unit(self, origin: &Origin) -> Unit {
        if let Some((line, message)) = self.error {
            return error(origin, line, Some(self.id), message);
        }
        let mut t = Transcript::new(self.id);
        t.turns = self.turns;
        t.agent = self.agent.map(Cow::Owned);
        t.team = self.team.map(Cow::Owned);
        t.channel = self.channel.map(Cow::Owned);
        Unit::Item {
            origin: Origin {
                file: origin.file.clone(),
                line: self.line,
            },
            item: Box::new(Item {
                transcript: t,
                metadata: None,
            }),
        }
    }
}

fn read_csv(
    mut reader: BufReader<Box<dyn Read + Send>>,
    name: &str,
    reopenable: bool,
    origin: &Origin,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    // counted, so that a file whose rows are all blank is reported as empty
    // rather than giving no record
    let emitted = std::cell::Cell::new(0usize);
    let emit = &mut |u: Unit| {
        emitted.set(emitted.get() + 1);
        emit(u)
    };
    // Rows of one conversation are expected together. A file whose rows are
    // not contiguous is read whole and grouped by id in first-seen order; for
    // a named regular file a first pass over the id column decides; a
    // stream (stdin, a FIFO, a process substitution `<(...)`, a reader given
    // to `read_reader`) can be read only once, so it is buffered.
    let regular = reopenable && std::fs::metadata(name).is_ok_and(|m| m.is_file());
    let contiguous = if !regular {
        let mut all = Vec::new();
        if let Err(e) = reader.read_to_end(&mut all) {
            emit(error(origin, 0, None, format!("read error: {e}")));
            return;
        }
        let c = ids_contiguous(&all[..]);
        let boxed: Box<dyn Read + Send> = Box::new(io::Cursor::new(all));
        reader = BufReader::new(boxed);
        c
    } else {
        match File::open(name) {
            Ok(f) => ids_contiguous(BufReader::new(f)),
            Err(_) => true,
        }
    };
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(QuoteTracker::new(reader));
    let mut record = csv::ByteRecord::new();
    let header = csv.read_byte_record(&mut record);
    csv.get_mut().next_start();
    let headers: Vec<String> = match header {
        Ok(true) => record
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let h = String::from_utf8_lossy(h);
                let h = if i == 0 {
                    h.trim_start_matches('\u{feff}')
                } else {
                    &h
                };
                h.trim().to_ascii_lowercase().replace([' ', '-'], "_")
            })
            .collect(),
        Ok(false) => {
            emit(error(origin, 0, None, "empty input: no header row"));
            return;
        }
        Err(e) => {
            emit(error(origin, 1, None, format!("invalid CSV header: {e}")));
            return;
        }
    };
    let id = find_column(&headers, ID_COLUMNS);
    let role = find_column(&headers, ROLE_COLUMNS);
    let text = find_column(&headers, TEXT_COLUMNS);
    let (Some(id), Some(role), Some(text)) = (id, role, text) else {
        let mut missing = Vec::new();
        if id.is_none() {
            missing.push("conversation_id (or id, ticket_id)");
        }
        if role.is_none() {
            missing.push("role (or speaker, sender, author, author_type)");
        }
        if text.is_none() {
            missing.push("text (or message, body)");
        }
        emit(error(
            origin,
            1,
            None,
            format!(
                "CSV header lacks required column {}; found: {}",
                missing.join(", "),
                headers.join(", ")
            ),
        ));
        return;
    };
    let cols = Columns {
        id,
        role,
        text,
        timestamp: find_column(&headers, &["timestamp", "time", "created_at", "date"]),
        agent: find_column(&headers, &["agent", "agent_name", "agent_id", "assignee"]),
        team: find_column(&headers, &["team", "group", "queue"]),
        channel: find_column(&headers, &["channel", "via"]),
        name: find_column(&headers, &["name", "author_name", "sender_name"]),
    };

    let mut current: Option<CsvGroup> = None;
    let mut grouped: Vec<CsvGroup> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut rows = 0usize;
    // the group that took the last row, if any: (id, whether in `grouped`)
    let mut last_group: Option<String> = None;
    // Errors of single rows (no id, a CSV syntax error) wait while a
    // conversation is open, so that records come out in the order of the
    // lines they start on: a conversation before the errors inside or after it.
    let mut held: Vec<Unit> = Vec::new();
    loop {
        let line = csv.position().line() as usize;
        match csv.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                let io = matches!(e.kind(), csv::ErrorKind::Io(_));
                let message = if io {
                    format!("read error: {e}")
                } else {
                    format!("invalid CSV: {e}")
                };
                held.push(error(origin, line, None, message));
                if contiguous && current.is_none() && !flush(&mut held, emit) {
                    return;
                }
                if io {
                    // a read error repeats forever: it ends the file, and
                    // what was read before it is still written
                    break;
                }
                continue;
            }
        }
        // the line where the record starts (the reader's position before
        // it points at the blank lines skipped before it)
        let line = csv.get_mut().next_start().unwrap_or(line);
        last_group = None;
        rows += 1;
        if record.iter().all(|f| f.is_empty()) {
            continue;
        }
        let field = |i: usize| record.get(i).map(|b| String::from_utf8(b.to_vec()));
        let conv_id = match field(cols.id) {
            Some(Ok(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Ok(_)) | None => {
                held.push(error(origin, line, None, "row has no conversation id"));
                if contiguous && current.is_none() && !flush(&mut held, emit) {
                    return;
                }
                continue;
            }
            Some(Err(_)) => {
                held.push(error(
                    origin,
                    line,
                    None,
                    "invalid UTF-8 in the conversation id",
                ));
                if contiguous && current.is_none() && !flush(&mut held, emit) {
                    return;
                }
                continue;
            }
        };
        // find or start the group
        let group: &mut CsvGroup = if contiguous {
            if current.as_ref().is_some_and(|g| g.id != conv_id) {
                if let Some(done) = current.take() {
                    if !emit(done.into_unit(origin)) || !flush(&mut held, emit) {
                        return;
                    }
                }
            }
            current.get_or_insert_with(|| new_group(&conv_id, line))
        } else {
            let i = *index.entry(conv_id.clone()).or_insert_with(|| {
                grouped.push(new_group(&conv_id, line));
                grouped.len() - 1
            });
            &mut grouped[i]
        };
        last_group = Some(conv_id);
        if group.error.is_some() {
            continue;
        }
        let get = |i: Option<usize>| -> Result<Option<String>, String> {
            match i.and_then(|i| record.get(i)) {
                None | Some([]) => Ok(None),
                Some(b) => String::from_utf8(b.to_vec()).map(Some).map_err(|e| {
                    format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to() + 1)
                }),
            }
        };
        let result = (|| -> Result<(), String> {
            let role_text = get(Some(cols.role))?.ok_or("row has no role")?;
            let role = Role::parse(&role_text).ok_or_else(|| {
                format!("unknown role {role_text:?} (expected customer, agent or system, or an alias such as user, rep, bot)")
            })?;
            if record.get(cols.text).is_none() {
                return Err(format!("row has {} fields, no text column", record.len()));
            }
            let text = get(Some(cols.text))
                .map_err(|e| format!("text: {e}"))?
                .unwrap_or_default();
            let mut turn = Turn::new(role, text);
            turn.timestamp = get(cols.timestamp)?.map(Cow::Owned);
            turn.name = get(cols.name)?.map(Cow::Owned);
            if role == Role::Agent && group.agent.is_none() {
                group.agent = get(cols.agent)?;
            }
            if group.team.is_none() {
                group.team = get(cols.team)?;
            }
            if group.channel.is_none() {
                group.channel = get(cols.channel)?;
            }
            group.turns.push(turn);
            Ok(())
        })();
        if let Err(message) = result {
            group.error = Some((line, message));
        }
    }
    if let Some(quote_line) = csv.get_ref().unterminated() {
        // the quoted field runs to the end of the file and swallowed every
        // row after it: the conversation of the last row fails, naming the
        // line where the quote opened
        let message = format!(
            "unterminated quoted field: the quote opened on line {quote_line} is never closed, so the rest of the file was read as one field"
        );
        let group = match last_group {
            Some(id) if current.as_ref().is_some_and(|g| g.id == id) => current.as_mut(),
            Some(id) => index.get(&id).map(|&i| &mut grouped[i]),
            None => None,
        };
        match group {
            Some(g) => g.error = Some((quote_line, message)),
            None => held.push(error(origin, quote_line, None, message)),
        }
    }
    if let Some(done) = current.take() {
        if !emit(done.into_unit(origin)) {
            return;
        }
    }
    // grouped conversations (in the order of their first rows) and the row
    // errors, merged by the line each starts on
    let mut errors = held.into_iter().peekable();
    for g in grouped {
        while let Some(e) = errors.next_if(|e| e.origin().line < g.line) {
            if !emit(e) {
                return;
            }
        }
        if !emit(g.into_unit(origin)) {
            return;
        }
    }
    for e in errors {
        if !emit(e) {
            return;
        }
    }
    if rows == 0 {
        emit(error(origin, 0, None, "empty input: a header but no rows"));
    } else if emitted.get() == 0 {
        emit(error(origin, 0, None, "empty input: every row is blank"));
    }
}

/// Emits the held units in order; `false` when output stopped.
fn flush(held: &mut Vec<Unit>, emit: &mut dyn FnMut(Unit) -> bool) -> bool {
    held.drain(..).all(emit)
}

/// Follows the CSV quoting state of the bytes read through it, as the csv
/// crate parses them (a quote opens a quoted field only at the start of a
/// field; `""` inside is an escaped quote; blank lines are skipped), for two
/// things the csv crate does not tell:
/// - a quoted field left open at the end of the file: the csv crate accepts
///   it silently, and every row after the stray quote would vanish into one
///   field;
/// - the line where each record starts: the reader's position before a record
///   points at the blank lines skipped before it.
struct QuoteTracker<R> {
    inner: R,
    state: QuoteState,
    /// 1-based line of the next byte.
    line: usize,
    /// Line where the quoted field being read opened.
    opened: usize,
    /// Start lines of the records read ahead of the parser.
    starts: std::collections::VecDeque<usize>,
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

impl<R: Read> QuoteTracker<R> {
    fn new(inner: R) -> QuoteTracker<R> {
        QuoteTracker {
            inner,
            state: QuoteState::RecordStart,
            line: 1,
            opened: 0,
            starts: std::collections::VecDeque::new(),
        }
    }

    /// At the end of the input: the line where a never-closed quote opened.
    fn unterminated(&self) -> Option<usize> {
        (self.state == QuoteState::Quoted).then_some(self.opened)
    }

    /// The start line of the next record, in parse order.
    fn next_start(&mut self) -> Option<usize> {
        self.starts.pop_front()
    }

    fn track(&mut self, bytes: &[u8]) {
        use QuoteState::*;
        for &b in bytes {
            if self.state == RecordStart && b != b'\n' && b != b'\r' {
                self.starts.push_back(self.line);
                self.state = FieldStart;
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
            if b == b'\n' {
                self.line += 1;
            }
        }
    }
}

impl<R: Read> Read for QuoteTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.track(&buf[..n]);
        Ok(n)
    }
}

fn new_group(id: &str, line: usize) -> CsvGroup {
    CsvGroup {
        id: id.to_string(),
        line,
        turns: Vec::new(),
        agent: None,
        team: None,
        channel: None,
        error: None,
    }
}

/// Whether every conversation's rows are contiguous (a pass over the id column).
fn ids_contiguous(r: impl Read) -> bool {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(r);
    let Ok(headers) = csv.byte_headers() else {
        return true;
    };
    let headers: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim_start_matches('\u{feff}')
                .trim()
                .to_ascii_lowercase()
                .replace([' ', '-'], "_")
        })
        .collect();
    let Some(col) = find_column(&headers, ID_COLUMNS) else {
        return true;
    };
    let mut done: HashSet<Vec<u8>> = HashSet::new();
    let mut last: Option<Vec<u8>> = None;
    let mut record = csv::ByteRecord::new();
    while let Ok(true) = csv.read_byte_record(&mut record) {
        let Some(id) = record.get(col) else { continue };
        let id = id.trim_ascii();
        if last.as_deref() == Some(id) {
            continue;
        }
        if done.contains(id) {
            return false;
        }
        if let Some(prev) = last.replace(id.to_vec()) {
            done.insert(prev);
        }
    }
    true
}

// ----------------------------------------------------------------------- text

/// Splits a speaker prefix: `Customer: hi` → (Customer, None, "hi");
/// `Agent (Maria): hi` and `Agent Maria: hi` keep the name.
fn speaker_prefix(line: &str) -> Option<(Role, Option<String>, &str)> {
    let colon = line.find(':')?;
    if colon > 48 {
        return None;
    }
    let label = line[..colon].trim();
    let (word, rest) = match label.find([' ', '(', '\t']) {
        Some(i) => (&label[..i], label[i..].trim()),
        None => (label, ""),
    };
    let role = Role::parse(word)?;
    let name = rest.trim_start_matches('(').trim_end_matches(')').trim();
    let name = (!name.is_empty()).then(|| name.to_string());
    let text = line[colon + 1..]
        .strip_prefix(' ')
        .unwrap_or(&line[colon + 1..]);
    Some((role, name, text))
}

fn read_text(
    r: &mut impl BufRead,
    origin: &Origin,
    max: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    struct Block {
        line: usize,
        id: Option<String>,
        turns: Vec<Turn<'static>>,
        error: Option<(usize, String)>,
        bytes: usize,
    }
    let finish = |b: Block, emit: &mut dyn FnMut(Unit) -> bool| -> bool {
        if b.turns.is_empty() && b.error.is_none() && b.id.is_none() {
            return true;
        }
        let id = b.id.unwrap_or_else(|| b.line.to_string());
        if let Some((line, message)) = b.error {
            return emit(error(origin, line, Some(id), message));
        }
        let mut t = Transcript::new(id);
        t.turns = b.turns;
        emit(Unit::Item {
            origin: Origin {
                file: origin.file.clone(),
                line: b.line,
            },
            item: Box::new(Item {
                transcript: t,
                metadata: None,
            }),
        })
    };
    let new_block = |line: usize| Block {
        line,
        id: None,
        turns: Vec::new(),
        error: None,
        bytes: 0,
    };
    // a file of only blank lines, separators and comments holds no
    // transcript: it is reported as empty rather than giving no record
    let emitted = std::cell::Cell::new(0usize);
    let emit = &mut |u: Unit| {
        emitted.set(emitted.get() + 1);
        emit(u)
    };
    let mut block = new_block(1);
    let mut blank_run = 0usize;
    let mut line_no = 0usize;
    let mut buf = Vec::new();
    loop {
        line_no += 1;
        let res = read_line_limited(r, &mut buf, max);
        let raw: &[u8] = match res {
            Ok(Line::Eof) => break,
            Ok(Line::TooLong(n)) => {
                if block.error.is_none() {
                    block.error = Some((line_no, format!("line is {n} bytes, longer than the limit of {max} bytes (--max-record-bytes)")));
                }
                continue;
            }
            Ok(Line::Read) => {
                if line_no == 1 {
                    strip_bom(&mut buf);
                }
                trim_line(&buf)
            }
            Err(e) => {
                emit(error(origin, line_no, None, format!("read error: {e}")));
                return;
            }
        };
        let line = match std::str::from_utf8(raw) {
            Ok(s) => s,
            Err(e) => {
                if block.error.is_none() {
                    block.error = Some((
                        line_no,
                        format!("invalid UTF-8 at byte {} of the line", e.valid_up_to() + 1),
                    ));
                }
                if block.turns.is_empty() {
                    block.line = block.line.min(line_no);
                }
                continue;
            }
        };
        let trimmed = line.trim();
        if trimmed == "---" || (trimmed.is_empty() && blank_run >= 1) {
            blank_run = 0;
            let done = std::mem::replace(&mut block, new_block(line_no + 1));
            if !finish(done, emit) {
                return;
            }
            continue;
        }
        if trimmed.is_empty() {
            blank_run += 1;
            continue;
        }
        let pending_blank = std::mem::take(&mut blank_run);
        if block.turns.is_empty() && block.id.is_none() && block.error.is_none() {
            block.line = line_no;
        }
        if let Some(id) = trimmed.strip_prefix('#') {
            if let Some(id) = id.trim().strip_prefix("id:") {
                block.id = Some(id.trim().to_string());
            }
            continue;
        }
        block.bytes += line.len();
        if block.bytes > max && block.error.is_none() {
            block.error = Some((
                line_no,
                format!("transcript is longer than the limit of {max} bytes (--max-record-bytes)"),
            ));
        }
        if let Some((role, name, text)) = speaker_prefix(line) {
            let mut turn = Turn::new(role, text.to_string());
            turn.name = name.map(Cow::Owned);
            block.turns.push(turn);
        } else if let Some(last) = block.turns.last_mut() {
            let t = last.text.to_mut();
            t.push_str(if pending_blank > 0 { "\n\n" } else { "\n" });
            t.push_str(line);
        } else if block.error.is_none() {
            block.error = Some((
                line_no,
                "text before any speaker prefix (expected \"Customer:\" or \"Agent:\")".to_string(),
            ));
        }
    }
    if !finish(block, emit) {
        return;
    }
    if emitted.get() == 0 {
        emit(error(origin, 0, None, "empty input: no transcripts"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units(format: InputFormat, data: &[u8]) -> Vec<Unit> {
        let mut out = Vec::new();
        let mut r = io::Cursor::new(data.to_vec());
        let origin = Origin {
            file: Arc::from("t"),
            line: 0,
        };
        let mut emit = |u: Unit| {
            out.push(u);
            true
        };
        match format {
            InputFormat::Jsonl => read_jsonl(&mut r, &origin, 1024, JsonlUnits::Lines, &mut emit),
            InputFormat::Json => read_json(&mut r, &origin, 1024, &mut emit),
            InputFormat::Text => read_text(&mut r, &origin, 1024, &mut emit),
            InputFormat::Csv => {
                let boxed: Box<dyn Read + Send> = Box::new(r);
                read_csv(BufReader::new(boxed), "-", false, &origin, &mut emit)
            }
        }
        out
    }

    fn ids(units: &[Unit]) -> Vec<String> {
        units
            .iter()
            .map(|u| match u {
                Unit::Item { item, .. } => item.transcript.id.to_string(),
                Unit::JsonLine { origin, .. } => format!("line{}", origin.line),
                Unit::JsonLines { origin, .. } => format!("block{}", origin.line),
                Unit::Error {
                    origin, message, ..
                } => format!("error@{}:{message}", origin.line),
            })
            .collect()
    }

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
            if len > max {
                out.push((line, Err(too_long(len, max))));
            } else {
                let mut b = trim_line(raw);
                if line == 1 {
                    b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
                }
                if !b.iter().all(u8::is_ascii_whitespace) {
                    out.push((line, Ok(b.to_vec())));
                }
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
        read_jsonl(&mut r, &origin, max, units, &mut |u| {
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
    fn csv_row_errors_come_after_the_conversation_open_around_them() {
        // contiguous: B stays open across the row without an id
        let got = ids(&units(
            InputFormat::Csv,
            b"conversation_id,role,text\nA,customer,hi\nB,customer,x\n,agent,no id\nB,agent,y\nC,customer,z\n",
        ));
        assert_eq!(got, ["A", "B", "error@4:row has no conversation id", "C"]);
        // grouped (A comes back): conversations by first row, errors by line
        let got = ids(&units(
            InputFormat::Csv,
            b"id,role,text\nA,customer,1\nB,customer,2\n,agent,x\nA,agent,3\n,agent,y\n",
        ));
        assert_eq!(
            got,
            [
                "A",
                "B",
                "error@4:row has no conversation id",
                "error@6:row has no conversation id"
            ]
        );
    }

    #[test]
    fn speaker_prefixes() {
        let (r, n, t) = speaker_prefix("AGENT (Maria): hello: there").unwrap();
        assert_eq!(
            (r, n.as_deref(), t),
            (Role::Agent, Some("Maria"), "hello: there")
        );
        assert_eq!(speaker_prefix("customer:hi").unwrap().2, "hi");
        assert!(speaker_prefix("Note: call back").is_none());
    }

    #[test]
    fn text_blocks_split_on_dashes_and_double_blank_lines() {
        let data =
            b"Customer: hi\r\nthere\nAgent: hello\n---\n# id: X-9\nCustomer: a\n\n\nAgent: b\n";
        let u = units(InputFormat::Text, data);
        assert_eq!(ids(&u), ["1", "X-9", "9"]);
        let Unit::Item { item, .. } = &u[0] else {
            panic!()
        };
        assert_eq!(item.transcript.turns[0].text, "hi\nthere");
    }

    #[test]
    fn text_before_a_prefix_is_an_error_for_that_transcript_only() {
        let u = units(InputFormat::Text, b"hello\nAgent: x\n---\nCustomer: y\n");
        let got = ids(&u);
        assert!(got[0].starts_with("error@1:text before"), "{got:?}");
        // "Customer: y" is line 4: the second transcript starts there.
        assert_eq!(got[1], "4");
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

    #[test]
    fn empty_inputs_are_errors() {
        for f in [
            InputFormat::Jsonl,
            InputFormat::Json,
            InputFormat::Text,
            InputFormat::Csv,
        ] {
            let got = ids(&units(f, b""));
            assert_eq!(got.len(), 1, "{f:?}");
            assert!(got[0].contains("empty input"), "{f:?}: {got:?}");
        }
    }

    #[test]
    fn record_errors_name_the_problem() {
        let e = parse_record(
            b"{\"id\": \"A\", \"turns\": [{\"role\": \"narrator\", \"text\": \"x\"}]}",
            "1",
        )
        .err()
        .unwrap();
        assert_eq!(e.id.as_deref(), Some("A"));
        assert!(
            e.message.contains("unknown role \"narrator\""),
            "{}",
            e.message
        );
        let e = parse_record(b"{\"id\": \"A\", \"turns\": [", "1")
            .err()
            .unwrap();
        assert!(e.message.starts_with("invalid JSON"), "{}", e.message);
        let e = parse_record(
            b"{\"turns\": [{\"role\": \"agent\", \"text\": \"\xff\"}]}",
            "1",
        )
        .err()
        .unwrap();
        assert!(e.message.contains("invalid UTF-8"), "{}", e.message);
        let ok = parse_record(
            b"{\"turns\": [{\"speaker\": \"User\", \"message\": \"hi\"}], \"team\": 7, \"x\": {}}",
            "12",
        )
        .ok()
        .unwrap();
        assert_eq!(ok.transcript.id, "12");
        assert_eq!(ok.transcript.team.as_deref(), Some("7"));
        assert_eq!(ok.transcript.turns[0].role, Role::Customer);
    }

    fn record_error(data: &str) -> (Option<String>, String) {
        match parse_record(data.as_bytes(), "9") {
            Ok(_) => panic!("{data} parsed"),
            Err(e) => (e.id, e.message),
        }
    }

    #[test]
    fn an_unknown_role_is_reported_after_json_and_metadata_errors() {
        // the first unknown role, by index, once the record has parsed
        let (id, m) = record_error(
            r#"{"turns": [{"role": "agent", "text": "a"}, {"role": "x", "text": "b"}, {"role": "y", "text": "c"}]}"#,
        );
        assert_eq!(id.as_deref(), Some("9"));
        assert!(m.starts_with("turn 1: unknown role \"x\""), "{m}");
        // a JSON error later in the record comes first
        let (_, m) = record_error(r#"{"turns": [{"role": "x", "text": "b"}], "team": }"#);
        assert!(m.starts_with("invalid JSON"), "{m}");
        let (_, m) = record_error(r#"{"turns": [{"role": "x", "text": "b"}, {"role": "agent"}]}"#);
        assert!(
            m.starts_with("not a transcript: missing field `text`"),
            "{m}"
        );
        // so does a metadata error
        let deep = format!("{}{}", "[".repeat(101), "]".repeat(101));
        let (_, m) = record_error(&format!(
            r#"{{"id": 5, "turns": [{{"role": "x", "text": "b"}}], "metadata": {deep}}}"#
        ));
        assert!(m.starts_with("metadata is nested deeper"), "{m}");
        // `turns` must be an array, named as `Vec`'s reader names it
        let (_, m) = record_error(r#"{"turns": "x"}"#);
        assert_eq!(
            m,
            "not a transcript: invalid type: string \"x\", expected a sequence (column 13)"
        );
    }

    /// parse_record gives exactly what serde_record gives (the same items,
    /// texts borrowed alike, the same errors), and says whether the fast
    /// reader took the record.
    fn same_as_serde(data: &str) -> bool {
        let fast = fast_record(data, "9");
        let took = fast.is_some();
        let got = parse_record(data.as_bytes(), "9");
        let want = serde_record(data, "9");
        match (got, want) {
            (Ok(g), Ok(w)) => {
                assert_eq!(g.transcript, w.transcript, "{data}");
                let borrowed = |t: &Transcript| {
                    t.turns
                        .iter()
                        .map(|t| matches!(t.text, Cow::Borrowed(_)))
                        .collect::<Vec<_>>()
                };
                assert_eq!(borrowed(&g.transcript), borrowed(&w.transcript), "{data}");
                assert_eq!(
                    g.metadata.map(|m| m.get().to_string()),
                    w.metadata.map(|m| m.get().to_string()),
                    "{data}"
                );
            }
            (Err(g), Err(w)) => {
                assert!(!took, "fast reader took a failing record: {data}");
                assert_eq!((g.id, g.message), (w.id, w.message), "{data}");
            }
            (g, w) => panic!("{data}: got ok={} want ok={}", g.is_ok(), w.is_ok()),
        }
        took
    }

    #[test]
    fn the_fast_reader_takes_the_common_shape_and_agrees_with_serde() {
        let taken = [
            r#"{"id": "a", "channel": "twitter", "team": "T", "turns": [{"role": "customer", "text": "hi", "timestamp": "2020"}, {"role": "agent", "text": "yo"}]}"#,
            r#" { "turns" : [ ] , "id" : null } "#,
            "{\"turns\":\t[\r\n{\"speaker\":\"User\",\"message\":\"a\\nb\"}]}",
            r#"{"messages": [{"sender": "rep", "body": "x", "name": null, "timestamp": null}], "agent": "A", "team": null}"#,
            r#"{"conversation": [{"author_type": " End_User ", "content": "q\"uote\\d \/ \b\f\r\t"}]}"#,
            r#"{"turns": [{"author": "bot", "text": "\u00e9\u0000\uD83D\uDE00 \ud83d\ude00x"}]}"#,
            r#"{"id": "\u0041-1", "turns": [{"text": "", "role": "agent", "name": "N\"ame"}]}"#,
            // special bytes on either side of 8- and 16-byte boundaries
            r#"{"turns": [{"role": "agent", "text": "0123456\"0123456789abcde\\f0123456789abcdef0123456789abcde\n"}]}"#,
            "{\"turns\": [{\"role\": \"agent\", \"text\": \"caf\u{e9} \u{1F600} \u{7f}\"}]}",
        ];
        for data in taken {
            assert!(same_as_serde(data), "not taken: {data}");
        }
        let left = [
            // numbers and booleans in loose fields, metadata, unknown fields
            r#"{"id": 42, "turns": []}"#,
            r#"{"id": -4.50e1, "turns": []}"#,
            r#"{"turns": [], "team": true}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "timestamp": 1700000000}]}"#,
            r#"{"turns": [], "metadata": {"a": [1, {"b": null}]}}"#,
            r#"{"turns": [], "metadata": null}"#,
            r#"{"turns": [], "extra": "x"}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "lang": "en"}]}"#,
            // keys with escapes, repeated keys (under aliases too)
            r#"{"turns": [{"role": "agent", "te\u0078t": "x"}]}"#,
            r#"{"id": "a", "id": "b", "turns": []}"#,
            r#"{"turns": [], "messages": []}"#,
            r#"{"turns": [{"role": "agent", "speaker": "customer", "text": "x"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "body": "y"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "name": "a", "name": null}]}"#,
            // surrogates: lone, reversed, broken
            r#"{"turns": [{"role": "agent", "text": "\ud83d"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\ud83dx"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\ude00\ud83d"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\ud83d\u0041"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\u12G4"}]}"#,
            r#"{"turns": [{"role": "agent", "text": "\x"}]}"#,
            // control characters, unknown roles, missing and wrong fields
            "{\"turns\": [{\"role\": \"agent\", \"text\": \"a\tb\"}]}",
            "{\"turns\": [{\"role\": \"agent\", \"text\": \"0123456789abcdef0123\nx\"}]}",
            r#"{"turns": [{"role": "narrator", "text": "x"}]}"#,
            r#"{"turns": [{"role": "Agent", "text": "x"}, {"role": "x", "text": "y"}]}"#,
            r#"{"turns": [{"role": "agent"}]}"#,
            r#"{"turns": [{"text": "x"}]}"#,
            r#"{"turns": [{}]}"#,
            r#"{"id": "a"}"#,
            r#"{}"#,
            r#"{"turns": null}"#,
            r#"{"turns": [{"role": 1, "text": "x"}]}"#,
            r#"{"turns": [{"role": "agent", "text": null}]}"#,
            r#"{"turns": [{"role": "agent", "text": ["x"]}]}"#,
            r#"{"turns": [{"role": "agent", "text": "x", "name": nul}]}"#,
            r#"["a", []]"#,
            r#""x""#,
            // syntax: trailing commas and characters, truncation
            r#"{"turns": [],}"#,
            r#"{"turns": [{"role": "agent", "text": "x"},]}"#,
            r#"{"turns": [{"role": "agent", "text": "x",}]}"#,
            r#"{"turns": []} x"#,
            r#"{"turns": []}}"#,
            r#"{"turns": [{"role": "agent", "text": "x"}"#,
            r#"{"turns": [{"role": "agent", "text": "x"#,
            r#"{"turns": [{"role": "agent", "text": "x\"#,
            r#"{"turns": [{"role": "agent", "text": "x\u00"#,
            r#"{"turns" [] }"#,
            "",
        ];
        for data in left {
            assert!(!same_as_serde(data), "taken: {data}");
        }
    }

    #[test]
    fn find_special_finds_the_first_quote_backslash_or_control_byte() {
        let naive = |b: &[u8]| b.iter().position(|&c| is_special(c));
        for len in 0..70 {
            for at in 0..len {
                for special in [b'"', b'\\', 0, 0x1f, b'\n'] {
                    let mut b = vec![b'a'; len];
                    b[at] = special;
                    // special bytes after the first may not hide it
                    if at + 1 < len {
                        b[at + 1] = b'"';
                    }
                    assert_eq!(find_special(&b), Some(at), "{b:?}");
                }
                let mut b = vec![0xC3; len];
                b[at] = 0x20;
                assert_eq!(find_special(&b), None);
                assert_eq!(find_special(&b), naive(&b));
            }
        }
        assert!(!is_special(0x7f) && !is_special(0x80) && !is_special(b' '));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

        #[test]
        fn find_special_agrees_with_a_byte_loop(b in proptest::collection::vec(
            proptest::prop_oneof![
                proptest::prelude::Just(b'"'),
                proptest::prelude::Just(b'\\'),
                0u8..0x21,
                0x21u8..=0xff,
                0x21u8..=0xff,
                0x21u8..=0xff,
            ],
            0..80,
        )) {
            proptest::prop_assert_eq!(find_special(&b), b.iter().position(|&c| is_special(c)));
        }

        #[test]
        fn parse_record_agrees_with_serde_on_records_made_of_odd_pieces(
            fields in proptest::collection::vec((0usize..KEYS.len(), 0usize..VALUES.len()), 0..5),
            turns in proptest::collection::vec(
                proptest::collection::vec((0usize..TURN_KEYS.len(), 0usize..VALUES.len()), 0..5),
                0..4,
            ),
            ws in 0usize..WS.len(),
            turns_key in 0usize..3,
        ) {
            let w = WS[ws];
            let value = |v: usize| VALUES[v].to_string();
            let mut parts: Vec<String> = fields
                .iter()
                .map(|&(k, v)| format!("{}{w}:{w}{}", KEYS[k], value(v)))
                .collect();
            let turns: Vec<String> = turns
                .iter()
                .map(|t| {
                    let kv: Vec<String> = t
                        .iter()
                        .map(|&(k, v)| format!("{}{w}:{w}{}", TURN_KEYS[k], value(v)))
                        .collect();
                    format!("{{{w}{}{w}}}", kv.join(&format!("{w},{w}")))
                })
                .collect();
            let name = ["\"turns\"", "\"messages\"", "\"conversation\""][turns_key];
            parts.insert(fields.len() / 2, format!("{name}:{w}[{}]", turns.join(",")));
            let data = format!("{w}{{{}}}{w}", parts.join(&format!("{w},")));
            same_as_serde(&data);
        }
    }

    const WS: &[&str] = &["", " ", "\n\t", "\r "];
    const KEYS: &[&str] = &[
        "\"id\"",
        "\"id\"",
        "\"agent\"",
        "\"team\"",
        "\"channel\"",
        "\"metadata\"",
        "\"other\"",
        "\"turns\"",
        "\"i\\u0064\"",
        "\"ID\"",
    ];
    const TURN_KEYS: &[&str] = &[
        "\"role\"",
        "\"role\"",
        "\"text\"",
        "\"text\"",
        "\"speaker\"",
        "\"message\"",
        "\"name\"",
        "\"timestamp\"",
        "\"body\"",
        "\"x\"",
        "\"t\\u0065xt\"",
    ];
    const VALUES: &[&str] = &[
        "\"agent\"",
        "\"customer\"",
        "\"User \"",
        "\"narrator\"",
        "\"plain text\"",
        "\"\"",
        "null",
        "7",
        "-0.5e3",
        "true",
        "[]",
        "{}",
        "{\"a\": [1, 2]}",
        "\"a\\nb\\\"c\\\\d\\/e\\tf\"",
        "\"\\u00e9\\uD83D\\uDE00\"",
        "\"\\ud83d\"",
        "\"\\udc00\\ud800\"",
        "\"\\ud800\\u0041\"",
        "\"\\q\"",
        "\"a\tb\"",
        "\"caf\u{e9} \u{1F600}\"",
        "\"0123456789abcdef0123456789ab\\\"cdef\"",
        "\"0123456789abcdef0123456789abcdef0\"",
        "nul",
        "\"unterminated",
    ];

    #[test]
    fn pretty_metadata_is_compacted_to_one_line() {
        let data =
            b"{\"turns\": [], \"metadata\": {\n  \"a\": [1, 2],\n  \"b\": \"x \\\" \\n y\"\n}}";
        let item = parse_record(data, "1").ok().unwrap();
        assert_eq!(
            item.metadata.unwrap().get(),
            r#"{"a":[1,2],"b":"x \" \n y"}"#
        );
    }

    #[test]
    fn json_array_elements_fail_alone() {
        let data =
            b"[\n{\"id\":\"a\",\"turns\":[]},\n{\"id\":\"b\"},\n{\"id\":\"c\",\"turns\":[]}\n]";
        let got = ids(&units(InputFormat::Json, data));
        assert_eq!(got[0], "a");
        assert!(got[1].starts_with("error@3:not a transcript"), "{got:?}");
        assert_eq!(got[2], "c");
    }

    #[test]
    fn csv_groups_rows_and_reports_missing_columns() {
        let data =
            b"conversation_id,author,message\n1,Customer,hi\n1,Agent,\"hello,\nthere\"\n2,user,x\n";
        let u = units(InputFormat::Csv, data);
        assert_eq!(ids(&u), ["1", "2"]);
        let Unit::Item { item, .. } = &u[0] else {
            panic!()
        };
        assert_eq!(item.transcript.turns[1].text, "hello,\nthere");
        let got = ids(&units(InputFormat::Csv, b"id,text\n1,hi\n"));
        assert!(got[0].contains("lacks required column role"), "{got:?}");
    }

    #[test]
    fn csv_non_contiguous_rows_are_grouped_in_first_seen_order() {
        let data = b"id,role,text\na,customer,1\nb,customer,2\na,agent,3\n";
        let u = units(InputFormat::Csv, data);
        assert_eq!(ids(&u), ["a", "b"]);
        let Unit::Item { item, .. } = &u[0] else {
            panic!()
        };
        assert_eq!(item.transcript.turns.len(), 2);
    }

    #[test]
    fn csv_unknown_role_fails_only_its_conversation() {
        let data = b"id,role,text\na,customer,1\na,martian,2\nb,agent,3\n";
        let got = ids(&units(InputFormat::Csv, data));
        assert!(got[0].starts_with("error@3:unknown role"), "{got:?}");
        assert_eq!(got[1], "b");
    }
}
