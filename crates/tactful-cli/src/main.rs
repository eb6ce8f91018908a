//! The `tactful` command: audit customer-service transcripts.
//!
//! `cli` holds what clap reads; `commands` one module per subcommand. The
//! readers, the batch pipeline and the writers are in the library
//! (`tactful_cli::{input, pipeline, output, report}`).

use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// `eprintln!` that ignores a closed or broken stderr: `eprintln!` panics
/// there (`tactful check big.jsonl 2>&1 | head`), which would end the batch
/// midway and lose records. Control characters (from file names and input)
/// are escaped as in human output, so that a message cannot drive the
/// terminal.
macro_rules! warn {
    ($($arg:tt)*) => {{
        let message = format!($($arg)*);
        let _ = writeln!(
            io::stderr(),
            "{}",
            tactful_cli::output::escape_message(&message)
        );
    }};
}

mod cli;
mod commands;

use cli::{Cli, Command};

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) if e.use_stderr() => {
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            // `--help` and `--version` on stdout: a write that fails (a
            // full disk) is an error, as for any other output; a closed pipe
            // (`tactful --help | head -1`) ends quietly
            let written = e.print().and_then(|()| io::stdout().flush());
            return match written {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
                Err(e) => {
                    warn!("tactful: cannot write to standard output: {e}");
                    ExitCode::from(2)
                }
            };
        }
    };
    let result = match cli.command {
        Command::Check(args) => commands::check::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Rules {
            json: _,
            phrases: true,
        } => commands::rules::phrases(),
        Command::Rules { json, .. } => commands::rules::run(json),
        Command::Explain { rule } => commands::explain::run(&rule),
        Command::Completions { shell } => commands::completions::completions(shell),
        Command::Man => commands::completions::man(),
        Command::Config {
            show: _,
            config,
            isolated,
        } => commands::config::run(config.as_deref(), isolated),
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

/// Whether the error is a closed stdout (`tactful rules | head -1`), which
/// ends the run quietly: an I/O error anywhere in its chain, as `write!`
/// gives it or wrapped by `serde_json` or `csv`.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        let kind = if let Some(io) = cause.downcast_ref::<io::Error>() {
            Some(io.kind())
        } else if let Some(json) = cause.downcast_ref::<serde_json::Error>() {
            json.io_error_kind()
        } else if let Some(csv) = cause.downcast_ref::<csv::Error>() {
            match csv.kind() {
                csv::ErrorKind::Io(io) => Some(io.kind()),
                _ => None,
            }
        } else {
            None
        };
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}
