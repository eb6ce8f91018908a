//! CSV: one message per row with a header, rows of one conversation
//! grouped (in file order when contiguous, else by id in first-seen order),
//! in bounded memory: rows are read by [`rows::Rows`], which keeps at most
//! `--max-record-bytes` of a row, and a conversation longer than that is an
//! error record without its text.
//!
//! A first pass over the file reads the id column only and plans the rest.
//! When every conversation's rows are contiguous, one more pass streams
//! them. When they are not, conversations are grouped in memory by id, in
//! first-seen order, at most [`WINDOW_FACTOR`] × `--max-record-bytes` of them
//! at a time: a larger file takes one pass per window of conversations.
//! Standard input, a pipe or a FIFO, which can be read only once, is first
//! copied: to memory up to 1 MiB, else to an unnamed temporary file (held
//! in memory only when none can be written). (`::csv` is the csv crate; this module is `input::csv`.)

mod rows;

use super::common::{error, Item, Origin, TurnAt, Unit};
use rows::Rows;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use tactful::{Role, Transcript, Turn};

/// Conversations grouped in memory at once, in input bytes: at most this
/// many times `--max-record-bytes` (the bound of a `.json` file, also read
/// whole).
pub(super) const WINDOW_FACTOR: u64 = 16;

/// Most bytes of a stream held in memory to be read twice; a longer one is
/// copied to a temporary file.
const SPOOL_MEMORY: usize = 1024 * 1024;

/// What one row costs in memory besides its text (its turn), for planning.
const ROW_COST: u64 = 96;

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

/// The header's names, normalized (BOM, case, spaces and dashes).
fn header_names<R: io::BufRead>(rows: &Rows<R>) -> Vec<String> {
    rows.iter()
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
        .collect()
}

/// Reads the header row: the columns, or the error unit of the whole file.
fn read_header<R: io::BufRead>(
    rows: &mut Rows<R>,
    origin: &Origin,
    max: usize,
) -> Result<Columns, Unit> {
    match rows.next_row() {
        Ok(true) => {}
        Ok(false) => return Err(error(origin, 0, None, "empty input: no header row")),
        Err(e) => return Err(error(origin, 1, None, format!("read error: {e}"))),
    }
    if let Some(n) = rows.too_long() {
        return Err(error(
            origin,
            rows.line(),
            None,
            format!("CSV header is {n} bytes, longer than the limit of {max} bytes (--max-record-bytes)"),
        ));
    }
    let headers = header_names(rows);
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
        return Err(error(
            origin,
            rows.line(),
            None,
            format!(
                "CSV header lacks required column {}; found: {}",
                missing.join(", "),
                headers.join(", ")
            ),
        ));
    };
    Ok(Columns {
        id,
        role,
        text,
        timestamp: find_column(&headers, &["timestamp", "time", "created_at", "date"]),
        agent: find_column(&headers, &["agent", "agent_name", "agent_id", "assignee"]),
        team: find_column(&headers, &["team", "group", "queue"]),
        channel: find_column(&headers, &["channel", "via"]),
        name: find_column(&headers, &["name", "author_name", "sender_name"]),
    })
}

/// What a row's id column says, the same in every pass.
enum RowId<'a> {
    /// Every field empty or white space: the row is skipped.
    Blank,
    /// The conversation id, as it groups rows ([`id_key`]).
    Id(&'a str),
    /// No id (an empty field, or too few fields).
    Missing,
    /// An id that is not UTF-8.
    NotUtf8,
    /// The row is longer than the limit, and its id is past it.
    TooLong(u64),
}

fn row_id<R: io::BufRead>(rows: &Rows<R>, col: usize) -> RowId<'_> {
    if rows.is_blank() {
        return RowId::Blank;
    }
    match rows.field(col).map(|b| std::str::from_utf8(id_key(b))) {
        Some(Ok("")) => RowId::Missing,
        Some(Ok(id)) => RowId::Id(id),
        Some(Err(_)) => RowId::NotUtf8,
        None => match rows.too_long() {
            Some(n) => RowId::TooLong(n),
            None => RowId::Missing,
        },
    }
}

/// A conversation id as it groups rows, in every pass over a file (the
/// plan and the grouping): the field without the Unicode white space around
/// it (a no-break space or an em space from a spreadsheet cell counts as
/// space, as `str::trim` says), so that `A` and `A\u{a0}` are one
/// conversation, `A`. A field that is not UTF-8 (an error row) loses only
/// ASCII white space.
fn id_key(field: &[u8]) -> &[u8] {
    match std::str::from_utf8(field) {
        Ok(s) => s.trim().as_bytes(),
        Err(_) => field.trim_ascii(),
    }
}

fn too_long_message(n: u64, max: usize) -> String {
    format!("row is {n} bytes, longer than the limit of {max} bytes (--max-record-bytes)")
}

fn unterminated_message(line: usize) -> String {
    format!(
        "unterminated quoted field: the quote opened on line {line} is never closed, so the rest of the file was read as one field"
    )
}

struct CsvGroup {
    id: String,
    line: usize,
    turns: Vec<Turn<'static>>,
    /// The line of each turn's row.
    turns_at: Vec<TurnAt>,
    agent: Option<String>,
    team: Option<String>,
    channel: Option<String>,
    error: Option<(usize, String)>,
    /// Its rows' bytes in the file so far.
    bytes: u64,
}

impl CsvGroup {
    fn new(id: &str, line: usize) -> CsvGroup {
        CsvGroup {
            id: id.to_string(),
            line,
            turns: Vec::new(),
            turns_at: Vec::new(),
            agent: None,
            team: None,
            channel: None,
            error: None,
            bytes: 0,
        }
    }

    /// Fails the conversation: its text is dropped (only the error is
    /// written).
    fn fail(&mut self, line: usize, message: String) {
        self.error = Some((line, message));
        self.turns = Vec::new();
        self.turns_at = Vec::new();
    }

    /// Adds the current row, or fails the conversation with what is wrong
    /// with it.
    fn add<R: io::BufRead>(&mut self, rows: &Rows<R>, cols: &Columns, max: usize) {
        let line = rows.line();
        if let Some(n) = rows.too_long() {
            self.fail(line, too_long_message(n, max));
            return;
        }
        self.bytes += rows.bytes();
        if self.bytes > max as u64 {
            self.fail(
                line,
                format!(
                    "conversation is longer than the limit of {max} bytes (--max-record-bytes)"
                ),
            );
            return;
        }
        let get = |i: Option<usize>| -> Result<Option<String>, String> {
            match i.and_then(|i| rows.field(i)) {
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
            if rows.field(cols.text).is_none() {
                return Err(format!("row has {} fields, no text column", rows.len()));
            }
            let text = get(Some(cols.text))
                .map_err(|e| format!("text: {e}"))?
                .unwrap_or_default();
            let mut turn = Turn::new(role, text);
            turn.timestamp = get(cols.timestamp)?.map(Cow::Owned);
            turn.name = get(cols.name)?.map(Cow::Owned);
            if role == Role::Agent && self.agent.is_none() {
                self.agent = get(cols.agent)?;
            }
            if self.team.is_none() {
                self.team = get(cols.team)?;
            }
            if self.channel.is_none() {
                self.channel = get(cols.channel)?;
            }
            self.turns.push(turn);
            self.turns_at.push(TurnAt { line, column: 0 });
            Ok(())
        })();
        if let Err(message) = result {
            self.fail(line, message);
        }
    }

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
            turns_at: self.turns_at,
        }
    }
}

/// The input, readable once per pass.
enum Replay {
    /// A regular file, opened again by its path.
    Path(PathBuf),
    /// A stream copied to an unnamed temporary file.
    Spool(File),
    /// A stream held in memory (no temporary file could be written).
    Memory(Vec<u8>),
}

impl Replay {
    /// Copies a stream that can be read only once: up to [`SPOOL_MEMORY`]
    /// bytes to memory, a longer one to an unnamed temporary file (or to
    /// memory when none can be made or written, as on a full disk: what was
    /// written is read back).
    fn spool(mut reader: impl Read) -> io::Result<Replay> {
        let mut file: Option<File> = None;
        let (mut written, mut memory) = (0u64, Vec::new());
        let mut buf = vec![0u8; 256 * 1024];
        let mut spill = true;
        loop {
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            memory.extend_from_slice(&buf[..n]);
            if spill && file.is_none() && memory.len() > SPOOL_MEMORY {
                file = tempfile::tempfile().ok();
                spill = file.is_some();
            }
            if let Some(f) = &mut file {
                if f.write_all(&memory).is_ok() {
                    written += memory.len() as u64;
                    memory.clear();
                    continue;
                }
                let mut back = Vec::new();
                f.seek(SeekFrom::Start(0))?;
                f.take(written).read_to_end(&mut back)?;
                back.append(&mut memory);
                memory = back;
                (file, spill) = (None, false);
            }
        }
        Ok(match file {
            Some(f) => Replay::Spool(f),
            None => Replay::Memory(memory),
        })
    }

    /// The input from its start.
    fn open(&self) -> io::Result<BufReader<Box<dyn Read + Send + '_>>> {
        let r: Box<dyn Read + Send + '_> = match self {
            Replay::Path(p) => Box::new(File::open(p)?),
            Replay::Spool(f) => {
                let mut f: &File = f;
                f.seek(SeekFrom::Start(0))?;
                Box::new(f)
            }
            Replay::Memory(m) => Box::new(&m[..]),
        };
        Ok(BufReader::with_capacity(256 * 1024, r))
    }
}

/// What the first pass learns: each conversation's place in first-seen
/// order, where it starts and what it costs to hold, and whether rows of
/// one conversation are contiguous.
#[derive(Default)]
struct Plan {
    ordinals: HashMap<Vec<u8>, usize>,
    first_lines: Vec<usize>,
    costs: Vec<u64>,
    contiguous: bool,
}

impl Plan {
    /// A pass over the id column of `r`.
    fn read(r: impl io::BufRead, max: usize) -> io::Result<Plan> {
        let mut plan = Plan {
            contiguous: true,
            ..Plan::default()
        };
        let mut rows = Rows::new(r, max);
        if !rows.next_row()? {
            return Ok(plan);
        }
        let Some(col) = find_column(&header_names(&rows), ID_COLUMNS) else {
            return Ok(plan);
        };
        let mut last: Option<usize> = None;
        while rows.next_row()? {
            let ordinal = match row_id(&rows, col) {
                RowId::Blank => continue,
                RowId::Id(id) => match plan.ordinals.get(id.as_bytes()) {
                    Some(&o) => {
                        plan.contiguous &= last == Some(o);
                        o
                    }
                    None => {
                        let o = plan.first_lines.len();
                        plan.ordinals.insert(id.as_bytes().to_vec(), o);
                        plan.first_lines.push(rows.line());
                        plan.costs.push(0);
                        o
                    }
                },
                // an error row waits with the conversation before it
                _ => match plan.costs.last_mut() {
                    Some(c) => {
                        *c += ROW_COST;
                        continue;
                    }
                    None => continue,
                },
            };
            last = Some(ordinal);
            let bytes = if rows.too_long().is_some() {
                0
            } else {
                rows.bytes()
            };
            plan.costs[ordinal] += bytes + ROW_COST;
        }
        Ok(plan)
    }

    /// Consecutive ranges of conversations (in first-seen order) that each
    /// cost at most `budget`, or one conversation.
    fn windows(&self, budget: u64) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let (mut lo, mut sum) = (0, 0u64);
        for (i, &c) in self.costs.iter().enumerate() {
            if i > lo && sum + c > budget {
                out.push((lo, i));
                (lo, sum) = (i, 0);
            }
            sum += c;
        }
        out.push((lo, self.costs.len()));
        out
    }
}

/// Which conversations a grouping pass holds: ordinals `lo..hi`, and the
/// row errors between their first lines.
struct Window<'a> {
    plan: &'a Plan,
    lo: usize,
    hi: usize,
}

impl Window<'_> {
    /// Whether an error on `line` is this window's to write.
    fn has_line(&self, line: usize) -> bool {
        let first = |o: usize| self.plan.first_lines.get(o).copied();
        (self.lo == 0 || first(self.lo).is_some_and(|l| line >= l))
            && first(self.hi).is_none_or(|l| line < l)
    }
}

pub(super) fn read_csv(
    reader: BufReader<Box<dyn Read + Send>>,
    reopen: Option<&Path>,
    origin: &Origin,
    max: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    // counted, so that a file whose rows are all blank is reported as empty
    // rather than giving no record
    let emitted = std::cell::Cell::new(0usize);
    let emit = &mut |u: Unit| {
        emitted.set(emitted.get() + 1);
        emit(u)
    };
    let regular = reopen.filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    let (replay, mut first) = match regular {
        Some(p) => (Replay::Path(p.to_path_buf()), Some(reader)),
        None => match Replay::spool(reader) {
            Ok(r) => (r, None),
            Err(e) => {
                emit(error(origin, 0, None, format!("read error: {e}")));
                return;
            }
        },
    };
    let mut plan = match replay.open().and_then(|r| Plan::read(r, max)) {
        Ok(p) => p,
        // the grouping pass meets the same error and reports it
        Err(_) => Plan {
            contiguous: true,
            ..Plan::default()
        },
    };
    if plan.contiguous {
        // streamed: the ids are not needed again
        plan = Plan {
            contiguous: true,
            ..Plan::default()
        };
    }
    let windows = if plan.contiguous {
        vec![None]
    } else {
        let budget = (max as u64).saturating_mul(WINDOW_FACTOR);
        plan.windows(budget)
            .into_iter()
            .map(|(lo, hi)| {
                Some(Window {
                    plan: &plan,
                    lo,
                    hi,
                })
            })
            .collect()
    };
    let mut rows_read = 0;
    for window in &windows {
        let reader = match first.take() {
            Some(r) => r,
            None => match replay.open() {
                Ok(r) => r,
                Err(e) => {
                    emit(error(origin, 0, None, format!("cannot read again: {e}")));
                    return;
                }
            },
        };
        let mut rows = Rows::new(reader, max);
        let cols = match read_header(&mut rows, origin, max) {
            Ok(c) => c,
            Err(e) => {
                emit(e);
                return;
            }
        };
        match group_pass(&mut rows, &cols, origin, max, window.as_ref(), emit) {
            Some(n) => rows_read = n,
            None => return,
        }
    }
    if rows_read == 0 {
        emit(error(origin, 0, None, "empty input: a header but no rows"));
    } else if emitted.get() == 0 {
        emit(error(origin, 0, None, "empty input: every row is blank"));
    }
}

/// One pass over the rows after the header: every conversation streamed
/// (contiguous rows, no window), or the conversations of `window` grouped
/// in memory. Records come in the order of the line each starts on: a
/// conversation at its first row, so errors of single rows (no id, too long)
/// wait while a conversation is open. The number of rows read, or none when
/// the output stopped.
fn group_pass<R: io::BufRead>(
    rows: &mut Rows<R>,
    cols: &Columns,
    origin: &Origin,
    max: usize,
    window: Option<&Window>,
    emit: &mut dyn FnMut(Unit) -> bool,
) -> Option<usize> {
    let mut current: Option<CsvGroup> = None;
    let mut grouped: Vec<Option<CsvGroup>> = match window {
        Some(w) => (w.lo..w.hi).map(|_| None).collect(),
        None => Vec::new(),
    };
    let mut held: Vec<Unit> = Vec::new();
    let mut count = 0usize;
    loop {
        match rows.next_row() {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // a read error ends the file; what was read before it is
                // still written
                if window.is_none_or(|w| w.has_line(rows.line())) {
                    held.push(error(origin, rows.line(), None, format!("read error: {e}")));
                }
                break;
            }
        }
        count += 1;
        let line = rows.line();
        // the last row, when a quote in it is never closed: it ran to the
        // end of the file
        let open_quote = rows.unterminated();
        let row_error = match row_id(rows, cols.id) {
            RowId::Blank if open_quote.is_none() => continue,
            RowId::Id(id) => {
                let group = match window {
                    None => {
                        if current.as_ref().is_some_and(|g| g.id != id) {
                            if let Some(done) = current.take() {
                                if !emit(done.into_unit(origin)) || !flush(&mut held, emit) {
                                    return None;
                                }
                            }
                        }
                        current.get_or_insert_with(|| CsvGroup::new(id, line))
                    }
                    Some(w) => match w.plan.ordinals.get(id.as_bytes()) {
                        Some(&o) if (w.lo..w.hi).contains(&o) => {
                            grouped[o - w.lo].get_or_insert_with(|| CsvGroup::new(id, line))
                        }
                        Some(_) => continue,
                        None => {
                            if w.has_line(line) {
                                held.push(error(
                                    origin,
                                    line,
                                    None,
                                    "the file changed while it was read",
                                ));
                            }
                            continue;
                        }
                    },
                };
                match open_quote {
                    Some(q) => group.fail(q, unterminated_message(q)),
                    None if group.error.is_none() => group.add(rows, cols, max),
                    None => {}
                }
                continue;
            }
            _ if open_quote.is_some() => None,
            RowId::Blank | RowId::Missing => Some("row has no conversation id".to_string()),
            RowId::NotUtf8 => Some("invalid UTF-8 in the conversation id".to_string()),
            RowId::TooLong(n) => Some(too_long_message(n, max)),
        };
        let (line, message) = match (open_quote, row_error) {
            (Some(q), _) => (q, unterminated_message(q)),
            (None, Some(m)) => (line, m),
            (None, None) => continue,
        };
        if window.is_some_and(|w| !w.has_line(line)) {
            continue;
        }
        held.push(error(origin, line, None, message));
        if window.is_none() && current.is_none() && !flush(&mut held, emit) {
            return None;
        }
    }
    if let Some(done) = current.take() {
        if !emit(done.into_unit(origin)) {
            return None;
        }
    }
    // grouped conversations (in the order of their first rows) and the row
    // errors, merged by the line each starts on
    let mut errors = held.into_iter().peekable();
    for g in grouped.into_iter().flatten() {
        while let Some(e) = errors.next_if(|e| e.origin().line < g.line) {
            if !emit(e) {
                return None;
            }
        }
        if !emit(g.into_unit(origin)) {
            return None;
        }
    }
    for e in errors {
        if !emit(e) {
            return None;
        }
    }
    Some(count)
}

/// Emits the held units in order; `false` when output stopped.
fn flush(held: &mut Vec<Unit>, emit: &mut dyn FnMut(Unit) -> bool) -> bool {
    held.drain(..).all(emit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::test_support::{ids, units};
    use crate::input::InputFormat;

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
