//! CSV: one message per row with a header, rows of one conversation
//! grouped (in file order when contiguous, else by id in first-seen order),
//! with a quote tracker for what the csv crate does not tell. (`::csv` is
//! the csv crate; this module is `input::csv`.)

use super::common::{error, Item, Origin, Unit};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use tactful::{Role, Transcript, Turn};

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

pub(super) fn read_csv(
    mut reader: BufReader<Box<dyn Read + Send>>,
    reopen: Option<&Path>,
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
    let regular = reopen.filter(|p| std::fs::metadata(p).is_ok_and(|m| m.is_file()));
    let contiguous = if let Some(path) = regular {
        match File::open(path) {
            Ok(f) => ids_contiguous(BufReader::new(f)),
            Err(_) => true,
        }
    } else {
        let mut all = Vec::new();
        if let Err(e) = reader.read_to_end(&mut all) {
            emit(error(origin, 0, None, format!("read error: {e}")));
            return;
        }
        let c = ids_contiguous(&all[..]);
        let boxed: Box<dyn Read + Send> = Box::new(io::Cursor::new(all));
        reader = BufReader::new(boxed);
        c
    };
    let mut csv = ::csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(QuoteTracker::new(reader));
    let mut record = ::csv::ByteRecord::new();
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
                let io = matches!(e.kind(), ::csv::ErrorKind::Io(_));
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
        // a row of only empty or white-space fields is blank
        if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
            continue;
        }
        let conv_id = match record.get(cols.id).map(|b| std::str::from_utf8(id_key(b))) {
            Some(Ok(s)) if !s.is_empty() => s.to_string(),
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
    /// Whether the last byte read was `\r` (a lone `\r` ends a line, as
    /// the csv crate reads it; `\r\n` is one line end).
    after_cr: bool,
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
            after_cr: false,
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
            if b == b'\r' || (b == b'\n' && !self.after_cr) {
                self.line += 1;
            }
            self.after_cr = b == b'\r';
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

/// A conversation id as it groups rows, in both passes over a file (the
/// contiguity check and the grouping): the field without the Unicode white
/// space around it (a no-break space or an em space from a spreadsheet cell
/// counts as space, as `str::trim` says), so that `A` and `A\u{a0}` are one
/// conversation, `A`. A field that is not UTF-8 (an error row) loses only
/// ASCII white space.
fn id_key(field: &[u8]) -> &[u8] {
    match std::str::from_utf8(field) {
        Ok(s) => s.trim().as_bytes(),
        Err(_) => field.trim_ascii(),
    }
}

/// Whether every conversation's rows are contiguous (a pass over the id column).
fn ids_contiguous(r: impl Read) -> bool {
    let mut csv = ::csv::ReaderBuilder::new().flexible(true).from_reader(r);
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
    let mut record = ::csv::ByteRecord::new();
    while let Ok(true) = csv.read_byte_record(&mut record) {
        let Some(id) = record.get(col) else { continue };
        let id = id_key(id);
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
