//! `tactful report`: aggregate a batch into one summary (human, JSON or HTML).

use crate::cli::{ReportArgs, ReportFormat};
use std::io::{self, Write};
use tactful_cli::output::{OutputFormat, Style};
use tactful_cli::pipeline::{Pipeline, Worker};
use tactful_cli::report::Aggregate;

/// Runs `tactful report`; the exit code is 2 when an input error was met.
pub(crate) fn run(args: ReportArgs) -> anyhow::Result<u8> {
    let worker = Worker {
        format: OutputFormat::Jsonl,
        // the HTML page is passed around: personal data masked unless
        // --no-redact; the other formats mask it with --redact
        style: Style::new(false)
            .redacting(args.redact || (args.format == ReportFormat::Html && !args.no_redact)),
        replies: false,
        report: true,
        rules: false,
    };
    let pipeline = Pipeline::start(super::source(&args.input, false, None), args.input.threads)?;
    let Some(analyzer) = super::analyzer(&args.input) else {
        return Ok(2);
    };
    let quiet = args.input.quiet;
    let mut out = io::BufWriter::with_capacity(
        256 * 1024,
        super::sink(args.output.as_deref(), &args.input.files)?,
    );
    let mut aggregate = Aggregate::new();
    let mut errors = 0usize;
    pipeline.run(&analyzer, &worker, !quiet, |chunk| {
        for record in chunk.records.drain(..) {
            match record.summary {
                Some(summary) => aggregate.add(*summary),
                None => aggregate.add_error(),
            }
            if let Some(e) = record.error {
                errors += 1;
                if !quiet {
                    warn!("tactful: {e}");
                }
            }
        }
        Ok(true)
    })?;
    match args.format {
        ReportFormat::Human => out.write_all(aggregate.human().as_bytes())?,
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &aggregate.json())?;
            writeln!(out)?;
        }
        ReportFormat::Html => out.write_all(aggregate.html().as_bytes())?,
    }
    out.flush()?;
    if errors > 0 {
        return Ok(2);
    }
    if let Some(limit) = args.fail_under {
        // a batch with no transcript has no mean to pass the gate
        let mean = aggregate.mean_score();
        if mean.is_none_or(|m| m < limit) {
            if !quiet {
                match mean {
                    Some(m) => {
                        warn!("tactful: the mean score {m:.2} is below --fail-under {limit}")
                    }
                    None => warn!(
                        "tactful: no transcript, so no mean score to pass --fail-under {limit}"
                    ),
                }
            }
            return Ok(1);
        }
    }
    Ok(0)
}
