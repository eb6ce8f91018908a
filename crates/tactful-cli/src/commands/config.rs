//! `tactful config --show`: the effective configuration as TOML.

use std::io::{self, Write};
use tactful_cli::settings;

/// Runs `tactful config`: the effective configuration; exit code 2 for an
/// invalid one.
pub(crate) fn run(path: Option<&std::path::Path>, isolated: bool) -> anyhow::Result<u8> {
    match settings::load_with(path, isolated) {
        Ok(loaded) => {
            let mut out = io::stdout().lock();
            match &loaded.path {
                Some(p) => writeln!(out, "# effective configuration: defaults + {}", p.display())?,
                None if isolated => {
                    writeln!(out, "# effective configuration: defaults (--isolated)")?
                }
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
