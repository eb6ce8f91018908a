//! Loading `tactful.toml`: the configuration file of the command line.

use std::path::{Path, PathBuf};
use tactful::{Analyzer, Config};

/// The file looked for, in the current directory and then in each directory
/// above it, when `--config` is not given.
pub const DEFAULT_FILE: &str = "tactful.toml";

/// The `tactful.toml` that applies in `dir`: in `dir` itself or in the
/// nearest directory above it (as ruff and typos find theirs), if any.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(DEFAULT_FILE))
        .find(|p| p.is_file())
}

/// A configuration and where it came from.
#[derive(Debug, Default)]
pub struct Loaded {
    /// The effective configuration.
    pub config: Config,
    /// The file it was read from, if any.
    pub path: Option<PathBuf>,
}

/// Reads `path`, or the `tactful.toml` of the current directory or the
/// nearest one above it ([`discover`]), or the defaults. Errors name the
/// file, the key and the line.
pub fn load(path: Option<&Path>) -> Result<Loaded, String> {
    load_with(path, false)
}

/// [`load`]; with `isolated` (`--isolated`), no file is looked for and the
/// defaults are returned.
pub fn load_with(path: Option<&Path>, isolated: bool) -> Result<Loaded, String> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None if isolated => return Ok(Loaded::default()),
        None => {
            let found = std::env::current_dir().ok().and_then(|d| discover(&d));
            let Some(p) = found else {
                return Ok(Loaded::default());
            };
            // shown relative to the current directory when it is below it
            std::env::current_dir()
                .ok()
                .and_then(|d| p.strip_prefix(&d).ok().map(Path::to_path_buf))
                .unwrap_or(p)
        }
    };
    let text = std::fs::read_to_string(&path).map_err(|e| {
        format!(
            "{}: cannot read: {}",
            path.display(),
            crate::input::io_message(&e)
        )
    })?;
    let config = parse(&text).map_err(|e| format!("{}:{e}", path.display()))?;
    Ok(Loaded {
        config,
        path: Some(path),
    })
}

/// Parses and validates a configuration text; errors start with `LINE: `.
pub fn parse(text: &str) -> Result<Config, String> {
    let config: Config = toml::from_str(text).map_err(|e| {
        let start = e.span().map_or(0, |s| s.start.min(text.len()));
        let before = text.get(..start).unwrap_or("");
        let line = 1 + before.matches('\n').count();
        let message = e.message().trim();
        if !message.is_empty() {
            return format!("{line}: {}", crate::suggest::with_suggestion(message));
        }
        // (the toml crate gives no message for some errors, such as a
        // control character in a comment: say which character, and where)
        let column = 1 + before.rsplit('\n').next().unwrap_or("").chars().count();
        match text.get(start..).and_then(|rest| rest.chars().next()) {
            Some(c) => {
                format!("{line}: invalid TOML: unexpected character {c:?} at column {column}")
            }
            None => format!("{line}: invalid TOML at column {column}"),
        }
    })?;
    // Validate by building an analyzer: unknown rules, bad patterns.
    Analyzer::from_config(&config).map_err(|e| {
        let message = e.message();
        format!(
            "{}: {}",
            line_of_quoted(text, message),
            crate::suggest::with_suggestion(message)
        )
    })?;
    Ok(config)
}

/// The line of `text` holding the first quoted value of `message`, or 1.
fn line_of_quoted(text: &str, message: &str) -> usize {
    let quoted = message.split('"').nth(1).filter(|q| !q.is_empty());
    let key = message.split(':').next().unwrap_or("");
    let needle = quoted.unwrap_or(key);
    let needle = needle.rsplit('.').next().unwrap_or(needle);
    text.lines()
        .position(|l| l.contains(needle))
        .map_or(1, |i| i + 1)
}

/// The effective configuration as TOML.
pub fn show(config: &Config) -> String {
    toml::to_string_pretty(config).unwrap_or_else(|e| format!("# cannot show: {e}\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_name_key_and_line() {
        let e = parse("select = [\"procedural\"]\nselct = []\n").unwrap_err();
        assert!(e.starts_with("2: "), "{e}");
        assert!(e.contains("selct"), "{e}");
    }

    #[test]
    fn unknown_rules_name_key_and_line() {
        let e = parse("# x\nignore = [\"procedural.nope\"]\n").unwrap_err();
        assert!(e.starts_with("2: ignore"), "{e}");
        assert!(e.contains("procedural.nope"), "{e}");
    }

    #[test]
    fn bad_values_are_errors() {
        let e = parse("[severity]\n\"apology.but\" = \"loud\"\n").unwrap_err();
        assert!(e.starts_with("2: "), "{e}");
        let e = parse("[extend-phrases]\n\"apology.sincere\" = [\"x\"]\n").unwrap_err();
        assert!(e.contains("no phrase list"), "{e}");
        let e = parse("[extend-phrases]\n\"procedural.policy_as_reason\" = [\"(unclosed\"]\n")
            .unwrap_err();
        assert!(e.contains("unclosed"), "{e}");
    }

    #[test]
    fn an_error_without_a_message_names_the_character() {
        // found by the config fuzz target: the toml crate's message is empty
        let e = parse("# ok\n# a \u{1} b\nselect = []\n").unwrap_err();
        assert_eq!(
            e,
            "2: invalid TOML: unexpected character '\\u{1}' at column 5"
        );
    }

    #[test]
    fn show_round_trips() {
        let c =
            parse("ignore = [\"excuse\"]\n[score]\ncritical = [\"apology.deflecting\"]\n").unwrap();
        let again = parse(&show(&c)).unwrap();
        assert_eq!(c, again);
    }
}
