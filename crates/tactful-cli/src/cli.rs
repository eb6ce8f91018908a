//! The command line as clap reads it: subcommands, their options, and the
//! value types they take. (Comments on these items that are not `///` doc
//! comments on purpose: clap turns doc comments into help text.)

use clap::{Parser, Subcommand, ValueEnum};
use tactful::Severity;
use tactful_cli::input::{self, InputFormat};
use tactful_cli::output::OutputFormat;

/// Audit customer-service conversations: empathy gaps, procedural language,
/// excuses and apology quality.
#[derive(Parser, Debug)]
#[command(name = "tactful", version, about, long_about = None)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Subcommand, Debug)]
pub(crate) enum Command {
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
    /// Print a completion script for a shell (bash, zsh, fish, powershell, elvish).
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print tactful's manual page (roff, for `man`).
    Man,
    /// Show the effective configuration (defaults, tactful.toml, --config).
    Config {
        /// Print the effective configuration as TOML.
        #[arg(long)]
        show: bool,
        /// Configuration file (default: the tactful.toml of the current
        /// directory or the nearest directory above it).
        #[arg(long, conflicts_with = "isolated")]
        config: Option<std::path::PathBuf>,
        /// Read no configuration file: show the defaults.
        #[arg(long)]
        isolated: bool,
    },
}

/// Options shared by `check` and `report`: what to read and how to analyze it.
#[derive(clap::Args, Debug)]
pub(crate) struct InputArgs {
    /// Input files (`-` or none for standard input).
    pub(crate) files: Vec<std::path::PathBuf>,
    /// Input format; by default taken from each file's extension (JSONL for stdin).
    #[arg(long, value_enum)]
    pub(crate) input_format: Option<InputFormat>,
    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub(crate) threads: Option<usize>,
    /// Longest accepted record in bytes: a JSONL line, a CSV row or conversation, a text
    /// line or transcript (longer ones are error records).
    #[arg(long, default_value_t = input::DEFAULT_MAX_RECORD_BYTES)]
    pub(crate) max_record_bytes: usize,
    /// Print no summary and no error messages on stderr (records still carry errors).
    #[arg(long, short = 'q')]
    pub(crate) quiet: bool,
    /// Configuration file (default: the tactful.toml of the current directory
    /// or the nearest directory above it, if any).
    #[arg(long, conflicts_with = "isolated")]
    pub(crate) config: Option<std::path::PathBuf>,
    /// Read no configuration file: the defaults, with --select and --ignore.
    #[arg(long)]
    pub(crate) isolated: bool,
    /// Run only these rules or categories (comma-separated; replaces the file's
    /// `select`, and its `ignore` unless --ignore is given too).
    #[arg(long, value_delimiter = ',')]
    pub(crate) select: Option<Vec<String>>,
    /// Skip these rules or categories (comma-separated; replaces the file's `ignore`).
    #[arg(long, value_delimiter = ',')]
    pub(crate) ignore: Option<Vec<String>>,
}

#[derive(Parser, Debug)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Output format; default human on a terminal, jsonl otherwise.
    #[arg(long, short = 'f', value_enum)]
    pub(crate) format: Option<OutputFormat>,
    /// Stop at the first input error instead of reporting it and going on.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Exit with code 1 when an issue at or above this severity is found.
    #[arg(long, value_enum)]
    pub(crate) fail_on: Option<SeverityArg>,
    /// When to color human output.
    #[arg(long, value_enum, default_value = "auto")]
    pub(crate) color: ColorChoice,
    /// Exit with code 1 when a transcript scores below this (0–100).
    #[arg(long, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub(crate) fail_under: Option<u8>,
    /// Lint canned replies: each .txt/.md file (directories are walked) is one agent reply.
    #[arg(long)]
    pub(crate) replies: bool,
    /// With --replies: each non-empty line of a .txt file is one reply.
    #[arg(long, requires = "replies")]
    pub(crate) per_line: bool,
    /// Human format: print every transcript, clean ones too (by default only
    /// transcripts with issues and error records are printed, then a summary).
    #[arg(long)]
    pub(crate) show_all: bool,
    /// Mask personal data (e-mail addresses, phone, card and account numbers,
    /// URLs) in the text the output repeats; spans still point into the input.
    #[arg(long)]
    pub(crate) redact: bool,
    /// Print the number of findings of each rule instead of the records (a
    /// table; JSON, JSONL or CSV with --format json, jsonl or csv).
    #[arg(long)]
    pub(crate) statistics: bool,
    /// Write the output to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<std::path::PathBuf>,
}

#[derive(Parser, Debug)]
pub(crate) struct ReportArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "human")]
    pub(crate) format: ReportFormat,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) output: Option<std::path::PathBuf>,
    /// Mask personal data (e-mail addresses, phone, card and account numbers,
    /// URLs) in the phrases and turns the report shows (the default for html).
    #[arg(long, overrides_with = "no_redact")]
    pub(crate) redact: bool,
    /// Show phrases and turns as they are, personal data included (html too).
    #[arg(long, overrides_with = "redact")]
    pub(crate) no_redact: bool,
    /// Exit with code 1 when the batch's mean score is below MEAN (0–100).
    #[arg(long, value_name = "MEAN", value_parser = parse_mean)]
    pub(crate) fail_under: Option<f64>,
}

/// A mean score for `report --fail-under`: a number from 0 to 100.
fn parse_mean(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=100.0).contains(&v) {
        Ok(v)
    } else {
        Err(format!("{v} is not between 0 and 100"))
    }
}

/// Formats of `tactful report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// A readable terminal summary.
    Human,
    /// One JSON document.
    Json,
    /// One self-contained HTML page (inline CSS and SVG, no scripts).
    Html,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(crate) enum SeverityArg {
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
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}
