//! `tactful check`: one record per transcript, in input order, on stdout;
//! input errors on stderr after the record that reports them.

use crate::cli::{CheckArgs, ColorChoice};
use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};
use tactful::Severity;
use tactful_cli::output::{self, OutputFormat, Style};
use tactful_cli::pipeline::{Pipeline, Worker};

/// Runs `tactful check`; the exit code is 2 when an input error was met, 1
/// when `--fail-on` or `--fail-under` says the batch fails, else 0.
pub(crate) fn run(args: CheckArgs) -> anyhow::Result<u8> {
    let to_terminal = args.output.is_none() && io::stdout().is_terminal();
    let format = args.format.unwrap_or(if to_terminal {
        OutputFormat::Human
    } else {
        OutputFormat::Jsonl
    });
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let worker = Worker {
        format,
        style: Style::new(color).redacting(args.redact),
        replies: args.replies,
        report: false,
        rules: args.statistics,
    };
    let strict = args.strict;
    let source = super::source(&args.input, strict, args.replies.then_some(args.per_line));
    let pipeline = Pipeline::start(source, args.input.threads)?;
    let Some(analyzer) = super::analyzer(&args.input) else {
        return Ok(2);
    };

    // Each `write_all` below is whole records (one, or a run of a chunk's)
    // or a separator, and a `BufWriter` flushes its buffer before a write
    // that does not fit, never in the middle of one (a write larger than the
    // buffer goes straight through), so every `write` to stdout ends on a
    // record boundary: a run killed midway leaves whole lines
    // (tests/hostile.rs).
    let mut out = io::BufWriter::with_capacity(
        256 * 1024,
        super::sink(args.output.as_deref(), &args.input.files)?,
    );
    let fail_on: Option<Severity> = args.fail_on.map(Severity::from);
    let quiet = args.input.quiet;
    let statistics = args.statistics;
    let (mut records, mut errors, mut findings, mut failed) = (0usize, 0usize, 0usize, false);
    let mut counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut first = true;
    if !statistics {
        match format {
            OutputFormat::Json => out.write_all(b"[\n")?,
            OutputFormat::Csv => {
                let mut w = csv::Writer::from_writer(Vec::new());
                w.write_record(output::CSV_HEADER)?;
                out.write_all(&w.into_inner().map_err(|e| e.into_error())?)?;
            }
            OutputFormat::Sarif => out.write_all(&output::sarif_header())?,
            _ => {}
        }
    }
    // records other than JSON's array elements and SARIF's results are
    // written back to back: a run of them goes out in one write (no copy
    // into `out`'s buffer), cut after each error record, whose message
    // follows it on stderr
    let whole = !statistics && !matches!(format, OutputFormat::Json | OutputFormat::Sarif);
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
            if statistics {
                for rule in &record.rules {
                    *counts.entry(rule).or_default() += 1;
                }
            } else if !whole {
                // JSON: one element per record; SARIF: one result per line
                // of the record (none for a clean transcript)
                let elements: Vec<&[u8]> = if format == OutputFormat::Sarif {
                    bytes
                        .split(|&b| b == b'\n')
                        .filter(|l| !l.is_empty())
                        .collect()
                } else {
                    vec![bytes.strip_suffix(b"\n").unwrap_or(bytes)]
                };
                for element in elements {
                    if !first {
                        out.write_all(b",\n")?;
                    }
                    first = false;
                    out.write_all(element)?;
                }
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
            // each chunk's records go out when written, not when the buffer
            // fills: a pipe that stays open gets them as they are analyzed
            out.flush()?;
        }
        Ok(go_on)
    })?;
    // the statistics are a table unless a format is asked for
    let shown_format = if statistics {
        args.format.unwrap_or(OutputFormat::Human)
    } else {
        format
    };
    if statistics {
        write_statistics(&mut out, shown_format, &counts)?;
    } else if format == OutputFormat::Json {
        out.write_all(if first { b"]\n" } else { b"\n]\n" })?;
    } else if format == OutputFormat::Sarif {
        out.write_all(&output::sarif_footer(errors))?;
    }
    if shown_format == OutputFormat::Human && !quiet {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        let flagged = records - clean - errors;
        let hidden = match clean {
            0 => String::new(),
            _ if hide_clean && !statistics => {
                format!(", {clean} clean (not shown; --show-all prints them)")
            }
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

/// Writes `--statistics`: each rule with findings, most frequent first, as
/// a table, or as JSON, JSONL or CSV.
fn write_statistics(
    out: &mut impl Write,
    format: OutputFormat,
    counts: &BTreeMap<&'static str, usize>,
) -> anyhow::Result<()> {
    let mut rows: Vec<(&'static str, usize)> = counts.iter().map(|(r, n)| (*r, *n)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let info = |rule: &str| tactful::rule::find(rule);
    let value = |rule: &str, count: usize| {
        let r = info(rule);
        serde_json::json!({
            "rule": rule,
            "count": count,
            "category": r.map(|r| r.category.as_str()),
            "kind": r.map(|r| r.kind.as_str()),
            "summary": r.map(|r| r.summary),
        })
    };
    match format {
        OutputFormat::Json => {
            let list: Vec<_> = rows.iter().map(|&(r, n)| value(r, n)).collect();
            serde_json::to_writer_pretty(&mut *out, &list)?;
            writeln!(out)?;
        }
        OutputFormat::Jsonl => {
            for &(r, n) in &rows {
                serde_json::to_writer(&mut *out, &value(r, n))?;
                writeln!(out)?;
            }
        }
        OutputFormat::Csv => {
            let mut w = csv::Writer::from_writer(&mut *out);
            w.write_record(["rule", "count", "category", "kind"])?;
            for &(r, n) in &rows {
                let i = info(r);
                w.write_record([
                    r,
                    &n.to_string(),
                    i.map_or("", |i| i.category.as_str()),
                    i.map_or("", |i| i.kind.as_str()),
                ])?;
            }
            w.flush()?;
        }
        _ => {
            let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(4);
            for &(r, n) in &rows {
                let i = info(r);
                writeln!(
                    out,
                    "{n:>7}  {r:width$}  {:8}  {}",
                    i.map_or("", |i| i.kind.as_str()),
                    i.map_or("", |i| i.summary)
                )?;
            }
        }
    }
    Ok(())
}
