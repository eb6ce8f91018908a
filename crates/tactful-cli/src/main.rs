//! The `tactful` command: audit customer-service transcripts.

use clap::{Parser, Subcommand, ValueEnum};
use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::mpsc::sync_channel;
use tactful::{Analyzer, Kind, Scratch, Severity};
use tactful_cli::input::{self, InputFormat, Item, JsonlLine, JsonlUnits, Origin, Unit};
use tactful_cli::output::{self, OutputFormat, Style};
use tactful_cli::settings;

/// `eprintln!` that ignores a closed or broken stderr: `eprintln!` panics
/// there (`tactful check big.jsonl 2>&1 | head`), which would end the batch
/// midway and lose records.
macro_rules! warn {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

/// Audit customer-service conversations: empathy gaps, procedural language,
/// excuses and apology quality.
#[derive(Parser, Debug)]
#[command(name = "tactful", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Analyze transcripts and write one record per transcript, in input order.
    Check(CheckArgs),
    /// List every rule with its id, kind, severity and one line.
    Rules {
        /// Output as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Print one literal phrase per pattern of every phrase list instead
        /// (e.g. as a lexicon for other tools).
        #[arg(long, conflicts_with = "json")]
        phrases: bool,
    },
    /// Print a rule's full documentation.
    Explain {
        /// The rule id, e.g. apology.but.
        rule: String,
    },
    /// Aggregate a batch: score distribution, category shares, per agent and team, top phrases.
    Report(ReportArgs),
    /// Show the effective configuration (defaults, tactful.toml, --config).
    Config {
        /// Print the effective configuration as TOML.
        #[arg(long)]
        show: bool,
        /// Configuration file (default: tactful.toml in the current directory).
        #[arg(long)]
        config: Option<std::path::PathBuf>,
    },
}

/// Options shared by `check` and `report`: what to read and how to analyze it.
#[derive(clap::Args, Debug)]
struct InputArgs {
    /// Input files (`-` or none for standard input).
    files: Vec<String>,
    /// Input format; by default taken from each file's extension (JSONL for stdin).
    #[arg(long, value_enum)]
    input_format: Option<InputFormat>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    threads: Option<usize>,
    /// Longest accepted record (a JSONL line or text transcript) in bytes.
    #[arg(long, default_value_t = input::DEFAULT_MAX_RECORD_BYTES)]
    max_record_bytes: usize,
    /// Print no summary and no error messages on stderr (records still carry errors).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Configuration file (default: tactful.toml in the current directory, if any).
    #[arg(long)]
    config: Option<std::path::PathBuf>,
    /// Run only these rules or categories (comma-separated; replaces the file's
    /// `select`, and its `ignore` unless --ignore is given too).
    #[arg(long, value_delimiter = ',')]
    select: Option<Vec<String>>,
    /// Skip these rules or categories (comma-separated; replaces the file's `ignore`).
    #[arg(long, value_delimiter = ',')]
    ignore: Option<Vec<String>>,
}

#[derive(Parser, Debug)]
struct CheckArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Output format; default human on a terminal, jsonl otherwise.
    #[arg(long, short = 'f', value_enum)]
    format: Option<OutputFormat>,
    /// Stop at the first input error instead of reporting it and going on.
    #[arg(long)]
    strict: bool,
    /// Exit with code 1 when an issue at or above this severity is found.
    #[arg(long, value_enum)]
    fail_on: Option<SeverityArg>,
    /// When to color human output.
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Exit with code 1 when a transcript scores below this (0–100).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    fail_under: Option<u8>,
    /// Lint canned replies: each .txt/.md file (directories are walked) is one agent reply.
    #[arg(long)]
    replies: bool,
    /// With --replies: each non-empty line of a .txt file is one reply.
    #[arg(long, requires = "replies")]
    per_line: bool,
}

#[derive(Parser, Debug)]
struct ReportArgs {
    #[command(flatten)]
    input: InputArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    format: ReportFormat,
}

/// Formats of `tactful report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// A readable terminal summary.
    Human,
    /// One JSON document.
    Json,
    /// One self-contained HTML page (inline CSS and SVG, no scripts).
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum SeverityArg {
    Info,
    Warning,
    Error,
}

impl From<SeverityArg> for Severity {
    fn from(s: SeverityArg) -> Severity {
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Warning => Severity::Warning,
            SeverityArg::Error => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let result = match cli.command {
        Command::Check(args) => check(args, None),
        Command::Report(r) => {
            let format = r.format;
            let args = CheckArgs {
                input: r.input,
                format: Some(OutputFormat::Jsonl),
                strict: false,
                fail_on: None,
                color: ColorChoice::Never,
                fail_under: None,
                replies: false,
                per_line: false,
            };
            check(args, Some(format))
        }
        Command::Rules {
            json: _,
            phrases: true,
        } => phrases(),
        Command::Rules { json, .. } => rules(json),
        Command::Explain { rule } => explain(&rule),
        Command::Config { show: _, config } => show_config(config.as_deref()),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            warn!("tactful: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn rules(json: bool) -> anyhow::Result<u8> {
    let mut out = io::stdout().lock();
    if json {
        let list: Vec<serde_json::Value> = tactful::rule::all()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "category": r.category, "kind": r.kind.as_str(),
                    "severity": r.severity, "role": r.role, "summary": r.summary,
                    "message": r.message, "suggestion": r.suggestion,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(0);
    }
    let width = tactful::rule::all()
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0);
    for r in tactful::rule::all() {
        writeln!(
            out,
            "{:width$}  {:8}  {:7}  {}",
            r.id,
            r.kind.as_str(),
            r.severity.as_str(),
            r.summary
        )?;
    }
    Ok(0)
}

fn phrases() -> anyhow::Result<u8> {
    let mut out = io::stdout().lock();
    for r in tactful::rule::all() {
        let Some(src) = tactful::rule::phrase_list(r.id) else {
            continue;
        };
        for line in src.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') || line.starts_with("! ") {
                continue;
            }
            if let Some(first) = tactful::lexicon::expand(line)
                .ok()
                .and_then(|v| v.into_iter().next())
            {
                writeln!(out, "{first}")?;
            }
        }
    }
    Ok(0)
}

fn explain(id: &str) -> anyhow::Result<u8> {
    let Some(r) = tactful::rule::find(id) else {
        let near: Vec<&str> = tactful::rule::matching(id).map(|r| r.id).collect();
        if near.is_empty() {
            warn!("tactful: no rule {id:?}; `tactful rules` lists them all");
        } else {
            warn!(
                "tactful: {id:?} is a category; its rules: {}",
                near.join(", ")
            );
        }
        return Ok(2);
    };
    let mut out = io::stdout().lock();
    writeln!(
        out,
        "{}  ({}, {}, default severity {})\n",
        r.id,
        r.category,
        r.kind.as_str(),
        r.severity
    )?;
    writeln!(out, "{}\n", r.summary)?;
    for line in r.doc.lines() {
        writeln!(out, "{}", line.strip_prefix(' ').unwrap_or(line))?;
    }
    writeln!(out, "Message: {}", r.message)?;
    if let Some(s) = r.suggestion {
        writeln!(out, "Suggestion: {s}")?;
    }
    Ok(0)
}

fn show_config(path: Option<&std::path::Path>) -> anyhow::Result<u8> {
    match settings::load(path) {
        Ok(loaded) => {
            let mut out = io::stdout().lock();
            match &loaded.path {
                Some(p) => writeln!(out, "# effective configuration: defaults + {}", p.display())?,
                None => writeln!(
                    out,
                    "# effective configuration: defaults (no tactful.toml found)"
                )?,
            }
            write!(out, "{}", settings::show(&loaded.config))?;
            Ok(0)
        }
        Err(e) => {
            warn!("tactful: {e}");
            Ok(2)
        }
    }
}

/// A progress bar on stderr (bytes read of the input files, transcripts/s and
/// an ETA) when stderr is a terminal and `--quiet` is not given.
fn progress_bar(files: &[String], quiet: bool) -> Option<indicatif::ProgressBar> {
    if quiet || !io::stderr().is_terminal() {
        return None;
    }
    let total: u64 = files
        .iter()
        .filter(|f| f.as_str() != "-")
        .filter_map(|f| std::fs::metadata(f).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    let pb = if total > 0 {
        let pb = indicatif::ProgressBar::new(total);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:30} {percent:>3}% {binary_bytes}/{binary_total_bytes} {msg} ETA {eta}",
            )
            .ok()?,
        );
        pb
    } else {
        let pb = indicatif::ProgressBar::new_spinner();
        pb.set_style(indicatif::ProgressStyle::with_template("{spinner} {msg}").ok()?);
        pb
    };
    pb.set_draw_target(indicatif::ProgressDrawTarget::stderr());
    Some(pb)
}

/// Target size of one chunk of input handed to the workers (1 MB measured
/// faster than 2 MB on both 1 and 2 threads). With many threads chunks are
/// smaller, so that the chunks in flight (threads + 2) stay within
/// [`IN_FLIGHT_BYTES`].
const CHUNK_BYTES: usize = 1024 * 1024;
/// Smallest chunk, however many threads.
const MIN_CHUNK_BYTES: usize = 256 * 1024;
/// Input bytes in flight (read and not yet written) that chunks are sized
/// to stay under, as far as [`MIN_CHUNK_BYTES`] allows.
const IN_FLIGHT_BYTES: usize = 12 * 1024 * 1024;
/// Most units in one chunk.
const CHUNK_UNITS: usize = 4096;

/// What a worker found for one unit. Its output bytes are in the buffer of
/// its chunk ([`Done`]), from where the previous record's end to `end`.
struct Record {
    end: usize,
    /// `file:line: message` of an input error.
    error: Option<String>,
    /// Highest severity among issue findings.
    worst: Option<Severity>,
    findings: usize,
    /// The transcript's score (none for an error record).
    score: Option<u8>,
    /// For `tactful report`: what the transcript adds to the aggregate.
    summary: Option<tactful_cli::report::Summary>,
}

/// A chunk's results, in input order: every record's bytes in one buffer (one
/// allocation per chunk, reused, instead of one per record).
struct Done {
    bytes: Vec<u8>,
    records: Vec<Record>,
}

struct Writer {
    format: OutputFormat,
    style: Style,
    /// Canned-reply mode: human output as `path:line:col: rule message`.
    replies: bool,
    /// Report mode: summaries instead of records.
    report: bool,
}

impl Writer {
    /// Analyzes and writes one transcript's record to `out`.
    fn item(
        &self,
        item: &Item<'_>,
        origin: &Origin,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        out: &mut Vec<u8>,
    ) -> Record {
        let report = analyzer.analyze_with(&item.transcript, scratch);
        if self.report {
            return Record {
                end: 0,
                error: None,
                worst: None,
                findings: report.findings.len(),
                score: Some(report.score.total),
                summary: Some(tactful_cli::report::Summary::new(&item.transcript, &report)),
            };
        }
        match self.format {
            OutputFormat::Jsonl | OutputFormat::Json => {
                output::json_record(out, item, &report);
                out.push(b'\n');
            }
            OutputFormat::Csv => output::csv_rows(out, item, &report),
            OutputFormat::Human if self.replies => {
                let _ = output::human_reply(out, item, origin, &report, self.style);
            }
            OutputFormat::Human => {
                let _ = output::human_record(out, item, &report, self.style);
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
            OutputFormat::Human => {
                let _ = output::human_error(out, origin, id, message, self.style);
            }
        }
        Record {
            end: 0,
            error: Some(format!("{}: {message}", output::location(origin))),
            worst: None,
            findings: 0,
            score: None,
            summary: None,
        }
    }

    /// Processes a chunk of units in order, into `bytes` (cleared first).
    fn chunk(
        &self,
        units: Vec<Unit>,
        analyzer: &Analyzer,
        scratch: &mut Scratch,
        mut bytes: Vec<u8>,
    ) -> Done {
        bytes.clear();
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
        Done { bytes, records }
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
        match input::parse_record(bytes, &origin.line.to_string()) {
            Ok(item) => self.item(&item, origin, analyzer, scratch, out),
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
            Unit::Item { origin, item } => self.item(item, origin, analyzer, scratch, out),
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

fn check(args: CheckArgs, report: Option<ReportFormat>) -> anyhow::Result<u8> {
    let stdout_tty = io::stdout().is_terminal();
    let format = args.format.unwrap_or(if stdout_tty {
        OutputFormat::Human
    } else {
        OutputFormat::Jsonl
    });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stdout_tty && std::env::var_os("NO_COLOR").is_none(),
    };
    let writer = Writer {
        format,
        style: Style::new(color),
        replies: args.replies,
        report: report.is_some(),
    };
    let mut pool = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.input.threads {
        if n == 0 {
            anyhow::bail!("--threads must be at least 1");
        }
        pool = pool.num_threads(n);
    }
    let pool = pool.build()?;
    // reading starts before the rules are compiled, so that the first
    // chunks are ready when the analyzer is
    let files = if args.input.files.is_empty() {
        vec!["-".to_string()]
    } else {
        args.input.files.clone()
    };
    let files_for_progress = files.clone();
    let started = std::time::Instant::now();
    let mut transcripts_done = 0u64;
    let (tx, rx) = sync_channel::<Vec<Unit>>(2);
    let in_flight_max = pool.current_num_threads() + 2;
    let chunk_bytes = (IN_FLIGHT_BYTES / in_flight_max).clamp(MIN_CHUNK_BYTES, CHUNK_BYTES);
    let input_format = args.input.input_format;
    let max_record = args.input.max_record_bytes;
    let strict = args.strict;
    let replies = args.replies.then_some(args.per_line);
    let reader = std::thread::spawn(move || {
        let mut chunk: Vec<Unit> = Vec::new();
        let mut weight = 0usize;
        let mut open = true;
        for file in &files {
            let mut emit = |unit: Unit| {
                let is_error = matches!(unit, Unit::Error { .. });
                weight += unit.weight();
                chunk.push(unit);
                if weight >= chunk_bytes || chunk.len() >= CHUNK_UNITS || (strict && is_error) {
                    weight = 0;
                    if tx.send(std::mem::take(&mut chunk)).is_err() {
                        open = false;
                    }
                }
                open && !(strict && is_error)
            };
            match replies {
                Some(per_line) => input::read_replies(file, per_line, max_record, &mut emit),
                None => input::read_input_as(
                    file,
                    input_format,
                    max_record,
                    JsonlUnits::Blocks,
                    &mut emit,
                ),
            }
            if !open {
                return;
            }
        }
        if !chunk.is_empty() {
            let _ = tx.send(chunk);
        }
    });
    let mut loaded = match settings::load(args.input.config.as_deref()) {
        Ok(l) => l,
        Err(e) => {
            warn!("tactful: {e}");
            return Ok(2);
        }
    };
    if let Some(select) = &args.input.select {
        // an explicit selection on the command line runs what it names,
        // unless --ignore is given too
        loaded.config.select = select.clone();
        if args.input.ignore.is_none() {
            loaded.config.ignore.clear();
        }
    }
    if let Some(ignore) = &args.input.ignore {
        loaded.config.ignore = ignore.clone();
    }
    let analyzer = match Analyzer::from_config(&loaded.config) {
        Ok(a) => a,
        Err(e) => {
            warn!("tactful: {e}");
            return Ok(2);
        }
    };

    let stdout = io::stdout();
    // Each `write_all` below is whole records (one, or a run of a chunk's)
    // or a separator, and a `BufWriter` flushes its buffer before a write
    // that does not fit, never in the middle of one (a write larger than the
    // buffer goes straight through), so every `write` to stdout ends on a
    // record boundary: a run killed midway leaves whole lines
    // (tests/hostile.rs).
    let mut out = io::BufWriter::with_capacity(256 * 1024, stdout.lock());
    let fail_on: Option<Severity> = args.fail_on.map(Severity::from);
    let (mut records, mut errors, mut findings, mut failed) = (0usize, 0usize, 0usize, false);
    let mut first = true;
    let mut aggregate = tactful_cli::report::Aggregate::new();
    match format {
        OutputFormat::Json => out.write_all(b"[\n")?,
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(output::CSV_HEADER)?;
            out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
        }
        _ => {}
    }
    let progress = progress_bar(&files_for_progress, args.input.quiet);
    // Chunks are analyzed in parallel, a whole chunk per job (no barrier
    // inside a chunk), while this thread writes the finished ones in input
    // order: at most `in_flight_max` chunks are read and not yet written,
    // which bounds memory whatever the input size.
    let scratches = std::sync::Mutex::new(Vec::<Scratch>::new());
    let spare_buffers = std::sync::Mutex::new(Vec::<Vec<u8>>::new());
    let mut stopped = false;
    let written: io::Result<()> = pool.in_place_scope(|scope| {
        // (a chunk whose job panicked outside any record comes back as none:
        // writing stops with an error rather than waiting for it forever)
        let (done_tx, done_rx) = std::sync::mpsc::channel::<(usize, Option<Done>)>();
        let lost = || io::Error::other("internal error: a worker stopped (please report it)");
        // finished chunks waiting for an earlier one, by sequence number
        let mut waiting: std::collections::BTreeMap<usize, Done> = Default::default();
        let (mut sent, mut next, mut reading) = (0usize, 0usize, true);
        loop {
            // write every finished chunk that is next in order
            while let Ok((seq, done)) = done_rx.try_recv() {
                waiting.insert(seq, done.ok_or_else(lost)?);
            }
            while let Some(mut done) = waiting.remove(&next) {
                next += 1;
                let chunk_len = done.records.len() as u64;
                let mut begin = 0;
                // records other than JSON's array elements are written back
                // to back: a run of them goes out in one write (no copy into
                // `out`'s buffer), cut after each error record, whose
                // message follows it on stderr
                let whole = format != OutputFormat::Json && report.is_none();
                let mut unwritten = 0;
                for record in done.records.drain(..) {
                    let bytes = &done.bytes[begin..record.end];
                    begin = record.end;
                    if report.is_some() {
                        records += 1;
                        match record.summary {
                            Some(summary) => aggregate.add(summary),
                            None => aggregate.add_error(),
                        }
                        if let Some(e) = record.error {
                            errors += 1;
                            if !args.input.quiet {
                                warn!("tactful: {e}");
                            }
                        }
                        continue;
                    }
                    if !whole {
                        if !first {
                            out.write_all(b",\n")?;
                        }
                        first = false;
                        out.write_all(bytes.strip_suffix(b"\n").unwrap_or(bytes))?;
                    }
                    records += 1;
                    findings += record.findings;
                    if let (Some(worst), Some(limit)) = (record.worst, fail_on) {
                        failed |= worst >= limit;
                    }
                    if let (Some(score), Some(limit)) = (record.score, args.fail_under) {
                        failed |= score < limit;
                    }
                    if let Some(e) = record.error {
                        errors += 1;
                        if whole {
                            out.write_all(&done.bytes[unwritten..begin])?;
                            unwritten = begin;
                        }
                        if !args.input.quiet {
                            out.flush()?;
                            warn!("tactful: {e}");
                        }
                        if strict {
                            stopped = true;
                            break;
                        }
                    }
                }
                if whole {
                    out.write_all(&done.bytes[unwritten..begin])?;
                }
                if let Ok(mut spare) = spare_buffers.lock() {
                    spare.push(std::mem::take(&mut done.bytes));
                }
                if let Some(pb) = &progress {
                    transcripts_done += chunk_len;
                    let secs = started.elapsed().as_secs_f64().max(1e-3);
                    pb.set_message(format!(
                        "{transcripts_done} transcripts, {:.0}/s",
                        transcripts_done as f64 / secs
                    ));
                }
                if stopped {
                    return Ok(());
                }
            }
            if reading && sent - next < in_flight_max {
                let Ok(chunk) = rx.recv() else {
                    reading = false;
                    continue;
                };
                if let Some(pb) = &progress {
                    let bytes: usize = chunk.iter().map(Unit::input_bytes).sum();
                    pb.inc(bytes as u64);
                }
                let (seq, done_tx) = (sent, done_tx.clone());
                let (writer, analyzer) = (&writer, &analyzer);
                let (scratches, spare_buffers) = (&scratches, &spare_buffers);
                scope.spawn(move |_| {
                    let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        let mut scratch = scratches
                            .lock()
                            .ok()
                            .and_then(|mut s| s.pop())
                            .unwrap_or_default();
                        let bytes = spare_buffers
                            .lock()
                            .ok()
                            .and_then(|mut s| s.pop())
                            .unwrap_or_default();
                        let done = writer.chunk(chunk, analyzer, &mut scratch, bytes);
                        if let Ok(mut s) = scratches.lock() {
                            s.push(scratch);
                        }
                        done
                    }));
                    // (the receiver is gone only when writing stopped early)
                    let _ = done_tx.send((seq, done.ok()));
                });
                sent += 1;
            } else if next < sent {
                match done_rx.recv() {
                    Ok((seq, done)) => {
                        waiting.insert(seq, done.ok_or_else(lost)?);
                    }
                    Err(_) => return Ok(()),
                }
            } else {
                return Ok(());
            }
        }
    });
    if let Some(pb) = progress {
        pb.finish_and_clear();
    }
    drop(rx);
    let _ = reader.join();
    written?;
    if let Some(report_format) = report {
        match report_format {
            ReportFormat::Human => out.write_all(aggregate.human().as_bytes())?,
            ReportFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &aggregate.json())?;
                writeln!(out)?;
            }
            ReportFormat::Html => out.write_all(aggregate.html().as_bytes())?,
        }
        out.flush()?;
        return Ok(if errors > 0 { 2 } else { 0 });
    }
    if format == OutputFormat::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    if format == OutputFormat::Human && !args.input.quiet {
        writeln!(
            out,
            "{records} record{}, {findings} finding{}, {errors} error{}",
            if records == 1 { "" } else { "s" },
            if findings == 1 { "" } else { "s" },
            if errors == 1 { "" } else { "s" }
        )?;
    }
    out.flush()?;
    Ok(if errors > 0 {
        2
    } else if failed {
        1
    } else {
        0
    })
}
