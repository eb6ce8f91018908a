//! Input readers: JSONL, JSON, CSV and plain text, streamed as [`Unit`]s.
//!
//! Readers never abort a batch: a record that cannot be read becomes a
//! [`Unit::Error`] naming the file and line, and reading goes on. JSONL lines
//! are handed to workers unparsed so that parsing runs in parallel.
//!
//! One module per format (`jsonl`, `json`, `csv`, `text`, and `replies` for
//! canned replies), one for a JSON transcript record (`record`, with its fast
//! reader in `fast_record`), and `common` for what they share: the
//! [`Unit`]s they emit, [`Origin`], line-limited reading and error wording.
//! This module opens an input and hands it to the reader of its format.

mod common;
mod csv;
mod fast_record;
mod json;
mod jsonl;
mod pump;
mod record;
mod replies;
mod text;
mod utf16;

pub(crate) use fast_record::find_special;

pub use common::{io_message, Item, Origin, TurnAt, Unit};
pub use jsonl::{jsonl_lines, too_long, JsonlLine, JsonlUnits, JSONL_BLOCK};
pub use pump::Idle;
pub use record::{parse_record, parse_record_at, RecordError};
pub use replies::read_replies;

use self::csv::read_csv;
use common::error;
use json::read_json;
use jsonl::read_jsonl;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use text::read_text;

/// Longest record accepted (a JSONL line, a CSV row or conversation, a text
/// line or transcript); longer ones become errors, read without being kept.
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

/// Reads one input (a path, or `-` for standard input) and sends each unit to
/// `emit`, in order. `emit` returns `false` to stop reading (output closed
/// or `--strict`). The path is opened as the OS gives it (a file name need
/// not be UTF-8); records and messages name it in its lossy UTF-8 form.
pub fn read_input(
    path: &Path,
    format: Option<InputFormat>,
    max_record: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    read_input_as(
        path,
        format,
        max_record,
        JsonlUnits::Lines,
        &Idle::default(),
        emit,
    );
}

/// The name of `path` in records and messages: the path as given, with
/// any bytes that are not UTF-8 as U+FFFD.
pub fn display_name(path: &Path) -> Arc<str> {
    Arc::from(path.to_string_lossy())
}

/// [`read_input`], with JSONL in the units asked for. JSONL on standard
/// input is read on a thread of its own: when it has nothing more for now,
/// the whole lines read so far are emitted and `idle` asks (its
/// [`Idle::take_flush`]) that they be passed on without waiting for more.
pub fn read_input_as(
    path: &Path,
    format: Option<InputFormat>,
    max_record: usize,
    jsonl: JsonlUnits,
    idle: &Idle,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    let origin = Origin {
        file: display_name(path),
        line: 0,
    };
    let stdin = path == Path::new("-");
    // standard input, and a file with no extension (a pipe such as
    // `/dev/fd/63`), are JSONL unless told otherwise; an extension that
    // names no format is an error rather than a guess
    let format = match format.or_else(|| InputFormat::from_path(path)) {
        Some(f) => f,
        None => match path.extension().filter(|_| !stdin) {
            None => InputFormat::Jsonl,
            Some(ext) => {
                emit(error(
                    &origin,
                    0,
                    None,
                    format!(
                        "unknown input format: the extension .{} is none of .jsonl, .ndjson, .json, .csv, .txt (give it with --input-format jsonl|json|csv|text)",
                        ext.to_string_lossy()
                    ),
                ));
                return;
            }
        },
    };
    let reader: Box<dyn Read + Send> = if stdin && format == InputFormat::Jsonl {
        pump::pump(Box::new(io::stdin()), idle)
    } else if stdin {
        Box::new(io::stdin())
    } else {
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
    let reopen = (!stdin).then_some(path);
    read_stream(
        reader, &origin, reopen, format, max_record, jsonl, idle, emit,
    );
}

/// Reads transcripts from any byte stream (standard input, a socket, a buffer)
/// and sends each unit to `emit`, in order, exactly as [`read_input`] does for
/// a file. `name` is used in error records; a CSV stream longer than 1 MiB
/// is first copied to an unnamed temporary file, to be read more than once.
pub fn read_reader(
    reader: Box<dyn Read + Send>,
    name: &str,
    format: InputFormat,
    max_record: usize,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    let origin = Origin {
        file: Arc::from(name),
        line: 0,
    };
    read_stream(
        reader,
        &origin,
        None,
        format,
        max_record,
        JsonlUnits::Lines,
        &Idle::default(),
        emit,
    );
}

/// Reads `reader` in `format`. `reopen` is the path of a named input, which
/// CSV may read a second time (its first pass checks that conversations are
/// contiguous).
#[allow(clippy::too_many_arguments)]
fn read_stream(
    reader: Box<dyn Read + Send>,
    origin: &Origin,
    reopen: Option<&Path>,
    format: InputFormat,
    max_record: usize,
    jsonl: JsonlUnits,
    idle: &Idle,
    emit: &mut dyn FnMut(Unit) -> bool,
) {
    // a UTF-16 file is decoded as it is read; CSV then copies the decoded
    // stream rather than reading the file again
    let (reader, utf16) = utf16::sniff(reader);
    let reopen = reopen.filter(|_| utf16.is_none());
    let mut reader = BufReader::with_capacity(256 * 1024, reader);
    match format {
        InputFormat::Jsonl => read_jsonl(&mut reader, origin, max_record, jsonl, idle, emit),
        InputFormat::Json => read_json(&mut reader, origin, max_record, emit),
        InputFormat::Csv => read_csv(reader, reopen, origin, max_record, emit),
        InputFormat::Text => read_text(&mut reader, origin, max_record, emit),
    }
}

/// Helpers for the readers' tests.
#[cfg(test)]
mod test_support {
    use super::*;

    /// The units a reader gives for `data` (records up to 1024 bytes).
    pub(super) fn units(format: InputFormat, data: &[u8]) -> Vec<Unit> {
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
            InputFormat::Jsonl => read_jsonl(
                &mut r,
                &origin,
                1024,
                JsonlUnits::Lines,
                &Idle::default(),
                &mut emit,
            ),
            InputFormat::Json => read_json(&mut r, &origin, 1024, &mut emit),
            InputFormat::Text => read_text(&mut r, &origin, 1024, &mut emit),
            InputFormat::Csv => {
                let boxed: Box<dyn Read + Send> = Box::new(r);
                read_csv(BufReader::new(boxed), None, &origin, 1024, &mut emit)
            }
        }
        out
    }

    /// Each unit in brief: an item's id, `line N`, `block N` or
    /// `error@LINE:message`.
    pub(super) fn ids(units: &[Unit]) -> Vec<String> {
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
}

#[cfg(test)]
mod tests {
    use super::test_support::{ids, units};
    use super::*;

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
}
