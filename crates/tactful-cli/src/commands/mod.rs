//! One module per subcommand; each takes its parsed arguments and returns
//! the exit code. What `check` and `report` share is here: where to read and
//! how to build the analyzer.

pub(crate) mod check;
pub(crate) mod completions;
pub(crate) mod config;
pub(crate) mod explain;
pub(crate) mod report;
pub(crate) mod rules;

use crate::cli::InputArgs;
use std::io::{self, Write};
use tactful::Analyzer;
use tactful_cli::pipeline::Source;
use tactful_cli::settings;

/// Where the output goes: the file given with `--output` (created, or
/// truncated), else standard output.
/// An output file that is one of the inputs is refused: creating it would
/// truncate the input before it is read.
fn sink(
    path: Option<&std::path::Path>,
    inputs: &[std::path::PathBuf],
) -> anyhow::Result<Box<dyn Write>> {
    use anyhow::Context as _;
    if let Some(p) = path {
        if let Ok(target) = std::fs::canonicalize(p) {
            if inputs
                .iter()
                .any(|i| std::fs::canonicalize(i).is_ok_and(|i| i == target))
            {
                anyhow::bail!("--output {} is one of the inputs", p.display());
            }
        }
    }
    Ok(match path {
        Some(p) => Box::new(
            std::fs::File::create(p).with_context(|| format!("cannot write {}", p.display()))?,
        ),
        None => Box::new(io::stdout().lock()),
    })
}

/// What to read: the files (standard input when none), in their format.
fn source(input: &InputArgs, strict: bool, replies: Option<bool>) -> Source {
    let files = if input.files.is_empty() {
        vec!["-".into()]
    } else {
        input.files.clone()
    };
    Source {
        files,
        format: input.input_format,
        max_record_bytes: input.max_record_bytes,
        replies,
        strict,
    }
}

/// The analyzer of the effective configuration: `tactful.toml` or
/// `--config`, with `--select` and `--ignore` over it. An invalid
/// configuration is reported on stderr and gives `None` (exit code 2).
fn analyzer(input: &InputArgs) -> Option<Analyzer> {
    let mut loaded = match settings::load_with(input.config.as_deref(), input.isolated) {
        Ok(l) => l,
        Err(e) => {
            warn!("tactful: {e}");
            return None;
        }
    };
    if let Some(select) = &input.select {
        // an explicit selection on the command line runs what it names,
        // unless --ignore is given too
        loaded.config.select = select.clone();
        if input.ignore.is_none() {
            loaded.config.ignore.clear();
        }
    }
    if let Some(ignore) = &input.ignore {
        loaded.config.ignore = ignore.clone();
    }
    match Analyzer::from_config(&loaded.config) {
        Ok(a) => Some(a),
        Err(e) => {
            warn!(
                "tactful: {}",
                tactful_cli::suggest::with_suggestion(&e.to_string())
            );
            None
        }
    }
}
