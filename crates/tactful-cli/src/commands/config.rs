//! `tactful config --show`: the effective configuration as TOML.

use std::io::{self, Write};
use tactful_cli::settings;

/// Runs `tactful config`: the effective configuration; exit code 2 for an
/// invalid one.
pub(crate) fn run(path: Option<&std::path::Path>) -> anyhow::Result<u8> {
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
