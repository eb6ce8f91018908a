//! What a worker makes of each unit of a chunk: the record parsed (for a
//! JSONL line), analyzed and written in the output format into the chunk's
//! buffer, or, for `tactful report`, the transcript's [`Summary`].

use crate::input::{self, Item, JsonlLine, Origin, Unit};
use crate::output::{self, OutputFormat, Style};
use crate::report::Summary;
use tactful::{Analyzer, Kind, Scratch, Severity};

/// What a worker found for one unit. Its output bytes are in the buffer of
/// its chunk ([`Chunk::bytes`]), from the previous record's end to `end`.
#[derive(Debug)]
pub struct Record {
    /// Where the record's output bytes end in [`Chunk::bytes`].
    pub end: usize,
    /// `file:line: message` of an input error.
    pub error: Option<String>,
    /// Highest severity among issue findings.
    pub worst: Option<Severity>,
    /// Number of findings of every kind.
    pub findings: usize,
    /// The rule of each finding, in order (for `--statistics`; empty
    /// unless [`Worker::rules`] asks for them).
    pub rules: Vec<&'static str>,
    /// The transcript's score (none for an error record).
    pub score: Option<u8>,
    /// For `tactful report`: what the transcript adds to the aggregate.
    /// (Boxed: a record is moved a few times on its way into the chunk,
    /// and a summary held inline made every record several hundred bytes
    /// to copy, for `check` too.)
    pub summary: Option<Box<Summary>>,
}

/// A chunk's results, in input order: every record's bytes in one buffer (one
/// allocation per chunk, reused, instead of one per record).
#[derive(Debug, Default)]
pub struct Chunk {
    /// The output of every record, back to back.
    pub bytes: Vec<u8>,
    /// The records, in input order.
    pub records: Vec<Record>,
}

/// What the workers make of each transcript: a record in an output format,
/// or a summary for `tactful report`.
#[derive(Debug, Clone, Copy)]
pub struct Worker {
    /// The records' format.
    pub format: OutputFormat,
    /// Colours of human output.
    pub style: Style,
    /// Canned-reply mode: human output as `path:line:col: rule message`.
    pub replies: bool,
    /// Report mode: summaries instead of records.
    pub report: bool,
    /// Whether each record lists its findings' rules ([`Record::rules`],
    /// for `--statistics`): a list a record, made only when asked for.
    pub rules: bool,
}

impl Worker {
    /// Analyzes and writes one transcript's record to `out`.
    fn item(
        &self,
        item: &Item<'_>,
        origin: &Origin,
        place: output::Place<'_>,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Record {
        let mut report = analyzer.analyze_with(&item.transcript, scratch);
        if self.replies {
            // `tactful: ignore[rule]` on a line of a canned reply
            if let Some(turn) = item.transcript.turns.first() {
                crate::suppress::apply(&turn.text, &mut report, analyzer);
            }
        }
        if self.report {
            return Record {
                end: 0,
                error: None,
                worst: None,
                findings: report.findings.len(),
                rules: Vec::new(),
                score: Some(report.score.total),
                summary: Some(Box::new(Summary::with_redaction(
                    &item.transcript,
                    &report,
                    self.style.redacts(),
                ))),
            };
        }
        match self.format {
            OutputFormat::Jsonl | OutputFormat::Json => {
                output::json_record_styled(out, item, &report, self.style);
                out.push(b'\n');
            }
            OutputFormat::Csv => output::csv_rows_styled(out, item, &report, self.style),
            OutputFormat::Sarif => {
                output::sarif_results(out, item, origin, place, &report, self.style)
            }
            OutputFormat::Github => {
                output::github_annotations(out, item, origin, place, &report, self.style)
            }
            OutputFormat::Human if self.replies => {
                let _ = output::human_reply(out, item, origin, &report, self.style);
            }
            OutputFormat::Human => {
                let _ = output::human_record(out, item, origin, place, &report, self.style);
            }
        }
        let worst = report
            .findings
            .iter()
            .filter(|f| f.kind == Kind::Issue)
            .map(|f| f.severity)
            .max();
        Record {
            end: 0,
            error: None,
            worst,
            findings: report.findings.len(),
            rules: if self.rules {
                report.findings.iter().map(|f| f.rule).collect()
            } else {
                Vec::new()
            },
            score: Some(report.score.total),
            summary: None,
        }
    }

    /// Writes an error record to `out`.
    fn error(&self, origin: &Origin, id: Option<&str>, message: &str, out: &mut Vec<u8>) -> Record {
        match self.format {
            OutputFormat::Jsonl | OutputFormat::Json => {
                output::json_error(out, origin, id, message);
                out.push(b'\n');
            }
            OutputFormat::Csv => output::csv_error(out, origin, id, message),
            OutputFormat::Sarif => output::sarif_error(out, origin, id, message),
            OutputFormat::Github => output::github_error(out, origin, message),
            OutputFormat::Human => {
                let _ = output::human_error(out, origin, id, message, self.style);
            }
        }
        Record {
            end: 0,
            // (on stderr, one line whatever the file name holds)
            error: Some(
                output::escape_controls(&format!("{}: {message}", output::location(origin)))
                    .into_owned(),
            ),
            worst: None,
            findings: 0,
            rules: Vec::new(),
            score: None,
            summary: None,
        }
    }

    /// Processes a chunk of units in order, into `bytes` (cleared first).
    pub fn chunk(
        &self,
        units: Vec<Unit>,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        mut bytes: Vec<u8>,
    ) -> Chunk {
        bytes.clear();
        // room at once for about as much output as the chunk's input (a
        // JSONL record runs a little longer than its line): a buffer grown by
        // doubling copies all it holds at each step, which for the first
        // chunks of a run, before used buffers come back, cost more than a
        // tenth of the time spent writing records
        let input: usize = units.iter().map(Unit::input_bytes).sum();
        bytes.reserve(input.saturating_add(input / 4));
        let mut records = Vec::with_capacity(units.len());
        for unit in units {
            if let Unit::JsonLines {
                origin,
                bytes: lines,
                max,
            } = &unit
            {
                // a block of lines: a record per line
                for l in input::jsonl_lines(lines, origin.line, *max) {
                    let line = match l {
                        JsonlLine::Record { line, .. } | JsonlLine::TooLong { line, .. } => line,
                    };
                    let origin = Origin {
                        file: origin.file.clone(),
                        line,
                    };
                    let mut record = self.guarded(
                        &origin,
                        || None,
                        scratch,
                        &mut bytes,
                        |s, out| match l {
                            JsonlLine::Record { bytes: b, .. } => {
                                self.json_line(b, &origin, analyzer, s, out)
                            }
                            JsonlLine::TooLong { len, .. } => {
                                self.error(&origin, None, &input::too_long(len, *max), out)
                            }
                        },
                    );
                    record.end = bytes.len();
                    records.push(record);
                }
                continue;
            }
            let id = || unit.id();
            let mut record = self.guarded(unit.origin(), id, scratch, &mut bytes, |s, out| {
                self.unit(&unit, analyzer, s, out)
            });
            record.end = bytes.len();
            records.push(record);
        }
        Chunk { bytes, records }
    }

    /// Runs `f`, which writes one record to `out`; a panic inside becomes an
    /// error record (in place of whatever the record had written), so one bad
    /// record can never take the batch down or go missing.
    fn guarded(
        &self,
        origin: &Origin,
        id: impl FnOnce() -> Option<String>,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
        f: impl FnOnce(&mut Scratch, &mut Vec<u8>) -> Record,
    ) -> Record {
        let start = out.len();
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f(scratch, out))) {
            Ok(r) => r,
            Err(_) => {
                *scratch = Scratch::default();
                out.truncate(start);
                self.error(
                    origin,
                    id().as_deref(),
                    "internal error while analyzing this record (please report it)",
                    out,
                )
            }
        }
    }

    /// Parses, analyzes and writes one JSONL record.
    fn json_line(
        &self,
        bytes: &[u8],
        origin: &Origin,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Record {
        match input::parse_record_at(bytes, origin.line) {
            Ok(item) => self.item(&item, origin, output::Place::Line, analyzer, scratch, out),
            Err(e) => self.error(origin, e.id.as_deref(), &e.message, out),
        }
    }

    /// Analyzes and writes one unit other than a block of lines.
    fn unit(
        &self,
        unit: &Unit,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Record {
        match unit {
            Unit::JsonLine { origin, bytes } => {
                self.json_line(bytes, origin, analyzer, scratch, out)
            }
            Unit::Item {
                origin,
                item,
                turns_at,
            } => {
                let place = output::Place::of_item(turns_at);
                self.item(item, origin, place, analyzer, scratch, out)
            }
            Unit::Error {
                origin,
                id,
                message,
            } => self.error(origin, id.as_deref(), message, out),
            Unit::JsonLines { origin, .. } => self.error(
                origin,
                None,
                "internal error: a block of lines read as one record (please report it)",
                out,
            ),
        }
    }
}
