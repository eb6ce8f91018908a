//! `tactful check`: one record per transcript, in input order, on stdout;
//! input errors on stderr after the record that reports them.

use crate::cli::{CheckArgs, ColorChoice};
use std::io::{self, IsTerminal, Write};
use tactful::Severity;
use tactful_cli::output::{self, OutputFormat, Style};
use tactful_cli::pipeline::{Pipeline, Worker};

/// Runs `tactful check`; the exit code is 2 when an input error was met, 1
/// when `--fail-on` or `--fail-under` says the batch fails, else 0.
pub(crate) fn run(args: CheckArgs) -> anyhow::Result<u8> {
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
    let worker = Worker {
        format,
        style: Style::new(color),
        replies: args.replies,
        report: false,
    };
    let strict = args.strict;
    let source = super::source(&args.input, strict, args.replies.then_some(args.per_line));
    let pipeline = Pipeline::start(source, args.input.threads)?;
    let Some(analyzer) = super::analyzer(&args.input) else {
        return Ok(2);
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
    let quiet = args.input.quiet;
    let (mut records, mut errors, mut findings, mut failed) = (0usize, 0usize, 0usize, false);
    let mut first = true;
    match format {
        OutputFormat::Json => out.write_all(b"[\n")?,
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(output::CSV_HEADER)?;
            out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
        }
        _ => {}
    }
    // records other than JSON's array elements are written back to back: a
    // run of them goes out in one write (no copy into `out`'s buffer), cut
    // after each error record, whose message follows it on stderr
    let whole = format != OutputFormat::Json;
    // the human format prints the transcripts with issues (and error
    // records); clean ones are counted in the summary line unless --show-all
    let hide_clean = format == OutputFormat::Human && !args.show_all && !args.replies;
    let mut clean = 0usize;
    pipeline.run(&analyzer, &worker, !quiet, |chunk| {
        let mut begin = 0;
        let mut unwritten = 0;
        let mut go_on = true;
        for record in chunk.records.drain(..) {
            let bytes = &chunk.bytes[begin..record.end];
            let is_clean = record.error.is_none() && record.worst.is_none();
            clean += usize::from(is_clean);
            if hide_clean && is_clean {
                // the run so far goes out, this record's bytes do not
                out.write_all(&chunk.bytes[unwritten..begin])?;
                unwritten = record.end;
            }
            begin = record.end;
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
                    out.write_all(&chunk.bytes[unwritten..begin])?;
                    unwritten = begin;
                }
                if !quiet {
                    out.flush()?;
                    warn!("tactful: {e}");
                }
                if strict {
                    go_on = false;
                    break;
                }
            }
        }
        if whole {
            out.write_all(&chunk.bytes[unwritten..begin])?;
        }
        Ok(go_on)
    })?;
    if format == OutputFormat::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    }
    if format == OutputFormat::Human && !quiet {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let flagged = records - clean - errors;
        let hidden = match clean {
            0 => String::new(),
            _ if hide_clean => format!(", {clean} clean (not shown; --show-all prints them)"),
            _ => format!(", {clean} clean"),
        };
        writeln!(
            out,
            "{records} record{}: {flagged} with issues{hidden}; {findings} finding{}, {errors} error{}",
            plural(records),
            plural(findings),
            plural(errors)
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
