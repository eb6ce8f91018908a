//! Finding rows as Arrow columns, built in Rust: what `Analyzer.analyze_arrow`
//! hands to pyarrow, with no Python object per record or finding.
//!
//! The rows are those of `tactful.rows` (and of `tactful check --format
//! csv`): one per finding, one with empty finding columns for a transcript
//! without findings, one with only `id` and `error` for an error record. They
//! are read from the command line's own `jsonl` records (the bytes
//! `tactful_cli::output::json_record` writes), column by column as named by
//! `CSV_HEADER`, exactly as `tactful.rows` reads the dicts: `id` and `score`
//! from the record, `error` from the record's `error.message`, the other
//! columns from the finding of the same name. So the columns cannot drift from
//! the records either.
//!
//! Each column is built as Arrow's buffers (a validity bitmap, 32-bit offsets
//! and UTF-8 data for a string column, little-endian 64-bit values for an
//! integer column) in the worker threads, without the GIL; the Python side
//! wraps them with `pyarrow.Array.from_buffers` (no copy).

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use tactful_cli::output::CSV_HEADER;

/// The integer columns (Arrow `int64`); every other column is a string.
pub const INT_COLUMNS: &[&str] = &["score", "turn", "start", "end"];

/// Most bytes of string data one Arrow `string` array may hold (its offsets
/// are 32-bit); a batch that would hold more is split.
const MAX_STRING_BYTES: usize = i32::MAX as usize;

/// Where a column's values come from in a record.
#[derive(Clone, Copy)]
enum Source {
    /// The record's own field (`id`, `score`).
    Record(&'static str),
    /// The message of the record's `error`.
    Error,
    /// The field of the same name of each finding.
    Finding(&'static str),
}

fn source(name: &'static str) -> Source {
    match name {
        "id" | "score" => Source::Record(name),
        "error" => Source::Error,
        _ => Source::Finding(name),
    }
}

/// The values of one column.
enum Values {
    /// UTF-8 data and where each value ends in it.
    Str { ends: Vec<usize>, data: Vec<u8> },
    /// 64-bit integers (0 where null).
    Int(Vec<i64>),
}

/// One column of a fragment or batch.
struct Column {
    name: &'static str,
    source: Source,
    valid: Vec<bool>,
    values: Values,
}

impl Column {
    fn new(name: &'static str) -> Column {
        let values = if INT_COLUMNS.contains(&name) {
            Values::Int(Vec::new())
        } else {
            Values::Str {
                ends: Vec::new(),
                data: Vec::new(),
            }
        };
        Column {
            name,
            source: source(name),
            valid: Vec::new(),
            values,
        }
    }

    /// Appends one value: a JSON value as the record holds it, or none.
    fn push(&mut self, value: Option<&RawValue>) {
        self.push_json(value.map(RawValue::get));
    }

    /// Appends one value as JSON text, or none.
    fn push_json(&mut self, value: Option<&str>) {
        let value = value.filter(|v| *v != "null");
        match &mut self.values {
            Values::Int(values) => {
                let v = value.and_then(|v| v.parse::<i64>().ok());
                self.valid.push(v.is_some());
                values.push(v.unwrap_or(0));
            }
            Values::Str { ends, data } => {
                match value {
                    Some(v) => {
                        data.extend_from_slice(json_text(v).as_bytes());
                        self.valid.push(true);
                    }
                    None => self.valid.push(false),
                }
                ends.push(data.len());
            }
        }
    }

    fn len(&self) -> usize {
        self.valid.len()
    }

    /// Bytes of string data from row `from` to row `to` (0 for integers).
    fn bytes_between(&self, from: usize, to: usize) -> usize {
        match &self.values {
            Values::Int(_) => 0,
            Values::Str { ends, .. } => end_at(ends, to) - end_at(ends, from),
        }
    }

    /// Appends rows `from..to` of `other`, a column of the same name.
    fn extend(&mut self, other: &Column, from: usize, to: usize) {
        self.valid.extend_from_slice(&other.valid[from..to]);
        match (&mut self.values, &other.values) {
            (Values::Int(mine), Values::Int(theirs)) => mine.extend_from_slice(&theirs[from..to]),
            (
                Values::Str { ends, data },
                Values::Str {
                    ends: their_ends,
                    data: their_data,
                },
            ) => {
                let base = end_at(their_ends, from);
                let shift = data.len();
                data.extend_from_slice(&their_data[base..end_at(their_ends, to)]);
                ends.extend(their_ends[from..to].iter().map(|e| e - base + shift));
            }
            _ => {}
        }
    }
}

/// Where row `row`'s value starts (the previous row's end).
fn end_at(ends: &[usize], row: usize) -> usize {
    if row == 0 {
        0
    } else {
        ends[row - 1]
    }
}

/// The text of a JSON value: a string's contents, unescaped; any other value
/// as written.
fn json_text(raw: &str) -> Cow<'_, str> {
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        if !inner.contains('\\') {
            return Cow::Borrowed(inner);
        }
        if let Ok(s) = serde_json::from_str::<String>(raw) {
            return Cow::Owned(s);
        }
    }
    Cow::Borrowed(raw)
}

/// The fields of an output record that the rows read.
#[derive(Deserialize)]
struct RecordView<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    score: Option<&'a RawValue>,
    #[serde(borrow, default)]
    findings: Vec<Fields<'a>>,
    #[serde(borrow, default)]
    error: Option<Fields<'a>>,
}

/// A JSON object's fields, borrowed, in order.
struct Fields<'a> {
    map: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Fields<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Fields<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut a: A,
            ) -> Result<Self::Value, A::Error> {
                let mut map = Vec::with_capacity(a.size_hint().unwrap_or(12));
                while let Some((Key(k), v)) = a.next_entry::<Key<'a>, &'a RawValue>()? {
                    map.push((k, v));
                }
                Ok(Fields { map })
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

/// A field name, borrowed unless it holds an escape.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> serde::de::Visitor<'de> for Visit<'a> {
            type Value = Key<'a>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(Visit(std::marker::PhantomData))
    }
}

/// Finding rows of records, column by column, with each row's record (its
/// 0-based position among the records of the call).
pub struct Rows {
    columns: Vec<Column>,
    record: Vec<i64>,
}

impl Default for Rows {
    fn default() -> Rows {
        Rows::new()
    }
}

impl Rows {
    /// No rows yet, with the columns of `CSV_HEADER`.
    pub fn new() -> Rows {
        Rows {
            columns: CSV_HEADER.iter().map(|&name| Column::new(name)).collect(),
            record: Vec::new(),
        }
    }

    /// Number of rows.
    pub fn len(&self) -> usize {
        self.record.len()
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.record.is_empty()
    }

    /// Appends the rows of one output record (one `jsonl` record, without
    /// its newline), the `position`-th of the call. A record that cannot be
    /// read (never one that the CLI's writer made) gives an error row.
    pub fn push_record(&mut self, json: &[u8], position: i64) {
        let view = match serde_json::from_slice::<RecordView>(json) {
            Ok(view) => view,
            Err(e) => {
                let message = serde_json::to_string(&format!(
                    "internal error: unreadable output record ({e})"
                ))
                .unwrap_or_default();
                for column in &mut self.columns {
                    match column.source {
                        Source::Error => column.push_json(Some(&message)),
                        _ => column.push(None),
                    }
                }
                self.record.push(position);
                return;
            }
        };
        if let Some(error) = &view.error {
            let message = get(&error.map, "message");
            for column in &mut self.columns {
                match column.source {
                    Source::Record("id") => column.push(view.id),
                    Source::Error => column.push(message),
                    _ => column.push(None),
                }
            }
            self.record.push(position);
            return;
        }
        let none = [];
        let findings: Vec<&[(Cow<str>, &RawValue)]> = if view.findings.is_empty() {
            vec![&none]
        } else {
            view.findings.iter().map(|f| f.map.as_slice()).collect()
        };
        for finding in findings {
            for column in &mut self.columns {
                let value = match column.source {
                    Source::Record("id") => view.id,
                    Source::Record(_) => view.score,
                    Source::Error => None,
                    Source::Finding(key) => get(finding, key),
                };
                column.push(value);
            }
            self.record.push(position);
        }
    }

    /// Appends rows `from..to` of `other`.
    fn extend(&mut self, other: &Rows, from: usize, to: usize) {
        for (mine, theirs) in self.columns.iter_mut().zip(&other.columns) {
            mine.extend(theirs, from, to);
        }
        self.record.extend_from_slice(&other.record[from..to]);
    }

    /// The most rows from `from` on that can join a batch already holding
    /// `held` bytes in each string column, keeping every column under the
    /// limit of 32-bit offsets.
    fn fitting(&self, from: usize, held: &[usize]) -> usize {
        let mut to = self.len();
        for (column, held) in self.columns.iter().zip(held) {
            while to > from && held + column.bytes_between(from, to) > MAX_STRING_BYTES {
                // halve the excess until the rows fit (rare: over 2 GiB)
                to = from + (to - from) / 2;
            }
        }
        to
    }

    /// Bytes of string data held in each column.
    fn held(&self) -> Vec<usize> {
        self.columns
            .iter()
            .map(|c| c.bytes_between(0, c.len()))
            .collect()
    }
}

/// Joins fragments (in order) into batches whose string columns each hold
/// at most 2 GiB, as Arrow's `string` type requires.
pub fn join(fragments: Vec<Rows>) -> Vec<Rows> {
    let mut batches = vec![Rows::new()];
    for fragment in fragments {
        let mut from = 0;
        while from < fragment.len() {
            let Some(batch) = batches.last_mut() else {
                break;
            };
            let to = fragment.fitting(from, &batch.held());
            if to == from {
                if batch.is_empty() {
                    // one row too large for any batch: cannot happen with
                    // records of at most 64 MiB; skip nothing, take it alone
                    batch.extend(&fragment, from, from + 1);
                    from += 1;
                }
                batches.push(Rows::new());
                continue;
            }
            batch.extend(&fragment, from, to);
            from = to;
        }
    }
    batches
}

/// A batch's buffers, as the Python side wraps them: per column its name,
/// whether it is an integer column, its validity bitmap (none when no value
/// is null) and its buffers (offsets and data, or values).
pub struct Buffers {
    /// Number of rows.
    pub rows: usize,
    /// Per column: name, validity bitmap, null count, then offsets and data
    /// (a string column) or values (an integer column, `data` empty).
    pub columns: Vec<ColumnBuffers>,
    /// Each row's record (little-endian `int64`).
    pub record: Vec<u8>,
}

/// One column's Arrow buffers.
pub struct ColumnBuffers {
    /// The column's name.
    pub name: &'static str,
    /// Whether it is an `int64` column (else `string`).
    pub int: bool,
    /// Validity bitmap, least significant bit first; none when no value is null.
    pub validity: Option<Vec<u8>>,
    /// Number of null values.
    pub nulls: usize,
    /// `int32` offsets (a string column) or `int64` values (an integer one).
    pub main: Vec<u8>,
    /// UTF-8 data of a string column (empty for an integer one).
    pub data: Vec<u8>,
}

impl Rows {
    /// The batch as Arrow buffers. Its string columns must hold at most
    /// 2 GiB each (as [`join`] makes them).
    pub fn buffers(self) -> Buffers {
        let rows = self.len();
        let columns = self
            .columns
            .into_iter()
            .map(|c| {
                let nulls = c.valid.iter().filter(|v| !**v).count();
                let validity = (nulls > 0).then(|| bitmap(&c.valid));
                let (int, main, data) = match c.values {
                    Values::Int(values) => (
                        true,
                        values.iter().flat_map(|v| v.to_le_bytes()).collect(),
                        Vec::new(),
                    ),
                    Values::Str { ends, data } => {
                        let mut offsets = Vec::with_capacity((ends.len() + 1) * 4);
                        offsets.extend_from_slice(&0i32.to_le_bytes());
                        for e in ends {
                            let e = i32::try_from(e).unwrap_or(i32::MAX);
                            offsets.extend_from_slice(&e.to_le_bytes());
                        }
                        (false, offsets, data)
                    }
                };
                ColumnBuffers {
                    name: c.name,
                    int,
                    validity,
                    nulls,
                    main,
                    data,
                }
            })
            .collect();
        Buffers {
            rows,
            columns,
            record: self.record.iter().flat_map(|v| v.to_le_bytes()).collect(),
        }
    }
}

/// An Arrow validity bitmap (bit i of byte i / 8 set when row i is valid).
fn bitmap(valid: &[bool]) -> Vec<u8> {
    let mut bits = vec![0u8; valid.len().div_ceil(8)];
    for (i, _) in valid.iter().enumerate().filter(|(_, v)| **v) {
        bits[i / 8] |= 1 << (i % 8);
    }
    bits
}

/// The value of field `key`, if present and not null.
fn get<'a>(fields: &[(Cow<'_, str>, &'a RawValue)], key: &str) -> Option<&'a RawValue> {
    fields.iter().find(|(k, _)| k == key).map(|(_, v)| *v)
}
